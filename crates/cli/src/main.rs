//! `flywheel`: run Flywheel's models from the command line.
//!
//! Parameters use the same names as the page and its links; `--params` takes a link's fragment
//! (`'#commons?kappa=3&v=1'`), so a shared page state can be reproduced here exactly.
//!
//! The options are declared with clap's derive API; clap only splits the command line, and every
//! parameter value is validated by the core (see `args`). Each command's `--help` ends with its
//! model's parameter table, built from the same specs as the page's panel.
//!
//! A new command copies the pattern: a `#[derive(Args)]` struct of its options that flattens
//! [`args::ModelArgs`] (and [`args::PresetArg`] for a model with presets), a variant of
//! [`Command`] (or of a model's own subcommand enum, such as `commons::CommonsCommand`) with its
//! `after_long_help` = [`args::long_help`] (its notes, presets and parameter table), and a
//! branch in [`run`].

mod args;
mod commons;
mod commons_dao;
mod crowdtrain;
mod datadao;
mod research;
mod stress;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use clap_complete::Shell;
use flywheel_core::params::ParamIssue;
use std::io::Write as _;
use std::process::ExitCode;

/// Token-engineering models from the command line
#[derive(Parser, Debug)]
#[command(
    name = "flywheel",
    version,
    subcommand_required = true,
    arg_required_else_help = true,
    // An option given twice keeps its last value (`--set` collects every one, in order).
    args_override_self = true,
    after_help = AFTER_HELP,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The Commons: the augmented bonding curve, the DAO, conviction voting
    Commons(commons::CommonsCmd),
    /// Robotics-operator economy: Monte Carlo and composite score
    Crowdtrain(crowdtrain::CrowdtrainCmd),
    /// Data cooperative: AMM, five agent types, the Pie
    Datadao(datadao::DatadaoArgs),
    /// Stress tests: a model under bull, bear, growth and regulatory scenarios (or your own),
    /// the table of P10 / P50 / P90 against the baseline, and the health checks
    #[command(subcommand)]
    Stress(stress::StressCmd),
    /// Print a completion script for SHELL to standard output
    #[command(after_help = "\
For example, for bash: flywheel completions bash > ~/.local/share/bash-completion/completions/flywheel")]
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
}

const AFTER_HELP: &str = "\
Each model command's --help lists every parameter with its unit, allowed range and default:
flywheel commons abc --help, flywheel commons sim --help, flywheel commons conviction --help,
flywheel crowdtrain --help, flywheel datadao --help, flywheel stress crowdtrain --help.

Invalid input prints what is wrong (the field and its allowed range) and exits with status 2.
Before a run starts its work and memory are estimated: a run past the limits (1 GB of memory,
about 10 minutes) is refused with what to lower (status 2), and a long one says how long it
will take. A file that cannot be written exits with status 1.";

fn main() -> ExitCode {
    // Help and --version exit 0 here; a usage error prints clap's message and exits 2.
    let cli = Cli::parse();
    let (path, result) = run(cli.command);
    let result = result.and_then(|out| {
        std::io::stdout()
            .lock()
            .write_all(out.as_bytes())
            .map_err(|e| Failure::Io(format!("cannot write the output: {e}")))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            // Said as clap says its own usage errors, with the command's usage line.
            let _ = usage_error(path, &msg).print();
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
    /// Options that clap accepted but that do not fit together or name nothing known (a preset,
    /// a link to another tab, a `--set` without `=`).
    Usage(String),
    Invalid(Vec<ParamIssue>),
    /// The run is past the limits every run keeps (see `flywheel_core::cost`).
    Refused(String),
    Io(String),
}

/// Runs a command: its path of subcommand names (for messages) and its output.
fn run(command: Command) -> (&'static [&'static str], Result<String, Failure>) {
    match command {
        Command::Commons(c) => commons::run(c),
        Command::Crowdtrain(c) => crowdtrain::run(c),
        Command::Datadao(a) => (&["datadao"], datadao::run_cmd(a)),
        Command::Stress(c) => stress::run(c),
        Command::Completions { shell } => (&["completions"], Ok(completions(shell))),
    }
}

/// The completion script of `shell` for every command and option.
fn completions(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "flywheel", &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}

/// A usage error of the command at `path` (`["commons", "abc"]`), formatted by clap.
fn usage_error(path: &[&str], msg: &str) -> clap::Error {
    let mut cmd = Cli::command();
    cmd.build();
    let mut sub = &mut cmd;
    for name in path {
        sub = sub
            .find_subcommand_mut(name)
            .expect("the path names a command");
    }
    sub.error(ErrorKind::ValueValidation, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_name_the_command() {
        let e = usage_error(&["commons", "abc"], "no such thing").to_string();
        assert!(e.contains("no such thing"), "{e}");
        assert!(e.contains("flywheel commons abc"), "{e}");
    }
}
