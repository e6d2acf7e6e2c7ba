//! CrowdTrain: a robotics-operator workforce economy (spec `crowdtrain.md`).
//!
//! * [`CtParams`] — the 16 economy parameters of the reference world, the four switches that
//!   expose its accounting quirks (§5), and run settings (months, runs, seed, population scale).
//! * [`sim`] — the world and its monthly step, in the exact order of spec §3.
//! * [`score`] — the composite score of §4 and the Gini coefficient.
//! * [`montecarlo`] — N seeded runs, their records, and the aggregate (means, stds, bands).

pub mod montecarlo;
pub mod research;
pub mod score;
pub mod sim;
pub mod stress;

#[cfg(test)]
mod model_tests;

use crate::format::shortest;
use crate::params::{
    clip, find_preset, model_fields, real, require_at_least, ChoiceSpec, ParamIssue, ParamModel,
    ParamSpec, Preset, Scale, TextSpec,
};
use crate::policy::PolicyParams;
use serde::{Deserialize, Serialize};

/// Where operator rewards come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardSource {
    /// Reference: base × multiplier per operator, minted from nowhere.
    Fixed,
    /// The month's emission is the budget: staking yield first, the rest by tier multiplier.
    EmissionPool,
}

/// How token flows touch the circulating supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyAccounting {
    /// Reference: rewards never enter circulating supply; stakes re-enter it on churn.
    Reference,
    /// Every token paid out circulates; staked tokens are part of it; churn sells the leaver's tokens.
    Consistent,
}

/// How the token price forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceModel {
    /// Reference step 10 (its unit is really USD per million tokens).
    Reference,
    /// A constant-product pool: sales sell into it, burns buy from it, an outside trade moves it.
    Amm,
}

impl PriceModel {
    /// What the price is in, for people: the reference formula's price is a structural index (its
    /// unit is really USD per million tokens, spec §3 step 10), the AMM's a market price.
    pub fn unit(self) -> &'static str {
        match self {
            PriceModel::Reference => "price index (not USD)",
            PriceModel::Amm => "USD per token",
        }
    }
}

/// When the hardware stake is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HardwareStake {
    /// Reference: on entering tier 4, and again on entering tiers 5 and 6.
    EveryPromotion,
    /// Only on entering tier 4.
    OnceAtT4,
}

/// The CrowdTrain world's parameters and run settings. Names are the same in URLs, the panel
/// and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CtParams {
    pub initial_supply: f64,
    pub max_supply: f64,
    pub monthly_emission_rate: f64,
    pub halving_interval_months: f64,
    pub initial_token_price: f64,
    pub burn_pct_of_revenue: f64,
    pub base_staking_apy: f64,
    pub lockup_bonus_per_month: f64,
    pub min_lockup_months: f64,
    pub max_lockup_months: f64,
    pub base_monthly_reward_tokens: f64,
    pub tier_reward_multipliers: [f64; 6],
    pub hardware_stake_requirement: f64,
    pub staking_churn_reduction: f64,
    pub earnings_churn_reduction: f64,
    pub nft_retention_bonus: f64,
    pub reward_source: RewardSource,
    pub supply_accounting: SupplyAccounting,
    pub price_model: PriceModel,
    pub hardware_stake: HardwareStake,
    pub amm_usd_depth: f64,
    pub months: f64,
    pub runs: f64,
    pub seed: f64,
    pub scale: f64,
    /// The policies (all off by default).
    pub policy: PolicyParams,
}

/// The reference's tier reward multipliers, tiers 1…6.
pub const REFERENCE_MULTIPLIERS: [f64; 6] = [1.0, 1.5, 2.5, 4.0, 6.0, 10.0];

pub const PRESETS: [Preset; 2] = [
    Preset {
        name: "reference",
        label: "CrowdTrain v1 (reference)",
        about: "The public reference world with all its accounting quirks: the default.",
    },
    Preset {
        name: "consistent",
        label: "Consistent economy",
        about: "All four switches turned the other way: rewards from emission, consistent supply, an AMM price, one hardware stake.",
    },
];

