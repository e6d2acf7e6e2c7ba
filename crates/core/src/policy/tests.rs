//! Tests of each policy's rule (spec §2), the scenarios' text and schedule (§3) and the health
//! metrics (§4), on a constant-product test market.

use super::engine::{Engine, Market, Reading, Trade};
use super::health::{checks, metrics, EconRecord, Launch, METRICS};
use super::scenario::{crowdtrain_events, parse_list, standard_library, Lever, Scenario};
use super::{PolicyParams, RewardCurve, Switch};

/// A constant-product pool without fee.
struct TestPool {
    tokens: f64,
    usd: f64,
}

impl Market for TestPool {
    fn price(&self) -> f64 {
        self.usd / self.tokens
    }
    fn buy(&mut self, usd: f64) -> Trade {
        let k = self.tokens * self.usd;
        self.usd += usd;
        let out = self.tokens - k / self.usd;
        self.tokens -= out;
        Trade::done(usd, out)
    }
    fn sell(&mut self, tokens: f64) -> Trade {
        let k = self.tokens * self.usd;
        self.tokens += tokens;
        let out = self.usd - k / self.tokens;
        self.usd -= out;
        Trade::done(tokens, out)
    }
    fn usd_to_reach(&self, target: f64) -> Option<f64> {
        Some((libm::sqrt(self.tokens * self.usd * target) - self.usd).max(0.0))
    }
    fn tokens_to_reach(&self, target: f64) -> Option<f64> {
        Some((libm::sqrt(self.tokens * self.usd / target) - self.tokens).max(0.0))
    }
}

fn stabilizer() -> PolicyParams {
    PolicyParams {
        price_stabilizer: Switch::On,
        ..PolicyParams::default()
    }
}

fn reading(step: u32, price: f64, prev: f64, staked: f64, held: f64) -> Reading {
    Reading {
        step,
        price,
        prev_price: prev,
        circulating: 1e6,
        staked,
        held,
        revenue: 0.0,
        active: 100.0,
    }
}

#[test]
fn the_stabiliser_buys_only_below_the_band_and_within_the_treasury() {
    // Launch price 1; band 0.8–2.
    for (price, acts) in [
        (0.5, "buy"),
        (0.79, "buy"),
        (0.8, "none"),
        (1.0, "none"),
        (2.0, "none"),
        (2.5, "sell"),
    ] {
        let mut e = Engine::new(&stabilizer(), 12.0, 1.0, true);
        let mut pool = TestPool {
            tokens: 100_000.0,
            usd: 100_000.0 * price,
        };
        let before = (e.treasury_usd, e.treasury_tokens);
        let done = e.stabilize(1, &mut pool, 1e6);
        match acts {
            "buy" => {
                assert!(done.bought > 0.0 && done.sold == 0.0, "{price}: {done:?}");
                let spent = before.0 - e.treasury_usd;
                assert!(spent <= before.0 * 0.25 + 1e-9, "{price}: spent {spent}");
                assert!(e.treasury_usd >= 0.0);
                assert_eq!(e.treasury_tokens, done.bought);
                // It never lifts the price past the floor.
                assert!(pool.price() <= 0.8 + 1e-12, "{price}: {}", pool.price());
            }
            "sell" => {
                assert!(done.sold > 0.0 && done.bought == 0.0, "{price}: {done:?}");
                assert!(done.sold <= 1e6 * 0.01 + 1e-9);
                assert!(pool.price() >= 2.0 - 1e-12);
                assert!(e.treasury_usd > before.0);
            }
            _ => {
                assert_eq!(done, Default::default(), "{price}");
                assert_eq!((e.treasury_usd, e.treasury_tokens), before);
                assert_eq!(e.interventions, 0);
            }
        }
    }
    // With an empty treasury it cannot buy; repeated buybacks never spend more than it holds.
    let mut e = Engine::new(
        &PolicyParams {
            treasury_start: 0.0,
            ..stabilizer()
        },
        12.0,
        1.0,
        true,
    );
    let mut pool = TestPool {
        tokens: 1e5,
        usd: 1e4,
    };
    assert_eq!(e.stabilize(1, &mut pool, 1e6).bought, 0.0);
    let mut e = Engine::new(
        &PolicyParams {
            buyback_max_share: 1.0,
            ..stabilizer()
        },
        12.0,
        1.0,
        true,
    );
    for step in 1..=50 {
        e.stabilize(step, &mut pool, 1e6);
        assert!(e.treasury_usd >= -1e-9, "step {step}: {}", e.treasury_usd);
    }
    assert!(e
        .log
        .as_ref()
        .unwrap()
        .iter()
        .all(|i| i.policy == "price_stabilizer"));
}

