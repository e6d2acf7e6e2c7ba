//! Parameter specifications and validation.
//!
//! Raw text (from the URL, a form field or `--set name=value`) is validated against a
//! [`ParamSpec`] into a typed value. Invalid text never panics: it yields a [`ParamIssue`] that
//! names the field and its allowed range, and the caller keeps a valid value (the default).

use crate::format::{plain, readable, shortest};
use serde::{Deserialize, Serialize};

/// How a slider maps to a real parameter's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// For quantities spanning orders of magnitude (money, token amounts).
    Log,
}

/// A real-valued parameter.
#[derive(Clone, Copy, Debug)]
pub struct RealSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub help: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// The step a form field offers (validation accepts any value in range).
    pub step: f64,
    pub scale: Scale,
    /// Only whole numbers are valid (months, counts, seeds).
    pub integer: bool,
}

impl RealSpec {
    /// `x` moved by `steps` steps (negative: down) as a keyboard steps a field, kept in range:
    /// the field's step on a linear scale (landing on whole multiples of it); on a log scale a
    /// tenth of a decade, rounded to three significant digits. Whole-number fields stay whole.
    pub fn stepped(&self, x: f64, steps: f64) -> f64 {
        let v = match self.scale {
            Scale::Linear => {
                let k = ((x + steps * self.step) / self.step).round();
                // The product alone can carry binary noise (21 × 0.1): read it back at 12 digits.
                format!("{:.12e}", k * self.step).parse().unwrap_or(x)
            }
            Scale::Log if x <= 0.0 => {
                if steps > 0.0 {
                    self.step.max(self.min)
                } else {
                    0.0
                }
            }
            Scale::Log => {
                let v = x * libm::pow(10.0, steps / 10.0);
                format!("{v:.2e}").parse().unwrap_or(x)
            }
        };
        let v = if self.integer { libm::round(v) } else { v };
        v.clamp(self.min, self.max)
    }
}

/// A real parameter's spec, written as one row of a model's parameter table (the arguments read
/// as the table's columns).
#[allow(clippy::too_many_arguments)]
pub const fn real(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    default: f64,
    range: (f64, f64),
    step: f64,
    scale: Scale,
    integer: bool,
) -> ParamSpec {
    ParamSpec::Real(RealSpec {
        name,
        label,
        unit,
        help,
        default,
        min: range.0,
        max: range.1,
        step,
        scale,
        integer,
    })
}

/// A parameter that takes one of a fixed set of names.
#[derive(Clone, Copy, Debug)]
pub struct ChoiceSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub default: &'static str,
    /// (value as written in URLs and the CLI, label shown in the panel)
    pub options: &'static [(&'static str, &'static str)],
}

/// One parameter of a model, with everything the panel, the codec and the CLI show of it.
#[derive(Clone, Copy, Debug)]
pub enum ParamSpec {
    Real(RealSpec),
    Choice(ChoiceSpec),
}

