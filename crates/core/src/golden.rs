//! Bit-exact fingerprints of the core's numbers, asserted by the native tests and again by the
//! wasm tests in the browser: same parameters + seed must give the same bits everywhere.

use crate::commons::explorer::{evaluate, AbcParams, Side, Trade};
use crate::rng;

/// `rng::uniform` on seed 42, stream 0 (xoshiro256++): the first three draws, as `f64::to_bits`.
pub const FIRST_DRAWS_SEED42: [u64; 3] = [
    4605509828241559245,
    4599414989186784204,
    4607037350363628701,
];

pub fn first_draws() -> [u64; 3] {
    let mut r = rng::stream(42, 0);
    [0; 3].map(|_| rng::uniform(&mut r).to_bits())
}

/// A curve evaluation that exercises pow, log1p and expm1 with awkward inputs.
pub fn curve_fingerprint() -> [u64; 4] {
    let p = AbcParams {
        kappa: 2.7,
        entry_tribute: 0.03,
        trade_side: Side::Sell,
        trade_size: 123_456.789,
        trades: vec![Trade {
            side: Side::Buy,
            amount: 987_654.321,
        }],
        ..AbcParams::default()
    };
    let r = evaluate(&p);
    [
        r.current.supply,
        r.trade.released,
        r.trade.spot_after,
        r.curve[100][1],
    ]
    .map(f64::to_bits)
}

/// [`curve_fingerprint`] as computed natively.
pub const CURVE_FINGERPRINT: [u64; 4] = [
    4713448028374636770,
    4676202620218066763,
    4599959799973200603,
    4593972033635813739,
];

/// The CrowdTrain Monte Carlo at the defaults (20 runs × 24 months): the composite score's mean
/// and the first run's final price, as `f64::to_bits`.
pub fn crowdtrain_fingerprint() -> [u64; 2] {
    use crate::crowdtrain::{montecarlo::run_monte_carlo, CtParams};
    let r = run_monte_carlo(&CtParams::default(), &mut |_, _| true);
    let score = r.stat("score").map_or(f64::NAN, |s| s.mean);
    let price = r.runs[0].records.last().map_or(f64::NAN, |m| m.token_price);
    [score.to_bits(), price.to_bits()]
}

/// [`crowdtrain_fingerprint`] as computed natively.
pub const CROWDTRAIN_FINGERPRINT: [u64; 2] = [4601595896695677050, 4632614909191561218];

/// dataDAO after 300 steps, with membership minting on (seeded draws, `exp`/`log`) and the
/// defaults otherwise: price, dDT reserve, Pie and casual users' average xDAI, as `f64::to_bits`.
pub fn datadao_fingerprint() -> [u64; 4] {
    use crate::datadao::{sim::run, DdParams, Minting};
    let p = DdParams {
        total_steps: 300.0,
        minting: Minting::On,
        ..DdParams::default()
    };
    let w = run(&p, false);
    let r = w.records.last().expect("300 steps");
    [r.price, r.ddt_reserve, r.pie, r.avg_xdai[4]].map(f64::to_bits)
}

/// [`datadao_fingerprint`] as computed natively.
pub const DATADAO_FINGERPRINT: [u64; 4] = [
    4585112570455842678,
    4674914116391072793,
    4634586892875062853,
    4616337965902657005,
];

/// The Commons DAO Monte Carlo at the defaults (20 runs × 730 days: libm's pow, log1p, expm1 and
/// log in every rule): the mean score, the first run's final price and funding pool, and the P50
/// of the last day's mean sentiment, as `f64::to_bits`.
pub fn commons_dao_fingerprint() -> [u64; 4] {
    use crate::commons::{dao::DaoParams, montecarlo::run_monte_carlo};
    let r = run_monte_carlo(&DaoParams::default(), &mut |_, _| true);
    let last = r.runs[0].records.last().copied().unwrap_or_default();
    let sentiment = r
        .band("mean_sentiment")
        .and_then(|b| b.p50.last().copied())
        .unwrap_or(f64::NAN);
    [
        r.metric("score").map_or(f64::NAN, |m| m.mean),
        last.price,
        last.funding_pool,
        sentiment,
    ]
    .map(f64::to_bits)
}

/// [`commons_dao_fingerprint`] as computed natively.
pub const COMMONS_DAO_FINGERPRINT: [u64; 4] = [
    4650511093418111795,
    4588380434920344344,
    4701290792373092863,
    4604070057772825279,
];

/// One research experiment at the defaults: the mean score of the 20 runs as the research
/// engine computes it (the score-only runs), as `f64::to_bits`.
pub fn experiment_fingerprint() -> u64 {
    use crate::crowdtrain::{research::CrowdTrain, CtParams};
    use crate::research::{evaluate_here, Outcome};
    let runs = evaluate_here::<CrowdTrain>(&[CtParams::default()]);
    Outcome::of(&runs[0]).score.to_bits()
}

