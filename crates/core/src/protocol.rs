//! Messages between the page and the worker. The page sends a [`Request`]; the worker answers
//! with [`Reply`] values (progress, then a result or a failure). Both sides use these types, so a
//! change of protocol is a compile error rather than a silent mismatch.

use crate::commons::conviction::{ConvictionParams, ConvictionReport};
use crate::commons::dao::DaoParams;
use crate::commons::explorer::{AbcParams, AbcReport};
use crate::commons::montecarlo::DaoResult;
use crate::commons::sim::Network;
use crate::cost::RunCost;
use crate::crowdtrain::montecarlo::{McResult, RunResult};
use crate::crowdtrain::CtParams;
use crate::datadao::sim::DdRun;
use crate::datadao::DdParams;
use crate::research::{RunScore, Task};
use crate::stress::RunSummary;
use serde::{Deserialize, Serialize};

/// A command with the id its replies carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub command: Command,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Command {
    /// Evaluate the Commons curve explorer.
    CommonsAbc { params: AbcParams },
    /// Run the CrowdTrain Monte Carlo; progress is reported as it goes (at most about a hundred
    /// times). With `records` the result carries every run's monthly records (for a CSV export);
    /// without, only scores, statistics, bands and the funnel. To cancel, the page replaces the
    /// worker (a running Monte Carlo reads no messages).
    CrowdTrain { params: CtParams, records: bool },
    /// Run the dataDAO. With `transactions`, the transaction history of steps `from..=to` comes
    /// back as CSV text (the whole history of a long run would not fit in a page).
    DataDao {
        params: DdParams,
        transactions: Option<(u32, u32)>,
    },
    /// Run the Commons DAO's Monte Carlo (progress in run-days). With `records` the result
    /// carries every run's daily records (for a CSV export).
    CommonsDao { params: DaoParams, records: bool },
    /// The network (participants, proposals, staked edges) of run `run` at the end of day `day`
    /// (0: right after the hatch): one run re-simulated to that day, in milliseconds.
    CommonsNetwork {
        params: DaoParams,
        run: u32,
        day: u32,
    },
    /// The conviction calculator: thresholds and conviction growth.
    Conviction { params: ConvictionParams },
    /// Draw a hatch: `hatchers` contributions of U(0,1) × `max_contribution` from stream `seed`.
    DrawHatch {
        seed: u32,
        hatchers: u32,
        max_contribution: f64,
    },
    /// One task of a research job: the scores of runs `first … first + count − 1` of a design
    /// (each as the model's Monte Carlo scores it).
    Evaluate {
        subject: Subject,
        first: u32,
        count: u32,
    },
    /// Runs `first … first + count − 1` of the CrowdTrain Monte Carlo with their monthly
    /// records: the tab's Monte Carlo split over several workers (the page puts the runs
    /// together with `crowdtrain::montecarlo::aggregate`, the same result as one worker's).
    CrowdTrainRuns {
        params: CtParams,
        first: u32,
        count: u32,
    },
    /// One task of a stress test: runs `first … first + count − 1` of scenario `item` (0: the
    /// baseline) of the stress link `link` (`#crowdtrain-stress?…`), each reduced to its health
    /// metrics and fan-chart series.
    Stress {
        model: StressModel,
        link: String,
        task: Task,
    },
    /// Diagnostics: make the worker panic, to check that failures reach the page and the worker
    /// is restarted.
    Panic { message: String },
}

/// The model a stress task runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StressModel {
    CrowdTrain,
    DataDao,
    CommonsDao,
}

/// A design the research engine asks a worker to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Subject {
    CrowdTrain(CtParams),
    CommonsDao(DaoParams),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready,
    /// Before long work starts: what it will cost (work, memory, a rough time). A run past the
    /// limits of [`crate::cost`] is answered with `Refused` instead, and never starts.
    Plan {
        id: u32,
        cost: RunCost,
    },
    /// Long work: `done` of `total` units of work finished (the unit of the `Plan`'s cost, so
    /// progress follows the work rather than the step count).
    Progress {
        id: u32,
        done: f64,
        total: f64,
    },
    CommonsAbc {
        id: u32,
        report: Box<AbcReport>,
    },
    Hatch {
        id: u32,
        seed: u32,
        contributions: Vec<f64>,
    },
    CrowdTrain {
        id: u32,
        result: Box<McResult>,
    },
    CommonsDao {
        id: u32,
        result: Box<DaoResult>,
    },
    CommonsNetwork {
        id: u32,
        run: u32,
        network: Box<Network>,
    },
    Conviction {
        id: u32,
        report: Box<ConvictionReport>,
    },
    /// The scores of an `Evaluate` task's runs, in run order.
    Scores {
        id: u32,
        scores: Vec<RunScore>,
    },
    /// The runs of a `Stress` task, in run order.
    StressRuns {
        id: u32,
        runs: Vec<RunSummary>,
    },
    /// The runs of a `CrowdTrainRuns` task, in run order.
    CrowdTrainRuns {
        id: u32,
        runs: Vec<RunResult>,
    },
    /// Sent by the worker after the last reply to request `id`: how long the worker spent on it
    /// (milliseconds, without the transfer to the page) and the size of its wasm memory in bytes
    /// afterwards — the high-water mark, since wasm memory never shrinks.
    Timing {
        id: u32,
        worker_ms: f64,
        memory_bytes: f64,
    },
    DataDao {
        id: u32,
        run: Box<DdRun>,
    },
    /// The run was not started: it is past the limits of [`crate::cost`]. `message` says why
    /// and what to lower, as a sentence for the user.
    Refused {
        id: u32,
        message: String,
    },
    /// The request failed; `message` is for the user. `id` is absent when no request was readable.
    Failed {
        id: Option<u32>,
        message: String,
    },
    /// The worker panicked while handling request `id` and cannot go on: the page shows `message`
    /// and starts a fresh worker.
    Crashed {
        id: Option<u32>,
        message: String,
    },
}
