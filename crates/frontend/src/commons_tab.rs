//! The Commons tab: the curve explorer's panel, metrics, charts, history, exports and Info.

use crate::canvas;
use crate::dom::{by_id, el, next_frame, now_ms, on, set_hidden, window};
use crate::export::download;
use crate::info;
use crate::panel::{OnChange, Panel};
use crate::widgets::{
    apply_edit, button, chart_card, copy_link, info_box, on_click, set_chart_summary, set_status,
    share_msg, show_issues, write_url,
};
use crate::worker_client::WorkerClient;
use flywheel_charts::{bonding_curve, pools, price_impact, CommonsChart, PlotGeometry};
use flywheel_core::codec::{decode, encode};
use flywheel_core::commons::explorer::{
    format_trades, AbcParams, AbcReport, Side, Trade, MAX_TRADES,
};
use flywheel_core::format::{compact, fixed, human, plain, shortest};
use flywheel_core::params::ParamIssue;
use flywheel_core::protocol::{Command, Reply};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement};

const GROUPS: &[(&str, &[&str])] = &[
    ("Hatch", &["hatch_raise", "hatch_price", "hatch_tribute"]),
    ("Curve", &["kappa"]),
    ("Tributes", &["entry_tribute", "exit_tribute"]),
    ("What-if trade", &["trade_side", "trade_size"]),
];

/// A button's action on the tab.
type Action = Box<dyn Fn(&Rc<CommonsTab>)>;

struct State {
    params: AbcParams,
    report: Option<AbcReport>,
    link_issues: Vec<ParamIssue>,
    in_flight: Option<u32>,
    dirty: bool,
    sent_at: f64,
    hatch_request: Option<u32>,
    hatch_note: String,
}

pub struct CommonsTab {
    pub root: Element,
    panel: Panel,
    worker: WorkerClient,
    state: RefCell<State>,
    /// Where the bonding curve's plot lies on its canvas, for the hover readout.
    curve_geometry: std::cell::Cell<Option<PlotGeometry>>,
    /// Where the keyboard put the readout (CSS pixels from the canvas's left edge).
    key_x: std::cell::Cell<Option<f64>>,
}

fn metric(label: &str, key: &str) -> Element {
    el("div")
        .class("metric")
        .child(el("div").class("metric-label").text(label))
        .child(
            el("div").class("metric-value").child(
                el("span")
                    .class("v")
                    .attr("data-key", key)
                    .attr("id", &format!("m-{key}")),
            ),
        )
        .child(
            el("div")
                .class("metric-sub")
                .child(el("span").class("arrow").text("after trade "))
                .child(
                    el("span")
                        .class("v after")
                        .attr("data-key", &format!("{key}_after"))
                        .attr("id", &format!("m-{key}_after")),
                ),
        )
        .build()
}

fn set_value(key: &str, x: f64, text: &str) {
    if let Some(e) = by_id(&format!("m-{key}")) {
        e.set_text_content(Some(text));
        let _ = e.set_attribute("data-value", &shortest(x));
    }
}

