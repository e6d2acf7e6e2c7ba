//! CrowdTrain as a research subject: the seed's parameters with search ranges, its hypotheses and
//! tensions, and the composite score (spec §4, §6).

use super::montecarlo::run_score;
use super::CtParams;
use crate::cost::RunCost;
use crate::params::{ParamModel, ParamSpec};
use crate::protocol::{Command, Subject};
use crate::research::{
    specs_with_settings, Aim, Dim, DimScale, Dir, Hypothesis, Part, Researchable, RunScore,
};
use std::sync::OnceLock;

/// The CrowdTrain model, for the research engine.
pub struct CrowdTrain;

/// The parameters of the seed's `train.py`, each with the range the research searches (inside
/// its allowed range; the lockup and supply ranges do not overlap, so no proposal breaks a rule
/// between fields).
static SPACE: [Dim<CtParams>; 21] = [
    Dim {
        name: "initial_supply",
        lo: 1e6,
        hi: 5e7,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.initial_supply,
        set: |p, v| p.initial_supply = v,
    },
    Dim {
        name: "max_supply",
        lo: 5e7,
        hi: 1e9,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.max_supply,
        set: |p, v| p.max_supply = v,
    },
    Dim {
        name: "monthly_emission_rate",
        lo: 1e4,
        hi: 5e6,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.monthly_emission_rate,
        set: |p, v| p.monthly_emission_rate = v,
    },
    Dim {
        name: "halving_interval_months",
        lo: 3.0,
        hi: 48.0,
        scale: DimScale::Linear,
        integer: true,
        assumption: false,
        get: |p| p.halving_interval_months,
        set: |p, v| p.halving_interval_months = v,
    },
    Dim {
        name: "initial_token_price",
        lo: 0.01,
        hi: 10.0,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.initial_token_price,
        set: |p, v| p.initial_token_price = v,
    },
    Dim {
        name: "burn_pct_of_revenue",
        lo: 0.0,
        hi: 1.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.burn_pct_of_revenue,
        set: |p, v| p.burn_pct_of_revenue = v,
    },
    Dim {
        name: "base_staking_apy",
        lo: 0.0,
        hi: 1.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.base_staking_apy,
        set: |p, v| p.base_staking_apy = v,
    },
    Dim {
        name: "lockup_bonus_per_month",
        lo: 0.0,
        hi: 0.05,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.lockup_bonus_per_month,
        set: |p, v| p.lockup_bonus_per_month = v,
    },
    Dim {
        name: "min_lockup_months",
        lo: 0.0,
        hi: 12.0,
        scale: DimScale::Linear,
        integer: true,
        assumption: false,
        get: |p| p.min_lockup_months,
        set: |p, v| p.min_lockup_months = v,
    },
    Dim {
        name: "max_lockup_months",
        lo: 12.0,
        hi: 48.0,
        scale: DimScale::Linear,
        integer: true,
        assumption: false,
        get: |p| p.max_lockup_months,
        set: |p, v| p.max_lockup_months = v,
    },
    Dim {
        name: "base_monthly_reward_tokens",
        lo: 5.0,
        hi: 1000.0,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.base_monthly_reward_tokens,
        set: |p, v| p.base_monthly_reward_tokens = v,
    },
    Dim {
        name: "tier_reward_multipliers[1]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[0],
        set: |p, v| p.tier_reward_multipliers[0] = v,
    },
    Dim {
        name: "tier_reward_multipliers[2]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[1],
        set: |p, v| p.tier_reward_multipliers[1] = v,
    },
    Dim {
        name: "tier_reward_multipliers[3]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[2],
        set: |p, v| p.tier_reward_multipliers[2] = v,
    },
    Dim {
        name: "tier_reward_multipliers[4]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[3],
        set: |p, v| p.tier_reward_multipliers[3] = v,
    },
    Dim {
        name: "tier_reward_multipliers[5]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[4],
        set: |p, v| p.tier_reward_multipliers[4] = v,
    },
    Dim {
        name: "tier_reward_multipliers[6]",
        lo: 0.5,
        hi: 15.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: false,
        get: |p| p.tier_reward_multipliers[5],
        set: |p, v| p.tier_reward_multipliers[5] = v,
    },
    Dim {
        name: "hardware_stake_requirement",
        lo: 10.0,
        hi: 10_000.0,
        scale: DimScale::Log,
        integer: false,
        assumption: false,
        get: |p| p.hardware_stake_requirement,
        set: |p, v| p.hardware_stake_requirement = v,
    },
    Dim {
        name: "staking_churn_reduction",
        lo: 0.0,
        hi: 1.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: true,
        get: |p| p.staking_churn_reduction,
        set: |p, v| p.staking_churn_reduction = v,
    },
    Dim {
        name: "earnings_churn_reduction",
        lo: 0.0,
        hi: 1.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: true,
        get: |p| p.earnings_churn_reduction,
        set: |p, v| p.earnings_churn_reduction = v,
    },
    Dim {
        name: "nft_retention_bonus",
        lo: 0.0,
        hi: 1.0,
        scale: DimScale::Linear,
        integer: false,
        assumption: true,
        get: |p| p.nft_retention_bonus,
        set: |p, v| p.nft_retention_bonus = v,
    },
];

