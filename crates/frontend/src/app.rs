//! The page's start: the shell, the registry of tabs, the router (tab from the URL fragment).

use crate::dom::{by_id, document, el, on, set_hidden, window};
use crate::view::{ModelView, Tab, View};
use crate::views::commons::Commons;
use crate::views::commons_dao::CommonsDao;
use crate::views::conviction::Conviction;
use crate::views::crowdtrain::CrowdTrain;
use crate::views::datadao::DataDao;
use crate::views::research::ResearchView;
use crate::views::stress::Stress;
use flywheel_core::codec::split;
use flywheel_core::commons::research::CommonsDao as ResearchCommons;
use flywheel_core::commons::stress::CommonsDao as StressCommons;
use flywheel_core::crowdtrain::research::CrowdTrain as ResearchCrowdTrain;
use flywheel_core::crowdtrain::stress::CrowdTrain as StressCrowdTrain;
use flywheel_core::datadao::stress::DataDao as StressDataDao;
use flywheel_core::params::{clip, ParamIssue};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Event;

/// The worker script Trunk emits next to the page (relative, so any static host path works).
pub const WORKER_URL: &str = "./worker_loader.js";

/// The page's tabs in navigation order, each with its own worker (so one tab's long run never
/// delays another, and a Cancel stops only its own). The first is shown for a link without a
/// known tab. A new view is one more line here.
fn tabs() -> Vec<Rc<dyn Tab>> {
    vec![
        view::<Commons>(),
        view::<CommonsDao>(),
        ResearchView::<ResearchCommons>::create(),
        view::<Stress<StressCommons>>(),
        view::<Conviction>(),
        view::<CrowdTrain>(),
        ResearchView::<ResearchCrowdTrain>::create(),
        view::<Stress<StressCrowdTrain>>(),
        view::<DataDao>(),
        view::<Stress<StressDataDao>>(),
    ]
}

fn view<V: ModelView>() -> Rc<dyn Tab> {
    View::<V>::create()
}

thread_local! {
    static TABS: RefCell<Vec<Rc<dyn Tab>>> = const { RefCell::new(Vec::new()) };
}

pub fn start() {
    console_error_panic_hook::set_once();
    let tabs: Rc<[Rc<dyn Tab>]> = tabs().into();
    TABS.with(|t| *t.borrow_mut() = tabs.to_vec());

    let app = by_id("app").expect("index.html has #app");
    app.set_inner_html("");
    let mut nav = el("nav").class("tabs").attr("aria-label", "Models");
    for tab in tabs.iter() {
        let (name, label) = (tab.name(), tab.label());
        // "dataDAO · data cooperative": the name always shows, the rest where there is room.
        let (short, rest) = label.split_once(" · ").unwrap_or((label, ""));
        nav = nav.child(
            el("a")
                .class("tab")
                .id(&format!("nav-{name}"))
                .attr("href", &format!("#{name}"))
                .attr("title", label)
                .child(el("span").class("tab-name").text(short))
                .child(el("span").class("tab-sub").text(&format!(" · {rest}"))),
        );
    }
    // Keyboard users jump past the header and the parameters to the visible tab's results.
    let skip = el("a")
        .class("skip-link")
        .id("skip-link")
        .attr("href", "#")
        .text("Skip to the results")
        .build();
    on(&skip, "click", |e: Event| {
        e.prevent_default();
        focus_results();
    });
    let header = el("header")
        .class("top")
        .child(
            el("a")
                .class("brand")
                .attr("href", &format!("#{}", tabs[0].name()))
                .child(
                    el("span")
                        .class("logo")
                        .attr("aria-hidden", "true")
                        .text("◎"),
                )
                .child(el("span").text("Flywheel"))
                .child(el("span").class("tag").text("token-engineering lab")),
        )
        .child(nav)
        .build();
    let footer = el("footer")
        .html("Flywheel runs entirely in your browser: no server sees your parameters. A link reproduces exactly what you see.")
        .build();
    let _ = app.append_child(&skip);
    let _ = app.append_child(&header);
    for tab in tabs.iter() {
        let _ = app.append_child(tab.root());
    }
    let _ = app.append_child(&footer);
    for tab in tabs.iter() {
        tab.mount();
    }
    parameter_drawers();
    route(&tabs);

    // A link, Back or Forward: the tab and state of the new entry. (Back between entries that
    // differ in their fragment fires both events; the second finds the state shown already.)
    let again = tabs.clone();
    on(&window(), "hashchange", move |_: Event| {
        crate::widgets::history_moved();
        route(&tabs)
    });
    on(&window(), "popstate", move |_: Event| {
        crate::widgets::history_moved();
        route(&again)
    });
    keep_focus_on_tabs();
}

