//! The conviction calculator's charts: the trigger function (the threshold a request needs, as
//! a multiple of the token supply, against the share of the funding pool it asks for) and the
//! growth of a proposal's conviction day by day, as it is and with more tokens staked.

use crate::bands::{label_at, time_axes};
use crate::commons_dao::log_ticks;
use crate::{
    house_mesh, legend_row, max_of, okabe_ito, text_rows, text_width, tick, DrawResult, Swatch,
    Theme, AFTER, CURVE, INK, MUTED,
};
use flywheel_core::commons::conviction::{
    threshold, trigger_curve, ConvictionParams, ConvictionReport, RHO_MULTIPLIER,
};
use flywheel_core::format::{compact, percent};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The growth with the stake as it is.
pub const AS_IT_IS: RGBColor = CURVE;
/// The growth with the extra stake (also dashed, so the two differ without colour).
pub const WITH_EXTRA: RGBColor = okabe_ito::BLUISH_GREEN;

/// The conviction calculator's charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvictionChart {
    Trigger,
    Growth,
}

impl ConvictionChart {
    pub const ALL: [ConvictionChart; 2] = [Self::Trigger, Self::Growth];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::Trigger => "trigger",
            Self::Growth => "growth",
        }
    }

    /// The chart's title, for its card on the page.
    pub fn title(self) -> &'static str {
        match self {
            Self::Trigger => "Threshold by requested share of the pool",
            Self::Growth => "Conviction day by day",
        }
    }

    /// The size of the chart's SVG export.
    pub fn svg_size(self) -> (u32, u32) {
        (960, 460)
    }

    /// Draws the chart of the calculator's parameters `p` and report `r` on `root`.
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        p: &ConvictionParams,
        r: &ConvictionReport,
        t: &Theme,
    ) -> DrawResult<DB> {
        match self {
            Self::Trigger => trigger(root, p, t),
            Self::Growth => growth(root, p, r, t),
        }
    }

    /// The chart as a standalone SVG document of [`svg_size`](Self::svg_size).
    pub fn svg(self, p: &ConvictionParams, r: &ConvictionReport) -> Result<String, String> {
        let (w, h) = self.svg_size();
        crate::to_svg(w, h, |root| self.draw(root, p, r, &Theme::default()))
    }
}

/// The requested share of the funding pool (`None` when the pool is empty).
pub(crate) fn requested_share(p: &ConvictionParams) -> Option<f64> {
    (p.funding > 0.0 && p.request.is_finite()).then(|| p.request / p.funding)
}

