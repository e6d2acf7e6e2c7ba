//! Autoresearch: the seed's experiment loop, run by the machine.
//!
//! A research run starts from a design (a model's parameters), evaluates it (the baseline), and
//! then, experiment after experiment, changes one to three parameters, evaluates the change with
//! the model's Monte Carlo on the same seeds, keeps it if the mean score improved and discards it
//! otherwise, and writes every experiment down with what changed and why. After the search it
//! re-runs the best design on fresh seeds (validation, to expose over-fitting to the search's
//! seeds) and measures the score's sensitivity to each parameter around it (the tornado chart).
//!
//! The engine is generic over a [`Researchable`] model and is driven *ask / tell*: [`Research::job`]
//! hands out designs to evaluate, the driver evaluates them however it likes — one thread, many
//! threads, many browser workers — and gives the runs' scores back with [`Research::tell`]. The
//! engine proposes a whole batch from one state and decides in the batch's order, and the batch
//! size is fixed, so a research run is fixed by its start, seed and budget: the same experiments,
//! bit for bit, at any parallelism.
//!
//! The strategy (see [`strategy`]) follows the seed: baseline and its weakest sub-score; then
//! hypotheses aimed at the weakest sub-score and the seed's tensions; then an evolution strategy
//! in random subspaces of one to three parameters with per-parameter step sizes (the 1/5th
//! success rule), probes at the ranges' extremes, and a radical jump when stuck.

mod link;
mod report;
mod strategy;
#[cfg(test)]
mod tests;

pub use link::{specs_with_settings, ResearchParams, FIXED_KEY, SETTINGS_SPECS};
pub use report::{Report, Sensitivity};

use crate::codec::{decode, encode};
use crate::format::{round_sig, shortest};
use crate::params::ParamModel;
use crate::rng::{self, Rng};
use crate::stats::mean_std;
use serde::{Deserialize, Serialize};

/// Experiments proposed from one state and evaluated together (then decided in order). Fixed, so
/// that results never depend on how many threads or workers evaluate them.
pub const BATCH: usize = 8;
/// Seeds of the validation runs start this far above the model's base seed: never seen by the
/// search, which uses base seed + 0 … runs − 1.
pub const VALIDATION_SEED_OFFSET: u64 = 1_000_000;
/// Runs of the validation.
pub const VALIDATION_RUNS: u32 = 200;
/// The sensitivity (tornado) moves each parameter this far down and up, as a share of its range
/// (on the range's own scale).
pub const SENSITIVITY_STEP: f64 = 0.1;
/// The most experiments a research run may have.
pub const MAX_BUDGET: u32 = 10_000;

/// How a search dimension maps onto its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DimScale {
    Linear,
    /// Logarithmic: for ranges that span decades (the low end must be above 0).
    Log,
}

/// One parameter the research may change, with the range it searches (inside the parameter's
/// allowed range, so every design it proposes is valid).
pub struct Dim<P> {
    /// The name notes and the tornado use: the parameter's link key, or `key[i]` for one of a
    /// list (`tier_reward_multipliers[6]`).
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
    pub scale: DimScale,
    /// Whole numbers only (months, say).
    pub integer: bool,
    /// An assumption about how people behave rather than a lever of the design (the summary
    /// says so when the best design moves one).
    pub assumption: bool,
    pub get: fn(&P) -> f64,
    pub set: fn(&mut P, f64),
}

impl<P> Dim<P> {
    /// `v` as a position in the range: 0 at `lo`, 1 at `hi` (outside for values outside).
    pub fn to_unit(&self, v: f64) -> f64 {
        match self.scale {
            DimScale::Linear => (v - self.lo) / (self.hi - self.lo),
            DimScale::Log => {
                let v = v.max(self.lo * 1e-6);
                libm::log(v / self.lo) / libm::log(self.hi / self.lo)
            }
        }
    }

