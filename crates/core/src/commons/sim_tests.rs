//! Tests of every rule of Commons spec §2–§5, and property tests of the whole day: DAI and tokens
//! are conserved through the curve and the funding pool, nothing goes negative, and a proposal is
//! paid at most once.

use super::*;
use crate::commons::montecarlo::{run_monte_carlo, run_one};
use crate::commons::score::{score, ScoreInputs, PARTS};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

fn params() -> DaoParams {
    DaoParams::default()
}

/// A world after the hatch with `n` participants of sentiment `s` holding `tokens` non-vesting
/// tokens each (the curve's supply adjusted to match), and no proposals.
fn world_with(n: usize, s: f64, tokens: f64) -> World {
    let p = params();
    let mut w = World::new(
        &DaoParams {
            initial_proposals: 0.0,
            ..p
        },
        7,
    );
    w.participants = (0..n as u32)
        .map(|id| Participant {
            id,
            sentiment: s,
            batch: TokenBatch {
                nonvesting: tokens,
                ..TokenBatch::default()
            },
            hatcher: false,
            candidate_edges: Vec::new(),
            past_edges: Vec::new(),
        })
        .collect();
    w.next_participant = n as u32;
    let supply = tokens * n as f64;
    let price = w.curve.spot_price();
    w.curve.supply = supply;
    // Keep the spot price: R = P·S/κ.
    w.curve.reserve = price * supply / w.curve.kappa;
    w.affinities = Affinities::default();
    w
}

/// Adds a candidate proposal with the given edges (participant index → affinity, tokens,
/// conviction).
fn add_candidate(w: &mut World, request: f64, edges: &[(usize, f64, f64, f64)]) -> u32 {
    let id = w.proposals.len() as u32;
    w.proposals.push(Proposal {
        id,
        author: w.participants[edges[0].0].id,
        request,
        status: Status::Candidate,
        created: w.day,
        age: 0,
        threshold: None,
        conviction: 0.0,
        funded_day: None,
        supporters: Vec::new(),
    });
    for &(i, affinity, tokens, conviction) in edges {
        w.affinities.add(affinity);
        w.participants[i].candidate_edges.push(Edge {
            proposal: id,
            affinity,
            tokens,
            conviction,
        });
    }
    id
}

// §2 — hatch and vesting

#[test]
fn hatch_splits_the_raise_and_vests_the_supply_pro_rata() {
    let p = params();
    let w = World::new(&p, 3);
    let h = w.hatch_raise;
    assert!(h > 0.0 && h <= 5.0 * p.hatch_max_contribution);
    assert!(close(w.curve.supply, h / 0.1, 1e-12));
    assert!(close(w.curve.funding_pool, 0.2 * h, 1e-12));
    assert!(close(w.curve.reserve, 0.8 * h, 1e-12));
    assert!(close(w.curve.spot_price(), 0.16, 1e-12), "κ × 0.8 × 0.1");
    assert_eq!(w.participants.len(), 5);
    let vesting: f64 = w.participants.iter().map(|x| x.batch.vesting).sum();
    assert!(close(vesting, w.curve.supply, 1e-12));
    for x in &w.participants {
        assert!(x.hatcher && (0.5..1.0).contains(&x.sentiment));
        assert_eq!(x.batch.nonvesting, 0.0);
    }
    assert_eq!(w.proposals.len(), 2, "two initial proposals");
    assert!((24..96).contains(&w.speculation_days));
    assert!((1..=9).contains(&w.speculation_slots));
}

#[test]
fn vesting_fractions() {
    let v = Vesting::from_80p_days(120.0);
    assert!(close(v.half_life, 120.0 / 4.321_928_094_887_362, 1e-12));
    assert!(close(v.cliff, 2.0 * v.half_life, 1e-15));
    assert_eq!(v.unlocked(0.0), 0.0);
    assert_eq!(v.unlocked(v.cliff), 0.0, "nothing before the cliff");
    assert!(close(v.unlocked(v.cliff + v.half_life), 0.5, 1e-12));
    assert!(close(v.unlocked(120.0), 0.8, 1e-12), "80% after D days");
    assert!(v.unlocked(2000.0) > 0.999_999 && v.unlocked(2000.0) <= 1.0);
}

#[test]
fn spending_uses_non_vesting_tokens_first() {
    let v = Vesting::from_80p_days(120.0);
    let mut b = TokenBatch {
        vesting: 1000.0,
        vesting_spent: 0.0,
        nonvesting: 100.0,
        age: 120.0,
    };
    assert!(
        close(b.spendable(&v), 900.0, 1e-12),
        "800 unlocked + 100 free"
    );
    assert!(close(b.locked(&v), 200.0, 1e-12));
    assert_eq!(b.spend(60.0, &v), 60.0);
    assert_eq!((b.nonvesting, b.vesting_spent), (40.0, 0.0));
    assert_eq!(b.spend(100.0, &v), 100.0);
    assert_eq!((b.nonvesting, b.vesting_spent), (0.0, 60.0));
    // No more than is spendable.
    let spent = b.spend(10_000.0, &v);
    assert!(close(spent, 740.0, 1e-12) && close(b.spendable(&v), 0.0, 1e-9));
    assert!(close(b.total(), 200.0, 1e-12), "the locked part stays");
    assert!(close(b.spend_all(), 200.0, 1e-12) && b.total() == 0.0);
}

