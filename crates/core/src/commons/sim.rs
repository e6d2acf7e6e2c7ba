//! The Commons DAO's world and its day (spec §2–§4): participants with vesting token batches and
//! a sentiment, proposals funded by conviction voting, and the augmented bonding curve with its
//! funding pool.
//!
//! The day runs in §4's exact order. Every random draw comes from the run's own generator, in a
//! fixed order, so a seed gives the same bits natively and in wasm. Fixes of the reference's bugs
//! (§6): every newcomer has its own investment draw; a newcomer is credited exactly the tokens the
//! curve minted; resolution probabilities are clamped to [0, 1]; each run has its own stream.

use super::conviction::{self, alpha};
use super::curve::{CurveState, Hatch};
use super::dao::DaoParams;
use crate::policy::engine::{Engine, Market, Reading, Trade};
use crate::policy::health::{EconRecord, Launch};
use crate::policy::scenario::Conditions;
use crate::rng::{self, Rng};
use serde::{Deserialize, Serialize};

/// log₀.₅(0.2): 80 % is unlocked this many half-lives after the cliff.
const LOG_HALF_OF_FIFTH: f64 = 2.321_928_094_887_362;
/// Sentiment an author gains when its proposal is funded.
pub const BONUS_ACTIVE: f64 = 0.5;
/// Sentiment change × affinity when a proposal completes or fails.
pub const BONUS_COMPLETED: f64 = 0.3;
pub const BONUS_FAILED: f64 = -0.1;
/// Buyers need sentiment above this; sellers below it.
pub const SENTIMENT_SENSITIVITY: f64 = 0.75;
/// Chance per day to buy (sell) is this × sentiment.
pub const ENGAGEMENT_RATE: f64 = 0.6;
/// Participants below this sentiment may leave, with chance 1 − 0.3 × sentiment.
pub const EXIT_SENTIMENT: f64 = 0.5;
pub const EXIT_ENGAGEMENT: f64 = 0.3;
/// Base rates of the resolution probabilities 1 / (base + ln request).
pub const BASE_FAILURE_RATE: f64 = 0.15;
pub const BASE_SUCCESS_RATE: f64 = 0.30;
/// Voting: a participant supports candidates with affinity above max(0.5, 0.75 × its highest).
pub const SUPPORT_FLOOR: f64 = 0.5;
pub const SUPPORT_CUTOFF: f64 = 0.75;
/// New proposals ask for 0.001 + Gamma(3) × scale DAI.
pub const REQUEST_SHAPE: u32 = 3;
pub const REQUEST_MIN: f64 = 0.001;
pub const REQUEST_SCALE_OF_POOL: f64 = 0.01;
pub const INITIAL_REQUEST_SCALE: f64 = 10_000.0;
/// A speculator's round trip is 200 + Exponential(mean 200) DAI.
pub const SPECULATOR_MIN: f64 = 200.0;
pub const SPECULATOR_MEAN_EXTRA: f64 = 200.0;

/// The vesting curve from "80 % unlocked after D days": half-life h = D / (log₀.₅0.2 + 2),
/// cliff 2h; unlocked fraction at age a = max(0, 1 − 0.5^((a − cliff)/h)).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vesting {
    pub half_life: f64,
    pub cliff: f64,
}

impl Vesting {
    pub fn from_80p_days(days: f64) -> Vesting {
        let half_life = days / (LOG_HALF_OF_FIFTH + 2.0);
        Vesting {
            half_life,
            cliff: 2.0 * half_life,
        }
    }

    /// The unlocked fraction of a vesting batch of age `age` days.
    pub fn unlocked(&self, age: f64) -> f64 {
        if age <= self.cliff {
            return 0.0;
        }
        (1.0 - libm::pow(0.5, (age - self.cliff) / self.half_life)).max(0.0)
    }
}

/// A participant's tokens: a vesting part (from the hatch), what of it was spent, and
/// non-vesting tokens (bought, or received otherwise).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenBatch {
    pub vesting: f64,
    pub vesting_spent: f64,
    pub nonvesting: f64,
    /// Days since the batch was created.
    pub age: f64,
}

impl TokenBatch {
    /// All tokens held, locked or not.
    pub fn total(&self) -> f64 {
        self.vesting - self.vesting_spent + self.nonvesting
    }
    /// Tokens that can be spent now: unlocked × vesting − vesting spent + non-vesting.
    pub fn spendable(&self, v: &Vesting) -> f64 {
        (v.unlocked(self.age) * self.vesting - self.vesting_spent).max(0.0) + self.nonvesting
    }
    /// Tokens still locked.
    pub fn locked(&self, v: &Vesting) -> f64 {
        self.vesting * (1.0 - v.unlocked(self.age))
    }
    /// Spends `amount` (at most what is spendable): non-vesting tokens first, then unlocked
    /// vesting ones. Returns what was spent.
    pub fn spend(&mut self, amount: f64, v: &Vesting) -> f64 {
        let amount = amount.min(self.spendable(v)).max(0.0);
        let from_free = amount.min(self.nonvesting);
        self.nonvesting -= from_free;
        self.vesting_spent += amount - from_free;
        amount
    }
    /// Spends everything, locked or not (a burn on exit). Returns the amount.
    pub fn spend_all(&mut self) -> f64 {
        let all = self.total();
        self.vesting_spent = self.vesting;
        self.nonvesting = 0.0;
        all
    }
}

