//! Stress scenarios (spec §3): lists of scheduled shocks. A shock starts at a step, lasts some
//! steps and multiplies levers while it lasts: `price` (an outside trade moving the price by the
//! factor over the shock's duration: a one-step shock is a jump, a long one a drift), `demand`
//! (revenue, fees or purchases), `arrivals` (newcomers) and `churn` (leaving probability).
//!
//! Text form (links, the CLI, the panel): scenarios joined by `;`, each a library name or
//! `name:START+DURATION,lever*factor,…/START+DURATION,…` — e.g.
//! `bull;bear;shock:12+1,price*0.75/12+6,arrivals*0.5`.

use crate::format::{readable, shortest};
use crate::params::clip;
use serde::{Deserialize, Serialize};

/// What a shock multiplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    Price,
    Demand,
    Arrivals,
    Churn,
}

impl Lever {
    pub const ALL: [Lever; 4] = [Lever::Price, Lever::Demand, Lever::Arrivals, Lever::Churn];

    pub fn name(self) -> &'static str {
        match self {
            Lever::Price => "price",
            Lever::Demand => "demand",
            Lever::Arrivals => "arrivals",
            Lever::Churn => "churn",
        }
    }

    fn parse(s: &str) -> Option<Lever> {
        Lever::ALL.into_iter().find(|l| l.name() == s)
    }
}

/// Factors a shock may use.
pub const FACTOR_RANGE: (f64, f64) = (0.01, 100.0);
/// At most this many scenarios in a list, and shocks in a scenario.
pub const MAX_SCENARIOS: usize = 12;
pub const MAX_SHOCKS: usize = 12;
/// The name the table gives the run without shocks.
pub const BASELINE: &str = "baseline";

/// One scheduled shock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shock {
    /// The first step it acts in, from 1.
    pub start: u32,
    /// How many steps it acts.
    pub duration: u32,
    /// Levers and their factors, in [`Lever::ALL`] order, each at most once.
    pub factors: Vec<(Lever, f64)>,
}

impl Shock {
    pub fn end(&self) -> u32 {
        self.start.saturating_add(self.duration - 1)
    }

    fn text(&self) -> String {
        let mut out = format!("{}+{}", self.start, self.duration);
        for (l, f) in &self.factors {
            out.push_str(&format!(",{}*{}", l.name(), shortest(*f)));
        }
        out
    }
}

/// A named list of shocks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub shocks: Vec<Shock>,
}

/// The levers' factors in one step (1 where nothing acts).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conditions {
    /// The price's factor this step (a shock's factor spread evenly over its duration).
    pub price: f64,
    pub demand: f64,
    pub arrivals: f64,
    pub churn: f64,
}

impl Default for Conditions {
    fn default() -> Self {
        Conditions {
            price: 1.0,
            demand: 1.0,
            arrivals: 1.0,
            churn: 1.0,
        }
    }
}

impl Scenario {
    /// The scenario without shocks.
    pub fn baseline() -> Scenario {
        Scenario {
            name: BASELINE.into(),
            shocks: Vec::new(),
        }
    }

    /// The levers' factors in `step` (from 1): the product over the shocks acting then.
    pub fn at(&self, step: u32) -> Conditions {
        let mut c = Conditions::default();
        for s in &self.shocks {
            if step < s.start || step > s.end() {
                continue;
            }
            for &(lever, f) in &s.factors {
                match lever {
                    Lever::Price => {
                        c.price *= if s.duration == 1 {
                            f
                        } else {
                            libm::pow(f, 1.0 / f64::from(s.duration))
                        }
                    }
                    Lever::Demand => c.demand *= f,
                    Lever::Arrivals => c.arrivals *= f,
                    Lever::Churn => c.churn *= f,
                }
            }
        }
        c
    }

    /// The factors of every step `1..=steps` (what a run reads).
    pub fn schedule(&self, steps: u32) -> Vec<Conditions> {
        (1..=steps).map(|s| self.at(s)).collect()
    }

