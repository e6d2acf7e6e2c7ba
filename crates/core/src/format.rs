//! Number formatting shared by the codec, the CLI and the page.

/// The shortest text that parses back to exactly `x`: integers without a fraction ("3", not
/// "3.0"), exponents only where they are shorter ("1e-7", "2.5e20").
pub fn shortest(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:?}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// A parameter value for people: every digit it has (as [`shortest`]), thousands grouped, and an
/// exponent only for very large or very small magnitudes: `1,000,000`, `0.35`, `1e12`, `1e-6`.
pub fn plain(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-3..1e7).contains(&x.abs()) {
        return format!("{x:e}");
    }
    group_thousands(&shortest(x))
}

/// A computed number as a person writes it in a sentence: at most six significant digits,
/// trailing zeros dropped, thousands grouped: `1.6` (not `1.5999999999999999`), `0.333333`,
/// `12,345.7`, `2.5e20`.
pub fn readable(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return human(x, 6, false);
    }
    let a = x.abs();
    if !(1e-4..1e15).contains(&a) {
        let s = format!("{x:.5e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{e}", trim_zeros(m));
    }
    group_thousands(&trim_zeros(&sig(x, 6)))
}

/// A fraction as a percentage with three significant digits at most: `50%`, `4.17%`, `0.5%`.
pub fn percent(fraction: f64) -> String {
    let x = fraction * 100.0;
    if x == 0.0 || !x.is_finite() {
        return format!("{}%", human(x, 3, false));
    }
    format!("{}%", trim_zeros(&sig(x, 3)))
}

/// A count with its noun: `1 run`, `20 runs`, `1,000 steps`.
pub fn plural(n: f64, noun: &str) -> String {
    if n == 1.0 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", readable(n))
    }
}

/// A byte count for people: `512 bytes`, `3.4 MB`, `1.2 GB` (powers of 1000, as storage is sold).
pub fn bytes(n: f64) -> String {
    if !n.is_finite() || n < 1e3 {
        return format!("{} bytes", human(n.max(0.0), 3, false));
    }
    let (v, unit) = if n >= 1e12 {
        (n / 1e12, "TB")
    } else if n >= 1e9 {
        (n / 1e9, "GB")
    } else if n >= 1e6 {
        (n / 1e6, "MB")
    } else {
        (n / 1e3, "kB")
    };
    format!("{} {unit}", trim_zeros(&sig(v, 2)))
}

/// A duration for people, rounded to what matters: `0.4 s`, `12 s`, `3 min`, `1.5 h`.
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "–".into();
    }
    let s = ms / 1e3;
    if s < 10.0 {
        format!("{} s", trim_zeros(&format!("{s:.1}")))
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 90.0 * 60.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{} h", trim_zeros(&format!("{:.1}", s / 3600.0)))
    }
}

/// An amount with exactly `decimals` decimals and thousands grouped: `1,300,000.00`.
/// Magnitudes beyond 1e15 use an exponent.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() || x.abs() >= 1e15 {
        return human(x, decimals + 3, false);
    }
    group_thousands(&format!("{x:.decimals$}"))
}

/// A human-friendly number for metrics and axis labels: thousands separators, `digits`
/// significant digits, and k/M/B/T suffixes for large magnitudes when `compact` is set.
pub fn human(x: f64, digits: usize, compact: bool) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "–".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = x.abs();
    if compact && a >= 1e3 {
        // The suffix whose mantissa, once rounded, stays below 1000 (999,950 is "1M", not
        // "1000k"); beyond the trillions an exponent ("5e17", never "500000T").
        for (scale, suffix) in [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")] {
            let m = sig(x / scale, digits.max(1));
            if m.trim_start_matches('-').parse::<f64>().unwrap_or(0.0) < 1000.0 {
                return format!("{}{}", trim_zeros(&m), suffix);
            }
        }
        return exponent(x, digits);
    }
    if a != 0.0 && !(1e-4..1e15).contains(&a) {
        return format!("{x:.*e}", digits.saturating_sub(1));
    }
    let s = sig(x, digits);
    group_thousands(&s)
}