/// The trigger function: the threshold as a multiple of the supply (log scale) against the
/// requested share of the funding pool, from 0 to β and a little beyond, where no request can
/// pass (shaded, the asymptote at β dashed); the current request marked.
pub fn trigger<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ConvictionParams,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let beta = p.max_proposal_request;
    if !(beta.is_finite() && beta > 0.0) {
        crate::commons_dao::message(root, "No maximum request β: no trigger function", t)?;
        return root.present();
    }
    let share = requested_share(p);
    let x_max = beta * 1.25;
    // The curve from trigger_curve (up to 97.5% of β), continued to the top of the chart.
    let mut curve = trigger_curve(beta, 160);
    let y_top_curve = max_of(curve.iter().map(|c| c.1));
    let mine = share.and_then(|s| threshold(s, 1.0, 1.0, beta));
    let hi = 10f64.powf(
        (max_of([y_top_curve, mine.unwrap_or(0.0)].into_iter()).max(1.0))
            .log10()
            .ceil(),
    );
    // The least threshold, a free request's, is ρ/β² = ½ the supply.
    let lo = 10f64.powf(RHO_MULTIPLIER.log10().floor());
    let rho = RHO_MULTIPLIER * beta * beta;
    let last = curve.last().map_or(0.0, |c| c.0);
    let share_at_top = beta - (rho / hi).sqrt();
    for k in 1..=24 {
        let s = last + (share_at_top - last) * k as f64 / 24.0;
        if let Some(y) = threshold(s, 1.0, 1.0, beta) {
            curve.push((s, y.min(hi)));
        }
    }
    let legend = vec![
        (
            "Threshold ÷ token supply".to_string(),
            CURVE.to_rgba(),
            Swatch::Line,
        ),
        (
            "Cannot pass: asks β of the pool or more".to_string(),
            MUTED.mix(0.25),
            Swatch::Block,
        ),
        ("This request".to_string(), AFTER.to_rgba(), Swatch::Dot),
    ];
    let plot = legend_row(root, &legend, t)?;
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(
            0f64..x_max,
            (lo..hi).log_scale().with_key_points(log_ticks(lo, hi)),
        )?;
    let y_desc = crate::fit_desc(
        &plot,
        "Threshold (× token supply, log scale)",
        t,
        crate::plot_height(&chart),
    );
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(6)
        .y_labels(40)
        .x_label_formatter(&|x| percent(*x))
        .y_label_formatter(&|y| format!("{}×", tick(*y)))
        .x_desc("Requested share of the funding pool")
        .y_desc(y_desc)
        .draw()?;
    chart.draw_series(std::iter::once(Rectangle::new(
        [(beta, lo), (x_max, hi)],
        MUTED.mix(0.14).filled(),
    )))?;
    chart.draw_series(DashedLineSeries::new(
        [(beta, lo), (beta, hi)],
        t.px(6.0),
        t.px(4.0),
        INK.stroke_width(t.px(1.5)),
    ))?;
    chart.draw_series(LineSeries::new(
        curve.iter().copied(),
        CURVE.stroke_width(t.px(2.5)),
    ))?;
    // The asymptote's label, inside the shaded band when it fits, else left of the line.
    let base = plot.get_base_pixel();
    let font = t.font(12.0);
    let (bx, top) = chart.backend_coord(&(beta, hi));
    let (ex, _) = chart.backend_coord(&(x_max, hi));
    let band_w = ex - bx - t.px(8.0) as i32;
    let long = format!("β = {}: cannot pass", percent(beta));
    let fits = |s: &str| text_width(&plot, s, &font) <= band_w;
    let four = t.px(4.0) as i32;
    // At the top of the band; at its bottom when the request is marked up there (it cannot
    // pass); left of the line, at the bottom where the curve never is, when the band is narrow.
    let request_on_top = share.is_some_and(|s| mine.is_none() || s > x_max);
    let (at, offset, anchor) = if fits(&long) && !request_on_top {
        ((beta, hi), (four, four), (HPos::Left, VPos::Top))
    } else if fits(&long) {
        ((beta, lo), (four, -four), (HPos::Left, VPos::Bottom))
    } else {
        ((beta, lo), (-four, -four), (HPos::Right, VPos::Bottom))
    };
    label_at(&mut chart, at, &long, offset, anchor, t)?;
    // This request.
    if let Some(s) = share {
        let rad = t.px(5.5) as i32;
        let (x, y, texts) = match mine {
            Some(y) if s <= x_max => (
                s,
                y,
                [
                    format!(
                        "This request: {} of the pool, {}× supply",
                        percent(s),
                        tick(y)
                    ),
                    format!("{} of the pool: {}× supply", percent(s), tick(y)),
                    format!("{}×", tick(y)),
                ],
            ),
            _ => (
                s.min(x_max),
                hi,
                [
                    format!("This request: {} of the pool, cannot pass", percent(s)),
                    format!("{} of the pool: cannot pass", percent(s)),
                    percent(s),
                ],
            ),
        };
        let (px, py) = chart.backend_coord(&(x, y));
        plot.draw(&Circle::new(
            (px - base.0, py - base.1),
            rad,
            AFTER.filled(),
        ))?;
        plot.draw(&Circle::new(
            (px - base.0, py - base.1),
            rad,
            WHITE.stroke_width(t.px(1.5)),
        ))?;
        // The label on the side with room, below the point when it sits at the top.
        let (x0, x1) = {
            let (xs, _) = chart.plotting_area().get_pixel_range();
            (xs.start, xs.end)
        };
        let gap = rad + t.px(4.0) as i32;
        // The longest text that fits on either side of the point.
        let placed = texts.iter().find_map(|text| {
            let tw = text_width(&plot, text, &font);
            if px + gap + tw <= x1 {
                Some((text.clone(), px + gap, HPos::Left))
            } else if px - gap - tw >= x0 {
                Some((text.clone(), px - gap, HPos::Right))
            } else {
                None
            }
        });
        let (text, lx, hp) =
            placed.unwrap_or_else(|| (texts[2].clone(), x1 - t.px(2.0) as i32, HPos::Right));
        let below = py - top < t.px(40.0) as i32;
        let dy = if below { gap } else { -(t.px(2.0) as i32) };
        let vp = if below { VPos::Top } else { VPos::Bottom };
        label_at(&mut chart, (x, y), &text, (lx - px, dy), (hp, vp), t)?;
    }
    root.present()?;
    Ok(())
}

