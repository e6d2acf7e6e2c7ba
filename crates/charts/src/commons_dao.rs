//! The Commons DAO's charts: the Monte Carlo's bands day by day (price, supply, pools,
//! participants, sentiment, funds granted) with the inspected day marked, the proposals by state,
//! the score's ten parts against their caps, and the network of the inspected day — its
//! candidates' conviction against their thresholds and its participants, proposals and support
//! edges.

use crate::bands::{
    band_chart, mark_step, stacked_areas, time_axes, BandAxes, BandSeries, Guide, SeriesSpec,
};
use crate::bars::{bar_rows, BarRow};
use crate::fitting;
use crate::{
    house_mesh, legend_row, max_of, okabe_ito, text_width, tick, DrawResult, Swatch, Theme, CURVE,
    FUNDING, INK, MUTED, RESERVE,
};
use flywheel_core::commons::montecarlo::DaoResult;
use flywheel_core::commons::score::PARTS;
use flywheel_core::commons::sim::{NetProposal, Network, Status};
use flywheel_core::format::fixed;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Proposal states' colours, in [`STATES`] order (candidate, active, completed, failed):
/// Okabe–Ito colours, apart for colour-blind readers too (checked by a test).
pub const STATE_COLOURS: [RGBColor; 4] = [
    okabe_ito::SKY_BLUE,
    okabe_ito::ORANGE,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::VERMILLION,
];

/// The proposal states, in the order of [`DaoResult::state_means`].
pub const STATES: [Status; 4] = [
    Status::Candidate,
    Status::Active,
    Status::Completed,
    Status::Failed,
];

/// A proposal state's colour.
pub fn state_colour(s: Status) -> RGBColor {
    STATE_COLOURS[STATES.iter().position(|x| *x == s).unwrap_or(0)]
}

/// The sentiment scale's stops at 0, ¼, ½, ¾ and 1: ColorBrewer's BrBG, a diverging scale that
/// stays readable for colour-blind readers (brown for unhappy participants, teal for happy ones,
/// pale at 0.5).
pub const SENTIMENT_STOPS: [RGBColor; 5] = [
    RGBColor(140, 81, 10),
    RGBColor(216, 179, 101),
    RGBColor(238, 238, 238),
    RGBColor(90, 180, 172),
    RGBColor(1, 102, 94),
];

/// The colour of sentiment `s` (0–1; outside clamped) on the diverging scale.
pub fn sentiment_colour(s: f64) -> RGBColor {
    let s = if s.is_finite() {
        s.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let f = s * 4.0;
    let k = (f.floor() as usize).min(3);
    let u = f - k as f64;
    let (a, b) = (SENTIMENT_STOPS[k], SENTIMENT_STOPS[k + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Sentiment thresholds of the model (spec §4): buying above 0.75, selling below it, leaving
/// possible below 0.5.
const SENTIMENT_GUIDES: [Guide<'static>; 2] = [
    Guide {
        y: 0.75,
        label: "0.75: buy above, sell below",
    },
    Guide {
        y: 0.5,
        label: "0.5: may leave below",
    },
];

/// Short labels of the score's parts, in [`PARTS`] order, for narrow charts.
const PART_SHORT: [&str; 10] = [
    "Final price",
    "Price stability",
    "Funded",
    "Funds spent",
    "Funding pool",
    "Final sentiment",
    "Mean sentiment",
    "Min sentiment",
    "Completion",
    "Growth",
];

/// The Commons DAO tab's charts, for the page, the SVG exports and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommonsDaoChart {
    Price,
    Supply,
    Pools,
    Participants,
    Sentiment,
    Proposals,
    Granted,
    Conviction,
    Network,
    Score,
}

impl CommonsDaoChart {
    pub const ALL: [CommonsDaoChart; 10] = [
        Self::Price,
        Self::Supply,
        Self::Pools,
        Self::Participants,
        Self::Sentiment,
        Self::Proposals,
        Self::Granted,
        Self::Conviction,
        Self::Network,
        Self::Score,
    ];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::Supply => "supply",
            Self::Pools => "pools",
            Self::Participants => "participants",
            Self::Sentiment => "sentiment",
            Self::Proposals => "proposals",
            Self::Granted => "granted",
            Self::Conviction => "conviction",
            Self::Network => "network",
            Self::Score => "score",
        }
    }

    /// The chart's title, for its card on the page.
    pub fn title(self) -> &'static str {
        match self {
            Self::Price => "Token price",
            Self::Supply => "Token supply",
            Self::Pools => "Collateral reserve and funding pool",
            Self::Participants => "Participants",
            Self::Sentiment => "Mean sentiment",
            Self::Proposals => "Proposals by state",
            Self::Granted => "Funds granted",
            Self::Conviction => "Conviction of the inspected day's candidates",
            Self::Network => "Network of the inspected day",
            Self::Score => "Score",
        }
    }

    /// The size of the chart's SVG export.
    pub fn svg_size(self) -> (u32, u32) {
        match self {
            Self::Network => (960, 720),
            Self::Score => (960, 500),
            _ => (960, 460),
        }
    }

    /// Whether the chart draws the inspected day's network (and needs it).
    pub fn needs_network(self) -> bool {
        matches!(self, Self::Conviction | Self::Network)
    }

    /// The series of a band chart — (legend label, colour, recorded field) — and its y axis
    /// description; `None` for the charts that are not band charts.
    pub fn band_series(self) -> Option<(Vec<SeriesSpec>, &'static str)> {
        use okabe_ito::{BLUE, BLUISH_GREEN, REDDISH_PURPLE};
        Some(match self {
            Self::Price => (vec![("Token price", CURVE, "price")], "DAI per token"),
            Self::Supply => (vec![("Token supply", BLUE, "supply")], "Tokens"),
            Self::Pools => (
                vec![
                    ("Collateral reserve", RESERVE, "reserve"),
                    ("Funding pool", FUNDING, "funding_pool"),
                ],
                "DAI",
            ),
            Self::Participants => (
                vec![("Participants", BLUISH_GREEN, "participants")],
                "Participants (people)",
            ),
            Self::Sentiment => (
                vec![("Mean sentiment", REDDISH_PURPLE, "mean_sentiment")],
                "Mean sentiment (0–1)",
            ),
            Self::Granted => (
                vec![("Granted so far", BLUISH_GREEN, "granted")],
                "DAI granted (cumulative)",
            ),
            _ => return None,
        })
    }

    /// Draws the chart of `r` on `root`. The band charts and the proposals mark `inspected_day`
    /// (if any); the conviction and network charts draw `network`, the inspected day's (a
    /// message says so when there is none).
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        r: &DaoResult,
        network: Option<&Network>,
        inspected_day: Option<u32>,
        t: &Theme,
    ) -> DrawResult<DB> {
        match self {
            Self::Proposals => proposals_by_state(root, r, inspected_day, t),
            Self::Conviction => conviction_bars(root, network, t),
            Self::Network => network_graph(root, network, t),
            Self::Score => score_parts(root, r, t),
            _ => {
                let (series, y_desc) = self.band_series().unwrap_or_default();
                let found: Vec<BandSeries> = series
                    .iter()
                    .filter_map(|(label, colour, field)| {
                        r.band(field).map(|b| BandSeries {
                            label,
                            colour: *colour,
                            band: b,
                        })
                    })
                    .collect();
                let sentiment = self == Self::Sentiment;
                let axes = BandAxes {
                    x_desc: "Day",
                    y_desc,
                    y_max: sentiment.then_some(1.0),
                    marker: inspected_day,
                    guides: if sentiment { &SENTIMENT_GUIDES } else { &[] },
                };
                band_chart(root, &found, &axes, t)
            }
        }
    }

    /// The chart as a standalone SVG document of [`svg_size`](Self::svg_size).
    pub fn svg(
        self,
        r: &DaoResult,
        network: Option<&Network>,
        inspected_day: Option<u32>,
    ) -> Result<String, String> {
        let (w, h) = self.svg_size();
        crate::to_svg(w, h, |root| {
            self.draw(root, r, network, inspected_day, &Theme::default())
        })
    }
}

