//! The engine a model's step calls at fixed points (spec §1–§2). Each policy reads the previous
//! step's state — a [`Reading`] taken before the step — and acts once per step, so the order in
//! which policies are listed never changes a result. Every action is an [`Intervention`] in the
//! log. The engine draws no random numbers.
//!
//! A step calls, in this order: [`Engine::begin`] (the controller's rate, the reward multiplier,
//! the staking APY), [`Engine::emission`], [`Engine::stabilize`] (through the model's
//! [`Market`]), then as money moves [`Engine::route_revenue`], [`Engine::reward_keep`] with
//! [`Engine::book_tax`], [`Engine::fee_on_sale`], and finally [`Engine::end_step`].

use super::{PolicyParams, RewardCurve, INFLATION_RANGE};
use crate::format::{percent, readable};
use serde::{Deserialize, Serialize};

/// The most interventions a run keeps in its log (every one is counted).
pub const LOG_CAP: usize = 2_000;

/// The state a policy reads: the end of the previous step (before step 1: launch).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reading {
    /// The step about to run, from 1.
    pub step: u32,
    pub price: f64,
    /// The price a step earlier (the launch price while there is none).
    pub prev_price: f64,
    pub circulating: f64,
    pub staked: f64,
    /// Participants' liquid tokens (held, not staked).
    pub held: f64,
    /// The previous step's protocol revenue or fees, in the quote currency.
    pub revenue: f64,
    pub active: f64,
}

impl Reading {
    /// Staking participation: staked ÷ (staked + held); 0 with no tokens.
    pub fn participation(&self) -> f64 {
        super::health::participation(self.staked, self.held)
    }
}

/// A model's market as the policies trade in it: a pool (exact amounts to reach a price) or a
/// reference price (buys and sells change supply; the model's price formula does the rest).
pub trait Market {
    fn price(&self) -> f64;
    /// Buys tokens with `usd`: what the market took (quote currency) and gave (tokens).
    fn buy(&mut self, usd: f64) -> Trade;
    /// Sells `tokens`: what the market took (tokens) and gave (quote currency).
    fn sell(&mut self, tokens: f64) -> Trade;
    /// The quote currency a buy needs to lift the price to `target`, if the market can say.
    fn usd_to_reach(&self, _target: f64) -> Option<f64> {
        None
    }
    /// The tokens a sale needs to bring the price down to `target`, if the market can say.
    fn tokens_to_reach(&self, _target: f64) -> Option<f64> {
        None
    }
    /// Whether the protocol may issue new tokens to sell (a bonding curve issues only against
    /// deposits: there the stabiliser sells the treasury's tokens alone).
    fn issues(&self) -> bool {
        true
    }
}

/// A trade as the market carried it out. A market that refuses a trade too small to give
/// anything (dust) takes nothing; one that takes it anyway gives back 0 — either way the policies
/// book exactly what moved, so every unit is accounted for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Trade {
    pub took: f64,
    pub gave: f64,
}

impl Trade {
    /// A trade the market carried out: it took `took` and gave `gave`.
    pub fn done(took: f64, gave: f64) -> Trade {
        Trade { took, gave }
    }

    /// A trade the market refused (it took nothing) when `gave` is 0; else the whole `took`.
    pub fn unless_dust(took: f64, gave: f64) -> Trade {
        if gave > 0.0 {
            Trade { took, gave }
        } else {
            Trade::default()
        }
    }
}

/// One intervention of a policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    pub step: u32,
    pub policy: String,
    pub action: String,
    /// Tokens moved (bought, sold, issued, burned, paid); 0 for a change of rate.
    pub tokens: f64,
    /// Quote currency moved.
    pub usd: f64,
}

/// What the policies set for this step, read by the model's step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// The network multiplier on rewards (1 unless dynamic rewards uses decay or multiplier).
    pub reward_scale: f64,
    /// A quality curve (linear or quadratic) that re-weights rewards among participants.
    pub quality: Option<RewardCurve>,
    /// The staking APY set by dynamic staking.
    pub staking_apy: Option<f64>,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            reward_scale: 1.0,
            quality: None,
            staking_apy: None,
        }
    }
}

/// What the stabiliser did to the supply this step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stabilized {
    /// Tokens bought back (out of circulation, into the treasury).
    pub bought: f64,
    /// Tokens sold (into circulation: the treasury's first, then newly issued).
    pub sold: f64,
    /// Of `sold`, the newly issued.
    pub issued: f64,
}

