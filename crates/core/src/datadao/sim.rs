//! The dataDAO world and its step (spec §2–§5): entries, every agent acting in joining order, the
//! Pie's distribution, and the step's record. Deterministic unless membership minting (§6) draws
//! contribution weights from its seeded stream.

use super::pool::{FeePot, Pool};
use super::{DdParams, DegenReinvest, PieDistribution, PowerOverspend};
use crate::policy::engine::{quality_weight, Engine, Market, Plan, Reading, Trade};
use crate::policy::health::{metrics, EconRecord, HealthSummary, Launch, RunHealth};
use crate::policy::scenario::Conditions;
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// The five agent types, in the order entries add them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Degen,
    Organization,
    Power,
    Active,
    Casual,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Degen,
        Kind::Organization,
        Kind::Power,
        Kind::Active,
        Kind::Casual,
    ];

    /// As written in CSV columns and exports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Degen => "degen",
            Kind::Organization => "organization",
            Kind::Power => "power",
            Kind::Active => "active",
            Kind::Casual => "casual",
        }
    }

    /// A readable label for charts.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Degen => "Degens",
            Kind::Organization => "Organizations",
            Kind::Power => "Power users",
            Kind::Active => "Active users",
            Kind::Casual => "Casual users",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: u32,
    pub kind: Kind,
    pub ddt: f64,
    pub xdai: f64,
    /// Liquidity shares in the pool.
    pub shares: f64,
    /// Whether a degen has made its first step (its liquidity and its sale).
    pub started: bool,
}

/// What an agent did, for the transaction history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    AddLiquidity,
    Sell,
    Buy,
    CollectFees,
    SpendToPie,
    PieShare,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::AddLiquidity => "add_liquidity",
            Action::Sell => "sell",
            Action::Buy => "buy",
            Action::CollectFees => "collect_fees",
            Action::SpendToPie => "spend_to_pie",
            Action::PieShare => "pie_share",
        }
    }
}

/// One agent action (spec §5). Amounts are what moved for the agent: dDT and xDAI, positive
/// into the agent's hands, negative out of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub step: u32,
    pub agent: u32,
    pub kind: Kind,
    pub action: Action,
    pub ddt: f64,
    pub xdai: f64,
    pub ddt_after: f64,
    pub xdai_after: f64,
    pub price_after: f64,
}

/// The state after a step's Pie distribution (one row of `simulation_data.csv`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Counted from 1.
    pub step: u32,
    pub price: f64,
    pub ddt_reserve: f64,
    pub xdai_reserve: f64,
    pub pie: f64,
    pub fee_pot: f64,
    pub k: f64,
    /// Agents per type, in [`Kind::ALL`] order.
    pub counts: [u32; 5],
    /// Average xDAI held per agent of each type (0 for a type with no agents).
    pub avg_xdai: [f64; 5],
}

/// Where every token came from and where it is (for the conservation checks and the page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    /// dDT given to agents when they joined (fixed endowments or minted by locking CRC).
    pub ddt_endowed: f64,
    /// dDT that entered the pool from nowhere (the original degen reinvestment).
    pub ddt_from_nowhere: f64,
    /// dDT that left the Pie to nobody (the original distribution).
    pub ddt_burned: f64,
    pub xdai_endowed: f64,
    /// Fees that left the pot to nobody (the original fee pot).
    pub xdai_lost: f64,
    /// CRC locked to mint dDT (membership minting).
    pub crc_locked: f64,
    /// dDT the policies created: the inflation controller's emission into the Pie, the
    /// stabiliser's issuance, dynamic staking's rewards to liquidity providers.
    #[serde(default)]
    pub ddt_policy_minted: f64,
    /// dDT the policies burned: value distribution's buy-and-burn, fees and taxes burned.
    #[serde(default)]
    pub ddt_policy_burned: f64,
    /// dDT and xDAI an outside trader put into the pool (negative: took out) — a stress
    /// scenario's price shocks and its market noise.
    #[serde(default)]
    pub ddt_outside: f64,
    #[serde(default)]
    pub xdai_outside: f64,
}

/// The dataDAO's pool as the policies trade in it.
struct DdMarket<'a>(&'a mut Pool);

