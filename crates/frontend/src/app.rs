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

/// A model and its tabs, as the navigation groups them.
struct Model {
    name: &'static str,
    /// What the model is, in a sentence, for the overview.
    what: &'static str,
    /// Its tabs: the short name in the navigation, a line for the overview, the tab.
    tabs: Vec<(&'static str, &'static str, Rc<dyn Tab>)>,
}

/// The page's models and their tabs in navigation order, each tab with its own worker (so one
/// tab's long run never delays another, and a Cancel stops only its own). The first tab is
/// shown for a link without a known tab, and each model's first tab is where to begin. A new
/// view is one more line here.
fn models() -> Vec<Model> {
    vec![
        Model {
            name: "Commons",
            what: "A community's token on an augmented bonding curve: trading funds a pool that members spend on proposals by conviction voting.",
            tabs: vec![
                ("Curve", "buy and sell on the bonding curve; see price, reserve and the funding pool", view::<Commons>()),
                ("DAO", "the Commons over two years: members, proposals and conviction voting, as a Monte Carlo", view::<CommonsDao>()),
                ("Conviction", "one proposal: its threshold and the days it takes to pass", view::<Conviction>()),
                ("Research", "search the DAO's design levers for a better score, experiment by experiment", ResearchView::<ResearchCommons>::create()),
                ("Stress", "the DAO under bull and bear markets, growth and regulation", view::<Stress<StressCommons>>()),
            ],
        },
        Model {
            name: "CrowdTrain",
            what: "A workforce economy: robot operators train up six tiers, earn tokens and stake them; emissions, burns and churn set the price.",
            tabs: vec![
                ("Model", "the Monte Carlo of the operator economy, its score and bands", view::<CrowdTrain>()),
                ("Research", "the seed's autoresearch loop: better tokenomics, experiment by experiment", ResearchView::<ResearchCrowdTrain>::create()),
                ("Stress", "the economy under market scenarios and dated events, with policies", view::<Stress<StressCrowdTrain>>()),
            ],
        },
        Model {
            name: "dataDAO",
            what: "A data cooperative: members trade a token in a pool, spend it on compute, and the Pie pays them back.",
            tabs: vec![
                ("Model", "the pool, five kinds of members and the Pie, step by step", view::<DataDao>()),
                ("Stress", "the cooperative under market scenarios, with policies", view::<Stress<StressDataDao>>()),
            ],
        },
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
    let models = models();
    let tabs: Rc<[Rc<dyn Tab>]> = models
        .iter()
        .flat_map(|m| m.tabs.iter().map(|t| t.2.clone()))
        .collect::<Vec<_>>()
        .into();
    TABS.with(|t| *t.borrow_mut() = tabs.to_vec());

    let app = by_id("app").expect("index.html has #app");
    app.set_inner_html("");
    // The tabs grouped by model: "Commons: Curve · DAO · Conviction · Research · Stress".
    let mut nav = el("nav")
        .class("tabs")
        .attr("aria-label", "Models and their tabs");
    for (g, m) in models.iter().enumerate() {
        let mut group = el("div")
            .class("tab-group")
            .attr("role", "group")
            .attr("aria-labelledby", &format!("nav-group-{g}"))
            .child(
                el("span")
                    .class("group-name")
                    .id(&format!("nav-group-{g}"))
                    .text(m.name),
            );
        for (short, _, tab) in &m.tabs {
            let (name, label) = (tab.name(), tab.label());
            group = group.child(
                el("a")
                    .class("tab")
                    .id(&format!("nav-{name}"))
                    .attr("href", &format!("#{name}"))
                    .attr("title", label)
                    .attr("aria-label", &format!("{}: {short}", m.name))
                    .child(el("span").class("tab-name").text(short)),
            );
        }
        nav = nav.child(group);
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
        .child(
            el("button")
                .class("start-here")
                .id("start-here")
                .attr("type", "button")
                .attr("aria-controls", "welcome")
                .attr("aria-expanded", "false")
                .text("Start here"),
        )
        .build();
    let welcome = welcome(&models);
    let footer = el("footer")
        .html("Flywheel runs entirely in your browser: no server sees your parameters. A link reproduces exactly what you see.")
        .build();
    let _ = app.append_child(&skip);
    let _ = app.append_child(&header);
    let _ = app.append_child(&welcome);
    for tab in tabs.iter() {
        let _ = app.append_child(tab.root());
    }
    let _ = app.append_child(&footer);
    for tab in tabs.iter() {
        tab.mount();
    }
    parameter_drawers();
    // A first visit to the bare page opens with the overview; later visits and shared links
    // go straight to their tab (the overview stays a click away: Start here).
    let bare = split(&window().location().hash().unwrap_or_default())
        .tab
        .is_empty();
    show_welcome(bare && !welcomed());
    wire_welcome();
    route(&tabs);

    // A link, Back or Forward: the tab and state of the new entry. (Back between entries that
    // differ in their fragment fires both events; the second finds the state shown already.)
    let again = tabs.clone();
    on(&window(), "hashchange", move |_: Event| moved(&tabs));
    on(&window(), "popstate", move |_: Event| moved(&again));
    keep_focus_on_tabs();
}

/// The page moved to another history entry or fragment: its tab and state. (Back between
/// entries that differ in their fragment fires both `popstate` and `hashchange`: the second
/// finds its state shown already, as a view's `load` of what it shows changes nothing.) Going
/// to a tab closes the overview (the reader has found their way: it is remembered).
fn moved(tabs: &[Rc<dyn Tab>]) {
    crate::widgets::history_moved();
    let tab = split(&window().location().hash().unwrap_or_default()).tab;
    if !tab.is_empty() && by_id("welcome").is_some_and(|w| !w.has_attribute("hidden")) {
        close_welcome();
    }
    route(tabs);
}

/// Whether the overview was seen (and closed) before in this browser.
fn welcomed() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(WELCOMED).ok().flatten())
        .is_some()
}

