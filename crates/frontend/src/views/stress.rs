//! A model's stress view (`#crowdtrain-stress`, `#datadao-stress`): the model's Monte Carlo under
//! the baseline and each scenario, split into tasks over the view's workers (every core) and put
//! back together in order by the core (`flywheel_core::stress::assemble`) — the CLI's report for
//! the same link, bit for bit. It is a [`ModelView`] like the others; a model gets one by
//! implementing [`StressPage`] and one line in `app.rs`.
//!
//! Element ids (besides the shared ones): `{prefix}table` (its `data-csv` is the table's CSV),
//! `{prefix}verdicts`, `{prefix}notes`, `{prefix}summary`, `{prefix}series`, `{prefix}vs`,
//! `{prefix}metric`.

use crate::canvas;
use crate::dom::{by_id, cores, el, on};
use crate::info::InfoSection;
use crate::view::{
    Chart, ExportButton, Extras, File, Groups, ModelView, PresetScope, Presets, RunBar, Runs,
    Saved, Shown, Stale, Texts, View,
};
use crate::views::shocks;
use crate::widgets::metric_card;
use flywheel_charts::stress::{Choice, StressChart};
use flywheel_core::codec::view_value;
use flywheel_core::format::{plural, readable, shortest};
use flywheel_core::params::{ParamModel, Preset};
use flywheel_core::policy::health::{Kind, METRICS};
use flywheel_core::protocol::{Command, Reply};
use flywheel_core::stress::report::{metric_label, metric_names, signed};
use flywheel_core::stress::{
    assemble, cost, tasks, RunSummary, StressParams, StressReport, Stressable, SERIES,
};
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

/// What the page shows of a model's stress test.
pub trait StressPage: Stressable {
    /// The start of the view's element ids (`"cs-"`).
    const PREFIX: &'static str;
    const NAV: &'static str;
    const TITLE: &'static str;
    const LEDE: &'static str;
    const INFO: &'static [InfoSection];
    /// The panel's groups: the stress settings, then the model's and its policies'.
    const GROUPS: Groups;
    const PRESETS: &'static [Preset];
    /// The fields the model's presets set (the rest, scenarios and settings, stay).
    const PRESET_FIELDS: &'static [&'static str];
    fn preset(name: &str) -> Option<Self::Params>;
}

/// The stress settings' panel group.
pub const SETTINGS_GROUP: (&str, &[&str]) = (
    "Stress test",
    &["scenarios", "stress_runs", "threshold", "market_noise"],
);

/// A model's stress view: the charts' choice and the scenario form are its own state.
pub struct Stress<M: StressPage> {
    choice: Cell<Choice>,
    /// The scenario form's blocks as last drawn or typed.
    blocks: RefCell<Vec<shocks::Block>>,
    /// The form is being typed into: the parameters it sets do not redraw it (the focus stays).
    typing: Cell<bool>,
    _model: PhantomData<M>,
}

impl<M: StressPage> Default for Stress<M> {
    fn default() -> Self {
        Stress {
            choice: Cell::new(Choice::default()),
            blocks: RefCell::new(Vec::new()),
            typing: Cell::new(false),
            _model: PhantomData,
        }
    }
}

impl Chart for StressChart {
    fn name(self) -> &'static str {
        StressChart::name(self)
    }
}

#[derive(Clone, Copy)]
pub enum Export {
    Csv,
    Json,
    Bands,
}

fn preset<M: StressPage>(name: &str) -> Option<StressParams<M>> {
    Some(StressParams {
        model: M::preset(name)?,
        ..StressParams::default()
    })
}

fn select(id: &str) -> Option<HtmlSelectElement> {
    by_id(id).and_then(|e| e.dyn_into().ok())
}

fn options(id: &str, items: &[(String, String)], chosen: usize, title: &str) -> Element {
    let mut s = el("select").id(id).attr("title", title);
    for (i, (value, label)) in items.iter().enumerate() {
        let mut o = el("option").attr("value", value).text(label);
        if i == chosen {
            o = o.attr("selected", "");
        }
        s = s.child(o);
    }
    s.build()
}

impl<M: StressPage> Stress<M> {
    fn id(suffix: &str) -> String {
        format!("{}{suffix}", M::PREFIX)
    }

