//! The shape every model view of the page shares: **parameters + presets + panel + link + run +
//! render + exports**.
//!
//! A view is a type that implements [`ModelView`]: its parameters, presets, panel groups, charts
//! and exports as constant data, the commands a run sends to the worker, how the replies become a
//! report, and how it draws that report. [`View<V>`] drives any such type: it owns the parameters
//! and the last report, builds the page (panel, presets, toolbar with Copy link and the export
//! buttons, share line, banners, run bar, metric cards, chart cards, Info), keeps the link in the
//! address bar, runs the model in the view's own worker (debounced, replacing or coalescing runs,
//! with plan, progress and Cancel), shows refusals and worker failures, and saves exports.
//! [`Tab`] is what the router sees of a view (`app.rs` lists them). How to add a view:
//! ARCHITECTURE.md, "Adding a view".
//!
//! Element ids: the panel's are `{tab}-p-{name}`, `{tab}-err-{name}` (see [`Panel`]); the rest
//! start with the view's [`ModelView::PREFIX`]: `{prefix}reset-all`, `{prefix}preset-{name}`,
//! `{prefix}copy-link`, `{prefix}export-{id}`, `{prefix}share…`, `{prefix}issues`,
//! `{prefix}worker-error`, `{prefix}run`, `{prefix}cancel`, `{prefix}run-text`,
//! `{prefix}progress`, `{prefix}run-plan`, `{prefix}stale`, `{prefix}metrics`,
//! `{prefix}chart-{canvas}`, `{prefix}svg-{chart}`, `{prefix}info`, `{prefix}timing`.

use crate::dom::{by_id, el, next_frame, now_ms, set_hidden};
use crate::info::InfoSection;
use crate::panel::{OnChange, Panel};
use crate::widgets::{
    apply_edit, banners, button, chart_card, copy_link, hide_plan, info_box, mark_presets,
    note_edit, on_click, presets_group, redraw_on_resize, run_bar, save, set_chart_summary,
    set_status, share_bar, share_msg, show_issues, show_plan, show_progress, show_refusal, toolbar,
    what_is_it, write_url, Debounce,
};
use crate::worker_client::{reply_id, WorkerPool};
use flywheel_core::codec::{decode, encode, with_view};
use flywheel_core::format::{fixed, shortest};
use flywheel_core::params::{with_labels, ParamIssue, ParamModel, Preset};
use flywheel_core::protocol::{Command, Reply};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

/// The panel's groups: (heading, parameter names) in display order.
pub type Groups = &'static [(&'static str, &'static [&'static str])];

/// A view's fixed texts.
pub struct Texts {
    /// The navigation link's label: `"CrowdTrain · operators"` (the part before ` · ` always
    /// shows; the page title is `Flywheel · {nav}`).
    pub nav: &'static str,
    pub title: &'static str,
    /// The line under the title.
    pub lede: &'static str,
    /// The title (tooltip) of the Reset all button.
    pub reset_all: &'static str,
    /// The title of the Copy link button, and what the share line says once it copied.
    pub copy_link: &'static str,
    pub copied: &'static str,
    /// Added to a worker crash's message: how to go on with the fresh worker.
    pub restarted: &'static str,
    pub info: &'static [InfoSection],
}

/// A view's presets and what choosing one changes.
pub struct Presets<M> {
    pub list: &'static [Preset],
    /// The parameters of a preset, by name (the core's `preset` function of the model).
    pub params: fn(&str) -> Option<M>,
    pub scope: PresetScope,
    /// The presets' note when the parameters match none.
    pub custom: &'static str,
}

/// Which fields a preset sets.
#[derive(Clone, Copy)]
pub enum PresetScope {
    /// Every field but these (run settings, say, stay as they are).
    AllBut(&'static [&'static str]),
    /// Only these (switches, say); every other field stays.
    Only(&'static [&'static str]),
}

impl<M: ParamModel> Presets<M> {
    /// `current` with preset `name` chosen.
    pub fn apply(&self, name: &str, current: &M) -> Option<M> {
        let preset = (self.params)(name)?;
        Some(match self.scope {
            PresetScope::AllBut(kept) => copy_fields(kept, current, preset),
            PresetScope::Only(set) => copy_fields(set, &preset, current.clone()),
        })
    }

    /// The preset `params` are (as far as presets set fields), if any.
    pub fn active(&self, params: &M) -> Option<&'static Preset> {
        self.list
            .iter()
            .find(|p| self.apply(p.name, params).as_ref() == Some(params))
    }
}

fn copy_fields<M: ParamModel>(names: &[&str], from: &M, mut to: M) -> M {
    for name in names {
        if let Some(v) = from.get(name) {
            to.put(name, v);
        }
    }
    to
}

/// How a view runs its model.
pub enum Runs {
    /// Quick evaluations (milliseconds): every change is sent at once; while one is computed,
    /// changes made meanwhile wait and only the newest is sent when it answers. No run bar.
    Quick,
    /// Long runs: a run bar (plan, progress by work, Run, Cancel, the worker's time and memory);
    /// changes wait a moment for the next one, and a new run replaces one still running.
    Long(RunBar),
}