impl Market for DdMarket<'_> {
    fn price(&self) -> f64 {
        if self.0.ddt > 0.0 {
            self.0.price()
        } else {
            f64::NAN
        }
    }
    /// The pool refuses dust (a trade that would give nothing does not happen).
    fn buy(&mut self, xdai: f64) -> Trade {
        let ddt = self.0.buy(xdai);
        Trade::unless_dust(xdai, ddt)
    }
    fn sell(&mut self, ddt: f64) -> Trade {
        let xdai = self.0.sell(ddt);
        Trade::unless_dust(ddt, xdai)
    }
    fn usd_to_reach(&self, target: f64) -> Option<f64> {
        let x = libm::sqrt(self.0.k() * target);
        Some(((x - self.0.xdai) / (1.0 - self.0.fee_rate)).max(0.0))
    }
    fn tokens_to_reach(&self, target: f64) -> Option<f64> {
        Some((libm::sqrt(self.0.k() / target) - self.0.ddt).max(0.0))
    }
}

/// A dataDAO world.
#[derive(Clone, Debug)]
pub struct World {
    pub step: u32,
    pub pool: Pool,
    pub pie: f64,
    pub agents: Vec<Agent>,
    pub counts: [u32; 5],
    /// Indices into `agents` of each type, in joining order.
    members: [Vec<u32>; 5],
    pub ledger: Ledger,
    pub records: Vec<StepRecord>,
    /// Kept only when asked for (they grow with agents × steps), and only for the steps in
    /// `transaction_steps`.
    pub transactions: Option<Vec<Transaction>>,
    pub transaction_steps: (u32, u32),
    /// The policies, when any is on (`None`: the model's own code path, the same bits).
    pub engine: Option<Engine>,
    /// A stress scenario's factors, step by step (empty: none).
    conditions: Vec<Conditions>,
    /// The state every model records for the policies and the health metrics, step by step.
    pub econ: Vec<EconRecord>,
    /// This step's demand factor (organizations' purchases).
    demand: f64,
    /// dDT each type spent into the Pie this step, and in the step before (quality curves).
    spent: [f64; 5],
    spent_before: [f64; 5],
    /// Fees liquidity providers collected this step.
    collected: f64,
    /// The pool's price at the end of step 1, before a scenario's outside trade.
    first_price: f64,
    rng: Rng,
}

impl World {
    pub fn new(p: &DdParams, keep_transactions: bool) -> World {
        let mut w = World {
            step: 0,
            pool: Pool::new(p.fee_rate),
            pie: 0.0,
            agents: Vec::new(),
            counts: [0; 5],
            members: Default::default(),
            ledger: Ledger::default(),
            records: Vec::with_capacity(p.total_steps as usize),
            transactions: keep_transactions.then(Vec::new),
            transaction_steps: (1, u32::MAX),
            engine: p
                .policy
                .any()
                .then(|| Engine::new(&p.policy, 365.0, f64::NAN, true)),
            conditions: Vec::new(),
            econ: Vec::with_capacity(p.total_steps as usize),
            demand: 1.0,
            spent: [0.0; 5],
            spent_before: [0.0; 5],
            collected: 0.0,
            first_price: 0.0,
            rng: rng::stream(p.seed(), 0),
        };
        for (kind, n) in Kind::ALL.into_iter().zip(p.initial_counts()) {
            for _ in 0..n {
                w.add_agent(kind, p);
            }
        }
        w
    }

    fn add_agent(&mut self, kind: Kind, p: &DdParams) {
        let (fixed_ddt, xdai) = p.endowment(kind);
        let ddt = if p.minting_on() && fixed_ddt > 0.0 {
            // §6: the member locks CRC up to cap × weight and mints as many dDT.
            let quality = rng::uniform_in(&mut self.rng, p.quality_min, p.quality_max);
            let quantity = libm::exp(rng::normal(
                &mut self.rng,
                libm::log(p.quantity_median),
                p.quantity_sigma,
            ));
            let minted = p
                .crc_per_member
                .min(p.mint_cap_per_weight * quality * quantity);
            self.ledger.crc_locked += minted;
            minted
        } else {
            fixed_ddt
        };
        self.ledger.ddt_endowed += ddt;
        self.ledger.xdai_endowed += xdai;
        self.agents.push(Agent {
            id: self.agents.len() as u32,
            kind,
            ddt,
            xdai,
            shares: 0.0,
            started: false,
        });
        self.counts[kind.index()] += 1;
        self.members[kind.index()].push(self.agents.len() as u32 - 1);
    }

