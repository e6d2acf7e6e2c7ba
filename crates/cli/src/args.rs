//! The options every model command shares, and parameter input through the core.
//!
//! clap only splits the command line: every value (`--set`, `--params`, `--runs`, …) reaches the
//! core as text and is validated there, by the same rules as the page's panel and its links.

use crate::Failure;
use clap::Args;
use flywheel_core::codec;
use flywheel_core::cost::RunCost;
use flywheel_core::params::{apply_pairs, ParamModel, ParamSpec, Preset};
use std::path::Path;

/// The parameter input of every model command: flatten it into the command's options.
#[derive(Args, Debug, Clone, Default)]
pub struct ModelArgs {
    /// Set a parameter (repeatable); names as in the page's links
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub sets: Vec<String>,
    /// Start from a page link's fragment ('#TAB?name=value&…&v=1'), which must be this model's tab
    #[arg(long = "params", value_name = "FRAGMENT")]
    pub fragment: Option<String>,
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

impl ModelArgs {
    /// `base` (a preset or the defaults), then the `--params` fragment, then every `--set` in
    /// order, then `after` (the command's own options, such as `--runs` or `--deposit`).
    pub fn params<M: ParamModel>(
        &self,
        base: M,
        after: impl IntoIterator<Item = (String, String)>,
    ) -> Result<M, Failure> {
        let mut pairs = self
            .sets
            .iter()
            .map(|kv| name_value(kv))
            .collect::<Result<Vec<_>, _>>()?;
        pairs.extend(after);
        params(base, self.fragment.as_deref(), &pairs)
    }
}

/// `--runs` and `--seed`, for the Monte Carlo commands: flatten it beside [`ModelArgs`].
#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    /// Monte Carlo runs (default 20); run i uses seed S + i
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub runs: Option<String>,
    /// Base seed (default 42)
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub seed: Option<String>,
}

impl RunArgs {
    /// The options as parameters (`runs=…`, `seed=…`), for those given.
    pub fn settings(&self) -> impl Iterator<Item = (String, String)> {
        [setting("runs", &self.runs), setting("seed", &self.seed)]
            .into_iter()
            .flatten()
    }
}

/// `--preset`, for the models that have presets: flatten it beside [`ModelArgs`].
#[derive(Args, Debug, Clone, Default)]
pub struct PresetArg {
    /// Start from a preset, by name or label (the presets are listed under --help)
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
}

impl PresetArg {
    /// The preset asked for (found by `find` among `presets`), or the model's defaults.
    pub fn base<M: ParamModel>(
        &self,
        find: fn(&str) -> Option<M>,
        presets: &[Preset],
    ) -> Result<M, Failure> {
        match self.preset.as_deref() {
            None => Ok(M::default()),
            Some(n) => find(n).ok_or_else(|| {
                let names: Vec<&str> = presets.iter().map(|p| p.name).collect();
                Failure::Usage(format!(
                    "unknown preset '{n}'; presets: {}",
                    names.join(", ")
                ))
            }),
        }
    }
}

/// `(name, value)` for a command option that stands for a parameter (`--runs 5` → `runs=5`).
pub fn setting(name: &str, value: &Option<String>) -> Option<(String, String)> {
    value.as_ref().map(|v| (name.to_string(), v.clone()))
}

/// `NAME=VALUE` of a `--set`.
fn name_value(kv: &str) -> Result<(String, String), Failure> {
    let (k, v) = kv
        .split_once('=')
        .ok_or_else(|| Failure::Usage(format!("--set takes NAME=VALUE, got '{kv}'")))?;
    Ok((k.trim().to_string(), v.to_string()))
}

/// `base`, then the link `fragment` (which must be for this model's tab), then the pairs.
/// Any problem is an error naming the field and its range.
fn params<M: ParamModel>(
    base: M,
    fragment: Option<&str>,
    sets: &[(String, String)],
) -> Result<M, Failure> {
    let mut issues = Vec::new();
    let mut model = match fragment {
        Some(f) => {
            let tab = codec::split(f).tab;
            if !tab.is_empty() && tab != M::TAB {
                return Err(Failure::Usage(format!(
                    "--params is a link to the '{tab}' tab, not '{}'",
                    M::TAB
                )));
            }
            let d = codec::decode_onto(base, f);
            issues.extend(d.issues);
            d.model
        }
        None => base,
    };
    issues.extend(apply_pairs(&mut model, sets));
    if issues.is_empty() {
        for note in model.notes() {
            eprintln!("flywheel: note: {}", note.message);
        }
        Ok(model)
    } else {
        Err(Failure::Invalid(issues))
    }
}

/// Refuses a run past the limits every run keeps (the page's too), before it starts; says
/// roughly how long a long one will take.
pub fn check_cost(cost: RunCost) -> Result<(), Failure> {
    cost.check().map_err(Failure::Refused)?;
    if cost.is_long(false) {
        eprintln!("flywheel: a long run: {}", cost.describe(false));
    }
    Ok(())
}

/// What `-h` prints after the options: where the parameters are listed.
pub const SHORT_AFTER_HELP: &str =
    "Every parameter, with its unit, allowed range and default: --help";

