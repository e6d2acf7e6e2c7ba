//! The CrowdTrain view: the Monte Carlo's parameters and presets (the economy changes, run
//! settings stay), the score and metric cards, the eight charts, exports (the CSV asks the worker
//! for every run's records: the same seeded runs again) and Info.

use crate::canvas;
use crate::dom::{by_id, cores};
use crate::info;
use crate::view::{
    monte_carlo_finished, monte_carlo_progress, Chart, ExportButton, Extras, File, Groups,
    ModelView, PresetScope, Presets, RunBar, Runs, Saved, Shown, Stale, Texts, View,
};
use crate::views::policies::POLICY_GROUPS;
use crate::views::research::ResearchPage;
use crate::views::stress::{StressPage, SETTINGS_GROUP};
use crate::widgets::{health_box, metric_card, show_health};
use flywheel_charts::crowdtrain::CrowdTrainChart;
use flywheel_core::codec::encode;
use flywheel_core::crowdtrain::montecarlo::{aggregate, McResult, RunResult};
use flywheel_core::crowdtrain::research::CrowdTrain as ResearchCrowdTrain;
use flywheel_core::crowdtrain::{CtParams, PriceModel, PRESETS};
use flywheel_core::format::{compact, fixed, money, shortest};
use flywheel_core::params::Preset;
use flywheel_core::protocol::{Command, Reply};
use web_sys::{Element, HtmlCanvasElement};

/// The CrowdTrain view (it keeps no state of its own).
#[derive(Default)]
pub struct CrowdTrain;

impl Chart for CrowdTrainChart {
    fn name(self) -> &'static str {
        CrowdTrainChart::name(self)
    }
}

/// The result of one of a run's commands: the whole Monte Carlo, or a range of its runs.
pub enum Part {
    Whole(McResult),
    Runs(Vec<RunResult>),
}

/// Above this many run-months the Monte Carlo runs in one worker: moving every run's records
/// to the page would cost more than the split saves (24,000 records are about 6 MB).
const MAX_SPLIT_RECORDS: usize = 24_000;

#[derive(Clone, Copy)]
pub enum Export {
    Csv,
    Json,
}

/// The panel's groups (the research view shows the model's under its own settings; the stress
/// view all of them, policies included).
pub const GROUPS: [(&str, &[&str]); 8] = [
    ("Monte Carlo", &["runs", "months", "seed", "scale"]),
    (
        "Supply and emission",
        &[
            "initial_supply",
            "max_supply",
            "monthly_emission_rate",
            "halving_interval_months",
            "initial_token_price",
            "burn_pct_of_revenue",
        ],
    ),
    (
        "Rewards and staking",
        &[
            "base_monthly_reward_tokens",
            "tier_reward_multipliers",
            "hardware_stake_requirement",
            "base_staking_apy",
            "lockup_bonus_per_month",
            "min_lockup_months",
            "max_lockup_months",
        ],
    ),
    (
        "Churn",
        &[
            "staking_churn_reduction",
            "earnings_churn_reduction",
            "nft_retention_bonus",
        ],
    ),
    (
        "Switches (the reference's quirks)",
        &[
            "reward_source",
            "supply_accounting",
            "price_model",
            "hardware_stake",
            "amm_usd_depth",
        ],
    ),
    POLICY_GROUPS[0],
    POLICY_GROUPS[1],
    POLICY_GROUPS[2],
];

/// The charts with their titles and captions, in page order.
const CHARTS: [(CrowdTrainChart, &str, &str); 8] = [
    (
        CrowdTrainChart::Score,
        "Score against its targets",
        "Each sub-score is 1 when its target is met; the composite weighs them as labelled. Bars are means over the runs, whiskers ±1 standard deviation.",
    ),
    (
        CrowdTrainChart::Funnel,
        "Tier funnel",
        "Everyone ever onboarded, how many of them ever reached each tier, and how many are still active at the end (means over the runs).",
    ),
    (
        CrowdTrainChart::Tiers,
        "Active operators by tier",
        "Mean active operators in each tier, month by month, stacked.",
    ),
    (
        CrowdTrainChart::Price,
        "Token price",
        "The median run's price with the P10–P90 band over the runs. With price_model=reference it is the reference formula's price index, not USD (see Info); with price_model=amm it is USD per token.",
    ),
    (
        CrowdTrainChart::Supply,
        "Supply, staked and burned",
        "Circulating supply, tokens staked and tokens burned so far (medians and P10–P90 bands).",
    ),
    (
        CrowdTrainChart::Flows,
        "Token flows per month",
        "Emission, rewards paid to operators, tokens operators sell and tokens burned from revenue, each month.",
    ),
    (
        CrowdTrainChart::Revenue,
        "Revenue",
        "Fiat revenue per month: customers arrive once enough qualified (tier 4+) operators exist.",
    ),
    (
        CrowdTrainChart::Gini,
        "Inequality of earnings",
        "The Gini coefficient of operators' cumulative earnings (0 = equal, 1 = one operator earns all).",
    ),
];

