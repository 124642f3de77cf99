//! The device details a person may choose to share at sign-in (privacy statement 3.2.1: device
//! information only with consent). Nothing here is read unless they tick the box.

use shared::accounts::DeviceInfo;
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Intl, Object, Reflect};

/// This browser's platform, screen size, time zone and language.
pub fn current() -> DeviceInfo {
    let window = web_sys::window();
    let navigator = window.as_ref().map(web_sys::Window::navigator);
    let screen = window
        .as_ref()
        .and_then(|w| w.screen().ok())
        .and_then(|s| Some(format!("{}x{}", s.width().ok()?, s.height().ok()?)));
    let options = Intl::DateTimeFormat::new(&web_sys::js_sys::Array::new(), &Object::new())
        .resolved_options();
    let timezone = Reflect::get(&options, &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string());
    let clip = |s: String| s.chars().take(100).collect::<String>();
    DeviceInfo {
        platform: navigator
            .as_ref()
            .and_then(|n| n.platform().ok())
            .filter(|p| !p.is_empty())
            .map(clip),
        screen: screen.map(clip),
        timezone: timezone.map(clip),
        language: navigator.as_ref().and_then(|n| n.language()).map(clip),
    }
}
