//! CrowdTrain under stress (`impl Stressable`): its Monte Carlo runs under a scenario's monthly
//! shocks, scored by the composite of spec §4.

use super::montecarlo::work_by_month;
use super::score::score;
use super::sim::World;
use super::CtParams;
use crate::params::{ParamModel, ParamSpec, TextSpec};
use crate::policy::scenario::{crowdtrain_events, standard_library, Conditions, Library};
use crate::protocol::{Command, StressModel};
use crate::research::Task;
use crate::stress::link::{settings_specs, text_fields_for};
use crate::stress::{RunOutcome, StressParams, Stressable, Units};
use std::sync::OnceLock;

/// CrowdTrain as a stress-test subject.
pub struct CrowdTrain;

impl Stressable for CrowdTrain {
    type Params = CtParams;
    const NAME: &'static str = "crowdtrain";
    const STRESS_TAB: &'static str = "crowdtrain-stress";
    const UNIT: &'static str = "month";
    const SCORE: &'static str = "CrowdTrain's composite score (0–1, spec §4)";
    const DEFAULT_SCENARIOS: &'static str = "bull;bear;growth;regulatory;crowdtrain_events";
    const NS_PER_UNIT: f64 = 25.0;

    fn units(p: &CtParams) -> Units {
        Units {
            price: p.price_model.unit(),
            money: "USD",
        }
    }

    fn stress_specs() -> &'static [ParamSpec] {
        static CELL: OnceLock<Vec<ParamSpec>> = OnceLock::new();
        settings_specs(&CELL, (0.4, (0.0, 1.0), 0.01), 0.0, CtParams::specs())
    }

    fn stress_text_fields() -> &'static [TextSpec] {
        static CELL: OnceLock<Vec<TextSpec>> = OnceLock::new();
        text_fields_for(&CELL, Self::DEFAULT_SCENARIOS, CtParams::text_fields())
    }

    fn steps(p: &CtParams) -> u32 {
        p.months()
    }

    fn steps_per_year() -> f64 {
        12.0
    }

    fn seed(p: &CtParams) -> u64 {
        p.seed()
    }

    fn library(p: &CtParams) -> Library {
        let mut lib = standard_library(p.months(), 1);
        lib.push(crowdtrain_events());
        lib
    }

    fn run(p: &CtParams, run: u32, conditions: Vec<Conditions>) -> RunOutcome {
        let mut w = World::stressed(p, p.seed() + u64::from(run), conditions).scores_only();
        for _ in 0..p.months() {
            w.step(p);
        }
        w.finish();
        RunOutcome {
            score: score(&w.records).score,
            interventions: w.engine.as_ref().map_or(0, |e| e.interventions),
            records: w.econ,
            launch: World::launch(p),
        }
    }

    fn run_work(p: &CtParams) -> (f64, &'static str) {
        (work_by_month(p).iter().sum(), "operator-months")
    }

    fn command(p: &StressParams<Self>, task: Task) -> Command {
        Command::Stress {
            model: StressModel::CrowdTrain,
            link: crate::codec::encode(p),
            task,
        }
    }
}