/// A participant's support for one proposal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub proposal: u32,
    /// How much the participant likes the proposal, 0…1 (1 for its author).
    pub affinity: f64,
    /// Tokens staked on it (kept when the participant stops supporting it).
    pub tokens: f64,
    pub conviction: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id: u32,
    pub sentiment: f64,
    pub batch: TokenBatch,
    pub hatcher: bool,
    /// Edges to candidate proposals (voted on every day).
    pub candidate_edges: Vec<Edge>,
    /// Edges to proposals that are no longer candidates.
    pub past_edges: Vec<Edge>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Candidate,
    Active,
    Completed,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Candidate => "candidate",
            Status::Active => "active",
            Status::Completed => "completed",
            Status::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: u32,
    pub author: u32,
    /// DAI asked of the funding pool.
    pub request: f64,
    pub status: Status,
    /// Day created (0: at the hatch).
    pub created: u32,
    pub age: u32,
    /// The threshold at the last check (`None`: the request cannot pass).
    pub threshold: Option<f64>,
    /// Sum of its edges' conviction at the last check.
    pub conviction: f64,
    pub funded_day: Option<u32>,
    /// Participants whose sentiment follows its outcome (its author, and those with tokens on
    /// it when it was funded), with their affinity.
    pub supporters: Vec<(u32, f64)>,
}

/// One day's record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DayRecord {
    pub day: u32,
    pub price: f64,
    pub supply: f64,
    pub reserve: f64,
    pub funding_pool: f64,
    pub participants: u32,
    pub mean_sentiment: f64,
    pub candidates: u32,
    pub active: u32,
    pub completed: u32,
    pub failed: u32,
    pub proposals_total: u32,
    pub proposals_funded: u32,
    /// DAI granted so far.
    pub granted: f64,
    pub granted_today: f64,
    /// Tokens staked on candidates.
    pub staked: f64,
    pub arrivals: u32,
    pub exits: u32,
    pub bought_dai: f64,
    pub sold_tokens: f64,
}

impl DayRecord {
    /// Every recorded number by name (the CSV's columns and the bands), without the day.
    pub fn fields(&self) -> [(&'static str, f64); 19] {
        [
            ("price", self.price),
            ("supply", self.supply),
            ("reserve", self.reserve),
            ("funding_pool", self.funding_pool),
            ("participants", f64::from(self.participants)),
            ("mean_sentiment", self.mean_sentiment),
            ("candidates", f64::from(self.candidates)),
            ("active", f64::from(self.active)),
            ("completed", f64::from(self.completed)),
            ("failed", f64::from(self.failed)),
            ("proposals_total", f64::from(self.proposals_total)),
            ("proposals_funded", f64::from(self.proposals_funded)),
            ("granted", self.granted),
            ("granted_today", self.granted_today),
            ("staked", self.staked),
            ("arrivals", f64::from(self.arrivals)),
            ("exits", f64::from(self.exits)),
            ("bought_dai", self.bought_dai),
            ("sold_tokens", self.sold_tokens),
        ]
    }
}

/// DAI that entered and left the Commons from outside, for the conservation checks:
/// reserve + funding pool = hatch + deposits + speculators' tributes − paid to sellers − grants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Flows {
    pub hatch: f64,
    pub deposits: f64,
    pub speculator_tributes: f64,
    pub paid_to_sellers: f64,
    pub granted: f64,
    pub minted: f64,
    pub burned: f64,
    /// Tokens the hatch created.
    pub hatch_tokens: f64,
    /// DAI the policies' treasury deposited into the curve (buybacks), and received for its
    /// sales.
    #[serde(default)]
    pub policy_deposits: f64,
    #[serde(default)]
    pub policy_proceeds: f64,
}

/// The multiset of every support edge's affinity, for the median a new proposal needs. Values
/// (0…1) are kept sorted in 1,024 buckets of equal width, so adding, removing and finding the
/// median stay cheap with hundreds of thousands of edges, and the median is exact.
#[derive(Clone, Debug, PartialEq)]
pub struct Affinities {
    buckets: Vec<Vec<f64>>,
    len: usize,
}

const AFFINITY_BUCKETS: usize = 1024;

impl Default for Affinities {
    fn default() -> Self {
        Affinities {
            buckets: vec![Vec::new(); AFFINITY_BUCKETS],
            len: 0,
        }
    }
}

