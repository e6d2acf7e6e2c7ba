//! The Commons DAO as a research subject: its design levers with search ranges, hypotheses aimed
//! at the ten parts of the reference's score (§5), and the score as a composite from 0 to 1
//! (the 0–1000 score ÷ 1000).

use super::dao::DaoParams;
use super::montecarlo::run_one;
use crate::cost::RunCost;
use crate::params::{ParamModel, ParamSpec};
use crate::protocol::{Command, Subject};
use crate::research::{
    specs_with_settings, Aim, Dim, DimScale, Dir, Hypothesis, Part, Researchable, RunScore,
};
use std::sync::OnceLock;

/// The Commons DAO, for the research engine.
pub struct CommonsDao;

/// The levers of the design (the hatch, the curve, the tributes, vesting and voting), then the
/// assumptions about people (arrivals, investment, buying, speculation, sentiment), which a
/// research leaves alone unless asked.
#[rustfmt::skip]
static SPACE: [Dim<DaoParams>; 13] = [
    Dim { name: "hatch_tribute", lo: 0.0, hi: 0.9, scale: DimScale::Linear, integer: false, assumption: false, get: |p| p.hatch_tribute, set: |p, v| p.hatch_tribute = v },
    Dim { name: "hatch_price", lo: 0.01, hi: 1.0, scale: DimScale::Log, integer: false, assumption: false, get: |p| p.hatch_price, set: |p, v| p.hatch_price = v },
    Dim { name: "vesting_80p_days", lo: 10.0, hi: 730.0, scale: DimScale::Log, integer: true, assumption: false, get: |p| p.vesting_80p_days, set: |p, v| p.vesting_80p_days = v },
    Dim { name: "kappa", lo: 1.0, hi: 6.0, scale: DimScale::Linear, integer: false, assumption: false, get: |p| p.kappa, set: |p, v| p.kappa = v },
    Dim { name: "entry_tribute", lo: 0.0, hi: 0.5, scale: DimScale::Linear, integer: false, assumption: false, get: |p| p.entry_tribute, set: |p, v| p.entry_tribute = v },
    Dim { name: "exit_tribute", lo: 0.0, hi: 0.6, scale: DimScale::Linear, integer: false, assumption: false, get: |p| p.exit_tribute, set: |p, v| p.exit_tribute = v },
    Dim { name: "days_to_80p_of_max_voting_weight", lo: 1.0, hi: 90.0, scale: DimScale::Log, integer: false, assumption: false, get: |p| p.days_to_80p_of_max_voting_weight, set: |p, v| p.days_to_80p_of_max_voting_weight = v },
    Dim { name: "max_proposal_request", lo: 0.05, hi: 0.5, scale: DimScale::Linear, integer: false, assumption: false, get: |p| p.max_proposal_request, set: |p, v| p.max_proposal_request = v },
    Dim { name: "arrival_rate", lo: 0.2, hi: 5.0, scale: DimScale::Log, integer: false, assumption: true, get: |p| p.arrival_rate, set: |p, v| p.arrival_rate = v },
    Dim { name: "newcomer_investment_mean", lo: 10.0, hi: 10_000.0, scale: DimScale::Log, integer: false, assumption: true, get: |p| p.newcomer_investment_mean, set: |p, v| p.newcomer_investment_mean = v },
    Dim { name: "buy_scale", lo: 1000.0, hi: 1e6, scale: DimScale::Log, integer: false, assumption: true, get: |p| p.buy_scale, set: |p, v| p.buy_scale = v },
    Dim { name: "speculators", lo: 0.0, hi: 50.0, scale: DimScale::Linear, integer: true, assumption: true, get: |p| p.speculators, set: |p, v| p.speculators = v },
    Dim { name: "sentiment_decay", lo: 0.0, hi: 0.02, scale: DimScale::Linear, integer: false, assumption: true, get: |p| p.sentiment_decay, set: |p, v| p.sentiment_decay = v },
];

