//! Flywheel's Web Worker.
//!
//! [`handle`] answers one [`Request`] using the core; it is pure and tested natively. The wasm
//! entry point (`src/bin/worker.rs`) only moves messages: it decodes requests, calls [`handle`],
//! posts the replies, and turns a panic into a [`Reply::Crashed`] message before the worker dies,
//! so the page can show it and start a fresh worker.

use flywheel_core::codec::decode;
use flywheel_core::commons::conviction::calculate;
use flywheel_core::commons::explorer::{draw_hatch, evaluate};
use flywheel_core::commons::montecarlo::run_monte_carlo as run_commons_dao;
use flywheel_core::commons::research::CommonsDao;
use flywheel_core::commons::sim::network_at;
use flywheel_core::commons::stress::CommonsDao as CommonsStress;
use flywheel_core::cost::RunCost;
use flywheel_core::crowdtrain::montecarlo::{run_monte_carlo, run_range};
use flywheel_core::crowdtrain::research::CrowdTrain;
use flywheel_core::crowdtrain::stress::CrowdTrain as CrowdTrainStress;
use flywheel_core::crowdtrain::CtParams;
use flywheel_core::datadao::sim::run_with;
use flywheel_core::datadao::stress::DataDao as DataDaoStress;
use flywheel_core::protocol::{Command, Reply, Request, StressModel, Subject};
use flywheel_core::research::{Researchable, Task};
use flywheel_core::stress::{
    evaluate_with as evaluate_stress, task_cost as stress_cost, StressParams, Stressable,
};

/// A progress callback for long work that sends at most one reply per percent (messages cost
/// more than a step of the work) and always the last.
fn per_percent<'a>(
    id: u32,
    progress: &'a mut dyn FnMut(Reply),
) -> impl FnMut(f64, f64) -> bool + 'a {
    let mut last_percent = 0;
    move |done, total| {
        let percent = (done / total.max(1.0) * 100.0) as u32;
        if percent > last_percent || done >= total {
            last_percent = percent;
            progress(Reply::Progress { id, done, total });
        }
        true
    }
}

/// Checks a run's cost before it starts: a `Plan` reply when it may run, the refusal otherwise.
fn plan(id: u32, cost: RunCost, progress: &mut dyn FnMut(Reply)) -> Result<(), Reply> {
    match cost.check() {
        Ok(()) => {
            progress(Reply::Plan { id, cost });
            Ok(())
        }
        Err(message) => Err(Reply::Refused { id, message }),
    }
}

/// The scores of runs `first … first + count − 1` of `p`, or the refusal when the task (these
/// runs) is past the limits every run keeps.
fn scores<M: Researchable>(id: u32, p: &M::Params, first: u32, count: u32) -> Reply {
    let task = M::with_runs(p, M::seed(p), count);
    if let Err(message) = M::cost(&task).check() {
        return Reply::Refused { id, message };
    }
    Reply::Scores {
        id,
        scores: (first..first.saturating_add(count))
            .map(|run| M::evaluate(p, run))
            .collect(),
    }
}

