//! The page's start: the shell, the router (tab from the URL fragment) and the worker.

use crate::commons_tab::CommonsTab;
use crate::crowdtrain_tab::CrowdTrainTab;
use crate::datadao_tab::DataDaoTab;
use crate::dom::{by_id, document, el, on, set_hidden, window};
use crate::worker_client::WorkerClient;
use flywheel_core::codec::split;
use flywheel_core::params::{clip, ParamIssue};
use flywheel_core::protocol::Reply;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Event;

/// The worker script Trunk emits next to the page (relative, so any static host path works).
pub const WORKER_URL: &str = "./worker_loader.js";

thread_local! {
    static TABS: RefCell<Option<Tabs>> = const { RefCell::new(None) };
}

/// The page's tabs, each with its own worker.
#[derive(Clone)]
struct Tabs {
    commons: Rc<CommonsTab>,
    crowdtrain: Rc<CrowdTrainTab>,
    datadao: Rc<DataDaoTab>,
}

/// (fragment tab name, navigation label).
const NAV: [(&str, &str); 3] = [
    ("commons", "Commons · bonding curve"),
    ("crowdtrain", "CrowdTrain · operators"),
    ("datadao", "dataDAO · data cooperative"),
];

pub fn start() {
    console_error_panic_hook::set_once();
    // A worker per tab: each tab's work proceeds on its own, and its Cancel stops only its own.
    let worker_for = |deliver: fn(&Tabs, Reply)| {
        WorkerClient::new(WORKER_URL, move |reply: Reply| {
            if let Some(tabs) = TABS.with(|t| t.borrow().clone()) {
                deliver(&tabs, reply);
            }
        })
    };
    let tabs = Tabs {
        commons: CommonsTab::new(worker_for(|t, r| t.commons.on_reply(r))),
        crowdtrain: CrowdTrainTab::new(worker_for(|t, r| t.crowdtrain.on_reply(r))),
        datadao: DataDaoTab::new(worker_for(|t, r| t.datadao.on_reply(r))),
    };
    TABS.with(|t| *t.borrow_mut() = Some(tabs.clone()));

    let app = by_id("app").expect("index.html has #app");
    app.set_inner_html("");
    let mut nav = el("nav").class("tabs").attr("aria-label", "Models");
    for (name, label) in NAV {
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
                .attr("href", "#commons")
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
    let _ = app.append_child(&tabs.commons.root);
    let _ = app.append_child(&tabs.crowdtrain.root);
    let _ = app.append_child(&tabs.datadao.root);
    let _ = app.append_child(&footer);
    tabs.commons.mount();
    tabs.crowdtrain.mount();
    tabs.datadao.mount();
    parameter_drawers();
    route(&tabs);

    on(&window(), "hashchange", move |_: Event| route(&tabs));
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

/// Diagnostics (used by the end-to-end tests): makes the worker panic with `message`, to show that
/// a crash reaches the page as a readable message and a fresh worker takes over.
pub fn debug_crash_worker(message: String) {
    if let Some(tabs) = TABS.with(|t| t.borrow().clone()) {
        tabs.commons.crash_worker(message);
    }
}

/// Shows the tab named in the fragment with the link's parameters; an unknown tab shows Commons
/// and says so.
fn route(tabs: &Tabs) {
    let hash = window().location().hash().unwrap_or_default();
    let frag = split(&hash);
    let known = NAV.iter().any(|(name, _)| *name == frag.tab);
    let tab = if known { frag.tab.as_str() } else { "commons" };
    for (name, label) in NAV {
        let root = match name {
            "commons" => &tabs.commons.root,
            "crowdtrain" => &tabs.crowdtrain.root,
            _ => &tabs.datadao.root,
        };
        set_hidden(root, name != tab);
        if let Some(a) = by_id(&format!("nav-{name}")) {
            a.set_class_name(if name == tab { "tab active" } else { "tab" });
            let _ = if name == tab {
                a.set_attribute("aria-current", "page")
            } else {
                a.remove_attribute("aria-current")
            };
        }
        if name == tab {
            document().set_title(&format!("Flywheel · {label}"));
        }
    }
    match tab {
        "crowdtrain" => tabs.crowdtrain.load_fragment(&hash),
        "datadao" => tabs.datadao.load_fragment(&hash),
        _ if frag.tab.is_empty() || known => tabs.commons.load_fragment(&hash),
        _ => {
            tabs.commons.load_fragment("");
            let allowed: Vec<&str> = NAV.iter().map(|(n, _)| *n).collect();
            tabs.commons.add_link_issue(ParamIssue {
                field: "tab".into(),
                message: format!(
                    "tab: there is no tab '{}'; allowed {}; showing Commons",
                    clip(&frag.tab),
                    allowed.join(" | ")
                ),
            });
        }
    }
}
