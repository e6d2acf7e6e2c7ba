//! The dataDAO tab: presets and the panel, a player (play / pause / step / reset, speed, a
//! scrubber to inspect any step), the six charts with an optional comparison run of the other
//! preset on the same axes, the CSV downloads and Info.

use crate::canvas;
use crate::dom::{by_id, el, next_frame, now_ms, on, set_hidden};
use crate::info;
use crate::panel::{OnChange, Panel};
use crate::widgets::{
    apply_edit, banners, button, chart_grid, copy_link, hide_plan, info_box, mark_presets,
    metric_card, on_click, presets_group, redraw_on_resize, run_bar, save, set_chart_summary,
    set_status, share_bar, share_msg, show_issues, show_plan, show_progress, show_refusal, toolbar,
    write_url, Debounce,
};
use crate::worker_client::WorkerClient;
use flywheel_charts::datadao::{DataDaoChart, Shown};
use flywheel_core::codec::{decode, encode, view_value, with_view};
use flywheel_core::datadao::sim::{records_csv, DdRun, Kind};
use flywheel_core::datadao::{DdParams, PRESETS};
use flywheel_core::format::{fixed, human, readable, shortest};
use flywheel_core::params::{with_labels, ParamIssue, ParamModel};
use flywheel_core::protocol::{Command, Reply};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

const GROUPS: &[(&str, &[&str])] = &[
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
];

/// The four switches a preset sets.
const SWITCHES: [&str; 4] = [
    "fee_pot",
    "degen_reinvest",
    "power_overspend",
    "pie_distribution",
];

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

const DEBOUNCE_MS: i32 = 150;
/// The transaction download covers this many steps up to the inspected one.
const TX_WINDOW: u32 = 100;

type Action = Box<dyn Fn(&Rc<DataDaoTab>)>;

struct State {
    params: DdParams,
    compare: bool,
    link_issues: Vec<ParamIssue>,
    /// Requests running: (id, is the comparison run).
    running: Vec<(u32, bool)>,
    started: f64,
    main: Option<(DdRun, DdParams)>,
    other: Option<(DdRun, DdParams)>,
    tx_request: Option<(u32, u32, u32)>,
    /// Steps revealed (0 … steps): the inspected step.
    cursor: usize,
    /// The step a link asked to inspect, applied when the run arrives.
    pending_step: Option<usize>,
    playing: bool,
    last_ms: f64,
    /// The main run's request id and the worker's own (ms, memory bytes) for it.
    main_id: u32,
    worker: Option<(f64, f64)>,
}

pub struct DataDaoTab {
    pub root: Element,
    panel: Panel,
    worker: WorkerClient,
    state: RefCell<State>,
    frame_pending: Cell<bool>,
    debounce: Rc<Debounce>,
}

/// The name of a parameter set's switches: a preset's label, or "Custom switches".
fn switches_name(p: &DdParams) -> &'static str {
    for preset in PRESETS {
        if let Some(q) = DdParams::preset(preset.name) {
            if SWITCHES.iter().all(|s| p.get(s) == q.get(s)) {
                return preset.label;
            }
        }
    }
    "Custom switches"
}

/// `p` with the other preset's switches (the original code's, unless `p` already has them).
fn other_preset(p: &DdParams) -> DdParams {
    let target = if switches_name(p) == "Original code" {
        "as_described"
    } else {
        "original"
    };
    let q = DdParams::preset(target).expect("a preset");
    let mut out = p.clone();
    for s in SWITCHES {
        if let Some(v) = q.get(s) {
            out.put(s, v);
        }
    }
    out
}

