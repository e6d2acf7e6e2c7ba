//! Quick look at the dataDAO run:
//! `cargo run --release -p flywheel-core --example dd_quick [STEPS] [PRESET]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let steps: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000.0);
    let preset = args.next().unwrap_or_else(|| "as_described".into());
    let p = flywheel_core::datadao::DdParams {
        total_steps: steps,
        ..flywheel_core::datadao::DdParams::preset(&preset).expect("a preset")
    };
    let t = std::time::Instant::now();
    let w = flywheel_core::datadao::sim::run(&p, false);
    let el = t.elapsed();
    let r = w.records.last().expect("a step");
    println!("{r:?}\nagents {} elapsed {el:?}", w.agents.len());
}