    /// The value at position `u` (clamped to the range), rounded as notes and links show it:
    /// whole numbers for integer dimensions, else three significant digits.
    pub fn from_unit(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let v = match self.scale {
            DimScale::Linear => self.lo + u * (self.hi - self.lo),
            DimScale::Log => self.lo * libm::exp(u * libm::log(self.hi / self.lo)),
        };
        self.round(v).clamp(self.lo, self.hi)
    }

    /// `v` rounded to what this dimension takes.
    pub fn round(&self, v: f64) -> f64 {
        if self.integer {
            return libm::round(v);
        }
        round_sig(v, 3)
    }
}

/// Which way a hypothesis moves a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dir {
    Up,
    Down,
}

impl Dir {
    pub fn sign(self) -> f64 {
        match self {
            Dir::Up => 1.0,
            Dir::Down => -1.0,
        }
    }
}

/// What a hypothesis aims at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aim {
    /// Raising sub-score `i` of [`Researchable::PARTS`].
    Part(usize),
    /// One of the model's tensions (`"APY vs sell pressure"`), explored both ways.
    Tension(&'static str),
}

/// An economic hypothesis: move these parameters this way, because…
pub struct Hypothesis {
    pub aim: Aim,
    /// (dimension name, direction): one to three.
    pub moves: &'static [(&'static str, Dir)],
    /// The reason in words: "staking halves an operator's churn".
    pub why: &'static str,
}

/// A sub-score of the model's composite score.
pub struct Part {
    /// The name in `results.tsv`'s header and in notes.
    pub name: &'static str,
    pub label: &'static str,
    /// What one unit of the sub-score adds to the composite.
    pub weight: f64,
    /// The sub-score's best value (1, or 0 for a part that is only ever a penalty).
    pub best: f64,
}

/// One run's score and sub-scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunScore {
    pub score: f64,
    /// In the order of [`Researchable::PARTS`].
    pub parts: Vec<f64>,
}

/// A model the research engine can work on.
pub trait Researchable: 'static {
    type Params: ParamModel;
    /// The model's name in the page and the CLI (`"crowdtrain"`).
    const NAME: &'static str;
    /// The research view's tab in links (`"crowdtrain-research"`).
    const RESEARCH_TAB: &'static str;
    /// The research link's parameters: [`SETTINGS_SPECS`], then the model's own.
    fn research_specs() -> &'static [crate::params::ParamSpec];
    /// The worker command that evaluates runs `first … first + count − 1` of `p`.
    fn command(p: &Self::Params, first: u32, count: u32) -> crate::protocol::Command;
    /// The composite score's parts.
    const PARTS: &'static [Part];
    /// The parameters the research changes, with their search ranges.
    fn space() -> &'static [Dim<Self::Params>];
    /// The model's hypotheses and tensions, in the order they are tried.
    fn hypotheses() -> &'static [Hypothesis];
    /// Dimensions a research leaves alone unless asked (assumptions about people, say).
    const DEFAULT_FIXED: &'static [&'static str] = &[];
    /// Runs of the Monte Carlo of `p` (an experiment's evaluation).
    fn runs(p: &Self::Params) -> u32;
    /// `p` with `runs` runs from base seed `seed` (the validation's design).
    fn with_runs(p: &Self::Params, seed: u64, runs: u32) -> Self::Params;
    /// The base seed of `p`'s Monte Carlo.
    fn seed(p: &Self::Params) -> u64;
    /// What `p`'s Monte Carlo (one experiment, or a task of `p`'s runs) costs, to be checked
    /// against the limits every run keeps before it starts.
    fn cost(p: &Self::Params) -> crate::cost::RunCost;
    /// The score of run `run` of `p`'s Monte Carlo: the same bits as the model's own Monte Carlo.
    fn evaluate(p: &Self::Params, run: u32) -> RunScore;
}

