//! CrowdTrain's charts: Monte Carlo bands, the tier mix, and the score against its targets.

use crate::bands::{stacked_areas, time_axes, BandAxes};
pub use crate::bands::{BandSeries, SeriesSpec};
use crate::bars::{bar_rows, BarRow};
use crate::{legend_row, max_of, okabe_ito, tick, DrawResult, Swatch, Theme, INK};
use flywheel_core::crowdtrain::montecarlo::{Band, McResult};
use flywheel_core::crowdtrain::score::WEIGHTS;
use flywheel_core::crowdtrain::sim::TIER_NAMES;
use flywheel_core::crowdtrain::PriceModel;
use flywheel_core::format::{fixed, human, readable};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Tier colours, tier 1 (lightest) to 6 (darkest): a sequential ramp that turns from yellow
/// through green, teal and blue to plum while it darkens (as viridis does), so neighbouring tiers
/// differ in hue as well as lightness — by at least 20 CIEDE2000 units for normal vision and 10
/// for simulated protanopia, deuteranopia and tritanopia (checked by a test).
pub const TIER_COLOURS: [RGBColor; 6] = [
    RGBColor(245, 234, 152),
    RGBColor(137, 207, 153),
    RGBColor(4, 170, 171),
    RGBColor(0, 126, 168),
    RGBColor(74, 77, 128),
    RGBColor(81, 30, 63),
];

/// The funnel's last bar (still active at the end): unlike any tier.
pub const ACTIVE_COLOUR: RGBColor = okabe_ito::ORANGE;

/// The price axis's description, which depends on the price model: under the reference formula
/// the price is a structural index (its unit is really USD per million tokens, spec §3 step 10:
/// it leaps from 0.10 to about 28 in the first month), under the AMM a market price in USD per
/// token.
pub fn price_axis(price_model: PriceModel) -> &'static str {
    match price_model {
        PriceModel::Reference => "Price index (not USD)",
        PriceModel::Amm => "USD per token",
    }
}

/// The band of a recorded field, if the result has it.
pub fn band<'a>(r: &'a McResult, field: &str) -> Option<&'a Band> {
    r.bands.iter().find(|b| b.field == field)
}