/// A muted message in the middle of `area` (what an empty chart says instead of its data).
pub(crate) fn message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    t: &Theme,
) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        t.muted_font(14.0).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(())
}

/// Mean proposals per state, stacked day by day (completed at the bottom, then failed, active
/// and candidates on top), with the inspected day marked.
pub fn proposals_by_state<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &DaoResult,
    inspected_day: Option<u32>,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let days = r.state_means.len();
    let y_max = max_of(r.state_means.iter().map(|m| m.iter().sum())).max(1.0) * 1.08;
    // The legend reads like the stack, top to bottom.
    let legend: Vec<(String, RGBAColor, Swatch)> = [
        ("Candidate", 0),
        ("Active", 1),
        ("Failed", 3),
        ("Completed", 2),
    ]
    .iter()
    .map(|(label, k)| {
        (
            label.to_string(),
            STATE_COLOURS[*k].to_rgba(),
            Swatch::Block,
        )
    })
    .collect();
    let plot = legend_row(root, &legend, t)?;
    let mut chart = time_axes(
        &plot,
        days,
        y_max,
        ("Day", "Proposals (mean over the runs)"),
        t,
    )?;
    let layers: Vec<(usize, RGBColor)> = [2, 3, 1, 0]
        .iter()
        .map(|k| (*k, STATE_COLOURS[*k]))
        .collect();
    stacked_areas(&mut chart, &r.state_means, &layers)?;
    if let Some(day) = inspected_day {
        mark_step(&mut chart, day, days, &format!("Day {day}"), t)?;
    }
    root.present()?;
    Ok(())
}

/// A score part with two decimals and a true minus sign: "0.32", "1.00", "−0.12".
fn two_decimals(v: f64) -> String {
    let s = fixed(v.abs(), 2);
    if v < 0.0 && s != "0.00" {
        format!("−{s}")
    } else {
        s
    }
}

/// The score's ten parts (means over the runs) as bars against their caps (outlined), the
/// penalty drawn left of zero, and the total above.
pub fn score_parts<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &DaoResult,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    const PART: RGBColor = okabe_ito::BLUE;
    const PENALTY: RGBColor = okabe_ito::VERMILLION;
    let (w, _) = root.dim_in_pixel();
    let runs = r.runs.len();
    let total = r.metric("score").map(|m| m.mean).filter(|x| x.is_finite());
    let header_font = t.font(14.0);
    let (long, short) = match total {
        Some(x) if runs > 0 => (
            format!(
                "Score {} of 1000 (mean over {} {}): 130 × the sum of the parts, at most 1000",
                fixed(x, 0),
                runs,
                if runs == 1 { "run" } else { "runs" }
            ),
            format!("Score {} of 1000 (mean over {runs})", fixed(x, 0)),
        ),
        _ => ("No runs yet: no score".to_string(), "No runs".to_string()),
    };
    let pad = t.px(12.0) as i32;
    let header = fitting(root, &[&long, &short], &header_font, w as i32 - 2 * pad).to_string();
    let header_h = t.px(26.0);
    root.draw(&Text::new(
        header,
        (pad, t.px(8.0) as i32),
        header_font.pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    let below = root.split_vertically(header_h).1;
    let negative = r.part_means.iter().any(|x| *x < 0.0);
    let mut legend = vec![
        (
            "Part (mean over the runs)".to_string(),
            PART.to_rgba(),
            Swatch::Block,
        ),
        (
            "Cap: full marks".to_string(),
            INK.to_rgba(),
            Swatch::Outline,
        ),
    ];
    if negative {
        legend.push(("Penalty".to_string(), PENALTY.to_rgba(), Swatch::Block));
    }
    let plot = legend_row(&below, &legend, t)?;
    let rows: Vec<BarRow> = PARTS
        .iter()
        .zip(r.part_means)
        .zip(PART_SHORT)
        .map(|(((_, label, cap), v), short)| {
            let v = if v.is_finite() { v } else { 0.0 };
            BarRow {
                label: label.to_string(),
                short_label: short.to_string(),
                value: v,
                whisker: 0.0,
                colour: if v < 0.0 { PENALTY } else { PART },
                text: if *cap == 0.0 {
                    format!("{} (penalty)", two_decimals(v))
                } else {
                    two_decimals(v)
                },
                text_inside: false,
                cap: Some(*cap),
            }
        })
        .collect();
    // The axis's description under the bars, which get what the labels leave (about 150 px).
    let x_desc = fitting(
        root,
        &[
            "Part of the score (1 = full marks)",
            "Part (1 = full marks)",
        ],
        &t.font(13.0),
        w as i32 - t.px(160.0) as i32,
    );
    bar_rows(root, &plot, &rows, 1.1, (x_desc, &|x| format!("{x:.1}")), t)?;
    root.present()?;
    Ok(())
}

/// The candidates of `net`, closest to passing first (conviction as a share of the threshold),
/// then those that cannot pass (most conviction first).
pub fn candidates_by_progress(net: &Network) -> Vec<&NetProposal> {
    let mut c: Vec<&NetProposal> = net
        .proposals
        .iter()
        .filter(|p| p.status == Status::Candidate)
        .collect();
    let key = |p: &NetProposal| match p.threshold {
        Some(th) if th > 0.0 => (0, -(p.conviction / th)),
        Some(_) => (0, f64::NEG_INFINITY),
        None => (1, -p.conviction),
    };
    c.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a.id.cmp(&b.id))
    });
    c
}