impl Affinities {
    fn bucket(a: f64) -> usize {
        ((a * AFFINITY_BUCKETS as f64) as usize).min(AFFINITY_BUCKETS - 1)
    }
    pub fn add(&mut self, a: f64) {
        let b = &mut self.buckets[Self::bucket(a)];
        let at = b.partition_point(|x| x.total_cmp(&a).is_lt());
        b.insert(at, a);
        self.len += 1;
    }
    /// Removes one copy of `a` (nothing if there is none).
    pub fn remove(&mut self, a: f64) {
        let b = &mut self.buckets[Self::bucket(a)];
        let at = b.partition_point(|x| x.total_cmp(&a).is_lt());
        if at < b.len() && b[at].total_cmp(&a).is_eq() {
            b.remove(at);
            self.len -= 1;
        }
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The value of rank `k` (0: the smallest).
    fn nth(&self, mut k: usize) -> f64 {
        for b in &self.buckets {
            if k < b.len() {
                return b[k];
            }
            k -= b.len();
        }
        f64::NAN
    }
    /// The median (mean of the middle two for an even count; 0 for none).
    pub fn median(&self) -> f64 {
        match self.len {
            0 => 0.0,
            n if n % 2 == 1 => self.nth(n / 2),
            n => 0.5 * (self.nth(n / 2 - 1) + self.nth(n / 2)),
        }
    }
}

/// The whole state of one run.
#[derive(Clone, Debug)]
pub struct World {
    pub day: u32,
    pub curve: CurveState,
    pub participants: Vec<Participant>,
    pub proposals: Vec<Proposal>,
    pub affinities: Affinities,
    pub vesting: Vesting,
    pub alpha: f64,
    /// The speculation period lasts while day < this (24 + int(72U), drawn once).
    pub speculation_days: u32,
    /// Arrival slots during the speculation period (1 + int(9U), drawn once).
    pub speculation_slots: u32,
    pub hatch_raise: f64,
    pub hatch_funding: f64,
    pub flows: Flows,
    pub records: Vec<DayRecord>,
    /// The policies, when any is on (`None`: the model's own code path, the same bits).
    pub engine: Option<Engine>,
    /// A stress scenario's factors, day by day (empty: none), and today's.
    conditions: Vec<Conditions>,
    shock: Conditions,
    /// The state every model records for the policies and the health metrics, day by day.
    pub econ: Vec<EconRecord>,
    next_participant: u32,
    granted: f64,
    funded: u32,
    rng: Rng,
}

/// The supply at which the curve's spot price is `price` (none for κ = 1, where it never moves).
fn supply_for_price(c: &CurveState, price: f64) -> Option<f64> {
    let p = c.spot_price();
    if c.kappa <= 1.0 || !(price > 0.0 && p > 0.0) {
        return None;
    }
    Some(c.supply * libm::pow(price / p, 1.0 / (c.kappa - 1.0)))
}

/// The curve as the policies trade in it: a buy deposits DAI (the entry tribute goes to the
/// funding pool), a sale burns tokens (the exit tribute too); it issues only against deposits.
struct CurveMarket<'a> {
    curve: &'a mut CurveState,
    entry: f64,
    exit: f64,
    flows: &'a mut Flows,
}

impl Market for CurveMarket<'_> {
    fn price(&self) -> f64 {
        self.curve.spot_price()
    }
    /// A deposit the curve refuses moves nothing.
    fn buy(&mut self, usd: f64) -> Trade {
        match self.curve.buy(usd, self.entry) {
            Ok(b) => {
                self.flows.policy_deposits += usd;
                self.flows.minted += b.minted;
                Trade::done(usd, b.minted)
            }
            Err(_) => Trade::default(),
        }
    }
    fn sell(&mut self, tokens: f64) -> Trade {
        if !(tokens > 0.0 && tokens < self.curve.supply) {
            return Trade::default();
        }
        match self.curve.sell(tokens, self.exit) {
            Ok(s) => {
                self.flows.burned += tokens;
                self.flows.policy_proceeds += s.to_seller;
                Trade::done(tokens, s.to_seller)
            }
            Err(_) => Trade::default(),
        }
    }
    fn usd_to_reach(&self, target: f64) -> Option<f64> {
        // At κ = 1 the price never moves: nothing reaches it.
        let Some(s) = supply_for_price(self.curve, target) else {
            return Some(0.0);
        };
        Some(((self.curve.reserve_at(s) - self.curve.reserve) / (1.0 - self.entry)).max(0.0))
    }
    fn tokens_to_reach(&self, target: f64) -> Option<f64> {
        let Some(s) = supply_for_price(self.curve, target) else {
            return Some(0.0);
        };
        Some((self.curve.supply - s).max(0.0))
    }
    fn issues(&self) -> bool {
        false
    }
}

/// An exponential draw with the given mean.
fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    -mean * libm::log1p(-rng::uniform(rng))
}

/// A Gamma(shape k, scale 1) draw for a whole k: the sum of k unit exponentials.
fn gamma_int(rng: &mut Rng, shape: u32) -> f64 {
    (0..shape).map(|_| exponential(rng, 1.0)).sum()
}

/// The polarised affinity 1 − 4u(1 − u): most newcomers love or ignore a proposal.
fn polarised(rng: &mut Rng) -> f64 {
    let u = rng::uniform(rng);
    1.0 - 4.0 * u * (1.0 - u)
}

/// The chance that an active proposal of `request` DAI resolves today: 1 / (base + ln r), clamped
/// to [0, 1]. (The reference raised an error for requests below ~2.3 DAI, where it exceeds 1;
/// below e^(−base) DAI the denominator is not positive and the proposal resolves at once.)
pub fn resolution_probability(base: f64, request: f64) -> f64 {
    let d = base + libm::log(request);
    if d <= 1.0 {
        1.0
    } else {
        1.0 / d
    }
}

