//! The stress test's determinism at any parallelism, its link, its baseline (the model's own
//! Monte Carlo) and its report's shape.

use super::*;
use crate::codec::{decode, encode};
use crate::crowdtrain::montecarlo::run_monte_carlo;
use crate::crowdtrain::stress::CrowdTrain;
use crate::crowdtrain::CtParams;

fn small() -> StressParams<CrowdTrain> {
    let mut p = StressParams::<CrowdTrain> {
        stress_runs: 6.0,
        ..Default::default()
    };
    p.model.months = 18.0;
    p
}

#[test]
fn the_same_report_at_any_number_of_workers_in_any_order() {
    let mut p = small();
    p.model.policy.price_stabilizer = crate::policy::Switch::On;
    let one = assemble(&p, evaluate_all(&p));
    for workers in [2, 3, 7, 16] {
        let mut done: Vec<_> = tasks(&p, workers)
            .into_iter()
            .map(|t| (t, evaluate(&p, t)))
            .collect();
        done.reverse();
        assert_eq!(assemble(&p, done), one, "{workers} workers");
    }
    #[cfg(not(target_arch = "wasm32"))]
    assert_eq!(run_here(&p, 2), one);
    assert_eq!(one.scenarios.len(), 6);
    assert_eq!(one.scenarios[0].name, "baseline");
    assert!(one.scenarios.iter().all(|s| s.runs == 6));
}

#[test]
fn the_baseline_is_the_models_own_monte_carlo() {
    let p = small();
    let report = assemble(&p, evaluate_all(&p));
    let mc = run_monte_carlo(
        &CtParams {
            runs: 6.0,
            ..p.model.clone()
        },
        &mut |_, _| true,
    );
    let mut scores: Vec<f64> = mc.runs.iter().map(|r| r.score.score).collect();
    let [p10, p50, p90] = crate::stats::p10_p50_p90(&mut scores);
    let s = report.scenarios[0].metrics[0];
    assert_eq!((s.p10, s.p50, s.p90), (p10, p50, p90));
    // A scenario changes the runs; the change is against the baseline's median.
    let bear = &report.scenarios[2];
    assert_eq!(bear.name, "bear");
    assert!(bear.metrics[5].p50 < report.scenarios[0].metrics[5].p50);
    assert_eq!(bear.change[0], bear.metrics[0].p50 - s.p50);
}

#[test]
fn late_events_are_skipped_and_said() {
    let p = small();
    let notes = p.notes_of_scenarios();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("month 24") && n.contains("skipped")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("month 18") && n.contains("cut to 1 of its 6")),
        "{notes:?}"
    );
    let report = assemble(&p, evaluate_all(&p));
    let events = report.scenarios.last().unwrap();
    assert_eq!(events.name, "crowdtrain_events");
    assert_eq!(events.notes.len(), 3, "{:?}", events.notes);
}

#[test]
fn the_link_carries_scenarios_policies_and_settings() {
    let mut p = small();
    p.set_scenarios("bear;crash:6+1,price*0.5/6+3,churn*2")
        .unwrap();
    p.threshold = 0.3;
    p.model.policy.price_stabilizer = crate::policy::Switch::On;
    p.model.policy.band_lower = 0.5;
    let link = encode(&p);
    assert_eq!(
        link,
        "#crowdtrain-stress?stress_runs=6&threshold=0.3&months=18&price_stabilizer=on&band_lower=0.5&scenarios=bear;crash:6+1,price*0.5/6+3,churn*2&v=1"
    );
    let d = decode::<StressParams<CrowdTrain>>(&link);
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    assert_eq!(d.model, p);
    assert_eq!(d.model.scenario_list().len(), 2);
    // Bad lists are refused with a message naming the field; the list stays.
    let bad = decode::<StressParams<CrowdTrain>>("#crowdtrain-stress?scenarios=bull;moon&v=1");
    assert_eq!(bad.issues.len(), 1);
    assert_eq!(bad.issues[0].field, "scenarios");
    assert!(bad.issues[0]
        .message
        .contains("'moon' is not in the library"));
    assert_eq!(bad.model.scenarios, CrowdTrain::DEFAULT_SCENARIOS);
    // A model link's keys are the stress link's too; a research or model link's policies read.
    let m = decode::<StressParams<CrowdTrain>>("#crowdtrain?months=12&inflation_controller=on&v=1");
    assert!(m.issues.is_empty(), "{:?}", m.issues);
    assert_eq!(m.model.model.months, 12.0);
    assert!(m.model.model.policy.inflation_controller.on());
}

#[test]
fn the_json_has_the_issues_shape() {
    let mut p = small();
    p.stress_runs = 3.0;
    p.set_scenarios("bear").unwrap();
    let report = assemble(&p, evaluate_all(&p));
    let v: serde_json::Value = serde_json::to_value(report.json()).unwrap();
    assert_eq!(v["model"], "crowdtrain");
    assert_eq!(v["runs"], 3);
    let list = v["scenarios"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "baseline");
    for s in list {
        for m in super::report::metric_names() {
            for q in ["p10", "p50", "p90"] {
                assert!(s["metrics"][m][q].is_number(), "{m} {q}");
            }
        }
        assert!(s["health"]["price_volatility"]["pass"].is_boolean());
        assert!(s["health"]["passes_stress_test"].is_boolean());
    }
    let csv = report.csv();
    assert!(csv.starts_with("scenario,metric,p10,p50,p90,baseline_p50,change\n"));
    assert_eq!(csv.lines().count(), 1 + 2 * 11);
    assert!(report.table().contains("bear"));
    assert!(!report.summary().is_empty());
}

#[test]
fn a_stress_tests_cost_counts_every_scenario() {
    let p = StressParams::<CrowdTrain>::default();
    let c = cost(&p);
    let (per_run, _) = CrowdTrain::run_work(&p.model);
    // The bull market's arrivals × 1.3 and growth's × 2.5 make bigger runs.
    assert!((c.work - per_run * 20.0 * (4.0 + 1.3 + 2.5)).abs() < 1e-6 * c.work);
    assert!(c.check().is_ok());
    let mut big = p.clone();
    big.stress_runs = 1000.0;
    big.model.scale = 100.0;
    assert!(cost(&big).check().unwrap_err().contains("lower the runs"));
}
