//! Browser tests of the worker, run inside a real dedicated Web Worker
//! (`wasm-pack test --headless --chrome crates/worker`).
#![cfg(target_arch = "wasm32")]

use flywheel_core::commons::explorer::{evaluate, AbcParams, Side, Trade};
use flywheel_core::golden;
use flywheel_core::protocol::{Command, Reply, Request};
use flywheel_worker::web::dispatch;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// Sends a request as the page does (a JS value), and reads the replies back as the page does.
/// Checks the worker's closing timing reply and returns the replies before it.
fn round_trip(req: &Request) -> Vec<Reply> {
    let data = serde_wasm_bindgen::to_value(req).expect("encode request");
    let mut replies = Vec::new();
    dispatch(data, &mut |r| {
        let js = serde_wasm_bindgen::to_value(r).expect("encode reply");
        replies.push(serde_wasm_bindgen::from_value::<Reply>(js).expect("decode reply"));
    });
    match replies.pop() {
        Some(Reply::Timing {
            id,
            worker_ms,
            memory_bytes,
        }) => {
            assert_eq!(id, req.id);
            assert!(worker_ms >= 0.0, "worker time {worker_ms}");
            // Wasm memory comes in 64 KiB pages.
            assert!(memory_bytes >= 65536.0 && memory_bytes % 65536.0 == 0.0);
        }
        other => panic!("the last reply is not the timing: {other:?}"),
    }
    replies
}

#[wasm_bindgen_test]
fn commons_request_round_trips_through_the_worker_message_handler() {
    assert!(js_sys::global().has_type::<web_sys::DedicatedWorkerGlobalScope>());
    let params = AbcParams {
        kappa: 3.0,
        exit_tribute: 0.2,
        trade_side: Side::Sell,
        trade_size: 250_000.0,
        trades: vec![Trade {
            side: Side::Buy,
            amount: 500_000.0,
        }],
        ..AbcParams::default()
    };
    let replies = round_trip(&Request {
        id: 11,
        command: Command::CommonsAbc {
            params: params.clone(),
        },
    });
    assert_eq!(
        replies.len(),
        1,
        "an instant command answers with its result alone: {replies:?}"
    );
    // The worker's numbers are the core's, bit for bit.
    assert_eq!(
        replies[0],
        Reply::CommonsAbc {
            id: 11,
            report: Box::new(evaluate(&params))
        }
    );
}

#[wasm_bindgen_test]
fn unreadable_message_gets_a_readable_failure() {
    let mut replies = Vec::new();
    dispatch(JsValue::from_str("garbage"), &mut |r| {
        replies.push(r.clone())
    });
    match &replies[..] {
        [Reply::Failed { id: None, message }] => {
            assert!(message.contains("could not read a request"), "{message}")
        }
        other => panic!("unexpected replies {other:?}"),
    }
}

#[wasm_bindgen_test]
fn hatch_draw_round_trip() {
    let replies = round_trip(&Request {
        id: 3,
        command: Command::DrawHatch {
            seed: 9,
            hatchers: 5,
            max_contribution: 1e6,
        },
    });
    match &replies[..] {
        [Reply::Hatch {
            id: 3,
            seed: 9,
            contributions,
        }] => assert_eq!(contributions.len(), 5),
        other => panic!("unexpected replies {other:?}"),
    }
}

