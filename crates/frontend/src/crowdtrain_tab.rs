//! The CrowdTrain tab: presets and the parameter panel, the Monte Carlo's progress and Cancel,
//! the score and metrics, the eight charts, exports and Info.

use crate::canvas;
use crate::dom::{by_id, el, now_ms, set_hidden};
use crate::info;
use crate::panel::{OnChange, Panel};
use crate::widgets::{
    apply_edit, banners, button, chart_grid, copy_link, hide_plan, info_box, mark_presets,
    metric_card, on_click, presets_group, redraw_on_resize, run_bar, save, set_chart_summary,
    set_status, share_bar, share_msg, show_issues, show_plan, show_progress, show_refusal, toolbar,
    write_url, Debounce,
};
use crate::worker_client::WorkerClient;
use flywheel_charts::crowdtrain::CrowdTrainChart;
use flywheel_core::codec::{decode, encode};
use flywheel_core::crowdtrain::montecarlo::McResult;
use flywheel_core::crowdtrain::{CtParams, PriceModel, PRESETS};
use flywheel_core::format::{compact, fixed, money, shortest};
use flywheel_core::params::{with_labels, ParamIssue, ParamModel};
use flywheel_core::protocol::{Command, Reply};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

const GROUPS: &[(&str, &[&str])] = &[
    ("Monte Carlo", &["runs", "months", "seed", "scale"]),
    (
        "Supply and emission",
        &[
            "initial_supply",
            "max_supply",
            "monthly_emission_rate",
            "halving_interval_months",
            "initial_token_price",
            "burn_pct_of_revenue",
        ],
    ),
    (
        "Rewards and staking",
        &[
            "base_monthly_reward_tokens",
            "tier_reward_multipliers",
            "hardware_stake_requirement",
            "base_staking_apy",
            "lockup_bonus_per_month",
            "min_lockup_months",
            "max_lockup_months",
        ],
    ),
    (
        "Churn",
        &[
            "staking_churn_reduction",
            "earnings_churn_reduction",
            "nft_retention_bonus",
        ],
    ),
    (
        "Switches (the reference's quirks)",
        &[
            "reward_source",
            "supply_accounting",
            "price_model",
            "hardware_stake",
            "amm_usd_depth",
        ],
    ),
];

/// The settings of a run, kept when a preset is chosen.
const RUN_SETTINGS: [&str; 4] = ["runs", "months", "seed", "scale"];

/// Edits wait this long for the next edit before the Monte Carlo starts (a slider sends many).
const DEBOUNCE_MS: i32 = 120;

/// The charts with their titles and captions, in page order.
const CHARTS: [(CrowdTrainChart, &str, &str); 8] = [
    (
        CrowdTrainChart::Score,
        "Score against its targets",
        "Each sub-score is 1 when its target is met; the composite weighs them as labelled. Bars are means over the runs, whiskers ±1 standard deviation.",
    ),
    (
        CrowdTrainChart::Funnel,
        "Tier funnel",
        "Everyone ever onboarded, how many of them ever reached each tier, and how many are still active at the end (means over the runs).",
    ),
    (
        CrowdTrainChart::Tiers,
        "Active operators by tier",
        "Mean active operators in each tier, month by month, stacked.",
    ),
    (
        CrowdTrainChart::Price,
        "Token price",
        "The median run's price with the P10–P90 band over the runs. With price_model=reference it is the reference formula's price index, not USD (see Info); with price_model=amm it is USD per token.",
    ),
    (
        CrowdTrainChart::Supply,
        "Supply, staked and burned",
        "Circulating supply, tokens staked and tokens burned so far (medians and P10–P90 bands).",
    ),
    (
        CrowdTrainChart::Flows,
        "Token flows per month",
        "Emission, rewards paid to operators, tokens operators sell and tokens burned from revenue, each month.",
    ),
    (
        CrowdTrainChart::Revenue,
        "Revenue",
        "Fiat revenue per month: customers arrive once enough qualified (tier 4+) operators exist.",
    ),
    (
        CrowdTrainChart::Gini,
        "Inequality of earnings",
        "The Gini coefficient of operators' cumulative earnings (0 = equal, 1 = one operator earns all).",
    ),
];