    /// Draws the scenario form for `blocks`.
    fn show_form(&self, blocks: Vec<shocks::Block>, params: &StressParams<M>) {
        shocks::show(M::PREFIX, &blocks, &M::library(&params.model), M::UNIT);
        *self.blocks.borrow_mut() = blocks;
    }

    /// The form changed: its text goes into the scenarios field and through the same rules as
    /// the field's own edits (an error shows at the field; the form keeps what was typed).
    fn form_edited(view: &View<Self>, blocks: Vec<shocks::Block>) {
        let text = shocks::text(&blocks);
        *view.own().blocks.borrow_mut() = blocks;
        let field = format!("{}-p-scenarios", M::STRESS_TAB);
        if let Some(i) = by_id(&field).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
            i.set_value(&text);
        }
        view.own().typing.set(true);
        view.edit("scenarios", &text);
        view.own().typing.set(false);
    }

    /// Wires the scenario form: typing, the rows' and blocks' buttons, the library chooser.
    fn wire_form(view: &Rc<View<Self>>) {
        // The form goes right under the scenarios' text field.
        let field = format!("{}-p-scenarios", M::STRESS_TAB);
        let Some(row) = by_id(&field).and_then(|f| f.closest(".param").ok().flatten()) else {
            return;
        };
        let form = shocks::form(M::PREFIX);
        let _ = row.after_with_node_1(&form);
        let params = view.params();
        view.own().show_form(
            shocks::blocks(&params.scenario_list(), &M::library(&params.model)),
            &params,
        );
        let typed = |view: Rc<View<Self>>| {
            move |e: Event| {
                let tag = e
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .map(|t| t.tag_name())
                    .unwrap_or_default();
                let wanted = match e.type_().as_str() {
                    "input" => tag == "INPUT",
                    _ => tag == "SELECT",
                };
                if wanted
                    && e.target()
                        .and_then(|t| t.dyn_into::<Element>().ok())
                        .is_some_and(|t| t.closest("[data-scenario]").ok().flatten().is_some())
                {
                    let blocks = shocks::read(M::PREFIX, &view.own().blocks.borrow());
                    Self::form_edited(&view, blocks);
                }
            }
        };
        on(&form, "input", typed(view.clone()));
        on(&form, "change", typed(view.clone()));
        let v = view.clone();
        on(&form, "click", move |e: Event| {
            let Some(button) = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("button").ok().flatten())
            else {
                return;
            };
            let mut blocks = shocks::read(M::PREFIX, &v.own().blocks.borrow());
            let (at, shock) = shocks::place(&button);
            let new_row = |group: usize| shocks::Row {
                group,
                start: "1".into(),
                duration: "1".into(),
                lever: "price".into(),
                factor: "0.5".into(),
            };
            match (button.get_attribute("data-action").as_deref(), at, shock) {
                (Some("remove-scenario"), Some(i), _) if i < blocks.len() => {
                    blocks.remove(i);
                }
                (Some("remove-shock"), Some(i), Some(j)) if i < blocks.len() => {
                    if j < blocks[i].rows.len() {
                        blocks[i].rows.remove(j);
                    }
                }
                (Some("add-shock"), Some(i), _) if i < blocks.len() => {
                    let group = blocks[i]
                        .rows
                        .iter()
                        .map(|r| r.group + 1)
                        .max()
                        .unwrap_or(0);
                    blocks[i].rows.push(new_row(group));
                }
                _ if button.id() == Self::id("shock-add") => {
                    blocks.push(shocks::Block {
                        name: shocks::new_name(&blocks),
                        library: false,
                        rows: vec![new_row(0)],
                    });
                }
                _ if button.id() == Self::id("shock-add-library") => {
                    let Some(name) = by_id(&Self::id("shock-library"))
                        .and_then(|s| s.dyn_into::<HtmlSelectElement>().ok())
                        .map(|s| s.value())
                        .filter(|n| !n.is_empty())
                    else {
                        return;
                    };
                    blocks.push(shocks::Block {
                        name,
                        library: true,
                        rows: Vec::new(),
                    });
                }
                _ => return,
            }
            let params = v.params();
            v.own().show_form(blocks.clone(), &params);
            Self::form_edited(&v, blocks);
        });
    }

    /// The table: a row a metric (its target), a column a scenario (the baseline first); each
    /// cell the median, the P10–P90 range and the change against the baseline's median.
    fn table(r: &StressReport) -> Element {
        let mut head = el("tr")
            .child(el("th").text("Metric"))
            .child(el("th").text("Target"));
        for s in &r.scenarios {
            head = head.child(
                el("th")
                    .class(if s.passes { "pass" } else { "fail" })
                    .attr("title", &s.description)
                    .text(&s.name),
            );
        }
        let mut body = el("tbody");
        for (k, name) in metric_names().iter().enumerate() {
            let (label, kind) = metric_label(k);
            let metric = METRICS.get(k);
            let target = metric.and_then(|m| m.target).map_or(String::new(), |t| {
                t.describe(r.threshold, |x| kind.format(x))
            });
            let mut row = el("tr").attr("data-metric", name).child(
                el("th")
                    .attr("scope", "row")
                    .attr("title", metric.map_or("Policy actions a run", |m| m.help))
                    .text(label),
            );
            row = row.child(el("td").class("target").text(&target));
            for (i, s) in r.scenarios.iter().enumerate() {
                let v = s.metrics[k];
                let check = s.health.iter().find(|c| c.metric == *name);
                let mut cell = el("td")
                    .attr("data-p10", &shortest(v.p10))
                    .attr("data-p50", &shortest(v.p50))
                    .attr("data-p90", &shortest(v.p90))
                    .child(el("b").text(&kind.format(v.p50)))
                    .child(el("span").class("range").text(&format!(
                        "{} – {}",
                        kind.format(v.p10),
                        kind.format(v.p90)
                    )));
                if i > 0 {
                    cell = cell.child(
                        el("span")
                            .class("change")
                            .text(&format!("{} vs baseline", signed(kind, s.change[k]))),
                    );
                }
                if let Some(c) = check {
                    cell = cell.class(if c.pass { "pass" } else { "fail" });
                }
                row = row.child(cell);
            }
            body = body.child(row);
        }
        el("table")
            .class("stress-table")
            .attr("data-csv", &r.csv())
            .child(el("thead").child(head))
            .child(body)
            .build()
    }

    fn fill_selects(r: &StressReport, c: Choice) {
        if let Some(s) = select(&Self::id("vs")) {
            let items: Vec<(String, String)> = r
                .scenarios
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (
                        i.to_string(),
                        if i == 0 {
                            "baseline alone".to_string()
                        } else {
                            s.name.clone()
                        },
                    )
                })
                .collect();
            s.set_inner_html("");
            for (i, (value, label)) in items.iter().enumerate() {
                let o = el("option").attr("value", value).text(label).build();
                if i == c.scenario.min(items.len().saturating_sub(1)) {
                    let _ = o.set_attribute("selected", "");
                }
                let _ = s.append_child(&o);
            }
            s.set_value(&c.scenario.min(items.len().saturating_sub(1)).to_string());
        }
    }

    fn read_choice() -> Choice {
        let read = |id: &str, d: usize| {
            select(&Self::id(id))
                .and_then(|s| s.value().parse::<usize>().ok())
                .unwrap_or(d)
        };
        let d = Choice::default();
        Choice {
            series: read("series", d.series).min(SERIES.len() - 1),
            scenario: read("vs", d.scenario),
            metric: read("metric", d.metric).min(metric_names().len() - 1),
        }
    }
}

