//! How the research proposes experiments: the seed's phases over an evolution strategy.
//!
//! * **Core economics** (after the baseline): the model's hypotheses, first those aimed at the
//!   weakest sub-score, then its tensions, then the other sub-scores' — each tried once, with a
//!   bold step in the hypothesis's direction.
//! * **Fine-tuning**: a (1+λ) evolution strategy in random subspaces. Each proposal moves one to
//!   three parameters from the best design by a normal step of the parameter's own step size (a
//!   share of its range, on the range's scale). Step sizes follow the 1/5th success rule per
//!   parameter: ×1.5 when a change is kept, ×1.5^(−1/4) when discarded, so they settle where
//!   about one change in five succeeds — big steps while big steps pay, fine ones near a peak.
//!   Which parameters move is drawn with weights that favour those whose changes were kept
//!   before and those aimed at the weakest sub-score. Every batch also retries a hypothesis for
//!   the weakest sub-score and, in turn, explores a tension both ways and probes one parameter at
//!   its range's end ("test extreme values to understand boundaries").
//! * **Radical jump**: after three batches without a kept change, a whole batch re-draws three
//!   parameters anywhere in their ranges, to escape a local maximum.

use super::{part_word, Aim, Change, Kind, Outcome, Researchable, BATCH};
use crate::format::shortest;
use crate::rng::{self, Normal, Rng};

const SIGMA_START: f64 = 0.15;
const SIGMA_MIN: f64 = 0.01;
const SIGMA_MAX: f64 = 0.5;
const GROW: f64 = 1.5;
/// Experiments without a kept change before a radical jump.
const STUCK_AFTER: usize = 3 * BATCH;

/// What the strategy has learned so far.
pub struct State {
    /// Whether the search may change each dimension.
    free: Vec<bool>,
    /// Step size per dimension, as a share of its range.
    sigma: Vec<f64>,
    /// Score gained by kept changes of each dimension.
    credit: Vec<f64>,
    /// The direction of each dimension's last kept change (0: none yet).
    last_sign: Vec<f64>,
    /// Probes at the ranges' ends, per dimension.
    extremes: Vec<u32>,
    /// Times each hypothesis was tried.
    tried: Vec<u32>,
    since_keep: usize,
    since_radical: usize,
    batches: usize,
}

impl State {
    /// The strategy's start; `fixed` names dimensions it leaves alone.
    pub fn new<M: Researchable>(fixed: &[String]) -> Self {
        let d = M::space().len();
        State {
            free: M::space()
                .iter()
                .map(|dim| !fixed.iter().any(|f| f == dim.name))
                .collect(),
            sigma: vec![SIGMA_START; d],
            credit: vec![0.0; d],
            last_sign: vec![0.0; d],
            extremes: vec![0; d],
            tried: vec![0; M::hypotheses().len()],
            since_keep: 0,
            since_radical: 0,
            batches: 0,
        }
    }

    /// Learns from a decided experiment: whether it `improved` on the design it changed, whether
    /// it was `kept`, and its `gain`. Step sizes follow the 1/5th success rule (success: an
    /// improvement).
    pub fn learn(&mut self, kind: Kind, changes: &[Change], improved: bool, kept: bool, gain: f64) {
        self.since_keep = if kept { 0 } else { self.since_keep + 1 };
        self.since_radical += 1;
        let adapt = matches!(kind, Kind::Hypothesis | Kind::Tension | Kind::FineTune);
        for c in changes {
            let d = c.dim;
            if improved {
                self.credit[d] += gain / changes.len() as f64;
                self.last_sign[d] = if c.to > c.from { 1.0 } else { -1.0 };
            }
            if adapt {
                let f = if improved {
                    GROW
                } else {
                    libm::pow(GROW, -0.25)
                };
                self.sigma[d] = (self.sigma[d] * f).clamp(SIGMA_MIN, SIGMA_MAX);
            }
        }
    }
}

/// A proposal: its kind, its changes and why.
pub type Proposed = (Kind, Vec<Change>, String);