impl CtParams {
    /// The parameters of a preset (by `name` or `label`, case-insensitively).
    pub fn preset(name: &str) -> Option<CtParams> {
        let p = find_preset(&PRESETS, name)?;
        let mut params = CtParams::default();
        if p.name == "consistent" {
            params.reward_source = RewardSource::EmissionPool;
            params.supply_accounting = SupplyAccounting::Consistent;
            params.price_model = PriceModel::Amm;
            params.hardware_stake = HardwareStake::OnceAtT4;
        }
        Some(params)
    }

    /// The tier multipliers as written in links: `1,1.5,2.5,4,6,10`.
    pub fn multipliers_text(&self) -> String {
        self.tier_reward_multipliers
            .iter()
            .map(|m| shortest(*m))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn months(&self) -> u32 {
        self.months as u32
    }
    pub fn runs(&self) -> u32 {
        self.runs as u32
    }
    pub fn seed(&self) -> u64 {
        self.seed as u64
    }

    /// The Monte Carlo's work and memory before it starts (`records`: kept for a CSV export).
    pub fn cost(&self, records: bool) -> crate::cost::RunCost {
        montecarlo::cost(self, records)
    }
}

const fn share(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    default: f64,
) -> ParamSpec {
    real(
        name,
        label,
        "fraction",
        help,
        default,
        (0.0, 1.0),
        0.01,
        Scale::Linear,
        false,
    )
}

const SPECS: &[ParamSpec] = &[
    real("initial_supply", "Initial supply", "tokens", "Circulating tokens at launch; also counts as already emitted.", 10_000_000.0, (0.0, 1e10), 100_000.0, Scale::Log, false),
    real("max_supply", "Maximum supply", "tokens", "Emission stops at this cap (at least the initial supply).", 100_000_000.0, (0.0, 1e11), 1_000_000.0, Scale::Log, false),
    real("monthly_emission_rate", "Monthly emission", "tokens/month", "Tokens emitted per month before any halving.", 500_000.0, (0.0, 1e9), 10_000.0, Scale::Log, false),
    real("halving_interval_months", "Halving interval", "months", "Emission halves every this many months.", 12.0, (1.0, 120.0), 1.0, Scale::Linear, true),
    real("initial_token_price", "Initial token price", "USD", "The token's price at launch.", 0.10, (1e-6, 1e6), 0.01, Scale::Log, false),
    share("burn_pct_of_revenue", "Burn share of revenue", "Share of fiat revenue used to buy tokens and burn them.", 0.30),
    real("base_staking_apy", "Base staking APY", "per year", "Yearly yield on staked tokens, before the lockup bonus.", 0.15, (0.0, 2.0), 0.01, Scale::Linear, false),
    real("lockup_bonus_per_month", "Lockup bonus", "APY per month", "Extra APY for each remaining lockup month (up to the maximum lockup).", 0.005, (0.0, 0.1), 0.001, Scale::Linear, false),
    real("min_lockup_months", "Minimum lockup", "months", "Shortest lockup; hardware stakes are locked this long.", 3.0, (0.0, 60.0), 1.0, Scale::Linear, true),
    real("max_lockup_months", "Maximum lockup", "months", "Longest lockup (at least the minimum); caps the lockup bonus.", 24.0, (0.0, 120.0), 1.0, Scale::Linear, true),
    real("base_monthly_reward_tokens", "Base monthly reward", "tokens", "Reward per operator per month at tier 1, before the tier multiplier.", 50.0, (0.0, 1e6), 1.0, Scale::Log, false),
    real("hardware_stake_requirement", "Hardware stake", "tokens", "Tokens an operator must hold, and stakes, to enter tier 4 and above.", 1000.0, (0.0, 1e7), 50.0, Scale::Log, false),
    share("staking_churn_reduction", "Churn cut for stakers", "Churn is multiplied by (1 − this) for operators with a stake.", 0.50),
    share("earnings_churn_reduction", "Churn cut for earners", "Churn is multiplied by (1 − this) when average earnings exceed $50 a month.", 0.30),
    share("nft_retention_bonus", "Churn cut at tier 3+", "Churn is multiplied by (1 − this) for operators at tier 3 or above (the NFT bonus).", 0.10),
    ParamSpec::Choice(ChoiceSpec {
        name: "reward_source",
        label: "Reward source",
        help: "fixed: base × multiplier, minted from nowhere (reference). emission_pool: the month's emission is the whole reward budget.",
        default: "fixed",
        options: &[("fixed", "Fixed (reference)"), ("emission_pool", "Emission pool")],
    }),
    ParamSpec::Choice(ChoiceSpec {
        name: "supply_accounting",
        label: "Supply accounting",
        help: "reference: rewards never circulate, stakes re-enter on churn. consistent: every paid token circulates; churn sells.",
        default: "reference",
        options: &[("reference", "Reference"), ("consistent", "Consistent")],
    }),
    ParamSpec::Choice(ChoiceSpec {
        name: "price_model",
        label: "Price model",
        help: "reference: the reference's formula (USD per million tokens). amm: a constant-product pool that sales and burns trade with.",
        default: "reference",
        options: &[("reference", "Reference"), ("amm", "AMM pool")],
    }),
    ParamSpec::Choice(ChoiceSpec {
        name: "hardware_stake",
        label: "Hardware stake taken",
        help: "every_promotion: again on entering tiers 5 and 6 (reference). once_at_t4: only on entering tier 4.",
        default: "every_promotion",
        options: &[("every_promotion", "Every promotion (reference)"), ("once_at_t4", "Once, at tier 4")],
    }),
    real("amm_usd_depth", "AMM depth", "USD", "USD in the pool at launch (with tokens worth as much at the initial price); price model amm only.", 1_000_000.0, (1_000.0, 1e12), 10_000.0, Scale::Log, false),
    real("months", "Months", "months", "How long each run lasts (the score is defined for 24).", 24.0, (1.0, 240.0), 1.0, Scale::Linear, true),
    real("runs", "Monte Carlo runs", "runs", "Runs with seeds base seed + 0, 1, 2, …", 20.0, (1.0, 1000.0), 1.0, Scale::Linear, true),
    real("seed", "Base seed", "", "Run i uses seed base + i: the same seed gives the same numbers everywhere.", 42.0, (0.0, 1e15), 1.0, Scale::Linear, true),
    real("scale", "Population scale", "×", "Multiplies the onboarding schedule (33 gives about a million operators).", 1.0, (0.01, 100.0), 0.1, Scale::Log, false),
];

/// The URL/CLI key for the six tier multipliers.
pub const MULTIPLIERS_KEY: &str = "tier_reward_multipliers";

impl Default for CtParams {
    fn default() -> Self {
        let mut p = CtParams {
            initial_supply: 0.0,
            max_supply: 0.0,
            monthly_emission_rate: 0.0,
            halving_interval_months: 0.0,
            initial_token_price: 0.0,
            burn_pct_of_revenue: 0.0,
            base_staking_apy: 0.0,
            lockup_bonus_per_month: 0.0,
            min_lockup_months: 0.0,
            max_lockup_months: 0.0,
            base_monthly_reward_tokens: 0.0,
            tier_reward_multipliers: REFERENCE_MULTIPLIERS,
            hardware_stake_requirement: 0.0,
            staking_churn_reduction: 0.0,
            earnings_churn_reduction: 0.0,
            nft_retention_bonus: 0.0,
            reward_source: RewardSource::Fixed,
            supply_accounting: SupplyAccounting::Reference,
            price_model: PriceModel::Reference,
            hardware_stake: HardwareStake::EveryPromotion,
            amm_usd_depth: 0.0,
            months: 0.0,
            runs: 0.0,
            seed: 0.0,
            scale: 0.0,
            policy: PolicyParams::default(),
        };
        for s in CtParams::specs() {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl ParamModel for CtParams {
    const TAB: &'static str = "crowdtrain";

    fn specs() -> &'static [ParamSpec] {
        static CELL: std::sync::OnceLock<Vec<ParamSpec>> = std::sync::OnceLock::new();
        crate::policy::specs_for(&CELL, SPECS, &[])
    }

    model_fields! {
        reals: [
            initial_supply,
            max_supply,
            monthly_emission_rate,
            halving_interval_months,
            initial_token_price,
            burn_pct_of_revenue,
            base_staking_apy,
            lockup_bonus_per_month,
            min_lockup_months,
            max_lockup_months,
            base_monthly_reward_tokens,
            hardware_stake_requirement,
            staking_churn_reduction,
            earnings_churn_reduction,
            nft_retention_bonus,
            amm_usd_depth,
            months,
            runs,
            seed,
            scale,
        ],
        choices: [
            reward_source: RewardSource { Fixed => "fixed", EmissionPool => "emission_pool" },
            supply_accounting: SupplyAccounting { Reference => "reference", Consistent => "consistent" },
            price_model: PriceModel { Reference => "reference", Amm => "amm" },
            hardware_stake: HardwareStake { EveryPromotion => "every_promotion", OnceAtT4 => "once_at_t4" },
        ],
        nested: policy,
    }

    fn parse_extra(&mut self, key: &str, raw: &str) -> Option<Result<(), ParamIssue>> {
        (key == MULTIPLIERS_KEY)
            .then(|| parse_multipliers(raw).map(|m| self.tier_reward_multipliers = m))
    }

    fn extra_pairs(&self) -> Vec<(String, String)> {
        if self.tier_reward_multipliers == REFERENCE_MULTIPLIERS {
            return Vec::new();
        }
        vec![(MULTIPLIERS_KEY.to_string(), self.multipliers_text())]
    }

    fn text_fields() -> &'static [TextSpec] {
        &[TextSpec {
            name: MULTIPLIERS_KEY,
            label: "Tier reward multipliers",
            unit: "× base, tiers 1…6",
            help: "The base monthly reward is multiplied by these at tiers 1 to 6.",
            allowed: "six comma-separated numbers from 0 to 1000",
            default: "1,1.5,2.5,4,6,10",
        }]
    }

    fn text_value(&self, key: &str) -> Option<String> {
        (key == MULTIPLIERS_KEY).then(|| self.multipliers_text())
    }

    fn cross_check(&mut self) -> Vec<ParamIssue> {
        [
            require_at_least(
                self,
                "max_supply",
                "initial_supply",
                "at least the initial supply",
            ),
            require_at_least(
                self,
                "max_lockup_months",
                "min_lockup_months",
                "at least the minimum",
            ),
        ]
        .into_iter()
        .flatten()
        .chain(self.policy.cross_check())
        .collect()
    }
}

fn multipliers_issue(reason: String) -> ParamIssue {
    ParamIssue {
        field: MULTIPLIERS_KEY.into(),
        message: format!(
            "{MULTIPLIERS_KEY}: {reason}; allowed six comma-separated numbers from 0 to 1000 (tiers 1…6); using the default 1,1.5,2.5,4,6,10"
        ),
    }
}

/// Reads six comma-separated multipliers (`1,1.5,2.5,4,6,10`).
pub fn parse_multipliers(raw: &str) -> Result<[f64; 6], ParamIssue> {
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    if parts.len() != 6 {
        return Err(multipliers_issue(format!("{} numbers given", parts.len())));
    }
    let mut out = [0.0; 6];
    for (o, part) in out.iter_mut().zip(&parts) {
        match part.parse::<f64>() {
            Ok(x) if x.is_finite() && (0.0..=1000.0).contains(&x) => *o = x,
            _ => {
                return Err(multipliers_issue(format!(
                    "'{}' is not a number from 0 to 1000",
                    clip(part)
                )))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode};

    #[test]
    fn defaults_are_the_reference() {
        let p = CtParams::default();
        assert_eq!(p.initial_supply, 10_000_000.0);
        assert_eq!(p.max_supply, 100_000_000.0);
        assert_eq!(p.monthly_emission_rate, 500_000.0);
        assert_eq!(p.halving_interval_months, 12.0);
        assert_eq!(p.initial_token_price, 0.10);
        assert_eq!(p.burn_pct_of_revenue, 0.30);
        assert_eq!(
            (p.base_staking_apy, p.lockup_bonus_per_month),
            (0.15, 0.005)
        );
        assert_eq!((p.min_lockup_months, p.max_lockup_months), (3.0, 24.0));
        assert_eq!(p.base_monthly_reward_tokens, 50.0);
        assert_eq!(p.tier_reward_multipliers, [1.0, 1.5, 2.5, 4.0, 6.0, 10.0]);
        assert_eq!(p.hardware_stake_requirement, 1000.0);
        assert_eq!(
            (
                p.staking_churn_reduction,
                p.earnings_churn_reduction,
                p.nft_retention_bonus
            ),
            (0.5, 0.3, 0.1)
        );
        assert_eq!((p.months(), p.runs(), p.seed(), p.scale), (24, 20, 42, 1.0));
        assert_eq!(CtParams::preset("reference"), Some(p.clone()));
        assert_eq!(CtParams::preset("CrowdTrain v1 (reference)"), Some(p));
        assert_eq!(encode(&CtParams::default()), "#crowdtrain?v=1");
    }

    #[test]
    fn consistent_preset_turns_all_four_switches() {
        let c = CtParams::preset("Consistent economy").unwrap();
        assert_eq!(c.reward_source, RewardSource::EmissionPool);
        assert_eq!(c.supply_accounting, SupplyAccounting::Consistent);
        assert_eq!(c.price_model, PriceModel::Amm);
        assert_eq!(c.hardware_stake, HardwareStake::OnceAtT4);
        assert_eq!(
            encode(&c),
            "#crowdtrain?reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&v=1"
        );
        assert!(CtParams::preset("nope").is_none());
    }

    #[test]
    fn links_round_trip_including_multipliers() {
        let p = CtParams {
            tier_reward_multipliers: [1.0, 2.0, 3.0, 4.0, 5.0, 6.5],
            months: 36.0,
            seed: 7.0,
            price_model: PriceModel::Amm,
            ..CtParams::default()
        };
        let url = encode(&p);
        assert_eq!(url, "#crowdtrain?price_model=amm&months=36&seed=7&tier_reward_multipliers=1,2,3,4,5,6.5&v=1");
        let d = decode::<CtParams>(&url);
        assert!(d.issues.is_empty(), "{:?}", d.issues);
        assert_eq!(d.model, p);
    }

    #[test]
    fn bad_values_name_the_field_and_range() {
        for (url, field, text) in [
            ("#crowdtrain?months=2.5&v=1", "months", "not a whole number"),
            ("#crowdtrain?runs=0&v=1", "runs", "allowed 1 to 1,000"),
            (
                "#crowdtrain?tier_reward_multipliers=1,2,3&v=1",
                MULTIPLIERS_KEY,
                "3 numbers given",
            ),
            (
                "#crowdtrain?tier_reward_multipliers=1,2,3,4,5,x&v=1",
                MULTIPLIERS_KEY,
                "'x' is not a number",
            ),
            (
                "#crowdtrain?max_supply=5&v=1",
                "max_supply",
                "below initial_supply",
            ),
            (
                "#crowdtrain?min_lockup_months=30&v=1",
                "max_lockup_months",
                "below min_lockup_months",
            ),
            (
                "#crowdtrain?price_model=magic&v=1",
                "price_model",
                "allowed reference | amm",
            ),
            (
                "#crowdtrain?bogus=1&v=1",
                "bogus",
                "hardware_stake, amm_usd_depth, months, runs, seed, scale, dynamic_rewards",
            ),
        ] {
            let d = decode::<CtParams>(url);
            assert_eq!(d.issues.len(), 1, "{url}: {:?}", d.issues);
            assert_eq!(d.issues[0].field, field, "{url}");
            assert!(
                d.issues[0].message.contains(text),
                "{url}: {}",
                d.issues[0].message
            );
            assert_eq!(d.model, CtParams::default(), "{url}");
        }
    }
}
