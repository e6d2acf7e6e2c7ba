//! Flywheel's charts.
//!
//! Every chart is a function over any plotters [`DrawingBackend`]: the page draws onto
//! `<canvas>` (plotters-canvas, created only in the frontend crate), while tests and exports
//! render the same function to SVG. Charts draw what a model's report contains; they never run
//! a model.

pub mod crowdtrain;
pub mod datadao;

use flywheel_core::commons::{AbcReport, Side};
use flywheel_core::format::human;
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Result of drawing onto a backend.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Where a chart's plotting area lies, in backend pixels, and which data it spans: lets the page
/// turn a pointer position into data (a hover readout) without redrawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotGeometry {
    pub x_px: (i32, i32),
    pub y_px: (i32, i32),
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
}

impl PlotGeometry {
    /// The data x at backend pixel `px`, if `px` lies over the plotting area.
    pub fn data_x(&self, px: f64) -> Option<f64> {
        let (a, b) = (self.x_px.0 as f64, self.x_px.1 as f64);
        if b <= a || px < a || px > b {
            return None;
        }
        Some(self.x_range.0 + (px - a) / (b - a) * (self.x_range.1 - self.x_range.0))
    }

    /// The backend pixel of data y (clamped to the plotting area).
    pub fn pixel_y(&self, y: f64) -> f64 {
        let (lo, hi) = self.y_range;
        let f = if hi > lo {
            ((y - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.y_px.1 as f64 - f * (self.y_px.1 - self.y_px.0) as f64
    }
}

/// Sizes and colours. `scale` is the device-pixel ratio, so text stays readable on dense screens.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub scale: f64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { scale: 1.0 }
    }
}

pub const INK: RGBColor = RGBColor(30, 41, 59);
pub const MUTED: RGBColor = RGBColor(100, 116, 139);
pub const GRID: RGBColor = RGBColor(226, 232, 240);
pub const CURVE: RGBColor = RGBColor(79, 70, 229);
pub const BUY: RGBColor = RGBColor(22, 163, 74);
pub const SELL: RGBColor = RGBColor(220, 38, 38);
pub const RESERVE: RGBColor = RGBColor(37, 99, 235);
pub const FUNDING: RGBColor = RGBColor(217, 119, 6);
pub const AFTER: RGBColor = RGBColor(234, 88, 12);

impl Theme {
    pub(crate) fn px(&self, x: f64) -> u32 {
        (x * self.scale).round().max(1.0) as u32
    }
    pub(crate) fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * self.scale).into_font().color(&INK)
    }
    pub(crate) fn muted_font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * self.scale).into_font().color(&MUTED)
    }
}

/// Flywheel's mesh style, shared by every chart: no minor grid lines, light major ones, muted
/// axes, readable labels. Callers add their own ticks and descriptions, then draw.
pub(crate) fn house_mesh<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    t: &Theme,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType: std::fmt::Debug>,
    Y: Ranged<ValueType: std::fmt::Debug>,
    DB: DrawingBackend,
{
    mesh.light_line_style(WHITE.mix(0.0))
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(t.muted_font(12.0))
        .axis_desc_style(t.font(13.0))
}

/// Compact tick labels: 1.5M, 250k, 0.16.
pub fn tick(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = human(x, 3, true);
    match s.find(|c: char| c.is_ascii_alphabetic()) {
        // 1.50M → 1.5M; 0.0500 → 0.05 (but not 1e-7's exponent)
        Some(i) if !s.contains('e') => format!("{}{}", trim_fraction(&s[..i]), &s[i..]),
        None => trim_fraction(&s),
        _ => s,
    }
}

fn trim_fraction(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Line,
    Block,
}