/// Conviction day by day with the stake as it is and with the extra stake (dashed), the limits
/// they approach (faint), the threshold (a horizontal line), the day each passes marked; when
/// the request cannot pass, or a stake never reaches the threshold, the chart says so.
pub fn growth<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &ConvictionParams,
    r: &ConvictionReport,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let days = r.conviction.len().max(r.conviction_with_extra.len());
    let extra_total = p.stake + p.extra_stake;
    let legend = vec![
        (
            format!("As it is: {} tokens", compact(p.stake, 3)),
            AS_IT_IS.to_rgba(),
            Swatch::Line,
        ),
        (
            format!(
                "If I add {}: {}",
                compact(p.extra_stake, 3),
                compact(extra_total, 3)
            ),
            WITH_EXTRA.to_rgba(),
            Swatch::Dashed,
        ),
        ("Threshold".to_string(), INK.to_rgba(), Swatch::Line),
        (
            "Limit each stake approaches".to_string(),
            MUTED.mix(0.7),
            Swatch::Dashed,
        ),
    ];
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let lines_max = max_of(
        r.conviction
            .iter()
            .chain(&r.conviction_with_extra)
            .copied()
            .chain([
                finite(r.max_conviction),
                finite(r.max_conviction_with_extra),
            ]),
    );
    let thr = r.threshold.filter(|v| v.is_finite());
    // The threshold sets the top unless it lies far above everything else.
    let threshold_shown = thr.filter(|th| lines_max <= 0.0 || *th <= 3.0 * lines_max);
    let y_max = max_of([lines_max, threshold_shown.unwrap_or(0.0)].into_iter())
        .max(f64::MIN_POSITIVE)
        * 1.12;
    // What the lines cannot show, in words above the plot.
    let mut notes: Vec<String> = Vec::new();
    match thr {
        None => notes.push(match requested_share(p) {
            Some(s) => format!(
                "Cannot pass: asks {} of the pool, β is {}",
                percent(s),
                percent(p.max_proposal_request)
            ),
            None => "Cannot pass: the funding pool is empty".to_string(),
        }),
        Some(th) => {
            if threshold_shown.is_none() {
                notes.push(format!(
                    "Threshold {} tokens: far above these lines",
                    compact(th, 3)
                ));
            }
            for (name, d, limit) in [
                ("As it is", r.days_to_pass, r.max_conviction),
                (
                    "With more",
                    r.days_to_pass_with_extra,
                    r.max_conviction_with_extra,
                ),
            ] {
                match d {
                    Some(d) if d as usize > days => {
                        notes.push(format!("{name}: passes on day {d}, after the chart"))
                    }
                    Some(_) => {}
                    None if limit < th => notes.push(format!(
                        "{name}: never passes (it approaches {})",
                        compact(limit, 3)
                    )),
                    None => notes.push(format!("{name}: never passes")),
                }
            }
        }
    }
    let legend: Vec<_> = legend
        .into_iter()
        .filter(|(label, _, _)| threshold_shown.is_some() || label != "Threshold")
        .collect();
    let plot = legend_row(root, &legend, t)?;
    let plot = text_rows(&plot, &notes, t)?;
    let mut chart = time_axes(&plot, days, y_max, ("Day", "Conviction (tokens)"), t)?;
    let x_end = days.max(1) as f64 + 0.5;
    // Limits first, faint, under the lines.
    for (limit, colour) in [
        (r.max_conviction, AS_IT_IS),
        (r.max_conviction_with_extra, WITH_EXTRA),
    ] {
        if limit.is_finite() && limit > 0.0 && limit <= y_max {
            chart.draw_series(DashedLineSeries::new(
                [(0.5, limit), (x_end, limit)],
                t.px(3.0),
                t.px(4.0),
                colour.mix(0.45).stroke_width(t.px(1.5)),
            ))?;
        }
    }
    if let Some(th) = threshold_shown {
        chart.draw_series(LineSeries::new(
            [(0.5, th), (x_end, th)],
            INK.stroke_width(t.px(2.0)),
        ))?;
    }
    let path = |c: &[f64]| -> Vec<(f64, f64)> {
        c.iter()
            .enumerate()
            .map(|(d, v)| ((d + 1) as f64, finite(*v).min(y_max)))
            .collect()
    };
    chart.draw_series(LineSeries::new(
        path(&r.conviction),
        AS_IT_IS.stroke_width(t.px(2.5)),
    ))?;
    chart.draw_series(DashedLineSeries::new(
        path(&r.conviction_with_extra),
        t.px(7.0),
        t.px(4.0),
        WITH_EXTRA.stroke_width(t.px(2.5)),
    ))?;
    // The days they pass: a dot where each line crosses the threshold and the day under it.
    let mut passes: Vec<(u32, RGBColor, &str)> = [
        (r.days_to_pass, AS_IT_IS, "As it is"),
        (r.days_to_pass_with_extra, WITH_EXTRA, "With more"),
    ]
    .into_iter()
    .filter_map(|(d, c, name)| d.filter(|d| (*d as usize) <= days).map(|d| (d, c, name)))
    .collect();
    passes.sort_by_key(|(d, _, _)| *d);
    if let Some(th) = threshold_shown {
        let font = t.font(12.0);
        let mut last_end = i32::MIN;
        let mut row = 0;
        let x1 = chart.plotting_area().get_pixel_range().0.end;
        for (d, colour, name) in &passes {
            let x = *d as f64;
            chart.draw_series(DashedLineSeries::new(
                [(x, 0.0), (x, th)],
                t.px(2.0),
                t.px(3.0),
                colour.stroke_width(t.px(1.5)),
            ))?;
            chart.draw_series(std::iter::once(Circle::new(
                (x, th),
                t.px(5.0),
                colour.filled(),
            )))?;
            let text = format!("{name}: passes on day {d}");
            let (px, _) = chart.backend_coord(&(x, 0.0));
            let tw = text_width(chart.plotting_area(), &text, &font);
            let gap = t.px(5.0) as i32;
            // Just above the day axis, right of the day's line (where the rising lines have
            // left; left of it near the right edge), one row higher when two would touch.
            let (dx, h, start) = if px + gap + tw <= x1 {
                (gap, HPos::Left, px)
            } else {
                (-gap, HPos::Right, px - gap - tw)
            };
            row = if start < last_end { row + 1 } else { 0 };
            last_end = last_end.max(start + tw + t.px(12.0) as i32);
            label_at(
                &mut chart,
                (x, 0.0),
                &text,
                (dx, -(t.px(6.0) as i32) - row * t.px(18.0) as i32),
                (h, VPos::Bottom),
                t,
            )?;
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;
    use flywheel_core::commons::conviction::calculate;

    /// The presets and the edges: a request past β, stakes that never pass, a threshold far
    /// above, nothing staked, a free request, one day shown, β at its limits, a vast supply.
    fn cases() -> Vec<(&'static str, ConvictionParams)> {
        let d = ConvictionParams::default;
        vec![
            ("default", d()),
            ("large", ConvictionParams::preset("large_request").unwrap()),
            ("slow", ConvictionParams::preset("slow_conviction").unwrap()),
            (
                "cannot",
                ConvictionParams {
                    request: 50_000.0,
                    ..d()
                },
            ),
            (
                "far past β",
                ConvictionParams {
                    request: 1e9,
                    ..d()
                },
            ),
            (
                "never",
                ConvictionParams {
                    stake: 500_000.0,
                    extra_stake: 800_000.0,
                    ..d()
                },
            ),
            (
                "far",
                ConvictionParams {
                    stake: 1000.0,
                    extra_stake: 1000.0,
                    ..d()
                },
            ),
            (
                "nothing staked",
                ConvictionParams {
                    stake: 0.0,
                    extra_stake: 0.0,
                    ..d()
                },
            ),
            (
                "free",
                ConvictionParams {
                    request: 0.0,
                    ..d()
                },
            ),
            ("one day", ConvictionParams { days: 1.0, ..d() }),
            (
                "long",
                ConvictionParams {
                    days: 3650.0,
                    ..d()
                },
            ),
            (
                "tiny β",
                ConvictionParams {
                    max_proposal_request: 0.001,
                    ..d()
                },
            ),
            (
                "β = 1",
                ConvictionParams {
                    max_proposal_request: 1.0,
                    ..d()
                },
            ),
            (
                "vast",
                ConvictionParams {
                    supply: 1e15,
                    stake: 1e15,
                    extra_stake: 1e15,
                    ..d()
                },
            ),
            (
                "near β",
                ConvictionParams {
                    request: 39_990.0,
                    ..d()
                },
            ),
        ]
    }

    fn render(c: ConvictionChart, p: &ConvictionParams, (w, h, scale): (u32, u32, f64)) -> String {
        let r = calculate(p);
        let svg = crate::to_svg(w, h, |root| c.draw(root, p, &r, &Theme { scale }))
            .unwrap_or_else(|e| panic!("{} at {w}×{h}: {e}", c.name()));
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{} at {w}×{h}: {bad}", c.name());
        }
        svg
    }

    /// Every chart of every case renders at desktop and phone widths with every text inside the
    /// chart and apart from the others.
    #[test]
    fn every_case_renders_with_texts_inside_and_apart() {
        for (name, p) in cases() {
            for c in ConvictionChart::ALL {
                for size in [
                    (1280, 600, 1.0),
                    (960, 460, 1.0),
                    (390, 340, 1.0),
                    (300, 300, 1.0),
                    (780, 680, 2.0),
                ] {
                    let svg = render(c, &p, size);
                    test_support::assert_texts_apart(
                        &svg,
                        (size.0, size.1),
                        1.0,
                        &format!("{} {name} at {}×{} ×{}", c.name(), size.0, size.1, size.2),
                    );
                }
            }
        }
    }

    #[test]
    fn trigger_marks_beta_and_the_request() {
        let p = ConvictionParams::default();
        let svg = ConvictionChart::Trigger.svg(&p, &calculate(&p)).unwrap();
        for s in [
            "β = 20%: cannot pass",
            "This request: 5% of the pool, 0.889× supply",
            "Requested share of the funding pool",
            "Threshold (× token supply, log scale)",
            "Threshold ÷ token supply",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        // The curve reaches the top of the chart just before β.
        let curve = test_support::polylines(&svg)
            .into_iter()
            .map(|(_, pts)| pts)
            .max_by_key(|pts| pts.len())
            .unwrap();
        assert!(curve.len() > 150);
        assert!(curve
            .windows(2)
            .all(|w| w[1].0 >= w[0].0 && w[1].1 <= w[0].1));
        let p = ConvictionParams {
            request: 50_000.0,
            ..p
        };
        let svg = ConvictionChart::Trigger.svg(&p, &calculate(&p)).unwrap();
        assert!(svg.contains("This request: 25% of the pool, cannot pass"));
    }

    #[test]
    fn growth_marks_the_days_to_pass_or_says_why_not() {
        let p = ConvictionParams::default();
        let r = calculate(&p);
        let svg = ConvictionChart::Growth.svg(&p, &r).unwrap();
        for s in [
            "As it is: 1.5M tokens",
            "If I add 500k: 2M",
            "As it is: passes on day 14",
            &format!(
                "With more: passes on day {}",
                r.days_to_pass_with_extra.unwrap()
            ),
            "Conviction (tokens)",
            "Day",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        let p = ConvictionParams {
            request: 50_000.0,
            ..ConvictionParams::default()
        };
        let svg = ConvictionChart::Growth.svg(&p, &calculate(&p)).unwrap();
        assert!(svg.contains("Cannot pass: asks 25% of the pool, β is 20%"));
        assert!(!svg.contains("passes on day"));
        let p = ConvictionParams {
            stake: 500_000.0,
            extra_stake: 800_000.0,
            ..ConvictionParams::default()
        };
        let svg = ConvictionChart::Growth.svg(&p, &calculate(&p)).unwrap();
        assert!(svg.contains("As it is: never passes (it approaches 3.36M)"));
        let p = ConvictionParams {
            stake: 1000.0,
            extra_stake: 1000.0,
            ..ConvictionParams::default()
        };
        let svg = ConvictionChart::Growth.svg(&p, &calculate(&p)).unwrap();
        assert!(svg.contains("Threshold 8.89M tokens: far above these lines"));
        let p = ConvictionParams {
            days: 5.0,
            ..ConvictionParams::default()
        };
        let svg = ConvictionChart::Growth.svg(&p, &calculate(&p)).unwrap();
        assert!(svg.contains("As it is: passes on day 14, after the chart"));
    }

    #[test]
    fn growth_lines_stay_apart_for_colour_blind_readers() {
        test_support::assert_apart(
            &[
                ("as it is", AS_IT_IS),
                ("with more", WITH_EXTRA),
                ("threshold", INK),
            ],
            20.0,
            10.0,
        );
        test_support::assert_apart(&[("curve", CURVE), ("this request", AFTER)], 20.0, 10.0);
    }
}
