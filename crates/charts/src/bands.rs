//! Charts over time shared by the models: Monte Carlo bands (P50 lines with their P10–P90 bands
//! shaded) and the axes under them, month by month (CrowdTrain) or day by day (the Commons DAO),
//! with an optional marker at the inspected step and labelled guide lines.

use crate::{house_mesh, legend_row, max_of, text_width, tick, DrawResult, Swatch, Theme, MUTED};
use flywheel_core::stats::Band;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One series of a band chart: its label, colour and Monte Carlo band.
pub struct BandSeries<'a> {
    pub label: &'a str,
    pub colour: RGBColor,
    pub band: &'a Band,
}

/// A band chart's series: legend label, colour, recorded field.
pub type SeriesSpec = (&'static str, RGBColor, &'static str);

/// A dashed horizontal line across the plot at `y`, labelled (e.g. a sentiment threshold).
#[derive(Clone, Copy, Debug)]
pub struct Guide<'a> {
    pub y: f64,
    pub label: &'a str,
}

/// What a band chart's axes say and mark.
#[derive(Clone, Copy, Debug)]
pub struct BandAxes<'a> {
    /// The steps across, with their unit: "Month", "Day". Step k (from 1) is the band's k-th value.
    pub x_desc: &'a str,
    /// The values up, with their unit.
    pub y_desc: &'a str,
    /// The top of the y axis; `None`: a little above the highest P90.
    pub y_max: Option<f64>,
    /// A vertical line at this step (the page's inspected day), labelled "<x_desc> <step>".
    pub marker: Option<u32>,
    pub guides: &'a [Guide<'a>],
}

impl<'a> BandAxes<'a> {
    /// Axes with no fixed top, marker or guides.
    pub fn new(x_desc: &'a str, y_desc: &'a str) -> BandAxes<'a> {
        BandAxes {
            x_desc,
            y_desc,
            y_max: None,
            marker: None,
            guides: &[],
        }
    }
}

/// A chart with steps across and real values up.
pub(crate) type TimeChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes for step-by-step charts: steps 1…`steps` across (described by `x_desc`), 0…`y_max` up,
/// mesh drawn. At most 12 step labels, and fewer when their numbers would not fit side by side.
pub(crate) fn time_axes<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    steps: usize,
    y_max: f64,
    (x_desc, y_desc): (&str, &str),
    t: &Theme,
) -> Result<TimeChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(0.5f64..steps.max(1) as f64 + 0.5, 0f64..y_max)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let label_w =
        text_width(plot, &steps.max(1).to_string(), &t.muted_font(12.0)) + t.px(2.0) as i32;
    let fit = ((xs.end - xs.start) / label_w.max(1)).max(2) as usize;
    let y_desc = crate::fit_desc(plot, y_desc, t, crate::plot_height(&chart));
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(steps.clamp(2, 12).min(fit))
        .y_labels(6)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| tick(*y))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(chart)
}

/// A label on a white ground, so it stays readable over lines and bands: `text` anchored at
/// backend offset (`dx`, `dy`) from the data point `at`, `h` saying which side it extends to.
pub(crate) fn label_at<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    at: (X::ValueType, Y::ValueType),
    text: &str,
    (dx, dy): (i32, i32),
    (h, v): (HPos, VPos),
    t: &Theme,
) -> DrawResult<DB> {
    let font = t.font(12.0);
    let w = text_width(chart.plotting_area(), text, &font);
    let hgt = t.px(15.0) as i32;
    let x0 = match h {
        HPos::Left => dx,
        HPos::Right => dx - w,
        HPos::Center => dx - w / 2,
    };
    let y0 = match v {
        VPos::Top => dy,
        VPos::Bottom => dy - hgt,
        VPos::Center => dy - hgt / 2,
    };
    let pad = t.px(2.0) as i32;
    chart.draw_series(std::iter::once(
        EmptyElement::at(at)
            + Rectangle::new(
                [(x0 - pad, y0 - pad), (x0 + w + pad, y0 + hgt + pad)],
                WHITE.mix(0.85).filled(),
            )
            + Text::new(text.to_string(), (dx, dy), font.pos(Pos::new(h, v))),
    ))?;
    Ok(())
}

/// A vertical line at `step` on a chart of `steps` steps, labelled at its top (on the side with
/// more room).
pub(crate) fn mark_step<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    step: u32,
    steps: usize,
    label: &str,
    t: &Theme,
) -> DrawResult<DB> {
    let (lo, hi) = (0.5, steps.max(1) as f64 + 0.5);
    let x = (step as f64).clamp(lo, hi);
    let y_top = chart.y_range().end;
    chart.draw_series(LineSeries::new(
        [(x, 0.0), (x, y_top)],
        crate::INK.mix(0.7).stroke_width(t.px(1.5)),
    ))?;
    let right = x < lo + 0.62 * (hi - lo);
    let gap = t.px(5.0) as i32;
    let (dx, h) = if right {
        (gap, HPos::Left)
    } else {
        (-gap, HPos::Right)
    };
    label_at(
        chart,
        (x, y_top),
        label,
        (dx, t.px(4.0) as i32),
        (h, VPos::Top),
        t,
    )
}

