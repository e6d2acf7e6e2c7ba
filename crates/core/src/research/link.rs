//! A research run's link: `#crowdtrain-research?budget=500&research_seed=1&fixed=…&<start design>`.
//! The research settings and the start design are one [`ParamModel`], so the page's panel, its
//! link and the CLI read them by the same rules.

use super::{Researchable, Settings, MAX_BUDGET};
use crate::params::{real, ParamIssue, ParamModel, ParamSpec, Scale, TextSpec, Value};

/// The research settings' own parameters (before the start design's in a link).
pub const SETTINGS_SPECS: [ParamSpec; 2] = [
    real("budget", "Budget", "experiments", "Experiments in all, the baseline included; each runs the design's whole Monte Carlo.", 500.0, (1.0, MAX_BUDGET as f64), 10.0, Scale::Linear, true),
    real("research_seed", "Research seed", "", "The research's own seed: its proposals. The same seed and budget give the same experiments, at any number of workers.", 1.0, (0.0, 1e15), 1.0, Scale::Linear, true),
];

/// A research link's specs: [`SETTINGS_SPECS`], then the model's, built once into `cell`.
pub fn specs_with_settings(
    cell: &'static std::sync::OnceLock<Vec<ParamSpec>>,
    model: &'static [ParamSpec],
) -> &'static [ParamSpec] {
    cell.get_or_init(|| SETTINGS_SPECS.iter().chain(model).copied().collect())
}

/// The link key of the parameters the search leaves alone.
pub const FIXED_KEY: &str = "fixed";

/// A research run's settings and its start design.
pub struct ResearchParams<M: Researchable> {
    pub start: M::Params,
    pub budget: f64,
    pub research_seed: f64,
    /// Names of [`Researchable::space`] the search leaves alone, in the space's order.
    pub fixed: Vec<String>,
}

// By hand: a derive would ask `M` itself (a marker type) to be `Clone` and `PartialEq`.
impl<M: Researchable> Clone for ResearchParams<M> {
    fn clone(&self) -> Self {
        ResearchParams {
            start: self.start.clone(),
            budget: self.budget,
            research_seed: self.research_seed,
            fixed: self.fixed.clone(),
        }
    }
}

impl<M: Researchable> PartialEq for ResearchParams<M> {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
            && self.budget == other.budget
            && self.research_seed == other.research_seed
            && self.fixed == other.fixed
    }
}

impl<M: Researchable> std::fmt::Debug for ResearchParams<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::codec::encode(self))
    }
}

impl<M: Researchable> Default for ResearchParams<M> {
    fn default() -> Self {
        ResearchParams {
            start: M::Params::default(),
            budget: 500.0,
            research_seed: 1.0,
            fixed: M::DEFAULT_FIXED.iter().map(|f| f.to_string()).collect(),
        }
    }
}

impl<M: Researchable> ResearchParams<M> {
    pub fn settings(&self) -> Settings {
        Settings {
            budget: self.budget as u32,
            seed: self.research_seed as u64,
            fixed: self.fixed.clone(),
        }
    }

    /// Sets which dimensions are fixed (kept in the space's order, unknown names dropped).
    pub fn set_fixed(&mut self, names: &[&str]) {
        self.fixed = M::space()
            .iter()
            .map(|d| d.name)
            .filter(|n| names.contains(n))
            .map(str::to_string)
            .collect();
    }
}

fn is_setting(name: &str) -> bool {
    SETTINGS_SPECS.iter().any(|s| s.name() == name)
}

impl<M: Researchable> ParamModel for ResearchParams<M> {
    const TAB: &'static str = M::RESEARCH_TAB;
    const VIEW_KEYS: &'static [&'static str] = <M::Params as ParamModel>::VIEW_KEYS;

    fn specs() -> &'static [ParamSpec] {
        M::research_specs()
    }

    fn get(&self, name: &str) -> Option<Value> {
        match name {
            "budget" => Some(Value::Real(self.budget)),
            "research_seed" => Some(Value::Real(self.research_seed)),
            _ => self.start.get(name),
        }
    }

    fn put(&mut self, name: &str, value: Value) {
        match (name, value) {
            ("budget", Value::Real(x)) => self.budget = x,
            ("research_seed", Value::Real(x)) => self.research_seed = x,
            _ if is_setting(name) => {}
            _ => self.start.put(name, value),
        }
    }

    fn parse_extra(&mut self, key: &str, raw: &str) -> Option<Result<(), ParamIssue>> {
        if key != FIXED_KEY {
            return self.start.parse_extra(key, raw);
        }
        let names: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let settings = Settings {
            fixed: names.iter().map(|s| s.to_string()).collect(),
            ..Settings::default()
        };
        Some(match settings.check::<M>() {
            Ok(()) => {
                self.set_fixed(&names);
                Ok(())
            }
            Err(message) => Err(ParamIssue {
                field: FIXED_KEY.into(),
                message: format!("{message}; searching every parameter"),
            }),
        })
    }

    fn cross_check(&mut self) -> Vec<ParamIssue> {
        self.start.cross_check()
    }

    fn notes(&self) -> Vec<ParamIssue> {
        self.start.notes()
    }

    fn extra_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.start.extra_pairs();
        if self.fixed != ResearchParams::<M>::default().fixed {
            pairs.push((FIXED_KEY.to_string(), self.fixed.join(",")));
        }
        pairs
    }

    fn text_fields() -> &'static [TextSpec] {
        <M::Params as ParamModel>::text_fields()
    }

    fn text_value(&self, key: &str) -> Option<String> {
        self.start.text_value(key)
    }
}