/// Sub-scores in the order of the score (spec §4) and of `results.tsv`.
const RETENTION: usize = 0;
const STABILITY: usize = 1;
const REVENUE: usize = 2;
const FAIRNESS: usize = 3;
const QUALIFIED: usize = 4;

use Dir::{Down, Up};

/// The seed's economics as hypotheses: per sub-score, then the seed's six tensions.
static HYPOTHESES: [Hypothesis; 24] = [
    // Retention.
    Hypothesis { aim: Aim::Part(RETENTION), moves: &[("base_staking_apy", Up)], why: "staking halves an operator's churn, and a higher APY makes more operators stake" },
    Hypothesis { aim: Aim::Part(RETENTION), moves: &[("hardware_stake_requirement", Down)], why: "operators who reach tier 4 churn at 4% a month instead of 8%" },
    Hypothesis { aim: Aim::Part(RETENTION), moves: &[("nft_retention_bonus", Up)], why: "a larger tier-3+ bonus keeps the operators who trained longest" },
    Hypothesis { aim: Aim::Part(RETENTION), moves: &[("staking_churn_reduction", Up)], why: "stakers churn less the more staking binds them" },
    Hypothesis { aim: Aim::Part(RETENTION), moves: &[("halving_interval_months", Up)], why: "Helium's lesson: rewards should not halve before revenue arrives" },
    // Stability.
    Hypothesis { aim: Aim::Part(STABILITY), moves: &[("monthly_emission_rate", Down)], why: "emissions dilute the price" },
    Hypothesis { aim: Aim::Part(STABILITY), moves: &[("burn_pct_of_revenue", Up)], why: "burns take tokens off the market and push the price up" },
    Hypothesis { aim: Aim::Part(STABILITY), moves: &[("min_lockup_months", Up)], why: "locked stakes stay out of the liquid supply that sets the price" },
    Hypothesis { aim: Aim::Part(STABILITY), moves: &[("hardware_stake_requirement", Down)], why: "revenue that starts earlier is steady through the last 12 months that stability measures" },
    Hypothesis { aim: Aim::Part(STABILITY), moves: &[("initial_supply", Up)], why: "a larger float damps the price's swings when revenue arrives" },
    // Revenue.
    Hypothesis { aim: Aim::Part(REVENUE), moves: &[("hardware_stake_requirement", Down)], why: "every 30 qualified (tier 4+) operators serve a paying customer, and the stake is what holds operators back" },
    Hypothesis { aim: Aim::Part(REVENUE), moves: &[("tier_reward_multipliers[3]", Up), ("tier_reward_multipliers[2]", Up)], why: "tier 2–3 operators save up the hardware stake sooner" },
    Hypothesis { aim: Aim::Part(REVENUE), moves: &[("base_staking_apy", Down)], why: "voluntary stakes lock up tokens operators need in hand for the hardware stake" },
    Hypothesis { aim: Aim::Part(REVENUE), moves: &[("base_monthly_reward_tokens", Up)], why: "larger rewards reach the hardware stake sooner" },
    // Fairness.
    Hypothesis { aim: Aim::Part(FAIRNESS), moves: &[("tier_reward_multipliers[6]", Down), ("tier_reward_multipliers[5]", Down)], why: "flatter rewards across tiers narrow the earnings gap" },
    Hypothesis { aim: Aim::Part(FAIRNESS), moves: &[("tier_reward_multipliers[1]", Up)], why: "newcomers, the largest group, earn more" },
    Hypothesis { aim: Aim::Part(FAIRNESS), moves: &[("lockup_bonus_per_month", Down)], why: "lockup bonuses pay most to those who already hold most" },
    // Qualified operators.
    Hypothesis { aim: Aim::Part(QUALIFIED), moves: &[("hardware_stake_requirement", Down), ("tier_reward_multipliers[3]", Up)], why: "a lower stake and better tier-3 pay let more operators qualify" },
    // The seed's tensions.
    Hypothesis { aim: Aim::Tension("emission vs stability"), moves: &[("monthly_emission_rate", Up), ("base_monthly_reward_tokens", Up)], why: "more emission funds rewards early but dilutes the price" },
    Hypothesis { aim: Aim::Tension("burn vs cash"), moves: &[("burn_pct_of_revenue", Up)], why: "burning more is deflationary but the protocol keeps less cash" },
    Hypothesis { aim: Aim::Tension("APY vs sell pressure"), moves: &[("base_staking_apy", Up), ("min_lockup_months", Up)], why: "a high APY retains operators but builds up tokens that are sold on unstaking; longer lockups hold them back" },
    Hypothesis { aim: Aim::Tension("hardware stake vs T4+ production"), moves: &[("hardware_stake_requirement", Up), ("tier_reward_multipliers[4]", Up)], why: "a high stake ensures commitment but slows advancement" },
    Hypothesis { aim: Aim::Tension("multiplier steepness vs Gini"), moves: &[("tier_reward_multipliers[6]", Up), ("tier_reward_multipliers[1]", Down)], why: "steeper rewards pull operators up the tiers but widen inequality" },
    Hypothesis { aim: Aim::Tension("halving schedule"), moves: &[("halving_interval_months", Down), ("monthly_emission_rate", Up)], why: "faster halvings are more deflationary but may cut rewards before revenue comes" },
];