#[test]
fn the_stabiliser_sells_treasury_tokens_before_issuing() {
    let mut e = Engine::new(&stabilizer(), 12.0, 1.0, true);
    e.treasury_tokens = 100.0;
    let mut pool = TestPool {
        tokens: 100_000.0,
        usd: 300_000.0,
    };
    let done = e.stabilize(1, &mut pool, 1e6);
    assert_eq!(done.sold, 10_000.0, "the per-step cap: 1 % of the supply");
    assert_eq!(done.issued, 9_900.0);
    assert_eq!(e.treasury_tokens, 0.0);
    assert_eq!(e.issued, 9_900.0);
}

#[test]
fn value_distribution_splits_revenue_by_its_shares() {
    let p = PolicyParams {
        value_distribution: Switch::On,
        ..PolicyParams::default()
    };
    let mut e = Engine::new(&p, 12.0, 1.0, true);
    let mut pool = TestPool {
        tokens: 1e6,
        usd: 1e6,
    };
    let t0 = e.treasury_usd;
    let r = e.route_revenue(1, 1000.0, &mut pool).unwrap();
    assert!((e.treasury_usd - t0 - 300.0).abs() < 1e-9);
    assert!((e.developers_usd - 200.0).abs() < 1e-9);
    assert!(r.stakers_tokens > 399.0 && r.stakers_tokens < 400.0);
    assert!(r.burned > 99.0 && r.burned < 100.0);
    assert!((e.captured - 800.0).abs() < 1e-9);
    // Off: the model's own rule applies.
    let mut off = Engine::new(&PolicyParams::default(), 12.0, 1.0, true);
    assert!(off.route_revenue(1, 1000.0, &mut pool).is_none());
}

#[test]
fn shares_must_sum_to_100() {
    let mut p = PolicyParams {
        share_stakers: 50.0,
        ..PolicyParams::default()
    };
    let issues = p.cross_check();
    assert_eq!(issues.len(), 1);
    assert!(
        issues[0].message.contains("sum to 110"),
        "{}",
        issues[0].message
    );
    assert_eq!(p.shares(), [0.4, 0.3, 0.2, 0.1]);
    let mut q = PolicyParams {
        staking_apy_min: 0.2,
        staking_apy_max: 0.1,
        ..PolicyParams::default()
    };
    let issues = q.cross_check();
    assert_eq!(issues[0].field, "staking_apy_max");
    assert_eq!((q.staking_apy_min, q.staking_apy_max), (0.05, 0.15));
}

#[test]
fn the_inflation_controller_moves_toward_its_target_within_the_adjustment() {
    let p = PolicyParams {
        inflation_controller: Switch::On,
        inflation_target: 0.08,
        ..PolicyParams::default()
    };
    let mut e = Engine::new(&p, 12.0, 1.0, true);
    assert_eq!(e.inflation, 0.08, "it starts at its target");
    // The price halved: the target drops by 10 % of the fall (5 points) to 3 %.
    let r = reading(2, 0.5, 1.0, 60.0, 40.0);
    assert!((e.inflation_target(&r) - 0.03).abs() < 1e-12);
    let mut last = e.inflation;
    for step in 2..40 {
        e.begin(&reading(step, 0.5, 1.0, 60.0, 40.0));
        let moved = last - e.inflation;
        assert!(
            (0.0..=0.005 + 1e-12).contains(&moved),
            "step {step}: {moved}"
        );
        last = e.inflation;
    }
    assert!((e.inflation - 0.03).abs() < 0.004, "{}", e.inflation);
    // Participation short of its target raises the target, within 2–8 %.
    let short = reading(2, 1.0, 1.0, 0.0, 100.0);
    assert!((e.inflation_target(&short) - 0.08).abs() < 1e-12);
    // A daily model moves a month's adjustment over 30 steps.
    let mut d = Engine::new(&p, 365.0, 1.0, false);
    d.begin(&reading(2, 0.5, 1.0, 60.0, 40.0));
    assert!((0.08 - d.inflation) <= 0.005 * 12.0 / 365.0 + 1e-15);
    // The emission is the supply times the rate for one step.
    let e2 = e.emission(5, 123.0, 1_200_000.0);
    assert!((e2 - 1_200_000.0 * e.inflation / 12.0).abs() < 1e-6);
}

