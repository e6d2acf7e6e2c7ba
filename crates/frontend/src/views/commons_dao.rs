//! The Commons DAO view: the DAO's Monte Carlo (conviction voting, participants and proposals
//! over 730 days) with presets and the panel, metric cards of the outcome (median, P10–P90), a
//! day player and a run choice that inspect one run's day (the conviction of its candidates and
//! its network, asked of the worker day by day), the ten charts, exports and Info.

use crate::canvas;
use crate::dom::{by_id, el, next_frame, on, set_hidden};
use crate::info;
use crate::player::{self, Playable, Player, PlayerSpec};
use crate::view::{
    monte_carlo_finished, monte_carlo_progress, Chart, ExportButton, Extras, File, Groups,
    ModelView, PresetScope, Presets, RunBar, Runs, Saved, Shown, Stale, Texts, View,
};
use crate::views::research::ResearchPage;
use crate::views::stress::{StressPage, SETTINGS_GROUP};
use crate::widgets::{health_box, metric_card, show_health};
use flywheel_charts::commons_dao::{
    candidates_by_progress, leading_candidates, CommonsDaoChart, LEADING_CANDIDATES,
};
use flywheel_core::codec::{encode, view_value};
use flywheel_core::commons::conviction::ConvictionParams;
use flywheel_core::commons::dao::{DaoParams, PRESETS, RUN_SETTINGS};
use flywheel_core::commons::montecarlo::DaoResult;
use flywheel_core::commons::research::CommonsDao as ResearchCommons;
use flywheel_core::commons::sim::{Network, Status};
use flywheel_core::format::{compact, fixed, human, money, readable, shortest};
use flywheel_core::params::Preset;
use flywheel_core::protocol::{Command, Reply};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlSelectElement};

const SPEEDS: [(&str, usize); 4] = [
    ("1 day / frame", 1),
    ("5 days / frame", 5),
    ("20 days / frame", 20),
    ("100 days / frame", 100),
];

/// The charts with their titles and captions, in page order.
const CHARTS: [(CommonsDaoChart, &str, &str); 10] = [
    (
        CommonsDaoChart::Price,
        "Token price",
        "DAI per token on the bonding curve: the median run with the P10–P90 band over the runs. The vertical line is the inspected day.",
    ),
    (
        CommonsDaoChart::Supply,
        "Token supply",
        "Tokens in existence: minted by buys, burned by sales and by members who leave.",
    ),
    (
        CommonsDaoChart::Pools,
        "Collateral reserve and funding pool",
        "The reserve backs the curve; the funding pool pays proposals and is refilled by tributes.",
    ),
    (
        CommonsDaoChart::Participants,
        "Participants",
        "Members of the Commons: hatchers stay while their tokens vest, newcomers come and go.",
    ),
    (
        CommonsDaoChart::Sentiment,
        "Mean sentiment",
        "Above 0.75 members buy, below it they sell; below 0.5 those without locked tokens may leave.",
    ),
    (
        CommonsDaoChart::Proposals,
        "Proposals by state",
        "Mean counts over the runs, stacked: candidates gather conviction, active ones are funded, then complete or fail.",
    ),
    (
        CommonsDaoChart::Granted,
        "Funds granted",
        "DAI paid from the funding pool to proposals so far.",
    ),
    (
        CommonsDaoChart::Conviction,
        "Conviction of the candidates",
        "The inspected run and day: each candidate's conviction against the threshold it must reach (log scale). Requests of β of the pool or more cannot pass.",
    ),
    (
        CommonsDaoChart::Network,
        "Who supports what",
        "The inspected run and day: members (inner ring, coloured by sentiment, sized by holdings) and open proposals (outer ring); lines carry staked tokens.",
    ),
    (
        CommonsDaoChart::Score,
        "Score: ten parts against their caps",
        "The reference's 0–1000 dashboard score: each part counts up to 1, the sum × 130. Means over the runs.",
    ),
];

/// The metric cards: (label, metric, how to show it).
const METRICS: [(&str, &str, Number); 6] = [
    ("Score (0–1000, see the last chart)", "score", Number::Count),
    ("Price at the end (DAI/token)", "final_price", Number::Price),
    ("Members at the end", "participants_final", Number::Count),
    ("Proposals funded in all", "proposals_funded", Number::Count),
    ("Funding pool at the end", "final_funding_pool", Number::Dai),
    (
        "Mean sentiment at the end",
        "mean_sentiment_final",
        Number::Price,
    ),
];

