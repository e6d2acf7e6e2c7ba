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
