//! The composite score (spec §4) and the Gini coefficient.

use super::sim::MonthRecord;
use serde::{Deserialize, Serialize};

/// Gini of `values`: Σᵢ (2i − n − 1)·xᵢ / (n·Σx) over the values in ascending order, i from 1;
/// 0 if n < 2 or Σx ≤ 0. Negative values are not meaningful here (earnings) and count as 0.
pub fn gini(values: Vec<f64>) -> f64 {
    let n = values.len();
    // Non-negative floats order like their bit patterns: an integer sort is much faster.
    let mut bits: Vec<u64> = values.into_iter().map(|x| x.max(0.0).to_bits()).collect();
    let total: f64 = bits.iter().map(|b| f64::from_bits(*b)).sum();
    if n < 2 || total <= 0.0 {
        return 0.0;
    }
    bits.sort_unstable();
    let weighted: f64 = bits
        .iter()
        .enumerate()
        .map(|(i, b)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * f64::from_bits(*b))
        .sum();
    weighted / (n as f64 * total)
}

/// Targets of the score's normalisations.
pub const RETENTION_TARGET: f64 = 0.6;
pub const REVENUE_TARGET: f64 = 3_000_000.0;
pub const GINI_TARGET: f64 = 0.6;
pub const QUALIFIED_TARGET: f64 = 500.0;
/// Weights of retention, stability, revenue, fairness and qualified operators.
pub const WEIGHTS: [f64; 5] = [0.30, 0.25, 0.20, 0.15, 0.10];

/// One run's score and the metrics it reports.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub score: f64,
    pub retention_score: f64,
    pub stability_score: f64,
    pub revenue_score: f64,
    pub gini_score: f64,
    pub qualified_score: f64,
    pub retention_pct: f64,
    pub cumulative_revenue: f64,
    pub final_price: f64,
    pub peak_price: f64,
    pub gini: f64,
    pub t4_plus_operators: f64,
    pub active_operators_final: f64,
    pub total_operators_ever: f64,
}

/// Stability of the last 12 recorded prices: max(0, 1 − std/mean), × 0.3 if the final price is
/// below 20% of the peak; 0.5 with fewer than 2 prices.
pub fn stability(records: &[MonthRecord]) -> f64 {
    let prices: Vec<f64> = records.iter().map(|r| r.token_price).collect();
    if prices.len() < 2 {
        return 0.5;
    }
    let last = &prices[prices.len().saturating_sub(12)..];
    let mean = last.iter().sum::<f64>() / last.len() as f64;
    let var = last.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / last.len() as f64;
    let mut s = (1.0 - libm::sqrt(var) / mean.max(0.001)).max(0.0);
    let peak = prices.iter().cloned().fold(f64::MIN, f64::max);
    if *prices.last().expect("two prices") < 0.2 * peak {
        s *= 0.3;
    }
    s
}

/// The score of one run from its monthly records.
pub fn score(records: &[MonthRecord]) -> Score {
    let Some(end) = records.last() else {
        return Score {
            score: 0.0,
            retention_score: 0.0,
            stability_score: 0.5,
            revenue_score: 0.0,
            gini_score: 1.0,
            qualified_score: 0.0,
            retention_pct: 0.0,
            cumulative_revenue: 0.0,
            final_price: 0.0,
            peak_price: 0.0,
            gini: 0.0,
            t4_plus_operators: 0.0,
            active_operators_final: 0.0,
            total_operators_ever: 0.0,
        };
    };
    let retention = end.active_operators as f64 / (end.total_operators_ever.max(1)) as f64;
    let cumulative_revenue: f64 = records.iter().map(|r| r.revenue).sum();
    let parts = [
        (retention / RETENTION_TARGET).min(1.0),
        stability(records),
        (cumulative_revenue / REVENUE_TARGET).min(1.0),
        (1.0 - end.gini / GINI_TARGET).max(0.0),
        (end.t4_plus_operators as f64 / QUALIFIED_TARGET).min(1.0),
    ];
    Score {
        score: parts.iter().zip(WEIGHTS).map(|(s, w)| s * w).sum(),
        retention_score: parts[0],
        stability_score: parts[1],
        revenue_score: parts[2],
        gini_score: parts[3],
        qualified_score: parts[4],
        retention_pct: retention * 100.0,
        cumulative_revenue,
        final_price: end.token_price,
        peak_price: records
            .iter()
            .map(|r| r.token_price)
            .fold(f64::MIN, f64::max),
        gini: end.gini,
        t4_plus_operators: end.t4_plus_operators as f64,
        active_operators_final: end.active_operators as f64,
        total_operators_ever: end.total_operators_ever as f64,
    }
}