impl CommonsTab {
    pub fn new(worker: WorkerClient) -> Rc<CommonsTab> {
        let root = el("main").class("layout").id("commons").build();
        Rc::new_cyclic(|weak: &std::rc::Weak<CommonsTab>| {
            let w = weak.clone();
            let on_change: OnChange = Rc::new(move |name, text| {
                if let Some(tab) = w.upgrade() {
                    tab.edit(name, &text);
                }
            });
            let panel = Panel::new::<AbcParams>(GROUPS, on_change);
            CommonsTab {
                root,
                panel,
                worker,
                state: RefCell::new(State {
                    params: AbcParams::default(),
                    report: None,
                    link_issues: Vec::new(),
                    in_flight: None,
                    dirty: false,
                    sent_at: 0.0,
                    hatch_request: None,
                    hatch_note: String::new(),
                }),
                curve_geometry: std::cell::Cell::new(None),
                key_x: std::cell::Cell::new(None),
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
                        "reset-all",
                        "Every parameter back to its default; clears the trades",
                    )),
            )
            .child(self.panel.root.clone())
            .child(
                el("div")
                    .class("hatch-draw")
                    .child(button(
                        "Draw a hatch",
                        "draw-hatch",
                        "Five hatchers each put in U(0,1) × 1,000,000 DAI (a fresh random seed)",
                    ))
                    .child(el("p").class("note").id("hatch-note")),
            )
            .child(
                el("section")
                    .class("history")
                    .child(el("h3").text("Trades carried out"))
                    .child(el("p").class("note").id("history-list"))
                    .child(
                        el("div")
                            .class("row-buttons")
                            .child(button(
                                "Apply trade",
                                "apply-trade",
                                "Carry out the what-if trade: the curve's state moves",
                            ))
                            .child(button(
                                "Undo",
                                "undo-trade",
                                "Take back the last trade carried out",
                            ))
                            .child(button(
                                "Reset to hatch",
                                "reset-trades",
                                "Forget all trades carried out",
                            )),
                    ),
            )
            .build();

        let metrics = el("div")
            .class("metrics")
            .id("metrics")
            .child(metric("Supply (tokens)", "supply"))
            .child(metric("Collateral reserve (DAI)", "reserve"))
            .child(metric("Funding pool (DAI)", "funding_pool"))
            .child(metric("Spot price (DAI/token)", "spot"))
            .build();
        let trade = el("div")
            .class("trade-result")
            .child(el("h3").id("trade-title"))
            .child(el("dl").id("trade-list"))
            .build();
        let chart = chart_card;
        let curve_figure = chart(
            "chart-curve",
            "Bonding curve",
            "Spot price against supply. The shaded band is the DAI that the what-if trade adds to or takes from the reserve. Point at the curve for a readout.",
            "svg-bonding-curve",
        );
        // The hover readout (see `hover`), hidden until the pointer is over the plot; moved by
        // the keyboard, it is read out (a polite live region).
        let cursor = el("div")
            .class("cursor")
            .id("chart-curve-cursor")
            .attr("aria-hidden", "true")
            .build();
        let readout = el("div")
            .class("readout")
            .id("chart-curve-readout")
            .attr("role", "status")
            .attr("aria-live", "polite")
            .build();
        for e in [cursor, readout] {
            set_hidden(&e, true);
            let _ = curve_figure.append_child(&e);
        }
        let content = el("section")
            .class("content")
            .child(
                el("div")
                    .class("toolbar")
                    .child(
                        el("div")
                            .child(el("h1").text("Augmented bonding curve"))
                            .child(el("p").class("lede").text("Hatch a commons, then see what a buy or a sell does to the price, the reserve and the funding pool.")),
                    )
                    .child(
                        el("div")
                            .class("actions")
                            .child(button("Copy link", "copy-link", "Copy a link that reproduces exactly this state"))
                            .child(button("CSV", "export-csv", "Download the states (hatch, each trade, after the what-if) as CSV"))
                            .child(button("JSON", "export-json", "Download parameters, link and every computed number as JSON")),
                    ),
            )
            .child(el("div").class("share").id("share").child(el("input").id("share-url").attr("readonly", "").attr("aria-label", "Link to this state")).child(el("span").id("share-msg")))
            .child(el("div").class("banner warn").id("issues").attr("role", "status"))
            .child(el("div").class("banner error").id("worker-error").attr("role", "alert"))
            .child(metrics)
            .child(trade)
            .child(curve_figure)
            .child(chart(
                "chart-impact",
                "Price by trade size",
                "What one trade of each size pays or receives per token from the current state. The gap between the lines is price impact plus the entry and exit tributes.",
                "svg-price-impact",
            ))
            .child(chart(
                "chart-pools",
                "Collateral reserve and funding pool",
                "The reserve backs the curve; the funding pool (hatch tribute plus entry and exit tributes) pays for proposals.",
                "svg-pools",
            ))
            .child(info_box("info", &info::COMMONS))
            .child(el("p").class("status").id("timing"))
            .build();
        let _ = self.root.append_child(&aside);
        let _ = self.root.append_child(&content);
        for id in ["share", "issues", "worker-error"] {
            if let Some(e) = by_id(id) {
                set_hidden(&e, true);
            }
        }

        let wire = |id: &str, f: Action| on_click(self, id, f);
        wire(
            "reset-all",
            Box::new(|t| t.replace_params(AbcParams::default())),
        );
        wire("apply-trade", Box::new(|t| t.apply_trade()));
        wire(
            "undo-trade",
            Box::new(|t| {
                t.edit_trades(|v| {
                    v.pop();
                })
            }),
        );
        wire("reset-trades", Box::new(|t| t.edit_trades(Vec::clear)));
        wire("draw-hatch", Box::new(|t| t.request_hatch()));
        wire("copy-link", Box::new(|t| t.copy_link()));
        wire("export-csv", Box::new(|t| t.export_csv()));
        wire("export-json", Box::new(|t| t.export_json()));
        for chart in CommonsChart::ALL {
            wire(
                &format!("svg-{}", chart.name()),
                Box::new(move |t| t.export_svg(chart)),
            );
        }
        if let Some(c) = by_id("chart-curve") {
            let me = self.clone();
            on(&c, "pointermove", move |e: web_sys::MouseEvent| {
                me.hover(e.offset_x() as f64)
            });
            let me = self.clone();
            on(&c, "pointerleave", move |_: Event| me.hide_hover());
            // The same readout from the keyboard: focus the chart, then ← → (Shift: bigger
            // steps), Home and End move along the curve; Escape or leaving the chart hides it.
            let _ = c.set_attribute("tabindex", "0");
            let _ = c.set_attribute(
                "aria-describedby",
                "chart-curve-summary chart-curve-readout",
            );
            let _ = c.set_attribute("aria-keyshortcuts", "ArrowLeft ArrowRight Home End Escape");
            let me = self.clone();
            on(&c, "focus", move |_: Event| me.key_move(0.0, false));
            let me = self.clone();
            on(&c, "blur", move |_: Event| {
                me.key_x.set(None);
                me.hide_hover();
            });
            let me = self.clone();
            on(&c, "keydown", move |e: web_sys::KeyboardEvent| {
                let step = if e.shift_key() { 0.1 } else { 0.02 };
                match e.key().as_str() {
                    "ArrowRight" => me.key_move(step, false),
                    "ArrowLeft" => me.key_move(-step, false),
                    "Home" => me.key_move(-1.0, true),
                    "End" => me.key_move(1.0, true),
                    "Escape" => {
                        me.key_x.set(None);
                        me.hide_hover();
                        return;
                    }
                    _ => return,
                }
                e.prevent_default();
            });
        }
        let me = self.clone();
        let pending = Rc::new(std::cell::Cell::new(false));
        on(&window(), "resize", move |_: Event| {
            if !pending.replace(true) {
                let (me, pending) = (me.clone(), pending.clone());
                next_frame(move || {
                    pending.set(false);
                    me.draw_charts();
                });
            }
        });
    }

