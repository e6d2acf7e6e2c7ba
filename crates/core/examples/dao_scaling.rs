//! How one Commons DAO run's time grows with days and with arrivals (BENCHMARKS.md).
use flywheel_core::commons::dao::DaoParams;
use flywheel_core::commons::sim::World;

fn main() {
    for (days, arrivals, decay) in [
        (365.0, 1.0, 0.005),
        (730.0, 1.0, 0.005),
        (1460.0, 1.0, 0.005),
        (2920.0, 1.0, 0.005),
        (730.0, 3.0, 0.005),
        (730.0, 10.0, 0.005),
        (3650.0, 10.0, 0.0),
        (3650.0, 5.0, 0.005),
        (3650.0, 5.0, 0.0),
    ] {
        let p = DaoParams {
            days,
            arrival_rate: arrivals,
            sentiment_decay: decay,
            ..DaoParams::default()
        };
        let t = std::time::Instant::now();
        let (mut parts, mut props, mut edges, mut cand) = (0.0, 0.0, 0.0, 0.0);
        let n = 5;
        for seed in 0..n {
            let mut w = World::new(&p, seed);
            for _ in 0..p.days() {
                w.step(&p);
            }
            parts += w.participants.len() as f64 / n as f64;
            props += w.proposals.len() as f64 / n as f64;
            cand += w.records.last().unwrap().candidates as f64 / n as f64;
            edges += w
                .participants
                .iter()
                .map(|x| x.candidate_edges.len() + x.past_edges.len())
                .sum::<usize>() as f64
                / n as f64;
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / n as f64;
        println!(
            "days {days:>5} arrivals ×{arrivals:<3} decay {decay:<5}: {ms:>8.2} ms/run, {parts:>6.0} participants, {props:>5.0} proposals ({cand:.0} candidates), {edges:>8.0} edges"
        );
    }
}
