//! Text alternatives of the charts: each chart's key numbers in a sentence or two, for screen
//! readers (the page links them to their canvas) and for anyone who wants the numbers rather
//! than the picture. They are made from the same data the chart draws.

use crate::commons_dao::{candidates_by_progress, CommonsDaoChart};
use crate::conviction::{requested_share, ConvictionChart};
use crate::crowdtrain::{band, CrowdTrainChart};
use crate::datadao::{DataDaoChart, Shown};
use crate::research::{by_swing, ResearchChart, FLAT_SWING, TORNADO_ROWS};
use crate::CommonsChart;
use flywheel_core::commons::conviction::{ConvictionParams, ConvictionReport};
use flywheel_core::commons::explorer::AbcReport;
use flywheel_core::commons::montecarlo::DaoResult;
use flywheel_core::commons::score::PARTS;
use flywheel_core::commons::sim::{Network, Status};
use flywheel_core::crowdtrain::montecarlo::McResult;
use flywheel_core::crowdtrain::PriceModel;
use flywheel_core::datadao::sim::Kind;
use flywheel_core::format::{compact, percent, plural, readable};
use flywheel_core::research::{
    signed, Experiment, Kind as ExperimentKind, Outcome, Report, Sensitivity, SENSITIVITY_STEP,
};

const TIERS: [&str; 6] = ["T1", "T2", "T3", "T4", "T5", "T6"];

fn n(x: f64) -> String {
    compact(x, 4)
}

/// The highest value and where it is (the first of equals).
fn peak(xs: &[f64]) -> (usize, f64) {
    xs.iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |acc, (i, x)| {
            if *x > acc.1 {
                (i, *x)
            } else {
                acc
            }
        })
}

