//! Tests of the dataDAO model: spec §7's reference numbers, the rules of §1–§4, and invariants.

use super::sim::{round_half_even, run, Kind, World};
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
        close(r200.ddt_reserve, 15272.1996, 9),
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
/// With policies: their minting and burning, the treasury's dDT and xDAI, and what developers
/// were paid count too.
fn check_conservation(w: &World) {
    let l = &w.ledger;
    let held_ddt: f64 = w.agents.iter().map(|a| a.ddt).sum();
    let held_xdai: f64 = w.agents.iter().map(|a| a.xdai).sum();
    let (t_ddt, t_xdai, t_start, dev) = w.engine.as_ref().map_or((0.0, 0.0, 0.0, 0.0), |e| {
        (
            e.treasury_tokens,
            e.treasury_usd,
            e.p.treasury_start,
            e.developers_usd,
        )
    });
    let ddt_in = l.ddt_endowed + l.ddt_from_nowhere + l.ddt_policy_minted + l.ddt_outside;
    let ddt_out = held_ddt + w.pool.ddt + w.pie + l.ddt_burned + l.ddt_policy_burned + t_ddt;
    assert!(
        (ddt_in - ddt_out).abs() <= 1e-9 * ddt_in.max(1.0),
        "step {}: dDT in {ddt_in} vs accounted {ddt_out}",
        w.step
    );
    let xdai_in = l.xdai_endowed + t_start + l.xdai_outside;
    let xdai_out = held_xdai + w.pool.xdai + w.pool.fee_pot + l.xdai_lost + t_xdai + dev;
    assert!(
        (xdai_in - xdai_out).abs() <= 1e-9 * xdai_in.max(1.0),
        "step {}: xDAI in {xdai_in} vs accounted {xdai_out}",
        w.step
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

#[test]
fn entries_top_each_type_up_to_its_share() {
    let p = DdParams::default();
    let mut w = World::new(&p, false);
    assert_eq!(w.counts, [4, 1, 1, 3, 2]);
    // Step 1 (index 0): N = 11 + 10 = 21 → round(8.4) = 8 degens, 1, 1, round(6.3) = 6, round(4.2) = 4.
    w.step(&p);
    assert_eq!(w.counts, [8, 1, 1, 6, 4]);
    // Steps 2–5 add nobody; step 6 (index 5) is the next entry: N = 30 → 12, round(1.5) = 2, 2, 9, 6.
    for _ in 0..4 {
        w.step(&p);
    }
    assert_eq!(w.counts, [8, 1, 1, 6, 4]);
    w.step(&p);
    assert_eq!(w.counts, [12, 2, 2, 9, 6]);
    // Agents join in type order and keep their joining order.
    let ids: Vec<u32> = w.agents.iter().map(|a| a.id).collect();
    assert!(ids.windows(2).all(|x| x[0] < x[1]));
    assert_eq!(w.agents[20].kind, sim::Kind::Degen);
}

#[test]
fn each_agent_type_behaves_as_specified() {
    let p = DdParams {
        total_steps: 1.0,
        ..DdParams::default()
    };
    let mut w = World::new(&p, true);
    w.step(&p);
    let tx = w.transactions.clone().unwrap();
    let of = |agent: u32| -> Vec<(sim::Action, f64, f64)> {
        tx.iter()
            .filter(|t| t.agent == agent)
            .map(|t| (t.action, t.ddt, t.xdai))
            .collect()
    };
    // The first degen: adds 10 dDT + 10 xDAI, sells its other 90 dDT, collects fees, zaps half.
    let d = of(0);
    assert_eq!(d[0], (sim::Action::AddLiquidity, -10.0, -10.0));
    assert_eq!((d[1].0, d[1].1), (sim::Action::Sell, -90.0));
    assert_eq!(d[2].0, sim::Action::CollectFees);
    // The organization (id 4) pays 2 × price and sends what it gets to the Pie.
    let o = of(4);
    assert_eq!(o[0].0, sim::Action::Buy);
    assert_eq!((o[1].0, o[1].1), (sim::Action::SpendToPie, -o[0].1));
    // The power user (5) holds 100 dDT: it spends 2; active users (6–8) spend 1.
    assert_eq!(of(5)[0], (sim::Action::SpendToPie, -2.0, 0.0));
    assert_eq!(of(6)[0], (sim::Action::SpendToPie, -1.0, 0.0));
    // Casual users (9, 10) spend 0.1 and sell 0.9.
    let c = of(9);
    assert_eq!(c[0], (sim::Action::SpendToPie, -0.1, 0.0));
    assert_eq!((c[1].0, c[1].1), (sim::Action::Sell, -0.9));
    // The Pie pays 40% of 70% to the power user (kept), active and casual users sell theirs.
    let pie_before = w.pie / 0.3;
    let power_share: Vec<_> = of(5)
        .into_iter()
        .filter(|t| t.0 == sim::Action::PieShare)
        .collect();
    assert!((power_share[0].1 - 0.7 * 0.4 * pie_before).abs() < 1e-12);
    let active = of(6);
    let n = active.len();
    assert_eq!(active[n - 2].0, sim::Action::PieShare);
    assert_eq!(
        (active[n - 1].0, active[n - 1].1),
        (sim::Action::Sell, -active[n - 2].1)
    );
    assert!((active[n - 2].1 - 0.7 * 0.4 * pie_before / 6.0).abs() < 1e-12);
}

#[test]
fn the_original_power_user_overspends_and_the_default_does_not() {
    // A power user with no dDT buys 2 dDT's worth: the fee leaves it slightly short of 2.
    // (The Pie's payout is burned here so it does not top the power user up.)
    let base = DdParams {
        power_initial_ddt: 0.0,
        pie_distribution: PieDistribution::Original,
        ..DdParams::default()
    };
    for (mode, negative) in [
        (PowerOverspend::Original, true),
        (PowerOverspend::Forbid, false),
    ] {
        let p = DdParams {
            power_overspend: mode,
            ..base.clone()
        };
        let mut w = World::new(&p, false);
        w.step(&p);
        let power = w
            .agents
            .iter()
            .find(|a| a.kind == sim::Kind::Power)
            .unwrap();
        assert_eq!(power.ddt < 0.0, negative, "{mode:?}: {}", power.ddt);
        if !negative {
            assert!(power.ddt >= 0.0);
        }
    }
}

#[test]
fn original_pie_burns_its_payout() {
    let p = DdParams {
        pie_distribution: PieDistribution::Original,
        ..DdParams::default()
    };
    let mut w = World::new(&p, false);
    w.step(&p);
    // 30% stays; the 70% is burned, not paid.
    assert!((w.ledger.ddt_burned - w.pie * 0.7 / 0.3).abs() < 1e-9);
}

#[test]
fn membership_minting_draws_weights_from_the_seed_and_respects_the_cap() {
    let p = DdParams {
        minting: Minting::On,
        total_steps: 30.0,
        ..DdParams::default()
    };
    let a = run(&p, false);
    let b = run(&p, false);
    assert_eq!(a.records, b.records, "same seed, same run");
    let c = run(
        &DdParams {
            seed: 7.0,
            ..p.clone()
        },
        false,
    );
    assert_ne!(a.records, c.records, "another seed, other weights");
    // Every member minted at most its CRC; organizations mint nothing.
    assert!(a.ledger.crc_locked > 0.0);
    assert!(a.ledger.crc_locked <= p.crc_per_member * (a.agents.len() as f64));
    // With σ = 0 and quality fixed, every member mints exactly cap × quality × median.
    let fixed = DdParams {
        quality_min: 0.8,
        quality_max: 0.8,
        quantity_sigma: 0.0,
        quantity_median: 50.0,
        total_steps: 1.0,
        ..p
    };
    let w = World::new(&fixed, false);
    let active = w
        .agents
        .iter()
        .find(|a| a.kind == sim::Kind::Active)
        .unwrap();
    assert!((active.ddt - 40.0).abs() < 1e-9, "{}", active.ddt);
}

#[test]
fn csv_exports_have_the_reference_columns() {
    let p = DdParams {
        total_steps: 3.0,
        ..DdParams::default()
    };
    let w = run(&p, true);
    let csv = sim::records_csv(&w.records);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "step,price,ddt_reserve,xdai_reserve,pie,fee_pot,k,degen_count,degen_avg_xdai,organization_count,organization_avg_xdai,power_count,power_avg_xdai,active_count,active_avg_xdai,casual_count,casual_avg_xdai"
    );
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first[0], "1");
    assert_eq!(first[1].parse::<f64>().unwrap(), w.records[0].price);
    assert_eq!(first[7], "8");
    assert_eq!(csv.lines().count(), 4);
    let tx = sim::transactions_csv(w.transactions.as_ref().unwrap());
    assert!(tx.starts_with("step,agent,type,action,ddt,xdai,ddt_after,xdai_after,price_after\n1,0,degen,add_liquidity,-10,-10,90,0,1\n"), "{}", &tx[..200]);
    assert_eq!(tx.lines().count(), 1 + w.transactions.unwrap().len());
}

