//! A stress test's link: `#crowdtrain-stress?stress_runs=20&threshold=0.4&scenarios=bull;bear&…`
//! followed by the model's parameters (its policies included). The settings and the model are
//! one [`ParamModel`], so the page's panel, its link and the CLI read them by the same rules.

use super::Stressable;
use crate::params::{real, ParamIssue, ParamModel, ParamSpec, Scale, TextSpec, Value};
use crate::policy::scenario::{list_text, parse_list, Scenario};

/// The link key of the scenario list.
pub const SCENARIOS_KEY: &str = "scenarios";

/// The stress settings' specs, with the model's threshold (its score's range and a default) and
/// its outside market's default noise, before the model's specs, built once into `cell`.
pub fn settings_specs(
    cell: &'static std::sync::OnceLock<Vec<ParamSpec>>,
    threshold: (f64, (f64, f64), f64),
    noise: f64,
    model: &'static [ParamSpec],
) -> &'static [ParamSpec] {
    cell.get_or_init(|| {
        let (default, range, step) = threshold;
        let mut out = vec![
            real("stress_runs", "Runs per scenario", "runs", "Monte Carlo runs of the baseline and of each scenario; run i uses seed base + i in every scenario.", 20.0, (1.0, 1000.0), 1.0, Scale::Linear, true),
            real("threshold", "Score threshold", "", "The stress test passes when the score's P10 (9 runs in 10) stays at or above this in every scenario.", default, range, step, Scale::Linear, false),
            real("market_noise", "Outside market noise", "per step", "Each step an outside trade moves the price by a random factor with this standard deviation (mean 1), the same draws under every scenario.", noise, (0.0, 0.5), 0.005, Scale::Linear, false),
        ];
        out.extend_from_slice(model);
        out
    })
}

fn is_setting(name: &str) -> bool {
    matches!(name, "stress_runs" | "threshold" | "market_noise")
}

/// A stress test's settings and the model it tests.
pub struct StressParams<M: Stressable> {
    pub model: M::Params,
    pub stress_runs: f64,
    pub threshold: f64,
    pub market_noise: f64,
    /// The list as written (library names, or scenarios written out), validated.
    pub scenarios: String,
}

impl<M: Stressable> Clone for StressParams<M> {
    fn clone(&self) -> Self {
        StressParams {
            model: self.model.clone(),
            stress_runs: self.stress_runs,
            threshold: self.threshold,
            market_noise: self.market_noise,
            scenarios: self.scenarios.clone(),
        }
    }
}

impl<M: Stressable> PartialEq for StressParams<M> {
    fn eq(&self, o: &Self) -> bool {
        self.model == o.model
            && self.stress_runs == o.stress_runs
            && self.threshold == o.threshold
            && self.market_noise == o.market_noise
            && self.scenarios == o.scenarios
    }
}

impl<M: Stressable> std::fmt::Debug for StressParams<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::codec::encode(self))
    }
}

impl<M: Stressable> Default for StressParams<M> {
    fn default() -> Self {
        let mut p = StressParams {
            model: M::Params::default(),
            stress_runs: 0.0,
            threshold: 0.0,
            market_noise: 0.0,
            scenarios: M::DEFAULT_SCENARIOS.to_string(),
        };
        for s in M::stress_specs().iter().filter(|s| is_setting(s.name())) {
            p.put(s.name(), s.default_value());
        }
        p
    }
}

impl<M: Stressable> StressParams<M> {
    pub fn runs(&self) -> u32 {
        self.stress_runs as u32
    }

    /// The scenarios of the list, resolved against the library for this run's length.
    pub fn scenario_list(&self) -> Vec<Scenario> {
        let lib = M::library(&self.model);
        parse_list(&self.scenarios, &lib).unwrap_or_default()
    }

