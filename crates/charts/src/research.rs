//! The charts of an autoresearch run (`flywheel_core::research`): the optimisation history
//! (every experiment's score, the best so far, the baseline), the sub-scores of the baseline, the
//! best design and its validation, and the sensitivity around the best design (a tornado).
//!
//! They know a model only through the research's types: the sub-scores' names are data, so the
//! same charts serve CrowdTrain's five parts and the Commons DAO's ten. Their text alternatives
//! are in [`summary`](crate::summary).

use crate::bands::TimeChart;
use crate::bars::text_on;
use crate::{
    house_mesh, legend_row, okabe_ito, text_width, tick, DrawResult, Swatch, Theme, INK, MUTED,
};
use flywheel_core::format::plural;
use flywheel_core::research::{Experiment, Kind, Outcome, Report, Sensitivity, SENSITIVITY_STEP};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Kept experiments (the changes that beat the best so far).
pub const KEPT: RGBColor = okabe_ito::ORANGE;
/// Discarded experiments: light slate, drawn small and a little transparent, so ten thousand of
/// them read as a cloud with the kept ones over it.
pub const DISCARDED: RGBColor = RGBColor(148, 163, 184);
/// The best score so far (a step line).
pub const BEST: RGBColor = okabe_ito::BLUE;
/// The baseline's score (a dashed line) and point.
pub const BASELINE: RGBColor = INK;

/// The sub-scores' bars: the baseline, the best design, and the best design on fresh seeds.
pub const PART_COLOURS: [RGBColor; 3] =
    [RGBColor(148, 163, 184), okabe_ito::BLUE, okabe_ito::ORANGE];

/// The tornado's bars: the parameter moved down, and up.
pub const DOWN: RGBColor = okabe_ito::ORANGE;
pub const UP: RGBColor = okabe_ito::BLUE;

/// The tornado shows at most this many parameters (the largest swings); the summary says how
/// many it leaves out.
pub const TORNADO_ROWS: usize = 12;
/// A parameter whose swing is below this barely moves the score.
pub const FLAT_SWING: f64 = 0.001;

/// The charts of a research run, for the page, the SVG exports and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResearchChart {
    /// Every experiment's score, the best so far and the baseline (Optuna's optimisation
    /// history).
    History,
    /// The sub-scores of the baseline, the best design and its validation.
    Parts,
    /// The score around the best design with each parameter moved down and up.
    Tornado,
}

impl ResearchChart {
    pub const ALL: [ResearchChart; 3] = [Self::History, Self::Parts, Self::Tornado];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::History => "history",
            Self::Parts => "parts",
            Self::Tornado => "tornado",
        }
    }

    /// The chart's title, for its card on the page.
    pub fn title(self) -> &'static str {
        match self {
            Self::History => "Optimisation history",
            Self::Parts => "Sub-scores: baseline and best",
            Self::Tornado => "Sensitivity around the best design",
        }
    }

    /// The size of the chart's SVG export.
    pub fn svg_size(self) -> (u32, u32) {
        match self {
            Self::History => (900, 440),
            Self::Parts => (900, 420),
            Self::Tornado => (900, 460),
        }
    }

    /// Draws the chart on `root`: the history from `experiments` (the run's log, as it grows),
    /// the sub-scores and the tornado from `report`.
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        experiments: &[Experiment],
        report: &Report,
        t: &Theme,
    ) -> DrawResult<DB> {
        match self {
            Self::History => history(root, experiments, t),
            Self::Parts => parts(
                root,
                &report.parts,
                report.baseline.as_ref(),
                report.best.as_ref(),
                report.validation.as_ref(),
                t,
            ),
            Self::Tornado => tornado(root, &report.sensitivity, t),
        }
    }

    /// The chart as a standalone SVG document of [`svg_size`](Self::svg_size).
    pub fn svg(self, experiments: &[Experiment], report: &Report) -> Result<String, String> {
        let (w, h) = self.svg_size();
        crate::to_svg(w, h, |root| {
            self.draw(root, experiments, report, &Theme::default())
        })
    }
}

/// The score axis's range: the values' span with a margin, at least `least` wide, and inside
/// 0–1 when the values are; 0–1 when there are none.
pub(crate) fn score_range(values: impl Iterator<Item = f64>, least: f64) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    let span = (hi - lo).max(least);
    let mid = (lo + hi) / 2.0;
    let pad = span * 0.08;
    let (mut a, mut b) = (mid - span / 2.0 - pad, mid + span / 2.0 + pad);
    let (floor, ceiling) = (lo.min(0.0), hi.max(1.0));
    if b > ceiling {
        a -= b - ceiling;
        b = ceiling;
    }
    if a < floor {
        b = (b + (floor - a)).min(ceiling);
        a = floor;
    }
    (a, b)
}

/// The decimals that write the ticks plotters puts on a `lo`…`hi` axis with at most `labels`
/// labels exactly (0.565, 0.570, … needs three; 0.56, 0.57, … two), so no two read the same.
fn tick_decimals(lo: f64, hi: f64, labels: usize) -> usize {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return 2;
    }
    let ticks = RangedCoordf64::from(lo..hi).key_points(labels.max(2));
    let step = match ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => hi - lo,
    };
    (0..=6)
        .find(|&d| {
            let unit = 10f64.powi(-d);
            ticks
                .iter()
                .all(|x| ((x / unit).round() * unit - x).abs() < step * 1e-3)
        })
        .unwrap_or(6) as usize
}

