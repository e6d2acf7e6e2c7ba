//! The policy engine and stress scenarios (spec `policy.md`): layers that attach to any model
//! exposing the per-step hooks of §1.
//!
//! * [`PolicyParams`] — the policies of §2, each off by default, each with its own parameters;
//!   every model's parameters embed one (`--set price_stabilizer=on` in the CLI, a Policies
//!   section in the page's panel, keys in the link).
//! * [`engine`] — the [`Engine`](engine::Engine) a model's step calls at fixed points: it reads
//!   the previous step's state ([`Reading`](engine::Reading)), acts once per step through the
//!   model's [`Market`](engine::Market), and logs every intervention.
//! * [`scenario`] — stress scenarios: scheduled shocks on price, demand, arrivals and churn, the
//!   library of §3 and the text form a link and the CLI carry.
//! * [`health`] — the common per-step record every model gives ([`EconRecord`](health::EconRecord))
//!   and the seed's success criteria computed from it (§4).

pub mod engine;
pub mod health;
pub mod scenario;
#[cfg(test)]
mod tests;

use crate::format::readable;
use crate::params::{real, ChoiceSpec, ParamIssue, ParamSpec, Scale, Value};
use serde::{Deserialize, Serialize};

/// A policy's switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    Off,
    On,
}

impl Switch {
    pub fn on(self) -> bool {
        self == Switch::On
    }
}

/// The incentive curve of dynamic rewards (§2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardCurve {
    /// Rewards in proportion to contribution (quality multiplier q ÷ mean q).
    Linear,
    /// Rewards in proportion to contribution squared (q² ÷ mean q²): quality pays more.
    Quadratic,
    /// Early adoption: a network multiplier r₀·e^(−λt) that decays with time.
    Decay,
    /// A network multiplier target ÷ participation: up when participation is below the target.
    Multiplier,
}

/// Every policy's switch and parameters. Names are the same in links, the panel and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyParams {
    pub dynamic_rewards: Switch,
    pub reward_curve: RewardCurve,
    pub decay_start: f64,
    pub decay_rate: f64,
    pub multiplier_min: f64,
    pub multiplier_max: f64,
    pub participation_target: f64,
    pub inflation_controller: Switch,
    pub inflation_target: f64,
    pub max_monthly_adjustment: f64,
    pub price_stabilizer: Switch,
    pub band_lower: f64,
    pub band_upper: f64,
    pub buyback_max_share: f64,
    pub issue_max_share: f64,
    pub value_distribution: Switch,
    pub share_stakers: f64,
    pub share_treasury: f64,
    pub share_developers: f64,
    pub share_burn: f64,
    pub dynamic_staking: Switch,
    pub staking_apy_min: f64,
    pub staking_apy_max: f64,
    pub stability_fee: f64,
    pub treasury_tax: f64,
    pub fee_burn: f64,
    pub treasury_start: f64,
}

/// The policies' switches, by name (what `--set NAME=on` turns on).
pub const SWITCHES: [&str; 5] = [
    "dynamic_rewards",
    "inflation_controller",
    "price_stabilizer",
    "value_distribution",
    "dynamic_staking",
];

/// The target annual inflation's range (spec §2).
pub const INFLATION_RANGE: (f64, f64) = (0.02, 0.08);

const fn switch(name: &'static str, label: &'static str, help: &'static str) -> ParamSpec {
    ParamSpec::Choice(ChoiceSpec {
        name,
        label,
        help,
        default: "off",
        options: &[("off", "Off"), ("on", "On")],
    })
}

const fn fraction(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    default: f64,
    range: (f64, f64),
) -> ParamSpec {
    real(
        name,
        label,
        "fraction",
        help,
        default,
        range,
        0.005,
        Scale::Linear,
        false,
    )
}

const fn percent(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    default: f64,
) -> ParamSpec {
    real(
        name,
        label,
        "%",
        help,
        default,
        (0.0, 100.0),
        1.0,
        Scale::Linear,
        false,
    )
}

