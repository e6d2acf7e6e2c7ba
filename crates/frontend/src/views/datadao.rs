//! The dataDAO view: presets (they set the four switches) and the panel, a player (play / pause /
//! step / reset, speed, a scrubber to inspect any step), the six charts with an optional
//! comparison run of the other preset on the same axes, both CSV downloads (the transactions of
//! 100 steps come from a re-run in the worker) and Info.

use crate::canvas;
use crate::dom::{by_id, el, on};
use crate::info;
use crate::player::{self, Playable, Player, PlayerSpec};
use crate::view::{
    worker_use, Chart, ExportButton, Extras, File, Groups, ModelView, PresetScope, Presets, RunBar,
    Runs, Saved, Shown, Texts, View,
};
use crate::views::policies::POLICY_GROUPS;
use crate::views::stress::{StressPage, SETTINGS_GROUP};
use crate::widgets::{health_box, metric_card, show_health};
use flywheel_charts::datadao::{DataDaoChart, Shown as Drawn};
use flywheel_core::codec::view_value;
use flywheel_core::datadao::sim::{records_csv, DdRun, Kind, StepRecord};
use flywheel_core::datadao::{DdParams, PRESETS};
use flywheel_core::format::{fixed, human, readable, shortest};
use flywheel_core::protocol::{Command, Reply};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement};

/// The panel's groups: the model's, then the policies'.
pub const MODEL_GROUPS: [(&str, &[&str]); 12] = [
    (
        "Run",
        &["total_steps", "entry_steps", "agents_per_entry", "fee_rate"],
    ),
    (
        "Switches (the original code's differences)",
        &[
            "fee_pot",
            "degen_reinvest",
            "power_overspend",
            "pie_distribution",
        ],
    ),
    (
        "Degens",
        &[
            "degen_initial_ddt",
            "degen_initial_xdai",
            "degen_lp_ddt",
            "degen_lp_xdai",
            "degen_reinvest_rate",
        ],
    ),
    ("Organizations", &["org_initial_xdai", "org_daily_ddt_buy"]),
    (
        "Power users",
        &[
            "power_initial_ddt",
            "power_initial_xdai",
            "power_daily_spend",
            "power_max_buy_price",
        ],
    ),
    (
        "Active and casual users",
        &[
            "active_initial_ddt",
            "active_daily_spend",
            "casual_initial_ddt",
            "casual_daily_spend",
            "casual_daily_sell",
        ],
    ),
    (
        "The Pie",
        &[
            "pie_distribution_rate",
            "pie_share_power",
            "pie_share_active",
            "pie_share_casual",
        ],
    ),
    (
        "Population",
        &[
            "initial_degen",
            "initial_organization",
            "initial_power",
            "initial_active",
            "initial_casual",
            "share_degen",
            "share_organization",
            "share_power",
            "share_active",
            "share_casual",
        ],
    ),
    (
        "Membership minting (§6)",
        &[
            "minting",
            "mint_cap_per_weight",
            "crc_per_member",
            "quality_min",
            "quality_max",
            "quantity_median",
            "quantity_sigma",
            "seed",
        ],
    ),
    POLICY_GROUPS[0],
    POLICY_GROUPS[1],
    POLICY_GROUPS[2],
];

const GROUPS: Groups = &MODEL_GROUPS;

/// The presets set the four switches; every other parameter stays.
const SWITCHES: Presets<DdParams> = Presets {
    list: &PRESETS,
    params: DdParams::preset,
    scope: PresetScope::Only(&[
        "fee_pot",
        "degen_reinvest",
        "power_overspend",
        "pie_distribution",
    ]),
    custom: "Custom switches: no preset matches.",
};

