//! `flywheel stress MODEL`: a model's Monte Carlo under the baseline and each stress scenario,
//! the stress table (P10 / P50 / P90 per scenario and metric, the change against the baseline)
//! and the health checks, on all cores. Same link and seed, same bytes, at any `--threads`.

use crate::args::{self, setting, ModelArgs, PresetArg};
use crate::Failure;
use clap::{Args, Subcommand, ValueHint};
use flywheel_core::codec::{decode_onto, split};
use flywheel_core::params::{ParamModel, Preset};
use flywheel_core::stress::{self, StressParams, Stressable};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The options of a stress test.
#[derive(Args, Debug)]
pub struct StressArgs {
    /// Scenarios to run besides the baseline, joined by ';': library names, 'all', or your own
    /// (name:START+DURATION,lever*factor/…; levers price, demand, arrivals, churn)
    #[arg(long, value_name = "LIST")]
    pub scenarios: Option<String>,
    /// Monte Carlo runs of the baseline and of each scenario (default 20); run i uses seed S + i
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub runs: Option<String>,
    /// The model's base seed (its seed parameter)
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub seed: Option<String>,
    /// The score's threshold: the test passes when the score's P10 stays at or above it in every
    /// scenario
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub threshold: Option<String>,
    /// Threads running the scenarios (default: every core); the results do not depend on it
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub preset: PresetArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write the stress table as CSV: scenario,metric,p10,p50,p90,baseline_p50,change
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub csv: Option<PathBuf>,
    /// Write the fan charts' bands as CSV (step,scenario,p10,p50,p90) of SERIES: price,
    /// circulating, staking_participation, active or treasury
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, requires = "series")]
    pub bands_csv: Option<PathBuf>,
    /// The series of --bands-csv
    #[arg(long, value_name = "SERIES")]
    pub series: Option<String>,
}

/// The models a stress test runs on.
#[derive(Subcommand, Debug)]
pub enum StressCmd {
    /// CrowdTrain's Monte Carlo under stress
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<StressParams<flywheel_core::crowdtrain::stress::CrowdTrain>>(NOTES, &flywheel_core::crowdtrain::PRESETS),
    )]
    Crowdtrain(StressArgs),
    /// The dataDAO under stress (with an outside market's noise: the model draws nothing itself)
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<StressParams<flywheel_core::datadao::stress::DataDao>>(NOTES, &flywheel_core::datadao::PRESETS),
    )]
    Datadao(StressArgs),
    /// The Commons DAO's Monte Carlo under stress (bull and bear as buy and sell flows into
    /// the curve)
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<StressParams<flywheel_core::commons::stress::CommonsDao>>(NOTES, &flywheel_core::commons::dao::PRESETS),
    )]
    Commons(StressArgs),
}

/// What `--help` says after the options.
pub const NOTES: &str = "\
The test: --preset, then --params (the model's link, or the stress view's whole link), then every
--set in order (model parameters, policies such as --set price_stabilizer=on, or the settings
stress_runs, threshold, market_noise, scenarios), then --runs, --seed, --scenarios, --threshold.
Every scenario runs the same seeds as the baseline. Metrics: the model's score, price volatility
(standard deviation of monthly price changes over the last 12 months), inflation (a year's growth of the circulating
supply), staking participation, value capture, price change, largest fall, participants at the
end, revenue, the treasury at the end, and the policies' interventions. The health checks judge
the score's P10 against the threshold and the others' P50 against the seed's criteria (volatility
within 10%, inflation 2-5%, participation over 60%, value capture over 20%).
";

/// Runs the command: its path of subcommand names and its output.
pub fn run(cmd: StressCmd) -> (&'static [&'static str], Result<String, Failure>) {
    match cmd {
        StressCmd::Crowdtrain(a) => (
            &["stress", "crowdtrain"],
            run_model::<flywheel_core::crowdtrain::stress::CrowdTrain>(
                &a,
                flywheel_core::crowdtrain::CtParams::preset,
                &flywheel_core::crowdtrain::PRESETS,
            ),
        ),
        StressCmd::Commons(a) => (
            &["stress", "commons"],
            run_model::<flywheel_core::commons::stress::CommonsDao>(
                &a,
                flywheel_core::commons::dao::DaoParams::preset,
                &flywheel_core::commons::dao::PRESETS,
            ),
        ),
        StressCmd::Datadao(a) => (
            &["stress", "datadao"],
            run_model::<flywheel_core::datadao::stress::DataDao>(
                &a,
                flywheel_core::datadao::DdParams::preset,
                &flywheel_core::datadao::PRESETS,
            ),
        ),
    }
}

/// The stress test's settings and model from the options, by the link's rules.
pub fn stress_params<M: Stressable>(
    a: &StressArgs,
    preset: fn(&str) -> Option<M::Params>,
    presets: &[Preset],
) -> Result<StressParams<M>, Failure> {
    let mut base = StressParams::<M> {
        model: a.preset.base(preset, presets)?,
        ..StressParams::default()
    };
    let mut model = a.model.clone();
    if let Some(f) = &a.model.fragment {
        if split(f).tab == <M::Params as ParamModel>::TAB {
            let d = decode_onto(base.model.clone(), f);
            if !d.issues.is_empty() {
                return Err(Failure::Invalid(d.issues));
            }
            base.model = d.model;
            model.fragment = None;
        }
    }
    let after = [
        setting("stress_runs", &a.runs),
        setting("seed", &a.seed),
        setting("scenarios", &a.scenarios),
        setting("threshold", &a.threshold),
    ];
    model.params(base, after.into_iter().flatten())
}

fn run_model<M: Stressable>(
    a: &StressArgs,
    preset: fn(&str) -> Option<M::Params>,
    presets: &[Preset],
) -> Result<String, Failure> {
    let threads = match a.threads {
        Some(0) => return Err(Failure::Usage("--threads must be at least 1".into())),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let series = match &a.series {
        None => None,
        Some(s) => Some(
            stress::SERIES
                .iter()
                .position(|(n, _, _)| n == s)
                .ok_or_else(|| {
                    let names: Vec<&str> = stress::SERIES.iter().map(|s| s.0).collect();
                    Failure::Usage(format!(
                        "unknown series '{s}'; allowed {}",
                        names.join(", ")
                    ))
                })?,
        ),
    };
    let p = stress_params::<M>(a, preset, presets)?;
    let cost = stress::cost(&p);
    args::check_cost(cost.clone())?;
    if std::io::stderr().is_terminal() {
        eprintln!(
            "flywheel: {} on {threads} thread{}",
            cost.describe(false),
            if threads == 1 { "" } else { "s" }
        );
    }
    let report = stress::run_here(&p, threads);
    if let Some(path) = &a.csv {
        args::write_file(path, &report.csv())?;
    }
    if let (Some(path), Some(k)) = (&a.bands_csv, series) {
        args::write_file(path, &report.bands_csv(k))?;
    }
    Ok(if a.model.json {
        json_text(&report)
    } else {
        format!("{}\n{}\n", report.table(), report.summary())
    })
}

/// The report's JSON as printed: in the report's own key order (the page's export is the same
/// bytes).
pub fn json_text(report: &flywheel_core::stress::StressReport) -> String {
    serde_json::to_string_pretty(&report.json()).expect("JSON of numbers and text") + "\n"
}