    /// What the run's length leaves out of the scenarios (shocks after the end, cut short).
    pub fn notes_of_scenarios(&self) -> Vec<String> {
        let steps = M::steps(&self.model);
        self.scenario_list()
            .iter()
            .flat_map(|s| s.notes(steps, M::UNIT))
            .collect()
    }

    /// Sets the list from text (validated: on error nothing changes).
    pub fn set_scenarios(&mut self, raw: &str) -> Result<(), String> {
        let lib = M::library(&self.model);
        let list = parse_list(raw, &lib)?;
        self.scenarios = list_text(&list, &lib);
        Ok(())
    }
}

impl<M: Stressable> ParamModel for StressParams<M> {
    const TAB: &'static str = M::STRESS_TAB;
    const VIEW_KEYS: &'static [&'static str] = &["series", "vs", "metric"];

    fn specs() -> &'static [ParamSpec] {
        M::stress_specs()
    }

    fn get(&self, name: &str) -> Option<Value> {
        match name {
            "stress_runs" => Some(Value::Real(self.stress_runs)),
            "threshold" => Some(Value::Real(self.threshold)),
            "market_noise" => Some(Value::Real(self.market_noise)),
            _ => self.model.get(name),
        }
    }

    fn put(&mut self, name: &str, value: Value) {
        match (name, value) {
            ("stress_runs", Value::Real(x)) => self.stress_runs = x,
            ("threshold", Value::Real(x)) => self.threshold = x,
            ("market_noise", Value::Real(x)) => self.market_noise = x,
            _ if is_setting(name) => {}
            _ => self.model.put(name, value),
        }
    }

    fn parse_extra(&mut self, key: &str, raw: &str) -> Option<Result<(), ParamIssue>> {
        if key != SCENARIOS_KEY {
            return self.model.parse_extra(key, raw);
        }
        Some(self.set_scenarios(raw).map_err(|message| ParamIssue {
            field: SCENARIOS_KEY.into(),
            message: format!("{SCENARIOS_KEY}: {message}; using {}", self.scenarios),
        }))
    }

    fn cross_check(&mut self) -> Vec<ParamIssue> {
        self.model.cross_check()
    }

    fn notes(&self) -> Vec<ParamIssue> {
        let mut out = self.model.notes();
        out.extend(
            self.notes_of_scenarios()
                .into_iter()
                .map(|message| ParamIssue {
                    field: SCENARIOS_KEY.into(),
                    message,
                }),
        );
        out
    }

    fn extra_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.model.extra_pairs();
        if self.scenarios != M::DEFAULT_SCENARIOS {
            pairs.push((SCENARIOS_KEY.to_string(), self.scenarios.clone()));
        }
        pairs
    }

    fn text_fields() -> &'static [TextSpec] {
        M::stress_text_fields()
    }

    fn text_value(&self, key: &str) -> Option<String> {
        if key == SCENARIOS_KEY {
            return Some(self.scenarios.clone());
        }
        self.model.text_value(key)
    }
}

/// The stress link's text fields: the scenario list (its default `default`), then the model's,
/// built once into `cell`.
pub fn text_fields_for(
    cell: &'static std::sync::OnceLock<Vec<TextSpec>>,
    default: &'static str,
    model: &'static [TextSpec],
) -> &'static [TextSpec] {
    cell.get_or_init(|| {
        let mut out = vec![TextSpec {
            name: SCENARIOS_KEY,
            label: "Scenarios",
            unit: "names, or name:START+DURATION,lever*factor/…; joined by ;",
            help: "Library scenarios by name (or all), or your own: e.g. crash:6+1,price*0.5/6+3,churn*2 — the price halves in step 6 and churn doubles for 3 steps. Levers: price (an outside trade moving the price by the factor over the shock), demand, arrivals, churn.",
            allowed: "library names, or shocks START+DURATION,lever*factor (factors 0.01 to 100); at most 12 scenarios",
            default,
        }];
        out.extend_from_slice(model);
        out
    })
}
