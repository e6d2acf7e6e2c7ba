//! Statistics shared by the Monte Carlos of every model: means, population standard deviations,
//! quantiles and per-step P10/P50/P90 bands.

use serde::{Deserialize, Serialize};

/// Mean and population standard deviation (0, 0 for no values).
pub fn mean_std(xs: &[f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, libm::sqrt(var))
}

/// The q-th quantile (0…1) of sorted values by linear interpolation between order statistics
/// (NaN for no values).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = q * (n - 1) as f64;
            let i = (libm::floor(h) as usize).min(n - 2);
            sorted[i] + (h - i as f64) * (sorted[i + 1] - sorted[i])
        }
    }
}

/// P10, P50 and P90 of `xs` (sorted in place).
pub fn p10_p50_p90(xs: &mut [f64]) -> [f64; 3] {
    xs.sort_by(f64::total_cmp);
    [quantile(xs, 0.1), quantile(xs, 0.5), quantile(xs, 0.9)]
}

/// P10, P50 and P90 of one quantity over the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Spread {
    /// The spread of `xs` (all zero for none).
    pub fn of(mut xs: Vec<f64>) -> Spread {
        if xs.is_empty() {
            return Spread::default();
        }
        let [p10, p50, p90] = p10_p50_p90(&mut xs);
        Spread { p10, p50, p90 }
    }
}

/// P10, P50 and P90 of one recorded series, step by step (month, day, …) over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub field: String,
    pub p10: Vec<f64>,
    pub p50: Vec<f64>,
    pub p90: Vec<f64>,
}

impl Band {
    /// The band of `field` over `runs` runs of `steps` steps, `value(run, step)` giving each value.
    pub fn over_runs(
        field: &str,
        runs: usize,
        steps: usize,
        value: impl Fn(usize, usize) -> f64,
    ) -> Band {
        let mut band = Band {
            field: field.to_string(),
            p10: Vec::with_capacity(steps),
            p50: Vec::with_capacity(steps),
            p90: Vec::with_capacity(steps),
        };
        let mut xs = Vec::with_capacity(runs);
        for step in 0..steps {
            xs.clear();
            xs.extend((0..runs).map(|r| value(r, step)));
            let [p10, p50, p90] = p10_p50_p90(&mut xs);
            band.p10.push(p10);
            band.p50.push(p50);
            band.p90.push(p90);
        }
        band
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_moments() {
        assert_eq!(mean_std(&[1.0, 3.0]), (2.0, 1.0));
        assert_eq!(mean_std(&[]), (0.0, 0.0));
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&xs, 0.5), 3.0);
        assert!((quantile(&xs, 0.1) - 1.4).abs() < 1e-12);
        assert!((quantile(&xs, 0.9) - 4.6).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
        assert_eq!(p10_p50_p90(&mut [5.0, 1.0, 3.0, 2.0, 4.0]), [1.4, 3.0, 4.6]);
    }

    #[test]
    fn bands_follow_each_step() {
        // Run r, step s has value 10·s + r: the median of 0…4 is 2 at every step.
        let b = Band::over_runs("x", 5, 3, |r, s| (10 * s + r) as f64);
        assert_eq!(b.p50, vec![2.0, 12.0, 22.0]);
        assert_eq!(b.field, "x");
        assert!((b.p10[1] - 10.4).abs() < 1e-12 && (b.p90[2] - 23.6).abs() < 1e-12);
    }
}
