//! The research view: the autoresearch loop of a model, run by the page across all its workers.
//!
//! The engine (`flywheel_core::research`) lives on the page: it proposes a batch of designs, the
//! view splits their runs into tasks for the workers of its own pool, puts the scores back
//! together in order and tells the engine, which decides in order. So the page's results are the
//! CLI's for the same link, at any number of workers. Start, Pause, Resume and Stop act between
//! tasks: Pause drops the tasks in flight and Resume sends the same batch again.
//!
//! A research view is generic over a [`ResearchPage`] (the model's research data plus what the
//! page shows of it), so the Commons' research view is one more `impl` and one line in `app.rs`.
//!
//! Element ids start with [`ResearchPage::PREFIX`]: `{prefix}start`, `{prefix}pause`,
//! `{prefix}stop`, `{prefix}workers`, `{prefix}run-text`, `{prefix}progress`, `{prefix}metrics`
//! (its `data-*` carry the numbers at full precision), `{prefix}table`, `{prefix}history`,
//! `{prefix}apply-best`, `{prefix}summary`, `{prefix}chart-{name}`, `{prefix}svg-{name}`,
//! `{prefix}export-{tsv,json}`, `{prefix}fixed-{dim}`.

use crate::canvas;
use crate::dom::{by_id, cores, el, now_ms, on, set_hidden};
use crate::info::InfoSection;
use crate::panel::{OnChange, Panel};
use crate::view::{Groups, Tab};
use crate::widgets::{
    apply_edit, banners, button, chart_card, copy_link, info_box, mark_presets, metric_card,
    note_edit, on_click, presets_group, redraw_on_resize, run_bar, save, set_chart_summary,
    set_status, share_bar, share_msg, show_issues, toolbar, what_is_it, write_url,
};
use crate::worker_client::{reply_id, WorkerPool, MAX_WORKERS};
use flywheel_charts::research::ResearchChart;
use flywheel_core::codec::{decode, encode};
use flywheel_core::format::{duration_ms, fixed, plural, readable, shortest};
use flywheel_core::params::{with_labels, ParamIssue, ParamModel, Preset};
use flywheel_core::protocol::Reply;
use flywheel_core::research::{
    assemble, signed, tasks, Report, Research, ResearchParams, Researchable, RunScore, Stage, Task,
};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement};

/// What the page shows of a model's research.
pub trait ResearchPage: Researchable {
    /// The start of the view's element ids (`"rs-"`).
    const PREFIX: &'static str;
    /// The navigation label (`"CrowdTrain research · autoresearch"`), the title and the line under it.
    const NAV: &'static str;
    const TITLE: &'static str;
    const LEDE: &'static str;
    const INFO: &'static [InfoSection];
    /// The panel's groups: the research settings, then the model's.
    const GROUPS: Groups;
    const PRESETS: &'static [Preset];
    /// The model's preset `name` (its economy; run settings stay).
    fn preset(name: &str, current: &Self::Params) -> Option<Self::Params>;
    /// Under the results table: what its columns are.
    const TABLE_NOTE: &'static str;
}

/// Where the research is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// Nothing started, or finished.
    Idle,
    Running,
    Paused,
}

/// The tasks of the job in flight.
struct InFlight {
    stage: Stage,
    designs: usize,
    tasks: Vec<(u32, Task)>,
    done: Vec<(Task, Vec<RunScore>)>,
    /// When it was sent, and its Monte Carlo runs in all.
    sent: f64,
    runs: u32,
    /// The analysis' estimated time (validation, sensitivity: one long job each).
    estimate_ms: f64,
}

impl InFlight {
    fn runs_done(&self) -> u32 {
        self.done.iter().map(|(t, _)| t.count).sum()
    }

    /// The time left: the estimate's, leaning on the pace of the runs done as they add up (so
    /// one early task does not throw the figure about).
    fn left_ms(&self, now: f64) -> f64 {
        let elapsed = now - self.sent;
        let planned = (self.estimate_ms - elapsed).max(0.0);
        let done = self.runs_done();
        if done == 0 {
            return planned;
        }
        let f = f64::from(done) / f64::from(self.runs.max(1));
        let paced = elapsed * (1.0 - f) / f;
        (1.0 - f) * planned + f * paced
    }
}

struct State<M: ResearchPage> {
    params: ResearchParams<M>,
    link_issues: Vec<ParamIssue>,
    engine: Option<Research<M>>,
    /// The parameters the engine started from.
    started_with: Option<ResearchParams<M>>,
    mode: Mode,
    flight: Option<InFlight>,
    /// Rows of the results table already on the page.
    rows: usize,
    /// For the speed: when the current stretch of running began, and the experiments then.
    since: (f64, usize),
    /// The run bar's clock is ticking (one timer at a time).
    ticking: bool,
    /// The last report drawn.
    report: Option<Report>,
    /// The search's pace on this page: milliseconds and Monte Carlo runs of its finished jobs
    /// (for the analysis' estimate).
    pace: (f64, f64),
}

/// A research view of model `M`, with its own pool of workers.
pub struct ResearchView<M: ResearchPage> {
    me: Weak<ResearchView<M>>,
    root: Element,
    panel: Panel,
    pool: WorkerPool,
    state: RefCell<State<M>>,
}