    /// A world under a stress scenario's step-by-step `conditions`, its policies keeping no log.
    pub fn stressed(p: &DdParams, conditions: Vec<Conditions>) -> World {
        let mut w = World::new(p, false);
        if let Some(e) = &mut w.engine {
            e.log = None;
        }
        w.conditions = conditions;
        w
    }

    /// Where a run started: the pool's price at the end of step 1 before any outside trade (the
    /// pool forms in step 1), and the supply then.
    pub fn launch(&self) -> Launch {
        let first = self.econ.first().copied().unwrap_or_default();
        Launch {
            price: self.first_price,
            circulating: first.circulating,
            steps_per_year: 365.0,
            at_step: 1,
        }
    }

    /// Ends the run: the policies log what they summed over the last month.
    pub fn finish(&mut self) {
        if let Some(e) = &mut self.engine {
            e.finish();
        }
    }

    /// The price kept: the last price ÷ the first step's (the dataDAO's score in stress tests).
    pub fn price_kept(&self) -> f64 {
        let first = self.first_price;
        let last = self.econ.last().map_or(0.0, |r| r.price);
        if first > 0.0 {
            last / first
        } else {
            0.0
        }
    }

    /// The run's health metrics, the seed's criteria and the policies' interventions.
    pub fn health(&self, p: &DdParams) -> HealthSummary {
        let run = RunHealth {
            metrics: metrics(&self.econ, self.launch(), self.price_kept()).to_vec(),
            interventions: self.engine.as_ref().map_or(0, |e| e.interventions),
            log: self
                .engine
                .as_ref()
                .and_then(|e| e.log.clone())
                .unwrap_or_default(),
            policies: p.policy.active().iter().map(|s| s.to_string()).collect(),
        };
        HealthSummary::of(&[&run])
    }

    /// What the policies read at the start of step `step`: the end of the step before.
    fn reading(&self, step: u32) -> Reading {
        let last = self.econ.last().copied().unwrap_or_default();
        let before = self
            .econ
            .len()
            .checked_sub(2)
            .map_or(last, |i| self.econ[i]);
        Reading {
            step,
            price: last.price,
            prev_price: before.price,
            circulating: last.circulating,
            staked: last.staked,
            held: last.held,
            revenue: last.revenue,
            active: last.active,
        }
    }

    /// Spec §4: every `entry_steps` steps, top each type up to round(N × proportion); a
    /// scenario's `arrivals` factor scales how many join.
    fn entries(&mut self, p: &DdParams, arrivals: f64) {
        let add = super::entry_additions(
            self.counts.map(f64::from),
            p.agents_per_entry * arrivals,
            &p.proportions(),
        );
        for kind in Kind::ALL {
            for _ in 0..add[kind.index()] as u32 {
                self.add_agent(kind, p);
            }
        }
    }

    fn log(&mut self, i: usize, action: Action, ddt: f64, xdai: f64) {
        let Some(t) = &mut self.transactions else {
            return;
        };
        let (from, to) = self.transaction_steps;
        if self.step < from || self.step > to {
            return;
        }
        let a = &self.agents[i];
        t.push(Transaction {
            step: self.step,
            agent: a.id,
            kind: a.kind,
            action,
            ddt,
            xdai,
            ddt_after: a.ddt,
            xdai_after: a.xdai,
            price_after: self.pool.price(),
        });
    }

    /// Agent `i` sells `d` dDT into the pool (less the stability fee, when one is taken).
    fn sell(&mut self, i: usize, d: f64) {
        let fee = self.engine.as_ref().map_or(0.0, |e| d * e.p.stability_fee);
        let got = self.pool.sell(d - fee);
        if got == 0.0 {
            // The pool took nothing (empty, or dust): the agent keeps its dDT.
            return;
        }
        if fee > 0.0 {
            if let Some(e) = &mut self.engine {
                e.sale_fee(d);
            }
        }
        let a = &mut self.agents[i];
        a.ddt -= d;
        a.xdai += got;
        self.log(i, Action::Sell, -d, got);
    }