/// A command's `--help` after its options: `notes` (such as the order in which options apply),
/// the model's presets if it has any, then its parameter table ([`param_help`]).
pub fn long_help<M: ParamModel>(notes: &str, presets: &[Preset]) -> String {
    let mut out = format!("{notes}\n");
    if !presets.is_empty() {
        out.push_str("Presets (--preset NAME; the first is the default):\n");
        for p in presets {
            out.push_str(&row(p.name, p.label, p.about));
        }
        out.push('\n');
    }
    out.push_str(&param_help::<M>());
    out
}

/// The model's parameter table, from the same specs the page's panel shows: name, label, unit,
/// allowed range, default and help of every parameter.
pub fn param_help<M: ParamModel>() -> String {
    let mut out = format!(
        "Parameters ({}; set with --set NAME=VALUE or --params):\n",
        M::TAB
    );
    for s in M::specs() {
        let unit = match s {
            ParamSpec::Real(r) if !r.unit.is_empty() => format!(" [{}]", r.unit),
            _ => String::new(),
        };
        let summary = format!(
            "{}{unit}; allowed {}; default {}",
            s.label(),
            s.allowed(),
            s.default_text()
        );
        out.push_str(&row(s.name(), &summary, s.help()));
    }
    for t in M::text_fields() {
        let summary = format!(
            "{} [{}]; allowed {}; default {}",
            t.label, t.unit, t.allowed, t.default
        );
        out.push_str(&row(t.name, &summary, t.help));
    }
    out
}

/// One entry of a help table: the name and a summary, then the help on a line of its own.
fn row(name: &str, summary: &str, help: &str) -> String {
    format!("  {name:<28} {summary}\n  {:<28} {help}\n", "")
}

/// Creates an output folder (and its parents); a failure names the path.
pub fn create_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))
}

/// A Monte Carlo table's first line: "CrowdTrain: 20 runs × 24 months, seeds 42…61".
pub fn monte_carlo_title(model: &str, runs: usize, steps: String, seed: u64) -> String {
    format!(
        "{model}: {runs} runs × {steps}, seeds {seed}…{}",
        seed + runs.saturating_sub(1) as u64
    )
}

/// The end of a Monte Carlo's JSON: `runs`, `seed`, the run length (`months`, `days`) and the
/// `params` fragment that reproduces it.
pub fn insert_run_settings(
    m: &mut serde_json::Map<String, serde_json::Value>,
    runs: usize,
    seed: u64,
    (length_key, length): (&str, u32),
    fragment: String,
) {
    m.insert("runs".into(), runs.into());
    m.insert("seed".into(), seed.into());
    m.insert(length_key.into(), length.into());
    m.insert("params".into(), fragment.into());
}

/// Writes an output file; a failure names the path.
pub fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
}

/// A command's output: pretty JSON with a newline, or the table.
pub fn output(
    json_out: bool,
    json: impl FnOnce() -> serde_json::Value,
    table: impl FnOnce() -> String,
) -> String {
    if json_out {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json()).expect("JSON of numbers")
        )
    } else {
        table()
    }
}

/// A run's health as JSON: each metric's P10 / P50 / P90, the seed's criteria with their
/// verdicts, the policies and their interventions (the first run's log).
pub fn health_json(h: &flywheel_core::policy::health::HealthSummary) -> serde_json::Value {
    use flywheel_core::policy::health::METRICS;
    use serde_json::{json, Map, Value};
    let mut metrics = Map::new();
    for (m, s) in METRICS.iter().zip(&h.metrics) {
        metrics.insert(m.name.into(), json!(s));
    }
    let mut checks = Map::new();
    for c in &h.checks {
        checks.insert(
            c.metric.clone(),
            json!({"value": c.value, "target": c.target, "pass": c.pass}),
        );
    }
    json!({
        "policies": h.policies,
        "metrics": Value::Object(metrics),
        "checks": Value::Object(checks),
        "interventions": h.interventions,
        "log": h.log,
    })
}

/// A run's health for a terminal: the seed's criteria (P50 over the runs) and the policies'
/// interventions.
pub fn health_table(h: &flywheel_core::policy::health::HealthSummary) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("\nhealth (the seed's criteria, median run)\n");
    for c in &h.checks {
        let _ = writeln!(
            out,
            "{:<24}{:>12}  {} {}",
            c.label,
            flywheel_core::policy::health::METRICS
                .iter()
                .find(|m| m.name == c.metric)
                .map_or(String::new(), |m| m.kind.format(c.value)),
            if c.pass { "pass" } else { "fail" },
            c.target
        );
    }
    if h.policies.is_empty() {
        out.push_str("policies: none\n");
    } else {
        let _ = writeln!(
            out,
            "policies: {}; interventions a run: median {}",
            h.policies.join(", "),
            h.interventions.p50
        );
        for i in h.log.iter().take(20) {
            let _ = writeln!(out, "  step {:>4}  {:<20} {}", i.step, i.policy, i.action);
        }
        if h.log.len() > 20 {
            let _ = writeln!(out, "  … {} more (--json has them all)", h.log.len() - 20);
        }
    }
    out
}