impl<M: StressPage> ModelView for Stress<M> {
    type Params = StressParams<M>;
    type Report = StressReport;
    type Part = Vec<RunSummary>;
    type Chart = StressChart;
    type Export = Export;
    type Asked = ();

    const PREFIX: &'static str = M::PREFIX;
    const TEXTS: Texts = Texts {
        nav: M::NAV,
        title: M::TITLE,
        lede: M::LEDE,
        reset_all: "Every setting, scenario, policy and parameter back to its default",
        copy_link: "Copy a link that reproduces exactly this stress test: scenarios, policies, runs and seed",
        copied: "Link copied. It reproduces exactly this stress test, here or with flywheel stress --params.",
        restarted: " Fresh workers have been started: press Run or change a parameter to go on.",
        info: M::INFO,
    };
    const GROUPS: Groups = M::GROUPS;
    const PRESETS: Option<Presets<StressParams<M>>> = Some(Presets {
        list: M::PRESETS,
        params: preset::<M>,
        scope: PresetScope::Only(M::PRESET_FIELDS),
        custom: "Custom model: no preset matches its switches.",
    });
    const RUNS: Runs = Runs::Long(RunBar {
        debounce_ms: 250,
        what: "Stress test",
        run_title: "Run the stress test with the panel's scenarios, policies and parameters",
        cancel_title: "Stop the stress test now; the table keeps the last finished one",
        cancelled: [
            "Cancelled. The table shows the last finished stress test.",
            "Cancelled before any stress test finished: press Run or change a parameter.",
        ],
        stale: Some(Stale {
            running: "The table shows the previous settings until this stress test finishes.",
            idle: "The table shows earlier settings: press Run to test the ones in the panel.",
        }),
    });
    const CHARTS: &'static [(StressChart, &'static str, &'static str)] = &[
        (
            StressChart::Fan,
            "Fan chart: baseline against a scenario",
            "The chosen series step by step: the median run as a line (the baseline dashed), P10–P90 over the runs shaded.",
        ),
        (
            StressChart::Spread,
            "One metric across the scenarios",
            "P10–P90 over the runs as a bar, the median as a tick, the baseline's median dashed; for the score, the threshold as a line and failing scenarios in vermillion.",
        ),
    ];
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Csv,
            id: "csv",
            label: "CSV",
            title: "The stress table as CSV: scenario, metric, P10, P50, P90, the baseline's P50, the change (the command line's --csv)",
        },
        ExportButton {
            export: Export::Json,
            id: "json",
            label: "JSON",
            title: "The report as JSON: settings, every scenario's metrics, changes and health (the command line's --json)",
        },
        ExportButton {
            export: Export::Bands,
            id: "bands",
            label: "Bands CSV",
            title: "The fan chart's series as CSV: step, scenario, P10, P50, P90 (the command line's --bands-csv)",
        },
    ];

    fn workers() -> usize {
        cores()
    }

    fn commands(&self, params: &StressParams<M>) -> Vec<Command> {
        tasks(params, cores())
            .into_iter()
            .map(|t| M::command(params, t))
            .collect()
    }

    fn part(reply: Reply) -> Option<Vec<RunSummary>> {
        match reply {
            Reply::StressRuns { runs, .. } => Some(runs),
            _ => None,
        }
    }

    fn report(
        &self,
        params: &StressParams<M>,
        parts: Vec<Vec<RunSummary>>,
    ) -> Option<StressReport> {
        let list = tasks(params, cores());
        Some(assemble(params, list.into_iter().zip(parts).collect()))
    }

    fn total_work(&self, params: &StressParams<M>) -> Option<f64> {
        Some(cost(params).work)
    }

    fn plan(&self, params: &StressParams<M>) -> Option<flywheel_core::cost::RunCost> {
        Some(cost(params))
    }

    fn metrics(&self) -> Vec<Element> {
        [
            ("Stress test", "verdict"),
            ("Baseline score (median)", "baseline"),
            ("Hardest scenario", "hardest"),
            ("Scenarios passing", "passing"),
        ]
        .iter()
        .map(|(label, key)| metric_card(M::PREFIX, label, key))
        .collect()
    }

    fn render(&self, shown: &Shown<Self>) {
        let r = &shown.report;
        let put = |key: &str, value: &str, sub: &str| {
            if let Some(e) = by_id(&format!("{}m-{key}", M::PREFIX)) {
                e.set_text_content(Some(value));
            }
            if let Some(e) = by_id(&format!("{}m-{key}-sub", M::PREFIX)) {
                e.set_text_content(Some(sub));
            }
        };
        put(
            "verdict",
            if r.passes { "Passes" } else { "Fails" },
            &format!("score P10 ≥ {} in every scenario", readable(r.threshold)),
        );
        if let Some(b) = r.baseline() {
            let s = b.metrics[0];
            put(
                "baseline",
                &Kind::Number.format(s.p50),
                &format!(
                    "P10 {} · P90 {}",
                    Kind::Number.format(s.p10),
                    Kind::Number.format(s.p90)
                ),
            );
        }
        let hardest = r.scenarios[1..]
            .iter()
            .min_by(|a, b| a.metrics[0].p50.total_cmp(&b.metrics[0].p50));
        match hardest {
            Some(h) => put(
                "hardest",
                &h.name,
                &format!(
                    "median score {} ({} vs baseline)",
                    Kind::Number.format(h.metrics[0].p50),
                    signed(Kind::Number, h.change[0])
                ),
            ),
            None => put("hardest", "—", "no scenario listed"),
        }
        let passing = r.scenarios.iter().filter(|s| s.passes).count();
        put(
            "passing",
            &format!("{passing} of {}", r.scenarios.len()),
            "the baseline included",
        );
        if let Some(m) = by_id(&format!("{}metrics", M::PREFIX)) {
            let _ = m.set_attribute("data-passes", if r.passes { "true" } else { "false" });
            let _ = m.set_attribute("data-runs", &r.runs.to_string());
            let _ = m.set_attribute("data-scenarios", &r.scenarios.len().to_string());
        }
        if let Some(w) = by_id(&Self::id("table")) {
            w.set_inner_html("");
            let _ = w.append_child(&Self::table(r));
        }
        if let Some(d) = by_id(&Self::id("scenarios")) {
            d.set_inner_html("");
            for s in &r.scenarios[1..] {
                let _ = d.append_child(&el("dt").text(&s.name).build());
                let _ = d.append_child(&el("dd").text(&s.description).build());
            }
        }
        if let Some(n) = by_id(&Self::id("notes")) {
            n.set_inner_html("");
            let notes: Vec<&String> = r.scenarios.iter().flat_map(|s| &s.notes).collect();
            for note in notes {
                let _ = n.append_child(&el("li").text(note).build());
            }
        }
        if let Some(s) = by_id(&Self::id("summary")) {
            let policies = if r.policies.is_empty() {
                "no policy".to_string()
            } else {
                r.policies.join(", ")
            };
            s.set_text_content(Some(&format!(
                "{} Horizon {} {}s, {} a scenario, seeds {} + run, outside market noise {} a step, {}.",
                r.summary(),
                r.steps,
                r.unit,
                plural(f64::from(r.runs), "run"),
                r.seed,
                readable(r.market_noise),
                policies
            )));
        }
        Self::fill_selects(r, self.choice.get());
    }

    fn draw(
        &self,
        chart: StressChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        let c = self.choice.get();
        canvas::draw(canvas, |root, theme| {
            chart.draw(root, &shown.report, c, theme)
        })
    }

    fn summary(&self, chart: StressChart, shown: &Shown<Self>) -> String {
        chart.summary(&shown.report, self.choice.get())
    }

    fn svg(&self, chart: StressChart, shown: &Shown<Self>) -> Result<String, String> {
        chart.svg(&shown.report, self.choice.get())
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<()> {
        let r = &shown.report;
        let tab = <StressParams<M> as ParamModel>::TAB;
        Saved::File(match export {
            Export::Csv => File {
                name: format!("flywheel-{tab}.csv"),
                mime: "text/csv",
                content: r.csv(),
            },
            Export::Json => File {
                name: format!("flywheel-{tab}.json"),
                mime: "application/json",
                // As the command line prints it: the same bytes.
                content: serde_json::to_string_pretty(&r.json())
                    .map(|s| s + "\n")
                    .unwrap_or_default(),
            },
            Export::Bands => {
                let series = self.choice.get().series;
                File {
                    name: format!("flywheel-{tab}-{}.csv", SERIES[series].0),
                    mime: "text/csv",
                    content: r.bands_csv(series),
                }
            }
        })
    }

    fn extras(&self) -> Extras {
        let c = self.choice.get();
        let series: Vec<(String, String)> = SERIES
            .iter()
            .enumerate()
            .map(|(i, s)| (i.to_string(), s.1.to_string()))
            .collect();
        let metrics: Vec<(String, String)> = (0..metric_names().len())
            .map(|i| (i.to_string(), metric_label(i).0.to_string()))
            .collect();
        let choosers = el("div")
            .class("choosers")
            .child(el("label").text("Fan chart of ").child(options(
                &Self::id("series"),
                &series,
                c.series,
                "The series the fan chart shows",
            )))
            .child(
                el("label").text(" under ").child(
                    el("select")
                        .id(&Self::id("vs"))
                        .attr("title", "The scenario drawn against the baseline"),
                ),
            )
            .child(el("label").text(" · Spread of ").child(options(
                &Self::id("metric"),
                &metrics,
                c.metric,
                "The metric the spread chart shows across the scenarios",
            )))
            .build();
        let table = el("section")
            .class("card")
            .child(el("h3").text("Stress table"))
            .child(el("p").class("stress-summary").id(&Self::id("summary")))
            .child(el("dl").class("scenario-list").id(&Self::id("scenarios")))
            .child(el("ul").class("notes").id(&Self::id("notes")))
            .child(el("div").class("table-wrap tall").id(&Self::id("table")))
            .child(el("p").class("note").text(
                "Each cell: the median in bold, P10 – P90 over the runs, and the median's change against the baseline's. A shaded cell fails the seed's criterion: the score is judged at its P10 (9 runs in 10 at least that), the others at their median. Hover a metric or a scenario for what it is.",
            ))
            .build();
        Extras {
            below_metrics: vec![table, choosers],
            ..Extras::default()
        }
    }

    fn on_params(&self, params: &StressParams<M>, _panel: &crate::panel::Panel) {
        // A link, a preset or the text field: the form follows the list that was taken.
        if !self.typing.get() && by_id(&Self::id("shocks")).is_some() {
            let blocks = shocks::blocks(&params.scenario_list(), &M::library(&params.model));
            if blocks != *self.blocks.borrow() {
                self.show_form(blocks, params);
            }
        }
    }

    fn wire(view: &Rc<View<Self>>) {
        Self::wire_form(view);
        for id in ["series", "vs", "metric"] {
            if let Some(s) = by_id(&Self::id(id)) {
                let v = view.clone();
                on(&s, "change", move |_: Event| {
                    v.own().choice.set(Self::read_choice());
                    v.write_url();
                    v.draw_charts();
                });
            }
        }
    }

    fn read_link(&self, fragment: &str) -> bool {
        let d = Choice::default();
        let get = |k: &str, d: usize| {
            view_value(fragment, k)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(d)
        };
        let c = Choice {
            series: get("series", d.series).min(SERIES.len() - 1),
            scenario: get("vs", d.scenario),
            metric: get("metric", d.metric).min(metric_names().len() - 1),
        };
        self.choice.set(c);
        for (id, x) in [("series", c.series), ("metric", c.metric)] {
            if let Some(s) = select(&Self::id(id)) {
                s.set_value(&x.to_string());
            }
        }
        false
    }

    fn link_view(&self, _shown: Option<&Shown<Self>>) -> Vec<(&'static str, String)> {
        let c = self.choice.get();
        let d = Choice::default();
        let mut out = Vec::new();
        if c.series != d.series {
            out.push(("series", c.series.to_string()));
        }
        if c.scenario != d.scenario {
            out.push(("vs", c.scenario.to_string()));
        }
        if c.metric != d.metric {
            out.push(("metric", c.metric.to_string()));
        }
        out
    }

    fn progress(
        &self,
        params: &StressParams<M>,
        _commands: usize,
        done: f64,
        total: f64,
    ) -> String {
        let n = params.scenario_list().len() + 1;
        let f = if total > 0.0 { done / total } else { 0.0 };
        format!(
            "Running {} scenarios (the baseline included) × {}: {}% on {}",
            n,
            plural(f64::from(params.runs()), "run"),
            (f * 100.0).floor(),
            plural(cores() as f64, "worker")
        )
    }

    fn finished(&self, shown: &Shown<Self>, ms: f64, _worker: Option<(f64, f64)>) -> String {
        format!(
            "{} scenarios × {} × {} {}s: {} on {}",
            shown.report.scenarios.len(),
            plural(f64::from(shown.report.runs), "run"),
            shown.report.steps,
            shown.report.unit,
            flywheel_core::format::duration_ms(ms),
            plural(cores() as f64, "worker")
        )
    }
}
