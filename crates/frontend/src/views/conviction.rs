//! The conviction calculator view: one proposal's threshold (the trigger function) and its
//! conviction growth "as it is" beside "if I add X tokens", the days to pass, exports and Info.

use crate::canvas;
use crate::dom::by_id;
use crate::info;
use crate::view::{
    Chart, ChartLayout, ExportButton, File, Groups, ModelView, Runs, Saved, Shown, Texts,
};
use crate::widgets::metric_card;
use flywheel_charts::conviction::ConvictionChart;
use flywheel_core::codec::encode;
use flywheel_core::commons::conviction::{ConvictionParams, ConvictionReport, PRESETS};
use flywheel_core::format::{fixed, readable, shortest};
use flywheel_core::protocol::{Command, Reply};
use std::fmt::Write as _;
use web_sys::{Element, HtmlCanvasElement};

/// The conviction calculator (it keeps no state of its own).
#[derive(Default)]
pub struct Conviction;

impl Chart for ConvictionChart {
    fn name(self) -> &'static str {
        ConvictionChart::name(self)
    }
}

#[derive(Clone, Copy)]
pub enum Export {
    Csv,
    Json,
}

/// The metric cards (label, key).
const METRICS: [(&str, &str); 5] = [
    ("Threshold (conviction)", "threshold"),
    ("Days to pass, as it is", "days_to_pass"),
    ("Days to pass, if I add", "days_to_pass_with_extra"),
    ("Conviction per staked token, at most", "multiplier"),
    ("Stake to pass in the days shown", "stake_to_pass"),
];

fn days(d: Option<u32>) -> String {
    d.map_or("never".into(), |d| format!("day {d}"))
}

impl ModelView for Conviction {
    type Params = ConvictionParams;
    type Report = ConvictionReport;
    type Part = ConvictionReport;
    type Chart = ConvictionChart;
    type Export = Export;
    type Asked = ();

