//! Text alternatives of the charts: each chart's key numbers in a sentence or two, for screen
//! readers (the page links them to their canvas) and for anyone who wants the numbers rather
//! than the picture. They are made from the same data the chart draws.

use crate::crowdtrain::{band, CrowdTrainChart};
use crate::datadao::{DataDaoChart, Shown};
use crate::CommonsChart;
use flywheel_core::commons::explorer::AbcReport;
use flywheel_core::crowdtrain::montecarlo::McResult;
use flywheel_core::crowdtrain::PriceModel;
use flywheel_core::datadao::sim::Kind;
use flywheel_core::format::compact;

const TIERS: [&str; 6] = ["T1", "T2", "T3", "T4", "T5", "T6"];

fn n(x: f64) -> String {
    compact(x, 4)
}

/// "median 56.4 at month 24 (P10 50.1 to P90 60.2), highest median 60 at month 20".
fn band_sentence(r: &McResult, field: &str) -> Option<String> {
    let b = band(r, field)?;
    let last = b.p50.len().checked_sub(1)?;
    let (peak_at, peak) = b
        .p50
        .iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |acc, (i, x)| {
            if *x > acc.1 {
                (i, *x)
            } else {
                acc
            }
        });
    Some(format!(
        "median {} at month {} (P10 {} to P90 {}), highest median {} at month {}",
        n(b.p50[last]),
        last + 1,
        n(b.p10[last]),
        n(b.p90[last]),
        n(peak),
        peak_at + 1
    ))
}

impl CrowdTrainChart {
    /// The chart's key numbers, in words.
    pub fn summary(self, r: &McResult, price_model: PriceModel) -> String {
        let stat = |name: &str| r.stat(name).map_or(f64::NAN, |s| s.mean);
        match self {
            Self::Score => format!(
                "Composite score {:.3}: retention {:.2}, stability {:.2}, revenue {:.2}, Gini {:.2}, qualified operators {:.2} (each 1 when its target is met; means over {} runs).",
                stat("score"),
                stat("retention_score"),
                stat("stability_score"),
                stat("revenue_score"),
                stat("gini_score"),
                stat("qualified_score"),
                r.runs.len()
            ),
            Self::Funnel => {
                let reached = r.funnel.reached;
                let share = |x: f64| {
                    if reached[0] > 0.0 {
                        format!(" ({:.1}%)", x / reached[0] * 100.0)
                    } else {
                        String::new()
                    }
                };
                let tiers: Vec<String> = (1..6)
                    .map(|t| format!("reached {} {}{}", TIERS[t], n(reached[t]), share(reached[t])))
                    .collect();
                format!(
                    "Onboarded {}; {}; active at the end {}{} (means over the runs).",
                    n(reached[0]),
                    tiers.join(", "),
                    n(r.funnel.active),
                    share(r.funnel.active)
                )
            }
            Self::Tiers => match r.tier_means.last() {
                None => "No months recorded.".into(),
                Some(last) => {
                    let tiers: Vec<String> = last
                        .iter()
                        .enumerate()
                        .map(|(t, x)| format!("{} {}", TIERS[t], n(*x)))
                        .collect();
                    format!(
                        "Active operators at month {}: {} (means over the runs).",
                        r.tier_means.len(),
                        tiers.join(", ")
                    )
                }
            },
            _ => {
                let (series, y_desc) = self.band_series(price_model).unwrap_or_default();
                let parts: Vec<String> = series
                    .iter()
                    .filter_map(|(label, _, field)| {
                        band_sentence(r, field).map(|s| format!("{label}: {s}"))
                    })
                    .collect();
                format!("{y_desc}. {}.", parts.join("; "))
            }
        }
    }
}

