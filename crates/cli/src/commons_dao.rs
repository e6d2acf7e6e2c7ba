//! `flywheel commons sim` (the DAO's Monte Carlo) and `flywheel commons conviction` (the
//! conviction-voting calculator).

use crate::args::{self, setting, ModelArgs, PresetArg, RunArgs};
use crate::Failure;
use clap::{Args, ValueHint};
use flywheel_charts::commons_dao::CommonsDaoChart;
use flywheel_charts::conviction::ConvictionChart;
use flywheel_core::codec::encode;
use flywheel_core::commons::conviction::{calculate, ConvictionParams, ConvictionReport};
use flywheel_core::commons::dao::{DaoParams, PRESETS};
use flywheel_core::commons::montecarlo::{run_monte_carlo, DaoResult};
use flywheel_core::commons::score::PARTS;
use flywheel_core::commons::sim::network_at;
use flywheel_core::format::readable;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::PathBuf;

pub const SIM_NOTES: &str = "\
Order: --preset, then --params, then every --set in order, then --days/--runs/--seed.
Run i uses seed S + i with its own generator: the same seed gives the same bytes.
";

/// The options of `flywheel commons sim`.
#[derive(Args, Debug)]
pub struct SimArgs {
    /// Days per run (default 730)
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub days: Option<String>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub preset: PresetArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write every run's daily records: run, seed, day and every recorded field
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub csv: Option<PathBuf>,
    /// Write the charts as SVG into DIR (price, supply, pools, participants, sentiment,
    /// proposals, granted, conviction, network, score); the conviction and network charts show
    /// run 0 on its last day
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub svg: Option<PathBuf>,
}

pub fn sim(a: SimArgs) -> Result<String, Failure> {
    let base = a.preset.base(DaoParams::preset, &PRESETS)?;
    let settings = setting("days", &a.days).into_iter().chain(a.run.settings());
    let params = a.model.params(base, settings)?;
    args::check_cost(params.cost(a.csv.is_some()))?;
    let result = run_monte_carlo(&params, &mut |_, _| true);
    if let Some(path) = &a.csv {
        args::write_file(path, &result.records_csv())?;
    }
    if let Some(dir) = &a.svg {
        let network = network_at(&params, params.seed(), params.days());
        args::create_dir(dir)?;
        for chart in CommonsDaoChart::ALL {
            let svg = chart
                .svg(&result, Some(&network), Some(params.days()))
                .map_err(Failure::Io)?;
            args::write_file(&dir.join(format!("commons-dao-{}.svg", chart.name())), &svg)?;
        }
    }
    Ok(args::output(
        a.model.json,
        || sim_json(&params, &result),
        || sim_table(&params, &result),
    ))
}

/// `<metric>_mean`, `_p10`, `_p50`, `_p90` for every metric, the score's parts (means), then the
/// run settings and the link fragment.
pub fn sim_json(p: &DaoParams, r: &DaoResult) -> Value {
    let mut m = Map::new();
    for s in &r.metrics {
        for (suffix, x) in s.values() {
            m.insert(format!("{}_{suffix}", s.name), json!(x));
        }
    }
    let parts: Map<String, Value> = PARTS
        .iter()
        .zip(r.part_means)
        .map(|((name, _, _), x)| (name.to_string(), json!(x)))
        .collect();
    m.insert("score_parts_mean".into(), Value::Object(parts));
    args::insert_run_settings(
        &mut m,
        r.runs.len(),
        p.seed(),
        ("days", p.days()),
        encode(p),
    );
    Value::Object(m)
}

fn sim_table(p: &DaoParams, r: &DaoResult) -> String {
    let title = args::monte_carlo_title(
        "Commons DAO",
        r.runs.len(),
        format!("{} days", p.days()),
        p.seed(),
    );
    let mut out = format!(
        "{title}\n\n{:<24}{:>16}{:>16}{:>16}{:>16}\n",
        "", "mean", "P10", "P50", "P90"
    );
    for s in &r.metrics {
        let _ = writeln!(
            out,
            "{:<24}{:>16.4}{:>16.4}{:>16.4}{:>16.4}",
            s.name, s.mean, s.p10, s.p50, s.p90
        );
    }
    out.push_str("\nscore parts (mean over the runs; each capped at 1):\n");
    for ((name, label, _), x) in PARTS.iter().zip(r.part_means) {
        let _ = writeln!(out, "  {name:<20}{x:>8.3}  {label}");
    }
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}