/// Draws a legend as a row (wrapping onto more rows) above the plot, so it never hides data on
/// small charts; returns the area left for the plot.
pub(crate) fn legend_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, RGBAColor, Swatch)],
    t: &Theme,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, _) = root.dim_in_pixel();
    let font = t.font(12.0);
    let pad = t.px(12.0) as i32;
    let swatch_w = t.px(18.0) as i32;
    let row_h = t.px(20.0) as i32;
    let (mut x, mut y) = (pad, t.px(6.0) as i32);
    let mut placed = Vec::new();
    for (label, colour, kind) in items {
        let (tw, _) = root.estimate_text_size(label, &font)?;
        let w = swatch_w + t.px(6.0) as i32 + tw as i32 + t.px(18.0) as i32;
        if x > pad && x + w > width as i32 - pad {
            x = pad;
            y += row_h;
        }
        placed.push((x, y, label, *colour, *kind));
        x += w;
    }
    for (x, y, label, colour, kind) in placed {
        let mid = y + row_h / 2;
        match kind {
            Swatch::Line => root.draw(&PathElement::new(
                vec![(x, mid), (x + swatch_w, mid)],
                colour.stroke_width(t.px(3.0)),
            ))?,
            Swatch::Block => root.draw(&Rectangle::new(
                [
                    (x, mid - t.px(5.0) as i32),
                    (x + swatch_w, mid + t.px(5.0) as i32),
                ],
                colour.filled(),
            ))?,
        }
        let text_pos = (x + swatch_w + t.px(6.0) as i32, mid);
        root.draw(&Text::new(
            label.clone(),
            text_pos,
            font.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    let used = (y + row_h + t.px(4.0) as i32).max(0) as u32;
    Ok(root.split_vertically(used).1)
}

pub(crate) fn max_of(values: impl Iterator<Item = f64>) -> f64 {
    values.filter(|v| v.is_finite()).fold(0.0, f64::max)
}

/// The bonding curve: spot price against supply, the hatch point, the current state, the state
/// after the what-if trade, and the area between them (the DAI that enters or leaves the reserve).
pub fn bonding_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &AbcReport,
    t: &Theme,
) -> Result<PlotGeometry, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let x_max = max_of(r.curve.iter().map(|p| p[0])).max(f64::MIN_POSITIVE);
    let y_top = max_of(r.curve.iter().map(|p| p[1]));
    let y_max = if y_top > 0.0 { y_top * 1.08 } else { 1.0 };
    let trade_colour = if r.trade.side == Side::Buy { BUY } else { SELL };
    let trade_label = match r.trade.side {
        Side::Buy => format!(
            "Buy: {} DAI into the reserve",
            human(r.trade.reserve_change, 4, true)
        ),
        Side::Sell => format!(
            "Sell: {} DAI out of the reserve",
            human(-r.trade.reserve_change, 4, true)
        ),
    };
    let plot = legend_row(
        root,
        &[
            (
                "Spot price on the curve".to_string(),
                CURVE.to_rgba(),
                Swatch::Line,
            ),
            (trade_label, trade_colour.mix(0.4), Swatch::Block),
        ],
        t,
    )?;
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(44.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| tick(*x))
        .y_label_formatter(&|y| tick(*y))
        .x_desc("Token supply")
        .y_desc("Spot price (DAI per token)")
        .draw()?;

    chart.draw_series(AreaSeries::new(
        r.shade.iter().map(|p| (p[0], p[1])),
        0.0,
        trade_colour.mix(0.28),
    ))?;
    chart.draw_series(LineSeries::new(
        r.curve.iter().map(|p| (p[0], p[1])),
        CURVE.stroke_width(t.px(2.5)),
    ))?;

    // Earlier trades: the path from the hatch to the current state.
    if r.path.len() > 2 {
        let pts: Vec<(f64, f64)> = r.path[1..r.path.len() - 1]
            .iter()
            .map(|s| (s.supply, s.spot_price()))
            .collect();
        let rad = t.px(3.0);
        chart.draw_series(pts.into_iter().map(|p| Circle::new(p, rad, MUTED.filled())))?;
    }

    // A labelled point; `left` puts the label to the point's left (so two close points' labels
    // do not collide: the earlier state is labelled on the side away from the later one).
    let marker = |pos: (f64, f64), colour: RGBColor, text: String, dy: i32, left: bool| {
        let rad = t.px(5.5) as i32;
        let gap = rad + t.px(5.0) as i32;
        let h = if left { HPos::Right } else { HPos::Left };
        EmptyElement::at(pos)
            + Circle::new((0, 0), rad, colour.filled())
            + Circle::new((0, 0), rad, WHITE.stroke_width(t.px(1.5)))
            + Text::new(
                text,
                (if left { -gap } else { gap }, dy),
                t.font(12.0).pos(Pos::new(h, VPos::Top)),
            )
    };
    let hatch = (r.hatch.supply, r.hatch.spot_price());
    let now = (r.current.supply, r.current.spot_price());
    let after = (r.after.supply, r.after.spot_price());
    let below = t.px(6.0) as i32;
    let above = -(t.px(18.0) as i32);
    let buy = r.trade.side == Side::Buy;
    if r.path.len() > 1 {
        let hatch_left = r.hatch.supply < r.current.supply;
        chart.draw_series(std::iter::once(marker(
            hatch,
            MUTED,
            "Hatch".into(),
            below,
            hatch_left,
        )))?;
        chart.draw_series(std::iter::once(marker(now, INK, "Now".into(), above, buy)))?;
    } else {
        chart.draw_series(std::iter::once(marker(
            now,
            INK,
            "Hatch = now".into(),
            above,
            buy,
        )))?;
    }
    if r.trade.amount > 0.0 {
        chart.draw_series(std::iter::once(marker(
            after,
            AFTER,
            "After trade".into(),
            // A sell moves down-left, towards the hatch: label it above, away from there.
            if buy { below } else { above },
            !buy,
        )))?;
    }
    let (x_px, y_px) = chart.plotting_area().get_pixel_range();
    root.present()?;
    Ok(PlotGeometry {
        x_px: (x_px.start, x_px.end),
        y_px: (y_px.start, y_px.end),
        x_range: (0.0, x_max),
        y_range: (0.0, y_max),
    })
}

