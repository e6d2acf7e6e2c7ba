//! The Monte Carlo: `runs` worlds with seeds base seed + run index, their monthly records, and the
//! aggregate — mean and population std of every score component and metric, and per-month
//! P10/P50/P90 bands of the recorded series.

use super::score::{score, Score};
use super::sim::{onboarding, MonthRecord, World};
use super::CtParams;
use crate::cost::RunCost;
use crate::format::shortest;
use crate::format::{plural, readable};
use crate::policy::health::{metrics, HealthSummary, RunHealth};
use crate::stats::mean_std;
pub use crate::stats::Band;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One run of the Monte Carlo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub run: u32,
    pub seed: u64,
    pub records: Vec<MonthRecord>,
    pub score: Score,
    /// The health metrics, the policies' interventions and (first run) their log.
    pub health: RunHealth,
}

/// Mean and population standard deviation of one quantity over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub name: String,
    pub mean: f64,
    pub std: f64,
}

/// The Monte Carlo's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct McResult {
    pub runs: Vec<RunResult>,
    /// Score components and metrics, in the order of [`Score`]'s fields.
    pub stats: Vec<Stat>,
    pub bands: Vec<Band>,
    /// Mean active operators per tier (1…6), month by month, over the runs.
    pub tier_means: Vec<[f64; 6]>,
    pub funnel: Funnel,
    /// The health metrics over the runs, the seed's criteria, the first run's interventions.
    pub health: HealthSummary,
}

/// The tier funnel at the last month, as means over the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// Operators who ever reached tier 1…6 (tier 1: everyone onboarded), churned or not.
    pub reached: [f64; 6],
    /// Operators still active at the end.
    pub active: f64,
}

impl McResult {
    pub fn stat(&self, name: &str) -> Option<&Stat> {
        self.stats.iter().find(|s| s.name == name)
    }

    /// The same result without the runs' monthly records (scores, stats, bands and funnel stay):
    /// what the page needs to draw, at a size that does not grow with runs × months × fields.
    pub fn without_records(mut self) -> McResult {
        for r in &mut self.runs {
            r.records = Vec::new();
        }
        self
    }

    /// Every run's monthly records as CSV: run, seed, month, every recorded field, active
    /// operators per tier and operators who ever reached each tier.
    pub fn records_csv(&self) -> String {
        let mut out = String::from("run,seed,month");
        if let Some(first) = self.runs.first().and_then(|x| x.records.first()) {
            for (name, _) in first.fields() {
                out.push(',');
                out.push_str(name);
            }
        }
        for t in 1..=6 {
            let _ = write!(out, ",tier_{t}");
        }
        for t in 1..=6 {
            let _ = write!(out, ",reached_tier_{t}");
        }
        out.push('\n');
        for run in &self.runs {
            for rec in &run.records {
                let _ = write!(out, "{},{},{}", run.run, run.seed, rec.month);
                for (_, x) in rec.fields() {
                    out.push(',');
                    out.push_str(&shortest(x));
                }
                for n in rec.operators_per_tier {
                    let _ = write!(out, ",{n}");
                }
                for n in rec.reached_tier {
                    let _ = write!(out, ",{n}");
                }
                out.push('\n');
            }
        }
        out
    }
}

