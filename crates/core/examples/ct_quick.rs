//! Quick look at the CrowdTrain Monte Carlo:
//! `cargo run --release -p flywheel-core --example ct_quick [RUNS] [score]` — with `score`, only
//! the runs' scores (the research engine's experiment), not the full Monte Carlo.
fn main() {
    let mut args = std::env::args().skip(1);
    let runs: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20.0);
    let score_only = args.next().as_deref() == Some("score");
    let p = flywheel_core::crowdtrain::CtParams {
        runs,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    if score_only {
        let scores: Vec<f64> = (0..p.runs())
            .map(|i| flywheel_core::crowdtrain::montecarlo::run_score(&p, i).score)
            .collect();
        let el = t.elapsed();
        println!(
            "mean score {:.4}",
            scores.iter().sum::<f64>() / scores.len() as f64
        );
        println!("elapsed {el:?}");
        return;
    }
    let r = flywheel_core::crowdtrain::montecarlo::run_monte_carlo(&p, &mut |_, _| true);
    let el = t.elapsed();
    for s in &r.stats {
        println!("{:<24} {:>14.4} ± {:.4}", s.name, s.mean, s.std);
    }
    println!("elapsed {el:?}");
}