impl ParamSpec {
    pub fn name(&self) -> &'static str {
        match self {
            ParamSpec::Real(r) => r.name,
            ParamSpec::Choice(c) => c.name,
        }
    }
    pub fn label(&self) -> &'static str {
        match self {
            ParamSpec::Real(r) => r.label,
            ParamSpec::Choice(c) => c.label,
        }
    }
    pub fn help(&self) -> &'static str {
        match self {
            ParamSpec::Real(r) => r.help,
            ParamSpec::Choice(c) => c.help,
        }
    }
    pub fn unit(&self) -> &'static str {
        match self {
            ParamSpec::Real(r) => r.unit,
            ParamSpec::Choice(_) => "",
        }
    }
    /// The allowed values as text, e.g. `1 to 10` or `buy | sell`.
    pub fn allowed(&self) -> String {
        match self {
            ParamSpec::Real(r) => format!("{} to {}", plain(r.min), plain(r.max)),
            ParamSpec::Choice(c) => c
                .options
                .iter()
                .map(|(v, _)| *v)
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }
    /// The default as it is written in URLs and the CLI.
    pub fn default_text(&self) -> String {
        match self {
            ParamSpec::Real(r) => shortest(r.default),
            ParamSpec::Choice(c) => c.default.to_string(),
        }
    }
    pub fn default_value(&self) -> Value {
        match self {
            ParamSpec::Real(r) => Value::Real(r.default),
            ParamSpec::Choice(c) => Value::Choice(c.default),
        }
    }

    /// Validates raw text for this parameter.
    pub fn parse(&self, raw: &str) -> Result<Value, ParamIssue> {
        let text = raw.trim();
        match self {
            ParamSpec::Real(r) => {
                let cleaned: String = text.chars().filter(|c| *c != '_').collect();
                let reason = if cleaned.is_empty() {
                    Some("is empty".to_string())
                } else {
                    match cleaned.parse::<f64>() {
                        Err(_) => Some(format!("'{}' is not a number", clip(text))),
                        Ok(x) if !x.is_finite() => {
                            Some(format!("'{}' is not a finite number", clip(text)))
                        }
                        Ok(x) if x < r.min || x > r.max => {
                            Some(format!("{} is out of range", clip(text)))
                        }
                        Ok(x) if r.integer && x.fract() != 0.0 => {
                            Some(format!("{} is not a whole number", clip(text)))
                        }
                        Ok(x) => return Ok(Value::Real(if x == 0.0 { 0.0 } else { x })),
                    }
                };
                Err(self.issue(reason.unwrap_or_default()))
            }
            ParamSpec::Choice(c) => c
                .options
                .iter()
                .find(|(v, _)| v.eq_ignore_ascii_case(text))
                .map(|(v, _)| Value::Choice(v))
                .ok_or_else(|| self.issue(format!("'{}' is not one of the options", clip(text)))),
        }
    }

    /// An issue for this field: the reason, the allowed range and the default that is used.
    pub fn issue(&self, reason: String) -> ParamIssue {
        ParamIssue {
            field: self.name().to_string(),
            message: format!(
                "{}: {reason}; allowed {}{}; using the default {}",
                self.name(),
                self.allowed(),
                unit_suffix(self.unit()),
                match self {
                    ParamSpec::Real(r) => plain(r.default),
                    ParamSpec::Choice(c) => c.default.to_string(),
                }
            ),
        }
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() || unit == "fraction" {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// Raw input is quoted back to the user, but never at unbounded length.
pub fn clip(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// A validated parameter value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Real(f64),
    Choice(&'static str),
}

impl Value {
    pub fn as_real(self) -> Option<f64> {
        match self {
            Value::Real(x) => Some(x),
            Value::Choice(_) => None,
        }
    }
    pub fn as_choice(self) -> Option<&'static str> {
        match self {
            Value::Choice(c) => Some(c),
            Value::Real(_) => None,
        }
    }
    /// The value as written in URLs and the CLI.
    pub fn to_text(self) -> String {
        match self {
            Value::Real(x) => shortest(x),
            Value::Choice(c) => c.to_string(),
        }
    }
}

/// Something wrong with the input, for the user: which field and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamIssue {
    /// The parameter's name as in the URL and CLI (or `v`, or the unknown name given).
    pub field: String,
    /// A complete sentence naming the field, the problem, the allowed range and the fallback.
    pub message: String,
}

/// A model's parameter set: typed fields, reachable by name for the codec, the panel and the CLI.
/// A parameter entered as free text and read by [`ParamModel::parse_extra`] (e.g. six tier
/// multipliers): what the panel and the CLI's help show for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub help: &'static str,
    /// What is allowed, as the error messages say it.
    pub allowed: &'static str,
    pub default: &'static str,
}

pub trait ParamModel: Clone + Default + PartialEq {
    /// The tab name in URLs (`#commons?...`).
    const TAB: &'static str;
    /// Link keys that describe the page's view rather than the model (e.g. the inspected step):
    /// reading a link skips them, so the CLI accepts a page's whole link.
    const VIEW_KEYS: &'static [&'static str] = &[];
    /// Every parameter, in panel order.
    fn specs() -> &'static [ParamSpec];
    /// The current value of a named parameter.
    fn get(&self, name: &str) -> Option<Value>;
    /// Stores an already validated value.
    fn put(&mut self, name: &str, value: Value);
    /// Keys beyond the specs (e.g. a list of trades): `None` if `key` is not one of them.
    fn parse_extra(&mut self, _key: &str, _raw: &str) -> Option<Result<(), ParamIssue>> {
        None
    }
    /// Checks between fields (e.g. a maximum below its minimum); fixes them and says how.
    fn cross_check(&mut self) -> Vec<ParamIssue> {
        Vec::new()
    }
    /// What the model makes of valid values it does not use as written (e.g. population shares
    /// that do not add up to 1, used in proportion): shown beside the fields and printed by the
    /// CLI, without changing anything.
    fn notes(&self) -> Vec<ParamIssue> {
        Vec::new()
    }
    /// Non-default extra keys, for the URL.
    fn extra_pairs(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Extra keys the panel shows as text fields (a list of numbers, say).
    fn text_fields() -> &'static [TextSpec] {
        &[]
    }
    /// The current text of a [`TextSpec`] field.
    fn text_value(&self, _key: &str) -> Option<String> {
        None
    }

    fn spec(name: &str) -> Option<&'static ParamSpec> {
        Self::specs().iter().find(|s| s.name() == name)
    }

    /// Validates `raw` for parameter `name` and stores it. On error the model is unchanged.
    fn set_text(&mut self, name: &str, raw: &str) -> Result<(), ParamIssue> {
        if let Some(spec) = Self::spec(name) {
            let v = spec.parse(raw)?;
            self.put(name, v);
            return Ok(());
        }
        if let Some(r) = self.parse_extra(name, raw) {
            return r;
        }
        Err(unknown_issue::<Self>(name))
    }

    /// Parameters that differ from their defaults, in spec order, followed by the extra keys.
    fn non_default_pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Self::specs()
            .iter()
            .filter_map(|s| {
                let v = self.get(s.name())?;
                (v != s.default_value()).then(|| (s.name().to_string(), v.to_text()))
            })
            .collect();
        out.extend(self.extra_pairs());
        out
    }
}