/// `n` proposals from the best design.
pub fn propose<M: Researchable>(
    st: &mut State,
    rng: &mut Rng,
    best: &M::Params,
    outcome: &Outcome,
    experiments: usize,
    n: usize,
) -> Vec<Proposed> {
    st.batches += 1;
    let mut out: Vec<Proposed> = Vec::with_capacity(n);
    let (weak, _) = super::weakest::<M>(outcome);

    if st.since_keep >= STUCK_AFTER && st.since_radical >= STUCK_AFTER {
        st.since_radical = 0;
        for _ in 0..20 * n {
            if out.len() >= n {
                break;
            }
            if let Some(p) = radical::<M>(st, rng, best) {
                out.push(p);
            }
        }
        return out;
    }

    // Core economics: untried hypotheses, weakest sub-score first, then tensions, then the rest
    // by what their sub-score costs.
    let order = hypothesis_order::<M>(outcome, weak);
    let core = experiments < 60 && order.iter().any(|&h| st.tried[h] == 0);
    if core {
        for &h in &order {
            if out.len() >= n {
                break;
            }
            if st.tried[h] > 0 {
                continue;
            }
            st.tried[h] += 1;
            if let Some(p) = hypothesis::<M>(st, rng, best, outcome, weak, h, 1.0) {
                out.push(p);
            }
        }
    } else {
        // A hypothesis for the weakest sub-score, the least tried first.
        let aimed = order
            .iter()
            .copied()
            .filter(|&h| M::hypotheses()[h].aim == Aim::Part(weak))
            .min_by_key(|&h| st.tried[h]);
        if let Some(h) = aimed {
            st.tried[h] += 1;
            out.extend(hypothesis::<M>(st, rng, best, outcome, weak, h, 1.0));
        }
        // Every other batch, a tension, either way.
        if st.batches % 2 == 0 {
            let tensions: Vec<usize> = (0..M::hypotheses().len())
                .filter(|&h| matches!(M::hypotheses()[h].aim, Aim::Tension(_)))
                .collect();
            if !tensions.is_empty() {
                let h = tensions[pick(rng, tensions.len())];
                let sign = if rng::uniform(rng) < 0.5 { 1.0 } else { -1.0 };
                st.tried[h] += 1;
                out.extend(hypothesis::<M>(st, rng, best, outcome, weak, h, sign));
            }
        }
        // Every fourth batch, a parameter at its range's end.
        if st.batches % 4 == 0 {
            out.extend(extreme::<M>(st, rng, best));
        }
    }
    let mut tries = 0;
    while out.len() < n && tries < 20 * n {
        tries += 1;
        if let Some(p) = fine_tune::<M>(st, rng, best, weak) {
            if !out.iter().any(|q| same_changes(&q.1, &p.1)) {
                out.push(p);
            }
        }
    }
    out.truncate(n);
    out
}

/// Whether two proposals change the same parameters to the same values (one would be wasted).
fn same_changes(a: &[Change], b: &[Change]) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|c| b.iter().any(|d| d.dim == c.dim && d.to == c.to))
}

/// Hypotheses in the order the core-economics phase tries them.
fn hypothesis_order<M: Researchable>(outcome: &Outcome, weak: usize) -> Vec<usize> {
    let cost = |aim: &Aim| match aim {
        Aim::Part(i) if *i == weak => 3.0,
        Aim::Tension(_) => 2.0,
        Aim::Part(i) => {
            let part = &M::PARTS[*i];
            1.0 + part.weight * (part.best - outcome.parts.get(*i).copied().unwrap_or(0.0))
        }
    };
    let mut order: Vec<usize> = (0..M::hypotheses().len()).collect();
    // Stable: the model's own order within a group.
    order.sort_by(|&a, &b| cost(&M::hypotheses()[b].aim).total_cmp(&cost(&M::hypotheses()[a].aim)));
    order
}

/// The free dimension called `name`.
fn dim_index<M: Researchable>(st: &State, name: &str) -> Option<usize> {
    M::space()
        .iter()
        .position(|d| d.name == name)
        .filter(|&d| st.free[d])
}

/// Moves dimension `d` of `best` by about `sigma` of its range in direction `sign` (random when
/// 0): a normal step, or with `bold` at least half of `sigma`; `None` if it cannot move that way.
fn step<M: Researchable>(
    rng: &mut Rng,
    best: &M::Params,
    d: usize,
    sign: f64,
    sigma: f64,
    bold: bool,
) -> Option<Change> {
    let dim = &M::space()[d];
    let from = (dim.get)(best);
    let u = dim.to_unit(from).clamp(0.0, 1.0);
    let normal = Normal::new();
    for attempt in 0..4 {
        let s = if sign != 0.0 {
            sign
        } else if rng::uniform(rng) < 0.5 {
            1.0
        } else {
            -1.0
        };
        let z = normal.standard(rng).abs();
        let size = if bold { (0.5 + z) * sigma } else { z * sigma } + 0.01 * f64::from(attempt);
        let to = dim.from_unit(u + s * size);
        if to != from {
            return Some(Change {
                dim: d,
                name: dim.name.to_string(),
                from,
                to,
            });
        }
    }
    None
}

fn hypothesis<M: Researchable>(
    st: &State,
    rng: &mut Rng,
    best: &M::Params,
    outcome: &Outcome,
    weak: usize,
    h: usize,
    sign: f64,
) -> Option<Proposed> {
    let hyp = &M::hypotheses()[h];
    let mut changes = Vec::new();
    for (name, dir) in hyp.moves {
        let Some(d) = dim_index::<M>(st, name) else {
            continue;
        };
        // A bold step: at least the starting step size.
        let sigma = st.sigma[d].max(SIGMA_START);
        if let Some(c) = step::<M>(rng, best, d, dir.sign() * sign, sigma, true) {
            changes.push(c);
        }
    }
    if changes.is_empty() {
        return None;
    }
    let why = match hyp.aim {
        Aim::Part(i) => {
            let part = part_word::<M>(i);
            let value = outcome.parts.get(i).copied().unwrap_or(0.0);
            if i == weak {
                format!("{part} is the weakest sub-score ({value:.2}); {}", hyp.why)
            } else {
                format!("to raise {part} ({value:.2}): {}", hyp.why)
            }
        }
        Aim::Tension(name) if sign < 0.0 => {
            format!("tension {name}, tried the other way round: {}", hyp.why)
        }
        Aim::Tension(name) => format!("tension {name}: {}", hyp.why),
    };
    let kind = match hyp.aim {
        Aim::Part(_) => Kind::Hypothesis,
        Aim::Tension(_) => Kind::Tension,
    };
    Some((kind, changes, why))
}

