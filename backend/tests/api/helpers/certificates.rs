//! Certificates in tests: a template, a graded attempt and a certificate issued for it, and
//! reading a certificate PDF back (its text, and the QR code decoded).

use reqwest::Client;
use serde_json::{Value, json};

use super::requests::{id, post};
use super::{TestApp, exams};

/// Creates a template showing names `display` (`full` or `masked`); answers its id.
pub async fn template(app: &TestApp, owner: &Client, display: &str) -> String {
    let (status, t) = post(
        app,
        owner,
        "/api/certificate-templates",
        json!({ "name": "结业证书", "title": "{org} 证书",
                "body": "{name} 于 {date} 通过 {exam}，成绩 {score} 分（{percent}），编号 {number}。",
                "orientation": "landscape", "name_display": display }),
    )
    .await;
    assert_eq!(status, 201, "{t}");
    id(&t)
}

/// An exam on `paper_id` for `candidate_id`, attempted and submitted by `cand` (objective
/// questions only, so graded at once); answers the exam and attempt ids.
pub async fn graded_attempt(
    app: &TestApp,
    owner: &Client,
    cand: &Client,
    paper_id: &str,
    candidate_id: &str,
) -> (String, String) {
    let (status, exam) = post(
        app,
        owner,
        "/api/exams",
        exams::exam_body(paper_id, json!({ "name": "证书考试", "pass_mark": 1 })),
    )
    .await;
    assert_eq!(status, 201, "{exam}");
    let exam = id(&exam);
    let path = format!("/api/exams/{exam}/assignments");
    let (status, r) = post(
        app,
        owner,
        &path,
        json!({ "candidate_ids": [candidate_id] }),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let (status, attempt) = exams::start(app, cand, &exam).await;
    assert_eq!(status, 201, "{attempt}");
    let attempt = id(&attempt);
    let (status, r) = exams::submit(app, cand, &attempt).await;
    assert_eq!(status, 200, "{r}");
    (exam, attempt)
}

/// Issues a certificate from `template` for `attempt` of `exam`: the status and the body.
pub async fn issue(
    app: &TestApp,
    owner: &Client,
    exam: &str,
    attempt: &str,
    template: &str,
) -> (u16, Value) {
    post(
        app,
        owner,
        &format!("/api/exams/{exam}/attempts/{attempt}/certificate"),
        json!({ "template_id": template }),
    )
    .await
}

/// A certificate of a tenant of the tenancy matrix, with the resources it adds by path.
pub async fn tenant_certificate(
    app: &TestApp,
    owner: &Client,
    cand: &Client,
    paper_id: &str,
    candidate_id: &str,
) -> Vec<(&'static str, String)> {
    let template = template(app, owner, "masked").await;
    let mut logo = std::io::Cursor::new(Vec::new());
    image::RgbaImage::from_pixel(8, 8, image::Rgba([9, 9, 9, 255]))
        .write_to(&mut logo, image::ImageFormat::Png)
        .expect("encode");
    let res = owner
        .put(app.url(&format!(
            "/api/certificate-templates/{template}/images/logo"
        )))
        .header(crate::helpers::CSRF.0, crate::helpers::CSRF.1)
        .header("content-type", "image/png")
        .body(logo.into_inner())
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), 200);
    let (exam, attempt) = graded_attempt(app, owner, cand, paper_id, candidate_id).await;
    let (status, cert) = issue(app, owner, &exam, &attempt, &template).await;
    assert_eq!(status, 201, "{cert}");
    let cert = id(&cert);
    vec![
        ("/api/certificate-templates/{id}", template.clone()),
        (
            "/api/certificate-templates/{id}/images/{kind}",
            template.clone(),
        ),
        ("/api/certificate-templates/{id}/preview", template),
        ("/api/exams/{id}/certificates", exam),
        ("/api/certificates/{id}/revoke", cert.clone()),
        ("/api/certificates/{id}/pdf", cert.clone()),
        ("/api/candidate/certificates/{id}/pdf", cert),
    ]
}

/// Downloads a PDF at `path`, checking the status and the content type.
pub async fn download(app: &TestApp, client: &Client, path: &str) -> Vec<u8> {
    let res = client.get(app.url(path)).send().await.expect("download");
    assert_eq!(res.status(), 200, "{path}");
    let kind = res.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_owned();
    assert_eq!(kind, "application/pdf");
    res.bytes().await.expect("body").to_vec()
}

/// The text of a PDF, as a reader extracts it (through the fonts' `/ToUnicode` maps).
pub fn pdf_text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text")
}

/// The PDF's images as `(width, height, colour space, has a soft mask, pixels)`.
pub fn pdf_images(pdf: &[u8]) -> Vec<(usize, usize, String, bool, Vec<u8>)> {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    let mut out = Vec::new();
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let is_image = stream
            .dict
            .get(b"Subtype")
            .and_then(|s| s.as_name())
            .is_ok_and(|n| n == b"Image");
        if !is_image {
            continue;
        }
        let side = |key: &[u8]| stream.dict.get(key).and_then(|v| v.as_i64()).expect("size");
        let space = stream
            .dict
            .get(b"ColorSpace")
            .and_then(|s| s.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let pixels = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        out.push((
            side(b"Width") as usize,
            side(b"Height") as usize,
            space,
            stream.dict.has(b"SMask"),
            pixels,
        ));
    }
    out
}

/// The QR code among the PDF's greyscale images, decoded.
pub fn pdf_qr(pdf: &[u8]) -> String {
    for (w, h, space, _, pixels) in pdf_images(pdf) {
        if space != "DeviceGray" || pixels.len() != w * h {
            continue;
        }
        // Scale each module up so the detector sees clear finder patterns.
        let scale = 8;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w * scale, h * scale, |x, y| {
            pixels[(y / scale) * w + x / scale]
        });
        if let Some(Ok((_, content))) = img.detect_grids().first().map(|g| g.decode()) {
            return content;
        }
    }
    panic!("no QR code among the PDF's images");
}
