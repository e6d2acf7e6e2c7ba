//! Flywheel's charts.
//!
//! Every chart is a function over any plotters [`DrawingBackend`]: the page draws onto
//! `<canvas>` (plotters-canvas, created only in the frontend crate), while tests and exports
//! render the same function to SVG. Charts draw what a model's report contains; they never run
//! a model.

pub mod bands;
pub(crate) mod bars;
pub mod commons_dao;
pub mod conviction;
pub mod crowdtrain;
pub mod datadao;
pub mod research;
pub mod stress;
pub mod summary;

use flywheel_core::commons::explorer::{AbcReport, Side};
use flywheel_core::format::{compact, human};
use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::{CoordTranslate, Shift};
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

/// The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008): eight colours that stay
/// distinguishable for the common forms of colour blindness. Series that share a chart take
/// their colours from here (or from [`crowdtrain::TIER_COLOURS`] for the ordered tiers).
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
}

pub const BUY: RGBColor = okabe_ito::BLUISH_GREEN;
pub const SELL: RGBColor = okabe_ito::VERMILLION;
pub const RESERVE: RGBColor = okabe_ito::BLUE;
pub const FUNDING: RGBColor = okabe_ito::ORANGE;
pub const AFTER: RGBColor = okabe_ito::ORANGE;

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

/// The first of `texts` (longest first) that fits `width` pixels in `font`; the last otherwise.
pub(crate) fn fitting<'s, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    texts: &[&'s str],
    font: &TextStyle,
    width: i32,
) -> &'s str {
    texts
        .iter()
        .find(|s| text_width(area, s, font) <= width)
        .or(texts.last())
        .copied()
        .unwrap_or("")
}

/// An axis description that fits `room` pixels in the axis font, so a tall legend or a short
/// chart never pushes it over the legend or off the chart: `desc` itself, else without its
/// remarks in parentheses ("Active operators (mean over the runs)" → "Active operators"), else
/// its first words and an ellipsis.
pub(crate) fn fit_desc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    desc: &str,
    t: &Theme,
    room: i32,
) -> String {
    let font = t.font(13.0);
    let fits = |s: &str| text_width(area, s, &font) <= room;
    if fits(desc) {
        return desc.to_string();
    }
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in desc.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    if fits(&bare) {
        return bare;
    }
    let words: Vec<&str> = bare.split(' ').collect();
    (1..words.len())
        .rev()
        .map(|n| format!("{}…", words[..n].join(" ")))
        .find(|s| fits(s))
        .unwrap_or_else(|| words.first().copied().unwrap_or("").to_string())
}

/// The height of a chart's plotting area in backend pixels: the room of its y description.
pub(crate) fn plot_height<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, plotters::coord::cartesian::Cartesian2d<X, Y>>,
) -> i32 {
    let (_, ys) = chart.plotting_area().get_pixel_range();
    ys.end - ys.start
}

/// Compact tick labels: 1.5M, 250k, 0.16, 5e17 (never "500000T"), 5e-7.
pub fn tick(x: f64) -> String {
    compact(x, 3)
}