/// One to three dimensions, weighted to favour past successes and the weakest sub-score.
fn fine_tune<M: Researchable>(
    st: &State,
    rng: &mut Rng,
    best: &M::Params,
    weak: usize,
) -> Option<Proposed> {
    let space = M::space();
    let top = st.credit.iter().cloned().fold(0.0, f64::max);
    let aimed: Vec<bool> = space
        .iter()
        .map(|dim| {
            M::hypotheses()
                .iter()
                .any(|h| h.aim == Aim::Part(weak) && h.moves.iter().any(|(n, _)| *n == dim.name))
        })
        .collect();
    let mut weights: Vec<f64> = (0..space.len())
        .map(|d| {
            let learned = if top > 0.0 {
                4.0 * st.credit[d] / top
            } else {
                0.0
            };
            let w = 1.0 + learned + if aimed[d] { 1.0 } else { 0.0 };
            if st.free[d] {
                w
            } else {
                0.0
            }
        })
        .collect();
    let k = match rng::uniform(rng) {
        u if u < 0.4 => 1,
        u if u < 0.75 => 2,
        _ => 3,
    };
    let mut changes = Vec::new();
    let free = st.free.iter().filter(|f| **f).count();
    for _ in 0..k.min(free) {
        let d = weighted(rng, &weights);
        weights[d] = 0.0;
        // Mostly the way that worked before.
        let sign = match st.last_sign[d] {
            s if s != 0.0 && rng::uniform(rng) < 0.65 => s,
            _ => 0.0,
        };
        if let Some(c) = step::<M>(rng, best, d, sign, st.sigma[d], false) {
            changes.push(c);
        }
    }
    if changes.is_empty() {
        return None;
    }
    let steps = changes
        .iter()
        .map(|c| format!("{:.2}", st.sigma[c.dim]))
        .collect::<Vec<_>>()
        .join(", ");
    let why = format!(
        "fine-tuning around the best design (step sizes {steps} of the ranges; {} is the weakest sub-score)",
        part_word::<M>(weak)
    );
    Some((Kind::FineTune, changes, why))
}

/// One dimension at its range's end: the one probed least, the end farther from its value.
fn extreme<M: Researchable>(st: &mut State, rng: &mut Rng, best: &M::Params) -> Option<Proposed> {
    let space = M::space();
    let fewest = (0..space.len())
        .filter(|&d| st.free[d])
        .map(|d| st.extremes[d])
        .min()?;
    let candidates: Vec<usize> = (0..space.len())
        .filter(|&d| st.free[d] && st.extremes[d] == fewest)
        .collect();
    let d = candidates[pick(rng, candidates.len())];
    st.extremes[d] += 1;
    let dim = &space[d];
    let from = (dim.get)(best);
    let u = dim.to_unit(from);
    let (end, to) = if u < 0.5 {
        ("top", dim.from_unit(1.0))
    } else {
        ("bottom", dim.from_unit(0.0))
    };
    if to == from {
        return None;
    }
    let why = format!(
        "the {end} of the range ({} to {}), to find where the boundary lies",
        shortest(dim.lo),
        shortest(dim.hi)
    );
    Some((
        Kind::Extreme,
        vec![Change {
            dim: d,
            name: dim.name.to_string(),
            from,
            to,
        }],
        why,
    ))
}

/// Three dimensions re-drawn anywhere in their ranges.
fn radical<M: Researchable>(st: &State, rng: &mut Rng, best: &M::Params) -> Option<Proposed> {
    let space = M::space();
    let mut weights: Vec<f64> = st.free.iter().map(|f| f64::from(u8::from(*f))).collect();
    let free = st.free.iter().filter(|f| **f).count();
    let mut changes = Vec::new();
    for _ in 0..3.min(free) {
        let d = weighted(rng, &weights);
        weights[d] = 0.0;
        let dim = &space[d];
        let from = (dim.get)(best);
        let to = dim.from_unit(rng::uniform(rng));
        if to != from {
            changes.push(Change {
                dim: d,
                name: dim.name.to_string(),
                from,
                to,
            });
        }
    }
    if changes.is_empty() {
        return None;
    }
    let why = format!(
        "radical jump: no kept change in the last {} experiments, so three parameters anywhere in their ranges, to escape a local maximum",
        st.since_keep
    );
    Some((Kind::Radical, changes, why))
}

/// A uniform index below `n` (n > 0).
fn pick(rng: &mut Rng, n: usize) -> usize {
    ((rng::uniform(rng) * n as f64) as usize).min(n - 1)
}

/// An index drawn with probability proportional to `weights` (not all 0).
fn weighted(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng::uniform(rng) * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}
