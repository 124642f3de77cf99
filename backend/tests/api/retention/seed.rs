//! The rows the retention tests start from: every kind, old (past the default retention)
//! and fresh, inserted directly or (attempts and their events) through the API.

use backend::db::DbConnection;
use backend::db::types::{DbUuid, Timestamp};
use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use super::{days_ago, days_ahead};
use crate::helpers::{TestApp, events, exam_org_with, start, submit};

/// Rows of every kind, old (past their retention by the defaults) and fresh.
#[derive(Debug)]
pub(super) struct Seeded {
    pub(super) codes: (DbUuid, DbUuid),
    pub(super) logins: (DbUuid, DbUuid),
    /// Expired and revoked long ago (both deleted) and expired lately (kept).
    pub(super) sessions: (DbUuid, DbUuid, DbUuid),
    /// The tokens of the three sessions above.
    pub(super) session_tokens: (DbUuid, DbUuid, DbUuid),
    /// A live session's tokens: expired long ago and lately.
    pub(super) tokens: (DbUuid, DbUuid),
    /// Sent and failed long ago (deleted), pending long ago and sent lately (kept).
    pub(super) outbox: (DbUuid, DbUuid, DbUuid, DbUuid),
    /// Live sessions with device details: unused long and lately.
    pub(super) devices: (DbUuid, DbUuid),
    /// Finished long ago and lately, and pending since long ago.
    pub(super) jobs: (DbUuid, DbUuid, DbUuid),
    /// Data exports: downloaded long ago (deleted), ready long ago (its expiry job's to end)
    /// and expired lately (kept).
    pub(super) exports: (DbUuid, DbUuid, DbUuid),
    /// Attempts submitted long ago and now.
    pub(super) attempts: (String, String),
}

fn insert_code(conn: &mut DbConnection, expires: Timestamp) -> DbUuid {
    use backend::db::schema::verification_codes as v;
    let id = DbUuid::new_v7();
    diesel::insert_into(v::table)
        .values((
            v::id.eq(id),
            v::purpose.eq("login"),
            v::destination_bidx.eq(vec![7u8; 32]),
            v::attempts.eq(0),
            v::expires_at.eq(expires),
            v::created_at.eq(expires),
        ))
        .execute(conn)
        .expect("code");
    id
}

pub(super) fn insert_login(conn: &mut DbConnection, at: Timestamp) -> DbUuid {
    use backend::db::schema::login_attempts as l;
    let id = DbUuid::new_v7();
    diesel::insert_into(l::table)
        .values((
            l::id.eq(id),
            l::identifier_bidx.eq(vec![8u8; 32]),
            l::succeeded.eq(false),
            l::created_at.eq(at),
        ))
        .execute(conn)
        .expect("login attempt");
    id
}

fn insert_session(
    conn: &mut DbConnection,
    last_used: Timestamp,
    expires: Timestamp,
    revoked: Option<Timestamp>,
    device: bool,
) -> DbUuid {
    use backend::db::schema::sessions as s;
    let id = DbUuid::new_v7();
    diesel::insert_into(s::table)
        .values((
            s::id.eq(id),
            s::principal_kind.eq("staff"),
            s::principal_id.eq(DbUuid::new_v7()),
            s::created_at.eq(last_used),
            s::last_used_at.eq(last_used),
            s::expires_at.eq(expires),
            s::revoked_at.eq(revoked),
            s::device_enc.eq(device.then(|| vec![9u8; 48])),
        ))
        .execute(conn)
        .expect("session");
    id
}

fn insert_token(conn: &mut DbConnection, session: DbUuid, expires: Timestamp) -> DbUuid {
    use backend::db::schema::refresh_tokens as r;
    let id = DbUuid::new_v7();
    diesel::insert_into(r::table)
        .values((
            r::id.eq(id),
            r::session_id.eq(session),
            r::token_hash.eq(id.to_string()),
            r::used_at.eq(Some(Timestamp::from(expires.0 - Duration::days(30)))),
            r::created_at.eq(Timestamp::from(expires.0 - Duration::days(30))),
            r::expires_at.eq(expires),
        ))
        .execute(conn)
        .expect("token");
    id
}

fn insert_message(conn: &mut DbConnection, status: &str, queued: Timestamp) -> DbUuid {
    use backend::db::schema::notification_outbox as o;
    let id = DbUuid::new_v7();
    diesel::insert_into(o::table)
        .values((
            o::id.eq(id),
            o::channel.eq("email"),
            o::template.eq("retention_test"),
            o::destination_enc.eq(vec![1u8; 40]),
            o::content_enc.eq(vec![2u8; 40]),
            o::status.eq(status),
            o::attempts.eq(1),
            // Never due: the test server's outbox worker leaves a pending one alone.
            o::next_attempt_at.eq(days_ahead(10)),
            o::created_at.eq(queued),
            o::sent_at.eq((status == "sent").then_some(queued)),
        ))
        .execute(conn)
        .expect("message");
    id
}

