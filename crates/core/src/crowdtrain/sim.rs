//! The CrowdTrain world and its monthly step (spec §2, §3), in the spec's exact order. Random
//! draws come from one seeded stream per run, in that order.

use super::score::gini;
use super::{CtParams, HardwareStake, PriceModel, RewardSource, SupplyAccounting};
use crate::policy::engine::{quality_weight, Engine, Market, Reading, Trade};
use crate::policy::health::{EconRecord, Launch};
use crate::policy::scenario::Conditions;
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// Tier names, 1…6.
pub const TIER_NAMES: [&str; 6] = [
    "Sim Academy",
    "In-the-Wild Capture",
    "Browser Teleop",
    "Facility Teleop",
    "Failure Analysis",
    "Partner Missions",
];
/// Minimum months active to be in tier 1…6.
pub const TIER_MIN_MONTHS: [u32; 6] = [0, 1, 2, 4, 6, 9];
/// Minimum skill to be in tier 1…6.
pub const TIER_MIN_SKILL: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.75, 0.9];
/// Base monthly churn by tier 1…6.
pub const BASE_CHURN: [f64; 6] = [0.18, 0.12, 0.08, 0.04, 0.03, 0.02];
/// Monthly promotion probability from tier 1…5.
pub const PROMOTION: [f64; 5] = [0.25, 0.20, 0.15, 0.10, 0.08];
/// New operators in months 1…12; later months decay by 8% from 1,500.
pub const ONBOARDING: [u32; 12] = [
    200, 400, 800, 1200, 1800, 2400, 2800, 2800, 2400, 2000, 1600, 1500,
];
/// The AMM's fee.
pub const AMM_FEE: f64 = 0.003;

/// New operators in month `m` (1-based) at population `scale`.
pub fn onboarding(m: u32, scale: f64) -> u64 {
    let base = if m == 0 {
        0.0
    } else if m <= 12 {
        ONBOARDING[m as usize - 1] as f64
    } else {
        libm::floor(1500.0 * libm::pow(0.92, (m - 12) as f64))
    };
    libm::floor(base * scale) as u64
}

/// Emission of month `m` before the cap: rate / 2^floor((m−1)/interval).
pub fn scheduled_emission(m: u32, p: &CtParams) -> f64 {
    let halvings = libm::floor((m as f64 - 1.0) / p.halving_interval_months);
    p.monthly_emission_rate / libm::pow(2.0, halvings)
}

/// Expected paying customers in month `m`: 15 / (1 + e^(−0.35(m−14))).
pub fn customers(m: u32) -> f64 {
    15.0 / (1.0 + libm::exp(-0.35 * (m as f64 - 14.0)))
}

/// One operator. Operators who churn leave the world.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operator {
    /// 1…6.
    pub tier: u8,
    pub months_active: u32,
    pub skill: f64,
    pub held: f64,
    pub staked: f64,
    pub lockup: u32,
    pub cumulative_earnings_usd: f64,
}

impl Operator {
    fn newcomer() -> Self {
        Operator {
            tier: 1,
            months_active: 0,
            skill: 0.0,
            held: 0.0,
            staked: 0.0,
            lockup: 0,
            cumulative_earnings_usd: 0.0,
        }
    }
}

/// A constant-product pool of tokens and USD (price model `amm`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    pub tokens: f64,
    pub usd: f64,
}

impl Pool {
    pub fn price(&self) -> f64 {
        self.usd / self.tokens
    }
    /// Sells `tokens` into the pool; returns the USD paid out.
    pub fn sell_tokens(&mut self, tokens: f64) -> f64 {
        if tokens <= 0.0 {
            return 0.0;
        }
        let k = self.tokens * self.usd;
        let new_tokens = self.tokens + tokens * (1.0 - AMM_FEE);
        let out = self.usd - k / new_tokens;
        self.tokens += tokens;
        self.usd -= out;
        out
    }
    /// Buys tokens with `usd`; returns the tokens taken out.
    pub fn buy_tokens(&mut self, usd: f64) -> f64 {
        if usd <= 0.0 {
            return 0.0;
        }
        let k = self.tokens * self.usd;
        let new_usd = self.usd + usd * (1.0 - AMM_FEE);
        let out = self.tokens - k / new_usd;
        self.usd += usd;
        self.tokens -= out;
        out
    }
    /// An outside trade that moves the price by `factor` (the product of reserves kept).
    pub fn move_price(&mut self, factor: f64) {
        let k = self.tokens * self.usd;
        let target = self.price() * factor;
        self.tokens = libm::sqrt(k / target);
        self.usd = k / self.tokens;
    }
}

