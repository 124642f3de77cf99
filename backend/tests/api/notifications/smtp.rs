//! The SMTP provider against a local SMTP sink: what arrives (recipient, subject, UTF-8 body
//! through MIME encoding), how rejections are classified, and the outbox delivering through it.

use std::sync::Arc;

use backend::db::types::DbUuid;
use backend::notifications::{Provider, Providers, SendError, SmtpProvider};
use backend::settings::{SmtpSettings, SmtpTls};
use mailparse::MailHeaderMap;

use super::servers::SmtpSink;
use super::{Outbox, email};

fn provider(port: u16) -> SmtpProvider {
    SmtpProvider::new(&SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        username: None,
        password: None,
        from: "考试云 <no-reply@examcloud.example>".to_owned(),
        tls: SmtpTls::None,
        timeout_ms: 5_000,
    })
    .expect("provider")
}

#[tokio::test]
async fn chinese_subject_and_body_arrive_intact_through_mime() {
    let sink = SmtpSink::start().await;
    let id = DbUuid::new_v7();
    let body = "您的验证码是 123456，10 分钟内有效。请勿告诉他人。";
    provider(sink.port)
        .send(
            id,
            &email("zhao.liu@example.cn", "考试云：登录验证码", body),
        )
        .await
        .expect("sent");

    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.mail_from.starts_with("<no-reply@examcloud.example>"));
    assert_eq!(mail.rcpt_to.len(), 1);
    assert!(mail.rcpt_to[0].starts_with("<zhao.liu@example.cn>"));

    let parsed = mailparse::parse_mail(&mail.data).expect("a MIME message");
    let headers = parsed.get_headers();
    assert_eq!(
        headers.get_first_value("Subject").as_deref(),
        Some("考试云：登录验证码")
    );
    assert_eq!(
        headers.get_first_value("To").as_deref(),
        Some("zhao.liu@example.cn")
    );
    let from = headers.get_first_value("From").expect("From");
    assert!(
        from.contains("考试云") && from.contains("no-reply@examcloud.example"),
        "{from}"
    );
    assert_eq!(
        headers.get_first_value("Message-ID").as_deref(),
        Some(format!("<{id}@examcloud.example>").as_str())
    );
    assert_eq!(parsed.ctype.mimetype, "text/plain");
    assert_eq!(parsed.ctype.charset.to_ascii_lowercase(), "utf-8");
    assert_eq!(parsed.get_body().expect("body").trim_end(), body);
    // The raw message is transfer-encoded, not 8-bit text the relay might mangle.
    assert!(!String::from_utf8_lossy(&mail.data).contains("验证码"));
}

#[tokio::test]
async fn a_rejected_recipient_is_permanent_and_a_busy_server_transient() {
    for (reply, expected) in [
        (
            "550 5.1.1 <nobody@example.cn>: mailbox unavailable",
            SendError::Permanent("smtp 550: recipient rejected".to_owned()),
        ),
        (
            "451 4.3.0 try again later",
            SendError::Transient("smtp 451".to_owned()),
        ),
    ] {
        let sink = SmtpSink::start_with_rcpt_reply(reply).await;
        let err = provider(sink.port)
            .send(DbUuid::new_v7(), &email("nobody@example.cn", "s", "b"))
            .await
            .expect_err("rejected");
        // The server's text quotes the address; only the code is kept.
        assert_eq!(err, expected);
        assert!(sink.mails().is_empty());
    }
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_a_transient_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let err = provider(port)
        .send(DbUuid::new_v7(), &email("a@example.cn", "s", "b"))
        .await
        .expect_err("connection refused");
    assert!(!err.is_permanent(), "{err}");
}

#[tokio::test]
async fn the_outbox_delivers_email_through_smtp() {
    let outbox = Outbox::start().await;
    let sink = SmtpSink::start().await;
    let providers = Providers {
        email: Arc::new(provider(sink.port)) as Arc<dyn Provider>,
        ..outbox.dev_providers()
    };
    let worker = outbox.worker(providers, 10);
    let id = outbox.enqueue(&email(
        "sun.qi@example.cn",
        "考试云通知",
        "您的考试将于明天开始。",
    ));
    assert_eq!(worker.run_once().await.expect("run"), 1);
    assert_eq!(outbox.row(id).status, "sent");
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let parsed = mailparse::parse_mail(&mails[0].data).expect("MIME");
    assert_eq!(
        parsed.get_body().expect("body").trim_end(),
        "您的考试将于明天开始。"
    );
    assert!(
        outbox.dev_lines().is_empty(),
        "email did not go to the dev file"
    );
}