impl DataDaoTab {
    pub fn new(worker: WorkerClient) -> Rc<DataDaoTab> {
        let root = el("main").class("layout").id("datadao").build();
        Rc::new_cyclic(|weak: &std::rc::Weak<DataDaoTab>| {
            let w = weak.clone();
            let on_change: OnChange = Rc::new(move |name, text| {
                if let Some(tab) = w.upgrade() {
                    tab.edit(name, &text);
                }
            });
            DataDaoTab {
                root,
                panel: Panel::new::<DdParams>(GROUPS, on_change),
                worker,
                state: RefCell::new(State {
                    params: DdParams::default(),
                    compare: false,
                    link_issues: Vec::new(),
                    running: Vec::new(),
                    started: 0.0,
                    main: None,
                    other: None,
                    tx_request: None,
                    cursor: 0,
                    pending_step: None,
                    playing: false,
                    last_ms: 0.0,
                    main_id: 0,
                    worker: None,
                }),
                frame_pending: Cell::new(false),
                debounce: Rc::default(),
            }
        })
    }

    pub fn mount(self: &Rc<Self>) {
        let aside =
            el("aside")
                .class("side")
                .child(
                    el("div")
                        .class("side-head")
                        .child(el("h2").text("Parameters"))
                        .child(button(
                            "Reset all",
                            "dd-reset-all",
                            "Every parameter back to the mechanism as described",
                        )),
                )
                .child(
                    presets_group("dd-", &PRESETS).child(
                        el("label")
                            .class("check")
                            .child(el("input").id("dd-compare").attr("type", "checkbox"))
                            .child(el("span").text(
                                " Compare with the other preset's switches (dashed, same axes)",
                            )),
                    ),
                )
                .child(self.panel.root.clone())
                .build();

        let mut speed = el("select")
            .id("dd-speed")
            .attr("aria-label", "Playback speed");
        for (i, (label, _)) in SPEEDS.iter().enumerate() {
            let o = el("option").attr("value", &i.to_string()).text(label);
            speed = speed.child(if i == 2 { o.attr("selected", "") } else { o });
        }
        let player = el("div")
            .class("player")
            .id("dd-player")
            .child(
                el("div")
                    .class("row-buttons")
                    .child(button("Reset", "dd-reset", "Back to before the first step"))
                    .child(button(
                        "Play",
                        "dd-play",
                        "Play the steps; press again to pause",
                    ))
                    .child(button("Step +1", "dd-step", "One step forward"))
                    .child(speed),
            )
            .child(
                el("input")
                    .id("dd-scrub")
                    .attr("type", "range")
                    .attr("min", "0")
                    .attr("max", "0")
                    .attr("value", "0")
                    .attr("aria-label", "Inspect step"),
            )
            .child(el("span").class("player-step").id("dd-step-label"))
            .build();
        let run_bar = run_bar(
            "dd-",
            "Simulation",
            vec![
                button(
                    "Run",
                    "dd-run",
                    "Run the simulation again with the panel's parameters",
                ),
                button(
                    "Cancel",
                    "dd-cancel",
                    "Stop the simulation now; the charts keep the last finished run",
                ),
            ],
        );
        let metrics = el("div")
            .class("metrics")
            .id("dd-metrics")
            .children(
                [
                    ("Price (xDAI/dDT)", "price"),
                    ("dDT reserve", "ddt_reserve"),
                    ("xDAI reserve", "xdai_reserve"),
                    ("Pie (dDT)", "pie"),
                    ("Fee pot (xDAI)", "fee_pot"),
                    ("Agents", "agents"),
                ]
                .map(|(label, key)| metric_card("dd-", label, key)),
            )
            .build();
        let charts = chart_grid(
            "dd-",
            CHARTS
                .iter()
                .map(|(c, title, caption)| (c.name(), *title, *caption)),
        );
        let content = el("section")
            .class("content")
            .child(toolbar(
                "dataDAO data cooperative",
                "How a data cooperative's token price forms when members spend tokens on compute, organisations buy, speculators trade and the Pie pays contributors back.",
                vec![
                    button("Copy link", "dd-copy-link", "Copy a link that reproduces exactly this run"),
                    button("simulation_data.csv", "dd-export-csv", "Every step's record (the same file as the command line's --csv)"),
                    button("transaction_history.csv", "dd-export-tx", "Every agent action of the 100 steps up to the inspected one (the command line's --transactions writes them all)"),
                ],
            ))
            .child(share_bar("dd-"))
            .children(banners("dd-"))
            .child(run_bar)
            .child(player)
            .child(metrics)
            .child(charts)
            .child(info_box("dd-info", &info::DATADAO))
            .child(el("p").class("status").id("dd-timing"))
            .build();
        let _ = self.root.append_child(&aside);
        let _ = self.root.append_child(&content);

        let wire = |id: &str, f: Action| on_click(self, id, f);
        wire(
            "dd-reset-all",
            Box::new(|t| {
                // Everything back as it first was: the comparison off too.
                t.state.borrow_mut().compare = false;
                if let Some(c) =
                    by_id("dd-compare").and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                {
                    c.set_checked(false);
                }
                t.replace_params(DdParams::default())
            }),
        );
        for p in PRESETS {
            wire(
                &format!("dd-preset-{}", p.name),
                Box::new(move |t| t.apply_preset(p.name)),
            );
        }
        wire("dd-cancel", Box::new(|t| t.cancel()));
        wire("dd-run", Box::new(|t| t.schedule_run(0)));
        wire("dd-copy-link", Box::new(|t| t.copy_link()));
        wire("dd-export-csv", Box::new(|t| t.export_csv()));
        wire("dd-export-tx", Box::new(|t| t.export_transactions()));
        wire("dd-reset", Box::new(|t| t.seek(0, false)));
        wire("dd-play", Box::new(|t| t.toggle_play()));
        wire(
            "dd-step",
            Box::new(|t| {
                let c = t.state.borrow().cursor;
                t.seek(c + 1, false)
            }),
        );
        for (chart, _, _) in CHARTS {
            wire(
                &format!("dd-svg-{}", chart.name()),
                Box::new(move |t| t.export_svg(chart)),
            );
        }
        if let Some(c) = by_id("dd-compare") {
            let me = self.clone();
            on(&c, "change", move |e: Event| {
                let on = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .is_some_and(|i| i.checked());
                me.state.borrow_mut().compare = on;
                me.write_url();
                me.schedule_run(0);
            });
        }
        if let Some(s) = by_id("dd-scrub") {
            let me = self.clone();
            on(&s, "input", move |e: Event| {
                let v = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .and_then(|i| i.value().parse::<usize>().ok())
                    .unwrap_or(0);
                me.seek(v, false);
            });
        }
        let me = self.clone();
        redraw_on_resize(&self.root, move || me.draw_charts());
        self.show_running(false);
        self.show_player();
    }

