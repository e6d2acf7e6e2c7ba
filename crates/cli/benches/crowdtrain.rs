//! Native benchmarks of the CrowdTrain Monte Carlo (targets and results: BENCHMARKS.md).
//!
//!     cargo bench -p flywheel-cli --bench crowdtrain

use criterion::{criterion_group, criterion_main, Criterion};
use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
use flywheel_core::crowdtrain::research::CrowdTrain;
use flywheel_core::crowdtrain::sim::run;
use flywheel_core::crowdtrain::CtParams;
use flywheel_core::research::evaluate_here;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("crowdtrain");
    g.sample_size(20);
    let defaults = CtParams::default();
    g.bench_function("one run, 24 months, defaults", |b| {
        b.iter(|| run(black_box(&defaults), 42))
    });
    g.bench_function("Monte Carlo: 20 runs × 24 months, defaults", |b| {
        b.iter(|| run_monte_carlo(black_box(&defaults), &mut |_, _| true))
    });
    g.bench_function(
        "one research experiment: 20 runs, scores only, defaults",
        |b| b.iter(|| evaluate_here::<CrowdTrain>(std::slice::from_ref(black_box(&defaults)))),
    );
    let consistent = CtParams::preset("consistent").expect("preset");
    g.bench_function("Monte Carlo: 20 runs, consistent economy", |b| {
        b.iter(|| run_monte_carlo(black_box(&consistent), &mut |_, _| true))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