/// Month-by-month P50 lines with their P10–P90 bands shaded (the shared
/// [`bands::band_chart`](crate::bands::band_chart) with months across).
pub fn band_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    series: &[BandSeries],
    y_desc: &str,
    t: &Theme,
) -> DrawResult<DB> {
    crate::bands::band_chart(root, series, &BandAxes::new("Month", y_desc), t)
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
    let mut chart = time_axes(
        &plot,
        months,
        y_max,
        ("Month", "Active operators (mean over the runs)"),
        t,
    )?;
    let layers: Vec<(usize, RGBColor)> = TIER_COLOURS.iter().copied().enumerate().collect();
    stacked_areas(&mut chart, &r.tier_means, &layers)?;
    root.present()?;
    Ok(())
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
            short_label: label.split(" · ").next().unwrap_or_default().to_string(),
            label,
            value: mean,
            whisker: std,
            colour,
            text: human(mean, 3, false),
            text_inside: false,
            cap: None,
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
    let row = |label: String, short_label: &str, value: f64, colour| {
        let share = if reached[0] > 0.0 {
            value / reached[0] * 100.0
        } else {
            0.0
        };
        // Means over the runs: whole operators from a thousand up, else one decimal at most.
        let count = if value >= 1000.0 {
            fixed(value, 0)
        } else {
            readable((value * 10.0).round() / 10.0)
        };
        let share = if share > 0.0 && share < 0.05 {
            "<0.1%".to_string()
        } else {
            format!("{share:.1}%")
        };
        BarRow {
            label,
            short_label: short_label.to_string(),
            value,
            whisker: 0.0,
            colour,
            text: format!("{count} ({share})"),
            text_inside: true,
            cap: None,
        }
    };
    let mut rows = vec![row(
        "Onboarded".to_string(),
        "Onboarded",
        reached[0],
        TIER_COLOURS[0],
    )];
    let short = [
        "",
        "Reached T2",
        "Reached T3",
        "Reached T4",
        "Reached T5",
        "Reached T6",
    ];
    for k in 1..6 {
        rows.push(row(
            format!("Reached T{} {}", k + 1, TIER_NAMES[k]),
            short[k],
            reached[k],
            TIER_COLOURS[k],
        ));
    }
    rows.push(row(
        "Active at the end".to_string(),
        "Active at end",
        active,
        ACTIVE_COLOUR,
    ));
    bar_rows(
        root,
        root,
        &rows,
        1.0,
        ("Operators (mean over the runs)", &|x| tick(*x)),
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

    /// The series of a band chart — (legend label, colour, recorded field) — and its y axis
    /// description; `None` for the charts that are not band charts. The price's axis depends on
    /// the price model (see [`price_axis`]).
    pub fn band_series(self, price_model: PriceModel) -> Option<(Vec<SeriesSpec>, &'static str)> {
        use crate::CURVE;
        use okabe_ito::{BLUE, BLUISH_GREEN, VERMILLION};
        const SOLD: RGBColor = RGBColor(148, 163, 184);
        Some(match self {
            Self::Score | Self::Funnel | Self::Tiers => return None,
            Self::Price => (
                vec![("Token price", CURVE, "token_price")],
                price_axis(price_model),
            ),
            Self::Supply => (
                vec![
                    ("Circulating supply", BLUE, "circulating_supply"),
                    ("Staked", BLUISH_GREEN, "staked_total"),
                    ("Burned (total)", VERMILLION, "burned_total"),
                ],
                "Tokens",
            ),
            Self::Flows => (
                vec![
                    ("Emission", CURVE, "emission"),
                    ("Rewards paid", BLUISH_GREEN, "rewards_paid"),
                    ("Sold by operators", SOLD, "tokens_sold"),
                    ("Burned", VERMILLION, "burned"),
                ],
                "Tokens per month",
            ),
            Self::Revenue => (vec![("Revenue", BLUISH_GREEN, "revenue")], "USD per month"),
            Self::Gini => (vec![("Gini of earnings", CURVE, "gini")], "Gini"),
        })
    }

    /// Draws the chart of `r`, a result of `price_model` (the params' `price_model`), on `root`:
    /// the price chart says whether its price is the reference formula's index or USD per token.
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        r: &McResult,
        price_model: PriceModel,
        t: &Theme,
    ) -> DrawResult<DB> {
        match self {
            Self::Score => score_breakdown(root, r, t),
            Self::Funnel => funnel(root, r, t),
            Self::Tiers => tiers_stacked(root, r, t),
            _ => {
                let (series, y_desc) = self.band_series(price_model).unwrap_or_default();
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
            }
        }
    }

    /// The chart of a result of `price_model` as a standalone SVG document.
    pub fn svg(self, r: &McResult, price_model: PriceModel) -> Result<String, String> {
        let (w, h) = self.svg_size();
        crate::to_svg(w, h, |root| {
            self.draw(root, r, price_model, &Theme::default())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_support, to_svg};
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

    /// Every text of the funnel (and of the score chart, which lays out the same way) lies
    /// inside the chart, and every value text inside the plotting area, at any width and pixel
    /// ratio: desktop, a 390 px phone, a 300 px sliver.
    #[test]
    fn bar_chart_texts_fit_at_any_width() {
        let results = [
            result(),
            run_monte_carlo(
                &CtParams {
                    runs: 3.0,
                    months: 24.0,
                    hardware_stake_requirement: 400.0,
                    ..CtParams::default()
                },
                &mut |_, _| true,
            ),
        ];
        for r in &results {
            for (width, scale) in [(960, 1.0), (600, 1.0), (390, 1.0), (300, 1.0), (780, 2.0)] {
                let t = Theme { scale };
                let height = (300.0 * scale) as u32;
                for (name, svg) in [
                    ("funnel", to_svg(width, height, |root| funnel(root, r, &t))),
                    (
                        "score",
                        to_svg(width, height, |root| score_breakdown(root, r, &t)),
                    ),
                ] {
                    let svg = svg.unwrap();
                    let right = width as f64 - 12.0 * scale;
                    let texts = test_support::texts(&svg);
                    for text in texts.iter().filter(|x| !x.rotated) {
                        let (lo, hi) = text.extent();
                        assert!(
                            lo >= 0.0 && hi <= width as f64,
                            "{name} at {width} px ×{scale}: {:?} spans {lo:.0}…{hi:.0}",
                            text.text
                        );
                    }
                    // The value texts: digits followed by a share or alone.
                    let values: Vec<_> = texts
                        .iter()
                        .filter(|x| x.text.ends_with("%)") || x.text.parse::<f64>().is_ok())
                        .filter(|x| x.anchor != "middle")
                        .collect();
                    assert!(values.len() >= 6, "{name}: {values:?}");
                    for v in values {
                        let (_, hi) = v.extent();
                        assert!(
                            hi <= right,
                            "{name} at {width} px ×{scale}: {:?} ends at {hi:.0} > {right}",
                            v.text
                        );
                    }
                }
            }
        }
        // On desktop the funnel keeps the tiers' full names and writes every value after its bar.
        let svg = to_svg(960, 300, |root| {
            funnel(root, &results[0], &Theme::default())
        })
        .unwrap();
        assert!(svg.contains("Reached T2 In-the-Wild Capture"));
        assert!(svg.contains("30,802 (100.0%)") || svg.contains("19,900 (100.0%)"));
        // A narrow one names them short.
        let svg = to_svg(360, 300, |root| {
            funnel(root, &results[0], &Theme::default())
        })
        .unwrap();
        assert!(svg.contains(">\nReached T2\n<"), "short labels");
    }

    /// Neighbouring tiers differ in hue as well as lightness (tiers 2–4 used to be three light
    /// indigos), also for colour-blind readers; so do the series that share a band chart, and the
    /// funnel's last bar differs from the last tier's.
    #[test]
    fn co_plotted_colours_are_distinguishable() {
        let tiers: Vec<(String, RGBColor)> = TIER_COLOURS
            .iter()
            .enumerate()
            .map(|(k, c)| (format!("tier {}", k + 1), *c))
            .collect();
        let named: Vec<(&str, RGBColor)> = tiers.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        test_support::assert_apart(&named, 20.0, 10.0);
        test_support::assert_apart(
            &[("tier 6", TIER_COLOURS[5]), ("active", ACTIVE_COLOUR)],
            20.0,
            10.0,
        );
        // Lightness falls tier by tier, so the order reads without a legend.
        let l = |c: RGBColor| test_support::lab((c.0, c.1, c.2), test_support::Vision::Normal)[0];
        for k in 1..6 {
            assert!(
                l(TIER_COLOURS[k - 1]) - l(TIER_COLOURS[k]) >= 8.0,
                "tier {k}"
            );
        }
        for chart in CrowdTrainChart::ALL {
            if let Some((series, _)) = chart.band_series(PriceModel::Reference) {
                let named: Vec<(&str, RGBColor)> =
                    series.iter().map(|(n, c, _)| (*n, *c)).collect();
                test_support::assert_apart(&named, 20.0, 10.0);
            }
        }
    }

    /// The price chart says what its price is: the reference formula's index (56 from a 0.10
    /// start: not USD) or the AMM's USD per token; never a bare "USD" for the reference.
    #[test]
    fn the_price_axis_says_index_or_usd() {
        let r = result().without_records();
        let reference = CrowdTrainChart::Price
            .svg(&r, PriceModel::Reference)
            .unwrap();
        assert!(reference.contains("Price index (not USD)"));
        assert!(reference.contains("Token price (median)"));
        let amm = CrowdTrainChart::Price.svg(&r, PriceModel::Amm).unwrap();
        assert!(amm.contains("USD per token") && !amm.contains("index"));
        assert!(!reference.contains("Price (USD)") && !reference.contains("USD per token"));
    }

    /// Huge values (the reference price index reaches about a billion at scale 100) get compact
    /// axis labels.
    #[test]
    fn band_axes_stay_compact_for_huge_values() {
        let huge = Band {
            field: "token_price".into(),
            p10: vec![1e8, 4e17],
            p50: vec![2e8, 5e17],
            p90: vec![3e8, 6e17],
        };
        let svg = to_svg(600, 300, |root| {
            band_chart(
                root,
                &[BandSeries {
                    label: "Price",
                    colour: crate::CURVE,
                    band: &huge,
                }],
                "Price index (not USD)",
                &Theme::default(),
            )
        })
        .unwrap();
        let ticks: Vec<String> = test_support::texts(&svg)
            .into_iter()
            .map(|t| t.text)
            .filter(|t| t.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(ticks.iter().any(|t| t.ends_with("e17")), "{ticks:?}");
        for t in &ticks {
            assert!(!t.contains("e+") && !t.contains('T') && t.len() <= 6, "{t}");
        }
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
            let svg = c
                .svg(&r, PriceModel::Reference)
                .unwrap_or_else(|e| panic!("{}: {e}", c.name()));
            assert!(svg.starts_with("<svg") && svg.len() > 2000, "{}", c.name());
        }
        let flows = CrowdTrainChart::Flows
            .svg(&r, PriceModel::Reference)
            .unwrap();
        for text in [
            "Emission (median)",
            "Rewards paid (median)",
            "Burned (median)",
            "Tokens per month",
        ] {
            assert!(flows.contains(text), "missing {text}");
        }
        assert!(CrowdTrainChart::Funnel
            .svg(&r, PriceModel::Reference)
            .unwrap()
            .contains("19,900"));
    }

    /// At a phone's width (a 320 px canvas, 240 px tall) and on a wide screen, every text stays
    /// inside the chart and clear of the others: a legend of several rows never runs into the
    /// y axis's description (which is shortened to fit).
    #[test]
    fn texts_stay_apart_on_phones_too() {
        let r = result();
        for chart in CrowdTrainChart::ALL {
            for (w, h, scale) in [(320, 240, 1.0), (640, 480, 2.0), (900, 440, 1.0)] {
                let svg = crate::to_svg(w, h, |root| {
                    chart.draw(root, &r, PriceModel::Reference, &Theme { scale })
                })
                .unwrap();
                crate::test_support::assert_texts_apart(
                    &svg,
                    (w, h),
                    1.0,
                    &format!("{} at {w}×{h}", chart.name()),
                );
            }
        }
    }
}