    /// Loads a link (`#datadao?...`); a link to what is already shown keeps it.
    pub fn load_fragment(self: &Rc<Self>, fragment: &str) {
        let d = decode::<DdParams>(fragment);
        // The view: Compare on or off, and the step to inspect once the run is there.
        let compare = view_value(fragment, "compare").is_some_and(|v| v == "1");
        let step = view_value(fragment, "step").and_then(|v| v.parse::<usize>().ok());
        if let Some(c) = by_id("dd-compare").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
            c.set_checked(compare);
        }
        let (same, compare_changed) = {
            let mut s = self.state.borrow_mut();
            let changed = s.compare != compare;
            s.compare = compare;
            s.pending_step = step;
            (
                d.model == s.params && (s.main.is_some() || !s.running.is_empty()),
                changed,
            )
        };
        if same && d.issues.is_empty() && !compare_changed {
            let running = !self.state.borrow().running.is_empty();
            if !running {
                self.apply_pending_step();
            }
            self.render();
            return;
        }
        self.state.borrow_mut().link_issues = d.issues;
        self.panel.clear_errors();
        self.set_params(d.model);
    }

    /// The link: the parameters, then the view (Compare, and the inspected step unless it is the
    /// last).
    pub fn fragment(&self) -> String {
        let s = self.state.borrow();
        let mut view = Vec::new();
        if s.compare {
            view.push(("compare", "1".to_string()));
        }
        let steps = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
        if steps > 0 && s.cursor < steps {
            view.push(("step", s.cursor.to_string()));
        }
        with_view(&encode(&s.params), &view)
    }

    /// Moves to the step a link asked for, once the run is there.
    fn apply_pending_step(self: &Rc<Self>) {
        let step = self.state.borrow_mut().pending_step.take();
        if let Some(step) = step {
            self.seek(step, false);
        }
    }

    fn replace_params(self: &Rc<Self>, p: DdParams) {
        self.state.borrow_mut().link_issues.clear();
        self.panel.clear_errors();
        self.set_params(p);
    }

    /// A preset sets the four switches; every other parameter stays.
    fn apply_preset(self: &Rc<Self>, name: &str) {
        let Some(q) = DdParams::preset(name) else {
            return;
        };
        let mut p = self.state.borrow().params.clone();
        for s in SWITCHES {
            if let Some(v) = q.get(s) {
                p.put(s, v);
            }
        }
        self.replace_params(p);
    }

    fn set_params(self: &Rc<Self>, p: DdParams) {
        self.panel.show(&p);
        self.state.borrow_mut().params = p;
        self.write_url();
        self.show_presets();
        self.schedule_run(0);
    }

    fn edit(self: &Rc<Self>, name: &'static str, text: &str) {
        let taken = {
            let s = &mut *self.state.borrow_mut();
            apply_edit(&mut s.params, &mut s.link_issues, &self.panel, name, text)
        };
        if taken {
            self.write_url();
            self.show_presets();
            self.schedule_run(DEBOUNCE_MS);
        }
    }

    fn show_presets(&self) {
        let name = switches_name(&self.state.borrow().params);
        let active = PRESETS.iter().find(|p| p.label == name).map(|p| p.name);
        mark_presets(
            "dd-",
            &PRESETS,
            active,
            "Custom switches: no preset matches.",
        );
    }

    fn write_url(&self) {
        write_url(&self.root, "datadao", &self.fragment());
    }

    fn schedule_run(self: &Rc<Self>, delay_ms: i32) {
        set_status(&self.root, "computing", None);
        let me = self.clone();
        self.debounce.schedule(delay_ms, move || me.run_now());
    }

    /// Runs the simulation (and the comparison, if on), stopping runs still going.
    fn run_now(self: &Rc<Self>) {
        let old: Vec<(u32, bool)> = std::mem::take(&mut self.state.borrow_mut().running);
        let old: Vec<u32> = old.iter().map(|r| r.0).collect();
        self.worker.cancel_all(&old);
        let (params, compare) = {
            let s = self.state.borrow();
            (s.params.clone(), s.compare)
        };
        let mut running = vec![(
            self.worker.send(Command::DataDao {
                params: params.clone(),
                transactions: None,
            }),
            false,
        )];
        if compare {
            running.push((
                self.worker.send(Command::DataDao {
                    params: other_preset(&params),
                    transactions: None,
                }),
                true,
            ));
        }
        {
            let mut s = self.state.borrow_mut();
            s.running = running;
            s.started = now_ms();
            s.playing = false;
        }
        set_status(&self.root, "computing", None);
        self.show_running(true);
    }

    fn cancel(self: &Rc<Self>) {
        self.debounce.cancel();
        let running: Vec<(u32, bool)> = std::mem::take(&mut self.state.borrow_mut().running);
        let tx = self.state.borrow_mut().tx_request.take();
        let ids: Vec<u32> = running.iter().map(|r| r.0).chain(tx.map(|t| t.0)).collect();
        self.worker.cancel_all(&ids);
        self.show_running(false);
        hide_plan("dd-");
        let finished = self.state.borrow().main.is_some();
        if let Some(t) = by_id("dd-run-text") {
            t.set_text_content(Some(if finished {
                "Cancelled. The charts show the last finished run."
            } else {
                "Cancelled before any run finished: press Run or change a parameter."
            }));
        }
        self.show_player();
        let fragment = self
            .state
            .borrow()
            .main
            .as_ref()
            .map(|(_, p)| encode(p))
            .unwrap_or_default();
        set_status(&self.root, "ready", Some(&fragment));
    }

    fn show_running(&self, running: bool) {
        if let Some(b) = by_id("dd-cancel") {
            let _ = if running {
                b.remove_attribute("disabled")
            } else {
                b.set_attribute("disabled", "")
            };
        }
        if let Some(p) = by_id("dd-progress") {
            set_hidden(&p, !running);
        }
    }

    pub fn on_reply(self: &Rc<Self>, reply: Reply) {
        match reply {
            Reply::Plan { id, cost }
                if self.state.borrow().running.first().map(|r| r.0) == Some(id) =>
            {
                show_plan("dd-", &cost);
            }
            Reply::Progress { id, done, total } => {
                let (mine, started, n, steps) = {
                    let s = self.state.borrow();
                    (
                        s.running.first().map(|r| r.0) == Some(id),
                        s.started,
                        s.running.len(),
                        s.params.total_steps,
                    )
                };
                if mine {
                    let what = if n > 1 {
                        format!("Running both runs: {} steps each", readable(steps))
                    } else {
                        format!("Running {} steps", readable(steps))
                    };
                    show_progress("dd-", &what, started, done, total);
                }
            }
            Reply::Refused { id, message } => {
                let mine = {
                    let mut s = self.state.borrow_mut();
                    let mine = s.running.iter().any(|r| r.0 == id)
                        || s.tx_request.is_some_and(|t| t.0 == id);
                    if mine {
                        s.running.clear();
                        s.tx_request = None;
                    }
                    mine
                };
                if mine {
                    self.show_running(false);
                    show_refusal(&self.root, "dd-", &with_labels::<DdParams>(&message, true));
                    self.show_player();
                }
            }
            Reply::DataDao { id, run } => {
                let tx = self.state.borrow().tx_request;
                if let Some((tx_id, from, to)) = tx {
                    if tx_id == id {
                        self.state.borrow_mut().tx_request = None;
                        let csv = run.transactions_csv.unwrap_or_default();
                        save(
                            "dd-",
                            &format!("transaction_history_steps_{from}-{to}.csv"),
                            "text/csv",
                            &csv,
                        );
                        share_msg(
                            "dd-",
                            &format!(
                                "transaction_history.csv: {} actions of steps {from}–{to}.",
                                csv.lines().count().saturating_sub(1)
                            ),
                        );
                        return;
                    }
                }
                let done = {
                    let mut s = self.state.borrow_mut();
                    let Some(pos) = s.running.iter().position(|r| r.0 == id) else {
                        return;
                    };
                    let (_, is_other) = s.running.remove(pos);
                    let params = if is_other {
                        other_preset(&s.params)
                    } else {
                        s.params.clone()
                    };
                    if is_other {
                        s.other = Some((*run, params));
                    } else {
                        s.main_id = id;
                        s.worker = None;
                        s.main = Some((*run, params));
                        if !s.compare {
                            s.other = None;
                        }
                    }
                    s.running.is_empty()
                };
                if done {
                    let mut s = self.state.borrow_mut();
                    s.last_ms = now_ms() - s.started;
                    let steps = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
                    s.cursor = s.pending_step.take().map_or(steps, |t| t.min(steps));
                    drop(s);
                    if let Some(e) = by_id("dd-worker-error") {
                        set_hidden(&e, true);
                    }
                    self.show_running(false);
                    self.show_finished();
                    self.write_url();
                    self.render();
                }
            }
            Reply::Timing {
                id,
                worker_ms,
                memory_bytes,
            } => {
                let mine = self.state.borrow().main_id == id;
                if mine {
                    self.state.borrow_mut().worker = Some((worker_ms, memory_bytes));
                    if self.state.borrow().running.is_empty() {
                        self.show_finished();
                    }
                }
            }
            Reply::Failed { id, message } => {
                let mine = id.is_some_and(|id| {
                    let s = self.state.borrow();
                    s.running.iter().any(|r| r.0 == id) || s.tx_request.is_some_and(|t| t.0 == id)
                });
                if mine {
                    self.state.borrow_mut().running.clear();
                    self.show_running(false);
                    self.show_worker_error(&message, false);
                }
            }
            Reply::Crashed { message, .. } => {
                let busy = {
                    let mut s = self.state.borrow_mut();
                    let busy = !s.running.is_empty() || s.tx_request.is_some();
                    s.running.clear();
                    s.tx_request = None;
                    busy
                };
                self.show_running(false);
                if busy {
                    self.show_worker_error(&message, true);
                }
            }
            _ => {}
        }
    }

    fn show_worker_error(&self, message: &str, restarted: bool) {
        if let Some(e) = by_id("dd-worker-error") {
            let tail = if restarted {
                " A fresh worker has been started: change a parameter to go on."
            } else {
                ""
            };
            e.set_text_content(Some(&format!("The simulation stopped: {message}.{tail}")));
            set_hidden(&e, false);
        }
    }

    fn show_finished(&self) {
        hide_plan("dd-");
        let s = self.state.borrow();
        let Some((r, _)) = &s.main else { return };
        let mut text = format!(
            "{} steps, {} agents at the end: {} ms{}",
            r.records.len(),
            r.agents,
            fixed(s.last_ms, 0),
            if s.other.is_some() {
                " (both runs)"
            } else {
                ""
            }
        );
        if let Some((ms, memory)) = s.worker {
            text.push_str(&format!(
                " · {} ms in the worker · worker memory {} MB",
                fixed(ms, 0),
                fixed(memory / 1048576.0, 1)
            ));
        }
        if let Some(t) = by_id("dd-run-text") {
            t.set_text_content(Some(&text));
            if let Some((ms, memory)) = s.worker {
                let _ = t.set_attribute("data-worker-ms", &shortest(ms));
                let _ = t.set_attribute("data-memory-bytes", &shortest(memory));
            }
        }
    }

    /// Moves the inspected step to `to` (clamped); stops playing unless `keep_playing`.
    fn seek(self: &Rc<Self>, to: usize, keep_playing: bool) {
        {
            let mut s = self.state.borrow_mut();
            let n = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
            s.cursor = to.min(n);
            if !keep_playing {
                s.playing = false;
            }
        }
        self.show_player();
        self.show_step_metrics();
        self.request_draw();
        // While playing, the address bar is left alone (browsers throttle frequent updates).
        if !keep_playing {
            self.write_url();
        }
    }

    fn toggle_play(self: &Rc<Self>) {
        let start = {
            let mut s = self.state.borrow_mut();
            let n = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
            if n == 0 {
                return;
            }
            s.playing = !s.playing;
            if s.playing && s.cursor >= n {
                s.cursor = 0;
            }
            s.playing
        };
        self.show_player();
        if start {
            self.play_frame();
        } else {
            self.write_url();
        }
    }

    fn play_frame(self: &Rc<Self>) {
        let me = self.clone();
        next_frame(move || {
            let (playing, cursor, n) = {
                let s = me.state.borrow();
                let n = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
                (s.playing, s.cursor, n)
            };
            if !playing {
                return;
            }
            let speed = by_id("dd-speed")
                .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|s| s.value().parse::<usize>().ok())
                .and_then(|i| SPEEDS.get(i))
                .map_or(20, |s| s.1);
            let next = (cursor + speed).min(n);
            me.seek(next, true);
            if next >= n {
                me.state.borrow_mut().playing = false;
                me.show_player();
                me.write_url();
            } else {
                me.play_frame();
            }
        });
    }

    fn show_player(&self) {
        let s = self.state.borrow();
        let n = s.main.as_ref().map_or(0, |(r, _)| r.records.len());
        if let Some(scrub) = by_id("dd-scrub").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
            scrub.set_max(&n.to_string());
            scrub.set_value(&s.cursor.to_string());
        }
        if let Some(l) = by_id("dd-step-label") {
            l.set_text_content(Some(&format!("Step {} of {n}", s.cursor)));
        }
        if let Some(b) = by_id("dd-play") {
            b.set_text_content(Some(if s.playing { "Pause" } else { "Play" }));
        }
        // Nothing to play before a run has finished.
        for id in ["dd-reset", "dd-play", "dd-step", "dd-scrub"] {
            if let Some(b) = by_id(id) {
                let _ = if n == 0 {
                    b.set_attribute("disabled", "")
                } else {
                    b.remove_attribute("disabled")
                };
            }
        }
    }

    /// The metric cards show the inspected step.
    fn show_step_metrics(&self) {
        let s = self.state.borrow();
        let Some((r, _)) = &s.main else { return };
        let rec = match s.cursor {
            0 => None,
            c => r.records.get(c - 1),
        };
        let show = |key: &str, value: String, sub: String| {
            if let Some(e) = by_id(&format!("dd-m-{key}")) {
                e.set_text_content(Some(&value));
            }
            if let Some(e) = by_id(&format!("dd-m-{key}-sub")) {
                e.set_text_content(Some(&sub));
            }
        };
        let other = |f: fn(&flywheel_core::datadao::sim::StepRecord) -> f64| {
            s.other
                .as_ref()
                .and_then(|(o, p)| {
                    o.records
                        .get(s.cursor.max(1) - 1)
                        .map(|x| format!("{}: {}", switches_name(p), human(f(x), 5, false)))
                })
                .unwrap_or_default()
        };
        match rec {
            None => {
                for key in [
                    "price",
                    "ddt_reserve",
                    "xdai_reserve",
                    "pie",
                    "fee_pot",
                    "agents",
                ] {
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

    fn render(&self) {
        let s = self.state.borrow();
        let issues: Vec<&ParamIssue> = s.link_issues.iter().collect();
        show_issues("dd-issues", &issues);
        let Some((r, shown)) = &s.main else { return };
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
        let fragment = encode(shown);
        let last_ms = s.last_ms;
        drop(s);
        self.show_presets();
        self.show_player();
        self.show_step_metrics();
        let t0 = now_ms();
        self.draw_charts();
        if let Some(e) = by_id("dd-timing") {
            e.set_text_content(Some(&format!(
                "Simulation {} ms · charts drawn in {} ms · runs entirely in your browser",
                fixed(last_ms, 0),
                fixed(now_ms() - t0, 0)
            )));
        }
        let busy = {
            let s = self.state.borrow();
            !s.running.is_empty() || self.debounce.pending()
        };
        if !busy {
            set_status(&self.root, "ready", Some(&fragment));
        }
    }

    /// Draws on the next animation frame (several seeks in one frame draw once).
    fn request_draw(self: &Rc<Self>) {
        if self.frame_pending.replace(true) {
            return;
        }
        let me = self.clone();
        next_frame(move || {
            me.frame_pending.set(false);
            me.draw_charts();
        });
    }

    fn shown_runs<'a>(s: &'a State) -> Vec<Shown<'a>> {
        let mut runs = Vec::new();
        if let Some((r, p)) = &s.main {
            runs.push(Shown {
                run: r,
                name: switches_name(p),
                dashed: false,
            });
        }
        if let Some((r, p)) = &s.other {
            runs.push(Shown {
                run: r,
                name: switches_name(p),
                dashed: true,
            });
        }
        runs
    }

    fn draw_charts(&self) {
        let s = self.state.borrow();
        let runs = Self::shown_runs(&s);
        if runs.is_empty() {
            return;
        }
        for (chart, _, _) in CHARTS {
            let id = format!("dd-chart-{}", chart.name());
            let Some(c) = by_id(&id).and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()) else {
                continue;
            };
            if let Err(e) = canvas::draw(&c, |root, theme| chart.draw(root, &runs, s.cursor, theme))
            {
                web_sys::console::error_1(&format!("{} chart: {e}", chart.name()).into());
            }
            set_chart_summary(&id, &chart.summary(&runs, s.cursor));
        }
    }

    fn copy_link(&self) {
        copy_link(
            "dd-",
            &self.fragment(),
            "Link copied. It reproduces exactly this run.",
        );
    }

    fn export_csv(&self) {
        let s = self.state.borrow();
        let Some((r, _)) = &s.main else { return };
        save(
            "dd-",
            "simulation_data.csv",
            "text/csv",
            &records_csv(&r.records),
        );
    }

    /// The worker runs the same deterministic simulation again, keeping the actions of the 100
    /// steps up to the inspected one.
    fn export_transactions(self: &Rc<Self>) {
        let (params, cursor) = {
            let s = self.state.borrow();
            match &s.main {
                Some((_, p)) => (p.clone(), s.cursor.max(1) as u32),
                None => return,
            }
        };
        let from = cursor.saturating_sub(TX_WINDOW - 1).max(1);
        let run_to = DdParams {
            total_steps: cursor as f64,
            ..params
        };
        let id = self.worker.send(Command::DataDao {
            params: run_to,
            transactions: Some((from, cursor)),
        });
        self.state.borrow_mut().tx_request = Some((id, from, cursor));
        share_msg(
            "dd-",
            &format!("Collecting the actions of steps {from}–{cursor}…"),
        );
    }

    fn export_svg(&self, chart: DataDaoChart) {
        let s = self.state.borrow();
        let runs = Self::shown_runs(&s);
        if runs.is_empty() {
            return;
        }
        match chart.svg(&runs, s.cursor) {
            Ok(svg) => save(
                "dd-",
                &format!("flywheel-datadao-{}.svg", chart.name()),
                "image/svg+xml",
                &svg,
            ),
            Err(e) => share_msg("dd-", &format!("Could not draw the SVG: {e}")),
        }
    }
}