/// The run bar of a [`Runs::Long`] view.
pub struct RunBar {
    /// Edits wait this long for the next edit before the run starts (a slider sends many).
    pub debounce_ms: i32,
    /// What runs: "Monte Carlo", "Simulation" (the progress bar's name and the timing line).
    pub what: &'static str,
    pub run_title: &'static str,
    pub cancel_title: &'static str,
    /// The run bar's line after Cancel: with a finished run on screen, and before any.
    pub cancelled: [&'static str; 2],
    /// A note `{prefix}stale`, shown while the charts are of other parameters than the panel's
    /// (the root's `data-stale` dims them).
    pub stale: Option<Stale>,
}

/// The stale note: while the new run computes, and once nothing runs.
pub struct Stale {
    pub running: &'static str,
    pub idle: &'static str,
}

impl Runs {
    /// The line at the bottom of the view after a report was drawn.
    fn timing(&self, run_ms: f64, drawn_ms: f64) -> String {
        match self {
            Runs::Quick => format!(
                "Worker round trip {run_ms:.1} ms · drawn in {drawn_ms:.1} ms · runs entirely in your browser"
            ),
            Runs::Long(bar) => format!(
                "{} {} ms · charts drawn in {} ms · runs entirely in your browser",
                bar.what,
                fixed(run_ms, 0),
                fixed(drawn_ms, 0)
            ),
        }
    }
}

/// The worker's own time and memory for a run (from its `Timing` reply), as the run bar says
/// them: `["812 ms in the worker", "worker memory 63.1 MB"]`.
pub fn worker_use((ms, bytes): (f64, f64)) -> [String; 2] {
    [
        format!("{} ms in the worker", fixed(ms, 0)),
        format!("worker memory {} MB", fixed(bytes / 1048576.0, 1)),
    ]
}

/// A Monte Carlo's run bar while it runs: which run of how many (from the work done).
pub fn monte_carlo_progress(runs: u32, done: f64, total: f64) -> String {
    let runs = runs.max(1);
    if done >= total && total > 0.0 {
        format!("Aggregating {runs} runs…")
    } else if runs == 1 {
        "Running the single run".to_string()
    } else {
        let f = if total > 0.0 { done / total } else { 0.0 };
        let run = ((f * f64::from(runs)) as u32 + 1).min(runs);
        format!("Running: run {run} of {runs}")
    }
}

/// A Monte Carlo's run bar once it finished: its size ("20 runs × 24 months"), the time from
/// request to result, and the worker's own time and memory once known.
pub fn monte_carlo_finished(size: &str, ms: f64, worker: Option<(f64, f64)>) -> String {
    let mut text = format!("{size}: {} ms", fixed(ms, 0));
    if let Some([time, memory]) = worker.map(worker_use) {
        text.push_str(&format!(" ({time}) · {memory}"));
    }
    text
}

/// How the chart cards are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ChartLayout {
    /// In a responsive grid (`.chart-grid`).
    Grid,
    /// One under the other, full width.
    Column,
}

/// A view's chart (an enum of the charts crate, usually).
pub trait Chart: Copy + 'static {
    /// Short name: the SVG button `{prefix}svg-{name}` and the exported file.
    fn name(self) -> &'static str;
    /// The canvas id's tail, `{prefix}chart-{canvas}` (the name, unless the ids differ).
    fn canvas(self) -> &'static str {
        self.name()
    }
}

/// An export button in the toolbar: `{prefix}export-{id}`.
pub struct ExportButton<E> {
    pub export: E,
    pub id: &'static str,
    pub label: &'static str,
    pub title: &'static str,
}

/// A file to download.
pub struct File {
    pub name: String,
    pub mime: &'static str,
    pub content: String,
}

/// What an export does (a short-lived value: its size does not matter).
#[allow(clippy::large_enum_variant)]
pub enum Saved<A> {
    /// Downloads this file now.
    File(File),
    /// The worker computes what the file needs (a run again, with full records, say): sends
    /// `command` and says `message`; the reply goes to [`ModelView::answer`] with `asked`.
    Ask {
        command: Command,
        asked: A,
        message: String,
    },
}

/// What the view shows: a finished run's report and the parameters it ran with.
pub struct Shown<V: ModelView> {
    pub params: V::Params,
    pub report: V::Report,
}

/// A view's own controls, placed in the shared layout (all optional).
#[derive(Default)]
pub struct Extras {
    /// In the presets' box, after the buttons.
    pub presets: Vec<Element>,
    /// In the side column, after the panel.
    pub side: Vec<Element>,
    /// Above the metric cards (after the run bar).
    pub above_metrics: Vec<Element>,
    /// Below the metric cards (before the charts).
    pub below_metrics: Vec<Element>,
}