// §4.1 — arrivals

#[test]
fn during_speculation_every_slot_fires_when_everyone_is_happy() {
    let mut w = world_with(3, 1.0, 1000.0);
    w.speculation_days = 50;
    w.speculation_slots = 4;
    let p = params();
    let mut rec = DayRecord::default();
    w.day = 1;
    w.arrivals(&p, &mut rec);
    assert_eq!(rec.arrivals, 4, "chance 0.5 + 0.5 × 1 = 1 per slot");
    // Each newcomer has its own investment and exactly the tokens the curve minted (§6 fixes).
    let newcomers = &w.participants[3..];
    let tokens: Vec<f64> = newcomers.iter().map(|x| x.batch.nonvesting).collect();
    assert!(tokens.windows(2).all(|t| t[0] != t[1]), "{tokens:?}");
    assert!(close(tokens.iter().sum::<f64>(), w.flows.minted, 1e-12));
    assert!(close(w.curve.supply, 3000.0 + w.flows.minted, 1e-12));
    assert_eq!(
        newcomers.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![3, 4, 5, 6]
    );
    assert!(newcomers
        .iter()
        .all(|x| !x.hatcher && (0.0..1.0).contains(&x.sentiment)));
}

#[test]
fn after_speculation_one_slot_fires_with_chance_one_plus_mean_over_ten() {
    let p = params();
    let mut w = world_with(4, 0.6, 1000.0);
    w.speculation_days = 0;
    let days = 20_000;
    let mut arrivals = 0;
    for d in 0..days {
        w.day = 100 + d;
        w.participants.truncate(4); // keep the mean sentiment at 0.6
        let mut rec = DayRecord::default();
        w.arrivals(&p, &mut rec);
        assert!(rec.arrivals <= 1);
        arrivals += rec.arrivals;
    }
    let rate = f64::from(arrivals) / f64::from(days);
    assert!(
        (rate - 0.16).abs() < 0.01,
        "(1 + 0.6) / 10 = 0.16, got {rate}"
    );
}

#[test]
fn newcomers_get_an_edge_to_every_candidate_with_polarised_affinity() {
    let mut w = world_with(2, 1.0, 1000.0);
    let a = add_candidate(&mut w, 100.0, &[(0, 1.0, 0.0, 0.0)]);
    let b = add_candidate(&mut w, 100.0, &[(1, 1.0, 0.0, 0.0)]);
    w.proposals[b as usize].status = Status::Completed;
    w.speculation_days = 10;
    w.speculation_slots = 9;
    let mut rec = DayRecord::default();
    w.day = 1;
    w.arrivals(&params(), &mut rec);
    for x in &w.participants[2..] {
        assert_eq!(x.candidate_edges.len(), 1, "candidates only");
        assert_eq!(x.candidate_edges[0].proposal, a);
        let e = x.candidate_edges[0];
        assert!((0.0..=1.0).contains(&e.affinity) && e.tokens == 0.0 && e.conviction == 0.0);
    }
    // 1 − 4u(1 − u) is polarised: its mean is 1/3 and most mass is near 0 or 1.
    let mut rng = rng::stream(1, 0);
    let xs: Vec<f64> = (0..100_000).map(|_| polarised(&mut rng)).collect();
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((mean - 1.0 / 3.0).abs() < 0.005, "{mean}");
}

// §4.3 — new proposals

#[test]
fn proposals_arrive_with_median_affinity_over_one_plus_requests_per_pool() {
    let p = params();
    let mut w = world_with(3, 0.5, 1000.0);
    w.curve.funding_pool = 1000.0;
    // Affinities 0.2, 0.4, 0.6 → median 0.4; requests 1000 of a 1000 pool → chance 0.2.
    add_candidate(
        &mut w,
        1000.0,
        &[(0, 0.2, 0.0, 0.0), (1, 0.4, 0.0, 0.0), (2, 0.6, 0.0, 0.0)],
    );
    assert!(close(w.affinities.median(), 0.4, 1e-15));
    let (trials, mut made) = (20_000, 0);
    for _ in 0..trials {
        let before = w.proposals.len();
        w.new_proposal(&p);
        if w.proposals.len() > before {
            made += 1;
            // Put things back: drop the new proposal and its edges.
            w.proposals.pop();
            for x in &mut w.participants {
                let e = x.candidate_edges.pop().unwrap();
                w.affinities.remove(e.affinity);
            }
        }
    }
    let rate = f64::from(made) / f64::from(trials);
    assert!((rate - 0.2).abs() < 0.01, "0.4 / (1 + 1) = 0.2, got {rate}");
}