/// How many candidates the conviction and network charts show on a narrow screen, unless asked
/// for all: the closest to passing.
pub const LEADING_CANDIDATES: usize = 10;

/// `net` with only its `k` candidates closest to passing (every other proposal and participant
/// stays, with the edges to what is kept); `None` when it has no more than `k` candidates.
pub fn leading_candidates(net: &Network, k: usize) -> Option<Network> {
    let ranked = candidates_by_progress(net);
    if ranked.len() <= k {
        return None;
    }
    let dropped: Vec<u32> = ranked[k..].iter().map(|p| p.id).collect();
    let kept = |id: u32| !dropped.contains(&id);
    Some(Network {
        proposals: net
            .proposals
            .iter()
            .filter(|p| kept(p.id))
            .cloned()
            .collect(),
        edges: net
            .edges
            .iter()
            .filter(|e| kept(e.proposal))
            .cloned()
            .collect(),
        ..net.clone()
    })
}

/// Ticks for a log axis from `lo` to `hi` (powers of ten): 1, 2 and 5 of each decade over three
/// decades or fewer, else the powers of ten alone.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let steps: &[f64] = if b - a <= 3 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    (a..=b)
        .flat_map(|e| steps.iter().map(move |m| m * 10f64.powi(e)))
        .filter(|v| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9))
        .collect()
}

/// The inspected day's candidates as columns of conviction (log scale) with their thresholds as
/// ticks, closest to passing first; those that cannot pass (they ask β of the pool or more) last,
/// on a shaded ground marked "cannot pass". With room, each column is labelled with its
/// proposal's number and its conviction as a share of the threshold.
pub fn conviction_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: Option<&Network>,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    const BAR: RGBColor = okabe_ito::SKY_BLUE;
    const OVER: RGBColor = okabe_ito::BLUE;
    let Some(net) = net else {
        message(root, "Inspect a day to see its candidates", t)?;
        return root.present();
    };
    let cands = candidates_by_progress(net);
    let n = cands.len();
    let unpassable = cands.iter().filter(|p| p.threshold.is_none()).count();
    let over = |p: &NetProposal| p.threshold.is_some_and(|th| p.conviction >= th);
    let mut legend = vec![
        ("Conviction now".to_string(), BAR.to_rgba(), Swatch::Block),
        ("Threshold to pass".to_string(), INK.to_rgba(), Swatch::Line),
    ];
    if cands.iter().any(|p| over(p)) {
        legend.push((
            "At the threshold: passes at the next check".to_string(),
            OVER.to_rgba(),
            Swatch::Block,
        ));
    }
    if unpassable > 0 {
        legend.push((
            "Cannot pass: asks β of the pool or more".to_string(),
            MUTED.mix(0.25),
            Swatch::Block,
        ));
    }
    let plot = legend_row(root, &legend, t)?;
    if n == 0 {
        message(
            &plot,
            &format!("No candidate proposals on day {}", net.day),
            t,
        )?;
        return root.present();
    }
    // Log scale over every positive conviction and threshold, a quarter decade of room on top.
    let values = cands
        .iter()
        .flat_map(|p| [Some(p.conviction), p.threshold])
        .flatten()
        .filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = values.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if hi > 0.0 {
        (
            10f64.powf(lo.log10().floor()),
            10f64.powf((hi.log10() + 0.25).ceil()),
        )
    } else {
        (1.0, 10.0)
    };
    let (lo, hi) = (lo, hi.max(lo * 10.0));
    let mut chart = ChartBuilder::on(&plot)
        .margin(t.px(12.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(t.px(62.0))
        .build_cartesian_2d(
            0f64..n as f64,
            (lo..hi).log_scale().with_key_points(log_ticks(lo, hi)),
        )?;
    let x_desc = format!(
        "{n} candidates on day {}, closest to passing first",
        net.day
    );
    let short_desc = format!("{n} candidates, closest to passing first");
    let shortest = format!("{n} candidates, closest first");
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let plot_w = xs.end - xs.start;
    let desc = fitting(
        &plot,
        &[&x_desc, &short_desc, &shortest],
        &t.font(13.0),
        plot_w,
    )
    .to_string();
    let y_desc = crate::fit_desc(
        &plot,
        "Conviction (tokens, log scale)",
        t,
        crate::plot_height(&chart),
    );
    house_mesh(&mut chart.configure_mesh(), t)
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(40)
        .y_label_formatter(&|y| tick(*y))
        .x_desc(desc)
        .y_desc(y_desc)
        .draw()?;
    let col_px = plot_w as f64 / n as f64;
    let half = (0.35f64).min(t.px(18.0) as f64 / col_px);
    if unpassable > 0 {
        let from = (n - unpassable) as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(from, lo), (n as f64, hi)],
            MUTED.mix(0.14).filled(),
        )))?;
        let (x0, _) = chart.backend_coord(&(from, hi));
        let (x1, top) = chart.backend_coord(&(n as f64, hi));
        let font = t.font(12.0);
        let label = fitting(
            &plot,
            &["cannot pass", "∞"],
            &font,
            x1 - x0 - t.px(4.0) as i32,
        );
        plot.draw(&Text::new(
            label.to_string(),
            (
                (x0 + x1) / 2 - plot.get_base_pixel().0,
                top + t.px(4.0) as i32 - plot.get_base_pixel().1,
            ),
            font.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    chart.draw_series(cands.iter().enumerate().map(|(i, p)| {
        let c = i as f64 + 0.5;
        let top = p.conviction.clamp(lo, hi);
        let colour = if over(p) { OVER } else { BAR };
        Rectangle::new([(c - half, lo), (c + half, top)], colour.filled())
    }))?;
    let tick_half = (half * 1.3).min(0.48);
    chart.draw_series(cands.iter().enumerate().filter_map(|(i, p)| {
        let th = p.threshold?.clamp(lo, hi);
        let c = i as f64 + 0.5;
        Some(PathElement::new(
            vec![(c - tick_half, th), (c + tick_half, th)],
            INK.stroke_width(t.px(2.5)),
        ))
    }))?;
    // Labels: the proposal's number under its column, its progress above, when they fit.
    let font = t.font(11.0);
    let widest = cands
        .iter()
        .map(|p| text_width(&plot, &format!("#{}", p.id), &font))
        .chain(std::iter::once(text_width(&plot, "100%", &font)))
        .max()
        .unwrap_or(0);
    if col_px >= (widest + t.px(6.0) as i32) as f64 {
        let base = plot.get_base_pixel();
        for (i, p) in cands.iter().enumerate() {
            let c = i as f64 + 0.5;
            let (x, bottom) = chart.backend_coord(&(c, lo));
            plot.draw(&Text::new(
                format!("#{}", p.id),
                (x - base.0, bottom + t.px(5.0) as i32 - base.1),
                font.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
            if let Some(th) = p.threshold.filter(|th| *th > 0.0) {
                let share = p.conviction / th * 100.0;
                let (_, y) = chart.backend_coord(&(c, p.conviction.max(th).clamp(lo, hi)));
                let text = if share > 0.0 && share < 0.5 {
                    "<1%".to_string()
                } else {
                    format!("{}%", fixed(share, 0))
                };
                plot.draw(&Text::new(
                    text,
                    (x - base.0, y - t.px(4.0) as i32 - base.1),
                    font.pos(Pos::new(HPos::Center, VPos::Bottom)),
                ))?;
            }
        }
    }
    root.present()?;
    Ok(())
}

/// Where the network's nodes go: participants evenly on an inner ring, candidate and active
/// proposals evenly on an outer ring. The order on each ring follows the other ring (each node
/// goes where its neighbours' mean direction points, weighted by the tokens staked on their
/// edges; a few rounds of this barycentric ordering), so supporters sit near what they support
/// and edges cross less. Deterministic: ties keep the ids' order.
struct Layout {
    centre: (f64, f64),
    /// Angle of each participant, in `net.participants` order.
    participant_angles: Vec<f64>,
    /// (index in `net.proposals`, angle) of the proposals drawn.
    proposal_angles: Vec<(usize, f64)>,
    inner: f64,
    outer: f64,
}

/// The token-weighted mean direction of `neighbours` (angle, weight); `None` when they have none.
fn mean_direction(neighbours: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut x, mut y, mut total) = (0.0, 0.0, 0.0);
    for (a, w) in neighbours {
        let w = if w.is_finite() { w.max(0.0) } else { 0.0 };
        x += w * a.cos();
        y += w * a.sin();
        total += w;
    }
    // Neighbours all round (their directions cancel) pull nowhere.
    (total > 0.0 && x.hypot(y) > 1e-9 * total).then(|| y.atan2(x))
}

/// Angles for items that would like to sit at `wanted` (`None`: anywhere, after the others):
/// evenly spaced from the top, clockwise, in the order of their wish, the whole ring then turned
/// to sit as near their wishes as it can.
fn arrange(wanted: &[Option<f64>]) -> Vec<f64> {
    use std::f64::consts::{FRAC_PI_2, TAU};
    let n = wanted.len();
    let from_top = |a: f64| (a + FRAC_PI_2).rem_euclid(TAU);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| match (wanted[a], wanted[b]) {
        (Some(x), Some(y)) => from_top(x).total_cmp(&from_top(y)).then(a.cmp(&b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(&b),
    });
    let slot = |k: usize| -FRAC_PI_2 + TAU * k as f64 / n.max(1) as f64;
    let turn = mean_direction(
        order
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| wanted[i].map(|a| (a - slot(k), 1.0))),
    )
    .unwrap_or(0.0);
    let mut angles = vec![0.0; n];
    for (k, &i) in order.iter().enumerate() {
        angles[i] = slot(k) + turn;
    }
    angles
}

fn layout(net: &Network, (w, h): (f64, f64)) -> Layout {
    use std::collections::BTreeMap;
    let np = net.participants.len();
    let shown: Vec<usize> = net
        .proposals
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.status, Status::Candidate | Status::Active))
        .map(|(i, _)| i)
        .collect();
    let participant_at: BTreeMap<u32, usize> = net
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let shown_at: BTreeMap<u32, usize> = shown
        .iter()
        .enumerate()
        .map(|(k, &i)| (net.proposals[i].id, k))
        .collect();
    // Edges between drawn nodes: (participant, shown proposal, tokens).
    let edges: Vec<(usize, usize, f64)> = net
        .edges
        .iter()
        .filter_map(|e| {
            Some((
                *participant_at.get(&e.participant)?,
                *shown_at.get(&e.proposal)?,
                e.tokens,
            ))
        })
        .collect();
    // Participants start in id order; proposals follow their supporters (or their author), then
    // participants follow their proposals, and so on.
    let mut p_angles = arrange(&vec![None; np]);
    let mut q_angles = Vec::new();
    for round in 0..3 {
        let wanted: Vec<Option<f64>> = shown
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                mean_direction(
                    edges
                        .iter()
                        .filter(|e| e.1 == k)
                        .map(|e| (p_angles[e.0], e.2)),
                )
                .or_else(|| {
                    participant_at
                        .get(&net.proposals[i].author)
                        .map(|&a| p_angles[a])
                })
            })
            .collect();
        q_angles = arrange(&wanted);
        if round == 2 || shown.is_empty() {
            break;
        }
        let wanted: Vec<Option<f64>> = (0..np)
            .map(|a| {
                mean_direction(
                    edges
                        .iter()
                        .filter(|e| e.0 == a)
                        .map(|e| (q_angles[e.1], e.2)),
                )
                .or(Some(p_angles[a]))
            })
            .collect();
        p_angles = arrange(&wanted);
    }
    let radius = (w.min(h) / 2.0).max(1.0);
    Layout {
        centre: (w / 2.0, h / 2.0),
        participant_angles: p_angles,
        inner: if shown.is_empty() { 0.8 } else { 0.55 } * radius,
        proposal_angles: shown.into_iter().zip(q_angles).collect(),
        outer: radius,
    }
}

