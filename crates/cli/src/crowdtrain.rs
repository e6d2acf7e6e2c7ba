//! `flywheel crowdtrain`: the operator economy's Monte Carlo.

use crate::args::{self, name_value};
use crate::Failure;
use flywheel_core::codec::encode;
use flywheel_core::crowdtrain::montecarlo::{run_monte_carlo, McResult};
use flywheel_core::crowdtrain::{CtParams, PRESETS};
use flywheel_core::format::shortest;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub const USAGE: &str = "\
flywheel crowdtrain [--runs N] [--seed S] [--months M] [--preset NAME] [--set NAME=VALUE]… [--params FRAGMENT] [--json] [--csv FILE] [--svg DIR]

    --runs N              Monte Carlo runs (default 20); run i uses seed S + i
    --seed S              base seed (default 42)
    --months M            months per run (default 24)
    --preset NAME         reference (CrowdTrain v1, the default) or consistent (Consistent economy)
    --csv FILE            write every run's monthly records: run, seed, month, every recorded
                          field, operators per tier
    --svg DIR             write the charts as SVG into DIR (score, funnel, tiers, price,
                          supply, revenue, gini)
    tier_reward_multipliers takes six comma-separated numbers: --set tier_reward_multipliers=1,2,3,4,5,6

Order: --preset, then --params, then every --set in order, then --runs/--seed/--months.
";

pub fn run(raw: &[&str]) -> Result<String, Failure> {
    if raw.contains(&"--help") || raw.contains(&"-h") {
        return Ok(args::param_help::<CtParams>(USAGE));
    }
    let opts = args::parse(
        raw,
        &[
            "--runs", "--seed", "--months", "--preset", "--set", "--params", "--csv", "--svg",
        ],
        &["--json"],
    )?;
    let (mut preset, mut fragment, mut csv, mut svg, mut json_out) =
        (None, None, None, None, false);
    let (mut sets, mut settings) = (Vec::new(), Vec::new());
    for (flag, v) in opts {
        match (flag, v) {
            ("--json", _) => json_out = true,
            ("--preset", Some(v)) => preset = Some(v),
            ("--params", Some(v)) => fragment = Some(v),
            ("--csv", Some(v)) => csv = Some(v),
            ("--svg", Some(v)) => svg = Some(v),
            ("--set", Some(v)) => sets.push(name_value(v)?),
            (f @ ("--runs" | "--seed" | "--months"), Some(v)) => {
                settings.push((f[2..].to_string(), v.to_string()))
            }
            _ => unreachable!("args::parse checked the flags"),
        }
    }
    let base = match preset {
        None => CtParams::default(),
        Some(name) => CtParams::preset(name).ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            Failure::Usage(format!(
                "unknown preset '{name}'; presets: {}",
                names.join(", ")
            ))
        })?,
    };
    sets.extend(settings);
    let params = args::params(base, fragment, &sets)?;
    let result = run_monte_carlo(&params, &mut |_, _| true);
    if let Some(path) = csv {
        std::fs::write(path, records_csv(&result))
            .map_err(|e| Failure::Io(format!("cannot write {path}: {e}")))?;
    }
    if let Some(dir) = svg {
        write_svgs(dir, &result)?;
    }
    Ok(if json_out {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&summary_json(&params, &result)).expect("JSON of numbers")
        )
    } else {
        summary_table(&params, &result)
    })
}

/// `score_mean`, `score_std`, … for every score component and metric, then the run settings.
pub fn summary_json(p: &CtParams, r: &McResult) -> Value {
    let mut m = Map::new();
    for s in &r.stats {
        m.insert(format!("{}_mean", s.name), json!(s.mean));
        m.insert(format!("{}_std", s.name), json!(s.std));
    }
    m.insert("runs".into(), json!(r.runs.len()));
    m.insert("seed".into(), json!(p.seed()));
    m.insert("months".into(), json!(p.months()));
    m.insert("params".into(), json!(encode(p)));
    Value::Object(m)
}