#[test]
fn dynamic_staking_and_the_reward_curves() {
    let p = PolicyParams {
        dynamic_staking: Switch::On,
        dynamic_rewards: Switch::On,
        ..PolicyParams::default()
    };
    let mut e = Engine::new(&p, 12.0, 1.0, true);
    let plan = e.begin(&reading(3, 1.0, 1.0, 0.0, 100.0));
    assert_eq!(plan.staking_apy, Some(0.15));
    assert_eq!(plan.reward_scale, 2.0, "nobody stakes: the ceiling");
    let plan = e.begin(&reading(3, 1.0, 1.0, 30.0, 70.0));
    assert!(
        (plan.staking_apy.unwrap() - 0.10).abs() < 1e-12,
        "half the target: halfway"
    );
    assert!((plan.reward_scale - 2.0).abs() < 1e-12);
    let plan = e.begin(&reading(3, 1.0, 1.0, 90.0, 10.0));
    assert_eq!(plan.staking_apy, Some(0.05));
    assert!((plan.reward_scale - 0.6 / 0.9).abs() < 1e-12);
    // Decay: r₀ at launch, r₀·e^(−λ) a year later.
    let mut d = Engine::new(
        &PolicyParams {
            reward_curve: RewardCurve::Decay,
            ..p.clone()
        },
        12.0,
        1.0,
        true,
    );
    assert_eq!(d.begin(&reading(1, 1.0, 1.0, 1.0, 1.0)).reward_scale, 2.0);
    let a_year = d.begin(&reading(13, 1.0, 1.0, 1.0, 1.0)).reward_scale;
    assert!((a_year - 2.0 * libm::exp(-1.0)).abs() < 1e-12);
    // Linear and quadratic re-weight by quality and leave the multiplier at 1.
    for c in [RewardCurve::Linear, RewardCurve::Quadratic] {
        let mut q = Engine::new(
            &PolicyParams {
                reward_curve: c,
                ..p.clone()
            },
            12.0,
            1.0,
            true,
        );
        let plan = q.begin(&reading(2, 1.0, 1.0, 1.0, 1.0));
        assert_eq!((plan.reward_scale, plan.quality), (1.0, Some(c)));
    }
}

#[test]
fn fees_go_to_the_treasury_less_the_burn() {
    let p = PolicyParams {
        stability_fee: 0.01,
        treasury_tax: 0.05,
        fee_burn: 0.5,
        ..PolicyParams::default()
    };
    assert!(p.any());
    let mut e = Engine::new(&p, 12.0, 1.0, true);
    let (rest, burned) = e.fee_on_sale(1, 1000.0);
    assert_eq!((rest, burned), (990.0, 5.0));
    assert_eq!(e.treasury_tokens, 5.0);
    assert_eq!(e.reward_keep(), 0.95);
    assert_eq!(e.book_tax(1, 200.0), 5.0);
    assert_eq!(e.treasury_tokens, 10.0);
    assert_eq!(e.fees_burned, 10.0);
    // Flows are logged once a month (every step of a monthly model), fees and taxes apart.
    assert_eq!(e.interventions, 0);
    e.end_step(1);
    assert_eq!(e.interventions, 2);
    let log = e.log.as_ref().unwrap();
    assert_eq!(log[0].policy, "stability_fee");
    assert!(log[1].action.contains("of rewards"), "{}", log[1].action);
    // A daily model sums a month of fees into one note.
    let mut d = Engine::new(&p, 365.0, 1.0, true);
    for step in 1..=45 {
        d.fee_on_sale(step, 10.0);
        d.end_step(step);
    }
    assert_eq!(d.interventions, 1);
    d.finish();
    assert_eq!(d.interventions, 2);
    let log = d.log.as_ref().unwrap();
    assert!(
        log[0].action.contains("over steps 1–30"),
        "{}",
        log[0].action
    );
    assert!(
        log[1].action.contains("over steps 31–45"),
        "{}",
        log[1].action
    );
}

