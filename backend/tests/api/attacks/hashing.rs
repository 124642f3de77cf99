//! A flood of sign-ins (issue 11, item 4): every password hash takes 19 MiB, so the node
//! bounds how many run at once and how many wait. With one slot and one waiter, 40 candidates
//! signing in at once from one address (a class at exam start) get 200 or 503 `server_busy`
//! with `Retry-After` (never another 5xx, and never 429: honest sign-ins waiting for the queue
//! are not failures: more than the address's 30 wait at once), and each can sign in
//! afterwards.

use serde_json::{Value, json};

use crate::helpers::{CSRF, PASSWORD, spawn_app_with};

#[tokio::test]
async fn forty_concurrent_sign_ins_of_one_class_beyond_the_hashing_queue_get_503_with_retry_after()
{
    let app = spawn_app_with(|s| {
        s.auth.hash_concurrency = 1;
        s.auth.hash_waiters_per_slot = 1;
    })
    .await;
    let owner = app.register_org("登录洪水", "flood@example.com").await;
    for i in 0..40 {
        app.create_candidate(
            &owner,
            json!({ "account": format!("s{i:03}"), "name": "孙悟空", "password": PASSWORD }),
        )
        .await;
    }
    let slug = app.slug_of(&owner).await;
    let url = app.url(&format!("/api/portal/{slug}/login"));

    let client = reqwest::Client::new();
    let attempts = (0..40).map(|i| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let res = client
                .post(url)
                .header(CSRF.0, CSRF.1)
                .json(&json!({ "identifier": format!("s{i:03}"), "password": PASSWORD }))
                .send()
                .await
                .expect("sign-in");
            let status = res.status().as_u16();
            let retry_after = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (status, retry_after, body)
        })
    });
    let mut busy = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        let (status, retry_after, body) = attempt.await.expect("task");
        match status {
            200 => {}
            503 => {
                busy += 1;
                assert_eq!(body["code"], "server_busy", "{body}");
                assert!(retry_after.is_some_and(|s| s >= 1), "{body}");
            }
            other => panic!("a sign-in got {other}: {body}"),
        }
    }
    assert!(busy > 0, "40 sign-ins at once with one slot and one waiter");

    // Everyone can sign in afterwards: nobody was locked out by the flood.
    for i in 0..40 {
        app.portal_login(&slug, &format!("s{i:03}"), PASSWORD).await;
    }
}