const CHARTS: [(ResearchChart, &str, &str); 3] = [
    (
        ResearchChart::History,
        "Every experiment's score",
        "Each point is one experiment (the design's whole Monte Carlo): kept changes in orange, discarded ones grey; the line is the best score so far, the dashed line the baseline (the black point).",
    ),
    (
        ResearchChart::Parts,
        "Sub-scores: baseline against best",
        "Each sub-score (0 to 1) of the baseline, the best design, and the best design on 200 fresh seeds (validation).",
    ),
    (
        ResearchChart::Tornado,
        "Sensitivity around the best design",
        "The score with one parameter moved 10% of its search range down and up from the best design, the largest swings first. Computed after the search.",
    ),
];

impl<M: ResearchPage> ResearchView<M> {
    pub fn create() -> Rc<ResearchView<M>> {
        Rc::new_cyclic(|me: &Weak<ResearchView<M>>| {
            let on_edit = me.clone();
            let on_change: OnChange = Rc::new(move |name, text| {
                if let Some(v) = on_edit.upgrade() {
                    v.edit(name, &text);
                }
            });
            let on_reply = me.clone();
            ResearchView {
                me: me.clone(),
                root: el("main")
                    .class("layout")
                    .id(<ResearchParams<M> as ParamModel>::TAB)
                    .build(),
                panel: Panel::new::<ResearchParams<M>>(M::GROUPS, on_change),
                pool: WorkerPool::new(
                    crate::app::WORKER_URL,
                    MAX_WORKERS,
                    cores(),
                    move |reply: Reply| {
                        if let Some(v) = on_reply.upgrade() {
                            v.on_reply(reply);
                        }
                    },
                ),
                state: RefCell::new(State {
                    params: ResearchParams::default(),
                    link_issues: Vec::new(),
                    engine: None,
                    started_with: None,
                    mode: Mode::Idle,
                    flight: None,
                    rows: 0,
                    since: (0.0, 0),
                    ticking: false,
                    report: None,
                    pace: (0.0, 0.0),
                }),
            }
        })
    }

    fn rc(&self) -> Rc<Self> {
        self.me.upgrade().expect("a view lives as long as the page")
    }

    fn id(suffix: &str) -> String {
        format!("{}{suffix}", M::PREFIX)
    }

    fn fragment(&self) -> String {
        encode(&self.state.borrow().params)
    }

    fn write_url(&self) {
        write_url(
            &self.root,
            <ResearchParams<M> as ParamModel>::TAB,
            &self.fragment(),
        );
    }

    // ---- parameters ----

    fn edit(&self, name: &'static str, text: &str) {
        let taken = {
            let s = &mut *self.state.borrow_mut();
            apply_edit(&mut s.params, &mut s.link_issues, &self.panel, name, text)
        };
        if taken {
            note_edit(&self.root);
            self.params_changed();
        }
    }

    fn set_params(&self, p: ResearchParams<M>) {
        self.panel.show(&p);
        self.show_fixed(&p);
        self.state.borrow_mut().params = p;
        self.params_changed();
    }

    fn params_changed(&self) {
        self.write_url();
        self.show_presets();
        self.render();
    }

    fn apply_preset(&self, name: &str) {
        let chosen = {
            let s = self.state.borrow();
            M::preset(name, &s.params.start).map(|start| ResearchParams {
                start,
                ..s.params.clone()
            })
        };
        if let Some(p) = chosen {
            note_edit(&self.root);
            self.state.borrow_mut().link_issues.clear();
            self.panel.clear_errors();
            self.set_params(p);
        }
    }

    fn reset_all(&self) {
        note_edit(&self.root);
        self.state.borrow_mut().link_issues.clear();
        self.panel.clear_errors();
        self.set_params(ResearchParams::default());
    }

    fn show_presets(&self) {
        let start = self.state.borrow().params.start.clone();
        let active = M::PRESETS
            .iter()
            .find(|p| M::preset(p.name, &start).as_ref() == Some(&start));
        mark_presets(
            M::PREFIX,
            M::PRESETS,
            active.map(|p| p.name),
            "Custom start design: no preset matches.",
        );
    }

    /// The search space's checkboxes: a parameter ticked is searched.
    fn space_box(&self) -> Element {
        let mut list = el("ul").class("space-list");
        for dim in M::space() {
            let id = Self::id(&format!("fixed-{}", dim_id(dim.name)));
            list = list.child(
                el("li").child(
                    el("label")
                        .child(
                            el("input")
                                .attr("type", "checkbox")
                                .id(&id)
                                .attr("checked", "")
                                .attr("data-dim", dim.name),
                        )
                        .child(el("span").class("dim-name").text(dim.name))
                        .child(el("span").class("dim-range").text(&format!(
                            " {} – {}",
                            shortest(dim.lo),
                            shortest(dim.hi)
                        )))
                        .child(if dim.assumption {
                            el("span")
                                .class("dim-kind assumption")
                                .text("assumption about people")
                        } else {
                            el("span").class("dim-kind lever").text("design lever")
                        }),
                ),
            );
        }
        let assumptions = M::space().iter().filter(|d| d.assumption).count();
        let mut space = el("fieldset")
            .class("group")
            .id(&Self::id("space"))
            .child(el("legend").text("Search space"))
            .child(el("p").class("note").text(
                "Ticked parameters may change, within these ranges; the others stay as in the start design. Design levers are what a designer sets; assumptions about people (how they behave) are not, and a search that changes them can win by assuming people behave better.",
            ));
        if assumptions > 0 {
            space = space.child(
                el("label")
                    .class("check hold-assumptions")
                    .child(
                        el("input")
                            .attr("type", "checkbox")
                            .id(&Self::id("hold-assumptions")),
                    )
                    .child(el("span").text(&format!(
                    "Hold the {} assumptions about people fixed (search the design's levers alone)",
                    assumptions
                ))),
            );
        }
        space.child(list).build()
    }

