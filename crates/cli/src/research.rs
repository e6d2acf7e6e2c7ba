//! `flywheel <model> research`: the autoresearch loop on all cores.
//!
//! The engine (`flywheel_core::research`) proposes a batch, the threads evaluate its runs, the
//! engine decides in order: the results never depend on `--threads`.

use crate::args::{self, setting, ModelArgs, PresetArg};
use crate::Failure;
use clap::{Args, ValueHint};
use flywheel_core::codec::{decode_onto, encode, split};
use flywheel_core::format::shortest;
use flywheel_core::params::{ParamModel, Preset};
use flywheel_core::research::{
    assemble, signed, tasks, Job, Outcome, Report, Research, ResearchParams, Researchable,
    RunScore, Stage, Task, FIXED_KEY,
};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The options of a research run.
#[derive(Args, Debug)]
pub struct ResearchArgs {
    /// Experiments, the baseline included (1 to 10,000; default 500)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub budget: Option<String>,
    /// The research's own seed, research_seed in links (its proposals; the model's runs keep the
    /// design's seeds; default 1)
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub seed: Option<String>,
    /// Threads evaluating experiments (default: every core); the results do not depend on it
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Parameters the search leaves as they are, comma-separated (names as in the notes, e.g.
    /// staking_churn_reduction,tier_reward_multipliers[6])
    #[arg(long, value_name = "LIST")]
    pub fixed: Option<String>,
    #[command(flatten)]
    pub preset: PresetArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write results.tsv: experiment, score, the sub-scores, notes
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub tsv: Option<PathBuf>,
}

/// What `--help` says after the options.
pub const NOTES: &str = "\
The start design: --preset, then --params, then every --set in order, then --budget, --seed and
--fixed. --params takes the model's link (the start design) or the research view's whole link
('#crowdtrain-research?budget=…&research_seed=…&…'), which gives the page's experiments exactly.
Each experiment runs the start design's Monte Carlo (its runs and seeds; 20 runs from seed 42 by
default) on a design that changes one to three parameters; a change is kept if the mean score
improves. After the search the best design is re-run on 200 fresh seeds (base seed + 1,000,000
on), and each parameter is moved 10% of its search range either way around it (the sensitivity).
";

/// What `flywheel commons research --help` says after the options.
pub const NOTES_COMMONS: &str = "\
The start design: --preset, then --params, then every --set in order, then --budget, --seed and
--fixed. --params takes a Commons DAO link (the start design) or the research view's whole link
('#commons-research?…'). The score is the Commons score of spec section 5 divided by 1000; its ten
parts are the columns of results.tsv. By default the assumptions about people (arrival_rate,
newcomer_investment_mean, buy_scale, speculators, sentiment_decay) stay fixed: --fixed '' frees
them, --fixed LIST fixes others.
";

