//! dataDAO: a grassroots data cooperative's token market (spec `datadao.md`).
//!
//! * [`DdParams`] — every agent parameter of §2, the Pie of §3, the population of §4, the four
//!   switches that reproduce the reference code, and the optional membership minting of §6.
//! * [`pool`] — the constant-product pool with its fee pot and liquidity shares.
//! * [`sim`] — the world, its step, the step records and the transaction history.

pub mod pool;
pub mod sim;
pub mod stress;

#[cfg(test)]
mod model_tests;

use crate::cost::RunCost;
use crate::format::{percent, readable};
use crate::params::{
    find_preset, model_fields, real, require_at_least, ChoiceSpec, ParamIssue, ParamModel,
    ParamSpec, Preset, Scale,
};
use pool::FeePot;
use serde::{Deserialize, Serialize};
use sim::Kind;

/// How a degen reinvests its collected fees (switch `degen_reinvest`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DegenReinvest {
    /// Half the reinvested xDAI is swapped to dDT, then both are added at the pool's ratio.
    Zap,
    /// The reference: r dDT and r xDAI are added 1:1 whatever the price; the dDT comes from
    /// nowhere.
    Original,
}

/// Whether a power user may spend dDT it does not have (switch `power_overspend`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerOverspend {
    /// It spends at most what it holds.
    Forbid,
    /// The reference: after a purchase it spends the full daily amount, even if the purchase
    /// gave slightly less (its balance dips below zero).
    Original,
}

/// Where the Pie's payout goes (switch `pie_distribution`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PieDistribution {
    /// To power, active and casual users, as the seed describes.
    AsDescribed,
    /// The reference: the payout leaves the Pie and reaches nobody (a burn).
    Original,
}

/// Whether newcomers mint their starting dDT by locking CRC (§6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Minting {
    Off,
    On,
}

/// The dataDAO's parameters. Names are the same in URLs, the panel and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DdParams {
    pub total_steps: f64,
    pub entry_steps: f64,
    pub agents_per_entry: f64,
    pub fee_rate: f64,
    pub initial_degen: f64,
    pub initial_organization: f64,
    pub initial_power: f64,
    pub initial_active: f64,
    pub initial_casual: f64,
    pub share_degen: f64,
    pub share_organization: f64,
    pub share_power: f64,
    pub share_active: f64,
    pub share_casual: f64,
    pub degen_initial_ddt: f64,
    pub degen_initial_xdai: f64,
    pub degen_lp_ddt: f64,
    pub degen_lp_xdai: f64,
    pub degen_reinvest_rate: f64,
    pub org_initial_xdai: f64,
    pub org_daily_ddt_buy: f64,
    pub power_initial_ddt: f64,
    pub power_initial_xdai: f64,
    pub power_daily_spend: f64,
    pub power_max_buy_price: f64,
    pub active_initial_ddt: f64,
    pub active_daily_spend: f64,
    pub casual_initial_ddt: f64,
    pub casual_daily_spend: f64,
    pub casual_daily_sell: f64,
    pub pie_distribution_rate: f64,
    pub pie_share_power: f64,
    pub pie_share_active: f64,
    pub pie_share_casual: f64,
    pub fee_pot: FeePot,
    pub degen_reinvest: DegenReinvest,
    pub power_overspend: PowerOverspend,
    pub pie_distribution: PieDistribution,
    pub minting: Minting,
    pub mint_cap_per_weight: f64,
    pub crc_per_member: f64,
    pub quality_min: f64,
    pub quality_max: f64,
    pub quantity_median: f64,
    pub quantity_sigma: f64,
    pub seed: f64,
    /// The policies (all off by default).
    pub policy: crate::policy::PolicyParams,
}

pub const PRESETS: [Preset; 2] = [
    Preset {
        name: "as_described",
        label: "As described",
        about: "The mechanism the seed describes: fees paid pro rata, degens reinvest at the pool's ratio, no overspending, the Pie pays its members.",
    },
    Preset {
        name: "original",
        label: "Original code",
        about: "All four switches as the reference code behaves: the fee pot emptied by the first collector, dDT from nowhere, overspending, and a Pie payout that reaches nobody.",
    },
];

