//! Security headers, caching rules for the API, HSTS, compression.

use crate::helpers::spawn_app;
use crate::helpers::spawn_app_with;

const COMMON: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
];

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/health", "/api/nope", "/deep/link", "/api/docs/"] {
        let res = app.get(path).await;
        for (name, value) in COMMON {
            assert_eq!(
                res.headers().get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{name} on {path}"
            );
        }
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .expect("csp");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert!(
            res.headers().get("strict-transport-security").is_none(),
            "no HSTS on plain http"
        );
    }
    let spa_csp = app.get("/").await.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(
        spa_csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{spa_csp}"
    );
    assert!(!spa_csp.contains("unsafe-inline"), "{spa_csp}");
}

#[tokio::test]
async fn api_responses_are_not_cached() {
    let app = spawn_app().await;
    for path in ["/api/health", "/api/ready", "/api/missing"] {
        let res = app.get(path).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_when_configured_behind_tls() {
    let app = spawn_app_with(|s| s.server.behind_tls = true).await;
    let res = app.get("/api/health").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/api/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let plain = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("get");
    assert!(plain.headers().get("content-encoding").is_none());
}
