//! `flywheel crowdtrain`: the operator economy's Monte Carlo.

use crate::args::{self, name_value};
use crate::Failure;
use flywheel_core::codec::encode;
use flywheel_core::crowdtrain::montecarlo::{run_monte_carlo, McResult};
use flywheel_core::crowdtrain::{CtParams, PRESETS};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub const USAGE: &str = "\
flywheel crowdtrain [--runs N] [--seed S] [--months M] [--preset NAME] [--set NAME=VALUE]… [--params FRAGMENT] [--json] [--csv FILE] [--svg DIR]

    --runs N              Monte Carlo runs (default 20); run i uses seed S + i
    --seed S              base seed (default 42)
    --months M            months per run (default 24)
    --preset NAME         reference (CrowdTrain v1, the default) or consistent (Consistent economy)
    --csv FILE            write every run's monthly records: run, seed, month, every recorded
                          field, operators per tier
    --svg DIR             write the charts as SVG into DIR (score, funnel, tiers, price,
                          supply, flows, revenue, gini)
    tier_reward_multipliers takes six comma-separated numbers: --set tier_reward_multipliers=1,2,3,4,5,6

Order: --preset, then --params, then every --set in order, then --runs/--seed/--months.
";

pub fn run(raw: &[&str]) -> Result<String, Failure> {
    if raw.contains(&"--help") || raw.contains(&"-h") {
        return Ok(args::param_help::<CtParams>(USAGE));
    }
    let opts = args::parse(
        raw,
        &[
            "--runs", "--seed", "--months", "--preset", "--set", "--params", "--csv", "--svg",
        ],
        &["--json"],
    )?;
    let (mut preset, mut fragment, mut csv, mut svg, mut json_out) =
        (None, None, None, None, false);
    let (mut sets, mut settings) = (Vec::new(), Vec::new());
    for (flag, v) in opts {
        match (flag, v) {
            ("--json", _) => json_out = true,
            ("--preset", Some(v)) => preset = Some(v),
            ("--params", Some(v)) => fragment = Some(v),
            ("--csv", Some(v)) => csv = Some(v),
            ("--svg", Some(v)) => svg = Some(v),
            ("--set", Some(v)) => sets.push(name_value(v)?),
            (f @ ("--runs" | "--seed" | "--months"), Some(v)) => {
                settings.push((f[2..].to_string(), v.to_string()))
            }
            _ => unreachable!("args::parse checked the flags"),
        }
    }
    let names = PRESETS.map(|p| p.name);
    let base = args::preset(preset, CtParams::preset, &names)?;
    sets.extend(settings);
    let params = args::params(base, fragment, &sets)?;
    args::check_cost(params.cost(csv.is_some()))?;
    let result = run_monte_carlo(&params, &mut |_, _| true);
    if let Some(path) = csv {
        args::write_file(path, &result.records_csv())?;
    }
    if let Some(dir) = svg {
        write_svgs(dir, &result, &params)?;
    }
    Ok(args::output(
        json_out,
        || summary_json(&params, &result),
        || summary_table(&params, &result),
    ))
}

/// `score_mean`, `score_std`, … for every score component and metric, then the run settings.
pub fn summary_json(p: &CtParams, r: &McResult) -> Value {
    let mut m = Map::new();
    for s in &r.stats {
        m.insert(format!("{}_mean", s.name), json!(s.mean));
        m.insert(format!("{}_std", s.name), json!(s.std));
    }
    m.insert("runs".into(), json!(r.runs.len()));
    m.insert("seed".into(), json!(p.seed()));
    m.insert("months".into(), json!(p.months()));
    m.insert("params".into(), json!(encode(p)));
    Value::Object(m)
}

fn summary_table(p: &CtParams, r: &McResult) -> String {
    let mut out = format!(
        "CrowdTrain: {} runs × {} months, seeds {}…{}\n\n{:<26}{:>16}{:>14}\n",
        r.runs.len(),
        p.months(),
        p.seed(),
        p.seed() + r.runs.len().saturating_sub(1) as u64,
        "",
        "mean",
        "std"
    );
    for s in &r.stats {
        let _ = writeln!(out, "{:<26}{:>16.4}{:>14.4}", s.name, s.mean, s.std);
    }
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}

/// Writes the Monte Carlo's charts into `dir`.
fn write_svgs(dir: &str, r: &McResult, p: &CtParams) -> Result<(), Failure> {
    use flywheel_charts::crowdtrain::CrowdTrainChart;
    std::fs::create_dir_all(dir).map_err(|e| Failure::Io(format!("cannot create {dir}: {e}")))?;
    for chart in CrowdTrainChart::ALL {
        let path = std::path::Path::new(dir).join(format!("crowdtrain-{}.svg", chart.name()));
        let svg = chart.svg(r, p.price_model).map_err(Failure::Io)?;
        args::write_file(&path.to_string_lossy(), &svg)?;
    }
    Ok(())
}