/// `x` with `d` decimals, never "-0.0".
fn decimal(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// How many tick labels as wide as `sample` fit side by side across `plot_px`, at most `want`
/// (and at least 2).
fn labels_across<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sample: &str,
    plot_px: i32,
    want: usize,
    t: &Theme,
) -> usize {
    let w = text_width(area, sample, &t.muted_font(12.0)) + t.px(12.0) as i32;
    ((plot_px / w.max(1)).max(2) as usize).min(want.max(2))
}

/// Whether `labels` make one legend row across `area` (as [`legend_row`] lays them out).
fn legend_fits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
    t: &Theme,
) -> bool {
    let (width, _) = area.dim_in_pixel();
    let font = t.font(12.0);
    let pad = t.px(12.0) as i32;
    let used: i32 = labels
        .iter()
        .map(|l| {
            t.px(18.0) as i32 + t.px(6.0) as i32 + text_width(area, l, &font) + t.px(18.0) as i32
        })
        .sum();
    pad + used <= width as i32 - pad
}

/// `text` shortened in the middle ("tier_rewa…s[6]", keeping the end where lists put their
/// index) to fit `max_w` backend pixels in `font`.
fn fit_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle,
    max_w: i32,
) -> String {
    if text_width(area, text, font) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let tail = (chars.len() / 3).min(4);
    for head in (1..chars.len().saturating_sub(tail)).rev() {
        let short: String = chars[..head]
            .iter()
            .chain(std::iter::once(&'…'))
            .chain(&chars[chars.len() - tail..])
            .collect();
        if text_width(area, &short, font) <= max_w {
            return short;
        }
    }
    "…".to_string()
}

/// Every experiment's score against its number: discarded ones small and light, kept ones
/// larger in orange, the best score so far as a step line, the baseline's score dashed across.
/// Cheap enough to redraw as experiments arrive (ten thousand points, no text per point); any
/// number of experiments, none included.
pub fn history<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    experiments: &[Experiment],
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let plot = legend_row(
        root,
        &[
            ("kept".to_string(), KEPT.to_rgba(), Swatch::Dot),
            ("discarded".to_string(), DISCARDED.to_rgba(), Swatch::Dot),
            ("best so far".to_string(), BEST.to_rgba(), Swatch::Line),
            ("baseline".to_string(), BASELINE.to_rgba(), Swatch::Dashed),
        ],
        t,
    )?;
    let finite = |x: &f64| x.is_finite();
    let n = experiments
        .iter()
        .map(|e| e.number)
        .max()
        .unwrap_or(0)
        .max(1);
    let x_hi = n as f64 + 0.5;
    let baseline = experiments
        .iter()
        .find(|e| e.kind == Kind::Baseline)
        .map(|e| e.outcome.score)
        .filter(finite);
    let (y_lo, y_hi) = score_range(
        experiments
            .iter()
            .flat_map(|e| [e.outcome.score, e.best])
            .chain(baseline),
        0.05,
    );
    let y_labels = 7;
    let d = tick_decimals(y_lo, y_hi, y_labels);
    let y_format = move |y: &f64| decimal(*y, d);
    let tick_font = t.muted_font(12.0);
    let tick_w = [y_lo, y_hi]
        .iter()
        .map(|y| text_width(&plot, &y_format(y), &tick_font))
        .max()
        .unwrap_or(0);
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size((tick_w as u32 + t.px(34.0)).max(t.px(56.0)))
        .build_cartesian_2d(0.5f64..x_hi, y_lo..y_hi)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let plot_w = (xs.end - xs.start).max(1);
    let x_format = |x: &f64| {
        // Experiments are whole numbers: no label between two.
        if (x - x.round()).abs() < 1e-6 {
            tick(x.round())
        } else {
            String::new()
        }
    };
    let x_labels = labels_across(&plot, &x_format(&(n as f64)), plot_w, 12, t);
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels((n as usize).clamp(2, 12).min(x_labels))
        .y_labels(y_labels)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_desc("experiment")
        .y_desc("score (0–1)")
        .draw()?;

    // Points shrink when they crowd (less than 6 px an experiment).
    let per_experiment = plot_w as f64 / n as f64;
    let small = t.px(if per_experiment >= 6.0 { 3.0 } else { 2.0 });
    // Thousands of points on a few hundred pixels: lighter, so their density shows.
    let alpha = if per_experiment >= 1.0 { 0.75 } else { 0.45 };
    let point = |e: &Experiment| (e.number as f64, e.outcome.score);
    let scored = |e: &&Experiment| e.outcome.score.is_finite();
    chart.draw_series(
        experiments
            .iter()
            .filter(scored)
            .filter(|e| !e.kept)
            .map(|e| Circle::new(point(e), small, DISCARDED.mix(alpha).filled())),
    )?;
    if let Some(b) = baseline {
        chart.draw_series(DashedLineSeries::new(
            [(0.5, b), (x_hi, b)],
            t.px(6.0),
            t.px(4.0),
            BASELINE.stroke_width(t.px(1.5)),
        ))?;
    }
    // The best so far: a step at each kept experiment, then level to the last one.
    let mut steps: Vec<(f64, f64)> = Vec::new();
    let mut last: Option<(f64, f64)> = None;
    for e in experiments.iter().filter(|e| e.best.is_finite()) {
        let x = e.number as f64;
        match last {
            None => steps.push((x, e.best)),
            Some((_, b)) if b != e.best => {
                steps.push((x, b));
                steps.push((x, e.best));
            }
            _ => {}
        }
        last = Some((x, e.best));
    }
    if let (Some((x, b)), Some(&end)) = (last, steps.last()) {
        if end != (x, b) {
            steps.push((x, b));
        }
    }
    chart.draw_series(LineSeries::new(steps, BEST.stroke_width(t.px(2.0))))?;
    let big = t.px(if per_experiment >= 2.0 { 4.5 } else { 3.5 });
    let rim = t.px(1.0);
    chart.draw_series(
        experiments
            .iter()
            .filter(scored)
            .filter(|e| e.kept && e.kind != Kind::Baseline)
            .map(|e| {
                EmptyElement::at(point(e))
                    + Circle::new((0, 0), big, KEPT.filled())
                    + Circle::new((0, 0), big, WHITE.stroke_width(rim))
            }),
    )?;
    chart.draw_series(
        experiments
            .iter()
            .filter(scored)
            .filter(|e| e.kind == Kind::Baseline)
            .map(|e| {
                EmptyElement::at(point(e))
                    + Circle::new((0, 0), big, BASELINE.filled())
                    + Circle::new((0, 0), big, WHITE.stroke_width(rim))
            }),
    )?;
    root.present()?;
    Ok(())
}

