//! Flywheel's Web Worker.
//!
//! [`handle`] answers one [`Request`] using the core; it is pure and tested natively. The wasm
//! entry point (`src/bin/worker.rs`) only moves messages: it decodes requests, calls [`handle`],
//! posts the replies, and turns a panic into a [`Reply::Crashed`] message before the worker dies,
//! so the page can show it and start a fresh worker.

use flywheel_core::commons::{draw_hatch, evaluate};
use flywheel_core::crowdtrain::montecarlo::run_monte_carlo;
use flywheel_core::datadao::sim::run_with;
use flywheel_core::protocol::{Command, Reply, Request};

/// A progress callback for long work that sends at most one reply per percent (messages cost
/// more than a step of the work) and always the last.
fn per_percent<'a>(
    id: u32,
    progress: &'a mut dyn FnMut(Reply),
) -> impl FnMut(u32, u32) -> bool + 'a {
    let mut last_percent = 0;
    move |done, total| {
        let percent = u64::from(done) * 100 / u64::from(total.max(1));
        if percent > last_percent || done == total {
            last_percent = percent;
            progress(Reply::Progress { id, done, total });
        }
        true
    }
}

/// Answers a request. `progress` receives intermediate replies of long work (commands that take
/// microseconds, like the curve explorer, answer with their result alone).
pub fn handle(req: Request, progress: &mut dyn FnMut(Reply)) -> Reply {
    let id = req.id;
    match req.command {
        Command::CommonsAbc { params } => Reply::CommonsAbc {
            id,
            report: Box::new(evaluate(&params)),
        },
        Command::CrowdTrain { params, records } => {
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
            let run = run_with(&params, transactions, &mut per_percent(id, progress));
            Reply::DataDao {
                id,
                run: Box::new(run),
            }
        }
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
        Command::Panic { message } => panic!("{message}"),
    }
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
    use flywheel_core::commons::AbcParams;
    use flywheel_core::crowdtrain::CtParams;

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
        let mut seen = Vec::new();
        let reply = handle(
            Request {
                id: 9,
                command: Command::CrowdTrain {
                    params: params.clone(),
                    records,
                },
            },
            &mut |r| seen.push(r),
        );
        (seen, reply)
    }

    #[test]
    fn crowdtrain_reports_progress_by_month_then_the_result() {
        let params = CtParams {
            runs: 3.0,
            months: 6.0,
            ..CtParams::default()
        };
        let (seen, reply) = crowdtrain_replies(&params, true);
        // 18 months in all: each is more than a percent, so each is reported.
        assert_eq!(
            seen,
            (1..=18)
                .map(|done| Reply::Progress {
                    id: 9,
                    done,
                    total: 18
                })
                .collect::<Vec<_>>()
        );
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
        let done: Vec<u32> = seen
            .iter()
            .map(|r| match r {
                Reply::Progress {
                    done, total: 600, ..
                } => *done,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(done.len(), 100, "one per percent of 600 months");
        assert!(done.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(done.last(), Some(&600));
    }

    #[test]
    fn datadao_returns_every_record_and_a_window_of_transactions() {
        use flywheel_core::datadao::sim::run;
        use flywheel_core::datadao::DdParams;
        let params = DdParams {
            total_steps: 40.0,
            ..DdParams::default()
        };
        let mut seen = 0;
        let reply = handle(
            Request {
                id: 4,
                command: Command::DataDao {
                    params: params.clone(),
                    transactions: Some((3, 4)),
                },
            },
            &mut |_| seen += 1,
        );
        assert_eq!(seen, 40, "40 steps: each more than a percent");
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
