//! The Commons DAO's Monte Carlo: N runs (run i uses seed base + i, its own generator), every
//! run's daily records and score, the summary metrics with mean and P10/P50/P90 over the runs,
//! and per-day bands of every recorded series.

use super::dao::DaoParams;
use super::score::{score, Score, ScoreInputs};
use super::sim::{DayRecord, World};
use crate::cost::RunCost;
use crate::format::{plural, shortest};
use crate::policy::health::{metrics as health_metrics, HealthSummary, RunHealth};
use crate::stats::{mean_std, p10_p50_p90, Band};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The run summaries the CLI prints as `<m>_mean`, `<m>_p10`, `<m>_p50`, `<m>_p90`.
pub const METRICS: [&str; 11] = [
    "final_price",
    "final_supply",
    "final_reserve",
    "final_funding_pool",
    "participants_final",
    "proposals_total",
    "proposals_funded",
    "proposals_completed",
    "proposals_failed",
    "mean_sentiment_final",
    "score",
];

/// One run of the Monte Carlo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub run: u32,
    pub seed: u64,
    /// Day 1 … days (empty in the page's compact form).
    pub records: Vec<DayRecord>,
    pub score: Score,
    /// The [`METRICS`] of this run, in order.
    pub metrics: [f64; 11],
    /// The health metrics, the policies' interventions and (first run) their log.
    #[serde(default)]
    pub health: RunHealth,
}

/// Mean, population std and P10/P50/P90 of one metric over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricStat {
    pub name: String,
    pub mean: f64,
    pub std: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl MetricStat {
    /// The mean and the three percentiles, each with the suffix of its key in the CLI's JSON
    /// (`score_mean`, `score_p10`, …).
    pub fn values(&self) -> [(&'static str, f64); 4] {
        [
            ("mean", self.mean),
            ("p10", self.p10),
            ("p50", self.p50),
            ("p90", self.p90),
        ]
    }
}

/// The Monte Carlo's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DaoResult {
    pub runs: Vec<RunResult>,
    /// [`METRICS`] in order.
    pub metrics: Vec<MetricStat>,
    /// Every recorded series of [`DayRecord::fields`], day by day.
    pub bands: Vec<Band>,
    /// Mean of each score part over the runs.
    pub part_means: [f64; 10],
    /// Mean proposals per state (candidate, active, completed, failed), day by day.
    pub state_means: Vec<[f64; 4]>,
    /// The health metrics over the runs, the seed's criteria, the first run's interventions.
    #[serde(default)]
    pub health: HealthSummary,
}

impl DaoResult {
    pub fn metric(&self, name: &str) -> Option<&MetricStat> {
        self.metrics.iter().find(|m| m.name == name)
    }
    pub fn band(&self, field: &str) -> Option<&Band> {
        self.bands.iter().find(|b| b.field == field)
    }

    /// The same result without the runs' daily records: what the page draws from.
    pub fn without_records(mut self) -> DaoResult {
        for r in &mut self.runs {
            r.records = Vec::new();
        }
        self
    }

    /// Every run's daily records as CSV: run, seed, day and every recorded field.
    pub fn records_csv(&self) -> String {
        let mut out = String::from("run,seed,day");
        for (name, _) in DayRecord::default().fields() {
            out.push(',');
            out.push_str(name);
        }
        out.push('\n');
        for run in &self.runs {
            for rec in &run.records {
                let _ = write!(out, "{},{},{}", run.run, run.seed, rec.day);
                for (_, x) in rec.fields() {
                    out.push(',');
                    out.push_str(&shortest(x));
                }
                out.push('\n');
            }
        }
        out
    }
}

/// One finished run's metrics, in [`METRICS`] order.
fn run_metrics(w: &World, s: &Score) -> [f64; 11] {
    let last = w.records.last().copied().unwrap_or_default();
    [
        last.price,
        last.supply,
        last.reserve,
        last.funding_pool,
        f64::from(last.participants),
        f64::from(last.proposals_total),
        f64::from(last.proposals_funded),
        f64::from(last.completed),
        f64::from(last.failed),
        last.mean_sentiment,
        s.total,
    ]
}

