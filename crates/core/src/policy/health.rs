//! Health metrics (spec §4, the seed's success criteria) from the record every model gives at the
//! end of each step, whatever its own records hold.

use super::engine::Intervention;
use crate::format::percent;
use crate::stats::Spread;
use serde::{Deserialize, Serialize};

/// The state of an economy at the end of a step, in the terms the policies and the health
/// metrics share (a model's own record holds more).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EconRecord {
    /// From 1.
    pub step: u32,
    pub price: f64,
    pub circulating: f64,
    pub staked: f64,
    /// Participants' liquid tokens.
    pub held: f64,
    /// This step's protocol revenue or fees, in the quote currency.
    pub revenue: f64,
    /// Of it, what came back to the token and the protocol (stakers, treasury, burn).
    pub captured: f64,
    pub treasury_usd: f64,
    pub treasury_tokens: f64,
    pub active: f64,
}

/// Staking participation: staked ÷ (staked + held); 0 with no tokens.
pub fn participation(staked: f64, held: f64) -> f64 {
    let all = staked + held;
    if all > 0.0 {
        staked / all
    } else {
        0.0
    }
}

impl EconRecord {
    pub fn participation(&self) -> f64 {
        participation(self.staked, self.held)
    }
}

/// A pass/fail rule on a metric.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    AtMost(f64),
    Between(f64, f64),
    Above(f64),
    /// The model's score at or above the user's threshold.
    Threshold,
}

impl Target {
    pub fn passes(self, value: f64, threshold: f64) -> bool {
        match self {
            Target::AtMost(x) => value <= x,
            Target::Between(a, b) => (a..=b).contains(&value),
            Target::Above(x) => value > x,
            Target::Threshold => value >= threshold,
        }
    }

    pub fn describe(self, threshold: f64, fmt: impl Fn(f64) -> String) -> String {
        match self {
            Target::AtMost(x) => format!("≤ {}", fmt(x)),
            Target::Between(a, b) => format!("{}–{}", fmt(a), fmt(b)),
            Target::Above(x) => format!("> {}", fmt(x)),
            Target::Threshold => format!("≥ {}", fmt(threshold)),
        }
    }
}

/// How a metric's values read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Fraction,
    Number,
    /// A count of whole things (people, interventions): a median of them reads whole.
    Count,
    Money,
}

impl Kind {
    pub fn format(self, x: f64) -> String {
        match self {
            Kind::Fraction => percent(x),
            Kind::Count => crate::format::fixed(libm::round(x), 0),
            // Four significant digits (counts and money in thousands: 12.3k); exact in the JSON.
            Kind::Number if x.abs() < 1e3 => crate::format::compact(x, 4),
            Kind::Number if x.abs() < 1e4 => crate::format::human(libm::round(x), 4, false),
            Kind::Number | Kind::Money => crate::format::compact(x, 3),
        }
    }
}

/// One metric of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metric {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// The seed's success criterion, if it has one.
    pub target: Option<Target>,
    pub help: &'static str,
}

/// The metrics of a run, in table order: the model's score and the seed's four criteria first.
pub const METRICS: [Metric; 10] = [
    Metric { name: "score", label: "Score", kind: Kind::Number, target: Some(Target::Threshold), help: "The model's own score; passes at or above the threshold." },
    Metric { name: "price_volatility", label: "Price volatility", kind: Kind::Fraction, target: Some(Target::AtMost(0.10)), help: "Standard deviation of month-on-month price changes over the last 12 months; stable within ±10 %." },
    Metric { name: "inflation", label: "Inflation", kind: Kind::Fraction, target: Some(Target::Between(0.02, 0.05)), help: "Growth of the circulating supply over the run, a year's worth; sustainable at 2–5 %." },
    Metric { name: "staking_participation", label: "Staking participation", kind: Kind::Fraction, target: Some(Target::Above(0.60)), help: "Staked ÷ participants' tokens at the end; high above 60 %." },
    Metric { name: "value_capture", label: "Value capture", kind: Kind::Fraction, target: Some(Target::Above(0.20)), help: "Revenue that came back to the token and the protocol (stakers, treasury, burn) ÷ all revenue; positive above 20 % (0 without revenue)." },
    Metric { name: "price_change", label: "Price change", kind: Kind::Fraction, target: None, help: "The last price against the launch price." },
    Metric { name: "max_drawdown", label: "Largest fall", kind: Kind::Fraction, target: None, help: "The largest fall of the price from an earlier high, step by step." },
    Metric { name: "active_end", label: "Participants at the end", kind: Kind::Count, target: None, help: "Active participants in the last step." },
    Metric { name: "revenue_total", label: "Revenue", kind: Kind::Money, target: None, help: "Protocol revenue or fees over the run, in the quote currency." },
    Metric { name: "treasury_end", label: "Treasury at the end", kind: Kind::Money, target: None, help: "The policies' treasury at the end: its money plus its tokens at the last price." },
];

/// Interventions are counted beside the metrics.
pub const INTERVENTIONS: &str = "interventions";

/// The index of a metric by name.
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

/// Where a run started: the launch price and supply.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Launch {
    pub price: f64,
    pub circulating: f64,
    pub steps_per_year: f64,
    /// The step whose end the launch is (0: before the first step; 1 for a market that forms in
    /// its first step): the records up to it are not growth.
    pub at_step: u32,
}

