//! The charts of a stress test (`flywheel_core::stress`): a fan chart of one series, the
//! baseline's P10–P90 band and median against one scenario's, step by step; and the spread of
//! one metric across every scenario (P10–P90 as a bar, the median as a tick, the baseline's
//! median as a dashed line and, for the score, the threshold).

use crate::{house_mesh, legend_row, okabe_ito, text_width, tick, DrawResult, Swatch, Theme, INK};
use flywheel_core::policy::health::Kind;
use flywheel_core::stress::report::{metric_label, metric_names};
use flywheel_core::stress::{StressReport, SERIES};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The baseline (slate) and the scenario shown against it (orange).
pub const BASELINE: RGBColor = RGBColor(100, 116, 139);
pub const SCENARIO: RGBColor = okabe_ito::ORANGE;
/// A scenario that passes, and one that fails, in the spread chart.
pub const PASS: RGBColor = okabe_ito::BLUE;
pub const FAIL: RGBColor = okabe_ito::VERMILLION;

/// What a stress chart shows: the fan chart's series and scenario, the spread's metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// An index into [`SERIES`].
    pub series: usize,
    /// An index into the report's scenarios (0: the baseline alone).
    pub scenario: usize,
    /// An index into [`metric_names`].
    pub metric: usize,
}

impl Default for Choice {
    fn default() -> Self {
        Choice {
            series: 0,
            scenario: 1,
            metric: 0,
        }
    }
}

/// The charts of a stress test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StressChart {
    Fan,
    Spread,
}

impl StressChart {
    pub const ALL: [StressChart; 2] = [StressChart::Fan, StressChart::Spread];

    pub fn name(self) -> &'static str {
        match self {
            StressChart::Fan => "fan",
            StressChart::Spread => "spread",
        }
    }

    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        r: &StressReport,
        c: Choice,
        t: &Theme,
    ) -> DrawResult<DB> {
        match self {
            StressChart::Fan => fan(root, r, c, t),
            StressChart::Spread => spread(root, r, c, t),
        }
    }

    pub fn svg(self, r: &StressReport, c: Choice) -> Result<String, String> {
        crate::to_svg(900, 440, |root| self.draw(root, r, c, &Theme::default()))
    }

    /// The chart's key numbers in words.
    pub fn summary(self, r: &StressReport, c: Choice) -> String {
        match self {
            StressChart::Fan => fan_summary(r, c),
            StressChart::Spread => spread_summary(r, c),
        }
    }
}

fn scenario_of(r: &StressReport, c: Choice) -> usize {
    c.scenario.min(r.scenarios.len().saturating_sub(1))
}

/// A series' values in its unit (participation as a percentage).
fn scaled(series: usize, x: f64) -> f64 {
    if SERIES[series].0 == "staking_participation" {
        x * 100.0
    } else {
        x
    }
}