impl DdParams {
    /// The parameters of a preset (by `name` or `label`, case-insensitively).
    pub fn preset(name: &str) -> Option<DdParams> {
        let p = find_preset(&PRESETS, name)?;
        let mut params = DdParams::default();
        if p.name == "original" {
            params.fee_pot = FeePot::Original;
            params.degen_reinvest = DegenReinvest::Original;
            params.power_overspend = PowerOverspend::Original;
            params.pie_distribution = PieDistribution::Original;
        }
        Some(params)
    }

    pub fn seed(&self) -> u64 {
        self.seed as u64
    }

    pub fn minting_on(&self) -> bool {
        self.minting == Minting::On
    }

    /// Agents of each type at the start, in [`Kind::ALL`] order.
    pub fn initial_counts(&self) -> [u32; 5] {
        [
            self.initial_degen,
            self.initial_organization,
            self.initial_power,
            self.initial_active,
            self.initial_casual,
        ]
        .map(|x| x as u32)
    }

    /// The five population shares as written, in [`Kind::ALL`] order.
    pub fn shares(&self) -> [f64; 5] {
        [
            self.share_degen,
            self.share_organization,
            self.share_power,
            self.share_active,
            self.share_casual,
        ]
    }

    /// The sum of the five population shares (added in [`Kind::ALL`] order).
    pub fn share_sum(&self) -> f64 {
        self.shares().iter().sum()
    }

    /// Whether the shares are used in proportion (divided by their sum) because they do not add
    /// up to 1.
    pub fn shares_rescaled(&self) -> bool {
        let sum = self.share_sum();
        sum > 0.0 && (sum - 1.0).abs() > SHARE_SUM_TOLERANCE
    }

    /// The share of the population entries aim at for `kind`. Shares are weights: when they do
    /// not add up to 1 each is divided by their sum, so entries always grow the population by
    /// about `agents_per_entry` (shares adding up to more than 1 would otherwise make every entry
    /// multiply it).
    pub fn proportion(&self, kind: Kind) -> f64 {
        self.proportions()[kind as usize]
    }

    /// Every type's [`proportion`](Self::proportion), in [`Kind::ALL`] order.
    pub fn proportions(&self) -> [f64; 5] {
        let shares = self.shares();
        if self.shares_rescaled() {
            let sum = self.share_sum();
            shares.map(|x| x / sum)
        } else {
            shares
        }
    }

    /// How many agents of each type an entry adds to a population of `counts` (spec §4): the
    /// population grows to N = current + `agents_per_entry`, and each type is topped up to
    /// round-half-to-even(N × its proportion).
    pub fn entry_additions(&self, counts: [f64; 5]) -> [f64; 5] {
        entry_additions(counts, self.agents_per_entry, &self.proportions())
    }

