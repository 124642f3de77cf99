//! Where an organisation's logo is served from, and how large it may be.

/// Largest accepted logo, in bytes.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The public URL of an organisation's logo; the stored key's unique name busts caches.
pub(crate) fn logo_url(slug: &str, key: Option<&str>) -> Option<String> {
    let key = key?;
    let version = key.rsplit('/').next().unwrap_or(key);
    Some(format!("/api/portal/{slug}/logo?v={version}"))
}