/// The pools: collateral reserve and funding pool at the hatch, now, and after the trade.
pub fn pools<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &AbcReport,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let groups = [
        ("Hatch", r.hatch),
        ("Now", r.current),
        ("After trade", r.after),
    ];
    let y_max =
        max_of(groups.iter().flat_map(|(_, s)| [s.reserve, s.funding_pool])).max(1.0) * 1.12;
    let plot = legend_row(
        root,
        &[
            (
                "Collateral reserve (backs the curve)".to_string(),
                RESERVE.to_rgba(),
                Swatch::Block,
            ),
            (
                "Funding pool (pays for proposals)".to_string(),
                FUNDING.to_rgba(),
                Swatch::Block,
            ),
        ],
        t,
    )?;
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(30.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(0f64..3.0, 0f64..y_max)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_x_mesh()
        .x_labels(0)
        .y_label_formatter(&|y| tick(*y))
        .y_desc("DAI")
        .draw()?;
    for (series, colour, offset) in [(0usize, RESERVE, 0.14), (1, FUNDING, 0.52)] {
        let bars = groups.iter().enumerate().map(move |(i, (_, s))| {
            let v = if series == 0 {
                s.reserve
            } else {
                s.funding_pool
            };
            let x0 = i as f64 + offset;
            Rectangle::new([(x0, 0.0), (x0 + 0.34, v)], colour.filled())
        });
        chart.draw_series(bars)?;
        let labels = groups.iter().enumerate().map(move |(i, (_, s))| {
            let v = if series == 0 {
                s.reserve
            } else {
                s.funding_pool
            };
            Text::new(
                human(v, 3, true),
                (i as f64 + offset + 0.02, v + y_max * 0.045),
                t.font(11.0),
            )
        });
        chart.draw_series(labels)?;
    }
    // Group names under the group centres (plotters would put ticks at "nice" numbers instead).
    let centred = t.font(12.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, (name, _)) in groups.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            name.to_string(),
            (px, py + t.px(8.0) as i32),
            centred.clone(),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Average price paid (buys) and received (sells) against trade size, from the current state,
/// with today's spot price and the what-if trade's size marked.
pub fn price_impact<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &AbcReport,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let spot = r.current.spot_price();
    let pts = &r.impact;
    let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
        return Ok(());
    };
    let y_max = max_of(pts.iter().map(|p| p.buy_price)).max(spot) * 1.06;
    let plot = legend_row(
        root,
        &[
            (
                "Average price paid by a buy".to_string(),
                BUY.to_rgba(),
                Swatch::Line,
            ),
            (
                "Average price received by a sell".to_string(),
                SELL.to_rgba(),
                Swatch::Line,
            ),
            ("Spot price now".to_string(), MUTED.to_rgba(), Swatch::Line),
        ],
        t,
    )?;
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(44.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d((first.size..last.size).log_scale(), 0f64..y_max)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| tick(*x))
        .y_label_formatter(&|y| tick(*y))
        .x_desc("Trade size (DAI at today's spot price, log scale)")
        .y_desc("DAI per token")
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(first.size, spot), (last.size, spot)],
        MUTED.stroke_width(t.px(1.5)),
    ))?;
    chart.draw_series(LineSeries::new(
        pts.iter().map(|p| (p.size, p.buy_price)),
        BUY.stroke_width(t.px(2.5)),
    ))?;
    chart.draw_series(LineSeries::new(
        pts.iter().filter_map(|p| p.sell_price.map(|s| (p.size, s))),
        SELL.stroke_width(t.px(2.5)),
    ))?;
    // The what-if trade's size.
    let size = match r.trade.side {
        Side::Buy => r.trade.amount,
        Side::Sell => r.trade.amount * spot,
    };
    if size >= first.size && size <= last.size {
        chart.draw_series(LineSeries::new(
            [(size, 0.0), (size, y_max)],
            AFTER.mix(0.8).stroke_width(t.px(1.5)),
        ))?;
        let label = t.font(12.0).pos(Pos::new(HPos::Left, VPos::Top));
        chart.draw_series(std::iter::once(
            EmptyElement::at((size, y_max))
                + Text::new("what-if trade", (t.px(4.0) as i32, t.px(4.0) as i32), label),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// The Commons tab's charts, for exports that name a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommonsChart {
    BondingCurve,
    PriceImpact,
    Pools,
}

impl CommonsChart {
    pub const ALL: [CommonsChart; 3] = [Self::BondingCurve, Self::PriceImpact, Self::Pools];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::BondingCurve => "bonding-curve",
            Self::PriceImpact => "price-impact",
            Self::Pools => "pools",
        }
    }

    /// The chart as a standalone SVG document.
    pub fn svg(self, r: &AbcReport) -> Result<String, String> {
        let t = Theme::default();
        match self {
            Self::BondingCurve => to_svg(960, 560, |root| bonding_curve(root, r, &t)),
            Self::PriceImpact => to_svg(960, 480, |root| price_impact(root, r, &t)),
            Self::Pools => to_svg(960, 440, |root| pools(root, r, &t)),
        }
    }
}