/// A research run's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Experiments, the baseline included.
    pub budget: u32,
    /// The research's own seed (its proposals); the model's runs use the design's own seeds.
    pub seed: u64,
    /// Dimensions the search leaves as they are (names of [`Researchable::space`]).
    pub fixed: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            budget: 500,
            seed: 1,
            fixed: Vec::new(),
        }
    }
}

impl Settings {
    /// Checks the settings for model `M`: a message naming what is wrong.
    pub fn check<M: Researchable>(&self) -> Result<(), String> {
        if !(1..=MAX_BUDGET).contains(&self.budget) {
            return Err(format!(
                "budget: {} experiments; allowed 1 to {MAX_BUDGET}",
                self.budget
            ));
        }
        let names: Vec<&str> = M::space().iter().map(|d| d.name).collect();
        if let Some(bad) = self.fixed.iter().find(|f| !names.contains(&f.as_str())) {
            return Err(format!(
                "fixed: '{bad}' is not a parameter the research changes; those are {}",
                names.join(", ")
            ));
        }
        if names.iter().all(|n| self.fixed.iter().any(|f| f == n)) {
            return Err("fixed: every parameter is fixed; leave at least one to search".into());
        }
        Ok(())
    }
}

/// Mean score and sub-scores of a design over its runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub score: f64,
    /// Population standard deviation of the runs' scores.
    pub std: f64,
    pub parts: Vec<f64>,
    pub runs: u32,
}

impl Outcome {
    /// The mean of runs' scores, in run order (the same sums as the model's Monte Carlo).
    pub fn of(runs: &[RunScore]) -> Outcome {
        let scores: Vec<f64> = runs.iter().map(|r| r.score).collect();
        let (score, std) = mean_std(&scores);
        let k = runs.first().map_or(0, |r| r.parts.len());
        let parts = (0..k)
            .map(|i| {
                let xs: Vec<f64> = runs.iter().map(|r| r.parts[i]).collect();
                mean_std(&xs).0
            })
            .collect();
        Outcome {
            score,
            std,
            parts,
            runs: runs.len() as u32,
        }
    }
}

/// What kind of experiment it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Baseline,
    /// A hypothesis aimed at a sub-score.
    Hypothesis,
    /// One of the model's tensions.
    Tension,
    /// The evolution strategy's step around the best.
    FineTune,
    /// A parameter at its range's end.
    Extreme,
    /// A far jump, when the search is stuck.
    Radical,
}

/// One parameter's change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Index into [`Researchable::space`].
    pub dim: usize,
    pub name: String,
    pub from: f64,
    pub to: f64,
}

/// One experiment, as logged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// 1 for the baseline.
    pub number: u32,
    pub kind: Kind,
    pub changes: Vec<Change>,
    /// Why, in words ("retention is the weakest sub-score (0.54); staking halves …").
    pub why: String,
    pub outcome: Outcome,
    pub kept: bool,
    /// The best score it was compared with (none for the baseline).
    pub parent: Option<f64>,
    /// It improved on `parent`, but this experiment of the same batch did better and was kept.
    pub outdone_by: Option<u32>,
    /// The best score after this experiment was decided.
    pub best: f64,
    /// The link of the design it evaluated.
    pub fragment: String,
}

