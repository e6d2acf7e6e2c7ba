//! Stress tests (spec §3–§4), generic over [`Stressable`]: a model's Monte Carlo under the
//! baseline and each scenario of a list, every run reduced to the health metrics and a few
//! series, then the stress table — scenario × metric with P10 / P50 / P90, the baseline beside
//! each scenario and the change against it — the health checks and fan-chart bands.
//!
//! Work is split into tasks of whole runs ([`crate::research::split_runs`]) that any number of
//! threads or workers evaluate ([`evaluate`]) and [`assemble`] puts back together in order: the
//! same report, bit for bit, at any parallelism. Run `i` of every scenario uses the same seed, so
//! scenarios differ from the baseline by their shocks, not by luck.

pub mod link;
pub mod report;
#[cfg(test)]
mod tests;

pub use link::StressParams;
pub use report::{ScenarioReport, StressReport};

use crate::cost::RunCost;
use crate::params::{ParamModel, ParamSpec};
use crate::policy::health::{metrics, EconRecord, Launch, METRICS};
use crate::policy::scenario::{Conditions, Lever, Library, Scenario};
use crate::protocol::Command;
use crate::research::Task;
use crate::rng;
use serde::{Deserialize, Serialize};

/// The series a stress run keeps step by step, for fan charts: name, label, unit (`price` and
/// `money` stand for the model's [`Units`]: see [`StressReport::series_unit`](report::StressReport::series_unit)).
pub const SERIES: [(&str, &str, &str); 5] = [
    ("price", "Price", "price"),
    ("circulating", "Circulating supply", "tokens"),
    ("staking_participation", "Staking participation", "%"),
    ("active", "Active participants", "participants"),
    ("treasury", "Treasury", "money"),
];

/// What a model's numbers are in, as its own views say them (the stress view's axes and texts
/// take them from here, never assume USD).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Units {
    /// The token's price: `"USD per token"`, `"price index (not USD)"`, `"DAI per token"`.
    pub price: &'static str,
    /// The currency of revenue and the treasury: `"USD"`, `"DAI"`, `"xDAI"`.
    pub money: &'static str,
}

/// At most this many points of a series are kept per run (long runs keep every k-th step).
pub const MAX_POINTS: usize = 400;

/// One run of a model, for a stress test.
pub struct RunOutcome {
    pub records: Vec<EconRecord>,
    pub score: f64,
    pub interventions: u64,
    /// Where the run started (price and supply), for the metrics against launch.
    pub launch: Launch,
}

/// A model that can be stress-tested.
pub trait Stressable: 'static {
    type Params: ParamModel + Send + Sync + std::fmt::Debug + 'static;
    /// The model's name in the CLI and the JSON (`crowdtrain`).
    const NAME: &'static str;
    /// The stress view's tab in links (`crowdtrain-stress`).
    const STRESS_TAB: &'static str;
    /// A step's name (`month`, `day`, `step`), as the model's own view calls it.
    const UNIT: &'static str;
    /// What the price and money of runs of `p` are in.
    fn units(p: &Self::Params) -> Units;
    /// What the score is, for people.
    const SCORE: &'static str;
    /// The list run when none is given (every scenario of the library).
    const DEFAULT_SCENARIOS: &'static str;
    /// The stress link's specs: [`link::settings_specs`] with the model's threshold and noise,
    /// then the model's.
    fn stress_specs() -> &'static [ParamSpec];
    /// The stress link's text fields ([`link::text_fields_for`]).
    fn stress_text_fields() -> &'static [crate::params::TextSpec];
    /// Steps in a run.
    fn steps(p: &Self::Params) -> u32;
    fn steps_per_year() -> f64;
    /// The base seed; run `i` uses base + `i`.
    fn seed(p: &Self::Params) -> u64;
    /// The library for runs of `p`'s length.
    fn library(p: &Self::Params) -> Library;
    /// Levers the model has nothing for, and why (their shocks are said to do nothing).
    const IGNORED: &'static [(Lever, &'static str)] = &[];
    /// Run `run` (seed base + `run`) under the step-by-step `conditions`.
    fn run(p: &Self::Params, run: u32, conditions: Vec<Conditions>) -> RunOutcome;
    /// One run's work (in the model's unit) and its unit, for the cost.
    fn run_work(p: &Self::Params) -> (f64, &'static str);
    /// Native nanoseconds per unit of work (BENCHMARKS.md), for the estimate.
    const NS_PER_UNIT: f64;
    /// The worker command of a task.
    fn command(p: &StressParams<Self>, task: Task) -> Command
    where
        Self: Sized;
}