/// The score's fields by name, in a fixed order.
pub fn score_fields(s: &Score) -> [(&'static str, f64); 14] {
    [
        ("score", s.score),
        ("retention_score", s.retention_score),
        ("stability_score", s.stability_score),
        ("revenue_score", s.revenue_score),
        ("gini_score", s.gini_score),
        ("qualified_score", s.qualified_score),
        ("retention_pct", s.retention_pct),
        ("cumulative_revenue", s.cumulative_revenue),
        ("final_price", s.final_price),
        ("peak_price", s.peak_price),
        ("gini", s.gini),
        ("t4_plus_operators", s.t4_plus_operators),
        ("active_operators_final", s.active_operators_final),
        ("total_operators_ever", s.total_operators_ever),
    ]
}

/// The work of each month of one run, from the first: the operators onboarded so far (churn
/// only lowers it), so progress follows the work, which grows as the population does.
pub fn work_by_month(p: &CtParams) -> Vec<f64> {
    let mut onboarded = 0.0;
    (1..=p.months())
        .map(|m| {
            onboarded += onboarding(m, p.scale) as f64;
            onboarded.max(1.0)
        })
        .collect()
}

/// Memory per operator: the operator (48 bytes), the score's per-operator scratch and the
/// vector's spare capacity.
const BYTES_PER_OPERATOR: f64 = 128.0;
/// Memory per month of a run: its record (about 240 bytes), as kept for the bands.
const BYTES_PER_RECORD: f64 = 300.0;
/// Memory per month of a run when the records are exported: the CSV row and its copy on the
/// page.
const BYTES_PER_CSV_ROW: f64 = 1200.0;
/// What any run holds whatever its size.
const BYTES_BASE: f64 = 64.0 * 1024.0;
/// Time per operator-month, natively on one core of the reference machine (BENCHMARKS.md).
const NS_PER_OPERATOR_MONTH: f64 = 25.0;

/// The Monte Carlo's work and memory before it starts (`records`: every run's records are kept
/// for a CSV export).
pub fn cost(p: &CtParams, records: bool) -> RunCost {
    let per_run = work_by_month(p);
    let runs = f64::from(p.runs());
    let work = runs * per_run.iter().sum::<f64>();
    let peak = per_run.last().copied().unwrap_or(0.0);
    let rows = runs * f64::from(p.months());
    let memory = BYTES_BASE
        + peak * BYTES_PER_OPERATOR
        + rows * BYTES_PER_RECORD
        + if records {
            rows * BYTES_PER_CSV_ROW
        } else {
            0.0
        };
    RunCost {
        work,
        unit: "operator-months".into(),
        memory_bytes: memory,
        estimate_ms: work * NS_PER_OPERATOR_MONTH / 1e6,
        size: format!(
            "{} × {}, up to {} operators",
            plural(runs, "run"),
            plural(f64::from(p.months()), "month"),
            readable(peak)
        ),
        lower: "lower runs, months or scale".into(),
    }
}

/// Runs the Monte Carlo. `progress(done, total)` is called after each simulated month with the
/// work done and the whole run's work (see [`work_by_month`]); when it returns `false` the Monte
/// Carlo stops and aggregates the runs finished so far.
pub fn run_monte_carlo(p: &CtParams, progress: &mut dyn FnMut(f64, f64) -> bool) -> McResult {
    aggregate(run_range(p, 0, p.runs(), progress))
}

/// Runs `first … first + count − 1` of `p`'s Monte Carlo (seeds base seed + run), with their
/// records; `progress(done, total)` follows the work of these runs. Stops early (fewer runs)
/// when `progress` returns false. The Monte Carlo split over workers puts such ranges back
/// together with [`aggregate`]: the same result as one range.
pub fn run_range(
    p: &CtParams,
    first: u32,
    count: u32,
    progress: &mut dyn FnMut(f64, f64) -> bool,
) -> Vec<RunResult> {
    let months = p.months();
    let per_month = work_by_month(p);
    let per_run: f64 = per_month.iter().sum();
    let total = per_run * f64::from(count);
    let mut runs = Vec::with_capacity(count as usize);
    'runs: for k in 0..count {
        let i = first + k;
        let seed = p.seed() + u64::from(i);
        let mut world = World::new(p, seed);
        let mut done = per_run * f64::from(k);
        for m in 0..months {
            world.step(p);
            done += per_month[m as usize];
            let last = k + 1 == count && m + 1 == months;
            if !progress(if last { total } else { done }, total) {
                break 'runs;
            }
        }
        world.finish();
        let score = score(&world.records);
        let health = RunHealth {
            metrics: metrics(&world.econ, World::launch(p), score.score).to_vec(),
            interventions: world.engine.as_ref().map_or(0, |e| e.interventions),
            log: world
                .engine
                .as_mut()
                .and_then(|e| e.log.take())
                .filter(|_| i == 0)
                .unwrap_or_default(),
            policies: p.policy.active().iter().map(|s| s.to_string()).collect(),
        };
        runs.push(RunResult {
            run: i,
            seed,
            records: world.records,
            score,
            health,
        });
    }
    runs
}

/// The score of run `run` of `p`'s Monte Carlo (seed: base seed + `run`), computing only what
/// the score reads: the same bits as [`run_monte_carlo`]'s run `run`.
pub fn run_score(p: &CtParams, run: u32) -> Score {
    let mut world = World::for_score(p, p.seed() + u64::from(run));
    for _ in 0..p.months() {
        world.step(p);
    }
    score(&world.records)
}

/// Means, stds and bands of finished runs.
pub fn aggregate(runs: Vec<RunResult>) -> McResult {
    let stats = if runs.is_empty() {
        Vec::new()
    } else {
        (0..14)
            .map(|k| {
                let xs: Vec<f64> = runs.iter().map(|r| score_fields(&r.score)[k].1).collect();
                let (mean, std) = mean_std(&xs);
                Stat {
                    name: score_fields(&runs[0].score)[k].0.to_string(),
                    mean,
                    std,
                }
            })
            .collect()
    };
    let months = runs.iter().map(|r| r.records.len()).min().unwrap_or(0);
    let bands = match runs.first().and_then(|r| r.records.first()) {
        None => Vec::new(),
        Some(first) => (0..first.fields().len())
            .map(|k| {
                Band::over_runs(first.fields()[k].0, runs.len(), months, |r, m| {
                    runs[r].records[m].fields()[k].1
                })
            })
            .collect(),
    };
    let tier_means = (0..months)
        .map(|m| {
            let mut sum = [0.0; 6];
            for r in &runs {
                for (s, n) in sum.iter_mut().zip(r.records[m].operators_per_tier) {
                    *s += n as f64;
                }
            }
            sum.map(|s| s / runs.len() as f64)
        })
        .collect();
    let mut funnel = Funnel::default();
    let n_runs = runs.len().max(1) as f64;
    for last in runs.iter().filter_map(|r| r.records.last()) {
        for (f, x) in funnel.reached.iter_mut().zip(last.reached_tier) {
            *f += x as f64 / n_runs;
        }
        funnel.active += last.active_operators as f64 / n_runs;
    }
    let healths: Vec<&RunHealth> = runs.iter().map(|r| &r.health).collect();
    let health = HealthSummary::of(&healths);
    McResult {
        runs,
        stats,
        bands,
        tier_means,
        funnel,
        health,
    }
}