/// The font of row labels: 12 px, or smaller (down to 8 px) when the rows are closer than that
/// needs, so labels never run into each other.
fn row_font(row_px: f64, t: &Theme) -> TextStyle<'static> {
    let size = (row_px / (1.25 * t.scale)).clamp(8.0, 12.0);
    t.font(size)
}

/// Axes for rows of bars, first row on top: `rows` rows up, `x` across (its ticks written by
/// `x_decimals` decimals, or as many as the ticks need), each row labelled on the left with its
/// name (shortened in the middle when the names would take more than 45% of the width, and in a
/// smaller font when the rows are close).
fn row_axes<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &'a DrawingArea<DB, Shift>,
    names: &[&str],
    (x_lo, x_hi): (f64, f64),
    (x_desc, x_decimals): (&str, Option<usize>),
    t: &Theme,
) -> Result<TimeChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let rows = names.len().max(1) as f64;
    let (width, _) = plot.dim_in_pixel();
    let build = |label_w: u32| {
        ChartBuilder::on(plot)
            .margin(t.px(12.0))
            .x_label_area_size(t.px(40.0))
            .y_label_area_size(label_w)
            .build_cartesian_2d(x_lo..x_hi, 0f64..rows)
    };
    // The rows' height does not depend on the labels' width: measure it first.
    let row_px = {
        let probe = build(0)?;
        let (_, ys) = probe.plotting_area().get_pixel_range();
        (ys.end - ys.start) as f64 / rows
    };
    let font = row_font(row_px, t);
    let max_label = (0.45 * width as f64) as i32;
    let labels: Vec<String> = names
        .iter()
        .map(|n| fit_label(root, n, &font, max_label))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(root, l, &font))
        .max()
        .unwrap_or(0);
    let mut chart = build(label_w as u32 + t.px(16.0))?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let want = 8;
    let d = x_decimals.unwrap_or_else(|| tick_decimals(x_lo, x_hi, want));
    let sample = decimal(if x_lo.abs() > x_hi.abs() { x_lo } else { x_hi }, d);
    let across = labels_across(plot, &sample, xs.end - xs.start, want, t);
    // Fewer labels take a wider step, which never needs more decimals.
    let d = x_decimals.unwrap_or_else(|| tick_decimals(x_lo, x_hi, across));
    let x_format = move |x: &f64| decimal(*x, d);
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_y_mesh()
        .x_labels(across)
        .y_labels(0)
        .x_label_formatter(&x_format)
        .x_desc(x_desc)
        .draw()?;
    let style = font.pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in labels.into_iter().enumerate() {
        let (px, py) = chart.backend_coord(&(x_lo, rows - i as f64 - 0.5));
        root.draw(&Text::new(
            label,
            (px - t.px(8.0) as i32, py),
            style.clone(),
        ))?;
    }
    Ok(chart)
}