/// The metric cards: (label, stat name, how to show the mean).
const METRICS: [(&str, &str, Shown); 8] = [
    ("Composite score", "score", Shown::Score),
    (
        "Retention of all ever onboarded",
        "retention_pct",
        Shown::Percent,
    ),
    ("Cumulative revenue", "cumulative_revenue", Shown::Usd),
    // Labelled by the price model once a result shows (see `Shown::label`).
    ("Final token price", "final_price", Shown::Price),
    ("Peak token price", "peak_price", Shown::Price),
    ("Gini of earnings", "gini", Shown::Score),
    (
        "Qualified operators (tier 4+)",
        "t4_plus_operators",
        Shown::Count,
    ),
    (
        "Active operators at the end",
        "active_operators_final",
        Shown::Count,
    ),
];

#[derive(Clone, Copy)]
enum Shown {
    Score,
    Percent,
    /// US dollars: `$815k`.
    Usd,
    /// The token price: under the reference formula a structural index (not USD: its unit is
    /// really USD per million tokens), under the AMM USD per token.
    Price,
    Count,
}

impl Shown {
    fn text(self, x: f64, price_model: PriceModel) -> String {
        match self {
            Shown::Score => fixed(x, 4),
            Shown::Percent => format!("{}%", fixed(x, 1)),
            Shown::Usd => money(x),
            Shown::Price if price_model == PriceModel::Reference => compact(x, 4),
            Shown::Price => money(x),
            // Means of counts: whole numbers stay whole, others get one decimal.
            Shown::Count if x.fract() == 0.0 => fixed(x, 0),
            Shown::Count => fixed(x, 1),
        }
    }

    /// The card's label: prices say whether they are the reference's index or USD.
    fn label(self, label: &str, price_model: PriceModel) -> String {
        match (self, price_model) {
            (Shown::Price, PriceModel::Reference) => {
                format!("{} (not USD)", label.replace("token price", "price index"))
            }
            (Shown::Price, PriceModel::Amm) => format!("{label} (USD)"),
            _ => label.to_string(),
        }
    }

    /// The card's sub-line: the spread over the runs, `± $82k (std over the runs)`.
    fn spread(self, std: f64, price_model: PriceModel) -> String {
        format!("± {} (std over the runs)", self.text(std, price_model))
    }
}

type Action = Box<dyn Fn(&Rc<CrowdTrainTab>)>;

struct Running {
    id: u32,
    started: f64,
    params: CtParams,
}

struct State {
    params: CtParams,
    /// The last finished Monte Carlo and the parameters it ran with.
    result: Option<(McResult, CtParams)>,
    link_issues: Vec<ParamIssue>,
    running: Option<Running>,
    /// A CSV export waiting for the worker's full records.
    csv_request: Option<u32>,
    /// The last finished Monte Carlo's request id, time from request to result, and the
    /// worker's own measurement (ms, wasm memory bytes) once it arrives.
    last_id: u32,
    last_ms: f64,
    last_worker: Option<(f64, f64)>,
}

pub struct CrowdTrainTab {
    pub root: Element,
    panel: Panel,
    worker: WorkerClient,
    state: RefCell<State>,
    debounce: Rc<Debounce>,
}

impl CrowdTrainTab {
    pub fn new(worker: WorkerClient) -> Rc<CrowdTrainTab> {
        let root = el("main").class("layout").id("crowdtrain").build();
        Rc::new_cyclic(|weak: &std::rc::Weak<CrowdTrainTab>| {
            let w = weak.clone();
            let on_change: OnChange = Rc::new(move |name, text| {
                if let Some(tab) = w.upgrade() {
                    tab.edit(name, &text);
                }
            });
            CrowdTrainTab {
                root,
                panel: Panel::new::<CtParams>(GROUPS, on_change),
                worker,
                debounce: Rc::default(),
                state: RefCell::new(State {
                    params: CtParams::default(),
                    result: None,
                    link_issues: Vec::new(),
                    running: None,
                    csv_request: None,
                    last_id: 0,
                    last_ms: 0.0,
                    last_worker: None,
                }),
            }
        })
    }

