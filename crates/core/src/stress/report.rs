//! The stress report: the table (scenario × metric, P10 / P50 / P90, the baseline's P50 and the
//! change against it), the health checks, fan-chart bands, its JSON (the CLI's and the page's
//! export), CSV and a text table.

use super::{kept_steps, RunSummary, StressParams, Stressable, SERIES};
use crate::format::{readable, shortest};
use crate::params::ParamModel;
use crate::policy::health::{checks, Check, Kind, METRICS};
use crate::policy::scenario::Scenario;
use crate::stats::Band;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

pub use crate::stats::Spread;

/// The table's metric names: [`METRICS`], then the interventions' count.
pub fn metric_names() -> Vec<&'static str> {
    METRICS
        .iter()
        .map(|m| m.name)
        .chain([crate::policy::health::INTERVENTIONS])
        .collect()
}

/// A metric's label and how its values read (the interventions: a number).
pub fn metric_label(i: usize) -> (&'static str, Kind) {
    METRICS
        .get(i)
        .map_or(("Interventions", Kind::Count), |m| (m.label, m.kind))
}

/// One scenario of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioReport {
    pub name: String,
    pub description: String,
    /// What the run's length left out of the scenario.
    pub notes: Vec<String>,
    pub runs: usize,
    /// In [`metric_names`] order.
    pub metrics: Vec<Spread>,
    /// Each metric's P50 minus the baseline's.
    pub change: Vec<f64>,
    /// The seed's criteria: the score's P10 against the threshold, the others' P50.
    pub health: Vec<Check>,
    /// The score's P10 at or above the threshold.
    pub passes: bool,
    /// [`SERIES`] as P10/P50/P90 bands at [`StressReport::steps_kept`].
    pub bands: Vec<Band>,
}

/// A stress test's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StressReport {
    pub model: String,
    pub runs: u32,
    pub steps: u32,
    pub unit: String,
    /// What the price is in (the model's [`Units`](crate::stress::Units)).
    pub price_unit: String,
    /// What revenue and the treasury are in.
    pub money_unit: String,
    pub seed: u64,
    pub threshold: f64,
    pub market_noise: f64,
    pub score: String,
    /// The policies switched on (and fees taken).
    pub policies: Vec<String>,
    /// The link that reproduces this report.
    pub link: String,
    /// The steps the bands hold (every step up to 400, else every k-th and the last).
    pub steps_kept: Vec<u32>,
    /// The baseline first.
    pub scenarios: Vec<ScenarioReport>,
    /// Every scenario passes.
    pub passes: bool,
}

/// Builds the report from every scenario's runs (in run order).
pub fn build<M: Stressable>(
    p: &StressParams<M>,
    list: &[Scenario],
    runs: Vec<Vec<RunSummary>>,
) -> StressReport {
    let steps = M::steps(&p.model);
    let names = metric_names();
    let mut out: Vec<ScenarioReport> = Vec::with_capacity(list.len());
    for (s, rs) in list.iter().zip(&runs) {
        let metrics: Vec<Spread> = (0..names.len())
            .map(|k| {
                Spread::of(
                    rs.iter()
                        .map(|r| r.metrics.get(k).copied().unwrap_or(r.interventions as f64))
                        .collect(),
                )
            })
            .collect();
        let base = out.first().map_or(&metrics, |b| &b.metrics);
        let change = metrics
            .iter()
            .zip(base)
            .map(|(m, b)| m.p50 - b.p50)
            .collect();
        // The score judged at its P10, the others at their P50.
        let values: Vec<f64> = metrics
            .iter()
            .enumerate()
            .map(|(k, m)| if k == 0 { m.p10 } else { m.p50 })
            .collect();
        let health = checks(&values, p.threshold);
        let passes = !rs.is_empty() && metrics[0].p10 >= p.threshold;
        let points = rs.first().map_or(0, |r| r.series.len());
        let bands = SERIES
            .iter()
            .enumerate()
            .map(|(k, (name, _, _))| {
                Band::over_runs(name, rs.len(), points, |r, i| rs[r].series[i][k])
            })
            .collect();
        let mut notes = s.notes(steps, M::UNIT);
        for (lever, why) in M::IGNORED {
            if s.shocks
                .iter()
                .any(|k| k.factors.iter().any(|(l, _)| l == lever))
            {
                notes.push(format!(
                    "{}: the {} factor does nothing here: {why}",
                    s.name,
                    lever.name()
                ));
            }
        }
        out.push(ScenarioReport {
            name: s.name.clone(),
            description: s.describe(M::UNIT),
            notes,
            runs: rs.len(),
            metrics,
            change,
            health,
            passes,
            bands,
        });
    }
    StressReport {
        model: M::NAME.into(),
        runs: p.runs(),
        steps,
        unit: M::UNIT.into(),
        price_unit: M::units(&p.model).price.into(),
        money_unit: M::units(&p.model).money.into(),
        seed: M::seed(&p.model),
        threshold: p.threshold,
        market_noise: p.market_noise,
        score: M::SCORE.into(),
        policies: policy_names(p),
        link: crate::codec::encode(p),
        steps_kept: kept_steps(steps),
        passes: out.iter().all(|s| s.passes),
        scenarios: out,
    }
}

