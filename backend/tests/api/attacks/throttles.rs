//! Throttles that cannot be sidestepped (issue 11, item 7): not by spelling a phone number
//! another way, not by sending guesses in parallel, not by rotating IPv6 addresses within
//! one's /64, not by spreading access-code guesses over many addresses.

use reqwest::Client;
use serde_json::{Value, json};

use super::proxy::{client_forwarded_for, spawn_behind_proxy, wrong_code};
use crate::helpers::{CSRF, PASSWORD, TestApp, exam_org, get, post, spawn_app};

async fn portal_sign_in(app: &TestApp, slug: &str, c: &Client, who: &str, password: &str) -> u16 {
    post(
        app,
        c,
        &format!("/api/portal/{slug}/login"),
        json!({ "identifier": who, "password": password }),
    )
    .await
    .0
}

async fn code_lookup(app: &TestApp, slug: &str, c: &Client, code: &str) -> (u16, Value) {
    get(app, c, &format!("/api/portal/{slug}/exams/code/{code}")).await
}

#[tokio::test]
async fn every_spelling_of_one_phone_number_draws_on_one_sign_in_budget() {
    let app = spawn_app().await;
    let f = exam_org(&app, "spell").await;
    app.create_candidate(
        &f.owner,
        json!({ "account": "phone-owner", "name": "手机", "phone": "13800138000", "password": PASSWORD }),
    )
    .await;
    let c = Client::new();
    for spelling in [
        "13800138000",
        "+86 138 0013 8000",
        "138-0013-8000",
        "+8613800138000",
        "(+86) 138 0013 8000",
    ] {
        assert_eq!(
            portal_sign_in(&app, &f.slug, &c, spelling, "wrong password").await,
            401,
            "{spelling}"
        );
    }
    // A sixth spelling, or the account name of the same candidate, with the right password.
    for spelling in ["0086 13800138000", "phone-owner"] {
        assert_eq!(
            portal_sign_in(&app, &f.slug, &c, spelling, PASSWORD).await,
            429,
            "{spelling}"
        );
    }
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_let_at_most_five_reach_verification() {
    let app = spawn_app().await;
    let f = exam_org(&app, "burst").await;
    let c = Client::new();
    let url = app.url(&format!("/api/portal/{}/login", f.slug));
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (c, url, who) = (c.clone(), url.clone(), f.account(0));
        guesses.spawn(async move {
            let res = c
                .post(url)
                .header(CSRF.0, CSRF.1)
                .json(&json!({ "identifier": who, "password": format!("guess {i}") }))
                .send()
                .await
                .expect("request");
            res.status().as_u16()
        });
    }
    let statuses: Vec<u16> = guesses.join_all().await;
    let verified = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(verified + refused, 40, "{statuses:?}");
    assert!(verified <= 5, "{verified} guesses reached verification");
    assert_eq!(
        portal_sign_in(&app, &f.slug, &c, &f.account(0), PASSWORD).await,
        429
    );
}

#[tokio::test]
async fn rotating_ipv6_addresses_within_one_64_share_one_budget() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "v6").await;
    for i in 0..30 {
        let c = client_forwarded_for(&format!("2001:db8:1:2:{i:x}::1"));
        let (status, body) = code_lookup(&app, &f.slug, &c, &wrong_code(i)).await;
        assert_eq!(status, 404, "{body}");
    }
    let same_64 = client_forwarded_for("2001:db8:1:2:ffff:ffff:ffff:fffe");
    let (status, body) = code_lookup(&app, &f.slug, &same_64, &wrong_code(30)).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(
        portal_sign_in(&app, &f.slug, &same_64, &f.account(0), PASSWORD).await,
        429
    );
    // The neighbouring /64 is someone else.
    let neighbour = client_forwarded_for("2001:db8:1:3::1");
    assert_eq!(
        portal_sign_in(&app, &f.slug, &neighbour, &f.account(0), PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn guessing_access_codes_from_many_addresses_hits_the_portals_budget() {
    let app = spawn_behind_proxy().await;
    let f = exam_org(&app, "budget").await;
    let other = exam_org(&app, "budget2").await;
    let mut codes = Vec::new();
    for fx in [&f, &other] {
        let (status, exam) = post(
            &app,
            &fx.owner,
            "/api/exams",
            fx.exam_body(
                json!({ "entry": { "access_code": true, "registration_fields": [
                { "key": "name", "label": "姓名", "kind": "name", "required": true }] } }),
            ),
        )
        .await;
        assert_eq!(status, 201, "{exam}");
        let code = exam["entry_access"]["access_code"]
            .as_str()
            .expect("code")
            .to_owned();
        // Ten characters of the unambiguous alphabet.
        assert_eq!(
            shared::exams::normalise_access_code(&code).as_deref(),
            Some(code.as_str())
        );
        codes.push(code);
    }
    // A hundred wrong guesses, each from its own address (three per address at most would
    // never reach a per-address limit).
    for i in 0..100 {
        let c = client_forwarded_for(&format!("198.51.{}.{}", i / 200, i % 200 + 1));
        let (status, body) = code_lookup(&app, &f.slug, &c, &wrong_code(i)).await;
        assert_eq!(status, 404, "guess {i}: {body}");
    }
    let fresh = client_forwarded_for("192.0.2.1");
    let (status, body) = code_lookup(&app, &f.slug, &fresh, &wrong_code(100)).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    // The budget is the portal's: while it is spent, its code waits too; other portals are
    // not affected (and a code is read whatever its case and dashes).
    let (status, _) = code_lookup(&app, &f.slug, &fresh, &codes[0]).await;
    assert_eq!(status, 429);
    let typed = format!("{}-{}", &codes[1][..5], &codes[1][5..]).to_lowercase();
    let (status, body) = code_lookup(&app, &other.slug, &fresh, &typed).await;
    assert_eq!(status, 200, "{body}");
}
