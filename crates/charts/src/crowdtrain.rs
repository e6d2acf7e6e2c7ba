//! CrowdTrain's charts: Monte Carlo bands, the tier mix, and the score against its targets.

use crate::{house_mesh, legend_row, max_of, tick, DrawResult, Swatch, Theme, INK, MUTED};
use flywheel_core::crowdtrain::montecarlo::{Band, McResult};
use flywheel_core::crowdtrain::score::WEIGHTS;
use flywheel_core::crowdtrain::sim::TIER_NAMES;
use flywheel_core::format::human;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Tier colours, tier 1 (lightest) to 6 (darkest).
pub const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(199, 210, 254),
    RGBColor(165, 180, 252),
    RGBColor(129, 140, 248),
    RGBColor(99, 102, 241),
    RGBColor(67, 56, 202),
    RGBColor(49, 46, 129),
];

/// One series of a band chart: its label, colour and Monte Carlo band.
pub struct BandSeries<'a> {
    pub label: &'a str,
    pub colour: RGBColor,
    pub band: &'a Band,
}

/// The band of a recorded field, if the result has it.
pub fn band<'a>(r: &'a McResult, field: &str) -> Option<&'a Band> {
    r.bands.iter().find(|b| b.field == field)
}

/// A chart with months across and real values up.
type MonthChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes for month-by-month charts: months 1…`months` across, 0…`y_max` up, mesh drawn.
fn month_axes<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    months: usize,
    y_max: f64,
    y_desc: &str,
    t: &Theme,
) -> Result<MonthChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(0.5f64..months.max(1) as f64 + 0.5, 0f64..y_max)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(months.clamp(2, 12))
        .y_labels(6)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| tick(*y))
        .x_desc("Month")
        .y_desc(y_desc)
        .draw()?;
    Ok(chart)
}

/// Month-by-month P50 lines with their P10–P90 bands shaded.
pub fn band_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[BandSeries],
    y_desc: &str,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let months = series.iter().map(|s| s.band.p50.len()).max().unwrap_or(0);
    let y_max = max_of(series.iter().flat_map(|s| s.band.p90.iter().copied()))
        .max(f64::MIN_POSITIVE)
        * 1.08;
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
    let mut chart = month_axes(&plot, months, y_max, y_desc, t)?;
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
    root.present()?;
    Ok(())
}

/// Mean active operators per tier, stacked, month by month.
pub fn tiers_stacked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &McResult,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let months = r.tier_means.len();
    let totals: Vec<f64> = r.tier_means.iter().map(|m| m.iter().sum()).collect();
    let y_max = max_of(totals.iter().copied()).max(1.0) * 1.08;
    let legend: Vec<(String, RGBAColor, Swatch)> = TIER_NAMES
        .iter()
        .zip(TIER_COLOURS)
        .enumerate()
        .map(|(i, (name, c))| (format!("T{} {name}", i + 1), c.to_rgba(), Swatch::Block))
        .collect();
    let plot = legend_row(root, &legend, t)?;
    let mut chart = month_axes(
        &plot,
        months,
        y_max,
        "Active operators (mean over the runs)",
        t,
    )?;
    let mut below = vec![0.0; months];
    for (k, colour) in TIER_COLOURS.iter().enumerate() {
        let above: Vec<f64> = below
            .iter()
            .zip(&r.tier_means)
            .map(|(b, m)| b + m[k])
            .collect();
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
    root.present()?;
    Ok(())
}

/// One row of a horizontal bar chart.
struct BarRow {
    label: String,
    value: f64,
    /// ± this much as a whisker (0: none).
    whisker: f64,
    colour: RGBColor,
    /// Written after the bar (and its whisker).
    text: String,
}

/// Rows of labelled horizontal bars on `plot`, first row on top, from 0 to `x_max`. Labels are
/// drawn on `root` (the whole chart, which `plot` is part of), left of the axis.
fn bar_rows<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &'a DrawingArea<DB, Shift>,
    rows: &[BarRow],
    x_max: f64,
    (x_desc, x_format): (&str, &dyn Fn(&f64) -> String),
    label_width: f64,
    t: &Theme,
) -> Result<MonthChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let n = rows.len() as f64;
    let mut chart = ChartBuilder::on(plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(36.0))
        .y_label_area_size(t.px(label_width))
        .build_cartesian_2d(0f64..x_max, 0f64..n)?;
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(0)
        .x_label_formatter(x_format)
        .x_desc(x_desc)
        .draw()?;
    let label_style = t.font(12.0).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = t.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, row) in rows.iter().enumerate() {
        let y = n - i as f64 - 0.5;
        let end = row.value.clamp(0.0, x_max);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.3), (end, y + 0.3)],
            row.colour.filled(),
        )))?;
        if row.whisker > 0.0 {
            let (lo, hi) = (
                (row.value - row.whisker).max(0.0),
                (row.value + row.whisker).min(x_max),
            );
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                MUTED.stroke_width(t.px(1.5)),
            )))?;
        }
        let (px, py) = chart.backend_coord(&(0.0, y));
        root.draw(&Text::new(
            row.label.clone(),
            (px - t.px(8.0) as i32, py),
            label_style.clone(),
        ))?;
        let after = (row.value + row.whisker).clamp(0.0, x_max);
        chart.draw_series(std::iter::once(
            EmptyElement::at((after, y))
                + Text::new(row.text.clone(), (t.px(6.0) as i32, 0), value_style.clone()),
        ))?;
    }
    Ok(chart)
}