const CHARTS: [(DataDaoChart, &str, &str); 6] = [
    (
        DataDaoChart::Price,
        "Token price",
        "xDAI per dDT in the pool (1.0 while the pool is empty).",
    ),
    (
        DataDaoChart::DdtReserve,
        "LP dDT reserve",
        "dDT in the pool: degens' liquidity and everything sold into it.",
    ),
    (
        DataDaoChart::XdaiReserve,
        "LP xDAI reserve",
        "xDAI in the pool: liquidity and purchases, less what sellers take out.",
    ),
    (
        DataDaoChart::Pie,
        "The Pie",
        "dDT spent on compute, after each step's payout.",
    ),
    (
        DataDaoChart::Agents,
        "Agents by type",
        "Entries keep each type near its share of the population.",
    ),
    (
        DataDaoChart::AvgXdai,
        "Average xDAI per agent",
        "What each type holds in xDAI on average: who ends up with the money.",
    ),
];

/// Steps advanced per animation frame, by the speed control's position.
const SPEEDS: [(&str, usize); 5] = [
    ("1 step / frame", 1),
    ("5 steps / frame", 5),
    ("20 steps / frame", 20),
    ("100 steps / frame", 100),
    ("500 steps / frame", 500),
];

/// The transaction download covers this many steps up to the inspected one.
const TX_WINDOW: u32 = 100;

/// The metric cards (label, key): the inspected step's state.
const METRICS: [(&str, &str); 6] = [
    ("Price (xDAI/dDT)", "price"),
    ("dDT reserve", "ddt_reserve"),
    ("xDAI reserve", "xdai_reserve"),
    ("Pie (dDT)", "pie"),
    ("Fee pot (xDAI)", "fee_pot"),
    ("Agents", "agents"),
];

/// The dataDAO view's own state: Compare, and the player (its cursor is the inspected step:
/// steps revealed, 0 … steps).
#[derive(Default)]
pub struct DataDao {
    compare: Cell<bool>,
    player: Player,
}

impl Playable for DataDao {
    const PLAYER: PlayerSpec = PlayerSpec {
        prefix: "dd-",
        unit: "Step",
        start: "before the first step",
        speeds: &SPEEDS,
        default_speed: 2,
    };
    fn player(&self) -> &Player {
        &self.player
    }
    fn steps(shown: &Shown<Self>) -> usize {
        shown.report.main.records.len()
    }
    fn on_seek(view: &View<Self>) {
        view.shown(|s| view.own().show_step_metrics(s));
    }
}

/// A finished run, and the comparison run (the other preset's switches) when Compare is on.
pub struct DdReport {
    pub main: DdRun,
    pub other: Option<(DdRun, DdParams)>,
}

impl Chart for DataDaoChart {
    fn name(self) -> &'static str {
        DataDaoChart::name(self)
    }
}

#[derive(Clone, Copy)]
pub enum Export {
    /// `simulation_data.csv`: every step's record.
    Records,
    /// `transaction_history.csv` of the steps up to the inspected one.
    Transactions,
}

/// The name of a parameter set's switches: a preset's label, or "Custom switches".
fn switches_name(p: &DdParams) -> &'static str {
    SWITCHES
        .active(p)
        .map_or("Custom switches", |preset| preset.label)
}

/// `p` with the other preset's switches (the original code's, unless `p` already has them).
fn other_preset(p: &DdParams) -> DdParams {
    let target = match SWITCHES.active(p) {
        Some(preset) if preset.name == "original" => "as_described",
        _ => "original",
    };
    SWITCHES.apply(target, p).unwrap_or_else(|| p.clone())
}

/// The input element `id` (the Compare box, the scrubber).
fn input(id: &str) -> Option<HtmlInputElement> {
    by_id(id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
}

/// The runs to draw: the main run, and the comparison dashed.
fn drawn(shown: &Shown<DataDao>) -> Vec<Drawn<'_>> {
    let mut runs = vec![Drawn {
        run: &shown.report.main,
        name: switches_name(&shown.params),
        dashed: false,
    }];
    if let Some((r, p)) = &shown.report.other {
        runs.push(Drawn {
            run: r,
            name: switches_name(p),
            dashed: true,
        });
    }
    runs
}

