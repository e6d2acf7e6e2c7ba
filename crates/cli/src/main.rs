//! `flywheel`: run Flywheel's models from the command line.
//!
//! Parameters use the same names as the page and its links; `--params` takes a link's fragment
//! (`'#commons?kappa=3&v=1'`), so a shared page state can be reproduced here exactly.

use flywheel_charts::CommonsChart;
use flywheel_core::codec::{self, encode};
use flywheel_core::commons::{evaluate, AbcParams, AbcReport, Side};
use flywheel_core::format::human;
use flywheel_core::params::{ParamIssue, ParamModel, ParamSpec};
use serde_json::json;
use std::process::ExitCode;

const USAGE: &str = "\
flywheel — token-engineering models from the command line

USAGE:
    flywheel commons abc [OPTIONS]     augmented bonding curve: hatch, trades, a what-if trade
    flywheel help                      this text

OPTIONS (commons abc):
    --set NAME=VALUE      set a parameter (repeatable); names as in the page's links
    --params FRAGMENT     start from a page link's fragment, e.g. '#commons?kappa=3&v=1'
    --deposit DAI         the trade is a buy of DAI (same as --set trade_side=buy --set trade_size=DAI)
    --burn TOKENS         the trade is a sell of TOKENS
    --json                print one JSON object instead of a table
    --svg FILE            also write the charts as SVG: the bonding curve to FILE, the others
                          beside it (FILE-price-impact.svg, FILE-pools.svg)
    --link                print the page fragment that shows this state

Order: --params first, then every --set in order, then --deposit/--burn.
Invalid input prints what is wrong (the field and its allowed range) and exits with status 2.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("flywheel: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Invalid(issues)) => {
            for i in issues {
                // The page falls back to defaults; the CLI refuses instead, so drop that clause.
                let msg = i.message.split("; using ").next().unwrap_or(&i.message);
                eprintln!("flywheel: invalid input: {msg}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("flywheel: {msg}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug)]
enum Failure {
    Usage(String),
    Invalid(Vec<ParamIssue>),
    Io(String),
}

fn run(args: &[String]) -> Result<String, Failure> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["help"] | ["--help"] | ["-h"] => Ok(USAGE.to_string()),
        ["commons", "abc", rest @ ..] => commons_abc(rest),
        ["commons"] | ["commons", "--help"] => Ok(param_help::<AbcParams>()),
        [cmd, ..] => Err(Failure::Usage(format!("unknown command '{cmd}'"))),
    }
}

/// The parameter table for `--help`, from the same specs the page's panel shows.
fn param_help<M: ParamModel>() -> String {
    let mut out = format!("{USAGE}\nPARAMETERS ({}):\n", M::TAB);
    for s in M::specs() {
        let unit = match s {
            ParamSpec::Real(r) if !r.unit.is_empty() => format!(" [{}]", r.unit),
            _ => String::new(),
        };
        out.push_str(&format!(
            "    {:<15} {}{}; allowed {}; default {}\n                    {}\n",
            s.name(),
            s.label(),
            unit,
            s.allowed(),
            s.default_text(),
            s.help()
        ));
    }
    out
}

struct Options {
    json: bool,
    link: bool,
    svg: Option<String>,
}

fn value<'a>(args: &[&'a str], i: usize, flag: &str) -> Result<&'a str, Failure> {
    args.get(i + 1)
        .copied()
        .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
}

fn commons_abc(args: &[&str]) -> Result<String, Failure> {
    if args.contains(&"--help") || args.contains(&"-h") {
        return Ok(param_help::<AbcParams>());
    }
    let mut fragment: Option<&str> = None;
    let mut sets: Vec<(String, String)> = Vec::new();
    let mut trade: Option<(Side, &str)> = None;
    let mut opts = Options {
        json: false,
        link: false,
        svg: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--set" => (f, Some(v)),
            _ => (a, None),
        };
        let mut take = || -> Result<&str, Failure> {
            match inline {
                Some(v) => Ok(v),
                None => {
                    let v = value(args, i, flag)?;
                    i += 1;
                    Ok(v)
                }
            }
        };
        match flag {
            "--json" => opts.json = true,
            "--link" => opts.link = true,
            "--svg" => opts.svg = Some(take()?.to_string()),
            "--params" => fragment = Some(take()?),
            "--set" => {
                let kv = take()?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| Failure::Usage(format!("--set takes NAME=VALUE, got '{kv}'")))?;
                sets.push((k.trim().to_string(), v.to_string()));
            }
            "--deposit" | "--burn" => {
                if trade.is_some() {
                    return Err(Failure::Usage(
                        "give at most one of --deposit and --burn".into(),
                    ));
                }
                let side = if flag == "--deposit" {
                    Side::Buy
                } else {
                    Side::Sell
                };
                trade = Some((side, take()?));
            }
            other => return Err(Failure::Usage(format!("unknown option '{other}'"))),
        }
        i += 1;
    }

    let mut issues = Vec::new();
    let mut params = match fragment {
        Some(f) => {
            let tab = codec::split(f).tab;
            if !tab.is_empty() && tab != AbcParams::TAB {
                return Err(Failure::Usage(format!(
                    "--params is a link to the '{tab}' tab, not 'commons'"
                )));
            }
            let d = codec::decode::<AbcParams>(f);
            issues.extend(d.issues);
            d.model
        }
        None => AbcParams::default(),
    };
    issues.extend(flywheel_core::params::apply_pairs(&mut params, &sets));
    if let Some((side, amount)) = trade {
        params.trade_side = side;
        if let Err(e) = params.set_text("trade_size", amount) {
            issues.push(e);
        }
    }
    if !issues.is_empty() {
        return Err(Failure::Invalid(issues));
    }
    let report = evaluate(&params);
    if !report.issues.is_empty() {
        return Err(Failure::Invalid(report.issues));
    }
    if let Some(path) = &opts.svg {
        write_svgs(path, &report)?;
    }
    let link = encode(&params);
    Ok(if opts.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&abc_json(&report, &link)).expect("JSON of numbers")
        )
    } else {
        let mut t = abc_table(&report);
        if opts.link {
            t.push_str(&format!("\nlink fragment: {link}\n"));
        }
        t
    })
}

