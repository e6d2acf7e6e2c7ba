//! `flywheel datadao`: the data cooperative's token market.

use crate::args::{self, setting, ModelArgs, PresetArg};
use crate::Failure;
use clap::{Args, ValueHint};
use flywheel_core::codec::encode;
use flywheel_core::datadao::sim::{
    records_csv, run, write_transaction_rows, Kind, World, TRANSACTIONS_HEADER,
};
use flywheel_core::datadao::{DdParams, PRESETS};
use flywheel_core::format::shortest;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The options of `flywheel datadao`.
#[derive(Args, Debug)]
#[command(
    after_help = args::SHORT_AFTER_HELP,
    after_long_help = args::long_help::<DdParams>(NOTES, &PRESETS),
)]
pub struct DatadaoArgs {
    /// Steps to run (default 2000)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub steps: Option<String>,
    #[command(flatten)]
    pub preset: PresetArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write simulation_data.csv: step, price, ddt_reserve, xdai_reserve, pie, fee_pot, k, then
    /// count and average xDAI per agent type
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub csv: Option<PathBuf>,
    /// Write transaction_history.csv: every agent action (kept only when asked)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub transactions: Option<PathBuf>,
}

const NOTES: &str = "\
Order: --preset, then --params, then every --set in order, then --steps.
";

pub fn run_cmd(a: DatadaoArgs) -> Result<String, Failure> {
    let base = a.preset.base(DdParams::preset, &PRESETS)?;
    let params = a.model.params(base, setting("total_steps", &a.steps))?;
    // The transaction history is written step by step as it is made, never held whole.
    args::check_cost(params.cost(a.transactions.as_ref().map(|_| (1, 1))))?;
    let world = match &a.transactions {
        None => run(&params, false),
        Some(path) => run_streaming_transactions(&params, path)?,
    };
    if let Some(path) = &a.csv {
        args::write_file(path, &records_csv(&world.records))?;
    }
    Ok(args::output(
        a.model.json,
        || summary_json(&params, &world),
        || summary_table(&params, &world),
    ))
}

/// Runs the model, writing every step's transactions to `path` as the step ends.
fn run_streaming_transactions(params: &DdParams, path: &Path) -> Result<World, Failure> {
    use std::io::Write as _;
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
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
    world.finish();
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
    m.insert("health".into(), args::health_json(&w.health(p)));
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
    out.push_str(&args::health_table(&w.health(p)));
    let _ = writeln!(out, "\nlink fragment: {}", encode(p));
    out
}