/// [`experiment_fingerprint`] as computed natively: the Monte Carlo's mean score (the first of
/// [`CROWDTRAIN_FINGERPRINT`]).
pub const EXPERIMENT_FINGERPRINT: u64 = CROWDTRAIN_FINGERPRINT[0];

/// A short research (18 experiments of 3 runs × 10 months, research seed 4, then its validation
/// and sensitivity): the best and validation scores' bits and an FNV-1a hash of its results.tsv.
pub fn research_fingerprint() -> [u64; 3] {
    use crate::crowdtrain::{research::CrowdTrain, CtParams};
    use crate::research::{evaluate_here, Research, Settings};
    let start = CtParams {
        runs: 3.0,
        months: 10.0,
        ..CtParams::default()
    };
    let settings = Settings {
        budget: 18,
        seed: 4,
        fixed: Vec::new(),
    };
    let mut r = Research::<CrowdTrain>::new(&start, settings);
    while let Some(job) = r.job() {
        let results = evaluate_here::<CrowdTrain>(&job.designs);
        r.tell(job.stage, results);
    }
    let report = r.report();
    let hash = r.tsv().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    [
        report.best_score.map_or(0, f64::to_bits),
        report.validation_score.map_or(0, f64::to_bits),
        hash,
    ]
}

/// [`research_fingerprint`] as computed natively.
pub const RESEARCH_FINGERPRINT: [u64; 3] = [
    4603353682992844505,
    4603395093885808759,
    8620984228798066098,
];

/// FNV-1a of a text.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Short stress tests of the three models with every policy and fee on (the Commons: its
/// stabiliser) under the library and a written-out scenario, the dataDAO with its outside
/// market's noise: an FNV-1a hash of each stress table's CSV (every metric's P10/P50/P90 at
/// full precision) and of its price bands.
pub fn stress_fingerprint() -> [u64; 3] {
    use crate::params::Value;
    use crate::stress::{assemble, evaluate_all, StressParams, Stressable};
    fn hash<M: Stressable>(p: &StressParams<M>) -> u64 {
        let r = assemble(p, evaluate_all(p));
        fnv(&r.csv()) ^ fnv(&r.bands_csv(0)).rotate_left(1)
    }
    fn policies(p: &mut crate::policy::PolicyParams) {
        for s in crate::policy::SWITCHES {
            p.put(s, Value::Choice("on"));
        }
        p.stability_fee = 0.005;
        p.treasury_tax = 0.02;
        p.fee_burn = 0.3;
    }
    let mut ct = StressParams::<crate::crowdtrain::stress::CrowdTrain> {
        stress_runs: 3.0,
        model: crate::crowdtrain::CtParams::preset("consistent").expect("a preset"),
        ..Default::default()
    };
    ct.model.months = 14.0;
    policies(&mut ct.model.policy);
    ct.set_scenarios("all;crash:6+1,price*0.5/6+3,churn*2")
        .expect("a valid list");
    let mut dd = StressParams::<crate::datadao::stress::DataDao> {
        stress_runs: 3.0,
        ..Default::default()
    };
    dd.model.total_steps = 150.0;
    policies(&mut dd.model.policy);
    dd.model.policy.reward_curve = crate::policy::RewardCurve::Quadratic;
    let mut cm = StressParams::<crate::commons::stress::CommonsDao> {
        stress_runs: 3.0,
        ..Default::default()
    };
    cm.model.days = 120.0;
    cm.model.policy.price_stabilizer = crate::policy::Switch::On;
    cm.model.policy.band_lower = 0.95;
    cm.model.policy.band_upper = 1.05;
    [hash(&ct), hash(&dd), hash(&cm)]
}

/// [`stress_fingerprint`] as computed natively.
pub const STRESS_FINGERPRINT: [u64; 3] = [
    5287825314252040309,
    14270518529619000773,
    5465912645069486986,
];

#[cfg(test)]
mod tests {
    #[test]
    fn stress_fingerprint_is_pinned() {
        assert_eq!(super::stress_fingerprint(), super::STRESS_FINGERPRINT);
    }

    #[test]
    fn research_fingerprints_are_pinned() {
        assert_eq!(
            super::experiment_fingerprint(),
            super::EXPERIMENT_FINGERPRINT
        );
        assert_eq!(super::research_fingerprint(), super::RESEARCH_FINGERPRINT);
    }

    #[test]
    fn commons_dao_fingerprint_is_pinned() {
        assert_eq!(
            super::commons_dao_fingerprint(),
            super::COMMONS_DAO_FINGERPRINT
        );
    }

    #[test]
    fn datadao_fingerprint_is_pinned() {
        assert_eq!(super::datadao_fingerprint(), super::DATADAO_FINGERPRINT);
    }

    #[test]
    fn crowdtrain_fingerprint_is_pinned() {
        assert_eq!(
            super::crowdtrain_fingerprint(),
            super::CROWDTRAIN_FINGERPRINT
        );
    }

    #[test]
    fn curve_fingerprint_is_pinned() {
        assert_eq!(super::curve_fingerprint(), super::CURVE_FINGERPRINT);
    }
}