#[test]
fn a_new_proposal_asks_gamma_of_the_pool_and_its_author_loves_it() {
    let p = params();
    let mut w = world_with(4, 0.5, 1000.0);
    w.curve.funding_pool = 100_000.0;
    let mut requests = Vec::new();
    for _ in 0..20_000 {
        let request =
            REQUEST_MIN + REQUEST_SCALE_OF_POOL * 100_000.0 * gamma_int(&mut w.rng, REQUEST_SHAPE);
        w.add_proposal(request, &p);
        let prop = w.proposals.last().unwrap();
        requests.push(prop.request);
        let author = w.participants.iter().find(|x| x.id == prop.author).unwrap();
        assert_eq!(author.candidate_edges.last().unwrap().affinity, 1.0);
        assert!(w
            .participants
            .iter()
            .all(|x| x.candidate_edges.last().unwrap().proposal == prop.id));
    }
    // Gamma(3, scale 1000) + 0.001: mean 3000, variance 3 × 1000².
    let (mean, std) = crate::stats::mean_std(&requests);
    assert!((mean - 3000.0).abs() < 40.0, "{mean}");
    assert!((std - 1732.05).abs() < 40.0, "{std}");
    assert!(requests.iter().all(|r| *r > REQUEST_MIN));
}

#[test]
fn the_median_follows_adds_and_removes() {
    let mut a = Affinities::default();
    assert_eq!(a.median(), 0.0);
    for x in [0.9, 0.1, 0.5] {
        a.add(x);
    }
    assert_eq!(a.median(), 0.5);
    a.add(0.7);
    assert_eq!(a.median(), 0.6);
    a.remove(0.1);
    a.remove(0.9);
    assert_eq!(a.median(), 0.6);
    assert_eq!(a.len(), 2);
    a.add(0.5);
    a.remove(0.7);
    assert_eq!(a.median(), 0.5, "a duplicate stays once");
}

// §4.4 — speculators

#[test]
fn speculators_feed_the_pool_with_the_exit_tribute_of_their_round_trips() {
    let p = params();
    let mut w = world_with(1, 0.5, 1000.0);
    let before = w.curve.funding_pool;
    let days = 10_000;
    for _ in 0..days {
        w.speculators(&p);
    }
    let per_day = (w.curve.funding_pool - before) / f64::from(days);
    // 0.35 × 5 × (200 + 200) = 700 DAI a day on average; at least 0.35 × 5 × 200 each day.
    assert!((per_day - 700.0).abs() < 10.0, "{per_day}");
    let mut quiet = world_with(1, 0.5, 1000.0);
    let f = quiet.curve.funding_pool;
    quiet.speculators(&DaoParams {
        speculators: 0.0,
        ..p
    });
    assert_eq!(quiet.curve.funding_pool, f);
}

// §3, §4.5 — funding by conviction

#[test]
fn a_candidate_whose_conviction_reaches_its_threshold_is_funded_once() {
    let p = params();
    let mut w = world_with(2, 0.3, 1_000_000.0);
    w.curve.funding_pool = 100_000.0;
    let t = conviction::threshold(1000.0, 100_000.0, w.curve.supply, 0.2).unwrap();
    let pass = add_candidate(
        &mut w,
        1000.0,
        &[(0, 1.0, 10.0, t * 0.6), (1, 0.9, 10.0, t * 0.4)],
    );
    let wait = add_candidate(&mut w, 1000.0, &[(1, 1.0, 10.0, t * 0.5)]);
    let mut rec = DayRecord::default();
    w.day = 5;
    w.fund_candidates(&p, &mut rec);
    let a = &w.proposals[pass as usize];
    assert_eq!((a.status, a.funded_day), (Status::Active, Some(5)));
    assert!(close(a.threshold.unwrap(), t, 1e-12));
    assert_eq!(w.proposals[wait as usize].status, Status::Candidate);
    assert!(close(w.curve.funding_pool, 99_000.0, 1e-12));
    assert_eq!(rec.granted_today, 1000.0);
    assert!(
        close(w.participants[0].sentiment, 0.8, 1e-12),
        "author +0.5"
    );
    assert!(close(w.participants[1].sentiment, 0.3, 1e-12));
    // Its edges move out of the candidates; both staked, so both are supporters.
    assert!(w
        .participants
        .iter()
        .all(|x| x.candidate_edges.iter().all(|e| e.proposal != pass)));
    assert_eq!(
        w.proposals[pass as usize].supporters,
        vec![(0, 1.0), (1, 0.9)]
    );
    // The next day it is not paid again.
    w.fund_candidates(&p, &mut rec);
    assert!(close(w.curve.funding_pool, 99_000.0, 1e-12));
}

#[test]
fn a_request_of_beta_of_the_pool_never_passes() {
    let p = params();
    let mut w = world_with(1, 0.5, 1_000_000.0);
    w.curve.funding_pool = 10_000.0;
    let id = add_candidate(&mut w, 2_000.0, &[(0, 1.0, 1e12, 1e30)]);
    w.fund_candidates(&p, &mut DayRecord::default());
    assert_eq!(w.proposals[id as usize].status, Status::Candidate);
    assert_eq!(w.proposals[id as usize].threshold, None);
    assert_eq!(w.curve.funding_pool, 10_000.0);
}