/// A number as short as it reads, for axis ticks and tight labels: at most `digits` significant
/// digits, trailing zeros dropped, k/M/B/T suffixes, an exponent beyond the trillions or below
/// 0.0001: `1.5M`, `250k`, `0.16`, `56`, `5e17`, `5e-7`.
pub fn compact(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return human(x, digits, true);
    }
    let a = x.abs();
    if a < 1e-4 {
        return exponent(x, digits);
    }
    if a < 1e3 {
        return group_thousands(&trim_zeros(&sig(x, digits)));
    }
    human(x, digits, true)
}

/// An amount of US dollars, compact: `$815k`, `$1.2M`, `$0.0987`, `−$5k` (three significant
/// digits).
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return human(x, 3, true);
    }
    let s = compact(x.abs(), 3);
    if x < 0.0 && s != "0" {
        format!("−${s}")
    } else {
        format!("${s}")
    }
}

/// A mean and its standard deviation, both written by `f`: `$815k ± $82k`.
pub fn mean_std(mean: f64, std: f64, f: impl Fn(f64) -> String) -> String {
    format!("{} ± {}", f(mean), f(std.abs()))
}

/// `x` with `digits` significant digits in exponent form, the mantissa's trailing zeros dropped:
/// `5e17`, `1.23e-7`.
fn exponent(x: f64, digits: usize) -> String {
    let s = format!("{x:.*e}", digits.saturating_sub(1));
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let m = trim_zeros(m);
    match m.strip_prefix('-') {
        Some(m) => format!("−{m}e{e}"),
        None => format!("{m}e{e}"),
    }
}

/// `x` with `digits` significant digits, as plain decimal text.
fn sig(x: f64, digits: usize) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let mag = libm::floor(libm::log10(x.abs())) as i32;
    let decimals = (digits as i32 - 1 - mag).max(0) as usize;
    format!("{x:.decimals$}")
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map(|r| ("−", r)).unwrap_or(("", s));
    let (int, frac) = rest
        .split_once('.')
        .map(|(i, f)| (i, Some(f)))
        .unwrap_or((rest, None));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// `v` to `digits` significant digits, through Rust's exact decimal formatting (portable):
