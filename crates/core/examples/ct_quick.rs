//! Quick look at the CrowdTrain Monte Carlo: `cargo run --release -p flywheel-core --example ct_quick [RUNS]`.
fn main() {
    let runs: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20.0);
    let p = flywheel_core::crowdtrain::CtParams {
        runs,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let r = flywheel_core::crowdtrain::montecarlo::run_monte_carlo(&p, &mut |_, _| true);
    let el = t.elapsed();
    for s in &r.stats {
        println!("{:<24} {:>14.4} ± {:.4}", s.name, s.mean, s.std);
    }
    println!("elapsed {el:?}");
}