fn insert_job(conn: &mut DbConnection, done: Option<Timestamp>) -> DbUuid {
    use backend::db::schema::jobs as j;
    // Never due: the test server's job worker leaves the pending one alone.
    let id =
        backend::jobs::enqueue(conn, "retention_test", days_ahead(10), &json!({})).expect("job");
    diesel::update(j::table.find(id))
        .set((j::done_at.eq(done), j::created_at.eq(days_ago(40))))
        .execute(conn)
        .expect("finish job");
    id
}

fn insert_export(conn: &mut DbConnection, status: &str, requested: Timestamp) -> DbUuid {
    use backend::db::schema::{data_exports as x, orgs};
    let org: DbUuid = orgs::table.select(orgs::id).first(conn).expect("an org");
    let id = DbUuid::new_v7();
    diesel::insert_into(x::table)
        .values((
            x::id.eq(id),
            x::org_id.eq(org),
            x::subject_kind.eq("user"),
            x::subject_id.eq(DbUuid::new_v7()),
            x::status.eq(status),
            x::requested_at.eq(requested),
        ))
        .execute(conn)
        .expect("export");
    id
}

/// Seeds every kind, with the old rows aged past the default retention.
pub(super) async fn seed(app: &TestApp) -> Seeded {
    // Two submitted attempts with integrity events and addresses, through the API.
    let f = exam_org_with(app, "ret", &["single_choice"]).await;
    let exam = f.exam(app, json!({})).await;
    let mut attempts = Vec::new();
    for i in 0..2 {
        let cand = f.candidate(app, i).await;
        let (status, attempt) = start(app, &cand, &exam).await;
        assert_eq!(status, 201, "{attempt}");
        let attempt = attempt["id"].as_str().expect("attempt id").to_owned();
        let (status, body) = events(app, &cand, &attempt, &["focus_lost", "tab_hidden"]).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = submit(app, &cand, &attempt).await;
        assert_eq!(status, 200, "{body}");
        attempts.push(attempt);
    }
    let mut conn = app.db();
    let conn = &mut *conn;
    {
        use backend::db::schema::{attempt_events as e, attempts as a};
        let (old, fresh) = (id_of(&attempts[0]), id_of(&attempts[1]));
        for attempt in [old, fresh] {
            diesel::update(a::table.find(attempt))
                .set(a::last_ip_enc.eq(Some(vec![3u8; 40])))
                .execute(conn)
                .expect("attempt address");
            diesel::update(e::table.filter(e::attempt_id.eq(attempt)))
                .set(e::ip_enc.eq(Some(vec![4u8; 40])))
                .execute(conn)
                .expect("event addresses");
        }
        diesel::update(a::table.find(old))
            .set(a::submitted_at.eq(Some(days_ago(181))))
            .execute(conn)
            .expect("age attempt");
        diesel::update(e::table.filter(e::attempt_id.eq(old)))
            .set(e::occurred_at.eq(days_ago(181)))
            .execute(conn)
            .expect("age events");
        diesel::update(e::table.filter(e::attempt_id.eq(fresh)))
            .set(e::occurred_at.eq(days_ago(179)))
            .execute(conn)
            .expect("fresh events");
    }

    let sessions = (
        insert_session(conn, days_ago(61), days_ago(31), None, false),
        insert_session(conn, days_ago(40), days_ahead(5), Some(days_ago(31)), false),
        insert_session(conn, days_ago(59), days_ago(29), None, false),
    );
    let session_tokens = (
        insert_token(conn, sessions.0, days_ahead(1)),
        insert_token(conn, sessions.1, days_ahead(1)),
        insert_token(conn, sessions.2, days_ahead(1)),
    );
    let devices = (
        insert_session(conn, days_ago(31), days_ahead(1), None, true),
        insert_session(conn, days_ago(29), days_ahead(1), None, true),
    );
    let tokens = (
        insert_token(conn, devices.1, days_ago(8)),
        insert_token(conn, devices.1, days_ago(6)),
    );
    Seeded {
        codes: (
            insert_code(conn, days_ago(8)),
            insert_code(conn, days_ago(6)),
        ),
        logins: (
            insert_login(conn, days_ago(31)),
            insert_login(conn, days_ago(29)),
        ),
        sessions,
        session_tokens,
        tokens,
        outbox: (
            insert_message(conn, "sent", days_ago(31)),
            insert_message(conn, "failed", days_ago(31)),
            insert_message(conn, "pending", days_ago(31)),
            insert_message(conn, "sent", days_ago(29)),
        ),
        devices,
        jobs: (
            insert_job(conn, Some(days_ago(31))),
            insert_job(conn, Some(days_ago(29))),
            insert_job(conn, None),
        ),
        exports: (
            insert_export(conn, "downloaded", days_ago(31)),
            insert_export(conn, "ready", days_ago(31)),
            insert_export(conn, "expired", days_ago(29)),
        ),
        attempts: (attempts[0].clone(), attempts[1].clone()),
    }
}

pub(super) fn id_of(id: &str) -> DbUuid {
    DbUuid(id.parse().expect("uuid"))
}