    /// Agent `i` buys dDT with `x` xDAI; returns the dDT bought.
    fn buy(&mut self, i: usize, x: f64) -> f64 {
        let got = self.pool.buy(x);
        if got == 0.0 {
            // The pool sold nothing (no dDT, or dust): the agent keeps its xDAI.
            return 0.0;
        }
        let a = &mut self.agents[i];
        a.xdai -= x;
        a.ddt += got;
        self.log(i, Action::Buy, got, -x);
        got
    }

    fn spend(&mut self, i: usize, d: f64) {
        self.spent[self.agents[i].kind.index()] += d;
        self.agents[i].ddt -= d;
        self.pie += d;
        self.log(i, Action::SpendToPie, -d, 0.0);
    }

    /// Agent `i` adds `a` dDT and `b` xDAI from its own balances.
    fn add_liquidity(&mut self, i: usize, a: f64, b: f64) {
        let shares = self.pool.add_liquidity(a, b);
        let ag = &mut self.agents[i];
        ag.ddt -= a;
        ag.xdai -= b;
        ag.shares += shares;
        self.log(i, Action::AddLiquidity, -a, -b);
    }

    fn act(&mut self, i: usize, p: &DdParams) {
        let kind = self.agents[i].kind;
        match kind {
            Kind::Degen => {
                if !self.agents[i].started {
                    self.agents[i].started = true;
                    let (lp_d, lp_x) = (
                        p.degen_lp_ddt.min(self.agents[i].ddt),
                        p.degen_lp_xdai.min(self.agents[i].xdai),
                    );
                    self.add_liquidity(i, lp_d, lp_x);
                    let rest = self.agents[i].ddt;
                    if rest > 0.0 {
                        self.sell(i, rest);
                    }
                }
                let pot = self.pool.fee_pot;
                let fees = self.pool.collect_fees(self.agents[i].shares, p.fee_pot);
                if p.fee_pot == FeePot::Original {
                    // The original fee pot is emptied by its first collector: the rest is lost.
                    self.ledger.xdai_lost += pot - fees - self.pool.fee_pot;
                }
                self.agents[i].xdai += fees;
                self.collected += fees;
                self.log(i, Action::CollectFees, 0.0, fees);
                let r = p.degen_reinvest_rate * fees;
                if r > 0.0 {
                    match p.degen_reinvest {
                        DegenReinvest::Original => {
                            // The reference adds r dDT and r xDAI 1:1 regardless of price; the
                            // xDAI is the reinvested part of the fees, the dDT comes from nowhere.
                            let shares = self.pool.add_liquidity(r, r);
                            let a = &mut self.agents[i];
                            a.shares += shares;
                            a.xdai -= r;
                            self.ledger.ddt_from_nowhere += r;
                            self.log(i, Action::AddLiquidity, 0.0, -r);
                        }
                        DegenReinvest::Zap => {
                            // Half swapped to dDT, then both sides added at the pool's ratio.
                            let x = r / 2.0;
                            let cap = (self.agents[i].xdai - x).min(x);
                            let (got, b, shares) = self.pool.zap(x, cap);
                            if got > 0.0 {
                                let a = &mut self.agents[i];
                                a.xdai -= x;
                                a.ddt += got;
                                self.log(i, Action::Buy, got, -x);
                            }
                            if shares > 0.0 {
                                let a = &mut self.agents[i];
                                a.ddt -= got;
                                a.xdai -= b;
                                a.shares += shares;
                                self.log(i, Action::AddLiquidity, -got, -b);
                            }
                        }
                    }
                }
            }
            Kind::Organization => {
                let needed = p.org_daily_ddt_buy * self.demand * self.pool.price();
                if self.agents[i].xdai >= needed && needed > 0.0 {
                    let got = self.buy(i, needed);
                    self.spend(i, got);
                }
            }
            Kind::Power => {
                let spend = p.power_daily_spend;
                if self.agents[i].ddt >= spend {
                    self.spend(i, spend);
                } else {
                    let price = self.pool.price();
                    let cost = spend * price;
                    if price <= p.power_max_buy_price && self.agents[i].xdai >= cost {
                        self.buy(i, cost);
                        let amount = match p.power_overspend {
                            PowerOverspend::Original => spend,
                            PowerOverspend::Forbid => spend.min(self.agents[i].ddt.max(0.0)),
                        };
                        self.spend(i, amount);
                    }
                }
            }
            Kind::Active => {
                if self.agents[i].ddt >= p.active_daily_spend {
                    self.spend(i, p.active_daily_spend);
                }
            }
            Kind::Casual => {
                if self.agents[i].ddt >= p.casual_daily_spend {
                    self.spend(i, p.casual_daily_spend);
                    if self.agents[i].ddt >= p.casual_daily_sell {
                        self.sell(i, p.casual_daily_sell);
                    }
                }
            }
        }
    }

