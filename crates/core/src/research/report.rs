//! A research run's report: numbers, the kept history, the sensitivity (tornado) and the written
//! summary of what the run learned about the parameter landscape; and `results.tsv`.

use super::{
    part_word, signed, weakest, Experiment, Kind, Outcome, Research, Researchable, Settings, Stage,
    SENSITIVITY_STEP, VALIDATION_RUNS,
};
use crate::codec::encode;
use crate::format::shortest;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The score around the best design with one parameter moved down and up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    pub name: String,
    /// The best design's value.
    pub value: f64,
    pub low_value: f64,
    pub high_value: f64,
    pub low_score: f64,
    pub high_score: f64,
    pub best_score: f64,
}

impl Sensitivity {
    /// How far the score moves either way: the bar's length.
    pub fn swing(&self) -> f64 {
        (self.low_score - self.best_score)
            .abs()
            .max((self.high_score - self.best_score).abs())
    }
}

/// Largest swing first (ties by name, so the order is fixed).
pub fn sort_sensitivity(s: &mut [Sensitivity]) {
    s.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then_with(|| a.name.cmp(&b.name))
    });
}

/// A kept experiment, for the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub experiment: u32,
    pub score: f64,
    pub changed: String,
    pub why: String,
    /// The link of the design.
    pub fragment: String,
}

/// A research run's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub model: String,
    pub settings: Settings,
    pub stage: Stage,
    /// The search was stopped before its budget.
    pub stopped: bool,
    pub experiments: u32,
    pub kept: u32,
    /// The sub-scores' labels ("Price stability"), in the order of every `parts` list.
    pub parts: Vec<String>,
    pub baseline_score: Option<f64>,
    pub baseline: Option<Outcome>,
    pub best_score: Option<f64>,
    pub best: Option<Outcome>,
    pub best_experiment: Option<u32>,
    /// The best design's link: `flywheel <model> --params '<best_params>'` gives `best_score`.
    pub best_params: Option<String>,
    /// The best design on [`VALIDATION_RUNS`] fresh seeds.
    pub validation_score: Option<f64>,
    pub validation: Option<Outcome>,
    /// The best design's score with its assumptions about people put back as in the start
    /// design (same seeds and runs as the search), when it changed any: the gain that is theirs
    /// is `best_score` minus this.
    pub assumptions_reset_score: Option<f64>,
    pub history: Vec<Kept>,
    /// Largest swing first.
    pub sensitivity: Vec<Sensitivity>,
    pub summary: String,
}

pub(super) fn report<M: Researchable>(r: &Research<M>) -> Report {
    let log = r.experiments();
    let best = r.best();
    Report {
        model: M::NAME.to_string(),
        settings: r.settings().clone(),
        stage: r.stage(),
        stopped: r.stopped(),
        experiments: log.len() as u32,
        kept: log
            .iter()
            .filter(|e| e.kept && e.kind != Kind::Baseline)
            .count() as u32,
        parts: M::PARTS.iter().map(|p| p.label.to_string()).collect(),
        baseline_score: r.baseline().map(|o| o.score),
        baseline: r.baseline().cloned(),
        best_score: best.map(|b| b.1.score),
        best: best.map(|b| b.1.clone()),
        best_experiment: best.map(|b| b.2),
        best_params: best.map(|b| encode(b.0)),
        validation_score: r.validation().map(|o| o.score),
        validation: r.validation().cloned(),
        assumptions_reset_score: r.assumptions_reset().map(|o| o.score),
        history: log
            .iter()
            .filter(|e| e.kept)
            .map(|e| Kept {
                experiment: e.number,
                score: e.outcome.score,
                changed: e.changed(),
                why: e.why.clone(),
                fragment: e.fragment.clone(),
            })
            .collect(),
        sensitivity: r.sensitivity().to_vec(),
        summary: summary::<M>(r),
    }
}