/// Runs one world for the parameters' days and scores it.
pub fn run_one(p: &DaoParams, run: u32, progress: &mut dyn FnMut() -> bool) -> Option<RunResult> {
    let seed = p.seed().wrapping_add(u64::from(run));
    let mut w = World::new(p, seed);
    for _ in 0..p.days() {
        w.step(p);
        if !progress() {
            return None;
        }
    }
    w.finish();
    let s = score(&ScoreInputs::of(
        &w,
        p.hatch_price,
        p.initial_proposals,
        p.hatchers,
    ));
    let health = RunHealth {
        metrics: health_metrics(&w.econ, w.launch(p), s.total).to_vec(),
        interventions: w.engine.as_ref().map_or(0, |e| e.interventions),
        log: w
            .engine
            .as_mut()
            .and_then(|e| e.log.take())
            .filter(|_| run == 0)
            .unwrap_or_default(),
        policies: p.policy.active().iter().map(|s| s.to_string()).collect(),
    };
    Some(RunResult {
        run,
        seed,
        metrics: run_metrics(&w, &s),
        score: s,
        records: w.records,
        health,
    })
}

/// Runs the Monte Carlo. `progress(done, total)` is called after every simulated day with the
/// days done and the days of all runs; when it returns `false` the Monte Carlo stops and
/// aggregates the runs finished so far.
pub fn run_monte_carlo(p: &DaoParams, progress: &mut dyn FnMut(f64, f64) -> bool) -> DaoResult {
    let total = f64::from(p.runs()) * f64::from(p.days());
    let mut done = 0.0;
    let mut runs = Vec::with_capacity(p.runs() as usize);
    for i in 0..p.runs() {
        let r = run_one(p, i, &mut || {
            done += 1.0;
            progress(done, total)
        });
        match r {
            Some(r) => runs.push(r),
            None => break,
        }
    }
    aggregate(runs)
}

/// Metrics, bands and means of finished runs.
pub fn aggregate(runs: Vec<RunResult>) -> DaoResult {
    let metrics = METRICS
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let mut xs: Vec<f64> = runs.iter().map(|r| r.metrics[k]).collect();
            let (mean, std) = mean_std(&xs);
            let [p10, p50, p90] = p10_p50_p90(&mut xs);
            MetricStat {
                name: name.to_string(),
                mean,
                std,
                p10,
                p50,
                p90,
            }
        })
        .collect();
    let days = runs.iter().map(|r| r.records.len()).min().unwrap_or(0);
    let fields = DayRecord::default().fields();
    let bands = (0..fields.len())
        .map(|k| {
            Band::over_runs(fields[k].0, runs.len(), days, |r, d| {
                runs[r].records[d].fields()[k].1
            })
        })
        .collect();
    let n = runs.len().max(1) as f64;
    let mut part_means = [0.0; 10];
    for r in &runs {
        for (m, x) in part_means.iter_mut().zip(r.score.parts) {
            *m += x;
        }
    }
    for m in &mut part_means {
        *m /= n;
    }
    let state_means = (0..days)
        .map(|d| {
            let mut s = [0.0; 4];
            for r in &runs {
                let rec = &r.records[d];
                s[0] += f64::from(rec.candidates) / n;
                s[1] += f64::from(rec.active) / n;
                s[2] += f64::from(rec.completed) / n;
                s[3] += f64::from(rec.failed) / n;
            }
            s
        })
        .collect();
    let healths: Vec<&RunHealth> = runs.iter().map(|r| &r.health).collect();
    let health = HealthSummary::of(&healths);
    DaoResult {
        runs,
        metrics,
        bands,
        part_means,
        state_means,
        health,
    }
}