    /// Spec §3: the Pie pays out `pie_distribution_rate` of its dDT each step (× dynamic
    /// rewards' multiplier, at most all of it; a quality curve splits the members' shares by
    /// what each type spent into the Pie the step before; the treasury tax keeps its part).
    fn distribute_pie(&mut self, p: &DdParams, plan: &Plan) {
        let rate = if plan.reward_scale == 1.0 {
            p.pie_distribution_rate
        } else {
            (p.pie_distribution_rate * plan.reward_scale).min(1.0)
        };
        let dist = rate * self.pie;
        self.pie -= dist;
        if p.pie_distribution == PieDistribution::Original {
            self.ledger.ddt_burned += dist;
            return;
        }
        let mut shares = [
            (Kind::Power, p.pie_share_power),
            (Kind::Active, p.pie_share_active),
            (Kind::Casual, p.pie_share_casual),
        ];
        if let Some(curve) = plan.quality {
            let w = shares.map(|(k, _)| quality_weight(curve, self.spent_before[k.index()]));
            let total: f64 = w.iter().sum();
            if total > 0.0 {
                let sum = p.pie_share_power + p.pie_share_active + p.pie_share_casual;
                for (s, wk) in shares.iter_mut().zip(w) {
                    s.1 = sum * wk / total;
                }
            }
        }
        let keep = self.engine.as_ref().map_or(1.0, Engine::reward_keep);
        let mut gross_paid = 0.0;
        for (kind, share) in shares {
            let part = dist * share;
            let n = self.counts[kind.index()];
            if n == 0 {
                self.pie += part;
                continue;
            }
            gross_paid += part;
            let part = part * keep;
            let each = part / n as f64;
            // Active and casual users sell their shares at once: one sale for the whole group,
            // whose proceeds are split equally (equal shares, equal pay). Power users keep theirs.
            // (If the pool cannot take the sale, they keep their shares.)
            let proceeds = if kind == Kind::Power {
                0.0
            } else {
                self.pool.sell(part)
            };
            let proceeds_each = proceeds / n as f64;
            for m in 0..self.members[kind.index()].len() {
                let i = self.members[kind.index()][m] as usize;
                self.agents[i].ddt += each;
                self.log(i, Action::PieShare, each, 0.0);
                if proceeds > 0.0 {
                    let a = &mut self.agents[i];
                    a.ddt -= each;
                    a.xdai += proceeds_each;
                    self.log(i, Action::Sell, -each, proceeds_each);
                }
            }
        }
        // What the three shares leave of the payout stays in the Pie.
        self.pie += dist * (1.0 - p.pie_share_power - p.pie_share_active - p.pie_share_casual);
        // Shares that add up to exactly 1 leave a rounding residue (1 − 0.4 − 0.4 − 0.2 is
        // −5.6e−17): a Pie paid out whole must not go below zero.
        if self.pie < 0.0 {
            self.pie = 0.0;
        }
        if let Some(engine) = &mut self.engine {
            let step = self.step;
            self.ledger.ddt_policy_burned += engine.book_tax(step, gross_paid);
        }
    }

    /// Pays `ddt` newly bought or minted to liquidity providers pro rata to their shares;
    /// returns what nobody could take (no providers).
    fn pay_providers(&mut self, ddt: f64) -> f64 {
        if ddt <= 0.0 {
            return 0.0;
        }
        if self.pool.total_shares <= 0.0 {
            return ddt;
        }
        let total = self.pool.total_shares;
        for a in self.agents.iter_mut().filter(|a| a.shares > 0.0) {
            a.ddt += ddt * a.shares / total;
        }
        0.0
    }