/// Renders a chart function to an SVG document (for exports and native tests).
pub fn to_svg<T>(
    width: u32,
    height: u32,
    draw: impl for<'a> FnOnce(
        &DrawingArea<SVGBackend<'a>, Shift>,
    ) -> Result<
        T,
        DrawingAreaErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>,
    >,
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flywheel_core::commons::{evaluate, AbcParams, Trade};

    fn assert_has(svg: &str, texts: &[&str]) {
        for text in texts {
            assert!(svg.contains(text), "the SVG lacks {text:?}");
        }
    }

    fn report(side: Side, trades: Vec<Trade>) -> AbcReport {
        evaluate(&AbcParams {
            trade_side: side,
            trade_size: 500_000.0,
            trades,
            ..AbcParams::default()
        })
    }

    #[test]
    fn bonding_curve_svg_shows_curve_points_and_legend() {
        let r = report(
            Side::Buy,
            vec![Trade {
                side: Side::Buy,
                amount: 200_000.0,
            }],
        );
        let svg = to_svg(800, 480, |root| bonding_curve(root, &r, &Theme::default())).unwrap();
        assert!(svg.starts_with("<svg"));
        assert_has(
            &svg,
            &[
                "Token supply",
                "Spot price (DAI per token)",
                "Hatch",
                "Now",
                "After trade",
                "Spot price on the curve",
                "Buy:",
            ],
        );
        // The curve is a polyline with one vertex per sample.
        assert!(svg.contains("<polyline"));
        assert!(svg.matches("<circle").count() >= 6);
    }

    #[test]
    fn geometry_maps_pixels_to_supply() {
        let r = report(Side::Buy, vec![]);
        let mut geometry = None;
        to_svg(800, 480, |root| {
            geometry = Some(bonding_curve(root, &r, &Theme::default())?);
            Ok(())
        })
        .unwrap();
        let g = geometry.unwrap();
        assert!(g.x_px.0 > 0 && g.x_px.1 < 800 && g.y_px.0 > 0 && g.y_px.1 < 480);
        assert_eq!(g.data_x(g.x_px.0 as f64), Some(0.0));
        let x_max = r.curve.last().unwrap()[0];
        assert!((g.data_x(g.x_px.1 as f64).unwrap() - x_max).abs() < 1e-6 * x_max);
        assert_eq!(g.data_x(g.x_px.0 as f64 - 1.0), None);
        assert_eq!(g.pixel_y(0.0), g.y_px.1 as f64);
    }

    #[test]
    fn sell_is_labelled_as_a_sell() {
        let r = report(Side::Sell, vec![]);
        let svg = to_svg(600, 400, |root| {
            bonding_curve(root, &r, &Theme { scale: 2.0 })
        })
        .unwrap();
        assert!(svg.contains("Sell:"));
        assert!(svg.contains("Hatch = now"));
    }

    #[test]
    fn pools_svg_labels_every_bar() {
        let r = report(Side::Buy, vec![]);
        let svg = to_svg(600, 360, |root| pools(root, &r, &Theme::default())).unwrap();
        assert_has(
            &svg,
            &[
                "Collateral reserve",
                "Funding pool",
                "800k",
                "200k",
                "Hatch",
                "After trade",
            ],
        );
        assert!(svg.matches("<rect").count() >= 6);
    }

    #[test]
    fn price_impact_svg_has_both_lines_and_the_trade() {
        let r = report(Side::Buy, vec![]);
        let svg = to_svg(700, 400, |root| price_impact(root, &r, &Theme::default())).unwrap();
        assert_has(
            &svg,
            &[
                "Average price paid by a buy",
                "Average price received by a sell",
                "Spot price now",
                "what-if trade",
                "log scale",
            ],
        );
        assert!(svg.matches("<polyline").count() >= 4);
    }

    #[test]
    fn flat_curve_and_tiny_hatch_still_draw() {
        let r = evaluate(&AbcParams {
            kappa: 1.0,
            hatch_raise: 1.0,
            hatch_price: 1e-6,
            ..AbcParams::default()
        });
        assert!(to_svg(360, 240, |root| bonding_curve(root, &r, &Theme::default())).is_ok());
        assert!(to_svg(360, 240, |root| pools(root, &r, &Theme::default())).is_ok());
        assert!(to_svg(360, 240, |root| price_impact(root, &r, &Theme::default())).is_ok());
    }
}
