//! The `flywheel` binary as users run it.

use flywheel_core::commons::explorer::AbcParams;
use flywheel_core::params::ParamModel;
use std::process::{Command, Output};

fn flywheel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flywheel"))
        .args(args)
        .output()
        .expect("run flywheel")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = flywheel(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// A fresh folder for a test's output files (remove it at the end).
fn scratch_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {key} in {v}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1e-12)
}

#[test]
fn json_has_the_documented_keys() {
    let v = json(&["commons", "abc", "--json"]);
    for key in [
        "supply",
        "reserve",
        "funding_pool",
        "spot_before",
        "spot_after",
        "minted",
        "released",
        "to_seller",
        "to_funding",
    ] {
        assert!(v[key].is_number(), "missing {key}");
    }
    assert_eq!(v["params"], "#commons?v=1");
}

/// Spec §7 through the command line, one row per case.
#[test]
fn spec_section_7_through_the_cli() {
    for (deposit, minted, spot) in [
        ("100", 624.98046997, 0.16001),
        ("10000", 62_305.89874905, 0.16099689),
        ("1000000", 5e6, 0.24),
    ] {
        let v = json(&["commons", "abc", "--deposit", deposit, "--json"]);
        assert!(close(num(&v, "minted"), minted), "deposit {deposit}: {v}");
        assert!(close(num(&v, "spot_after"), spot), "deposit {deposit}: {v}");
        assert!(
            close(num(&v, "supply"), 1e7 + minted),
            "deposit {deposit}: {v}"
        );
    }
    for (burn, released, seller, funding, spot) in [
        ("1000", 159.992, 103.9948, 55.9972, 0.159984),
        ("100000", 15_920.0, 10_348.0, 5_572.0, 0.1584),
        ("5000000", 600_000.0, 390_000.0, 210_000.0, 0.08),
    ] {
        let v = json(&["commons", "abc", "--burn", burn, "--json"]);
        assert!(close(num(&v, "released"), released), "burn {burn}: {v}");
        assert!(close(num(&v, "to_seller"), seller), "burn {burn}: {v}");
        assert!(close(num(&v, "to_funding"), funding), "burn {burn}: {v}");
        assert!(close(num(&v, "spot_after"), spot), "burn {burn}: {v}");
        assert!(
            close(num(&v, "funding_pool"), 200_000.0 + funding),
            "burn {burn}: {v}"
        );
    }
}

#[test]
fn params_fragment_and_set_agree() {
    let a = json(&[
        "commons",
        "abc",
        "--params",
        "#commons?kappa=3&exit_tribute=0.2&v=1",
        "--burn",
        "1000",
        "--json",
    ]);
    let b = json(&[
        "commons",
        "abc",
        "--set",
        "kappa=3",
        "--set",
        "exit_tribute=0.2",
        "--burn=1000",
        "--json",
    ]);
    assert_eq!(a, b);
    assert_eq!(
        a["params"],
        "#commons?kappa=3&exit_tribute=0.2&trade_side=sell&trade_size=1000&v=1"
    );
}