/// The five sub-scores and the composite (mean with a ±1 std whisker) against full marks (1.0 =
/// the target met), each labelled with its weight.
pub fn score_breakdown<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &McResult,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    const SUB: RGBColor = RGBColor(99, 102, 241);
    let parts = [
        ("Retention", "retention_score"),
        ("Stability", "stability_score"),
        ("Revenue", "revenue_score"),
        ("Fairness", "gini_score"),
        ("Qualified", "qualified_score"),
    ];
    let row = |label: String, key: &str, colour| {
        let (mean, std) = r.stat(key).map_or((0.0, 0.0), |s| (s.mean, s.std));
        BarRow {
            label,
            value: mean,
            whisker: std,
            colour,
            text: human(mean, 3, false),
        }
    };
    let mut rows: Vec<BarRow> = parts
        .iter()
        .zip(WEIGHTS)
        .map(|((name, key), w)| row(format!("{name} · {:.0}%", w * 100.0), key, SUB))
        .collect();
    rows.push(row("Composite score".to_string(), "score", INK));
    let plot = legend_row(
        root,
        &[
            (
                "Sub-score (mean, ±1 std over the runs)".to_string(),
                SUB.to_rgba(),
                Swatch::Block,
            ),
            ("Composite".to_string(), INK.to_rgba(), Swatch::Block),
            ("Target met".to_string(), crate::BUY.to_rgba(), Swatch::Line),
        ],
        t,
    )?;
    let mut chart = bar_rows(
        root,
        &plot,
        &rows,
        1.1,
        ("Score (1 = target met)", &|x| format!("{x:.1}")),
        130.0,
        t,
    )?;
    let n = rows.len() as f64;
    chart.draw_series(LineSeries::new(
        [(1.0, 0.0), (1.0, n)],
        crate::BUY.stroke_width(t.px(2.0)),
    ))?;
    root.present()?;
    Ok(())
}

/// The funnel: everyone onboarded → reached each tier → still active at the end (means over
/// the runs, at the last month).
pub fn funnel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &McResult,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (reached, active) = (r.funnel.reached, r.funnel.active);
    let row = |label: String, value: f64, colour| {
        let share = if reached[0] > 0.0 {
            value / reached[0] * 100.0
        } else {
            0.0
        };
        BarRow {
            label,
            value,
            whisker: 0.0,
            colour,
            text: format!("{} ({share:.1}%)", human(value, 5, false)),
        }
    };
    let mut rows = vec![row("Onboarded".to_string(), reached[0], TIER_COLOURS[0])];
    for k in 1..6 {
        rows.push(row(
            format!("Reached T{} {}", k + 1, TIER_NAMES[k]),
            reached[k],
            TIER_COLOURS[k],
        ));
    }
    rows.push(row("Active at the end".to_string(), active, INK));
    bar_rows(
        root,
        root,
        &rows,
        reached[0].max(1.0) * 1.15,
        ("Operators (mean over the runs)", &|x| tick(*x)),
        200.0,
        t,
    )?;
    root.present()?;
    Ok(())
}

/// The CrowdTrain tab's charts, for the page, the SVG exports and the CLI's `--svg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrowdTrainChart {
    Score,
    Funnel,
    Tiers,
    Price,
    Supply,
    Flows,
    Revenue,
    Gini,
}

