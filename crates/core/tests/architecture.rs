//! Checked invariants of the workspace's architecture (see ARCHITECTURE.md).

use std::path::Path;
use std::process::Command;

/// Crates that tie code to a browser or to JavaScript.
const WEB_CRATES: &[&str] = &[
    "wasm-bindgen",
    "web-sys",
    "js-sys",
    "serde-wasm-bindgen",
    "wasm-bindgen-futures",
    "plotters-canvas",
    "console_error_panic_hook",
    "getrandom",
];

/// The core depends on no wasm or web crate, directly or through any dependency, on any target.
#[test]
fn core_depends_on_no_wasm_or_web_crate() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--target",
            "all",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["-p", "flywheel-core"])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    assert!(
        tree.contains("flywheel-core"),
        "unexpected cargo tree output:\n{tree}"
    );
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !WEB_CRATES.contains(&name) && !name.starts_with("gloo"),
            "flywheel-core depends on the web crate {name}:\n{tree}"
        );
    }
}

/// The page never runs a model: the frontend's sources call no evaluation of the core.
#[test]
fn frontend_never_runs_a_model() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/src");
    let mut files = vec![src];
    let mut checked = 0;
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        // Test modules may check the page's teaching text against the model.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for forbidden in [
            "evaluate(",
            "draw_hatch(",
            ".preview_buy(",
            ".preview_sell(",
            ".buy(",
            ".sell(",
            "CurveState::hatch",
            "run_monte_carlo(",
            "World::new(",
            ".step(",
            "run_with(",
            "sim::run(",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} calls `{forbidden}`: models run in the worker",
                p.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} frontend files found");
}
