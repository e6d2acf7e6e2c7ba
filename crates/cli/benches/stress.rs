//! Native benchmarks of the stress tests (targets and results: BENCHMARKS.md): every library
//! scenario and the baseline × 20 runs, on one thread and on every core.
//!
//!     cargo bench -p flywheel-cli --bench stress

use criterion::{criterion_group, criterion_main, Criterion};
use flywheel_core::commons::stress::CommonsDao;
use flywheel_core::crowdtrain::stress::CrowdTrain;
use flywheel_core::datadao::stress::DataDao;
use flywheel_core::stress::{run_here, StressParams, Stressable};
use std::hint::black_box;

fn group<M: Stressable>(c: &mut Criterion, name: &str) {
    let mut g = c.benchmark_group(format!("stress {name}"));
    g.sample_size(10);
    let p = StressParams::<M>::default();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    g.bench_function("every scenario × 20 runs, defaults, 1 thread", |b| {
        b.iter(|| run_here(black_box(&p), 1))
    });
    g.bench_function(
        format!("every scenario × 20 runs, defaults, {cores} threads"),
        |b| b.iter(|| run_here(black_box(&p), cores)),
    );
    g.finish();
}

fn bench(c: &mut Criterion) {
    group::<CrowdTrain>(c, "crowdtrain");
    group::<DataDao>(c, "datadao");
    group::<CommonsDao>(c, "commons");
}

criterion_group!(benches, bench);
criterion_main!(benches);