/// CrowdTrain's market as the policies trade in it: the pool, or the reference price (buys and
/// sells change the supply, and the price formula of step 10 answers).
struct CtMarket<'a> {
    pool: Option<&'a mut Pool>,
    price: f64,
}

impl Market for CtMarket<'_> {
    fn price(&self) -> f64 {
        self.pool.as_ref().map_or(self.price, |p| p.price())
    }
    /// The pool takes every trade, dust too (its rounding may give 0 back).
    fn buy(&mut self, usd: f64) -> Trade {
        let usd = usd.max(0.0);
        match &mut self.pool {
            Some(pool) => {
                let tokens = pool.buy_tokens(usd);
                Trade::done(usd, tokens)
            }
            None => Trade::done(usd, usd / self.price.max(0.001)),
        }
    }
    fn sell(&mut self, tokens: f64) -> Trade {
        let tokens = tokens.max(0.0);
        match &mut self.pool {
            Some(pool) => {
                let usd = pool.sell_tokens(tokens);
                Trade::done(tokens, usd)
            }
            None => Trade::done(tokens, tokens * self.price),
        }
    }
    fn usd_to_reach(&self, target: f64) -> Option<f64> {
        let pool = self.pool.as_ref()?;
        let usd = libm::sqrt(pool.tokens * pool.usd * target);
        Some(((usd - pool.usd) / (1.0 - AMM_FEE)).max(0.0))
    }
    fn tokens_to_reach(&self, target: f64) -> Option<f64> {
        let pool = self.pool.as_ref()?;
        let tokens = libm::sqrt(pool.tokens * pool.usd / target);
        Some(((tokens - pool.tokens) / (1.0 - AMM_FEE)).max(0.0))
    }
}

/// What is recorded at the end of each month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthRecord {
    pub month: u32,
    pub active_operators: u64,
    pub total_operators_ever: u64,
    pub new_operators: u64,
    pub churned: u64,
    pub t4_plus_operators: u64,
    /// Active operators in tiers 1…6.
    pub operators_per_tier: [u64; 6],
    pub circulating_supply: f64,
    pub emission: f64,
    pub burned: f64,
    pub burned_total: f64,
    pub staked_total: f64,
    /// Rounded to 6 decimals, as the reference records it (later churn reads these).
    pub token_price: f64,
    pub revenue: f64,
    pub rewards_paid: f64,
    pub gini: f64,
    pub tokens_sold: f64,
    /// Operators who ever reached tiers 1…6 so far (tier 1: everyone onboarded), churned or not.
    pub reached_tier: [u64; 6],
}

/// Promotes an operator whose promotion draw succeeded (spec §3 step 6): entering tier 4 (and,
/// with `every_promotion`, tiers 5 and 6) needs the hardware stake in hand — without it nothing
/// happens — and moves it from held to staked with the minimum lockup. Returns whether the
/// operator moved up.
pub fn promote(o: &mut Operator, p: &CtParams) -> bool {
    let next = o.tier + 1;
    let stake_needed =
        next >= 4 && (p.hardware_stake == HardwareStake::EveryPromotion || next == 4);
    if stake_needed {
        if o.held < p.hardware_stake_requirement {
            return false;
        }
        let amount = o.held.min(p.hardware_stake_requirement);
        o.held -= amount;
        o.staked += amount;
        o.lockup = p.min_lockup_months as u32;
    }
    o.tier = next;
    true
}

/// An operator's churn probability this month (spec §3 step 11): the tier's base churn, cut for
/// stakers, earners (over $50 a month on average) and tier 3+, raised by half when the price is
/// falling, clamped to [0.005, 0.5].
pub fn churn_probability(o: &Operator, p: &CtParams, price_falling: bool) -> f64 {
    ChurnTable::new(p, price_falling, 1.0).of(o)
}

/// The month's churn probabilities for every tier, staker or not, earner or not: the churn pass
/// looks them up instead of multiplying per operator (the same products, so the same bits).
pub struct ChurnTable([[f64; 4]; 6]);