#[wasm_bindgen_test]
fn crowdtrain_monte_carlo_reports_progress_and_round_trips() {
    use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
    use flywheel_core::crowdtrain::CtParams;
    let params = CtParams {
        runs: 3.0,
        months: 6.0,
        ..CtParams::default()
    };
    let replies = round_trip(&Request {
        id: 21,
        command: Command::CrowdTrain {
            params: params.clone(),
            records: true,
        },
    });
    // The plan, progress by work (months worth less than a percent of it are not reported on
    // their own), and the result.
    assert_eq!(
        replies[0],
        Reply::Plan {
            id: 21,
            cost: params.cost(true)
        }
    );
    let total = params.cost(true).work;
    let done: Vec<f64> = replies[1..replies.len() - 1]
        .iter()
        .map(|r| match r {
            Reply::Progress {
                id: 21,
                done,
                total: t,
            } if *t == total => *done,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert!((10..=18).contains(&done.len()), "{done:?}");
    assert!(done.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(done.last(), Some(&total));
    let expected = run_monte_carlo(&params, &mut |_, _| true);
    assert_eq!(
        *replies.last().unwrap(),
        Reply::CrowdTrain {
            id: 21,
            result: Box::new(expected)
        }
    );
}

/// The full default Monte Carlo (20 runs × 24 months) inside a real worker gives the native bits;
/// its time in the worker is logged for BENCHMARKS.md.
#[wasm_bindgen_test]
fn crowdtrain_default_monte_carlo_is_bit_identical_to_native() {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let now = || scope.performance().map_or(0.0, |p| p.now());
    // Twice: the engine compiles wasm in tiers, so the first call can be slower than later ones.
    for attempt in ["first", "second"] {
        let t0 = now();
        assert_eq!(
            golden::crowdtrain_fingerprint(),
            golden::CROWDTRAIN_FINGERPRINT
        );
        let ms = now() - t0;
        let line = format!("crowdtrain: 20 runs x 24 months at the defaults in the worker ({attempt} call): {ms:.0} ms");
        web_sys::console::log_1(&line.into());
    }
}

/// One research experiment at the defaults (the 20-run Monte Carlo, scores only) and a short
/// research inside a real worker give the native bits; the experiment's time in the worker is
/// logged for BENCHMARKS.md (target: at most 250 ms).
#[wasm_bindgen_test]
fn research_is_bit_identical_to_native() {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let now = || scope.performance().map_or(0.0, |p| p.now());
    for attempt in ["first", "second", "third"] {
        let t0 = now();
        assert_eq!(
            golden::experiment_fingerprint(),
            golden::EXPERIMENT_FINGERPRINT
        );
        let ms = now() - t0;
        let line = format!("research: one experiment (20 runs x 24 months, scores only) at the defaults in the worker ({attempt} call): {ms:.0} ms");
        web_sys::console::log_1(&line.into());
    }
    assert_eq!(golden::research_fingerprint(), golden::RESEARCH_FINGERPRINT);
}

/// The Commons DAO's default Monte Carlo (20 runs × 730 days) inside a real worker gives the
/// native bits; its time in the worker is logged for BENCHMARKS.md (target: at most 1 s).
#[wasm_bindgen_test]
fn commons_dao_default_monte_carlo_is_bit_identical_to_native() {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let now = || scope.performance().map_or(0.0, |p| p.now());
    for attempt in ["first", "second"] {
        let t0 = now();
        assert_eq!(
            golden::commons_dao_fingerprint(),
            golden::COMMONS_DAO_FINGERPRINT
        );
        let ms = now() - t0;
        let line = format!("commons-dao: 20 runs x 730 days at the defaults in the worker ({attempt} call): {ms:.0} ms");
        web_sys::console::log_1(&line.into());
    }
}

/// Stress tests of the three models with every policy on, under scenarios and an outside
/// market's noise, give the native bits inside a real worker.
#[wasm_bindgen_test]
fn stress_tests_are_bit_identical_to_native() {
    assert_eq!(golden::stress_fingerprint(), golden::STRESS_FINGERPRINT);
}

#[wasm_bindgen_test]
fn numbers_are_bit_identical_to_native() {
    assert_eq!(golden::first_draws(), golden::FIRST_DRAWS_SEED42);
    assert_eq!(golden::curve_fingerprint(), golden::CURVE_FINGERPRINT);
    assert_eq!(golden::datadao_fingerprint(), golden::DATADAO_FINGERPRINT);
}
