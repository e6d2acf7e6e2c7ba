//! The Commons (spec `commons.md`): an augmented bonding curve, and the DAO around it.
//!
//! * [`curve`] — the augmented bonding curve: hatch, buy, sell, spot price (§1, §2, §7).
//! * [`explorer`] — the curve explorer: a hatch, a history of trades and a what-if trade.
pub mod curve;
pub mod explorer;