#[test]
fn candidates_are_checked_in_order_against_the_pool_the_earlier_ones_left() {
    let p = DaoParams {
        max_proposal_request: 1.0,
        ..params()
    };
    let mut w = world_with(1, 0.5, 1_000_000.0);
    w.curve.funding_pool = 1000.0;
    // Each asks 60% of the pool: the first passes; then the second asks 150% of what is left.
    let first = add_candidate(&mut w, 600.0, &[(0, 1.0, 0.0, 1e30)]);
    let second = add_candidate(&mut w, 600.0, &[(0, 1.0, 0.0, 1e30)]);
    w.fund_candidates(&p, &mut DayRecord::default());
    assert_eq!(w.proposals[first as usize].status, Status::Active);
    assert_eq!(w.proposals[second as usize].status, Status::Candidate);
    assert_eq!(w.proposals[second as usize].threshold, None);
    assert!(close(w.curve.funding_pool, 400.0, 1e-12) && w.curve.funding_pool >= 0.0);
}

// §4.6 — resolution

#[test]
fn resolution_probabilities_are_clamped() {
    assert_eq!(
        resolution_probability(BASE_FAILURE_RATE, 1.0),
        1.0,
        "1/0.15 > 1"
    );
    assert_eq!(
        resolution_probability(BASE_FAILURE_RATE, 0.01),
        1.0,
        "negative denominator"
    );
    assert_eq!(
        resolution_probability(BASE_FAILURE_RATE, 2.0),
        1.0,
        "the reference's error case"
    );
    let r = 10_000.0;
    assert!(close(
        resolution_probability(BASE_FAILURE_RATE, r),
        1.0 / (0.15 + libm::log(r)),
        1e-15
    ));
    assert!(close(
        resolution_probability(BASE_SUCCESS_RATE, r),
        1.0 / (0.30 + libm::log(r)),
        1e-15
    ));
}

#[test]
fn supporters_sentiment_follows_the_outcome_by_affinity() {
    let mut w = world_with(3, 0.5, 1000.0);
    // A tiny request resolves at once: it fails (the failure draw comes first with chance 1).
    let id = add_candidate(&mut w, 1.0, &[(0, 1.0, 0.0, 0.0)]);
    w.proposals[id as usize].status = Status::Active;
    w.proposals[id as usize].supporters = vec![(0, 1.0), (1, 0.5)];
    w.resolve_active();
    assert_eq!(w.proposals[id as usize].status, Status::Failed);
    assert!(close(w.participants[0].sentiment, 0.4, 1e-12), "−0.1 × 1");
    assert!(
        close(w.participants[1].sentiment, 0.45, 1e-12),
        "−0.1 × 0.5"
    );
    assert_eq!(w.participants[2].sentiment, 0.5, "not a supporter");
    // Completed: +0.3 × affinity, clipped at 1. Find a seed where a large request completes.
    let mut done = false;
    for _ in 0..10_000 {
        let mut v = world_with(2, 0.9, 1000.0);
        v.rng = rng::stream(rng::uniform(&mut w.rng).to_bits(), 0);
        let id = add_candidate(&mut v, 50.0, &[(0, 1.0, 0.0, 0.0)]);
        v.proposals[id as usize].status = Status::Active;
        v.proposals[id as usize].supporters = vec![(0, 1.0), (1, 0.2)];
        v.resolve_active();
        if v.proposals[id as usize].status == Status::Completed {
            assert_eq!(v.participants[0].sentiment, 1.0, "clipped at 1");
            assert!(close(v.participants[1].sentiment, 0.96, 1e-12));
            done = true;
            break;
        }
    }
    assert!(done);
}

#[test]
fn resolution_rates_match_the_formulas() {
    let r: f64 = 5000.0;
    let pf = 1.0 / (0.15 + r.ln());
    let ps = 1.0 / (0.30 + r.ln());
    let mut w = world_with(1, 0.5, 1000.0);
    let n = 40_000;
    for _ in 0..n {
        let id = add_candidate(&mut w, r, &[(0, 1.0, 0.0, 0.0)]);
        w.proposals[id as usize].status = Status::Active;
        w.participants[0].candidate_edges.clear();
    }
    w.resolve_active();
    let failed = w
        .proposals
        .iter()
        .filter(|x| x.status == Status::Failed)
        .count() as f64;
    let completed = w
        .proposals
        .iter()
        .filter(|x| x.status == Status::Completed)
        .count() as f64;
    assert!(
        (failed / n as f64 - pf).abs() < 0.01,
        "{} vs {pf}",
        failed / n as f64
    );
    assert!((completed / n as f64 - (1.0 - pf) * ps).abs() < 0.01);
}

// §4.7 — voting