/// values people read and share (a slider's value, a research proposal).
pub fn round_sig(v: f64, digits: usize) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{:.*e}", digits.saturating_sub(1), v)
        .parse()
        .unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_round_trips() {
        for x in [
            0.0,
            3.0,
            0.35,
            1e-7,
            1e20,
            2.5e20,
            123456.789,
            0.1 + 0.2,
            -4.0,
            f64::MAX,
        ] {
            let s = shortest(x);
            assert_eq!(s.parse::<f64>().unwrap(), x, "{s}");
        }
        assert_eq!(shortest(3.0), "3");
        assert_eq!(shortest(0.35), "0.35");
        assert_eq!(shortest(1e-7), "1e-7");
    }

    #[test]
    fn plain_formats() {
        assert_eq!(plain(1.0), "1");
        assert_eq!(plain(1e6), "1,000,000");
        assert_eq!(plain(1e12), "1e12");
        assert_eq!(plain(1e-6), "1e-6");
        assert_eq!(plain(0.35), "0.35");
        assert_eq!(plain(2.5e8), "2.5e8");
    }

    #[test]
    fn readable_formats() {
        assert_eq!(readable(0.6 + 0.4 + 0.05 + 0.05 + 0.3 + 0.2 - 0.0), "1.6");
        assert_eq!(readable(1.5999999999999999), "1.6");
        assert_eq!(readable(1.0 / 3.0), "0.333333");
        assert_eq!(readable(12_345.678), "12,345.7");
        assert_eq!(readable(-0.25), "−0.25");
        assert_eq!(readable(2.5e20), "2.5e20");
        assert_eq!(readable(1e-7), "1e-7");
        assert_eq!(readable(0.0), "0");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.05 / 1.2), "4.17%");
        assert_eq!(percent(0.2 / 1.2), "16.7%");
        assert_eq!(percent(0.005), "0.5%");
        assert_eq!(percent(0.0), "0%");
    }

    #[test]
    fn bytes_and_durations() {
        assert_eq!(bytes(512.0), "512 bytes");
        assert_eq!(bytes(3_400_000.0), "3.4 MB");
        assert_eq!(bytes(1.23e9), "1.2 GB");
        assert_eq!(bytes(250e6), "250 MB");
        assert_eq!(duration_ms(400.0), "0.4 s");
        assert_eq!(duration_ms(12_300.0), "12 s");
        assert_eq!(duration_ms(180_000.0), "3 min");
        assert_eq!(duration_ms(5.4e6), "1.5 h");
    }

    #[test]
    fn fixed_formats() {
        assert_eq!(fixed(1_300_000.0, 2), "1,300,000.00");
        assert_eq!(fixed(-17.5, 2), "−17.50");
        assert_eq!(fixed(0.004, 2), "0.00");
    }

    #[test]
    fn human_formats() {
        assert_eq!(human(10_062_305.9, 9, false), "10,062,305.9");
        assert_eq!(human(0.16, 4, false), "0.1600");
        assert_eq!(human(1_500_000.0, 3, true), "1.5M");
        assert_eq!(human(-2500.0, 3, false), "−2,500");
        assert_eq!(human(f64::NAN, 3, false), "–");
        // Compact never writes thousands of trillions, nor a mantissa of 1000.
        assert_eq!(human(5e17, 3, true), "5e17");
        assert_eq!(human(1.234e18, 3, true), "1.23e18");
        assert_eq!(human(999_950.0, 3, true), "1M");
        assert_eq!(human(999_400.0, 3, true), "999k");
        assert_eq!(human(-2.5e15, 3, true), "−2.5e15");
        assert_eq!(human(999.5e12, 3, true), "1e15");
        assert_eq!(human(815_402.9, 7, true), "815.4029k");
    }

    #[test]
    fn compact_formats() {
        assert_eq!(compact(0.0, 3), "0");
        assert_eq!(compact(56.03, 3), "56");
        assert_eq!(compact(0.16, 3), "0.16");
        assert_eq!(compact(0.05, 3), "0.05");
        assert_eq!(compact(1_500_000.0, 3), "1.5M");
        assert_eq!(compact(250_000.0, 3), "250k");
        assert_eq!(compact(989_200_596.0, 4), "989.2M");
        assert_eq!(compact(5e17, 3), "5e17");
        assert_eq!(compact(5e-7, 3), "5e-7");
        assert_eq!(compact(1.5e-7, 3), "1.5e-7");
        assert_eq!(compact(-0.25, 3), "−0.25");
        assert_eq!(compact(-5e-7, 3), "−5e-7");
        assert_eq!(compact(f64::NAN, 3), "–");
    }

    /// Compact numbers stay short whatever the magnitude: never an "e+", never more than three
    /// digits before a k/M/B/T suffix, never more than nine characters (−1.23e-12).
    #[test]
    fn compact_is_short_at_every_magnitude() {
        let mut x = 1.234_567e-12;
        while x < 1e24 {
            for v in [x, -x, x * 9.999_9] {
                let s = compact(v, 3);
                assert!(!s.contains("e+"), "{v}: {s}");
                assert!(s.chars().count() <= 9, "{v}: {s}");
                if let Some(i) = s.find(['k', 'M', 'B', 'T']) {
                    let digits = s[..i].chars().filter(|c| c.is_ascii_digit()).count();
                    assert!(digits <= 3, "{v}: {s}");
                }
            }
            x *= 3.7;
        }
    }

    #[test]
    fn money_and_mean_std() {
        assert_eq!(money(815_402.9), "$815k");
        assert_eq!(money(82_030.27), "$82k");
        assert_eq!(mean_std(815_402.9, 82_030.27, money), "$815k ± $82k");
        assert_eq!(money(1_234_567.0), "$1.23M");
        assert_eq!(money(0.0987654), "$0.0988");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-5_000.0), "−$5k");
        assert_eq!(money(3e6), "$3M");
        assert_eq!(money(f64::NAN), "–");
        assert_eq!(mean_std(0.5863, -0.0123, |x| compact(x, 2)), "0.59 ± 0.012");
    }
}
