//! Quick look at the dataDAO run: `cargo run --release -p flywheel-core --example dd_quick [STEPS]`.
fn main() {
    let steps: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000.0);
    let p = flywheel_core::datadao::DdParams {
        total_steps: steps,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let w = flywheel_core::datadao::sim::run(&p, false);
    let el = t.elapsed();
    let r = w.records.last().unwrap();
    println!("{r:?}\nagents {} elapsed {el:?}", w.agents.len());
}