/// The policies' parameters, in panel order. `treasury_start` and the band are in the model's
/// quote currency and multiples of its launch price; a model may change their defaults
/// ([`specs_for`]).
pub const SPECS: [ParamSpec; 27] = [
    switch("dynamic_rewards", "Dynamic rewards", "Rewards = base × network multiplier × quality multiplier, by the incentive curve below."),
    ParamSpec::Choice(ChoiceSpec {
        name: "reward_curve",
        label: "Incentive curve",
        help: "linear: in proportion to contribution. quadratic: to contribution squared (quality pays). decay: early adopters earn r₀·e^(−λt). multiplier: rewards × target ÷ participation, clamped.",
        default: "multiplier",
        options: &[("linear", "Linear in contribution"), ("quadratic", "Quadratic in quality"), ("decay", "Exponential decay (early adoption)"), ("multiplier", "Dynamic multiplier")],
    }),
    real("decay_start", "Decay start r₀", "×", "The decay curve's multiplier at launch (r₀).", 2.0, (0.0, 10.0), 0.1, Scale::Linear, false),
    real("decay_rate", "Decay rate λ", "per year", "How fast the decay curve falls: r₀·e^(−λ·years).", 1.0, (0.0, 10.0), 0.1, Scale::Linear, false),
    real("multiplier_min", "Multiplier floor", "×", "The dynamic multiplier never goes below this.", 0.5, (0.0, 10.0), 0.1, Scale::Linear, false),
    real("multiplier_max", "Multiplier ceiling", "×", "The dynamic multiplier never goes above this (at least the floor).", 2.0, (0.0, 10.0), 0.1, Scale::Linear, false),
    fraction("participation_target", "Participation target", "The staking participation (staked ÷ participants' tokens) the dynamic multiplier, dynamic staking and the inflation controller aim for.", 0.60, (0.01, 1.0)),
    switch("inflation_controller", "Inflation controller", "Sets each step's emission from a target annual inflation (2–8 %): lower when the price fell, higher when participation is short; the rate moves toward the target by (target − rate) ÷ 12 a month, at most the adjustment below."),
    fraction("inflation_target", "Inflation target", "The controller's target annual inflation before indicators move it (kept within 2–8 %).", 0.05, INFLATION_RANGE),
    fraction("max_monthly_adjustment", "Largest monthly adjustment", "The most the controlled inflation rate moves in a month.", 0.005, (0.0, 0.05)),
    switch("price_stabilizer", "Price stabiliser", "Below the band the treasury buys tokens back (bounded by its USD); above it the protocol sells treasury tokens, then issues and sells new ones (bounded per step); inside the band nothing."),
    real("band_lower", "Band floor", "× launch price", "Below this price (a multiple of the launch price) the stabiliser buys back.", 0.8, (0.01, 1.0), 0.05, Scale::Linear, false),
    real("band_upper", "Band ceiling", "× launch price", "Above this price (a multiple of the launch price) the stabiliser sells.", 2.0, (1.0, 100.0), 0.1, Scale::Log, false),
    fraction("buyback_max_share", "Buyback per step", "The most of the treasury's USD one step's buyback spends.", 0.25, (0.0, 1.0)),
    fraction("issue_max_share", "Issuance per step", "The most the stabiliser sells in one step, as a share of the circulating supply.", 0.01, (0.0, 0.2)),
    switch("value_distribution", "Value distribution", "Protocol revenue is split among stakers (tokens bought and paid to them), the treasury, developers and a buy-and-burn; replaces the model's own use of revenue."),
    percent("share_stakers", "Stakers' share", "Revenue bought into tokens and paid to stakers pro rata (the four shares sum to 100 %).", 40.0),
    percent("share_treasury", "Treasury's share", "Revenue kept by the treasury in USD.", 30.0),
    percent("share_developers", "Developers' share", "Revenue paid out to developers (it leaves the economy).", 20.0),
    percent("share_burn", "Burn share", "Revenue that buys tokens and burns them.", 10.0),
    switch("dynamic_staking", "Dynamic staking", "The staking APY follows participation: the ceiling when nobody stakes, the floor at the participation target and above."),
    fraction("staking_apy_min", "Staking APY floor", "The dynamic APY at or above the participation target.", 0.05, (0.0, 1.0)),
    fraction("staking_apy_max", "Staking APY ceiling", "The dynamic APY when participation is zero (at least the floor).", 0.15, (0.0, 1.0)),
    fraction("stability_fee", "Stability fee", "Taken from participants' own sales into the market (0.1–1 % in the seed; 0 = off; not from leavers' or the Pie's group sales); goes to the treasury, less the burn rate.", 0.0, (0.0, 0.01)),
    fraction("treasury_tax", "Treasury tax", "Taken from rewards paid (0.5–5 % in the seed; 0 = off); goes to the treasury, less the burn rate.", 0.0, (0.0, 0.05)),
    fraction("fee_burn", "Burn rate of fees", "The share of the stability fee and the treasury tax burned instead of kept (0–50 %).", 0.0, (0.0, 0.5)),
    real("treasury_start", "Treasury at launch", "USD", "The treasury's money at launch, for buybacks.", 100_000.0, (0.0, 1e12), 10_000.0, Scale::Log, false),
];

