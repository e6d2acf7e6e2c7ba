//! The parameter panel, built from a model's [`ParamSpec`]s: label, unit, input, slider, allowed
//! range, default, one-line help and a per-field error line.

use crate::dom::{el, on, set_hidden};
use flywheel_core::format::{plain, round_sig, shortest};
use flywheel_core::params::{ParamModel, ParamSpec, RealSpec, Scale, TextSpec};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement};

/// Called with (parameter name, raw text) whenever the user edits a field.
pub type OnChange = Rc<dyn Fn(&'static str, String)>;

struct Field {
    name: &'static str,
    /// `None` for a free-text field ([`TextSpec`]).
    spec: Option<&'static ParamSpec>,
    number: Option<HtmlInputElement>,
    text: Option<HtmlInputElement>,
    slider: Option<HtmlInputElement>,
    radios: Vec<(&'static str, HtmlInputElement)>,
    unit: Element,
    error: Element,
    /// What the model makes of a valid value (e.g. shares used in proportion).
    note: Element,
}

pub struct Panel {
    pub root: Element,
    fields: Vec<Field>,
}

const SLIDER_STEPS: f64 = 1000.0;

/// The slider's span for a log-scaled parameter: three decades either side of the default.
fn log_span(r: &RealSpec) -> (f64, f64) {
    let lo = r.min.max(r.default / 1e3).max(f64::MIN_POSITIVE);
    let hi = r.max.min(r.default * 1e3);
    (libm_log10(lo), libm_log10(hi))
}

fn libm_log10(x: f64) -> f64 {
    x.log10()
}

fn slider_to_value(r: &RealSpec, pos: f64) -> f64 {
    match r.scale {
        Scale::Linear => pos,
        Scale::Log => {
            let (lo, hi) = log_span(r);
            let v = 10f64.powf(lo + (hi - lo) * pos / SLIDER_STEPS);
            // Three significant digits: slider values should be readable and shareable.
            round_sig(v, 3)
        }
    }
}

fn value_to_slider(r: &RealSpec, v: f64) -> f64 {
    match r.scale {
        Scale::Linear => v,
        Scale::Log => {
            let (lo, hi) = log_span(r);
            if v <= 0.0 {
                return 0.0;
            }
            ((v.log10() - lo) / (hi - lo) * SLIDER_STEPS).clamp(0.0, SLIDER_STEPS)
        }
    }
}

/// A field's error line (an alert, hidden until needed) and its note line.
fn error_and_note(err_id: &str, note_id: &str) -> (Element, Element) {
    let error = el("p")
        .class("param-error")
        .id(err_id)
        .attr("role", "alert")
        .build();
    set_hidden(&error, true);
    let note = el("p")
        .class("param-note")
        .id(note_id)
        .attr("aria-live", "polite")
        .build();
    set_hidden(&note, true);
    (error, note)
}

impl Field {
    /// The inputs a person types or clicks into.
    fn inputs(&self) -> Vec<&HtmlInputElement> {
        self.number
            .iter()
            .chain(self.text.iter())
            .chain(self.radios.iter().map(|(_, r)| r))
            .collect()
    }
}

/// Range text for the panel: `1 – 1e12`.
fn range_text(r: &RealSpec) -> String {
    format!("range {} – {}", plain(r.min), plain(r.max))
}

impl Panel {
    /// `groups`: (heading, parameter names) in display order.
    /// Element ids are `{tab}-p-{name}` (the input), `{tab}-err-{name}` (its error line) and
    /// `{tab}-note-{name}`, with the model's tab name, so two tabs' fields never share an id.
    pub fn new<M: ParamModel>(groups: &[(&str, &[&str])], on_change: OnChange) -> Panel {
        let root = el("div").class("panel").build();
        let mut fields = Vec::new();
        for (heading, names) in groups {
            let group = el("fieldset")
                .class("group")
                .child(el("legend").text(heading))
                .build();
            for name in *names {
                let (row, field) = match M::spec(name) {
                    Some(spec) => Self::field(M::TAB, spec, on_change.clone()),
                    None => {
                        let t = M::text_fields()
                            .iter()
                            .find(|t| t.name == *name)
                            .expect("panel names a known parameter");
                        Self::text_field(M::TAB, t, on_change.clone())
                    }
                };
                let _ = group.append_child(&row);
                fields.push(field);
            }
            let _ = root.append_child(&group);
        }
        Panel { root, fields }
    }

    fn field(tab: &str, spec: &'static ParamSpec, on_change: OnChange) -> (Element, Field) {
        let name = spec.name();
        let id = format!("{tab}-p-{name}");
        let err_id = format!("{tab}-err-{name}");
        let note_id = format!("{tab}-note-{name}");
        let unit = el("span").class("unit").text(spec.unit()).build();
        let head = el("div")
            .class("param-head")
            .child(el("label").attr("for", &id).text(spec.label()))
            .child(unit.clone())
            .build();
        let (error, note) = error_and_note(&err_id, &note_id);
        let help = el("p").class("param-help").text(spec.help()).build();
        let row = el("div")
            .class("param")
            .attr("data-name", name)
            .child(head)
            .build();
        let mut field = Field {
            name,
            spec: Some(spec),
            number: None,
            text: None,
            slider: None,
            radios: Vec::new(),
            unit,
            error: error.clone(),
            note: note.clone(),
        };
        match spec {
            ParamSpec::Real(r) => {
                let number: HtmlInputElement = el("input")
                    .id(&id)
                    .attr("type", "text")
                    .attr("inputmode", "decimal")
                    .attr("autocomplete", "off")
                    .attr("spellcheck", "false")
                    .attr("aria-describedby", &format!("{err_id} {note_id}"))
                    .build()
                    .unchecked_into();
                let slider: HtmlInputElement = el("input")
                    .attr("type", "range")
                    .attr("aria-label", &format!("{} slider", spec.label()))
                    .attr("tabindex", "-1")
                    .build()
                    .unchecked_into();
                match r.scale {
                    Scale::Linear => {
                        slider.set_min(&shortest(r.min));
                        slider.set_max(&shortest(r.max));
                        slider.set_step(&shortest(r.step));
                    }
                    Scale::Log => {
                        slider.set_min("0");
                        slider.set_max(&shortest(SLIDER_STEPS));
                        slider.set_step("1");
                    }
                }
                let inputs = el("div")
                    .class("param-inputs")
                    .child(number.clone())
                    .child(slider.clone())
                    .build();
                let meta = el("div")
                    .class("param-meta")
                    .text(&format!("{} · default {}", range_text(r), plain(r.default)))
                    .build();
                let _ = row.append_child(&inputs);
                let _ = row.append_child(&meta);
                {
                    let on_change = on_change.clone();
                    let n = number.clone();
                    on(&number, "input", move |_: Event| on_change(name, n.value()));
                }
                {
                    // ↑ and ↓ step the value (the slider's step; ×/÷ about 1.26 on a log scale,
                    // ten steps a decade), Shift for ten steps: the slider's job, from the keyboard.
                    let on_change = on_change.clone();
                    let (n, r) = (number.clone(), *r);
                    on(&number, "keydown", move |e: web_sys::KeyboardEvent| {
                        let dir = match e.key().as_str() {
                            "ArrowUp" => 1.0,
                            "ArrowDown" => -1.0,
                            _ => return,
                        };
                        let Ok(x) = n.value().trim().replace('_', "").parse::<f64>() else {
                            return;
                        };
                        e.prevent_default();
                        let steps = if e.shift_key() { 10.0 } else { 1.0 };
                        let v = r.stepped(x, dir * steps);
                        n.set_value(&shortest(v));
                        on_change(name, shortest(v));
                    });
                }
                {
                    let (n, s, r) = (number.clone(), slider.clone(), *r);
                    on(&slider, "input", move |_: Event| {
                        let pos: f64 = s.value().parse().unwrap_or(0.0);
                        let v = slider_to_value(&r, pos);
                        n.set_value(&shortest(v));
                        on_change(name, shortest(v));
                    });
                }
                field.number = Some(number);
                field.slider = Some(slider);
            }
            ParamSpec::Choice(c) => {
                let group = el("div")
                    .class("segmented")
                    .attr("role", "radiogroup")
                    .attr("aria-label", c.label)
                    .build();
                for (value, label) in c.options {
                    let rid = format!("{id}-{value}");
                    let radio: HtmlInputElement = el("input")
                        .id(&rid)
                        .attr("type", "radio")
                        .attr("name", &id)
                        .attr("value", value)
                        .build()
                        .unchecked_into();
                    let l = el("label").attr("for", &rid).text(label).build();
                    let _ = group.append_child(&radio);
                    let _ = group.append_child(&l);
                    let on_change = on_change.clone();
                    on(&radio, "change", move |_: Event| {
                        on_change(name, value.to_string())
                    });
                    field.radios.push((value, radio));
                }
                let _ = row.append_child(&group);
            }
        }
        let _ = row.append_child(&help);
        let _ = row.append_child(&error);
        let _ = row.append_child(&note);
        (row, field)
    }

    /// A free-text parameter: label, unit, one text input, what is allowed, help and error.
    fn text_field(tab: &str, t: &'static TextSpec, on_change: OnChange) -> (Element, Field) {
        let name = t.name;
        let id = format!("{tab}-p-{name}");
        let err_id = format!("{tab}-err-{name}");
        let note_id = format!("{tab}-note-{name}");
        let unit = el("span").class("unit").text(t.unit).build();
        let (error, note) = error_and_note(&err_id, &note_id);
        let input: HtmlInputElement = el("input")
            .id(&id)
            .class("wide")
            .attr("type", "text")
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .attr("aria-describedby", &format!("{err_id} {note_id}"))
            .build()
            .unchecked_into();
        {
            let i = input.clone();
            on(&input, "input", move |_: Event| on_change(name, i.value()));
        }
        let row = el("div")
            .class("param")
            .attr("data-name", name)
            .child(
                el("div")
                    .class("param-head")
                    .child(el("label").attr("for", &id).text(t.label))
                    .child(unit.clone()),
            )
            .child(el("div").class("param-inputs").child(input.clone()))
            .child(
                el("div")
                    .class("param-meta")
                    .text(&format!("{} · default {}", t.allowed, t.default)),
            )
            .child(el("p").class("param-help").text(t.help))
            .child(error.clone())
            .child(note.clone())
            .build();
        let field = Field {
            name,
            spec: None,
            number: None,
            text: Some(input),
            slider: None,
            radios: Vec::new(),
            unit,
            error,
            note,
        };
        (row, field)
    }

    /// Shows the model's values in every field (without firing change events).
    pub fn show<M: ParamModel>(&self, m: &M) {
        for f in &self.fields {
            if let Some(t) = &f.text {
                t.set_value(&m.text_value(f.name).unwrap_or_default());
                continue;
            }
            let Some(v) = m.get(f.name) else {
                continue;
            };
            if let (Some(n), Some(ParamSpec::Real(r))) = (&f.number, f.spec) {
                let x = v.as_real().unwrap_or(r.default);
                n.set_value(&shortest(x));
                if let Some(s) = &f.slider {
                    s.set_value(&shortest(value_to_slider(r, x)));
                }
            }
            for (value, radio) in &f.radios {
                radio.set_checked(v.as_choice() == Some(*value));
            }
        }
        self.show_notes::<M>(&m.notes());
    }

    /// Keeps the slider in step after the number field was typed into.
    pub fn sync_slider(&self, name: &str, x: f64) {
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            if let (Some(s), Some(ParamSpec::Real(r))) = (&f.slider, f.spec) {
                s.set_value(&shortest(value_to_slider(r, x)));
            }
        }
    }

    /// Shows (or clears) the error line under a field, and marks its input `aria-invalid`.
    pub fn set_error(&self, name: &str, message: Option<&str>) {
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            f.error.set_text_content(message);
            set_hidden(&f.error, message.is_none());
            let invalid = if message.is_some() { "true" } else { "false" };
            for input in f.inputs() {
                let _ = input.set_attribute("aria-invalid", invalid);
            }
            if let Some(row) = f.error.parent_element() {
                let _ = row
                    .class_list()
                    .toggle_with_force("invalid", message.is_some());
            }
        }
        self.show_error_count();
    }

    /// On a phone the panel is a drawer that may be closed: its toggle says how many fields
    /// wait to be fixed, so a rejected value is never silently out of sight.
    fn show_error_count(&self) {
        let count = self
            .fields
            .iter()
            .filter(|f| !f.error.has_attribute("hidden"))
            .count();
        let toggle = self
            .root
            .closest("aside")
            .ok()
            .flatten()
            .and_then(|a| a.query_selector(".drawer-toggle").ok().flatten());
        if let Some(t) = toggle {
            let text = match count {
                0 => "Parameters".to_string(),
                1 => "Parameters · 1 to fix".to_string(),
                n => format!("Parameters · {n} to fix"),
            };
            t.set_text_content(Some(&text));
        }
    }

    /// The label of the first field that shows an error (a value not taken), if any.
    pub fn first_error(&self) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|f| !f.error.has_attribute("hidden"))
            .map(|f| f.spec.map_or(f.name, |s| s.label()))
    }

    /// Whether a field shows an error.
    pub fn has_error(&self, name: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.name == name && !f.error.has_attribute("hidden"))
    }

    /// The text a field shows now (what the user typed, valid or not).
    pub fn raw_value(&self, name: &str) -> Option<String> {
        let f = self.fields.iter().find(|f| f.name == name)?;
        if let Some(i) = f.number.as_ref().or(f.text.as_ref()) {
            return Some(i.value());
        }
        f.radios
            .iter()
            .find(|(_, r)| r.checked())
            .map(|(v, _)| v.to_string())
    }

    /// Shows the model's notes under their fields (and clears the others' notes).
    pub fn show_notes<M: ParamModel>(&self, notes: &[flywheel_core::params::ParamIssue]) {
        for f in &self.fields {
            let text: Vec<String> = notes
                .iter()
                .filter(|n| n.field == f.name)
                .map(|n| flywheel_core::params::with_labels::<M>(&n.message, false))
                .collect();
            f.note.set_text_content(Some(&text.join(" ")));
            set_hidden(&f.note, text.is_empty());
        }
    }

    pub fn clear_errors(&self) {
        for f in &self.fields {
            self.set_error(f.name, None);
        }
    }

    pub fn set_unit(&self, name: &str, unit: &str) {
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            f.unit.set_text_content(Some(unit));
        }
    }
}
