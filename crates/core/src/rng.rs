//! Seeded, portable randomness.
//!
//! Every stochastic model takes an explicit [`Rng`]; nothing in the core uses a global or
//! thread-local generator. xoshiro256++ gives the same numbers on every platform, is fast enough
//! for millions of agent draws per second, and its jump function splits one seed into
//! non-overlapping streams (2^128 draws apart), one per Monte Carlo run if wanted.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every model uses.
pub type Rng = Xoshiro256PlusPlus;

/// A generator for `seed`, on independent stream `stream` (`stream` jumps of 2^128 draws).
pub fn stream(seed: u64, stream: u64) -> Rng {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..stream {
        rng.jump();
    }
    rng
}

/// A uniform draw in [0, 1) on the grid of multiples of 2⁻⁵³: the top 53 random bits, scaled
/// (exact, so identical on every platform).
#[inline]
pub fn uniform(rng: &mut Rng) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform draw in [lo, hi).
#[inline]
pub fn uniform_in(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * uniform(rng)
}

/// A uniform integer in [lo, hi] (inclusive), without modulo bias.
pub fn int_in(rng: &mut Rng, lo: u32, hi: u32) -> u32 {
    use rand::RngCore;
    debug_assert!(lo <= hi);
    let span = (hi - lo) as u64 + 1;
    // Lemire's multiply-shift with rejection: exact and portable.
    let zone = u64::MAX - (u64::MAX - span + 1) % span;
    loop {
        let x = rng.next_u64();
        if x <= zone {
            return lo + ((x as u128 * span as u128) >> 64) as u32;
        }
    }
}

const ZIG_R: f64 = 3.442619855899;
const ZIG_V: f64 = 9.91256303526217e-3;

struct Ziggurat {
    /// Layer edges x₀…x₁₂₈.
    x: [f64; 129],
    /// xᵢ₊₁ / xᵢ: below this |u| a draw is inside layer i's rectangle.
    r: [f64; 128],
}

fn ziggurat() -> &'static Ziggurat {
    static TABLES: std::sync::OnceLock<Ziggurat> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; 129];
        let mut f = libm::exp(-0.5 * ZIG_R * ZIG_R);
        x[0] = ZIG_V / f;
        x[1] = ZIG_R;
        for i in 2..128 {
            x[i] = libm::sqrt(-2.0 * libm::log(ZIG_V / x[i - 1] + f));
            f = libm::exp(-0.5 * x[i] * x[i]);
        }
        let mut r = [0.0; 128];
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = x[i + 1] / x[i];
        }
        Ziggurat { x, r }
    })
}

/// A draw from N(mean, sd) (see [`standard_normal`]).
#[inline]
pub fn normal(rng: &mut Rng, mean: f64, sd: f64) -> f64 {
    mean + sd * standard_normal(rng)
}

/// A draw from N(0, 1) by the ziggurat method (Marsaglia & Tsang, 128 layers, in Doornik's form):
/// one 64-bit draw and no transcendental function for about 99% of draws. Its tables are computed
/// once with `libm`, so draws are bit-identical on every platform.
#[inline]
pub fn standard_normal(rng: &mut Rng) -> f64 {
    Normal::new().standard(rng)
}