    /// Loads the state of a link (`#commons?...`), showing what was wrong with it.
    pub fn load_fragment(self: &Rc<Self>, fragment: &str) {
        let d = decode::<AbcParams>(fragment);
        self.state.borrow_mut().link_issues = d.issues;
        self.panel.clear_errors();
        self.set_params(d.model, false);
    }

    /// Diagnostics: asks the worker to panic while it works on this tab's request.
    pub fn crash_worker(&self, message: String) {
        let id = self.worker.send(Command::Panic { message });
        let mut s = self.state.borrow_mut();
        s.in_flight = Some(id);
    }

    /// Adds a problem with the link, shown with the next report.
    pub fn add_link_issue(&self, issue: ParamIssue) {
        self.state.borrow_mut().link_issues.push(issue);
    }

    fn replace_params(self: &Rc<Self>, p: AbcParams) {
        self.state.borrow_mut().link_issues.clear();
        self.panel.clear_errors();
        self.set_params(p, true);
    }

    /// The trade size is DAI for a buy and tokens for a sell.
    fn show_trade_unit(&self, side: Side) {
        self.panel.set_unit(
            "trade_size",
            if side == Side::Buy { "DAI" } else { "tokens" },
        );
    }

    /// Shows `p` in the panel, puts it in the URL and asks the worker for its report.
    fn set_params(self: &Rc<Self>, p: AbcParams, write_url: bool) {
        self.panel.show(&p);
        self.show_trade_unit(p.trade_side);
        self.state.borrow_mut().params = p;
        if write_url {
            self.write_url();
        }
        self.render_history();
        self.request();
    }

