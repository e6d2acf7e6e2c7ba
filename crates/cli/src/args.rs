//! Option parsing and parameter input shared by the commands.

use crate::Failure;
use flywheel_core::codec;
use flywheel_core::cost::RunCost;
use flywheel_core::params::{apply_pairs, ParamModel, ParamSpec};

/// Splits `args` into (flag, value) pairs in order. Flags in `with_value` take a value
/// (`--flag value` or `--flag=value`); flags in `switches` take none; anything else is an error.
pub fn parse<'a>(
    args: &[&'a str],
    with_value: &[&str],
    switches: &[&str],
) -> Result<Vec<(&'a str, Option<&'a str>)>, Failure> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--set" => (f, Some(v)),
            _ => (a, None),
        };
        if switches.contains(&flag) {
            if inline.is_some() {
                return Err(Failure::Usage(format!("{flag} takes no value")));
            }
            out.push((flag, None));
        } else if with_value.contains(&flag) {
            let v = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    *args
                        .get(i)
                        .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))?
                }
            };
            out.push((flag, Some(v)));
        } else {
            return Err(Failure::Usage(format!("unknown option '{a}'")));
        }
        i += 1;
    }
    Ok(out)
}

/// `NAME=VALUE` of a `--set`.
pub fn name_value(kv: &str) -> Result<(String, String), Failure> {
    let (k, v) = kv
        .split_once('=')
        .ok_or_else(|| Failure::Usage(format!("--set takes NAME=VALUE, got '{kv}'")))?;
    Ok((k.trim().to_string(), v.to_string()))
}

/// `base`, then the link `fragment` (which must be for this model's tab), then the `--set`s.
/// Any problem is an error naming the field and its range.
pub fn params<M: ParamModel>(
    base: M,
    fragment: Option<&str>,
    sets: &[(String, String)],
) -> Result<M, Failure> {
    let mut issues = Vec::new();
    let mut model = match fragment {
        Some(f) => {
            let tab = codec::split(f).tab;
            if !tab.is_empty() && tab != M::TAB {
                return Err(Failure::Usage(format!(
                    "--params is a link to the '{tab}' tab, not '{}'",
                    M::TAB
                )));
            }
            let d = codec::decode_onto(base, f);
            issues.extend(d.issues);
            d.model
        }
        None => base,
    };
    issues.extend(apply_pairs(&mut model, sets));
    if issues.is_empty() {
        for note in model.notes() {
            eprintln!("flywheel: note: {}", note.message);
        }
        Ok(model)
    } else {
        Err(Failure::Invalid(issues))
    }
}

/// Refuses a run past the limits every run keeps (the page's too), before it starts; says
/// roughly how long a long one will take.
pub fn check_cost(cost: RunCost) -> Result<(), Failure> {
    cost.check().map_err(Failure::Refused)?;
    if cost.is_long(false) {
        eprintln!("flywheel: a long run: {}", cost.describe(false));
    }
    Ok(())
}

/// A command's usage followed by its parameter table, from the same specs the page's panel shows.
pub fn param_help<M: ParamModel>(usage: &str) -> String {
    let mut out = format!("{usage}\nPARAMETERS ({}):\n", M::TAB);
    for s in M::specs() {
        let unit = match s {
            ParamSpec::Real(r) if !r.unit.is_empty() => format!(" [{}]", r.unit),
            _ => String::new(),
        };
        out.push_str(&format!(
            "    {:<28} {}{}; allowed {}; default {}\n                                 {}\n",
            s.name(),
            s.label(),
            unit,
            s.allowed(),
            s.default_text(),
            s.help()
        ));
    }
    for t in M::text_fields() {
        out.push_str(&format!(
            "    {:<28} {} [{}]; allowed {}; default {}\n                                 {}\n",
            t.name, t.label, t.unit, t.allowed, t.default, t.help
        ));
    }
    out
}

/// The preset named `name` (or the model's defaults when none is given).
pub fn preset<M: ParamModel>(
    name: Option<&str>,
    find: fn(&str) -> Option<M>,
    names: &[&str],
) -> Result<M, Failure> {
    match name {
        None => Ok(M::default()),
        Some(n) => find(n).ok_or_else(|| {
            Failure::Usage(format!(
                "unknown preset '{n}'; presets: {}",
                names.join(", ")
            ))
        }),
    }
}

/// Writes an output file; a failure names the path.
pub fn write_file(path: &str, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| Failure::Io(format!("cannot write {path}: {e}")))
}

/// A command's output: pretty JSON with a newline, or the table.
pub fn output(
    json_out: bool,
    json: impl FnOnce() -> serde_json::Value,
    table: impl FnOnce() -> String,
) -> String {
    if json_out {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&json()).expect("JSON of numbers")
        )
    } else {
        table()
    }
}