#[test]
fn policies_are_off_by_default_and_switched_by_name() {
    let p = PolicyParams::default();
    assert!(!p.any());
    assert!(p.active().is_empty());
    let mut q = p.clone();
    for s in super::SWITCHES {
        assert!(q.put(s, crate::params::Value::Choice("on")));
    }
    assert_eq!(q.active(), super::SWITCHES.to_vec());
    assert!(!q.put("months", crate::params::Value::Real(3.0)));
}

#[test]
fn scenario_text_round_trips_and_bad_text_is_named() {
    let lib = standard_library(24, 1);
    let list = parse_list("bull; bear;shock:12+1,price*0.75/12+6,arrivals x 0.5", &lib).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[2].shocks[1].factors, vec![(Lever::Arrivals, 0.5)]);
    let text = super::scenario::list_text(&list, &lib);
    assert_eq!(text, "bull;bear;shock:12+1,price*0.75/12+6,arrivals*0.5");
    assert_eq!(parse_list(&text, &lib).unwrap(), list);
    assert_eq!(parse_list("all", &lib).unwrap(), lib);
    let more = parse_list("all;x:3+1,demand*2", &lib).unwrap();
    assert_eq!((more.len(), more[4].name.as_str()), (5, "x"));
    assert_eq!(parse_list("all;bull", &lib).unwrap(), lib);
    // Names joined by commas, before a written-out scenario too.
    let commas = parse_list("bull,bear,shock:12+1,price*0.75/12+6,arrivals*0.5", &lib).unwrap();
    assert_eq!(commas, list);
    for (bad, says) in [
        ("moon", "not in the library"),
        ("x:0+3,price*2", "START+DURATION"),
        ("x:3+3,price*0", "not a factor from 0.01 to 100"),
        ("x:3+3,gravity*2", "allowed price, demand, arrivals, churn"),
        ("x:3+3", "changes nothing"),
        ("bull;bull", "listed twice"),
        ("baseline", "always included"),
        ("Bad Name:1+1,price*2", "not a scenario name"),
    ] {
        let e = parse_list(bad, &lib).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn a_shock_spreads_its_price_factor_and_short_runs_skip_late_events() {
    let s = crowdtrain_events();
    assert_eq!(s.at(17).arrivals, 1.0);
    assert_eq!(s.at(18).arrivals, 0.7);
    assert_eq!(s.at(23).arrivals, 0.7);
    assert_eq!(s.at(24).price, 0.75);
    assert_eq!(s.at(31).churn, 1.5);
    let notes = s.notes(24, "month");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("month 30") && notes[0].contains("skipped"),
        "{notes:?}"
    );
    assert!(s.notes(36, "month").is_empty());
    let cut = s.notes(20, "month");
    assert!(
        cut.iter().any(|n| n.contains("cut to 3 of its 6")),
        "{cut:?}"
    );
    // A drift over 24 steps multiplies to its factor.
    let bull = &standard_library(24, 1)[0];
    let total: f64 = (1..=24).map(|m| bull.at(m).price).product();
    assert!((total - 2.0).abs() < 1e-12, "{total}");
    assert_eq!(Scenario::baseline().at(5), Default::default());
}