    /// A field was edited: validate, then recompute (or flag the field and keep the last value).
    fn edit(self: &Rc<Self>, name: &'static str, text: &str) {
        let taken = {
            let s = &mut *self.state.borrow_mut();
            apply_edit(&mut s.params, &mut s.link_issues, &self.panel, name, text)
        };
        if taken {
            if name == "trade_side" {
                let side = self.state.borrow().params.trade_side;
                self.show_trade_unit(side);
            }
            self.write_url();
            self.request();
        }
    }

    fn edit_trades(self: &Rc<Self>, f: impl FnOnce(&mut Vec<Trade>)) {
        let mut p = self.state.borrow().params.clone();
        f(&mut p.trades);
        self.state
            .borrow_mut()
            .link_issues
            .retain(|i| i.field != "trades");
        self.set_params(p, true);
    }

    fn apply_trade(self: &Rc<Self>) {
        let trade = {
            let s = self.state.borrow();
            match &s.report {
                // Apply what the report computed (a replaced size included), so the state moves to "after".
                Some(r) => Trade {
                    side: r.trade.side,
                    amount: r.trade.amount,
                },
                None => return,
            }
        };
        if trade.amount <= 0.0 {
            return;
        }
        if self.state.borrow().params.trades.len() >= MAX_TRADES {
            self.show_share_msg(&format!(
                "At most {MAX_TRADES} trades can be carried out; undo some first."
            ));
            return;
        }
        self.edit_trades(|v| v.push(trade));
    }

    fn write_url(&self) {
        write_url(&self.root, "commons", &encode(&self.state.borrow().params));
    }

    /// Sends the current parameters to the worker; while a request is running, only the newest
    /// parameters are sent when it finishes.
    fn request(&self) {
        let mut s = self.state.borrow_mut();
        if s.in_flight.is_some() {
            s.dirty = true;
            return;
        }
        s.sent_at = now_ms();
        s.dirty = false;
        let params = s.params.clone();
        drop(s);
        let id = self.worker.send(Command::CommonsAbc { params });
        self.state.borrow_mut().in_flight = Some(id);
        set_status(&self.root, "computing", None);
    }

    /// Every reply from the worker comes here.
    pub fn on_reply(self: &Rc<Self>, reply: Reply) {
        match reply {
            Reply::CommonsAbc { id, report } => {
                let resend = {
                    let mut s = self.state.borrow_mut();
                    if s.in_flight != Some(id) {
                        return;
                    }
                    s.in_flight = None;
                    s.report = Some(*report);
                    s.dirty
                };
                let computed = now_ms() - self.state.borrow().sent_at;
                // A result means the worker works again: a past crash is no longer news.
                if let Some(e) = by_id("worker-error") {
                    set_hidden(&e, true);
                }
                self.render(computed);
                if resend {
                    self.request();
                }
            }
            Reply::Hatch {
                id,
                seed,
                contributions,
            } => {
                if self.state.borrow().hatch_request != Some(id) {
                    return;
                }
                let raise: f64 = contributions.iter().sum();
                let raise = ((raise * 100.0).round() / 100.0).max(1.0);
                let parts: Vec<String> = contributions.iter().map(|c| human(*c, 3, true)).collect();
                let note = format!(
                    "Seed {seed}: {} = {} DAI",
                    parts.join(" + "),
                    human(raise, 7, false)
                );
                {
                    let mut s = self.state.borrow_mut();
                    s.hatch_request = None;
                    s.hatch_note = note.clone();
                }
                if let Some(e) = by_id("hatch-note") {
                    e.set_text_content(Some(&note));
                }
                self.edit("hatch_raise", &shortest(raise));
                self.panel.show(&self.state.borrow().params.clone());
            }
            Reply::Failed { id, message } => {
                let mine = {
                    let s = self.state.borrow();
                    id.is_none() || id == s.in_flight || id == s.hatch_request
                };
                if mine {
                    self.show_worker_error(&message, false);
                }
            }
            Reply::Crashed { message, .. } => {
                {
                    // Whatever was running is gone with the old worker; the last report stays.
                    let mut s = self.state.borrow_mut();
                    s.in_flight = None;
                    s.dirty = false;
                    s.hatch_request = None;
                }
                self.show_worker_error(&message, true);
                set_status(&self.root, "ready", None);
            }
            // Other tabs' work, and the worker's start, need nothing here.
            Reply::Ready
            | Reply::Plan { .. }
            | Reply::Refused { .. }
            | Reply::Progress { .. }
            | Reply::Timing { .. }
            | Reply::CrowdTrain { .. }
            | Reply::DataDao { .. } => {}
        }
    }