/// Answers a request. `progress` receives intermediate replies of long work (commands that take
/// microseconds, like the curve explorer, answer with their result alone). Long work first
/// sends its `Plan` (or is refused when past the limits), then its progress.
pub fn handle(req: Request, progress: &mut dyn FnMut(Reply)) -> Reply {
    let id = req.id;
    match req.command {
        Command::CommonsAbc { params } => Reply::CommonsAbc {
            id,
            report: Box::new(evaluate(&params)),
        },
        Command::CrowdTrain { params, records } => {
            if let Err(refused) = plan(id, params.cost(records), progress) {
                return refused;
            }
            let result = run_monte_carlo(&params, &mut per_percent(id, progress));
            let result = if records {
                result
            } else {
                result.without_records()
            };
            Reply::CrowdTrain {
                id,
                result: Box::new(result),
            }
        }
        Command::DataDao {
            params,
            transactions,
        } => {
            if let Err(refused) = plan(id, params.cost(transactions), progress) {
                return refused;
            }
            let run = run_with(&params, transactions, &mut per_percent(id, progress));
            Reply::DataDao {
                id,
                run: Box::new(run),
            }
        }
        Command::CommonsDao { params, records } => {
            if let Err(refused) = plan(id, params.cost(records), progress) {
                return refused;
            }
            let result = run_commons_dao(&params, &mut per_percent(id, progress));
            let result = if records {
                result
            } else {
                result.without_records()
            };
            Reply::CommonsDao {
                id,
                result: Box::new(result),
            }
        }
        Command::CommonsNetwork { params, run, day } => {
            let seed = params.seed().wrapping_add(u64::from(run));
            Reply::CommonsNetwork {
                id,
                run,
                network: Box::new(network_at(&params, seed, day)),
            }
        }
        Command::Conviction { params } => Reply::Conviction {
            id,
            report: Box::new(calculate(&params)),
        },
        Command::DrawHatch {
            seed,
            hatchers,
            max_contribution,
        } => {
            if hatchers == 0
                || hatchers > 1000
                || !(max_contribution.is_finite() && max_contribution > 0.0)
            {
                return Reply::Failed {
                    id: Some(id),
                    message: "a hatch needs 1 to 1000 hatchers and a positive maximum contribution"
                        .into(),
                };
            }
            Reply::Hatch {
                id,
                seed,
                contributions: draw_hatch(seed as u64, hatchers, max_contribution),
            }
        }
        Command::Evaluate {
            subject,
            first,
            count,
        } => match subject {
            Subject::CrowdTrain(p) => scores::<CrowdTrain>(id, &p, first, count),
            Subject::CommonsDao(p) => scores::<CommonsDao>(id, &p, first, count),
        },
        Command::CrowdTrainRuns {
            params,
            first,
            count,
        } => {
            let part = CtParams {
                runs: f64::from(count),
                ..params.clone()
            };
            if let Err(refused) = plan(id, part.cost(true), progress) {
                return refused;
            }
            Reply::CrowdTrainRuns {
                id,
                runs: run_range(&params, first, count, &mut per_percent(id, progress)),
            }
        }
        Command::Stress { model, link, task } => match model {
            StressModel::CrowdTrain => stress::<CrowdTrainStress>(id, &link, task, progress),
            StressModel::DataDao => stress::<DataDaoStress>(id, &link, task, progress),
            StressModel::CommonsDao => stress::<CommonsStress>(id, &link, task, progress),
        },
        Command::Panic { message } => panic!("{message}"),
    }
}

/// A stress task: the stress link read by the same rules as everywhere (a link the page wrote
/// has no issues; one with issues is refused rather than run with other values), its cost
/// checked — the first task (the baseline's first runs) checks the whole test's and sends it as
/// the plan — its runs summarized, with progress after each run in the task's share of the
/// whole test's work.
fn stress<M: Stressable>(
    id: u32,
    link: &str,
    task: Task,
    progress: &mut dyn FnMut(Reply),
) -> Reply {
    let d = decode::<StressParams<M>>(link);
    if let Some(issue) = d.issues.first() {
        return Reply::Refused {
            id,
            message: issue.message.clone(),
        };
    }
    let p = d.model;
    if task.item == 0 && task.first == 0 {
        if let Err(refused) = plan(id, flywheel_core::stress::cost(&p), progress) {
            return refused;
        }
    }
    let cost = stress_cost(&p, task);
    if let Err(message) = cost.check() {
        return Reply::Refused { id, message };
    }
    let per_run = cost.work / f64::from(task.count.max(1));
    let total = cost.work;
    progress(Reply::Progress {
        id,
        done: 0.0,
        total,
    });
    let runs = evaluate_stress(&p, task, &mut |k| {
        progress(Reply::Progress {
            id,
            done: per_run * f64::from(k),
            total,
        })
    });
    Reply::StressRuns { id, runs }
}

