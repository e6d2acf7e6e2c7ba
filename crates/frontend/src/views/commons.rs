//! The Commons view: the curve explorer's panel, metrics, the what-if trade, the trades carried
//! out, a hatch drawn by the worker, the three charts with the curve's hover and keyboard
//! readout (read off the report's samples), exports and Info.

use crate::canvas;
use crate::dom::{by_id, el, now_ms, on, set_hidden};
use crate::info;
use crate::panel::Panel;
use crate::view::{
    Chart, ChartLayout, ExportButton, Extras, File, Groups, ModelView, Runs, Saved, Shown, Texts,
    View,
};
use crate::widgets::{button, on_click};
use flywheel_charts::{bonding_curve, pools, price_impact, CommonsChart, PlotGeometry};
use flywheel_core::codec::encode;
use flywheel_core::commons::curve::CurveState;
use flywheel_core::commons::explorer::{
    format_trades, AbcParams, AbcReport, Side, Trade, MAX_TRADES,
};
use flywheel_core::format::{compact, fixed, human, plain, shortest};
use flywheel_core::params::ParamIssue;
use flywheel_core::protocol::{Command, Reply};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement};

/// The Commons view's own state: where the curve's readout is.
#[derive(Default)]
pub struct Commons {
    /// Where the bonding curve's plot lies on its canvas, for the hover readout.
    curve: Cell<Option<PlotGeometry>>,
    /// Where the keyboard put the readout (CSS pixels from the canvas's left edge).
    key_x: Cell<Option<f64>>,
}

impl Chart for CommonsChart {
    fn name(self) -> &'static str {
        CommonsChart::name(self)
    }

    fn canvas(self) -> &'static str {
        match self {
            CommonsChart::BondingCurve => "curve",
            CommonsChart::PriceImpact => "impact",
            CommonsChart::Pools => "pools",
        }
    }
}

#[derive(Clone, Copy)]
pub enum Export {
    /// The states: hatch, each trade, after the what-if.
    Csv,
    Json,
}

/// A hatch drawn by the worker (five random hatchers).
pub struct HatchDraw;

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

impl Commons {
    /// The trade size is DAI for a buy and tokens for a sell.
    fn show_trade_unit(panel: &Panel, side: Side) {
        panel.set_unit(
            "trade_size",
            if side == Side::Buy { "DAI" } else { "tokens" },
        );
    }

