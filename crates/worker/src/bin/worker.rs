//! The worker's entry point (built by Trunk as `worker.js` + `worker_bg.wasm`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    flywheel_worker::web::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the Flywheel worker runs in a browser; use the `flywheel` CLI natively");
}