    fn show_worker_error(&self, message: &str, restarted: bool) {
        if let Some(e) = by_id("worker-error") {
            let tail = if restarted {
                " A fresh worker has been started: change any parameter to go on."
            } else {
                ""
            };
            e.set_text_content(Some(&format!("The simulation stopped: {message}.{tail}")));
            set_hidden(&e, false);
        }
    }

    fn request_hatch(self: &Rc<Self>) {
        let mut buf = [0u8; 4];
        let seed = match getrandom::getrandom(&mut buf) {
            Ok(()) => u32::from_le_bytes(buf) % 1_000_000,
            Err(_) => (now_ms() as u32) % 1_000_000,
        };
        let id = self.worker.send(Command::DrawHatch {
            seed,
            hatchers: 5,
            max_contribution: 1_000_000.0,
        });
        self.state.borrow_mut().hatch_request = Some(id);
    }

    fn render_history(&self) {
        let s = self.state.borrow();
        let text = if s.params.trades.is_empty() {
            "None yet: the curve is at its hatch.".to_string()
        } else {
            let items: Vec<String> = s
                .params
                .trades
                .iter()
                .map(|t| match t.side {
                    Side::Buy => format!("buy {} DAI", human(t.amount, 4, true)),
                    Side::Sell => format!("sell {} tokens", human(t.amount, 4, true)),
                })
                .collect();
            format!("{}: {}", items.len(), items.join(" → "))
        };
        if let Some(e) = by_id("history-list") {
            e.set_text_content(Some(&text));
        }
        for id in ["undo-trade", "reset-trades"] {
            if let Some(b) = by_id(id) {
                let _ = if s.params.trades.is_empty() {
                    b.set_attribute("disabled", "")
                } else {
                    b.remove_attribute("disabled")
                };
            }
        }
    }

    /// Shows the current report: issues, metrics, the trade, the charts; then marks the page ready.
    fn render(&self, computed_ms: f64) {
        let t0 = now_ms();
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };

        let issues: Vec<&ParamIssue> = s.link_issues.iter().chain(r.issues.iter()).collect();
        show_issues("issues", &issues);

        // Amounts: cents up to a million, whole units up to a billion, then compact ("800B"), so a
        // card never has to break a number; the full value is in the span's data-value.
        let n = |x: f64| {
            if x.abs() < 1e6 {
                fixed(x, 2)
            } else if x.abs() < 1e9 {
                fixed(x, 0)
            } else {
                compact(x, 4)
            }
        };
        let price = |x: f64| {
            if x != 0.0 && x.abs() < 1e-4 {
                compact(x, 6)
            } else {
                human(x, 6, false)
            }
        };
        for (key, now, after, f) in [
            (
                "supply",
                r.current.supply,
                r.after.supply,
                &n as &dyn Fn(f64) -> String,
            ),
            ("reserve", r.current.reserve, r.after.reserve, &n),
            (
                "funding_pool",
                r.current.funding_pool,
                r.after.funding_pool,
                &n,
            ),
            ("spot", r.current.spot_price(), r.after.spot_price(), &price),
        ] {
            set_value(key, now, &f(now));
            set_value(&format!("{key}_after"), after, &f(after));
        }