#[test]
fn voting_splits_holdings_over_the_favourites_and_keeps_dropped_tokens() {
    let mut w = world_with(1, 0.5, 1000.0);
    let a = add_candidate(&mut w, 10.0, &[(0, 0.9, 0.0, 0.0)]);
    let b = add_candidate(&mut w, 10.0, &[(0, 0.7, 0.0, 0.0)]);
    let c = add_candidate(&mut w, 10.0, &[(0, 0.6, 55.0, 100.0)]);
    let d = add_candidate(&mut w, 10.0, &[(0, 0.3, 0.0, 0.0)]);
    w.vote();
    // Cutoff max(0.5, 0.75 × 0.9 = 0.675): a and b, in proportion 0.9 : 0.7.
    let e = |id: u32| {
        *w.participants[0]
            .candidate_edges
            .iter()
            .find(|e| e.proposal == id)
            .unwrap()
    };
    assert!(close(e(a).tokens, 1000.0 * 0.9 / 1.6, 1e-12));
    assert!(close(e(b).tokens, 1000.0 * 0.7 / 1.6, 1e-12));
    assert_eq!(e(c).tokens, 55.0, "a dropped edge keeps its old tokens");
    assert_eq!(e(d).tokens, 0.0);
    // Conviction = tokens + α × previous.
    assert!(close(e(a).conviction, e(a).tokens, 1e-15));
    assert!(close(e(c).conviction, 55.0 + w.alpha * 100.0, 1e-12));
    // Nobody above 0.5: nothing changes but conviction.
    let mut v = world_with(1, 0.5, 1000.0);
    let x = add_candidate(&mut v, 10.0, &[(0, 0.5, 7.0, 0.0)]);
    v.vote();
    assert_eq!(v.participants[0].candidate_edges[0].tokens, 7.0);
    assert_eq!(v.participants[0].candidate_edges[0].proposal, x);
}

// §4.8–§4.10 — buying, selling, exit

#[test]
fn happy_participants_buy_in_one_deposit_shared_pro_rata() {
    let p = params();
    let mut w = world_with(200, 1.0, 1000.0);
    let supply = w.curve.supply;
    let mut rec = DayRecord::default();
    w.buy(&p, &mut rec);
    let buyers = w
        .participants
        .iter()
        .filter(|x| x.batch.nonvesting > 1000.0)
        .count();
    // Chance 0.6 × 1 each; each spends U × 0.25 × 70,000.
    assert!((100..=140).contains(&buyers), "{buyers}");
    assert!(rec.bought_dai > 0.0 && rec.bought_dai < buyers as f64 * 17_500.0);
    let minted = w.curve.supply - supply;
    assert!(close(w.tokens_held(), w.curve.supply, 1e-12));
    assert!(close(minted, w.flows.minted, 1e-12));
    // Unhappy participants never buy.
    let mut u = world_with(50, 0.75, 1000.0);
    u.buy(&p, &mut rec);
    assert!(u.participants.iter().all(|x| x.batch.nonvesting == 1000.0));
}

#[test]
fn unhappy_participants_sell_part_of_what_they_can_spend() {
    let p = params();
    let mut w = world_with(200, 0.25, 1000.0);
    let before = w.curve;
    let mut rec = DayRecord::default();
    w.sell(&p, &mut rec);
    let sellers: Vec<f64> = w
        .participants
        .iter()
        .map(|x| 1000.0 - x.batch.total())
        .filter(|s| *s > 0.0)
        .collect();
    // Chance 0.6 × 0.25 = 0.15; each sells U × 0.5 of its 1000 spendable tokens.
    assert!((15..=45).contains(&sellers.len()), "{}", sellers.len());
    assert!(sellers.iter().all(|s| *s <= 500.0));
    assert!(close(rec.sold_tokens, sellers.iter().sum::<f64>(), 1e-9));
    assert!(close(before.supply - w.curve.supply, rec.sold_tokens, 1e-9));
    assert!(
        w.curve.funding_pool > before.funding_pool,
        "the exit tribute"
    );
    assert!(close(w.tokens_held(), w.curve.supply, 1e-12));
    // Locked tokens are never sold.
    let mut v = world_with(1, 0.0, 0.0);
    v.participants[0].batch = TokenBatch {
        vesting: 1000.0,
        ..TokenBatch::default()
    };
    v.participants[0].sentiment = 0.5;
    for _ in 0..100 {
        v.sell(&p, &mut rec);
    }
    assert_eq!(v.participants[0].batch.total(), 1000.0);
}

