//! Verification codes: hashed, single-use, purpose- and destination-bound, 5-minute TTL,
//! 5 tries; sending limits per destination and per IP that count every request.

use backend::crypto::BlindIndex;
use backend::db::schema::verification_codes;
use backend::db::types::Timestamp;
use backend::db::{Database, PooledDb};
use backend::domain::Contact;
use backend::keys::KeyRing;
use backend::verification::{CodeError, Purpose, check_code, request_code};
use diesel::prelude::*;

use crate::helpers::{TestApp, spawn_app};

struct Codes {
    _app: TestApp,
    conn: PooledDb,
    bidx: BlindIndex,
}

async fn setup() -> Codes {
    let app = spawn_app().await;
    let db = Database::connect(&app.settings.database).expect("connect");
    let bidx = BlindIndex::new(&KeyRing::load(&app.settings.keys).expect("keys"));
    Codes {
        conn: db.get().expect("conn"),
        bidx,
        _app: app,
    }
}

fn contact(s: &str) -> Contact {
    Contact::parse(s).expect("valid contact")
}

/// Moves every recorded request back in time, as if `secs` had passed.
fn age_requests(conn: &mut PooledDb, secs: i64) {
    let rows: Vec<(backend::db::types::DbUuid, Timestamp, Timestamp)> = verification_codes::table
        .select((
            verification_codes::id,
            verification_codes::created_at,
            verification_codes::expires_at,
        ))
        .load(&mut **conn)
        .expect("load");
    for (id, created, expires) in rows {
        diesel::update(verification_codes::table.find(id))
            .set((
                verification_codes::created_at
                    .eq(Timestamp::from(created.0 - chrono::Duration::seconds(secs))),
                verification_codes::expires_at
                    .eq(Timestamp::from(expires.0 - chrono::Duration::seconds(secs))),
            ))
            .execute(&mut **conn)
            .expect("age");
    }
}

#[tokio::test]
async fn a_code_is_six_digits_stored_hashed_and_works_exactly_once() {
    let mut c = setup().await;
    let to = contact("13800138000");
    let code = request_code(&mut c.conn, &c.bidx, Purpose::Register, &to, None, true)
        .expect("request")
        .expect("code");
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let stored: Option<String> = verification_codes::table
        .select(verification_codes::code_hash)
        .first(&mut *c.conn)
        .expect("row");
    let stored = stored.expect("hash stored");
    assert!(!stored.contains(&code) && stored.len() == 64);

    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Register, &to, &code),
        Ok(())
    );
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Register, &to, &code),
        Err(CodeError::Invalid)
    );
}

#[tokio::test]
async fn a_code_is_bound_to_its_purpose_and_destination() {
    let mut c = setup().await;
    let to = contact("a@example.com");
    let code = request_code(&mut c.conn, &c.bidx, Purpose::Register, &to, None, true)
        .expect("request")
        .expect("code");
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Login, &to, &code),
        Err(CodeError::Invalid)
    );
    let other = contact("b@example.com");
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Register, &other, &code),
        Err(CodeError::Invalid)
    );
    // Case of the address does not matter; the code is still good.
    let upper = contact("A@EXAMPLE.COM");
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Register, &upper, &code),
        Ok(())
    );
}

#[tokio::test]
async fn five_wrong_tries_void_the_code() {
    let mut c = setup().await;
    let to = contact("13900139000");
    let code = request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true)
        .expect("request")
        .expect("code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(
            check_code(&mut c.conn, &c.bidx, Purpose::Login, &to, wrong),
            Err(CodeError::Invalid)
        );
    }
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Login, &to, &code),
        Err(CodeError::Invalid)
    );
}

#[tokio::test]
async fn a_code_expires_after_five_minutes() {
    let mut c = setup().await;
    let to = contact("13700137000");
    let code = request_code(&mut c.conn, &c.bidx, Purpose::Recover, &to, None, true)
        .expect("request")
        .expect("code");
    age_requests(&mut c.conn, 5 * 60 + 1);
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Recover, &to, &code),
        Err(CodeError::Invalid)
    );
}

#[tokio::test]
async fn a_new_code_voids_the_previous_one() {
    let mut c = setup().await;
    let to = contact("13600136000");
    let first = request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true)
        .expect("request")
        .expect("code");
    age_requests(&mut c.conn, 61);
    let second = request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true)
        .expect("request")
        .expect("code");
    if first != second {
        assert_eq!(
            check_code(&mut c.conn, &c.bidx, Purpose::Login, &to, &first),
            Err(CodeError::Invalid)
        );
    }
    assert_eq!(
        check_code(&mut c.conn, &c.bidx, Purpose::Login, &to, &second),
        Ok(())
    );
}

#[tokio::test]
async fn sending_is_limited_per_minute_hour_and_day_whether_or_not_anything_is_sent() {
    let mut c = setup().await;
    let to = contact("13500135000");
    // `send = false`: nothing goes out (e.g. an unregistered destination), yet it counts.
    assert_eq!(
        request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, false),
        Ok(None)
    );
    match request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true) {
        Err(CodeError::RateLimited { retry_after_secs }) => {
            assert!((1..=60).contains(&retry_after_secs))
        }
        other => panic!("expected the per-minute limit, got {other:?}"),
    }
    for _ in 0..4 {
        age_requests(&mut c.conn, 61);
        request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true)
            .expect("within the hourly limit");
    }
    age_requests(&mut c.conn, 61);
    assert!(matches!(
        request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true),
        Err(CodeError::RateLimited { retry_after_secs }) if retry_after_secs > 60
    ));
    // An hour later five more are allowed, but the day's tenth is the last.
    age_requests(&mut c.conn, 3600);
    for _ in 0..5 {
        request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true)
            .expect("within the daily limit");
        age_requests(&mut c.conn, 61);
    }
    age_requests(&mut c.conn, 3600);
    assert!(matches!(
        request_code(&mut c.conn, &c.bidx, Purpose::Login, &to, None, true),
        Err(CodeError::RateLimited { retry_after_secs }) if retry_after_secs > 3600
    ));
}

#[tokio::test]
async fn sending_is_limited_per_client_ip_across_destinations() {
    let mut c = setup().await;
    for i in 0..10 {
        let to = contact(&format!("1380013{i:04}"));
        request_code(
            &mut c.conn,
            &c.bidx,
            Purpose::Register,
            &to,
            Some("198.51.100.9"),
            true,
        )
        .expect("allowed");
    }
    let to = contact("13800139999");
    assert!(matches!(
        request_code(
            &mut c.conn,
            &c.bidx,
            Purpose::Register,
            &to,
            Some("198.51.100.9"),
            true
        ),
        Err(CodeError::RateLimited { .. })
    ));
    // Another client is not affected.
    assert!(
        request_code(
            &mut c.conn,
            &c.bidx,
            Purpose::Register,
            &to,
            Some("198.51.100.10"),
            true
        )
        .is_ok()
    );
}
