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

#[cfg(test)]
mod tests {
    use super::sanitise;

    /// Everything the SPA's rich-text editor produces: formatting, lists, a table with a
    /// header, an uploaded image, a formula's `$…$` source and empty lines.
    #[test]
    fn what_the_rich_text_editor_writes_survives() {
        let written = "<p><b>bold</b> <strong>strong</strong> <i>italic</i> <em>em</em> \
            <u>under</u> $\\frac{1}{2}$ and $$x^2$$<br></p>\
            <ul><li>a</li></ul><ol><li>b</li></ol>\
            <table><thead><tr><th>h</th></tr></thead><tbody><tr><td><br></td></tr></tbody></table>\
            <p><img src=\"/api/attachments/468b21f9-ad53-41de-b2d6-6b69e99cb39a\" alt=\"\"></p>\
            <audio controls=\"\" src=\"/api/attachments/468b21f9-ad53-41de-b2d6-6b69e99cb39a\"></audio>";
        assert_eq!(sanitise(written), written);
    }

    #[test]
    fn pasted_scripts_handlers_and_foreign_sources_are_removed() {
        let pasted = "<p onclick=\"x()\" style=\"display:none\">hi</p><script>x()</script>\
            <img src=\"javascript:alert(1)\"><img src=\"/api/attachments/../secret\">\
            <span class=\"rich-editor__formula\" contenteditable=\"false\">f</span>";
        assert_eq!(sanitise(pasted), "<p>hi</p><img><img><span>f</span>");
    }
}
