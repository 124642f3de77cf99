//! The account pages beyond sign-in: resetting a forgotten password, the organisation's
//! candidate app name and logo with the live portal preview, binding a mobile number, changing
//! the password, signing a device out, and the audit log. Each test checks what the server did (through its API or a
//! second device), not only what the page says.
//!
//! The `data-testid`s these pages carry (stable: tests and support rely on them):
//!
//! - Login page: `login-forgot` (link to the reset page), `login-register-link`.
//! - Register page: `register-login-link`.
//! - `/forgot-password`: `forgot-destination`, `forgot-send-code`, `forgot-code`,
//!   `forgot-password`, `forgot-password-confirm`, `forgot-submit`, `forgot-error` (summary),
//!   `forgot-done` (success), `forgot-login-link`, `forgot-back-to-login`.
//! - Every form: `field-error-<api field>` beside an invalid field (`field-error-code`,
//!   `field-error-new_password`, `field-error-current_password`, `field-error-password_confirm`,
//!   `field-error-login_account`, `field-error-logo`, …); `code-sent`, `cooldown`.
//! - Account tabs: `account-tab-overview`, `account-tab-organisation`, `account-tab-security`,
//!   `account-tab-sessions`, `account-tab-audit` (owners and admins only),
//!   `account-tab-retention`, `account-tab-data` (the "my data" page, whose own ids are listed in
//!   `my_data.rs`), `account-tab-cancel` (the owner only; the page's ids are listed in
//!   `cancellation.rs`); `admins-only` (the notice others get instead of a managers' page).
//! - `/account/organisation`: `org-name`, `org-app-name`, `org-login-account`, `org-save`,
//!   `org-saved` (notice), `org-error`; `logo-file`, `logo-upload`, `logo-cancel`,
//!   `logo-remove`, `logo-notice`, `logo-error`, `logo-none`; the preview `portal-preview`,
//!   `preview-app-name`, `preview-logo` (`data-source` = `local` before upload, `saved`
//!   after), `preview-no-logo`, `preview-unsaved`.
//! - `/account/security`: `contact-current-email`, `contact-current-phone`,
//!   `contact-destination`, `contact-send-code`, `contact-code`, `contact-password`,
//!   `contact-submit`, `contact-saved`, `contact-error`; `password-note`, `password-current`,
//!   `password-new`, `password-new-confirm`, `password-submit`, `password-changed`,
//!   `password-error`.
//! - `/account/sessions`: `sessions-list`, `session-row` (`data-current` = `true`/`false`),
//!   `session-device`, `session-current`, `session-revoke`, `sessions-logout-all`,
//!   `sessions-notice`, `sessions-error`.
//! - `/account/audit`: `audit-action`, `audit-outcome`, `audit-from`, `audit-to`,
//!   `audit-page-size`, `audit-apply`, `audit-reset`, `audit-export`, `audit-filter-error`,
//!   `audit-table`, `audit-row` (`data-action`, `data-outcome`), `audit-row-action`,
//!   `audit-empty`, `audit-newer`, `audit-older`, `audit-page`.
//! - `/account/retention`: `retention-table`, `retention-<kind>` (a row per kind of data).

use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::accounts::PASSWORD;
use crate::builders;
use crate::harness::{Browser, with_browser};

const NEW_PASSWORD: &str = "purple elephant umbrella";