fn summary_table(p: &CtParams, r: &McResult) -> String {
    let mut out = format!(
        "CrowdTrain: {} runs × {} months, seeds {}…{}\n\n{:<26}{:>16}{:>14}\n",
        r.runs.len(),
        p.months(),
        p.seed(),
        p.seed() + r.runs.len().saturating_sub(1) as u64,
        "",
        "mean",
        "std"
    );
    for s in &r.stats {
        let _ = writeln!(out, "{:<26}{:>16.4}{:>14.4}", s.name, s.mean, s.std);
    }
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}

/// Every run's monthly records as CSV.
pub fn records_csv(r: &McResult) -> String {
    let mut out = String::from("run,seed,month");
    if let Some(first) = r.runs.first().and_then(|x| x.records.first()) {
        for (name, _) in first.fields() {
            out.push(',');
            out.push_str(name);
        }
    }
    for t in 1..=6 {
        let _ = write!(out, ",tier_{t}");
    }
    for t in 1..=6 {
        let _ = write!(out, ",reached_tier_{t}");
    }
    out.push('\n');
    for run in &r.runs {
        for rec in &run.records {
            let _ = write!(out, "{},{},{}", run.run, run.seed, rec.month);
            for (_, x) in rec.fields() {
                out.push(',');
                out.push_str(&shortest(x));
            }
            for n in rec.operators_per_tier {
                let _ = write!(out, ",{n}");
            }
            for n in rec.reached_tier {
                let _ = write!(out, ",{n}");
            }
            out.push('\n');
        }
    }
    out
}

/// Writes the Monte Carlo's charts into `dir`.
fn write_svgs(dir: &str, r: &McResult) -> Result<(), Failure> {
    use flywheel_charts::crowdtrain::{
        band, band_chart, funnel, score_breakdown, tiers_stacked, BandSeries,
    };
    use flywheel_charts::{to_svg, Theme, BUY, CURVE, FUNDING, RESERVE, SELL};
    std::fs::create_dir_all(dir).map_err(|e| Failure::Io(format!("cannot create {dir}: {e}")))?;
    let t = Theme::default();
    let field = |name: &str| band(r, name).ok_or_else(|| Failure::Io(format!("no series {name}")));
    let (price, circulating, staked, burned, revenue, gini) = (
        field("token_price")?,
        field("circulating_supply")?,
        field("staked_total")?,
        field("burned_total")?,
        field("revenue")?,
        field("gini")?,
    );
    let series = |label, colour, band| BandSeries {
        label,
        colour,
        band,
    };
    let charts: [(&str, Result<String, String>); 7] = [
        ("funnel", to_svg(900, 380, |root| funnel(root, r, &t))),
        (
            "score",
            to_svg(900, 380, |root| score_breakdown(root, r, &t)),
        ),
        ("tiers", to_svg(900, 460, |root| tiers_stacked(root, r, &t))),
        (
            "price",
            to_svg(900, 460, |root| {
                band_chart(
                    root,
                    &[series("Token price", CURVE, price)],
                    "Price (USD)",
                    &t,
                )
            }),
        ),
        (
            "supply",
            to_svg(900, 460, |root| {
                let s = [
                    series("Circulating supply", RESERVE, circulating),
                    series("Staked", FUNDING, staked),
                    series("Burned (total)", SELL, burned),
                ];
                band_chart(root, &s, "Tokens", &t)
            }),
        ),
        (
            "revenue",
            to_svg(900, 460, |root| {
                band_chart(
                    root,
                    &[series("Revenue", BUY, revenue)],
                    "USD per month",
                    &t,
                )
            }),
        ),
        (
            "gini",
            to_svg(900, 460, |root| {
                band_chart(root, &[series("Gini of earnings", CURVE, gini)], "Gini", &t)
            }),
        ),
    ];
    for (name, svg) in charts {
        let path = std::path::Path::new(dir).join(format!("crowdtrain-{name}.svg"));
        let svg = svg.map_err(Failure::Io)?;
        std::fs::write(&path, svg)
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