#[test]
fn links_round_trip_and_bad_values_name_their_field() {
    use crate::codec::{decode, encode};
    assert_eq!(encode(&DdParams::default()), "#datadao?v=1");
    let original = DdParams::preset("Original code").unwrap();
    assert_eq!(
        encode(&original),
        "#datadao?fee_pot=original&degen_reinvest=original&power_overspend=original&pie_distribution=original&v=1"
    );
    let d = decode::<DdParams>(&encode(&original));
    assert!(d.issues.is_empty() && d.model == original);
    for (url, field, text) in [
        (
            "#datadao?total_steps=0&v=1",
            "total_steps",
            "allowed 1 to 100,000",
        ),
        (
            "#datadao?pie_share_power=0.9&v=1",
            "pie_share_power",
            "add up to 1.5",
        ),
        (
            "#datadao?fee_pot=maybe&v=1",
            "fee_pot",
            "allowed pro_rata | original",
        ),
    ] {
        let d = decode::<DdParams>(url);
        assert_eq!(d.issues.len(), 1, "{url}: {:?}", d.issues);
        assert_eq!(d.issues[0].field, field);
        assert!(
            d.issues[0].message.contains(text),
            "{}",
            d.issues[0].message
        );
        assert_eq!(d.model, DdParams::default());
    }
}