/// The metrics of one run, in [`METRICS`] order.
pub fn metrics(records: &[EconRecord], launch: Launch, score: f64) -> [f64; METRICS.len()] {
    let per_month = libm::round(launch.steps_per_year / 12.0).max(1.0) as usize;
    // Month-end prices, months counted back from the last step, so every month is whole; the
    // launch price opens the first month only if that month is whole too.
    let n = records.len();
    let ends: Vec<usize> = (0..n).filter(|i| (n - 1 - i) % per_month == 0).collect();
    let mut prices = Vec::with_capacity(ends.len() + 1);
    if ends
        .first()
        .is_some_and(|&e| e + 1 == per_month + launch.at_step as usize)
    {
        prices.push(launch.price);
    }
    prices.extend(ends.iter().map(|&i| records[i].price));
    // The last year's month-on-month changes (a launch's first moves are not its stability).
    let from = prices.len().saturating_sub(13);
    let returns: Vec<f64> = prices[from..]
        .windows(2)
        .filter(|w| w[0] > 0.0)
        .map(|w| w[1] / w[0] - 1.0)
        .collect();
    let volatility = if returns.len() < 2 {
        0.0
    } else {
        crate::stats::mean_std(&returns).1
    };
    let last = records.last().copied().unwrap_or_default();
    // A year's growth: compounded over runs of a year or more, scaled linearly over shorter
    // ones (compounding a day's growth over a year says nothing); capped at 1,000,000 %.
    let steps = records.len().saturating_sub(launch.at_step as usize) as f64;
    let inflation = if launch.circulating > 0.0 && last.circulating > 0.0 && steps > 0.0 {
        let years = steps / launch.steps_per_year;
        let ratio = last.circulating / launch.circulating;
        let x = if years >= 1.0 {
            libm::pow(ratio, 1.0 / years) - 1.0
        } else {
            (ratio - 1.0) / years
        };
        x.min(1e4)
    } else {
        0.0
    };
    let revenue: f64 = records.iter().map(|r| r.revenue).sum();
    let captured: f64 = records.iter().map(|r| r.captured).sum();
    let capture = if revenue > 0.0 {
        captured / revenue
    } else {
        0.0
    };
    let price_change = if launch.price > 0.0 {
        last.price / launch.price - 1.0
    } else {
        0.0
    };
    let mut peak = launch.price;
    let mut drawdown: f64 = 0.0;
    for r in records {
        peak = peak.max(r.price);
        if peak > 0.0 {
            drawdown = drawdown.max(1.0 - r.price / peak);
        }
    }
    [
        score,
        volatility,
        inflation,
        last.participation(),
        capture,
        price_change,
        drawdown,
        last.active,
        revenue,
        last.treasury_usd + last.treasury_tokens * last.price,
    ]
    .map(|x| if x.is_finite() { x } else { 0.0 })
}

/// A criterion's verdict for a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub metric: String,
    pub label: String,
    pub value: f64,
    pub target: String,
    pub pass: bool,
}

/// The seed's criteria for a set of metric values (one run's, or a Monte Carlo's medians).
pub fn checks(values: &[f64], threshold: f64) -> Vec<Check> {
    METRICS
        .iter()
        .zip(values)
        .filter_map(|(m, &v)| {
            let t = m.target?;
            Some(Check {
                metric: m.name.into(),
                label: m.label.into(),
                value: v,
                target: t.describe(threshold, |x| m.kind.format(x)),
                pass: t.passes(v, threshold),
            })
        })
        .collect()
}

/// One run's health: its metrics, its policies' interventions (counted) and their log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunHealth {
    /// In [`METRICS`] order.
    pub metrics: Vec<f64>,
    pub interventions: u64,
    /// The interventions kept (the first run of a Monte Carlo keeps its).
    pub log: Vec<Intervention>,
    /// The policies switched on (and fees taken).
    pub policies: Vec<String>,
}

/// A run's or a Monte Carlo's health, as the model views and commands show it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthSummary {
    /// Each metric's P10 / P50 / P90 over the runs, in [`METRICS`] order.
    pub metrics: Vec<Spread>,
    /// The seed's criteria (the score's threshold aside: that is the stress test's) at the P50.
    pub checks: Vec<Check>,
    /// Interventions a run, over the runs.
    pub interventions: Spread,
    /// The first run's interventions (at most [`super::engine::LOG_CAP`]).
    pub log: Vec<Intervention>,
    /// The policies switched on (and fees taken).
    pub policies: Vec<String>,
}

impl HealthSummary {
    /// The summary of `runs` (their logs: the first run's is kept).
    pub fn of(runs: &[&RunHealth]) -> HealthSummary {
        let metrics: Vec<Spread> = (0..METRICS.len())
            .map(|k| {
                Spread::of(
                    runs.iter()
                        .filter_map(|r| r.metrics.get(k).copied())
                        .collect(),
                )
            })
            .collect();
        let p50: Vec<f64> = metrics.iter().map(|m| m.p50).collect();
        HealthSummary {
            checks: checks(&p50, f64::NAN)
                .into_iter()
                .filter(|c| c.metric != "score")
                .collect(),
            metrics,
            interventions: Spread::of(runs.iter().map(|r| r.interventions as f64).collect()),
            log: runs.first().map(|r| r.log.clone()).unwrap_or_default(),
            policies: runs.first().map(|r| r.policies.clone()).unwrap_or_default(),
        }
    }
}