#[test]
fn unhappy_participants_without_locked_tokens_leave_and_take_their_edges() {
    let p = params();
    let mut w = world_with(300, 0.1, 1000.0);
    // Participant 0 is unhappy but still vesting: it stays.
    w.participants[0].batch = TokenBatch {
        vesting: 1000.0,
        ..TokenBatch::default()
    };
    let id = add_candidate(&mut w, 10.0, &[(1, 1.0, 5.0, 5.0), (2, 0.3, 0.0, 0.0)]);
    let edges_before = w.affinities.len();
    let mut rec = DayRecord::default();
    w.exits(&p, &mut rec);
    // Chance 1 − 0.3 × 0.1 = 0.97 each.
    assert!(rec.exits >= 270 && rec.exits < 300, "{}", rec.exits);
    assert_eq!(
        w.participants[0].id, 0,
        "a vesting participant never leaves"
    );
    assert!(close(w.tokens_held(), w.curve.supply, 1e-9));
    let gone_edges = [1u32, 2]
        .iter()
        .filter(|i| w.participants.iter().all(|x| x.id != **i))
        .count();
    assert_eq!(w.affinities.len(), edges_before - gone_edges);
    assert!(w
        .participants
        .iter()
        .all(|x| x.candidate_edges.iter().all(|e| e.proposal == id)));
    // Happy participants never leave; the last one never does.
    let mut h = world_with(10, 0.5, 1000.0);
    h.exits(&p, &mut rec);
    assert_eq!(h.participants.len(), 10);
    let mut last = world_with(3, 0.0, 1000.0);
    last.participants[1].batch.nonvesting = 2000.0;
    last.curve.supply = 4000.0;
    last.exits(&p, &mut rec);
    assert_eq!(last.participants.len(), 1);
    assert_eq!(last.participants[0].id, 1, "the largest holder stays");
}

#[test]
fn sentiment_decays_daily_and_never_below_zero() {
    let p = params();
    let mut w = world_with(3, 0.5, 1000.0);
    w.participants[1].sentiment = 0.003;
    w.participants[2].sentiment = 1.0;
    w.decay(&p);
    let s: Vec<f64> = w.participants.iter().map(|x| x.sentiment).collect();
    assert!(
        close(s[0], 0.495, 1e-12) && s[1] == 0.0 && close(s[2], 0.995, 1e-12),
        "{s:?}"
    );
    w.decay(&DaoParams {
        sentiment_decay: 0.0,
        ..p.clone()
    });
    assert_eq!(w.participants[1].sentiment, 0.0);
    // A whole day keeps every sentiment within [0, 1].
    let mut d = World::new(&p, 11);
    for _ in 0..50 {
        d.step(&p);
        assert!(d
            .participants
            .iter()
            .all(|x| (0.0..=1.0).contains(&x.sentiment)));
    }
}

// §5 — the score

#[test]
fn the_score_has_ten_capped_parts() {
    let x = ScoreInputs {
        hatch_price: 0.1,
        final_price: 0.15,
        mean_price: 0.13,
        price_std: 0.02,
        funded: 52.0,
        initial_proposals: 2.0,
        funds_spent: 400_000.0,
        hatch_funds: 100_000.0,
        mean_funding_pool: 50_000.0,
        final_sentiment: 0.7,
        mean_sentiment: 0.8,
        min_sentiment: 0.4,
        completed: 30.0,
        failed: 20.0,
        participants: 20.0,
        hatchers: 5.0,
    };
    let s = score(&x);
    let want = [
        0.75,         // 0.15 / 0.2
        0.75,         // 0.03 / 0.04
        50.0 / 260.0, // (52 − 2) / (5 × 52)
        0.75,         // (400k − 100k) / 400k
        0.5,          // 50k / 100k
        0.5,          // 0.7 − 0.2
        0.8,          // mean sentiment
        -0.2,         // the minimum fell below 0.5
        1.0,          // 30 / 20, capped
        1.0,          // 20 / 5, capped
    ];
    for (k, (got, want)) in s.parts.iter().zip(want).enumerate() {
        assert!(
            close(*got, want, 1e-12),
            "part {} ({}): {got} vs {want}",
            k,
            PARTS[k].0
        );
    }
    assert_eq!(s.total, libm::round(130.0 * want.iter().sum::<f64>()));
    // Penalties: price below 0.8 × hatch, mean below the hatch price.
    let low = score(&ScoreInputs {
        final_price: 0.05,
        mean_price: 0.09,
        ..x
    });
    assert!(close(low.parts[0], 0.25 - 0.2, 1e-12));
    assert!(close(low.parts[1], -0.01 / 0.04 - 0.2, 1e-12));
    // Everything at its best: 130 × 9 = 1170, capped at 1000.
    let best = score(&ScoreInputs {
        final_price: 1.0,
        price_std: 0.0,
        final_sentiment: 1.0,
        mean_sentiment: 1.0,
        min_sentiment: 0.9,
        mean_funding_pool: 1e6,
        ..x
    });
    assert_eq!(best.total, 1000.0);
    // Nothing funded, nothing failed: no division by zero.
    let empty = score(&ScoreInputs {
        funded: 0.0,
        funds_spent: 0.0,
        completed: 0.0,
        failed: 0.0,
        ..x
    });
    assert!(empty.parts.iter().all(|v| v.is_finite()));
    assert_eq!(
        (empty.parts[2], empty.parts[3], empty.parts[8]),
        (0.0, 0.0, 0.0)
    );
}

// Properties of whole runs