/// What value distribution did with revenue.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Routed {
    /// Tokens bought for stakers: the model pays them pro rata to stakes (or hands them back
    /// with [`Engine::unpaid`] when nobody stakes).
    pub stakers_tokens: f64,
    /// Tokens bought and burned.
    pub burned: f64,
}

/// The policies of one run: their state (treasury, controlled inflation) and their log.
#[derive(Clone, Debug)]
pub struct Engine {
    pub p: PolicyParams,
    steps_per_year: f64,
    launch_price: f64,
    pub treasury_usd: f64,
    pub treasury_tokens: f64,
    /// Paid to developers so far (it left the economy).
    pub developers_usd: f64,
    /// Tokens of fees and taxes burned so far (the model books them with its own burns).
    pub fees_burned: f64,
    /// Tokens newly issued by the stabiliser so far.
    pub issued: f64,
    /// This step's revenue routed back to the token (stakers, treasury, burn), or the model's own
    /// use of it when value distribution is off (set by the model).
    pub captured: f64,
    /// The controlled annual inflation rate.
    pub inflation: f64,
    /// The most tokens the stabiliser may newly issue this step (a model with a maximum supply
    /// sets it before [`Engine::stabilize`]; unbounded otherwise).
    pub issue_room: f64,
    /// Stability fees taken this step, not yet settled.
    pending_fees: f64,
    /// Flows not yet logged (summed over a month).
    flows: Flows,
    /// The controller's last target.
    target: f64,
    /// Kept interventions (at most [`LOG_CAP`]; `None` when the run keeps no log).
    pub log: Option<Vec<Intervention>>,
    /// Every intervention, counted.
    pub interventions: u64,
}

impl Engine {
    /// The policies of a run of a model whose steps are `1 / steps_per_year` of a year and whose
    /// token launched at `launch_price`.
    pub fn new(p: &PolicyParams, steps_per_year: f64, launch_price: f64, keep_log: bool) -> Self {
        Engine {
            p: p.clone(),
            steps_per_year,
            launch_price,
            treasury_usd: p.treasury_start,
            treasury_tokens: 0.0,
            developers_usd: 0.0,
            fees_burned: 0.0,
            issued: 0.0,
            captured: 0.0,
            inflation: clamp_inflation(p.inflation_target),
            issue_room: f64::INFINITY,
            pending_fees: 0.0,
            flows: Flows::default(),
            target: clamp_inflation(p.inflation_target),
            log: keep_log.then(Vec::new),
            interventions: 0,
        }
    }

    fn note(&mut self, step: u32, policy: &str, action: String, tokens: f64, usd: f64) {
        self.interventions += 1;
        if let Some(log) = &mut self.log {
            if log.len() < LOG_CAP {
                log.push(Intervention {
                    step,
                    policy: policy.to_string(),
                    action,
                    tokens,
                    usd,
                });
            }
        }
    }

    /// Sets the price the band is a multiple of (a model whose price forms in its first step).
    pub fn set_launch_price(&mut self, price: f64) {
        self.launch_price = price;
    }

    /// Steps in a month (30 days for daily models).
    fn steps_per_month(&self) -> f64 {
        self.steps_per_year / 12.0
    }

    /// Whether `step` starts a month (every step of a monthly model): rates set each step are
    /// logged once a month.
    fn month_start(&self, step: u32) -> bool {
        let per = libm::round(self.steps_per_month()).max(1.0) as u32;
        (step.max(1) - 1) % per == 0
    }

    /// The inflation controller's target for a reading: the target, lower when the price fell
    /// (10 % of the fall), higher when participation is short of its target (3 % of the
    /// shortfall's share), within 2–8 %.
    pub fn inflation_target(&self, r: &Reading) -> f64 {
        let fall = if r.prev_price > 0.0 {
            (1.0 - r.price / r.prev_price).max(0.0)
        } else {
            0.0
        };
        let t = self.p.participation_target;
        let short = ((t - r.participation()) / t).max(0.0);
        clamp_inflation(self.p.inflation_target - 0.10 * fall + 0.03 * short)
    }