/// Runs a research on `M` from the options; the JSON or the table.
pub fn run<M: Researchable>(
    a: &ResearchArgs,
    preset: fn(&str) -> Option<M::Params>,
    presets: &[Preset],
) -> Result<String, Failure>
where
    M::Params: Sync,
{
    let threads = match a.threads {
        Some(0) => return Err(Failure::Usage("--threads must be at least 1".into())),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let research = research_params::<M>(a, preset, presets)?;
    let start = research.start.clone();
    let settings = research.settings();
    settings.check::<M>().map_err(Failure::Usage)?;
    let one = M::cost(&start);
    args::check_cost(one.clone())?;
    let progress = std::io::stderr().is_terminal();
    if progress || one.is_long(false) {
        let per = one.estimate(false);
        let total = per * f64::from(settings.budget) / threads as f64;
        eprintln!(
            "flywheel: {} experiments of {} each, on {threads} thread{}: about {}",
            settings.budget,
            one.size,
            if threads == 1 { "" } else { "s" },
            flywheel_core::format::duration_ms(total)
        );
    }
    let budget = settings.budget;
    let mut research = Research::<M>::new(&start, settings);
    while let Some(job) = research.job() {
        let results = evaluate::<M>(&job, threads);
        research.tell(job.stage, results);
        if progress {
            let r = research.report();
            eprint!(
                "\rflywheel: {} {} of {} experiments, best {:.4}   ",
                stage_word(research.stage()),
                r.experiments,
                budget,
                r.best_score.unwrap_or(f64::NAN)
            );
        }
    }
    if progress {
        eprintln!();
    }
    if let Some(path) = &a.tsv {
        args::write_file(path, &research.tsv())?;
    }
    let report = research.report();
    Ok(args::output(
        a.model.json,
        || report_json::<M>(&report, &start),
        || report_table::<M>(&report),
    ))
}

/// The research's settings and start design from the options, by the link's rules: the preset,
/// then `--params` (the model's link, or the research view's whole link), every `--set` (model
/// parameters, or budget, research_seed, fixed), then `--budget`, `--seed` and `--fixed`.
fn research_params<M: Researchable>(
    a: &ResearchArgs,
    preset: fn(&str) -> Option<M::Params>,
    presets: &[Preset],
) -> Result<ResearchParams<M>, Failure> {
    let mut base = ResearchParams::<M> {
        start: a.preset.base(preset, presets)?,
        ..ResearchParams::default()
    };
    let mut model = a.model.clone();
    if let Some(f) = &a.model.fragment {
        if split(f).tab == <M::Params as ParamModel>::TAB {
            let d = decode_onto(base.start.clone(), f);
            if !d.issues.is_empty() {
                return Err(Failure::Invalid(d.issues));
            }
            base.start = d.model;
            model.fragment = None;
        }
    }
    let after = [
        setting("budget", &a.budget),
        setting("research_seed", &a.seed),
        setting(FIXED_KEY, &a.fixed),
    ];
    model.params(base, after.into_iter().flatten())
}

fn stage_word(s: Stage) -> &'static str {
    match s {
        Stage::Search => "searching:",
        Stage::Validation => "validating:",
        Stage::Sensitivity => "sensitivity:",
        Stage::Done => "done:",
    }
}

/// Evaluates a job's runs on `threads` threads: tasks taken in turn from a shared counter, each
/// task's scores kept by its place, so the result is the same as on one thread.
pub fn evaluate<M: Researchable>(job: &Job<M::Params>, threads: usize) -> Vec<Vec<RunScore>>
where
    M::Params: Sync,
{
    let list = tasks(job, M::runs, threads);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(Task, Vec<RunScore>)>> = Mutex::new(Vec::with_capacity(list.len()));
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(t) = list.get(i) else { break };
        let p = &job.designs[t.item];
        let scores: Vec<RunScore> = (t.first..t.first + t.count)
            .map(|run| M::evaluate(p, run))
            .collect();
        done.lock().expect("no thread panics").push((*t, scores));
    };
    let helpers = threads.min(list.len()).saturating_sub(1);
    std::thread::scope(|s| {
        for _ in 0..helpers {
            s.spawn(work);
        }
        work();
    });
    assemble(
        job.designs.len(),
        done.into_inner().expect("no thread panics"),
    )
}

fn parts_json<M: Researchable>(o: &Option<Outcome>) -> Value {
    match o {
        None => Value::Null,
        Some(o) => {
            let mut m = Map::new();
            for (p, x) in M::PARTS.iter().zip(&o.parts) {
                m.insert(p.name.into(), json!(x));
            }
            Value::Object(m)
        }
    }
}