/// A model view: its data and its drawing. [`View<Self>`] does the rest.
///
/// The view's own state (an inspected step, say) lives in `Self`, with `Cell`s for what changes;
/// the parameters and the shown report live in the [`View`].
pub trait ModelView: Default + Sized + 'static {
    /// The model's parameters: the panel, the link `#{TAB}?…`, the presets.
    type Params: ParamModel;
    /// What a finished run shows, made from the replies to the run's commands.
    type Report;
    /// The result of one of a run's commands.
    type Part;
    type Chart: Chart;
    /// The toolbar's export buttons.
    type Export: Copy + 'static;
    /// What the view asks the worker for besides its runs (an export's data, say): kept until
    /// the reply comes, then given to [`ModelView::answer`].
    type Asked;

    /// The start of the view's element ids (`"ct-"`; the Commons, the first view, has none).
    const PREFIX: &'static str;
    const TEXTS: Texts;
    const GROUPS: Groups;
    const PRESETS: Option<Presets<Self::Params>> = None;
    const RUNS: Runs;
    /// The charts with their titles and captions, in page order.
    const CHARTS: &'static [(Self::Chart, &'static str, &'static str)];
    const CHART_LAYOUT: ChartLayout = ChartLayout::Grid;
    const EXPORTS: &'static [ExportButton<Self::Export>];

    /// The most workers the view's runs use (each command of a run goes to the least busy one).
    fn workers() -> usize {
        1
    }
    /// The commands of a run of `params` (the first is the main one: its plan shows; the
    /// progress is the sum of every command that reports progress).
    fn commands(&self, params: &Self::Params) -> Vec<Command>;
    /// The result in a reply to one of the run's commands.
    fn part(reply: Reply) -> Option<Self::Part>;
    /// The report of a run, from its commands' results in order.
    fn report(&self, params: &Self::Params, parts: Vec<Self::Part>) -> Option<Self::Report>;

    /// The metric cards (inside `{prefix}metrics`).
    fn metrics(&self) -> Vec<Element>;
    /// Shows a report's numbers (the charts are drawn by the [`View`]).
    fn render(&self, shown: &Shown<Self>);
    fn draw(
        &self,
        chart: Self::Chart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String>;
    /// The chart's key numbers in words (its text alternative).
    fn summary(&self, chart: Self::Chart, shown: &Shown<Self>) -> String;
    fn svg(&self, chart: Self::Chart, shown: &Shown<Self>) -> Result<String, String>;
    fn svg_file(chart: Self::Chart) -> String {
        format!(
            "flywheel-{}-{}.svg",
            <Self::Params as ParamModel>::TAB,
            chart.name()
        )
    }
    fn export(&self, export: Self::Export, shown: &Shown<Self>) -> Saved<Self::Asked>;
    /// The worker's reply to something the view asked for ([`View::ask`], [`Saved::Ask`]).
    fn answer(_view: &View<Self>, _asked: Self::Asked, _reply: Reply) {}

    /// Problems the report found with the parameters (shown with the link's).
    fn report_issues(_report: &Self::Report) -> &[ParamIssue] {
        &[]
    }
    /// The run bar's text while a run of `params` with `commands` commands is `done` of `total`.
    fn progress(
        &self,
        _params: &Self::Params,
        _commands: usize,
        _done: f64,
        _total: f64,
    ) -> String {
        "Running".into()
    }
    /// The whole run's cost, when its commands split it (runs over workers, tasks of a stress
    /// test): the run bar's plan says this, spread over the commands, instead of the first
    /// command's share. `None`: the first command is the whole run, and its plan is said.
    fn plan(&self, _params: &Self::Params) -> Option<flywheel_core::cost::RunCost> {
        None
    }
    /// The whole run's work when its commands each report only their own share (a job split
    /// into tasks that start one after another): the progress is the reported work done over
    /// this, not over the shares reported so far.
    fn total_work(&self, _params: &Self::Params) -> Option<f64> {
        None
    }
    /// The run bar's text once a run finished in `ms` (the worker's own ms and memory, once known).
    fn finished(&self, _shown: &Shown<Self>, ms: f64, _worker: Option<(f64, f64)>) -> String {
        format!("Finished: {} ms", fixed(ms, 0))
    }

    /// The view's own controls, placed by the [`View`].
    fn extras(&self) -> Extras {
        Extras::default()
    }
    /// Wires the view's own controls (called once, after the view is in the document).
    fn wire(_view: &Rc<View<Self>>) {}
    /// The parameters changed (in the panel, by a link, a preset or the view).
    fn on_params(&self, _params: &Self::Params, _panel: &Panel) {}
    /// Reset all was pressed (before the parameters go back to their defaults).
    fn on_reset(&self) {}
    /// A run starts.
    fn run_started(&self) {}
    /// A report comes to the screen: a new one, or again for a link to what is shown.
    fn on_report(&self, _shown: &Shown<Self>) {}
    /// Reads the view's own keys of a link (see `ParamModel::VIEW_KEYS`); returns whether they
    /// change what a run computes.
    fn read_link(&self, _fragment: &str) -> bool {
        false
    }
    /// The view's own keys for the link.
    fn link_view(&self, _shown: Option<&Shown<Self>>) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// A tab of the page, as the router sees it.
pub trait Tab {
    /// The tab's name in links (`#crowdtrain?…`) and its root's id.
    fn name(&self) -> &'static str;
    /// The navigation label.
    fn label(&self) -> &'static str;
    fn root(&self) -> &Element;
    /// Builds the tab's page and wires it. Call once, after the root is in the document.
    fn mount(&self);
    /// Shows the state of a link; `issues`: what else was wrong with it (shown with the link's).
    fn load(&self, fragment: &str, issues: Vec<ParamIssue>);
    /// Diagnostics: makes the tab's worker panic.
    fn crash_worker(&self, message: String);
}

/// A button's action on a view.
type Action<V> = Box<dyn Fn(&Rc<View<V>>)>;

/// A run in flight.
struct Run<V: ModelView> {
    /// Its requests; the first is the main one.
    ids: Vec<u32>,
    parts: Vec<Option<V::Part>>,
    /// Each request's last progress (done, total).
    progress: Vec<Option<(f64, f64)>>,
    started: f64,
    params: V::Params,
    /// The worker's own (ms, memory bytes) for the main request.
    worker: Option<(f64, f64)>,
}

/// The last finished run: its main request, the time from request to report, and the worker's
/// own (ms, memory bytes) once they arrive.
#[derive(Default)]
struct Finished {
    id: u32,
    ms: f64,
    worker: Option<(f64, f64)>,
}

struct State<V: ModelView> {
    params: V::Params,
    link_issues: Vec<ParamIssue>,
    run: Option<Run<V>>,
    /// [`Runs::Quick`]: the parameters changed while a run was computed; run again when it answers.
    again: bool,
    shown: Option<Shown<V>>,
    last: Finished,
    /// Questions waiting for their answer.
    asked: Vec<Question<V::Asked>>,
}

/// A question to the worker waiting for its answer.
struct Question<A> {
    id: u32,
    /// Asked with [`View::query`]: never cancelled by another question.
    quick: bool,
    asked: A,
}

/// What a reply that ends a request belonged to.
enum Forgot {
    Run,
    Question,
    Nothing,
}

/// The shared state and page of a view `V`, with its own worker.
pub struct View<V: ModelView> {
    me: Weak<View<V>>,
    root: Element,
    panel: Panel,
    worker: WorkerPool,
    state: RefCell<State<V>>,
    debounce: Rc<Debounce>,
    draw_pending: Cell<bool>,
    own: V,
}

impl<V: ModelView> View<V> {
    /// The view with its default parameters and a worker of its own (the page is built by
    /// [`Tab::mount`]).
    pub fn create() -> Rc<View<V>> {
        Rc::new_cyclic(|me: &Weak<View<V>>| {
            let on_edit = me.clone();
            let on_change: OnChange = Rc::new(move |name, text| {
                if let Some(v) = on_edit.upgrade() {
                    v.edit(name, &text);
                }
            });
            let on_reply = me.clone();
            View {
                me: me.clone(),
                root: el("main")
                    .class("layout")
                    .id(<V::Params as ParamModel>::TAB)
                    .build(),
                panel: Panel::new::<V::Params>(V::GROUPS, on_change),
                worker: WorkerPool::new(
                    crate::app::WORKER_URL,
                    V::workers(),
                    V::workers(),
                    move |reply: Reply| {
                        if let Some(v) = on_reply.upgrade() {
                            v.on_reply(reply);
                        }
                    },
                ),
                state: RefCell::new(State {
                    params: V::Params::default(),
                    link_issues: Vec::new(),
                    run: None,
                    again: false,
                    shown: None,
                    last: Finished::default(),
                    asked: Vec::new(),
                }),
                debounce: Rc::default(),
                draw_pending: Cell::new(false),
                own: V::default(),
            }
        })
    }

    fn rc(&self) -> Rc<View<V>> {
        self.me.upgrade().expect("a view lives as long as the page")
    }

    /// The view's own state.
    pub fn own(&self) -> &V {
        &self.own
    }

    pub fn panel(&self) -> &Panel {
        &self.panel
    }

    fn id(suffix: &str) -> String {
        format!("{}{suffix}", V::PREFIX)
    }

    /// The parameters in the panel.
    pub fn params(&self) -> V::Params {
        self.state.borrow().params.clone()
    }

    /// `f` of what is shown, if a run has finished. `f` must not call back into the view.
    pub fn shown<R>(&self, f: impl FnOnce(&Shown<V>) -> R) -> Option<R> {
        self.state.borrow().shown.as_ref().map(f)
    }

    /// The link of the view's state: the parameters, then the view's own keys.
    pub fn fragment(&self) -> String {
        let s = self.state.borrow();
        with_view(&encode(&s.params), &self.own.link_view(s.shown.as_ref()))
    }

    /// Puts the link in the address bar (if the view shows) and in its navigation link.
    pub fn write_url(&self) {
        write_url(&self.root, <V::Params as ParamModel>::TAB, &self.fragment());
    }

    /// Shows `p` in the panel, puts it in the link and runs it (the link's complaints stay).
    pub fn set_params(&self, p: V::Params) {
        self.panel.show(&p);
        self.own.on_params(&p, &self.panel);
        self.state.borrow_mut().params = p;
        self.write_url();
        self.show_presets();
        self.recompute(0);
    }

    /// New parameters from a button (a preset, Reset all): the link's complaints and the
    /// panel's errors go.
    fn replace_params(&self, p: V::Params) {
        note_edit(&self.root);
        self.state.borrow_mut().link_issues.clear();
        self.panel.clear_errors();
        self.set_params(p);
    }

    /// Forgets the link's complaints about `field` (the view set it anew).
    pub fn forget_link_issue(&self, field: &str) {
        self.state
            .borrow_mut()
            .link_issues
            .retain(|i| i.field != field);
    }

    /// A field was edited: validated like a link (see [`apply_edit`]), then run.
    pub fn edit(&self, name: &'static str, text: &str) {
        let taken = {
            let s = &mut *self.state.borrow_mut();
            apply_edit(&mut s.params, &mut s.link_issues, &self.panel, name, text)
        };
        if taken {
            let params = self.params();
            self.own.on_params(&params, &self.panel);
            note_edit(&self.root);
            self.write_url();
            self.show_presets();
            let delay = match &V::RUNS {
                Runs::Long(bar) => bar.debounce_ms,
                Runs::Quick => 0,
            };
            self.recompute(delay);
        } else {
            self.show_stale();
        }
    }

    fn apply_preset(&self, name: &str) {
        let Some(presets) = &V::PRESETS else { return };
        let chosen = presets.apply(name, &self.state.borrow().params);
        if let Some(p) = chosen {
            self.replace_params(p);
        }
    }

    fn reset_all(&self) {
        self.own.on_reset();
        self.replace_params(V::Params::default());
    }

    /// Marks the preset the parameters are, if any.
    fn show_presets(&self) {
        let Some(presets) = &V::PRESETS else { return };
        let active = presets.active(&self.state.borrow().params);
        mark_presets(
            V::PREFIX,
            presets.list,
            active.map(|p| p.name),
            presets.custom,
        );
    }

    /// Runs the parameters again: [`Runs::Quick`] at once, [`Runs::Long`] after `delay_ms` unless
    /// another change comes first.
    pub fn recompute(&self, delay_ms: i32) {
        match &V::RUNS {
            Runs::Quick => self.request(),
            Runs::Long(_) => {
                set_status(&self.root, "computing", None);
                let me = self.rc();
                self.debounce.schedule(delay_ms, move || me.run_now());
                self.show_stale();
            }
        }
    }

    /// [`Runs::Quick`]: sends the parameters, or, while a run is computed, sends the newest
    /// parameters once it answers.
    fn request(&self) {
        if self.state.borrow().run.is_some() {
            self.state.borrow_mut().again = true;
            return;
        }
        self.state.borrow_mut().again = false;
        self.start_run();
    }

    /// Sends the run of the current parameters, stopping one still running.
    fn run_now(&self) {
        let old = self.state.borrow_mut().run.take();
        if let Some(old) = old {
            self.worker.cancel_all(&old.ids);
        }
        self.start_run();
        if let Runs::Long(_) = V::RUNS {
            self.show_progress(0.0, 1.0);
            self.show_running(true);
            self.show_stale();
        }
    }

    fn start_run(&self) {
        let params = self.params();
        let ids: Vec<u32> = self
            .own
            .commands(&params)
            .into_iter()
            .map(|c| self.worker.send(c))
            .collect();
        self.state.borrow_mut().run = Some(Run {
            parts: ids.iter().map(|_| None).collect(),
            progress: ids.iter().map(|_| None).collect(),
            ids,
            started: now_ms(),
            params,
            worker: None,
        });
        self.own.run_started();
        set_status(&self.root, "computing", None);
    }

    /// Asks the worker for something beyond a run; the reply goes to [`ModelView::answer`]. One
    /// such question at a time: a newer one replaces any still waiting (replacing the worker if
    /// one is being computed); quick questions ([`View::query`]) stay.
    pub fn ask(&self, command: Command, asked: V::Asked) {
        let old: Vec<u32> = {
            let mut s = self.state.borrow_mut();
            let old = s.asked.iter().filter(|q| !q.quick).map(|q| q.id).collect();
            s.asked.retain(|q| q.quick);
            old
        };
        self.worker.cancel_all(&old);
        let id = self.worker.send(command);
        self.state.borrow_mut().asked.push(Question {
            id,
            quick: false,
            asked,
        });
    }

    /// Asks the worker a quick question (the network of one day, say) that waits its turn behind
    /// whatever the worker is doing and cancels nothing; the reply goes to
    /// [`ModelView::answer`]. The view keeps such questions few (one at a time, say).
    pub fn query(&self, command: Command, asked: V::Asked) {
        let id = self.worker.send(command);
        self.state.borrow_mut().asked.push(Question {
            id,
            quick: true,
            asked,
        });
    }

    /// Whether a question that `which` picks is waiting for its answer.
    pub fn is_asked(&self, which: impl Fn(&V::Asked) -> bool) -> bool {
        self.state.borrow().asked.iter().any(|q| which(&q.asked))
    }

    /// Stops the run (and any question to the worker) at once; the last report stays.
    fn cancel(&self) {
        let Runs::Long(bar) = &V::RUNS else { return };
        self.debounce.cancel();
        let (run, asked) = {
            let mut s = self.state.borrow_mut();
            (s.run.take(), std::mem::take(&mut s.asked))
        };
        let ids: Vec<u32> = run
            .into_iter()
            .flat_map(|r| r.ids)
            .chain(asked.into_iter().map(|q| q.id))
            .collect();
        self.worker.cancel_all(&ids);
        self.show_running(false);
        hide_plan(V::PREFIX);
        let finished = self.state.borrow().shown.is_some();
        if let Some(t) = by_id(&Self::id("run-text")) {
            t.set_text_content(Some(bar.cancelled[usize::from(!finished)]));
        }
        self.render();
    }

    fn busy(&self) -> bool {
        let s = self.state.borrow();
        s.run.is_some() || s.again || self.debounce.pending()
    }

    /// Every reply of the view's worker comes here.
    fn on_reply(&self, reply: Reply) {
        match reply {
            // A request sent before the worker was ready goes out now: time it from here.
            Reply::Ready => {
                if let Some(r) = self.state.borrow_mut().run.as_mut() {
                    r.started = now_ms();
                }
            }
            Reply::Plan { id, cost } => {
                let whole = self.state.borrow().run.as_ref().and_then(|r| {
                    let workers = r.ids.len().min(self.worker.size());
                    self.own
                        .plan(&r.params)
                        .map(|c| c.spread(workers, crate::dom::cores()))
                });
                if self.is_main(id) && matches!(V::RUNS, Runs::Long(_)) {
                    show_plan(V::PREFIX, whole.as_ref().unwrap_or(&cost));
                }
            }
            Reply::Progress { id, done, total } => {
                if !matches!(V::RUNS, Runs::Long(_)) {
                    return;
                }
                // The run's progress: the sum over its requests that report it.
                let sum = {
                    let mut s = self.state.borrow_mut();
                    let Some(run) = s.run.as_mut() else { return };
                    let Some(i) = run.ids.iter().position(|r| *r == id) else {
                        return;
                    };
                    run.progress[i] = Some((done, total));
                    let sum = run
                        .progress
                        .iter()
                        .flatten()
                        .fold((0.0, 0.0), |(d, t), (a, b)| (d + a, t + b));
                    match self.own.total_work(&run.params) {
                        Some(whole) => (sum.0, whole.max(sum.1)),
                        None => sum,
                    }
                };
                self.show_progress(sum.0, sum.1);
            }
            Reply::Timing {
                id,
                worker_ms,
                memory_bytes,
            } => {
                let timing = Some((worker_ms, memory_bytes));
                let finished = {
                    let s = &mut *self.state.borrow_mut();
                    if let Some(r) = s.run.as_mut().filter(|r| r.ids.first() == Some(&id)) {
                        // The main request is done; others of the run may still compute.
                        r.worker = timing;
                        false
                    } else if s.last.id == id {
                        s.last.worker = timing;
                        s.run.is_none()
                    } else {
                        false
                    }
                };
                if finished {
                    self.show_finished();
                }
            }
            Reply::Refused { id, message } => {
                let message = with_labels::<V::Params>(&message, true);
                match self.forget(id) {
                    Forgot::Run => {
                        self.show_running(false);
                        self.render();
                        show_refusal(&self.root, V::PREFIX, &message);
                    }
                    // A question (an export's data, say): said, while a run goes on.
                    Forgot::Question => self.show_worker_error(&message, false),
                    Forgot::Nothing => {}
                }
            }
            Reply::Failed { id, message } => match id.map(|id| self.forget(id)) {
                Some(Forgot::Run) => {
                    self.show_running(false);
                    self.show_worker_error(&message, false);
                    self.render();
                }
                Some(Forgot::Question) => self.show_worker_error(&message, false),
                Some(Forgot::Nothing) => {}
                // An unreadable reply: said, while the run goes on.
                None => self.show_worker_error(&message, false),
            },
            // Whatever was running is gone with the old worker; the last report stays.
            Reply::Crashed { message, .. } => {
                let busy = {
                    let mut s = self.state.borrow_mut();
                    s.again = false;
                    let run = s.run.take().is_some();
                    let asked = !std::mem::take(&mut s.asked).is_empty();
                    run || asked
                };
                self.show_running(false);
                if busy {
                    self.show_worker_error(&message, true);
                }
                self.render();
            }
            reply => self.on_result(reply),
        }
    }

    fn is_main(&self, id: u32) -> bool {
        let s = self.state.borrow();
        s.run.as_ref().and_then(|r| r.ids.first()) == Some(&id)
    }

    /// Forgets the run or the question `id` belongs to, and says which it was.
    fn forget(&self, id: u32) -> Forgot {
        let mut s = self.state.borrow_mut();
        if s.run.as_ref().is_some_and(|r| r.ids.contains(&id)) {
            s.run = None;
            return Forgot::Run;
        }
        let before = s.asked.len();
        s.asked.retain(|q| q.id != id);
        if s.asked.len() != before {
            Forgot::Question
        } else {
            Forgot::Nothing
        }
    }

    /// A result: the answer to a question, or part of the run.
    fn on_result(&self, reply: Reply) {
        let Some(id) = reply_id(&reply) else { return };
        let asked = {
            let mut s = self.state.borrow_mut();
            let at = s.asked.iter().position(|q| q.id == id);
            at.map(|i| s.asked.remove(i).asked)
        };
        if let Some(asked) = asked {
            V::answer(self, asked, reply);
            return;
        }
        let Some(part) = V::part(reply) else { return };
        let done = {
            let mut s = self.state.borrow_mut();
            let Some(run) = s.run.as_mut() else { return };
            let Some(i) = run.ids.iter().position(|r| *r == id) else {
                return;
            };
            run.parts[i] = Some(part);
            if run.parts.iter().all(Option::is_some) {
                s.run.take()
            } else {
                None
            }
        };
        if let Some(run) = done {
            self.finish(run);
        }
    }

    /// Every command of the run answered: the report comes to the screen.
    fn finish(&self, run: Run<V>) {
        let parts = run.parts.into_iter().flatten().collect();
        let Some(report) = self.own.report(&run.params, parts) else {
            self.show_running(false);
            self.render();
            return;
        };
        {
            let mut s = self.state.borrow_mut();
            s.last = Finished {
                id: run.ids[0],
                ms: now_ms() - run.started,
                worker: run.worker,
            };
            let shown = s.shown.insert(Shown {
                params: run.params,
                report,
            });
            self.own.on_report(shown);
        }
        // A result means the worker works again: a past failure is no longer news.
        if let Some(e) = by_id(&Self::id("worker-error")) {
            set_hidden(&e, true);
        }
        self.show_running(false);
        self.show_finished();
        self.write_url();
        self.render();
        if self.state.borrow().again {
            self.request();
        }
    }

    /// Loads the state of a link. A link to what is already shown (coming back to the view,
    /// say) keeps the report instead of running again.
    fn load_link(&self, fragment: &str, issues: Vec<ParamIssue>) {
        let d = decode::<V::Params>(fragment);
        let mut all = d.issues;
        all.extend(issues);
        let view_changed = self.own.read_link(fragment);
        let same = {
            let s = self.state.borrow();
            d.model == s.params && (s.shown.is_some() || s.run.is_some())
        };
        if same && all.is_empty() && !view_changed {
            if self.state.borrow().run.is_none() {
                if let Some(s) = self.state.borrow().shown.as_ref() {
                    self.own.on_report(s);
                }
            }
            self.write_url();
            self.render();
            return;
        }
        self.state.borrow_mut().link_issues = all;
        self.panel.clear_errors();
        self.set_params(d.model);
    }

    /// Shows the report: problems, the view's numbers, the charts, whether it is stale; then
    /// marks the view ready (unless another run is coming).
    fn render(&self) {
        let t0 = now_ms();
        let s = self.state.borrow();
        let report_issues = s
            .shown
            .as_ref()
            .map_or(&[][..], |sh| V::report_issues(&sh.report));
        let issues: Vec<&ParamIssue> = s.link_issues.iter().chain(report_issues).collect();
        show_issues(&Self::id("issues"), &issues, &s.params.notes());
        let fragment = s.shown.as_ref().map(|sh| encode(&sh.params));
        if let Some(shown) = &s.shown {
            self.own.render(shown);
            self.draw_shown(shown);
            let line = V::RUNS.timing(s.last.ms, now_ms() - t0);
            if let Some(e) = by_id(&Self::id("timing")) {
                e.set_text_content(Some(&line));
            }
        }
        drop(s);
        self.show_stale();
        if !self.busy() {
            set_status(&self.root, "ready", fragment.as_deref());
        }
    }

    /// Draws the charts of what is shown.
    pub fn draw_charts(&self) {
        if let Some(shown) = self.state.borrow().shown.as_ref() {
            self.draw_shown(shown);
        }
    }

    /// Draws the charts on the next animation frame (several calls in one frame draw once).
    pub fn draw_soon(&self) {
        if self.draw_pending.replace(true) {
            return;
        }
        let me = self.rc();
        next_frame(move || {
            me.draw_pending.set(false);
            me.draw_charts();
        });
    }

    fn draw_shown(&self, shown: &Shown<V>) {
        for (chart, _, _) in V::CHARTS {
            let id = Self::id(&format!("chart-{}", chart.canvas()));
            let Some(c) = by_id(&id).and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()) else {
                continue;
            };
            if let Err(e) = self.own.draw(*chart, &c, shown) {
                web_sys::console::error_1(&format!("{} chart: {e}", chart.name()).into());
            }
            set_chart_summary(&id, &self.own.summary(*chart, shown));
        }
    }

    /// Shows or hides what belongs to a running run.
    fn show_running(&self, running: bool) {
        if !matches!(V::RUNS, Runs::Long(_)) {
            return;
        }
        if let Some(b) = by_id(&Self::id("cancel")) {
            let _ = if running {
                b.remove_attribute("disabled")
            } else {
                b.set_attribute("disabled", "")
            };
        }
        if let Some(p) = by_id(&Self::id("progress")) {
            set_hidden(&p, !running);
        }
        if let Some(bar) = by_id(&Self::id("run-bar")) {
            let _ = bar.set_attribute("data-running", if running { "true" } else { "false" });
        }
    }

    fn show_progress(&self, done: f64, total: f64) {
        let s = self.state.borrow();
        let Some(r) = &s.run else { return };
        let what = self.own.progress(&r.params, r.ids.len(), done, total);
        show_progress(V::PREFIX, &what, r.started, done, total);
    }

    /// The run bar's line after a run finished.
    fn show_finished(&self) {
        if !matches!(V::RUNS, Runs::Long(_)) {
            return;
        }
        hide_plan(V::PREFIX);
        let s = self.state.borrow();
        let Some(shown) = &s.shown else { return };
        let text = self.own.finished(shown, s.last.ms, s.last.worker);
        if let Some(t) = by_id(&Self::id("run-text")) {
            t.set_text_content(Some(&text));
            let _ = t.set_attribute("data-total-ms", &shortest(s.last.ms));
            if let Some((worker_ms, memory)) = s.last.worker {
                let _ = t.set_attribute("data-worker-ms", &shortest(worker_ms));
                let _ = t.set_attribute("data-memory-bytes", &shortest(memory));
            }
        }
    }

    /// Says (and shows, by dimming the charts) when the charts are not of the panel's parameters.
    fn show_stale(&self) {
        let Runs::Long(RunBar {
            stale: Some(note), ..
        }) = &V::RUNS
        else {
            return;
        };
        let s = self.state.borrow();
        let running = s.run.is_some() || self.debounce.pending();
        let stale = s.shown.as_ref().is_some_and(|sh| sh.params != s.params);
        // A value the panel shows but did not take: Run would not compute it, so say that
        // rather than "press Run".
        let untaken = self.panel.first_error();
        if let Some(e) = by_id(&Self::id("stale")) {
            let text = match untaken {
                Some(label) if !running => format!(
                    "{label}: the value in the panel is not taken (see the field); {}.",
                    if stale {
                        "Run computes the last valid parameters"
                    } else {
                        "the charts show the last valid parameters"
                    }
                ),
                _ if running => note.running.to_string(),
                _ => note.idle.to_string(),
            };
            e.set_text_content(Some(&text));
            set_hidden(&e, !stale && untaken.is_none());
        }
        let _ = self
            .root
            .set_attribute("data-stale", if stale { "true" } else { "false" });
    }

    fn show_worker_error(&self, message: &str, restarted: bool) {
        if let Some(e) = by_id(&Self::id("worker-error")) {
            let tail = if restarted { V::TEXTS.restarted } else { "" };
            e.set_text_content(Some(&format!("The simulation stopped: {message}.{tail}")));
            set_hidden(&e, false);
        }
    }

    /// Says `message` in the view's share line.
    pub fn say(&self, message: &str) {
        share_msg(V::PREFIX, message);
    }

    /// Downloads `file`; a failure is said in the share line.
    pub fn save(&self, file: File) {
        save(V::PREFIX, &file.name, file.mime, &file.content);
    }

    fn copy_link(&self) {
        copy_link(V::PREFIX, &self.fragment(), V::TEXTS.copied);
    }

    fn export(&self, export: V::Export) {
        let Some(saved) = self.shown(|s| self.own.export(export, s)) else {
            return;
        };
        match saved {
            Saved::File(file) => self.save(file),
            Saved::Ask {
                command,
                asked,
                message,
            } => {
                self.ask(command, asked);
                self.say(&message);
            }
        }
    }

    fn export_svg(&self, chart: V::Chart) {
        match self.shown(|s| self.own.svg(chart, s)) {
            Some(Ok(svg)) => self.save(File {
                name: V::svg_file(chart),
                mime: "image/svg+xml",
                content: svg,
            }),
            Some(Err(e)) => self.say(&format!("Could not draw the SVG: {e}")),
            None => {}
        }
    }

    /// The side column: Reset all, the presets, the panel and the view's own controls.
    fn side(&self, extras: &mut Extras) -> Element {
        let mut side = el("aside").class("side").child(
            el("div")
                .class("side-head")
                .child(el("h2").text("Parameters"))
                .child(button(
                    "Reset all",
                    &Self::id("reset-all"),
                    V::TEXTS.reset_all,
                )),
        );
        if let Some(presets) = &V::PRESETS {
            side = side.child(
                presets_group(V::PREFIX, presets.list)
                    .children(std::mem::take(&mut extras.presets)),
            );
        }
        side.child(self.panel.root.clone())
            .children(std::mem::take(&mut extras.side))
            .build()
    }

    /// The results: toolbar, share line, banners, run bar, metrics, charts, Info, timing.
    fn content(&self, extras: &mut Extras) -> Element {
        let t = &V::TEXTS;
        let mut actions = vec![button("Copy link", &Self::id("copy-link"), t.copy_link)];
        actions.extend(
            V::EXPORTS
                .iter()
                .map(|e| button(e.label, &Self::id(&format!("export-{}", e.id)), e.title)),
        );
        let mut content = el("section")
            .class("content")
            .child(toolbar(t.title, t.lede, actions))
            .child(what_is_it(V::PREFIX, t.info))
            .child(share_bar(V::PREFIX))
            .children(banners(V::PREFIX));
        if let Runs::Long(bar) = &V::RUNS {
            content = content.child(run_bar(
                V::PREFIX,
                bar.what,
                vec![
                    button("Run", &Self::id("run"), bar.run_title),
                    button("Cancel", &Self::id("cancel"), bar.cancel_title),
                ],
            ));
            if bar.stale.is_some() {
                content = content.child(el("p").class("stale note").id(&Self::id("stale")));
            }
        }
        let cards = V::CHARTS.iter().map(|(chart, title, caption)| {
            chart_card(
                &Self::id(&format!("chart-{}", chart.canvas())),
                title,
                caption,
                &Self::id(&format!("svg-{}", chart.name())),
            )
        });
        content = content
            .children(std::mem::take(&mut extras.above_metrics))
            .child(
                el("div")
                    .class("metrics")
                    .id(&Self::id("metrics"))
                    .children(self.own.metrics()),
            )
            .children(std::mem::take(&mut extras.below_metrics));
        content = match V::CHART_LAYOUT {
            ChartLayout::Grid => content.child(el("div").class("chart-grid").children(cards)),
            ChartLayout::Column => content.children(cards),
        };
        content
            .child(info_box(&Self::id("info"), t.info))
            .child(el("p").class("status").id(&Self::id("timing")))
            .build()
    }
}