    /// Agents acting in each step, from the first: entries depend only on the counts, so the
    /// population of every step is known before the run.
    pub fn population_by_step(&self) -> impl Iterator<Item = f64> + '_ {
        let every = (self.entry_steps as u64).max(1);
        let steps = self.total_steps as u64;
        self.population_by_entry()
            .flat_map(move |(s, n)| std::iter::repeat_n(n, (steps - s).min(every) as usize))
    }

    /// (first step, 0-based, and the population from it until the next entry) for each entry.
    fn population_by_entry(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        let mut counts = self.initial_counts().map(f64::from);
        let every = (self.entry_steps as u64).max(1);
        let proportions = self.proportions();
        (0..self.total_steps as u64)
            .step_by(every as usize)
            .map(move |s| {
                let add = entry_additions(counts, self.agents_per_entry, &proportions);
                for (c, a) in counts.iter_mut().zip(add) {
                    *c += a;
                }
                (s, counts.iter().sum())
            })
    }

    /// The run's work and memory before it starts. `transactions`: the steps whose transaction
    /// history is kept (`None`: none).
    pub fn cost(&self, transactions: Option<(u32, u32)>) -> RunCost {
        let steps = self.total_steps.max(0.0);
        let every = (self.entry_steps as u64).max(1);
        let last = self.total_steps as u64;
        let (mut work, mut agents_end, mut tx_agent_steps) = (0.0, 0.0, 0.0);
        for (s, agents) in self.population_by_entry() {
            // Steps s + 1 ..= end (counted from 1) have this population.
            let end = (s + every).min(last);
            work += agents * (end - s) as f64;
            agents_end = agents;
            if let Some((from, to)) = transactions {
                let lo = (s + 1).max(u64::from(from));
                let hi = end.min(u64::from(to));
                if hi >= lo {
                    tx_agent_steps += agents * (hi - lo + 1) as f64;
                }
            }
        }
        let memory = BYTES_BASE
            + agents_end * BYTES_PER_AGENT
            + steps * BYTES_PER_STEP
            + tx_agent_steps * BYTES_PER_TRANSACTION_AGENT_STEP;
        let tx = if transactions.is_some() {
            ", transactions kept"
        } else {
            ""
        };
        RunCost {
            work,
            unit: "agent-steps".into(),
            memory_bytes: memory,
            estimate_ms: work * NS_PER_AGENT_STEP / 1e6,
            size: format!(
                "{} agents at the end, {} steps{tx}",
                readable(agents_end),
                readable(steps)
            ),
            lower: if transactions.is_some() {
                "lower total_steps or agents_per_entry, raise entry_steps, or keep the transactions of fewer steps".into()
            } else {
                "lower total_steps or agents_per_entry, or raise entry_steps".into()
            },
        }
    }

    /// A newcomer's (dDT, xDAI).
    pub fn endowment(&self, kind: Kind) -> (f64, f64) {
        match kind {
            Kind::Degen => (self.degen_initial_ddt, self.degen_initial_xdai),
            Kind::Organization => (0.0, self.org_initial_xdai),
            Kind::Power => (self.power_initial_ddt, self.power_initial_xdai),
            Kind::Active => (self.active_initial_ddt, 0.0),
            Kind::Casual => (self.casual_initial_ddt, 0.0),
        }
    }
}

/// How many agents of each type an entry adds to a population of `counts` (spec §4).
pub(crate) fn entry_additions(
    counts: [f64; 5],
    per_entry: f64,
    proportions: &[f64; 5],
) -> [f64; 5] {
    let n = counts.iter().sum::<f64>() + per_entry;
    let mut add = [0.0; 5];
    for (k, a) in add.iter_mut().enumerate() {
        *a = (sim::round_half_even(n * proportions[k]) - counts[k]).max(0.0);
    }
    add
}

/// Shares adding up to 1 within this are used as written (so the defaults, whose sum is 1 in
/// decimal but not always in binary, keep the reference's exact numbers).
pub const SHARE_SUM_TOLERANCE: f64 = 1e-9;
/// Memory per agent: the agent (40 bytes), its index in its type's list, and the lists' spare
/// capacity (vectors double when they grow).
const BYTES_PER_AGENT: f64 = 96.0;
/// Memory per step: its record on the worker (120 bytes) and as it reaches the page.
const BYTES_PER_STEP: f64 = 600.0;
/// Memory per agent-step whose transactions are kept: up to about three transactions (a degen's
/// first step), their vector's spare capacity and their CSV text (measured: about 1 kB).
const BYTES_PER_TRANSACTION_AGENT_STEP: f64 = 1200.0;
/// What any run holds whatever its size.
const BYTES_BASE: f64 = 64.0 * 1024.0;
/// Time per agent-step, natively on one core of the reference machine (BENCHMARKS.md).
const NS_PER_AGENT_STEP: f64 = 22.0;

const fn amount(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    default: f64,
) -> ParamSpec {
    real(
        name,
        label,
        unit,
        help,
        default,
        (0.0, 1e9),
        1.0,
        Scale::Log,
        false,
    )
}