impl ChurnTable {
    /// The table for a month; `factor` (a scenario's churn shock, 1 without one) multiplies every
    /// probability before the clamp.
    pub fn new(p: &CtParams, price_falling: bool, factor: f64) -> Self {
        let mut table = [[0.0; 4]; 6];
        for (tier, row) in (1u8..).zip(table.iter_mut()) {
            for (k, c) in row.iter_mut().enumerate() {
                let (staker, earner) = (k & 2 != 0, k & 1 != 0);
                *c = BASE_CHURN[tier as usize - 1];
                if staker {
                    *c *= 1.0 - p.staking_churn_reduction;
                }
                if earner {
                    *c *= 1.0 - p.earnings_churn_reduction;
                }
                if tier >= 3 {
                    *c *= 1.0 - p.nft_retention_bonus;
                }
                if price_falling {
                    *c *= 1.5;
                }
                *c *= factor;
                *c = c.clamp(0.005, 0.5);
            }
        }
        ChurnTable(table)
    }

    /// The churn probability of `o`.
    #[inline]
    pub fn of(&self, o: &Operator) -> f64 {
        // Average monthly earnings above $50 (multiplied out: no division per operator).
        let earner = o.cumulative_earnings_usd > 50.0 * (o.months_active.max(1) as f64);
        let k = usize::from(o.staked > 0.0) * 2 + usize::from(earner);
        self.0[(o.tier as usize - 1).min(5)][k]
    }
}

impl MonthRecord {
    /// The recorded quantities by name, in a fixed order (CSV columns, Monte Carlo bands); the
    /// per-tier counts are separate.
    pub fn fields(&self) -> [(&'static str, f64); 15] {
        [
            ("active_operators", self.active_operators as f64),
            ("total_operators_ever", self.total_operators_ever as f64),
            ("new_operators", self.new_operators as f64),
            ("churned", self.churned as f64),
            ("t4_plus_operators", self.t4_plus_operators as f64),
            ("circulating_supply", self.circulating_supply),
            ("emission", self.emission),
            ("burned", self.burned),
            ("burned_total", self.burned_total),
            ("staked_total", self.staked_total),
            ("token_price", self.token_price),
            ("revenue", self.revenue),
            ("rewards_paid", self.rewards_paid),
            ("gini", self.gini),
            ("tokens_sold", self.tokens_sold),
        ]
    }
}

/// One run's world.
#[derive(Clone, Debug)]
pub struct World {
    pub month: u32,
    /// Active operators, in joining order.
    pub operators: Vec<Operator>,
    pub total_operators_ever: u64,
    pub circulating: f64,
    pub total_emitted: f64,
    pub price: f64,
    pub burned_total: f64,
    /// Operators who ever reached tiers 1…6.
    pub reached_tier: [u64; 6],
    pub pool: Option<Pool>,
    pub records: Vec<MonthRecord>,
    /// Whether every month's record gets the Gini of earnings (a sort of every active operator's
    /// earnings, about a fifth of the work), or only the last month's, which is all the score reads.
    monthly_gini: bool,
    /// The policies, when any is on (`None`: the model's own code path, the same bits as before
    /// policies existed).
    pub engine: Option<Engine>,
    /// A stress scenario's factors, month by month (empty: none).
    conditions: Vec<Conditions>,
    /// The state every model records for the policies and the health metrics, month by month.
    pub econ: Vec<EconRecord>,
    rng: Rng,
}

impl World {
    /// A fresh world for run seed `seed`.
    pub fn new(p: &CtParams, seed: u64) -> Self {
        let pool = (p.price_model == PriceModel::Amm).then(|| Pool {
            tokens: p.amm_usd_depth / p.initial_token_price,
            usd: p.amm_usd_depth,
        });
        World {
            month: 0,
            operators: Vec::new(),
            total_operators_ever: 0,
            circulating: p.initial_supply,
            total_emitted: p.initial_supply,
            price: p.initial_token_price,
            burned_total: 0.0,
            reached_tier: [0; 6],
            pool,
            records: Vec::with_capacity(p.months() as usize),
            monthly_gini: true,
            engine: p
                .policy
                .any()
                .then(|| Engine::new(&p.policy, 12.0, p.initial_token_price, true)),
            conditions: Vec::new(),
            econ: Vec::with_capacity(p.months() as usize),
            rng: rng::stream(seed, 0),
        }
    }