/// The key that remembers the overview was closed.
const WELCOMED: &str = "flywheel.welcomed";

/// The first-visit overview: what each model is, where to begin, and each of its tabs.
fn welcome(models: &[Model]) -> web_sys::Element {
    let mut cards = el("div").class("welcome-models");
    for m in models {
        let Some((first_short, _, first)) = m.tabs.first() else {
            continue;
        };
        let mut list = el("ul").class("welcome-tabs");
        for (short, line, tab) in &m.tabs {
            list = list.child(
                el("li")
                    .child(
                        el("a")
                            .attr("href", &format!("#{}", tab.name()))
                            .attr("data-welcome", "tab")
                            .text(short),
                    )
                    .child(el("span").text(&format!(": {line}"))),
            );
        }
        cards = cards.child(
            el("section")
                .class("welcome-model")
                .child(el("h3").text(m.name))
                .child(el("p").text(m.what))
                .child(
                    el("a")
                        .class("begin")
                        .attr("href", &format!("#{}", first.name()))
                        .attr("data-welcome", "begin")
                        .text(&format!("Begin with {} → {first_short}", m.name)),
                )
                .child(list),
        );
    }
    el("section")
        .class("welcome")
        .id("welcome")
        .attr("aria-labelledby", "welcome-title")
        .child(
            el("div")
                .class("welcome-head")
                .child(el("h2").id("welcome-title").text("Welcome to Flywheel"))
                .child(
                    el("button")
                        .attr("type", "button")
                        .id("welcome-close")
                        .text("Close"),
                ),
        )
        .child(el("p").class("welcome-lede").html(
            "A token-engineering lab that runs in your browser: three economies, each a model you can change and watch.              Every tab has its parameters on the left (at the bottom on a phone), its results on the right, and what it is at its top.              <b>Copy link</b> shares exactly what you see; <b>Research</b> searches a design for a better score; <b>Stress</b> tests it under market scenarios.              New to token engineering? Begin with the Commons curve.",
        ))
        .child(cards)
        .build()
}

fn show_welcome(open: bool) {
    if let Some(w) = by_id("welcome") {
        set_hidden(&w, !open);
    }
    if let Some(b) = by_id("start-here") {
        let _ = b.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
}

/// Closes the overview and remembers it was seen.
fn close_welcome() {
    show_welcome(false);
    if let Ok(Some(s)) = window().local_storage() {
        let _ = s.set_item(WELCOMED, "1");
    }
}

/// Close (and any link in the overview) closes it and remembers; Start here opens it again.
fn wire_welcome() {
    let close = close_welcome;
    if let Some(b) = by_id("welcome-close") {
        on(&b, "click", move |_: Event| close());
    }
    if let Some(w) = by_id("welcome") {
        on(&w, "click", move |e: Event| {
            let link = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("a[data-welcome]").ok().flatten());
            if link.is_some() {
                close();
            }
        });
    }
    if let Some(b) = by_id("start-here") {
        on(&b, "click", move |_: Event| {
            let open = by_id("welcome").is_some_and(|w| w.has_attribute("hidden"));
            show_welcome(open);
            if open {
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        });
    }
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

/// On a phone the navigation is one row that scrolls sideways: the visible tab is brought into
/// it (the page itself does not scroll).
fn reveal_in_nav(a: &web_sys::Element) {
    let (Some(a), Some(nav)) = (
        a.dyn_ref::<web_sys::HtmlElement>(),
        a.closest("nav.tabs")
            .ok()
            .flatten()
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()),
    ) else {
        return;
    };
    if nav.scroll_width() <= nav.client_width() {
        return;
    }
    let (left, right) = (
        a.get_bounding_client_rect().left() - nav.get_bounding_client_rect().left(),
        a.get_bounding_client_rect().right() - nav.get_bounding_client_rect().left(),
    );
    if left < 0.0 || right > f64::from(nav.client_width()) {
        nav.set_scroll_left(nav.scroll_left() + left as i32 - 24);
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
            if on {
                reveal_in_nav(&a);
            }
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
