//! dataDAO's charts: the seed's four plots (price, the pool's reserves, the Pie), agents by type
//! and average xDAI per type — step by step, revealed up to the inspected step, with a second run
//! (another preset) dashed on the same axes when comparing.

use crate::{
    house_mesh, legend_row, max_of, okabe_ito, text_width, tick, DrawResult, Mark, Swatch, Theme,
    MUTED,
};
use flywheel_core::datadao::sim::{DdRun, Kind, StepRecord};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours of the five agent types, in [`Kind::ALL`] order (degens, organizations, power,
/// active and casual users): Okabe–Ito colours that stay apart for colour-blind readers too.
pub const KIND_COLOURS: [RGBColor; 5] = [
    okabe_ito::VERMILLION,
    okabe_ito::BLUE,
    okabe_ito::REDDISH_PURPLE,
    okabe_ito::BLUISH_GREEN,
    okabe_ito::SKY_BLUE,
];

const MAIN: RGBColor = RGBColor(79, 70, 229);
/// Values below this are drawn at it on a log scale (0 has no logarithm).
const LOG_FLOOR: f64 = 1e-3;

/// A value read off a record; the `usize` is the agent type's index for per-type lines.
type Value = fn(&StepRecord, usize) -> f64;
/// A line: label, colour, its value, and the argument for it.
type Line = (String, RGBColor, Value, usize);

/// The dataDAO tab's charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataDaoChart {
    Price,
    DdtReserve,
    XdaiReserve,
    Pie,
    Agents,
    AvgXdai,
}

/// A run to draw: its records, a name for the legend, and whether it is the comparison (dashed).
pub struct Shown<'a> {
    pub run: &'a DdRun,
    pub name: &'a str,
    pub dashed: bool,
}

impl DataDaoChart {
    pub const ALL: [DataDaoChart; 6] = [
        Self::Price,
        Self::DdtReserve,
        Self::XdaiReserve,
        Self::Pie,
        Self::Agents,
        Self::AvgXdai,
    ];

