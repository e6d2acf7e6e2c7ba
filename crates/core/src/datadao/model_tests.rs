//! Tests of the dataDAO model: spec §7's reference numbers, the rules of §1–§4, and invariants.

use super::sim::{round_half_even, run, World};
use super::*;

/// `a` rounded to `digits` significant digits is `b` (as the spec quotes it).
fn close(a: f64, b: f64, digits: usize) -> bool {
    format!("{:.*e}", digits - 1, a) == format!("{:.*e}", digits - 1, b)
}

#[test]
fn original_code_reproduces_the_reference_after_steps_1_and_200() {
    let p = DdParams::preset("original").unwrap();
    let mut w = World::new(&p, false);
    let r = w.step(&p).clone();
    for _ in 1..200 {
        w.step(&p);
    }
    let r200 = w.records.last().unwrap().clone();
    assert_eq!(w.agents.len() as u32, r200.counts.iter().sum::<u32>());
    assert!(close(r.price, 0.0466097684, 9), "price {}", r.price);
    assert!(close(r.ddt_reserve, 801.631179, 9), "dDT {}", r.ddt_reserve);
    assert!(
        close(r.xdai_reserve, 37.3638436, 9),
        "xDAI {}",
        r.xdai_reserve
    );
    assert!(close(r.pie, 3.11523287, 9), "pie {}", r.pie);
    assert_eq!(r.counts.iter().sum::<u32>(), 20);
    assert!(close(r200.price, 0.0616090879, 9), "price {}", r200.price);
    assert!(
        close(r200.ddt_reserve, 15_272.1996, 9),
        "dDT {}",
        r200.ddt_reserve
    );
    assert!(
        close(r200.xdai_reserve, 940.906287, 9),
        "xDAI {}",
        r200.xdai_reserve
    );
    assert!(close(r200.pie, 61.7538673, 9), "pie {}", r200.pie);
}

#[test]
fn rounding_is_half_to_even() {
    for (x, r) in [
        (8.4, 8.0),
        (0.5, 0.0),
        (1.5, 2.0),
        (2.5, 2.0),
        (1.05, 1.0),
        (6.3, 6.0),
    ] {
        assert_eq!(round_half_even(x), r, "{x}");
    }
    let _ = run;
}

/// dDT: everything endowed or created equals what agents, the pool and the Pie hold plus what
/// was burned. xDAI: everything endowed equals what agents, the reserves and the fee pot hold
/// plus what the original fee pot lost.
fn check_conservation(w: &World) {
    let l = &w.ledger;
    let held_ddt: f64 = w.agents.iter().map(|a| a.ddt).sum();
    let held_xdai: f64 = w.agents.iter().map(|a| a.xdai).sum();
    let ddt_in = l.ddt_endowed + l.ddt_from_nowhere;
    let ddt_out = held_ddt + w.pool.ddt + w.pie + l.ddt_burned;
    assert!(
        (ddt_in - ddt_out).abs() <= 1e-9 * ddt_in.max(1.0),
        "step {}: dDT in {ddt_in} vs accounted {ddt_out}",
        w.step
    );
    let xdai_out = held_xdai + w.pool.xdai + w.pool.fee_pot + l.xdai_lost;
    assert!(
        (l.xdai_endowed - xdai_out).abs() <= 1e-9 * l.xdai_endowed.max(1.0),
        "step {}: xDAI in {} vs accounted {xdai_out}",
        w.step,
        l.xdai_endowed
    );
}

#[test]
fn both_presets_conserve_tokens_and_money() {
    for name in ["as_described", "original"] {
        let p = DdParams {
            total_steps: 400.0,
            ..DdParams::preset(name).unwrap()
        };
        let mut w = World::new(&p, false);
        for _ in 0..400 {
            w.step(&p);
            check_conservation(&w);
        }
        if name == "original" {
            assert!(w.ledger.ddt_burned > 0.0 && w.ledger.ddt_from_nowhere > 0.0);
            assert!(w.ledger.xdai_lost > 0.0);
        } else {
            let l = w.ledger;
            assert_eq!(
                (l.ddt_burned, l.ddt_from_nowhere, l.xdai_lost),
                (0.0, 0.0, 0.0)
            );
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// The default mechanism, with its behaviour parameters varied: reserves stay positive,
        /// no agent holds less than zero of anything, dDT and xDAI are conserved, and k never
        /// falls across a step's trades (liquidity only adds to it).
        #[test]
        fn default_preset_invariants(
            fee_rate in 0.0f64..0.05,
            reinvest in 0.0f64..1.0,
            org_buy in 0.0f64..20.0,
            power_spend in 0.0f64..10.0,
            max_price in 0.0f64..5.0,
            casual_sell in 0.0f64..3.0,
            pie_rate in 0.0f64..1.0,
            minting in proptest::bool::ANY,
        ) {
            let p = DdParams {
                total_steps: 150.0,
                fee_rate,
                degen_reinvest_rate: reinvest,
                org_daily_ddt_buy: org_buy,
                power_daily_spend: power_spend,
                power_max_buy_price: max_price,
                casual_daily_sell: casual_sell,
                pie_distribution_rate: pie_rate,
                minting: if minting { Minting::On } else { Minting::Off },
                ..DdParams::default()
            };
            let mut w = World::new(&p, false);
            let mut k = 0.0;
            for _ in 0..150 {
                w.step(&p);
                prop_assert!(w.pool.ddt > 0.0 && w.pool.xdai > 0.0, "reserves {} {}", w.pool.ddt, w.pool.xdai);
                prop_assert!(w.pool.k() >= k, "k fell from {} to {}", k, w.pool.k());
                k = w.pool.k();
                for a in &w.agents {
                    prop_assert!(a.ddt >= 0.0 && a.xdai >= 0.0, "agent {} holds {} dDT, {} xDAI", a.id, a.ddt, a.xdai);
                }
                check_conservation(&w);
            }
        }
    }
}
