//! Serving the SPA: index for deep links, hashed assets cached forever, correct MIME types.

use crate::helpers::{ASSET_JS, ASSET_WASM, INDEX_HTML, spawn_app};

#[tokio::test]
async fn the_root_and_deep_links_return_index_html_uncached() {
    let app = spawn_app().await;
    for path in ["/", "/zh/anything", "/status", "/a/b/c?x=1"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/html"),
            "{path}"
        );
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(res.text().await.expect("body"), INDEX_HTML, "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_their_mime_type() {
    let app = spawn_app().await;
    let js = app.get(&format!("/{ASSET_JS}")).await;
    assert_eq!(js.status(), 200);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .expect("ct")
            .contains("javascript")
    );
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let wasm = app.get(&format!("/{ASSET_WASM}")).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert!(wasm.headers().get("content-disposition").is_none());
}

#[tokio::test]
async fn a_missing_asset_is_404_not_the_index() {
    let app = spawn_app().await;
    let res = app.get("/assets/app-ffffffffffffffff.js").await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_spa() {
    let app = spawn_app().await;
    for path in ["/api", "/api/", "/api/unknown/deep"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(res.headers()["content-type"], "application/json", "{path}");
    }
}

#[tokio::test]
async fn path_traversal_is_refused() {
    let app = spawn_app().await;
    std::fs::write(app.dir.path().join("secret.txt"), "top secret").expect("write");
    for path in [
        "/assets/../../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/%2e%2e/secret.txt",
        "/.hidden",
    ] {
        let res = app.get(path).await;
        let body = res.text().await.expect("body");
        assert!(
            !body.contains("top secret"),
            "{path} leaked a file outside the bundle"
        );
    }
}

#[tokio::test]
async fn spa_without_a_built_bundle_says_how_to_build_it() {
    let app = spawn_app().await;
    std::fs::remove_file(app.settings.frontend.dist_dir.join("index.html")).expect("remove index");
    let res = app.get("/").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["code"], "service_unavailable");
    assert!(
        body["details"]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("cargo xtask build-frontend")
    );
}