/// One run reduced to what the stress table and the fan charts read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// In [`METRICS`] order.
    pub metrics: Vec<f64>,
    pub interventions: u64,
    /// [`SERIES`] at the kept steps ([`kept_steps`]), one row a step.
    pub series: Vec<[f64; 5]>,
}

/// The steps whose values a run keeps (1-based): all of them up to [`MAX_POINTS`], else every
/// k-th and the last.
pub fn kept_steps(steps: u32) -> Vec<u32> {
    let stride = (steps as usize).div_ceil(MAX_POINTS).max(1) as u32;
    let mut out: Vec<u32> = (1..=steps).filter(|s| s % stride == 0).collect();
    if out.last() != Some(&steps) && steps > 0 {
        out.push(steps);
    }
    out
}

/// An outside market's noise for run seed `seed`: each step's price factor e^(σz − σ²/2) (its
/// mean is 1), from the run's own stream (not the model's), the same under every scenario.
pub fn noise(seed: u64, steps: u32, sigma: f64) -> Vec<f64> {
    if sigma <= 0.0 {
        return vec![1.0; steps as usize];
    }
    let mut r = rng::stream(seed, 1);
    (0..steps)
        .map(|_| libm::exp(sigma * rng::normal(&mut r, 0.0, 1.0) - sigma * sigma / 2.0))
        .collect()
}

/// The scenarios of `p`: the baseline first, then the list.
pub fn scenarios<M: Stressable>(p: &StressParams<M>) -> Vec<Scenario> {
    let mut out = vec![Scenario::baseline()];
    out.extend(p.scenario_list());
    out
}

/// The whole stress test split into tasks for `workers` workers.
pub fn tasks<M: Stressable>(p: &StressParams<M>, workers: usize) -> Vec<Task> {
    let n = scenarios(p).len();
    crate::research::split_runs(&vec![p.runs(); n], workers)
}

/// Evaluates a task: runs `first … first + count − 1` of scenario `item`.
pub fn evaluate<M: Stressable>(p: &StressParams<M>, task: Task) -> Vec<RunSummary> {
    evaluate_with(p, task, &mut |_| {})
}

/// [`evaluate`], calling `done(k)` after the task's k-th run.
pub fn evaluate_with<M: Stressable>(
    p: &StressParams<M>,
    task: Task,
    done: &mut dyn FnMut(u32),
) -> Vec<RunSummary> {
    let list = scenarios(p);
    let Some(scenario) = list.get(task.item) else {
        return Vec::new();
    };
    let steps = M::steps(&p.model);
    let schedule = scenario.schedule(steps);
    let kept = kept_steps(steps);
    (task.first..task.first + task.count)
        .map(|run| {
            let n = noise(M::seed(&p.model) + u64::from(run), steps, p.market_noise);
            let conditions: Vec<Conditions> = schedule
                .iter()
                .zip(&n)
                .map(|(c, z)| Conditions {
                    price: c.price * z,
                    ..*c
                })
                .collect();
            let out = M::run(&p.model, run, conditions);
            done(run - task.first + 1);
            summarize(&out, &kept)
        })
        .collect()
}

