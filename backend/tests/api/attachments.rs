//! Attachments of question banks: uploads checked by their bytes (not the declared type),
//! served with their type and `nosniff`, deleted with their bank; and the sanitiser keeping
//! attachment media while dropping script URLs.

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, create_bank, delete, formats_fixture, get, post, post_bytes, spawn_app,
};

fn png() -> Vec<u8> {
    formats_fixture("qti30/package/images/formula.png")
}

async fn upload(
    app: &TestApp,
    owner: &reqwest::Client,
    bank: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let path = format!("/api/question-banks/{bank}/attachments");
    post_bytes(app, owner, &path, content_type, body).await
}

#[tokio::test]
async fn attachments_are_checked_by_their_bytes_and_served_with_their_type() {
    let app = spawn_app().await;
    let owner = app.register_org("附件单位", "attach@example.com").await;
    let bank = create_bank(&app, &owner, "附件").await;
    let (status, a) = upload(&app, &owner, &bank, "image/png", png()).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["mime"], "image/png");
    assert_eq!(a["size"], png().len());
    let url = a["url"].as_str().unwrap();
    assert!(url.starts_with("/api/attachments/"), "{url}");
    let res = reqwest::get(app.url(url)).await.expect("get");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        res.headers()["cache-control"],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), png());

    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    for (ct, body) in [
        ("image/svg+xml", svg),
        ("text/html", html.clone()),
        // A lie: PNG declared, HTML sent.
        ("image/png", html),
        // A real PNG declared as something else.
        ("image/gif", png()),
    ] {
        let (status, err) = upload(&app, &owner, &bank, ct, body).await;
        assert_eq!(status, 415, "{ct}: {err}");
        assert_eq!(err["code"], "unsupported_media_type");
    }
    let mut big = png();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let (status, err) = upload(&app, &owner, &bank, "image/png", big).await;
    assert_eq!(status, 413, "{err}");

    let (status, _) = get(
        &app,
        &owner,
        "/api/attachments/0193a000-0000-4000-8000-000000000000",
    )
    .await;
    assert_eq!(status, 404);

    // Deleting the (question-less) bank deletes its attachments: no longer served, and the
    // file is gone from storage.
    let uploads = app.dir.path().join("uploads");
    let files_before = count_files(&uploads);
    assert!(
        files_before > 0,
        "the upload is stored under {}",
        uploads.display()
    );
    let (status, _) = delete(&app, &owner, &format!("/api/question-banks/{bank}")).await;
    assert_eq!(status, 204);
    let res = reqwest::get(app.url(url)).await.expect("get");
    assert_eq!(res.status(), 404);
    assert_eq!(count_files(&uploads), files_before - 1);
}

fn count_files(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            if path.is_dir() { count_files(&path) } else { 1 }
        })
        .sum()
}

#[tokio::test]
async fn the_sanitiser_keeps_attachment_media_and_drops_script_urls() {
    let app = spawn_app().await;
    let owner = app.register_org("净化单位", "sanitise@example.com").await;
    let bank = create_bank(&app, &owner, "净化").await;
    let (_, a) = upload(&app, &owner, &bank, "image/png", png()).await;
    let url = a["url"].as_str().unwrap();
    let stem = format!(
        "<p>看图</p><img src=\"{url}\"><audio controls src=\"{url}\"></audio>\
         <video controls><source src=\"https://media.example.com/v.mp4\" type=\"video/mp4\"></video>\
         <img src=\"javascript:alert(1)\"><img src=\"media/x.png\"><img src=\"/api/attachments/../org\"><audio src=\"JavaScript:alert(2)\"></audio>"
    );
    let (status, q) = post(&app, &owner, &format!("/api/question-banks/{bank}/questions"), json!({ "content": { "type": "true_false", "stem": stem, "answer": true }, "points": 1, "difficulty": 1 }))
        .await;
    assert_eq!(status, 201, "{q}");
    let stored = q["content"]["stem"].as_str().unwrap();
    assert!(stored.contains(&format!("<img src=\"{url}\">")), "{stored}");
    assert!(
        stored.contains(&format!("<audio controls=\"\" src=\"{url}\">")),
        "{stored}"
    );
    assert!(
        stored.contains("<source src=\"https://media.example.com/v.mp4\" type=\"video/mp4\">"),
        "{stored}"
    );
    assert!(stored.contains("<video controls=\"\">"), "{stored}");
    assert!(!stored.to_lowercase().contains("javascript"), "{stored}");
    assert!(!stored.contains("media/x.png"), "{stored}");
    assert!(!stored.contains("/api/attachments/.."), "{stored}");
}