/// Steps a world for `days`, checking conservation and signs after every day.
fn check_run(p: &DaoParams, seed: u64, days: u32) {
    let mut w = World::new(p, seed);
    let mut paid = vec![0u32; 0];
    let mut was_candidate_only_before = Vec::new();
    for _ in 0..days {
        w.step(p);
        let f = w.flows;
        let dai_in = f.hatch + f.deposits + f.speculator_tributes;
        let dai_out = f.paid_to_sellers + f.granted;
        let pools = w.curve.reserve + w.curve.funding_pool;
        assert!(
            (pools - (dai_in - dai_out)).abs() <= 1e-9 * dai_in,
            "day {}: DAI {pools} vs {}",
            w.day,
            dai_in - dai_out
        );
        let tokens = f.hatch_tokens + f.minted - f.burned;
        assert!(
            (w.curve.supply - tokens).abs() <= 1e-9 * tokens,
            "day {}",
            w.day
        );
        assert!((w.tokens_held() - w.curve.supply).abs() <= 1e-9 * w.curve.supply);
        assert!(w.curve.reserve > 0.0 && w.curve.supply > 0.0 && w.curve.funding_pool >= 0.0);
        for x in &w.participants {
            let b = x.batch;
            assert!(
                b.nonvesting >= 0.0
                    && b.vesting_spent >= 0.0
                    && b.vesting_spent <= b.vesting * (1.0 + 1e-12)
            );
            assert!((0.0..=1.0).contains(&x.sentiment));
            for e in x.candidate_edges.iter().chain(&x.past_edges) {
                assert!(e.tokens >= 0.0 && e.conviction >= 0.0);
            }
        }
        // Paid at most once; a proposal never returns to candidate.
        let granted: f64 = w
            .proposals
            .iter()
            .filter(|x| x.funded_day.is_some())
            .map(|x| x.request)
            .sum();
        assert!((granted - f.granted).abs() <= 1e-9 * f.granted.max(1.0));
        paid.resize(w.proposals.len(), 0);
        was_candidate_only_before.resize(w.proposals.len(), true);
        for (k, x) in w.proposals.iter().enumerate() {
            if x.funded_day == Some(w.day) {
                paid[k] += 1;
            }
            assert!(paid[k] <= 1, "proposal {k} paid twice");
            if x.status != Status::Candidate {
                was_candidate_only_before[k] = false;
            } else {
                assert!(
                    was_candidate_only_before[k],
                    "proposal {k} became a candidate again"
                );
            }
        }
        assert_eq!(w.records.last().unwrap().day, w.day);
    }
}

/// With the stabiliser and a scenario: DAI and tokens conserved, the treasury's included.
#[test]
fn the_stabiliser_and_scenarios_conserve_dai_and_tokens() {
    use crate::policy::scenario::{parse_list, standard_library};
    let lib = standard_library(400, 30);
    let mut list = lib.clone();
    list.extend(parse_list("crash:60+1,price*0.3/60+30,churn*3", &lib).unwrap());
    for scenario in &list {
        let mut p = DaoParams {
            days: 400.0,
            ..params()
        };
        p.policy.price_stabilizer = crate::policy::Switch::On;
        p.policy.band_lower = 0.9;
        p.policy.band_upper = 1.1;
        for seed in 0..3 {
            let mut w = World::stressed(&p, seed, scenario.schedule(400));
            for _ in 0..400 {
                w.step(&p);
                let e = w.engine.as_ref().unwrap();
                let f = w.flows;
                let dai_in = f.hatch + f.deposits + f.speculator_tributes + f.policy_deposits;
                let dai_out = f.paid_to_sellers + f.granted + f.policy_proceeds;
                let pools = w.curve.reserve + w.curve.funding_pool;
                assert!(
                    (pools - (dai_in - dai_out)).abs() <= 1e-9 * dai_in,
                    "{} day {}: DAI {pools} vs {}",
                    scenario.name,
                    w.day,
                    dai_in - dai_out
                );
                let treasury_in = p.policy.treasury_start + f.policy_proceeds;
                assert!(
                    (e.treasury_usd - (treasury_in - f.policy_deposits)).abs()
                        <= 1e-9 * treasury_in
                );
                assert!(e.treasury_usd >= -1e-9);
                let held = w.tokens_held() + e.treasury_tokens;
                assert!(
                    (held - w.curve.supply).abs() <= 1e-9 * w.curve.supply,
                    "{} day {}: tokens {held} vs supply {}",
                    scenario.name,
                    w.day,
                    w.curve.supply
                );
                assert!(e.issued == 0.0, "a bonding curve never issues");
            }
        }
    }
}

#[test]
fn no_policy_and_no_shock_change_nothing() {
    let p = params();
    let mut a = World::new(&p, 5);
    let mut b = World::stressed(&p, 5, vec![Default::default(); 730]);
    for _ in 0..730 {
        a.step(&p);
        b.step(&p);
    }
    assert_eq!(a.records, b.records);
    assert!(b.engine.is_none());
    // Policies the Commons has nothing for are said to do nothing.
    let mut q = params();
    q.policy.inflation_controller = crate::policy::Switch::On;
    let notes = crate::params::ParamModel::notes(&q);
    assert!(notes[0].message.contains("no emission"), "{notes:?}");
}