/// The width `text` takes in `font`, in backend pixels, erring on the wide side: the backend's
/// own measure (exact on a canvas, a rough estimate in SVG) or, if wider, what the widest common
/// sans-serif fonts need (0.62 em a character, in the size the SVG backend writes).
pub(crate) fn text_width<DB: DrawingBackend, CT: CoordTranslate>(
    root: &DrawingArea<DB, CT>,
    text: &str,
    font: &TextStyle,
) -> i32 {
    let measured = root
        .estimate_text_size(text, font)
        .map(|(w, _)| w as i32)
        .unwrap_or(0);
    let em = font.font.get_size() / 1.24;
    measured.max((text.chars().count() as f64 * 0.62 * em).ceil() as i32)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Swatch {
    Line,
    /// A dashed line, for a series drawn dashed.
    Dashed,
    Block,
    /// An unfilled rectangle: an outline drawn on the chart (a cap, full marks).
    Outline,
    /// A hollow circle with a thick rim: nodes drawn with an outline (hatchers).
    Ring,
    /// A filled circle: a marked point.
    Dot,
    /// A line with a marker on it: series that may lie on top of each other tell apart by
    /// their markers as well as their colours.
    Marked(Mark),
}

/// A marker's shape, drawn along a line at intervals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

impl Mark {
    pub(crate) const ALL: [Mark; 5] = [
        Mark::Circle,
        Mark::Square,
        Mark::Triangle,
        Mark::Diamond,
        Mark::Cross,
    ];

    /// Draws the marker centred at backend pixel `at`, of half-size `r`.
    pub(crate) fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        at: (i32, i32),
        r: i32,
        colour: RGBAColor,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (x, y) = at;
        let (fill, line) = (colour.filled(), colour.stroke_width(2));
        match self {
            Mark::Circle => area.draw(&Circle::new(at, r, fill)),
            Mark::Square => area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill)),
            Mark::Triangle => area.draw(&Polygon::new(
                vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
                fill,
            )),
            Mark::Diamond => area.draw(&Polygon::new(
                vec![
                    (x, y - r - 1),
                    (x + r + 1, y),
                    (x, y + r + 1),
                    (x - r - 1, y),
                ],
                fill,
            )),
            Mark::Cross => {
                area.draw(&PathElement::new(
                    vec![(x - r, y - r), (x + r, y + r)],
                    line,
                ))?;
                area.draw(&PathElement::new(
                    vec![(x - r, y + r), (x + r, y - r)],
                    line,
                ))
            }
        }
    }
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
        let tw = text_width(root, label, &font);
        let w = swatch_w + t.px(6.0) as i32 + tw + t.px(18.0) as i32;
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
            // Dashes as drawn on the chart, so the swatch reads like the line it stands for.
            Swatch::Dashed => {
                // About 6 on, 4 off, from one end of the swatch to the other.
                let (dash, gap) = (t.px(6.0) as i32, t.px(4.0) as i32);
                let n = ((swatch_w + gap) as f64 / (dash + gap) as f64)
                    .round()
                    .max(2.0) as i32;
                for k in 0..n {
                    let x0 = x + k * (swatch_w - dash) / (n - 1);
                    root.draw(&PathElement::new(
                        vec![(x0, mid), (x0 + dash, mid)],
                        colour.stroke_width(t.px(3.0)),
                    ))?;
                }
            }
            Swatch::Block => {
                let corners = [
                    (x, mid - t.px(5.0) as i32),
                    (x + swatch_w, mid + t.px(5.0) as i32),
                ];
                root.draw(&Rectangle::new(corners, colour.filled()))?;
                // A pale block gets an outline, so it shows on the white background.
                let (r, g, b) = colour.rgb();
                if 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64 > 200.0 {
                    root.draw(&Rectangle::new(corners, MUTED.mix(0.5)))?;
                }
            }
            Swatch::Outline => root.draw(&Rectangle::new(
                [
                    (x, mid - t.px(5.0) as i32),
                    (x + swatch_w, mid + t.px(5.0) as i32),
                ],
                colour.stroke_width(t.px(1.5)),
            ))?,
            Swatch::Ring => root.draw(&Circle::new(
                (x + swatch_w / 2, mid),
                t.px(5.5),
                colour.stroke_width(t.px(2.5)),
            ))?,
            Swatch::Dot => root.draw(&Circle::new(
                (x + swatch_w / 2, mid),
                t.px(5.5),
                colour.filled(),
            ))?,
            Swatch::Marked(mark) => {
                root.draw(&PathElement::new(
                    vec![(x, mid), (x + swatch_w, mid)],
                    colour.stroke_width(t.px(2.0)),
                ))?;
                mark.draw(root, (x + swatch_w / 2, mid), t.px(4.0) as i32, colour)?;
            }
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

/// Lines of text in ink above a chart's plot (what its lines cannot show: "cannot pass"),
/// each wrapped at spaces to the width; returns the area left below them.
pub(crate) fn text_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    t: &Theme,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    if lines.is_empty() {
        return Ok(root.clone());
    }
    let (width, _) = root.dim_in_pixel();
    let font = t.font(12.0);
    let pad = t.px(12.0) as i32;
    let room = width as i32 - 2 * pad;
    let row_h = t.px(18.0) as i32;
    let mut y = t.px(2.0) as i32;
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            let longer = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && text_width(root, &longer, &font) > room {
                root.draw(&Text::new(
                    std::mem::take(&mut current),
                    (pad, y),
                    font.pos(Pos::new(HPos::Left, VPos::Top)),
                ))?;
                y += row_h;
                current = word.to_string();
            } else {
                current = longer;
            }
        }
        root.draw(&Text::new(
            current,
            (pad, y),
            font.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        y += row_h;
    }
    Ok(root
        .split_vertically((y + t.px(2.0) as i32).max(0) as u32)
        .1)
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
    let y_desc = fit_desc(&plot, "Spot price (DAI per token)", t, plot_height(&chart));
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| tick(*x))
        .y_label_formatter(&|y| tick(*y))
        .x_desc("Token supply")
        .y_desc(y_desc)
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

