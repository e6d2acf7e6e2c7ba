//! `flywheel commons abc`: the augmented bonding curve.

use crate::args::{self, name_value};
use crate::Failure;
use flywheel_charts::CommonsChart;
use flywheel_core::codec::encode;
use flywheel_core::commons::explorer::{evaluate, AbcParams, AbcReport, Side};
use flywheel_core::format::human;
use serde_json::json;

pub const USAGE: &str = "\
flywheel commons abc [--set NAME=VALUE]… [--params FRAGMENT] [--deposit DAI | --burn TOKENS] [--json] [--svg FILE] [--link]

    --deposit DAI         the trade is a buy of DAI (same as --set trade_side=buy --set trade_size=DAI)
    --burn TOKENS         the trade is a sell of TOKENS
    --svg FILE            also write the charts as SVG: the bonding curve to FILE, the others
                          beside it (FILE-price-impact.svg, FILE-pools.svg)
    --link                print the page fragment that shows this state

Order: --params first, then every --set in order, then --deposit/--burn.
";

pub fn abc(raw: &[&str]) -> Result<String, Failure> {
    if raw.contains(&"--help") || raw.contains(&"-h") {
        return Ok(args::param_help::<AbcParams>(USAGE));
    }
    let opts = args::parse(
        raw,
        &["--set", "--params", "--deposit", "--burn", "--svg"],
        &["--json", "--link"],
    )?;
    let mut fragment = None;
    let mut sets = Vec::new();
    let mut trade = None;
    let (mut json_out, mut link, mut svg) = (false, false, None);
    for (flag, v) in opts {
        match (flag, v) {
            ("--json", _) => json_out = true,
            ("--link", _) => link = true,
            ("--svg", Some(v)) => svg = Some(v),
            ("--params", Some(v)) => fragment = Some(v),
            ("--set", Some(v)) => sets.push(name_value(v)?),
            ("--deposit" | "--burn", Some(v)) => {
                if trade.is_some() {
                    return Err(Failure::Usage(
                        "give at most one of --deposit and --burn".into(),
                    ));
                }
                trade = Some((
                    if flag == "--deposit" {
                        Side::Buy
                    } else {
                        Side::Sell
                    },
                    v,
                ));
            }
            _ => unreachable!("args::parse checked the flags"),
        }
    }
    if let Some((side, amount)) = trade {
        sets.push(("trade_side".into(), side.as_str().into()));
        sets.push(("trade_size".into(), amount.into()));
    }
    let params = args::params(AbcParams::default(), fragment, &sets)?;
    let report = evaluate(&params);
    if !report.issues.is_empty() {
        return Err(Failure::Invalid(report.issues));
    }
    if let Some(path) = svg {
        write_svgs(path, &report)?;
    }
    let fragment = encode(&params);
    Ok(args::output(
        json_out,
        || abc_json(&report, &fragment),
        || {
            let mut t = abc_table(&report);
            if link {
                t.push_str(&format!("\nlink fragment: {fragment}\n"));
            }
            t
        },
    ))
}

/// The JSON the CLI prints: the state after the trade and the trade's result, then detail.
fn abc_json(r: &AbcReport, link: &str) -> serde_json::Value {
    let t = &r.trade;
    let state = |s: &flywheel_core::commons::curve::CurveState| {
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
        args::write_file(&file, &svg)?;
    }
    Ok(())
}
