//! dataDAO under stress (`impl Stressable`): the cooperative's run under a scenario's daily
//! shocks and an outside market's noise (the model itself draws nothing unless membership
//! minting is on), scored by the price it keeps.

use super::sim::World;
use super::DdParams;
use crate::params::{ParamModel, ParamSpec, TextSpec};
use crate::policy::scenario::{standard_library, Conditions, Lever, Library};
use crate::protocol::{Command, StressModel};
use crate::research::Task;
use crate::stress::link::{settings_specs, text_fields_for};
use crate::stress::{RunOutcome, StressParams, Stressable, Units};
use std::sync::OnceLock;

/// The dataDAO as a stress-test subject.
pub struct DataDao;

/// Steps in a month: a step is a day.
pub const STEPS_PER_MONTH: u32 = 30;

impl Stressable for DataDao {
    type Params = DdParams;
    const NAME: &'static str = "datadao";
    const STRESS_TAB: &'static str = "datadao-stress";
    const UNIT: &'static str = "step";
    const SCORE: &'static str = "the price kept: the last price ÷ the first step's";
    const DEFAULT_SCENARIOS: &'static str = "bull;bear;growth;regulatory";
    const NS_PER_UNIT: f64 = 22.0;

    fn units(_: &Self::Params) -> Units {
        Units {
            price: "xDAI per dDT",
            money: "xDAI",
        }
    }
    const IGNORED: &'static [(Lever, &'static str)] =
        &[(Lever::Churn, "the dataDAO's members never leave")];

    fn stress_specs() -> &'static [ParamSpec] {
        static CELL: OnceLock<Vec<ParamSpec>> = OnceLock::new();
        settings_specs(&CELL, (0.5, (0.0, 100.0), 0.05), 0.01, DdParams::specs())
    }

    fn stress_text_fields() -> &'static [TextSpec] {
        static CELL: OnceLock<Vec<TextSpec>> = OnceLock::new();
        text_fields_for(&CELL, Self::DEFAULT_SCENARIOS, DdParams::text_fields())
    }

    fn steps(p: &DdParams) -> u32 {
        p.total_steps as u32
    }

    fn steps_per_year() -> f64 {
        365.0
    }

    fn seed(p: &DdParams) -> u64 {
        p.seed()
    }

    fn library(p: &DdParams) -> Library {
        standard_library(p.total_steps as u32, STEPS_PER_MONTH)
    }

    fn run(p: &DdParams, run: u32, conditions: Vec<Conditions>) -> RunOutcome {
        let seeded = DdParams {
            seed: p.seed + f64::from(run),
            ..p.clone()
        };
        let mut w = World::stressed(&seeded, conditions);
        for _ in 0..p.total_steps as u32 {
            w.step(&seeded);
        }
        w.finish();
        RunOutcome {
            score: w.price_kept(),
            launch: w.launch(),
            interventions: w.engine.as_ref().map_or(0, |e| e.interventions),
            records: w.econ,
        }
    }

    fn run_work(p: &DdParams) -> (f64, &'static str) {
        (p.cost(None).work, "agent-steps")
    }

    fn command(p: &StressParams<Self>, task: Task) -> Command {
        Command::Stress {
            model: StressModel::DataDao,
            link: crate::codec::encode(p),
            task,
        }
    }
}