fn summarize(out: &RunOutcome, kept: &[u32]) -> RunSummary {
    let series = kept
        .iter()
        .map(|&s| {
            let r = out
                .records
                .get(s as usize - 1)
                .or(out.records.last())
                .copied()
                .unwrap_or_default();
            [
                r.price,
                r.circulating,
                r.participation(),
                r.active,
                r.treasury_usd + r.treasury_tokens * r.price,
            ]
        })
        .collect();
    RunSummary {
        metrics: metrics(&out.records, out.launch, out.score).to_vec(),
        interventions: out.interventions,
        series,
    }
}

/// Evaluates every task here, in order (tests, and the CLI's single thread).
pub fn evaluate_all<M: Stressable>(p: &StressParams<M>) -> Vec<(Task, Vec<RunSummary>)> {
    tasks(p, 1)
        .into_iter()
        .map(|t| (t, evaluate(p, t)))
        .collect()
}

/// Puts the tasks' runs back together as the report.
pub fn assemble<M: Stressable>(
    p: &StressParams<M>,
    done: Vec<(Task, Vec<RunSummary>)>,
) -> StressReport {
    let list = scenarios(p);
    let runs = crate::research::assemble(list.len(), done);
    report::build(p, &list, runs)
}

/// The whole test's cost: (scenarios + 1) × runs of the model.
pub fn cost<M: Stressable>(p: &StressParams<M>) -> RunCost {
    let list = scenarios(p);
    let n = list.len() as f64;
    // Runs under more arrivals grow bigger: each scenario's runs at its largest growth.
    let runs: f64 = list
        .iter()
        .map(|s| f64::from(p.runs()) * arrivals_growth(s, M::steps(&p.model)))
        .sum();
    cost_of(
        p,
        runs,
        &format!("{n} scenarios with the baseline × {} runs", p.runs()),
    )
}

/// The most a scenario multiplies arrivals in any step (at least 1): a bound on how much larger
/// its runs grow than the baseline's.
pub fn arrivals_growth(s: &Scenario, steps: u32) -> f64 {
    s.shocks
        .iter()
        .filter(|k| k.start <= steps)
        .map(|k| s.at(k.start).arrivals)
        .fold(1.0, f64::max)
}

/// One task's cost: its runs of one scenario.
pub fn task_cost<M: Stressable>(p: &StressParams<M>, task: Task) -> RunCost {
    let growth = scenarios(p)
        .get(task.item)
        .map_or(1.0, |s| arrivals_growth(s, M::steps(&p.model)));
    cost_of(
        p,
        f64::from(task.count) * growth,
        &format!("{} runs of one scenario", task.count),
    )
}

fn cost_of<M: Stressable>(p: &StressParams<M>, runs: f64, size: &str) -> RunCost {
    let (per_run, unit) = M::run_work(&p.model);
    let work = per_run * runs;
    let points = kept_steps(M::steps(&p.model)).len() as f64;
    RunCost {
        work,
        unit: unit.to_string(),
        // Each run's summary; one run's own state is far below the limit whenever the model's
        // own run is allowed.
        memory_bytes: runs * (points * 40.0 + METRICS.len() as f64 * 8.0 + 64.0),
        estimate_ms: work * M::NS_PER_UNIT / 1e6,
        size: size.to_string(),
        lower: "lower the runs, list fewer scenarios, or shorten the run".into(),
    }
}

/// The stress test here, on `threads` threads (1: this thread).
#[cfg(not(target_arch = "wasm32"))]
pub fn run_here<M: Stressable>(p: &StressParams<M>, threads: usize) -> StressReport {
    let list = tasks(p, threads.max(1));
    if threads <= 1 {
        let done = list.iter().map(|&t| (t, evaluate(p, t))).collect();
        return assemble(p, done);
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&t) = list.get(i) else { break };
                let r = evaluate(p, t);
                done.lock().expect("no thread panicked").push((t, r));
            });
        }
    });
    assemble(p, done.into_inner().expect("no thread panicked"))
}