#[test]
fn health_metrics_of_a_known_run() {
    // Prices 1 → 1.1 → 0.99 → 1.089 over three monthly steps; supply up 10 % in a quarter.
    let prices = [1.1, 0.99, 1.089];
    let records: Vec<EconRecord> = prices
        .iter()
        .enumerate()
        .map(|(i, &price)| EconRecord {
            step: i as u32 + 1,
            price,
            circulating: 1000.0 * (1.0 + 0.1 * (i as f64 + 1.0) / 3.0),
            staked: 70.0,
            held: 30.0,
            revenue: 100.0,
            captured: 25.0,
            treasury_usd: 10.0,
            treasury_tokens: 10.0,
            active: 50.0,
        })
        .collect();
    let launch = Launch {
        price: 1.0,
        circulating: 1000.0,
        steps_per_year: 12.0,
        at_step: 0,
    };
    let m = metrics(&records, launch, 0.7);
    let get = |n: &str| m[METRICS.iter().position(|x| x.name == n).unwrap()];
    // Returns +10 %, −10 %, +10 %: population std 9.43 %.
    assert!((get("price_volatility") - 0.0942809).abs() < 1e-6);
    // A quarter's 10 %, scaled to a year (not compounded: the run is shorter than a year).
    assert!((get("inflation") - 0.4).abs() < 1e-12);
    assert!((get("staking_participation") - 0.7).abs() < 1e-12);
    assert!((get("value_capture") - 0.25).abs() < 1e-12);
    assert!((get("max_drawdown") - 0.1).abs() < 1e-12);
    assert!((get("price_change") - 0.089).abs() < 1e-12);
    assert!((get("treasury_end") - (10.0 + 10.0 * 1.089)).abs() < 1e-12);
    let c = checks(&m, 0.5);
    let pass = |n: &str| c.iter().find(|x| x.metric == n).unwrap().pass;
    assert!(
        pass("score")
            && pass("price_volatility")
            && pass("staking_participation")
            && pass("value_capture")
    );
    assert!(!pass("inflation"), "40 % a year is not 2–5 %");
    assert!(
        !checks(&m, 0.8)
            .iter()
            .find(|x| x.metric == "score")
            .unwrap()
            .pass
    );
}

/// A market so thin that every trade is dust: it takes what it is given and answers nothing
/// (`refuses`: it takes nothing either, as the dataDAO's pool and a bonding curve do).
struct DustMarket {
    tokens: f64,
    usd: f64,
    price: f64,
    refuses: bool,
}

impl Market for DustMarket {
    fn price(&self) -> f64 {
        self.price
    }
    fn buy(&mut self, usd: f64) -> Trade {
        if self.refuses {
            return Trade::default();
        }
        self.usd += usd;
        Trade::done(usd, 0.0)
    }
    fn sell(&mut self, tokens: f64) -> Trade {
        if self.refuses {
            return Trade::default();
        }
        self.tokens += tokens;
        Trade::done(tokens, 0.0)
    }
    fn usd_to_reach(&self, _: f64) -> Option<f64> {
        None
    }
    fn tokens_to_reach(&self, _: f64) -> Option<f64> {
        None
    }
}

/// Every unit the stabiliser trades is accounted for, dust included: the treasury pays for a
/// buy answered with 0 tokens, and gives up the tokens of a sale answered with 0; a market that
/// refuses dust costs it nothing — the money and tokens of the treasury and the market together
/// stay exactly as they were (0 tolerance).
#[test]
fn a_dust_trade_is_charged_to_the_treasury() {
    for (price, side, refuses) in [
        (0.5, "buy", false),
        (3.0, "sell", false),
        (0.5, "buy", true),
        (3.0, "sell", true),
    ] {
        let mut e = Engine::new(&stabilizer(), 12.0, 1.0, true);
        e.treasury_tokens = 4096.0;
        let mut m = DustMarket {
            tokens: 1_048_576.0,
            usd: 65_536.0,
            price,
            refuses,
        };
        let usd_total = e.treasury_usd + m.usd;
        let token_total = e.treasury_tokens + m.tokens;
        for step in 1..=20 {
            e.stabilize(step, &mut m, 1e6);
            assert_eq!(e.treasury_usd + m.usd, usd_total, "{side}, step {step}");
            assert_eq!(
                e.treasury_tokens + m.tokens - e.issued,
                token_total,
                "{side}, step {step}"
            );
            assert!(e.treasury_usd >= 0.0 && e.treasury_tokens >= 0.0);
        }
        if refuses {
            assert_eq!(
                e.interventions, 0,
                "{side}: a refused trade is no intervention"
            );
            assert_eq!((e.treasury_usd, e.treasury_tokens), (100_000.0, 4096.0));
            continue;
        }
        assert!(e.interventions > 0, "{side}: the dust trades are logged");
        match side {
            "buy" => assert!(e.treasury_usd < 100_000.0),
            _ => assert!(e.treasury_tokens < 4096.0),
        }
    }
}
