//! Fuzzing of everything a user can type or paste: random hostile link fragments for every model
//! (garbage, NaN, huge numbers, unknown names, repeated keys, percent-encoding, long input)
//! through the codec, then a bounded run of each model on a sample of what decodes.
//!
//! Checked: nothing panics; every decoded value is finite and inside its declared range; a
//! decoded model passes its own checks between fields and its link reads back to the same model
//! (a link always reproduces the page); no output holds a non-finite number; every run that the
//! limits allow stays within the memory it was estimated to need (measured by a counting
//! allocator), and no run the limits refuse is started.
//!
//! The generator is seeded, so a failure names the fragment and reproduces.

use flywheel_core::codec::{self, decode, encode};
use flywheel_core::commons::explorer::{evaluate, AbcParams};
use flywheel_core::cost::{RunCost, MAX_MEMORY_BYTES};
use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
use flywheel_core::crowdtrain::CtParams;
use flywheel_core::datadao::sim::run_with;
use flywheel_core::datadao::DdParams;
use flywheel_core::params::{ParamModel, ParamSpec, Value};
use flywheel_core::rng::{self, Rng};
use rand::RngCore;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Fragments per model: 1,750,000 in all (five models).
const FRAGMENTS: usize = 350_000;
/// One decoded fragment in this many is run (bounded): 3,500 runs per model.
const RUN_EVERY: usize = 100;
/// One decoded fragment in this many has its full run's cost estimated (the estimate walks every
/// entry of a run up to 100,000 steps long).
const COST_EVERY: usize = 10;

// ---------------------------------------------------------------------------------------------
// A counting allocator: the bytes this thread holds now and at most since the last reset.

struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = HELD.try_with(|h| {
        let now = h.get() + delta;
        h.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        note(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns its result with the most memory this thread held above the start.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = HELD.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let out = f();
    let peak = PEAK.with(Cell::get) - start;
    (out, peak as f64)
}

// ---------------------------------------------------------------------------------------------
// The generator of hostile fragments.

fn pick<'a, T>(r: &mut Rng, items: &'a [T]) -> &'a T {
    &items[(r.next_u64() % items.len() as u64) as usize]
}

fn below(r: &mut Rng, n: u64) -> u64 {
    r.next_u64() % n
}

fn chance(r: &mut Rng, p: f64) -> bool {
    rng::uniform(r) < p
}

fn names<M: ParamModel>() -> Vec<&'static str> {
    M::specs()
        .iter()
        .map(|s| s.name())
        .chain(M::text_fields().iter().map(|t| t.name))
        .chain(M::VIEW_KEYS.iter().copied())
        .collect()
}

/// A value: often valid, often nearly valid, often hostile.
fn value(r: &mut Rng, spec: Option<&ParamSpec>) -> String {
    let hostile = [
        "",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "1e400",
        "-1e400",
        "1e308",
        "-0",
        "0x10",
        "1,5",
        "1.5.5",
        "--1",
        "+",
        "1e",
        "٣",
        "１２",
        "1_000_000",
        "__",
        " 7 ",
        "\u{0}",
        "%",
        "%zz",
        "%FF%FE",
        "%E2%88%9E",
        "b1000,s500",
        "b-1",
        "s1e400",
        "b,",
        "on",
        "OFF",
        "Zap",
        "1;drop",
        "<script>",
        "9007199254740993",
        "4294967296",
        "18446744073709551616",
    ];
    match below(r, 10) {
        0..=3 => match spec {
            Some(ParamSpec::Real(s)) => {
                let x = if chance(r, 0.5) {
                    rng::uniform_in(r, s.min, s.max)
                } else {
                    // Around and past the ends of the range.
                    let span = (s.max - s.min).abs().max(1.0);
                    let at = if chance(r, 0.5) { s.min } else { s.max };
                    at + (rng::uniform(r) - 0.5) * span * libm_pow10(below(r, 6) as f64 - 3.0)
                };
                if s.integer && chance(r, 0.8) {
                    format!("{}", x.round())
                } else {
                    format!("{x}")
                }
            }
            Some(ParamSpec::Choice(c)) => {
                let (v, label) = pick(r, c.options);
                match below(r, 3) {
                    0 => v.to_string(),
                    1 => v.to_ascii_uppercase(),
                    _ => label.to_string(),
                }
            }
            None => pick(r, &["b1000,s500", "1,2,3,4,5,6", "b5e5", "s1", "1 2 3"]).to_string(),
        },
        4..=6 => pick(r, &hostile).to_string(),
        7 => format!("{}", f64::from_bits(r.next_u64())),
        8 => {
            // Random bytes, some of them percent-escapes.
            let n = below(r, 40) as usize;
            (0..n)
                .map(|_| match below(r, 4) {
                    0 => format!("%{:02X}", below(r, 256)),
                    _ => char::from_u32(below(r, 0x3000) as u32)
                        .unwrap_or('x')
                        .to_string(),
                })
                .collect()
        }
        _ => "9".repeat(1 + below(r, 400) as usize),
    }
}