impl World {
    /// The hatch: contributions, the curve, the hatchers' vesting batches and the initial
    /// proposals. Run `run` of a Monte Carlo uses seed base + run.
    pub fn new(p: &DaoParams, seed: u64) -> World {
        let mut rng = rng::stream(seed, 0);
        let hatchers = p.hatchers as u32;
        let contributions: Vec<f64> = (0..hatchers)
            .map(|_| rng::uniform(&mut rng) * p.hatch_max_contribution)
            .collect();
        let mut raise: f64 = contributions.iter().sum();
        if raise <= 0.0 {
            // All draws exactly 0 (probability 2⁻⁵³ per hatcher): one DAI keeps the curve defined.
            raise = 1.0;
        }
        let curve = CurveState::hatch(&Hatch {
            raise,
            price: p.hatch_price,
            tribute: p.hatch_tribute,
            kappa: p.kappa,
        })
        .expect("the parameter ranges keep the hatch valid");
        let speculation_days = 24 + (72.0 * rng::uniform(&mut rng)) as u32;
        let speculation_slots = 1 + (9.0 * rng::uniform(&mut rng)) as u32;
        let s0 = curve.supply;
        let participants = contributions
            .iter()
            .enumerate()
            .map(|(i, c)| Participant {
                id: i as u32,
                sentiment: 0.5 + 0.5 * rng::uniform(&mut rng),
                batch: TokenBatch {
                    vesting: if raise > 0.0 { s0 * c / raise } else { 0.0 },
                    ..TokenBatch::default()
                },
                hatcher: true,
                candidate_edges: Vec::new(),
                past_edges: Vec::new(),
            })
            .collect();
        let mut w = World {
            day: 0,
            curve,
            participants,
            proposals: Vec::new(),
            affinities: Affinities::default(),
            vesting: Vesting::from_80p_days(p.vesting_80p_days),
            alpha: alpha(p.days_to_80p_of_max_voting_weight),
            speculation_days,
            speculation_slots,
            hatch_raise: raise,
            hatch_funding: curve.funding_pool,
            flows: Flows {
                hatch: raise,
                hatch_tokens: s0,
                ..Flows::default()
            },
            records: Vec::with_capacity(p.days() as usize),
            engine: p
                .policy
                .any()
                .then(|| Engine::new(&p.policy, 365.0, p.hatch_price, true)),
            conditions: Vec::new(),
            shock: Conditions::default(),
            econ: Vec::with_capacity(p.days() as usize),
            next_participant: hatchers,
            granted: 0.0,
            funded: 0,
            rng,
        };
        for _ in 0..p.initial_proposals as u32 {
            let request =
                REQUEST_MIN + INITIAL_REQUEST_SCALE * gamma_int(&mut w.rng, REQUEST_SHAPE);
            w.add_proposal(request, p);
        }
        w
    }

    /// The mean sentiment of the participants (0 when there are none).
    pub fn mean_sentiment(&self) -> f64 {
        if self.participants.is_empty() {
            return 0.0;
        }
        self.participants.iter().map(|x| x.sentiment).sum::<f64>() / self.participants.len() as f64
    }

    /// A new proposal by a random participant, with an edge from every participant.
    fn add_proposal(&mut self, request: f64, p: &DaoParams) {
        if self.participants.is_empty() {
            return;
        }
        let author_idx = rng::int_in(&mut self.rng, 0, self.participants.len() as u32 - 1);
        let id = self.proposals.len() as u32;
        let author = self.participants[author_idx as usize].id;
        for (i, part) in self.participants.iter_mut().enumerate() {
            let drawn = polarised(&mut self.rng);
            let affinity = if i as u32 == author_idx { 1.0 } else { drawn };
            self.affinities.add(affinity);
            part.candidate_edges.push(Edge {
                proposal: id,
                affinity,
                tokens: 0.0,
                conviction: 0.0,
            });
        }
        self.proposals.push(Proposal {
            id,
            author,
            request,
            status: Status::Candidate,
            created: self.day,
            age: 0,
            threshold: conviction::threshold(
                request,
                self.curve.funding_pool,
                self.curve.supply,
                p.max_proposal_request,
            ),
            conviction: 0.0,
            funded_day: None,
            supporters: Vec::new(),
        });
    }

    fn participant_mut(&mut self, id: u32) -> Option<&mut Participant> {
        self.participants
            .binary_search_by_key(&id, |x| x.id)
            .ok()
            .map(|i| &mut self.participants[i])
    }

    /// A world under a stress scenario's day-by-day `conditions`, its policies keeping no log.
    pub fn stressed(p: &DaoParams, seed: u64, conditions: Vec<Conditions>) -> World {
        let mut w = World::new(p, seed);
        if let Some(e) = &mut w.engine {
            e.log = None;
        }
        w.conditions = conditions;
        w
    }