impl DataDao {
    /// The metric cards show the inspected step.
    fn show_step_metrics(&self, shown: &Shown<Self>) {
        let cursor = self.player.cursor.get();
        let rec = match cursor {
            0 => None,
            c => shown.report.main.records.get(c - 1),
        };
        let show = |key: &str, value: String, sub: String| {
            if let Some(e) = by_id(&format!("dd-m-{key}")) {
                e.set_text_content(Some(&value));
            }
            if let Some(e) = by_id(&format!("dd-m-{key}-sub")) {
                e.set_text_content(Some(&sub));
            }
        };
        let other = |f: fn(&StepRecord) -> f64| {
            shown
                .report
                .other
                .as_ref()
                .and_then(|(o, p)| {
                    o.records
                        .get(cursor.max(1) - 1)
                        .map(|x| format!("{}: {}", switches_name(p), human(f(x), 5, false)))
                })
                .unwrap_or_default()
        };
        match rec {
            None => {
                for (_, key) in METRICS {
                    show(key, "–".into(), "before the first step".into());
                }
            }
            Some(x) => {
                show("price", human(x.price, 6, false), other(|r| r.price));
                show(
                    "ddt_reserve",
                    human(x.ddt_reserve, 6, false),
                    other(|r| r.ddt_reserve),
                );
                show(
                    "xdai_reserve",
                    human(x.xdai_reserve, 6, false),
                    other(|r| r.xdai_reserve),
                );
                show("pie", human(x.pie, 6, false), other(|r| r.pie));
                show("fee_pot", human(x.fee_pot, 4, false), other(|r| r.fee_pot));
                let total: u32 = x.counts.iter().sum();
                let by_kind: Vec<String> = Kind::ALL
                    .iter()
                    .zip(x.counts)
                    .map(|(k, n)| format!("{n} {}", k.name()))
                    .collect();
                show("agents", total.to_string(), by_kind.join(" · "));
            }
        }
    }
}

impl ModelView for DataDao {
    type Params = DdParams;
    type Report = DdReport;
    type Part = DdRun;
    type Chart = DataDaoChart;
    type Export = Export;
    /// The transactions of steps `from..=to`.
    type Asked = (u32, u32);

