//! `flywheel datadao`: the data cooperative's token market.

use crate::args::{self, name_value};
use crate::Failure;
use flywheel_core::codec::encode;
use flywheel_core::datadao::sim::{
    records_csv, run, write_transaction_rows, Kind, World, TRANSACTIONS_HEADER,
};
use flywheel_core::datadao::{DdParams, PRESETS};
use flywheel_core::format::shortest;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub const USAGE: &str = "\
flywheel datadao [--steps N] [--preset NAME] [--set NAME=VALUE]… [--params FRAGMENT] [--json] [--csv FILE] [--transactions FILE]

    --steps N             steps to run (default 2000)
    --preset NAME         as_described (the default) or original (the reference code's behaviour)
    --csv FILE            write simulation_data.csv: step, price, ddt_reserve, xdai_reserve, pie,
                          fee_pot, k, then count and average xDAI per agent type
    --transactions FILE   write transaction_history.csv: every agent action (kept only when asked)

Order: --preset, then --params, then every --set in order, then --steps.
";

pub fn run_cmd(raw: &[&str]) -> Result<String, Failure> {
    if raw.contains(&"--help") || raw.contains(&"-h") {
        return Ok(args::param_help::<DdParams>(USAGE));
    }
    let opts = args::parse(
        raw,
        &[
            "--steps",
            "--preset",
            "--set",
            "--params",
            "--csv",
            "--transactions",
        ],
        &["--json"],
    )?;
    let (mut preset, mut fragment, mut csv, mut tx, mut json_out) = (None, None, None, None, false);
    let mut sets = Vec::new();
    let mut steps = None;
    for (flag, v) in opts {
        match (flag, v) {
            ("--json", _) => json_out = true,
            ("--preset", Some(v)) => preset = Some(v),
            ("--params", Some(v)) => fragment = Some(v),
            ("--csv", Some(v)) => csv = Some(v),
            ("--transactions", Some(v)) => tx = Some(v),
            ("--set", Some(v)) => sets.push(name_value(v)?),
            ("--steps", Some(v)) => steps = Some(("total_steps".to_string(), v.to_string())),
            _ => unreachable!("args::parse checked the flags"),
        }
    }
    let names = PRESETS.map(|p| p.name);
    let base = args::preset(preset, DdParams::preset, &names)?;
    sets.extend(steps);
    let params = args::params(base, fragment, &sets)?;
    // The transaction history is written step by step as it is made, never held whole.
    args::check_cost(params.cost(tx.map(|_| (1, 1))))?;
    let world = match tx {
        None => run(&params, false),
        Some(path) => run_streaming_transactions(&params, path)?,
    };
    if let Some(path) = csv {
        args::write_file(path, &records_csv(&world.records))?;
    }
    Ok(args::output(
        json_out,
        || summary_json(&params, &world),
        || summary_table(&params, &world),
    ))
}

/// Runs the model, writing every step's transactions to `path` as the step ends.
fn run_streaming_transactions(params: &DdParams, path: &str) -> Result<World, Failure> {
    use std::io::Write as _;
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {path}: {e}"));
    let file = std::fs::File::create(path).map_err(fail)?;
    let mut out = std::io::BufWriter::new(file);
    out.write_all(TRANSACTIONS_HEADER.as_bytes())
        .map_err(fail)?;
    let mut world = World::new(params, true);
    let mut rows = String::new();
    for _ in 0..params.total_steps as u32 {
        world.step(params);
        if let Some(t) = world.transactions.as_mut() {
            rows.clear();
            write_transaction_rows(&mut rows, t);
            t.clear();
            out.write_all(rows.as_bytes()).map_err(fail)?;
        }
    }
    out.flush().map_err(fail)?;
    Ok(world)
}

/// The final state: `price`, `ddt_reserve`, `xdai_reserve`, `pie`, `fee_pot`, `k`, the agent
/// counts by type, then the run's settings and token accounting.
pub fn summary_json(p: &DdParams, w: &World) -> Value {
    let mut m = Map::new();
    m.insert("steps".into(), json!(w.step));
    m.insert("price".into(), json!(w.pool.price()));
    m.insert("ddt_reserve".into(), json!(w.pool.ddt));
    m.insert("xdai_reserve".into(), json!(w.pool.xdai));
    m.insert("pie".into(), json!(w.pie));
    m.insert("fee_pot".into(), json!(w.pool.fee_pot));
    m.insert("k".into(), json!(w.pool.k()));
    let mut agents = Map::new();
    for (kind, n) in Kind::ALL.iter().zip(w.counts) {
        agents.insert(kind.name().into(), json!(n));
    }
    m.insert("agents".into(), Value::Object(agents));
    m.insert("agents_total".into(), json!(w.agents.len()));
    m.insert("ledger".into(), json!(w.ledger));
    m.insert("params".into(), json!(encode(p)));
    Value::Object(m)
}

fn summary_table(p: &DdParams, w: &World) -> String {
    let mut out = format!("dataDAO after {} steps\n\n", w.step);
    for (name, x) in [
        ("price (xDAI/dDT)", w.pool.price()),
        ("dDT reserve", w.pool.ddt),
        ("xDAI reserve", w.pool.xdai),
        ("Pie (dDT)", w.pie),
        ("fee pot (xDAI)", w.pool.fee_pot),
    ] {
        let _ = writeln!(out, "{name:<20}{:>22}", shortest(x));
    }
    out.push_str("\nagents\n");
    for (kind, n) in Kind::ALL.iter().zip(w.counts) {
        let _ = writeln!(out, "{:<20}{n:>22}", kind.name());
    }
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}
