//! Native benchmarks of the Commons explorer: what one edit in the page costs the worker, and
//! what the chart costs to render (here to SVG). Results: BENCHMARKS.md.
//!
//!     cargo bench -p flywheel-cli --bench commons

use criterion::{criterion_group, criterion_main, Criterion};
use flywheel_charts::{bonding_curve, pools, to_svg, Theme};
use flywheel_core::codec::decode;
use flywheel_core::commons::explorer::{evaluate, AbcParams, Side, Trade, MAX_TRADES};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let default = AbcParams::default();
    c.bench_function("evaluate: defaults", |b| {
        b.iter(|| evaluate(black_box(&default)))
    });

    let long = AbcParams {
        trades: (0..MAX_TRADES)
            .map(|i| Trade {
                side: if i % 2 == 0 { Side::Buy } else { Side::Sell },
                amount: 10_000.0,
            })
            .collect(),
        ..AbcParams::default()
    };
    c.bench_function("evaluate: 100 trades in the history", |b| {
        b.iter(|| evaluate(black_box(&long)))
    });

    let link = "#commons?hatch_raise=2500000&kappa=3&entry_tribute=0.05&exit_tribute=0.2&trade_side=sell&trade_size=250000&trades=b500000,s100000&v=1";
    c.bench_function("decode a link + evaluate", |b| {
        b.iter(|| evaluate(&decode::<AbcParams>(black_box(link)).model))
    });

    let report = evaluate(&long);
    let theme = Theme::default();
    c.bench_function("bonding curve chart to SVG (960x560)", |b| {
        b.iter(|| {
            to_svg(960, 560, |root| {
                bonding_curve(root, black_box(&report), &theme)
            })
            .unwrap()
        })
    });
    c.bench_function("pools chart to SVG (960x440)", |b| {
        b.iter(|| to_svg(960, 440, |root| pools(root, black_box(&report), &theme)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