    /// Builds the tab's DOM and wires its buttons. Call once, after `root` is in the document.
    pub fn mount(self: &Rc<Self>) {
        let aside = el("aside")
            .class("side")
            .child(
                el("div")
                    .class("side-head")
                    .child(el("h2").text("Parameters"))
                    .child(button(
                        "Reset all",
                        "ct-reset-all",
                        "Every parameter back to the reference",
                    )),
            )
            .child(presets_group("ct-", &PRESETS))
            .child(self.panel.root.clone())
            .build();

        let metrics = el("div")
            .class("metrics")
            .id("ct-metrics")
            .children(
                METRICS
                    .iter()
                    .map(|(label, key, _)| metric_card("ct-", label, key)),
            )
            .build();
        let run_bar = run_bar(
            "ct-",
            "Monte Carlo",
            vec![
                button(
                    "Run",
                    "ct-run",
                    "Run the Monte Carlo with the parameters shown",
                ),
                button(
                    "Cancel",
                    "ct-cancel",
                    "Stop the Monte Carlo now; the charts keep the last finished run",
                ),
            ],
        );
        let charts = chart_grid(
            "ct-",
            CHARTS
                .iter()
                .map(|(c, title, caption)| (c.name(), *title, *caption)),
        );
        let content = el("section")
            .class("content")
            .child(toolbar(
                "CrowdTrain operator economy",
                "Will operators stay long enough to qualify, does the token survive, and does revenue arrive before emissions halve? A seeded Monte Carlo of the reference world.",
                vec![
                    button("Copy link", "ct-copy-link", "Copy a link that reproduces exactly this Monte Carlo"),
                    button("CSV", "ct-export-csv", "Download every run's monthly records as CSV (the same as the command line's --csv)"),
                    button("JSON", "ct-export-json", "Download parameters, link, scores, statistics and bands as JSON"),
                ],
            ))
            .child(share_bar("ct-"))
            .children(banners("ct-"))
            .child(run_bar)
            .child(el("p").class("stale note").id("ct-stale"))
            .child(metrics)
            .child(charts)
            .child(info_box("ct-info", &info::CROWDTRAIN))
            .child(el("p").class("status").id("ct-timing"))
            .build();
        let _ = self.root.append_child(&aside);
        let _ = self.root.append_child(&content);
        if let Some(e) = by_id("ct-stale") {
            set_hidden(&e, true);
        }

        let wire = |id: &str, f: Action| on_click(self, id, f);
        wire(
            "ct-reset-all",
            Box::new(|t| t.replace_params(CtParams::default())),
        );
        for p in PRESETS {
            wire(
                &format!("ct-preset-{}", p.name),
                Box::new(move |t| t.apply_preset(p.name)),
            );
        }
        wire("ct-run", Box::new(|t| t.run_now()));
        wire("ct-cancel", Box::new(|t| t.cancel()));
        wire("ct-copy-link", Box::new(|t| t.copy_link()));
        wire("ct-export-csv", Box::new(|t| t.export_csv()));
        wire("ct-export-json", Box::new(|t| t.export_json()));
        for (chart, _, _) in CHARTS {
            wire(
                &format!("ct-svg-{}", chart.name()),
                Box::new(move |t| t.export_svg(chart)),
            );
        }
        let me = self.clone();
        redraw_on_resize(&self.root, move || me.draw_charts());
        self.show_running(false);
    }

