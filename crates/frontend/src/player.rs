//! The player of views that step through a run (dataDAO's steps, the Commons DAO's days): Reset,
//! Play / Pause, one step forward, a speed, and a scrubber to inspect any step.
//!
//! A view that plays keeps a [`Player`] in its own state and implements [`Playable`]; the
//! functions here move the inspected step and tell the view ([`Playable::on_seek`]). Element ids
//! are `{prefix}player`, `{prefix}reset`, `{prefix}play`, `{prefix}step`, `{prefix}speed`,
//! `{prefix}scrub` and `{prefix}step-label`, with the prefix of [`PlayerSpec`].

use crate::dom::{by_id, el, next_frame, on};
use crate::view::{ModelView, Shown, View};
use crate::widgets::{button, on_click};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

/// A player's fixed texts and speeds.
pub struct PlayerSpec {
    /// The start of its element ids (`"dd-"`).
    pub prefix: &'static str,
    /// What a step is called: "Step", "Day".
    pub unit: &'static str,
    /// The inspected position before the first step: "before the first step", "the hatch".
    pub start: &'static str,
    /// (label, steps per animation frame); the one at `default_speed` is chosen first.
    pub speeds: &'static [(&'static str, usize)],
    pub default_speed: usize,
}

/// The player's state: the inspected step (0 … steps), one a link asked for, and whether it plays.
#[derive(Default)]
pub struct Player {
    pub cursor: Cell<usize>,
    /// The step a link asked to inspect, applied when the run arrives.
    pub pending: Cell<Option<usize>>,
    pub playing: Cell<bool>,
}

/// A view with a player.
pub trait Playable: ModelView {
    const PLAYER: PlayerSpec;
    fn player(&self) -> &Player;
    /// The steps of what is shown.
    fn steps(shown: &Shown<Self>) -> usize;
    /// The inspected step moved (the charts are redrawn by the player).
    fn on_seek(_view: &View<Self>) {}
}

fn id<V: Playable>(suffix: &str) -> String {
    format!("{}{suffix}", V::PLAYER.prefix)
}