    /// One step: entries (if due) → every agent acts → the Pie's distribution → the record.
    pub fn step(&mut self, p: &DdParams) -> &StepRecord {
        let index = self.step;
        self.step += 1;
        let step = self.step;
        // A scenario's shocks this step (all 1 without one: the same bits).
        let shock = self
            .conditions
            .get(index as usize)
            .copied()
            .unwrap_or_default();
        self.demand = shock.demand;
        self.spent_before = std::mem::take(&mut self.spent);
        self.collected = 0.0;
        let fees_before = self.pool.fees_total;
        // The policies read the end of the step before and set this step's rates; the
        // controller's emission goes into the Pie; the stabiliser trades at the last price.
        let reading = self.reading(step);
        let mut plan = Plan::default();
        if let Some(engine) = &mut self.engine {
            plan = engine.begin(&reading);
            let e = engine.emission(step, 0.0, reading.circulating);
            self.pie += e;
            self.ledger.ddt_policy_minted += e;
            let done = engine.stabilize(step, &mut DdMarket(&mut self.pool), reading.circulating);
            self.ledger.ddt_policy_minted += done.issued;
        }
        if p.entry_steps > 0.0 && index % (p.entry_steps as u32) == 0 {
            self.entries(p, shock.arrivals);
        }
        for i in 0..self.agents.len() {
            self.act(i, p);
        }
        self.distribute_pie(p, &plan);
        let revenue = self.pool.fees_total - fees_before;
        let mut captured = self.collected;
        if let Some(engine) = &mut self.engine {
            // Value distribution of the step's fees still in the pot.
            let take = revenue.min(self.pool.fee_pot).max(0.0);
            if engine.p.value_distribution.on() {
                self.pool.fee_pot -= take;
            }
            if let Some(r) = engine.route_revenue(step, take, &mut DdMarket(&mut self.pool)) {
                self.ledger.ddt_policy_burned += r.burned;
                captured += engine.captured;
                let unpaid = self.pay_providers(r.stakers_tokens);
                if let Some(engine) = &mut self.engine {
                    engine.unpaid(unpaid);
                }
            }
        }
        if let Some(apy) = plan.staking_apy {
            // Dynamic staking: liquidity providers earn the APY on the pool's dDT, newly minted.
            let reward = self.pool.ddt * apy / 365.0;
            let unpaid = self.pay_providers(reward);
            self.ledger.ddt_policy_minted += reward - unpaid;
        }
        if step == 1 {
            self.first_price = self.pool.price();
        }
        if shock.price != 1.0 {
            let (d, x) = (self.pool.ddt, self.pool.xdai);
            self.pool.move_price(shock.price);
            self.ledger.ddt_outside += self.pool.ddt - d;
            self.ledger.xdai_outside += self.pool.xdai - x;
        }
        if let Some(engine) = &mut self.engine {
            self.ledger.ddt_policy_burned += engine.settle_sale_fees(step);
            if step == 1 {
                engine.set_launch_price(self.first_price);
            }
            engine.end_step(step);
        }
        let mut xdai = [0.0; 5];
        let mut held = 0.0;
        for a in &self.agents {
            xdai[a.kind.index()] += a.xdai;
            held += a.ddt;
        }
        let (treasury_usd, treasury_tokens) = self
            .engine
            .as_ref()
            .map_or((0.0, 0.0), |e| (e.treasury_usd, e.treasury_tokens));
        self.econ.push(EconRecord {
            step,
            price: self.pool.price(),
            circulating: held + self.pool.ddt,
            staked: self.pool.ddt,
            held,
            revenue,
            captured,
            treasury_usd,
            treasury_tokens,
            active: self.agents.len() as f64,
        });
        let counts = self.counts;
        let avg_xdai = std::array::from_fn(|k| {
            if counts[k] > 0 {
                xdai[k] / counts[k] as f64
            } else {
                0.0
            }
        });
        self.records.push(StepRecord {
            step: self.step,
            price: self.pool.price(),
            ddt_reserve: self.pool.ddt,
            xdai_reserve: self.pool.xdai,
            pie: self.pie,
            fee_pot: self.pool.fee_pot,
            k: self.pool.k(),
            counts,
            avg_xdai,
        });
        self.records.last().expect("just recorded")
    }
}