    /// Loads the state of a link (`#crowdtrain?...`). A link to what is already shown (coming
    /// back to the tab, say) keeps the result instead of running again.
    pub fn load_fragment(self: &Rc<Self>, fragment: &str) {
        let d = decode::<CtParams>(fragment);
        let same = {
            let s = self.state.borrow();
            d.model == s.params && (s.result.is_some() || s.running.is_some())
        };
        if same && d.issues.is_empty() {
            self.write_url();
            self.render();
            return;
        }
        self.state.borrow_mut().link_issues = d.issues;
        self.panel.clear_errors();
        self.set_params(d.model);
    }

    /// The link of the tab's current state (for the tab's navigation link).
    pub fn fragment(&self) -> String {
        encode(&self.state.borrow().params)
    }

    /// Adds a problem with the link, shown with the next result.
    pub fn add_link_issue(&self, issue: ParamIssue) {
        self.state.borrow_mut().link_issues.push(issue);
    }

    fn replace_params(self: &Rc<Self>, p: CtParams) {
        self.state.borrow_mut().link_issues.clear();
        self.panel.clear_errors();
        self.set_params(p);
    }

    /// A preset changes the economy and keeps the run settings (runs, months, seed, scale).
    fn apply_preset(self: &Rc<Self>, name: &str) {
        let Some(mut p) = CtParams::preset(name) else {
            return;
        };
        let current = self.state.borrow().params.clone();
        for key in RUN_SETTINGS {
            if let Some(v) = current.get(key) {
                p.put(key, v);
            }
        }
        self.replace_params(p);
    }

