//! The Commons (spec `commons.md`): an augmented bonding curve, and the DAO around it.
//!
//! * [`curve`] — the augmented bonding curve: hatch, buy, sell, spot price (§1, §2, §7).
//! * [`explorer`] — the curve explorer: a hatch, a history of trades and a what-if trade.
//! * [`conviction`] — conviction voting: the trigger function, α, and the calculator (§3).
//! * [`dao`] — the DAO's parameters and presets (§2–§5).
//! * [`sim`] — participants, proposals and support edges; the day in §4's exact order.
//! * [`score`] — the reference's 0–1000 score (§5).
//! * [`montecarlo`] — N seeded runs, their daily records, metrics and P10/P50/P90 bands.
//! * [`research`] — the DAO as a subject of the autoresearch engine.
pub mod conviction;
pub mod curve;
pub mod dao;
pub mod explorer;
pub mod montecarlo;
pub mod research;
pub mod score;
pub mod sim;
pub mod stress;