impl DataDaoChart {
    /// The chart's key numbers at the inspected step `upto` (counted from 1), for each run.
    pub fn summary(self, runs: &[Shown], upto: usize) -> String {
        let parts: Vec<String> = runs
            .iter()
            .filter_map(|s| {
                let rec = s.run.records.get(upto.max(1) - 1)?;
                let values = match self {
                    Self::Price => format!("price {} xDAI per dDT", n(rec.price)),
                    Self::DdtReserve => format!("{} dDT in the pool", n(rec.ddt_reserve)),
                    Self::XdaiReserve => format!("{} xDAI in the pool", n(rec.xdai_reserve)),
                    Self::Pie => format!("{} dDT in the Pie", n(rec.pie)),
                    Self::Agents => Kind::ALL
                        .iter()
                        .map(|k| format!("{} {}", k.label(), rec.counts[*k as usize]))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Self::AvgXdai => Kind::ALL
                        .iter()
                        .map(|k| format!("{} {} xDAI", k.label(), n(rec.avg_xdai[*k as usize])))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                Some(format!("{}: {values}", s.name))
            })
            .collect();
        if parts.is_empty() {
            return "No steps recorded.".into();
        }
        format!("At step {upto}: {}.", parts.join("; "))
    }
}

impl CommonsChart {
    /// The chart's key numbers, in words.
    pub fn summary(self, r: &AbcReport) -> String {
        let (c, a, t) = (&r.current, &r.after, &r.trade);
        match self {
            Self::BondingCurve => format!(
                "Now: supply {} tokens at a spot price of {} DAI, reserve {} DAI. The what-if trade moves the supply to {} and the price to {} DAI.",
                n(c.supply),
                n(t.spot_before),
                n(c.reserve),
                n(a.supply),
                n(t.spot_after)
            ),
            Self::PriceImpact => match (r.impact.first(), r.impact.last()) {
                (Some(lo), Some(hi)) => format!(
                    "Average buy price from {} DAI per token for a {} DAI trade to {} for {} DAI; sells {}.",
                    n(lo.buy_price),
                    n(lo.size),
                    n(hi.buy_price),
                    n(hi.size),
                    match (lo.sell_price, hi.sell_price) {
                        (Some(s), Some(h)) => format!("from {} to {} DAI per token", n(s), n(h)),
                        (Some(s), None) => format!(
                            "from {} DAI per token, up to sizes the supply allows",
                            n(s)
                        ),
                        _ => "not possible at these sizes".into(),
                    }
                ),
                _ => "No trade sizes.".into(),
            },
            Self::Pools => format!(
                "Reserve {} DAI and funding pool {} DAI now; {} and {} DAI after the what-if trade.",
                n(c.reserve),
                n(c.funding_pool),
                n(a.reserve),
                n(a.funding_pool)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flywheel_core::commons::explorer::{evaluate, AbcParams};
    use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
    use flywheel_core::crowdtrain::CtParams;
    use flywheel_core::datadao::sim::run_with;
    use flywheel_core::datadao::DdParams;

    #[test]
    fn every_chart_has_a_summary_with_its_key_numbers() {
        let r = run_monte_carlo(
            &CtParams {
                runs: 3.0,
                ..CtParams::default()
            },
            &mut |_, _| true,
        );
        for c in CrowdTrainChart::ALL {
            let s = c.summary(&r, PriceModel::Reference);
            assert!(s.len() > 40 && s.chars().any(|c| c.is_ascii_digit()), "{s}");
            assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
        }
        let funnel = CrowdTrainChart::Funnel.summary(&r, PriceModel::Reference);
        assert!(funnel.starts_with("Onboarded 30.8k;"), "{funnel}");
        let price = CrowdTrainChart::Price.summary(&r, PriceModel::Reference);
        assert!(
            price.contains("Price index (not USD)") && price.contains("month 24"),
            "{price}"
        );

        let p = DdParams {
            total_steps: 50.0,
            ..DdParams::default()
        };
        let run = run_with(&p, None, &mut |_, _| true);
        let shown = [Shown {
            run: &run,
            name: "As described",
            dashed: false,
        }];
        for c in DataDaoChart::ALL {
            let s = c.summary(&shown, 50);
            assert!(s.starts_with("At step 50: As described: "), "{s}");
        }
        assert!(DataDaoChart::Agents.summary(&shown, 1).contains("Degens"));

        let report = evaluate(&AbcParams::default());
        for c in CommonsChart::ALL {
            let s = c.summary(&report);
            assert!(s.len() > 40 && !s.contains("NaN"), "{s}");
        }
    }
}