/// The inspected day's network: participants (circles on the inner ring, sized by holdings,
/// coloured by sentiment on a diverging scale, hatchers with a dark rim), candidate and active
/// proposals (squares on the outer ring, sized by request, coloured by state) and the support
/// edges between them (wider for more tokens staked).
pub fn network_graph<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    net: Option<&Network>,
    t: &Theme,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let Some(net) = net else {
        message(root, "Inspect a day to see its network", t)?;
        return root.present();
    };
    let legend = vec![
        (
            "Candidate proposal".to_string(),
            STATE_COLOURS[0].to_rgba(),
            Swatch::Block,
        ),
        (
            "Active proposal".to_string(),
            STATE_COLOURS[1].to_rgba(),
            Swatch::Block,
        ),
        ("Hatcher".to_string(), INK.to_rgba(), Swatch::Ring),
        (
            "Tokens staked (wider: more)".to_string(),
            MUTED.mix(0.6),
            Swatch::Line,
        ),
    ];
    let after_legend = legend_row(root, &legend, t)?;
    let plot = sentiment_scale(&after_legend, t)?;
    let (w, h) = plot.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let pad = t.px(12.0) as i32;
    // A caption under the rings: the day and what it holds.
    let candidates = net
        .proposals
        .iter()
        .filter(|p| p.status == Status::Candidate)
        .count();
    let active = net
        .proposals
        .iter()
        .filter(|p| p.status == Status::Active)
        .count();
    let closed = net.proposals.len() - candidates - active;
    let long = format!(
        "Day {}: {} participants, {} candidates, {} active; {} completed or failed not shown",
        net.day,
        net.participants.len(),
        candidates,
        active,
        closed
    );
    let short = format!(
        "Day {}: {} people, {} candidates, {} active",
        net.day,
        net.participants.len(),
        candidates,
        active
    );
    let font = t.font(12.0);
    let caption = fitting(&plot, &[&long, &short], &font, w - 2 * pad).to_string();
    let caption_h = t.px(22.0) as i32;
    plot.draw(&Text::new(
        caption,
        (w / 2, h - t.px(6.0) as i32),
        font.pos(Pos::new(HPos::Center, VPos::Bottom)),
    ))?;
    if net.participants.is_empty() && candidates + active == 0 {
        message(&plot, &format!("Nobody left on day {}", net.day), t)?;
        return root.present();
    }
    // Room for the largest nodes around the outer ring.
    let max_node = t.px(14.0) as f64;
    let area = (
        (w - 2 * pad) as f64 - 2.0 * max_node,
        (h - 2 * pad - caption_h) as f64 - 2.0 * max_node,
    );
    let lay = layout(net, (area.0.max(2.0), area.1.max(2.0)));
    let origin = (
        pad as f64 + max_node + lay.centre.0,
        pad as f64 + max_node + lay.centre.1,
    );
    let at = |radius: f64, angle: f64| {
        (
            (origin.0 + radius * angle.cos()).round() as i32,
            (origin.1 + radius * angle.sin()).round() as i32,
        )
    };
    let np = net.participants.len();
    let participant_pos: Vec<(i32, i32)> = lay
        .participant_angles
        .iter()
        .map(|a| {
            if np == 1 {
                at(0.0, 0.0)
            } else {
                at(lay.inner, *a)
            }
        })
        .collect();
    let proposal_pos: Vec<(usize, (i32, i32))> = lay
        .proposal_angles
        .iter()
        .map(|(i, a)| (*i, at(lay.outer, *a)))
        .collect();
    // Sizes: area in proportion to holdings / request, within what the rings' spacing allows.
    use std::f64::consts::TAU;
    let p_room = if np <= 1 {
        max_node
    } else {
        0.45 * TAU * lay.inner / np as f64
    };
    let p_max = p_room.min(max_node).max(t.px(2.0) as f64);
    let p_min = (t.px(3.0) as f64).min(p_max);
    let m = proposal_pos.len();
    let q_room = 0.42 * TAU * lay.outer / m.max(1) as f64;
    let q_max = q_room.min(t.px(10.0) as f64).max(t.px(1.5) as f64);
    let q_min = (t.px(2.5) as f64).min(q_max);
    let size = |x: f64, max: f64, lo: f64, hi: f64| {
        let f = if max > 0.0 && x.is_finite() {
            (x.max(0.0) / max).sqrt()
        } else {
            0.0
        };
        lo + (hi - lo) * f
    };
    let max_holdings = max_of(net.participants.iter().map(|p| p.holdings));
    let max_request = max_of(proposal_pos.iter().map(|(i, _)| net.proposals[*i].request));
    let max_tokens = max_of(net.edges.iter().map(|e| e.tokens));
    // Edges first, under the nodes.
    for e in &net.edges {
        let from = net.participants.iter().position(|p| p.id == e.participant);
        let to = proposal_pos
            .iter()
            .find(|(i, _)| net.proposals[*i].id == e.proposal);
        if let (Some(a), Some((_, b))) = (from, to) {
            let width = size(e.tokens, max_tokens, 0.6, 4.0);
            plot.draw(&PathElement::new(
                vec![participant_pos[a], *b],
                MUTED.mix(0.4).stroke_width(t.px(width)),
            ))?;
        }
    }
    for (i, pos) in &proposal_pos {
        let p = &net.proposals[*i];
        let s = size(p.request, max_request, q_min, q_max).round() as i32;
        let corners = [(pos.0 - s, pos.1 - s), (pos.0 + s, pos.1 + s)];
        plot.draw(&Rectangle::new(corners, state_colour(p.status).filled()))?;
        plot.draw(&Rectangle::new(corners, WHITE.stroke_width(t.px(1.0))))?;
    }
    for (p, pos) in net.participants.iter().zip(&participant_pos) {
        let r = size(p.holdings, max_holdings, p_min, p_max).round() as i32;
        plot.draw(&Circle::new(
            *pos,
            r,
            sentiment_colour(p.sentiment).filled(),
        ))?;
        let rim = if p.hatcher {
            INK.stroke_width(t.px(2.5))
        } else {
            MUTED.stroke_width(t.px(1.0))
        };
        plot.draw(&Circle::new(*pos, r, rim))?;
    }
    root.present()?;
    Ok(())
}

