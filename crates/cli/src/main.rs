//! `flywheel`: run Flywheel's models from the command line.
//!
//! Parameters use the same names as the page and its links; `--params` takes a link's fragment
//! (`'#commons?kappa=3&v=1'`), so a shared page state can be reproduced here exactly.

mod args;
mod commons;
mod crowdtrain;
mod datadao;

use flywheel_core::params::ParamIssue;
use std::process::ExitCode;

const USAGE: &str = "\
flywheel — token-engineering models from the command line

USAGE:
    flywheel commons abc [OPTIONS]     augmented bonding curve: hatch, trades, a what-if trade
    flywheel crowdtrain [OPTIONS]      robotics-operator economy: Monte Carlo and composite score
    flywheel datadao [OPTIONS]         data cooperative: AMM, five agent types, the Pie
    flywheel help                      this text

    flywheel commons abc --help        its options and every parameter (unit, range, default)
    flywheel crowdtrain --help         its options and every parameter
    flywheel datadao --help            its options and every parameter

Common options:
    --set NAME=VALUE      set a parameter (repeatable); names as in the page's links
    --params FRAGMENT     start from a page link's fragment, e.g. '#commons?kappa=3&v=1'
    --json                print one JSON object instead of a table

Invalid input prints what is wrong (the field and its allowed range) and exits with status 2.
Before a run starts its work and memory are estimated: a run past the limits (1 GB of memory,
about 10 minutes) is refused with what to lower (status 2), and a long one says how long it
will take.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("flywheel: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Invalid(issues)) => {
            for i in issues {
                // The page falls back to defaults; the CLI refuses instead, so drop that clause.
                let msg = i.message.split("; using ").next().unwrap_or(&i.message);
                eprintln!("flywheel: invalid input: {msg}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Refused(msg)) => {
            eprintln!("flywheel: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("flywheel: {msg}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Invalid(Vec<ParamIssue>),
    /// The run is past the limits every run keeps (see `flywheel_core::cost`).
    Refused(String),
    Io(String),
}

fn run(args: &[String]) -> Result<String, Failure> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["help"] | ["--help"] | ["-h"] => Ok(USAGE.to_string()),
        ["commons", "abc", rest @ ..] => commons::abc(rest),
        ["commons"] | ["commons", "--help"] => Ok(args::param_help::<
            flywheel_core::commons::explorer::AbcParams,
        >(commons::USAGE)),
        ["crowdtrain", rest @ ..] => crowdtrain::run(rest),
        ["datadao", rest @ ..] => datadao::run_cmd(rest),
        [cmd, ..] => Err(Failure::Usage(format!("unknown command '{cmd}'"))),
    }
}
