//! What a run will cost, known before it starts.
//!
//! Every model estimates a run's work (in its own unit: operator-months, agent-steps) and its
//! memory from the parameters alone, before anything runs. A run past [`MAX_MEMORY_BYTES`] or
//! [`MAX_ESTIMATE_MS`] is refused with a message that says what to lower; the same rule holds in
//! the page, for links and in the CLI, because they all ask the same [`RunCost`]. The estimate of
//! the time is rough (measured rates of the reference machine) and only said to people; the
//! limits are fixed numbers, so whether a run is allowed never depends on the machine.

use crate::format::{bytes, duration_ms, readable};
use serde::{Deserialize, Serialize};

/// The most memory one run may need: a browser tab's worker has a few GB at most, and several
/// tabs share the machine.
pub const MAX_MEMORY_BYTES: f64 = 1.0e9;
/// The longest one run may take by the estimate (natively on one core of the reference machine;
/// in the page about twice as long).
pub const MAX_ESTIMATE_MS: f64 = 10.0 * 60.0 * 1000.0;
/// Runs estimated to take longer than this say so before they start.
pub const LONG_RUN_MS: f64 = 2000.0;
/// How much slower a model runs in the page's worker (wasm) than natively, for estimates said in
/// the page (measured: BENCHMARKS.md).
pub const WASM_SLOWDOWN: f64 = 1.7;

/// A run's size, known before it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunCost {
    /// Units of work, each about the same cost (e.g. one agent acting in one step).
    pub work: f64,
    /// The unit of `work`, e.g. "agent-steps".
    pub unit: String,
    /// Peak memory of the run (its state, records and any export it keeps).
    pub memory_bytes: f64,
    /// Rough time natively on one core of the reference machine.
    pub estimate_ms: f64,
    /// What makes the run this size, for people: "4,011 agents at the end, 2,000 steps".
    pub size: String,
    /// What to lower (or raise) to make the run smaller, naming the parameters.
    pub lower: String,
}

impl RunCost {
    /// `Err` with a message for people when the run is past a limit.
    pub fn check(&self) -> Result<(), String> {
        // NaN never passes.
        if self.memory_bytes.is_nan() || self.memory_bytes > MAX_MEMORY_BYTES {
            return Err(format!(
                "This run is too large: it would need about {} of memory ({}), more than the {} one run may use. To make it smaller, {}.",
                bytes(self.memory_bytes),
                self.size,
                bytes(MAX_MEMORY_BYTES),
                self.lower
            ));
        }
        if self.estimate_ms.is_nan() || self.estimate_ms > MAX_ESTIMATE_MS {
            return Err(format!(
                "This run is too long: it would take about {} ({} {}; {}), more than the {} one run may take. To make it shorter, {}.",
                duration_ms(self.estimate_ms),
                readable_count(self.work),
                self.unit,
                self.size,
                duration_ms(MAX_ESTIMATE_MS),
                self.lower
            ));
        }
        Ok(())
    }

    /// Whether the run is long enough to say how long it will take before it starts.
    pub fn is_long(&self, in_browser: bool) -> bool {
        self.estimate(in_browser) > LONG_RUN_MS
    }

    /// The estimated time natively or in the page's worker.
    pub fn estimate(&self, in_browser: bool) -> f64 {
        if in_browser {
            self.estimate_ms * WASM_SLOWDOWN
        } else {
            self.estimate_ms
        }
    }

    /// The run split over `workers` workers of a machine with `cores` cores: the same work and
    /// memory, the time divided by how many workers run at once (at most one a core), and the
    /// size says the split.
    pub fn spread(mut self, workers: usize, cores: usize) -> RunCost {
        if workers > 1 {
            let parallel = workers.min(cores).max(1);
            self.estimate_ms /= parallel as f64;
            self.size = format!("{}; over {workers} workers", self.size);
        }
        self
    }

    /// One line for people: "about 12 s: 4.0 million agent-steps (4,011 agents at the end,
    /// 2,000 steps), 3.4 MB".
    pub fn describe(&self, in_browser: bool) -> String {
        format!(
            "about {}: {} {} ({}), {} of memory",
            duration_ms(self.estimate(in_browser)),
            readable_count(self.work),
            self.unit,
            self.size,
            bytes(self.memory_bytes)
        )
    }
}

/// A count of work for people: `950,000`, `4.2 million`, `3.1 billion`.
pub fn readable_count(x: f64) -> String {
    if x >= 1e9 {
        format!("{} billion", readable(round_to(x / 1e9, 1)))
    } else if x >= 1e6 {
        format!("{} million", readable(round_to(x / 1e6, 1)))
    } else {
        readable(x.round())
    }
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = libm::pow(10.0, decimals as f64);
    libm::round(x * f) / f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(work: f64, memory_bytes: f64, estimate_ms: f64) -> RunCost {
        RunCost {
            work,
            unit: "agent-steps".into(),
            memory_bytes,
            estimate_ms,
            size: "11 agents, 10 steps".into(),
            lower: "lower total_steps".into(),
        }
    }

    #[test]
    fn limits_refuse_with_what_to_lower() {
        assert!(cost(1e6, 1e6, 100.0).check().is_ok());
        let e = cost(1e6, 3.2e9, 100.0).check().unwrap_err();
        assert!(
            e.contains("3.2 GB") && e.contains("1 GB") && e.contains("lower total_steps"),
            "{e}"
        );
        let e = cost(5e12, 1e6, 3.6e6 * 2.0).check().unwrap_err();
        assert!(
            e.contains("2 h") && e.contains("5,000 billion agent-steps"),
            "{e}"
        );
        assert!(
            e.contains("10 min") && e.contains("lower total_steps"),
            "{e}"
        );
        assert!(
            cost(1.0, f64::NAN, 1.0).check().is_err(),
            "NaN never passes"
        );
    }

    #[test]
    fn a_split_run_is_described_whole() {
        let whole = cost(4.0e6, 2.0e6, 8_000.0);
        let one = whole.clone().spread(1, 8);
        assert_eq!(one, whole, "one worker: the run as it is");
        // Two workers on two cores: the same work and memory in half the time.
        let two = whole.clone().spread(2, 2);
        assert_eq!(
            (two.work, two.memory_bytes, two.estimate_ms),
            (4.0e6, 2.0e6, 4_000.0)
        );
        assert!(
            two.describe(false).contains("over 2 workers"),
            "{}",
            two.describe(false)
        );
        // Eight workers on four cores: four at once.
        let eight = whole.spread(8, 4);
        assert_eq!(eight.estimate_ms, 2_000.0);
    }

    #[test]
    fn long_runs_are_told() {
        assert!(!cost(1.0, 1.0, 500.0).is_long(false));
        assert!(cost(1.0, 1.0, 1500.0).is_long(true));
        let d = cost(4.2e6, 3.4e6, 12_000.0).describe(false);
        assert_eq!(
            d,
            "about 12 s: 4.2 million agent-steps (11 agents, 10 steps), 3.4 MB of memory"
        );
    }
}
