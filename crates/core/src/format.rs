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
        let (v, suffix) = if a >= 1e12 {
            (x / 1e12, "T")
        } else if a >= 1e9 {
            (x / 1e9, "B")
        } else if a >= 1e6 {
            (x / 1e6, "M")
        } else {
            (x / 1e3, "k")
        };
        return format!("{}{}", trim_zeros(&sig(v, digits)), suffix);
    }
    if a != 0.0 && !(1e-4..1e15).contains(&a) {
        return format!("{x:.*e}", digits.saturating_sub(1));
    }
    let s = sig(x, digits);
    group_thousands(&s)
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
    }
}
