//! Decoding answers and deciding when to renew the session, tested without a browser.

use shared::accounts::MeResponse;
use shared::{CheckStatus, ErrorCode, HealthResponse, Lang, ReadySummary};

use super::{
    Answer, CSRF_HEADER, Method, Renewable, decode, decode_empty, encode_segment, headers,
    with_query,
};
use crate::api::{Error, FieldError};

const READY_FAILING: &str = r#"{"status":"failing"}"#;
const ERROR_BODY: &str = r#"{"code":"service_unavailable","message":"busy","request_id":"r-1"}"#;

fn answer(status: u16, body: &str) -> Answer {
    Answer {
        status,
        request_id: None,
        retry_after: None,
        body: body.to_owned(),
    }
}

#[test]
fn a_2xx_body_decodes_as_the_expected_type() {
    let health: Result<HealthResponse, Error> =
        decode(&answer(200, r#"{"status":"ok","version":"0.1.0"}"#), &[]);
    assert_eq!(
        health,
        Ok(HealthResponse {
            status: CheckStatus::Ok,
            version: "0.1.0".to_owned()
        })
    );
}

#[test]
fn a_failing_readiness_report_on_503_is_a_result_not_an_error() {
    let ready: Result<ReadySummary, Error> = decode(&answer(503, READY_FAILING), &[503]);
    assert_eq!(
        ready,
        Ok(ReadySummary {
            status: CheckStatus::Failing,
        })
    );
}

#[test]
fn an_error_envelope_becomes_an_api_error_with_its_request_id() {
    let ready: Result<ReadySummary, Error> = decode(&answer(503, ERROR_BODY), &[503]);
    let Err(err @ Error::Api { status: 503, .. }) = ready else {
        panic!("expected an API error, got {ready:?}");
    };
    assert_eq!(err.request_id(), Some("r-1"));
    assert_eq!(err.message(Lang::En), "busy");
    assert_eq!(err.code(), Some(ErrorCode::ServiceUnavailable));
    assert_eq!(err.retry_after(), None);
    assert!(err.field_errors().is_empty());
}

#[test]
fn anything_else_is_an_unexpected_response_keeping_the_header_request_id() {
    let mut bad_gateway = answer(502, "<html>Bad Gateway</html>");
    bad_gateway.request_id = Some("r-2".to_owned());
    let health: Result<HealthResponse, Error> = decode(&bad_gateway, &[]);
    let Err(err) = health else {
        panic!("expected an error");
    };
    assert!(matches!(err, Error::UnexpectedResponse { status: 502, .. }));
    assert_eq!(err.request_id(), Some("r-2"));
    assert!(err.message(Lang::ZhCn).contains("502"));

    let truncated: Result<HealthResponse, Error> = decode(&answer(200, r#"{"status":"#), &[]);
    assert!(matches!(
        truncated,
        Err(Error::UnexpectedResponse { status: 200, .. })
    ));
}

#[test]
fn validation_errors_carry_their_fields() {
    let body = r#"{"code":"validation_failed","message":"m","request_id":"r",
        "details":{"fields":[{"field":"org_name","reason":"too_short"},
                             {"field":"code","reason":"invalid_code"}]}}"#;
    let me: Result<MeResponse, Error> = decode(&answer(422, body), &[]);
    let Err(err) = me else {
        panic!("expected an error");
    };
    assert_eq!(err.code(), Some(ErrorCode::ValidationFailed));
    assert_eq!(
        err.field_errors(),
        vec![
            FieldError {
                field: "org_name".to_owned(),
                reason: "too_short".to_owned()
            },
            FieldError {
                field: "code".to_owned(),
                reason: "invalid_code".to_owned()
            },
        ]
    );
}

#[test]
fn retry_after_comes_from_the_header_else_from_the_details() {
    let body = r#"{"code":"rate_limited","message":"m","request_id":"r",
        "details":{"retry_after_seconds":42}}"#;
    let from_details = decode_empty(&answer(429, body));
    assert_eq!(from_details.err().and_then(|e| e.retry_after()), Some(42));

    let mut with_header = answer(429, body);
    with_header.retry_after = Some(" 900 ".to_owned());
    let from_header = decode_empty(&with_header);
    assert_eq!(from_header.err().and_then(|e| e.retry_after()), Some(900));
}

#[test]
fn an_empty_2xx_answer_is_success_and_a_401_is_unauthorized() {
    assert_eq!(decode_empty(&answer(204, "")), Ok(()));
    let body = r#"{"code":"unauthorized","message":"m","request_id":"r"}"#;
    let err = decode_empty(&answer(401, body)).err();
    assert!(err.is_some_and(|e| e.is_unauthorized()));
}

#[test]
fn only_a_401_about_the_session_is_worth_renewing_it() {
    let expired = r#"{"code":"unauthorized","message":"m","request_id":"r"}"#;
    let wrong_password = r#"{"code":"invalid_credentials","message":"m","request_id":"r"}"#;
    assert!(answer(401, expired).needs_renewal());
    assert!(answer(401, "<html>proxy</html>").needs_renewal());
    assert!(!answer(401, wrong_password).needs_renewal());
    assert!(!answer(403, expired).needs_renewal());
    assert!(!answer(200, "{}").needs_renewal());
}

#[test]
fn queries_keep_only_given_values_and_encode_them() {
    assert_eq!(with_query("/api/x", &[("a", None)]), "/api/x");
    assert_eq!(
        with_query(
            "/api/candidates",
            &[
                ("q", Some("+86 138@x.cn".to_owned())),
                ("status", None),
                ("limit", Some("20".to_owned())),
            ]
        ),
        "/api/candidates?q=%2B86%20138%40x.cn&limit=20"
    );
    assert_eq!(encode_segment("a/b?c"), "a%2Fb%3Fc");
    assert_eq!(encode_segment("考"), "%E8%80%83");
}

#[test]
fn a_change_carries_the_anti_csrf_header_and_a_get_does_not() {
    let get = headers(Lang::En, Method::Get, "application/json");
    assert!(!get.iter().any(|(name, _)| *name == CSRF_HEADER), "{get:?}");
    assert!(get.contains(&("Accept-Language", "en")), "{get:?}");
    for method in [Method::Post, Method::Put, Method::Patch, Method::Delete] {
        assert!(headers(Lang::ZhCn, method, "*/*").contains(&(CSRF_HEADER, "1")));
    }
}