    /// A fresh world under a stress scenario's month-by-month `conditions`, its policies keeping
    /// no log (only counts).
    pub fn stressed(p: &CtParams, seed: u64, conditions: Vec<Conditions>) -> Self {
        let mut w = World::new(p, seed);
        if let Some(e) = &mut w.engine {
            e.log = None;
        }
        w.conditions = conditions;
        w
    }

    /// The same world computing only what the score reads (see [`World::for_score`]).
    /// Ends the run: the policies log what they summed over the last month.
    pub fn finish(&mut self) {
        if let Some(e) = &mut self.engine {
            e.finish();
        }
    }

    pub fn scores_only(self) -> Self {
        World {
            monthly_gini: false,
            ..self
        }
    }

    /// Where the run started, for the health metrics.
    pub fn launch(p: &CtParams) -> Launch {
        Launch {
            price: p.initial_token_price,
            circulating: p.initial_supply,
            steps_per_year: 12.0,
            at_step: 0,
        }
    }

    /// What the policies read at the start of month `m`: the end of the month before.
    fn reading(&self, m: u32, p: &CtParams) -> Reading {
        let last = self.econ.last();
        let before = self.econ.len().checked_sub(2).map(|i| self.econ[i]);
        Reading {
            step: m,
            price: last.map_or(p.initial_token_price, |r| r.price),
            prev_price: before.map_or(p.initial_token_price, |r| r.price),
            circulating: self.circulating,
            staked: last.map_or(0.0, |r| r.staked),
            held: last.map_or(0.0, |r| r.held),
            revenue: last.map_or(0.0, |r| r.revenue),
            active: last.map_or(0.0, |r| r.active),
        }
    }

    /// A fresh world that computes only what the score reads: the Gini of earnings of the last
    /// month (`p.months()`), not of the months before, whose records hold NaN there. Everything
    /// else, draws included, is the same bits as [`World::new`]'s.
    pub fn for_score(p: &CtParams, seed: u64) -> Self {
        World {
            monthly_gini: false,
            ..World::new(p, seed)
        }
    }

