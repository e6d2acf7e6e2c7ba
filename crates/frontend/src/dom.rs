//! Small DOM helpers: element builders and event listeners.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

pub fn window() -> Window {
    web_sys::window().expect("a window")
}

pub fn document() -> Document {
    window().document().expect("a document")
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// An element under construction.
pub struct El(pub Element);

pub fn el(tag: &str) -> El {
    El(document().create_element(tag).expect("create element"))
}

impl El {
    pub fn class(self, c: &str) -> Self {
        self.0.set_class_name(c);
        self
    }
    pub fn id(self, id: &str) -> Self {
        self.0.set_id(id);
        self
    }
    pub fn attr(self, k: &str, v: &str) -> Self {
        let _ = self.0.set_attribute(k, v);
        self
    }
    pub fn text(self, t: &str) -> Self {
        self.0.set_text_content(Some(t));
        self
    }
    /// Static, trusted markup only (never user input).
    pub fn html(self, h: &str) -> Self {
        self.0.set_inner_html(h);
        self
    }
    pub fn child(self, c: impl Into<Element>) -> Self {
        let _ = self.0.append_child(&c.into());
        self
    }
    pub fn children(self, cs: impl IntoIterator<Item = Element>) -> Self {
        for c in cs {
            let _ = self.0.append_child(&c);
        }
        self
    }
    pub fn build(self) -> Element {
        self.0
    }
}

impl From<El> for Element {
    fn from(e: El) -> Element {
        e.0
    }
}

/// Adds a listener that lives as long as the page.
pub fn on<T: JsCast + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    mut f: impl FnMut(T) + 'static,
) {
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        f(e.unchecked_into::<T>())
    });
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    cb.forget();
}

pub fn set_hidden(e: &Element, hidden: bool) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_hidden(hidden);
    }
}

pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Runs `f` on the next animation frame.
pub fn next_frame(f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    let _ = window().request_animation_frame(cb.unchecked_ref());
}

/// Runs `f` after `ms` milliseconds; returns the handle for [`cancel_timer`].
pub fn after(ms: i32, f: impl FnOnce() + 'static) -> i32 {
    let cb = Closure::once_into_js(f);
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms)
        .unwrap_or(0)
}

pub fn cancel_timer(handle: i32) {
    window().clear_timeout_with_handle(handle);
}

/// The processor cores the browser reports (at least 1, at most the pool's limit).
pub fn cores() -> usize {
    let n = window().navigator().hardware_concurrency();
    if n.is_finite() && n >= 1.0 {
        (n as usize).min(crate::worker_client::MAX_WORKERS)
    } else {
        1
    }
}
