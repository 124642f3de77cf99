//! Rich text as stored: sanitised HTML whose media come only from our attachments or http(s).
//!
//! Architecture invariant: rich text `src` is only ever `/api/attachments/…` or http(s).

/// The path prefix of attachment URLs.
pub const URL_PREFIX: &str = "/api/attachments/";

/// Rich text as stored: HTML without scripts, event handlers, styles that can hide content,
/// or link URLs other than http(s) and relative ones.
/// Images, audio and video stay (`<img src>`, `<audio controls src>`, `<video controls src>`,
/// `<source src type>`), but only with `src` on an uploaded attachment (`/api/attachments/…`)
/// or an http(s) URL.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(std::collections::HashSet::from(["http", "https"]))
        .add_tags(["audio", "video", "source"])
        .add_tag_attributes("audio", ["controls", "src"])
        .add_tag_attributes("video", ["controls", "src", "width", "height"])
        .add_tag_attributes("source", ["src", "type"])
        .attribute_filter(|_element, attribute, value| {
            if attribute != "src" {
                return Some(value.into());
            }
            let v = value.trim().to_ascii_lowercase();
            // An attachment URL is exactly the prefix and an id: no `..` to reach other paths.
            let attachment = v
                .strip_prefix(URL_PREFIX)
                .is_some_and(|id| uuid::Uuid::try_parse(id).is_ok());
            let allowed = attachment || v.starts_with("http://") || v.starts_with("https://");
            allowed.then(|| value.into())
        });
    b
});