#[derive(Clone, Copy)]
enum Number {
    Count,
    Price,
    Dai,
}

impl Number {
    fn text(self, x: f64) -> String {
        match self {
            // Counts read as whole numbers (a median of an even number of runs can end in .5).
            Number::Count => fixed(x.round(), 0),
            Number::Price => compact(x, 3),
            Number::Dai => format!("{} DAI", human(x, 3, true)),
        }
    }
}

#[derive(Clone, Copy)]
pub enum Export {
    Csv,
    Json,
}

/// What the view asks the worker besides its runs.
pub enum Asked {
    /// The network of run `run` at the end of day `day`, for these parameters.
    Network(Box<DaoParams>, u32, u32),
    /// Every run's daily records, for the CSV.
    Records,
}

/// The network shown: the parameters and run it belongs to.
struct Inspected {
    params: DaoParams,
    run: u32,
    network: Network,
}

/// The Commons DAO view's own state: the player (its cursor is the inspected day, 0 = the
/// hatch), the inspected run, and its network.
#[derive(Default)]
pub struct CommonsDao {
    player: Player,
    run: Cell<u32>,
    /// The run a link asked to inspect, applied when the Monte Carlo arrives.
    pending_run: Cell<Option<u32>>,
    inspected: RefCell<Option<Inspected>>,
    view: RefCell<Weak<View<CommonsDao>>>,
    /// Every candidate on a narrow screen too (otherwise the leading ones).
    show_all: Cell<bool>,
}

/// Narrower screens than this (phones) show the leading candidates only, unless asked for all.
const NARROW_PX: f64 = 700.0;

impl Chart for CommonsDaoChart {
    fn name(self) -> &'static str {
        CommonsDaoChart::name(self)
    }
}

impl Playable for CommonsDao {
    const PLAYER: PlayerSpec = PlayerSpec {
        prefix: "dao-",
        unit: "Day",
        start: "the hatch",
        speeds: &SPEEDS,
        default_speed: 1,
    };
    fn player(&self) -> &Player {
        &self.player
    }
    fn steps(shown: &Shown<Self>) -> usize {
        shown.params.days() as usize
    }
    fn on_seek(view: &View<Self>) {
        fetch_network(view);
    }
}

/// Asks the worker for the inspected run and day's network unless it is shown or one is on
/// its way (the answer asks again if the player moved meanwhile).
fn fetch_network(view: &View<CommonsDao>) {
    let me = view.own();
    // One network question at a time.
    if view.is_asked(|a| matches!(a, Asked::Network(..))) {
        return;
    }
    let Some(params) = view.shown(|s| s.params.clone()) else {
        return;
    };
    let (run, day) = (me.run.get(), me.player.cursor.get() as u32);
    let have = me
        .inspected
        .borrow()
        .as_ref()
        .is_some_and(|i| i.params == params && i.run == run && i.network.day == day);
    if have {
        return;
    }
    view.query(
        Command::CommonsNetwork {
            params: params.clone(),
            run,
            day,
        },
        Asked::Network(Box::new(params), run, day),
    );
}

/// [`fetch_network`] on the next frame (from places where the view is busy).
fn fetch_soon(me: &CommonsDao) {
    let weak = me.view.borrow().clone();
    next_frame(move || {
        if let Some(view) = weak.upgrade() {
            fetch_network(&view);
        }
    });
}

fn select(id: &str) -> Option<HtmlSelectElement> {
    by_id(id).and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
}