const FINAL_PRICE: usize = 0;
const PRICE_STABILITY: usize = 1;
const PROPOSALS_FUNDED: usize = 2;
const FUNDS_SPENT: usize = 3;
const FUNDING_POOL: usize = 4;
const FINAL_SENTIMENT: usize = 5;
const MEAN_SENTIMENT: usize = 6;
const MIN_SENTIMENT: usize = 7;
const COMPLETION: usize = 8;

use Dir::{Down, Up};

#[rustfmt::skip]
static HYPOTHESES: [Hypothesis; 17] = [
    Hypothesis { aim: Aim::Part(FINAL_PRICE), moves: &[("kappa", Up)], why: "a steeper curve lifts the price as the reserve grows" },
    Hypothesis { aim: Aim::Part(FINAL_PRICE), moves: &[("hatch_tribute", Down)], why: "more of the raise backs the curve, and the price is κ × reserve ÷ supply" },
    Hypothesis { aim: Aim::Part(PRICE_STABILITY), moves: &[("vesting_80p_days", Up)], why: "hatchers cannot sell early, so the price does not sag after the hatch" },
    Hypothesis { aim: Aim::Part(PRICE_STABILITY), moves: &[("exit_tribute", Up)], why: "a dearer exit keeps members in and damps selling" },
    Hypothesis { aim: Aim::Part(PROPOSALS_FUNDED), moves: &[("days_to_80p_of_max_voting_weight", Up)], why: "each staked token builds more conviction, so more proposals reach their threshold" },
    Hypothesis { aim: Aim::Part(PROPOSALS_FUNDED), moves: &[("max_proposal_request", Up)], why: "a larger β lowers every proposal's threshold" },
    Hypothesis { aim: Aim::Part(FUNDS_SPENT), moves: &[("entry_tribute", Up)], why: "tributes on deposits refill the pool beyond the hatch funds" },
    Hypothesis { aim: Aim::Part(FUNDING_POOL), moves: &[("exit_tribute", Up), ("entry_tribute", Up)], why: "tributes keep the funding pool full" },
    Hypothesis { aim: Aim::Part(FUNDING_POOL), moves: &[("hatch_tribute", Up)], why: "a larger hatch tribute starts the pool fuller" },
    Hypothesis { aim: Aim::Part(FINAL_SENTIMENT), moves: &[("days_to_80p_of_max_voting_weight", Up)], why: "supporters of funded proposals grow happier" },
    Hypothesis { aim: Aim::Part(MEAN_SENTIMENT), moves: &[("max_proposal_request", Up)], why: "proposals pass sooner, and waiting makes supporters unhappy" },
    Hypothesis { aim: Aim::Part(MIN_SENTIMENT), moves: &[("hatch_tribute", Up), ("days_to_80p_of_max_voting_weight", Up)], why: "early funding keeps sentiment from dipping below 0.5" },
    Hypothesis { aim: Aim::Part(COMPLETION), moves: &[("max_proposal_request", Down)], why: "smaller grants are more likely to complete than to fail" },
    Hypothesis { aim: Aim::Tension("tributes vs traders"), moves: &[("exit_tribute", Up), ("entry_tribute", Up)], why: "tributes fund the commons but tax every trade, so fewer trade" },
    Hypothesis { aim: Aim::Tension("deliberation vs speed"), moves: &[("days_to_80p_of_max_voting_weight", Up)], why: "slow conviction filters proposals, fast conviction funds them sooner" },
    Hypothesis { aim: Aim::Tension("vesting vs liquidity"), moves: &[("vesting_80p_days", Up)], why: "long vesting steadies the price but locks the hatchers' tokens" },
    Hypothesis { aim: Aim::Tension("hatch tribute vs reserve"), moves: &[("hatch_tribute", Up), ("kappa", Down)], why: "a larger hatch tribute funds proposals but thins the reserve behind the price" },
];