/// A scenario list: library names, written-out shocks with numbers often valid, often not.
fn scenarios(r: &mut Rng) -> String {
    let names = [
        "bull",
        "bear",
        "growth",
        "regulatory",
        "crowdtrain_events",
        "all",
        "moon",
        "baseline",
    ];
    let levers = ["price", "demand", "arrivals", "churn", "gravity", ""];
    let numbers = [
        "0", "1", "3", "12", "0.5", "2", "100", "101", "1e9", "-1", "NaN", "", "x",
    ];
    let mut parts = Vec::new();
    for k in 0..=below(r, 5) {
        if chance(r, 0.5) {
            parts.push(pick(r, &names).to_string());
            continue;
        }
        let mut shocks = Vec::new();
        for _ in 0..=below(r, 3) {
            let mut shock = format!("{}+{}", pick(r, &numbers), pick(r, &numbers));
            for _ in 0..below(r, 4) {
                shock.push_str(&format!(
                    ",{}{}{}",
                    pick(r, &levers),
                    pick(r, &["*", "x", "×", ""]),
                    pick(r, &numbers)
                ));
            }
            shocks.push(shock);
        }
        parts.push(format!("s{k}:{}", shocks.join("/")));
    }
    let sep: &&str = pick(r, &[";", ",", "; "]);
    parts.join(sep)
}

fn libm_pow10(e: f64) -> f64 {
    libm::pow(10.0, e)
}

/// A fragment for a model with parameters `M` (or for another tab, or none).
fn fragment<M: ParamModel>(r: &mut Rng) -> String {
    let known = names::<M>();
    let roll = below(r, 100);
    if roll < 2 {
        // Pasted garbage, sometimes past the length limit.
        let n = if chance(r, 0.2) {
            codec::MAX_FRAGMENT_LEN + 1 + below(r, 1000) as usize
        } else {
            below(r, 300) as usize
        };
        return (0..n)
            .map(|_| char::from_u32(32 + below(r, 0x250) as u32).unwrap_or('?'))
            .collect();
    }
    let tab = match below(r, 10) {
        0 => "".to_string(),
        1 => "nonsense".to_string(),
        2 => M::TAB.to_ascii_uppercase(),
        _ => M::TAB.to_string(),
    };
    let mut out = format!("#{tab}?");
    let pairs = below(r, 12);
    for _ in 0..pairs {
        let key = match below(r, 20) {
            0 => "v".to_string(),
            1 => "".to_string(),
            2 => "unknown_param".to_string(),
            3 => "%6Bappa".to_string(), // "kappa", percent-encoded
            _ => pick(r, &known).to_string(),
        };
        let spec = M::spec(&key);
        let v = if key == "v" && chance(r, 0.7) {
            "1".to_string()
        } else if key == "scenarios" && chance(r, 0.7) {
            scenarios(r)
        } else {
            value(r, spec)
        };
        let v = if chance(r, 0.3) {
            codec::percent_encode(&v)
        } else {
            v.replace(['&', '#'], "")
        };
        if chance(r, 0.05) {
            out.push_str(&key); // a key without '='
        } else {
            out.push_str(&format!("{key}={v}"));
        }
        out.push('&');
    }
    if chance(r, 0.8) {
        out.push_str("v=1");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// Every value of a decoded model is finite and inside its declared range; choices are options.
fn check_in_range<M: ParamModel>(m: &M, frag: &str) {
    for spec in M::specs() {
        let v = m.get(spec.name()).expect("every spec has a value");
        match (spec, v) {
            (ParamSpec::Real(s), Value::Real(x)) => {
                assert!(
                    x.is_finite() && x >= s.min && x <= s.max,
                    "{}={x} outside {}..{} after {frag:?}",
                    s.name,
                    s.min,
                    s.max
                );
                assert!(!s.integer || x.fract() == 0.0, "{}={x} not whole", s.name);
            }
            (ParamSpec::Choice(c), Value::Choice(x)) => {
                assert!(c.options.iter().any(|(o, _)| *o == x), "{x} for {}", c.name)
            }
            _ => panic!("{} has a value of the wrong kind", spec.name()),
        }
    }
}

/// Decodes `frag` as model `M` and checks what a link promises.
fn decode_checked<M: ParamModel + std::fmt::Debug>(frag: &str) -> M {
    let d = decode::<M>(frag);
    check_in_range(&d.model, frag);
    for i in &d.issues {
        assert!(
            !i.message.is_empty() && i.message.len() < 2000 && !i.field.is_empty(),
            "issue {i:?} for {frag:?}"
        );
    }
    // The decoded model keeps every rule between fields: the panel, the link and the CLI agree.
    assert!(
        d.model.clone().cross_check().is_empty(),
        "{:?} breaks a rule between fields after {frag:?}",
        d.model
    );
    // Its link reads back to the same model without a complaint.
    let link = encode(&d.model);
    let again = decode::<M>(&link);
    assert!(again.issues.is_empty(), "{link}: {:?}", again.issues);
    assert_eq!(again.model, d.model, "{link} does not reproduce {frag:?}");
    d.model
}

/// No number in `value` (a serialised output) is non-finite: serde writes those as null.
fn check_finite(value: &serde_json::Value, path: &str, optional: &[&str]) {
    match value {
        serde_json::Value::Null => assert!(
            optional.iter().any(|o| path.ends_with(o)),
            "non-finite number (or unexpected null) at {path}"
        ),
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                check_finite(v, &format!("{path}[{i}]"), optional);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                check_finite(v, &format!("{path}.{k}"), optional);
            }
        }
        _ => {}
    }
}

