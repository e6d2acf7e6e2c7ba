//! Pieces the views' pages are built from (see [`crate::view`]): buttons, chart cards, the Info
//! box, banners, the run bar, presets, the share line and downloads, status attributes, the
//! per-field error text and edits validated like links.

use crate::dom::{by_id, el, set_hidden, El};
use crate::info::InfoSection;
use crate::panel::Panel;
use flywheel_core::cost::RunCost;
use flywheel_core::format::duration_ms;
use flywheel_core::params::{with_labels, ParamIssue, ParamModel, Preset};
use std::rc::Rc;
use web_sys::Element;

pub fn button(label: &str, id: &str, title: &str) -> Element {
    el("button")
        .attr("type", "button")
        .id(id)
        .attr("title", title)
        .text(label)
        .build()
}

/// A chart: title, SVG download button `svg_id`, the canvas `id`, a caption, and the chart's
/// key numbers in words (`{id}-summary`, filled by [`set_chart_summary`]): the canvas's text
/// alternative.
pub fn chart_card(id: &str, title: &str, caption: &str, svg_id: &str) -> Element {
    el("figure")
        .class("chart-card")
        .id(&format!("fig-{}", id.trim_start_matches("chart-")))
        .child(
            el("div")
                .class("chart-head")
                .child(el("h3").text(title))
                .child(button("SVG", svg_id, "Download this chart as SVG")),
        )
        .child(
            el("canvas")
                .id(id)
                .attr("role", "img")
                .attr("aria-label", title)
                .attr("aria-describedby", &format!("{id}-summary")),
        )
        .child(el("figcaption").text(caption))
        .child(el("p").class("chart-summary").id(&format!("{id}-summary")))
        .build()
}

/// Writes a chart's key numbers under it (its text alternative).
pub fn set_chart_summary(canvas_id: &str, text: &str) {
    if let Some(p) = by_id(&format!("{canvas_id}-summary")) {
        p.set_text_content(Some(text));
    }
}

/// The Info box: its sections as collapsible parts, the first two open. "What is it" is not
/// among them: it stands at the top of the tab ([`toolbar`]).
pub fn info_box(id: &str, sections: &[InfoSection]) -> Element {
    let mut b = el("section")
        .class("info")
        .id(id)
        .child(el("h2").text("About this tab"));
    let rest = sections.iter().filter(|(head, _)| *head != WHAT_IS_IT);
    for (i, (head, body)) in rest.enumerate() {
        let d = el("details")
            .child(el("summary").text(head))
            .child(el("div").class("info-body").html(body));
        b = b.child(if i < 2 { d.attr("open", "") } else { d });
    }
    b.build()
}

/// Fills the banner `id` with the input problems (hidden when there are none).
pub fn show_issues(id: &str, issues: &[&ParamIssue], notes: &[ParamIssue]) {
    let Some(b) = by_id(id) else { return };
    b.set_inner_html("");
    // What the model made of valid values (shares used in proportion, say) is said here, at the
    // top, as well as at the field, which may be far down the panel.
    let notes: Vec<&ParamIssue> = notes.iter().collect();
    for (head, list) in [
        ("How these values are read:", &notes),
        ("Some input could not be used:", &issues.to_vec()),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = b.append_child(&el("strong").text(head).build());
        let items = list.iter().map(|i| {
            el("li")
                .attr("data-field", &i.field)
                .text(&i.message)
                .build()
        });
        let _ = b.append_child(&el("ul").children(items).build());
    }
    set_hidden(&b, issues.is_empty() && notes.is_empty());
}

/// The error line for a field the user is typing into: what is wrong and the allowed range,
/// without the "using the default" part (the last valid value stays while they type).
pub fn field_error(issue: &ParamIssue) -> String {
    let msg = issue
        .message
        .split("; using ")
        .next()
        .unwrap_or(&issue.message);
    format!("{msg}. The charts keep the last valid value.")
}

/// Marks the tab `root` as computing or ready (with the fragment it shows); the page's `#app`
/// carries the visible tab's status, which end-to-end tests wait for.
pub fn set_status(root: &Element, status: &str, fragment: Option<&str>) {
    let targets = [
        Some(root.clone()),
        by_id("app").filter(|_| !root.has_attribute("hidden")),
    ];
    for t in targets.into_iter().flatten() {
        let _ = t.set_attribute("data-status", status);
        if let Some(f) = fragment {
            let _ = t.set_attribute("data-fragment", f);
        }
    }
}