/// What the charts' tests read back from SVG, and how they judge colours.
#[cfg(test)]
pub(crate) mod test_support {
    /// A `<text>` element of an SVG: where it is anchored, its font size and its text.
    #[derive(Debug)]
    pub struct SvgText {
        pub x: f64,
        pub y: f64,
        /// plotters' vertical anchoring: "0.76em" (top), "0.5ex" (centre), "-0.5ex" (bottom).
        pub dy: String,
        pub anchor: String,
        pub size: f64,
        pub rotated: bool,
        pub text: String,
    }

    impl SvgText {
        /// Its horizontal extent, erring on the wide side (0.62 em a character covers the wide
        /// sans-serif fonts, DejaVu Sans included).
        pub fn extent(&self) -> (f64, f64) {
            let w = self.text.chars().count() as f64 * 0.62 * self.size;
            match self.anchor.as_str() {
                "end" => (self.x - w, self.x),
                "middle" => (self.x - w / 2.0, self.x + w / 2.0),
                _ => (self.x, self.x + w),
            }
        }
    }

    impl SvgText {
        /// Its box: horizontal and vertical extents (a text turned a quarter, as y axis
        /// descriptions are, runs up the page: its length is vertical).
        pub fn bounds(&self) -> ((f64, f64), (f64, f64)) {
            if !self.rotated {
                return (self.extent(), self.vertical());
            }
            let len = self.text.chars().count() as f64 * 0.62 * self.size;
            let (y0, y1) = match self.anchor.as_str() {
                "end" => (self.y, self.y + len),
                "middle" => (self.y - len / 2.0, self.y + len / 2.0),
                _ => (self.y - len, self.y),
            };
            let s = self.size;
            ((self.x - 0.5 * s, self.x + 0.5 * s), (y0, y1))
        }

        /// Its vertical extent (one line of `size` tall), from plotters' anchoring.
        pub fn vertical(&self) -> (f64, f64) {
            let s = self.size;
            match self.dy.as_str() {
                "0.76em" => (self.y, self.y + s),
                "0.5ex" => (self.y - 0.5 * s, self.y + 0.5 * s),
                "-0.5ex" => (self.y - s, self.y),
                _ => (self.y - 0.76 * s, self.y + 0.24 * s),
            }
        }
    }

    /// Asserts that every text lies within `width` × `height` and that no two of them overlap
    /// (by more than `slack` pixels each way); a y axis description (turned a quarter) included,
    /// so a legend of several rows never runs into it.
    pub fn assert_texts_apart(svg: &str, (width, height): (u32, u32), slack: f64, what: &str) {
        let texts: Vec<SvgText> = texts(svg);
        for t in &texts {
            let ((x0, x1), (y0, y1)) = t.bounds();
            assert!(
                x0 >= -0.5 && x1 <= width as f64 + 0.5 && y0 >= -0.5 && y1 <= height as f64 + 0.5,
                "{what}: {:?} spans {x0:.0}…{x1:.0} × {y0:.0}…{y1:.0}, outside {width} × {height}",
                t.text
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                let ((ax0, ax1), (ay0, ay1)) = a.bounds();
                let ((bx0, bx1), (by0, by1)) = b.bounds();
                let x = ax1.min(bx1) - ax0.max(bx0);
                let y = ay1.min(by1) - ay0.max(by0);
                assert!(
                    x <= slack || y <= slack,
                    "{what}: {:?} and {:?} overlap ({x:.1} × {y:.1} px)",
                    a.text,
                    b.text
                );
            }
        }
    }

    /// Every `<circle>`'s centre and radius.
    pub fn circles(svg: &str) -> Vec<(f64, f64, f64)> {
        svg.split("<circle ")
            .skip(1)
            .filter_map(|rest| {
                let tag = rest.split('>').next()?;
                let num = |n| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
                Some((num("cx")?, num("cy")?, num("r")?))
            })
            .collect()
    }

    /// An attribute's value in a tag's attribute text (`x="36" y="16" …`).
    fn attr(tag: &str, name: &str) -> Option<String> {
        let tag = format!(" {tag}");
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[start..].find('"')?;
        Some(tag[start..start + len].to_string())
    }

