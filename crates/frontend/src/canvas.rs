//! Drawing chart functions onto `<canvas>` elements, sharp on high-density screens.

use flywheel_charts::Theme;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Sizes the canvas to its CSS box × the device-pixel ratio and draws `chart` onto it.
pub fn draw<T>(
    canvas: &HtmlCanvasElement,
    chart: impl FnOnce(
        &DrawingArea<CanvasBackend, Shift>,
        &Theme,
    )
        -> Result<T, DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>,
) -> Result<T, String> {
    let dpr = crate::dom::window().device_pixel_ratio().clamp(1.0, 3.0);
    let css_w = canvas.client_width().max(200) as f64;
    let css_h = canvas.client_height().max(160) as f64;
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    chart(&root, &Theme { scale: dpr }).map_err(|e| e.to_string())
}
