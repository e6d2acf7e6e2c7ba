//! Flywheel's page.
//!
//! The page builds its parameter panel from the core's parameter specs, keeps the state in the
//! URL fragment, sends typed commands to the worker ([`worker_client`]) and draws the worker's
//! reports with the chart functions of `flywheel-charts` onto `<canvas>` ([`canvas`]). It never
//! evaluates a model itself.

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod export;
pub mod info;
#[cfg(target_arch = "wasm32")]
pub mod panel;
#[cfg(target_arch = "wasm32")]
pub mod player;
#[cfg(target_arch = "wasm32")]
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod views;
#[cfg(target_arch = "wasm32")]
pub mod widgets;
#[cfg(target_arch = "wasm32")]
pub mod worker_client;
