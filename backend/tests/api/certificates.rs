//! Certificates: templates, issuing for a graded attempt, the PDF read back (the Chinese name,
//! the number, the QR code of the verification URL), public verification before and after
//! revocation, and the candidate's own certificates in the portal.

use reqwest::Client;
use serde_json::{Value, json};

use crate::helpers::certificates::{
    download, graded_attempt, issue, pdf_images, pdf_qr, pdf_text, template,
};
use crate::helpers::{
    CSRF, TestApp, delete, exam_org_with, get, id, post, put, reason, send, spawn_app_with,
};

const PUBLIC_URL: &str = "https://exam.example.cn";

async fn app() -> TestApp {
    spawn_app_with(|s| s.server.public_url = format!("{PUBLIC_URL}/")).await
}

fn is_number(n: &str) -> bool {
    let groups: Vec<&str> = n.split('-').collect();
    groups.len() == 5
        && groups[0] == "EC"
        && groups[1..].iter().all(|g| {
            g.len() == 4
                && g.chars()
                    .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c)))
        })
}

#[tokio::test]
async fn a_certificate_prints_the_chinese_name_and_verifies_until_revoked() {
    let app = app().await;
    let o = exam_org_with(&app, "cert", &["single_choice"]).await;
    let (status, c) = send(
        &app,
        &o.owner,
        reqwest::Method::PATCH,
        &format!("/api/candidates/{}", o.candidates[0]),
        json!({ "name": "张三丰" }),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    let cand = o.candidate(&app, 0).await;
    let (exam, attempt) =
        graded_attempt(&app, &o.owner, &cand, &o.paper_id, &o.candidates[0]).await;
    let template = template(&app, &o.owner, "masked").await;

    let (status, cert) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{cert}");
    let number = cert["number"].as_str().expect("number").to_owned();
    assert!(is_number(&number), "{number}");
    assert_eq!(cert["holder_name"], "张三丰");
    assert_eq!(cert["exam_name"], "证书考试");
    assert_eq!(cert["attempt_id"], attempt);
    // One valid certificate per attempt.
    let (status, again) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(reason(&again), "certificate_exists");
    let (_, list) = get(&app, &o.owner, &format!("/api/exams/{exam}/certificates")).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        (&list["total"], &list["limit"]),
        (&json!(1), &json!(50)),
        "{list}"
    );

    // The PDF holds the name and the number, and its QR code is the verification URL.
    let pdf = download(
        &app,
        &o.owner,
        &format!("/api/certificates/{}/pdf", id(&cert)),
    )
    .await;
    let text = pdf_text(&pdf);
    assert!(text.contains("张三丰"), "{text}");
    assert!(text.contains(&number), "{text}");
    assert!(
        text.contains("考试单位 cert 证书"),
        "the title's {{org}}: {text}"
    );
    assert!(text.contains("证书考试"), "the body's {{exam}}: {text}");
    let url = pdf_qr(&pdf);
    assert_eq!(url, format!("{PUBLIC_URL}/verify/{number}"));

    // Anyone can verify the number; the name is masked as the template says.
    let anonymous = Client::new();
    let (status, v) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "valid");
    assert_eq!(v["holder_name"], "张*丰");
    assert_eq!(v["exam_name"], "证书考试");
    assert_eq!(v["org_name"], "考试单位 cert");
    // As typed by a person: lower case, no hyphens.
    let typed = number.replace('-', "").to_lowercase();
    let (status, _) = get(&app, &anonymous, &format!("/api/verify/{typed}")).await;
    assert_eq!(status, 200);

    // Revocation needs a reason, happens once, and the page then says revoked.
    let revoke = format!("/api/certificates/{}/revoke", id(&cert));
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": " " })).await;
    assert_eq!(status, 422, "{r}");
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": "成绩更正" })).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["revoke_reason"], "成绩更正");
    let (status, r) = post(&app, &o.owner, &revoke, json!({ "reason": "again" })).await;
    assert_eq!(status, 409, "{r}");
    assert_eq!(reason(&r), "already_revoked");
    let (_, v) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
    assert_eq!(v["status"], "revoked", "{v}");
    assert!(v["revoked_at"].is_string(), "{v}");
    // The attempt may then be issued a new certificate, with a new number.
    let (status, second) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{second}");
    assert_ne!(second["number"], cert["number"]);

    // The exam's list pages, newest first, and filters valid from revoked ones.
    let listed = |query: &'static str| {
        let (app, owner, exam) = (&app, &o.owner, exam.clone());
        async move {
            get(
                app,
                owner,
                &format!("/api/exams/{exam}/certificates{query}"),
            )
            .await
        }
    };
    let (_, page) = listed("?limit=1").await;
    assert_eq!(page["total"], 2, "{page}");
    assert_eq!(
        page["items"][0]["number"], second["number"],
        "newest first: {page}"
    );
    let (_, page) = listed("?limit=1&offset=1").await;
    assert_eq!(page["items"][0]["number"], cert["number"], "{page}");
    let (_, page) = listed("?status=valid").await;
    assert_eq!(
        (&page["total"], &page["items"][0]["number"]),
        (&json!(1), &second["number"])
    );
    let (_, page) = listed("?status=revoked").await;
    assert_eq!(
        (&page["total"], &page["items"][0]["number"]),
        (&json!(1), &cert["number"])
    );
    for bad in ["?status=expired", "?limit=0", "?limit=201", "?offset=-1"] {
        let (status, body) = listed(bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }

    // Issue and revoke are in the audit log.
    for action in ["certificate.issue", "certificate.revoke"] {
        let (_, audit) = get(&app, &o.owner, &format!("/api/audit?action={action}")).await;
        assert!(audit.to_string().contains(&number), "{action}: {audit}");
    }
}