    fn show_fixed(&self, p: &ResearchParams<M>) {
        for dim in M::space() {
            let id = Self::id(&format!("fixed-{}", dim_id(dim.name)));
            if let Some(b) = by_id(&id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                b.set_checked(!p.fixed.iter().any(|f| f == dim.name));
            }
        }
        let held = M::space()
            .iter()
            .filter(|d| d.assumption)
            .all(|d| p.fixed.iter().any(|f| f == d.name));
        if let Some(b) =
            by_id(&Self::id("hold-assumptions")).and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            b.set_checked(held);
        }
    }

    /// The one switch: every assumption about people fixed (ticked) or free (unticked), the
    /// levers as they are.
    fn hold_assumptions(&self, hold: bool) {
        let mut fixed: Vec<&str> = M::space()
            .iter()
            .filter(|d| {
                !d.assumption && self.state.borrow().params.fixed.iter().any(|f| f == d.name)
            })
            .map(|d| d.name)
            .collect();
        if hold {
            fixed.extend(M::space().iter().filter(|d| d.assumption).map(|d| d.name));
        }
        self.set_fixed(&fixed);
    }

    /// The parameters `fixed` stay as in the start design (at least one must be searched).
    fn set_fixed(&self, fixed: &[&str]) {
        if fixed.len() < M::space().len() {
            note_edit(&self.root);
            self.state.borrow_mut().params.set_fixed(fixed);
        } else {
            self.say("Leave at least one parameter to search.");
        }
        let p = self.state.borrow().params.clone();
        self.show_fixed(&p);
        self.params_changed();
    }

    fn fixed_changed(&self) {
        let fixed: Vec<&str> = M::space()
            .iter()
            .filter(|dim| {
                let id = Self::id(&format!("fixed-{}", dim_id(dim.name)));
                by_id(&id)
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                    .is_some_and(|b| !b.checked())
            })
            .map(|d| d.name)
            .collect();
        self.set_fixed(&fixed);
    }

    // ---- running ----

    fn start(&self) {
        let params = self.state.borrow().params.clone();
        let settings = params.settings();
        let check = settings
            .check::<M>()
            .and_then(|()| M::cost(&params.start).check());
        if let Err(message) = check {
            self.show_error(&with_labels::<ResearchParams<M>>(&message, true));
            set_status(&self.root, "refused", None);
            return;
        }
        self.cancel_flight();
        self.hide_error();
        {
            let mut s = self.state.borrow_mut();
            s.engine = Some(Research::new(&params.start, settings));
            s.started_with = Some(params);
            s.mode = Mode::Running;
            s.rows = 0;
            s.since = (now_ms(), 0);
            // The pace of this research alone (its design and workers).
            s.pace = (0.0, 0.0);
            s.report = None;
        }
        if let Some(t) = by_id(&Self::id("table-body")) {
            t.set_inner_html("");
        }
        self.dispatch();
        self.render();
    }

    fn pause(&self) {
        if self.state.borrow().mode != Mode::Running {
            return;
        }
        self.cancel_flight();
        self.state.borrow_mut().mode = Mode::Paused;
        self.render();
    }

    fn resume(&self) {
        if self.state.borrow().mode != Mode::Paused {
            return;
        }
        let done = self.experiments();
        {
            let mut s = self.state.borrow_mut();
            s.mode = Mode::Running;
            s.since = (now_ms(), done);
        }
        self.hide_error();
        self.dispatch();
        self.render();
    }

    /// Ends the search (the analysis follows); a second press skips the analysis.
    fn stop(&self) {
        let mode = self.state.borrow().mode;
        if mode == Mode::Idle {
            return;
        }
        self.cancel_flight();
        {
            let mut s = self.state.borrow_mut();
            if let Some(e) = s.engine.as_mut() {
                if e.stage() == Stage::Search {
                    e.stop();
                } else {
                    e.finish_now();
                }
            }
            s.mode = Mode::Running;
        }
        self.dispatch();
        self.render();
    }

    fn cancel_flight(&self) {
        let flight = self.state.borrow_mut().flight.take();
        if let Some(f) = flight {
            let ids: Vec<u32> = f.tasks.iter().map(|(id, _)| *id).collect();
            self.pool.cancel_all(&ids);
        }
    }

    fn experiments(&self) -> usize {
        self.state
            .borrow()
            .engine
            .as_ref()
            .map_or(0, |e| e.experiments().len())
    }

    /// Sends the engine's next job to the workers, or finishes.
    fn dispatch(&self) {
        let job = {
            let mut s = self.state.borrow_mut();
            if s.mode != Mode::Running || s.flight.is_some() {
                return;
            }
            match s.engine.as_mut().and_then(|e| e.job()) {
                Some(job) => job,
                None => {
                    s.mode = Mode::Idle;
                    drop(s);
                    self.render();
                    return;
                }
            }
        };
        let list = tasks(&job, M::runs, self.pool.size());
        let runs: u32 = job.designs.iter().map(M::runs).sum();
        let estimate_ms = if job.stage == Stage::Search {
            0.0
        } else {
            self.analysis_estimate(&job.designs, runs)
        };
        let sent: Vec<(u32, Task)> = list
            .into_iter()
            .map(|t| {
                let command = M::command(&job.designs[t.item], t.first, t.count);
                (self.pool.send(command), t)
            })
            .collect();
        self.state.borrow_mut().flight = Some(InFlight {
            stage: job.stage,
            designs: job.designs.len(),
            tasks: sent,
            done: Vec::new(),
            sent: now_ms(),
            runs,
            estimate_ms,
        });
        if job.stage != Stage::Search {
            self.tick();
        }
    }

    /// How long an analysis job of `runs` Monte Carlo runs will take: at the search's pace on
    /// this page, or (stopped before any search job finished) by the model's cost estimate
    /// spread over the workers.
    fn analysis_estimate(&self, designs: &[M::Params], runs: u32) -> f64 {
        let (ms, done) = self.state.borrow().pace;
        if done > 0.0 {
            return ms / done * f64::from(runs);
        }
        let workers = self.pool.size();
        designs
            .iter()
            .map(|d| M::cost(d).spread(workers, cores()).estimate(true))
            .sum()
    }

    /// While an analysis job runs, the run bar's time left follows the clock (one timer at a
    /// time, however often the analysis is sent).
    fn tick(&self) {
        if std::mem::replace(&mut self.state.borrow_mut().ticking, true) {
            return;
        }
        self.tick_on();
    }

    fn tick_on(&self) {
        let me = self.rc();
        crate::dom::after(1000, move || {
            let analysing = {
                let s = me.state.borrow();
                s.mode == Mode::Running
                    && s.flight.as_ref().is_some_and(|f| f.stage != Stage::Search)
            };
            if analysing {
                me.render_controls();
                me.tick_on();
            } else {
                me.state.borrow_mut().ticking = false;
            }
        });
    }

    fn on_reply(&self, reply: Reply) {
        match reply {
            Reply::Scores { id, scores } => self.on_scores(id, scores),
            Reply::Refused { id, message }
            | Reply::Failed {
                id: Some(id),
                message,
            } => {
                if self.owns(id) {
                    self.halt(&message);
                }
            }
            Reply::Crashed { id, message } => {
                if id.is_none_or(|id| self.owns(id)) && self.state.borrow().flight.is_some() {
                    self.halt(&message);
                }
            }
            other => {
                if let Some(id) = reply_id(&other) {
                    if self.owns(id) {
                        self.halt("an unexpected reply");
                    }
                }
            }
        }
    }

    fn owns(&self, id: u32) -> bool {
        self.state
            .borrow()
            .flight
            .as_ref()
            .is_some_and(|f| f.tasks.iter().any(|(i, _)| *i == id))
    }

    /// A worker failed: the research pauses (Resume sends the batch again).
    fn halt(&self, message: &str) {
        self.cancel_flight();
        self.state.borrow_mut().mode = Mode::Paused;
        self.show_error(&format!(
            "The research paused: {message}. Resume sends the interrupted batch again."
        ));
        self.render();
    }

    fn on_scores(&self, id: u32, scores: Vec<RunScore>) {
        let finished = {
            let mut s = self.state.borrow_mut();
            let Some(f) = s.flight.as_mut() else { return };
            let Some(task) = f.tasks.iter().find(|(i, _)| *i == id).map(|(_, t)| *t) else {
                return;
            };
            f.done.push((task, scores));
            if f.done.len() == f.tasks.len() {
                s.flight.take()
            } else {
                None
            }
        };
        let Some(f) = finished else { return };
        {
            let mut s = self.state.borrow_mut();
            if f.stage == Stage::Search {
                s.pace.0 += now_ms() - f.sent;
                s.pace.1 += f64::from(f.runs);
            }
            if let Some(e) = s.engine.as_mut() {
                e.tell(f.stage, assemble(f.designs, f.done));
            }
        }
        self.dispatch();
        self.render();
    }

    fn set_workers(&self, n: usize) {
        let n = n.clamp(1, MAX_WORKERS);
        // The field shows the count in use (a value out of range is brought into it).
        if let Some(i) =
            by_id(&Self::id("workers")).and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            i.set_value(&n.to_string());
        }
        if n == self.pool.size() {
            return;
        }
        // The batch in flight is sent again over the new number of workers (same results).
        let running = self.state.borrow().flight.is_some();
        self.cancel_flight();
        self.pool.resize(n);
        let done = self.experiments();
        {
            let mut s = self.state.borrow_mut();
            s.since = (now_ms(), done);
            // Another number of workers, another pace.
            s.pace = (0.0, 0.0);
        }
        if running {
            self.dispatch();
        }
        self.render();
    }

    // ---- showing ----

    fn show_error(&self, message: &str) {
        if let Some(e) = by_id(&Self::id("worker-error")) {
            e.set_text_content(Some(message));
            set_hidden(&e, false);
        }
    }

    fn hide_error(&self) {
        if let Some(e) = by_id(&Self::id("worker-error")) {
            set_hidden(&e, true);
        }
    }

    fn say(&self, message: &str) {
        share_msg(M::PREFIX, message);
    }

    fn render(&self) {
        let report = {
            let s = self.state.borrow();
            s.engine.as_ref().map(|e| e.report())
        };
        self.state.borrow_mut().report = report;
        self.render_controls();
        self.render_numbers();
        self.render_table();
        self.render_history();
        self.draw_charts();
        let s = self.state.borrow();
        let issues: Vec<&ParamIssue> = s.link_issues.iter().collect();
        show_issues(&Self::id("issues"), &issues, &s.params.notes());
        let stale = s.started_with.as_ref().is_some_and(|p| *p != s.params);
        if let Some(e) = by_id(&Self::id("stale")) {
            set_hidden(&e, !stale);
        }
        let busy = s.mode == Mode::Running;
        drop(s);
        if !busy {
            let fragment = self.fragment();
            set_status(&self.root, "ready", Some(&fragment));
        } else {
            set_status(&self.root, "computing", None);
        }
    }

    fn render_controls(&self) {
        let s = self.state.borrow();
        let stage = s.engine.as_ref().map(|e| e.stage());
        let set = |id: &str, enabled: bool, label: Option<&str>| {
            if let Some(b) = by_id(&Self::id(id)) {
                let _ = if enabled {
                    b.remove_attribute("disabled")
                } else {
                    b.set_attribute("disabled", "")
                };
                if let Some(l) = label {
                    b.set_text_content(Some(l));
                }
            }
        };
        let searching = stage == Some(Stage::Search);
        // Not while paused: Start again would throw the paused research away.
        set(
            "start",
            s.mode == Mode::Idle,
            Some(if s.engine.is_some() {
                "Start again"
            } else {
                "Start"
            }),
        );
        set(
            "pause",
            s.mode != Mode::Idle,
            Some(if s.mode == Mode::Paused {
                "Resume"
            } else {
                "Pause"
            }),
        );
        set(
            "stop",
            s.mode != Mode::Idle,
            Some(if searching || s.mode == Mode::Idle {
                "Stop"
            } else {
                "Skip the analysis"
            }),
        );
        let has_best = s.report.as_ref().is_some_and(|r| r.best_params.is_some());
        set("apply-best", has_best, None);
        set("export-tsv", s.engine.is_some(), None);
        set("export-json", has_best, None);
        if let Some(bar) = by_id(&Self::id("run-bar")) {
            let _ = bar.set_attribute(
                "data-running",
                if s.mode == Mode::Running {
                    "true"
                } else {
                    "false"
                },
            );
        }
        let Some(r) = &s.report else {
            if let Some(t) = by_id(&Self::id("run-text")) {
                t.set_text_content(Some(&format!(
                    "Press Start: {} experiments, each a {}-run Monte Carlo of a design, on {}.",
                    s.params.budget,
                    M::runs(&s.params.start),
                    plural(self.pool.size() as f64, "worker")
                )));
            }
            return;
        };
        let budget = r.settings.budget as usize;
        let n = r.experiments as usize;
        let elapsed_min = (now_ms() - s.since.0) / 60_000.0;
        // A rate only once it means something (a few seconds of work).
        let rate = if elapsed_min > 0.05 && n > s.since.1 {
            (n - s.since.1) as f64 / elapsed_min
        } else {
            0.0
        };
        let best = r
            .best_score
            .map(|b| {
                format!(
                    " · best {} (experiment {})",
                    fixed(b, 4),
                    r.best_experiment.unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let speed = if rate > 0.0 {
            format!(" · {} experiments a minute", fixed(rate, 0))
        } else {
            String::new()
        };
        let workers = plural(self.pool.size() as f64, "worker");
        // The analysis (one long job a stage): its runs and the time left.
        let analysis = s
            .flight
            .as_ref()
            .filter(|f| f.stage != Stage::Search && f.stage == r.stage);
        let left = analysis.map_or(String::new(), |f| {
            format!(
                " ({} runs) · about {} left",
                readable(f64::from(f.runs)),
                duration_ms(f.left_ms(now_ms()).max(1000.0))
            )
        });
        let text = match (s.mode, r.stage) {
            (Mode::Running, Stage::Search) => {
                format!(
                    "Experiment {} of {budget}{best} · {workers}{speed}",
                    n.min(budget)
                )
            }
            (Mode::Paused, Stage::Search) => {
                format!("Paused after {n} of {budget} experiments{best}")
            }
            (Mode::Running, Stage::Validation) => {
                // A second design: the best one with its assumptions about people put back.
                let reset = if analysis.is_some_and(|f| f.designs > 1) {
                    " and re-scoring it with its assumptions about people put back"
                } else {
                    ""
                };
                format!(
                    "Validating the best design on 200 fresh seeds{reset}{left}{best} · {workers}"
                )
            }
            (Mode::Running, Stage::Sensitivity) => {
                format!("Measuring the sensitivity around the best design{left}{best} · {workers}")
            }
            (Mode::Paused, _) => format!("Paused during the analysis{best}"),
            (_, Stage::Done) | (Mode::Idle, _) => format!(
                "Finished: {n} experiments{}{best}",
                if r.stopped { " (stopped early)" } else { "" }
            ),
        };
        if let Some(t) = by_id(&Self::id("run-text")) {
            t.set_text_content(Some(&text));
            let _ = t.set_attribute("data-rate", &format!("{rate:.1}"));
        }
        if let Some(p) = by_id(&Self::id("progress")) {
            let f = match (r.stage, analysis) {
                (Stage::Search, _) => n as f64 / budget.max(1) as f64,
                (_, Some(a)) => f64::from(a.runs_done()) / f64::from(a.runs.max(1)),
                _ => 1.0,
            };
            let _ = p.set_attribute("value", &format!("{f:.4}"));
            set_hidden(&p, s.mode == Mode::Idle);
        }
    }

    fn render_numbers(&self) {
        let s = self.state.borrow();
        let Some(m) = by_id(&Self::id("metrics")) else {
            return;
        };
        let Some(r) = &s.report else {
            for key in ["baseline", "best", "validation", "kept"] {
                if let Some(e) = by_id(&Self::id(&format!("m-{key}"))) {
                    e.set_text_content(Some("—"));
                }
            }
            return;
        };
        let put = |key: &str, value: String, sub: String| {
            if let Some(e) = by_id(&Self::id(&format!("m-{key}"))) {
                e.set_text_content(Some(&value));
            }
            if let Some(e) = by_id(&Self::id(&format!("m-{key}-sub"))) {
                e.set_text_content(Some(&sub));
            }
        };
        let score = |x: Option<f64>| x.map_or("—".into(), |x| fixed(x, 4));
        put(
            "baseline",
            score(r.baseline_score),
            "the start design, experiment 1".into(),
        );
        put(
            "best",
            score(r.best_score),
            match (r.best_score, r.baseline_score, r.best_experiment) {
                (Some(b), Some(base), Some(n)) => {
                    format!(
                        "{} against the baseline · experiment {n}",
                        signed(b - base, 4)
                    )
                }
                _ => String::new(),
            },
        );
        put(
            "validation",
            score(r.validation_score),
            match (&r.validation, r.best_score) {
                (Some(v), Some(b)) => format!(
                    "± {} over {} fresh seeds · {} against the best",
                    fixed(v.std, 4),
                    v.runs,
                    signed(v.score - b, 4)
                ),
                _ => "after the search: the best design on 200 fresh seeds".into(),
            },
        );
        put(
            "kept",
            format!("{} of {}", r.kept, r.experiments.saturating_sub(1)),
            "changes kept (the baseline aside)".into(),
        );
        let attrs = [
            ("data-experiments", r.experiments.to_string()),
            ("data-kept", r.kept.to_string()),
            ("data-stage", format!("{:?}", r.stage).to_lowercase()),
            (
                "data-baseline-score",
                r.baseline_score.map(shortest).unwrap_or_default(),
            ),
            (
                "data-best-score",
                r.best_score.map(shortest).unwrap_or_default(),
            ),
            (
                "data-validation-score",
                r.validation_score.map(shortest).unwrap_or_default(),
            ),
            (
                "data-best-params",
                r.best_params.clone().unwrap_or_default(),
            ),
        ];
        for (k, v) in attrs {
            let _ = m.set_attribute(k, &v);
        }
        if let Some(e) = by_id(&Self::id("summary")) {
            e.set_text_content(Some(if r.summary.is_empty() {
                "The summary of what the research learned appears once the baseline is in."
            } else {
                &r.summary
            }));
        }
    }

    /// Appends the experiments not yet in the results table.
    fn render_table(&self) {
        let mut s = self.state.borrow_mut();
        let Some(body) = by_id(&Self::id("table-body")) else {
            return;
        };
        let Some(engine) = s.engine.as_ref() else {
            return;
        };
        let log = engine.experiments();
        let from = s.rows.min(log.len());
        for e in &log[from..] {
            let mut row = el("tr").class(if e.kept { "kept" } else { "discarded" });
            row = row
                .child(el("td").text(&e.number.to_string()))
                .child(el("td").text(&fixed(e.outcome.score, 4)));
            for x in &e.outcome.parts {
                row = row.child(el("td").text(&fixed(*x, 3)));
            }
            row = row.child(el("td").class("note-cell").text(&e.note()));
            let _ = body.append_child(&row.build());
        }
        s.rows = log.len();
    }

    /// The kept changes, each a link that opens that design in the model's tab.
    fn render_history(&self) {
        let s = self.state.borrow();
        let Some(list) = by_id(&Self::id("history")) else {
            return;
        };
        let Some(r) = &s.report else {
            list.set_inner_html("");
            return;
        };
        if list.child_element_count() as usize == r.history.len() {
            return;
        }
        list.set_inner_html("");
        for k in &r.history {
            let label = if k.changed.is_empty() {
                "the start design (baseline)".to_string()
            } else {
                k.changed.clone()
            };
            let item = el("li")
                .child(
                    el("span")
                        .class("hist-n")
                        .text(&format!("#{} ", k.experiment)),
                )
                .child(
                    el("span")
                        .class("hist-score")
                        .text(&format!("{} ", fixed(k.score, 4))),
                )
                .child(
                    el("a")
                        .attr("href", &k.fragment)
                        .attr("title", &k.why)
                        .text(&label),
                );
            let _ = list.append_child(&item.build());
        }
    }

    fn draw_charts(&self) {
        let s = self.state.borrow();
        let log: &[_] = s.engine.as_ref().map_or(&[], |e| e.experiments());
        let Some(report) = &s.report else {
            return;
        };
        for (chart, _, _) in CHARTS {
            let id = Self::id(&format!("chart-{}", chart.name()));
            let Some(c) = by_id(&id).and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()) else {
                continue;
            };
            if let Err(e) = canvas::draw(&c, |root, theme| chart.draw(root, log, report, theme)) {
                web_sys::console::error_1(&format!("{} chart: {e}", chart.name()).into());
            }
            set_chart_summary(&id, &chart.summary(log, report));
        }
    }

    fn export_svg(&self, chart: ResearchChart) {
        let s = self.state.borrow();
        let (Some(engine), Some(report)) = (&s.engine, &s.report) else {
            return;
        };
        match chart.svg(engine.experiments(), report) {
            Ok(svg) => save(
                M::PREFIX,
                &format!("flywheel-{}-{}.svg", M::RESEARCH_TAB, chart.name()),
                "image/svg+xml",
                &svg,
            ),
            Err(e) => self.say(&format!("Could not draw the SVG: {e}")),
        }
    }

    fn export_tsv(&self) {
        let tsv = self.state.borrow().engine.as_ref().map(|e| e.tsv());
        if let Some(tsv) = tsv {
            save(M::PREFIX, "results.tsv", "text/tab-separated-values", &tsv);
        }
    }

    fn export_json(&self) {
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };
        let experiments = s.engine.as_ref().map_or(&[][..], |e| e.experiments());
        let doc = serde_json::json!({
            "link": encode(s.started_with.as_ref().unwrap_or(&s.params)),
            "report": r,
            "experiments": experiments,
        });
        save(
            M::PREFIX,
            &format!("flywheel-{}.json", M::RESEARCH_TAB),
            "application/json",
            &serde_json::to_string_pretty(&doc).unwrap_or_default(),
        );
    }

    fn apply_best(&self) {
        let best = self
            .state
            .borrow()
            .report
            .as_ref()
            .and_then(|r| r.best_params.clone());
        if let Some(fragment) = best {
            let _ = crate::dom::window().location().set_hash(&fragment);
        }
    }

    // ---- building ----

    fn side(&self) -> Element {
        el("aside")
            .class("side")
            .child(
                el("div")
                    .class("side-head")
                    .child(el("h2").text("Research"))
                    .child(button(
                        "Reset all",
                        &Self::id("reset-all"),
                        "The reference design, a budget of 500 and research seed 1",
                    )),
            )
            .child(
                presets_group(M::PREFIX, M::PRESETS).child(
                    el("p").class("note").text(
                        "A preset sets the start design's economy; the research settings stay.",
                    ),
                ),
            )
            .child(self.panel.root.clone())
            .child(self.space_box())
            .build()
    }

    fn content(&self) -> Element {
        let actions = vec![
            button("Copy link", &Self::id("copy-link"), "Copy a link to this research: start design, budget and seed (the same link gives the same experiments)"),
            button("results.tsv", &Self::id("export-tsv"), "Download the results table as results.tsv (tab-separated, the seed's columns)"),
            button("JSON", &Self::id("export-json"), "Download the report: scores, history, sensitivity and summary"),
            button("Apply the best", &Self::id("apply-best"), "Open the best design in the model's tab"),
        ];
        let workers = el("label")
            .class("workers")
            .text("Workers ")
            .child(
                el("input")
                    .attr("type", "number")
                    .id(&Self::id("workers"))
                    .attr("min", "1")
                    .attr("max", &MAX_WORKERS.to_string())
                    .attr("value", &self.pool.size().to_string())
                    .attr(
                        "title",
                        &format!(
                            "Web workers evaluating experiments (this browser reports {}); the results do not depend on it",
                            plural(cores() as f64, "core")
                        ),
                    ),
            )
            .build();
        let cards = ["baseline", "best", "validation", "kept"].map(|k| {
            let label = match k {
                "baseline" => "Baseline score",
                "best" => "Best score",
                "validation" => "Validation score",
                _ => "Kept",
            };
            metric_card(M::PREFIX, label, k)
        });
        let head = el("tr")
            .child(el("th").text("#"))
            .child(el("th").text("score"))
            .children(
                M::PARTS
                    .iter()
                    .map(|p| el("th").attr("title", p.label).text(p.name).build()),
            )
            .child(el("th").text("notes"));
        let chart_cards = CHARTS.iter().map(|(chart, title, caption)| {
            chart_card(
                &Self::id(&format!("chart-{}", chart.name())),
                title,
                caption,
                &Self::id(&format!("svg-{}", chart.name())),
            )
        });
        el("section")
            .class("content")
            .child(toolbar(M::TITLE, M::LEDE, actions))
            .child(what_is_it(M::PREFIX, M::INFO))
            .child(share_bar(M::PREFIX))
            .children(banners(M::PREFIX))
            .child(run_bar(
                M::PREFIX,
                "Research",
                vec![
                    button("Start", &Self::id("start"), "Start the research from the design in the panel"),
                    button("Pause", &Self::id("pause"), "Pause now (the batch in flight is dropped and sent again on Resume)"),
                    button("Stop", &Self::id("stop"), "End the search now; the best design is then validated and its sensitivity measured"),
                    workers,
                ],
            ))
            .child(
                el("p")
                    .class("stale note")
                    .id(&Self::id("stale"))
                    .attr("hidden", "")
                    .text("The panel changed since this research started: the results are of the earlier settings; Start again runs the panel's."),
            )
            .child(
                el("div")
                    .class("metrics")
                    .id(&Self::id("metrics"))
                    .children(cards),
            )
            .child(
                el("div").class("chart-grid").children(chart_cards),
            )
            .child(
                el("section")
                    .class("card research-summary")
                    .child(el("h3").text("What the research learned"))
                    .child(el("p").id(&Self::id("summary"))),
            )
            .child(
                el("section")
                    .class("card")
                    .child(el("h3").text("Kept changes"))
                    .child(el("p").class("note").text(
                        "Each kept design, as a link that opens it in the model's tab (the change's reason on hover).",
                    ))
                    .child(el("ol").class("history-list").id(&Self::id("history"))),
            )
            .child(
                el("section")
                    .class("card")
                    .child(el("h3").text("Results (results.tsv)"))
                    .child(el("p").class("note").text(M::TABLE_NOTE))
                    .child(
                        el("div").class("table-wrap").child(
                            el("table")
                                .class("results")
                                .id(&Self::id("table"))
                                .child(el("thead").child(head))
                                .child(el("tbody").id(&Self::id("table-body"))),
                        ),
                    ),
            )
            .child(info_box(&Self::id("info"), M::INFO))
            .build()
    }

    fn load_link(&self, fragment: &str, issues: Vec<ParamIssue>) {
        let d = decode::<ResearchParams<M>>(fragment);
        let mut all = d.issues;
        all.extend(issues);
        let same = d.model == self.state.borrow().params;
        if same && all.is_empty() {
            self.write_url();
            self.render();
            return;
        }
        self.state.borrow_mut().link_issues = all;
        self.panel.clear_errors();
        self.set_params(d.model);
        // A link followed from the page (Info's examples): back to the top, where Start is.
        if !self.root.has_attribute("hidden") {
            crate::dom::window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// A dimension's name as an id: `tier_reward_multipliers[6]` → `tier_reward_multipliers-6`.
fn dim_id(name: &str) -> String {
    name.replace('[', "-").replace(']', "")
}

impl<M: ResearchPage> Tab for ResearchView<M> {
    fn name(&self) -> &'static str {
        <ResearchParams<M> as ParamModel>::TAB
    }

    fn label(&self) -> &'static str {
        M::NAV
    }

    fn root(&self) -> &Element {
        &self.root
    }

    fn mount(&self) {
        let _ = self.root.append_child(&self.side());
        let _ = self.root.append_child(&self.content());
        // The panel shows the defaults from the start: a link without parameters (the same
        // state) does not set them again.
        let params = self.state.borrow().params.clone();
        self.panel.show(&params);
        self.show_fixed(&params);
        let me = self.rc();
        on_click(&me, &Self::id("reset-all"), |v| v.reset_all());
        for p in M::PRESETS {
            on_click(&me, &Self::id(&format!("preset-{}", p.name)), move |v| {
                v.apply_preset(p.name)
            });
        }
        on_click(&me, &Self::id("start"), |v| v.start());
        on_click(&me, &Self::id("pause"), |v| {
            if v.state.borrow().mode == Mode::Paused {
                v.resume();
            } else {
                v.pause();
            }
        });
        on_click(&me, &Self::id("stop"), |v| v.stop());
        on_click(&me, &Self::id("apply-best"), |v| v.apply_best());
        on_click(&me, &Self::id("export-tsv"), |v| v.export_tsv());
        on_click(&me, &Self::id("export-json"), |v| v.export_json());
        on_click(&me, &Self::id("copy-link"), |v| {
            let stale = {
                let s = v.state.borrow();
                s.started_with.as_ref().is_some_and(|p| *p != s.params)
            };
            let message = if stale {
                "Link copied: the research set in the panel (Start runs it); the results shown are of earlier settings."
            } else {
                "Link copied: the same link gives the same experiments, in the page or with the command line."
            };
            copy_link(M::PREFIX, &v.fragment(), message)
        });
        for (chart, _, _) in CHARTS {
            on_click(&me, &Self::id(&format!("svg-{}", chart.name())), move |v| {
                v.export_svg(chart)
            });
        }
        if let Some(w) = by_id(&Self::id("workers")) {
            let v = me.clone();
            on(&w, "change", move |e: Event| {
                let input = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
                let n = input
                    .as_ref()
                    .and_then(|i| i.value().trim().parse::<f64>().ok())
                    .filter(|x| x.is_finite())
                    .map_or(v.pool.size(), |x| x.round().max(1.0) as usize);
                v.set_workers(n);
            });
        }
        if let Some(space) = by_id(&Self::id("space")) {
            let v = me.clone();
            on(&space, "change", move |e: Event| {
                let hold = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .filter(|i| i.id() == Self::id("hold-assumptions"));
                match hold {
                    Some(i) => v.hold_assumptions(i.checked()),
                    None => v.fixed_changed(),
                }
            });
        }
        let redraw = me.clone();
        redraw_on_resize(&self.root, move || redraw.draw_charts());
        self.render();
    }

    fn load(&self, fragment: &str, issues: Vec<ParamIssue>) {
        self.load_link(fragment, issues);
    }

    fn crash_worker(&self, message: String) {
        self.pool
            .send(flywheel_core::protocol::Command::Panic { message });
    }
}