#[test]
fn an_empty_pool_takes_nothing_and_agents_keep_their_tokens() {
    // Degens add no liquidity: the pool stays empty, so nobody can sell or buy.
    let p = DdParams {
        degen_lp_ddt: 0.0,
        degen_lp_xdai: 0.0,
        total_steps: 20.0,
        ..DdParams::default()
    };
    let mut w = World::new(&p, false);
    for _ in 0..20 {
        w.step(&p);
        check_conservation(&w);
    }
    assert_eq!((w.pool.ddt, w.pool.xdai), (0.0, 0.0));
    let degen = w
        .agents
        .iter()
        .find(|a| a.kind == sim::Kind::Degen)
        .unwrap();
    assert_eq!(
        degen.ddt, 100.0,
        "the degen could not sell, so it keeps its dDT"
    );
}

/// The Info's claim: the original code's Pie burns its payout instead of paying members who sell
/// it, so the price holds up better than under the mechanism as described.
#[test]
fn the_original_pie_burn_props_up_the_price() {
    let described = run(&DdParams::default(), false);
    let burn = run(
        &DdParams {
            pie_distribution: PieDistribution::Original,
            ..DdParams::default()
        },
        false,
    );
    let price = |w: &World| w.records.last().unwrap().price;
    assert!(
        price(&burn) > 1.5 * price(&described),
        "burn {} vs described {}",
        price(&burn),
        price(&described)
    );
}

