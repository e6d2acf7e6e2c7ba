//! `flywheel crowdtrain`: the operator economy's Monte Carlo.

use crate::args::{self, setting, ModelArgs, PresetArg, RunArgs};
use crate::research::{self, ResearchArgs};
use crate::Failure;
use clap::{Args, Subcommand, ValueHint};
use flywheel_core::codec::encode;
use flywheel_core::crowdtrain::montecarlo::{run_monte_carlo, McResult};
use flywheel_core::crowdtrain::research::CrowdTrain;
use flywheel_core::crowdtrain::{CtParams, PRESETS};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `flywheel crowdtrain [OPTIONS]` runs the Monte Carlo; `flywheel crowdtrain SUBCOMMAND …` will
/// run another of the model's tools. The two do not mix: the Monte Carlo's options given with a
/// subcommand are a usage error.
#[derive(Args, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = args::SHORT_AFTER_HELP,
    after_long_help = args::long_help::<CtParams>(NOTES, &PRESETS),
)]
pub struct CrowdtrainCmd {
    #[command(subcommand)]
    pub command: Option<CrowdtrainCommand>,
    #[command(flatten)]
    pub monte_carlo: MonteCarloArgs,
}

/// CrowdTrain's subcommands besides the Monte Carlo: add a variant here and a branch in [`run`].
#[derive(Subcommand, Debug)]
pub enum CrowdtrainCommand {
    /// The autoresearch loop: change 1–3 parameters, keep what raises the score, log it all
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<CtParams>(research::NOTES, &PRESETS),
    )]
    Research(ResearchArgs),
}

const NOTES: &str = "\
Order: --preset, then --params, then every --set in order, then --runs/--seed/--months.
tier_reward_multipliers takes six comma-separated numbers: --set tier_reward_multipliers=1,2,3,4,5,6
";

/// The options of the Monte Carlo (`flywheel crowdtrain [OPTIONS]`).
#[derive(Args, Debug)]
pub struct MonteCarloArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Months per run (default 24)
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub months: Option<String>,
    #[command(flatten)]
    pub preset: PresetArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write every run's monthly records: run, seed, month, every recorded field, operators per
    /// tier
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub csv: Option<PathBuf>,
    /// Write the charts as SVG into DIR (score, funnel, tiers, price, supply, flows, revenue,
    /// gini)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub svg: Option<PathBuf>,
}

/// Runs the command: its path of subcommand names (for messages) and its output.
pub fn run(cmd: CrowdtrainCmd) -> (&'static [&'static str], Result<String, Failure>) {
    match cmd.command {
        None => (&["crowdtrain"], monte_carlo(cmd.monte_carlo)),
        Some(CrowdtrainCommand::Research(a)) => (
            &["crowdtrain", "research"],
            research::run::<CrowdTrain>(&a, CtParams::preset, &PRESETS),
        ),
    }
}

fn monte_carlo(a: MonteCarloArgs) -> Result<String, Failure> {
    let base = a.preset.base(CtParams::preset, &PRESETS)?;
    let settings = a.run.settings().chain(setting("months", &a.months));
    let params = a.model.params(base, settings)?;
    args::check_cost(params.cost(a.csv.is_some()))?;
    let result = run_monte_carlo(&params, &mut |_, _| true);
    if let Some(path) = &a.csv {
        args::write_file(path, &result.records_csv())?;
    }
    if let Some(dir) = &a.svg {
        write_svgs(dir, &result, &params)?;
    }
    Ok(args::output(
        a.model.json,
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
    m.insert("health".into(), args::health_json(&r.health));
    args::insert_run_settings(
        &mut m,
        r.runs.len(),
        p.seed(),
        ("months", p.months()),
        encode(p),
    );
    Value::Object(m)
}

fn summary_table(p: &CtParams, r: &McResult) -> String {
    let title = args::monte_carlo_title(
        "CrowdTrain",
        r.runs.len(),
        format!("{} months", p.months()),
        p.seed(),
    );
    let mut out = format!("{title}\n\n{:<26}{:>16}{:>14}\n", "", "mean", "std");
    for s in &r.stats {
        let _ = writeln!(out, "{:<26}{:>16.4}{:>14.4}", s.name, s.mean, s.std);
    }
    out.push_str(&args::health_table(&r.health));
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}

/// Writes the Monte Carlo's charts into `dir`.
fn write_svgs(dir: &Path, r: &McResult, p: &CtParams) -> Result<(), Failure> {
    use flywheel_charts::crowdtrain::CrowdTrainChart;
    args::create_dir(dir)?;
    for chart in CrowdTrainChart::ALL {
        let path = dir.join(format!("crowdtrain-{}.svg", chart.name()));
        let svg = chart.svg(r, p.price_model).map_err(Failure::Io)?;
        args::write_file(&path, &svg)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Command, FromArgMatches};

    /// Bare options run the Monte Carlo, `research` is a subcommand, and the two mixed are a
    /// usage error.
    #[test]
    fn a_subcommand_and_the_monte_carlo_options_live_side_by_side() {
        let cmd = CrowdtrainCmd::augment_args(Command::new("crowdtrain"));
        let m = cmd
            .clone()
            .try_get_matches_from(["crowdtrain", "--runs", "3", "--set", "a=1", "--set", "b=2"])
            .unwrap();
        assert!(m.subcommand().is_none());
        let a = MonteCarloArgs::from_arg_matches(&m).unwrap();
        assert_eq!(a.run.runs.as_deref(), Some("3"));
        assert_eq!(a.model.sets, ["a=1", "b=2"]);
        let m = cmd
            .clone()
            .try_get_matches_from(["crowdtrain", "research"])
            .unwrap();
        assert_eq!(m.subcommand_name(), Some("research"));
        let e = cmd
            .try_get_matches_from(["crowdtrain", "--runs", "3", "research"])
            .unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