/// The issue for a name no parameter has.
pub fn unknown_issue<M: ParamModel>(name: &str) -> ParamIssue {
    if name.trim().is_empty() {
        return ParamIssue {
            field: "link".into(),
            message: "link: a value without a parameter name ('=…') was ignored".into(),
        };
    }
    let known: Vec<&str> = M::specs()
        .iter()
        .map(|s| s.name())
        .chain(M::text_fields().iter().map(|t| t.name))
        .collect();
    ParamIssue {
        field: clip(name),
        message: format!(
            "unknown parameter '{}' was ignored; known: {}",
            clip(name),
            known.join(", ")
        ),
    }
}

/// `text` (a message) with every parameter name of `M` written as its panel label, for people
/// reading the page: "Maximum lockup: 24 is below Minimum lockup (30)". With `keep_names` the
/// name follows in brackets, "Steps (total_steps)", where the reader may want to type it. Only
/// whole words are replaced; the CLI keeps the names, which are what it takes.
pub fn with_labels<M: ParamModel>(text: &str, keep_names: bool) -> String {
    let label_of = |word: &str| -> Option<&'static str> {
        M::specs()
            .iter()
            .find(|s| s.name() == word)
            .map(|s| s.label())
            .or_else(|| {
                M::text_fields()
                    .iter()
                    .find(|t| t.name == word)
                    .map(|t| t.label)
            })
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // A word right after a number is a unit ("1 to 3,650 days"), even when a parameter
        // has the same name.
        let after_number = out
            .strip_suffix(' ')
            .and_then(|o| o.chars().last())
            .is_some_and(|c| c.is_ascii_digit());
        match label_of(word) {
            Some(_) if after_number => out.push_str(word),
            Some(label) if keep_names => out.push_str(&format!("{label} ({word})")),
            Some(label) => out.push_str(label),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Applies `name=value` pairs in order. Each invalid pair yields an issue and leaves that field at
/// its default (or at its last valid value when a name is repeated).
pub fn apply_pairs<M: ParamModel>(model: &mut M, pairs: &[(String, String)]) -> Vec<ParamIssue> {
    let mut issues = Vec::new();
    for (k, v) in pairs {
        if let Err(issue) = model.set_text(k, v) {
            issues.push(issue);
        }
    }
    issues.extend(model.cross_check());
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAPPA: ParamSpec = ParamSpec::Real(RealSpec {
        name: "kappa",
        label: "Curve exponent κ",
        unit: "",
        help: "",
        default: 2.0,
        min: 1.0,
        max: 10.0,
        step: 0.1,
        scale: Scale::Linear,
        integer: false,
    });

    #[test]
    fn real_parses_and_rejects() {
        assert_eq!(KAPPA.parse(" 3 ").unwrap(), Value::Real(3.0));
        assert_eq!(KAPPA.parse("1_0").unwrap(), Value::Real(10.0));
        for bad in ["abc", "", "NaN", "inf", "1e400", "0.5", "11", "-0", "3x"] {
            let e = KAPPA.parse(bad).unwrap_err();
            assert_eq!(e.field, "kappa");
            assert!(e.message.contains("allowed 1 to 10"), "{}", e.message);
            assert!(e.message.contains("using the default 2"), "{}", e.message);
        }
    }

    #[test]
    fn keyboard_steps_land_on_readable_values_in_range() {
        let ParamSpec::Real(k) = KAPPA else { panic!() };
        assert_eq!(k.stepped(2.0, 1.0), 2.1);
        assert_eq!(k.stepped(2.0, -10.0), 1.0);
        assert_eq!(k.stepped(1.05, 1.0), 1.2, "onto the step's grid");
        assert_eq!(k.stepped(9.95, 10.0), 10.0, "kept in range");
        let money = RealSpec {
            scale: Scale::Log,
            min: 0.0,
            max: 1e9,
            step: 1.0,
            ..k
        };
        assert_eq!(money.stepped(1000.0, 1.0), 1260.0);
        assert_eq!(money.stepped(1000.0, 10.0), 10_000.0);
        assert_eq!(money.stepped(1000.0, -10.0), 100.0);
        assert_eq!(money.stepped(0.0, 1.0), 1.0);
        let months = RealSpec {
            integer: true,
            step: 1.0,
            min: 1.0,
            max: 240.0,
            ..k
        };
        assert_eq!(months.stepped(24.0, -1.0), 23.0);
    }

    #[test]
    fn long_garbage_is_clipped_in_messages() {
        let long = "x".repeat(10_000);
        let e = KAPPA.parse(&long).unwrap_err();
        assert!(e.message.len() < 200);
    }
}

/// A named set of parameter values users can start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// As written in URLs and the CLI (`--preset`).
    pub name: &'static str,
    pub label: &'static str,
    pub about: &'static str,
}

/// The preset in `presets` whose name or label is `name` (case-insensitively).
pub fn find_preset<'a>(presets: &'a [Preset], name: &str) -> Option<&'a Preset> {
    presets
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name) || p.label.eq_ignore_ascii_case(name))
}