    /// Advances one month (spec §3, steps 1–13) and returns its record.
    pub fn step(&mut self, p: &CtParams) -> &MonthRecord {
        self.month += 1;
        let m = self.month;
        let consistent = p.supply_accounting == SupplyAccounting::Consistent;
        // The generator lives in a local for the month (written back at the end), so that the
        // per-operator loops can keep its state in registers.
        let mut rng = self.rng.clone();
        let rng = &mut rng;
        // A scenario's shocks this month (all 1 without one: the same bits).
        let shock = self
            .conditions
            .get(m as usize - 1)
            .copied()
            .unwrap_or_default();
        // The policies read the end of last month and set this month's rates.
        let reading = self.reading(m, p);
        let plan = self
            .engine
            .as_mut()
            .map(|e| e.begin(&reading))
            .unwrap_or_default();

        // 1. Emission (the inflation controller's, when on).
        let mut e = scheduled_emission(m, p);
        if let Some(engine) = &mut self.engine {
            e = engine.emission(m, e, self.circulating);
        }
        if self.total_emitted + e > p.max_supply {
            e = (p.max_supply - self.total_emitted).max(0.0);
        }
        self.circulating += e;
        self.total_emitted += e;

        // The stabiliser trades at last month's price (issuing at most up to the maximum supply).
        if let Some(engine) = &mut self.engine {
            engine.issue_room = (p.max_supply - self.total_emitted).max(0.0);
            let mut market = CtMarket {
                pool: self.pool.as_mut(),
                price: self.price,
            };
            let done = engine.stabilize(m, &mut market, self.circulating);
            self.circulating += done.sold - done.bought;
            self.total_emitted += done.issued;
        }

        // 2. Onboarding; 3. the active list is `self.operators` (churned operators were removed).
        let newcomers = onboarding(m, p.scale * shock.arrivals);
        self.operators.extend(std::iter::repeat_n(
            Operator::newcomer(),
            newcomers as usize,
        ));
        self.total_operators_ever += newcomers;
        self.reached_tier[0] += newcomers;

        // 4. Revenue.
        // Newcomers are tier 1, so the T4+ count at the start of the month is last month's.
        let t4_start = self.records.last().map_or(0, |r| r.t4_plus_operators) as usize;
        let revenue = if m <= 3 {
            0.0
        } else {
            let serviceable = (t4_start / 30) as f64;
            let actual = customers(m).min(serviceable);
            if actual < 0.5 {
                0.0
            } else {
                actual * 25_000.0 * rng::normal(rng, 1.0, 0.15).max(0.5) * shock.demand
            }
        };

        // 5. Burn, at last month's price — or value distribution's split of revenue.
        let mut market = CtMarket {
            pool: self.pool.as_mut(),
            price: self.price,
        };
        let routed = self
            .engine
            .as_mut()
            .and_then(|e| e.route_revenue(m, revenue, &mut market));
        let (burned, stakers_tokens, captured) = match routed {
            Some(r) => (
                r.burned,
                r.stakers_tokens,
                self.engine.as_ref().map_or(0.0, |e| e.captured),
            ),
            None => {
                let budget = revenue * p.burn_pct_of_revenue;
                let burned = match &mut self.pool {
                    Some(pool) => pool.buy_tokens(budget),
                    None => budget / self.price.max(0.001),
                };
                (burned, 0.0, budget)
            }
        };
        self.circulating -= burned;
        self.burned_total += burned;

        // 6. Each operator: experience, skill, promotion, reward.
        let last_price = self.price;
        let base_apy = plan.staking_apy.unwrap_or(p.base_staking_apy);
        let apy_of = |o: &Operator| {
            base_apy + p.lockup_bonus_per_month * (o.lockup as f64).min(p.max_lockup_months)
        };
        let fixed = p.reward_source == RewardSource::Fixed;
        let normal = rng::Normal::new();
        let mut rewards_paid = 0.0;
        let (ops, reached) = (&mut self.operators, &mut self.reached_tier);
        // Value distribution's tokens for stakers, pro rata to stakes held at the month's start.
        if stakers_tokens > 0.0 {
            let stakes: f64 = ops.iter().map(|o| o.staked).sum();
            if stakes > 0.0 {
                for o in ops.iter_mut().filter(|o| o.staked > 0.0) {
                    let t = stakers_tokens * o.staked / stakes;
                    o.held += t;
                    o.cumulative_earnings_usd += t * last_price;
                }
                if !consistent {
                    // Reference accounting: operators' tokens are outside the circulating supply.
                    self.circulating -= stakers_tokens;
                }
            } else if let Some(engine) = &mut self.engine {
                engine.unpaid(stakers_tokens);
                self.circulating -= stakers_tokens;
            }
        }
        // Dynamic rewards: the network multiplier, and a quality curve's weight of each operator's
        // skill at the month's start over the mean weight; the treasury tax's kept share.
        let keep = self.engine.as_ref().map_or(1.0, Engine::reward_keep);
        let mut gross_paid = 0.0;
        let mut extra = 0.0;
        let mean_weight = plan.quality.map(|c| {
            let n = ops.len().max(1) as f64;
            let w = ops.iter().map(|o| quality_weight(c, o.skill)).sum::<f64>() / n;
            (c, w)
        });
        let quality_of = |skill: f64| match mean_weight {
            Some((c, w)) if w > 0.0 => quality_weight(c, skill) / w,
            Some(_) => 1.0,
            None => 1.0,
        };
        let mut qualities: Vec<f64> = Vec::new();
        for o in ops.iter_mut() {
            if mean_weight.is_some() {
                qualities.push(quality_of(o.skill));
            }
            let skill_step = (0.03 + normal.draw(rng, 0.01, 0.005)).max(0.0);
            o.months_active += 1;
            o.skill = (o.skill + skill_step).min(1.0);
            let tier = o.tier as usize; // 1-based; index `tier` is the next tier's gate
            if tier < 6
                && o.months_active >= TIER_MIN_MONTHS[tier]
                && o.skill >= TIER_MIN_SKILL[tier]
                && rng::uniform(rng) < PROMOTION[tier - 1]
                && promote(o, p)
            {
                reached[o.tier as usize - 1] += 1;
            }
            if fixed {
                let mut reward =
                    p.base_monthly_reward_tokens * p.tier_reward_multipliers[o.tier as usize - 1];
                if mean_weight.is_some() {
                    reward *= qualities[qualities.len() - 1];
                }
                reward *= plan.reward_scale;
                if o.staked > 0.0 {
                    reward += o.staked * apy_of(o) / 12.0;
                }
                gross_paid += reward;
                reward *= keep;
                o.held += reward;
                o.cumulative_earnings_usd += reward * last_price;
                rewards_paid += reward;
            }
        }
        if !fixed {
            // The month's emission is the budget: staking yield first (pro rata if short), then
            // the rest by tier multiplier.
            let yields: f64 = ops
                .iter()
                .filter(|o| o.staked > 0.0)
                .map(|o| o.staked * apy_of(o) / 12.0)
                .sum();
            let yield_scale = if yields > e && yields > 0.0 {
                e / yields
            } else {
                1.0
            };
            let base_rest = (e - yields * yield_scale).max(0.0);
            let rest = base_rest * plan.reward_scale;
            let weight_of = |i: usize, o: &Operator| {
                let w = p.tier_reward_multipliers[o.tier as usize - 1];
                if mean_weight.is_some() {
                    w * qualities[i]
                } else {
                    w
                }
            };
            let weights: f64 = ops.iter().enumerate().map(|(i, o)| weight_of(i, o)).sum();
            if weights > 0.0 {
                // Dynamic rewards' multiplier pays more (or less) than the month's budget.
                extra = rest - base_rest;
            }
            for (i, o) in ops.iter_mut().enumerate() {
                let mut reward = if weights > 0.0 {
                    rest * weight_of(i, o) / weights
                } else {
                    0.0
                };
                if o.staked > 0.0 {
                    reward += o.staked * apy_of(o) / 12.0 * yield_scale;
                }
                gross_paid += reward;
                reward *= keep;
                o.held += reward;
                o.cumulative_earnings_usd += reward * last_price;
                rewards_paid += reward;
            }
        }
        // The treasury tax on rewards, and the tokens the policies' rewards paid beyond the
        // emission budget (the multiplier's extra, or its shortfall).
        let mut tax = 0.0;
        if let Some(engine) = &mut self.engine {
            tax = gross_paid - rewards_paid;
            self.burned_total += engine.book_tax(m, gross_paid);
            if !fixed {
                self.circulating += extra - tax;
                self.total_emitted += extra;
            }
        }
        if fixed && consistent {
            // Fixed rewards are minted; in consistent accounting they circulate.
            self.circulating += rewards_paid;
            self.total_emitted += rewards_paid + tax;
        }

        // 7. Voluntary staking.
        let stake_probability = (0.5 * base_apy).min(0.3);
        let (min_lock, max_lock) = (p.min_lockup_months as u32, p.max_lockup_months as u32);
        for o in ops.iter_mut() {
            if o.staked == 0.0 && o.held > 100.0 && rng::uniform(rng) < stake_probability {
                let amount = rng::uniform_in(rng, 0.2, 0.6) * o.held;
                o.lockup = rng::int_in(rng, min_lock, max_lock);
                o.held -= amount;
                o.staked += amount;
            }
        }

        // 8. Selling.
        // 9. (with 8: stakes do not change while selling) the total staked.
        let mut tokens_sold = 0.0;
        let mut staked_total = 0.0;
        for o in ops.iter_mut() {
            if o.held > 10.0 {
                let amount = rng::uniform_in(rng, 0.10, 0.30) * o.held;
                o.held -= amount;
                tokens_sold += amount;
            }
            staked_total += o.staked;
        }
        let mut to_market = tokens_sold;
        if let Some(engine) = &mut self.engine {
            let (rest, burned_fee) = engine.fee_on_sale(m, tokens_sold);
            self.burned_total += burned_fee;
            if consistent {
                self.circulating -= tokens_sold - rest;
            }
            to_market = rest;
        }
        if let Some(pool) = &mut self.pool {
            pool.sell_tokens(to_market);
        }

        // 10. Price.
        match &mut self.pool {
            Some(_) => {
                let factor = rng::normal(rng, 1.0, 0.08).max(0.3);
                let pool = self.pool.as_mut().expect("amm pool");
                pool.move_price(factor);
                self.price = pool.price();
            }
            None if self.circulating <= 0.0 => {}
            None => {
                let liquid = (self.circulating - staked_total).max(1.0);
                let fundamental = (0.3 * revenue + 1000.0) / (liquid / 1e6);
                let noise = rng::normal(rng, 1.0, 0.08).max(0.3);
                self.price = ((0.7 * self.price + 0.3 * fundamental) * noise).max(0.001);
            }
        }
        // Under the reference formula the price is an index that leaves its launch value in the
        // first month: the stabiliser's band is a multiple of the first month's close.
        if m == 1 && self.pool.is_none() {
            if let Some(engine) = &mut self.engine {
                engine.set_launch_price(self.price);
            }
        }
        // A scenario's outside trade.
        if shock.price != 1.0 {
            match &mut self.pool {
                Some(pool) => {
                    pool.move_price(shock.price);
                    self.price = pool.price();
                }
                None => self.price = (self.price * shock.price).max(0.001),
            }
        }

        // 11. Churn.
        let falling = m > 3 && {
            let last3 = &self.records[self.records.len() - 3..];
            let mean = last3.iter().map(|r| r.token_price).sum::<f64>() / 3.0;
            self.price < 0.7 * mean
        };
        // 12. (with 11) Lockups count down; leavers go, in one pass in joining order.
        let mut leavers_tokens = 0.0;
        let mut returned_stakes = 0.0;
        let mut churned = 0u64;
        // The record's tier counts and earnings are gathered on the way.
        let mut per_tier = [0u64; 6];
        let gather = self.monthly_gini || m >= p.months();
        let mut earnings = Vec::with_capacity(if gather { self.operators.len() } else { 0 });
        let ops = &mut self.operators;
        let churn = ChurnTable::new(p, falling, shock.churn);
        // Compaction by value (not `retain_mut`): updating a field in place and then moving the
        // whole operator stalls the CPU's store forwarding, which cost about a sixth of the run.
        let mut kept = 0;
        let (mut held_after, mut staked_after) = (0.0, 0.0);
        for i in 0..ops.len() {
            let mut o = ops[i];
            if rng::uniform(rng) < churn.of(&o) {
                churned += 1;
                leavers_tokens += o.held + o.staked;
                returned_stakes += o.staked;
            } else {
                o.lockup = o.lockup.saturating_sub(1);
                held_after += o.held;
                staked_after += o.staked;
                per_tier[o.tier as usize - 1] += 1;
                if gather {
                    earnings.push(o.cumulative_earnings_usd);
                }
                ops[kept] = o;
                kept += 1;
            }
        }
        ops.truncate(kept);
        if consistent {
            // The leavers' tokens are sold, not minted again.
            if let Some(pool) = &mut self.pool {
                pool.sell_tokens(leavers_tokens);
            }
        } else {
            // Reference: a leaver's stake re-enters the circulating supply.
            self.circulating += returned_stakes;
        }

        self.rng = rng.clone();

        if let Some(e) = &mut self.engine {
            e.end_step(m);
        }
        let (treasury_usd, treasury_tokens) = self
            .engine
            .as_ref()
            .map_or((0.0, 0.0), |e| (e.treasury_usd, e.treasury_tokens));
        self.econ.push(EconRecord {
            step: m,
            price: self.price,
            circulating: self.circulating,
            staked: staked_after,
            held: held_after,
            revenue,
            captured,
            treasury_usd,
            treasury_tokens,
            active: self.operators.len() as f64,
        });

        // 13. Record.
        self.records.push(MonthRecord {
            month: m,
            active_operators: self.operators.len() as u64,
            total_operators_ever: self.total_operators_ever,
            new_operators: newcomers,
            churned,
            t4_plus_operators: per_tier[3..].iter().sum(),
            operators_per_tier: per_tier,
            circulating_supply: self.circulating,
            emission: e,
            burned,
            burned_total: self.burned_total,
            staked_total,
            token_price: libm::round(self.price * 1e6) / 1e6,
            revenue,
            rewards_paid,
            gini: if gather { gini(earnings) } else { f64::NAN },
            tokens_sold,
            reached_tier: self.reached_tier,
        });
        self.records.last().expect("just recorded")
    }
}

/// Runs `p.months` months of one world seeded with `seed`.
pub fn run(p: &CtParams, seed: u64) -> World {
    let mut w = World::new(p, seed);
    for _ in 0..p.months() {
        w.step(p);
    }
    w.finish();
    w
}
