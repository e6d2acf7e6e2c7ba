//! The page's start: the shell, the router (tab from the URL fragment) and the worker.

use crate::commons_tab::CommonsTab;
use crate::dom::{by_id, el, on, window};
use crate::worker_client::WorkerClient;
use flywheel_core::codec::split;
use flywheel_core::params::{clip, ParamIssue};
use flywheel_core::protocol::Reply;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Event;

/// The worker script Trunk emits next to the page (relative, so any static host path works).
pub const WORKER_URL: &str = "./worker_loader.js";

thread_local! {
    static TAB: RefCell<Option<Rc<CommonsTab>>> = const { RefCell::new(None) };
}

pub fn start() {
    console_error_panic_hook::set_once();
    let worker = WorkerClient::new(WORKER_URL, |reply: Reply| {
        let tab = TAB.with(|t| t.borrow().clone());
        if let Some(tab) = tab {
            tab.on_reply(reply);
        }
    });
    let tab = CommonsTab::new(worker);
    TAB.with(|t| *t.borrow_mut() = Some(tab.clone()));

    let app = by_id("app").expect("index.html has #app");
    app.set_inner_html("");
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
        .child(
            el("nav").class("tabs").attr("aria-label", "Models").child(
                el("a")
                    .class("tab active")
                    .attr("href", "#commons")
                    .attr("aria-current", "page")
                    .text("Commons · bonding curve"),
            ),
        )
        .build();
    let footer = el("footer")
        .html("Flywheel runs entirely in your browser: no server sees your parameters. A link reproduces exactly what you see.")
        .build();
    let _ = app.append_child(&header);
    let _ = app.append_child(&tab.root);
    let _ = app.append_child(&footer);
    tab.mount();
    route(&tab);

    let t = tab.clone();
    on(&window(), "hashchange", move |_: Event| route(&t));
}

/// Diagnostics (used by the end-to-end tests): makes the worker panic with `message`, to show that
/// a crash reaches the page as a readable message and a fresh worker takes over.
pub fn debug_crash_worker(message: String) {
    if let Some(tab) = TAB.with(|t| t.borrow().clone()) {
        tab.crash_worker(message);
    }
}

/// Shows the tab named in the fragment (only Commons exists so far) with the link's parameters.
fn route(tab: &Rc<CommonsTab>) {
    let hash = window().location().hash().unwrap_or_default();
    let frag = split(&hash);
    if frag.tab.is_empty() || frag.tab == "commons" {
        tab.load_fragment(&hash);
    } else {
        tab.load_fragment("");
        tab.add_link_issue(ParamIssue {
            field: "tab".into(),
            message: format!(
                "tab: there is no tab '{}'; allowed commons; showing Commons",
                clip(&frag.tab)
            ),
        });
    }
}