/// "median 56.4 at month 24 (P10 50.1 to P90 60.2), highest median 60 at month 20".
fn band_sentence(r: &McResult, field: &str) -> Option<String> {
    let b = band(r, field)?;
    let last = b.p50.len().checked_sub(1)?;
    let (peak_at, peak) = peak(&b.p50);
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

/// Three significant digits, compact: 0.16, 1.55M, 730.
fn n3(x: f64) -> String {
    compact(x, 3)
}

/// "median 0.16 → 0.101 DAI per token after 730 days (P10–P90 0.06–0.25 at the end), highest
/// median 0.27 on day 105; on day 100 median 0.26 (P10–P90 0.23–0.44)".
fn day_band_sentence(r: &DaoResult, field: &str, unit: &str, day: Option<u32>) -> Option<String> {
    let b = r.band(field)?;
    let last = b.p50.len().checked_sub(1)?;
    let (peak_at, peak) = peak(&b.p50);
    let mut s = format!(
        "median {} → {} {unit} after {} (P10–P90 {}–{} at the end), highest median {} on day {}",
        n3(b.p50[0]),
        n3(b.p50[last]),
        plural((last + 1) as f64, "day"),
        n3(b.p10[last]),
        n3(b.p90[last]),
        n3(peak),
        peak_at + 1
    );
    if let Some(d) = day.filter(|d| (1..=last + 1).contains(&(*d as usize))) {
        let i = d as usize - 1;
        s.push_str(&format!(
            "; on day {d} median {} (P10–P90 {}–{})",
            n3(b.p50[i]),
            n3(b.p10[i]),
            n3(b.p90[i])
        ));
    }
    Some(s)
}

/// "15.6 candidates, 0.4 active, 21.2 completed and 22 failed".
fn states_sentence(m: &[f64; 4]) -> String {
    format!(
        "{} candidates, {} active, {} completed and {} failed",
        n3(m[0]),
        n3(m[1]),
        n3(m[2]),
        n3(m[3])
    )
}

impl CommonsDaoChart {
    /// The chart's key numbers, in words: the bands' medians and ranges (at the end, at their
    /// highest and on the inspected day), the proposals by state, the score's parts, and the
    /// inspected day's candidates and network.
    pub fn summary(
        self,
        r: &DaoResult,
        network: Option<&Network>,
        inspected_day: Option<u32>,
    ) -> String {
        let runs = r.runs.len();
        let over = format!("over {}", plural(runs as f64, "run"));
        match self {
            Self::Proposals => match r.state_means.last() {
                None => "No days recorded yet: no runs have finished.".into(),
                Some(last) => {
                    let mut s = format!(
                        "Proposals on day {} (means {over}): {}.",
                        r.state_means.len(),
                        states_sentence(last)
                    );
                    if let Some(d) =
                        inspected_day.filter(|d| (1..=r.state_means.len()).contains(&(*d as usize)))
                    {
                        s.push_str(&format!(
                            " On day {d}: {}.",
                            states_sentence(&r.state_means[d as usize - 1])
                        ));
                    }
                    s
                }
            },
            Self::Score => {
                if runs == 0 {
                    return "No runs yet: no score.".into();
                }
                let total = r.metric("score").map_or(f64::NAN, |m| m.mean);
                let parts: Vec<String> = PARTS
                    .iter()
                    .zip(r.part_means)
                    .map(|((_, label, cap), v)| {
                        if *cap == 0.0 {
                            format!(
                                "{}: {} (a penalty: 0 at best, −0.2 at worst)",
                                label.to_lowercase(),
                                n3(v)
                            )
                        } else {
                            format!("{}: {}", label.to_lowercase(), n3(v))
                        }
                    })
                    .collect();
                format!(
                    "Score {} of 1000 (mean {over}; 130 × the sum of the parts, at most 1000). Parts, each out of 1: {}.",
                    n3(total.round()),
                    parts.join("; ")
                )
            }
            Self::Conviction => {
                let Some(net) = network else {
                    return "No day inspected: no candidates to show.".into();
                };
                let c = candidates_by_progress(net);
                if c.is_empty() {
                    return format!("No candidate proposals on day {}.", net.day);
                }
                let progress = |p: &flywheel_core::commons::sim::NetProposal| {
                    p.threshold
                        .filter(|th| *th > 0.0)
                        .map(|th| p.conviction / th)
                };
                let top: Vec<String> = c
                    .iter()
                    .filter_map(|p| {
                        progress(p).map(|f| {
                            format!(
                                "#{} at {} of its threshold ({} of {} tokens)",
                                p.id,
                                percent(f),
                                n3(p.conviction),
                                n3(p.threshold.unwrap_or(0.0))
                            )
                        })
                    })
                    .take(3)
                    .collect();
                let at = c
                    .iter()
                    .filter(|p| progress(p).is_some_and(|f| f >= 1.0))
                    .count();
                let cannot = c.iter().filter(|p| p.threshold.is_none()).count();
                let mut s = format!(
                    "Day {}: {}.",
                    net.day,
                    plural(c.len() as f64, "candidate proposal")
                );
                if !top.is_empty() {
                    s.push_str(&format!(" Closest to passing: {}.", top.join("; ")));
                }
                if at > 0 {
                    s.push_str(&format!(
                        " {} at or over the threshold: passes at the next check.",
                        at
                    ));
                }
                if cannot > 0 {
                    s.push_str(&format!(
                        " {} cannot pass (asks β of the pool or more).",
                        cannot
                    ));
                }
                s
            }
            Self::Network => {
                let Some(net) = network else {
                    return "No day inspected: no network to show.".into();
                };
                let people = &net.participants;
                let hatchers = people.iter().filter(|p| p.hatcher).count();
                let mean = if people.is_empty() {
                    0.0
                } else {
                    people.iter().map(|p| p.sentiment).sum::<f64>() / people.len() as f64
                };
                let low = people.iter().filter(|p| p.sentiment < 0.5).count();
                let high = people.iter().filter(|p| p.sentiment > 0.75).count();
                let count = |s: Status| net.proposals.iter().filter(|p| p.status == s).count();
                let staked: f64 = net.edges.iter().map(|e| e.tokens).sum();
                let held: f64 = people.iter().map(|p| p.holdings).sum();
                format!(
                    "Day {}: {} ({} hatchers) holding {} tokens, mean sentiment {} ({} below 0.5, {} above 0.75); {} candidate and {} active proposals; {} with {} tokens staked. {} completed and {} failed proposals are not drawn.",
                    net.day,
                    plural(people.len() as f64, "participant"),
                    hatchers,
                    n3(held),
                    n3(mean),
                    low,
                    high,
                    count(Status::Candidate),
                    count(Status::Active),
                    plural(net.edges.len() as f64, "support edge"),
                    n3(staked),
                    count(Status::Completed),
                    count(Status::Failed)
                )
            }
            _ => {
                let (series, _) = self.band_series().unwrap_or_default();
                let unit = match self {
                    Self::Price => "DAI per token",
                    Self::Supply => "tokens",
                    Self::Participants => "people",
                    Self::Sentiment => "(0–1)",
                    _ => "DAI",
                };
                let parts: Vec<String> = series
                    .iter()
                    .filter_map(|(label, _, field)| {
                        day_band_sentence(r, field, unit, inspected_day)
                            .map(|s| format!("{label}: {s}"))
                    })
                    .collect();
                if parts.is_empty() {
                    return "No days recorded yet: no runs have finished.".into();
                }
                let mut s = format!("{}. Medians and P10–P90 {over}.", parts.join(". "));
                if self == Self::Sentiment {
                    if let Some(b) = r.band("mean_sentiment") {
                        let below = |x: f64| b.p50.iter().filter(|v| **v < x).count();
                        s.push_str(&format!(
                            " The median is below 0.75 (where participants stop buying and sell) on {} of {} days and below 0.5 (where they may leave) on {}.",
                            below(0.75),
                            b.p50.len(),
                            below(0.5)
                        ));
                    }
                }
                if self == Self::Granted {
                    if let Some(b) = r.band("proposals_funded") {
                        if let Some(last) = b.p50.len().checked_sub(1) {
                            s.push_str(&format!(
                                " Proposals funded: median {} (P10–P90 {}–{}).",
                                n3(b.p50[last]),
                                n3(b.p10[last]),
                                n3(b.p90[last])
                            ));
                        }
                    }
                }
                s
            }
        }
    }
}

impl ConvictionChart {
    /// The chart's key numbers, in words.
    pub fn summary(self, p: &ConvictionParams, r: &ConvictionReport) -> String {
        let beta = percent(p.max_proposal_request);
        let share = requested_share(p);
        match self {
            Self::Trigger => {
                let asks = match share {
                    Some(s) => format!(
                        "A request of {} of the funding pool ({} of {} DAI)",
                        percent(s),
                        n3(p.request),
                        n3(p.funding)
                    ),
                    None => "A request from an empty funding pool".to_string(),
                };
                let needs = match r.threshold {
                    Some(th) if p.supply > 0.0 => format!(
                        "needs conviction {} × the token supply ({} tokens)",
                        n3(th / p.supply),
                        n3(th)
                    ),
                    Some(th) => format!("needs conviction {} tokens", n3(th)),
                    None => "cannot pass".to_string(),
                };
                format!(
                    "{asks} {needs}. A request of nothing needs 0.5 × the supply; the threshold grows without bound as the request nears β = {beta} of the pool, and requests of β or more cannot pass."
                )
            }
            Self::Growth => {
                let with = p.stake + p.extra_stake;
                let days = r.conviction.len();
                let reach = |d: Option<u32>, limit: f64| match (r.threshold, d) {
                    (None, _) => format!("approaches {}", n3(limit)),
                    (Some(_), Some(d)) => {
                        format!("reaches it on day {d}, approaching {}", n3(limit))
                    }
                    (Some(th), None) if limit < th => {
                        format!("never reaches it: it approaches {}", n3(limit))
                    }
                    (Some(_), None) => "never reaches it".to_string(),
                };
                let head = match r.threshold {
                    Some(th) => format!("Threshold {} tokens.", n3(th)),
                    None => format!(
                        "The request cannot pass: it asks {} of the pool, β is {beta}.",
                        share.map_or("all".to_string(), percent)
                    ),
                };
                let mut s = format!(
                    "{head} As it is ({} tokens staked) conviction {}; with {} more ({} tokens) it {}. Days shown: {} (α = {}).",
                    n3(p.stake),
                    reach(r.days_to_pass, r.max_conviction),
                    n3(p.extra_stake),
                    n3(with),
                    reach(r.days_to_pass_with_extra, r.max_conviction_with_extra),
                    days,
                    compact(r.alpha, 4)
                );
                if let Some(st) = r.stake_to_pass_in_days {
                    s.push_str(&format!(
                        " Staking {} tokens passes within {}.",
                        n3(st),
                        plural(days as f64, "day")
                    ));
                }
                s
            }
        }
    }
}

impl ResearchChart {
    /// The chart's key numbers, in words: the history's from `experiments`, the others' from
    /// `report`.
    pub fn summary(self, experiments: &[Experiment], report: &Report) -> String {
        match self {
            Self::History => research_history(experiments),
            Self::Parts => research_parts(
                &report.parts,
                report.baseline.as_ref(),
                report.best.as_ref(),
                report.validation.as_ref(),
            ),
            Self::Tornado => research_tornado(&report.sensitivity),
        }
    }
}

/// The optimisation history in words: "120 experiments: the best score rose from 0.440
/// (baseline) to 0.651 (+0.211) at experiment 91; 25 kept, 94 discarded (scores 0.120 to
/// 0.648)."
pub fn research_history(experiments: &[Experiment]) -> String {
    if experiments.is_empty() {
        return "No experiments yet.".into();
    }
    let n = plural(experiments.len() as f64, "experiment");
    let baseline = experiments
        .iter()
        .find(|e| e.kind == ExperimentKind::Baseline)
        .map(|e| e.outcome.score)
        .filter(|x| x.is_finite());
    let kept: Vec<&Experiment> = experiments
        .iter()
        .filter(|e| e.kept && e.kind != ExperimentKind::Baseline)
        .collect();
    let best = experiments
        .iter()
        .rev()
        .map(|e| e.best)
        .find(|x| x.is_finite());
    let discarded: Vec<f64> = experiments
        .iter()
        .filter(|e| !e.kept)
        .map(|e| e.outcome.score)
        .filter(|x| x.is_finite())
        .collect();
    let mut s = match (baseline, kept.last(), best) {
        (Some(b), Some(found), best) => {
            let best = best.unwrap_or(found.outcome.score);
            format!(
            "{n}: the best score rose from {b:.3} (baseline) to {best:.3} ({}) at experiment {}; {} kept",
            signed(best - b, 3),
            found.number,
            kept.len()
        )
        }
        (Some(b), None, _) if experiments.len() == 1 => {
            format!("{n}: the baseline scores {b:.3}; no changes tried yet")
        }
        (Some(b), None, _) => format!("{n}: no change beat the baseline's {b:.3}; none kept"),
        (None, _, Some(best)) => format!(
            "{n}: the best score so far is {best:.3}; {} kept",
            kept.len()
        ),
        (None, _, None) => format!("{n}, none scored"),
    };
    if !discarded.is_empty() {
        let lo = discarded.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = discarded.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let range = if format!("{lo:.3}") == format!("{hi:.3}") {
            format!("all {lo:.3}")
        } else {
            format!("scores {lo:.3} to {hi:.3}")
        };
        s.push_str(&format!(", {} discarded ({range})", discarded.len()));
    }
    s.push('.');
    s
}

/// The sub-scores in words: "Sub-scores, baseline → best: retention 0.54 → 1.00, …".
pub fn research_parts<S: AsRef<str>>(
    names: &[S],
    baseline: Option<&Outcome>,
    best: Option<&Outcome>,
    validation: Option<&Outcome>,
) -> String {
    let Some(base) = baseline else {
        return "No sub-scores yet: the baseline has not been evaluated.".into();
    };
    let part = |o: &Outcome, i: usize| {
        o.parts
            .get(i)
            .filter(|x| x.is_finite())
            .map(|x| format!("{x:.2}"))
    };
    let list = |f: &dyn Fn(usize) -> Option<String>| {
        names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| f(i).map(|v| format!("{} {v}", name.as_ref())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = match best {
        Some(best) => format!(
            "Sub-scores, baseline → best: {}. Composite score {:.3} → {:.3}.",
            list(&|i| Some(format!("{} → {}", part(base, i)?, part(best, i)?))),
            base.score,
            best.score
        ),
        None => format!(
            "Sub-scores of the baseline: {}. Composite score {:.3}.",
            list(&|i| part(base, i)),
            base.score
        ),
    };
    if let Some(v) = validation {
        s.push_str(&format!(
            " The best design on {}: {}; composite {:.3}.",
            plural(v.runs as f64, "fresh seed"),
            list(&|i| part(v, i)),
            v.score
        ));
    }
    s
}

/// The sensitivity in words: the three parameters that move the score most (with their values
/// and the scores either way), how many barely move it, and how many the tornado leaves out.
pub fn research_tornado(sensitivity: &[Sensitivity]) -> String {
    let sorted = by_swing(sensitivity);
    let Some(first) = sorted.first() else {
        return "No sensitivity yet: it is measured around the best design after the search and its validation.".into();
    };
    let mut s = format!(
        "Around the best design (score {:.4}), each parameter moved {:.0}% of its range down and up: ",
        first.best_score,
        SENSITIVITY_STEP * 100.0
    );
    let moving: Vec<String> = sorted
        .iter()
        .filter(|x| x.swing() >= FLAT_SWING)
        .take(3)
        .map(|x| {
            format!(
                "{} at {} ({:.4} at {}, {:.4} at {})",
                x.name,
                readable(x.value),
                x.low_score,
                readable(x.low_value),
                x.high_score,
                readable(x.high_value)
            )
        })
        .collect();
    let flat = sorted.iter().filter(|x| x.swing() < FLAT_SWING).count();
    if moving.is_empty() {
        s.push_str(&format!(
            "no parameter moves the score by {FLAT_SWING} or more."
        ));
    } else {
        s.push_str(&format!("most sensitive: {}", moving.join(", ")));
        if flat > 0 {
            s.push_str(&format!(
                "; {} barely move the score (< {FLAT_SWING}).",
                if flat == 1 {
                    "1 parameter does".to_string()
                } else {
                    format!("{flat} parameters")
                }
            ));
        } else {
            s.push_str(&format!(
                "; every parameter moves it by {FLAT_SWING} or more."
            ));
        }
    }
    if sorted.len() > TORNADO_ROWS {
        let left = &sorted[TORNADO_ROWS..];
        let largest = left[0].swing();
        s.push_str(&format!(
            " The chart shows the {TORNADO_ROWS} largest swings of {}; {} left out ({}).",
            sorted.len(),
            if left.len() == 1 {
                "1 parameter is".to_string()
            } else {
                format!("{} parameters are", left.len())
            },
            if largest < FLAT_SWING {
                format!("each moves the score by less than {FLAT_SWING}")
            } else {
                format!("swings of {largest:.4} or less")
            }
        ));
    }
    s
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

    /// The Commons DAO's and the calculator's text alternatives carry the numbers the charts
    /// draw, and stay sensible for an empty result, no inspected day and the edge cases.
    #[test]
    fn commons_dao_and_conviction_summaries_say_the_key_numbers() {
        use flywheel_core::commons::conviction::calculate;
        use flywheel_core::commons::dao::DaoParams;
        use flywheel_core::commons::montecarlo::{aggregate, run_monte_carlo};
        use flywheel_core::commons::sim::network_at;
        let p = DaoParams {
            runs: 5.0,
            days: 200.0,
            ..DaoParams::default()
        };
        let r = run_monte_carlo(&p, &mut |_, _| true);
        let net = network_at(&p, 42, 100);
        let empty = aggregate(vec![]);
        let clean = |s: &str| {
            assert!(s.len() > 20, "{s}");
            for bad in ["NaN", "inf", "∞"] {
                assert!(!s.contains(bad), "{bad} in {s}");
            }
            // A dash stands between two numbers (P10–P90 1–2), never alone for a missing one.
            let chars: Vec<char> = s.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '–' {
                    let around = [chars.get(i.wrapping_sub(1)), chars.get(i + 1)];
                    assert!(
                        around
                            .iter()
                            .all(|c| c.is_some_and(|c| c.is_alphanumeric())),
                        "a lone dash in {s}"
                    );
                }
            }
        };
        for c in CommonsDaoChart::ALL {
            let s = c.summary(&r, Some(&net), Some(100));
            clean(&s);
            assert!(s.chars().any(|c| c.is_ascii_digit()), "{s}");
            clean(&c.summary(&r, None, None));
            clean(&c.summary(&empty, None, Some(3)));
        }
        let price = CommonsDaoChart::Price.summary(&r, None, Some(100));
        let b = r.band("price").unwrap();
        for part in [
            format!(
                "median 0.16 → {} DAI per token after 200 days",
                n3(b.p50[199])
            ),
            format!("(P10–P90 {}–{} at the end)", n3(b.p10[199]), n3(b.p90[199])),
            format!("on day 100 median {}", n3(b.p50[99])),
            "over 5 runs".to_string(),
        ] {
            assert!(price.contains(&part), "{part:?} not in {price}");
        }
        let score = CommonsDaoChart::Score.summary(&r, None, None);
        let total = r.metric("score").unwrap().mean;
        assert!(
            score.starts_with(&format!("Score {} of 1000", n3(total.round()))),
            "{score}"
        );
        let conviction = CommonsDaoChart::Conviction.summary(&r, Some(&net), Some(100));
        assert!(
            conviction.starts_with("Day 100: 4 candidate proposals."),
            "{conviction}"
        );
        assert!(conviction.contains("Closest to passing: #27 at 109% of its threshold"));
        let network = CommonsDaoChart::Network.summary(&r, Some(&net), Some(100));
        assert!(
            network.starts_with("Day 100: 40 participants (5 hatchers)"),
            "{network}"
        );
        assert!(CommonsDaoChart::Proposals
            .summary(&r, None, Some(100))
            .contains("On day 100:"));

        let cp = ConvictionParams::default();
        let cr = calculate(&cp);
        let trigger = ConvictionChart::Trigger.summary(&cp, &cr);
        assert!(trigger.starts_with("A request of 5% of the funding pool (10k of 200k DAI) needs conviction 0.889 × the token supply (8.89M tokens)."), "{trigger}");
        let growth = ConvictionChart::Growth.summary(&cp, &cr);
        assert!(
            growth.contains("conviction reaches it on day 14"),
            "{growth}"
        );
        let cannot = ConvictionParams {
            request: 50_000.0,
            ..ConvictionParams::default()
        };
        let cr = calculate(&cannot);
        for c in ConvictionChart::ALL {
            let s = c.summary(&cannot, &cr);
            clean(&s);
            assert!(s.contains("cannot pass"), "{s}");
        }
    }
}