fn input(id: &str) -> Option<HtmlInputElement> {
    by_id(id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
}

/// The player's controls.
pub fn element<V: Playable>() -> Element {
    let spec = &V::PLAYER;
    let mut speed = el("select")
        .id(&id::<V>("speed"))
        .attr("aria-label", "Playback speed");
    for (i, (label, _)) in spec.speeds.iter().enumerate() {
        let o = el("option").attr("value", &i.to_string()).text(label);
        speed = speed.child(if i == spec.default_speed {
            o.attr("selected", "")
        } else {
            o
        });
    }
    let unit = spec.unit.to_lowercase();
    el("div")
        .class("player")
        .id(&id::<V>("player"))
        .child(
            el("div")
                .class("row-buttons")
                .child(button(
                    "Reset",
                    &id::<V>("reset"),
                    &format!("Back to {}", spec.start),
                ))
                .child(button(
                    "Play",
                    &id::<V>("play"),
                    &format!("Play the {unit}s; press again to pause"),
                ))
                .child(button(
                    &format!("{} +1", spec.unit),
                    &id::<V>("step"),
                    &format!("One {unit} forward"),
                ))
                .child(speed),
        )
        .child(
            el("input")
                .id(&id::<V>("scrub"))
                .attr("type", "range")
                .attr("min", "0")
                .attr("max", "0")
                .attr("value", "0")
                .attr("aria-label", &format!("Inspect {unit}")),
        )
        .child(el("span").class("player-step").id(&id::<V>("step-label")))
        .build()
}

/// Shows the player's state for a run of `n` steps (disabled before any run).
pub fn show<V: Playable>(player: &Player, n: usize) {
    let cursor = player.cursor.get();
    if let Some(scrub) = input(&id::<V>("scrub")) {
        scrub.set_max(&n.to_string());
        scrub.set_value(&cursor.to_string());
    }
    if let Some(l) = by_id(&id::<V>("step-label")) {
        l.set_text_content(Some(&format!("{} {cursor} of {n}", V::PLAYER.unit)));
    }
    if let Some(b) = by_id(&id::<V>("play")) {
        b.set_text_content(Some(if player.playing.get() {
            "Pause"
        } else {
            "Play"
        }));
    }
    for suffix in ["reset", "play", "step", "scrub"] {
        if let Some(b) = by_id(&id::<V>(suffix)) {
            let _ = if n == 0 {
                b.set_attribute("disabled", "")
            } else {
                b.remove_attribute("disabled")
            };
        }
    }
}

fn steps<V: Playable>(view: &View<V>) -> usize {
    view.shown(|s| V::steps(s)).unwrap_or(0)
}

/// Moves the inspected step to `to` (clamped); stops playing unless `keep_playing`.
pub fn seek<V: Playable>(view: &View<V>, to: usize, keep_playing: bool) {
    let player = view.own().player();
    let n = steps(view);
    player.cursor.set(to.min(n));
    if !keep_playing {
        player.playing.set(false);
    }
    show::<V>(player, n);
    V::on_seek(view);
    view.draw_soon();
    // While playing, the address bar is left alone (browsers throttle frequent updates).
    if !keep_playing {
        view.write_url();
    }
}

fn toggle_play<V: Playable>(view: &Rc<View<V>>) {
    let player = view.own().player();
    let n = steps(view);
    if n == 0 {
        return;
    }
    player.playing.set(!player.playing.get());
    if player.playing.get() && player.cursor.get() >= n {
        player.cursor.set(0);
    }
    show::<V>(player, n);
    if player.playing.get() {
        play_frame(view.clone());
    } else {
        view.write_url();
    }
}

fn play_frame<V: Playable>(view: Rc<View<V>>) {
    next_frame(move || {
        let player = view.own().player();
        if !player.playing.get() {
            return;
        }
        let n = steps(&view);
        let spec = &V::PLAYER;
        let speed = by_id(&id::<V>("speed"))
            .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|s| s.value().parse::<usize>().ok())
            .and_then(|i| spec.speeds.get(i))
            .or(spec.speeds.get(spec.default_speed))
            .map_or(1, |s| s.1);
        let next = (player.cursor.get() + speed).min(n);
        seek(&view, next, true);
        if next >= n {
            player.playing.set(false);
            show::<V>(player, n);
            view.write_url();
        } else {
            play_frame(view.clone());
        }
    });
}

/// Wires the player's controls (after the view is in the document).
pub fn wire<V: Playable>(view: &Rc<View<V>>) {
    on_click(view, &id::<V>("reset"), |v| seek(v, 0, false));
    on_click(view, &id::<V>("play"), toggle_play);
    on_click(view, &id::<V>("step"), |v| {
        seek(v, v.own().player().cursor.get() + 1, false)
    });
    if let Some(s) = input(&id::<V>("scrub")) {
        let v = view.clone();
        let scrub = id::<V>("scrub");
        on(&s, "input", move |_: Event| {
            let to = input(&scrub).and_then(|i| i.value().parse::<usize>().ok());
            seek(&v, to.unwrap_or(0), false);
        });
    }
    show::<V>(view.own().player(), 0);
}

/// A new report: inspect the step a link asked for, or the last.
pub fn on_report<V: Playable>(player: &Player, shown: &Shown<V>) {
    let n = V::steps(shown);
    let step = player.pending.take().map_or(n, |t| t.min(n));
    player.cursor.set(step);
}

/// The inspected step for the link (`None` when it is the last, the default).
pub fn link_step<V: Playable>(player: &Player, shown: Option<&Shown<V>>) -> Option<usize> {
    let n = shown.map_or(0, |s| V::steps(s));
    let cursor = player.cursor.get();
    (n > 0 && cursor < n).then_some(cursor)
}
