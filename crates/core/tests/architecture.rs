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

/// The targets the core is built for: the machine's own and the browser's. `cargo tree` is asked
/// about exactly these, offline, so the check needs no crate beyond what building for them
/// fetched (`--target all` would need every platform's crates, e.g. `r-efi` for UEFI, which a
/// fresh machine never downloads).
fn targets() -> Vec<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    let host = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host");
    vec![host, "wasm32-unknown-unknown".into()]
}

/// The core depends on no wasm or web crate, directly or through any dependency, on the host or
/// in the browser.
#[test]
fn core_depends_on_no_wasm_or_web_crate() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for target in targets() {
        let out = Command::new(&cargo)
            .args([
                "tree",
                "--offline",
                "--locked",
                "--edges",
                "normal",
                "--prefix",
                "none",
                "--format",
                "{p}",
                "--target",
                &target,
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .args(["-p", "flywheel-core"])
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "cargo tree --target {target} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8(out.stdout).unwrap();
        assert!(
            tree.contains("flywheel-core") && tree.contains("libm"),
            "unexpected cargo tree output for {target}:\n{tree}"
        );
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            assert!(
                !WEB_CRATES.contains(&name) && !name.starts_with("gloo"),
                "flywheel-core depends on the web crate {name} on {target}:\n{tree}"
            );
        }
    }
}

/// The manifest itself names no web crate in any section, whatever the target: a
/// `[target.'cfg(…)'.dependencies]` table for a platform `cargo tree` was not asked about would
/// otherwise slip through.
#[test]
fn core_manifest_names_no_web_crate() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .expect("the core's Cargo.toml");
    let mut section = String::new();
    let mut deps_seen = 0;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let normal_deps = section.ends_with("dependencies]") && !section.contains("dev-");
        if !normal_deps || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(['=', ' ', '.']).next().unwrap_or("").trim();
        deps_seen += 1;
        assert!(
            !WEB_CRATES.contains(&name) && !name.starts_with("gloo"),
            "the core's Cargo.toml names the web crate {name} in {section}"
        );
    }
    assert!(
        deps_seen >= 2,
        "no dependency lines read from the core's Cargo.toml"
    );
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
            "run_range(",
            "run_score(",
            "evaluate_here(",
            "::evaluate(",
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