impl CommonsDao {
    /// Under the conviction and network charts on a narrow screen: how many candidates show,
    /// and the button that shows all of them or the leading ones again.
    fn show_leading_note(
        &self,
        chart: CommonsDaoChart,
        network: Option<&Network>,
        cut: bool,
        narrow: bool,
    ) {
        let Some(note) = by_id(&format!("dao-leading-{}", chart.name())) else {
            return;
        };
        let total = network.map_or(0, |n| candidates_by_progress(n).len());
        let show = narrow && total > LEADING_CANDIDATES;
        set_hidden(&note, !show);
        if !show {
            return;
        }
        if let Some(t) = note.query_selector(".leading-text").ok().flatten() {
            t.set_text_content(Some(&if cut {
                format!("The {LEADING_CANDIDATES} candidates closest to passing, of {total}.")
            } else {
                format!("All {total} candidates.")
            }));
        }
        if let Some(b) = note.query_selector("button").ok().flatten() {
            b.set_text_content(Some(
                if cut {
                    "Show all".into()
                } else {
                    format!("Show the leading {LEADING_CANDIDATES}")
                }
                .as_str(),
            ));
            let _ = b.set_attribute("aria-pressed", if cut { "false" } else { "true" });
        }
    }

    /// The network to draw, if it belongs to what is shown.
    fn network<'a>(
        &self,
        inspected: &'a Option<Inspected>,
        shown: &Shown<Self>,
    ) -> Option<&'a Network> {
        inspected
            .as_ref()
            .filter(|i| i.params == shown.params && i.run == self.run.get())
            .map(|i| &i.network)
    }

    /// The run choice: one option a run.
    fn show_runs(&self, shown: &Shown<Self>) {
        let Some(s) = select("dao-inspect-run") else {
            return;
        };
        // Rebuilt every time: the seeds change with the parameters.
        s.set_inner_html("");
        for r in &shown.report.runs {
            let o = el("option")
                .attr("value", &r.run.to_string())
                .text(&format!("Run {} (seed {})", r.run + 1, r.seed))
                .build();
            let _ = s.append_child(&o);
        }
        s.set_value(&self.run.get().to_string());
    }

    /// The inspected day in words, with a link that opens its leading candidate in the
    /// conviction calculator.
    fn show_day(&self, shown: &Shown<Self>) {
        let Some(line) = by_id("dao-day") else { return };
        let inspected = self.inspected.borrow();
        let Some(n) = self.network(&inspected, shown) else {
            line.set_text_content(Some("Loading the inspected day…"));
            return;
        };
        let count = |st: Status| n.proposals.iter().filter(|p| p.status == st).count();
        let mean_sentiment = if n.participants.is_empty() {
            0.0
        } else {
            n.participants.iter().map(|p| p.sentiment).sum::<f64>() / n.participants.len() as f64
        };
        let day = if n.day == 0 {
            "right after the hatch".to_string()
        } else {
            format!("day {}", n.day)
        };
        let text = format!(
            "Run {}, {day}: {} members (mean sentiment {}), {} candidates, {} active, {} completed, {} failed · price {} DAI · funding pool {} · supply {} tokens.",
            self.run.get() + 1,
            n.participants.len(),
            fixed(mean_sentiment, 2),
            count(Status::Candidate),
            count(Status::Active),
            count(Status::Completed),
            count(Status::Failed),
            compact(n.price, 3),
            money(n.funding_pool).replace('$', "") + " DAI",
            human(n.supply, 3, true),
        );
        line.set_inner_html("");
        let _ = line.append_child(&el("span").text(&text).build());
        // The candidate closest to its threshold, in the calculator.
        let best = n
            .proposals
            .iter()
            .filter(|p| p.status == Status::Candidate)
            .filter_map(|p| p.threshold.map(|t| (p, p.conviction / t)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((p, _)) = best {
            let stake: f64 = n
                .edges
                .iter()
                .filter(|e| e.proposal == p.id)
                .map(|e| e.tokens)
                .sum();
            // Whole numbers read better in the calculator's fields.
            let calc = ConvictionParams {
                request: p.request.round().max(1.0),
                funding: n.funding_pool.round(),
                supply: n.supply.round(),
                stake: stake.round(),
                days_to_80p_of_max_voting_weight: shown.params.days_to_80p_of_max_voting_weight,
                max_proposal_request: shown.params.max_proposal_request,
                ..ConvictionParams::default()
            };
            // Only values the calculator takes (a supply past its range, say, is not linked).
            let href = encode(&calc);
            if !flywheel_core::codec::decode::<ConvictionParams>(&href)
                .issues
                .is_empty()
            {
                return;
            }
            let link = el("a")
                .attr("href", &href)
                .id("dao-calc-link")
                .attr(
                    "title",
                    "The calculator stakes these tokens from day 1 (it starts from no conviction), with the pool and supply at the end of this day",
                )
                .text(&format!(
                    " Try proposal #{} ({} DAI, its stake from zero) in the conviction calculator →",
                    p.id,
                    readable(p.request.round())
                ))
                .build();
            let _ = line.append_child(&link);
        }
    }
}

/// The panel's groups (the research view shows them under its own settings).
pub const GROUPS: [(&str, &[&str]); 6] = [
    ("Monte Carlo", &["runs", "days", "seed"]),
    (
        "Hatch",
        &[
            "hatchers",
            "hatch_max_contribution",
            "hatch_price",
            "hatch_tribute",
            "vesting_80p_days",
        ],
    ),
    (
        "Curve and tributes",
        &["kappa", "entry_tribute", "exit_tribute"],
    ),
    (
        "Conviction voting",
        &[
            "days_to_80p_of_max_voting_weight",
            "max_proposal_request",
            "initial_proposals",
        ],
    ),
    (
        "Participants",
        &[
            "arrival_rate",
            "newcomer_investment_mean",
            "buy_scale",
            "speculators",
            "sentiment_decay",
        ],
    ),
    STABILISER_GROUP,
];

/// The Commons' policy: the price stabiliser, trading through the curve with its treasury (the
/// other policies need emission, rewards or staking yield, which the Commons has not).
pub const STABILISER_GROUP: (&str, &[&str]) = (
    "Policy: price stabiliser",
    &[
        "price_stabilizer",
        "band_lower",
        "band_upper",
        "buyback_max_share",
        "issue_max_share",
        "treasury_start",
    ],
);

impl ModelView for CommonsDao {
    type Params = DaoParams;
    type Report = DaoResult;
    type Part = DaoResult;
    type Chart = CommonsDaoChart;
    type Export = Export;
    type Asked = Asked;

    const PREFIX: &'static str = "dao-";
    const TEXTS: Texts = Texts {
        nav: "Commons DAO · conviction voting",
        title: "Commons DAO: conviction voting, day by day",
        lede: "Hatchers with vesting tokens, newcomers who buy in, proposals funded from the pool by conviction voting, and members who leave when their sentiment sinks. A seeded Monte Carlo of the Commons Stack's simulation, with its bugs fixed.",
        reset_all: "Every parameter back to the reference Commons",
        copy_link: "Copy a link that reproduces exactly this Monte Carlo and the inspected day",
        copied: "Link copied. It reproduces exactly this Monte Carlo: parameters, runs, seed and the inspected day.",
        restarted: " A fresh worker has been started: press Run or change a parameter to go on.",
        info: &info::COMMONS_DAO,
    };
    const GROUPS: Groups = &GROUPS;
    /// A preset changes the Commons and keeps the run settings.
    const PRESETS: Option<Presets<DaoParams>> = Some(Presets {
        list: &PRESETS,
        params: DaoParams::preset,
        scope: PresetScope::AllBut(&RUN_SETTINGS),
        custom: "Custom parameters: no preset matches.",
    });
    const RUNS: Runs = Runs::Long(RunBar {
        debounce_ms: 150,
        what: "Monte Carlo",
        run_title: "Run the Monte Carlo with the parameters shown",
        cancel_title: "Stop the Monte Carlo now; the charts keep the last finished run",
        cancelled: [
            "Cancelled. The charts show the last finished Monte Carlo.",
            "Cancelled before any run finished: press Run or change a parameter.",
        ],
        stale: Some(Stale {
            running: "The charts show the previous parameters until this Monte Carlo finishes.",
            idle: "The charts show earlier parameters: press Run to compute the ones in the panel.",
        }),
    });
    const CHARTS: &'static [(CommonsDaoChart, &'static str, &'static str)] = &CHARTS;
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Csv,
            id: "csv",
            label: "CSV",
            title: "Download every run's daily records as CSV (the same as the command line's --csv)",
        },
        ExportButton {
            export: Export::Json,
            id: "json",
            label: "JSON",
            title: "Download parameters, link, the metrics (mean, P10, P50, P90), bands and score parts as JSON",
        },
    ];

    fn commands(&self, params: &DaoParams) -> Vec<Command> {
        vec![Command::CommonsDao {
            params: params.clone(),
            records: false,
        }]
    }

    fn part(reply: Reply) -> Option<DaoResult> {
        match reply {
            Reply::CommonsDao { result, .. } => Some(*result),
            _ => None,
        }
    }

    fn report(&self, _params: &DaoParams, parts: Vec<DaoResult>) -> Option<DaoResult> {
        parts.into_iter().next()
    }

    fn metrics(&self) -> Vec<Element> {
        METRICS
            .iter()
            .map(|(label, key, _)| metric_card("dao-", label, key))
            .collect()
    }

    fn render(&self, shown: &Shown<Self>) {
        let r = &shown.report;
        show_health("dao-", &r.health);
        let runs = r.runs.len();
        for (_, key, number) in METRICS {
            let Some(m) = r.metric(key) else { continue };
            if let Some(e) = by_id(&format!("dao-m-{key}")) {
                e.set_text_content(Some(&number.text(m.p50)));
            }
            if let Some(e) = by_id(&format!("dao-m-{key}-sub")) {
                let p50 = |k: &str| r.metric(k).map_or(0.0, |m| m.p50);
                let sub = match key {
                    // Failed proposals were funded too: they failed after the grant was paid.
                    "proposals_funded" => format!(
                        "median of {runs} runs · medians: {} completed, {} failed after funding",
                        Number::Count.text(p50("proposals_completed")),
                        Number::Count.text(p50("proposals_failed"))
                    ),
                    "score" => format!(
                        "median of {runs} runs (mean {}) · P10–P90 {} – {}",
                        Number::Count.text(m.mean),
                        number.text(m.p10),
                        number.text(m.p90)
                    ),
                    _ => format!(
                        "median of {runs} runs · P10–P90 {} – {}",
                        number.text(m.p10),
                        number.text(m.p90)
                    ),
                };
                e.set_text_content(Some(&sub));
            }
        }
        // Every metric at full precision, named as in the CLI's JSON, for tests and checks.
        if let Some(el) = by_id("dao-metrics") {
            for m in &r.metrics {
                for (suffix, x) in m.values() {
                    let attr = format!("data-{}-{suffix}", m.name.replace('_', "-"));
                    let _ = el.set_attribute(&attr, &shortest(x));
                }
            }
            let _ = el.set_attribute("data-runs", &r.runs.len().to_string());
            let _ = el.set_attribute("data-days", &shown.params.days().to_string());
            let _ = el.set_attribute("data-seed", &shown.params.seed().to_string());
        }
        player::show::<Self>(&self.player, Self::steps(shown));
        self.show_runs(shown);
        self.show_day(shown);
    }

    fn draw(
        &self,
        chart: CommonsDaoChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        let inspected = self.inspected.borrow();
        let network = self.network(&inspected, shown);
        // A narrow screen: the candidates closest to passing, unless all are asked for (a
        // crowded day's 30-odd columns and their web of edges are unreadable at phone width).
        let narrow = crate::dom::window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < NARROW_PX);
        let leading = network
            .filter(|_| narrow && !self.show_all.get() && chart.needs_network())
            .and_then(|n| leading_candidates(n, LEADING_CANDIDATES));
        if chart.needs_network() {
            self.show_leading_note(chart, network, leading.is_some(), narrow);
        }
        let network = leading.as_ref().or(network);
        let day = self.player.cursor.get() as u32;
        canvas::draw(canvas, |root, theme| {
            chart.draw(root, &shown.report, network, Some(day), theme)
        })
    }

    fn summary(&self, chart: CommonsDaoChart, shown: &Shown<Self>) -> String {
        let inspected = self.inspected.borrow();
        let network = self.network(&inspected, shown);
        chart.summary(
            &shown.report,
            network,
            Some(self.player.cursor.get() as u32),
        )
    }

    fn svg(&self, chart: CommonsDaoChart, shown: &Shown<Self>) -> Result<String, String> {
        let inspected = self.inspected.borrow();
        let network = self.network(&inspected, shown);
        chart.svg(
            &shown.report,
            network,
            Some(self.player.cursor.get() as u32),
        )
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<Asked> {
        match export {
            // The worker runs the same seeded Monte Carlo again, keeping every run's records.
            Export::Csv => Saved::Ask {
                command: Command::CommonsDao {
                    params: shown.params.clone(),
                    records: true,
                },
                asked: Asked::Records,
                message: "Preparing the CSV: the worker is collecting every run's daily records…"
                    .into(),
            },
            Export::Json => {
                let r = &shown.report;
                let mut summary = serde_json::Map::new();
                for m in &r.metrics {
                    for (suffix, x) in m.values() {
                        summary.insert(format!("{}_{suffix}", m.name), x.into());
                    }
                }
                let doc = serde_json::json!({
                    "link": encode(&shown.params),
                    "params": shown.params,
                    "summary": summary,
                    "result": r,
                });
                Saved::File(File {
                    name: "flywheel-commons-dao.json".into(),
                    mime: "application/json",
                    content: serde_json::to_string_pretty(&doc).unwrap_or_default(),
                })
            }
        }
    }

    fn answer(view: &View<Self>, asked: Asked, reply: Reply) {
        let me = view.own();
        match (asked, reply) {
            (Asked::Network(params, run, _), Reply::CommonsNetwork { network, .. }) => {
                *me.inspected.borrow_mut() = Some(Inspected {
                    params: *params,
                    run,
                    network: *network,
                });
                view.shown(|s| me.show_day(s));
                view.draw_soon();
                // The player may have moved on meanwhile.
                fetch_network(view);
            }
            (Asked::Records, Reply::CommonsDao { result, .. }) => {
                view.save(File {
                    name: "flywheel-commons-dao-records.csv".into(),
                    mime: "text/csv",
                    content: result.records_csv(),
                });
                view.say("CSV downloaded: every run's daily records.");
            }
            _ => {}
        }
    }

    fn progress(&self, params: &DaoParams, _commands: usize, done: f64, total: f64) -> String {
        monte_carlo_progress(params.runs(), done, total)
    }

    fn finished(&self, shown: &Shown<Self>, ms: f64, worker: Option<(f64, f64)>) -> String {
        let size = format!(
            "{} runs × {} days",
            shown.report.runs.len(),
            shown.params.days()
        );
        monte_carlo_finished(&size, ms, worker)
    }

    /// The player and the run choice (above the metrics), the inspected day's line (below).
    fn extras(&self) -> Extras {
        let run = el("label")
            .class("run-choice")
            .child(el("span").text("Inspect "))
            .child(
                el("select")
                    .id("dao-inspect-run")
                    .attr("aria-label", "The run the day player inspects"),
            )
            .build();
        let inspect = el("div")
            .class("inspect")
            .child(player::element::<Self>())
            .child(run)
            .build();
        let day = el("p")
            .class("day-line")
            .id("dao-day")
            .attr("aria-live", "polite")
            .build();
        Extras {
            above_metrics: vec![inspect],
            below_metrics: vec![day, health_box("dao-")],
            ..Extras::default()
        }
    }

    fn wire(view: &Rc<View<Self>>) {
        *view.own().view.borrow_mut() = Rc::downgrade(view);
        player::wire(view);
        // Under the conviction and network charts: the leading candidates or all of them.
        for chart in [CommonsDaoChart::Conviction, CommonsDaoChart::Network] {
            let Some(fig) = by_id(&format!("fig-dao-chart-{}", chart.name())) else {
                continue;
            };
            let button = el("button")
                .attr("type", "button")
                .id(&format!("dao-show-all-{}", chart.name()))
                .text("Show all")
                .build();
            let note = el("p")
                .class("note leading-note")
                .id(&format!("dao-leading-{}", chart.name()))
                .child(el("span").class("leading-text"))
                .child(button.clone())
                .build();
            set_hidden(&note, true);
            let _ = fig.append_child(&note);
            let v = view.clone();
            on(&button, "click", move |_: Event| {
                let all = !v.own().show_all.get();
                v.own().show_all.set(all);
                v.draw_soon();
            });
        }
        if let Some(s) = select("dao-inspect-run") {
            let v = view.clone();
            on(&s, "change", move |_: Event| {
                let run = select("dao-inspect-run").and_then(|s| s.value().parse::<u32>().ok());
                v.own().run.set(run.unwrap_or(0));
                fetch_network(&v);
                v.write_url();
                v.draw_soon();
            });
        }
    }

    fn run_started(&self) {
        self.player.playing.set(false);
    }

    /// The inspected day and run: those a link asked for, or the last day of the first run. The
    /// network of the new Monte Carlo is asked for.
    fn on_report(&self, shown: &Shown<Self>) {
        player::on_report(&self.player, shown);
        let runs = shown.report.runs.len() as u32;
        let run = self.pending_run.take().unwrap_or(self.run.get());
        self.run.set(if run < runs { run } else { 0 });
        fetch_soon(self);
    }

    fn read_link(&self, fragment: &str) -> bool {
        let day = view_value(fragment, "day").and_then(|v| v.parse::<usize>().ok());
        let run = view_value(fragment, "run").and_then(|v| v.parse::<u32>().ok());
        self.player.pending.set(day);
        self.pending_run
            .set(Some(run.map_or(0, |r| r.saturating_sub(1))));
        false
    }

    /// The inspected run (1-based, unless the first) and day (unless the last).
    /// While a link's run and day wait for the Monte Carlo, the link keeps them.
    fn link_view(&self, shown: Option<&Shown<Self>>) -> Vec<(&'static str, String)> {
        let mut view = Vec::new();
        let run = self.pending_run.get().unwrap_or(self.run.get());
        if run > 0 {
            view.push(("run", (run + 1).to_string()));
        }
        let day = match self.player.pending.get() {
            Some(day) => Some(day),
            None => player::link_step(&self.player, shown),
        };
        if let Some(day) = day {
            view.push(("day", day.to_string()));
        }
        view
    }
}