    /// Where the run started: the curve's spot price when it opens after the hatch (κ × (1 −
    /// hatch tribute) × the hatch price) and the hatch's supply.
    pub fn launch(&self, p: &DaoParams) -> Launch {
        Launch {
            price: p.kappa * (1.0 - p.hatch_tribute) * p.hatch_price,
            circulating: self.flows.hatch_tokens,
            steps_per_year: 365.0,
            at_step: 0,
        }
    }

    /// Ends the run: the policies log what they summed over the last month.
    pub fn finish(&mut self) {
        if let Some(e) = &mut self.engine {
            e.finish();
        }
    }

    /// The policies' start of a day (they read the day before), and the stabiliser's trade
    /// through the curve at yesterday's price.
    fn policies(&mut self, p: &DaoParams) {
        let Some(engine) = &mut self.engine else {
            return;
        };
        let last = self.econ.last().copied().unwrap_or_default();
        let before = self
            .econ
            .len()
            .checked_sub(2)
            .map_or(last, |i| self.econ[i]);
        let reading = Reading {
            step: self.day,
            price: self.curve.spot_price(),
            prev_price: if self.econ.is_empty() {
                p.hatch_price
            } else {
                before.price
            },
            circulating: self.curve.supply,
            staked: last.staked,
            held: last.held,
            revenue: last.revenue,
            active: self.participants.len() as f64,
        };
        // Only the stabiliser acts in the Commons (the others need emission, rewards or a
        // staking yield): the rates of `begin` would mean nothing here.
        let _ = reading;
        let supply = self.curve.supply;
        let mut market = CurveMarket {
            curve: &mut self.curve,
            entry: p.entry_tribute,
            exit: p.exit_tribute,
            flows: &mut self.flows,
        };
        engine.stabilize(self.day, &mut market, supply);
    }

    /// A scenario's outside trade: participants buy (a factor above 1) or sell (below 1), pro
    /// rata to their holdings, as much as moves the spot price by `factor` (sales at most what
    /// they can spend).
    fn outside_trade(&mut self, p: &DaoParams, factor: f64) {
        let target = self.curve.spot_price() * factor;
        let Some(s_target) = supply_for_price(&self.curve, target) else {
            return;
        };
        let v = self.vesting;
        let held: f64 = self.participants.iter().map(|x| x.batch.total()).sum();
        if s_target > self.curve.supply {
            let r_target = self.curve.reserve_at(s_target);
            let deposit = (r_target - self.curve.reserve) / (1.0 - p.entry_tribute);
            if deposit.is_nan() || deposit <= 0.0 || held <= 0.0 {
                return;
            }
            let Ok(buy) = self.curve.buy(deposit, p.entry_tribute) else {
                return;
            };
            self.flows.deposits += deposit;
            self.flows.minted += buy.minted;
            for part in &mut self.participants {
                part.batch.nonvesting += buy.minted * part.batch.total() / held;
            }
        } else {
            let spendable: f64 = self
                .participants
                .iter()
                .map(|x| x.batch.spendable(&v))
                .sum();
            let burn = (self.curve.supply - s_target).min(spendable);
            if burn.is_nan() || burn <= 0.0 || burn >= self.curve.supply {
                return;
            }
            let Ok(sale) = self.curve.sell(burn, p.exit_tribute) else {
                return;
            };
            for part in &mut self.participants {
                let share = burn * part.batch.spendable(&v) / spendable;
                part.batch.spend(share, &v);
            }
            self.flows.burned += burn;
            self.flows.paid_to_sellers += sale.to_seller;
        }
    }

    /// One day in §4's order; appends its record.
    pub fn step(&mut self, p: &DaoParams) {
        self.day += 1;
        self.shock = self
            .conditions
            .get(self.day as usize - 1)
            .copied()
            .unwrap_or_default();
        let pool_before = self.curve.funding_pool;
        self.policies(p);
        let mut rec = DayRecord {
            day: self.day,
            ..DayRecord::default()
        };
        self.arrivals(p, &mut rec);
        for part in &mut self.participants {
            part.batch.age += 1.0;
        }
        self.new_proposal(p);
        self.speculators(p);
        self.fund_candidates(p, &mut rec);
        self.resolve_active();
        self.vote();
        self.buy(p, &mut rec);
        self.sell(p, &mut rec);
        self.exits(p, &mut rec);
        self.decay(p);
        if self.shock.price != 1.0 {
            self.outside_trade(p, self.shock.price);
        }
        self.record(rec);
        self.record_econ(pool_before);
    }

    /// The day's common record: its tributes (the funding pool's inflow) are the revenue, all
    /// of it captured by the commons.
    fn record_econ(&mut self, pool_before: f64) {
        let r = *self.records.last().expect("just recorded");
        let revenue = (self.curve.funding_pool - pool_before + r.granted_today).max(0.0);
        let (treasury_usd, treasury_tokens) = self
            .engine
            .as_ref()
            .map_or((0.0, 0.0), |e| (e.treasury_usd, e.treasury_tokens));
        if let Some(e) = &mut self.engine {
            e.end_step(self.day);
        }
        self.econ.push(EconRecord {
            step: self.day,
            price: r.price,
            circulating: r.supply,
            staked: r.staked,
            held: (r.supply - r.staked - treasury_tokens).max(0.0),
            revenue,
            captured: revenue,
            treasury_usd,
            treasury_tokens,
            active: f64::from(r.participants),
        });
    }