impl Experiment {
    /// What changed: "base_staking_apy 0.15 → 0.3, min_lockup_months 3 → 6".
    pub fn changed(&self) -> String {
        self.changes
            .iter()
            .map(|c| format!("{} {} → {}", c.name, shortest(c.from), shortest(c.to)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The note of `results.tsv`: what changed, why, and whether it was kept (with the change
    /// against the best it was compared with).
    pub fn note(&self) -> String {
        let mut note = String::new();
        if !self.changes.is_empty() {
            note.push_str(&self.changed());
            note.push_str(": ");
        }
        note.push_str(&self.why);
        if let Some(before) = self.parent {
            let d = self.outcome.score - before;
            // A change too small for four decimals still shows its sign and size.
            let delta = signed(d, if d != 0.0 && d.abs() < 5e-5 { 7 } else { 4 });
            match (self.kept, self.outdone_by) {
                (true, _) => note.push_str(&format!(" · kept ({delta})")),
                (false, Some(w)) => note.push_str(&format!(
                    " · discarded ({delta}: an improvement, but experiment {w} of the same batch did better)"
                )),
                (false, None) => note.push_str(&format!(" · discarded ({delta})")),
            }
        }
        // The TSV has one line per experiment and tab-separated columns.
        note.replace(['\t', '\n', '\r'], " ")
    }
}

/// `x` with its sign and `decimals` decimals: "+0.0123", "−0.0045".
pub fn signed(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    if x < 0.0 && !text.trim_start_matches(['0', '.']).is_empty() {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// What the engine is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Search,
    Validation,
    Sensitivity,
    Done,
}

/// Designs to evaluate: each over its own runs (`Researchable::runs`), every run's score given
/// back in order.
pub struct Job<P> {
    pub stage: Stage,
    pub designs: Vec<P>,
}

/// A proposed experiment, waiting for its evaluation.
struct Proposal<P> {
    params: P,
    kind: Kind,
    changes: Vec<Change>,
    why: String,
}

/// The best design so far.
struct Best<P> {
    params: P,
    outcome: Outcome,
    /// The experiment that found it.
    number: u32,
}

/// A research run: ask it for [`Job`]s, [`tell`](Research::tell) it their results.
pub struct Research<M: Researchable> {
    settings: Settings,
    start: M::Params,
    rng: Rng,
    log: Vec<Experiment>,
    best: Option<Best<M::Params>>,
    baseline: Option<Outcome>,
    strategy: strategy::State,
    pending: Vec<Proposal<M::Params>>,
    stage: Stage,
    /// The search was stopped before its budget.
    stopped: bool,
    validation: Option<Outcome>,
    /// The best design with its assumptions about people put back as in the start design (its
    /// own seeds and runs), when the best design changed any: how much of the gain is theirs.
    assumptions_reset: Option<Outcome>,
    sensitivity: Vec<Sensitivity>,
    /// The designs of the sensitivity job, per dimension: (low value, high value).
    probes: Vec<(usize, f64, f64)>,
}

impl<M: Researchable> Research<M> {
    /// A research run from `start` (passed through the link's rules, so every logged link gives
    /// back exactly the design that was evaluated).
    pub fn new(start: &M::Params, settings: Settings) -> Self {
        let start = canonical::<M>(start);
        Research {
            rng: rng::stream(settings.seed, 0),
            strategy: strategy::State::new::<M>(&settings.fixed),
            settings: Settings {
                budget: settings.budget.clamp(1, MAX_BUDGET),
                ..settings
            },
            start,
            log: Vec::new(),
            best: None,
            baseline: None,
            pending: Vec::new(),
            stage: Stage::Search,
            stopped: false,
            validation: None,
            assumptions_reset: None,
            sensitivity: Vec::new(),
            probes: Vec::new(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Every experiment so far, in order.
    pub fn experiments(&self) -> &[Experiment] {
        &self.log
    }

    pub fn baseline(&self) -> Option<&Outcome> {
        self.baseline.as_ref()
    }

    /// The best design so far, its outcome and the experiment that found it.
    pub fn best(&self) -> Option<(&M::Params, &Outcome, u32)> {
        self.best
            .as_ref()
            .map(|b| (&b.params, &b.outcome, b.number))
    }

    pub fn validation(&self) -> Option<&Outcome> {
        self.validation.as_ref()
    }

    pub fn sensitivity(&self) -> &[Sensitivity] {
        &self.sensitivity
    }

    /// The best design re-scored with its assumptions about people as in the start design
    /// (`None` when it changed none, or before the validation).
    pub fn assumptions_reset(&self) -> Option<&Outcome> {
        self.assumptions_reset.as_ref()
    }

    /// `best` with every assumption about people put back as in the start design, if it
    /// changed any.
    fn with_assumptions_reset(&self, best: &M::Params) -> Option<M::Params> {
        let mut p = best.clone();
        let mut moved = false;
        for dim in M::space().iter().filter(|d| d.assumption) {
            let start = (dim.get)(&self.start);
            if (dim.get)(best) != start {
                (dim.set)(&mut p, start);
                moved = true;
            }
        }
        moved.then_some(p)
    }

    /// The next designs to evaluate (`None` once done). Asking again before telling gives the
    /// same job.
    pub fn job(&mut self) -> Option<Job<M::Params>> {
        loop {
            match self.stage {
                Stage::Done => return None,
                Stage::Search => {
                    if self.pending.is_empty() {
                        let left = self.settings.budget as usize - self.log.len();
                        if left == 0 || self.stopped {
                            self.stage = Stage::Validation;
                            continue;
                        }
                        self.pending = self.propose(left.min(BATCH));
                        if self.pending.is_empty() {
                            // Nothing left to change (every parameter fixed or at its end).
                            self.stage = Stage::Validation;
                            continue;
                        }
                    }
                    return Some(Job {
                        stage: Stage::Search,
                        designs: self.pending.iter().map(|p| p.params.clone()).collect(),
                    });
                }
                Stage::Validation => {
                    let Some(best) = &self.best else {
                        self.stage = Stage::Done;
                        continue;
                    };
                    let seed = M::seed(&best.params).saturating_add(VALIDATION_SEED_OFFSET);
                    let mut designs = vec![M::with_runs(&best.params, seed, VALIDATION_RUNS)];
                    designs.extend(self.with_assumptions_reset(&best.params));
                    return Some(Job {
                        stage: Stage::Validation,
                        designs,
                    });
                }
                Stage::Sensitivity => {
                    let Some(best) = &self.best else {
                        self.stage = Stage::Done;
                        continue;
                    };
                    if self.probes.is_empty() {
                        self.probes = sensitivity_probes::<M>(&best.params);
                    }
                    let designs = self
                        .probes
                        .iter()
                        .flat_map(|&(d, lo, hi)| {
                            let dim = &M::space()[d];
                            [lo, hi].map(|v| {
                                let mut p = best.params.clone();
                                (dim.set)(&mut p, v);
                                p
                            })
                        })
                        .collect();
                    return Some(Job {
                        stage: Stage::Sensitivity,
                        designs,
                    });
                }
            }
        }
    }

    /// The runs' scores of the last job's designs, in the job's order (each design's runs in run
    /// order). Results of a job that is no longer current (after [`Research::stop`]) are ignored.
    pub fn tell(&mut self, stage: Stage, results: Vec<Vec<RunScore>>) {
        if stage != self.stage {
            return;
        }
        match self.stage {
            Stage::Search => {
                let proposals = std::mem::take(&mut self.pending);
                self.decide_batch(proposals, results);
            }
            Stage::Validation => {
                self.validation = results.first().map(|r| Outcome::of(r));
                self.assumptions_reset = results.get(1).map(|r| Outcome::of(r));
                self.stage = Stage::Sensitivity;
            }
            Stage::Sensitivity => {
                let best = self.best.as_ref().map_or(0.0, |b| b.outcome.score);
                self.sensitivity = self
                    .probes
                    .iter()
                    .zip(results.chunks(2))
                    .map(|(&(d, lo, hi), pair)| {
                        let score = |i: usize| pair.get(i).map_or(best, |r| Outcome::of(r).score);
                        let dim = &M::space()[d];
                        let at = self
                            .best
                            .as_ref()
                            .map_or(f64::NAN, |b| (dim.get)(&b.params));
                        Sensitivity {
                            name: dim.name.to_string(),
                            value: at,
                            low_value: lo,
                            high_value: hi,
                            low_score: score(0),
                            high_score: score(1),
                            best_score: best,
                        }
                    })
                    .collect();
                report::sort_sensitivity(&mut self.sensitivity);
                self.stage = Stage::Done;
            }
            Stage::Done => {}
        }
    }

    /// Ends the search now (the batch being evaluated is dropped); validation and sensitivity
    /// follow. Experiments already decided stay: a stopped run is a prefix of the full one.
    pub fn stop(&mut self) {
        if self.stage == Stage::Search {
            self.pending.clear();
            self.stopped = true;
            self.stage = Stage::Validation;
        }
    }

    /// Skips the analysis after the search (validation and sensitivity).
    pub fn finish_now(&mut self) {
        self.stop();
        self.stage = Stage::Done;
    }

    /// Whether the search was stopped before its budget.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// The run's report so far.
    pub fn report(&self) -> Report {
        report::report::<M>(self)
    }

    /// `results.tsv`: the seed's header, then one line per experiment.
    pub fn tsv(&self) -> String {
        report::tsv::<M>(&self.log)
    }

    fn propose(&mut self, n: usize) -> Vec<Proposal<M::Params>> {
        let Some(best) = &self.best else {
            return vec![Proposal {
                params: self.start.clone(),
                kind: Kind::Baseline,
                changes: Vec::new(),
                why: String::new(),
            }];
        };
        strategy::propose::<M>(
            &mut self.strategy,
            &mut self.rng,
            &best.params,
            &best.outcome,
            self.log.len(),
            n,
        )
        .into_iter()
        .map(|(kind, changes, why)| {
            let mut params = best.params.clone();
            for c in &changes {
                (M::space()[c.dim].set)(&mut params, c.to);
            }
            Proposal {
                params: canonical::<M>(&params),
                kind,
                changes,
                why,
            }
        })
        .collect()
    }

    /// Decides a batch in order by the (1+λ) rule: of the designs that beat the best, the best
    /// one (the first of equals) is kept; the others are discarded, improvements or not.
    fn decide_batch(&mut self, proposals: Vec<Proposal<M::Params>>, results: Vec<Vec<RunScore>>) {
        let outcomes: Vec<Outcome> = results.iter().map(|r| Outcome::of(r)).collect();
        let parent = self.best.as_ref().map(|b| b.outcome.score);
        let mut winner: Option<(usize, f64)> = None;
        for (i, o) in outcomes.iter().enumerate() {
            let beats = parent.is_none_or(|b| o.score > b);
            if beats && winner.is_none_or(|(_, s)| o.score > s) {
                winner = Some((i, o.score));
            }
        }
        let first = self.log.len() as u32 + 1;
        let winner_number = winner.map(|(w, _)| first + w as u32);
        for (i, (proposal, outcome)) in proposals.into_iter().zip(outcomes).enumerate() {
            let kept = winner.is_some_and(|(w, _)| w == i);
            self.decide(proposal, outcome, parent, kept, winner_number);
        }
    }

    fn decide(
        &mut self,
        proposal: Proposal<M::Params>,
        outcome: Outcome,
        parent: Option<f64>,
        kept: bool,
        winner: Option<u32>,
    ) {
        let number = self.log.len() as u32 + 1;
        let improved = parent.is_none_or(|b| outcome.score > b);
        let why = if proposal.kind == Kind::Baseline {
            let (i, shortfall) = weakest::<M>(&outcome);
            format!(
                "baseline; the weakest sub-score is {} ({:.2}, costing {:.3} of the score)",
                part_word::<M>(i),
                outcome.parts[i],
                shortfall
            )
        } else {
            proposal.why
        };
        if proposal.kind == Kind::Baseline {
            self.baseline = Some(outcome.clone());
        } else {
            let gain = parent.map_or(0.0, |b| outcome.score - b);
            self.strategy
                .learn(proposal.kind, &proposal.changes, improved, kept, gain);
        }
        if kept {
            self.best = Some(Best {
                params: proposal.params.clone(),
                outcome: outcome.clone(),
                number,
            });
        }
        let best = self
            .best
            .as_ref()
            .map_or(outcome.score, |b| b.outcome.score);
        self.log.push(Experiment {
            number,
            kind: proposal.kind,
            changes: proposal.changes,
            why,
            fragment: encode(&proposal.params),
            outcome,
            kept,
            parent,
            outdone_by: (improved && !kept).then_some(winner).flatten(),
            best,
        });
    }
}

/// `p` as its link reads back: the design a logged link reproduces exactly.
fn canonical<M: Researchable>(p: &M::Params) -> M::Params {
    decode::<M::Params>(&encode(p)).model
}

/// The sub-score that costs the composite most, `weight × (best − sub-score)`, and that cost.
pub fn weakest<M: Researchable>(o: &Outcome) -> (usize, f64) {
    M::PARTS
        .iter()
        .zip(&o.parts)
        .map(|(p, s)| p.weight * (p.best - s))
        .enumerate()
        .fold(
            (0, f64::MIN),
            |acc, (i, c)| if c > acc.1 { (i, c) } else { acc },
        )
}

/// Sub-score `i` as notes and summaries say it: its label in lower case ("price stability").
pub fn part_word<M: Researchable>(i: usize) -> String {
    M::PARTS
        .get(i)
        .map_or("?".into(), |p| p.label.to_lowercase())
}

/// For each dimension, the values SENSITIVITY_STEP of its range below and above the best's.
fn sensitivity_probes<M: Researchable>(best: &M::Params) -> Vec<(usize, f64, f64)> {
    M::space()
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            let u = dim.to_unit((dim.get)(best)).clamp(0.0, 1.0);
            (
                d,
                dim.from_unit(u - SENSITIVITY_STEP),
                dim.from_unit(u + SENSITIVITY_STEP),
            )
        })
        .collect()
}

/// Evaluates a job on this thread: every design's runs in order.
pub fn evaluate_here<M: Researchable>(designs: &[M::Params]) -> Vec<Vec<RunScore>> {
    designs
        .iter()
        .map(|p| (0..M::runs(p)).map(|r| M::evaluate(p, r)).collect())
        .collect()
}

/// A job split into tasks of whole runs — (design, first run, runs) — so that `workers` workers
/// share it evenly; any split gives the same results once the tasks' scores are put back in
/// order ([`assemble`]).
pub fn tasks<P>(job: &Job<P>, runs: impl Fn(&P) -> u32, workers: usize) -> Vec<Task> {
    let runs: Vec<u32> = job.designs.iter().map(runs).collect();
    split_runs(&runs, workers)
}

/// Items (designs, stress scenarios) of `runs[i]` runs each, split into tasks of whole runs so
/// that `workers` workers share them evenly: every worker about two tasks, none shorter than a
/// few runs.
pub fn split_runs(runs: &[u32], workers: usize) -> Vec<Task> {
    let items = runs.len().max(1);
    let per_item = (2 * workers).div_ceil(items).max(1);
    let mut out = Vec::new();
    for (item, &n) in runs.iter().enumerate() {
        let chunks = (per_item as u32).min(n.div_ceil(4)).max(1);
        let size = n.div_ceil(chunks);
        let mut first = 0;
        while first < n {
            let count = size.min(n - first);
            out.push(Task { item, first, count });
            first += count;
        }
    }
    out
}

/// Part of a job: runs `first … first + count − 1` of item `item` (a design, a scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub item: usize,
    pub first: u32,
    pub count: u32,
}

/// Puts tasks' results back together (each item's runs in run order), whatever order they
/// finished in.
pub fn assemble<T>(items: usize, done: Vec<(Task, Vec<T>)>) -> Vec<Vec<T>> {
    let mut sorted = done;
    sorted.sort_by_key(|(t, _)| (t.item, t.first));
    let mut out: Vec<Vec<T>> = (0..items).map(|_| Vec::new()).collect();
    for (t, results) in sorted {
        if let Some(slot) = out.get_mut(t.item) {
            slot.extend(results);
        }
    }
    out
}
