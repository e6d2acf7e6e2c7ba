//! Flywheel's economy core: models, typed parameters and the URL codec.
//!
//! This crate is pure Rust. It depends on no wasm or web crate (a test checks it), so every model
//! runs the same natively (CLI, tests, benchmarks) and in the browser's Web Worker.
//!
//! * [`commons`] — the Commons: the augmented bonding curve (`curve`), its explorer, and the DAO.
//! * [`cost`] — a run's work and memory, estimated before it starts, and the limits every run keeps.
//! * [`params`] — parameter specs (label, unit, range, help) and validation of raw text.
//! * [`codec`] — the URL fragment format shared by the page, the CLI and the tests.
//! * [`protocol`] — the typed commands and replies exchanged with the worker.
//! * [`stats`] — means, quantiles and per-step P10/P50/P90 bands shared by the Monte Carlos.
//! * [`rng`] — the seeded, portable random streams every stochastic model takes.

pub mod codec;
pub mod commons;
pub mod cost;
pub mod crowdtrain;
pub mod datadao;
pub mod format;
#[doc(hidden)]
pub mod golden;
pub mod params;
pub mod policy;
pub mod protocol;
pub mod research;
pub mod rng;
pub mod stats;
pub mod stress;