#[test]
fn invalid_input_names_the_field_and_range_and_exits_non_zero() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["commons", "abc", "--set", "kappa=abc"],
            "kappa: 'abc' is not a number; allowed 1 to 10",
        ),
        (
            &["commons", "abc", "--set", "exit_tribute=1.5"],
            "exit_tribute: 1.5 is out of range; allowed 0 to 0.99",
        ),
        (
            &["commons", "abc", "--set", "nope=1"],
            "unknown parameter 'nope'",
        ),
        (
            &["commons", "abc", "--params", "#commons?kappa=3&v=2"],
            "version '2' is not supported",
        ),
        (
            &["commons", "abc", "--deposit", "NaN"],
            "trade_size: 'NaN' is not a finite number",
        ),
        (&["commons", "abc", "--burn", "20000000"], "cannot burn"),
    ];
    for (args, text) in cases {
        let out = flywheel(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(text), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed a result");
    }
    for args in [
        &["commons", "abc", "--frobnicate"][..],
        &["nosuch"],
        &["commons", "abc", "--deposit", "1", "--burn", "1"],
    ] {
        assert_eq!(flywheel(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn help_lists_every_parameter_with_range() {
    let out = flywheel(&["commons", "abc", "--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for spec in AbcParams::specs() {
        let name = spec.name();
        assert!(text.contains(name), "help lacks {name}");
    }
    assert!(text.contains("allowed 1 to 10; default 2"));
}

/// `--help` of `args` has a row for every parameter of `M`: its name, then its allowed range and
/// default on the same line.
fn assert_help_lists<M: ParamModel>(args: &[&str]) {
    let out = flywheel(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name) && l.contains("; allowed "))
            .unwrap_or_else(|| panic!("{args:?}: no row for {name} in\n{text}"))
            .to_string()
    };
    for spec in M::specs() {
        let want = format!(
            "allowed {}; default {}",
            spec.allowed(),
            spec.default_text()
        );
        let line = row(spec.name());
        assert!(line.contains(&want), "{args:?}: '{line}' lacks '{want}'");
        assert!(line.contains(spec.label()), "{args:?}: '{line}'");
    }
    for t in M::text_fields() {
        let line = row(t.name);
        assert!(
            line.contains(&format!("allowed {}; default {}", t.allowed, t.default)),
            "{args:?}: '{line}'"
        );
    }
    // clap's part: the usage line and the options.
    assert!(text.contains(&format!(
        "Usage: flywheel {}",
        args[..args.len() - 1].join(" ")
    )));
    for option in ["--set <NAME=VALUE>", "--params <FRAGMENT>", "--json"] {
        assert!(text.contains(option), "{args:?} lacks {option}");
    }
}

#[test]
fn help_of_every_command_lists_every_parameter_with_its_range() {
    use flywheel_core::crowdtrain::CtParams;
    use flywheel_core::datadao::DdParams;
    assert_help_lists::<AbcParams>(&["commons", "abc", "--help"]);
    assert_help_lists::<CtParams>(&["crowdtrain", "--help"]);
    assert_help_lists::<DdParams>(&["datadao", "--help"]);
    use flywheel_core::stress::StressParams;
    assert_help_lists::<StressParams<flywheel_core::crowdtrain::stress::CrowdTrain>>(&[
        "stress",
        "crowdtrain",
        "--help",
    ]);
    assert_help_lists::<StressParams<flywheel_core::datadao::stress::DataDao>>(&[
        "stress", "datadao", "--help",
    ]);
    assert_help_lists::<StressParams<flywheel_core::commons::stress::CommonsDao>>(&[
        "stress", "commons", "--help",
    ]);
    // `help COMMAND` is the same long help.
    let text = String::from_utf8(flywheel(&["help", "crowdtrain"]).stdout).unwrap();
    assert!(text.contains("tier_reward_multipliers"));
    assert!(text.contains("consistent") && text.contains("Presets"));
    // `-h` is the summary, and says where the parameters are.
    let out = flywheel(&["datadao", "-h"]);
    assert_eq!(out.status.code(), Some(0));
    let short = String::from_utf8(out.stdout).unwrap();
    assert!(short.contains("--steps <N>") && short.contains("--help"));
    assert!(!short.contains("agents_per_entry"));
}

#[test]
fn top_level_help_version_and_no_command() {
    let out = flywheel(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in ["commons", "crowdtrain", "datadao", "completions"] {
        assert!(text.contains(cmd), "--help lacks {cmd}");
    }
    let out = flywheel(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("flywheel {}\n", env!("CARGO_PKG_VERSION"))
    );
    // No command: the help, on stderr, as a usage error.
    for args in [&[][..], &["commons"]] {
        let out = flywheel(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: flywheel"));
    }
}

#[test]
fn usage_errors_are_clap_s_and_exit_2() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["commons", "abc", "--frobnicate"],
            &[
                "error: unexpected argument '--frobnicate' found",
                "Usage: flywheel commons abc [OPTIONS]",
            ],
        ),
        (
            &["crowdtrain", "--run", "3"],
            &[
                "unexpected argument '--run'",
                "tip: a similar argument exists: '--runs'",
            ],
        ),
        (&["nosuch"], &["error: unrecognized subcommand 'nosuch'"]),
        (
            &["commons", "abc", "--deposit", "1", "--burn", "1"],
            &["'--deposit <DAI>' cannot be used with '--burn <TOKENS>'"],
        ),
        (
            &["datadao", "--steps"],
            &["a value is required for '--steps <N>'"],
        ),
        // Found after clap: said the same way, with the command's usage.
        (
            &["crowdtrain", "--preset", "utopia"],
            &[
                "error: unknown preset 'utopia'; presets: reference, consistent",
                "Usage: flywheel crowdtrain [OPTIONS]",
            ],
        ),
        (
            &["commons", "abc", "--set", "kappa"],
            &["error: --set takes NAME=VALUE, got 'kappa'"],
        ),
        (&["completions", "tcsh"], &["invalid value 'tcsh'"]),
    ];
    for (args, texts) in cases {
        let out = flywheel(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed a result");
        let err = String::from_utf8_lossy(&out.stderr);
        for text in *texts {
            assert!(err.contains(text), "{args:?}: no '{text}' in {err}");
        }
    }
}

#[test]
fn values_reach_the_core_as_text() {
    // A negative number is the option's value, and the core says what is wrong with it.
    let out = flywheel(&["crowdtrain", "--seed", "-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("flywheel: invalid input: seed: -1 is out of range; allowed 0 to 1e15"));
    // An option given twice keeps its last value; every --set applies, in order.
    let v = json(&[
        "crowdtrain",
        "--runs",
        "5",
        "--runs",
        "2",
        "--months",
        "3",
        "--set",
        "scale=2",
        "--set",
        "scale=0.5",
        "--json",
        "--json",
    ]);
    assert_eq!(v["params"], "#crowdtrain?months=3&runs=2&scale=0.5&v=1");
    // The run settings come after every --set.
    let v = json(&[
        "crowdtrain",
        "--set",
        "runs=7",
        "--runs",
        "2",
        "--months",
        "3",
        "--json",
    ]);
    assert_eq!(v["runs"], 2);
}

#[test]
fn completions_name_every_command() {
    let out = flywheel(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("_flywheel()") && script.contains("complete -F _flywheel"));
    for word in [
        "commons",
        "abc",
        "crowdtrain",
        "datadao",
        "completions",
        "--set",
        "--params",
        "--preset",
        "--transactions",
    ] {
        assert!(script.contains(word), "the bash script lacks {word}");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = flywheel(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("crowdtrain"),
            "{shell}"
        );
    }
}

#[test]
fn a_file_that_cannot_be_written_exits_1() {
    let out = flywheel(&[
        "crowdtrain",
        "--runs",
        "1",
        "--months",
        "2",
        "--csv",
        "/nonexistent-dir/x.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("flywheel: cannot write /nonexistent-dir/x.csv"));
}

#[test]
fn svg_export_writes_both_charts() {
    let dir = scratch_dir("flywheel-cli-test");
    let path = dir.join("curve.svg");
    let out = flywheel(&[
        "commons",
        "abc",
        "--deposit",
        "500000",
        "--svg",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let curve = std::fs::read_to_string(&path).unwrap();
    let pools = std::fs::read_to_string(dir.join("curve-pools.svg")).unwrap();
    assert!(curve.starts_with("<svg") && curve.contains("Token supply"));
    assert!(pools.starts_with("<svg") && pools.contains("Funding pool"));
    let impact = std::fs::read_to_string(dir.join("curve-price-impact.svg")).unwrap();
    assert!(impact.starts_with("<svg") && impact.contains("Average price paid by a buy"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn crowdtrain_json_keys_mirror_the_reference() {
    let v = json(&["crowdtrain", "--runs", "3", "--months", "6", "--json"]);
    for base in [
        "score",
        "retention_score",
        "stability_score",
        "revenue_score",
        "gini_score",
        "qualified_score",
    ] {
        assert!(v[format!("{base}_mean")].is_number(), "missing {base}_mean");
        assert!(v[format!("{base}_std")].is_number(), "missing {base}_std");
    }
    for key in [
        "retention_pct_mean",
        "cumulative_revenue_mean",
        "final_price_mean",
        "peak_price_mean",
        "gini_mean",
        "t4_plus_operators_mean",
        "active_operators_final_mean",
        "total_operators_ever_mean",
    ] {
        assert!(v[key].is_number(), "missing {key}");
    }
    assert_eq!(v["runs"], 3);
    assert_eq!(v["seed"], 42);
    assert_eq!(v["months"], 6);
    // 200 + 400 + 800 + 1200 + 1800 + 2400 operators join in six months.
    assert_eq!(v["total_operators_ever_mean"], 6800.0);
    assert_eq!(v["params"], "#crowdtrain?months=6&runs=3&v=1");
}

#[test]
fn crowdtrain_is_reproducible_and_the_fragment_reproduces_it() {
    let a = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "8",
        "--seed",
        "7",
        "--json",
    ]);
    let b = json(&[
        "crowdtrain",
        "--params",
        a["params"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(a, b);
    let c = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "8",
        "--seed",
        "8",
        "--json",
    ]);
    assert_ne!(a["score_mean"], c["score_mean"]);
}

#[test]
fn crowdtrain_presets_and_multipliers() {
    let reference = json(&["crowdtrain", "--runs", "2", "--months", "6", "--json"]);
    let consistent = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "6",
        "--preset",
        "consistent",
        "--json",
    ]);
    assert_ne!(
        reference["final_price_mean"],
        consistent["final_price_mean"]
    );
    assert!(consistent["params"]
        .as_str()
        .unwrap()
        .contains("price_model=amm"));
    let named = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "6",
        "--preset",
        "Consistent economy",
        "--json",
    ]);
    assert_eq!(named, consistent);
    let steep = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "6",
        "--set",
        "tier_reward_multipliers=1,2,4,8,16,32",
        "--json",
    ]);
    assert!(steep["params"]
        .as_str()
        .unwrap()
        .contains("tier_reward_multipliers=1,2,4,8,16,32"));
}

#[test]
fn crowdtrain_csv_has_every_run_month_and_tier() {
    let dir = scratch_dir("flywheel-ct");
    let path = dir.join("ct.csv");
    let out = flywheel(&[
        "crowdtrain",
        "--runs",
        "3",
        "--months",
        "5",
        "--csv",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 5);
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&header[..3], ["run", "seed", "month"]);
    for col in [
        "active_operators",
        "token_price",
        "circulating_supply",
        "staked_total",
        "gini",
        "tier_1",
        "tier_6",
    ] {
        assert!(header.contains(&col), "no column {col}");
    }
    assert!(lines[1..]
        .iter()
        .all(|l| l.split(',').count() == header.len()));
    assert!(lines[1].starts_with("0,42,1,"));
    assert!(lines[15].starts_with("2,44,5,"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn crowdtrain_invalid_input_exits_non_zero() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["crowdtrain", "--runs", "0"],
            "runs: 0 is out of range; allowed 1 to 1,000",
        ),
        (
            &["crowdtrain", "--months", "2.5"],
            "months: 2.5 is not a whole number",
        ),
        (
            &["crowdtrain", "--set", "tier_reward_multipliers=1,2"],
            "tier_reward_multipliers: 2 numbers given",
        ),
        (
            &["crowdtrain", "--set", "burn_pct_of_revenue=2"],
            "burn_pct_of_revenue: 2 is out of range; allowed 0 to 1",
        ),
        (
            &["crowdtrain", "--params", "#commons?kappa=3&v=1"],
            "link to the 'commons' tab",
        ),
        (
            &["crowdtrain", "--preset", "utopia"],
            "unknown preset 'utopia'",
        ),
    ];
    for (args, text) in cases {
        let out = flywheel(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(text), "{args:?}: {err}");
    }
}

#[test]
fn crowdtrain_svg_writes_every_chart() {
    let dir = std::env::temp_dir().join(format!("flywheel-ct-svg-{}", std::process::id()));
    let out = flywheel(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "6",
        "--svg",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, text) in [
        ("score", "Composite score"),
        ("tiers", "T1 Sim Academy"),
        ("funnel", "Active at the end"),
        ("price", "Token price (median)"),
        ("supply", "Circulating supply (median)"),
        ("flows", "Emission (median)"),
        ("revenue", "Revenue (median)"),
        ("gini", "Gini of earnings (median)"),
    ] {
        let svg = std::fs::read_to_string(dir.join(format!("crowdtrain-{name}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains(text),
            "crowdtrain-{name}.svg lacks {text}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn datadao_original_preset_prints_the_reference_numbers() {
    let v = json(&[
        "datadao", "--preset", "original", "--steps", "200", "--json",
    ]);
    for key in ["price", "ddt_reserve", "xdai_reserve", "pie", "fee_pot"] {
        assert!(v[key].is_f64(), "missing {key}");
    }
    let sig9 = |x: f64| format!("{x:.8e}");
    assert_eq!(sig9(num(&v, "price")), sig9(0.0616090879));
    assert_eq!(sig9(num(&v, "ddt_reserve")), sig9(15272.1996));
    assert_eq!(sig9(num(&v, "xdai_reserve")), sig9(940.906287));
    assert_eq!(sig9(num(&v, "pie")), sig9(61.7538673));
    let agents = &v["agents"];
    let total: u64 = ["degen", "organization", "power", "active", "casual"]
        .iter()
        .map(|k| agents[k].as_u64().unwrap())
        .sum();
    assert_eq!(total, v["agents_total"].as_u64().unwrap());
    assert_eq!(v["params"], "#datadao?total_steps=200&fee_pot=original&degen_reinvest=original&power_overspend=original&pie_distribution=original&v=1");
    // The printed fragment gives the same numbers back.
    let again = json(&[
        "datadao",
        "--params",
        v["params"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(again, v);
}

#[test]
fn datadao_writes_both_csv_files() {
    let dir = scratch_dir("flywheel-dd");
    let (data, tx) = (
        dir.join("simulation_data.csv"),
        dir.join("transaction_history.csv"),
    );
    let out = flywheel(&[
        "datadao",
        "--steps",
        "10",
        "--csv",
        data.to_str().unwrap(),
        "--transactions",
        tx.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data = std::fs::read_to_string(data).unwrap();
    assert!(data.starts_with(
        "step,price,ddt_reserve,xdai_reserve,pie,fee_pot,k,degen_count,degen_avg_xdai,"
    ));
    assert_eq!(data.lines().count(), 11);
    assert!(data.lines().nth(1).unwrap().starts_with("1,"));
    let tx = std::fs::read_to_string(tx).unwrap();
    assert!(tx.starts_with("step,agent,type,action,ddt,xdai,ddt_after,xdai_after,price_after\n"));
    assert!(tx.lines().count() > 100);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn datadao_bad_input_names_the_field() {
    for (args, text) in [
        (vec!["datadao", "--steps", "0"], "total_steps"),
        (vec!["datadao", "--set", "fee_pot=sometimes"], "fee_pot"),
        (vec!["datadao", "--preset", "nope"], "unknown preset 'nope'"),
        (
            vec!["datadao", "--params", "#crowdtrain?v=1"],
            "not 'datadao'",
        ),
    ] {
        let out = flywheel(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(text), "{args:?}: {err}");
    }
}

#[test]
fn datadao_streams_the_same_transactions_it_would_keep() {
    use flywheel_core::datadao::sim::{run, transactions_csv};
    use flywheel_core::datadao::DdParams;
    let dir = scratch_dir("flywheel-dd-stream");
    let tx = dir.join("transaction_history.csv");
    let out = flywheel(&[
        "datadao",
        "--steps",
        "60",
        "--transactions",
        tx.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = DdParams {
        total_steps: 60.0,
        ..DdParams::default()
    };
    let kept = run(&p, true);
    assert_eq!(
        std::fs::read_to_string(&tx).unwrap(),
        transactions_csv(kept.transactions.as_deref().unwrap())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn runs_past_the_limits_are_refused_before_they_start() {
    for (args, words) in [
        (
            vec![
                "datadao",
                "--params",
                "#datadao?total_steps=100000&entry_steps=1&agents_per_entry=10000&v=1",
            ],
            vec![
                "too large",
                "GB of memory",
                "agents_per_entry",
                "total_steps",
            ],
        ),
        (
            vec![
                "crowdtrain",
                "--runs",
                "1000",
                "--months",
                "240",
                "--set",
                "scale=100",
            ],
            vec!["too long", "operator-months", "lower runs, months or scale"],
        ),
    ] {
        let t0 = std::time::Instant::now();
        let out = flywheel(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        for w in words {
            assert!(err.contains(w), "{args:?}: no '{w}' in {err}");
        }
        assert!(out.stdout.is_empty());
        assert!(
            t0.elapsed().as_secs() < 10,
            "the refusal took {:?}",
            t0.elapsed()
        );
    }
}

#[test]
fn datadao_shares_off_1_are_used_in_proportion_and_said() {
    // The reported case that exhausted memory: now a population that grows as with the defaults.
    let out = flywheel(&[
        "datadao",
        "--params",
        "#datadao?share_organization=0.4773&v=1",
        "--steps",
        "400",
        "--json",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note:") && err.contains("add up to 1.4273, not 1"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let agents = v["agents_total"].as_u64().unwrap();
    assert!(
        (700..=1000).contains(&agents),
        "{agents} agents after 400 steps"
    );
}

#[test]
fn commons_conviction_prints_the_calculator_as_json() {
    // Spec §3's check: r = 10, F = 1000, S = 1e7 → 5,540,166.2.
    let v = json(&[
        "commons",
        "conviction",
        "--request",
        "10",
        "--funding",
        "1000",
        "--supply",
        "1e7",
        "--stake",
        "1e6",
        "--days",
        "30",
        "--json",
    ]);
    assert!(close(num(&v, "threshold"), 5_540_166.2));
    assert!(close(num(&v, "alpha"), 0.851_339_922_520_784_6));
    assert!(close(
        num(&v, "max_conviction"),
        1e6 / (1.0 - 0.851_339_922_520_784_6)
    ));
    let c = v["conviction"].as_array().unwrap();
    assert_eq!(c.len(), 30);
    assert_eq!(c[0].as_f64(), Some(1e6), "day 1: the stake itself");
    let day = v["days_to_pass"].as_u64().unwrap() as usize;
    assert!(c[day - 1].as_f64().unwrap() >= 5_540_166.2);
    assert!(c[day - 2].as_f64().unwrap() < 5_540_166.2);
    // The voting parameters are set like any other.
    let slow = json(&[
        "commons",
        "conviction",
        "--set",
        "days_to_80p_of_max_voting_weight=30",
        "--set",
        "max_proposal_request=0.3",
        "--json",
    ]);
    assert!(close(num(&slow, "alpha"), libm_pow(0.2, 1.0 / 30.0)));
    assert_eq!(
        slow["params"],
        "#conviction?days_to_80p_of_max_voting_weight=30&max_proposal_request=0.3&v=1"
    );
}

fn libm_pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}

#[test]
fn commons_conviction_says_null_when_a_request_cannot_pass_or_never_does() {
    let v = json(&[
        "commons",
        "conviction",
        "--request",
        "300",
        "--funding",
        "1000",
        "--json",
    ]);
    assert!(v["threshold"].is_null(), "30% of the pool is above β = 20%");
    assert!(v["days_to_pass"].is_null());
    let never = json(&["commons", "conviction", "--stake", "1000", "--json"]);
    assert!(never["threshold"].is_number() && never["days_to_pass"].is_null());
    let out = flywheel(&[
        "commons",
        "conviction",
        "--request",
        "300",
        "--funding",
        "1000",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("cannot pass"));
    let bad = flywheel(&["commons", "conviction", "--funding", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("funding"));
}

const COMMONS_SIM_METRICS: [&str; 11] = [
    "final_price",
    "final_supply",
    "final_reserve",
    "final_funding_pool",
    "participants_final",
    "proposals_total",
    "proposals_funded",
    "proposals_completed",
    "proposals_failed",
    "mean_sentiment_final",
    "score",
];

#[test]
fn commons_sim_prints_mean_and_percentiles_of_every_metric() {
    let args = ["commons", "sim", "--runs", "4", "--days", "200", "--json"];
    let v = json(&args);
    for m in COMMONS_SIM_METRICS {
        let (p10, p50, p90) = (
            num(&v, &format!("{m}_p10")),
            num(&v, &format!("{m}_p50")),
            num(&v, &format!("{m}_p90")),
        );
        assert!(num(&v, &format!("{m}_mean")).is_finite());
        assert!(p10 <= p50 && p50 <= p90, "{m}");
    }
    assert_eq!(v["runs"], 4);
    assert_eq!(v["days"], 200);
    assert_eq!(v["params"], "#commons-dao?days=200&runs=4&v=1");
    assert_eq!(v["score_parts_mean"].as_object().unwrap().len(), 10);
    // Same seed, same bytes; the link fragment reproduces the run.
    let a = flywheel(&args);
    let b = flywheel(&args);
    assert_eq!(a.stdout, b.stdout);
    let again = json(&[
        "commons",
        "sim",
        "--params",
        "#commons-dao?days=200&runs=4&day=50&v=1",
        "--json",
    ]);
    assert_eq!(again, v);
    let other = json(&[
        "commons", "sim", "--runs", "4", "--days", "200", "--seed", "7", "--json",
    ]);
    assert_ne!(other["score_mean"], v["score_mean"]);
}

#[test]
fn commons_sim_csv_holds_every_run_day() {
    let dir = scratch_dir("flywheel-commons-sim");
    let csv = dir.join("days.csv");
    let out = flywheel(&[
        "commons",
        "sim",
        "--runs",
        "3",
        "--days",
        "50",
        "--preset",
        "patient_conviction",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 50);
    assert!(lines[0]
        .starts_with("run,seed,day,price,supply,reserve,funding_pool,participants,mean_sentiment"));
    assert!(lines[1].starts_with("0,42,1,"));
    assert!(lines[150].starts_with("2,44,50,"));
    let cols = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == cols));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("Commons DAO: 3 runs × 50 days"), "{table}");
    assert!(
        table.contains("#commons-dao?days_to_80p_of_max_voting_weight=30&days=50&runs=3&v=1"),
        "{table}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn commons_sim_refuses_bad_input_and_runs_past_the_limits() {
    for (args, text) in [
        (vec!["commons", "sim", "--days", "0"], "days"),
        (vec!["commons", "sim", "--set", "kappa=0.5"], "kappa"),
        (vec!["commons", "sim", "--preset", "nope"], "unknown preset"),
        (
            vec![
                "commons",
                "sim",
                "--runs",
                "1000",
                "--days",
                "3650",
                "--set",
                "arrival_rate=10",
            ],
            "too large",
        ),
    ] {
        let out = flywheel(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(text), "{args:?}: {err}");
    }
    let help = flywheel(&["commons", "sim", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for name in [
        "hatch_tribute",
        "exit_tribute",
        "days_to_80p_of_max_voting_weight",
        "patient_conviction",
    ] {
        assert!(help.contains(name), "{name}");
    }
}

#[test]
fn commons_sim_and_conviction_write_their_charts() {
    let dir = scratch_dir("flywheel-commons-svg");
    let out = flywheel(&[
        "commons",
        "sim",
        "--runs",
        "2",
        "--days",
        "120",
        "--svg",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "price",
        "supply",
        "pools",
        "participants",
        "sentiment",
        "proposals",
        "granted",
        "conviction",
        "network",
        "score",
    ] {
        let svg = std::fs::read_to_string(dir.join(format!("commons-dao-{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.len() > 1000, "{name}");
        assert!(!svg.contains("NaN"), "{name}");
    }
    let out = flywheel(&["commons", "conviction", "--svg", dir.to_str().unwrap()]);
    assert!(out.status.success());
    for name in ["trigger", "growth"] {
        let svg = std::fs::read_to_string(dir.join(format!("conviction-{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.len() > 1000, "{name}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// A short research run's output and its results.tsv.
fn research(extra: &[&str], tag: &str) -> (Vec<u8>, String) {
    let dir = scratch_dir(tag);
    let tsv = dir.join("results.tsv");
    let mut args = vec![
        "crowdtrain",
        "research",
        "--budget",
        "18",
        "--seed",
        "4",
        "--set",
        "runs=3",
        "--set",
        "months=12",
        "--json",
        "--tsv",
        tsv.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = flywheel(&args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&tsv).expect("results.tsv");
    std::fs::remove_dir_all(&dir).unwrap();
    (out.stdout, text)
}

#[test]
fn research_is_the_same_at_any_number_of_threads_and_its_best_reproduces() {
    let (one, tsv) = research(&["--threads", "1"], "research-1");
    for threads in ["2", "5"] {
        let (many, tsv_many) = research(&["--threads", threads], "research-n");
        assert_eq!(many, one, "--threads {threads}");
        assert_eq!(tsv_many, tsv, "--threads {threads}");
    }
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        lines[0],
        "experiment\tscore\tretention\tstability\trevenue\tgini\tqualified\tnotes"
    );
    assert_eq!(lines.len(), 1 + 18);
    assert!(lines[1].starts_with("1\t"));
    let r: serde_json::Value = serde_json::from_slice(&one).unwrap();
    for key in [
        "baseline_score",
        "best_score",
        "experiments",
        "kept",
        "best_params",
        "validation_score",
        "summary",
    ] {
        assert!(!r[key].is_null(), "{key} in {r}");
    }
    assert_eq!(r["experiments"], 18);
    assert!(num(&r, "best_score") >= num(&r, "baseline_score"));
    // The baseline is the Monte Carlo of the start design, bit for bit…
    let start = json(&["crowdtrain", "--runs", "3", "--months", "12", "--json"]);
    assert_eq!(r["baseline_score"], start["score_mean"]);
    // …and the best design's link gives the best score exactly.
    let best = json(&[
        "crowdtrain",
        "--params",
        r["best_params"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r["best_score"], best["score_mean"]);
    // The tsv's best row is the best score (six decimals).
    let best_row = r["best_experiment"].as_u64().unwrap() as usize;
    let cols: Vec<&str> = lines[best_row].split('\t').collect();
    assert_eq!(cols[1], format!("{:.6}", num(&r, "best_score")));
}

#[test]
fn research_refuses_bad_settings_naming_them() {
    for (args, needle) in [
        (vec!["--budget", "0"], "budget"),
        (vec!["--budget", "10001"], "budget"),
        (vec!["--fixed", "no_such"], "no_such"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--set", "base_staking_apy=7"], "base_staking_apy"),
    ] {
        let mut all = vec!["crowdtrain", "research", "--json"];
        all.extend(args.iter());
        let out = flywheel(&all);
        assert!(!out.status.success(), "{all:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{all:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn commons_research_keeps_the_assumptions_fixed_unless_asked() {
    let args = |extra: &[&str]| {
        let mut a = vec![
            "commons", "research", "--budget", "10", "--set", "runs=2", "--set", "days=60",
            "--json",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        json(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let fixed = run(&["--threads", "1"]);
    assert_eq!(fixed, run(&["--threads", "2"]));
    assert_eq!(fixed["fixed"].as_array().unwrap().len(), 5);
    assert!(fixed["best_params"]
        .as_str()
        .unwrap()
        .starts_with("#commons-dao?"));
    let free = run(&["--fixed", ""]);
    assert_eq!(free["fixed"].as_array().unwrap().len(), 0);
    // The score is the Monte Carlo's score ÷ 1000.
    let mc = json(&["commons", "sim", "--runs", "2", "--days", "60", "--json"]);
    assert!(close(
        num(&fixed, "baseline_score") * 1000.0,
        num(&mc, "score_mean")
    ));
}

/// `flywheel stress MODEL`: the JSON shape with the baseline first, the same bytes at
/// any number of threads, the CSV, and bad lists refused with the field named.
#[test]
fn stress_json_is_the_same_bytes_at_any_threads() {
    let dir = scratch_dir("flywheel-stress");
    let csv = dir.join("stress.csv");
    let base = [
        "stress",
        "crowdtrain",
        "--runs",
        "4",
        "--set",
        "months=12",
        "--scenarios",
        "bull,bear;crash:6+1,price*0.5",
        "--json",
    ];
    let out = |threads: &str, extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend(["--threads", threads]);
        args.extend(extra);
        let o = flywheel(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let one = out("1", &["--csv", csv.to_str().unwrap()]);
    assert_eq!(out("2", &[]), one);
    assert_eq!(out("5", &[]), one);
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["model"], "crowdtrain");
    assert_eq!(v["runs"], 4);
    let names: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["baseline", "bull", "bear", "crash"]);
    for s in v["scenarios"].as_array().unwrap() {
        for q in ["p10", "p50", "p90"] {
            assert!(s["metrics"]["score"][q].is_number());
            assert!(s["metrics"]["price_volatility"][q].is_number());
        }
        assert!(s["health"]["inflation"]["pass"].is_boolean());
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("scenario,metric,p10,p50,p90,baseline_p50,change\n"));
    assert_eq!(text.lines().count(), 1 + 4 * 11);
    // The stress link from the JSON reproduces the report through --params.
    let link = v["link"].as_str().unwrap();
    let again = flywheel(&["stress", "crowdtrain", "--params", link, "--json"]);
    assert_eq!(again.stdout, one);
    // Bad lists name the field; every model has the command.
    let bad = flywheel(&["stress", "crowdtrain", "--scenarios", "bull;moon"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("scenarios") && err.contains("'moon' is not in the library"),
        "{err}"
    );
    for model in ["datadao", "commons"] {
        let v = json(&[
            "stress",
            model,
            "--runs",
            "2",
            "--scenarios",
            "bear",
            "--set",
            if model == "datadao" {
                "total_steps=120"
            } else {
                "days=60"
            },
            "--json",
        ]);
        assert_eq!(v["model"], model);
        assert_eq!(v["scenarios"][1]["name"], "bear");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// Policies through `--set` in the model commands: the link carries them and the health says
/// what they did.
#[test]
fn model_commands_take_policies_with_set() {
    let v = json(&[
        "crowdtrain",
        "--runs",
        "2",
        "--months",
        "12",
        "--set",
        "inflation_controller=on",
        "--set",
        "price_stabilizer=on",
        "--json",
    ]);
    assert!(v["params"]
        .as_str()
        .unwrap()
        .contains("inflation_controller=on&price_stabilizer=on"));
    assert_eq!(v["health"]["policies"][0], "inflation_controller");
    assert!(!v["health"]["log"].as_array().unwrap().is_empty());
    assert!(v["health"]["checks"]["inflation"]["pass"].is_boolean());
    let d = json(&[
        "datadao",
        "--set",
        "total_steps=90",
        "--set",
        "value_distribution=on",
        "--json",
    ]);
    assert_eq!(d["health"]["policies"][0], "value_distribution");
    // Shares that do not sum to 100 are refused with the rule.
    let bad = flywheel(&["crowdtrain", "--set", "share_burn=50"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sum to 140"));
}