/// The normal sampler with its tables in hand: for loops that draw many normals, so that the
/// tables are looked up once (the same draws as [`normal`]).
#[derive(Clone, Copy)]
pub struct Normal(&'static Ziggurat);

impl Normal {
    pub fn new() -> Self {
        Normal(ziggurat())
    }

    /// A draw from N(mean, sd).
    #[inline]
    pub fn draw(self, rng: &mut Rng, mean: f64, sd: f64) -> f64 {
        mean + sd * self.standard(rng)
    }

    /// A draw from N(0, 1).
    #[inline]
    pub fn standard(self, rng: &mut Rng) -> f64 {
        let z = self.0;
        let (i, u) = ziggurat_draw(rng);
        if u.abs() < z.r[i] {
            return u * z.x[i];
        }
        normal_outside_rectangles(rng, z, i, u)
    }
}

impl Default for Normal {
    fn default() -> Self {
        Self::new()
    }
}

/// One 64-bit draw: the layer from the low 7 bits, the position in (−1, 1) from the top 53 (no
/// bit is used twice).
#[inline(always)]
fn ziggurat_draw(rng: &mut Rng) -> (usize, f64) {
    use rand::RngCore;
    let bits = rng.next_u64();
    let i = (bits & 0x7f) as usize;
    let u = 2.0 * ((bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)) - 1.0;
    (i, u)
}

/// The rare rest of [`standard_normal`] (about 1% of draws): the tail, the wedges, and new draws
/// after a rejection. Kept out of line so the common path stays small enough to inline.
#[cold]
#[inline(never)]
fn normal_outside_rectangles(rng: &mut Rng, z: &Ziggurat, mut i: usize, mut u: f64) -> f64 {
    loop {
        if i == 0 {
            // The tail beyond R (Marsaglia's method).
            loop {
                let x = libm::log(1.0 - uniform(rng)) / ZIG_R;
                let y = libm::log(1.0 - uniform(rng));
                if -2.0 * y >= x * x {
                    return if u < 0.0 { x - ZIG_R } else { ZIG_R - x };
                }
            }
        }
        let x = u * z.x[i];
        let f0 = libm::exp(-0.5 * (z.x[i] * z.x[i] - x * x));
        let f1 = libm::exp(-0.5 * (z.x[i + 1] * z.x[i + 1] - x * x));
        if f1 + uniform(rng) * (f0 - f1) < 1.0 {
            return x;
        }
        (i, u) = ziggurat_draw(rng);
        if u.abs() < z.r[i] {
            return u * z.x[i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_and_streams_differ() {
        let a: Vec<f64> = {
            let mut r = stream(42, 0);
            (0..5).map(|_| uniform(&mut r)).collect()
        };
        let b: Vec<f64> = {
            let mut r = stream(42, 0);
            (0..5).map(|_| uniform(&mut r)).collect()
        };
        let c: Vec<f64> = {
            let mut r = stream(42, 1);
            (0..5).map(|_| uniform(&mut r)).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn normal_draws_have_the_right_moments() {
        let mut r = stream(7, 0);
        let xs: Vec<f64> = (0..200_000).map(|_| normal(&mut r, 1.0, 0.15)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!((mean - 1.0).abs() < 0.002, "mean {mean}");
        assert!((var.sqrt() - 0.15).abs() < 0.002, "sd {}", var.sqrt());
        let within = xs.iter().filter(|x| (*x - 1.0).abs() < 0.15).count() as f64 / xs.len() as f64;
        assert!((within - 0.6827).abs() < 0.005, "one-sigma share {within}");
        // The tails, where the ziggurat's special cases act: P(|z| > 2) = 0.0455, P(|z| > 3) = 0.0027.
        let beyond = |k: f64| {
            xs.iter().filter(|x| ((*x - 1.0) / 0.15).abs() > k).count() as f64 / xs.len() as f64
        };
        assert!(
            (beyond(2.0) - 0.0455).abs() < 0.002,
            "two-sigma tail {}",
            beyond(2.0)
        );
        assert!(
            (beyond(3.0) - 0.0027).abs() < 0.0006,
            "three-sigma tail {}",
            beyond(3.0)
        );
        assert!(
            xs.iter().any(|x| ((*x - 1.0) / 0.15).abs() > ZIG_R),
            "no draw from the ziggurat's tail"
        );
    }

    #[test]
    fn integers_cover_the_inclusive_range_evenly() {
        let mut r = stream(3, 0);
        let mut counts = [0usize; 22];
        for _ in 0..220_000 {
            let k = int_in(&mut r, 3, 24);
            counts[(k - 3) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(int_in(&mut r, 5, 5), 5);
    }

    #[test]
    fn golden_first_draws_are_portable() {
        // Pinned so that a change of generator or conversion (which would silently change every
        // seeded result users have shared) fails loudly. The wasm tests check the same bits.
        assert_eq!(
            crate::golden::first_draws(),
            crate::golden::FIRST_DRAWS_SEED42
        );
    }
}