#[test]
fn the_default_commons_conserves_dai_and_tokens() {
    for seed in 0..4 {
        check_run(&params(), seed, 730);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_commons_conserves_and_stays_non_negative(
            hatchers in 1u32..30,
            tribute in 0.0f64..0.9,
            exit in 0.0f64..0.9,
            entry in 0.0f64..0.5,
            kappa in 1.0f64..6.0,
            vesting in 1.0f64..500.0,
            voting in 0.5f64..60.0,
            beta in 0.02f64..1.0,
            buy_scale in 0.0f64..1e6,
            seed in 0u64..1000,
        ) {
            let p = DaoParams {
                hatchers: f64::from(hatchers),
                hatch_tribute: tribute,
                exit_tribute: exit,
                entry_tribute: entry,
                kappa,
                vesting_80p_days: vesting,
                days_to_80p_of_max_voting_weight: voting,
                max_proposal_request: beta,
                buy_scale,
                ..params()
            };
            check_run(&p, seed, 240);
        }
    }
}

#[test]
fn runs_are_reproducible_and_independent() {
    let p = DaoParams {
        runs: 3.0,
        days: 200.0,
        ..params()
    };
    let a = run_monte_carlo(&p, &mut |_, _| true);
    let b = run_monte_carlo(&p, &mut |_, _| true);
    assert_eq!(a, b, "same seed, same bits");
    assert_ne!(
        a.runs[0].records, a.runs[1].records,
        "each run its own stream"
    );
    // Run i is seed base + i on its own: the same as a one-run Monte Carlo from that seed.
    let single = run_one(
        &DaoParams {
            seed: 43.0,
            ..p.clone()
        },
        0,
        &mut || true,
    )
    .unwrap();
    assert_eq!(single.records, a.runs[1].records);
    assert_eq!(a.runs[1].seed, 43);
}

#[test]
fn the_monte_carlo_reports_bands_metrics_and_can_stop() {
    let p = DaoParams {
        runs: 5.0,
        days: 100.0,
        ..params()
    };
    let mut calls = 0.0;
    let r = run_monte_carlo(&p, &mut |done, total| {
        calls += 1.0;
        assert_eq!(total, 500.0);
        assert_eq!(done, calls);
        true
    });
    assert_eq!(calls, 500.0);
    assert_eq!(r.runs.len(), 5);
    let price = r.band("price").unwrap();
    assert_eq!(price.p50.len(), 100);
    assert!(price.p10.iter().zip(&price.p90).all(|(a, b)| a <= b));
    let m = r.metric("score").unwrap();
    assert!(m.p10 <= m.p50 && m.p50 <= m.p90 && (0.0..=1000.0).contains(&m.mean));
    assert_eq!(r.state_means.len(), 100);
    let csv = r.records_csv();
    assert_eq!(csv.lines().count(), 1 + 5 * 100);
    assert!(csv.starts_with("run,seed,day,price,supply,reserve,funding_pool,participants,"));
    // Stopping after two runs and a bit keeps the finished runs.
    let mut n = 0;
    let stopped = run_monte_carlo(&p, &mut |_, _| {
        n += 1;
        n < 250
    });
    assert_eq!(stopped.runs.len(), 2);
}

#[test]
fn reference_defaults_land_in_the_spec_s_typical_range() {
    // Spec §5: final price 0.1–0.35, 13–24 participants, ~175 proposals, ~80 completed.
    let r = run_monte_carlo(&params(), &mut |_, _| true);
    let m = |n: &str| r.metric(n).unwrap().p50;
    assert!(
        (0.08..=0.35).contains(&m("final_price")),
        "{}",
        m("final_price")
    );
    assert!(
        (10.0..=30.0).contains(&m("participants_final")),
        "{}",
        m("participants_final")
    );
    assert!(
        (120.0..=220.0).contains(&m("proposals_total")),
        "{}",
        m("proposals_total")
    );
    assert!(
        (40.0..=110.0).contains(&m("proposals_completed")),
        "{}",
        m("proposals_completed")
    );
}

#[test]
fn the_network_of_a_day_is_that_day_of_the_run() {
    let p = DaoParams {
        days: 60.0,
        runs: 1.0,
        ..params()
    };
    let n = network_at(&p, 42, 30);
    assert_eq!(n.day, 30);
    let r = run_one(&p, 0, &mut || true).unwrap();
    let rec = r.records[29];
    assert_eq!(n.participants.len() as u32, rec.participants);
    assert_eq!(n.proposals.len() as u32, rec.proposals_total);
    let staked: f64 = n
        .edges
        .iter()
        .filter(|e| n.proposals[e.proposal as usize].status == Status::Candidate)
        .map(|e| e.tokens)
        .sum();
    assert!(close(staked, rec.staked, 1e-9));
    assert_eq!(
        (n.price, n.supply, n.funding_pool),
        (rec.price, rec.supply, rec.funding_pool)
    );
    assert_eq!(network_at(&p, 42, 0).day, 0, "right after the hatch");
}