/// The baseline's and one scenario's bands of a series, step by step.
pub fn fan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &StressReport,
    c: Choice,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let k = c.series.min(SERIES.len() - 1);
    let (label, unit) = (SERIES[k].1, r.series_unit(k));
    let which = scenario_of(r, c);
    let mut shown: Vec<(usize, RGBColor)> = vec![(0, BASELINE)];
    if which > 0 {
        shown.push((which, SCENARIO));
    }
    let mut legend: Vec<(String, RGBAColor, Swatch)> = Vec::new();
    for (i, colour) in &shown {
        legend.push((
            format!("{} (median)", r.scenarios[*i].name),
            colour.to_rgba(),
            if *i == 0 {
                Swatch::Dashed
            } else {
                Swatch::Line
            },
        ));
    }
    legend.push((
        "P10–P90 over the runs".into(),
        BASELINE.mix(0.25),
        Swatch::Block,
    ));
    let plot = legend_row(root, &legend, t)?;
    let xs: Vec<f64> = r.steps_kept.iter().map(|&s| f64::from(s)).collect();
    let values = shown.iter().flat_map(|(i, _)| {
        let b = &r.scenarios[*i].bands[k];
        b.p10.iter().chain(&b.p90).copied()
    });
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(scaled(k, v));
        hi = hi.max(scaled(k, v));
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let lo = lo.min(0.0);
    let hi = if hi > lo { hi * 1.08 } else { lo + 1.0 };
    let x_hi = xs.last().copied().unwrap_or(1.0).max(1.0);
    let tick_w = text_width(&plot, &tick(hi), &t.muted_font(12.0));
    let last_w = text_width(
        &plot,
        &format!("{}", x_hi.round() as i64),
        &t.muted_font(12.0),
    );
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .margin_right(t.px(12.0) + last_w as u32 / 2)
        .x_label_area_size(t.px(40.0))
        .y_label_area_size((tick_w as u32 + t.px(34.0)).max(t.px(62.0)))
        .build_cartesian_2d(1f64.min(x_hi)..x_hi, lo..hi)?;
    let x_desc = format!("{}{}", capital(&r.unit), if r.steps > 1 { "s" } else { "" });
    let y_desc = crate::fit_desc(
        &plot,
        &format!("{label} ({unit})"),
        t,
        crate::plot_height(&chart),
    );
    house_mesh(&mut chart.configure_mesh(), t)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| tick(*y))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    for (i, colour) in &shown {
        let b = &r.scenarios[*i].bands[k];
        let n = b.p50.len().min(xs.len());
        let upper = (0..n).map(|j| (xs[j], scaled(k, b.p90[j])));
        let lower = (0..n).rev().map(|j| (xs[j], scaled(k, b.p10[j])));
        chart.draw_series(std::iter::once(Polygon::new(
            upper.chain(lower).collect::<Vec<_>>(),
            colour.mix(0.18),
        )))?;
        let line: Vec<(f64, f64)> = (0..n).map(|j| (xs[j], scaled(k, b.p50[j]))).collect();
        if *i == 0 {
            chart.draw_series(DashedLineSeries::new(
                line,
                t.px(7.0),
                t.px(5.0),
                colour.stroke_width(t.px(2.5)),
            ))?;
        } else {
            chart.draw_series(LineSeries::new(line, colour.stroke_width(t.px(2.5))))?;
        }
    }
    root.present()?;
    Ok(())
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One metric across every scenario: P10–P90 as a bar, the median as a tick, the baseline's
/// median dashed, the threshold (score only) dotted.
pub fn spread<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &StressReport,
    c: Choice,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let m = c.metric.min(metric_names().len() - 1);
    let (label, kind) = metric_label(m);
    let is_score = m == 0;
    let mut legend = vec![
        ("P10–P90".to_string(), PASS.mix(0.45), Swatch::Block),
        ("median".to_string(), INK.to_rgba(), Swatch::Line),
        (
            "baseline median".to_string(),
            BASELINE.to_rgba(),
            Swatch::Dashed,
        ),
    ];
    if is_score {
        legend[0].0 = "P10–P90 (passes)".into();
        legend.insert(1, ("P10–P90 (fails)".into(), FAIL.mix(0.45), Swatch::Block));
        legend.push(("threshold".into(), FAIL.to_rgba(), Swatch::Line));
    }
    let plot = legend_row(root, &legend, t)?;
    let rows = r.scenarios.len().max(1);
    let shown = |x: f64| if kind == Kind::Fraction { x * 100.0 } else { x };
    let (mut lo, mut hi) = (0.0f64, f64::NEG_INFINITY);
    for s in &r.scenarios {
        let v = s.metrics[m];
        for x in [v.p10, v.p90] {
            lo = lo.min(shown(x));
            hi = hi.max(shown(x));
        }
    }
    if is_score {
        hi = hi.max(r.threshold);
    }
    if !hi.is_finite() || hi <= lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.06;
    let font = t.font(12.0);
    let label_w = r
        .scenarios
        .iter()
        .map(|s| text_width(&plot, &s.name, &font))
        .max()
        .unwrap_or(0) as u32;
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(label_w + t.px(16.0))
        .build_cartesian_2d(
            (lo - pad.min(lo.abs().max(pad)))..(hi + pad),
            0f64..rows as f64,
        )?;
    let unit = match kind {
        Kind::Fraction => " (%)".to_string(),
        Kind::Money => format!(" ({})", r.money_unit),
        Kind::Number | Kind::Count => String::new(),
    };
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|x| tick(*x))
        .x_desc(format!("{label}{unit}"))
        .draw()?;
    let base = r.scenarios.first().map(|b| shown(b.metrics[m].p50));
    for (i, s) in r.scenarios.iter().enumerate() {
        let y = (rows - i) as f64 - 0.5;
        let v = s.metrics[m];
        let colour = if is_score && !s.passes { FAIL } else { PASS };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(shown(v.p10), y - 0.28), (shown(v.p90), y + 0.28)],
            colour.mix(0.45).filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(shown(v.p50), y - 0.34), (shown(v.p50), y + 0.34)],
            INK.stroke_width(t.px(2.5)),
        )))?;
        let (px, py) = chart.backend_coord(&(chart.x_range().start, y));
        root.draw(&Text::new(
            s.name.clone(),
            (px - t.px(8.0) as i32, py),
            font.pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    if let Some(b) = base {
        chart.draw_series(DashedLineSeries::new(
            [(b, 0.0), (b, rows as f64)],
            t.px(6.0),
            t.px(4.0),
            BASELINE.stroke_width(t.px(2.0)),
        ))?;
    }
    if is_score {
        chart.draw_series(LineSeries::new(
            [(r.threshold, 0.0), (r.threshold, rows as f64)],
            FAIL.stroke_width(t.px(1.5)),
        ))?;
    }
    root.present()?;
    Ok(())
}

fn fan_summary(r: &StressReport, c: Choice) -> String {
    let k = c.series.min(SERIES.len() - 1);
    let (label, unit) = (SERIES[k].1, r.series_unit(k));
    let which = scenario_of(r, c);
    let end = |i: usize| {
        let b = &r.scenarios[i].bands[k];
        let j = b.p50.len().saturating_sub(1);
        (
            scaled(k, b.p10.get(j).copied().unwrap_or(0.0)),
            scaled(k, b.p50.get(j).copied().unwrap_or(0.0)),
            scaled(k, b.p90.get(j).copied().unwrap_or(0.0)),
        )
    };
    let say = |i: usize| {
        let (a, m, b) = end(i);
        format!(
            "{}: median {} {unit} at the end (P10 {}, P90 {})",
            r.scenarios[i].name,
            tick(m),
            tick(a),
            tick(b)
        )
    };
    let mut out = format!(
        "{label} over {} {}s, {} runs a scenario. {}",
        r.steps,
        r.unit,
        r.runs,
        say(0)
    );
    if which > 0 {
        out.push_str(&format!("; {}.", say(which)));
    } else {
        out.push('.');
    }
    out
}

fn spread_summary(r: &StressReport, c: Choice) -> String {
    let m = c.metric.min(metric_names().len() - 1);
    let (label, kind) = metric_label(m);
    let parts: Vec<String> = r
        .scenarios
        .iter()
        .map(|s| {
            let v = s.metrics[m];
            format!(
                "{} {} (P10 {}, P90 {}){}",
                s.name,
                kind.format(v.p50),
                kind.format(v.p10),
                kind.format(v.p90),
                if m == 0 && !s.passes { ", fails" } else { "" }
            )
        })
        .collect();
    let mut out = format!("{label}, median by scenario: {}.", parts.join("; "));
    if m == 0 {
        out.push_str(&format!(" Threshold {}.", tick(r.threshold)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;
    use flywheel_core::crowdtrain::stress::CrowdTrain;
    use flywheel_core::stress::{assemble, evaluate_all, StressParams};

    fn report() -> StressReport {
        let mut p = StressParams::<CrowdTrain> {
            stress_runs: 4.0,
            ..Default::default()
        };
        p.model.months = 12.0;
        assemble(&p, evaluate_all(&p))
    }

    #[test]
    fn every_series_and_metric_draws_with_readable_texts() {
        let r = report();
        for series in 0..SERIES.len() {
            let c = Choice {
                series,
                scenario: 2,
                metric: series,
            };
            for (w, h, scale) in [(900, 440, 1.0), (390, 320, 1.0), (720, 520, 2.0)] {
                for chart in StressChart::ALL {
                    let svg = crate::to_svg(w, h, |root| chart.draw(root, &r, c, &Theme { scale }))
                        .unwrap();
                    test_support::assert_texts_apart(&svg, (w, h), 0.5, chart.name());
                }
            }
            let fan = StressChart::Fan.svg(&r, c).unwrap();
            assert!(fan.contains("baseline (median)") && fan.contains("bear (median)"));
            assert!(StressChart::Fan.summary(&r, c).contains("bear: median"));
        }
        let spread = StressChart::Spread.svg(&r, Choice::default()).unwrap();
        assert!(spread.contains("threshold") && spread.contains("crowdtrain_events"));
        let s = StressChart::Spread.summary(&r, Choice::default());
        assert!(s.starts_with("Score, median by scenario: baseline"), "{s}");
    }

    /// The axes and texts say each model's own units: CrowdTrain's reference price is an index
    /// (not USD), its AMM price USD per token; the Commons' prices are DAI, the dataDAO's xDAI,
    /// and the dataDAO's steps are steps.
    #[test]
    fn units_come_from_the_model() {
        use flywheel_core::commons::stress::CommonsDao;
        use flywheel_core::crowdtrain::PriceModel;
        use flywheel_core::datadao::stress::DataDao;
        let price = Choice::default();
        let treasury = Choice {
            series: 4,
            ..Choice::default()
        };
        let revenue = Choice {
            metric: 8,
            ..Choice::default()
        };
        let check = |r: &StressReport, price_unit: &str, money: &str, step: &str| {
            let fan = StressChart::Fan.svg(r, price).unwrap();
            assert!(
                fan.contains(&format!("Price ({price_unit})")),
                "{price_unit}"
            );
            assert!(!fan.contains("(USD)") || money == "USD");
            let text = StressChart::Fan.summary(r, price);
            assert!(text.contains(price_unit) && text.contains(step), "{text}");
            let fan = StressChart::Fan.svg(r, treasury).unwrap();
            assert!(fan.contains(&format!("Treasury ({money})")), "{money}");
            let spread = StressChart::Spread.svg(r, revenue).unwrap();
            assert!(spread.contains(&format!("Revenue ({money})")), "{money}");
        };
        let reference = report();
        check(&reference, "price index (not USD)", "USD", "months");
        let mut p = StressParams::<CrowdTrain> {
            stress_runs: 2.0,
            ..Default::default()
        };
        p.model.months = 12.0;
        p.model.price_model = PriceModel::Amm;
        check(
            &assemble(&p, evaluate_all(&p)),
            "USD per token",
            "USD",
            "months",
        );
        let mut p = StressParams::<CommonsDao> {
            stress_runs: 2.0,
            scenarios: "bull".into(),
            ..Default::default()
        };
        p.model.days = 60.0;
        check(
            &assemble(&p, evaluate_all(&p)),
            "DAI per token",
            "DAI",
            "days",
        );
        let mut p = StressParams::<DataDao> {
            stress_runs: 2.0,
            scenarios: "bear".into(),
            ..Default::default()
        };
        p.model.total_steps = 100.0;
        check(
            &assemble(&p, evaluate_all(&p)),
            "xDAI per dDT",
            "xDAI",
            "100 steps",
        );
    }
}
