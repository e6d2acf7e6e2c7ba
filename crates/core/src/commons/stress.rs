//! The Commons DAO under stress (`impl Stressable`): its Monte Carlo under a scenario's daily
//! shocks — bull and bear as buy and sell flows into the curve — scored by the 0–1000 score of
//! spec §5.

use super::dao::DaoParams;
use super::montecarlo::work_per_run;
use super::score::{score, ScoreInputs};
use super::sim::World;
use crate::params::{ParamModel, ParamSpec, TextSpec};
use crate::policy::scenario::{standard_library, Conditions, Library};
use crate::protocol::{Command, StressModel};
use crate::research::Task;
use crate::stress::link::{settings_specs, text_fields_for};
use crate::stress::{RunOutcome, StressParams, Stressable, Units};
use std::sync::OnceLock;

/// The Commons DAO as a stress-test subject.
pub struct CommonsDao;

/// Days in a month.
pub const DAYS_PER_MONTH: u32 = 30;

impl Stressable for CommonsDao {
    type Params = DaoParams;
    const NAME: &'static str = "commons";
    const STRESS_TAB: &'static str = "commons-stress";
    const UNIT: &'static str = "day";
    const SCORE: &'static str = "the Commons score (0–1000, spec §5)";
    const DEFAULT_SCENARIOS: &'static str = "bull;bear;growth;regulatory";
    const NS_PER_UNIT: f64 = 8_000.0;

    fn units(_: &Self::Params) -> Units {
        Units {
            price: "DAI per token",
            money: "DAI",
        }
    }

    fn stress_specs() -> &'static [ParamSpec] {
        static CELL: OnceLock<Vec<ParamSpec>> = OnceLock::new();
        settings_specs(&CELL, (500.0, (0.0, 1000.0), 10.0), 0.0, DaoParams::specs())
    }

    fn stress_text_fields() -> &'static [TextSpec] {
        static CELL: OnceLock<Vec<TextSpec>> = OnceLock::new();
        text_fields_for(&CELL, Self::DEFAULT_SCENARIOS, DaoParams::text_fields())
    }

    fn steps(p: &DaoParams) -> u32 {
        p.days()
    }

    fn steps_per_year() -> f64 {
        365.0
    }

    fn seed(p: &DaoParams) -> u64 {
        p.seed()
    }

    fn library(p: &DaoParams) -> Library {
        standard_library(p.days(), DAYS_PER_MONTH)
    }

    fn run(p: &DaoParams, run: u32, conditions: Vec<Conditions>) -> RunOutcome {
        let mut w = World::stressed(p, p.seed().wrapping_add(u64::from(run)), conditions);
        for _ in 0..p.days() {
            w.step(p);
        }
        w.finish();
        let s = score(&ScoreInputs::of(
            &w,
            p.hatch_price,
            p.initial_proposals,
            p.hatchers,
        ));
        RunOutcome {
            score: s.total,
            interventions: w.engine.as_ref().map_or(0, |e| e.interventions),
            launch: w.launch(p),
            records: w.econ,
        }
    }

    fn run_work(p: &DaoParams) -> (f64, &'static str) {
        (work_per_run(p), "run-days")
    }

    fn command(p: &StressParams<Self>, task: Task) -> Command {
        Command::Stress {
            model: StressModel::CommonsDao,
            link: crate::codec::encode(p),
            task,
        }
    }
}