#[test]
fn view_keys_ride_along_in_links_without_touching_the_model() {
    use crate::codec::{decode, encode, view_value, with_view};
    let p = DdParams {
        total_steps: 300.0,
        ..DdParams::default()
    };
    let link = with_view(
        &encode(&p),
        &[("compare", "1".into()), ("step", "120".into())],
    );
    assert_eq!(link, "#datadao?total_steps=300&compare=1&step=120&v=1");
    let d = decode::<DdParams>(&link);
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    assert_eq!(d.model, p);
    assert_eq!(view_value(&link, "step").as_deref(), Some("120"));
    assert_eq!(view_value(&link, "compare").as_deref(), Some("1"));
    assert_eq!(with_view(&encode(&p), &[]), encode(&p));
}

#[test]
fn shares_that_do_not_add_up_to_1_are_used_in_proportion_and_said() {
    use crate::codec::decode;
    use crate::params::ParamModel;
    // The reported cases: a degen share of 0.6 (sum 1.2) and an organization share of 0.4773.
    for link in [
        "#datadao?share_degen=0.6&v=1",
        "#datadao?share_organization=0.4773&v=1",
    ] {
        let d = decode::<DdParams>(link);
        assert!(d.issues.is_empty(), "{:?}", d.issues);
        let p = DdParams {
            total_steps: 400.0,
            ..d.model
        };
        assert!(p.shares_rescaled());
        let sum: f64 = Kind::ALL.iter().map(|k| p.proportion(*k)).sum();
        assert!((sum - 1.0).abs() < 1e-12, "{sum}");
        let w = run(&p, false);
        // 80 entries of about 10 agents: the population grows linearly, as with the defaults.
        let n = w.agents.len();
        assert!(
            (800..=1100).contains(&n),
            "{link}: {n} agents after 400 steps"
        );
        let notes = p.notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        let m = &notes[0].message;
        assert!(
            SHARE_FIELDS.iter().all(|f| m.contains(f)),
            "the note names every share: {m}"
        );
        assert!(!m.contains("99999") && !m.contains("00000"), "{m}");
    }
    let m = &decode::<DdParams>("#datadao?share_degen=0.6&v=1")
        .model
        .notes()[0]
        .message;
    assert!(m.contains("add up to 1.2,"), "{m}");
    assert!(m.contains("degen 50%, organization 4.17%,"), "{m}");
    // The defaults add up to 1 and are used as written (the reference's exact numbers).
    let d = DdParams::default();
    assert!(!d.shares_rescaled() && d.notes().is_empty());
    assert_eq!(d.proportion(Kind::Degen), 0.4);
    // All zero: nobody joins after the start, and the note says so.
    let mut zero = DdParams {
        total_steps: 50.0,
        ..DdParams::default()
    };
    for f in SHARE_FIELDS {
        zero.put(f, crate::params::Value::Real(0.0));
    }
    assert!(zero.notes()[0].message.contains("no agent joins"));
    assert_eq!(run(&zero, false).agents.len(), 11);
}

#[test]
fn the_population_of_every_step_is_known_before_the_run() {
    for p in [
        DdParams {
            total_steps: 300.0,
            ..DdParams::default()
        },
        DdParams {
            total_steps: 120.0,
            share_degen: 0.9,
            entry_steps: 3.0,
            agents_per_entry: 37.0,
            initial_casual: 50.0,
            ..DdParams::default()
        },
    ] {
        let planned: Vec<f64> = p.population_by_step().collect();
        let mut w = World::new(&p, false);
        let mut actual = Vec::new();
        for _ in 0..p.total_steps as u32 {
            w.step(&p);
            actual.push(w.agents.len() as f64);
        }
        assert_eq!(planned, actual);
        let c = p.cost(None);
        assert_eq!(c.work, actual.iter().sum::<f64>());
        assert!(c.check().is_ok());
    }
}