pub const CONVICTION_NOTES: &str = "\
Order: --params, then every --set in order, then --request/--funding/--supply/--stake/--extra/--days.
threshold is null when the request cannot pass (it asks for max_proposal_request of the pool or
more); days_to_pass is null when the stake never reaches the threshold.
";

/// The options of `flywheel commons conviction`.
#[derive(Args, Debug)]
pub struct ConvictionArgs {
    /// DAI the proposal requests (default 10,000)
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub request: Option<String>,
    /// DAI in the funding pool (default 200,000)
    #[arg(long, value_name = "F", allow_negative_numbers = true)]
    pub funding: Option<String>,
    /// Token supply (default 10,000,000)
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub supply: Option<String>,
    /// Tokens staked on the proposal from day 1 (default 1,500,000)
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub stake: Option<String>,
    /// More tokens for the "if I add" comparison (default 500,000)
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub extra: Option<String>,
    /// Days of conviction to print (default 60)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub days: Option<String>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write the two charts as SVG into DIR (trigger, growth)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub svg: Option<PathBuf>,
}

pub fn conviction(a: ConvictionArgs) -> Result<String, Failure> {
    let settings = [
        setting("request", &a.request),
        setting("funding", &a.funding),
        setting("supply", &a.supply),
        setting("stake", &a.stake),
        setting("extra_stake", &a.extra),
        setting("days", &a.days),
    ];
    let params = a
        .model
        .params(ConvictionParams::default(), settings.into_iter().flatten())?;
    let report = calculate(&params);
    if let Some(dir) = &a.svg {
        args::create_dir(dir)?;
        for chart in ConvictionChart::ALL {
            let svg = chart.svg(&params, &report).map_err(Failure::Io)?;
            args::write_file(&dir.join(format!("conviction-{}.svg", chart.name())), &svg)?;
        }
    }
    Ok(args::output(
        a.model.json,
        || conviction_json(&params, &report),
        || conviction_table(&params, &report),
    ))
}

pub fn conviction_json(p: &ConvictionParams, r: &ConvictionReport) -> Value {
    json!({
        "threshold": r.threshold,
        "alpha": r.alpha,
        "max_conviction": r.max_conviction,
        "days_to_pass": r.days_to_pass,
        "conviction": r.conviction,
        "extra_stake": p.extra_stake,
        "max_conviction_with_extra": r.max_conviction_with_extra,
        "days_to_pass_with_extra": r.days_to_pass_with_extra,
        "conviction_with_extra": r.conviction_with_extra,
        "stake_to_pass_in_days": r.stake_to_pass_in_days,
        "params": encode(p),
    })
}

fn conviction_table(p: &ConvictionParams, r: &ConvictionReport) -> String {
    let share = p.request / p.funding;
    let mut out = format!(
        "Conviction voting: {} DAI of a {} DAI pool ({:.2}%, limit {:.2}%), supply {} tokens\n\n",
        readable(p.request),
        readable(p.funding),
        share * 100.0,
        p.max_proposal_request * 100.0,
        readable(p.supply)
    );
    let days = |d: Option<u32>| d.map_or("never".to_string(), |d| format!("day {d}"));
    let _ = writeln!(
        out,
        "threshold              {}",
        r.threshold.map_or(
            "cannot pass (the request is at or above the limit)".into(),
            readable
        )
    );
    let _ = writeln!(out, "alpha                  {:.6}", r.alpha);
    let _ = writeln!(
        out,
        "as it is               {} tokens staked: at most {} conviction, passes {}",
        readable(p.stake),
        readable(r.max_conviction),
        days(r.days_to_pass)
    );
    let _ = writeln!(
        out,
        "{:<23}at most {} conviction, passes {}",
        format!("if I add {}", readable(p.extra_stake)),
        readable(r.max_conviction_with_extra),
        days(r.days_to_pass_with_extra)
    );
    if let Some(s) = r.stake_to_pass_in_days {
        let _ = writeln!(
            out,
            "to pass within {} days stake at least {} tokens",
            p.days,
            readable(s)
        );
    }
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}
