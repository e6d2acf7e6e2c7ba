//! `flywheel commons …`: the augmented bonding curve (`abc`), the DAO's Monte Carlo (`sim`) and
//! the conviction calculator (`conviction`, both in `commons_dao`).

use crate::args::{self, ModelArgs};
use crate::{commons_dao, research, Failure};
use clap::{Args, Subcommand, ValueHint};
use flywheel_charts::CommonsChart;
use flywheel_core::codec::encode;
use flywheel_core::commons::conviction::ConvictionParams;
use flywheel_core::commons::dao::{DaoParams, PRESETS};
use flywheel_core::commons::explorer::{evaluate, AbcParams, AbcReport, Side};
use flywheel_core::commons::research::CommonsDao;
use flywheel_core::format::human;
use serde_json::json;
use std::path::{Path, PathBuf};

/// `flywheel commons …`: the Commons' models, one subcommand each.
#[derive(Args, Debug)]
pub struct CommonsCmd {
    #[command(subcommand)]
    pub command: CommonsCommand,
}

#[derive(Subcommand, Debug)]
pub enum CommonsCommand {
    /// Augmented bonding curve: hatch, trades, a what-if trade
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<AbcParams>(ABC_NOTES, &[]),
    )]
    Abc(AbcArgs),
    /// The DAO over days: conviction voting, participants and proposals, Monte Carlo
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<DaoParams>(commons_dao::SIM_NOTES, &PRESETS),
    )]
    Sim(commons_dao::SimArgs),
    /// Conviction voting calculator: threshold, alpha, days to pass
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<ConvictionParams>(commons_dao::CONVICTION_NOTES, &[]),
    )]
    Conviction(commons_dao::ConvictionArgs),
    /// The autoresearch loop on the DAO's design: change 1–3 levers, keep what raises the score
    #[command(
        after_help = args::SHORT_AFTER_HELP,
        after_long_help = args::long_help::<DaoParams>(research::NOTES_COMMONS, &PRESETS),
    )]
    Research(research::ResearchArgs),
}

const ABC_NOTES: &str = "\
Order: --params first, then every --set in order, then --deposit/--burn.
";

/// The options of `flywheel commons abc`.
#[derive(Args, Debug)]
pub struct AbcArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// The trade is a buy of DAI (same as --set trade_side=buy --set trade_size=DAI)
    #[arg(
        long,
        value_name = "DAI",
        allow_negative_numbers = true,
        conflicts_with = "burn"
    )]
    pub deposit: Option<String>,
    /// The trade is a sell of TOKENS (same as --set trade_side=sell --set trade_size=TOKENS)
    #[arg(long, value_name = "TOKENS", allow_negative_numbers = true)]
    pub burn: Option<String>,
    /// Also write the charts as SVG: the bonding curve to FILE, the others beside it
    /// (FILE-price-impact.svg, FILE-pools.svg)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub svg: Option<PathBuf>,
    /// Print the page fragment that shows this state (after the table)
    #[arg(long)]
    pub link: bool,
}

/// Runs a Commons command: its path of subcommand names (for messages) and its output.
pub fn run(cmd: CommonsCmd) -> (&'static [&'static str], Result<String, Failure>) {
    match cmd.command {
        CommonsCommand::Abc(a) => (&["commons", "abc"], abc(a)),
        CommonsCommand::Sim(a) => (&["commons", "sim"], commons_dao::sim(a)),
        CommonsCommand::Conviction(a) => (&["commons", "conviction"], commons_dao::conviction(a)),
        CommonsCommand::Research(a) => (
            &["commons", "research"],
            research::run::<CommonsDao>(&a, DaoParams::preset, &PRESETS),
        ),
    }
}

fn abc(a: AbcArgs) -> Result<String, Failure> {
    let trade = match (&a.deposit, &a.burn) {
        (Some(amount), _) => Some((Side::Buy, amount)),
        (None, Some(amount)) => Some((Side::Sell, amount)),
        (None, None) => None,
    };
    let trade = trade.into_iter().flat_map(|(side, amount)| {
        [
            ("trade_side".to_string(), side.as_str().to_string()),
            ("trade_size".to_string(), amount.clone()),
        ]
    });
    let params = a.model.params(AbcParams::default(), trade)?;
    let report = evaluate(&params);
    if !report.issues.is_empty() {
        return Err(Failure::Invalid(report.issues));
    }
    if let Some(path) = &a.svg {
        write_svgs(path, &report)?;
    }
    let fragment = encode(&params);
    Ok(args::output(
        a.model.json,
        || abc_json(&report, &fragment),
        || {
            let mut t = abc_table(&report);
            if a.link {
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
fn write_svgs(path: &Path, r: &AbcReport) -> Result<(), Failure> {
    let stem = match path.extension() {
        Some(ext) if ext == "svg" => path.with_extension(""),
        _ => path.to_path_buf(),
    };
    for chart in CommonsChart::ALL {
        let file = match chart {
            CommonsChart::BondingCurve => path.to_path_buf(),
            other => {
                let mut name = stem.clone().into_os_string();
                name.push(format!("-{}.svg", other.name()));
                PathBuf::from(name)
            }
        };
        let svg = chart.svg(r).map_err(Failure::Io)?;
        args::write_file(&file, &svg)?;
    }
    Ok(())
}