#[test]
fn runs_past_the_limits_are_refused_with_what_to_lower() {
    let huge = DdParams {
        total_steps: 100_000.0,
        entry_steps: 1.0,
        agents_per_entry: 10_000.0,
        ..DdParams::default()
    };
    let e = huge.cost(None).check().unwrap_err();
    assert!(
        e.contains("memory") && e.contains("agents_per_entry") && e.contains("total_steps"),
        "{e}"
    );
    // Long but small: refused for its time, not its memory.
    let long = DdParams {
        total_steps: 100_000.0,
        entry_steps: 10.0,
        agents_per_entry: 60.0,
        ..DdParams::default()
    };
    let c = long.cost(None);
    assert!(c.memory_bytes < 1e9);
    let e = c.check().unwrap_err();
    assert!(e.contains("too long") && e.contains("min"), "{e}");
    // Keeping every transaction costs memory too.
    let p = DdParams {
        total_steps: 20_000.0,
        ..DdParams::default()
    };
    assert!(p.cost(None).check().is_ok());
    assert!(p.cost(Some((1, u32::MAX))).memory_bytes > 10.0 * p.cost(None).memory_bytes);
    // Every run the parameters' ranges allow is estimated at once, whatever its size.
    assert!(huge.cost(Some((1, u32::MAX))).check().is_err());
}

#[test]
fn policies_conserve_tokens_and_money_with_the_treasury() {
    use crate::policy::scenario::standard_library;
    for curve in ["linear", "quadratic", "decay", "multiplier"] {
        for scenario in standard_library(300, 30) {
            let mut p = DdParams {
                total_steps: 300.0,
                ..DdParams::default()
            };
            for s in crate::policy::SWITCHES {
                p.policy.put(s, crate::params::Value::Choice("on"));
            }
            p.policy
                .put("reward_curve", crate::params::Value::Choice(curve));
            p.policy.stability_fee = 0.01;
            p.policy.treasury_tax = 0.03;
            p.policy.fee_burn = 0.25;
            let mut w = World::stressed(&p, scenario.schedule(300));
            for _ in 0..300 {
                w.step(&p);
                check_conservation(&w);
                for a in &w.agents {
                    assert!(
                        a.ddt >= -1e-9 && a.xdai >= -1e-9,
                        "{curve} {}: {a:?}",
                        scenario.name
                    );
                }
                let e = w.engine.as_ref().unwrap();
                assert!(e.treasury_usd >= -1e-9 && e.treasury_tokens >= 0.0);
            }
            let e = w.engine.as_ref().unwrap();
            assert!(e.interventions > 0, "{curve} {}", scenario.name);
            assert!(w.ledger.ddt_policy_minted > 0.0 && w.ledger.ddt_policy_burned > 0.0);
        }
    }
}

#[test]
fn policies_off_and_no_shocks_change_nothing() {
    let p = DdParams {
        total_steps: 300.0,
        ..DdParams::default()
    };
    let plain = run(&p, false);
    let mut w = World::stressed(&p, vec![Default::default(); 300]);
    for _ in 0..300 {
        w.step(&p);
    }
    assert_eq!(plain.records, w.records);
    assert!(w.engine.is_none());
    let last = w.econ.last().unwrap();
    assert_eq!(last.price, plain.records.last().unwrap().price);
    assert_eq!(last.staked, plain.pool.ddt);
}

#[test]
fn value_distribution_takes_the_fees_and_the_stabiliser_defends_the_floor() {
    let mut p = DdParams {
        total_steps: 600.0,
        ..DdParams::default()
    };
    p.policy.value_distribution = crate::policy::Switch::On;
    let mut w = World::new(&p, false);
    for _ in 0..600 {
        w.step(&p);
    }
    let e = w.engine.as_ref().unwrap();
    assert!(e.developers_usd > 0.0 && e.treasury_usd > p.policy.treasury_start);
    // A bear market: with the stabiliser the price ends higher.
    let bear = crate::policy::scenario::standard_library(600, 30)[1].schedule(600);
    let base = DdParams {
        total_steps: 600.0,
        ..DdParams::default()
    };
    let mut with = base.clone();
    with.policy.price_stabilizer = crate::policy::Switch::On;
    with.policy.treasury_start = 5_000.0;
    let (mut a, mut b) = (
        World::stressed(&base, bear.clone()),
        World::stressed(&with, bear),
    );
    for _ in 0..600 {
        a.step(&base);
        b.step(&with);
    }
    assert!(
        b.pool.price() > a.pool.price() * 1.1,
        "{} vs {}",
        b.pool.price(),
        a.pool.price()
    );
    assert!(b.engine.as_ref().unwrap().treasury_tokens > 0.0);
}