/// Round half to even (Python's `round`, in IEEE doubles).
pub fn round_half_even(x: f64) -> f64 {
    let r = libm::round(x);
    if (r - x).abs() == 0.5 {
        2.0 * libm::round(x / 2.0)
    } else {
        r
    }
}

/// A finished run as the page receives it: every step's record and the accounting, and the
/// transactions of the steps asked for, as `transaction_history.csv` text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DdRun {
    pub records: Vec<StepRecord>,
    pub ledger: Ledger,
    pub agents: usize,
    pub transactions_csv: Option<String>,
    /// The health metrics, the seed's criteria and the policies' interventions.
    #[serde(default)]
    pub health: HealthSummary,
}

/// Runs `p.total_steps` steps, keeping the transactions of steps `from..=to` if asked.
/// `progress(done, total)` is called after each step with the work done so far and the run's
/// whole work, in agent-steps (the population grows, so later steps cost more; see
/// [`DdParams::population_by_step`]); `false` stops the run there.
pub fn run_with(
    p: &DdParams,
    transaction_steps: Option<(u32, u32)>,
    progress: &mut dyn FnMut(f64, f64) -> bool,
) -> DdRun {
    let mut w = World::new(p, transaction_steps.is_some());
    if let Some(window) = transaction_steps {
        w.transaction_steps = window;
    }
    let steps = p.total_steps as u32;
    let total: f64 = p.population_by_step().sum();
    let mut done = 0.0;
    for s in 0..steps {
        w.step(p);
        done += w.agents.len() as f64;
        if !progress(if s + 1 == steps { total } else { done }, total) {
            break;
        }
    }
    w.finish();
    DdRun {
        health: w.health(p),
        transactions_csv: w.transactions.as_deref().map(transactions_csv),
        records: w.records,
        ledger: w.ledger,
        agents: w.agents.len(),
    }
}

/// Runs `p.total_steps` steps.
pub fn run(p: &DdParams, keep_transactions: bool) -> World {
    let mut w = World::new(p, keep_transactions);
    for _ in 0..p.total_steps as u32 {
        w.step(p);
    }
    w.finish();
    w
}

/// `simulation_data.csv`: one row a step (from 1, after the step's Pie distribution).
pub fn records_csv(records: &[StepRecord]) -> String {
    use crate::format::shortest;
    use std::fmt::Write;
    let mut out = String::from("step,price,ddt_reserve,xdai_reserve,pie,fee_pot,k");
    for kind in Kind::ALL {
        let _ = write!(out, ",{0}_count,{0}_avg_xdai", kind.name());
    }
    out.push('\n');
    for r in records {
        let _ = write!(out, "{}", r.step);
        for x in [
            r.price,
            r.ddt_reserve,
            r.xdai_reserve,
            r.pie,
            r.fee_pot,
            r.k,
        ] {
            out.push(',');
            out.push_str(&shortest(x));
        }
        for k in 0..5 {
            let _ = write!(out, ",{},{}", r.counts[k], shortest(r.avg_xdai[k]));
        }
        out.push('\n');
    }
    out
}

/// `transaction_history.csv`: one row an agent action.
pub fn transactions_csv(transactions: &[Transaction]) -> String {
    let mut out = String::from(TRANSACTIONS_HEADER);
    write_transaction_rows(&mut out, transactions);
    out
}

/// The header line of `transaction_history.csv`.
pub const TRANSACTIONS_HEADER: &str =
    "step,agent,type,action,ddt,xdai,ddt_after,xdai_after,price_after\n";

/// Appends the rows of `transactions` to `out` (the CLI streams a long run's history step by
/// step this way, so it never holds the whole history).
pub fn write_transaction_rows(out: &mut String, transactions: &[Transaction]) {
    use crate::format::shortest;
    use std::fmt::Write;
    for t in transactions {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            t.step,
            t.agent,
            t.kind.name(),
            t.action.name(),
            shortest(t.ddt),
            shortest(t.xdai),
            shortest(t.ddt_after),
            shortest(t.xdai_after),
            shortest(t.price_after)
        );
    }
}