/// A 2×2 red PNG, valid down to its checksums so the browser can draw it.
pub(crate) const PNG: [u8; 73] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xB8, 0xA0, 0xA0, 0x00,
    0x44, 0x0C, 0x10, 0x0A, 0x00, 0x20, 0x8E, 0x04, 0x41, 0x51, 0xC9, 0xAA, 0x89, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Signs in on the login page with a password; ends on the account page (signing in lands
/// on the dashboard).
async fn sign_in(b: &Browser, identifier: &str, password: &str, org: &str) -> anyhow::Result<()> {
    b.goto("/login").await?;
    b.click("[data-testid=login-mode-password]").await?;
    b.fill("[data-testid=login-identifier]", identifier).await?;
    b.fill("[data-testid=login-password]", password).await?;
    b.click("[data-testid=login-submit]").await?;
    to_account(b, org).await
}

/// From the dashboard a sign-in lands on, to the account page of `org`.
pub(crate) async fn to_account(b: &Browser, org: &str) -> anyhow::Result<()> {
    b.wait_attr("[data-testid=dashboard]", "data-testid", |_| true)
        .await?;
    b.click("[data-testid=nav-account]").await?;
    b.wait_text("[data-testid=account-org-name]", |t| t == org)
        .await?;
    Ok(())
}

/// Clicks a send-code button until a code is on its way. The server sends one code a minute to
/// an address, and the registration code has just gone to the same one, so the page first says
/// so and counts down, as a person would see it; then the code can be requested.
async fn send_code_when_allowed(b: &Browser, button: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(150);
    while Instant::now() < deadline {
        if b.count("[data-testid=code-sent]").await? > 0 {
            return Ok(());
        }
        let el = b.client.find(Locator::Css(button)).await?;
        if el.is_enabled().await? {
            el.click().await?;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    anyhow::bail!("no code was sent with {button}")
}

/// The `naturalWidth` of the preview's logo once the browser has decoded it.
async fn preview_logo_width(b: &Browser) -> anyhow::Result<u64> {
    let script = "const img = document.querySelector('[data-testid=preview-logo]');\
                  return img && img.complete ? img.naturalWidth : 0;";
    for _ in 0..100 {
        let width = b
            .client
            .execute(script, vec![])
            .await?
            .as_u64()
            .unwrap_or(0);
        if width > 0 {
            return Ok(width);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the preview's logo was never drawn")
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_code_from_the_outbox() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let (org, email) = ("Recovery School", "recover@example.com");
            builders::new_org(&b, "en", org, email).await?;
            b.click("[data-testid=logout]").await?;
            b.wait_text("[data-testid=nav-login]", |t| !t.is_empty())
                .await?;

            b.goto("/login").await?;
            b.click("[data-testid=login-forgot]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Reset your password")
                .await?;
            anyhow::ensure!(b.current_path().await? == "/forgot-password");
            b.fill("[data-testid=forgot-destination]", email).await?;
            send_code_when_allowed(&b, "[data-testid=forgot-send-code]").await?;
            b.wait_text("[data-testid=code-sent]", |t| t.contains(email))
                .await?;
            let code = b.code_from_outbox(2, email).await?;

            // A mistyped confirmation is caught before anything is sent.
            b.fill("[data-testid=forgot-code]", &code).await?;
            b.fill("[data-testid=forgot-password]", NEW_PASSWORD)
                .await?;
            b.fill("[data-testid=forgot-password-confirm]", "something else")
                .await?;
            b.click("[data-testid=forgot-submit]").await?;
            b.wait_text("[data-testid=field-error-password_confirm]", |t| {
                !t.is_empty()
            })
            .await?;

            // A wrong code is refused beside the code field.
            let wrong = if code == "000000" { "111111" } else { "000000" };
            b.fill("[data-testid=forgot-code]", wrong).await?;
            b.fill("[data-testid=forgot-password-confirm]", NEW_PASSWORD)
                .await?;
            b.click("[data-testid=forgot-submit]").await?;
            b.wait_text("[data-testid=field-error-code]", |t| !t.is_empty())
                .await?;

            b.fill("[data-testid=forgot-code]", &code).await?;
            b.click("[data-testid=forgot-submit]").await?;
            b.wait_text("[data-testid=forgot-done]", |t| t.contains("signed out"))
                .await?;
            b.click("[data-testid=forgot-login-link]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Sign in")
                .await?;

            // The old password no longer works; the new one does.
            b.click("[data-testid=login-mode-password]").await?;
            b.fill("[data-testid=login-identifier]", email).await?;
            b.fill("[data-testid=login-password]", PASSWORD).await?;
            b.click("[data-testid=login-submit]").await?;
            b.wait_text("[data-testid=login-error]", |t| !t.is_empty())
                .await?;
            b.fill("[data-testid=login-password]", NEW_PASSWORD).await?;
            b.click("[data-testid=login-submit]").await?;
            to_account(&b, org).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_candidate_app_name_and_logo_show_in_the_preview_and_on_the_portal()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let org = "Branding School";
            let slug = builders::new_org(&b, "en", org, "brand@example.com").await?;
            let portal_path = format!("/api/portal/{slug}");
            let public = b.other_device("E2E portal reader")?;

            b.click("[data-testid=account-tab-organisation]").await?;
            // Without an app name the portal shows the organisation's name.
            b.wait_text("[data-testid=preview-app-name]", |t| t == org)
                .await?;
            b.wait_text("[data-testid=logo-none]", |t| !t.is_empty())
                .await?;
            b.fill("[data-testid=org-app-name]", "Branding Exam Hub")
                .await?;
            // The preview follows the typing; the portal changes only when saved.
            b.wait_text("[data-testid=preview-app-name]", |t| {
                t == "Branding Exam Hub"
            })
            .await?;
            let before = public.get_json(&portal_path).await?;
            anyhow::ensure!(before["app_name"] == org, "portal before saving: {before}");
            b.click("[data-testid=org-save]").await?;
            b.wait_text("[data-testid=org-saved]", |t| t == "Saved.")
                .await?;

            let dir = tempfile::tempdir()?;
            let (png, text) = (dir.path().join("logo.png"), dir.path().join("notes.txt"));
            std::fs::write(&png, PNG)?;
            std::fs::write(&text, "not an image")?;

            // A file that is not a PNG or JPEG is refused before any upload.
            b.choose_file("[data-testid=logo-file]", &text).await?;
            b.wait_text("[data-testid=field-error-logo]", |t| {
                t.contains("PNG or JPEG")
            })
            .await?;
            anyhow::ensure!(b.count("[data-testid=logo-upload]").await? == 0);

            // A PNG shows in the preview at once, from the browser's memory.
            b.choose_file("[data-testid=logo-file]", &png).await?;
            b.wait_attr("[data-testid=preview-logo]", "data-source", |v| {
                v == "local"
            })
            .await?;
            b.wait_attr("[data-testid=preview-logo]", "src", |v| {
                v.starts_with("blob:")
            })
            .await?;
            anyhow::ensure!(preview_logo_width(&b).await? == 2);
            b.wait_text("[data-testid=preview-unsaved]", |t| !t.is_empty())
                .await?;
            let pending = public.get_json(&portal_path).await?;
            anyhow::ensure!(
                pending.get("logo_url").is_none(),
                "uploaded too early: {pending}"
            );

            b.click("[data-testid=logo-upload]").await?;
            b.wait_text("[data-testid=logo-notice]", |t| !t.is_empty())
                .await?;
            let logo_prefix = format!("/api/portal/{slug}/logo?v=");
            b.wait_attr("[data-testid=preview-logo]", "data-source", |v| {
                v == "saved"
            })
            .await?;
            b.wait_attr("[data-testid=preview-logo]", "src", |v| {
                v.starts_with(&logo_prefix)
            })
            .await?;
            anyhow::ensure!(preview_logo_width(&b).await? == 2);
            anyhow::ensure!(b.count("[data-testid=preview-unsaved]").await? == 0);

            let portal = public.get_json(&portal_path).await?;
            anyhow::ensure!(portal["app_name"] == "Branding Exam Hub", "{portal}");
            anyhow::ensure!(portal["org_name"] == org, "{portal}");
            let logo_url = portal["logo_url"].as_str().unwrap_or_default();
            anyhow::ensure!(logo_url.starts_with(&logo_prefix), "{portal}");
            let (status, bytes) = public.get_bytes(logo_url).await?;
            anyhow::ensure!(
                status == 200 && bytes == PNG,
                "the portal serves another logo"
            );

            // Removing the logo takes it off the preview and the portal.
            b.click("[data-testid=logo-remove]").await?;
            b.wait_text("[data-testid=preview-no-logo]", |t| t == "B")
                .await?;
            let removed = public.get_json(&portal_path).await?;
            anyhow::ensure!(removed.get("logo_url").is_none(), "{removed}");
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn changing_the_password_signs_the_other_devices_out() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let (org, email) = ("Password School", "password@example.com");
            builders::new_org(&b, "en", org, email).await?;
            let phone = b.other_device("E2E phone")?;
            anyhow::ensure!(phone.login(email, PASSWORD).await? == 200);
            anyhow::ensure!(phone.me().await? == 200);

            b.click("[data-testid=account-tab-security]").await?;
            b.wait_text("[data-testid=password-note]", |t| {
                t.contains("other device")
            })
            .await?;
            // A wrong current password is shown beside that field, and changes nothing.
            b.fill("[data-testid=password-current]", "not the password")
                .await?;
            b.fill("[data-testid=password-new]", NEW_PASSWORD).await?;
            b.fill("[data-testid=password-new-confirm]", NEW_PASSWORD)
                .await?;
            b.click("[data-testid=password-submit]").await?;
            b.wait_text("[data-testid=field-error-current_password]", |t| {
                !t.is_empty()
            })
            .await?;
            anyhow::ensure!(
                phone.me().await? == 200,
                "a failed change signed the phone out"
            );

            b.fill("[data-testid=password-current]", PASSWORD).await?;
            b.click("[data-testid=password-submit]").await?;
            b.wait_text("[data-testid=password-changed]", |t| {
                t.contains("signed out")
            })
            .await?;

            // The phone's session has ended and cannot be renewed.
            anyhow::ensure!(phone.me().await? == 401, "the phone is still signed in");
            anyhow::ensure!(phone.refresh().await? == 401, "the phone could renew");
            let other = b.other_device("E2E laptop")?;
            anyhow::ensure!(other.login(email, PASSWORD).await? == 401);
            anyhow::ensure!(other.login(email, NEW_PASSWORD).await? == 200);

            // This browser stays signed in, across a reload too.
            b.client.refresh().await?;
            b.click("[data-testid=account-tab-overview]").await?;
            b.wait_text("[data-testid=account-org-name]", |t| t == org)
                .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn a_mobile_number_is_bound_with_a_code_and_the_password() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let email = "binding@example.com";
            builders::new_org(&b, "en", "Binding School", email).await?;
            b.click("[data-testid=account-tab-security]").await?;
            b.wait_text("[data-testid=contact-current-phone]", |t| t == "Not set")
                .await?;
            b.fill("[data-testid=contact-destination]", "139 0013 9000")
                .await?;
            b.click("[data-testid=contact-send-code]").await?;
            b.wait_text("[data-testid=code-sent]", |t| !t.is_empty())
                .await?;
            let code = b.code_from_outbox(2, "+8613900139000").await?;
            b.fill("[data-testid=contact-code]", &code).await?;

            // The wrong password binds nothing, and says so beside the password.
            b.fill("[data-testid=contact-password]", "not the password")
                .await?;
            b.click("[data-testid=contact-submit]").await?;
            b.wait_text("[data-testid=field-error-current_password]", |t| {
                !t.is_empty()
            })
            .await?;
            let phone = b.other_device("E2E phone")?;
            anyhow::ensure!(phone.login("13900139000", PASSWORD).await? == 401);

            b.fill("[data-testid=contact-password]", PASSWORD).await?;
            b.click("[data-testid=contact-submit]").await?;
            b.wait_text("[data-testid=contact-saved]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=contact-current-phone]", |t| {
                t == "139****9000"
            })
            .await?;
            anyhow::ensure!(phone.login("13900139000", PASSWORD).await? == 200);
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn a_device_is_signed_out_from_the_devices_page() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let email = "devices@example.com";
            builders::new_org(&b, "en", "Devices School", email).await?;
            let tablet = b.other_device("E2E-Tablet/1.0")?;
            anyhow::ensure!(tablet.login(email, PASSWORD).await? == 200);

            b.click("[data-testid=account-tab-sessions]").await?;
            b.wait_count("[data-testid=session-row]", 2).await?;
            let current = "[data-testid=session-row][data-current=true]";
            let other = "[data-testid=session-row][data-current=false]";
            b.wait_count(&format!("{current} [data-testid=session-current]"), 1)
                .await?;
            anyhow::ensure!(
                b.count(&format!("{current} [data-testid=session-revoke]"))
                    .await?
                    == 0
            );
            b.wait_text(&format!("{current} [data-testid=session-device]"), |t| {
                t.contains("Chrome")
            })
            .await?;
            b.wait_text(&format!("{other} [data-testid=session-device]"), |t| {
                t == "E2E-Tablet/1.0"
            })
            .await?;

            b.click(&format!("{other} [data-testid=session-revoke]"))
                .await?;
            b.wait_text("[data-testid=sessions-notice]", |t| !t.is_empty())
                .await?;
            b.wait_count("[data-testid=session-row]", 1).await?;
            anyhow::ensure!(b.count(current).await? == 1);
            anyhow::ensure!(tablet.me().await? == 401, "the tablet is still signed in");
            anyhow::ensure!(tablet.refresh().await? == 401, "the tablet could renew");

            b.click("[data-testid=sessions-logout-all]").await?;
            b.wait_text("[data-testid=login-notice]", |t| {
                t == "You have signed out on all devices."
            })
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_audit_log_lists_filters_pages_and_exports_the_sign_ins() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            let (org, email) = ("Audit School", "audit@example.com");
            builders::new_org(&b, "en", org, email).await?;
            b.click("[data-testid=logout]").await?;
            b.wait_text("[data-testid=nav-login]", |t| !t.is_empty())
                .await?;
            sign_in(&b, email, PASSWORD, org).await?;
            let phone = b.other_device("E2E phone")?;
            for _ in 0..8 {
                anyhow::ensure!(phone.login(email, PASSWORD).await? == 200);
            }
            // A failed sign-in names no organisation, so it is not in this organisation's log.
            anyhow::ensure!(phone.login(email, "wrong password").await? == 401);
            // org.register, auth.logout, then nine sign-ins: eleven entries.

            b.click("[data-testid=account-tab-audit]").await?;
            b.wait_count("[data-testid=audit-row]", 11).await?;
            let logins = "[data-testid=audit-row][data-action='auth.login']";
            anyhow::ensure!(b.count(logins).await? == 9);
            let newest = b.texts("[data-testid=audit-row-action]").await?;
            anyhow::ensure!(newest[0].contains("Sign-in"), "newest first: {newest:?}");
            anyhow::ensure!(
                newest
                    .last()
                    .is_some_and(|a| a.contains("Organisation registered")),
                "oldest last: {newest:?}"
            );

            // Only the sign-ins.
            b.select("[data-testid=audit-action]", "auth.login").await?;
            b.click("[data-testid=audit-apply]").await?;
            b.wait_count("[data-testid=audit-row]", 9).await?;
            anyhow::ensure!(b.count(logins).await? == 9);

            // The export carries the same filter and holds the same entries.
            let href = b
                .wait_attr("[data-testid=audit-export]", "href", |h| {
                    h.contains("action=")
                })
                .await?;
            anyhow::ensure!(href == "/api/audit/export?action=auth.login", "{href}");
            let (status, csv) = b.fetch_in_page(&href).await?;
            anyhow::ensure!(status == 200, "export answered {status}: {csv}");
            let lines: Vec<&str> = csv.lines().skip(1).collect();
            anyhow::ensure!(lines.len() == 9, "{csv}");
            anyhow::ensure!(lines.iter().all(|l| l.contains(",auth.login,")), "{csv}");

            // No failures in this organisation's log.
            b.select("[data-testid=audit-outcome]", "failure").await?;
            b.click("[data-testid=audit-apply]").await?;
            b.wait_text("[data-testid=audit-empty]", |t| !t.is_empty())
                .await?;

            // Ten a page: the eleventh entry is on page two.
            b.click("[data-testid=audit-reset]").await?;
            b.wait_count("[data-testid=audit-row]", 11).await?;
            b.select("[data-testid=audit-page-size]", "10").await?;
            b.click("[data-testid=audit-apply]").await?;
            b.wait_count("[data-testid=audit-row]", 10).await?;
            b.click("[data-testid=audit-older]").await?;
            b.wait_text("[data-testid=audit-page]", |t| t == "Page 2")
                .await?;
            b.wait_count("[data-testid=audit-row]", 1).await?;
            b.wait_count("[data-testid=audit-row][data-action='org.register']", 1)
                .await?;
            b.click("[data-testid=audit-newer]").await?;
            b.wait_count("[data-testid=audit-row]", 10).await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
