//! The page's side of a worker: spawn it, queue requests until it says `Ready`, deliver its
//! replies, and replace it when it crashes or when long work is cancelled. Every tab has its own
//! client and worker, so a long run in one tab never delays, blanks or is cancelled by another.

use crate::dom::{now_ms, window};
use flywheel_core::protocol::{Command, Reply, Request};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// More restarts than this within [`RESTART_WINDOW_MS`] means the worker cannot start at all.
const MAX_RESTARTS: usize = 4;
const RESTART_WINDOW_MS: f64 = 10_000.0;

type Handler = Rc<dyn Fn(Reply)>;

struct Inner {
    url: String,
    worker: Option<Worker>,
    ready: bool,
    queue: Vec<Request>,
    /// Requests sent and not yet answered with a result or failure (re-sent after a cancel).
    pending: Vec<Request>,
    next_id: u32,
    /// Ids go up by this much: the workers of a pool use disjoint ids.
    id_stride: u32,
    /// The worker is started at the first request (a pool's spare workers cost nothing).
    started: bool,
    restarts: Vec<f64>,
    handler: Handler,
    // Kept alive while their worker is.
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(ErrorEvent)>>,
}

/// A handle to one simulation worker (one per tab). Cloning shares the same worker.
#[derive(Clone)]
pub struct WorkerClient(Rc<RefCell<Inner>>);

impl WorkerClient {
    /// Starts the worker script at `url`; every reply (including `Ready`, failures and crashes)
    /// goes to `handler`.
    pub fn new(url: &str, handler: impl Fn(Reply) + 'static) -> Self {
        let client = Self::lazy(url, 1, 1, Rc::new(handler));
        client.start();
        client
    }

    /// A client whose worker starts at its first request; its ids are `first_id`,
    /// `first_id + id_stride`, … (so the clients of a pool never share an id).
    fn lazy(url: &str, first_id: u32, id_stride: u32, handler: Handler) -> Self {
        WorkerClient(Rc::new(RefCell::new(Inner {
            url: url.to_string(),
            worker: None,
            ready: false,
            queue: Vec::new(),
            pending: Vec::new(),
            next_id: first_id,
            id_stride,
            started: false,
            restarts: Vec::new(),
            handler,
            on_message: None,
            on_error: None,
        })))
    }

    fn start(&self) {
        if !self.0.borrow().started {
            self.0.borrow_mut().started = true;
            self.spawn();
        }
    }

    /// Stops the worker for good (a pool grown smaller): its pending requests are dropped.
    fn retire(&self) {
        self.stop();
        let mut inner = self.0.borrow_mut();
        inner.pending.clear();
        inner.started = false;
    }

    /// Requests sent and not yet answered.
    pub fn pending_count(&self) -> usize {
        self.0.borrow().pending.len()
    }

    fn deliver(&self, reply: Reply) {
        let handler = self.0.borrow().handler.clone();
        handler(reply);
    }

    fn spawn(&self) {
        let url = self.0.borrow().url.clone();
        let worker = match Worker::new(&url) {
            Ok(w) => w,
            Err(e) => {
                let message = format!("the simulation worker could not start: {e:?}");
                self.deliver(Reply::Crashed { id: None, message });
                return;
            }
        };
        let me = self.clone();
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| me.on_message(ev));
        let me = self.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            let message = format!("the simulation worker failed: {}", ev.message());
            me.crashed(Reply::Crashed { id: None, message });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let mut inner = self.0.borrow_mut();
        inner.worker = Some(worker);
        inner.ready = false;
        inner.on_message = Some(on_message);
        inner.on_error = Some(on_error);
    }

    fn on_message(&self, ev: MessageEvent) {
        let reply = match serde_wasm_bindgen::from_value::<Reply>(ev.data()) {
            Ok(r) => r,
            Err(e) => Reply::Failed {
                id: None,
                message: format!("unreadable reply from the worker: {e}"),
            },
        };
        match reply {
            Reply::Ready => {
                let (worker, queue) = {
                    let mut inner = self.0.borrow_mut();
                    inner.ready = true;
                    (inner.worker.clone(), std::mem::take(&mut inner.queue))
                };
                if let Some(w) = worker {
                    for req in queue {
                        post(&w, &req);
                    }
                }
                self.deliver(Reply::Ready);
            }
            r @ Reply::Crashed { .. } => self.crashed(r),
            r @ (Reply::Plan { .. } | Reply::Progress { .. } | Reply::Timing { .. }) => {
                self.deliver(r)
            }
            r => {
                if let Some(id) = reply_id(&r) {
                    self.0.borrow_mut().pending.retain(|q| q.id != id);
                }
                self.deliver(r)
            }
        }
    }

    /// Reports a crash and replaces the worker (unless it keeps failing).
    fn crashed(&self, reply: Reply) {
        self.stop();
        // Every tab hears of the crash and forgets what it was waiting for.
        self.0.borrow_mut().pending.clear();
        let t = now_ms();
        let too_many = {
            let mut inner = self.0.borrow_mut();
            inner.restarts.retain(|s| t - s < RESTART_WINDOW_MS);
            inner.restarts.push(t);
            inner.restarts.len() > MAX_RESTARTS
        };
        self.deliver(reply);
        if too_many {
            self.deliver(Reply::Crashed {
                id: None,
                message: "the simulation worker keeps failing to start; reload the page".into(),
            });
        } else {
            self.spawn();
        }
    }

    /// Terminates the current worker, dropping its pending work and its handlers.
    fn stop(&self) {
        let mut inner = self.0.borrow_mut();
        if let Some(w) = inner.worker.take() {
            w.set_onmessage(None);
            w.set_onerror(None);
            w.terminate();
        }
        inner.ready = false;
        inner.queue.clear();
        // The closures may be running right now (this is called from them): free them later.
        let m = inner.on_message.take();
        let e = inner.on_error.take();
        drop(inner);
        let cb = Closure::once_into_js(move || drop((m, e)));
        let _ = window().set_timeout_with_callback(cb.unchecked_ref());
    }

    /// Sends a command; returns the id its replies will carry.
    pub fn send(&self, command: Command) -> u32 {
        self.start();
        let mut inner = self.0.borrow_mut();
        let id = inner.next_id;
        inner.next_id = inner.next_id.wrapping_add(inner.id_stride).max(1);
        let req = Request { id, command };
        inner.pending.push(req.clone());
        match (&inner.worker, inner.ready) {
            (Some(w), true) => post(w, &req),
            _ => inner.queue.push(req),
        }
        id
    }

    /// Stops request `id` at once, by replacing the worker with a fresh one; the tab's other
    /// unanswered requests are sent again to the new worker, so only `id` is lost.
    pub fn cancel(&self, id: u32) {
        self.cancel_all(&[id]);
    }

    /// Stops every request in `ids` at once (one fresh worker for all of them). Requests already
    /// answered need no stopping: when none of `ids` is still pending the worker is kept.
    pub fn cancel_all(&self, ids: &[u32]) {
        let any_pending = self.0.borrow().pending.iter().any(|q| ids.contains(&q.id));
        if !any_pending {
            return;
        }
        self.stop();
        {
            let mut inner = self.0.borrow_mut();
            inner.pending.retain(|q| !ids.contains(&q.id));
            inner.queue = inner.pending.clone();
        }
        self.spawn();
    }

    /// Whether request `id` is still waiting for its result.
    pub fn is_pending(&self, id: u32) -> bool {
        self.0.borrow().pending.iter().any(|q| q.id == id)
    }

    pub fn is_ready(&self) -> bool {
        self.0.borrow().ready
    }
}

