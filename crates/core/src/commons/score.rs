//! The reference's 0–1000 dashboard score (Commons spec §5): ten parts, each capped at 1, summed,
//! × 130, rounded, kept within 0…1000.

use super::sim::World;
use crate::stats::mean_std;
use serde::{Deserialize, Serialize};

/// The ten parts: (name, label, cap).
pub const PARTS: [(&str, &str, f64); 10] = [
    ("final_price", "Final price vs 2× hatch price", 1.0),
    (
        "price_stability",
        "Mean price above hatch, in price std",
        1.0,
    ),
    ("proposals_funded", "New proposals funded", 1.0),
    ("funds_spent", "Grants beyond the hatch funds", 1.0),
    ("funding_pool", "Mean funding pool vs hatch", 1.0),
    ("final_sentiment", "Final sentiment", 1.0),
    ("mean_sentiment", "Mean sentiment", 1.0),
    ("min_sentiment", "Sentiment never below 0.5", 0.0),
    ("completion", "Completed per failed", 1.0),
    ("growth", "Participants per hatcher", 1.0),
];

/// Multiplies the sum of the parts.
pub const SCALE: f64 = 130.0;

/// What the score is computed from: one run's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreInputs {
    pub hatch_price: f64,
    pub final_price: f64,
    pub mean_price: f64,
    pub price_std: f64,
    pub funded: f64,
    pub initial_proposals: f64,
    pub funds_spent: f64,
    pub hatch_funds: f64,
    pub mean_funding_pool: f64,
    pub final_sentiment: f64,
    pub mean_sentiment: f64,
    pub min_sentiment: f64,
    pub completed: f64,
    pub failed: f64,
    pub participants: f64,
    pub hatchers: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The ten parts in [`PARTS`] order.
    pub parts: [f64; 10],
    /// round(130 × Σ parts), within 0…1000.
    pub total: f64,
}

/// `num / den`, or `if_zero` when the denominator is 0.
fn ratio(num: f64, den: f64, if_zero: f64) -> f64 {
    if den == 0.0 {
        if_zero
    } else {
        num / den
    }
}

/// The score of §5.
pub fn score(x: &ScoreInputs) -> Score {
    let penalty = |bad: bool| if bad { -0.2 } else { 0.0 };
    let cap = |v: f64| v.min(1.0);
    let above = x.mean_price - x.hatch_price;
    // A price that never moved (std 0): above the hatch price counts fully, below it as −1.
    let flat = if above > 0.0 {
        1.0
    } else if above < 0.0 {
        -1.0
    } else {
        0.0
    };
    let parts = [
        cap(x.final_price / (2.0 * x.hatch_price)) + penalty(x.final_price < 0.8 * x.hatch_price),
        cap(ratio(above, 2.0 * x.price_std, flat)) + penalty(x.mean_price < x.hatch_price),
        cap(ratio(x.funded - x.initial_proposals, 5.0 * x.funded, 0.0)),
        cap(ratio(x.funds_spent - x.hatch_funds, x.funds_spent, 0.0)),
        cap(ratio(
            x.mean_funding_pool,
            x.hatch_funds,
            f64::from(u8::from(x.mean_funding_pool > 0.0)),
        )),
        cap(x.final_sentiment) + penalty(x.final_sentiment < 0.75),
        cap(x.mean_sentiment),
        penalty(x.min_sentiment < 0.5),
        cap(ratio(
            x.completed,
            x.failed,
            f64::from(u8::from(x.completed > 0.0)),
        )),
        cap(ratio(x.participants, x.hatchers, 0.0)),
    ];
    let total = libm::round(SCALE * parts.iter().sum::<f64>()).clamp(0.0, 1000.0);
    Score { parts, total }
}

impl ScoreInputs {
    /// The inputs of a finished run.
    pub fn of(w: &World, hatch_price: f64, initial_proposals: f64, hatchers: f64) -> ScoreInputs {
        let prices: Vec<f64> = w.records.iter().map(|r| r.price).collect();
        let (mean_price, price_std) = mean_std(&prices);
        let pools: Vec<f64> = w.records.iter().map(|r| r.funding_pool).collect();
        let sentiments: Vec<f64> = w.records.iter().map(|r| r.mean_sentiment).collect();
        let last = w.records.last().copied().unwrap_or_default();
        ScoreInputs {
            hatch_price,
            final_price: last.price,
            mean_price,
            price_std,
            funded: f64::from(last.proposals_funded),
            initial_proposals,
            funds_spent: last.granted,
            hatch_funds: w.hatch_funding,
            mean_funding_pool: mean_std(&pools).0,
            final_sentiment: last.mean_sentiment,
            mean_sentiment: mean_std(&sentiments).0,
            min_sentiment: sentiments.iter().copied().fold(f64::INFINITY, f64::min),
            completed: f64::from(last.completed),
            failed: f64::from(last.failed),
            participants: f64::from(last.participants),
            hatchers,
        }
    }
}