impl CrowdTrainChart {
    pub const ALL: [CrowdTrainChart; 8] = [
        Self::Score,
        Self::Funnel,
        Self::Tiers,
        Self::Price,
        Self::Supply,
        Self::Flows,
        Self::Revenue,
        Self::Gini,
    ];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::Score => "score",
            Self::Funnel => "funnel",
            Self::Tiers => "tiers",
            Self::Price => "price",
            Self::Supply => "supply",
            Self::Flows => "flows",
            Self::Revenue => "revenue",
            Self::Gini => "gini",
        }
    }

    /// The size of the chart's SVG export.
    pub fn svg_size(self) -> (u32, u32) {
        match self {
            Self::Score | Self::Funnel => (900, 380),
            _ => (900, 460),
        }
    }

    /// Draws the chart of `r` on `root`.
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        r: &McResult,
        t: &Theme,
    ) -> DrawResult<DB> {
        use crate::{BUY, CURVE, FUNDING, RESERVE, SELL};
        const SOLD: RGBColor = RGBColor(148, 163, 184);
        let bands = |series: &[(&'static str, RGBColor, &str)], y_desc: &str| {
            let found: Vec<BandSeries> = series
                .iter()
                .filter_map(|(label, colour, field)| {
                    band(r, field).map(|b| BandSeries {
                        label,
                        colour: *colour,
                        band: b,
                    })
                })
                .collect();
            band_chart(root, &found, y_desc, t)
        };
        match self {
            Self::Score => score_breakdown(root, r, t),
            Self::Funnel => funnel(root, r, t),
            Self::Tiers => tiers_stacked(root, r, t),
            Self::Price => bands(&[("Token price", CURVE, "token_price")], "Price (USD)"),
            Self::Supply => bands(
                &[
                    ("Circulating supply", RESERVE, "circulating_supply"),
                    ("Staked", FUNDING, "staked_total"),
                    ("Burned (total)", SELL, "burned_total"),
                ],
                "Tokens",
            ),
            Self::Flows => bands(
                &[
                    ("Emission", CURVE, "emission"),
                    ("Rewards paid", BUY, "rewards_paid"),
                    ("Sold by operators", SOLD, "tokens_sold"),
                    ("Burned", SELL, "burned"),
                ],
                "Tokens per month",
            ),
            Self::Revenue => bands(&[("Revenue", BUY, "revenue")], "USD per month"),
            Self::Gini => bands(&[("Gini of earnings", CURVE, "gini")], "Gini"),
        }
    }

    /// The chart as a standalone SVG document.
    pub fn svg(self, r: &McResult) -> Result<String, String> {
        let (w, h) = self.svg_size();
        crate::to_svg(w, h, |root| self.draw(root, r, &Theme::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::to_svg;
    use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
    use flywheel_core::crowdtrain::CtParams;

    fn result() -> McResult {
        run_monte_carlo(
            &CtParams {
                runs: 4.0,
                months: 12.0,
                ..CtParams::default()
            },
            &mut |_, _| true,
        )
    }

    #[test]
    fn band_chart_shades_the_band_and_draws_the_median() {
        let r = result();
        let b = band(&r, "token_price").unwrap();
        let svg = to_svg(800, 420, |root| {
            band_chart(
                root,
                &[BandSeries {
                    label: "Token price",
                    colour: crate::CURVE,
                    band: b,
                }],
                "USD",
                &Theme::default(),
            )
        })
        .unwrap();
        for text in [
            "Token price (median)",
            "P10–P90 over the runs",
            "Month",
            "USD",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.contains("<polygon") && svg.contains("<polyline"));
        assert!(band(&r, "no_such_field").is_none());
    }

    #[test]
    fn tiers_stack_up_to_the_active_operators() {
        let r = result();
        for (m, tiers) in r.tier_means.iter().enumerate() {
            let active = r
                .runs
                .iter()
                .map(|x| x.records[m].active_operators as f64)
                .sum::<f64>()
                / r.runs.len() as f64;
            assert!((tiers.iter().sum::<f64>() - active).abs() < 1e-9);
        }
        let svg = to_svg(800, 420, |root| tiers_stacked(root, &r, &Theme::default())).unwrap();
        assert!(svg.contains("T1 Sim Academy") && svg.contains("T6 Partner Missions"));
        assert!(
            svg.matches("<polygon").count() >= 2,
            "tier 1 and tier 2 areas at least"
        );
    }

    #[test]
    fn funnel_shows_onboarding_each_tier_and_the_end() {
        let r = result();
        let svg = to_svg(800, 360, |root| funnel(root, &r, &Theme::default())).unwrap();
        for text in [
            "Onboarded",
            "Reached T2 In-the-Wild Capture",
            "Reached T6 Partner Missions",
            "Active at the end",
            "(100.0%)",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        // 12 months onboard 19,900 operators in every run.
        assert!(svg.contains("19,900"), "onboarded count not shown");
    }

    #[test]
    fn score_breakdown_labels_weights_and_values() {
        let r = result();
        let svg = to_svg(800, 360, |root| {
            score_breakdown(root, &r, &Theme::default())
        })
        .unwrap();
        for text in [
            "Retention · 30%",
            "Stability · 25%",
            "Revenue · 20%",
            "Fairness · 15%",
            "Qualified · 10%",
            "Composite score",
            "Target met",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        let composite = human(r.stat("score").unwrap().mean, 3, false);
        assert!(
            svg.contains(&composite),
            "composite value {composite} not shown"
        );
    }

    #[test]
    fn every_chart_renders_without_records() {
        let r = result().without_records();
        for c in CrowdTrainChart::ALL {
            let svg = c.svg(&r).unwrap_or_else(|e| panic!("{}: {e}", c.name()));
            assert!(svg.starts_with("<svg") && svg.len() > 2000, "{}", c.name());
        }
        let flows = CrowdTrainChart::Flows.svg(&r).unwrap();
        for text in [
            "Emission (median)",
            "Rewards paid (median)",
            "Burned (median)",
            "Tokens per month",
        ] {
            assert!(flows.contains(text), "missing {text}");
        }
        assert!(CrowdTrainChart::Funnel.svg(&r).unwrap().contains("19,900"));
    }
}