    /// §4.1: newcomers (the chances × `arrival_rate`, 1 in the reference).
    fn arrivals(&mut self, p: &DaoParams, rec: &mut DayRecord) {
        let mean = self.mean_sentiment();
        let (slots, chance) = if self.day < self.speculation_days {
            (self.speculation_slots, 0.5 + 0.5 * mean)
        } else {
            (1, (1.0 + mean) / 10.0)
        };
        let chance = (chance * p.arrival_rate * self.shock.arrivals).min(1.0);
        for _ in 0..slots {
            if rng::uniform(&mut self.rng) >= chance {
                continue;
            }
            let investment =
                exponential(&mut self.rng, p.newcomer_investment_mean) * self.shock.demand;
            let buy = self
                .curve
                .buy(investment, p.entry_tribute)
                .expect("a finite deposit");
            self.flows.deposits += investment;
            self.flows.minted += buy.minted;
            let sentiment = rng::uniform(&mut self.rng);
            let mut candidate_edges = Vec::new();
            for prop in self
                .proposals
                .iter()
                .filter(|x| x.status == Status::Candidate)
            {
                let affinity = polarised(&mut self.rng);
                self.affinities.add(affinity);
                candidate_edges.push(Edge {
                    proposal: prop.id,
                    affinity,
                    tokens: 0.0,
                    conviction: 0.0,
                });
            }
            self.participants.push(Participant {
                id: self.next_participant,
                sentiment,
                batch: TokenBatch {
                    nonvesting: buy.minted,
                    ..TokenBatch::default()
                },
                hatcher: false,
                candidate_edges,
                past_edges: Vec::new(),
            });
            self.next_participant += 1;
            rec.arrivals += 1;
        }
    }

    /// §4.3: perhaps a new proposal.
    fn new_proposal(&mut self, p: &DaoParams) {
        let pool = self.curve.funding_pool;
        if self.participants.is_empty() || pool <= 0.0 {
            return;
        }
        let requested: f64 = self
            .proposals
            .iter()
            .filter(|x| x.status == Status::Candidate)
            .map(|x| x.request)
            .sum();
        let chance = self.affinities.median() / (1.0 + requested / pool);
        if rng::uniform(&mut self.rng) < chance {
            let request = REQUEST_MIN
                + REQUEST_SCALE_OF_POOL * pool * gamma_int(&mut self.rng, REQUEST_SHAPE);
            self.add_proposal(request, p);
        }
    }

    /// §4.4: speculators' exit tributes.
    fn speculators(&mut self, p: &DaoParams) {
        let volume: f64 = (0..p.speculators as u32)
            .map(|_| SPECULATOR_MIN + exponential(&mut self.rng, SPECULATOR_MEAN_EXTRA))
            .sum();
        let tribute = p.exit_tribute * volume;
        self.curve.funding_pool += tribute;
        self.flows.speculator_tributes += tribute;
    }

    /// §4.5: candidates age; each, in the order proposed, is checked against its threshold at
    /// the funding pool the ones before it left, and is funded if its conviction reaches it.
    fn fund_candidates(&mut self, p: &DaoParams, rec: &mut DayRecord) {
        for prop in &mut self.proposals {
            if prop.status == Status::Candidate {
                prop.conviction = 0.0;
            }
        }
        for part in &self.participants {
            for e in &part.candidate_edges {
                self.proposals[e.proposal as usize].conviction += e.conviction;
            }
        }
        let mut funded_now = Vec::new();
        for prop in &mut self.proposals {
            if prop.status != Status::Candidate {
                continue;
            }
            prop.age += 1;
            prop.threshold = conviction::threshold(
                prop.request,
                self.curve.funding_pool,
                self.curve.supply,
                p.max_proposal_request,
            );
            if prop.threshold.is_some_and(|t| prop.conviction >= t) {
                prop.status = Status::Active;
                prop.funded_day = Some(self.day);
                self.curve.funding_pool -= prop.request;
                self.flows.granted += prop.request;
                self.granted += prop.request;
                rec.granted_today += prop.request;
                self.funded += 1;
                funded_now.push(prop.id);
            }
        }
        for id in funded_now {
            let author = self.proposals[id as usize].author;
            let mut supporters = Vec::new();
            for part in &mut self.participants {
                if let Some(k) = part.candidate_edges.iter().position(|e| e.proposal == id) {
                    let e = part.candidate_edges.remove(k);
                    if part.id == author || e.tokens > 0.0 {
                        supporters.push((part.id, e.affinity));
                    }
                    part.past_edges.push(e);
                }
            }
            self.proposals[id as usize].supporters = supporters;
            if let Some(a) = self.participant_mut(author) {
                a.sentiment = (a.sentiment + BONUS_ACTIVE).min(1.0);
            }
        }
    }

