//! Conviction voting (Commons spec §3): the trigger function, the conviction update, and the
//! calculator token engineers use to pick voting parameters.
//!
//! * β = `max_proposal_request`, ρ = ½β². A request r from a funding pool F with token supply S
//!   needs conviction ρ·S / (β − r/F)² if r/F < β; otherwise it cannot pass.
//! * α = 0.2^(1 / `days_to_80p_of_max_voting_weight`). Each day, conviction = staked tokens +
//!   α × yesterday's conviction, so T tokens staked for good approach T / (1 − α).

use crate::params::{model_fields, real, ParamModel, ParamSpec, Preset, Scale};
use serde::{Deserialize, Serialize};

/// ρ = `RHO_MULTIPLIER` × β².
pub const RHO_MULTIPLIER: f64 = 0.5;

/// The decay α that gives 80 % of the maximum voting weight after `days` days of staking.
pub fn alpha(days_to_80p: f64) -> f64 {
    libm::pow(0.2, 1.0 / days_to_80p)
}

/// The conviction a request of `request` DAI needs from a funding pool of `funding` DAI and a
/// token supply of `supply`, with β = `max_request` (the largest share of the pool a proposal may
/// ask for). `None` when the request cannot pass (it asks for β of the pool or more, or the pool
/// is empty).
pub fn threshold(request: f64, funding: f64, supply: f64, max_request: f64) -> Option<f64> {
    if funding <= 0.0 {
        return None;
    }
    let share = request / funding;
    if share >= max_request {
        return None;
    }
    let rho = RHO_MULTIPLIER * max_request * max_request;
    let gap = max_request - share;
    Some(rho * supply / (gap * gap))
}

/// One day of conviction: tokens staked today plus α × yesterday's conviction.
#[inline]
pub fn update(previous: f64, staked: f64, alpha: f64) -> f64 {
    staked + alpha * previous
}

/// The conviction T staked tokens approach: T / (1 − α).
pub fn max_conviction(stake: f64, alpha: f64) -> f64 {
    stake / (1.0 - alpha)
}

/// The first day (1 = the first day of staking) on which `stake` tokens staked from day 1 reach
/// `threshold`, by the same daily update as the simulation; `None` if they never do.
pub fn days_to_pass(stake: f64, alpha: f64, threshold: Option<f64>) -> Option<u32> {
    let threshold = threshold?;
    // Conviction only approaches T / (1 − α): a threshold at or above it is never reached (even
    // where floating point would round the approach up to it).
    if stake <= 0.0 || threshold >= max_conviction(stake, alpha) {
        return None;
    }
    let (mut c, mut day) = (0.0, 0u32);
    loop {
        let next = update(c, stake, alpha);
        day += 1;
        if next >= threshold {
            return Some(day);
        }
        // Conviction rises towards T / (1 − α) and stops changing in floating point once there.
        if next <= c || day == u32::MAX {
            return None;
        }
        c = next;
    }
}

/// The calculator's inputs. Names are the same in the URL (`#conviction?…`), the panel and the
/// CLI (`flywheel commons conviction --request … --set max_proposal_request=…`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvictionParams {
    pub request: f64,
    pub funding: f64,
    pub supply: f64,
    pub stake: f64,
    pub extra_stake: f64,
    pub days: f64,
    pub days_to_80p_of_max_voting_weight: f64,
    pub max_proposal_request: f64,
}

#[rustfmt::skip]
const SPECS: &[ParamSpec] = &[
    real("request", "Requested funds", "DAI", "What the proposal asks the funding pool for.", 10_000.0, (0.0, 1e12), 100.0, Scale::Log, false),
    real("funding", "Funding pool", "DAI", "DAI in the funding pool when the proposal is judged.", 200_000.0, (1.0, 1e12), 1000.0, Scale::Log, false),
    real("supply", "Token supply", "tokens", "All tokens in existence: the threshold grows with it.", 10_000_000.0, (1.0, 1e15), 10_000.0, Scale::Log, false),
    real("stake", "Tokens staked", "tokens", "Tokens staked on the proposal from day 1, as it is.", 1_500_000.0, (0.0, 1e15), 10_000.0, Scale::Log, false),
    real("extra_stake", "If I add", "tokens", "More tokens staked from day 1: the growth beside the one as it is.", 500_000.0, (0.0, 1e15), 10_000.0, Scale::Log, false),
    real("days", "Days shown", "days", "How many days of conviction growth to compute.", 60.0, (1.0, 3650.0), 1.0, Scale::Linear, true),
    real("days_to_80p_of_max_voting_weight", "Days to 80% weight", "days", "Staked tokens reach 80% of their maximum conviction after this many days (sets α).", 10.0, (0.1, 1000.0), 1.0, Scale::Log, false),
    real("max_proposal_request", "Maximum request β", "share of pool", "The largest share of the funding pool one proposal can ask for; ρ = ½β².", 0.2, (0.001, 1.0), 0.01, Scale::Linear, false),
];