/// The tab as the router sees it (until it moves onto [`crate::view::View`]).
struct Page(Rc<DataDaoTab>);

/// The tab with its own worker.
pub fn page() -> Rc<dyn crate::view::Tab> {
    let slot: Rc<RefCell<std::rc::Weak<DataDaoTab>>> = Rc::default();
    let deliver = slot.clone();
    let tab = DataDaoTab::new(WorkerClient::new(
        crate::app::WORKER_URL,
        move |reply: Reply| {
            if let Some(tab) = deliver.borrow().upgrade() {
                tab.on_reply(reply);
            }
        },
    ));
    *slot.borrow_mut() = Rc::downgrade(&tab);
    Rc::new(Page(tab))
}

impl crate::view::Tab for Page {
    fn name(&self) -> &'static str {
        "datadao"
    }
    fn label(&self) -> &'static str {
        "dataDAO · data cooperative"
    }
    fn root(&self) -> &Element {
        &self.0.root
    }
    fn mount(&self) {
        self.0.mount();
    }
    fn load(&self, fragment: &str, issues: Vec<ParamIssue>) {
        let tab = &self.0;
        // Unknown tabs show the first tab: this one never gets issues from the router.
        let _ = issues;
        tab.load_fragment(fragment);
    }
    fn crash_worker(&self, message: String) {
        let _ = message;
    }
}
