//! Thin wrappers over the browser APIs the wizard uses: the CSPRNG, timing,
//! focus, downloads, the clipboard, files and (opt-in) local storage.
//! Outside a browser (native tests) each degrades to a harmless no-op.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::zip::DosTime;

/// 32 bytes from the browser's CSPRNG (`crypto.getRandomValues`), the seed of every
/// generated secret and MEK.
pub fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    if let Err(e) = getrandom::fill(&mut seed) {
        // Without a CSPRNG no secret may be generated: stop here, loudly.
        wasm_bindgen::throw_str(&format!("no cryptographic random generator: {e}"));
    }
    seed
}

/// Milliseconds since the page started (`performance.now()`), 0 outside a browser.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn window_array(name: &str) -> Option<js_sys::Array> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(name);
    let existing = js_sys::Reflect::get(&window, &key).ok()?;
    if let Ok(array) = existing.clone().dyn_into::<js_sys::Array>() {
        return Some(array);
    }
    let array = js_sys::Array::new();
    js_sys::Reflect::set(&window, &key, &array).ok()?;
    Some(array)
}

/// Appends one regeneration time to `window.__osmoRegenMs` (read by the measuring script).
pub fn record_regen(ms: f64) {
    if let Some(a) = window_array("__osmoRegenMs") {
        a.push(&JsValue::from_f64(ms));
    }
}

/// Records when the form first became interactive in `window.__osmoReadyMs`.
pub fn mark_ready() {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &w,
            &JsValue::from_str("__osmoReadyMs"),
            &JsValue::from_f64(now()),
        );
    }
}

/// Moves keyboard focus to the element with this id.
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Scrolls the element with id `container` (and only it, not the page) so that its first
/// descendant matching `selector` is in its upper third.
pub fn reveal_in(container: &str, selector: &str) {
    let Some(c) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(container))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let Some(target) = c
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    // The container is positioned, so the target's offset is within it.
    let top = target.offset_top();
    let height = c.client_height();
    if top < c.scroll_top() || top > c.scroll_top() + height - 2 * target.offset_height() {
        c.set_scroll_top((top - height / 3).max(0));
    }
}

/// Runs `f` after the browser has painted what is on the page now: a zero-delay timer
/// set from the next animation frame (which runs just before that paint).
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let task = wasm_bindgen::closure::Closure::once_into_js(f);
    let frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
        }
    });
    let _ = window.request_animation_frame(frame.unchecked_ref());
}

/// Offers bytes as a file download (a `blob:` URL; nothing goes over the network).
pub fn download(name: &str, bytes: &[u8], mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The download has started from the click; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Copies text to the clipboard; whether the browser allowed it.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// The text of a chosen file.
pub async fn file_text(file: &web_sys::File) -> Option<String> {
    JsFuture::from(file.text()).await.ok()?.as_string()
}

/// The stored value of `key` in local storage.
pub fn load(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Stores (or with `None` removes) `key` in local storage.
pub fn store(key: &str, value: Option<&str>) -> Result<(), String> {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser offers no local storage".to_owned())?;
    match value {
        Some(v) => storage.set_item(key, v),
        None => storage.remove_item(key),
    }
    .map_err(|_| "the browser refused to store the answers".to_owned())
}

/// The current local time as a ZIP timestamp.
pub fn dos_now() -> DosTime {
    if web_sys::window().is_none() {
        return DosTime::EPOCH;
    }
    let d = js_sys::Date::new_0();
    DosTime::new(
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
    )
}

thread_local! {
    static LEAVE_WARNING: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Asks the browser to confirm before the page is left (`beforeunload`) while `armed`:
/// answers typed since the last download are in this page only. The listener is added
/// once, on first use, and reads the flag when the page is about to be left.
pub fn warn_before_leaving(armed: bool) {
    let first = LEAVE_WARNING.with(|w| w.replace(Some(armed)).is_none());
    if !first {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        |e: web_sys::BeforeUnloadEvent| {
            if LEAVE_WARNING.with(|w| w.get()) == Some(true) {
                e.prevent_default();
                // Older browsers ask only when a return value is set.
                e.set_return_value("unsaved answers");
            }
        },
    );
    let _ =
        window.add_event_listener_with_callback("beforeunload", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}
