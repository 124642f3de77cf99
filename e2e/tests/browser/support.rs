//! Helpers of the console and portal tests: calls made from the page with its own session (as
//! the SPA makes them), candidate spreadsheets written on the fly, and reading the page.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::Locator;
use serde_json::{Value, json};

use crate::harness::Browser;

/// A 2×2 PNG (opaque blue), small enough to spell out here; the portal must show it.
const LOGO_PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mOQ9bsBRAwQCgAgdgUNS96GoQAAAABJRU5ErkJggg==";

/// The status and body of an API call made by the page, with its cookies and the anti-CSRF
/// header, like the SPA's own calls.
pub async fn page_fetch(
    b: &Browser,
    method: &str,
    path: &str,
    headers: Value,
    body: Option<Value>,
) -> anyhow::Result<(u16, String)> {
    let script = r#"
        const [method, path, headers, body, done] = arguments;
        const init = { method, headers: Object.assign({ 'X-ExamCloud-CSRF': '1' }, headers) };
        if (body !== null) {
            init.headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        fetch(path, init)
            .then(r => r.text().then(text => done([r.status, text])))
            .catch(e => done([0, String(e)]));
    "#;
    let answer = b
        .client
        .execute_async(
            script,
            vec![
                json!(method),
                json!(path),
                headers,
                body.unwrap_or(Value::Null),
            ],
        )
        .await
        .with_context(|| format!("{method} {path} from the page"))?;
    let status = answer[0].as_u64().context("no status")?;
    let text = answer[1].as_str().unwrap_or_default().to_owned();
    Ok((u16::try_from(status)?, text))
}

/// An API call made by the page with its session (and cookies); fails unless it succeeds.
pub async fn call(
    b: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let (status, text) = page_fetch(b, method, path, json!({}), body).await?;
    if !(200..300).contains(&status) {
        anyhow::bail!("{method} {path}: {status} {text}");
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Sets the organisation's candidate app name (`PATCH /api/org`) with the page's session.
pub async fn set_candidate_app_name(b: &Browser, name: &str) -> anyhow::Result<()> {
    let (status, body) = page_fetch(
        b,
        "PATCH",
        "/api/org",
        json!({}),
        Some(json!({ "candidate_app_name": name })),
    )
    .await?;
    anyhow::ensure!(status == 200, "PATCH /api/org: {status} {body}");
    Ok(())
}

/// Uploads the organisation's logo (`PUT /api/org/logo`, a PNG) with the page's session.
pub async fn upload_logo(b: &Browser) -> anyhow::Result<()> {
    let script = r#"
        const [base64, done] = arguments;
        const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
        fetch('/api/org/logo', {
            method: 'PUT',
            headers: { 'X-ExamCloud-CSRF': '1', 'Content-Type': 'image/png' },
            body: bytes,
        }).then(r => r.text().then(t => done([r.status, t]))).catch(e => done([0, String(e)]));
    "#;
    let answer = b
        .client
        .execute_async(script, vec![json!(LOGO_PNG_BASE64)])
        .await?;
    anyhow::ensure!(answer[0] == 200, "PUT /api/org/logo: {answer}");
    Ok(())
}

/// Writes an `.xlsx` with the English template's headers and `rows` below them.
pub fn write_candidates_xlsx(path: &Path, rows: &[[&str; 6]]) -> anyhow::Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = ["account*", "name*", "phone", "email", "password", "groups"];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, u16::try_from(col)?, *header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(u32::try_from(r + 1)?, u16::try_from(col)?, *cell)?;
            }
        }
    }
    book.save(path)?;
    Ok(())
}

/// An attribute of the first element matching `css`, once it exists.
pub async fn attr(b: &Browser, css: &str, name: &str) -> anyhow::Result<Option<String>> {
    let el = b
        .client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting for {css}"))?;
    Ok(el.attr(name).await?)
}

/// A property (such as an input's current `value`) of the first element matching `css`.
pub async fn prop(b: &Browser, css: &str, name: &str) -> anyhow::Result<Option<String>> {
    let el = b
        .client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting for {css}"))?;
    Ok(el.prop(name).await?)
}

/// Waits until a property of the first element matching `css` satisfies `ok` (an input's
/// value arrives after the page loaded the data behind it).
pub async fn wait_prop(
    b: &Browser,
    css: &str,
    name: &str,
    ok: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = None;
    while Instant::now() < deadline {
        if let Ok(el) = b.client.find(Locator::Css(css)).await
            && let Ok(value) = el.prop(name).await
        {
            if let Some(value) = value.as_deref()
                && ok(value)
            {
                return Ok(value.to_owned());
            }
            last = value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("timed out waiting for {css} .{name}; last value: {last:?}")
}

/// The trimmed texts of every element matching `css`, once there are `n` of them.
pub async fn wait_texts(b: &Browser, css: &str, n: usize) -> anyhow::Result<Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = Vec::new();
    while Instant::now() < deadline {
        let mut texts = Vec::new();
        let mut complete = true;
        for el in b.client.find_all(Locator::Css(css)).await? {
            match el.text().await {
                Ok(text) => texts.push(text.trim().to_owned()),
                // The page re-rendered while it was read: read it all again.
                Err(_) => complete = false,
            }
        }
        if complete && texts.len() == n {
            return Ok(texts);
        }
        last = texts;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("expected {n} × {css}, found {last:?}")
}

/// Whether an element matching `css` is on the page now.
pub async fn present(b: &Browser, css: &str) -> anyhow::Result<bool> {
    Ok(!b.client.find_all(Locator::Css(css)).await?.is_empty())
}

/// Waits until the image `css` has loaded and returns its natural width (0 if it is broken).
pub async fn image_width(b: &Browser, css: &str) -> anyhow::Result<u64> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let script = "const img = document.querySelector(arguments[0]);
        return img && img.complete ? img.naturalWidth : null;";
    while Instant::now() < deadline {
        let width = b.client.execute(script, vec![json!(css)]).await?;
        if let Some(width) = width.as_u64() {
            return Ok(width);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the image {css} did not load")
}

/// Agrees to the privacy statement in the consent step a first sign-in meets, and waits until
/// the step is gone.
pub async fn agree_to_policies(b: &Browser) -> anyhow::Result<()> {
    b.click("[data-testid=consent-accept]").await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while present(b, "[data-testid=consent-gate]").await? {
        anyhow::ensure!(Instant::now() < deadline, "the consent step stayed open");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