    /// Start of a step: the controller's rate, the reward multiplier and the staking APY, from
    /// the previous step's state.
    pub fn begin(&mut self, r: &Reading) -> Plan {
        let mut plan = Plan::default();
        let step = r.step;
        if self.p.inflation_controller.on() && step > 1 {
            let target = self.inflation_target(r);
            // (target − rate) ÷ 12 a month, at most the adjustment a month; per step for models
            // whose step is shorter than a month.
            let per_step = 1.0 / self.steps_per_month();
            let max = self.p.max_monthly_adjustment * per_step;
            let change = ((target - self.inflation) / 12.0 * per_step).clamp(-max, max);
            self.inflation += change;
            self.target = target;
        }
        if self.p.dynamic_rewards.on() {
            match self.p.reward_curve {
                RewardCurve::Linear | RewardCurve::Quadratic => {
                    plan.quality = Some(self.p.reward_curve)
                }
                RewardCurve::Decay => {
                    let years = f64::from(step.saturating_sub(1)) / self.steps_per_year;
                    plan.reward_scale = self.p.decay_start * libm::exp(-self.p.decay_rate * years);
                }
                RewardCurve::Multiplier => {
                    let part = r.participation();
                    let raw = if part > 0.0 {
                        self.p.participation_target / part
                    } else {
                        f64::INFINITY
                    };
                    plan.reward_scale = raw.clamp(self.p.multiplier_min, self.p.multiplier_max);
                }
            }
            if plan.reward_scale != 1.0 && self.month_start(step) {
                self.note(
                    step,
                    "dynamic_rewards",
                    format!(
                        "rewards × {} ({} participation {})",
                        readable(plan.reward_scale),
                        curve_name(self.p.reward_curve),
                        percent(r.participation())
                    ),
                    0.0,
                    0.0,
                );
            }
        }
        if self.p.dynamic_staking.on() {
            let (lo, hi) = (self.p.staking_apy_min, self.p.staking_apy_max);
            let reach = (r.participation() / self.p.participation_target).min(1.0);
            let apy = hi - (hi - lo) * reach;
            plan.staking_apy = Some(apy);
            if self.month_start(step) {
                self.note(
                    step,
                    "dynamic_staking",
                    format!(
                        "staking APY {} (participation {} of target {})",
                        percent2(apy),
                        percent(r.participation()),
                        percent(self.p.participation_target)
                    ),
                    0.0,
                    0.0,
                );
            }
        }
        self.captured = 0.0;
        plan
    }

    /// This step's emission: the model's own `scheduled`, or with the controller on, `supply` ×
    /// the controlled annual rate for one step.
    pub fn emission(&mut self, step: u32, scheduled: f64, supply: f64) -> f64 {
        if !self.p.inflation_controller.on() {
            return scheduled;
        }
        let e = (supply.max(0.0) * self.inflation / self.steps_per_year).max(0.0);
        if self.month_start(step) {
            self.note(
                step,
                "inflation_controller",
                format!(
                    "emission {} tokens a step: inflation {} a year, moving toward {} (the model's own: {})",
                    readable(e),
                    percent2(self.inflation),
                    percent2(self.target),
                    readable(scheduled)
                ),
                e,
                0.0,
            );
        }
        e
    }