impl Default for ConvictionParams {
    fn default() -> Self {
        let mut p = ConvictionParams {
            request: 0.0,
            funding: 0.0,
            supply: 0.0,
            stake: 0.0,
            extra_stake: 0.0,
            days: 0.0,
            days_to_80p_of_max_voting_weight: 0.0,
            max_proposal_request: 0.0,
        };
        for s in SPECS {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl ParamModel for ConvictionParams {
    const TAB: &'static str = "conviction";

    fn specs() -> &'static [ParamSpec] {
        SPECS
    }

    model_fields! {
        reals: [
            request,
            funding,
            supply,
            stake,
            extra_stake,
            days,
            days_to_80p_of_max_voting_weight,
            max_proposal_request,
        ],
        choices: [],
    }
}

pub const PRESETS: [Preset; 3] = [
    Preset {
        name: "reference",
        label: "Reference Commons after the hatch",
        about: "A 10,000 DAI request from the 200,000 DAI pool a 1,000,000 DAI hatch leaves, 10 million tokens.",
    },
    Preset {
        name: "large_request",
        label: "A large request",
        about: "15% of the pool, close to the 20% limit: the threshold climbs steeply.",
    },
    Preset {
        name: "slow_conviction",
        label: "Slow conviction (30 days)",
        about: "80% of the weight after 30 days instead of 10: steadier, but proposals take longer.",
    },
];

impl ConvictionParams {
    /// The parameters of a preset (by `name` or `label`, case-insensitively).
    pub fn preset(name: &str) -> Option<ConvictionParams> {
        let p = crate::params::find_preset(&PRESETS, name)?;
        let mut c = ConvictionParams::default();
        match p.name {
            "large_request" => c.request = 30_000.0,
            "slow_conviction" => c.days_to_80p_of_max_voting_weight = 30.0,
            _ => {}
        }
        Some(c)
    }

    pub fn alpha(&self) -> f64 {
        alpha(self.days_to_80p_of_max_voting_weight)
    }

    pub fn threshold(&self) -> Option<f64> {
        threshold(
            self.request,
            self.funding,
            self.supply,
            self.max_proposal_request,
        )
    }
}

/// What the calculator reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvictionReport {
    /// `None`: the request cannot pass (it asks for β of the pool or more).
    pub threshold: Option<f64>,
    pub alpha: f64,
    /// The stake's limit T / (1 − α).
    pub max_conviction: f64,
    /// First day conviction ≥ threshold with the stake from day 1; `None` if never.
    pub days_to_pass: Option<u32>,
    /// Conviction at the end of day 1, 2, … `days` with the stake as it is.
    pub conviction: Vec<f64>,
    /// The same with `extra_stake` more tokens.
    pub conviction_with_extra: Vec<f64>,
    pub max_conviction_with_extra: f64,
    pub days_to_pass_with_extra: Option<u32>,
    /// The smallest stake that passes within `days` days (`None` if the request cannot pass).
    pub stake_to_pass_in_days: Option<f64>,
}

/// Conviction after each of `days` days with `stake` tokens staked from day 1.
pub fn growth(stake: f64, alpha: f64, days: u32) -> Vec<f64> {
    let mut c = 0.0;
    (0..days)
        .map(|_| {
            c = update(c, stake, alpha);
            c
        })
        .collect()
}

/// Runs the calculator.
pub fn calculate(p: &ConvictionParams) -> ConvictionReport {
    let a = p.alpha();
    let thr = p.threshold();
    let days = p.days as u32;
    let with_extra = p.stake + p.extra_stake;
    // Conviction after n days of T staked is T·(1 − αⁿ)/(1 − α).
    let reach = 1.0 - libm::pow(a, p.days);
    ConvictionReport {
        threshold: thr,
        alpha: a,
        max_conviction: max_conviction(p.stake, a),
        days_to_pass: days_to_pass(p.stake, a, thr),
        conviction: growth(p.stake, a, days),
        conviction_with_extra: growth(with_extra, a, days),
        max_conviction_with_extra: max_conviction(with_extra, a),
        days_to_pass_with_extra: days_to_pass(with_extra, a, thr),
        stake_to_pass_in_days: thr.map(|t| t * (1.0 - a) / reach),
    }
}

/// The trigger function as a curve: (requested share of the pool, threshold as a multiple of the
/// supply) at `points` shares from 0 up to just below β, where the threshold becomes infinite.
pub fn trigger_curve(max_request: f64, points: usize) -> Vec<(f64, f64)> {
    let points = points.max(2);
    (0..points)
        .map(|i| {
            // Up to 97.5% of β: beyond, the curve leaves any useful scale.
            let share = max_request * 0.975 * i as f64 / (points - 1) as f64;
            let t = threshold(share, 1.0, 1.0, max_request).unwrap_or(f64::INFINITY);
            (share, t)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode};

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn spec_threshold_check() {
        // Spec §3: r = 10, F = 1000, S = 1e7 → 5,540,166.2.
        let t = threshold(10.0, 1000.0, 1e7, 0.2).unwrap();
        assert!(close(t, 5_540_166.2, 1e-8), "{t}");
    }

    #[test]
    fn requests_of_beta_or_more_cannot_pass() {
        assert_eq!(threshold(200.0, 1000.0, 1e7, 0.2), None);
        assert_eq!(threshold(500.0, 1000.0, 1e7, 0.2), None);
        assert_eq!(threshold(1.0, 0.0, 1e7, 0.2), None, "an empty pool");
        assert!(threshold(199.9, 1000.0, 1e7, 0.2).unwrap() > 1e11);
        // A free request needs ρ·S / β² = S / 2.
        assert!(close(threshold(0.0, 1000.0, 1e7, 0.2).unwrap(), 5e6, 1e-12));
    }

    #[test]
    fn alpha_gives_80_percent_after_the_given_days() {
        assert!(close(alpha(10.0), 0.85134, 1e-5), "{}", alpha(10.0));
        for d in [1.0, 3.0, 10.0, 30.0, 365.0] {
            let a = alpha(d);
            // After d days of a constant stake, 1 − α^d = 80% of the maximum.
            assert!(close(1.0 - libm::pow(a, d), 0.8, 1e-12));
        }
    }

    #[test]
    fn conviction_update_and_limit() {
        let a = 0.5;
        assert_eq!(update(0.0, 100.0, a), 100.0);
        assert_eq!(update(100.0, 100.0, a), 150.0);
        assert_eq!(update(150.0, 0.0, a), 75.0, "unstaked conviction decays");
        assert_eq!(growth(100.0, a, 3), vec![100.0, 150.0, 175.0]);
        assert_eq!(max_conviction(100.0, a), 200.0);
        let g = growth(100.0, alpha(10.0), 10);
        assert!(close(g[9], 0.8 * max_conviction(100.0, alpha(10.0)), 1e-12));
    }

    #[test]
    fn days_to_pass_is_the_first_day_at_the_threshold() {
        let a = 0.5;
        assert_eq!(days_to_pass(100.0, a, Some(100.0)), Some(1));
        assert_eq!(days_to_pass(100.0, a, Some(150.0)), Some(2));
        assert_eq!(days_to_pass(100.0, a, Some(151.0)), Some(3));
        assert_eq!(
            days_to_pass(100.0, a, Some(200.0)),
            None,
            "the limit is never reached"
        );
        assert_eq!(days_to_pass(100.0, a, Some(250.0)), None);
        assert_eq!(days_to_pass(100.0, a, None), None, "cannot pass");
        assert_eq!(days_to_pass(0.0, a, Some(1.0)), None, "nothing staked");
    }

    #[test]
    fn calculator_defaults() {
        let r = calculate(&ConvictionParams::default());
        // share 0.05: 0.02 × 1e7 / 0.15² = 8,888,888.9
        assert!(close(r.threshold.unwrap(), 8_888_888.888_888_89, 1e-12));
        assert!(close(
            r.max_conviction,
            1_500_000.0 / (1.0 - alpha(10.0)),
            1e-12
        ));
        assert_eq!(r.conviction.len(), 60);
        let d = r.days_to_pass.unwrap() as usize;
        assert!(r.conviction[d - 1] >= r.threshold.unwrap());
        assert!(r.conviction[d - 2] < r.threshold.unwrap());
        assert_eq!(d, 14);
        assert!(
            r.days_to_pass_with_extra.unwrap() < 14,
            "more stake passes sooner"
        );
        // The smallest stake that passes within 60 days does so on day 60.
        let s = r.stake_to_pass_in_days.unwrap();
        let g = growth(s * (1.0 + 1e-12), r.alpha, 60);
        assert!(
            g[59] >= r.threshold.unwrap()
                && growth(s * 0.999, r.alpha, 60)[59] < r.threshold.unwrap()
        );
    }

    #[test]
    fn calculator_links_and_presets() {
        assert_eq!(encode(&ConvictionParams::default()), "#conviction?v=1");
        let p = ConvictionParams::preset("large_request").unwrap();
        assert_eq!(encode(&p), "#conviction?request=30000&v=1");
        assert_eq!(
            decode::<ConvictionParams>("#conviction?request=30000&v=1").model,
            p
        );
        let bad = decode::<ConvictionParams>("#conviction?max_proposal_request=0&v=1");
        assert_eq!(bad.issues[0].field, "max_proposal_request");
    }

    #[test]
    fn trigger_curve_rises_towards_beta() {
        let c = trigger_curve(0.2, 50);
        assert_eq!(c.len(), 50);
        assert_eq!(c[0], (0.0, 0.5));
        assert!(c.windows(2).all(|w| w[1].1 > w[0].1 && w[1].0 > w[0].0));
        assert!(c[49].0 < 0.2 && c[49].1.is_finite());
    }
}
