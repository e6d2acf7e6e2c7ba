//! Native benchmarks of the Commons DAO: one 730-day run, the default 20-run Monte Carlo, and how
//! a run's cost grows with days and with arrivals. Results: BENCHMARKS.md.
//!
//!     cargo bench -p flywheel-cli --bench commons_dao

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use flywheel_core::commons::conviction::{calculate, ConvictionParams};
use flywheel_core::commons::dao::DaoParams;
use flywheel_core::commons::montecarlo::{run_monte_carlo, run_one};
use flywheel_core::commons::sim::network_at;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let default = DaoParams::default();
    c.bench_function("one 730-day run, defaults", |b| {
        b.iter(|| run_one(black_box(&default), 0, &mut || true))
    });
    let mut g = c.benchmark_group("monte carlo");
    g.sample_size(20);
    g.bench_function("20 runs × 730 days, defaults", |b| {
        b.iter(|| run_monte_carlo(black_box(&default), &mut |_, _| true))
    });
    g.finish();

    let mut g = c.benchmark_group("one run by days");
    g.sample_size(20);
    for days in [365.0, 730.0, 1460.0, 2920.0] {
        let p = DaoParams {
            days,
            ..DaoParams::default()
        };
        g.bench_with_input(BenchmarkId::from_parameter(days), &p, |b, p| {
            b.iter(|| run_one(p, 0, &mut || true))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("one 730-day run by arrival rate");
    g.sample_size(20);
    for rate in [1.0, 3.0, 10.0] {
        let p = DaoParams {
            arrival_rate: rate,
            ..DaoParams::default()
        };
        g.bench_with_input(BenchmarkId::from_parameter(rate), &p, |b, p| {
            b.iter(|| run_one(p, 0, &mut || true))
        });
    }
    g.finish();

    c.bench_function("the network of day 365 (re-simulated)", |b| {
        b.iter(|| network_at(black_box(&default), 42, 365))
    });
    let conviction = ConvictionParams::default();
    c.bench_function("conviction calculator, defaults", |b| {
        b.iter(|| calculate(black_box(&conviction)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