    /// Short name, used in file names and element ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::DdtReserve => "ddt-reserve",
            Self::XdaiReserve => "xdai-reserve",
            Self::Pie => "pie",
            Self::Agents => "agents",
            Self::AvgXdai => "avg-xdai",
        }
    }

    fn y_desc(self) -> &'static str {
        match self {
            Self::Price => "Price (xDAI per dDT)",
            Self::DdtReserve => "dDT in the pool",
            Self::XdaiReserve => "xDAI in the pool",
            Self::Pie => "dDT in the Pie",
            Self::Agents => "Agents",
            Self::AvgXdai => "Average xDAI held (log scale)",
        }
    }

    /// Whether the chart's values span decades (organizations hold a thousand times more xDAI
    /// than casual users) and so need a log scale.
    fn log_y(self) -> bool {
        self == Self::AvgXdai
    }

    /// The lines of one run.
    fn lines(self) -> Vec<Line> {
        let one = |label: &str, f: Value| vec![(label.to_string(), MAIN, f, 0)];
        match self {
            Self::Price => one("Price", |r, _| r.price),
            Self::DdtReserve => one("dDT reserve", |r, _| r.ddt_reserve),
            Self::XdaiReserve => one("xDAI reserve", |r, _| r.xdai_reserve),
            Self::Pie => one("Pie", |r, _| r.pie),
            Self::Agents => Kind::ALL
                .iter()
                .enumerate()
                .map(|(k, kind)| {
                    let f: Value = |r, k| r.counts[k] as f64;
                    (kind.label().to_string(), KIND_COLOURS[k], f, k)
                })
                .collect(),
            Self::AvgXdai => Kind::ALL
                .iter()
                .enumerate()
                .map(|(k, kind)| {
                    let f: Value = |r, k| r.avg_xdai[k];
                    (kind.label().to_string(), KIND_COLOURS[k], f, k)
                })
                .collect(),
        }
    }

    /// Draws the runs' first `upto` steps on axes that span every step, with a marker at step
    /// `upto` (the inspected step).
    pub fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        runs: &[Shown],
        upto: usize,
        t: &Theme,
    ) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let lines = self.lines();
        let steps = runs.iter().map(|s| s.run.records.len()).max().unwrap_or(0);
        let values = || {
            runs.iter().flat_map(|s| {
                let lines = &lines;
                s.run
                    .records
                    .iter()
                    .flat_map(move |r| lines.iter().map(move |(_, _, f, k)| f(r, *k)))
            })
        };
        // A log scale (drawn as log10 on a linear axis) when values span decades.
        let log = self.log_y();
        let y = move |v: f64| if log { v.max(LOG_FLOOR).log10() } else { v };
        let (y_min, y_max) = if log {
            let hi = max_of(values()).max(LOG_FLOOR * 10.0);
            let lo = values()
                .filter(|v| *v > 0.0)
                .fold(hi, f64::min)
                .max(LOG_FLOOR);
            (lo.log10().floor(), hi.log10().ceil())
        } else {
            (0.0, max_of(values()).max(f64::MIN_POSITIVE) * 1.08)
        };
        // Each line once in its colour (agent types with their markers too: two types with the
        // same counts lie on one line); when comparing, then which run is solid and which dashed.
        let marked = lines.len() > 1;
        let mut legend: Vec<(String, RGBAColor, Swatch)> = lines
            .iter()
            .map(|(label, colour, _, k)| {
                let swatch = if marked {
                    Swatch::Marked(Mark::ALL[*k % Mark::ALL.len()])
                } else {
                    Swatch::Line
                };
                (label.clone(), colour.to_rgba(), swatch)
            })
            .collect();
        if runs.len() > 1 {
            for s in runs {
                let (style, swatch) = if s.dashed {
                    ("dashed", Swatch::Dashed)
                } else {
                    ("solid", Swatch::Line)
                };
                legend.push((format!("{}: {style}", s.name), MUTED.to_rgba(), swatch));
            }
        }
        let plot = legend_row(root, &legend, t)?;
        // Room on the right for half the last step's label ("2000").
        let mut chart = ChartBuilder::on(&plot)
            .margin(t.px(12.0))
            .margin_right(
                t.px(12.0) + text_width(&plot, &steps.to_string(), &t.muted_font(12.0)) as u32 / 2,
            )
            .x_label_area_size(t.px(40.0))
            .y_label_area_size(t.px(62.0))
            .build_cartesian_2d(1f64..steps.max(2) as f64, y_min..y_max)?;
        let y_desc = crate::fit_desc(&plot, self.y_desc(), t, crate::plot_height(&chart));
        house_mesh(&mut chart.configure_mesh(), t)
            .x_labels(8)
            .y_labels(if log { (y_max - y_min) as usize + 1 } else { 6 })
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .y_label_formatter(&|v| if log { tick(10f64.powf(*v)) } else { tick(*v) })
            .x_desc("Step")
            .y_desc(y_desc)
            .draw()?;
        // At most about two points per horizontal pixel: long runs stay quick to draw.
        let (width, _) = plot.dim_in_pixel();
        let stride = (steps / (2 * width.max(1) as usize)).max(1);
        for s in runs {
            let shown = &s.run.records[..upto.min(s.run.records.len())];
            for (_, colour, f, k) in &lines {
                let points: Vec<(f64, f64)> = shown
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % stride == 0 || *i + 1 == shown.len())
                    .map(|(_, r)| (r.step as f64, y(f(r, *k))))
                    .collect();
                if s.dashed {
                    chart.draw_series(DashedLineSeries::new(
                        points,
                        t.px(6.0),
                        t.px(4.0),
                        colour.mix(0.55).stroke_width(t.px(2.0)),
                    ))?;
                } else {
                    chart.draw_series(LineSeries::new(points, colour.stroke_width(t.px(2.0))))?;
                }
                if marked {
                    // Markers at intervals, each type's shifted by a fifth of one, so lines that
                    // coincide show every type's marker in turn.
                    let every = (steps / 8).max(1);
                    let offset = every * k / lines.len().max(1);
                    let area = chart.plotting_area().strip_coord_spec();
                    let base = area.get_base_pixel();
                    for r in shown.iter().skip(offset).step_by(every) {
                        let (px, py) = chart.backend_coord(&(r.step as f64, y(f(r, *k))));
                        let at = (px - base.0, py - base.1);
                        let mark = Mark::ALL[*k % Mark::ALL.len()];
                        let colour = if s.dashed {
                            colour.mix(0.55)
                        } else {
                            colour.to_rgba()
                        };
                        mark.draw(&area, at, t.px(3.5) as i32, colour)?;
                    }
                }
                if let Some(last) = shown.last() {
                    chart.draw_series(std::iter::once(Circle::new(
                        (last.step as f64, y(f(last, *k))),
                        t.px(3.5),
                        colour.filled(),
                    )))?;
                }
            }
        }
        if upto > 0 && upto < steps {
            chart.draw_series(LineSeries::new(
                [(upto as f64, y_min), (upto as f64, y_max)],
                MUTED.mix(0.6).stroke_width(t.px(1.0)),
            ))?;
        }
        root.present()?;
        Ok(())
    }

    /// The chart as a standalone SVG document.
    pub fn svg(self, runs: &[Shown], upto: usize) -> Result<String, String> {
        crate::to_svg(900, 420, |root| {
            self.draw(root, runs, upto, &Theme::default())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support;
    use flywheel_core::datadao::sim::run_with;
    use flywheel_core::datadao::DdParams;

    #[test]
    fn every_chart_draws_both_runs_up_to_the_inspected_step() {
        let p = DdParams {
            total_steps: 60.0,
            ..DdParams::default()
        };
        let a = run_with(&p, None, &mut |_, _| true);
        let b = run_with(&DdParams::preset("original").unwrap(), None, &mut |_, _| {
            true
        });
        let runs = [
            Shown {
                run: &a,
                name: "As described",
                dashed: false,
            },
            Shown {
                run: &b,
                name: "Original code",
                dashed: true,
            },
        ];
        for c in DataDaoChart::ALL {
            let svg = c.svg(&runs, 30).unwrap();
            assert!(
                svg.contains("Step") && svg.contains(c.y_desc()),
                "{}",
                c.name()
            );
            assert!(svg.contains("Original code: dashed"), "{}", c.name());
            assert!(svg.contains("As described: solid"), "{}", c.name());
        }
        let agents = DataDaoChart::Agents.svg(&runs[..1], 60).unwrap();
        for kind in Kind::ALL {
            assert!(agents.contains(kind.label()), "{}", kind.label());
        }
        // The comparison's legend entry is dashed like its lines: in the legend (above the
        // plot) the muted strokes are one solid and at least two dashes.
        let price = DataDaoChart::Price.svg(&runs, 30).unwrap();
        let muted = format!("#{:02X}{:02X}{:02X}", MUTED.0, MUTED.1, MUTED.2);
        let legend_strokes = test_support::polylines(&price)
            .into_iter()
            .filter(|(stroke, p)| *stroke == muted && p.iter().all(|q| q.1 < 40.0 && q.1 == p[0].1))
            .count();
        assert!(
            legend_strokes >= 3,
            "{legend_strokes} muted strokes in the legend"
        );
    }

    /// The five agent types stay apart, degens and casual users (both orange once) included, for
    /// colour-blind readers too.
    #[test]
    fn agent_type_colours_are_distinguishable() {
        let named: Vec<(&str, RGBColor)> = Kind::ALL
            .iter()
            .zip(KIND_COLOURS)
            .map(|(k, c)| (k.name(), c))
            .collect();
        test_support::assert_apart(&named, 20.0, 10.0);
    }

    /// The default mechanism's run of `steps` steps.
    fn described(steps: f64) -> DdRun {
        let p = DdParams {
            total_steps: steps,
            ..DdParams::default()
        };
        run_with(&p, None, &mut |_, _| true)
    }

    /// `run` shown alone, solid.
    fn alone(run: &DdRun) -> [Shown<'_>; 1] {
        [Shown {
            run,
            name: "As described",
            dashed: false,
        }]
    }

    /// Agent types whose lines coincide (equal counts) still tell apart: each type's line
    /// carries its own marker shape (circle, square, triangle, diamond, cross), in the legend
    /// too, and the markers of coinciding lines are shifted so each shows.
    #[test]
    fn agent_types_have_markers_as_well_as_colours() {
        let a = described(80.0);
        let runs = alone(&a);
        for chart in [DataDaoChart::Agents, DataDaoChart::AvgXdai] {
            let svg = chart.svg(&runs, 80).unwrap();
            for (kind, c) in KIND_COLOURS.iter().enumerate() {
                let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
                let marks = match Mark::ALL[kind] {
                    // A cross is two strokes of two points each in the type's colour.
                    Mark::Cross => {
                        let stroke = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
                        test_support::polylines(&svg)
                            .iter()
                            .filter(|(s, p)| *s == stroke && p.len() == 2)
                            .count()
                            / 2
                    }
                    mark => {
                        let shape = match mark {
                            Mark::Circle => "<circle",
                            Mark::Square => "<rect",
                            _ => "<polygon",
                        };
                        svg.split('\n')
                            .filter(|l| l.trim_start().starts_with(shape) && l.contains(&fill))
                            .count()
                    }
                };
                assert!(
                    marks >= 3,
                    "{}: {} markers of type {kind}",
                    chart.name(),
                    marks
                );
            }
        }
    }

    /// Every text inside the chart and clear of the others at a phone's width and a wide one.
    #[test]
    fn texts_stay_apart_on_phones_too() {
        let a = described(2000.0);
        let runs = alone(&a);
        for chart in DataDaoChart::ALL {
            for (w, h, scale) in [(320, 240, 1.0), (640, 480, 2.0), (900, 420, 1.0)] {
                let svg =
                    crate::to_svg(w, h, |root| chart.draw(root, &runs, 2000, &Theme { scale }))
                        .unwrap();
                test_support::assert_texts_apart(
                    &svg,
                    (w, h),
                    1.0,
                    &format!("{} at {w}×{h}", chart.name()),
                );
            }
        }
    }
}