#[tokio::test]
async fn unknown_and_malformed_numbers_are_not_found() {
    let app = app().await;
    let anonymous = Client::new();
    for number in [
        "EC-0000-0000-0000-0000",
        "EC-1234",
        "not-a-number",
        "EC-UUUU-UUUU-UUUU-UUUU",
    ] {
        let (status, body) = get(&app, &anonymous, &format!("/api/verify/{number}")).await;
        assert_eq!(status, 404, "{number}: {body}");
    }
}

#[tokio::test]
async fn the_public_lookup_is_rate_limited_per_address() {
    let app = app().await;
    let anonymous = Client::new();
    let path = "/api/verify/EC-0000-0000-0000-0000";
    for _ in 0..30 {
        assert_eq!(get(&app, &anonymous, path).await.0, 404);
    }
    let res = anonymous.get(app.url(path)).send().await.expect("lookup");
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn only_graded_attempts_get_certificates() {
    let app = app().await;
    let o = exam_org_with(&app, "ungraded", &["single_choice"]).await;
    let template = template(&app, &o.owner, "full").await;
    let exam = o.exam(&app, json!({})).await;
    let cand = o.candidate(&app, 0).await;
    let attempt = o.start_and_save(&app, &cand, &exam).await;
    let (status, r) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 409, "{r}");
    assert_eq!(reason(&r), "attempt_not_graded");
    // Another exam's id in the path, or a template that does not exist: not found.
    let (status, _) = issue(&app, &o.owner, &o.paper_id, &attempt, &template).await;
    assert_eq!(status, 404);
    let (status, _) = issue(&app, &o.owner, &exam, &attempt, &exam).await;
    assert_eq!(status, 404);
    let (status, r) = issue(&app, &o.owner, &exam, &attempt, "nope").await;
    assert_eq!(status, 422, "{r}");
}