    /// §4.6: active proposals fail or complete; their supporters' sentiment follows.
    fn resolve_active(&mut self) {
        for k in 0..self.proposals.len() {
            if self.proposals[k].status != Status::Active {
                continue;
            }
            let r = self.proposals[k].request;
            let outcome = if rng::uniform(&mut self.rng)
                < resolution_probability(BASE_FAILURE_RATE, r)
            {
                Status::Failed
            } else if rng::uniform(&mut self.rng) < resolution_probability(BASE_SUCCESS_RATE, r) {
                Status::Completed
            } else {
                continue;
            };
            self.proposals[k].status = outcome;
            let delta = if outcome == Status::Completed {
                BONUS_COMPLETED
            } else {
                BONUS_FAILED
            };
            let supporters = std::mem::take(&mut self.proposals[k].supporters);
            for &(id, affinity) in &supporters {
                if let Some(part) = self.participant_mut(id) {
                    part.sentiment = (part.sentiment + affinity * delta).clamp(0.0, 1.0);
                }
            }
            self.proposals[k].supporters = supporters;
        }
    }

    /// §4.7: everyone re-stakes its holdings on its favourite candidates; conviction updates.
    fn vote(&mut self) {
        let alpha = self.alpha;
        for part in &mut self.participants {
            let best = part
                .candidate_edges
                .iter()
                .map(|e| e.affinity)
                .fold(f64::NEG_INFINITY, f64::max);
            if best.is_finite() {
                let cutoff = SUPPORT_FLOOR.max(SUPPORT_CUTOFF * best);
                let total: f64 = part
                    .candidate_edges
                    .iter()
                    .filter(|e| e.affinity > cutoff)
                    .map(|e| e.affinity)
                    .sum();
                if total > 0.0 {
                    let holdings = part.batch.total();
                    for e in &mut part.candidate_edges {
                        if e.affinity > cutoff {
                            e.tokens = holdings * e.affinity / total;
                        }
                    }
                }
            }
            for e in &mut part.candidate_edges {
                e.conviction = conviction::update(e.conviction, e.tokens, alpha);
            }
        }
    }

    /// §4.8: happy participants buy, as one deposit shared pro rata.
    fn buy(&mut self, p: &DaoParams, rec: &mut DayRecord) {
        let mut orders = Vec::new();
        for (i, part) in self.participants.iter().enumerate() {
            let s = part.sentiment;
            if s > SENTIMENT_SENSITIVITY && rng::uniform(&mut self.rng) < ENGAGEMENT_RATE * s {
                let dai = rng::uniform(&mut self.rng)
                    * (s - SENTIMENT_SENSITIVITY)
                    * p.buy_scale
                    * self.shock.demand;
                orders.push((i, dai));
            }
        }
        let deposit: f64 = orders.iter().map(|o| o.1).sum();
        if deposit <= 0.0 {
            return;
        }
        let buy = self
            .curve
            .buy(deposit, p.entry_tribute)
            .expect("a finite deposit");
        self.flows.deposits += deposit;
        self.flows.minted += buy.minted;
        for (i, dai) in orders {
            self.participants[i].batch.nonvesting += buy.minted * dai / deposit;
        }
        rec.bought_dai = deposit;
    }

    /// §4.9: unhappy participants sell part of what they can spend, as one burn.
    fn sell(&mut self, p: &DaoParams, rec: &mut DayRecord) {
        let v = self.vesting;
        let mut orders = Vec::new();
        for (i, part) in self.participants.iter().enumerate() {
            let s = part.sentiment;
            if s < SENTIMENT_SENSITIVITY && rng::uniform(&mut self.rng) < ENGAGEMENT_RATE * s {
                let tokens = rng::uniform(&mut self.rng)
                    * (SENTIMENT_SENSITIVITY - s)
                    * part.batch.spendable(&v);
                if tokens > 0.0 {
                    orders.push((i, tokens));
                }
            }
        }
        let burn: f64 = orders.iter().map(|o| o.1).sum();
        if burn <= 0.0 || burn >= self.curve.supply {
            return;
        }
        let sale = self
            .curve
            .sell(burn, p.exit_tribute)
            .expect("burn below supply");
        for (i, tokens) in orders {
            self.participants[i].batch.spend(tokens, &v);
        }
        self.flows.burned += burn;
        self.flows.paid_to_sellers += sale.to_seller;
        rec.sold_tokens = burn;
    }

    /// §4.10: unhappy participants without vesting tokens (none still locked) leave; their holdings are sold to the
    /// curve in one burn and their edges go with them. The last participant never leaves (the
    /// curve cannot burn its whole supply).
    fn exits(&mut self, p: &DaoParams, rec: &mut DayRecord) {
        let v = self.vesting;
        let mut leaving = Vec::new();
        for (i, part) in self.participants.iter().enumerate() {
            let s = part.sentiment;
            if s < EXIT_SENTIMENT
                && part.batch.locked(&v) <= 0.0
                && rng::uniform(&mut self.rng) < (1.0 - EXIT_ENGAGEMENT * s) * self.shock.churn
            {
                leaving.push(i);
            }
        }
        if leaving.len() == self.participants.len() {
            // Keep the largest holder (the first of equals).
            let keep = (0..self.participants.len()).fold(0, |k, i| {
                if self.participants[i].batch.total() > self.participants[k].batch.total() {
                    i
                } else {
                    k
                }
            });
            leaving.retain(|&i| i != keep);
        }
        if leaving.is_empty() {
            return;
        }
        let mut burn = 0.0;
        for &i in &leaving {
            let part = &mut self.participants[i];
            burn += part.batch.spend_all();
            for e in part.candidate_edges.iter().chain(&part.past_edges) {
                self.affinities.remove(e.affinity);
            }
        }
        if burn > 0.0 && burn < self.curve.supply {
            let sale = self
                .curve
                .sell(burn, p.exit_tribute)
                .expect("burn below supply");
            self.flows.burned += burn;
            self.flows.paid_to_sellers += sale.to_seller;
        }
        let mut k = 0;
        self.participants.retain(|_| {
            let keep = leaving.binary_search(&k).is_err();
            k += 1;
            keep
        });
        rec.exits = leaving.len() as u32;
    }