    pub fn texts(svg: &str) -> Vec<SvgText> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|rest| {
                let (tag, body) = rest.split_once('>')?;
                let text = body.split("</text>").next()?.trim().to_string();
                let num = |n| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
                Some(SvgText {
                    x: num("x")?,
                    y: num("y")?,
                    dy: attr(tag, "dy").unwrap_or_default(),
                    anchor: attr(tag, "text-anchor").unwrap_or_else(|| "start".into()),
                    size: num("font-size")?,
                    rotated: tag.contains("rotate("),
                    text,
                })
            })
            .collect()
    }

    /// Every `<polyline>`'s stroke colour and points.
    pub fn polylines(svg: &str) -> Vec<(String, Vec<(f64, f64)>)> {
        svg.split("<polyline ")
            .skip(1)
            .filter_map(|rest| {
                let tag = rest.split('>').next()?;
                let points = attr(tag, "points")?
                    .split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect();
                Some((attr(tag, "stroke")?, points))
            })
            .collect()
    }

    /// How a colour-vision deficiency is simulated (Machado, Oliveira and Fernandes 2009, severity 1).
    #[derive(Clone, Copy, Debug)]
    pub enum Vision {
        Normal,
        Protan,
        Deutan,
        Tritan,
    }

    pub const VISIONS: [Vision; 4] = [
        Vision::Normal,
        Vision::Protan,
        Vision::Deutan,
        Vision::Tritan,
    ];

    fn linear(c: u8) -> f64 {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// CIELAB (D65) of an sRGB colour as seen with `vision`.
    pub fn lab((r, g, b): (u8, u8, u8), vision: Vision) -> [f64; 3] {
        let rgb = [linear(r), linear(g), linear(b)];
        let m: [[f64; 3]; 3] = match vision {
            Vision::Normal => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            Vision::Protan => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Vision::Deutan => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Vision::Tritan => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        };
        let [r, g, b] =
            m.map(|row| (row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]).clamp(0.0, 1.0));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// The CIEDE2000 colour difference (about 2.3: just noticeable; 10 and more: clearly apart).
    pub fn de2000(p: [f64; 3], q: [f64; 3]) -> f64 {
        use std::f64::consts::PI;
        let (deg, rad) = (180.0 / PI, PI / 180.0);
        let [l1, a1, b1] = p;
        let [l2, a2, b2] = q;
        let cb = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
        let g = 0.5 * (1.0 - (cb.powi(7) / (cb.powi(7) + 25f64.powi(7))).sqrt());
        let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
        let (c1, c2) = (a1p.hypot(b1), a2p.hypot(b2));
        let hue = |b: f64, a: f64| (b.atan2(a) * deg).rem_euclid(360.0);
        let (h1, h2) = (hue(b1, a1p), hue(b2, a2p));
        let mut dh = h2 - h1;
        if c1 * c2 == 0.0 {
            dh = 0.0;
        } else if dh > 180.0 {
            dh -= 360.0;
        } else if dh < -180.0 {
            dh += 360.0;
        }
        let d_l = l2 - l1;
        let d_c = c2 - c1;
        let d_h = 2.0 * (c1 * c2).sqrt() * (dh * rad / 2.0).sin();
        let lb = (l1 + l2) / 2.0;
        let cbp = (c1 + c2) / 2.0;
        let hb = if c1 * c2 == 0.0 {
            h1 + h2
        } else if (h1 - h2).abs() <= 180.0 {
            (h1 + h2) / 2.0
        } else if h1 + h2 < 360.0 {
            (h1 + h2 + 360.0) / 2.0
        } else {
            (h1 + h2 - 360.0) / 2.0
        };
        let t = 1.0 - 0.17 * ((hb - 30.0) * rad).cos()
            + 0.24 * (2.0 * hb * rad).cos()
            + 0.32 * ((3.0 * hb + 6.0) * rad).cos()
            - 0.20 * ((4.0 * hb - 63.0) * rad).cos();
        let dth = 30.0 * (-((hb - 275.0) / 25.0).powi(2)).exp();
        let rc = 2.0 * (cbp.powi(7) / (cbp.powi(7) + 25f64.powi(7))).sqrt();
        let sl = 1.0 + 0.015 * (lb - 50.0).powi(2) / (20.0 + (lb - 50.0).powi(2)).sqrt();
        let sc = 1.0 + 0.045 * cbp;
        let sh = 1.0 + 0.015 * cbp * t;
        let rt = -(2.0 * dth * rad).sin() * rc;
        ((d_l / sl).powi(2)
            + (d_c / sc).powi(2)
            + (d_h / sh).powi(2)
            + rt * (d_c / sc) * (d_h / sh))
            .sqrt()
    }

    /// Asserts that every two of `colours` (named) differ by at least `normal` CIEDE2000 units
    /// for normal vision and `deficient` for each simulated colour-vision deficiency.
    pub fn assert_apart(
        colours: &[(&str, plotters::style::RGBColor)],
        normal: f64,
        deficient: f64,
    ) {
        for (i, (na, a)) in colours.iter().enumerate() {
            for (nb, b) in &colours[i + 1..] {
                for v in VISIONS {
                    let d = de2000(lab((a.0, a.1, a.2), v), lab((b.0, b.1, b.2), v));
                    let least = if matches!(v, Vision::Normal) {
                        normal
                    } else {
                        deficient
                    };
                    assert!(d >= least, "{na} and {nb}: ΔE2000 {d:.1} < {least} ({v:?})");
                }
            }
        }
    }

    #[test]
    fn ciede2000_matches_published_pairs() {
        // Sharma, Wu and Dalal (2005), pairs 1, 7 and 17.
        let d = de2000([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485]);
        assert!((d - 2.0425).abs() < 1e-4, "{d}");
        let d = de2000([50.0, 0.0, 0.0], [50.0, -1.0, 2.0]);
        assert!((d - 2.3669).abs() < 1e-4, "{d}");
        let d = de2000([50.0, 2.5, 0.0], [73.0, 25.0, -18.0]);
        assert!((d - 27.1492).abs() < 1e-4, "{d}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flywheel_core::commons::explorer::{evaluate, AbcParams, Trade};

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

    /// Axis and value labels stay compact at the extremes the parameters allow: never
    /// "500000T", never "e+", never "5.00e-7".
    #[test]
    fn labels_stay_compact_at_extreme_magnitudes() {
        for x in [5e17, 1e18, 2.5e20, 999_950.0, 5e-7, 1.5e-6, 0.05, 1.5e6] {
            let s = tick(x);
            assert!(!s.contains("e+") && !s.contains(".00"), "{x}: {s}");
        }
        assert_eq!(tick(5e17), "5e17");
        assert_eq!(tick(5e-7), "5e-7");
        assert_eq!(tick(1.5e6), "1.5M");
        let r = evaluate(&AbcParams {
            hatch_raise: 1e12,
            hatch_price: 1e-6,
            ..AbcParams::default()
        });
        for chart in CommonsChart::ALL {
            let svg = chart.svg(&r).unwrap();
            for t in test_support::texts(&svg) {
                let s = &t.text;
                assert!(!s.contains("e+"), "{}: {s}", chart.name());
                if let Some(i) = s.find(['k', 'M', 'B', 'T']) {
                    let digits = s[..i]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    assert!(digits <= 3, "{}: {s}", chart.name());
                }
            }
        }
        let curve = CommonsChart::BondingCurve.svg(&r).unwrap();
        let texts = test_support::texts(&curve);
        assert!(texts.iter().any(|t| t.text == "5e17"), "{texts:?}");
    }

    /// A dashed series' legend swatch is drawn dashed: several short strokes where a solid
    /// swatch has one.
    #[test]
    fn dashed_legend_swatches_are_dashed() {
        let strokes = |swatch| {
            let svg = to_svg(400, 60, |root| {
                legend_row(
                    root,
                    &[("Series".to_string(), CURVE.to_rgba(), swatch)],
                    &Theme::default(),
                )
                .map(|_| ())
            })
            .unwrap();
            test_support::polylines(&svg)
        };
        let solid = strokes(Swatch::Line);
        let dashed = strokes(Swatch::Dashed);
        assert_eq!(solid.len(), 1);
        assert!(dashed.len() >= 2, "{dashed:?}");
        let span = |lines: &[(String, Vec<(f64, f64)>)]| {
            let xs = lines.iter().flat_map(|(_, p)| p.iter().map(|q| q.0));
            let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
            hi - lo
        };
        // The dashes span the same width as the solid swatch, with gaps between them.
        assert_eq!(span(&solid), span(&dashed));
        let inked: f64 = dashed.iter().map(|(_, p)| p[1].0 - p[0].0).sum();
        assert!(inked < span(&dashed));
    }

    /// Buys and sells, and the reserve and the funding pool, stay apart for colour-blind readers.
    #[test]
    fn co_plotted_commons_colours_are_distinguishable() {
        test_support::assert_apart(&[("buy", BUY), ("sell", SELL)], 20.0, 12.0);
        test_support::assert_apart(
            &[("reserve", RESERVE), ("funding pool", FUNDING)],
            20.0,
            12.0,
        );
        test_support::assert_apart(
            &[
                ("buy", BUY),
                ("sell", SELL),
                ("spot", MUTED),
                ("what-if", AFTER),
            ],
            20.0,
            10.0,
        );
    }
}