    fn set_params(self: &Rc<Self>, p: CtParams) {
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

    /// Marks the preset the parameters equal (run settings aside), if any.
    fn show_presets(&self) {
        let params = self.state.borrow().params.clone();
        let active = PRESETS.iter().find(|p| {
            CtParams::preset(p.name).is_some_and(|mut q| {
                for key in RUN_SETTINGS {
                    if let Some(v) = params.get(key) {
                        q.put(key, v);
                    }
                }
                q == params
            })
        });
        mark_presets(
            "ct-",
            &PRESETS,
            active.map(|p| p.name),
            "Custom parameters: no preset matches.",
        );
    }

    fn write_url(&self) {
        write_url(&self.root, "crowdtrain", &self.fragment());
    }

    /// Starts the Monte Carlo after `delay_ms` unless another edit comes first.
    fn schedule_run(self: &Rc<Self>, delay_ms: i32) {
        set_status(&self.root, "computing", None);
        let me = self.clone();
        self.debounce.schedule(delay_ms, move || me.run_now());
        self.show_stale();
    }

    /// Runs the Monte Carlo with the current parameters now, stopping one still running.
    fn run_now(self: &Rc<Self>) {
        let old = self.state.borrow_mut().running.take();
        if let Some(r) = old {
            self.worker.cancel(r.id);
        }
        let params = self.state.borrow().params.clone();
        let id = self.worker.send(Command::CrowdTrain {
            params: params.clone(),
            records: false,
        });
        self.state.borrow_mut().running = Some(Running {
            id,
            started: now_ms(),
            params,
        });
        set_status(&self.root, "computing", None);
        self.show_progress(0.0, 1.0);
        self.show_running(true);
        self.show_stale();
    }

    /// Stops the running Monte Carlo at once; the last finished result stays on screen.
    fn cancel(self: &Rc<Self>) {
        self.debounce.cancel();
        let running = self.state.borrow_mut().running.take();
        let csv = self.state.borrow_mut().csv_request.take();
        for id in running.iter().map(|r| r.id).chain(csv) {
            self.worker.cancel(id);
        }
        self.show_running(false);
        hide_plan("ct-");
        if let Some(t) = by_id("ct-run-text") {
            t.set_text_content(Some(
                "Cancelled. The charts show the last finished Monte Carlo.",
            ));
        }
        self.render();
    }

    /// Shows or hides what belongs to a running Monte Carlo.
    fn show_running(&self, running: bool) {
        if let Some(b) = by_id("ct-cancel") {
            let _ = if running {
                b.remove_attribute("disabled")
            } else {
                b.set_attribute("disabled", "")
            };
        }
        if let Some(p) = by_id("ct-progress") {
            set_hidden(&p, !running);
        }
        if let Some(bar) = by_id("ct-run-bar") {
            let _ = bar.set_attribute("data-running", if running { "true" } else { "false" });
        }
    }

    fn show_progress(&self, done: f64, total: f64) {
        let s = self.state.borrow();
        let Some(r) = &s.running else { return };
        let runs = r.params.runs().max(1);
        let what = if done >= total && total > 0.0 {
            format!("Aggregating {runs} runs…")
        } else if runs == 1 {
            "Running the single run".to_string()
        } else {
            let f = if total > 0.0 { done / total } else { 0.0 };
            let run = ((f * f64::from(runs)) as u32 + 1).min(runs);
            format!("Running: run {run} of {runs}")
        };
        show_progress("ct-", &what, r.started, done, total);
    }

    /// Every reply from the worker comes here; replies to other tabs' requests are ignored.
    pub fn on_reply(self: &Rc<Self>, reply: Reply) {
        match reply {
            Reply::Plan { id, cost } => {
                if self.state.borrow().running.as_ref().map(|r| r.id) == Some(id) {
                    show_plan("ct-", &cost);
                }
            }
            Reply::Progress { id, done, total } => {
                let mine = self.state.borrow().running.as_ref().map(|r| r.id) == Some(id);
                if mine {
                    self.show_progress(done, total);
                }
            }
            Reply::Refused { id, message } => {
                let mine = {
                    let mut s = self.state.borrow_mut();
                    let mine =
                        s.running.as_ref().map(|r| r.id) == Some(id) || s.csv_request == Some(id);
                    if mine {
                        s.running = None;
                        s.csv_request = None;
                    }
                    mine
                };
                if mine {
                    self.show_running(false);
                    self.render();
                    show_refusal(&self.root, "ct-", &with_labels::<CtParams>(&message, true));
                }
            }
            Reply::CrowdTrain { id, result } => {
                if self.state.borrow().csv_request == Some(id) {
                    self.state.borrow_mut().csv_request = None;
                    self.save(
                        "flywheel-crowdtrain-records.csv",
                        "text/csv",
                        &result.records_csv(),
                    );
                    self.show_share_msg("CSV downloaded: every run's monthly records.");
                    return;
                }
                let finished = {
                    let mut s = self.state.borrow_mut();
                    match s.running.take() {
                        Some(r) if r.id == id => {
                            s.last_ms = now_ms() - r.started;
                            s.last_id = id;
                            s.last_worker = None;
                            s.result = Some((*result, r.params));
                            true
                        }
                        other => {
                            s.running = other;
                            false
                        }
                    }
                };
                if finished {
                    if let Some(e) = by_id("ct-worker-error") {
                        set_hidden(&e, true);
                    }
                    self.show_running(false);
                    self.show_finished();
                    self.render();
                }
            }
            Reply::Failed { id, message } => {
                let mine = {
                    let s = self.state.borrow();
                    id.is_some() && (id == s.running.as_ref().map(|r| r.id) || id == s.csv_request)
                };
                if mine {
                    {
                        let mut s = self.state.borrow_mut();
                        s.running = None;
                        s.csv_request = None;
                    }
                    self.show_running(false);
                    self.show_worker_error(&message, false);
                    self.render();
                }
            }
            Reply::Crashed { message, .. } => {
                let was_busy = {
                    let mut s = self.state.borrow_mut();
                    let busy = s.running.is_some() || s.csv_request.is_some();
                    s.running = None;
                    s.csv_request = None;
                    busy
                };
                self.show_running(false);
                if was_busy {
                    self.show_worker_error(&message, true);
                }
                self.render();
            }
            // A request sent before the worker was ready goes out now: time it from here.
            Reply::Ready => {
                if let Some(r) = self.state.borrow_mut().running.as_mut() {
                    r.started = now_ms();
                }
            }
            Reply::Timing {
                id,
                worker_ms,
                memory_bytes,
            } => {
                let mine = self.state.borrow().last_id == id;
                if mine {
                    self.state.borrow_mut().last_worker = Some((worker_ms, memory_bytes));
                    self.show_finished();
                }
            }
            Reply::CommonsAbc { .. } | Reply::Hatch { .. } | Reply::DataDao { .. } => {}
        }
    }

    fn show_worker_error(&self, message: &str, restarted: bool) {
        if let Some(e) = by_id("ct-worker-error") {
            let tail = if restarted {
                " A fresh worker has been started: press Run or change a parameter to go on."
            } else {
                ""
            };
            e.set_text_content(Some(&format!("The simulation stopped: {message}.{tail}")));
            set_hidden(&e, false);
        }
    }

    /// Says (and shows, by dimming the charts) when the charts are not of the panel's parameters.
    fn show_stale(&self) {
        let s = self.state.borrow();
        let running = s.running.is_some() || self.debounce.pending();
        let stale = s
            .result
            .as_ref()
            .is_some_and(|(_, shown)| *shown != s.params);
        if let Some(e) = by_id("ct-stale") {
            e.set_text_content(Some(if running {
                "The charts show the previous parameters until this Monte Carlo finishes."
            } else {
                "The charts show earlier parameters: press Run to compute the ones in the panel."
            }));
            set_hidden(&e, !stale);
        }
        let _ = self
            .root
            .set_attribute("data-stale", if stale { "true" } else { "false" });
    }

    /// The run bar's line after a Monte Carlo finished.
    fn show_finished(&self) {
        hide_plan("ct-");
        let s = self.state.borrow();
        let Some((r, p)) = &s.result else { return };
        let mut text = format!(
            "{} runs × {} months: {} ms",
            r.runs.len(),
            p.months(),
            fixed(s.last_ms, 0)
        );
        if let Some((worker_ms, memory)) = s.last_worker {
            text.push_str(&format!(
                " ({} ms in the worker) · worker memory {} MB",
                fixed(worker_ms, 0),
                fixed(memory / 1048576.0, 1)
            ));
        }
        if let Some(t) = by_id("ct-run-text") {
            t.set_text_content(Some(&text));
            let _ = t.set_attribute("data-total-ms", &shortest(s.last_ms));
            if let Some((worker_ms, memory)) = s.last_worker {
                let _ = t.set_attribute("data-worker-ms", &shortest(worker_ms));
                let _ = t.set_attribute("data-memory-bytes", &shortest(memory));
            }
        }
    }

    /// Shows the last finished result: problems, metrics, charts, and whether it is stale.
    fn render(&self) {
        let t0 = now_ms();
        let s = self.state.borrow();
        let issues: Vec<&ParamIssue> = s.link_issues.iter().collect();
        show_issues("ct-issues", &issues);
        let Some((r, shown)) = &s.result else {
            return;
        };
        let price_model = shown.price_model;
        for (label, key, shown_as) in METRICS {
            let Some(stat) = r.stat(key) else { continue };
            if let Some(e) = by_id(&format!("ct-m-{key}")) {
                e.set_text_content(Some(&shown_as.text(stat.mean, price_model)));
                let card_label = e
                    .closest(".metric")
                    .ok()
                    .flatten()
                    .and_then(|card| card.query_selector(".metric-label").ok().flatten());
                if let Some(l) = card_label {
                    l.set_text_content(Some(&shown_as.label(label, price_model)));
                }
            }
            if let Some(e) = by_id(&format!("ct-m-{key}-sub")) {
                e.set_text_content(Some(&shown_as.spread(stat.std, price_model)));
            }
        }
        if let Some(e) = by_id("ct-m-active_operators_final-sub") {
            if let Some(ever) = r.stat("total_operators_ever") {
                e.set_text_content(Some(&format!(
                    "of {} ever onboarded",
                    Shown::Count.text(ever.mean, price_model)
                )));
            }
        }
        // Every statistic at full precision, named as in the CLI's JSON, for tests and checks.
        if let Some(m) = by_id("ct-metrics") {
            for st in &r.stats {
                for (suffix, x) in [("mean", st.mean), ("std", st.std)] {
                    let attr = format!("data-{}-{suffix}", st.name.replace('_', "-"));
                    let _ = m.set_attribute(&attr, &shortest(x));
                }
            }
            let _ = m.set_attribute("data-runs", &r.runs.len().to_string());
            let _ = m.set_attribute("data-seed", &shown.seed().to_string());
            let _ = m.set_attribute("data-months", &shown.months().to_string());
        }
        let fragment = encode(shown);
        let last_ms = s.last_ms;
        let running = s.running.is_some() || self.debounce.pending();
        drop(s);
        self.show_stale();
        self.draw_charts();
        let drawn = now_ms() - t0;
        if let Some(e) = by_id("ct-timing") {
            e.set_text_content(Some(&format!(
                "Monte Carlo {} ms · charts drawn in {} ms · runs entirely in your browser",
                fixed(last_ms, 0),
                fixed(drawn, 0)
            )));
        }
        if !running {
            set_status(&self.root, "ready", Some(&fragment));
        }
    }

    fn draw_charts(&self) {
        let s = self.state.borrow();
        let Some((r, p)) = &s.result else { return };
        for (chart, _, _) in CHARTS {
            let id = format!("ct-chart-{}", chart.name());
            let Some(c) = by_id(&id).and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()) else {
                continue;
            };
            if let Err(e) =
                canvas::draw(&c, |root, theme| chart.draw(root, r, p.price_model, theme))
            {
                web_sys::console::error_1(&format!("{} chart: {e}", chart.name()).into());
            }
            set_chart_summary(&id, &chart.summary(r, p.price_model));
        }
    }

