//! Browser tests of the page's pieces (`wasm-pack test --headless --chrome crates/frontend`).
#![cfg(target_arch = "wasm32")]

use flywheel_charts::{bonding_curve, pools, CURVE, FUNDING, RESERVE};
use flywheel_core::commons::explorer::{evaluate, AbcParams, Side, Trade};
use flywheel_core::params::ParamModel;
use flywheel_frontend::{canvas, dom, panel::Panel};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas_in_body(w: u32, h: u32) -> HtmlCanvasElement {
    let c: HtmlCanvasElement = dom::el("canvas").build().unchecked_into();
    c.style()
        .set_css_text(&format!("display:block;width:{w}px;height:{h}px"));
    dom::document().body().unwrap().append_child(&c).unwrap();
    c
}

/// (non-white pixels, pixels of the given colour) on the canvas.
fn count_pixels(c: &HtmlCanvasElement, colour: plotters::style::RGBColor) -> (usize, usize) {
    let rgb = (colour.0, colour.1, colour.2);
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx
        .get_image_data(0.0, 0.0, c.width() as f64, c.height() as f64)
        .unwrap()
        .data();
    let mut ink = 0;
    let mut colour = 0;
    for px in data.chunks(4) {
        if px[0] < 245 || px[1] < 245 || px[2] < 245 {
            ink += 1;
        }
        if (px[0] as i32 - rgb.0 as i32).abs() < 8
            && (px[1] as i32 - rgb.1 as i32).abs() < 8
            && (px[2] as i32 - rgb.2 as i32).abs() < 8
        {
            colour += 1;
        }
    }
    (ink, colour)
}

#[wasm_bindgen_test]
fn bonding_curve_draws_onto_a_canvas() {
    let r = evaluate(&AbcParams {
        trade_size: 400_000.0,
        trades: vec![Trade {
            side: Side::Buy,
            amount: 1_000_000.0,
        }],
        ..AbcParams::default()
    });
    let c = canvas_in_body(640, 400);
    canvas::draw(&c, |root, theme| bonding_curve(root, &r, theme)).unwrap();
    let (ink, curve) = count_pixels(&c, CURVE);
    let total = (c.width() * c.height()) as usize;
    assert!(ink > total / 50, "only {ink} of {total} pixels drawn");
    assert!(curve > 300, "the curve's colour covers only {curve} pixels");
}

#[wasm_bindgen_test]
fn pools_chart_draws_both_pools() {
    let r = evaluate(&AbcParams::default());
    let c = canvas_in_body(480, 300);
    canvas::draw(&c, |root, theme| pools(root, &r, theme)).unwrap();
    let (_, reserve) = count_pixels(&c, RESERVE);
    let (_, funding) = count_pixels(&c, FUNDING);
    assert!(
        reserve > 1000 && funding > 200,
        "reserve {reserve}, funding {funding}"
    );
}

#[wasm_bindgen_test]
fn panel_shows_every_parameter_with_label_range_and_help() {
    let names: Vec<&str> = AbcParams::specs().iter().map(|s| s.name()).collect();
    let panel = Panel::new::<AbcParams>(&[("All", &names)], Rc::new(|_, _| {}));
    panel.show(&AbcParams::default());
    let text = panel.root.text_content().unwrap();
    for spec in AbcParams::specs() {
        assert!(text.contains(spec.label()), "label of {}", spec.name());
        assert!(text.contains(spec.help()), "help of {}", spec.name());
    }
    assert!(text.contains("range 1 – 10 · default 2"), "{text}");
    assert_eq!(panel.root.query_selector_all(".param").unwrap().length(), 8);
    panel.set_error("kappa", Some("kappa: bad"));
    assert_eq!(
        panel
            .root
            .query_selector(".param.invalid .param-error")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "kappa: bad"
    );
}