/// `results.tsv`: `experiment, score, <sub-scores>, notes`, tab-separated, one line per
/// experiment (the baseline first), numbers with six decimals.
pub fn tsv<M: Researchable>(log: &[Experiment]) -> String {
    let mut out = String::from("experiment\tscore");
    for p in M::PARTS {
        out.push('\t');
        out.push_str(p.name);
    }
    out.push_str("\tnotes\n");
    for e in log {
        let _ = write!(out, "{}\t{:.6}", e.number, e.outcome.score);
        for x in &e.outcome.parts {
            let _ = write!(out, "\t{x:.6}");
        }
        out.push('\t');
        out.push_str(&e.note());
        out.push('\n');
    }
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Baseline => "baseline",
        Kind::Hypothesis => "hypotheses",
        Kind::Tension => "tensions",
        Kind::FineTune => "fine-tuning steps",
        Kind::Extreme => "probes at a range's end",
        Kind::Radical => "radical jumps",
    }
}

/// What the run learned, in words (empty before the baseline is in).
fn summary<M: Researchable>(r: &Research<M>) -> String {
    let log = r.experiments();
    let (Some(base), Some((best_params, best, found))) = (r.baseline(), r.best()) else {
        return String::new();
    };
    let mut s = String::new();
    let kept = log
        .iter()
        .filter(|e| e.kept && e.kind != Kind::Baseline)
        .count();
    let _ = write!(
        s,
        "{} experiments{}: the score went from {:.4} (baseline) to {:.4} ({}), found by experiment {}; {} of {} changes were kept.",
        log.len(),
        if r.stopped() { " (stopped before the budget)" } else { "" },
        base.score,
        best.score,
        signed(best.score - base.score, 4),
        found,
        kept,
        log.len().saturating_sub(1)
    );
    if let Some(v) = r.validation() {
        let drop = v.score - best.score;
        let verdict = if drop < -0.02 {
            "the best design is partly fitted to the search's seeds"
        } else {
            "little sign of over-fitting to the search's seeds"
        };
        let _ = write!(
            s,
            " On {} fresh seeds the best design scores {:.4} ± {:.4} ({} against the search's {} seeds: {verdict}).",
            VALIDATION_RUNS,
            v.score,
            v.std,
            signed(drop, 4),
            best.runs
        );
    }
    let parts: Vec<String> = M::PARTS
        .iter()
        .enumerate()
        .map(|(i, _)| {
            format!(
                "{} {:.2} → {:.2}",
                part_word::<M>(i),
                base.parts.get(i).copied().unwrap_or(0.0),
                best.parts.get(i).copied().unwrap_or(0.0)
            )
        })
        .collect();
    let (wb, _) = weakest::<M>(base);
    let (wn, _) = weakest::<M>(best);
    let weak_now = if wb == wn {
        format!("is still {}", part_word::<M>(wn))
    } else {
        format!(
            "was {}; now it is {}",
            part_word::<M>(wb),
            part_word::<M>(wn)
        )
    };
    let _ = write!(
        s,
        " Sub-scores, baseline → best: {}. The weakest sub-score {weak_now}.",
        parts.join(", ")
    );

    // Gains by parameter: each kept change's gain shared by the parameters it moved.
    let space = M::space();
    let mut gain = vec![0.0; space.len()];
    let mut times = vec![0u32; space.len()];
    for e in log {
        if let (true, Some(b)) = (e.kept, e.parent) {
            for c in &e.changes {
                gain[c.dim] += (e.outcome.score - b) / e.changes.len() as f64;
                times[c.dim] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..space.len()).filter(|&d| gain[d] > 0.0).collect();
    order.sort_by(|&a, &b| gain[b].total_cmp(&gain[a]).then(a.cmp(&b)));
    if !order.is_empty() {
        let items: Vec<String> = order
            .iter()
            .take(4)
            .map(|&d| {
                let dim = &space[d];
                let from = (dim.get)(&r.start);
                format!(
                    "{} ({} in {} kept change{}, {} → {})",
                    dim.name,
                    signed(gain[d], 4),
                    times[d],
                    if times[d] == 1 { "" } else { "s" },
                    shortest(from),
                    shortest((dim.get)(best_params))
                )
            })
            .collect();
        let _ = write!(s, " The largest gains came from {}.", items.join(", "));
    }

    // What each kind of experiment achieved.
    let kinds = [
        Kind::Hypothesis,
        Kind::Tension,
        Kind::FineTune,
        Kind::Extreme,
        Kind::Radical,
    ];
    let tallies: Vec<String> = kinds
        .iter()
        .filter_map(|&k| {
            let all = log.iter().filter(|e| e.kind == k).count();
            let kept = log.iter().filter(|e| e.kind == k && e.kept).count();
            (all > 0).then(|| format!("{} {kept} of {all}", kind_name(k)))
        })
        .collect();
    if !tallies.is_empty() {
        let _ = write!(s, " Kept: {}.", tallies.join(", "));
    }

    // Best values at the end of their search range: the optimum may lie beyond it.
    let edges: Vec<String> = space
        .iter()
        .filter_map(|dim| {
            let v = (dim.get)(best_params);
            if v >= dim.hi {
                Some(format!("{} at the top ({})", dim.name, shortest(v)))
            } else if v <= dim.lo {
                Some(format!("{} at the bottom ({})", dim.name, shortest(v)))
            } else {
                None
            }
        })
        .collect();
    if !edges.is_empty() {
        let _ = write!(
            s,
            " At an end of its search range in the best design: {} (the optimum may lie beyond the range searched).",
            edges.join(", ")
        );
    }

    // Assumptions about people that the best design changed.
    let moved: Vec<String> = space
        .iter()
        .filter(|dim| dim.assumption && (dim.get)(best_params) != (dim.get)(&r.start))
        .map(|dim| {
            format!(
                "{} {} → {}",
                dim.name,
                shortest((dim.get)(&r.start)),
                shortest((dim.get)(best_params))
            )
        })
        .collect();
    if !moved.is_empty() {
        let _ = write!(
            s,
            " Note that the best design changes assumptions about how people behave, not levers of the design: {}.",
            moved.join(", ")
        );
        if let Some(reset) = r.assumptions_reset() {
            let gain = best.score - base.score;
            let theirs = best.score - reset.score;
            let share = if gain > 0.0 {
                format!(
                    " ({:.0}% of it)",
                    (theirs / gain * 100.0).clamp(-999.0, 999.0)
                )
            } else {
                String::new()
            };
            let _ = write!(
                s,
                " With them put back as in the start design, the best design scores {:.4}: {} of the {} gain{share} comes from assuming people behave differently, {} from the design's levers.",
                reset.score,
                signed(theirs, 4),
                signed(gain, 4),
                signed(gain - theirs, 4)
            );
        }
        s.push_str(" Hold the assumptions fixed to search the design alone.");
    }

    let sens = r.sensitivity();
    if let (Some(first), true) = (sens.first(), sens.len() > 1) {
        let top: Vec<String> = sens
            .iter()
            .take(3)
            .map(|x| {
                format!(
                    "{} ({:.4} at {} to {:.4} at {})",
                    x.name,
                    x.low_score,
                    shortest(x.low_value),
                    x.high_score,
                    shortest(x.high_value)
                )
            })
            .collect();
        let flat: Vec<&str> = sens
            .iter()
            .filter(|x| x.swing() < 0.001)
            .map(|x| x.name.as_str())
            .collect();
        let _ = write!(
            s,
            " Around the best design (each parameter moved {:.0}% of its search range either way, on the range's own scale: logarithmic for ranges that span decades), the score is most sensitive to {}",
            SENSITIVITY_STEP * 100.0,
            top.join(", ")
        );
        if flat.is_empty() {
            let _ = write!(s, "; least to {}.", sens.last().unwrap_or(first).name);
        } else {
            let _ = write!(s, "; it barely moves (< 0.001) with {}.", flat.join(", "));
        }
    }
    s
}