/// Writes a model's [`ParamModel::get`] and [`ParamModel::put`] from its field list: real fields
/// by name, choice fields with each enum variant's name as written in links, and (`nested:
/// policy`) the policies' parameters of an embedded [`crate::policy::PolicyParams`].
macro_rules! model_fields {
    (
        reals: [$($real:ident),* $(,)?],
        choices: [$($choice:ident: $ty:ident { $($variant:ident => $text:literal),+ $(,)? }),* $(,)?] $(,)?
        $(nested: $nested:ident $(,)?)?
    ) => {
        fn get(&self, name: &str) -> Option<$crate::params::Value> {
            use $crate::params::Value;
            match name {
                $(stringify!($real) => Some(Value::Real(self.$real)),)*
                $(stringify!($choice) => Some(Value::Choice(match self.$choice {
                    $($ty::$variant => $text,)+
                })),)*
                $(_ if $crate::policy::is_policy_param(name) => self.$nested.get(name),)?
                _ => None,
            }
        }

        fn put(&mut self, name: &str, value: $crate::params::Value) {
            use $crate::params::Value;
            match (name, value) {
                $((stringify!($real), Value::Real(x)) => self.$real = x,)*
                $((stringify!($choice), Value::Choice(c)) => {
                    $(if c == $text {
                        self.$choice = $ty::$variant;
                    })+
                })*
                $((n, v) if $crate::policy::is_policy_param(n) => {
                    self.$nested.put(n, v);
                })?
                _ => {}
            }
        }
    };
}
pub(crate) use model_fields;

/// A cross-field check: parameter `hi` must be at least parameter `lo`. If it is not, both go
/// back to their defaults and the issue says why (`allowed` completes "allowed …").
pub fn require_at_least<M: ParamModel>(
    m: &mut M,
    hi: &str,
    lo: &str,
    allowed: &str,
) -> Option<ParamIssue> {
    let real = |m: &M, name: &str| m.get(name).and_then(Value::as_real);
    let (h, l) = (real(m, hi)?, real(m, lo)?);
    if h >= l {
        return None;
    }
    let d = M::default();
    for name in [hi, lo] {
        if let Some(v) = d.get(name) {
            m.put(name, v);
        }
    }
    Some(ParamIssue {
        field: hi.to_string(),
        message: format!(
            "{hi}: {} is below {lo} ({}); allowed {allowed}; using the defaults of both",
            readable(h),
            readable(l)
        ),
    })
}

#[cfg(test)]
mod label_tests {
    use super::with_labels;
    use crate::crowdtrain::CtParams;
    use crate::datadao::DdParams;

    #[test]
    fn messages_for_people_use_the_panel_labels() {
        assert_eq!(
            with_labels::<CtParams>(
                "max_lockup_months: 24 is below min_lockup_months (30)",
                false
            ),
            "Maximum lockup: 24 is below Minimum lockup (30)"
        );
        assert_eq!(
            with_labels::<DdParams>("lower total_steps or agents_per_entry.", true),
            "lower Steps (total_steps) or Agents per entry (agents_per_entry)."
        );
        // A unit after a number stays, even when a parameter has its name.
        assert_eq!(
            with_labels::<CtParams>("months: 0 is out of range; allowed 1 to 240 months", false),
            "Months: 0 is out of range; allowed 1 to 240 months"
        );
        // Only whole words: a name inside another word, or an unknown word, stays as it is.
        assert_eq!(
            with_labels::<DdParams>("total_steps_x seeds seed", false),
            "total_steps_x seeds Seed"
        );
    }
}