/// The participants' sentiment scale as a legend row: a gradient from 0 to 1 with the model's
/// thresholds (0.5, 0.75) marked; returns the area left below it.
fn sentiment_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let pad = t.px(12.0) as i32;
    let font = t.font(12.0);
    let small = t.muted_font(11.0);
    let title = "Participant sentiment";
    let tw = text_width(area, title, &font);
    let bar_h = t.px(10.0) as i32;
    let top = t.px(4.0) as i32;
    // The gradient goes after the title when both fit on one row, else under it.
    let bar_w_max = t.px(240.0) as i32;
    let (bar_x, bar_y) = if pad + tw + t.px(12.0) as i32 + t.px(160.0) as i32 <= w as i32 - pad {
        (pad + tw + t.px(12.0) as i32, top)
    } else {
        (pad, top + t.px(20.0) as i32)
    };
    let bar_w = (w as i32 - pad - bar_x - t.px(8.0) as i32)
        .min(bar_w_max)
        .max(1);
    area.draw(&Text::new(
        title,
        (pad, top + bar_h / 2),
        font.pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let steps = 48;
    for k in 0..steps {
        let x0 = bar_x + bar_w * k / steps;
        let x1 = bar_x + bar_w * (k + 1) / steps;
        let s = (k as f64 + 0.5) / steps as f64;
        area.draw(&Rectangle::new(
            [(x0, bar_y), (x1, bar_y + bar_h)],
            sentiment_colour(s).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(bar_x, bar_y), (bar_x + bar_w, bar_y + bar_h)],
        MUTED.mix(0.6),
    ))?;
    for (s, label) in [(0.0, "0"), (0.5, "0.5"), (0.75, "0.75"), (1.0, "1")] {
        let x = bar_x + (bar_w as f64 * s).round() as i32;
        area.draw(&PathElement::new(
            vec![(x, bar_y + bar_h), (x, bar_y + bar_h + t.px(3.0) as i32)],
            MUTED.stroke_width(t.px(1.0)),
        ))?;
        let h = match label {
            "0" => HPos::Left,
            "1" => HPos::Right,
            _ => HPos::Center,
        };
        area.draw(&Text::new(
            label,
            (x, bar_y + bar_h + t.px(4.0) as i32),
            small.pos(Pos::new(h, VPos::Top)),
        ))?;
    }
    let used = (bar_y + bar_h + t.px(22.0) as i32) as u32;
    Ok(area.split_vertically(used).1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_support;
    use flywheel_core::commons::dao::DaoParams;
    use flywheel_core::commons::montecarlo::{aggregate, run_monte_carlo};
    use flywheel_core::commons::sim::{network_at, NetEdge, NetParticipant};

    fn params() -> DaoParams {
        DaoParams {
            runs: 5.0,
            days: 200.0,
            ..Default::default()
        }
    }

    fn result() -> DaoResult {
        run_monte_carlo(&params(), &mut |_, _| true)
    }

    /// A deterministic made-up network: `np` participants (5 hatchers, holding far more),
    /// `nq` proposals (7 in 10 candidates, 1 active, 1 completed, 1 failed; every 13th cannot
    /// pass, every 11th without conviction), each participant staking on 2–7 of them.
    pub(crate) fn made_up_network(np: u32, nq: u32) -> Network {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut u = move || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let participants: Vec<NetParticipant> = (0..np)
            .map(|i| NetParticipant {
                id: i * 3,
                sentiment: u(),
                holdings: if i < 5 {
                    1e6 * (1.0 + 5.0 * u())
                } else {
                    1e3 * (1.0 + 100.0 * u())
                },
                hatcher: i < 5,
            })
            .collect();
        let proposals: Vec<NetProposal> = (0..nq)
            .map(|i| NetProposal {
                id: i,
                author: participants
                    .get((u() * np as f64) as usize)
                    .map_or(0, |p| p.id),
                status: match i % 10 {
                    0..=6 => Status::Candidate,
                    7 => Status::Active,
                    8 => Status::Completed,
                    _ => Status::Failed,
                },
                request: 1e3 * (1.0 + 100.0 * u() * u()),
                conviction: if i % 11 == 3 { 0.0 } else { 6e7 * u() * u() },
                threshold: (i % 13 != 5).then(|| 1e6 * (5.0 + 50.0 * u())),
                age: 3,
            })
            .collect();
        let mut edges = Vec::new();
        for p in &participants {
            for _ in 0..2 + (u() * 6.0) as u32 {
                let Some(q) = proposals.get((u() * nq as f64) as usize) else {
                    continue;
                };
                if matches!(q.status, Status::Candidate | Status::Active) {
                    edges.push(NetEdge {
                        participant: p.id,
                        proposal: q.id,
                        tokens: p.holdings * u() / 3.0,
                        affinity: u(),
                    });
                }
            }
        }
        Network {
            day: 321,
            price: 0.16,
            supply: 1e7,
            funding_pool: 2e5,
            participants,
            proposals,
            edges,
        }
    }

    /// The edge cases: nobody, one participant and no proposals, one participant staking on
    /// one candidate, candidates that all cannot pass, candidates without conviction.
    fn edge_networks() -> Vec<(&'static str, Network)> {
        let one = NetParticipant {
            id: 7,
            sentiment: 0.8,
            holdings: 1000.0,
            hatcher: true,
        };
        let candidate = |id, threshold, conviction| NetProposal {
            id,
            author: 7,
            status: Status::Candidate,
            request: 100.0,
            conviction,
            threshold,
            age: 1,
        };
        let mut unpassable = made_up_network(12, 30);
        for p in &mut unpassable.proposals {
            p.threshold = None;
        }
        vec![
            (
                "nobody",
                Network {
                    day: 9,
                    price: 0.16,
                    supply: 1e7,
                    funding_pool: 2e5,
                    participants: vec![],
                    proposals: vec![],
                    edges: vec![],
                },
            ),
            (
                "one participant, no proposals",
                Network {
                    day: 1,
                    price: 0.16,
                    supply: 1e7,
                    funding_pool: 2e5,
                    participants: vec![one.clone()],
                    proposals: vec![],
                    edges: vec![],
                },
            ),
            (
                "one participant, one candidate",
                Network {
                    day: 2,
                    price: 0.16,
                    supply: 1e7,
                    funding_pool: 2e5,
                    participants: vec![one.clone()],
                    proposals: vec![candidate(0, Some(5000.0), 800.0)],
                    edges: vec![NetEdge {
                        participant: 7,
                        proposal: 0,
                        tokens: 1000.0,
                        affinity: 1.0,
                    }],
                },
            ),
            ("all unpassable", unpassable),
            (
                "no conviction",
                Network {
                    day: 3,
                    price: 0.16,
                    supply: 1e7,
                    funding_pool: 2e5,
                    participants: vec![one],
                    proposals: vec![candidate(0, Some(5000.0), 0.0), candidate(1, None, 0.0)],
                    edges: vec![],
                },
            ),
        ]
    }

    fn render(
        c: CommonsDaoChart,
        r: &DaoResult,
        net: Option<&Network>,
        day: Option<u32>,
        (w, h, scale): (u32, u32, f64),
    ) -> String {
        let svg = crate::to_svg(w, h, |root| c.draw(root, r, net, day, &Theme { scale }))
            .unwrap_or_else(|e| panic!("{} at {w}×{h}: {e}", c.name()));
        assert!(svg.starts_with("<svg"), "{}", c.name());
        for bad in ["NaN", "inf"] {
            assert!(
                !svg.contains(bad),
                "{} at {w}×{h}: {bad} in the SVG",
                c.name()
            );
        }
        svg
    }

    /// Desktop, a phone and a dense phone screen.
    const SIZES: [(u32, u32, f64); 4] = [
        (1280, 600, 1.0),
        (390, 360, 1.0),
        (390, 560, 1.0),
        (780, 720, 2.0),
    ];

    /// Every chart renders at desktop and phone widths, with real and made-up networks and the
    /// edge cases, with no day, an early day and a day past the end inspected, and from an
    /// empty result: no panic, no NaN.
    #[test]
    fn every_chart_renders_every_input_without_nan() {
        let r = result();
        let empty = aggregate(vec![]);
        let real = network_at(&params(), 42, 100);
        let big = made_up_network(25, 115);
        let mut nets: Vec<(&str, Option<Network>)> =
            vec![("none", None), ("real", Some(real)), ("big", Some(big))];
        nets.extend(edge_networks().into_iter().map(|(n, x)| (n, Some(x))));
        for c in CommonsDaoChart::ALL {
            for size in SIZES {
                for (_, net) in &nets {
                    if !c.needs_network() && net.is_some() {
                        continue;
                    }
                    for day in [None, Some(0), Some(100), Some(10_000)] {
                        render(c, &r, net.as_ref(), day, size);
                    }
                }
                render(c, &empty, None, Some(5), size);
            }
        }
    }

    /// At every size, every text lies inside the chart and no two texts overlap: the legend, the
    /// axes, the marker and guides, the columns' labels, the captions.
    #[test]
    fn texts_stay_inside_and_apart_at_every_width() {
        let r = result();
        let nets = [
            network_at(&params(), 42, 100),
            made_up_network(25, 115),
            made_up_network(4, 6),
        ];
        for c in CommonsDaoChart::ALL {
            for size in SIZES.into_iter().chain([(300, 300, 1.0), (960, 460, 1.0)]) {
                for (k, net) in nets.iter().enumerate() {
                    if k > 0 && !c.needs_network() {
                        continue;
                    }
                    for day in [Some(100), Some(195)] {
                        let svg = render(c, &r, Some(net), day, size);
                        test_support::assert_texts_apart(
                            &svg,
                            (size.0, size.1),
                            1.0,
                            &format!("{} #{k} at {}×{} ×{}", c.name(), size.0, size.1, size.2),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn band_charts_mark_the_inspected_day_and_the_sentiment_lines() {
        let r = result();
        for c in CommonsDaoChart::ALL {
            let Some((series, y_desc)) = c.band_series() else {
                continue;
            };
            let svg = c.svg(&r, None, Some(100)).unwrap();
            assert!(svg.contains(">\nDay 100\n<"), "{}", c.name());
            assert!(svg.contains(y_desc) && svg.contains("Day"), "{}", c.name());
            for (label, _, field) in series {
                assert!(r.band(field).is_some(), "{field}");
                assert!(svg.contains(&format!("{label} (median)")), "{label}");
            }
            assert!(svg.contains("<polygon") && svg.contains("<polyline"));
            let unmarked = c.svg(&r, None, None).unwrap();
            assert!(!unmarked.contains(">\nDay 100\n<"), "{}", c.name());
        }
        let sentiment = CommonsDaoChart::Sentiment.svg(&r, None, None).unwrap();
        assert!(sentiment.contains("0.75: buy above, sell below"));
        assert!(sentiment.contains("0.5: may leave below"));
        let pools = CommonsDaoChart::Pools.svg(&r, None, None).unwrap();
        assert!(pools.contains("Collateral reserve (median)") && pools.contains("Funding pool"));
    }

    #[test]
    fn proposals_stack_by_state_up_to_the_total() {
        let r = result();
        let total = r.band("proposals_total").unwrap();
        // The four states' means add up to the mean total: every proposal is in one state.
        for (d, m) in r.state_means.iter().enumerate() {
            let mean_total: f64 = r
                .runs
                .iter()
                .map(|x| f64::from(x.records[d].proposals_total))
                .sum::<f64>()
                / r.runs.len() as f64;
            assert!((m.iter().sum::<f64>() - mean_total).abs() < 1e-9, "day {d}");
            assert!(total.p10[d] <= mean_total + 1e-9 && mean_total <= total.p90[d] + 1e-9);
        }
        let svg = CommonsDaoChart::Proposals.svg(&r, None, Some(50)).unwrap();
        for s in [
            "Candidate",
            "Active",
            "Completed",
            "Failed",
            "Day 50",
            "Proposals (mean",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
        assert!(svg.matches("<polygon").count() >= 3);
    }

    /// On a narrow screen the charts keep the leading candidates: the closest to passing, with
    /// every other proposal and participant, and only the edges to what is kept.
    #[test]
    fn leading_candidates_are_the_closest_to_passing() {
        let net = made_up_network(25, 115);
        let all = candidates_by_progress(&net);
        assert!(all.len() > LEADING_CANDIDATES);
        let lead = leading_candidates(&net, LEADING_CANDIDATES).unwrap();
        let kept: Vec<u32> = candidates_by_progress(&lead).iter().map(|p| p.id).collect();
        let first: Vec<u32> = all[..LEADING_CANDIDATES].iter().map(|p| p.id).collect();
        assert_eq!(kept, first);
        assert_eq!(lead.participants, net.participants);
        let others = |n: &Network| {
            n.proposals
                .iter()
                .filter(|p| p.status != Status::Candidate)
                .count()
        };
        assert_eq!(others(&lead), others(&net));
        assert!(lead
            .edges
            .iter()
            .all(|e| lead.proposals.iter().any(|p| p.id == e.proposal)));
        assert!(lead.edges.len() < net.edges.len());
        assert!(
            leading_candidates(&lead, LEADING_CANDIDATES).is_none(),
            "nothing more to drop"
        );
    }

    #[test]
    fn conviction_orders_candidates_and_marks_those_that_cannot_pass() {
        let net = made_up_network(25, 115);
        let c = candidates_by_progress(&net);
        assert_eq!(
            c.len(),
            net.proposals
                .iter()
                .filter(|p| p.status == Status::Candidate)
                .count()
        );
        let split = c.iter().position(|p| p.threshold.is_none()).unwrap();
        assert!(
            c[split..].iter().all(|p| p.threshold.is_none()),
            "unpassable last"
        );
        let progress: Vec<f64> = c[..split]
            .iter()
            .map(|p| p.conviction / p.threshold.unwrap())
            .collect();
        assert!(progress.windows(2).all(|w| w[0] >= w[1]), "closest first");
        let wide = crate::to_svg(1280, 600, |root| {
            conviction_bars(root, Some(&net), &Theme::default())
        })
        .unwrap();
        assert!(wide.contains("cannot pass") && wide.contains("Cannot pass: asks β"));
        assert!(wide.contains("Conviction (tokens, log scale)"));
        // 80 columns leave no room for their numbers; 4 do.
        assert!(!wide.contains(">\n#0\n<"));
        let r = result();
        let real = network_at(&params(), 42, 100);
        let svg = CommonsDaoChart::Conviction
            .svg(&r, Some(&real), Some(100))
            .unwrap();
        let first = candidates_by_progress(&real)[0];
        let share = fixed(first.conviction / first.threshold.unwrap() * 100.0, 0);
        assert!(
            svg.contains(&format!(">\n#{}\n<", first.id)),
            "column label"
        );
        assert!(
            svg.contains(&format!(">\n{share}%\n<")),
            "progress label {share}%"
        );
        let none = crate::to_svg(600, 300, |root| {
            conviction_bars(root, Some(&edge_networks()[0].1), &Theme::default())
        })
        .unwrap();
        assert!(none.contains("No candidate proposals on day 9"));
    }

    /// Every node lies inside the chart (the largest ones too) at a phone's width with 25
    /// participants and about 90 proposals drawn; hatchers have the thick dark rim; the layout is
    /// the same every time.
    #[test]
    fn network_nodes_fit_and_hatchers_stand_out() {
        let net = made_up_network(25, 115);
        for (w, h, scale) in SIZES {
            let svg = crate::to_svg(w, h, |root| {
                network_graph(root, Some(&net), &Theme { scale })
            })
            .unwrap();
            let circles = test_support::circles(&svg);
            // The participants, each filled and rimmed, and the legend's hatcher ring.
            assert_eq!(circles.len(), 2 * net.participants.len() + 1);
            for (x, y, r) in circles {
                assert!(
                    x - r >= 0.0 && x + r <= w as f64 && y - r >= 0.0 && y + r <= h as f64,
                    "a node at ({x}, {y}) r {r} outside {w}×{h}"
                );
            }
            let drawn = net
                .proposals
                .iter()
                .filter(|p| matches!(p.status, Status::Candidate | Status::Active))
                .count();
            // Two legend blocks and every proposal drawn, filled and outlined.
            assert!(svg.matches("<rect").count() >= 2 + 2 * drawn);
            let rim = format!(
                "stroke=\"#{:02X}{:02X}{:02X}\" stroke-width=\"{}\"",
                INK.0,
                INK.1,
                INK.2,
                (2.5 * scale).round()
            );
            assert_eq!(
                svg.matches(&rim).count(),
                5 + 1,
                "5 hatchers and the legend's ring"
            );
            let again = crate::to_svg(w, h, |root| {
                network_graph(root, Some(&net), &Theme { scale })
            })
            .unwrap();
            assert_eq!(svg, again, "the layout is deterministic");
        }
        let svg = CommonsDaoChart::Network
            .svg(&result(), None, Some(3))
            .unwrap();
        assert!(svg.contains("Inspect a day to see its network"));
    }

    /// The layout puts each proposal near its supporters: with each participant staking on one
    /// proposal only, a proposal sits within a quarter turn of its supporters' mean direction.
    #[test]
    fn network_layout_puts_proposals_near_their_supporters() {
        let mut net = made_up_network(25, 60);
        net.edges.clear();
        let shown: Vec<u32> = net
            .proposals
            .iter()
            .filter(|p| matches!(p.status, Status::Candidate | Status::Active))
            .map(|p| p.id)
            .collect();
        for (i, p) in net.participants.iter().enumerate() {
            net.edges.push(NetEdge {
                participant: p.id,
                proposal: shown[i % shown.len()],
                tokens: 100.0,
                affinity: 1.0,
            });
        }
        let lay = layout(&net, (400.0, 400.0));
        for (i, a) in &lay.proposal_angles {
            let id = net.proposals[*i].id;
            let supporters = net.edges.iter().filter(|e| e.proposal == id).map(|e| {
                let k = net
                    .participants
                    .iter()
                    .position(|p| p.id == e.participant)
                    .unwrap();
                (lay.participant_angles[k], e.tokens)
            });
            if let Some(m) = mean_direction(supporters) {
                let d = (a - m).rem_euclid(std::f64::consts::TAU);
                let d = d.min(std::f64::consts::TAU - d);
                assert!(
                    d < std::f64::consts::FRAC_PI_2,
                    "proposal {id}: {d:.2} rad away"
                );
            }
        }
        // Every participant and proposal gets its own place.
        let mut angles: Vec<f64> = lay.participant_angles.clone();
        angles.sort_by(f64::total_cmp);
        assert!(angles.windows(2).all(|w| w[1] - w[0] > 1e-6));
    }

    #[test]
    fn score_shows_every_part_against_its_cap_and_the_total() {
        let r = result();
        let svg = CommonsDaoChart::Score.svg(&r, None, None).unwrap();
        for (_, label, _) in PARTS {
            assert!(svg.contains(label), "missing {label}");
        }
        let total = fixed(r.metric("score").unwrap().mean, 0);
        assert!(svg.contains(&format!("Score {total} of 1000")), "{total}");
        assert!(svg.contains("(penalty)") && svg.contains("Cap: full marks"));
        // Nine caps outlined (the penalty has none) and the legend's outline.
        let outline = format!(
            "fill=\"none\" stroke=\"#{:02X}{:02X}{:02X}\"",
            INK.0, INK.1, INK.2
        );
        assert_eq!(svg.matches(&outline).count(), 9 + 1);
        // A penalty drawn left of zero.
        let mut penalised = r.clone();
        penalised.part_means[7] = -0.2;
        let svg = CommonsDaoChart::Score.svg(&penalised, None, None).unwrap();
        assert!(svg.contains("Penalty") && svg.contains("−0.20 (penalty)"));
        let empty = CommonsDaoChart::Score
            .svg(&aggregate(vec![]), None, None)
            .unwrap();
        assert!(empty.contains("No runs yet"));
    }

    /// The four states, the series sharing a band chart, and the sentiment scale's ends stay
    /// apart for colour-blind readers; the sentiment scale's ends also differ from the two
    /// proposal colours drawn beside them in the network.
    #[test]
    fn co_plotted_colours_are_distinguishable() {
        test_support::assert_apart(
            &[
                ("candidate", STATE_COLOURS[0]),
                ("active", STATE_COLOURS[1]),
                ("completed", STATE_COLOURS[2]),
                ("failed", STATE_COLOURS[3]),
            ],
            20.0,
            10.0,
        );
        for c in CommonsDaoChart::ALL {
            if let Some((series, _)) = c.band_series() {
                let named: Vec<(&str, RGBColor)> =
                    series.iter().map(|(n, c, _)| (*n, *c)).collect();
                test_support::assert_apart(&named, 20.0, 10.0);
            }
        }
        let (low, mid, high) = (
            sentiment_colour(0.0),
            sentiment_colour(0.5),
            sentiment_colour(1.0),
        );
        test_support::assert_apart(&[("low", low), ("middle", mid), ("high", high)], 30.0, 20.0);
        test_support::assert_apart(
            &[
                ("0.25", sentiment_colour(0.25)),
                ("0.75", sentiment_colour(0.75)),
            ],
            20.0,
            10.0,
        );
        for (name, s) in [
            ("candidate", STATE_COLOURS[0]),
            ("active", STATE_COLOURS[1]),
        ] {
            test_support::assert_apart(&[(name, s), ("low", low), ("high", high)], 15.0, 8.0);
        }
        assert_eq!(sentiment_colour(f64::NAN), sentiment_colour(0.5));
        assert_eq!(sentiment_colour(2.0), high);
    }

    #[test]
    fn names_and_titles_are_unique() {
        let mut names: Vec<&str> = CommonsDaoChart::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CommonsDaoChart::ALL.len());
        for c in CommonsDaoChart::ALL {
            assert!(!c.title().is_empty());
            assert!(c
                .name()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'));
        }
    }
}