    fn show_history(params: &AbcParams) {
        let text = if params.trades.is_empty() {
            "None yet: the curve is at its hatch.".to_string()
        } else {
            let items: Vec<String> = params
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
                let _ = if params.trades.is_empty() {
                    b.set_attribute("disabled", "")
                } else {
                    b.remove_attribute("disabled")
                };
            }
        }
    }

    /// Moves the keyboard's readout by `by` of the plot's width (`to_end`: to the plot's start
    /// or end), starting from the middle of the plot.
    fn key_move(&self, r: &AbcReport, by: f64, to_end: bool) {
        let Some(c) = by_id("chart-curve").and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
        else {
            return;
        };
        let Some(g) = self.curve.get() else {
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
        self.hover(r, x);
    }

    /// The readout under the pointer at `x_css` (CSS pixels from the canvas's left edge): supply,
    /// price and reserve there, read off the report's curve samples, and what reaching that
    /// supply from the current state would move through the reserve.
    fn hover(&self, r: &AbcReport, x_css: f64) {
        let (Some(g), Some(c)) = (
            self.curve.get(),
            by_id("chart-curve").and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok()),
        ) else {
            return;
        };
        let scale = c.width() as f64 / c.client_width().max(1) as f64;
        let Some(supply) = g.data_x(x_css * scale) else {
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
}

/// Carries out the what-if trade the report computed (a replaced size included), so the state
/// moves to "after".
fn apply_trade(view: &View<Commons>) {
    let Some(trade) = view.shown(|s| Trade {
        side: s.report.trade.side,
        amount: s.report.trade.amount,
    }) else {
        return;
    };
    if trade.amount <= 0.0 {
        return;
    }
    if view.params().trades.len() >= MAX_TRADES {
        view.say(&format!(
            "At most {MAX_TRADES} trades can be carried out; undo some first."
        ));
        return;
    }
    edit_trades(view, |v| v.push(trade));
}

fn edit_trades(view: &View<Commons>, f: impl FnOnce(&mut Vec<Trade>)) {
    let mut p = view.params();
    f(&mut p.trades);
    view.forget_link_issue("trades");
    view.set_params(p);
}

/// Asks the worker for a hatch from five random hatchers, with a fresh random seed.
fn request_hatch(view: &View<Commons>) {
    let mut buf = [0u8; 4];
    let seed = match getrandom::getrandom(&mut buf) {
        Ok(()) => u32::from_le_bytes(buf) % 1_000_000,
        Err(_) => (now_ms() as u32) % 1_000_000,
    };
    view.ask(
        Command::DrawHatch {
            seed,
            hatchers: 5,
            max_contribution: 1_000_000.0,
        },
        HatchDraw,
    );
}

/// The readout at `x_css` on the curve, or none without a report.
fn hover(view: &View<Commons>, x_css: f64) {
    let c = view.own();
    if view.shown(|s| c.hover(&s.report, x_css)).is_none() {
        c.hide_hover();
    }
}

fn key_move(view: &View<Commons>, by: f64, to_end: bool) {
    let c = view.own();
    view.shown(|s| c.key_move(&s.report, by, to_end));
}

impl ModelView for Commons {
    type Params = AbcParams;
    type Report = AbcReport;
    type Part = AbcReport;
    type Chart = CommonsChart;
    type Export = Export;
    type Asked = HatchDraw;

    const PREFIX: &'static str = "";
    const TEXTS: Texts = Texts {
        nav: "Commons · bonding curve",
        title: "Augmented bonding curve",
        lede: "Hatch a commons, then see what a buy or a sell does to the price, the reserve and the funding pool.",
        reset_all: "Every parameter back to its default; clears the trades",
        copy_link: "Copy a link that reproduces exactly this state",
        copied: "Link copied. Anyone who opens it sees exactly this state.",
        restarted: " A fresh worker has been started: change any parameter to go on.",
        info: &info::COMMONS,
    };
    const GROUPS: Groups = &[
        ("Hatch", &["hatch_raise", "hatch_price", "hatch_tribute"]),
        ("Curve", &["kappa"]),
        ("Tributes", &["entry_tribute", "exit_tribute"]),
        ("What-if trade", &["trade_side", "trade_size"]),
    ];
    const RUNS: Runs = Runs::Quick;
    const CHARTS: &'static [(CommonsChart, &'static str, &'static str)] = &[
        (
            CommonsChart::BondingCurve,
            "Bonding curve",
            "Spot price against supply. The shaded band is the DAI that the what-if trade adds to or takes from the reserve. Point at the curve for a readout.",
        ),
        (
            CommonsChart::PriceImpact,
            "Price by trade size",
            "What one trade of each size pays or receives per token from the current state. The gap between the lines is price impact plus the entry and exit tributes.",
        ),
        (
            CommonsChart::Pools,
            "Collateral reserve and funding pool",
            "The reserve backs the curve; the funding pool (hatch tribute plus entry and exit tributes) pays for proposals.",
        ),
    ];
    const CHART_LAYOUT: ChartLayout = ChartLayout::Column;
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Csv,
            id: "csv",
            label: "CSV",
            title: "Download the states (hatch, each trade, after the what-if) as CSV",
        },
        ExportButton {
            export: Export::Json,
            id: "json",
            label: "JSON",
            title: "Download parameters, link and every computed number as JSON",
        },
    ];

    fn commands(&self, params: &AbcParams) -> Vec<Command> {
        vec![Command::CommonsAbc {
            params: params.clone(),
        }]
    }

    fn part(reply: Reply) -> Option<AbcReport> {
        match reply {
            Reply::CommonsAbc { report, .. } => Some(*report),
            _ => None,
        }
    }

    fn report(&self, _params: &AbcParams, parts: Vec<AbcReport>) -> Option<AbcReport> {
        parts.into_iter().next()
    }

    fn report_issues(report: &AbcReport) -> &[ParamIssue] {
        &report.issues
    }

    fn metrics(&self) -> Vec<Element> {
        vec![
            metric("Supply (tokens)", "supply"),
            metric("Collateral reserve (DAI)", "reserve"),
            metric("Funding pool (DAI)", "funding_pool"),
            metric("Spot price (DAI/token)", "spot"),
        ]
    }

    /// The metrics now and after the trade, the trade's outcome, and every key of the CLI's JSON.
    fn render(&self, shown: &Shown<Self>) {
        let r = &shown.report;
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
    }

    fn draw(
        &self,
        chart: CommonsChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        let r = &shown.report;
        match chart {
            CommonsChart::BondingCurve => {
                let g = canvas::draw(canvas, |root, theme| bonding_curve(root, r, theme))?;
                self.curve.set(Some(g));
                Ok(())
            }
            CommonsChart::PriceImpact => {
                canvas::draw(canvas, |root, theme| price_impact(root, r, theme))
            }
            CommonsChart::Pools => canvas::draw(canvas, |root, theme| pools(root, r, theme)),
        }
    }

    fn summary(&self, chart: CommonsChart, shown: &Shown<Self>) -> String {
        chart.summary(&shown.report)
    }

    fn svg(&self, chart: CommonsChart, shown: &Shown<Self>) -> Result<String, String> {
        chart.svg(&shown.report)
    }

    fn svg_file(chart: CommonsChart) -> String {
        format!("flywheel-{}.svg", chart.name())
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<HatchDraw> {
        let r = &shown.report;
        Saved::File(match export {
            Export::Csv => {
                let mut csv = String::from("step,label,supply,reserve,funding_pool,spot_price\n");
                let mut row = |i: usize, label: &str, st: &CurveState| {
                    csv.push_str(&format!(
                        "{i},{label},{},{},{},{}\n",
                        shortest(st.supply),
                        shortest(st.reserve),
                        shortest(st.funding_pool),
                        shortest(st.spot_price())
                    ));
                };
                row(0, "hatch", &r.hatch);
                for (i, (st, t)) in r.path.iter().skip(1).zip(&shown.params.trades).enumerate() {
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
                File {
                    name: "flywheel-commons-states.csv".into(),
                    mime: "text/csv",
                    content: csv,
                }
            }
            Export::Json => {
                let doc = serde_json::json!({
                    "link": encode(&shown.params),
                    "params": shown.params,
                    "report": r,
                });
                File {
                    name: "flywheel-commons.json".into(),
                    mime: "application/json",
                    content: serde_json::to_string_pretty(&doc).unwrap_or_default(),
                }
            }
        })
    }

    /// A drawn hatch: its raise goes into the panel (as if typed) and the note says how it
    /// came about.
    fn answer(view: &View<Self>, _hatch: HatchDraw, reply: Reply) {
        let Reply::Hatch {
            seed,
            contributions,
            ..
        } = reply
        else {
            return;
        };
        let raise: f64 = contributions.iter().sum();
        let raise = ((raise * 100.0).round() / 100.0).max(1.0);
        let parts: Vec<String> = contributions.iter().map(|c| human(*c, 3, true)).collect();
        let note = format!(
            "Seed {seed}: {} = {} DAI",
            parts.join(" + "),
            human(raise, 7, false)
        );
        if let Some(e) = by_id("hatch-note") {
            e.set_text_content(Some(&note));
        }
        view.edit("hatch_raise", &shortest(raise));
        view.panel().show(&view.params());
    }

    /// The hatch draw and the trades carried out (side column), the trade's outcome (under the
    /// metrics).
    fn extras(&self) -> Extras {
        let hatch = el("div")
            .class("hatch-draw")
            .child(button(
                "Draw a hatch",
                "draw-hatch",
                "Five hatchers each put in U(0,1) × 1,000,000 DAI (a fresh random seed)",
            ))
            .child(el("p").class("note").id("hatch-note"))
            .build();
        let history = el("section")
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
            )
            .build();
        let trade = el("div")
            .class("trade-result")
            .child(el("h3").id("trade-title"))
            .child(el("dl").id("trade-list"))
            .build();
        Extras {
            side: vec![hatch, history],
            below_metrics: vec![trade],
            ..Extras::default()
        }
    }

    fn wire(view: &Rc<View<Self>>) {
        on_click(view, "apply-trade", |v| apply_trade(v));
        on_click(view, "undo-trade", |v| {
            edit_trades(v, |t| {
                t.pop();
            })
        });
        on_click(view, "reset-trades", |v| edit_trades(v, Vec::clear));
        on_click(view, "draw-hatch", |v| request_hatch(v));
        let Some(c) = by_id("chart-curve") else {
            return;
        };
        // The hover readout (see `Commons::hover`), hidden until the pointer is over the plot;
        // moved by the keyboard, it is read out (a polite live region).
        if let Some(figure) = by_id("fig-curve") {
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
                let _ = figure.append_child(&e);
            }
        }
        let v = view.clone();
        on(&c, "pointermove", move |e: web_sys::MouseEvent| {
            hover(&v, e.offset_x() as f64)
        });
        let v = view.clone();
        on(&c, "pointerleave", move |_: Event| v.own().hide_hover());
        // The same readout from the keyboard: focus the chart, then ← → (Shift: bigger steps),
        // Home and End move along the curve; Escape or leaving the chart hides it.
        let _ = c.set_attribute("tabindex", "0");
        let _ = c.set_attribute(
            "aria-describedby",
            "chart-curve-summary chart-curve-readout",
        );
        let _ = c.set_attribute("aria-keyshortcuts", "ArrowLeft ArrowRight Home End Escape");
        let v = view.clone();
        on(&c, "focus", move |_: Event| key_move(&v, 0.0, false));
        let v = view.clone();
        on(&c, "blur", move |_: Event| {
            v.own().key_x.set(None);
            v.own().hide_hover();
        });
        let v = view.clone();
        on(&c, "keydown", move |e: web_sys::KeyboardEvent| {
            let step = if e.shift_key() { 0.1 } else { 0.02 };
            match e.key().as_str() {
                "ArrowRight" => key_move(&v, step, false),
                "ArrowLeft" => key_move(&v, -step, false),
                "Home" => key_move(&v, -1.0, true),
                "End" => key_move(&v, 1.0, true),
                "Escape" => {
                    v.own().key_x.set(None);
                    v.own().hide_hover();
                    return;
                }
                _ => return,
            }
            e.prevent_default();
        });
    }

    /// The trade size's unit follows the side; the trades carried out are listed.
    fn on_params(&self, params: &AbcParams, panel: &Panel) {
        Self::show_trade_unit(panel, params.trade_side);
        Self::show_history(params);
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