    const PREFIX: &'static str = "cv-";
    const TEXTS: Texts = Texts {
        nav: "Conviction · calculator",
        title: "Conviction voting calculator",
        lede: "How much conviction a proposal needs, and how long its supporters' tokens take to build it: pick the voting parameters α and β.",
        reset_all: "Every value back to its default",
        copy_link: "Copy a link that reproduces exactly this calculation",
        copied: "Link copied. Anyone who opens it sees exactly this calculation.",
        restarted: " A fresh worker has been started: change any value to go on.",
        info: &info::CONVICTION,
    };
    const GROUPS: Groups = &[
        ("The proposal", &["request", "funding", "supply"]),
        ("Support", &["stake", "extra_stake", "days"]),
        (
            "Voting parameters",
            &["days_to_80p_of_max_voting_weight", "max_proposal_request"],
        ),
    ];
    const PRESETS: Option<crate::view::Presets<ConvictionParams>> = Some(crate::view::Presets {
        list: &PRESETS,
        params: ConvictionParams::preset,
        scope: crate::view::PresetScope::AllBut(&[]),
        custom: "Custom values: no preset matches.",
    });
    const RUNS: Runs = Runs::Quick;
    const CHARTS: &'static [(ConvictionChart, &'static str, &'static str)] = &[
        (
            ConvictionChart::Growth,
            "Conviction growth",
            "Conviction day by day with the stake as it is (solid) and with the extra tokens (dashed), against the threshold the request needs.",
        ),
        (
            ConvictionChart::Trigger,
            "The trigger function",
            "The threshold, as a multiple of the token supply, for each share of the funding pool a proposal may ask; it becomes infinite at β.",
        ),
    ];
    const CHART_LAYOUT: ChartLayout = ChartLayout::Column;
    const EXPORTS: &'static [ExportButton<Export>] = &[
        ExportButton {
            export: Export::Csv,
            id: "csv",
            label: "CSV",
            title: "Download the conviction of each day, as it is and with the extra tokens, and the threshold",
        },
        ExportButton {
            export: Export::Json,
            id: "json",
            label: "JSON",
            title: "Download the values, link and every computed number as JSON",
        },
    ];

    fn commands(&self, params: &ConvictionParams) -> Vec<Command> {
        vec![Command::Conviction {
            params: params.clone(),
        }]
    }

    fn part(reply: Reply) -> Option<ConvictionReport> {
        match reply {
            Reply::Conviction { report, .. } => Some(*report),
            _ => None,
        }
    }

    fn report(&self, _: &ConvictionParams, parts: Vec<ConvictionReport>) -> Option<Self::Report> {
        parts.into_iter().next()
    }

    fn metrics(&self) -> Vec<Element> {
        METRICS
            .iter()
            .map(|(label, key)| metric_card("cv-", label, key))
            .collect()
    }

    fn render(&self, shown: &Shown<Self>) {
        let (p, r) = (&shown.params, &shown.report);
        let share = if p.funding > 0.0 {
            p.request / p.funding
        } else {
            f64::INFINITY
        };
        let set = |key: &str, value: String, sub: String| {
            if let Some(e) = by_id(&format!("cv-m-{key}")) {
                e.set_text_content(Some(&value));
            }
            if let Some(e) = by_id(&format!("cv-m-{key}-sub")) {
                e.set_text_content(Some(&sub));
            }
        };
        set(
            "threshold",
            r.threshold
                .map_or("cannot pass".into(), |t| readable(t.round())),
            format!(
                "asks {}% of the pool; the limit β is {}%",
                fixed(share * 100.0, 2),
                fixed(p.max_proposal_request * 100.0, 2)
            ),
        );
        set(
            "days_to_pass",
            days(r.days_to_pass),
            format!(
                "{} tokens staked approach {}",
                readable(p.stake),
                readable(r.max_conviction.round())
            ),
        );
        set(
            "days_to_pass_with_extra",
            days(r.days_to_pass_with_extra),
            format!("with {} more tokens", readable(p.extra_stake)),
        );
        set(
            "multiplier",
            fixed(1.0 / (1.0 - r.alpha), 2),
            format!("α = {}", fixed(r.alpha, 5)),
        );
        set(
            "stake_to_pass",
            r.stake_to_pass_in_days
                .map_or("–".into(), |s| readable(s.ceil())),
            format!("tokens to pass within {} days", p.days),
        );
        // Every number at full precision, named as in the CLI's JSON, for tests and checks.
        if let Some(m) = by_id("cv-metrics") {
            let opt = |x: Option<f64>| x.map_or("null".to_string(), shortest);
            for (k, v) in [
                ("threshold", opt(r.threshold)),
                ("alpha", shortest(r.alpha)),
                ("max-conviction", shortest(r.max_conviction)),
                ("days-to-pass", opt(r.days_to_pass.map(f64::from))),
                (
                    "days-to-pass-with-extra",
                    opt(r.days_to_pass_with_extra.map(f64::from)),
                ),
                ("conviction-last", opt(r.conviction.last().copied())),
            ] {
                let _ = m.set_attribute(&format!("data-{k}"), &v);
            }
        }
    }

    fn draw(
        &self,
        chart: ConvictionChart,
        canvas: &HtmlCanvasElement,
        shown: &Shown<Self>,
    ) -> Result<(), String> {
        canvas::draw(canvas, |root, theme| {
            chart.draw(root, &shown.params, &shown.report, theme)
        })
    }

    fn summary(&self, chart: ConvictionChart, shown: &Shown<Self>) -> String {
        chart.summary(&shown.params, &shown.report)
    }

    fn svg(&self, chart: ConvictionChart, shown: &Shown<Self>) -> Result<String, String> {
        chart.svg(&shown.params, &shown.report)
    }

    fn export(&self, export: Export, shown: &Shown<Self>) -> Saved<()> {
        let (p, r) = (&shown.params, &shown.report);
        match export {
            Export::Csv => {
                let mut csv = String::from("day,conviction,conviction_with_extra,threshold\n");
                let threshold = r.threshold.map_or(String::new(), shortest);
                for (d, (c, e)) in r
                    .conviction
                    .iter()
                    .zip(&r.conviction_with_extra)
                    .enumerate()
                {
                    let _ = writeln!(
                        csv,
                        "{},{},{},{threshold}",
                        d + 1,
                        shortest(*c),
                        shortest(*e)
                    );
                }
                Saved::File(File {
                    name: "flywheel-conviction.csv".into(),
                    mime: "text/csv",
                    content: csv,
                })
            }
            Export::Json => {
                let doc = serde_json::json!({
                    "link": encode(p),
                    "params": p,
                    "report": r,
                });
                Saved::File(File {
                    name: "flywheel-conviction.json".into(),
                    mime: "application/json",
                    content: serde_json::to_string_pretty(&doc).unwrap_or_default(),
                })
            }
        }
    }
}
