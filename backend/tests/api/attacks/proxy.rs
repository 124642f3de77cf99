//! Client addresses behind a reverse proxy (issue 11, item 5). Directly exposed, a forged
//! `X-Forwarded-For` changes nothing; behind a trusted proxy each client is known by its own
//! address (throttles, the audit log, exam IP ranges), and a client cannot choose that address
//! by writing hops of its own.

use reqwest::Client;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::helpers::{
    ExamOrg, PASSWORD, TestApp, exam_org, get, post, spawn_app, spawn_app_with, start,
};

/// The test's requests come from 127.0.0.1: the "proxy".
pub(super) async fn spawn_behind_proxy() -> TestApp {
    spawn_app_with(|s| {
        s.server.trusted_proxies =
            backend::http::TrustedProxies::parse(["127.0.0.1/32"]).expect("trusted proxies");
    })
    .await
}

/// The `i`-th of many well-formed access codes that no exam has (the odds that one exists are
/// 1 in 8·10^14).
pub(super) fn wrong_code(i: usize) -> String {
    let alphabet = shared::exams::ACCESS_CODE_ALPHABET.as_bytes();
    let mut n = i;
    (0..shared::exams::ACCESS_CODE_LEN)
        .map(|_| {
            let c = alphabet[n % alphabet.len()];
            n /= alphabet.len();
            char::from(c)
        })
        .collect()
}

/// A cookie-keeping client whose every request carries `X-Forwarded-For: forwarded_for`.
pub(super) fn client_forwarded_for(forwarded_for: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        HeaderValue::from_str(forwarded_for).expect("header"),
    );
    Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("client")
}

async fn portal_sign_in(app: &TestApp, f: &ExamOrg, c: &Client, who: &str, password: &str) -> u16 {
    post(
        app,
        c,
        &format!("/api/portal/{}/login", f.slug),
        json!({ "identifier": who, "password": password }),
    )
    .await
    .0
}

/// The addresses of the organisation's `portal.login` entries, newest first.
async fn portal_login_ips(app: &TestApp, f: &ExamOrg) -> Vec<Value> {
    let (status, page) = get(app, &f.owner, "/api/audit?action=portal.login").await;
    assert_eq!(status, 200, "{page}");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["ip"].clone())
        .collect()
}

#[tokio::test]
async fn directly_exposed_a_forged_forwarded_for_neither_names_the_client_nor_dodges_the_limit() {
    let app = spawn_app().await;
    let f = exam_org(&app, "direct").await;
    let liar = client_forwarded_for("198.51.100.7");
    assert_eq!(
        portal_sign_in(&app, &f, &liar, &f.account(0), PASSWORD).await,
        200
    );
    assert_eq!(portal_login_ips(&app, &f).await, [json!("127.0.0.1")]);
    // Thirty wrong codes, each "from" another forged address: the real address is spent.
    for i in 0..30 {
        let c = client_forwarded_for(&format!("203.0.113.{i}"));
        let path = format!("/api/portal/{}/exams/code/{}", f.slug, wrong_code(i));
        let (status, body) = get(&app, &c, &path).await;
        assert_eq!(status, 404, "{body}");
    }
    let fresh = client_forwarded_for("192.0.2.99");
    assert_eq!(
        portal_sign_in(&app, &f, &fresh, &f.account(1), PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_thirty_bad_sign_ins_of_one_client_do_not_lock_out_another() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "twoclients").await;
    let attacker = client_forwarded_for("198.51.100.7");
    for i in 0..30 {
        let who = format!("nobody-{i}");
        assert_eq!(
            portal_sign_in(&app, &f, &attacker, &who, "wrong password").await,
            401,
            "{who}"
        );
    }
    // The attacker's address is spent, even with a right password...
    assert_eq!(
        portal_sign_in(&app, &f, &attacker, &f.account(1), PASSWORD).await,
        429
    );
    // ...while an honest candidate behind the same proxy signs in.
    let honest = client_forwarded_for("203.0.113.20");
    assert_eq!(
        portal_sign_in(&app, &f, &honest, &f.account(0), PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_audit_log_records_the_clients_own_address() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "auditip").await;
    let c = client_forwarded_for("2001:db8:7::42");
    assert_eq!(
        portal_sign_in(&app, &f, &c, &f.account(0), PASSWORD).await,
        200
    );
    assert_eq!(portal_login_ips(&app, &f).await, [json!("2001:db8:7::42")]);
}

#[tokio::test]
async fn behind_a_trusted_proxy_an_exams_ip_range_applies_to_the_forwarded_address() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "range").await;
    let exam = f
        .exam(
            &app,
            json!({ "integrity": { "ip_ranges": ["198.51.100.0/24"] } }),
        )
        .await;
    let inside = client_forwarded_for("198.51.100.7");
    assert_eq!(
        portal_sign_in(&app, &f, &inside, &f.account(0), PASSWORD).await,
        200
    );
    let outside = client_forwarded_for("203.0.113.7");
    assert_eq!(
        portal_sign_in(&app, &f, &outside, &f.account(1), PASSWORD).await,
        200
    );
    let (status, body) = start(&app, &outside, &exam).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
    let (status, body) = start(&app, &inside, &exam).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn a_client_behind_the_proxy_cannot_choose_its_address_by_prepending_a_forged_hop() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "prepend").await;
    let exam = f
        .exam(
            &app,
            json!({ "integrity": { "ip_ranges": ["198.51.100.0/24"] } }),
        )
        .await;
    // The client sent `X-Forwarded-For: 198.51.100.7`; nginx appended the address it saw.
    let forger = client_forwarded_for("198.51.100.7, 203.0.113.7");
    assert_eq!(
        portal_sign_in(&app, &f, &forger, &f.account(0), PASSWORD).await,
        200
    );
    assert_eq!(portal_login_ips(&app, &f).await, [json!("203.0.113.7")]);
    let (status, body) = start(&app, &forger, &exam).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
}