        let t = &r.trade;
        let impact = if t.spot_before > 0.0 {
            t.spot_after / t.spot_before - 1.0
        } else {
            0.0
        };
        // (label, key, value, is a price)
        let (title, mut rows): (String, Vec<(&str, &str, f64, bool)>) = match t.side {
            Side::Buy => (
                format!("What-if: buy with {} DAI", plain(t.amount)),
                vec![
                    ("Tokens minted", "minted", t.minted, false),
                    (
                        "Entry tribute → funding pool (DAI)",
                        "to_funding",
                        t.to_funding,
                        false,
                    ),
                    (
                        "Added to the reserve (DAI)",
                        "reserve_change",
                        t.reserve_change,
                        false,
                    ),
                    (
                        "Average price paid (DAI/token)",
                        "average_price",
                        t.average_price,
                        true,
                    ),
                ],
            ),
            Side::Sell => (
                format!("What-if: sell {} tokens", plain(t.amount)),
                vec![
                    (
                        "Released from the reserve (DAI)",
                        "released",
                        t.released,
                        false,
                    ),
                    ("Paid to the seller (DAI)", "to_seller", t.to_seller, false),
                    (
                        "Exit tribute → funding pool (DAI)",
                        "to_funding",
                        t.to_funding,
                        false,
                    ),
                    (
                        "Average price received (DAI/token)",
                        "average_price",
                        t.average_price,
                        true,
                    ),
                ],
            ),
        };
        rows.push((
            "Spot price after (DAI/token)",
            "spot_after",
            t.spot_after,
            true,
        ));
        let mut rows: Vec<(&str, &str, f64, String)> = rows
            .into_iter()
            .map(|(l, k, x, is_price)| (l, k, x, if is_price { price(x) } else { n(x) }))
            .collect();
        rows.push((
            "Price impact",
            "price_impact",
            impact,
            format!("{:+.3}%", impact * 100.0),
        ));
        if let Some(h) = by_id("trade-title") {
            h.set_text_content(Some(&title));
        }
        if let Some(dl) = by_id("trade-list") {
            dl.set_inner_html("");
            for (label, key, x, text) in rows {
                let _ = dl.append_child(
                    &el("div")
                        .child(el("dt").text(label))
                        .child(
                            el("dd").child(
                                el("span")
                                    .class("v")
                                    .attr("data-key", key)
                                    .attr("id", &format!("t-{key}"))
                                    .attr("data-value", &shortest(x))
                                    .text(&text),
                            ),
                        )
                        .build(),
                );
            }
        }
        // Every key of the CLI's JSON, at full precision, for tests and for anyone checking numbers.
        if let Some(m) = by_id("metrics") {
            for (k, x) in [
                ("supply", r.after.supply),
                ("reserve", r.after.reserve),
                ("funding_pool", r.after.funding_pool),
                ("spot_before", t.spot_before),
                ("spot_after", t.spot_after),
                ("minted", t.minted),
                ("released", t.released),
                ("to_seller", t.to_seller),
                ("to_funding", t.to_funding),
            ] {
                let _ = m.set_attribute(&format!("data-{}", k.replace('_', "-")), &shortest(x));
            }
        }
        let fragment = encode(&s.params);
        drop(s);
        self.draw_charts();
        let drawn = now_ms() - t0;
        if let Some(e) = by_id("timing") {
            e.set_text_content(Some(&format!(
                "Worker round trip {computed_ms:.1} ms · drawn in {drawn:.1} ms · runs entirely in your browser"
            )));
        }
        set_status(&self.root, "ready", Some(&fragment));
    }

    fn draw_charts(&self) {
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };
        let canvas_of = |id: &str| by_id(id).and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok());
        if let Some(c) = canvas_of("chart-curve") {
            match canvas::draw(&c, |root, theme| bonding_curve(root, r, theme)) {
                Ok(g) => self.curve_geometry.set(Some(g)),
                Err(e) => web_sys::console::error_1(&format!("bonding curve chart: {e}").into()),
            }
        }
        if let Some(c) = canvas_of("chart-impact") {
            if let Err(e) = canvas::draw(&c, |root, theme| price_impact(root, r, theme)) {
                web_sys::console::error_1(&format!("price impact chart: {e}").into());
            }
        }
        if let Some(c) = canvas_of("chart-pools") {
            if let Err(e) = canvas::draw(&c, |root, theme| pools(root, r, theme)) {
                web_sys::console::error_1(&format!("pools chart: {e}").into());
            }
        }
        for (id, chart) in [
            ("chart-curve", CommonsChart::BondingCurve),
            ("chart-impact", CommonsChart::PriceImpact),
            ("chart-pools", CommonsChart::Pools),
        ] {
            set_chart_summary(id, &chart.summary(r));
        }
    }

    /// Moves the keyboard's readout by `by` of the plot's width (`to_end`: to the plot's start
    /// or end), starting from the middle of the plot.
    fn key_move(&self, by: f64, to_end: bool) {
        let Some(c) = by_id("chart-curve").and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let Some(g) = self.curve_geometry.get() else {
            return;
        };
        // The plot's ends in CSS pixels.
        let scale = c.width() as f64 / c.client_width().max(1) as f64;
        let (lo, hi) = (g.x_px.0 as f64 / scale, g.x_px.1 as f64 / scale);
        let w = (hi - lo).max(1.0);
        let x = match (self.key_x.get(), to_end) {
            (_, true) if by < 0.0 => lo,
            (_, true) => hi,
            (Some(x), false) => x + by * w,
            (None, false) => lo + w * 0.5,
        };
        let x = x.clamp(lo, hi);
        self.key_x.set(Some(x));
        self.hover(x);
    }

    /// The readout under the pointer at `x_css` (CSS pixels from the canvas's left edge): supply,
    /// price and reserve there, read off the report's curve samples, and what reaching that
    /// supply from the current state would move through the reserve.
    fn hover(&self, x_css: f64) {
        let (Some(g), Some(c)) = (
            self.curve_geometry.get(),
            by_id("chart-curve").and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()),
        ) else {
            return;
        };
        let scale = c.width() as f64 / c.client_width().max(1) as f64;
        let s = self.state.borrow();
        let (Some(r), Some(supply)) = (&s.report, g.data_x(x_css * scale)) else {
            drop(s);
            self.hide_hover();
            return;
        };
        let Some([_, price, reserve]) = sample_at(&r.curve, supply) else {
            return;
        };
        let delta = reserve - r.current.reserve;
        let move_text = if delta >= 0.0 {
            format!(
                "Buying up to here puts {} DAI into the reserve",
                human(delta, 4, true)
            )
        } else {
            format!(
                "Selling down to here takes {} DAI out of the reserve",
                human(-delta, 4, true)
            )
        };
        let text = format!(
            "Supply {} tokens\nPrice {} DAI · reserve {} DAI\n{move_text} (before tributes)",
            human(supply, 4, true),
            human(price, 4, false),
            human(reserve, 4, true)
        );
        let (left, top) = (c.offset_left() as f64, c.offset_top() as f64);
        let x = left + x_css;
        let plot_top = top + g.y_px.0 as f64 / scale;
        let plot_h = (g.y_px.1 - g.y_px.0) as f64 / scale;
        if let Some(cursor) = by_id("chart-curve-cursor") {
            let _ = cursor.set_attribute(
                "style",
                &format!("left:{x:.1}px;top:{plot_top:.1}px;height:{plot_h:.1}px"),
            );
            set_hidden(&cursor, false);
        }
        if let Some(readout) = by_id("chart-curve-readout") {
            readout.set_text_content(Some(&text));
            let flip = x_css > c.client_width() as f64 * 0.55;
            let style = if flip {
                format!(
                    "left:{:.1}px;top:{:.1}px;transform:translateX(-100%)",
                    x - 10.0,
                    plot_top + 8.0
                )
            } else {
                format!("left:{:.1}px;top:{:.1}px", x + 10.0, plot_top + 8.0)
            };
            let _ = readout.set_attribute("style", &style);
            let _ = readout.set_attribute("data-supply", &shortest(supply));
            set_hidden(&readout, false);
        }
    }

    fn hide_hover(&self) {
        for id in ["chart-curve-cursor", "chart-curve-readout"] {
            if let Some(e) = by_id(id) {
                set_hidden(&e, true);
            }
        }
    }

    fn show_share_msg(&self, msg: &str) {
        share_msg("", msg);
    }

    fn copy_link(&self) {
        let fragment = encode(&self.state.borrow().params);
        copy_link(
            "",
            &fragment,
            "Link copied. Anyone who opens it sees exactly this state.",
        );
    }

    fn export_csv(&self) {
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };
        let mut csv = String::from("step,label,supply,reserve,funding_pool,spot_price\n");
        let mut row = |i: usize, label: &str, st: &flywheel_core::commons::curve::CurveState| {
            csv.push_str(&format!(
                "{i},{label},{},{},{},{}\n",
                shortest(st.supply),
                shortest(st.reserve),
                shortest(st.funding_pool),
                shortest(st.spot_price())
            ));
        };
        row(0, "hatch", &r.hatch);
        for (i, (st, t)) in r.path.iter().skip(1).zip(&s.params.trades).enumerate() {
            row(i + 1, &format_trades(&[*t]), st);
        }
        let what_if = format!(
            "what-if {}",
            format_trades(&[Trade {
                side: r.trade.side,
                amount: r.trade.amount
            }])
        );
        row(r.path.len(), &what_if, &r.after);
        self.save("flywheel-commons-states.csv", "text/csv", &csv);
    }

    fn export_json(&self) {
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };
        let doc = serde_json::json!({
            "link": encode(&s.params),
            "params": s.params,
            "report": r,
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.save("flywheel-commons.json", "application/json", &text);
    }

    fn export_svg(&self, chart: CommonsChart) {
        let s = self.state.borrow();
        let Some(r) = &s.report else { return };
        match chart.svg(r) {
            Ok(svg) => self.save(
                &format!("flywheel-{}.svg", chart.name()),
                "image/svg+xml",
                &svg,
            ),
            Err(e) => self.show_share_msg(&format!("Could not draw the SVG: {e}")),
        }
    }

    fn save(&self, name: &str, mime: &str, content: &str) {
        if let Err(e) = download(name, mime, content) {
            self.show_share_msg(&format!("The download failed: {e}"));
        }
    }
}