/// The metric cards: (label, stat name, how to show the mean).
const METRICS: [(&str, &str, Number); 8] = [
    ("Composite score", "score", Number::Score),
    (
        "Retention of all ever onboarded",
        "retention_pct",
        Number::Percent,
    ),
    ("Cumulative revenue", "cumulative_revenue", Number::Usd),
    // Labelled by the price model once a result shows (see `Number::label`).
    ("Final token price", "final_price", Number::Price),
    ("Peak token price", "peak_price", Number::Price),
    ("Gini of earnings", "gini", Number::Score),
    (
        "Qualified operators (tier 4+)",
        "t4_plus_operators",
        Number::Count,
    ),
    (
        "Active operators at the end",
        "active_operators_final",
        Number::Count,
    ),
];

/// How a metric card shows its number.
#[derive(Clone, Copy)]
enum Number {
    Score,
    Percent,
    /// US dollars: `$815k`.
    Usd,
    /// The token price: under the reference formula a structural index (not USD: its unit is
    /// really USD per million tokens), under the AMM USD per token.
    Price,
    Count,
}

impl Number {
    fn text(self, x: f64, price_model: PriceModel) -> String {
        match self {
            Number::Score => fixed(x, 4),
            Number::Percent => format!("{}%", fixed(x, 1)),
            Number::Usd => money(x),
            Number::Price if price_model == PriceModel::Reference => compact(x, 4),
            Number::Price => money(x),
            // Means of counts of people (the label says so): whole from a hundred on, a
            // decimal below, where it tells.
            Number::Count if x.fract() == 0.0 || x.abs() >= 100.0 => fixed(x.round(), 0),
            Number::Count => fixed(x, 1),
        }
    }

    /// The card's label: prices say whether they are the reference's index or USD.
    fn label(self, label: &str, price_model: PriceModel) -> String {
        match (self, price_model) {
            (Number::Price, PriceModel::Reference) => {
                format!("{} (not USD)", label.replace("token price", "price index"))
            }
            (Number::Price, PriceModel::Amm) => format!("{label} (USD)"),
            (Number::Count, _) => format!("{label}, mean of the runs"),
            _ => label.to_string(),
        }
    }

    /// The card's sub-line: the spread over the runs, `± $82k (std over the runs)`.
    fn spread(self, std: f64, price_model: PriceModel) -> String {
        format!("± {} (std over the runs)", self.text(std, price_model))
    }
}

impl ModelView for CrowdTrain {
    type Params = CtParams;
    type Report = McResult;
    type Part = Part;
    type Chart = CrowdTrainChart;
    type Export = Export;
    /// The records of every run, for the CSV.
    type Asked = ();