impl<V: ModelView> Tab for View<V> {
    fn name(&self) -> &'static str {
        <V::Params as ParamModel>::TAB
    }

    fn label(&self) -> &'static str {
        V::TEXTS.nav
    }

    fn root(&self) -> &Element {
        &self.root
    }

    fn mount(&self) {
        let mut extras = self.own.extras();
        let side = self.side(&mut extras);
        let content = self.content(&mut extras);
        let _ = self.root.append_child(&side);
        let _ = self.root.append_child(&content);
        if let Some(e) = by_id(&Self::id("stale")) {
            set_hidden(&e, true);
        }

        let me = self.rc();
        let wire = |id: &str, f: Action<V>| on_click(&me, &Self::id(id), f);
        wire("reset-all", Box::new(|v| v.reset_all()));
        for p in V::PRESETS.iter().flat_map(|p| p.list) {
            wire(
                &format!("preset-{}", p.name),
                Box::new(move |v| v.apply_preset(p.name)),
            );
        }
        if let Runs::Long(_) = V::RUNS {
            wire("run", Box::new(|v| v.recompute(0)));
            wire("cancel", Box::new(|v| v.cancel()));
        }
        wire("copy-link", Box::new(|v| v.copy_link()));
        for e in V::EXPORTS {
            let export = e.export;
            wire(
                &format!("export-{}", e.id),
                Box::new(move |v| v.export(export)),
            );
        }
        for (chart, _, _) in V::CHARTS {
            let chart = *chart;
            wire(
                &format!("svg-{}", chart.name()),
                Box::new(move |v| v.export_svg(chart)),
            );
        }
        let redraw = me.clone();
        redraw_on_resize(&self.root, move || redraw.draw_charts());
        self.show_running(false);
        V::wire(&me);
    }

    fn load(&self, fragment: &str, issues: Vec<ParamIssue>) {
        self.load_link(fragment, issues);
    }

    /// Sends a command that makes the worker panic, as the view's run (so its crash is said).
    fn crash_worker(&self, message: String) {
        let id = self.worker.send(Command::Panic { message });
        let params = self.params();
        self.state.borrow_mut().run = Some(Run {
            ids: vec![id],
            parts: vec![None],
            progress: vec![None],
            started: now_ms(),
            params,
            worker: None,
        });
    }
}
