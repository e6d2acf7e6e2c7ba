//! The page's entry point (built by Trunk as the main wasm).

fn main() {
    #[cfg(target_arch = "wasm32")]
    flywheel_frontend::app::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the Flywheel page runs in a browser: `trunk serve`, or the `flywheel` CLI natively");
}