/// The report as JSON: the issue's keys first, then the details.
pub fn report_json<M: Researchable>(r: &Report, start: &M::Params) -> Value {
    let mut m = Map::new();
    m.insert("model".into(), json!(r.model));
    m.insert("budget".into(), json!(r.settings.budget));
    m.insert("seed".into(), json!(r.settings.seed));
    m.insert("fixed".into(), json!(r.settings.fixed));
    m.insert("start_params".into(), json!(encode(start)));
    m.insert("experiments".into(), json!(r.experiments));
    m.insert("kept".into(), json!(r.kept));
    m.insert("stopped".into(), json!(r.stopped));
    m.insert("baseline_score".into(), json!(r.baseline_score));
    m.insert("best_score".into(), json!(r.best_score));
    m.insert("best_experiment".into(), json!(r.best_experiment));
    m.insert("best_params".into(), json!(r.best_params));
    m.insert("validation_score".into(), json!(r.validation_score));
    m.insert(
        "validation_std".into(),
        json!(r.validation.as_ref().map(|v| v.std)),
    );
    m.insert(
        "validation_runs".into(),
        json!(r.validation.as_ref().map(|v| v.runs)),
    );
    m.insert("baseline_parts".into(), parts_json::<M>(&r.baseline));
    m.insert("best_parts".into(), parts_json::<M>(&r.best));
    m.insert("validation_parts".into(), parts_json::<M>(&r.validation));
    m.insert(
        "history".into(),
        Value::Array(
            r.history
                .iter()
                .map(|k| {
                    json!({
                        "experiment": k.experiment,
                        "score": k.score,
                        "changed": k.changed,
                        "why": k.why,
                        "params": k.fragment,
                    })
                })
                .collect(),
        ),
    );
    m.insert(
        "sensitivity".into(),
        Value::Array(
            r.sensitivity
                .iter()
                .map(|s| {
                    json!({
                        "parameter": s.name,
                        "value": s.value,
                        "low_value": s.low_value,
                        "low_score": s.low_score,
                        "high_value": s.high_value,
                        "high_score": s.high_score,
                    })
                })
                .collect(),
        ),
    );
    m.insert("summary".into(), json!(r.summary));
    Value::Object(m)
}

fn report_table<M: Researchable>(r: &Report) -> String {
    let mut out = format!(
        "{} research: {} experiments (seed {}), {} kept{}\n\n",
        M::NAME,
        r.experiments,
        r.settings.seed,
        r.kept,
        if r.stopped { ", stopped early" } else { "" }
    );
    let _ = writeln!(
        out,
        "{:<22}{:>10}{:>10}{:>12}",
        "", "baseline", "best", "validation"
    );
    let cell = |o: &Option<Outcome>, i: Option<usize>| -> String {
        o.as_ref().map_or("—".into(), |o| {
            format!(
                "{:.4}",
                i.map_or(o.score, |i| o.parts.get(i).copied().unwrap_or(f64::NAN))
            )
        })
    };
    let _ = writeln!(
        out,
        "{:<22}{:>10}{:>10}{:>12}",
        "score",
        cell(&r.baseline, None),
        cell(&r.best, None),
        cell(&r.validation, None)
    );
    for (i, p) in M::PARTS.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:<22}{:>10}{:>10}{:>12}",
            p.name,
            cell(&r.baseline, Some(i)),
            cell(&r.best, Some(i)),
            cell(&r.validation, Some(i))
        );
    }
    out.push_str("\nKept changes:\n");
    for k in r.history.iter().skip(1) {
        let _ = writeln!(out, "  {:>5}  {:.4}  {}", k.experiment, k.score, k.changed);
    }
    if !r.sensitivity.is_empty() {
        out.push_str("\nSensitivity around the best (score at −10% / +10% of the range):\n");
        for s in &r.sensitivity {
            let _ = writeln!(
                out,
                "  {:<30} {:>10} {:>8.4} ({})  {:>10} {:>8.4} ({})",
                s.name,
                shortest(s.low_value),
                s.low_score,
                signed(s.low_score - s.best_score, 4),
                shortest(s.high_value),
                s.high_score,
                signed(s.high_score - s.best_score, 4)
            );
        }
    }
    let _ = writeln!(out, "\n{}", r.summary);
    if let Some(p) = &r.best_params {
        let _ = writeln!(out, "\nbest design: {p}");
    }
    out
}