/// The share line under a tab's toolbar: ids `{prefix}share`, `{prefix}share-url`,
/// `{prefix}share-msg`. Hidden until it has something to say.
pub fn share_bar(prefix: &str) -> Element {
    let bar = el("div")
        .class("share")
        .id(&format!("{prefix}share"))
        .child(
            el("input")
                .id(&format!("{prefix}share-url"))
                .attr("readonly", "")
                .attr("aria-label", "Link to this state"),
        )
        .child(el("span").id(&format!("{prefix}share-msg")))
        .build();
    set_hidden(&bar, true);
    bar
}

/// Shows `msg` in the tab's share line.
pub fn share_msg(prefix: &str, msg: &str) {
    if let Some(m) = by_id(&format!("{prefix}share-msg")) {
        m.set_text_content(Some(msg));
    }
    if let Some(sh) = by_id(&format!("{prefix}share")) {
        set_hidden(&sh, false);
    }
}

/// Copies the page's address with `fragment` and shows it in the share line.
pub fn copy_link(prefix: &str, fragment: &str, msg: &str) {
    use wasm_bindgen::JsCast;
    let loc = crate::dom::window().location();
    let link = format!(
        "{}{}{fragment}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    crate::export::copy(&link);
    if let Some(bar) = by_id(&format!("{prefix}share")) {
        let _ = bar.set_attribute("data-fragment", fragment);
    }
    if let Some(i) = by_id(&format!("{prefix}share-url"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        i.set_value(&link);
        i.select();
    }
    share_msg(prefix, msg);
}

/// Hides the tab's share line once the state changed from the one it shows (a copied link of an
/// earlier state would mislead). The line keeps the fragment it was made for in `data-fragment`.
fn forget_stale_share(root: &Element, fragment: &str) {
    let Ok(Some(bar)) = root.query_selector(".share") else {
        return;
    };
    let shown = bar.get_attribute("data-fragment").unwrap_or_default();
    if !bar.has_attribute("hidden") && shown != fragment {
        set_hidden(&bar, true);
    }
}

/// Downloads a file; a failure is said in the share line.
pub fn save(prefix: &str, name: &str, mime: &str, content: &str) {
    if let Err(e) = crate::export::download(name, mime, content) {
        share_msg(prefix, &format!("The download failed: {e}"));
    }
}

/// Puts a tab's `fragment` in the address bar (if the tab is showing) and in its navigation link
/// `nav-{tab}`, so coming back to the tab restores this state.
pub fn write_url(root: &Element, tab: &str, fragment: &str) {
    forget_stale_share(root, fragment);
    // Only while the address bar is still this tab's: a result that arrives after the reader
    // went to another tab (whose hashchange may not have been handled yet) must not pull the
    // address bar back.
    let location = crate::dom::window().location().hash().unwrap_or_default();
    let named = flywheel_core::codec::split(&location).tab;
    let other_tab = named != tab && by_id(&named).is_some_and(|e| e.tag_name() == "MAIN");
    let ours = !other_tab;
    if ours && !root.has_attribute("hidden") {
        if let Ok(h) = crate::dom::window().history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
        }
    }
    if let Some(a) = by_id(&format!("nav-{tab}")) {
        let _ = a.set_attribute("href", fragment);
    }
}

/// Edits this close together are one step of the browser's history.
const SETTLE_MS: i32 = 800;

thread_local! {
    /// Whether the last edit has settled: the next one starts a new history entry.
    static SETTLED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    static SETTLE_TIMER: std::cell::Cell<Option<i32>> = const { std::cell::Cell::new(None) };
}

/// A person changed the design (a field, a preset, Reset all) in the view whose root is `root`:
/// the first edit after a pause starts a new entry of the browser's history (a copy of the
/// current one, which the [`write_url`] that follows overwrites), so Back and Forward undo and
/// redo a design one settled edit at a time; edits in quick succession (a slider dragged) share
/// one entry.
pub fn note_edit(root: &Element) {
    if root.has_attribute("hidden") {
        return;
    }
    if SETTLED.with(|s| s.replace(false)) {
        let w = crate::dom::window();
        if let (Ok(h), Ok(href)) = (w.history(), w.location().href()) {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
        }
    }
    if let Some(t) = SETTLE_TIMER.with(|t| t.take()) {
        crate::dom::cancel_timer(t);
    }
    let t = crate::dom::after(SETTLE_MS, || SETTLED.with(|s| s.set(true)));
    SETTLE_TIMER.with(|s| s.set(Some(t)));
}

/// The page moved to another entry (a link, Back, a tab): the next edit starts a new one.
pub fn history_moved() {
    if let Some(t) = SETTLE_TIMER.with(|t| t.take()) {
        crate::dom::cancel_timer(t);
    }
    SETTLED.with(|s| s.set(true));
}

/// A field was edited: validates `text` into `params` by exactly the rules a link and the CLI
/// apply (the field's own range, then the checks between fields), keeps the panel's error lines,
/// notes and sliders in step, and forgets the link's complaints about the fields taken.
///
/// A value that breaks a rule between fields (a maximum below its minimum, say) is not taken:
/// its field says which rule, the charts keep the last valid parameters, and the value waits.
/// Every later edit tries the waiting values again, so raising the maximum lets a waiting minimum
/// through. Returns whether `params` changed.
pub fn apply_edit<M: ParamModel>(
    params: &mut M,
    link_issues: &mut Vec<ParamIssue>,
    panel: &Panel,
    name: &str,
    text: &str,
) -> bool {
    let mut edited = params.clone();
    if let Err(issue) = edited.set_text(name, text) {
        panel.set_error(name, Some(&with_labels::<M>(&field_error(&issue), false)));
        return false;
    }
    // Values waiting on a rule between fields (in error, but valid on their own) go through,
    // one by one in panel order, as soon as they keep every rule together with this edit.
    let mut candidate = edited;
    let mut taken = vec![name];
    for other in field_names::<M>().filter(|n| *n != name && panel.has_error(n)) {
        let Some(raw) = panel.raw_value(other) else {
            continue;
        };
        let mut with_other = candidate.clone();
        if with_other.set_text(other, &raw).is_ok() && cross_issues(&with_other).is_empty() {
            candidate = with_other;
            taken.push(other);
        }
    }
    let issues = cross_issues(&candidate);
    if !issues.is_empty() {
        // Said at the field being edited, naming it when the rule names the other field.
        let msg: Vec<String> = issues
            .iter()
            .map(|i| {
                if i.field == name {
                    field_error(i)
                } else {
                    format!("{name} {} breaks a rule: {}", text.trim(), field_error(i))
                }
            })
            .collect();
        panel.set_error(name, Some(&with_labels::<M>(&msg.join(" "), false)));
        return false;
    }
    *params = candidate;
    for n in taken {
        panel.set_error(n, None);
        if let Some(x) = params.get(n).and_then(|v| v.as_real()) {
            panel.sync_slider(n, x);
        }
        link_issues.retain(|i| i.field != n);
    }
    panel.show_notes::<M>(&params.notes());
    true
}

/// The problems between fields of `m` (what a link or the CLI would refuse), without changing it.
fn cross_issues<M: ParamModel>(m: &M) -> Vec<ParamIssue> {
    m.clone().cross_check()
}

/// Every field a panel of `M` may show: the specs and the free-text fields.
fn field_names<M: ParamModel>() -> impl Iterator<Item = &'static str> {
    M::specs()
        .iter()
        .map(|s| s.name())
        .chain(M::text_fields().iter().map(|t| t.name))
}