const PART_LIST: [Part; 5] = [
    Part {
        name: "retention",
        label: "Retention",
        weight: 0.30,
        best: 1.0,
    },
    Part {
        name: "stability",
        label: "Price stability",
        weight: 0.25,
        best: 1.0,
    },
    Part {
        name: "revenue",
        label: "Revenue",
        weight: 0.20,
        best: 1.0,
    },
    Part {
        name: "gini",
        label: "Fairness",
        weight: 0.15,
        best: 1.0,
    },
    Part {
        name: "qualified",
        label: "Qualified operators",
        weight: 0.10,
        best: 1.0,
    },
];

impl Researchable for CrowdTrain {
    type Params = CtParams;
    const NAME: &'static str = "crowdtrain";
    const RESEARCH_TAB: &'static str = "crowdtrain-research";

    fn research_specs() -> &'static [ParamSpec] {
        static SPECS: OnceLock<Vec<ParamSpec>> = OnceLock::new();
        specs_with_settings(&SPECS, CtParams::specs())
    }

    fn command(p: &CtParams, first: u32, count: u32) -> Command {
        Command::Evaluate {
            subject: Subject::CrowdTrain(p.clone()),
            first,
            count,
        }
    }
    const PARTS: &'static [Part] = &PART_LIST;

    fn space() -> &'static [Dim<CtParams>] {
        &SPACE
    }

    fn hypotheses() -> &'static [Hypothesis] {
        &HYPOTHESES
    }

    fn runs(p: &CtParams) -> u32 {
        p.runs()
    }

    fn with_runs(p: &CtParams, seed: u64, runs: u32) -> CtParams {
        CtParams {
            seed: seed as f64,
            runs: f64::from(runs),
            ..p.clone()
        }
    }

    fn seed(p: &CtParams) -> u64 {
        p.seed()
    }

    fn cost(p: &CtParams) -> RunCost {
        p.cost(false)
    }

    fn evaluate(p: &CtParams, run: u32) -> RunScore {
        let s = run_score(p, run);
        RunScore {
            score: s.score,
            parts: vec![
                s.retention_score,
                s.stability_score,
                s.revenue_score,
                s.gini_score,
                s.qualified_score,
            ],
        }
    }
}
