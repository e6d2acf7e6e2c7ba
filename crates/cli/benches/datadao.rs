//! Native benchmarks of the dataDAO run (targets and results: BENCHMARKS.md).
//!
//!     cargo bench -p flywheel-cli --bench datadao

use criterion::{criterion_group, criterion_main, Criterion};
use flywheel_core::datadao::sim::run;
use flywheel_core::datadao::DdParams;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("datadao");
    g.sample_size(20);
    let defaults = DdParams::default();
    g.bench_function("2,000 steps, as described (4,009 agents at the end)", |b| {
        b.iter(|| run(black_box(&defaults), false))
    });
    let original = DdParams::preset("original").expect("preset");
    g.bench_function("2,000 steps, original code", |b| {
        b.iter(|| run(black_box(&original), false))
    });
    g.bench_function(
        "2,000 steps, as described, with every transaction kept",
        |b| b.iter(|| run(black_box(&defaults), true)),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