    /// The stabiliser, at the start of a step (the market's price is the previous step's close):
    /// below the band it buys back with at most `buyback_max_share` of the treasury's USD (no
    /// more than reaching the floor needs, when the market can say); above it it sells the
    /// treasury's tokens, then newly issued ones, at most `issue_max_share` of `circulating`.
    pub fn stabilize(&mut self, step: u32, m: &mut dyn Market, circulating: f64) -> Stabilized {
        let mut out = Stabilized::default();
        if !self.p.price_stabilizer.on() {
            return out;
        }
        let price = m.price();
        if !(price > 0.0 && price.is_finite() && self.launch_price > 0.0) {
            return out;
        }
        let (lower, upper) = (
            self.p.band_lower * self.launch_price,
            self.p.band_upper * self.launch_price,
        );
        if price < lower {
            let cap = self.treasury_usd * self.p.buyback_max_share;
            let usd = m
                .usd_to_reach(lower)
                .map_or(cap, |need| need.min(cap))
                .max(0.0);
            // The treasury pays what the market took, even when a dust trade gave 0 tokens back;
            // a trade the market refused costs nothing and is no intervention.
            let trade = if usd > 0.0 {
                m.buy(usd)
            } else {
                Trade::default()
            };
            if trade.took > 0.0 {
                let (usd, tokens) = (trade.took, trade.gave);
                self.treasury_usd -= usd;
                self.treasury_tokens += tokens;
                out.bought = tokens;
                self.note(
                    step,
                    "price_stabilizer",
                    format!(
                        "price {} below the floor {}: bought back {} tokens for {} (treasury left {})",
                        readable(price),
                        readable(lower),
                        readable(tokens),
                        readable(usd),
                        readable(self.treasury_usd)
                    ),
                    tokens,
                    -usd,
                );
            }
        } else if price > upper {
            let mut cap = circulating.max(0.0) * self.p.issue_max_share;
            let room = if m.issues() { self.issue_room } else { 0.0 };
            cap = cap.min(self.treasury_tokens + room);
            let tokens = m
                .tokens_to_reach(upper)
                .map_or(cap, |need| need.min(cap))
                .max(0.0);
            // Likewise a sale: the tokens the market took left the treasury (or were issued),
            // whatever they fetched.
            let trade = if tokens > 0.0 {
                m.sell(tokens)
            } else {
                Trade::default()
            };
            if trade.took > 0.0 {
                let (tokens, usd) = (trade.took, trade.gave);
                let from_treasury = tokens.min(self.treasury_tokens);
                self.treasury_tokens -= from_treasury;
                let issued = tokens - from_treasury;
                self.issued += issued;
                self.treasury_usd += usd;
                out.sold = tokens;
                out.issued = issued;
                self.note(
                    step,
                    "price_stabilizer",
                    format!(
                        "price {} above the ceiling {}: sold {} tokens ({} newly issued) for {}",
                        readable(price),
                        readable(upper),
                        readable(tokens),
                        readable(issued),
                        readable(usd)
                    ),
                    -tokens,
                    usd,
                );
            }
        }
        out
    }

    /// Value distribution of this step's `revenue` (when on): stakers' share bought into tokens,
    /// the treasury's kept, the developers' paid out, the burn share bought and burned. Returns
    /// `None` when value distribution is off (the model's own rule applies).
    pub fn route_revenue(&mut self, step: u32, revenue: f64, m: &mut dyn Market) -> Option<Routed> {
        if !self.p.value_distribution.on() {
            return None;
        }
        let mut out = Routed::default();
        if revenue <= 0.0 {
            return Some(out);
        }
        let [s, t, d, b] = self.p.shares();
        // What the market does not take (an empty pool, dust) stays with the treasury.
        let stakers = m.buy(revenue * s);
        out.stakers_tokens = stakers.gave;
        if stakers.took <= 0.0 {
            self.treasury_usd += revenue * s;
        }
        self.treasury_usd += revenue * t;
        self.developers_usd += revenue * d;
        let burn = m.buy(revenue * b);
        out.burned = burn.gave;
        if burn.took <= 0.0 {
            self.treasury_usd += revenue * b;
        }
        self.captured += revenue * (s + t + b);
        self.flows.add(
            step,
            Flow::Revenue,
            [revenue, out.stakers_tokens, out.burned],
        );
        Some(out)
    }

    /// Stakers' tokens the model could not pay (nobody stakes): kept by the treasury.
    pub fn unpaid(&mut self, tokens: f64) {
        self.treasury_tokens += tokens;
    }

    /// The share of each reward a participant keeps after the treasury tax.
    pub fn reward_keep(&self) -> f64 {
        1.0 - self.p.treasury_tax
    }

    /// Books the treasury tax on this step's `gross` rewards (the participants got
    /// [`Engine::reward_keep`] of theirs): the tax, less the burn rate, to the treasury; returns
    /// the tokens burned.
    pub fn book_tax(&mut self, step: u32, gross: f64) -> f64 {
        let tax = gross * self.p.treasury_tax;
        if tax <= 0.0 {
            return 0.0;
        }
        self.take_fee(step, Flow::Tax, tax)
    }

    /// The stability fee on a sale of `tokens`: returns the tokens that still reach the market
    /// and the tokens burned; the fee, less the burn rate, goes to the treasury.
    pub fn fee_on_sale(&mut self, step: u32, tokens: f64) -> (f64, f64) {
        let fee = self.sale_fee(tokens);
        (tokens - fee, self.settle_sale_fees(step))
    }

