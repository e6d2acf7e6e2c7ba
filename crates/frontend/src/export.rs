//! Downloads (CSV, JSON, SVG) and the clipboard.

use crate::dom::{document, el, window};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlElement, Url};

/// Offers `content` as a file download.
pub fn download(filename: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&content.into());
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let a = el("a")
        .attr("href", &url)
        .attr("download", filename)
        .build();
    let body = document().body().ok_or("no body")?;
    let _ = body.append_child(&a);
    a.unchecked_ref::<HtmlElement>().click();
    let _ = body.remove_child(&a);
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// Copies text to the clipboard (the promise's outcome is not awaited; callers also show it).
pub fn copy(text: &str) {
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(text);
}