/// Time per simulated day at the reference's defaults, natively on one core of the reference
/// machine (BENCHMARKS.md). A day's work grows with participants × open proposals, so runs whose
/// population keeps growing (no sentiment decay, many arrivals, years) take longer than this says.
const NS_PER_DAY: f64 = 8_000.0;
/// Memory per run-day kept: the record (about 170 bytes) and its share of the bands.
const BYTES_PER_RUN_DAY: f64 = 200.0;
/// Memory per run-day when the records are exported: the CSV row and its copy on the page.
const BYTES_PER_CSV_ROW: f64 = 600.0;
/// Per day of a run, the bands (19 fields × 3 quantiles) and the state means.
const BYTES_PER_DAY: f64 = 19.0 * 3.0 * 8.0 + 32.0;
/// One support edge (32 bytes) and its affinity in the median's buckets (8), twice for the
/// vectors' spare capacity.
const BYTES_PER_EDGE: f64 = 80.0;
const BYTES_BASE: f64 = 256.0 * 1024.0;

/// One run's work, in run-days (the unit of [`cost`]).
pub fn work_per_run(p: &DaoParams) -> f64 {
    f64::from(p.days())
}

/// The most participants a run can have: every hatcher, every speculation-period slot firing
/// (at most 9 slots for at most 95 days) and then one arrival a day at the highest chance.
pub fn max_participants(p: &DaoParams) -> f64 {
    let days = f64::from(p.days());
    let early = days.min(95.0) * 9.0 * p.arrival_rate.min(1.0);
    let late = (days - 24.0).max(0.0) * (0.2 * p.arrival_rate).min(1.0);
    p.hatchers + early + late
}

/// New proposals a day, for the memory estimate: at most one a day can come, but a proposal
/// needs the median affinity and room in the funding pool, so runs make about a fifth of one a
/// day (0.18–0.25 measured over 1 to 10 years, arrivals ×1 to ×10: BENCHMARKS.md); half a day's
/// leaves a wide margin.
const PROPOSALS_PER_DAY: f64 = 0.5;

/// The Monte Carlo's work and memory before it starts (`records`: every run's records are kept
/// for a CSV export). The memory bounds one world by every participant ever having an edge to
/// every proposal the run is expected to make, with a margin ([`PROPOSALS_PER_DAY`]): far above
/// a typical run (whose participants leave, and their edges with them), yet a single 10-year
/// run with many arrivals is not refused for a proposal a day it will never make.
pub fn cost(p: &DaoParams, records: bool) -> RunCost {
    let (runs, days) = (f64::from(p.runs()), f64::from(p.days()));
    let work = runs * days;
    let edges = max_participants(p) * (p.initial_proposals + days * PROPOSALS_PER_DAY);
    let memory = BYTES_BASE
        + days * BYTES_PER_DAY
        + edges * BYTES_PER_EDGE
        + work * BYTES_PER_RUN_DAY
        + if records {
            work * BYTES_PER_CSV_ROW
        } else {
            0.0
        };
    RunCost {
        work,
        unit: "run-days".into(),
        memory_bytes: memory,
        estimate_ms: work * NS_PER_DAY / 1e6,
        size: format!("{} × {}", plural(runs, "run"), plural(days, "day")),
        lower: "lower runs or days".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A single 10-year run with arrivals ×5 or ×10 is allowed (its memory is estimated from
    /// the proposals a run makes, not one a day); truly huge Monte Carlos are still refused.
    #[test]
    fn long_single_runs_are_allowed_and_huge_ones_refused() {
        for arrival_rate in [5.0, 10.0] {
            let p = DaoParams {
                days: 3650.0,
                runs: 1.0,
                arrival_rate,
                ..DaoParams::default()
            };
            let c = cost(&p, true);
            assert!(c.check().is_ok(), "×{arrival_rate}: {:?}", c.check());
            let huge = DaoParams { runs: 1000.0, ..p };
            let e = cost(&huge, false).check().unwrap_err();
            assert!(
                e.contains("too large") && e.contains("lower runs or days"),
                "{e}"
            );
        }
    }
}