#[tokio::test]
async fn candidates_list_and_download_only_their_own_certificates() {
    let app = app().await;
    let o = exam_org_with(&app, "mine", &["single_choice"]).await;
    let template = template(&app, &o.owner, "full").await;
    let first = o.candidate(&app, 0).await;
    let second = o.candidate(&app, 1).await;
    let (exam, attempt) =
        graded_attempt(&app, &o.owner, &first, &o.paper_id, &o.candidates[0]).await;
    let (status, cert) = issue(&app, &o.owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{cert}");

    let (status, mine) = get(&app, &first, "/api/candidate/certificates").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine[0]["number"], cert["number"]);
    let path = format!("/api/candidate/certificates/{}/pdf", id(&cert));
    let pdf = download(&app, &first, &path).await;
    assert!(pdf_text(&pdf).contains("学生0"));

    let (_, theirs) = get(&app, &second, "/api/candidate/certificates").await;
    assert_eq!(theirs, Value::Array(Vec::new()));
    let res = second.get(app.url(&path)).send().await.expect("download");
    assert_eq!(res.status(), 404);
    // The console's PDF route is not the portal's.
    let console = format!("/api/certificates/{}/pdf", id(&cert));
    let res = first.get(app.url(&console)).send().await.expect("download");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn templates_are_validated_listed_updated_and_deleted() {
    let app = app().await;
    let o = exam_org_with(&app, "tpl", &["single_choice"]).await;
    let (status, r) = post(
        &app,
        &o.owner,
        "/api/certificate-templates",
        json!({ "name": "", "title": "x".repeat(101), "body": "" }),
    )
    .await;
    assert_eq!(status, 422, "{r}");
    let t = template(&app, &o.owner, "masked").await;
    let path = format!("/api/certificate-templates/{t}");
    let (status, updated) = put(
        &app,
        &o.owner,
        &path,
        json!({ "name": "荣誉证书", "title": "荣誉", "body": "{name}", "orientation": "portrait",
                "name_display": "full" }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["orientation"], "portrait");
    assert_eq!(updated["name_display"], "full");
    let (_, list) = get(&app, &o.owner, "/api/certificate-templates").await;
    assert_eq!(list[0]["name"], "荣誉证书", "{list}");
    let (status, _) = delete(&app, &o.owner, &path).await;
    assert_eq!(status, 204);
    let (status, _) = get(&app, &o.owner, &path).await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, &o.owner, "/api/certificate-templates").await;
    assert_eq!(list, Value::Array(Vec::new()));
}

/// A `width`×`height` image of one colour, encoded as `format`.
fn image_file(width: u32, height: u32, rgba: [u8; 4], format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let img = image::RgbaImage::from_pixel(width, height, image::Rgba(rgba));
    if format == image::ImageFormat::Jpeg {
        image::DynamicImage::ImageRgba8(img)
            .into_rgb8()
            .write_to(&mut out, format)
            .expect("encode");
    } else {
        img.write_to(&mut out, format).expect("encode");
    }
    out.into_inner()
}

async fn upload(
    app: &TestApp,
    client: &Client,
    template: &str,
    kind: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let res = client
        .put(app.url(&format!(
            "/api/certificate-templates/{template}/images/{kind}"
        )))
        .header(CSRF.0, CSRF.1)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("upload");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_template_prints_its_logo_signature_and_background() {
    use image::ImageFormat::{Jpeg, Png};
    let app = app().await;
    let o = exam_org_with(&app, "img", &["single_choice"]).await;
    let t = template(&app, &o.owner, "full").await;

    // Only real PNGs and JPEGs within each kind's limits are stored.
    let logo = image_file(40, 20, [200, 30, 30, 255], Png);
    let (status, r) = upload(&app, &o.owner, &t, "logo", "text/plain", logo.clone()).await;
    assert_eq!(status, 415, "{r}");
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let (status, r) = upload(&app, &o.owner, &t, "logo", "image/png", svg).await;
    assert_eq!(
        (status, r["details"]["fields"][0]["field"].as_str()),
        (422, Some("image")),
        "{r}"
    );
    assert_eq!(
        r["details"]["fields"][0]["reason"], "unsupported_image_type",
        "{r}"
    );
    let wide = image_file(2049, 1, [0, 0, 0, 255], Png);
    let (status, r) = upload(&app, &o.owner, &t, "logo", "image/png", wide.clone()).await;
    assert_eq!(
        r["details"]["fields"][0]["reason"], "image_too_large",
        "{status} {r}"
    );
    let mut cut = image_file(64, 64, [1, 2, 3, 255], Png);
    cut.truncate(70);
    let (status, r) = upload(&app, &o.owner, &t, "logo", "image/png", cut).await;
    assert_eq!(
        (status, reason_of(&r)),
        (422, "unreadable_image".to_owned()),
        "{r}"
    );
    let (status, r) = upload(
        &app,
        &o.owner,
        &t,
        "signature",
        "image/png",
        vec![0; 600 * 1024],
    )
    .await;
    assert_eq!(status, 413, "{r}");
    let (status, _) = upload(&app, &o.owner, &t, "watermark", "image/png", logo.clone()).await;
    assert_eq!(status, 404);
    // A background may be wider than a logo.
    let (status, r) = upload(&app, &o.owner, &t, "background", "image/png", wide).await;
    assert_eq!(status, 200, "{r}");

    let (status, r) = upload(&app, &o.owner, &t, "logo", "image/png", logo.clone()).await;
    assert_eq!(status, 200, "{r}");
    let logo_url = r["logo_url"].as_str().expect("logo_url").to_owned();
    let res = o.owner.get(app.url(&logo_url)).send().await.expect("get");
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), logo.as_slice());
    // A transparent signature keeps its alpha channel as the PDF's soft mask.
    let signature = image_file(30, 10, [0, 0, 120, 0], Png);
    let (status, r) = upload(&app, &o.owner, &t, "signature", "image/png", signature).await;
    assert_eq!(status, 200, "{r}");
    let background = image_file(60, 42, [250, 245, 230, 255], Jpeg);
    let (status, r) = upload(&app, &o.owner, &t, "background", "image/jpeg", background).await;
    assert_eq!(status, 200, "{r}");
    assert!(
        r["background_url"]
            .as_str()
            .is_some_and(|u| u.ends_with(".jpg")),
        "{r}"
    );
    let (status, r) = put(
        &app,
        &o.owner,
        &format!("/api/certificate-templates/{t}"),
        json!({ "name": "结业证书", "title": "{org} 证书", "body": "{name} 通过 {exam}",
                "signatory": "校长 王明", "name_display": "full" }),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["signatory"], "校长 王明");
    assert!(
        r["logo_url"].is_string() && r["signature_url"].is_string(),
        "{r}"
    );
    let (status, r) = put(
        &app,
        &o.owner,
        &format!("/api/certificate-templates/{t}"),
        json!({ "name": "x", "title": "x", "body": "", "signatory": "签".repeat(101) }),
    )
    .await;
    assert_eq!(
        (status, r["details"]["fields"][0]["field"].as_str()),
        (422, Some("signatory")),
        "{r}"
    );

    // The certificate's PDF carries the three images and the QR code, and the signatory.
    let cand = o.candidate(&app, 0).await;
    let (exam, attempt) =
        graded_attempt(&app, &o.owner, &cand, &o.paper_id, &o.candidates[0]).await;
    let (status, cert) = issue(&app, &o.owner, &exam, &attempt, &t).await;
    assert_eq!(status, 201, "{cert}");
    let pdf = download(
        &app,
        &o.owner,
        &format!("/api/certificates/{}/pdf", id(&cert)),
    )
    .await;
    let images = pdf_images(&pdf);
    let sizes: Vec<(usize, usize, &str, bool)> = images
        .iter()
        .map(|(w, h, space, mask, _)| (*w, *h, space.as_str(), *mask))
        .collect();
    for expected in [
        (40, 20, "DeviceRGB", false),
        (30, 10, "DeviceRGB", true),
        (60, 42, "DeviceRGB", false),
    ] {
        assert!(sizes.contains(&expected), "{expected:?} in {sizes:?}");
    }
    let logo_pixels = images
        .iter()
        .find(|(w, h, ..)| (*w, *h) == (40, 20))
        .map(|(.., p)| p)
        .expect("the logo");
    assert_eq!(&logo_pixels[..3], &[200, 30, 30], "the logo's own pixels");
    let text = pdf_text(&pdf);
    assert!(text.contains("校长 王明"), "{text}");
    assert_eq!(
        pdf_qr(&pdf),
        format!(
            "{PUBLIC_URL}/verify/{}",
            cert["number"].as_str().expect("number")
        )
    );

    // The sample PDF shows the design before any certificate is issued.
    let res = o
        .owner
        .get(app.url(&format!("/api/certificate-templates/{t}/preview")))
        .send()
        .await
        .expect("preview");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let sample = res.bytes().await.expect("bytes");
    let text = pdf_text(&sample);
    assert!(
        text.contains("张三丰") && text.contains("EC-SAMPLE"),
        "{text}"
    );
    assert_eq!(pdf_images(&sample).len(), images.len());

    // Removing an image takes it off the template, the certificates and the storage.
    let (status, r) = delete(
        &app,
        &o.owner,
        &format!("/api/certificate-templates/{t}/images/logo"),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert!(r["logo_url"].is_null(), "{r}");
    let res = o.owner.get(app.url(&logo_url)).send().await.expect("get");
    assert_eq!(res.status(), 404);
    let pdf = download(
        &app,
        &o.owner,
        &format!("/api/certificates/{}/pdf", id(&cert)),
    )
    .await;
    assert!(
        !pdf_images(&pdf)
            .iter()
            .any(|(w, h, ..)| (*w, *h) == (40, 20)),
        "the logo is gone from the PDF"
    );
    let files = walk(&app.dir.path().join("uploads"));
    assert!(
        !files.iter().any(|f| f.contains("/logo-")),
        "the removed logo's file is deleted: {files:?}"
    );
    assert!(files.iter().any(|f| f.contains("/signature-")), "{files:?}");
    assert_eq!(
        files.iter().filter(|f| f.contains("/background-")).count(),
        1,
        "the replaced background's file is deleted: {files:?}"
    );

    // Every change is audited.
    let (_, audit) = get(
        &app,
        &o.owner,
        "/api/audit?action=certificate_template.image_upload",
    )
    .await;
    assert!(audit.to_string().contains("signature"), "{audit}");
    let (_, audit) = get(
        &app,
        &o.owner,
        "/api/audit?action=certificate_template.image_delete",
    )
    .await;
    assert!(audit.to_string().contains("logo"), "{audit}");
}

fn reason_of(body: &Value) -> String {
    body["details"]["fields"][0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Every file under `dir`, as paths with `/`.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}