    const PREFIX: &'static str = "ct-";
    const TEXTS: Texts = Texts {
        nav: "CrowdTrain · operators",
        title: "CrowdTrain operator economy",
        lede: "Will operators stay long enough to qualify, does the token survive, and does revenue arrive before emissions halve? A seeded Monte Carlo of the reference world.",
        reset_all: "Every parameter back to the reference",
        copy_link: "Copy a link that reproduces exactly this Monte Carlo",
        copied: "Link copied. It reproduces exactly this Monte Carlo: parameters, runs and seed.",
        restarted: " A fresh worker has been started: press Run or change a parameter to go on.",
        info: &info::CROWDTRAIN,
    };
    const GROUPS: Groups = &GROUPS;
    /// A preset changes the economy and keeps the run settings.
    const PRESETS: Option<Presets<CtParams>> = Some(Presets {
        list: &PRESETS,
        params: CtParams::preset,
        scope: PresetScope::AllBut(&["runs", "months", "seed", "scale"]),
        custom: "Custom parameters: no preset matches.",
    });
    const RUNS: Runs = Runs::Long(RunBar {
        debounce_ms: 120,
        what: "Monte Carlo",
        run_title: "Run the Monte Carlo with the parameters shown",
        cancel_title: "Stop the Monte Carlo now; the charts keep the last finished run",
        cancelled: ["Cancelled. The charts show the last finished Monte Carlo."; 2],
        stale: Some(Stale {
            running: "The charts show the previous parameters until this Monte Carlo finishes.",
            idle: "The charts show earlier parameters: press Run to compute the ones in the panel.",
        }),
    });
    const CHARTS: &'static [(CrowdTrainChart, &'static str, &'static str)] = &CHARTS;
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Csv,
            id: "csv",
            label: "CSV",
            title:
                "Download every run's monthly records as CSV (the same as the command line's --csv)",
        },
        ExportButton {
            export: Export::Json,
            id: "json",
            label: "JSON",
            title: "Download parameters, link, scores, statistics and bands as JSON",
        },
    ];

    fn workers() -> usize {
        cores()
    }

    /// The runs split over the workers, one range each (the page puts them together: the same
    /// result as one worker's); one worker when the runs' records would be large to move.
    fn commands(&self, params: &CtParams) -> Vec<Command> {
        let runs = params.runs();
        let k = (cores() as u32).min(runs);
        if k < 2 || runs as usize * params.months() as usize > MAX_SPLIT_RECORDS {
            return vec![Command::CrowdTrain {
                params: params.clone(),
                records: false,
            }];
        }
        let mut commands = Vec::new();
        let mut first = 0;
        for i in 0..k {
            let count = runs / k + u32::from(i < runs % k);
            commands.push(Command::CrowdTrainRuns {
                params: params.clone(),
                first,
                count,
            });
            first += count;
        }
        commands
    }

    fn plan(&self, params: &CtParams) -> Option<flywheel_core::cost::RunCost> {
        Some(flywheel_core::crowdtrain::montecarlo::cost(params, false))
    }

    fn part(reply: Reply) -> Option<Part> {
        match reply {
            Reply::CrowdTrain { result, .. } => Some(Part::Whole(*result)),
            Reply::CrowdTrainRuns { runs, .. } => Some(Part::Runs(runs)),
            _ => None,
        }
    }

    fn report(&self, _params: &CtParams, parts: Vec<Part>) -> Option<McResult> {
        let mut runs = Vec::new();
        for part in parts {
            match part {
                Part::Whole(r) => return Some(r),
                Part::Runs(r) => runs.extend(r),
            }
        }
        Some(aggregate(runs).without_records())
    }

    fn metrics(&self) -> Vec<Element> {
        METRICS
            .iter()
            .map(|(label, key, _)| metric_card("ct-", label, key))
            .collect()
    }

    fn render(&self, shown: &Shown<Self>) {
        let (r, price_model) = (&shown.report, shown.params.price_model);
        for (label, key, number) in METRICS {
            let Some(stat) = r.stat(key) else { continue };
            if let Some(e) = by_id(&format!("ct-m-{key}")) {
                e.set_text_content(Some(&number.text(stat.mean, price_model)));
                let card_label = e
                    .closest(".metric")
                    .ok()
                    .flatten()
                    .and_then(|card| card.query_selector(".metric-label").ok().flatten());
                if let Some(l) = card_label {
                    l.set_text_content(Some(&number.label(label, price_model)));
                }
            }
            if let Some(e) = by_id(&format!("ct-m-{key}-sub")) {
                e.set_text_content(Some(&number.spread(stat.std, price_model)));
            }
        }
        show_health("ct-", &r.health);
        if let Some(e) = by_id("ct-m-active_operators_final-sub") {
            if let Some(ever) = r.stat("total_operators_ever") {
                e.set_text_content(Some(&format!(
                    "of {} ever onboarded (mean)",
                    Number::Count.text(ever.mean, price_model)
                )));
            }
        }
        // Every statistic at full precision, named as in the CLI's JSON, for tests and checks.
        if let Some(m) = by_id("ct-metrics") {
            for st in &r.stats {
                for (suffix, x) in [("mean", st.mean), ("std", st.std)] {
                    let attr = format!("data-{}-{suffix}", st.name.replace('_', "-"));
                    let _ = m.set_attribute(&attr, &shortest(x));
                }
            }
            let _ = m.set_attribute("data-runs", &r.runs.len().to_string());
            let _ = m.set_attribute("data-seed", &shown.params.seed().to_string());
            let _ = m.set_attribute("data-months", &shown.params.months().to_string());
        }
    }

    fn draw(
        &self,
        chart: CrowdTrainChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        let price_model = shown.params.price_model;
        canvas::draw(canvas, |root, theme| {
            chart.draw(root, &shown.report, price_model, theme)
        })
    }

    fn summary(&self, chart: CrowdTrainChart, shown: &Shown<Self>) -> String {
        chart.summary(&shown.report, shown.params.price_model)
    }

    fn svg(&self, chart: CrowdTrainChart, shown: &Shown<Self>) -> Result<String, String> {
        chart.svg(&shown.report, shown.params.price_model)
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<()> {
        match export {
            // The page does not keep every run's records: the worker runs the same seeded Monte
            // Carlo again and sends them (the numbers are the same by construction).
            Export::Csv => Saved::Ask {
                command: Command::CrowdTrain {
                    params: shown.params.clone(),
                    records: true,
                },
                asked: (),
                message: "Preparing the CSV: the worker is collecting every run's records…".into(),
            },
            Export::Json => {
                let r = &shown.report;
                let mut summary = serde_json::Map::new();
                for st in &r.stats {
                    summary.insert(format!("{}_mean", st.name), st.mean.into());
                    summary.insert(format!("{}_std", st.name), st.std.into());
                }
                let doc = serde_json::json!({
                    "link": encode(&shown.params),
                    "params": shown.params,
                    "summary": summary,
                    "result": r,
                });
                Saved::File(File {
                    name: "flywheel-crowdtrain.json".into(),
                    mime: "application/json",
                    content: serde_json::to_string_pretty(&doc).unwrap_or_default(),
                })
            }
        }
    }

    fn answer(view: &View<Self>, _records: (), reply: Reply) {
        if let Reply::CrowdTrain { result, .. } = reply {
            view.save(File {
                name: "flywheel-crowdtrain-records.csv".into(),
                mime: "text/csv",
                content: result.records_csv(),
            });
            view.say("CSV downloaded: every run's monthly records.");
        }
    }

    fn progress(&self, params: &CtParams, _commands: usize, done: f64, total: f64) -> String {
        monte_carlo_progress(params.runs(), done, total)
    }

    fn extras(&self) -> Extras {
        Extras {
            below_metrics: vec![health_box("ct-")],
            ..Extras::default()
        }
    }

    fn finished(&self, shown: &Shown<Self>, ms: f64, worker: Option<(f64, f64)>) -> String {
        let size = format!(
            "{} runs × {} months",
            shown.report.runs.len(),
            shown.params.months()
        );
        monte_carlo_finished(&size, ms, worker)
    }
}