/// Runs `f` if `cost` is within the limits (checking its memory against the estimate); a run the
/// limits refuse is not started.
fn bounded<T>(cost: &RunCost, f: impl FnOnce() -> T) -> Option<T> {
    cost.check().ok()?;
    let (out, peak) = peak_of(f);
    // A small fixed allowance for the allocator's and the run's constant overheads.
    assert!(
        peak <= cost.memory_bytes + 256.0 * 1024.0,
        "the run held {peak} bytes, estimated {} ({})",
        cost.memory_bytes,
        cost.size
    );
    assert!(cost.memory_bytes <= MAX_MEMORY_BYTES);
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// The tests: one per model, each with its own seeded stream.

/// Decodes [`FRAGMENTS`] hostile fragments for model `M` from stream `stream`; estimates the
/// full run's cost of every [`COST_EVERY`]th (`cost`, `None` for a model without runs worth
/// estimating) and runs every [`RUN_EVERY`]th, bounded (`run`). Returns how many fragments asked
/// for a run past the limits.
fn fuzz<M: ParamModel + std::fmt::Debug>(
    stream: u64,
    cost: impl Fn(&M) -> Option<RunCost>,
    mut run: impl FnMut(M, &str),
) -> usize {
    let mut r = rng::stream(0xC0DE, stream);
    let mut refused = 0;
    for i in 0..FRAGMENTS {
        let frag = fragment::<M>(&mut r);
        let p: M = decode_checked(&frag);
        if i % COST_EVERY == 0 {
            if let Some(full) = cost(&p) {
                assert!(full.work.is_finite() && full.memory_bytes.is_finite());
                refused += usize::from(full.check().is_err());
            }
        }
        if i % RUN_EVERY == 0 {
            run(p, &frag);
        }
    }
    refused
}

#[test]
fn hostile_commons_links_decode_safely_and_evaluate_finitely() {
    let mut runs = 0;
    fuzz::<AbcParams>(
        1,
        |_| None,
        |p, _| {
            let report = evaluate(&p);
            let v = serde_json::to_value(&report).unwrap();
            check_finite(&v, "report", &["sell_price"]);
            runs += 1;
        },
    );
    assert!(runs >= 3000, "{runs} evaluations");
}

#[test]
fn hostile_crowdtrain_links_decode_safely_and_run_finitely() {
    let mut runs = 0;
    let refused = fuzz::<CtParams>(
        2,
        |p| Some(p.cost(false)),
        |p, _| {
            // A bounded run: at most 2 runs of 12 months at a tenth of the population.
            let small = CtParams {
                runs: p.runs.min(2.0),
                months: p.months.min(12.0),
                scale: p.scale.min(0.1),
                ..p
            };
            let result = bounded(&small.cost(true), || {
                run_monte_carlo(&small, &mut |_, _| true)
            })
            .expect("a small run is within the limits");
            let v = serde_json::to_value(&result).unwrap();
            check_finite(&v, "result", &[]);
            runs += 1;
        },
    );
    assert!(runs >= 3000, "{runs} runs");
    assert!(refused > 0, "some fragments ask for runs past the limits");
}

#[test]
fn hostile_datadao_links_decode_safely_and_run_finitely() {
    let mut runs = 0;
    let refused = fuzz::<DdParams>(
        3,
        |p| Some(p.cost(None)),
        |p, frag| {
            // A bounded run: steps halved until it is a few milliseconds of work.
            let mut small = DdParams {
                total_steps: p.total_steps.min(300.0),
                ..p
            };
            while small.total_steps > 1.0 && small.cost(None).work > 50_000.0 {
                small.total_steps = (small.total_steps / 2.0).floor();
            }
            let window = Some((1, 3));
            let run = bounded(&small.cost(window), || {
                run_with(&small, window, &mut |_, _| true)
            })
            .expect("a small run is within the limits");
            let v = serde_json::to_value(&run).unwrap();
            check_finite(&v, "run", &[]);
            for rec in &run.records {
                assert!(
                    rec.ddt_reserve >= 0.0 && rec.xdai_reserve >= 0.0 && rec.pie >= 0.0,
                    "a negative reserve after {frag:?}: {rec:?}"
                );
            }
            runs += 1;
        },
    );
    assert!(runs >= 3000, "{runs} runs");
    assert!(refused > 0, "some fragments ask for runs past the limits");
}

#[test]
fn hostile_commons_dao_links_decode_safely_and_run_finitely() {
    use flywheel_core::commons::dao::DaoParams;
    use flywheel_core::commons::montecarlo::run_monte_carlo as run_dao;
    let mut runs = 0;
    let refused = fuzz::<DaoParams>(
        4,
        |p| Some(p.cost(false)),
        |p, frag| {
            // A bounded run: at most 2 runs of 120 days.
            let small = DaoParams {
                runs: p.runs.min(2.0),
                days: p.days.min(120.0),
                ..p
            };
            let result = bounded(&small.cost(true), || run_dao(&small, &mut |_, _| true))
                .expect("a small run is within the limits");
            let v = serde_json::to_value(&result).unwrap();
            check_finite(&v, "result", &[]);
            for rec in result.runs.iter().flat_map(|r| &r.records) {
                assert!(
                    rec.reserve > 0.0 && rec.funding_pool >= 0.0 && rec.supply > 0.0,
                    "a negative pool after {frag:?}: {rec:?}"
                );
                assert!((0.0..=1.0).contains(&rec.mean_sentiment));
            }
            runs += 1;
        },
    );
    assert!(runs >= 3000, "{runs} runs");
    // The memory estimate counts the proposals runs make, not one a day, so only a fragment
    // that asks for many runs, many days and many arrivals at once is past the limits: random
    // fragments seldom do; these always are, and are refused.
    let huge = [
        "#commons-dao?runs=1000&days=3650&arrival_rate=10&v=1",
        "#commons-dao?runs=1000&days=3650&arrival_rate=5&hatchers=100&initial_proposals=50&v=1",
    ];
    let refused = refused
        + huge
            .iter()
            .filter(|f| {
                let p: DaoParams = decode_checked(f);
                p.cost(false).check().is_err()
            })
            .count();
    assert!(
        refused >= huge.len(),
        "some fragments ask for runs past the limits"
    );
}

#[test]
fn hostile_conviction_links_decode_safely_and_calculate_finitely() {
    use flywheel_core::commons::conviction::{calculate, ConvictionParams};
    let mut runs = 0;
    fuzz::<ConvictionParams>(
        5,
        |_| None,
        |p, frag| {
            let r = calculate(&p);
            assert_eq!(r.conviction.len(), p.days as usize, "{frag}");
            assert!(r.alpha > 0.0 && r.alpha < 1.0, "{frag}");
            let v = serde_json::to_value(&r).unwrap();
            check_finite(
                &v,
                "report",
                &[
                    "threshold",
                    "days_to_pass",
                    "days_to_pass_with_extra",
                    "stake_to_pass_in_days",
                ],
            );
            if let (Some(t), Some(d)) = (r.threshold, r.days_to_pass) {
                assert!(d >= 1 && t.is_finite(), "{frag}");
            }
            runs += 1;
        },
    );
    assert!(runs >= 3000, "{runs} calculations");
}

#[test]
fn hostile_stress_links_decode_safely_and_run_finitely() {
    use flywheel_core::crowdtrain::stress::CrowdTrain;
    use flywheel_core::stress::{assemble, cost, evaluate_all, StressParams};
    let mut runs = 0;
    let refused = fuzz::<StressParams<CrowdTrain>>(
        6,
        |p| Some(cost(p)),
        |p, frag| {
            // A bounded test: 2 runs of at most 6 months at a tenth of the population.
            let mut small = p.clone();
            small.stress_runs = small.stress_runs.min(2.0);
            small.model.months = small.model.months.min(6.0);
            small.model.scale = small.model.scale.min(0.1);
            let report = bounded(&cost(&small), || assemble(&small, evaluate_all(&small)));
            let Some(report) = report else {
                return;
            };
            let v = serde_json::to_value(report.json()).unwrap();
            check_finite(&v, "report", &[]);
            assert_eq!(report.scenarios[0].name, "baseline", "{frag}");
            assert_eq!(
                report.scenarios.len(),
                small.scenario_list().len() + 1,
                "{frag}"
            );
            runs += 1;
        },
    );
    assert!(runs >= 2000, "{runs} stress tests");
    assert!(refused > 0, "some fragments ask for tests past the limits");
}