    /// What a run of `steps` steps (of `unit`, e.g. "month") leaves out: shocks that start after
    /// it ends are skipped, shocks that run past it are cut short.
    pub fn notes(&self, steps: u32, unit: &str) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.shocks {
            if s.start > steps {
                out.push(format!(
                    "{}: the shock at {unit} {} ({}) starts after the run's last {unit} ({steps}): skipped",
                    self.name,
                    s.start,
                    s.describe()
                ));
            } else if s.end() > steps {
                out.push(format!(
                    "{}: the shock at {unit} {} ({}) is cut to {} of its {} {unit}s by the run's end",
                    self.name,
                    s.start,
                    s.describe(),
                    steps - s.start + 1,
                    s.duration
                ));
            }
        }
        out
    }

    /// The scenario as written in a link (`name:1+24,price*2/…`).
    pub fn text(&self) -> String {
        let shocks: Vec<String> = self.shocks.iter().map(Shock::text).collect();
        format!("{}:{}", self.name, shocks.join("/"))
    }

    /// A readable description of the shocks.
    pub fn describe(&self, unit: &str) -> String {
        if self.shocks.is_empty() {
            return "no shocks".into();
        }
        self.shocks
            .iter()
            .map(|s| {
                let span = if s.duration == 1 {
                    format!("{unit} {}", s.start)
                } else {
                    format!("{unit}s {}–{}", s.start, s.end())
                };
                format!("{span}: {}", s.describe())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Shock {
    fn describe(&self) -> String {
        self.factors
            .iter()
            .map(|(l, f)| format!("{} × {}", l.name(), readable(*f)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A model's library: the named scenarios a bare name refers to.
pub type Library = Vec<Scenario>;

fn shock(start: u32, duration: u32, factors: &[(Lever, f64)]) -> Shock {
    Shock {
        start,
        duration: duration.max(1),
        factors: factors.to_vec(),
    }
}

/// The library of §3 for a model whose runs last `steps` steps of which `per_month` make a
/// month: bull and bear over the whole run, network growth from month 3 for a year, a regulatory
/// shock in month 12.
pub fn standard_library(steps: u32, per_month: u32) -> Library {
    use Lever::*;
    let month = |m: u32| (m - 1) * per_month + 1;
    let steps = steps.max(1);
    vec![
        Scenario {
            name: "bull".into(),
            shocks: vec![shock(
                1,
                steps,
                &[(Price, 2.0), (Demand, 1.5), (Arrivals, 1.3)],
            )],
        },
        Scenario {
            name: "bear".into(),
            shocks: vec![shock(
                1,
                steps,
                &[(Price, 0.4), (Demand, 0.6), (Churn, 1.3)],
            )],
        },
        Scenario {
            name: "growth".into(),
            shocks: vec![shock(month(3), 12 * per_month, &[(Arrivals, 2.5)])],
        },
        Scenario {
            name: "regulatory".into(),
            shocks: vec![
                shock(month(12), 1, &[(Price, 0.75)]),
                shock(month(12), 6 * per_month, &[(Arrivals, 0.5)]),
            ],
        },
    ]
}

/// The CrowdTrain research's dated shocks as one scenario (months): a competitor in month 18
/// (arrivals × 0.7 for 6 months), a regulatory shock in month 24 (price × 0.75), a recession in
/// month 30 (churn × 1.5 for 4 months).
pub fn crowdtrain_events() -> Scenario {
    use Lever::*;
    Scenario {
        name: "crowdtrain_events".into(),
        shocks: vec![
            shock(18, 6, &[(Arrivals, 0.7)]),
            shock(24, 1, &[(Price, 0.75)]),
            shock(30, 4, &[(Churn, 1.5)]),
        ],
    }
}

/// The library's names joined as a list's text (every scenario of the library).
pub fn names_text(library: &Library) -> String {
    library
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// A list's text: library scenarios by name, others written out.
pub fn list_text(list: &[Scenario], library: &Library) -> String {
    list.iter()
        .map(|s| match library.iter().find(|l| l.name == s.name) {
            Some(l) if l == s => s.name.clone(),
            _ => s.text(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads a list of scenarios (`bull;bear;mine:6+3,arrivals*3`, or `bull,bear`); `all` stands
/// for the whole library (`all;mine:…` adds one).
/// An error names what is wrong and what is allowed.
pub fn parse_list(raw: &str, library: &Library) -> Result<Vec<Scenario>, String> {
    let raw = raw.trim();
    let mut out: Vec<Scenario> = Vec::new();
    // Bare names may also be joined by commas (`bull,bear`); a written-out scenario's commas
    // are its shocks'.
    let mut parts: Vec<String> = Vec::new();
    for part in raw.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (names, body) = match part.find(':') {
            Some(i) => (&part[..i], Some(&part[i..])),
            None => (part, None),
        };
        let mut names: Vec<&str> = names.split(',').map(str::trim).collect();
        let last = names.pop().unwrap_or("");
        parts.extend(
            names
                .into_iter()
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        );
        parts.push(format!("{last}{}", body.unwrap_or("")));
    }
    let mut saw_all = false;
    for part in parts.iter().map(String::as_str).filter(|p| !p.is_empty()) {
        if part.eq_ignore_ascii_case("all") {
            saw_all = true;
            // The whole library, in its order (those not listed already).
            for s in library {
                if !out.iter().any(|o| o.name == s.name) {
                    out.push(s.clone());
                }
            }
            continue;
        }
        let s = parse_one(part, library)?;
        if saw_all && !part.contains(':') && out.contains(&s) {
            // A library name `all` already listed.
            continue;
        }
        if out.iter().any(|o| o.name == s.name) {
            return Err(format!("'{}' is listed twice", s.name));
        }
        out.push(s);
    }
    if out.len() > MAX_SCENARIOS {
        return Err(format!(
            "{} scenarios given; allowed at most {MAX_SCENARIOS}",
            out.len()
        ));
    }
    Ok(out)
}

fn parse_one(part: &str, library: &Library) -> Result<Scenario, String> {
    let (name, body) = match part.split_once(':') {
        Some((n, b)) => (n.trim(), Some(b.trim())),
        None => (part, None),
    };
    let name = name.to_ascii_lowercase();
    if name == BASELINE {
        return Err("'baseline' is the run without shocks and is always included".into());
    }
    if name.is_empty()
        || name.len() > 40
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "'{}' is not a scenario name (letters, digits and _, at most 40)",
            clip(&name)
        ));
    }
    let Some(body) = body else {
        return library
            .iter()
            .find(|s| s.name == name)
            .cloned()
            .ok_or_else(|| {
                format!(
                    "'{}' is not in the library ({}); define it as {}:START+DURATION,lever*factor",
                    clip(&name),
                    library
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    clip(&name)
                )
            });
    };
    let mut shocks = Vec::new();
    for text in body.split('/').map(str::trim).filter(|t| !t.is_empty()) {
        shocks.push(parse_shock(text).map_err(|e| format!("{name}: {e}"))?);
    }
    if shocks.len() > MAX_SHOCKS {
        return Err(format!(
            "{name}: {} shocks given; allowed at most {MAX_SHOCKS}",
            shocks.len()
        ));
    }
    Ok(Scenario { name, shocks })
}

fn parse_shock(text: &str) -> Result<Shock, String> {
    let mut parts = text.split(',').map(str::trim);
    let when = parts.next().unwrap_or("");
    let (start, duration) = when
        .split_once('+')
        .and_then(|(s, d)| Some((s.trim().parse::<u32>().ok()?, d.trim().parse::<u32>().ok()?)))
        .filter(|&(s, d)| s >= 1 && d >= 1 && s <= 1_000_000 && d <= 1_000_000)
        .ok_or_else(|| {
            format!(
                "'{}' is not START+DURATION (whole numbers from 1, e.g. 12+6)",
                clip(when)
            )
        })?;
    let mut factors: Vec<(Lever, f64)> = Vec::new();
    for f in parts.filter(|p| !p.is_empty()) {
        let (l, x) = f
            .split_once(['*', 'x', '×'])
            .map(|(l, x)| (l.trim(), x.trim()))
            .ok_or_else(|| format!("'{}' is not lever*factor (e.g. price*0.75)", clip(f)))?;
        let lever = Lever::parse(&l.to_ascii_lowercase()).ok_or_else(|| {
            format!(
                "'{}' is not a lever; allowed price, demand, arrivals, churn",
                clip(l)
            )
        })?;
        let x: f64 = x
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && (FACTOR_RANGE.0..=FACTOR_RANGE.1).contains(x))
            .ok_or_else(|| {
                format!(
                    "'{}' is not a factor from {} to {}",
                    clip(x),
                    readable(FACTOR_RANGE.0),
                    readable(FACTOR_RANGE.1)
                )
            })?;
        if factors.iter().any(|(o, _)| *o == lever) {
            return Err(format!("{} is given twice in one shock", lever.name()));
        }
        factors.push((lever, x));
    }
    if factors.is_empty() {
        return Err(format!(
            "the shock '{}' changes nothing (add e.g. ,price*0.75)",
            clip(text)
        ));
    }
    factors.sort_by_key(|(l, _)| *l);
    Ok(Shock {
        start,
        duration,
        factors,
    })
}