/// CrowdTrain's research view: the seed's autoresearch loop on the page.
impl ResearchPage for ResearchCrowdTrain {
    const PREFIX: &'static str = "rs-";
    const NAV: &'static str = "CrowdTrain research · autoresearch";
    const TITLE: &'static str = "CrowdTrain autoresearch";
    const LEDE: &'static str = "The seed's experiment loop, run by your browser: change one to three parameters, run the design's Monte Carlo (20 runs by default), keep the change if the score improved, log every experiment, learn the landscape.";
    const INFO: &'static [crate::info::InfoSection] = &info::CROWDTRAIN_RESEARCH;
    const GROUPS: Groups = &[
        ("Research", &["budget", "research_seed"]),
        (
            "Start design: Monte Carlo",
            &["runs", "months", "seed", "scale"],
        ),
        GROUPS[1],
        GROUPS[2],
        GROUPS[3],
        GROUPS[4],
    ];
    const PRESETS: &'static [Preset] = &PRESETS;
    const TABLE_NOTE: &'static str = "The columns of results.tsv (the seed's): each sub-score from 0 to 1, higher is better; gini is the fairness sub-score, 1 − Gini ÷ 0.6. Kept experiments are shaded.";

    fn preset(name: &str, current: &CtParams) -> Option<CtParams> {
        let p = CrowdTrain::PRESETS.as_ref()?;
        p.apply(name, current)
    }
}

/// CrowdTrain's stress view.
impl StressPage for flywheel_core::crowdtrain::stress::CrowdTrain {
    const PREFIX: &'static str = "cs-";
    const NAV: &'static str = "CrowdTrain stress · scenarios";
    const TITLE: &'static str = "CrowdTrain under stress";
    const LEDE: &'static str = "Does the operator economy stay healthy when the market turns? The Monte Carlo under bull, bear, growth, regulatory and the dated CrowdTrain events, against the baseline, with the policies of the panel.";
    const INFO: &'static [crate::info::InfoSection] = &info::CROWDTRAIN_STRESS;
    const GROUPS: Groups = &[
        SETTINGS_GROUP,
        ("Monte Carlo", &["months", "seed", "scale"]),
        GROUPS[1],
        GROUPS[2],
        GROUPS[3],
        GROUPS[4],
        POLICY_GROUPS[0],
        POLICY_GROUPS[1],
        POLICY_GROUPS[2],
    ];
    const PRESETS: &'static [Preset] = &PRESETS;
    const PRESET_FIELDS: &'static [&'static str] = &[
        "reward_source",
        "supply_accounting",
        "price_model",
        "hardware_stake",
    ];

    fn preset(name: &str) -> Option<CtParams> {
        CtParams::preset(name)
    }
}