/// Several workers behind one handler: each request goes to the worker with the fewest
/// requests waiting. Workers start at their first request. Replies carry ids unique across the
/// pool, so a view tells them apart as with one worker.
pub struct WorkerPool {
    clients: Vec<WorkerClient>,
    /// How many of `clients` take requests.
    size: std::cell::Cell<usize>,
}

/// The most workers a pool has.
pub const MAX_WORKERS: usize = 16;

impl WorkerPool {
    /// A pool of up to `max` workers running the script at `url`, `size` of them in use.
    pub fn new(url: &str, max: usize, size: usize, handler: impl Fn(Reply) + 'static) -> Self {
        let max = max.clamp(1, MAX_WORKERS);
        let handler: Handler = Rc::new(handler);
        let clients = (0..max)
            .map(|k| WorkerClient::lazy(url, k as u32 + 1, max as u32, handler.clone()))
            .collect();
        let pool = WorkerPool {
            clients,
            size: std::cell::Cell::new(size.clamp(1, max)),
        };
        // The first worker starts at once, so a view's first run does not wait for it.
        pool.clients[0].start();
        pool
    }

    /// Workers in use.
    pub fn size(&self) -> usize {
        self.size.get()
    }

    /// The most workers this pool can use.
    pub fn max(&self) -> usize {
        self.clients.len()
    }

    /// Uses `n` workers from now on; workers beyond them are stopped (their requests dropped).
    pub fn resize(&self, n: usize) {
        let n = n.clamp(1, self.clients.len());
        for c in &self.clients[n..] {
            c.retire();
        }
        self.size.set(n);
    }

    /// Sends a command to the least busy worker in use; returns the id its replies will carry.
    pub fn send(&self, command: Command) -> u32 {
        let n = self.size.get();
        let client = self.clients[..n]
            .iter()
            .min_by_key(|c| c.pending_count())
            .expect("a pool has a worker");
        client.send(command)
    }

    /// Stops every request in `ids` at once (only the workers computing one are replaced).
    pub fn cancel_all(&self, ids: &[u32]) {
        for c in &self.clients {
            c.cancel_all(ids);
        }
    }
}

/// The request a final reply answers.
pub fn reply_id(r: &Reply) -> Option<u32> {
    match r {
        Reply::CommonsAbc { id, .. }
        | Reply::Hatch { id, .. }
        | Reply::CrowdTrain { id, .. }
        | Reply::DataDao { id, .. }
        | Reply::CommonsDao { id, .. }
        | Reply::CommonsNetwork { id, .. }
        | Reply::Conviction { id, .. }
        | Reply::Scores { id, .. }
        | Reply::CrowdTrainRuns { id, .. }
        | Reply::StressRuns { id, .. }
        | Reply::Refused { id, .. } => Some(*id),
        Reply::Failed { id, .. } | Reply::Crashed { id, .. } => *id,
        Reply::Ready | Reply::Plan { .. } | Reply::Progress { .. } | Reply::Timing { .. } => None,
    }
}

fn post(worker: &Worker, req: &Request) {
    match serde_wasm_bindgen::to_value(req) {
        Ok(v) => {
            let _ = worker.post_message(&v);
        }
        Err(e) => web_sys::console::error_1(&format!("cannot encode a request: {e}").into()),
    }
}
