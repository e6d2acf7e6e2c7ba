//! The Commons DAO's parameters (spec §2–§5): the hatch, the curve, conviction voting, the
//! participants' behaviour and the run settings, with presets.

use crate::params::{find_preset, model_fields, real, ParamModel, ParamSpec, Preset, Scale};
use serde::{Deserialize, Serialize};

/// The DAO's parameters and run settings. Names are the same in URLs (`#commons-dao?…`), the
/// panel and the CLI (`flywheel commons sim --set …`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DaoParams {
    pub hatchers: f64,
    pub hatch_max_contribution: f64,
    pub hatch_price: f64,
    pub hatch_tribute: f64,
    pub vesting_80p_days: f64,
    pub kappa: f64,
    pub entry_tribute: f64,
    pub exit_tribute: f64,
    pub initial_proposals: f64,
    pub days_to_80p_of_max_voting_weight: f64,
    pub max_proposal_request: f64,
    pub arrival_rate: f64,
    pub newcomer_investment_mean: f64,
    pub buy_scale: f64,
    pub speculators: f64,
    pub sentiment_decay: f64,
    pub days: f64,
    pub runs: f64,
    pub seed: f64,
    /// The policies (all off by default; the Commons has a price stabiliser to use).
    pub policy: crate::policy::PolicyParams,
}

#[rustfmt::skip]
const SPECS: &[ParamSpec] = &[
    real("hatchers", "Hatchers", "people", "Founding participants; each puts in a random amount, uniform up to the maximum contribution.", 5.0, (1.0, 100.0), 1.0, Scale::Linear, true),
    real("hatch_max_contribution", "Maximum hatch contribution", "DAI", "Each hatcher contributes U(0,1) × this; the raise H is their sum.", 1_000_000.0, (1.0, 1e10), 10_000.0, Scale::Log, false),
    real("hatch_price", "Hatch price", "DAI/token", "What hatchers pay per token: the supply starts at H ÷ price, all of it vesting.", 0.1, (1e-4, 1e3), 0.01, Scale::Log, false),
    real("hatch_tribute", "Hatch tribute", "fraction", "Share of the raise sent to the funding pool; the rest backs the curve.", 0.2, (0.0, 0.95), 0.01, Scale::Linear, false),
    real("vesting_80p_days", "Vesting: 80% unlocked after", "days", "Hatch tokens unlock on a half-life curve after a cliff of two half-lives; 80% are free after this many days.", 120.0, (1.0, 3650.0), 1.0, Scale::Log, false),
    real("kappa", "Curve exponent κ", "", "Steepness of the bonding curve: the spot price is κ × reserve ÷ supply.", 2.0, (1.0, 10.0), 0.1, Scale::Linear, false),
    real("entry_tribute", "Entry tribute", "fraction", "Share of every deposit sent to the funding pool instead of the reserve (the reference has none).", 0.0, (0.0, 0.95), 0.01, Scale::Linear, false),
    real("exit_tribute", "Exit tribute", "fraction", "Share of the DAI every sale releases that goes to the funding pool; speculators pay it too.", 0.35, (0.0, 0.95), 0.01, Scale::Linear, false),
    real("initial_proposals", "Initial proposals", "proposals", "Proposals at the hatch, each asking Gamma(3) × 10,000 DAI.", 2.0, (0.0, 50.0), 1.0, Scale::Linear, true),
    real("days_to_80p_of_max_voting_weight", "Days to 80% voting weight", "days", "Staked tokens reach 80% of their maximum conviction after this many days (α = 0.2^(1/days)).", 10.0, (0.5, 365.0), 1.0, Scale::Log, false),
    real("max_proposal_request", "Maximum request β", "share of pool", "The largest share of the funding pool a proposal can ask for; ρ = ½β² sets the threshold.", 0.2, (0.01, 1.0), 0.01, Scale::Linear, false),
    real("arrival_rate", "Arrival rate", "×", "Multiplies the chance of each arrival slot (the reference's rates are 1×; capped at certainty).", 1.0, (0.0, 10.0), 0.1, Scale::Linear, false),
    real("newcomer_investment_mean", "Newcomer investment", "DAI", "Mean of the exponential investment each newcomer makes through the curve.", 100.0, (0.0, 1e8), 10.0, Scale::Log, false),
    real("buy_scale", "Buy scale", "DAI", "A happy participant (sentiment s > 0.75) buys up to (s − 0.75) × this in a day.", 70_000.0, (0.0, 1e9), 1000.0, Scale::Log, false),
    real("speculators", "Speculators", "per day", "Daily round trips of 200 + Exp(200) DAI whose exit tribute feeds the funding pool.", 5.0, (0.0, 1000.0), 1.0, Scale::Linear, true),
    real("sentiment_decay", "Sentiment decay", "per day", "Everyone's sentiment falls by this each day (never below 0).", 0.005, (0.0, 0.1), 0.001, Scale::Linear, false),
    real("days", "Days", "days", "How long each run lasts (the reference runs 730).", 730.0, (1.0, 3650.0), 1.0, Scale::Linear, true),
    real("runs", "Monte Carlo runs", "runs", "Runs with seeds base seed + 0, 1, 2, …", 20.0, (1.0, 1000.0), 1.0, Scale::Linear, true),
    real("seed", "Base seed", "", "Run i uses seed base + i: the same seed gives the same numbers everywhere.", 42.0, (0.0, 1e15), 1.0, Scale::Linear, true),
];