/// Dashed horizontal guides across a chart of `steps` steps, each labelled just above its line at
/// the right end.
pub(crate) fn draw_guides<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    guides: &[Guide],
    steps: usize,
    t: &Theme,
) -> DrawResult<DB> {
    let (lo, hi) = (0.5, steps.max(1) as f64 + 0.5);
    for g in guides {
        chart.draw_series(DashedLineSeries::new(
            [(lo, g.y), (hi, g.y)],
            t.px(6.0),
            t.px(4.0),
            MUTED.stroke_width(t.px(1.5)),
        ))?;
    }
    for g in guides {
        label_at(
            chart,
            (hi, g.y),
            g.label,
            (-(t.px(6.0) as i32), -(t.px(3.0) as i32)),
            (HPos::Right, VPos::Bottom),
            t,
        )?;
    }
    Ok(())
}

/// Areas stacked step by step: `rows[step][k]` is layer k's height at step `step + 1`; `layers`
/// lists which k to stack, bottom first, and each one's colour. A layer that is empty at every
/// step is left out.
pub(crate) fn stacked_areas<DB: DrawingBackend, const N: usize>(
    chart: &mut TimeChart<'_, DB>,
    rows: &[[f64; N]],
    layers: &[(usize, RGBColor)],
) -> DrawResult<DB> {
    let mut below = vec![0.0; rows.len()];
    for (k, colour) in layers {
        let above: Vec<f64> = below.iter().zip(rows).map(|(b, m)| b + m[*k]).collect();
        if above.iter().zip(&below).any(|(a, b)| a > b) {
            let top = above.iter().enumerate().map(|(m, y)| ((m + 1) as f64, *y));
            let bottom = below
                .iter()
                .enumerate()
                .rev()
                .map(|(m, y)| ((m + 1) as f64, *y));
            chart.draw_series(std::iter::once(Polygon::new(
                top.chain(bottom).collect::<Vec<_>>(),
                colour.filled(),
            )))?;
        }
        below = above;
    }
    Ok(())
}

/// Step-by-step P50 lines with their P10–P90 bands shaded, a legend above, and the axes' marker
/// and guides.
pub fn band_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[BandSeries],
    axes: &BandAxes,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let steps = series.iter().map(|s| s.band.p50.len()).max().unwrap_or(0);
    let y_max = axes.y_max.unwrap_or_else(|| {
        max_of(series.iter().flat_map(|s| s.band.p90.iter().copied())).max(f64::MIN_POSITIVE) * 1.08
    });
    let mut legend: Vec<(String, RGBAColor, Swatch)> = Vec::new();
    for s in series {
        legend.push((
            format!("{} (median)", s.label),
            s.colour.to_rgba(),
            Swatch::Line,
        ));
    }
    legend.push((
        "P10–P90 over the runs".to_string(),
        MUTED.mix(0.25),
        Swatch::Block,
    ));
    let plot = legend_row(root, &legend, t)?;
    let mut chart = time_axes(&plot, steps, y_max, (axes.x_desc, axes.y_desc), t)?;
    for s in series {
        let b = s.band;
        let upper = b.p90.iter().enumerate().map(|(m, y)| ((m + 1) as f64, *y));
        let lower = b
            .p10
            .iter()
            .enumerate()
            .rev()
            .map(|(m, y)| ((m + 1) as f64, *y));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            s.colour.mix(0.18),
        )))?;
        chart.draw_series(LineSeries::new(
            b.p50.iter().enumerate().map(|(m, y)| ((m + 1) as f64, *y)),
            s.colour.stroke_width(t.px(2.5)),
        ))?;
    }
    draw_guides(&mut chart, axes.guides, steps, t)?;
    if let Some(step) = axes.marker {
        mark_step(
            &mut chart,
            step,
            steps,
            &format!("{} {step}", axes.x_desc),
            t,
        )?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;

    fn band(steps: usize) -> Band {
        let ramp = |k: f64| (0..steps).map(|i| k * (1.0 + i as f64)).collect();
        Band {
            field: "x".into(),
            p10: ramp(0.5),
            p50: ramp(1.0),
            p90: ramp(1.5),
        }
    }

    /// Ten years of days, or two of months, on a phone or a sliver: the step labels thin out
    /// instead of running into each other; the marker and the guides are labelled.
    #[test]
    fn step_labels_thin_out_and_marks_are_labelled() {
        for steps in [1, 24, 730, 3650] {
            let b = band(steps);
            for (w, scale) in [(1280, 1.0), (390, 1.0), (300, 1.0), (780, 2.0)] {
                let h = (320.0 * scale) as u32;
                let guides = [Guide {
                    y: steps as f64 / 2.0,
                    label: "half way",
                }];
                let axes = BandAxes {
                    marker: Some(steps as u32 / 2),
                    guides: &guides,
                    ..BandAxes::new("Day", "Things")
                };
                let series = [BandSeries {
                    label: "Things",
                    colour: crate::CURVE,
                    band: &b,
                }];
                let svg = crate::to_svg(w, h, |root| {
                    band_chart(root, &series, &axes, &Theme { scale })
                })
                .unwrap();
                test_support::assert_texts_apart(
                    &svg,
                    (w, h),
                    1.0,
                    &format!("{steps} steps at {w} ×{scale}"),
                );
                assert!(svg.contains("half way"));
                assert!(svg.contains(&format!(">\nDay {}\n<", steps / 2)));
            }
        }
    }
}
