//! The HTTP SMS provider against a local gateway: the request it sends, its signature, and how
//! replies and time-outs are classified.

use backend::db::types::DbUuid;
use backend::notifications::{HttpSmsProvider, Provider, SendError};
use backend::settings::SmsHttpSettings;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use sha2::Sha256;

use super::servers::{SmsGateway, silent_server};
use super::sms;

fn provider(url: &str, timeout_ms: u64) -> HttpSmsProvider {
    HttpSmsProvider::new(&SmsHttpSettings {
        url: url.to_owned(),
        api_key: SecretString::from("key-abc"),
        signing_secret: SecretString::from("s3cret-签名"),
        timeout_ms,
    })
    .expect("provider")
}

#[tokio::test]
async fn the_gateway_receives_signed_json_with_the_api_key() {
    let gateway = SmsGateway::start(&[200]).await;
    let id = DbUuid::new_v7();
    provider(&gateway.url, 5_000)
        .send(id, &sms("+8613800138000", "您的验证码是 123456"))
        .await
        .expect("sent");

    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(
        req.json(),
        serde_json::json!({
            "to": "+8613800138000",
            "text": "您的验证码是 123456",
            "template": "verification_code",
            "message_id": id.to_string(),
        })
    );
    assert_eq!(req.header("content-type"), "application/json");
    assert_eq!(req.header("x-api-key"), "key-abc");

    let timestamp = req.header("x-timestamp");
    let sent_at: i64 = timestamp.parse().expect("numeric timestamp");
    assert!((chrono::Utc::now().timestamp() - sent_at).abs() < 60);
    // Verify the signature the way a gateway would, over the exact bytes received.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice("s3cret-签名".as_bytes()).expect("key");
    mac.update(format!("{timestamp}\n").as_bytes());
    mac.update(&req.body);
    let signature = hex::decode(req.header("x-signature")).expect("hex signature");
    mac.verify_slice(&signature)
        .expect("the signature verifies");
}

#[tokio::test]
async fn gateway_replies_are_classified_as_permanent_or_transient() {
    for (status, permanent) in [
        (400, true),
        (422, true),
        (429, false),
        (500, false),
        (503, false),
    ] {
        let gateway = SmsGateway::start(&[status]).await;
        let err = provider(&gateway.url, 5_000)
            .send(DbUuid::new_v7(), &sms("+8613800138000", "x"))
            .await
            .expect_err("a non-2xx reply is an error");
        assert_eq!(err.is_permanent(), permanent, "{status}: {err}");
        assert!(err.to_string().contains(&status.to_string()), "{err}");
        assert!(!err.to_string().contains("13800138000"), "{err}");
    }
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_times_out_as_a_transient_error() {
    let port = silent_server().await;
    let err = provider(&format!("http://127.0.0.1:{port}/sms"), 300)
        .send(DbUuid::new_v7(), &sms("+8613800138000", "x"))
        .await
        .expect_err("time-out");
    assert_eq!(err, SendError::Transient("http time-out".to_owned()));
}

#[tokio::test]
async fn an_unreachable_gateway_is_a_transient_error() {
    // Bind and drop, so nothing listens on the port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let err = provider(&format!("http://127.0.0.1:{port}/sms"), 2_000)
        .send(DbUuid::new_v7(), &sms("+8613800138000", "x"))
        .await
        .expect_err("connection refused");
    assert_eq!(
        err,
        SendError::Transient("http connection failed".to_owned())
    );
}