/// The Commons DAO's research view: the autoresearch loop on the DAO's design.
impl ResearchPage for ResearchCommons {
    const PREFIX: &'static str = "rc-";
    const NAV: &'static str = "Commons research · autoresearch";
    const TITLE: &'static str = "Commons DAO autoresearch";
    const LEDE: &'static str = "The same experiment loop on the Commons: change one to three levers of the design (hatch, curve, tributes, vesting, voting), run the design's Monte Carlo (20 runs by default), keep the change if the score rises.";
    const INFO: &'static [crate::info::InfoSection] = &info::COMMONS_RESEARCH;
    const GROUPS: Groups = &[
        ("Research", &["budget", "research_seed"]),
        ("Start design: Monte Carlo", &["runs", "days", "seed"]),
        GROUPS[1],
        GROUPS[2],
        GROUPS[3],
        GROUPS[4],
    ];
    const PRESETS: &'static [Preset] = &PRESETS;
    const TABLE_NOTE: &'static str = "The columns of results.tsv: the score (the Commons score ÷ 1000) and its ten parts, each at most 1 (min_sentiment is 0 or the −0.2 penalty). Kept experiments are shaded.";

    fn preset(name: &str, current: &DaoParams) -> Option<DaoParams> {
        let p = CommonsDao::PRESETS.as_ref()?;
        p.apply(name, current)
    }
}