/// A model's specs followed by the policies', with `overrides` of the policies' defaults (e.g.
/// the treasury in the model's currency), built once into `cell`.
pub fn specs_for(
    cell: &'static std::sync::OnceLock<Vec<ParamSpec>>,
    model: &'static [ParamSpec],
    overrides: &'static [(&'static str, f64, &'static str)],
) -> &'static [ParamSpec] {
    cell.get_or_init(|| {
        let mut out: Vec<ParamSpec> = model.to_vec();
        for spec in SPECS {
            let mut spec = spec;
            if let ParamSpec::Real(r) = &mut spec {
                if let Some((_, default, unit)) = overrides.iter().find(|o| o.0 == r.name) {
                    r.default = *default;
                    if !unit.is_empty() {
                        r.unit = unit;
                    }
                }
            }
            out.push(spec);
        }
        out
    })
}

/// Whether `name` is one of the policies' parameters.
pub fn is_policy_param(name: &str) -> bool {
    SPECS.iter().any(|s| s.name() == name)
}

impl Default for PolicyParams {
    fn default() -> Self {
        let mut p = PolicyParams {
            dynamic_rewards: Switch::Off,
            reward_curve: RewardCurve::Multiplier,
            decay_start: 0.0,
            decay_rate: 0.0,
            multiplier_min: 0.0,
            multiplier_max: 0.0,
            participation_target: 0.0,
            inflation_controller: Switch::Off,
            inflation_target: 0.0,
            max_monthly_adjustment: 0.0,
            price_stabilizer: Switch::Off,
            band_lower: 0.0,
            band_upper: 0.0,
            buyback_max_share: 0.0,
            issue_max_share: 0.0,
            value_distribution: Switch::Off,
            share_stakers: 0.0,
            share_treasury: 0.0,
            share_developers: 0.0,
            share_burn: 0.0,
            dynamic_staking: Switch::Off,
            staking_apy_min: 0.0,
            staking_apy_max: 0.0,
            stability_fee: 0.0,
            treasury_tax: 0.0,
            fee_burn: 0.0,
            treasury_start: 0.0,
        };
        for s in &SPECS {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

fn switch_value(s: Switch) -> Value {
    Value::Choice(if s.on() { "on" } else { "off" })
}

fn switch_of(v: Value) -> Option<Switch> {
    match v.as_choice()? {
        "on" => Some(Switch::On),
        "off" => Some(Switch::Off),
        _ => None,
    }
}

macro_rules! policy_fields {
    (switches: [$($s:ident),*], reals: [$($r:ident),*]) => {
        impl PolicyParams {
            /// The value of a policy parameter (`None` for any other name).
            pub fn get(&self, name: &str) -> Option<Value> {
                match name {
                    $(stringify!($s) => Some(switch_value(self.$s)),)*
                    $(stringify!($r) => Some(Value::Real(self.$r)),)*
                    "reward_curve" => Some(Value::Choice(match self.reward_curve {
                        RewardCurve::Linear => "linear",
                        RewardCurve::Quadratic => "quadratic",
                        RewardCurve::Decay => "decay",
                        RewardCurve::Multiplier => "multiplier",
                    })),
                    _ => None,
                }
            }

            /// Stores an already validated value; returns whether `name` was a policy parameter.
            pub fn put(&mut self, name: &str, value: Value) -> bool {
                match (name, value) {
                    $((stringify!($s), v) => {
                        if let Some(s) = switch_of(v) {
                            self.$s = s;
                        }
                    })*
                    $((stringify!($r), Value::Real(x)) => self.$r = x,)*
                    ("reward_curve", Value::Choice(c)) => {
                        self.reward_curve = match c {
                            "linear" => RewardCurve::Linear,
                            "quadratic" => RewardCurve::Quadratic,
                            "decay" => RewardCurve::Decay,
                            _ => RewardCurve::Multiplier,
                        }
                    }
                    _ => return false,
                }
                true
            }
        }
    };
}

policy_fields! {
    switches: [dynamic_rewards, inflation_controller, price_stabilizer, value_distribution, dynamic_staking],
    reals: [decay_start, decay_rate, multiplier_min, multiplier_max, participation_target,
        inflation_target, max_monthly_adjustment, band_lower, band_upper, buyback_max_share,
        issue_max_share, share_stakers, share_treasury, share_developers, share_burn,
        staking_apy_min, staking_apy_max, stability_fee, treasury_tax, fee_burn, treasury_start]
}

impl PolicyParams {
    /// Whether any policy or fee can act (when none can, a model runs its own code path: the
    /// same bits as before policies existed).
    pub fn any(&self) -> bool {
        self.dynamic_rewards.on()
            || self.inflation_controller.on()
            || self.price_stabilizer.on()
            || self.value_distribution.on()
            || self.dynamic_staking.on()
            || self.stability_fee > 0.0
            || self.treasury_tax > 0.0
    }

    /// The names of the policies switched on, in [`SWITCHES`] order, and the fees taken.
    pub fn active(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = SWITCHES
            .iter()
            .copied()
            .filter(|s| self.get(s) == Some(Value::Choice("on")))
            .collect();
        if self.stability_fee > 0.0 {
            out.push("stability_fee");
        }
        if self.treasury_tax > 0.0 {
            out.push("treasury_tax");
        }
        out
    }

    /// The four revenue shares as fractions (stakers, treasury, developers, burn).
    pub fn shares(&self) -> [f64; 4] {
        [
            self.share_stakers,
            self.share_treasury,
            self.share_developers,
            self.share_burn,
        ]
        .map(|s| s / 100.0)
    }

    /// The rules between the policies' fields: the shares sum to 100 %, each ceiling is at least
    /// its floor. A broken rule sets the fields back to their defaults and says so.
    pub fn cross_check(&mut self) -> Vec<ParamIssue> {
        let d = PolicyParams::default();
        let mut issues = Vec::new();
        let sum =
            self.share_stakers + self.share_treasury + self.share_developers + self.share_burn;
        if (sum - 100.0).abs() > 1e-9 {
            issues.push(ParamIssue {
                field: "share_stakers".into(),
                message: format!(
                    "share_stakers: the four revenue shares (stakers, treasury, developers, burn) sum to {} %; allowed a sum of exactly 100 %; using the defaults 40 / 30 / 20 / 10",
                    readable(sum)
                ),
            });
            self.share_stakers = d.share_stakers;
            self.share_treasury = d.share_treasury;
            self.share_developers = d.share_developers;
            self.share_burn = d.share_burn;
        }
        for (hi, lo, what) in [
            ("multiplier_max", "multiplier_min", "at least the floor"),
            ("staking_apy_max", "staking_apy_min", "at least the floor"),
        ] {
            let real = |p: &PolicyParams, n: &str| p.get(n).and_then(Value::as_real).unwrap_or(0.0);
            let (h, l) = (real(self, hi), real(self, lo));
            if h < l {
                issues.push(ParamIssue {
                    field: hi.into(),
                    message: format!(
                        "{hi}: {} is below {lo} ({}); allowed {what}; using the defaults of both",
                        readable(h),
                        readable(l)
                    ),
                });
                for n in [hi, lo] {
                    if let Some(v) = d.get(n) {
                        self.put(n, v);
                    }
                }
            }
        }
        issues
    }
}