#[cfg(target_arch = "wasm32")]
pub mod web {
    //! The worker's JavaScript side: message plumbing only.
    use super::handle;
    use flywheel_core::protocol::{Reply, Request};
    use std::cell::Cell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        static CURRENT: Cell<Option<u32>> = const { Cell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Posts a reply to the page.
    pub fn post(reply: &Reply) {
        match serde_wasm_bindgen::to_value(reply) {
            Ok(v) => {
                let _ = scope().post_message(&v);
            }
            Err(e) => web_sys::console::error_1(
                &format!("flywheel worker: cannot encode a reply: {e}").into(),
            ),
        }
    }

    fn now_ms() -> f64 {
        let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        scope.performance().map_or(0.0, |p| p.now())
    }

    /// The size of this worker's wasm memory.
    fn memory_bytes() -> f64 {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map_or(0.0, |m| {
                m.buffer()
                    .dyn_into::<js_sys::ArrayBuffer>()
                    .map_or(0.0, |b| b.byte_length() as f64)
            })
    }

    /// Handles one message from the page: decodes the request, answers it, posts every reply.
    pub fn dispatch(data: JsValue, post: &mut dyn FnMut(&Reply)) {
        match serde_wasm_bindgen::from_value::<Request>(data) {
            Ok(req) => {
                let id = req.id;
                CURRENT.with(|c| c.set(Some(id)));
                let t0 = now_ms();
                let reply = handle(req, &mut |r| post(&r));
                let worker_ms = now_ms() - t0;
                post(&reply);
                post(&Reply::Timing {
                    id,
                    worker_ms,
                    memory_bytes: memory_bytes(),
                });
                CURRENT.with(|c| c.set(None));
            }
            Err(e) => post(&Reply::Failed {
                id: None,
                message: format!("the worker could not read a request: {e}"),
            }),
        }
    }

    /// Installs the message handler and tells the page the worker is ready.
    pub fn start() {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            let id = CURRENT.with(Cell::get);
            let message = match info.payload().downcast_ref::<String>() {
                Some(s) => s.clone(),
                None => info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            };
            let place = info
                .location()
                .map(|l| format!(" (at {}:{})", l.file(), l.line()))
                .unwrap_or_default();
            post(&Reply::Crashed {
                id,
                message: format!("{message}{place}"),
            });
        }));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
            dispatch(ev.data(), &mut post)
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&Reply::Ready);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flywheel_core::commons::explorer::AbcParams;
    use flywheel_core::crowdtrain::montecarlo::aggregate;

    #[test]
    fn evaluate_tasks_give_the_monte_carlos_scores_and_keep_the_limits() {
        let params = CtParams {
            runs: 5.0,
            months: 10.0,
            ..CtParams::default()
        };
        let mc = run_monte_carlo(&params, &mut |_, _| true);
        let reply = handle(
            Request {
                id: 3,
                command: CrowdTrain::command(&params, 2, 3),
            },
            &mut |_| {},
        );
        let Reply::Scores { id: 3, scores } = reply else {
            panic!("{reply:?}")
        };
        let want: Vec<f64> = mc.runs[2..5].iter().map(|r| r.score.score).collect();
        let got: Vec<f64> = scores.iter().map(|s| s.score).collect();
        assert_eq!(got, want);
        // A task past the limits is refused, naming what to lower.
        let huge = CtParams {
            scale: 100.0,
            months: 240.0,
            ..CtParams::default()
        };
        let reply = handle(
            Request {
                id: 4,
                command: CrowdTrain::command(&huge, 0, 1000),
            },
            &mut |_| {},
        );
        assert!(
            matches!(&reply, Reply::Refused { id: 4, message } if message.contains("runs")),
            "{reply:?}"
        );
    }

    /// Stress tasks: the first sends the whole test's plan, each its progress by work; their
    /// runs put together are the report computed in one place; bad links and tests past the
    /// limits are refused.
    #[test]
    fn stress_tasks_put_together_equal_the_report_and_keep_the_limits() {
        use flywheel_core::codec::encode;
        use flywheel_core::stress::{assemble, evaluate_all, tasks};
        let mut p = StressParams::<DataDaoStress> {
            stress_runs: 5.0,
            ..Default::default()
        };
        p.model.total_steps = 90.0;
        p.model.policy.price_stabilizer = flywheel_core::policy::Switch::On;
        let link = encode(&p);
        let whole = assemble(&p, evaluate_all(&p));
        let mut done = Vec::new();
        for (i, t) in tasks(&p, 3).into_iter().enumerate() {
            let (mut plans, mut last) = (0, (0.0, 0.0));
            let reply = handle(
                Request {
                    id: i as u32,
                    command: Command::Stress {
                        model: StressModel::DataDao,
                        link: link.clone(),
                        task: t,
                    },
                },
                &mut |r| match r {
                    Reply::Plan { .. } => plans += 1,
                    Reply::Progress { done, total, .. } => last = (done, total),
                    _ => {}
                },
            );
            assert_eq!(plans, usize::from(i == 0), "task {i}");
            assert!(
                last.1 > 0.0 && (last.0 - last.1).abs() < 1e-9 * last.1,
                "{last:?}"
            );
            let Reply::StressRuns { runs, .. } = reply else {
                panic!("{reply:?}")
            };
            done.push((t, runs));
        }
        done.reverse();
        assert_eq!(assemble(&p, done), whole);
        let task = tasks(&p, 1)[0];
        let refused = |link: &str| {
            matches!(
                handle(
                    Request {
                        id: 1,
                        command: Command::Stress {
                            model: StressModel::DataDao,
                            link: link.into(),
                            task,
                        },
                    },
                    &mut |_| {},
                ),
                Reply::Refused { .. }
            )
        };
        assert!(refused("#datadao-stress?scenarios=moon&v=1"));
        assert!(refused(
            "#datadao-stress?stress_runs=1000&total_steps=100000&v=1"
        ));
        assert!(!refused("#datadao-stress?stress_runs=1&total_steps=20&v=1"));
    }

    #[test]
    fn crowdtrain_runs_put_together_equal_one_workers_monte_carlo() {
        let params = CtParams {
            runs: 7.0,
            months: 9.0,
            ..CtParams::default()
        };
        let whole = run_monte_carlo(&params, &mut |_, _| true);
        let mut runs = Vec::new();
        for (first, count) in [(0, 3), (3, 2), (5, 2)] {
            let mut plans = 0;
            let reply = handle(
                Request {
                    id: 9,
                    command: Command::CrowdTrainRuns {
                        params: params.clone(),
                        first,
                        count,
                    },
                },
                &mut |r| plans += usize::from(matches!(r, Reply::Plan { .. })),
            );
            assert_eq!(plans, 1);
            let Reply::CrowdTrainRuns { runs: part, .. } = reply else {
                panic!("{reply:?}")
            };
            runs.extend(part);
        }
        assert_eq!(aggregate(runs), whole);
    }

    #[test]
    fn commons_request_answers_with_the_core_result_alone() {
        let params = AbcParams {
            kappa: 3.0,
            ..AbcParams::default()
        };
        let mut seen = Vec::new();
        let reply = handle(
            Request {
                id: 7,
                command: Command::CommonsAbc {
                    params: params.clone(),
                },
            },
            &mut |r| seen.push(r),
        );
        assert!(
            seen.is_empty(),
            "an instant command sends no progress: {seen:?}"
        );
        assert_eq!(
            reply,
            Reply::CommonsAbc {
                id: 7,
                report: Box::new(evaluate(&params))
            }
        );
    }

    /// Every reply of a CrowdTrain request: (progress replies, the result).
    fn crowdtrain_replies(params: &CtParams, records: bool) -> (Vec<Reply>, Reply) {
        replies(
            9,
            Command::CrowdTrain {
                params: params.clone(),
                records,
            },
        )
    }

    /// Every reply to request `id`: (the intermediate replies, the final one).
    fn replies(id: u32, command: Command) -> (Vec<Reply>, Reply) {
        let mut seen = Vec::new();
        let reply = handle(Request { id, command }, &mut |r| seen.push(r));
        (seen, reply)
    }

    /// Every reply to a dataDAO request `id`.
    fn datadao_replies(
        id: u32,
        params: &flywheel_core::datadao::DdParams,
        transactions: Option<(u32, u32)>,
    ) -> (Vec<Reply>, Reply) {
        replies(
            id,
            Command::DataDao {
                params: params.clone(),
                transactions,
            },
        )
    }

    #[test]
    fn commons_dao_sends_its_plan_progress_and_the_compact_result() {
        use flywheel_core::commons::dao::DaoParams;
        let params = DaoParams {
            runs: 2.0,
            days: 150.0,
            ..DaoParams::default()
        };
        let command = |records| Command::CommonsDao {
            params: params.clone(),
            records,
        };
        let (seen, reply) = replies(4, command(false));
        assert_eq!(
            seen[0],
            Reply::Plan {
                id: 4,
                cost: params.cost(false)
            }
        );
        let done: Vec<f64> = seen[1..]
            .iter()
            .map(|r| match r {
                Reply::Progress { id: 4, done, total } if *total == 300.0 => *done,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(done.len(), 100, "one per percent of 300 run-days");
        assert_eq!(done.last(), Some(&300.0));
        let full = run_commons_dao(&params, &mut |_, _| true);
        assert_eq!(
            reply,
            Reply::CommonsDao {
                id: 4,
                result: Box::new(full.clone().without_records())
            }
        );
        let (_, with_records) = replies(4, command(true));
        assert_eq!(
            with_records,
            Reply::CommonsDao {
                id: 4,
                result: Box::new(full)
            }
        );
        // Past the limits: refused before it starts.
        let huge = DaoParams {
            runs: 1000.0,
            days: 3650.0,
            ..DaoParams::default()
        };
        let (seen, reply) = replies(
            5,
            Command::CommonsDao {
                params: huge,
                records: true,
            },
        );
        assert!(seen.is_empty());
        assert!(matches!(reply, Reply::Refused { id: 5, .. }), "{reply:?}");
    }

    #[test]
    fn commons_network_and_conviction_answer_at_once() {
        use flywheel_core::commons::conviction::ConvictionParams;
        use flywheel_core::commons::dao::DaoParams;
        let params = DaoParams::default();
        let (seen, reply) = replies(
            6,
            Command::CommonsNetwork {
                params: params.clone(),
                run: 3,
                day: 40,
            },
        );
        assert!(seen.is_empty());
        assert_eq!(
            reply,
            Reply::CommonsNetwork {
                id: 6,
                run: 3,
                network: Box::new(network_at(&params, 45, 40))
            }
        );
        let c = ConvictionParams::default();
        let (_, reply) = replies(8, Command::Conviction { params: c.clone() });
        assert_eq!(
            reply,
            Reply::Conviction {
                id: 8,
                report: Box::new(calculate(&c))
            }
        );
    }

    #[test]
    fn crowdtrain_sends_its_plan_then_progress_by_work_then_the_result() {
        let params = CtParams {
            runs: 3.0,
            months: 6.0,
            ..CtParams::default()
        };
        let (seen, reply) = crowdtrain_replies(&params, true);
        assert_eq!(
            seen[0],
            Reply::Plan {
                id: 9,
                cost: params.cost(true)
            }
        );
        // 18 months in all, each weighted by the operators onboarded so far; months worth less
        // than a percent of the work are not reported on their own.
        let per_month = flywheel_core::crowdtrain::montecarlo::work_by_month(&params);
        let per_run: f64 = per_month.iter().sum();
        let total = 3.0 * per_run;
        let mut expected_done = Vec::new();
        let (mut done, mut last_percent) = (0.0, 0);
        for _ in 0..3 {
            for w in &per_month {
                done += w;
                let percent = (done / total * 100.0) as u32;
                if percent > last_percent || done >= total {
                    last_percent = percent;
                    expected_done.push(done);
                }
            }
        }
        let progress: Vec<(f64, f64)> = seen[1..]
            .iter()
            .map(|r| match r {
                Reply::Progress { id: 9, done, total } => (*done, *total),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert!(progress.iter().all(|p| p.1 == total));
        assert_eq!(
            progress.iter().map(|p| p.0).collect::<Vec<_>>(),
            expected_done
        );
        assert!(progress.len() >= 15, "{progress:?}");
        let expected = run_monte_carlo(&params, &mut |_, _| true);
        assert_eq!(
            reply,
            Reply::CrowdTrain {
                id: 9,
                result: Box::new(expected.clone())
            }
        );
        let (_, compact) = crowdtrain_replies(&params, false);
        assert_eq!(
            compact,
            Reply::CrowdTrain {
                id: 9,
                result: Box::new(expected.without_records())
            }
        );
    }

    #[test]
    fn long_runs_report_progress_at_most_once_per_percent() {
        let params = CtParams {
            runs: 50.0,
            months: 12.0,
            ..CtParams::default()
        };
        let (seen, _) = crowdtrain_replies(&params, false);
        let done: Vec<f64> = seen[1..]
            .iter()
            .map(|r| match r {
                Reply::Progress { done, .. } => *done,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert!(
            (90..=101).contains(&done.len()),
            "about one per percent of the work: {}",
            done.len()
        );
        assert!(done.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(done.last(), Some(&params.cost(false).work));
    }

    #[test]
    fn runs_past_the_limits_are_refused_before_they_start() {
        use flywheel_core::datadao::DdParams;
        let huge = DdParams {
            total_steps: 100_000.0,
            entry_steps: 1.0,
            agents_per_entry: 10_000.0,
            ..DdParams::default()
        };
        let (seen, reply) = datadao_replies(5, &huge, None);
        assert!(seen.is_empty(), "nothing ran: {seen:?}");
        let Reply::Refused { id: 5, message } = reply else {
            panic!("unexpected {reply:?}")
        };
        assert!(
            message.contains("memory") && message.contains("agents_per_entry"),
            "{message}"
        );
        let (seen, reply) = crowdtrain_replies(
            &CtParams {
                runs: 1000.0,
                months: 240.0,
                scale: 100.0,
                ..CtParams::default()
            },
            false,
        );
        assert!(seen.is_empty());
        assert!(
            matches!(&reply, Reply::Refused { id: 9, message } if message.contains("lower runs, months or scale")),
            "{reply:?}"
        );
    }

    #[test]
    fn datadao_progress_follows_the_growing_population() {
        use flywheel_core::datadao::DdParams;
        let params = DdParams::default();
        let (seen, _) = datadao_replies(4, &params, None);
        // The population grows linearly, so half the work is done well after half the steps.
        let population: Vec<f64> = params.population_by_step().collect();
        let total: f64 = population.iter().sum();
        let mut steps_at_half = 0;
        let mut acc = 0.0;
        for (s, n) in population.iter().enumerate() {
            acc += n;
            if acc >= total / 2.0 {
                steps_at_half = s + 1;
                break;
            }
        }
        assert!(steps_at_half > 1300, "{steps_at_half} of 2000 steps");
        let progress: Vec<(f64, f64)> = seen
            .iter()
            .filter_map(|r| match r {
                Reply::Progress { done, total, .. } => Some((*done, *total)),
                _ => None,
            })
            .collect();
        assert!(progress.iter().all(|p| p.1 == total));
        assert_eq!(progress.last().unwrap().0, total);
        assert!((95..=101).contains(&progress.len()), "{}", progress.len());
    }

    #[test]
    fn datadao_returns_every_record_and_a_window_of_transactions() {
        use flywheel_core::datadao::sim::run;
        use flywheel_core::datadao::DdParams;
        let params = DdParams {
            total_steps: 40.0,
            ..DdParams::default()
        };
        let (seen, reply) = datadao_replies(4, &params, Some((3, 4)));
        assert_eq!(
            seen[0],
            Reply::Plan {
                id: 4,
                cost: params.cost(Some((3, 4)))
            }
        );
        assert!(
            seen.len() > 30,
            "then progress: most steps are more than a percent"
        );
        let Reply::DataDao { id: 4, run: r } = reply else {
            panic!("unexpected {reply:?}")
        };
        assert_eq!(r.records, run(&params, false).records);
        let csv = r.transactions_csv.unwrap();
        let steps: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert!(!steps.is_empty() && steps.iter().all(|s| *s == "3" || *s == "4"));
    }

    #[test]
    fn hatch_draw_and_its_validation() {
        let r = handle(
            Request {
                id: 1,
                command: Command::DrawHatch {
                    seed: 3,
                    hatchers: 5,
                    max_contribution: 1e6,
                },
            },
            &mut |_| {},
        );
        assert_eq!(
            r,
            Reply::Hatch {
                id: 1,
                seed: 3,
                contributions: draw_hatch(3, 5, 1e6)
            }
        );
        let bad = handle(
            Request {
                id: 2,
                command: Command::DrawHatch {
                    seed: 3,
                    hatchers: 0,
                    max_contribution: 1e6,
                },
            },
            &mut |_| {},
        );
        assert!(matches!(bad, Reply::Failed { id: Some(2), .. }));
    }

    #[test]
    fn panic_command_panics() {
        let r = std::panic::catch_unwind(|| {
            handle(
                Request {
                    id: 3,
                    command: Command::Panic {
                        message: "boom".into(),
                    },
                },
                &mut |_| {},
            )
        });
        assert!(r.is_err());
    }
}