    /// The stability fee on one sale of `tokens` (a model with many sales a step takes each
    /// sale's fee here and settles them once with [`Engine::settle_sale_fees`]).
    pub fn sale_fee(&mut self, tokens: f64) -> f64 {
        let fee = tokens.max(0.0) * self.p.stability_fee;
        self.pending_fees += fee;
        fee
    }

    /// The step's stability fees, less the burn rate, to the treasury (one intervention);
    /// returns the tokens burned.
    pub fn settle_sale_fees(&mut self, step: u32) -> f64 {
        let fee = std::mem::take(&mut self.pending_fees);
        if fee <= 0.0 {
            return 0.0;
        }
        self.take_fee(step, Flow::SaleFee, fee)
    }

    fn take_fee(&mut self, step: u32, policy: Flow, fee: f64) -> f64 {
        let burned = fee * self.p.fee_burn;
        self.fees_burned += burned;
        self.treasury_tokens += fee - burned;
        self.flows.add(step, policy, [fee, fee - burned, burned]);
        burned
    }

    /// The end of a step: at a month's end the month's flows are logged.
    pub fn end_step(&mut self, step: u32) {
        let per = libm::round(self.steps_per_month()).max(1.0) as u32;
        if step % per == 0 {
            self.finish();
        }
    }

    /// Logs the flows summed since the last note (value distribution's revenue, fees and
    /// taxes: one note a month each). A run calls it after its last step.
    pub fn finish(&mut self) {
        for (flow, (from, to, [a, b, c])) in std::mem::take(&mut self.flows).into_iter() {
            let when = if from == to {
                String::new()
            } else {
                format!(" over steps {from}–{to}")
            };
            let (policy, action, tokens, usd) = match flow {
                Flow::Revenue => {
                    let [s, t, d, bu] = self.p.shares();
                    (
                        "value_distribution",
                        format!(
                            "revenue {}{when}: stakers {} ({} tokens), treasury {}, developers {}, burn {} ({} tokens)",
                            readable(a),
                            readable(a * s),
                            readable(b),
                            readable(a * t),
                            readable(a * d),
                            readable(a * bu),
                            readable(c)
                        ),
                        b + c,
                        a,
                    )
                }
                Flow::SaleFee | Flow::Tax => (
                    if flow == Flow::SaleFee {
                        "stability_fee"
                    } else {
                        "treasury_tax"
                    },
                    format!(
                        "{} tokens {}{when}: {} to the treasury, {} burned",
                        readable(a),
                        if flow == Flow::SaleFee {
                            "of sales"
                        } else {
                            "of rewards"
                        },
                        readable(b),
                        readable(c)
                    ),
                    a,
                    0.0,
                ),
            };
            self.note(to, policy, action, tokens, usd);
        }
    }
}

/// Flows summed over a month before they are logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Flow {
    Revenue,
    SaleFee,
    Tax,
}

/// A flow's first and last step and its sums.
type Span = (u32, u32, [f64; 3]);

/// The flows waiting to be logged, in a fixed order.
#[derive(Clone, Debug, Default)]
struct Flows(Vec<(Flow, Span)>);

impl Flows {
    fn add(&mut self, step: u32, flow: Flow, amounts: [f64; 3]) {
        match self.0.iter_mut().find(|(f, _)| *f == flow) {
            Some((_, (_, to, sums))) => {
                *to = step;
                for (s, a) in sums.iter_mut().zip(amounts) {
                    *s += a;
                }
            }
            None => {
                self.0.push((flow, (step, step, amounts)));
                self.0.sort_by_key(|(f, _)| *f);
            }
        }
    }

    fn into_iter(self) -> impl Iterator<Item = (Flow, Span)> {
        self.0.into_iter()
    }
}

fn clamp_inflation(x: f64) -> f64 {
    x.clamp(INFLATION_RANGE.0, INFLATION_RANGE.1)
}

fn percent2(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

fn curve_name(c: RewardCurve) -> &'static str {
    match c {
        RewardCurve::Linear => "linear;",
        RewardCurve::Quadratic => "quadratic;",
        RewardCurve::Decay => "decay;",
        RewardCurve::Multiplier => "multiplier;",
    }
}

/// A quality curve's weight of a participant with contribution `q` (linear: q; quadratic: q²).
/// The model divides by the mean weight, so the budget is the same and only its split changes.
pub fn quality_weight(curve: RewardCurve, q: f64) -> f64 {
    match curve {
        RewardCurve::Quadratic => q * q,
        _ => q,
    }
}