    /// §4.11: everyone's sentiment decays (never below 0).
    fn decay(&mut self, p: &DaoParams) {
        for part in &mut self.participants {
            part.sentiment = (part.sentiment - p.sentiment_decay).max(0.0);
        }
    }

    fn record(&mut self, mut rec: DayRecord) {
        rec.price = self.curve.spot_price();
        rec.supply = self.curve.supply;
        rec.reserve = self.curve.reserve;
        rec.funding_pool = self.curve.funding_pool;
        rec.participants = self.participants.len() as u32;
        rec.mean_sentiment = self.mean_sentiment();
        for prop in &self.proposals {
            match prop.status {
                Status::Candidate => rec.candidates += 1,
                Status::Active => rec.active += 1,
                Status::Completed => rec.completed += 1,
                Status::Failed => rec.failed += 1,
            }
        }
        rec.proposals_total = self.proposals.len() as u32;
        rec.proposals_funded = self.funded;
        rec.granted = self.granted;
        rec.staked = self
            .participants
            .iter()
            .flat_map(|x| &x.candidate_edges)
            .map(|e| e.tokens)
            .sum();
        self.records.push(rec);
    }

    /// Tokens held by all participants (equals the supply: the conservation checks use it).
    pub fn tokens_held(&self) -> f64 {
        self.participants.iter().map(|x| x.batch.total()).sum()
    }

    /// The network of this day, for the page: participants, proposals and support edges.
    pub fn snapshot(&self) -> Network {
        // Each proposal's conviction now, in one pass over the edges.
        let mut conviction = vec![0.0; self.proposals.len()];
        for e in self.participants.iter().flat_map(|q| &q.candidate_edges) {
            conviction[e.proposal as usize] += e.conviction;
        }
        Network {
            day: self.day,
            price: self.curve.spot_price(),
            supply: self.curve.supply,
            funding_pool: self.curve.funding_pool,
            participants: self
                .participants
                .iter()
                .map(|x| NetParticipant {
                    id: x.id,
                    sentiment: x.sentiment,
                    holdings: x.batch.total(),
                    hatcher: x.hatcher,
                })
                .collect(),
            proposals: self
                .proposals
                .iter()
                .map(|x| NetProposal {
                    id: x.id,
                    author: x.author,
                    status: x.status,
                    request: x.request,
                    conviction: conviction[x.id as usize],
                    threshold: x.threshold,
                    age: x.age,
                })
                .collect(),
            edges: self
                .participants
                .iter()
                .flat_map(|q| {
                    q.candidate_edges
                        .iter()
                        .chain(q.past_edges.iter().filter(|e| {
                            self.proposals[e.proposal as usize].status == Status::Active
                        }))
                        .filter(|e| e.tokens > 0.0)
                        .map(move |e| NetEdge {
                            participant: q.id,
                            proposal: e.proposal,
                            tokens: e.tokens,
                            affinity: e.affinity,
                        })
                })
                .collect(),
        }
    }
}

/// The network of one day: what the page's network chart and the conviction chart draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub day: u32,
    /// The curve's spot price (DAI per token), supply and the funding pool (DAI) at the end of
    /// the day.
    pub price: f64,
    pub supply: f64,
    pub funding_pool: f64,
    pub participants: Vec<NetParticipant>,
    pub proposals: Vec<NetProposal>,
    /// Edges with tokens staked, to candidates and active proposals.
    pub edges: Vec<NetEdge>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetParticipant {
    pub id: u32,
    pub sentiment: f64,
    pub holdings: f64,
    pub hatcher: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetProposal {
    pub id: u32,
    pub author: u32,
    pub status: Status,
    pub request: f64,
    /// The conviction its candidate edges hold now (after the day's vote).
    pub conviction: f64,
    pub threshold: Option<f64>,
    pub age: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetEdge {
    pub participant: u32,
    pub proposal: u32,
    pub tokens: f64,
    pub affinity: f64,
}

/// Runs one world to the end of `day` (0: right after the hatch) and returns its network.
pub fn network_at(p: &DaoParams, seed: u64, day: u32) -> Network {
    let mut w = World::new(p, seed);
    for _ in 0..day.min(p.days()) {
        w.step(p);
    }
    w.snapshot()
}

#[cfg(test)]
#[path = "sim_tests.rs"]
mod tests;