fn policy_names<M: Stressable>(p: &StressParams<M>) -> Vec<String> {
    crate::policy::SWITCHES
        .iter()
        .chain(&["stability_fee", "treasury_tax"])
        .filter(|n| match p.model.get(n) {
            Some(crate::params::Value::Choice(c)) => c == "on",
            Some(crate::params::Value::Real(x)) => x > 0.0,
            None => false,
        })
        .map(|n| n.to_string())
        .collect()
}

impl StressReport {
    pub fn baseline(&self) -> Option<&ScenarioReport> {
        self.scenarios.first()
    }

    /// The unit of [`SERIES`] `k` in this model's terms (the price and the treasury in the
    /// model's own units, never an assumed USD).
    pub fn series_unit(&self, k: usize) -> &str {
        match SERIES.get(k).map(|s| s.2) {
            Some("price") => &self.price_unit,
            Some("money") => &self.money_unit,
            Some(unit) => unit,
            None => "",
        }
    }

    /// The report as the CLI prints it and the page exports it: `{"model", "runs",
    /// "scenarios": [{"name", "metrics": {METRIC: {"p10", "p50", "p90"}}, "health": {…}}]}`
    /// with the baseline first, plus the settings that reproduce it.
    pub fn json(&self) -> Json<'_> {
        Json(self)
    }

    /// One row a scenario and metric: `scenario,metric,p10,p50,p90,baseline_p50,change`.
    pub fn csv(&self) -> String {
        let mut out = String::from("scenario,metric,p10,p50,p90,baseline_p50,change\n");
        let names = metric_names();
        let base = self.baseline();
        for s in &self.scenarios {
            for (k, name) in names.iter().enumerate() {
                let m = s.metrics[k];
                let b = base.map_or(m.p50, |b| b.metrics[k].p50);
                let _ = writeln!(
                    out,
                    "{},{},{},{},{},{},{}",
                    s.name,
                    name,
                    shortest(m.p10),
                    shortest(m.p50),
                    shortest(m.p90),
                    shortest(b),
                    shortest(s.change[k])
                );
            }
        }
        out
    }

    /// The P10/P50/P90 bands of one series as CSV: `step,scenario,p10,p50,p90`.
    pub fn bands_csv(&self, series: usize) -> String {
        let mut out = String::from("step,scenario,p10,p50,p90\n");
        for s in &self.scenarios {
            let Some(b) = s.bands.get(series) else {
                continue;
            };
            for (i, step) in self.steps_kept.iter().enumerate().take(b.p50.len()) {
                let _ = writeln!(
                    out,
                    "{step},{},{},{},{}",
                    s.name,
                    shortest(b.p10[i]),
                    shortest(b.p50[i]),
                    shortest(b.p90[i])
                );
            }
        }
        out
    }

    /// The table for a terminal: one block a scenario, P10 / P50 / P90 and the change.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Stress test of {}: {} runs a scenario × {} {}s, seeds {} + run; P10 / P50 / P90 over the runs; change = P50 − the baseline's P50.",
            self.model,
            self.runs,
            self.steps,
            self.unit,
            self.seed
        );
        let _ = writeln!(
            out,
            "Policies: {}. Passes when the score's P10 ≥ {} in every scenario: {}.",
            if self.policies.is_empty() {
                "none".to_string()
            } else {
                self.policies.join(", ")
            },
            readable(self.threshold),
            if self.passes { "PASS" } else { "FAIL" }
        );
        let names = metric_names();
        for s in &self.scenarios {
            let _ = writeln!(
                out,
                "\n{} — {} — {}",
                s.name,
                s.description,
                if s.passes { "pass" } else { "FAIL" }
            );
            for n in &s.notes {
                let _ = writeln!(out, "  note: {n}");
            }
            for (k, _) in names.iter().enumerate() {
                let (label, kind) = metric_label(k);
                let m = s.metrics[k];
                let check = s.health.iter().find(|c| c.metric == names[k]);
                let _ = writeln!(
                    out,
                    "  {:<24} {:>10} {:>10} {:>10}  {:>10}{}",
                    label,
                    kind.format(m.p10),
                    kind.format(m.p50),
                    kind.format(m.p90),
                    signed(kind, s.change[k]),
                    check.map_or(String::new(), |c| format!(
                        "  {} {}",
                        if c.pass { "pass" } else { "fail" },
                        c.target
                    ))
                );
            }
        }
        out
    }

    /// A few sentences for people: what passes, the worst scenario, the largest changes.
    pub fn summary(&self) -> String {
        let Some(base) = self.baseline() else {
            return String::new();
        };
        let others = &self.scenarios[1..];
        let failing: Vec<&str> = self
            .scenarios
            .iter()
            .filter(|s| !s.passes)
            .map(|s| s.name.as_str())
            .collect();
        let n = |x: f64| Kind::Number.format(x);
        let mut out = format!(
            "Baseline score: median {} (P10 {}, P90 {}).",
            n(base.metrics[0].p50),
            n(base.metrics[0].p10),
            n(base.metrics[0].p90)
        );
        if failing.is_empty() {
            let _ = write!(
                out,
                " The score's P10 stays at or above {} in the baseline and every scenario: the stress test passes.",
                n(self.threshold)
            );
        } else {
            let _ = write!(
                out,
                " The score's P10 falls below {} in {}: the stress test fails.",
                n(self.threshold),
                failing.join(", ")
            );
        }
        if let Some(worst) = others
            .iter()
            .min_by(|a, b| a.metrics[0].p50.total_cmp(&b.metrics[0].p50))
        {
            let _ = write!(
                out,
                " Hardest: {} (median score {}, {} against the baseline; median price change {}).",
                worst.name,
                n(worst.metrics[0].p50),
                signed(Kind::Number, worst.change[0]),
                Kind::Fraction.format(worst.metrics[5].p50)
            );
        }
        out
    }
}