const fn fraction(
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

const fn count(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    default: f64,
) -> ParamSpec {
    real(
        name,
        label,
        "agents",
        help,
        default,
        (0.0, 1000.0),
        1.0,
        Scale::Linear,
        true,
    )
}

const fn switch(
    name: &'static str,
    label: &'static str,
    help: &'static str,
    default: &'static str,
    options: &'static [(&'static str, &'static str)],
) -> ParamSpec {
    ParamSpec::Choice(ChoiceSpec {
        name,
        label,
        help,
        default,
        options,
    })
}

const SPECS: &[ParamSpec] = &[
    real("total_steps", "Steps", "steps", "How many steps the simulation runs.", 2000.0, (1.0, 100_000.0), 100.0, Scale::Log, true),
    real("entry_steps", "Entry interval", "steps", "New agents join every this many steps (at steps 1, 1 + interval, …).", 5.0, (1.0, 10_000.0), 1.0, Scale::Linear, true),
    real("agents_per_entry", "Agents per entry", "agents", "Each entry grows the population by about this many agents.", 10.0, (0.0, 10_000.0), 1.0, Scale::Linear, true),
    real("fee_rate", "Pool fee", "fraction", "Swap fee, paid into the fee pot for liquidity providers.", 0.003, (0.0, 0.5), 0.001, Scale::Linear, false),
    count("initial_degen", "Degens at the start", "Degens present before the first step.", 4.0),
    count("initial_organization", "Organizations at the start", "Organizations present before the first step.", 1.0),
    count("initial_power", "Power users at the start", "Power users present before the first step.", 1.0),
    count("initial_active", "Active users at the start", "Active users present before the first step.", 3.0),
    count("initial_casual", "Casual users at the start", "Casual users present before the first step.", 2.0),
    fraction("share_degen", "Degen share", "Entries top degens up to this share of the population.", 0.40),
    fraction("share_organization", "Organization share", "Entries top organizations up to this share.", 0.05),
    fraction("share_power", "Power-user share", "Entries top power users up to this share.", 0.05),
    fraction("share_active", "Active-user share", "Entries top active users up to this share.", 0.30),
    fraction("share_casual", "Casual-user share", "Entries top casual users up to this share.", 0.20),
    amount("degen_initial_ddt", "Degen: starting dDT", "dDT", "dDT a degen brings.", 100.0),
    amount("degen_initial_xdai", "Degen: starting xDAI", "xDAI", "xDAI a degen brings.", 10.0),
    amount("degen_lp_ddt", "Degen: liquidity dDT", "dDT", "dDT a degen adds to the pool on its first step (it sells the rest at once).", 10.0),
    amount("degen_lp_xdai", "Degen: liquidity xDAI", "xDAI", "xDAI a degen adds to the pool on its first step.", 10.0),
    fraction("degen_reinvest_rate", "Degen: reinvested fees", "Share of collected fees a degen puts back as liquidity; it keeps the rest.", 0.5),
    amount("org_initial_xdai", "Organization: starting xDAI", "xDAI", "The organization's budget for buying compute.", 1000.0),
    amount("org_daily_ddt_buy", "Organization: dDT bought per step", "dDT", "It pays this many dDT's worth at the current price and sends what it gets to the Pie.", 2.0),
    amount("power_initial_ddt", "Power user: starting dDT", "dDT", "dDT a power user brings.", 100.0),
    amount("power_initial_xdai", "Power user: starting xDAI", "xDAI", "xDAI a power user brings to buy compute later.", 100.0),
    amount("power_daily_spend", "Power user: dDT spent per step", "dDT", "Spent on compute (into the Pie); bought when it runs out.", 2.0),
    amount("power_max_buy_price", "Power user: highest price it buys at", "xDAI/dDT", "Above this price a power user without dDT stops buying.", 2.0),
    amount("active_initial_ddt", "Active user: starting dDT", "dDT", "dDT an active user brings.", 100.0),
    amount("active_daily_spend", "Active user: dDT spent per step", "dDT", "Spent on compute while it lasts.", 1.0),
    amount("casual_initial_ddt", "Casual user: starting dDT", "dDT", "dDT a casual user brings.", 100.0),
    amount("casual_daily_spend", "Casual user: dDT spent per step", "dDT", "Spent on compute while it lasts.", 0.1),
    amount("casual_daily_sell", "Casual user: dDT sold per step", "dDT", "Sold after spending, while it has that much.", 0.9),
    fraction("pie_distribution_rate", "Pie payout per step", "Share of the Pie paid out each step; the rest stays for governance.", 0.7),
    fraction("pie_share_power", "Payout to power users", "Share of the payout split among power users (they keep it).", 0.4),
    fraction("pie_share_active", "Payout to active users", "Share of the payout split among active users (they sell it at once).", 0.4),
    fraction("pie_share_casual", "Payout to casual users", "Share of the payout split among casual users (they sell it at once).", 0.2),
    switch("fee_pot", "Fee pot", "pro_rata: each provider collects its share. original: the first collector empties the pot.", "pro_rata", &[("pro_rata", "Pro rata"), ("original", "Original code")]),
    switch("degen_reinvest", "Degen reinvestment", "zap: half swapped, added at the pool's ratio. original: r dDT (from nowhere) and r xDAI added 1:1.", "zap", &[("zap", "Zap"), ("original", "Original code")]),
    switch("power_overspend", "Power-user overspending", "forbid: never spend more than held. original: spend the full amount even if the purchase fell short.", "forbid", &[("forbid", "Forbid"), ("original", "Original code")]),
    switch("pie_distribution", "Pie payout", "as_described: to power, active and casual users. original: the payout reaches nobody (a burn).", "as_described", &[("as_described", "As described"), ("original", "Original code")]),
    switch("minting", "Membership minting", "on: newcomers mint their starting dDT by locking CRC up to cap × contribution weight (§6).", "off", &[("off", "Off"), ("on", "On")]),
    amount("mint_cap_per_weight", "Mint cap per weight", "dDT per weight", "A member may lock at most this × its contribution weight in CRC (and mints as many dDT).", 1.0),
    amount("crc_per_member", "CRC per member", "CRC", "The CRC a member has to lock.", 100.0),
    fraction("quality_min", "Data quality: lowest", "Quality is drawn uniformly between the lowest and highest.", 0.5),
    fraction("quality_max", "Data quality: highest", "Quality is drawn uniformly between the lowest and highest.", 1.0),
    amount("quantity_median", "Data quantity: median", "data units", "Quantity is log-normal with this median.", 100.0),
    real("quantity_sigma", "Data quantity: spread", "log units", "The log-normal's σ: 0 gives everyone the median.", 0.5, (0.0, 3.0), 0.05, Scale::Linear, false),
    real("seed", "Seed", "", "Seeds the contribution weights (only drawn when membership minting is on).", 42.0, (0.0, 1e15), 1.0, Scale::Linear, true),
];

impl Default for DdParams {
    fn default() -> Self {
        let mut p = DdParams {
            total_steps: 0.0,
            entry_steps: 0.0,
            agents_per_entry: 0.0,
            fee_rate: 0.0,
            initial_degen: 0.0,
            initial_organization: 0.0,
            initial_power: 0.0,
            initial_active: 0.0,
            initial_casual: 0.0,
            share_degen: 0.0,
            share_organization: 0.0,
            share_power: 0.0,
            share_active: 0.0,
            share_casual: 0.0,
            degen_initial_ddt: 0.0,
            degen_initial_xdai: 0.0,
            degen_lp_ddt: 0.0,
            degen_lp_xdai: 0.0,
            degen_reinvest_rate: 0.0,
            org_initial_xdai: 0.0,
            org_daily_ddt_buy: 0.0,
            power_initial_ddt: 0.0,
            power_initial_xdai: 0.0,
            power_daily_spend: 0.0,
            power_max_buy_price: 0.0,
            active_initial_ddt: 0.0,
            active_daily_spend: 0.0,
            casual_initial_ddt: 0.0,
            casual_daily_spend: 0.0,
            casual_daily_sell: 0.0,
            pie_distribution_rate: 0.0,
            pie_share_power: 0.0,
            pie_share_active: 0.0,
            pie_share_casual: 0.0,
            fee_pot: FeePot::ProRata,
            degen_reinvest: DegenReinvest::Zap,
            power_overspend: PowerOverspend::Forbid,
            pie_distribution: PieDistribution::AsDescribed,
            minting: Minting::Off,
            mint_cap_per_weight: 0.0,
            crc_per_member: 0.0,
            quality_min: 0.0,
            quality_max: 0.0,
            quantity_median: 0.0,
            quantity_sigma: 0.0,
            seed: 0.0,
            policy: crate::policy::PolicyParams::default(),
        };
        for s in DdParams::specs() {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl ParamModel for DdParams {
    const TAB: &'static str = "datadao";
    /// The page's Compare toggle and inspected step.
    const VIEW_KEYS: &'static [&'static str] = &["compare", "step"];

    fn specs() -> &'static [ParamSpec] {
        static CELL: std::sync::OnceLock<Vec<ParamSpec>> = std::sync::OnceLock::new();
        crate::policy::specs_for(
            &CELL,
            SPECS,
            &[
                ("treasury_start", 1_000.0, "xDAI"),
                ("band_lower", 0.8, "× first price"),
                ("band_upper", 2.0, "× first price"),
            ],
        )
    }

    model_fields! {
        reals: [
            total_steps,
            entry_steps,
            agents_per_entry,
            fee_rate,
            initial_degen,
            initial_organization,
            initial_power,
            initial_active,
            initial_casual,
            share_degen,
            share_organization,
            share_power,
            share_active,
            share_casual,
            degen_initial_ddt,
            degen_initial_xdai,
            degen_lp_ddt,
            degen_lp_xdai,
            degen_reinvest_rate,
            org_initial_xdai,
            org_daily_ddt_buy,
            power_initial_ddt,
            power_initial_xdai,
            power_daily_spend,
            power_max_buy_price,
            active_initial_ddt,
            active_daily_spend,
            casual_initial_ddt,
            casual_daily_spend,
            casual_daily_sell,
            pie_distribution_rate,
            pie_share_power,
            pie_share_active,
            pie_share_casual,
            mint_cap_per_weight,
            crc_per_member,
            quality_min,
            quality_max,
            quantity_median,
            quantity_sigma,
            seed,
        ],
        choices: [
            fee_pot: FeePot { ProRata => "pro_rata", Original => "original" },
            degen_reinvest: DegenReinvest { Zap => "zap", Original => "original" },
            power_overspend: PowerOverspend { Forbid => "forbid", Original => "original" },
            pie_distribution: PieDistribution { AsDescribed => "as_described", Original => "original" },
            minting: Minting { Off => "off", On => "on" },
        ],
        nested: policy,
    }

    fn cross_check(&mut self) -> Vec<ParamIssue> {
        let mut issues = Vec::new();
        let d = DdParams::default();
        let shares = self.pie_share_power + self.pie_share_active + self.pie_share_casual;
        if shares > 1.0 + 1e-12 {
            issues.push(ParamIssue {
                field: "pie_share_power".into(),
                message: format!(
                    "pie_share_power, pie_share_active, pie_share_casual: they add up to {}; allowed at most 1; using the defaults 0.4, 0.4, 0.2",
                    readable(shares)
                ),
            });
            self.pie_share_power = d.pie_share_power;
            self.pie_share_active = d.pie_share_active;
            self.pie_share_casual = d.pie_share_casual;
        }
        issues.extend(require_at_least(
            self,
            "quality_max",
            "quality_min",
            "at least the lowest quality",
        ));
        issues.extend(self.policy.cross_check());
        issues
    }

    fn notes(&self) -> Vec<ParamIssue> {
        let sum = self.share_sum();
        let names = SHARE_FIELDS.join(", ");
        if sum == 0.0 {
            return vec![ParamIssue {
                field: SHARE_FIELDS[0].into(),
                message: format!("{names}: all are 0, so no agent joins after the start"),
            }];
        }
        if !self.shares_rescaled() {
            return Vec::new();
        }
        let used: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} {}", k.name(), percent(self.proportion(*k))))
            .collect();
        vec![ParamIssue {
            field: SHARE_FIELDS[0].into(),
            message: format!(
                "{names}: they add up to {}, not 1, so entries use each divided by {}: {}",
                readable(sum),
                readable(sum),
                used.join(", ")
            ),
        }]
    }
}

/// The population shares' names, in [`Kind::ALL`] order.
pub const SHARE_FIELDS: [&str; 5] = [
    "share_degen",
    "share_organization",
    "share_power",
    "share_active",
    "share_casual",
];