impl Default for DaoParams {
    fn default() -> Self {
        let mut p = DaoParams {
            hatchers: 0.0,
            hatch_max_contribution: 0.0,
            hatch_price: 0.0,
            hatch_tribute: 0.0,
            vesting_80p_days: 0.0,
            kappa: 0.0,
            entry_tribute: 0.0,
            exit_tribute: 0.0,
            initial_proposals: 0.0,
            days_to_80p_of_max_voting_weight: 0.0,
            max_proposal_request: 0.0,
            arrival_rate: 0.0,
            newcomer_investment_mean: 0.0,
            buy_scale: 0.0,
            speculators: 0.0,
            sentiment_decay: 0.0,
            days: 0.0,
            runs: 0.0,
            seed: 0.0,
            policy: crate::policy::PolicyParams::default(),
        };
        for s in DaoParams::specs() {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl ParamModel for DaoParams {
    const TAB: &'static str = "commons-dao";
    /// The inspected run and day of the page's player.
    const VIEW_KEYS: &'static [&'static str] = &["run", "day"];

    fn specs() -> &'static [ParamSpec] {
        static CELL: std::sync::OnceLock<Vec<ParamSpec>> = std::sync::OnceLock::new();
        crate::policy::specs_for(
            &CELL,
            SPECS,
            &[
                ("treasury_start", 100_000.0, "DAI"),
                ("band_lower", 0.8, "× hatch price"),
                ("band_upper", 2.0, "× hatch price"),
            ],
        )
    }

    model_fields! {
        reals: [
            hatchers,
            hatch_max_contribution,
            hatch_price,
            hatch_tribute,
            vesting_80p_days,
            kappa,
            entry_tribute,
            exit_tribute,
            initial_proposals,
            days_to_80p_of_max_voting_weight,
            max_proposal_request,
            arrival_rate,
            newcomer_investment_mean,
            buy_scale,
            speculators,
            sentiment_decay,
            days,
            runs,
            seed,
        ],
        choices: [],
        nested: policy,
    }

    fn cross_check(&mut self) -> Vec<crate::params::ParamIssue> {
        self.policy.cross_check()
    }

    /// Policies the Commons has nothing for: said, and they do nothing.
    fn notes(&self) -> Vec<crate::params::ParamIssue> {
        self.policy
            .active()
            .into_iter()
            .filter(|n| *n != "price_stabilizer")
            .map(|n| crate::params::ParamIssue {
                // Shown at the Commons' one policy field (the others are not in its panel).
                field: "price_stabilizer".to_string(),
                message: format!(
                    "{n}: the Commons has {}, so it does nothing here (the price stabiliser is the Commons' policy)",
                    match n {
                        "inflation_controller" => "no emission to control: its curve mints only against deposits",
                        "dynamic_rewards" | "dynamic_staking" => "no rewards or staking yield",
                        "value_distribution" => "its tributes already go to the funding pool",
                        _ => "no fees of this kind",
                    }
                ),
            })
            .collect()
    }
}

/// Parameters that are run settings rather than the economy: presets keep them.
pub const RUN_SETTINGS: [&str; 3] = ["days", "runs", "seed"];

pub const PRESETS: [Preset; 4] = [
    Preset {
        name: "reference",
        label: "Reference Commons",
        about: "The public Commons Stack simulator's defaults: 5 hatchers, 20% hatch tribute, 35% exit tribute, 10 days to 80% voting weight.",
    },
    Preset {
        name: "entry_tribute",
        label: "Entry and exit tribute",
        about: "5% of every deposit and 10% of every sale to the funding pool, instead of 35% of sales only.",
    },
    Preset {
        name: "patient_conviction",
        label: "Patient conviction",
        about: "80% voting weight after 30 days instead of 10: each staked token builds 3× the conviction, so more proposals pass.",
    },
    Preset {
        name: "long_vesting",
        label: "Long vesting, big hatch",
        about: "20 hatchers, hatch tokens 80% unlocked only after a year, 40% hatch tribute.",
    },
];

impl DaoParams {
    /// The parameters of a preset (by `name` or `label`, case-insensitively).
    pub fn preset(name: &str) -> Option<DaoParams> {
        let p = find_preset(&PRESETS, name)?;
        let mut d = DaoParams::default();
        match p.name {
            "entry_tribute" => {
                d.entry_tribute = 0.05;
                d.exit_tribute = 0.1;
            }
            "patient_conviction" => d.days_to_80p_of_max_voting_weight = 30.0,
            "long_vesting" => {
                d.hatchers = 20.0;
                d.vesting_80p_days = 365.0;
                d.hatch_tribute = 0.4;
            }
            _ => {}
        }
        Some(d)
    }