/// A change as written in the table: `+1.2%`, `−0.05`, `±0`.
pub fn signed(kind: Kind, x: f64) -> String {
    if x == 0.0 {
        return "±0".into();
    }
    let s = kind.format(x.abs());
    if x > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

/// [`StressReport::json`]'s shape.
pub struct Json<'a>(&'a StressReport);

struct Metrics<'a>(&'a ScenarioReport);
struct Health<'a>(&'a ScenarioReport);
struct Changes<'a>(&'a ScenarioReport);
struct OneScenario<'a>(&'a ScenarioReport);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(14))?;
        m.serialize_entry("model", &r.model)?;
        m.serialize_entry("runs", &r.runs)?;
        m.serialize_entry("steps", &r.steps)?;
        m.serialize_entry("unit", &r.unit)?;
        m.serialize_entry("price_unit", &r.price_unit)?;
        m.serialize_entry("money_unit", &r.money_unit)?;
        m.serialize_entry("seed", &r.seed)?;
        m.serialize_entry("percentiles", &["p10", "p50", "p90"])?;
        m.serialize_entry("score", &r.score)?;
        m.serialize_entry("threshold", &r.threshold)?;
        m.serialize_entry("market_noise", &r.market_noise)?;
        m.serialize_entry("policies", &r.policies)?;
        m.serialize_entry("passes", &r.passes)?;
        m.serialize_entry("link", &r.link)?;
        let list: Vec<OneScenario> = r.scenarios.iter().map(OneScenario).collect();
        m.serialize_entry("scenarios", &list)?;
        m.end()
    }
}

impl Serialize for OneScenario<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("name", &r.name)?;
        m.serialize_entry("description", &r.description)?;
        m.serialize_entry("notes", &r.notes)?;
        m.serialize_entry("runs", &r.runs)?;
        m.serialize_entry("metrics", &Metrics(r))?;
        m.serialize_entry("change", &Changes(r))?;
        m.serialize_entry("health", &Health(r))?;
        m.end()
    }
}

impl Serialize for Metrics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names = metric_names();
        let mut m = s.serialize_map(Some(names.len()))?;
        for (name, spread) in names.iter().zip(&self.0.metrics) {
            m.serialize_entry(name, spread)?;
        }
        m.end()
    }
}

impl Serialize for Changes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names = metric_names();
        let mut m = s.serialize_map(Some(names.len()))?;
        for (name, c) in names.iter().zip(&self.0.change) {
            m.serialize_entry(name, c)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    value: f64,
    percentile: &'static str,
    target: &'a str,
    pass: bool,
}

impl Serialize for Health<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.health.len() + 1))?;
        for c in &self.0.health {
            m.serialize_entry(
                &c.metric,
                &CheckJson {
                    value: c.value,
                    percentile: if c.metric == "score" { "p10" } else { "p50" },
                    target: &c.target,
                    pass: c.pass,
                },
            )?;
        }
        m.serialize_entry("passes_stress_test", &self.0.passes)?;
        m.end()
    }
}