/// The presets' fieldset: a button `{prefix}preset-{name}` each and a note `{prefix}preset-note`.
pub fn presets_group(prefix: &str, presets: &[Preset]) -> El {
    let mut buttons = el("div").class("presets").attr("role", "group");
    for p in presets {
        buttons = buttons.child(
            el("button")
                .attr("type", "button")
                .class("preset")
                .id(&format!("{prefix}preset-{}", p.name))
                .attr("title", p.about)
                .attr("aria-pressed", "false")
                .text(p.label),
        );
    }
    el("fieldset")
        .class("group")
        .child(el("legend").text("Presets"))
        .child(buttons)
        .child(el("p").class("note").id(&format!("{prefix}preset-note")))
}

/// Marks the preset named `active` (if any) and shows its description, or `custom`.
pub fn mark_presets(prefix: &str, presets: &[Preset], active: Option<&str>, custom: &str) {
    let mut note = custom.to_string();
    for p in presets {
        let on = active == Some(p.name);
        if on {
            note = p.about.to_string();
        }
        if let Some(b) = by_id(&format!("{prefix}preset-{}", p.name)) {
            let _ = b.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    }
    if let Some(n) = by_id(&format!("{prefix}preset-note")) {
        n.set_text_content(Some(&note));
    }
}

/// A one-shot timer that a newer request replaces (debounced edits).
#[derive(Default)]
pub struct Debounce(std::cell::Cell<Option<i32>>);

impl Debounce {
    /// Runs `f` after `ms`, unless `schedule` or `cancel` is called again first.
    pub fn schedule(self: &Rc<Self>, ms: i32, f: impl FnOnce() + 'static) {
        self.cancel();
        let me = self.clone();
        let handle = crate::dom::after(ms, move || {
            me.0.set(None);
            f();
        });
        self.0.set(Some(handle));
    }

    pub fn cancel(&self) {
        if let Some(t) = self.0.take() {
            crate::dom::cancel_timer(t);
        }
    }

    pub fn pending(&self) -> bool {
        self.0.get().is_some()
    }
}

/// A tab's heading: title, one-line lede, and its action buttons.
pub fn toolbar(title: &str, lede: &str, actions: Vec<Element>) -> Element {
    el("div")
        .class("toolbar")
        .child(
            el("div")
                .class("toolbar-text")
                .child(el("h1").text(title))
                .child(el("p").class("lede").text(lede)),
        )
        .child(el("div").class("actions").children(actions))
        .build()
}

/// The Info section that says what a tab is: shown at its top, under the toolbar.
pub const WHAT_IS_IT: &str = "What is it";

/// The tab's "What is it" (`{prefix}what`), from its Info, for the top of the tab.
pub fn what_is_it(prefix: &str, sections: &[InfoSection]) -> Element {
    let body = sections
        .iter()
        .find(|(head, _)| *head == WHAT_IS_IT)
        .map_or("", |(_, body)| *body);
    let text = el("div").class("what-text").html(body).build();
    // On a phone the text is cut to a few lines (the results follow at once); More shows all.
    let more = el("button")
        .attr("type", "button")
        .class("what-more small")
        .attr("aria-expanded", "false")
        .text("More")
        .build();
    let b = el("div")
        .class("what-is-it")
        .id(&format!("{prefix}what"))
        .attr("aria-label", "What is it")
        .child(text)
        .child(more.clone())
        .build();
    let (block, button) = (b.clone(), more.clone());
    crate::dom::on(&more, "click", move |_: web_sys::Event| {
        let open = !block.has_attribute("data-open");
        let _ = if open {
            block.set_attribute("data-open", "")
        } else {
            block.remove_attribute("data-open")
        };
        let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
        button.set_text_content(Some(if open { "Less" } else { "More" }));
    });
    b
}

/// The banners for input problems (`{prefix}issues`) and worker failures
/// (`{prefix}worker-error`), hidden until needed.
pub fn banners(prefix: &str) -> [Element; 2] {
    let issues = el("div")
        .class("banner warn")
        .id(&format!("{prefix}issues"))
        .attr("role", "status")
        .build();
    let error = el("div")
        .class("banner error")
        .id(&format!("{prefix}worker-error"))
        .attr("role", "alert")
        .build();
    set_hidden(&issues, true);
    set_hidden(&error, true);
    [issues, error]
}

/// The run bar of long work: a status line `{prefix}run-text`, a progress bar `{prefix}progress`,
/// and the given buttons.
pub fn run_bar(prefix: &str, what: &str, buttons: Vec<Element>) -> Element {
    el("div")
        .class("run-bar")
        .id(&format!("{prefix}run-bar"))
        .child(
            el("div")
                .class("run-status")
                .child(
                    el("span")
                        .id(&format!("{prefix}run-text"))
                        .attr("aria-live", "polite"),
                )
                .child(
                    el("progress")
                        .id(&format!("{prefix}progress"))
                        .attr("max", "1")
                        .attr("value", "0")
                        .attr("aria-label", &format!("{what} progress")),
                ),
        )
        .child(el("div").class("row-buttons").children(buttons))
        .child(
            el("p")
                .class("run-plan")
                .id(&format!("{prefix}run-plan"))
                .attr("aria-live", "polite")
                .attr("hidden", ""),
        )
        .build()
}

/// Says what a run will cost before it starts (`{prefix}run-plan`): a long one how long it will
/// take, any one its size. The line's `data-estimate-ms` carries the page's estimate.
pub fn show_plan(prefix: &str, cost: &RunCost) {
    let Some(t) = by_id(&format!("{prefix}run-plan")) else {
        return;
    };
    let text = if cost.is_long(true) {
        format!(
            "A long run: {}. Cancel stops it at once.",
            cost.describe(true)
        )
    } else {
        format!("Estimated {}.", cost.describe(true))
    };
    t.set_text_content(Some(&text));
    let _ = t.set_attribute("data-estimate-ms", &format!("{:.0}", cost.estimate(true)));
    let _ = t.set_attribute("data-memory-bytes", &format!("{:.0}", cost.memory_bytes));
    set_hidden(&t, false);
}

/// Hides the plan line once its run is over.
pub fn hide_plan(prefix: &str) {
    if let Some(t) = by_id(&format!("{prefix}run-plan")) {
        set_hidden(&t, true);
    }
}

/// Long work's progress in the run bar: `what` is running, the share of the work done (not of
/// the steps: later steps of a growing population cost more) and the time left, extrapolated
/// from the time so far.
pub fn show_progress(prefix: &str, what: &str, started_ms: f64, done: f64, total: f64) {
    let f = if total > 0.0 {
        (done / total).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let elapsed = crate::dom::now_ms() - started_ms;
    let left = if f > 0.0 && f < 1.0 && elapsed > 0.0 {
        format!(" · about {} left", duration_ms(elapsed * (1.0 - f) / f))
    } else {
        String::new()
    };
    let text = format!("{what} · {:.0}%{left}", (f * 100.0).floor());
    if let Some(t) = by_id(&format!("{prefix}run-text")) {
        t.set_text_content(Some(&text));
    }
    if let Some(p) = by_id(&format!("{prefix}progress")) {
        let _ = p.set_attribute("value", &format!("{f:.4}"));
        let _ = p.set_attribute("data-done", &format!("{done:.0}"));
        let _ = p.set_attribute("data-total", &format!("{total:.0}"));
    }
}

/// A refused run (past the limits of every run): the reason in the tab's error banner
/// `{prefix}worker-error`, and the tab's status `refused`.
pub fn show_refusal(root: &Element, prefix: &str, message: &str) {
    if let Some(e) = by_id(&format!("{prefix}worker-error")) {
        e.set_text_content(Some(message));
        set_hidden(&e, false);
    }
    hide_plan(prefix);
    if let Some(t) = by_id(&format!("{prefix}run-text")) {
        t.set_text_content(Some("Not started: the run is past the limits (see above)."));
    }
    set_status(root, "refused", None);
}

/// A metric card: label, value `{prefix}m-{key}` and a line under it `{prefix}m-{key}-sub`.
pub fn metric_card(prefix: &str, label: &str, key: &str) -> Element {
    el("div")
        .class("metric")
        .child(el("div").class("metric-label").text(label))
        .child(
            el("div")
                .class("metric-value")
                .child(el("span").class("v").id(&format!("{prefix}m-{key}"))),
        )
        .child(
            el("div")
                .class("metric-sub")
                .id(&format!("{prefix}m-{key}-sub")),
        )
        .build()
}

/// Calls `redraw` once per animation frame after the window is resized, while `root` shows.
pub fn redraw_on_resize(root: &Element, redraw: impl Fn() + 'static) {
    let root = root.clone();
    let redraw = Rc::new(redraw);
    let pending = Rc::new(std::cell::Cell::new(false));
    crate::dom::on(&crate::dom::window(), "resize", move |_: web_sys::Event| {
        if root.has_attribute("hidden") || pending.replace(true) {
            return;
        }
        let (redraw, pending) = (redraw.clone(), pending.clone());
        crate::dom::next_frame(move || {
            pending.set(false);
            redraw();
        });
    });
}

/// Calls `f` with the tab `me` when the element `id` is clicked.
pub fn on_click<T: 'static>(me: &Rc<T>, id: &str, f: impl Fn(&Rc<T>) + 'static) {
    let me = me.clone();
    if let Some(b) = by_id(id) {
        crate::dom::on(&b, "click", move |_: web_sys::Event| f(&me));
    }
}

/// The health box of a model view: the seed's criteria with their verdicts and the policies'
/// interventions (`{prefix}health`, filled by [`show_health`]).
pub fn health_box(prefix: &str) -> Element {
    el("section")
        .class("card health")
        .id(&format!("{prefix}health"))
        .child(el("h3").text("Health: the seed's success criteria"))
        .child(
            el("ul")
                .class("checks")
                .id(&format!("{prefix}health-checks")),
        )
        .child(
            el("p")
                .class("note")
                .id(&format!("{prefix}health-policies")),
        )
        .child(
            el("details")
                .class("interventions")
                .child(
                    el("summary")
                        .id(&format!("{prefix}health-log-title"))
                        .text("Interventions"),
                )
                .child(el("ol").class("log").id(&format!("{prefix}health-log"))),
        )
        .build()
}

/// Shows a run's health in [`health_box`]: each criterion passed or failed with its value (the
/// median over the runs), the policies on, and the first run's interventions.
pub fn show_health(prefix: &str, h: &flywheel_core::policy::health::HealthSummary) {
    use flywheel_core::policy::health::METRICS;
    if let Some(list) = by_id(&format!("{prefix}health-checks")) {
        list.set_inner_html("");
        for c in &h.checks {
            let kind = METRICS.iter().find(|m| m.name == c.metric).map(|m| m.kind);
            let value = kind.map_or(String::new(), |k| k.format(c.value));
            let help = METRICS
                .iter()
                .find(|m| m.name == c.metric)
                .map_or("", |m| m.help);
            let item = el("li")
                .class(if c.pass { "pass" } else { "fail" })
                .attr("data-metric", &c.metric)
                .attr("data-value", &flywheel_core::format::shortest(c.value))
                .attr("title", help)
                .child(el("span").class("verdict").text(if c.pass {
                    "✓ pass"
                } else {
                    "✗ fail"
                }))
                .child(
                    el("span")
                        .class("check-label")
                        .text(&format!(" {} ", c.label)),
                )
                .child(el("b").text(&value))
                .child(
                    el("span")
                        .class("target")
                        .text(&format!(" (target {})", c.target)),
                );
            let _ = list.append_child(&item.build());
        }
    }
    if let Some(p) = by_id(&format!("{prefix}health-policies")) {
        let text = if h.policies.is_empty() {
            "Median over the runs. No policy is on: turn one on in the panel's Policies sections."
                .to_string()
        } else {
            format!(
                "Median over the runs. Policies on: {}; interventions a run: median {} (P10 {}, P90 {}).",
                h.policies.join(", "),
                flywheel_core::format::readable(h.interventions.p50),
                flywheel_core::format::readable(h.interventions.p10),
                flywheel_core::format::readable(h.interventions.p90)
            )
        };
        p.set_text_content(Some(&text));
    }
    if let Some(t) = by_id(&format!("{prefix}health-log-title")) {
        t.set_text_content(Some(&format!(
            "Interventions of the first run ({})",
            h.log.len()
        )));
    }
    if let Some(list) = by_id(&format!("{prefix}health-log")) {
        list.set_inner_html("");
        for i in h.log.iter().take(400) {
            let item = el("li")
                .child(
                    el("span")
                        .class("log-step")
                        .text(&format!("step {} ", i.step)),
                )
                .child(
                    el("span")
                        .class("log-policy")
                        .text(&format!("{}: ", i.policy)),
                )
                .child(el("span").text(&i.action));
            let _ = list.append_child(&item.build());
        }
        if h.log.len() > 400 {
            let _ = list.append_child(
                &el("li")
                    .text(&format!("… {} more in the JSON export", h.log.len() - 400))
                    .build(),
            );
        }
    }
}