    const PREFIX: &'static str = "dd-";
    const TEXTS: Texts = Texts {
        nav: "dataDAO · data cooperative",
        title: "dataDAO data cooperative",
        lede: "How a data cooperative's token price forms when members spend tokens on compute, organisations buy, speculators trade and the Pie pays contributors back.",
        reset_all: "Every parameter back to the mechanism as described",
        copy_link: "Copy a link that reproduces exactly this run",
        copied: "Link copied. It reproduces exactly this run.",
        restarted: " A fresh worker has been started: change a parameter to go on.",
        info: &info::DATADAO,
    };
    const GROUPS: Groups = GROUPS;
    const PRESETS: Option<Presets<DdParams>> = Some(SWITCHES);
    const RUNS: Runs = Runs::Long(RunBar {
        debounce_ms: 150,
        what: "Simulation",
        run_title: "Run the simulation again with the panel's parameters",
        cancel_title: "Stop the simulation now; the charts keep the last finished run",
        cancelled: [
            "Cancelled. The charts show the last finished run.",
            "Cancelled before any run finished: press Run or change a parameter.",
        ],
        stale: None,
    });
    const CHARTS: &'static [(DataDaoChart, &'static str, &'static str)] = &CHARTS;
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Records,
            id: "csv",
            label: "simulation_data.csv",
            title: "Every step's record (the same file as the command line's --csv)",
        },
        ExportButton {
            export: Export::Transactions,
            id: "tx",
            label: "transaction_history.csv",
            title: "Every agent action of the 100 steps up to the inspected one (the command line's --transactions writes them all)",
        },
    ];

    /// The run, and the comparison run of the other preset's switches when Compare is on.
    fn commands(&self, params: &DdParams) -> Vec<Command> {
        let mut runs = vec![params.clone()];
        if self.compare.get() {
            runs.push(other_preset(params));
        }
        runs.into_iter()
            .map(|params| Command::DataDao {
                params,
                transactions: None,
            })
            .collect()
    }

    fn part(reply: Reply) -> Option<DdRun> {
        match reply {
            Reply::DataDao { run, .. } => Some(*run),
            _ => None,
        }
    }

    fn report(&self, params: &DdParams, parts: Vec<DdRun>) -> Option<DdReport> {
        let mut parts = parts.into_iter();
        Some(DdReport {
            main: parts.next()?,
            other: parts.next().map(|run| (run, other_preset(params))),
        })
    }

    fn metrics(&self) -> Vec<Element> {
        METRICS
            .iter()
            .map(|(label, key)| metric_card("dd-", label, key))
            .collect()
    }

    fn render(&self, shown: &Shown<Self>) {
        let r = &shown.report.main;
        show_health("dd-", &r.health);
        // The final state at full precision, named as in the CLI's JSON, for tests and checks.
        if let (Some(m), Some(last)) = (by_id("dd-metrics"), r.records.last()) {
            for (k, x) in [
                ("price", last.price),
                ("ddt-reserve", last.ddt_reserve),
                ("xdai-reserve", last.xdai_reserve),
                ("pie", last.pie),
                ("fee-pot", last.fee_pot),
                ("k", last.k),
            ] {
                let _ = m.set_attribute(&format!("data-{k}"), &shortest(x));
            }
            for (kind, n) in Kind::ALL.iter().zip(last.counts) {
                let _ = m.set_attribute(&format!("data-agents-{}", kind.name()), &n.to_string());
            }
            let _ = m.set_attribute("data-steps", &r.records.len().to_string());
        }
        player::show::<Self>(&self.player, r.records.len());
        self.show_step_metrics(shown);
    }

    fn draw(
        &self,
        chart: DataDaoChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        let runs = drawn(shown);
        let upto = self.player.cursor.get();
        canvas::draw(canvas, |root, theme| chart.draw(root, &runs, upto, theme))
    }

    fn summary(&self, chart: DataDaoChart, shown: &Shown<Self>) -> String {
        chart.summary(&drawn(shown), self.player.cursor.get())
    }

    fn svg(&self, chart: DataDaoChart, shown: &Shown<Self>) -> Result<String, String> {
        chart.svg(&drawn(shown), self.player.cursor.get())
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<(u32, u32)> {
        match export {
            Export::Records => Saved::File(File {
                name: "simulation_data.csv".into(),
                mime: "text/csv",
                content: records_csv(&shown.report.main.records),
            }),
            // The worker runs the same deterministic simulation again, keeping the actions of
            // the 100 steps up to the inspected one.
            Export::Transactions => {
                let to = self.player.cursor.get().max(1) as u32;
                let from = to.saturating_sub(TX_WINDOW - 1).max(1);
                let params = DdParams {
                    total_steps: f64::from(to),
                    ..shown.params.clone()
                };
                Saved::Ask {
                    command: Command::DataDao {
                        params,
                        transactions: Some((from, to)),
                    },
                    asked: (from, to),
                    message: format!("Collecting the actions of steps {from}–{to}…"),
                }
            }
        }
    }

    fn answer(view: &View<Self>, (from, to): (u32, u32), reply: Reply) {
        if let Reply::DataDao { run, .. } = reply {
            let csv = run.transactions_csv.unwrap_or_default();
            let actions = csv.lines().count().saturating_sub(1);
            view.save(File {
                name: format!("transaction_history_steps_{from}-{to}.csv"),
                mime: "text/csv",
                content: csv,
            });
            view.say(&format!(
                "transaction_history.csv: {actions} actions of steps {from}–{to}."
            ));
        }
    }

    fn progress(&self, params: &DdParams, commands: usize, _done: f64, _total: f64) -> String {
        let steps = readable(params.total_steps);
        if commands > 1 {
            format!("Running both runs: {steps} steps each")
        } else {
            format!("Running {steps} steps")
        }
    }

    fn finished(&self, shown: &Shown<Self>, ms: f64, worker: Option<(f64, f64)>) -> String {
        let r = &shown.report.main;
        let mut text = format!(
            "{} steps, {} agents at the end: {} ms{}",
            r.records.len(),
            r.agents,
            fixed(ms, 0),
            if shown.report.other.is_some() {
                " (both runs)"
            } else {
                ""
            }
        );
        if let Some([time, memory]) = worker.map(worker_use) {
            text.push_str(&format!(" · {time} · {memory}"));
        }
        text
    }

    /// The Compare box (with the presets) and the player (above the metrics).
    fn extras(&self) -> Extras {
        let compare = el("label")
            .class("check")
            .child(el("input").id("dd-compare").attr("type", "checkbox"))
            .child(el("span").text(" Compare with the other preset's switches (dashed, same axes)"))
            .build();
        let player = player::element::<Self>();
        Extras {
            presets: vec![compare],
            above_metrics: vec![player],
            below_metrics: vec![health_box("dd-")],
            ..Extras::default()
        }
    }

    fn wire(view: &Rc<View<Self>>) {
        player::wire(view);
        if let Some(c) = input("dd-compare") {
            let v = view.clone();
            on(&c, "change", move |_: Event| {
                v.own()
                    .compare
                    .set(input("dd-compare").is_some_and(|i| i.checked()));
                v.write_url();
                v.recompute(0);
            });
        }
    }

    /// Everything back as it first was: the comparison off too.
    fn on_reset(&self) {
        self.compare.set(false);
        if let Some(c) = input("dd-compare") {
            c.set_checked(false);
        }
    }

    fn run_started(&self) {
        self.player.playing.set(false);
    }

    /// The inspected step: the one a link asked for, or the last.
    fn on_report(&self, shown: &Shown<Self>) {
        player::on_report(&self.player, shown);
    }

    /// The view: Compare on or off, and the step to inspect once the run is there.
    fn read_link(&self, fragment: &str) -> bool {
        let compare = view_value(fragment, "compare").is_some_and(|v| v == "1");
        let step = view_value(fragment, "step").and_then(|v| v.parse::<usize>().ok());
        if let Some(c) = input("dd-compare") {
            c.set_checked(compare);
        }
        self.player.pending.set(step);
        self.compare.replace(compare) != compare
    }

    /// Compare, and the inspected step unless it is the last.
    fn link_view(&self, shown: Option<&Shown<Self>>) -> Vec<(&'static str, String)> {
        let mut view = Vec::new();
        if self.compare.get() {
            view.push(("compare", "1".to_string()));
        }
        if let Some(step) = player::link_step(&self.player, shown) {
            view.push(("step", step.to_string()));
        }
        view
    }
}