    pub fn days(&self) -> u32 {
        self.days as u32
    }
    pub fn runs(&self) -> u32 {
        self.runs as u32
    }
    pub fn seed(&self) -> u64 {
        self.seed as u64
    }

    /// The Monte Carlo's work and memory before it starts (`records`: kept for a CSV export).
    pub fn cost(&self, records: bool) -> crate::cost::RunCost {
        super::montecarlo::cost(self, records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{decode, encode};

    #[test]
    fn defaults_are_the_reference() {
        let p = DaoParams::default();
        assert_eq!((p.hatchers, p.initial_proposals), (5.0, 2.0));
        assert_eq!(
            (p.hatch_tribute, p.exit_tribute, p.entry_tribute),
            (0.2, 0.35, 0.0)
        );
        assert_eq!((p.kappa, p.vesting_80p_days), (2.0, 120.0));
        assert_eq!(
            (p.days_to_80p_of_max_voting_weight, p.max_proposal_request),
            (10.0, 0.2)
        );
        assert_eq!((p.days(), p.runs(), p.seed()), (730, 20, 42));
        assert_eq!((p.hatch_price, p.hatch_max_contribution), (0.1, 1e6));
        assert_eq!(encode(&p), "#commons-dao?v=1");
        assert_eq!(DaoParams::preset("reference"), Some(p));
    }

    #[test]
    fn presets_and_links_round_trip() {
        for preset in PRESETS {
            let p = DaoParams::preset(preset.name).unwrap();
            let d = decode::<DaoParams>(&encode(&p));
            assert!(d.issues.is_empty(), "{:?}", d.issues);
            assert_eq!(d.model, p, "{}", preset.name);
            assert_eq!(DaoParams::preset(preset.label), Some(p));
        }
        // The page's view keys are skipped, so the CLI takes a page's whole link.
        let d = decode::<DaoParams>("#commons-dao?kappa=3&run=2&day=100&v=1");
        assert!(d.issues.is_empty(), "{:?}", d.issues);
        assert_eq!(d.model.kappa, 3.0);
    }

    #[test]
    fn bad_values_name_the_field_and_range() {
        for (url, field, text) in [
            ("#commons-dao?days=0&v=1", "days", "allowed 1 to 3,650"),
            (
                "#commons-dao?hatchers=2.5&v=1",
                "hatchers",
                "not a whole number",
            ),
            (
                "#commons-dao?exit_tribute=1&v=1",
                "exit_tribute",
                "allowed 0 to 0.95",
            ),
        ] {
            let d = decode::<DaoParams>(url);
            assert_eq!(d.issues.len(), 1, "{url}: {:?}", d.issues);
            assert_eq!(d.issues[0].field, field);
            assert!(
                d.issues[0].message.contains(text),
                "{}",
                d.issues[0].message
            );
        }
    }
}
