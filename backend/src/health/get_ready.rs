//! `GET /api/ready`: whether this node can serve traffic: the database answers, its schema is
//! current, and the loaded keys match the ones the data depends on. 200 when every check
//! passes, 503 otherwise, so a load balancer can take the node out. The public answer says
//! only that; the checks themselves (which name migrations, key ids and key usage) are for
//! operators: `GET /api/staff/ready` and `examcloud ready` (see [`report`]).

use std::time::Instant;

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;
use shared::{CheckStatus, ReadyCheck, ReadyResponse, ReadySummary};

use crate::crypto::FieldCipher;
use crate::db::Database;
use crate::errors::ApiError;
use crate::keys::KeyRing;
use crate::state::AppState;

#[utoipa::path(
    get,
    path = "/api/ready",
    operation_id = "get_ready",
    tag = "health",
    responses(
        (status = 200, description = "Every check passed.", body = ReadySummary),
        (status = 503, description = "At least one check failed (operators see which in `GET /api/staff/ready` or `examcloud ready`).", body = ReadySummary),
    )
)]
#[tracing::instrument(skip(state))]
pub async fn get_ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let report = report_of(&state).await?;
    let body = ReadySummary {
        status: report.status,
    };
    Ok(match report.status {
        CheckStatus::Ok => HttpResponse::Ok().json(body),
        CheckStatus::Failing => HttpResponse::ServiceUnavailable().json(body),
    })
}

/// The full report of this node, off the request threads.
pub(super) async fn report_of(state: &AppState) -> Result<ReadyResponse, ApiError> {
    let db = state.db.clone();
    let keys = state.keys.clone();
    let cipher = state.cipher.clone();
    Ok(tokio::task::spawn_blocking(move || report(&db, &keys, &cipher)).await?)
}

/// Every readiness check, named, with an operator-facing detail (blocking: the database).
pub fn report(db: &Database, keys: &KeyRing, cipher: &FieldCipher) -> ReadyResponse {
    let checks = run_checks(db, keys, cipher);
    let all_ok = checks.iter().all(|c| c.status == CheckStatus::Ok);
    ReadyResponse {
        status: if all_ok {
            CheckStatus::Ok
        } else {
            CheckStatus::Failing
        },
        database_backend: db.kind().as_str().to_owned(),
        checks,
    }
}

fn run_checks(db: &Database, keys: &KeyRing, cipher: &FieldCipher) -> Vec<ReadyCheck> {
    let mut checks = Vec::with_capacity(4);
    let started = Instant::now();
    let conn = db.get().map_err(|e| e.to_string()).and_then(|mut conn| {
        conn.batch_execute("SELECT 1").map_err(|e| e.to_string())?;
        Ok(conn)
    });
    let mut conn = match conn {
        Ok(conn) => {
            checks.push(check(
                "database",
                Ok(format!("{} reachable", db.kind().as_str())),
                started,
            ));
            conn
        }
        Err(err) => {
            tracing::warn!(error = %err, "readiness: database unreachable");
            checks.push(check("database", Err("unreachable".to_owned()), started));
            for name in ["migrations", "keys", "key_usage"] {
                checks.push(check(
                    name,
                    Err("not checked: database unreachable".to_owned()),
                    Instant::now(),
                ));
            }
            return checks;
        }
    };

    let started = Instant::now();
    let migrations = crate::db::pending_migrations(&mut conn)
        .map_err(|e| format!("{e:#}"))
        .and_then(|pending| {
            if pending.is_empty() {
                Ok("schema is current".to_owned())
            } else {
                Err(format!("{} pending: {}", pending.len(), pending.join(", ")))
            }
        });
    checks.push(check("migrations", migrations, started));

    let started = Instant::now();
    let key_check = keys
        .verify(&mut conn)
        .map_err(|e| format!("{e:#}"))
        .and_then(|problems| {
            if problems.is_empty() {
                Ok(format!(
                    "{} keys loaded and match the database",
                    keys.fingerprints().len()
                ))
            } else {
                Err(problems.join("; "))
            }
        });
    checks.push(check("keys", key_check, started));

    let started = Instant::now();
    checks.push(check("key_usage", key_usage(&mut conn, cipher), started));
    checks
}

/// The primary key's encryptions against the rotation threshold. Past it the check still
/// passes (every node shares the key, so failing would take the whole service down) but says
/// to rotate, and a warning is logged.
fn key_usage(
    conn: &mut crate::db::DbConnection,
    cipher: &crate::crypto::FieldCipher,
) -> Result<String, String> {
    use crate::crypto::{ROTATION_THRESHOLD, usage};
    usage::flush(conn, cipher).map_err(|e| format!("recording key usage: {e}"))?;
    let key = cipher.primary_key_id();
    let used = usage::total(conn, key).map_err(|e| format!("reading key usage: {e}"))?;
    let used = u64::try_from(used).unwrap_or(0);
    if used >= ROTATION_THRESHOLD {
        tracing::warn!(
            key,
            used,
            "the primary encryption key is past its rotation threshold"
        );
        Ok(format!(
            "key {key}: {used} encryptions, past the rotation threshold of {ROTATION_THRESHOLD}: rotate now (examcloud rotate-keys --add-key)"
        ))
    } else {
        Ok(format!(
            "key {key}: {used} of {ROTATION_THRESHOLD} encryptions before rotation"
        ))
    }
}

fn check(name: &str, outcome: Result<String, String>, started: Instant) -> ReadyCheck {
    let (status, detail) = match outcome {
        Ok(detail) => (CheckStatus::Ok, detail),
        Err(detail) => (CheckStatus::Failing, detail),
    };
    ReadyCheck {
        name: name.to_owned(),
        status,
        detail,
        duration_ms: started.elapsed().as_millis() as u64,
    }
}
