//! The page's entry point (built by Trunk as the main wasm).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

fn main() {
    #[cfg(target_arch = "wasm32")]
    flywheel_frontend::app::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!(
        "the Flywheel page runs in a browser: `scripts/serve.sh`, or the `flywheel` CLI natively"
    );
}

/// Diagnostics for tests and developers (`window.wasmBindings.debug_crash_worker("boom")`):
/// makes the worker panic, to show the page reports it and keeps working.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn debug_crash_worker(message: String) {
    flywheel_frontend::app::debug_crash_worker(message);
}