const PART_LIST: [Part; 10] = [
    Part {
        name: "final_price",
        label: "Final price",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "price_stability",
        label: "Price stability",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "proposals_funded",
        label: "Proposals funded",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "funds_spent",
        label: "Grants beyond the hatch",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "funding_pool",
        label: "Funding pool",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "final_sentiment",
        label: "Final sentiment",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "mean_sentiment",
        label: "Mean sentiment",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "min_sentiment",
        label: "Sentiment never below 0.5",
        weight: 0.13,
        best: 0.0,
    },
    Part {
        name: "completion",
        label: "Completed per failed",
        weight: 0.13,
        best: 1.0,
    },
    Part {
        name: "growth",
        label: "Growth",
        weight: 0.13,
        best: 1.0,
    },
];

impl Researchable for CommonsDao {
    type Params = DaoParams;
    const NAME: &'static str = "commons";
    const RESEARCH_TAB: &'static str = "commons-research";
    const PARTS: &'static [Part] = &PART_LIST;
    const DEFAULT_FIXED: &'static [&'static str] = &[
        "arrival_rate",
        "newcomer_investment_mean",
        "buy_scale",
        "speculators",
        "sentiment_decay",
    ];

    fn research_specs() -> &'static [ParamSpec] {
        static SPECS: OnceLock<Vec<ParamSpec>> = OnceLock::new();
        specs_with_settings(&SPECS, DaoParams::specs())
    }

    fn command(p: &DaoParams, first: u32, count: u32) -> Command {
        Command::Evaluate {
            subject: Subject::CommonsDao(p.clone()),
            first,
            count,
        }
    }

    fn space() -> &'static [Dim<DaoParams>] {
        &SPACE
    }

    fn hypotheses() -> &'static [Hypothesis] {
        &HYPOTHESES
    }

    fn runs(p: &DaoParams) -> u32 {
        p.runs()
    }

    fn with_runs(p: &DaoParams, seed: u64, runs: u32) -> DaoParams {
        DaoParams {
            seed: seed as f64,
            runs: f64::from(runs),
            ..p.clone()
        }
    }

    fn seed(p: &DaoParams) -> u64 {
        p.seed()
    }

    fn cost(p: &DaoParams) -> RunCost {
        p.cost(false)
    }

    /// The run's score ÷ 1000 and its ten parts.
    fn evaluate(p: &DaoParams, run: u32) -> RunScore {
        let r = run_one(p, run, &mut || true).expect("a run that is never stopped finishes");
        RunScore {
            score: r.score.total / 1000.0,
            parts: r.score.parts.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::{evaluate_here, Outcome, Research, ResearchParams, Settings};

    #[test]
    fn the_commons_research_runs_and_keeps_only_improvements() {
        let start = DaoParams {
            runs: 2.0,
            days: 120.0,
            ..DaoParams::default()
        };
        let settings = ResearchParams::<CommonsDao> {
            budget: 17.0,
            ..ResearchParams::default()
        }
        .settings();
        assert_eq!(settings.fixed.len(), 5, "assumptions are fixed by default");
        let mut r = Research::<CommonsDao>::new(&start, settings);
        while let Some(job) = r.job() {
            let results = evaluate_here::<CommonsDao>(&job.designs);
            r.tell(job.stage, results);
        }
        let log = r.experiments();
        assert_eq!(log.len(), 17);
        for e in &log[1..] {
            assert!(
                e.changes.iter().all(|c| !SPACE[c.dim].assumption),
                "{:?}",
                e.changes
            );
            assert!(!e.kept || e.outcome.score > e.parent.unwrap());
        }
        // The score is the Monte Carlo's score ÷ 1000, run by run.
        let mc = crate::commons::montecarlo::run_monte_carlo(&start, &mut |_, _| true);
        let base = Outcome::of(&evaluate_here::<CommonsDao>(std::slice::from_ref(&start))[0]);
        let totals: Vec<f64> = mc.runs.iter().map(|r| r.score.total / 1000.0).collect();
        assert_eq!(base.score, crate::stats::mean_std(&totals).0);
        assert!(r
            .tsv()
            .starts_with("experiment\tscore\tfinal_price\tprice_stability\t"));
        for h in &HYPOTHESES {
            for (name, _) in h.moves {
                assert!(SPACE.iter().any(|d| d.name == *name), "{name}");
            }
        }
        let _ = Settings::default();
    }
}