/// The dataDAO's stress view.
impl StressPage for flywheel_core::datadao::stress::DataDao {
    const PREFIX: &'static str = "ds-";
    const NAV: &'static str = "dataDAO stress · scenarios";
    const TITLE: &'static str = "dataDAO under stress";
    const LEDE: &'static str = "Does the data cooperative keep its price and its members' value when the market turns? Runs under bull, bear, growth and a regulatory shock, with an outside market's noise, against the baseline.";
    const INFO: &'static [crate::info::InfoSection] = &info::DATADAO_STRESS;
    const GROUPS: Groups = &[
        SETTINGS_GROUP,
        MODEL_GROUPS[0],
        MODEL_GROUPS[1],
        MODEL_GROUPS[2],
        MODEL_GROUPS[3],
        MODEL_GROUPS[4],
        MODEL_GROUPS[5],
        MODEL_GROUPS[6],
        MODEL_GROUPS[7],
        MODEL_GROUPS[8],
        MODEL_GROUPS[9],
        MODEL_GROUPS[10],
        MODEL_GROUPS[11],
    ];
    const PRESETS: &'static [flywheel_core::params::Preset] = &PRESETS;
    const PRESET_FIELDS: &'static [&'static str] = &[
        "fee_pot",
        "degen_reinvest",
        "power_overspend",
        "pie_distribution",
    ];

    fn preset(name: &str) -> Option<DdParams> {
        DdParams::preset(name)
    }
}
