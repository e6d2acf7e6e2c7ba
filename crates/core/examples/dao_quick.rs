//! A quick look at the Commons DAO's Monte Carlo at the defaults: metrics and time.
use flywheel_core::commons::dao::DaoParams;
use flywheel_core::commons::montecarlo::run_monte_carlo;

fn main() {
    let p = DaoParams::default();
    let t = std::time::Instant::now();
    let r = run_monte_carlo(&p, &mut |_, _| true);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    for m in &r.metrics {
        println!(
            "{:<22} mean {:>14.4} p10 {:>14.4} p50 {:>14.4} p90 {:>14.4}",
            m.name, m.mean, m.p10, m.p50, m.p90
        );
    }
    println!("parts {:?}", r.part_means);
    for f in ["granted", "funding_pool", "participants"] {
        let b = r.band(f).unwrap();
        println!(
            "{f} last day: p10 {:.0} p50 {:.0} p90 {:.0}",
            b.p10.last().unwrap(),
            b.p50.last().unwrap(),
            b.p90.last().unwrap()
        );
    }
    println!("{} runs × {} days in {ms:.1} ms", p.runs(), p.days());
}