/// Each sub-score (0–1) of the baseline, the best design and, once the search is done, the best
/// design on fresh seeds: grouped horizontal bars, one group per sub-score named by `names` (the
/// report's `parts`, or labels in their order). Values are written after the bars when the bars
/// are thick enough for them. Missing outcomes draw no bars.
pub fn parts<DB: DrawingBackend, S: AsRef<str>>(
    root: &DrawingArea<DB, Shift>,
    names: &[S],
    baseline: Option<&Outcome>,
    best: Option<&Outcome>,
    validation: Option<&Outcome>,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let fresh = validation.map(|v| format!("best on {}", plural(v.runs as f64, "fresh seed")));
    let long: Vec<&str> = ["baseline", "best design"]
        .into_iter()
        .chain(fresh.as_deref())
        .collect();
    let short: Vec<&str> = ["baseline", "best"]
        .into_iter()
        .chain(validation.map(|_| "validation"))
        .collect();
    let labels = if legend_fits(root, &long, t) {
        long
    } else {
        short
    };
    let series: Vec<(RGBColor, Option<&Outcome>)> = PART_COLOURS
        .iter()
        .copied()
        .zip([baseline, best, validation])
        .take(labels.len())
        .collect();
    let legend: Vec<(String, RGBAColor, Swatch)> = labels
        .iter()
        .zip(&series)
        .map(|(l, (c, _))| (l.to_string(), c.to_rgba(), Swatch::Block))
        .collect();
    let plot = legend_row(root, &legend, t)?;

    let names: Vec<&str> = names.iter().map(|s| s.as_ref()).collect();
    let value = |o: Option<&Outcome>, i: usize| {
        o.and_then(|o| o.parts.get(i))
            .copied()
            .filter(|v| v.is_finite())
    };
    let values: Vec<f64> = (0..names.len())
        .flat_map(|i| series.iter().filter_map(move |(_, o)| value(*o, i)))
        .collect();
    let lowest = values.iter().copied().fold(0.0, f64::min);
    let highest = values.iter().copied().fold(1.0, f64::max);
    // Penalties extend left of zero, with room for their values' texts.
    let x_lo = if lowest < 0.0 {
        lowest * 1.1 - 0.1
    } else {
        0.0
    };
    let x_hi = if highest > 1.0 { highest * 1.04 } else { 1.0 };
    let mut chart = row_axes(
        root,
        &plot,
        &names,
        (x_lo, x_hi),
        ("sub-score (0–1)", Some(1)),
        t,
    )?;
    if x_lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, names.len().max(1) as f64)],
            MUTED.stroke_width(t.px(1.0)),
        )))?;
    }
    let rows = names.len() as f64;
    let k = series.len() as f64;
    let thick = 0.8 / k;
    let value_font = t.font(11.0);
    let bar_px = {
        let (_, y0) = chart.backend_coord(&(0.0, 0.0));
        let (_, y1) = chart.backend_coord(&(0.0, thick));
        (y0 - y1).abs()
    };
    let write_values = bar_px as f64 >= 11.0 * t.scale + 2.0;
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let gap = t.px(4.0) as i32;
    for i in 0..names.len() {
        let top = rows - i as f64 - 0.1;
        for (j, (colour, outcome)) in series.iter().enumerate() {
            let Some(v) = value(*outcome, i) else {
                continue;
            };
            let y1 = top - j as f64 * thick;
            let y0 = y1 - thick * 0.88;
            let end = v.clamp(x_lo, x_hi);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(end.min(0.0), y0), (end.max(0.0), y1)],
                colour.filled(),
            )))?;
            if !write_values {
                continue;
            }
            let text = decimal(v, 2);
            let tw = text_width(root, &text, &value_font);
            let (zero, py) = chart.backend_coord(&(0.0, (y0 + y1) / 2.0));
            let (bar_end, _) = chart.backend_coord(&(end, (y0 + y1) / 2.0));
            let (x, h, ink) = if v >= 0.0 && bar_end + gap + tw <= xs.end {
                (bar_end + gap, HPos::Left, INK)
            } else if v >= 0.0 && bar_end - zero >= tw + 2 * gap {
                (bar_end - gap, HPos::Right, text_on(*colour))
            } else if v < 0.0 && bar_end - gap - tw >= xs.start {
                (bar_end - gap, HPos::Right, INK)
            } else {
                continue;
            };
            root.draw(&Text::new(
                text,
                (x, py),
                value_font.color(&ink).pos(Pos::new(h, VPos::Center)),
            ))?;
        }
    }
    root.present()?;
    Ok(())
}

/// The sensitivity largest swing first (ties by name), as the report keeps it.
pub fn by_swing(sensitivity: &[Sensitivity]) -> Vec<&Sensitivity> {
    let mut rows: Vec<&Sensitivity> = sensitivity.iter().collect();
    rows.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then_with(|| a.name.cmp(&b.name))
    });
    rows
}

/// The sensitivity's rows as the tornado shows them: largest swing first (ties by name), at
/// most [`TORNADO_ROWS`].
pub fn tornado_rows(sensitivity: &[Sensitivity]) -> Vec<&Sensitivity> {
    let mut rows = by_swing(sensitivity);
    rows.truncate(TORNADO_ROWS);
    rows
}

