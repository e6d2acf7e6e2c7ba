//! Rows of labelled horizontal bars, shared by CrowdTrain's funnel and score and the Commons
//! DAO's score: labels left of the axis (shortened on narrow charts), a value text after each
//! bar that always stays inside the chart, optional whiskers, caps (full marks, drawn as an
//! outline) and negative values (penalties, drawn left of zero).

use crate::bands::TimeChart;
use crate::{house_mesh, max_of, text_width, Theme, INK, MUTED};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One row of a horizontal bar chart.
pub(crate) struct BarRow {
    pub label: String,
    /// The label when the full one would take too much of a narrow chart.
    pub short_label: String,
    pub value: f64,
    /// ± this much as a whisker (0: none).
    pub whisker: f64,
    pub colour: RGBColor,
    /// Written after the bar (its whisker and its cap), or inside the bar's end when there is no
    /// room.
    pub text: String,
    /// Whether `text` may go inside the bar (not where a whisker crosses it).
    pub text_inside: bool,
    /// Full marks, drawn as an outline from 0 to the cap (`None`: no outline).
    pub cap: Option<f64>,
}

/// Where a row's value text goes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum TextAt {
    /// Left-aligned just after this backend x.
    After(i32),
    /// Right-aligned just inside the bar's end at this backend x.
    Inside(i32),
    /// Right-aligned against the plotting area's right edge (a last resort on tiny charts).
    Edge(i32),
}

/// The text's colour over `c`: white on dark bars, ink on light ones.
pub(crate) fn text_on(c: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = c;
    let luma = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
    if luma < 140.0 {
        WHITE
    } else {
        INK
    }
}

/// Rows of labelled horizontal bars on `plot`, first row on top, from the lowest value (0 unless
/// a value is negative) to at least `x_min_max`. Labels are drawn on `root` (the whole chart,
/// which `plot` is part of), left of the axis. The label column is as wide as the longest label
/// (the short labels when the full ones would take more than 40% of the width), and the x range
/// grows so that every value text fits after its bar (and its cap) inside the plotting area;
/// when that would squeeze the bars into less than 60% of the width, a text that still does not
/// fit goes inside its bar's end instead.
pub(crate) fn bar_rows<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &'a DrawingArea<DB, Shift>,
    rows: &[BarRow],
    x_min_max: f64,
    (x_desc, x_format): (&str, &dyn Fn(&f64) -> String),
    t: &Theme,
) -> Result<TimeChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let n = rows.len() as f64;
    let font = t.font(12.0);
    let (width, _) = plot.dim_in_pixel();
    let widest = |labels: &mut dyn Iterator<Item = &String>| {
        labels
            .map(|l| text_width(root, l, &font))
            .max()
            .unwrap_or(0)
    };
    let mut label_w = widest(&mut rows.iter().map(|r| &r.label));
    let short = label_w as f64 > 0.4 * width as f64;
    if short {
        label_w = widest(&mut rows.iter().map(|r| &r.short_label));
    }
    // Negative values (penalties) extend left of zero, with a little room beyond the lowest.
    let lowest = rows
        .iter()
        .map(|r| r.value - r.whisker)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);
    let x_lo = if lowest < 0.0 { lowest * 1.1 } else { 0.0 };
    let build = |x_max: f64| {
        ChartBuilder::on(plot)
            .margin(t.px(12.0))
            .x_label_area_size(t.px(36.0))
            .y_label_area_size(label_w as u32 + t.px(16.0))
            .build_cartesian_2d(x_lo..x_max, 0f64..n)
    };
    // The plotting area's width does not depend on the x range: measure it once.
    let (x0_px, x1_px) = {
        let probe = build(x_lo + 1.0)?;
        let (xs, _) = probe.plotting_area().get_pixel_range();
        (xs.start, xs.end)
    };
    let plot_w = (x1_px - x0_px).max(1) as f64;
    let gap = t.px(6.0) as i32;
    let ends: Vec<f64> = rows
        .iter()
        .map(|r| (r.value + r.whisker).max(r.cap.unwrap_or(0.0)).max(0.0))
        .collect();
    let widths: Vec<i32> = rows
        .iter()
        .map(|r| text_width(root, &r.text, &font))
        .collect();
    let max_end = max_of(ends.iter().copied());
    let least = x_min_max.max(max_end * 1.04).max(f64::MIN_POSITIVE);
    // The x range each text needs to fit after its bar:
    // (end − lo)/(x_max − lo) × w + gap + text ≤ w.
    let needed = ends
        .iter()
        .zip(&widths)
        .map(|(e, tw)| {
            let room = plot_w - (gap + tw + t.px(2.0) as i32) as f64;
            if room > 0.0 {
                x_lo + (e - x_lo) * plot_w / room
            } else {
                f64::INFINITY
            }
        })
        .fold(least, f64::max);
    let x_max = needed.min(least.max(x_lo + (max_end - x_lo) / 0.6));
    let mut chart = build(x_max)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(x_format)
        .x_desc(x_desc)
        .draw()?;
    if x_lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            MUTED.stroke_width(t.px(1.0)),
        )))?;
    }
    let label_style = font.pos(Pos::new(HPos::Right, VPos::Center));
    for (i, row) in rows.iter().enumerate() {
        let y = n - i as f64 - 0.5;
        let end = row.value.clamp(x_lo, x_max);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(end.min(0.0), y - 0.3), (end.max(0.0), y + 0.3)],
            row.colour.filled(),
        )))?;
        if let Some(cap) = row.cap.filter(|c| *c > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.3), (cap.min(x_max), y + 0.3)],
                INK.stroke_width(t.px(1.5)),
            )))?;
        }
        if row.whisker > 0.0 {
            let (lo, hi) = (
                (row.value - row.whisker).max(x_lo),
                (row.value + row.whisker).min(x_max),
            );
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                MUTED.stroke_width(t.px(1.5)),
            )))?;
        }
        let (px, py) = chart.backend_coord(&(x_lo, y));
        let label = if short { &row.short_label } else { &row.label };
        root.draw(&Text::new(
            label.clone(),
            (px - t.px(8.0) as i32, py),
            label_style.clone(),
        ))?;
        let (zero, _) = chart.backend_coord(&(0.0, y));
        let (after, _) = chart.backend_coord(&(ends[i].min(x_max), y));
        let (bar_end, _) = chart.backend_coord(&(end, y));
        let tw = widths[i];
        let at = if after + gap + tw <= x1_px {
            TextAt::After(after + gap)
        } else if row.text_inside && bar_end - zero >= tw + 2 * gap {
            TextAt::Inside(bar_end - gap)
        } else {
            TextAt::Edge(x1_px - t.px(2.0) as i32)
        };
        let (x, h, colour) = match at {
            TextAt::After(x) => (x, HPos::Left, INK),
            TextAt::Inside(x) => (x, HPos::Right, text_on(row.colour)),
            TextAt::Edge(x) => (x, HPos::Right, INK),
        };
        root.draw(&Text::new(
            row.text.clone(),
            (x, py),
            font.color(&colour).pos(Pos::new(h, VPos::Center)),
        ))?;
    }
    Ok(chart)
}