/// The JSON the CLI prints: the state after the trade and the trade's result, then detail.
fn abc_json(r: &AbcReport, link: &str) -> serde_json::Value {
    let t = &r.trade;
    let state = |s: &flywheel_core::abc::CurveState| {
        json!({
            "supply": s.supply,
            "reserve": s.reserve,
            "funding_pool": s.funding_pool,
            "spot_price": s.spot_price(),
        })
    };
    json!({
        "supply": r.after.supply,
        "reserve": r.after.reserve,
        "funding_pool": r.after.funding_pool,
        "spot_before": t.spot_before,
        "spot_after": t.spot_after,
        "minted": t.minted,
        "released": t.released,
        "to_seller": t.to_seller,
        "to_funding": t.to_funding,
        "side": t.side.as_str(),
        "amount": t.amount,
        "reserve_change": t.reserve_change,
        "average_price": t.average_price,
        "ln_invariant": r.after.ln_invariant(),
        "before": state(&r.current),
        "hatch": state(&r.hatch),
        "params": link,
    })
}

fn abc_table(r: &AbcReport) -> String {
    let t = &r.trade;
    let n = |x: f64| human(x, 10, false);
    let mut out = String::new();
    out.push_str(&format!(
        "{:<22}{:>22}{:>22}\n",
        "", "before", "after trade"
    ));
    for (label, a, b) in [
        ("supply (tokens)", r.current.supply, r.after.supply),
        ("reserve (DAI)", r.current.reserve, r.after.reserve),
        (
            "funding pool (DAI)",
            r.current.funding_pool,
            r.after.funding_pool,
        ),
        (
            "spot price (DAI)",
            r.current.spot_price(),
            r.after.spot_price(),
        ),
    ] {
        out.push_str(&format!("{label:<22}{:>22}{:>22}\n", n(a), n(b)));
    }
    out.push('\n');
    match t.side {
        Side::Buy => {
            out.push_str(&format!("buy: deposit {} DAI\n", n(t.amount)));
            out.push_str(&format!("  minted          {} tokens\n", n(t.minted)));
            out.push_str(&format!(
                "  entry tribute   {} DAI to the funding pool\n",
                n(t.to_funding)
            ));
        }
        Side::Sell => {
            out.push_str(&format!("sell: burn {} tokens\n", n(t.amount)));
            out.push_str(&format!(
                "  released        {} DAI from the reserve\n",
                n(t.released)
            ));
            out.push_str(&format!("  to the seller   {} DAI\n", n(t.to_seller)));
            out.push_str(&format!(
                "  exit tribute    {} DAI to the funding pool\n",
                n(t.to_funding)
            ));
        }
    }
    out.push_str(&format!(
        "  average price   {} DAI per token\n",
        n(t.average_price)
    ));
    out
}

/// Writes the bonding curve to `path` and the other charts beside it (`NAME-pools.svg`, …).
fn write_svgs(path: &str, r: &AbcReport) -> Result<(), Failure> {
    let stem = path.strip_suffix(".svg").unwrap_or(path);
    for chart in CommonsChart::ALL {
        let file = match chart {
            CommonsChart::BondingCurve => path.to_string(),
            other => format!("{stem}-{}.svg", other.name()),
        };
        let svg = chart.svg(r).map_err(Failure::Io)?;
        std::fs::write(&file, svg).map_err(|e| Failure::Io(format!("cannot write {file}: {e}")))?;
    }
    Ok(())
}