/// The Commons DAO's stress view.
impl StressPage for flywheel_core::commons::stress::CommonsDao {
    const PREFIX: &'static str = "ms-";
    const NAV: &'static str = "Commons stress · scenarios";
    const TITLE: &'static str = "The Commons DAO under stress";
    const LEDE: &'static str = "Does the Commons keep funding proposals and its members when the market turns? The DAO's Monte Carlo under bull and bear markets (buy and sell flows into the curve), network growth and a regulatory shock, against the baseline.";
    const INFO: &'static [crate::info::InfoSection] = &info::COMMONS_STRESS;
    const GROUPS: Groups = &[
        SETTINGS_GROUP,
        ("Monte Carlo", &["days", "seed"]),
        GROUPS[1],
        GROUPS[2],
        GROUPS[3],
        GROUPS[4],
        STABILISER_GROUP,
    ];
    const PRESETS: &'static [Preset] = &PRESETS;
    const PRESET_FIELDS: &'static [&'static str] = &[
        "hatchers",
        "hatch_tribute",
        "vesting_80p_days",
        "entry_tribute",
        "exit_tribute",
        "days_to_80p_of_max_voting_weight",
    ];

    fn preset(name: &str) -> Option<DaoParams> {
        DaoParams::preset(name)
    }
}