    fn show_share_msg(&self, msg: &str) {
        share_msg("ct-", msg);
    }

    fn copy_link(&self) {
        copy_link(
            "ct-",
            &self.fragment(),
            "Link copied. It reproduces exactly this Monte Carlo: parameters, runs and seed.",
        );
    }

    /// The CSV needs every run's records, which the page does not keep: the worker runs the
    /// same seeded Monte Carlo again and sends them (the numbers are the same by construction).
    fn export_csv(self: &Rc<Self>) {
        let params = match &self.state.borrow().result {
            Some((_, p)) => p.clone(),
            None => return,
        };
        if let Some(old) = self.state.borrow_mut().csv_request.take() {
            self.worker.cancel(old);
        }
        let id = self.worker.send(Command::CrowdTrain {
            params,
            records: true,
        });
        self.state.borrow_mut().csv_request = Some(id);
        self.show_share_msg("Preparing the CSV: the worker is collecting every run's records…");
    }

    fn export_json(&self) {
        let s = self.state.borrow();
        let Some((r, p)) = &s.result else { return };
        let mut summary = serde_json::Map::new();
        for st in &r.stats {
            summary.insert(format!("{}_mean", st.name), st.mean.into());
            summary.insert(format!("{}_std", st.name), st.std.into());
        }
        let doc = serde_json::json!({
            "link": encode(p),
            "params": p,
            "summary": summary,
            "result": r,
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.save("flywheel-crowdtrain.json", "application/json", &text);
    }

    fn export_svg(&self, chart: CrowdTrainChart) {
        let s = self.state.borrow();
        let Some((r, p)) = &s.result else { return };
        match chart.svg(r, p.price_model) {
            Ok(svg) => self.save(
                &format!("flywheel-crowdtrain-{}.svg", chart.name()),
                "image/svg+xml",
                &svg,
            ),
            Err(e) => self.show_share_msg(&format!("Could not draw the SVG: {e}")),
        }
    }

    fn save(&self, name: &str, mime: &str, content: &str) {
        save("ct-", name, mime, content);
    }
}