/// A tab chosen from the keyboard keeps the focus: the fragment names the tab's `<main>`, whose
/// scroll into view would otherwise leave the focus on `<body>`.
fn keep_focus_on_tabs() {
    let Ok(links) = document().query_selector_all("nav.tabs a.tab") else {
        return;
    };
    for i in 0..links.length() {
        let Some(a) = links
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let link = a.clone();
        on(&a, "click", move |_: Event| {
            let link = link.clone();
            crate::dom::after(0, move || {
                if document()
                    .active_element()
                    .is_none_or(|e| e.tag_name() == "BODY")
                {
                    let _ = link.focus();
                }
            });
        });
    }
}

/// Moves the keyboard focus to the visible tab's results (its toolbar, numbers and charts).
fn focus_results() {
    let Ok(Some(content)) = document().query_selector("main.layout:not([hidden]) section.content")
    else {
        return;
    };
    let _ = content.set_attribute("tabindex", "-1");
    if let Ok(h) = content.dyn_into::<web_sys::HtmlElement>() {
        let _ = h.focus();
        h.scroll_into_view();
    }
}

/// On a phone each tab's parameters become a drawer at the bottom of the screen, so the charts
/// they drive stay in view: a toggle opens and closes it (on wide screens the panel is a side
/// column and the toggle is hidden by the stylesheet).
fn parameter_drawers() {
    let Ok(asides) = document().query_selector_all("main.layout aside.side") else {
        return;
    };
    for i in 0..asides.length() {
        let Some(aside) = asides
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let tab = aside.parent_element().map(|p| p.id()).unwrap_or_default();
        let toggle = el("button")
            .class("drawer-toggle")
            .id(&format!("{tab}-drawer-toggle"))
            .attr("type", "button")
            .attr("aria-expanded", "false")
            .text("Parameters")
            .build();
        let _ = aside.insert_before(&toggle, aside.first_child().as_ref());
        let set_open = {
            let (a, t) = (aside.clone(), toggle.clone());
            move |open: bool| {
                let _ = if open {
                    a.set_attribute("data-open", "")
                } else {
                    a.remove_attribute("data-open")
                };
                let _ = t.set_attribute("aria-expanded", if open { "true" } else { "false" });
            }
        };
        let (a, open) = (aside.clone(), set_open.clone());
        on(&toggle, "click", move |_: Event| {
            open(!a.has_attribute("data-open"))
        });
        // Escape closes an open drawer and gives the focus back to its toggle.
        let t = toggle.clone();
        on(&aside, "keydown", move |e: web_sys::KeyboardEvent| {
            if e.key() == "Escape" && t.get_attribute("aria-expanded").as_deref() == Some("true") {
                set_open(false);
                if let Some(h) = t.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        });
    }
}

/// Diagnostics (used by the end-to-end tests): makes the first tab's worker panic with
/// `message`, to show that a crash reaches the page as a readable message and a fresh worker
/// takes over.
pub fn debug_crash_worker(message: String) {
    if let Some(tab) = TABS.with(|t| t.borrow().first().cloned()) {
        tab.crash_worker(message);
    }
}

/// Shows the tab named in the fragment with the link's parameters; an unknown tab shows the
/// first tab and says so.
fn route(tabs: &[Rc<dyn Tab>]) {
    let hash = window().location().hash().unwrap_or_default();
    let frag = split(&hash);
    let found = tabs.iter().position(|t| t.name() == frag.tab);
    let shown = found.unwrap_or(0);
    for (i, tab) in tabs.iter().enumerate() {
        let (name, on) = (tab.name(), i == shown);
        set_hidden(tab.root(), !on);
        if let Some(a) = by_id(&format!("nav-{name}")) {
            a.set_class_name(if on { "tab active" } else { "tab" });
            let _ = if on {
                a.set_attribute("aria-current", "page")
            } else {
                a.remove_attribute("aria-current")
            };
        }
        if on {
            document().set_title(&format!("Flywheel · {}", tab.label()));
        }
    }
    match found {
        Some(i) => tabs[i].load(&hash, Vec::new()),
        None if frag.tab.is_empty() => tabs[0].load(&hash, Vec::new()),
        None => {
            let allowed: Vec<&str> = tabs.iter().map(|t| t.name()).collect();
            let first = tabs[0].label();
            let first = first.split_once(" · ").map_or(first, |(short, _)| short);
            let issue = ParamIssue {
                field: "tab".into(),
                message: format!(
                    "tab: there is no tab '{}'; allowed {}; showing {first}",
                    clip(&frag.tab),
                    allowed.join(" | ")
                ),
            };
            tabs[0].load("", vec![issue]);
        }
    }
}