/// Linear interpolation in curve samples evenly spaced in supply from 0.
fn sample_at(curve: &[[f64; 3]], supply: f64) -> Option<[f64; 3]> {
    let s_max = curve.last()?[0];
    if curve.len() < 2 || s_max <= 0.0 {
        return None;
    }
    let f = (supply / s_max).clamp(0.0, 1.0) * (curve.len() - 1) as f64;
    let i = (f.floor() as usize).min(curve.len() - 2);
    let w = f - i as f64;
    let (a, b) = (curve[i], curve[i + 1]);
    Some([0, 1, 2].map(|k| a[k] + w * (b[k] - a[k])))
}

/// The tab as the router sees it (until it moves onto [`crate::view::View`]).
struct Page(Rc<CommonsTab>);

/// The tab with its own worker.
pub fn page() -> Rc<dyn crate::view::Tab> {
    let slot: Rc<RefCell<std::rc::Weak<CommonsTab>>> = Rc::default();
    let deliver = slot.clone();
    let tab = CommonsTab::new(WorkerClient::new(
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
        "commons"
    }
    fn label(&self) -> &'static str {
        "Commons · bonding curve"
    }
    fn root(&self) -> &Element {
        &self.0.root
    }
    fn mount(&self) {
        self.0.mount();
    }
    fn load(&self, fragment: &str, issues: Vec<ParamIssue>) {
        let tab = &self.0;
        tab.load_fragment(fragment);
        for issue in issues {
            tab.add_link_issue(issue);
        }
    }
    fn crash_worker(&self, message: String) {
        self.0.crash_worker(message);
    }
}