/// The score around the best design with each parameter moved down and up by
/// [`SENSITIVITY_STEP`] of its range: one row per parameter (the largest swing on top, at most
/// [`TORNADO_ROWS`]), the move down as the row's upper bar and the move up as its lower one, each
/// from the best score to where the move took it; the best score as a vertical line; the score
/// axis zoomed to the bars. No sensitivity: the legend and empty axes.
pub fn tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sensitivity: &[Sensitivity],
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let rows = tornado_rows(sensitivity);
    let best = rows.first().map(|s| s.best_score).filter(|x| x.is_finite());
    let pct = SENSITIVITY_STEP * 100.0;
    let long = [
        format!("parameter moved down {pct:.0}% of its range"),
        format!("moved up {pct:.0}%"),
    ];
    let short = [format!("down {pct:.0}%"), format!("up {pct:.0}%")];
    let best_long = best.map(|b| format!("best design {b:.4}"));
    let best_short = best.map(|b| format!("best {b:.3}"));
    let long_all: Vec<&str> = long
        .iter()
        .map(String::as_str)
        .chain(best_long.as_deref())
        .collect();
    let labels: Vec<&str> = if legend_fits(root, &long_all, t) {
        long_all
    } else {
        short
            .iter()
            .map(String::as_str)
            .chain(best_short.as_deref())
            .collect()
    };
    let swatches = [
        (DOWN.to_rgba(), Swatch::Block),
        (UP.to_rgba(), Swatch::Block),
        (INK.to_rgba(), Swatch::Line),
    ];
    let legend: Vec<(String, RGBAColor, Swatch)> = labels
        .iter()
        .zip(swatches)
        .map(|(l, (c, s))| (l.to_string(), c, s))
        .collect();
    let plot = legend_row(root, &legend, t)?;

    let (x_lo, x_hi) = score_range(
        rows.iter()
            .flat_map(|s| [s.best_score, s.low_score, s.high_score]),
        0.01,
    );
    let names: Vec<&str> = rows.iter().map(|s| s.name.as_str()).collect();
    // Say on the axis when parameters are left out, if there is room.
    let all = sensitivity.len();
    let long_desc = format!(
        "score (0–1) · the {} largest swings of {all} parameters",
        rows.len()
    );
    let (width, _) = plot.dim_in_pixel();
    let x_desc = if all > rows.len()
        && text_width(root, &long_desc, &t.font(13.0)) < (0.6 * width as f64) as i32
    {
        long_desc.as_str()
    } else {
        "score (0–1)"
    };
    let mut chart = row_axes(root, &plot, &names, (x_lo, x_hi), (x_desc, None), t)?;
    let n = rows.len() as f64;
    let finite_or = |x: f64, or: f64| if x.is_finite() { x } else { or };
    for (i, s) in rows.iter().enumerate() {
        let b = finite_or(s.best_score, x_lo);
        let mid = n - i as f64 - 0.5;
        for (score, colour, (y0, y1)) in [
            (s.low_score, DOWN, (mid + 0.04, mid + 0.38)),
            (s.high_score, UP, (mid - 0.38, mid - 0.04)),
        ] {
            let v = finite_or(score, b).clamp(x_lo, x_hi);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(v.min(b), y0), (v.max(b), y1)],
                colour.filled(),
            )))?;
        }
    }
    if let (Some(b), true) = (best, n > 0.0) {
        chart.draw_series(LineSeries::new(
            [(b, 0.0), (b, n)],
            INK.stroke_width(t.px(1.5)),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_support, to_svg};
    use flywheel_core::crowdtrain::research::CrowdTrain;
    use flywheel_core::crowdtrain::CtParams;
    use flywheel_core::research::{evaluate_here, Research, Settings};
    use std::sync::OnceLock;

    /// A tiny real research run of CrowdTrain: its log and its report.
    fn run() -> &'static (Vec<Experiment>, Report) {
        static RUN: OnceLock<(Vec<Experiment>, Report)> = OnceLock::new();
        RUN.get_or_init(|| {
            let start = CtParams {
                runs: 2.0,
                months: 6.0,
                ..CtParams::default()
            };
            let mut r = Research::<CrowdTrain>::new(
                &start,
                Settings {
                    budget: 12,
                    ..Settings::default()
                },
            );
            while let Some(job) = r.job() {
                let res = evaluate_here::<CrowdTrain>(&job.designs);
                r.tell(job.stage, res);
            }
            (r.experiments().to_vec(), r.report())
        })
    }

    fn assert_has(svg: &str, texts: &[&str], what: &str) {
        for text in texts {
            assert!(svg.contains(text), "{what}: the SVG lacks {text:?}");
        }
    }

    /// `e` with score `score` (and `best` the best after it), as experiment `number`.
    fn like(e: &Experiment, number: u32, score: f64, kept: bool, best: f64) -> Experiment {
        let mut x = e.clone();
        x.number = number;
        x.kind = if number == 1 {
            Kind::Baseline
        } else {
            Kind::FineTune
        };
        x.outcome.score = score;
        x.kept = kept;
        x.best = best;
        x
    }

    #[test]
    fn the_research_run_draws_every_chart() {
        let (log, report) = run();
        assert_eq!(log.len(), 12);
        assert!(!report.sensitivity.is_empty() && report.validation.is_some());
        let dir = std::env::var_os("RESEARCH_CHARTS_DIR");
        for c in ResearchChart::ALL {
            let svg = c
                .svg(log, report)
                .unwrap_or_else(|e| panic!("{}: {e}", c.name()));
            assert!(svg.starts_with("<svg"), "{}", c.name());
            if let Some(dir) = &dir {
                std::fs::create_dir_all(dir).unwrap();
                let path = std::path::Path::new(dir).join(format!("{}.svg", c.name()));
                std::fs::write(path, &svg).unwrap();
                // And as a phone draws it: 360 × 260 CSS pixels at a device-pixel ratio of 2.
                let phone = to_svg(720, 520, |root| {
                    c.draw(root, log, report, &Theme { scale: 2.0 })
                })
                .unwrap();
                let path = std::path::Path::new(dir).join(format!("{}-phone.svg", c.name()));
                std::fs::write(path, phone).unwrap();
            }
        }
        let history = ResearchChart::History.svg(log, report).unwrap();
        assert_has(
            &history,
            &[
                "experiment",
                "score (0–1)",
                "kept",
                "discarded",
                "best so far",
                "baseline",
            ],
            "history",
        );
        // A point per experiment (and the legend's two dots).
        // A point per experiment, a white rim round each kept one (the baseline's too), and the
        // legend's two dots.
        assert_eq!(
            test_support::circles(&history).len(),
            12 + (report.kept as usize + 1) + 2
        );
        let parts = ResearchChart::Parts.svg(log, report).unwrap();
        assert_has(
            &parts,
            &[
                "Retention",
                "Price stability",
                "Revenue",
                "Fairness",
                "Qualified operators",
                "sub-score (0–1)",
                "baseline",
                "best design",
                "best on 200 fresh seeds",
            ],
            "parts",
        );
        // The bars are thick enough at the export's size to carry their values.
        let best = report.best.as_ref().unwrap();
        assert!(parts.contains(&format!("{:.2}", best.parts[0])));
        let tornado = ResearchChart::Tornado.svg(log, report).unwrap();
        let best_score = report.best_score.unwrap();
        assert_has(
            &tornado,
            &[
                "parameter moved down 10% of its range",
                "moved up 10%",
                &format!("best design {best_score:.4}"),
                "score (0–1)",
                &report.sensitivity[0].name,
                &format!("the 12 largest swings of {}", report.sensitivity.len()),
            ],
            "tornado",
        );
        // Twelve rows of two bars each.
        let rows = tornado_rows(&report.sensitivity);
        assert_eq!(rows.len(), TORNADO_ROWS.min(report.sensitivity.len()));
        for s in &rows {
            assert!(tornado.contains(&s.name), "{}", s.name);
        }
    }

    /// At a phone's 360 × 260 CSS pixels (at 1× and 2×), a narrow desktop card and the export,
    /// every text lies inside the chart and none runs into another.
    #[test]
    fn texts_stay_apart_on_a_phone_and_on_desktop() {
        let (log, report) = run();
        for (w, h, scale) in [
            (360, 260, 1.0),
            (720, 520, 2.0),
            (390, 300, 1.0),
            (640, 360, 1.0),
            (1280, 440, 1.0),
        ] {
            let t = Theme { scale };
            for c in ResearchChart::ALL {
                let svg = to_svg(w, h, |root| c.draw(root, log, report, &t)).unwrap();
                test_support::assert_texts_apart(
                    &svg,
                    (w, h),
                    0.5,
                    &format!("{} at {w}×{h} ×{scale}", c.name()),
                );
                assert!(svg.contains("score (0–1)") || c == ResearchChart::Parts);
            }
        }
        // The phone's tornado names its parameters (shortened, not dropped) and the short
        // legend.
        let svg = to_svg(360, 260, |root| {
            tornado(root, &report.sensitivity, &Theme::default())
        })
        .unwrap();
        assert_has(&svg, &["down 10%", "up 10%", "best 0."], "phone tornado");
        let labels = test_support::texts(&svg)
            .into_iter()
            .filter(|x| x.anchor == "end" && !x.text.starts_with("0."))
            .count();
        assert_eq!(labels, TORNADO_ROWS.min(report.sensitivity.len()));
    }

    /// The Commons DAO's ten sub-scores (long names, a negative penalty) fit as well.
    #[test]
    fn ten_parts_with_long_names_and_a_penalty() {
        let names: Vec<String> = flywheel_core::commons::score::PARTS
            .iter()
            .map(|p| p.0.to_string())
            .collect();
        let outcome = |k: f64| Outcome {
            score: 0.5,
            std: 0.0,
            parts: (0..10)
                .map(|i| if i == 7 { -0.4 * k } else { 0.1 * i as f64 * k })
                .collect(),
            runs: 20,
        };
        let (a, b) = (outcome(0.8), outcome(1.0));
        for (w, h, scale) in [(360, 260, 1.0), (720, 520, 2.0), (900, 420, 1.0)] {
            let svg = to_svg(w, h, |root| {
                parts(root, &names, Some(&a), Some(&b), None, &Theme { scale })
            })
            .unwrap();
            test_support::assert_texts_apart(&svg, (w, h), 0.5, &format!("ten parts at {w}"));
            assert_has(
                &svg,
                &["final_price", "growth", "sub-score (0–1)"],
                "ten parts",
            );
            assert!(!svg.contains("validation"));
        }
    }

    /// No experiments, one, and scores all equal: axes with a sensible range, no panic.
    #[test]
    fn history_of_none_one_and_equal_scores() {
        let (log, _) = run();
        let base = &log[0];
        let one = [like(base, 1, 0.44, true, 0.44)];
        let equal: Vec<Experiment> = (1..=30).map(|i| like(base, i, 0.5, i == 1, 0.5)).collect();
        for (what, exps) in [("none", &[][..]), ("one", &one[..]), ("equal", &equal[..])] {
            for (w, h, scale) in [(360, 260, 1.0), (900, 440, 1.0), (720, 520, 2.0)] {
                let svg = to_svg(w, h, |root| history(root, exps, &Theme { scale })).unwrap();
                assert_has(&svg, &["experiment", "score (0–1)", "best so far"], what);
                test_support::assert_texts_apart(&svg, (w, h), 0.5, what);
                // Whole experiment numbers only, never "0.5" or a repeated "1".
                let ticks: Vec<String> = test_support::texts(&svg)
                    .into_iter()
                    .filter(|t| t.anchor == "middle" && t.text.parse::<f64>().is_ok())
                    .map(|t| t.text)
                    .collect();
                assert!(!ticks.is_empty(), "{what}: no x ticks");
                for t in &ticks {
                    assert!(!t.contains('.'), "{what}: tick {t}");
                }
            }
        }
        let (lo, hi) = score_range([0.5, 0.5].into_iter(), 0.05);
        assert!(lo < 0.5 && hi > 0.5 && hi - lo >= 0.05, "{lo}…{hi}");
        assert_eq!(score_range(std::iter::empty(), 0.05), (0.0, 1.0));
        // Scores at the top stay inside 0–1.
        let (lo, hi) = score_range([1.0, 1.0].into_iter(), 0.05);
        assert!(hi == 1.0 && lo < 1.0, "{lo}…{hi}");
        // The equal history: its baseline point, its 29 discarded points and the legend's dots.
        let svg = to_svg(900, 440, |root| history(root, &equal, &Theme::default())).unwrap();
        assert_eq!(test_support::circles(&svg).len(), 2 + 29 + 2);
    }

    /// Ten thousand experiments (the budget's limit) draw one point each, and the best so far
    /// steps only where it rose.
    #[test]
    fn ten_thousand_experiments_draw_cheaply() {
        let (log, _) = run();
        let mut best = 0.4;
        let exps: Vec<Experiment> = (1..=10_000u32)
            .map(|i| {
                let score = 0.4 + 0.25 * ((i as f64 * 0.618).fract()) * (i as f64 / 10_000.0);
                let kept = i == 1 || score > best;
                if kept {
                    best = score;
                }
                like(&log[0], i, score, kept, best)
            })
            .collect();
        let steps = exps.iter().filter(|e| e.kept).count();
        let svg = to_svg(900, 440, |root| history(root, &exps, &Theme::default())).unwrap();
        let circles = test_support::circles(&svg).len();
        // Every experiment's point, a rim for each kept one, the legend's two dots.
        assert_eq!(circles, 10_000 + steps + 2);
        let blue = test_support::polylines(&svg)
            .into_iter()
            .filter(|(c, _)| c == "#0072B2")
            .map(|(_, p)| p.len())
            .max()
            .unwrap_or(0);
        assert!(blue <= 2 * steps + 1, "{blue} vertices for {steps} steps");
        let ticks: Vec<String> = test_support::texts(&svg)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(ticks.iter().any(|t| t == "10k"), "{ticks:?}");
    }

    /// No sensitivity yet, or every move leaving the score where it was: a frame, no panic.
    #[test]
    fn tornado_of_nothing_and_of_flat_scores() {
        let (_, report) = run();
        for (w, h, scale) in [(360, 260, 1.0), (900, 460, 1.0), (720, 520, 2.0)] {
            let t = Theme { scale };
            let svg = to_svg(w, h, |root| tornado(root, &[], &t)).unwrap();
            assert_has(&svg, &["score (0–1)", "up 10%"], "empty tornado");
            assert!(!svg.contains("best"), "no best line without a best");
            test_support::assert_texts_apart(&svg, (w, h), 0.5, "empty tornado");
            let flat: Vec<Sensitivity> = report
                .sensitivity
                .iter()
                .map(|s| Sensitivity {
                    low_score: s.best_score,
                    high_score: s.best_score,
                    ..s.clone()
                })
                .collect();
            let svg = to_svg(w, h, |root| tornado(root, &flat, &t)).unwrap();
            test_support::assert_texts_apart(&svg, (w, h), 0.5, "flat tornado");
            assert!(svg.contains("score (0–1)"));
        }
        let svg = to_svg(900, 420, |root| {
            parts::<_, String>(root, &[], None, None, None, &Theme::default())
        })
        .unwrap();
        assert_has(
            &svg,
            &["sub-score (0–1)", "baseline", "best"],
            "empty parts",
        );
    }

    /// Tick labels have the decimals their step needs: never two alike, no trailing zeros.
    #[test]
    fn tick_decimals_follow_the_step() {
        assert_eq!(tick_decimals(0.5345, 0.5905, 7), 2); // 0.54, 0.55, …
        assert_eq!(tick_decimals(0.0, 1.0, 6), 1); // 0.2, 0.4, …
        assert_eq!(tick_decimals(0.5627, 0.5837, 4), 3); // 0.565, 0.570, …
        assert_eq!(tick_decimals(0.5627, 0.5837, 2), 2); // 0.57, 0.58
        assert_eq!(tick_decimals(0.5, 0.5, 6), 2);
        let (log, report) = run();
        for (w, h) in [(360, 260), (900, 460)] {
            for c in ResearchChart::ALL {
                let svg =
                    to_svg(w, h, |root| c.draw(root, log, report, &Theme::default())).unwrap();
                let ticks: Vec<String> = test_support::texts(&svg)
                    .into_iter()
                    .map(|t| t.text)
                    .filter(|t| t.starts_with("0.") && t.parse::<f64>().is_ok())
                    .collect();
                let mut unique = ticks.clone();
                unique.sort();
                unique.dedup();
                // Parts' values (0.00 twice, say) may repeat; ticks may not.
                if c != ResearchChart::Parts {
                    assert_eq!(unique.len(), ticks.len(), "{} at {w}: {ticks:?}", c.name());
                }
            }
        }
    }

    #[test]
    fn no_negative_zero() {
        assert_eq!(decimal(-1e-17, 1), "0.0");
        assert_eq!(decimal(-0.4, 1), "-0.4");
        assert_eq!(decimal(0.126, 2), "0.13");
    }

    /// The text alternatives carry the numbers the charts draw.
    #[test]
    fn summaries_say_the_key_numbers() {
        let (log, report) = run();
        let history = ResearchChart::History.summary(log, report);
        let (base, best) = (report.baseline_score.unwrap(), report.best_score.unwrap());
        let kept = report.kept as usize;
        let found = report.best_experiment.unwrap();
        assert!(found > 1, "the tiny run improved on its baseline");
        for part in [
            format!("12 experiments: the best score rose from {base:.3} (baseline) to {best:.3}"),
            format!(
                "at experiment {found}; {kept} kept, {} discarded",
                12 - 1 - kept
            ),
        ] {
            assert!(history.contains(&part), "{part:?} not in {history}");
        }

        let parts = ResearchChart::Parts.summary(log, report);
        let (b, x, v) = (
            report.baseline.as_ref().unwrap(),
            report.best.as_ref().unwrap(),
            report.validation.as_ref().unwrap(),
        );
        assert!(
            parts.starts_with("Sub-scores, baseline → best: Retention "),
            "{parts}"
        );
        for (i, name) in report.parts.iter().enumerate() {
            let pair = format!("{name} {:.2} → {:.2}", b.parts[i], x.parts[i]);
            assert!(parts.contains(&pair), "{pair:?} not in {parts}");
        }
        for part in [
            format!("Composite score {:.3} → {:.3}.", b.score, x.score),
            format!(
                "The best design on 200 fresh seeds: Retention {:.2}",
                v.parts[0]
            ),
            format!("composite {:.3}.", v.score),
        ] {
            assert!(parts.contains(&part), "{part:?} not in {parts}");
        }

        let tornado = ResearchChart::Tornado.summary(log, report);
        let sens = &report.sensitivity;
        let top = &sens[0];
        let flat = sens.iter().filter(|s| s.swing() < FLAT_SWING).count();
        for part in [
            format!("Around the best design (score {best:.4}), each parameter moved 10% of its range down and up: most sensitive: {}", top.name),
            format!("({:.4} at ", top.low_score),
            format!("{:.4} at ", top.high_score),
            format!("{flat} parameters barely move the score (< 0.001)"),
            format!("The chart shows the 12 largest swings of {}; {} parameters are left out", sens.len(), sens.len() - 12),
        ] {
            assert!(tornado.contains(&part), "{part:?} not in {tornado}");
        }

        // The edge cases say so in words.
        assert_eq!(crate::summary::research_history(&[]), "No experiments yet.");
        let one = [like(&log[0], 1, 0.44, true, 0.44)];
        assert_eq!(
            crate::summary::research_history(&one),
            "1 experiment: the baseline scores 0.440; no changes tried yet."
        );
        let equal: Vec<Experiment> = (1..=30)
            .map(|i| like(&log[0], i, 0.5, i == 1, 0.5))
            .collect();
        assert_eq!(
            crate::summary::research_history(&equal),
            "30 experiments: no change beat the baseline's 0.500; none kept, 29 discarded (all 0.500)."
        );
        assert!(crate::summary::research_tornado(&[]).starts_with("No sensitivity yet"));
        assert!(
            crate::summary::research_parts::<String>(&[], None, None, None)
                .starts_with("No sub-scores yet")
        );
        let flat: Vec<Sensitivity> = sens
            .iter()
            .take(3)
            .map(|s| Sensitivity {
                low_score: s.best_score,
                high_score: s.best_score,
                ..s.clone()
            })
            .collect();
        let s = crate::summary::research_tornado(&flat);
        assert!(
            s.ends_with("no parameter moves the score by 0.001 or more."),
            "{s}"
        );
        let baseline_only = crate::summary::research_parts(&report.parts, Some(b), None, None);
        assert!(
            baseline_only.starts_with(&format!(
                "Sub-scores of the baseline: Retention {:.2}",
                b.parts[0]
            )),
            "{baseline_only}"
        );
        for s in [history, parts, tornado] {
            assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
        }
    }

    /// A long parameter name is shortened in the middle, keeping its index.
    #[test]
    fn long_names_keep_their_ends() {
        let svg = to_svg(300, 100, |root| {
            let font = Theme::default().font(12.0);
            let s = fit_label(root, "tier_reward_multipliers[6]", &font, 90);
            assert!(
                s.ends_with("s[6]") && s.contains('…') && text_width(root, &s, &font) <= 90,
                "{s}"
            );
            assert_eq!(fit_label(root, "apy", &font, 90), "apy");
            Ok(())
        });
        assert!(svg.is_ok());
    }

    /// Kept against discarded points, the best line against the baseline, the baseline against
    /// the best design and its validation, and the tornado's two sides stay apart for
    /// colour-blind readers.
    #[test]
    fn co_plotted_colours_are_distinguishable() {
        test_support::assert_apart(
            &[
                ("kept", KEPT),
                ("discarded", DISCARDED),
                ("best so far", BEST),
                ("baseline", BASELINE),
            ],
            20.0,
            10.0,
        );
        test_support::assert_apart(
            &[
                ("baseline", PART_COLOURS[0]),
                ("best", PART_COLOURS[1]),
                ("validation", PART_COLOURS[2]),
            ],
            20.0,
            10.0,
        );
        test_support::assert_apart(&[("down", DOWN), ("up", UP)], 20.0, 12.0);
    }
}
