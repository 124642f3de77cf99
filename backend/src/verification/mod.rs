//! One-time verification codes for registration, login, password recovery and binding a new
//! phone or email.
//!
//! - 6 digits from a CSPRNG; stored only as a keyed HMAC bound to its row; single-use; bound to
//!   a purpose and a destination; valid for 5 minutes; void after 5 wrong tries.
//! - Sending is limited per destination (1 per minute, 5 per hour, 10 per day) and per client
//!   IP. Every request is recorded — including those for which nothing is sent because the
//!   destination is (or is not) registered — so the limits, and therefore the responses, are
//!   the same for registered and unregistered destinations.

use chrono::Duration;
use diesel::prelude::*;
use rand::Rng;

use crate::crypto::{BlindIndex, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::verification_codes;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::Contact;

pub const CODE_TTL_SECONDS: i64 = 5 * 60;
pub const MAX_ATTEMPTS: i32 = 5;

/// (window, most requests allowed in it) per destination.
const PER_DESTINATION: [(i64, i64); 3] = [(60, 1), (3600, 5), (86_400, 10)];
/// (window, most requests allowed in it) per client IP: a school behind one NAT address may
/// register several organisations, so this is looser than the per-destination limit.
const PER_IP: [(i64, i64); 3] = [(60, 10), (3600, 60), (86_400, 200)];

/// What a code is for. A code issued for one purpose never passes a check for another.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Register,
    Login,
    Recover,
    Bind,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Login => "login",
            Purpose::Recover => "recover",
            Purpose::Bind => "bind",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CodeError {
    #[error("too many code requests; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Wrong, expired, used up or never issued: deliberately one error, so a caller learns
    /// nothing about which.
    #[error("invalid or expired code")]
    Invalid,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The blind index of a destination, as stored in `destination_bidx`.
pub fn destination_index(bidx: &BlindIndex, contact: &Contact) -> Vec<u8> {
    let kind = match contact {
        Contact::Email(_) => IndexKind::Email,
        Contact::Mobile(_) => IndexKind::Phone,
    };
    bidx.compute(kind, &contact.lookup_key())
}

fn code_hash(bidx: &BlindIndex, id: DbUuid, code: &str) -> String {
    hex::encode(bidx.compute(IndexKind::VerificationCode, &format!("{id}:{code}")))
}

/// Checks the sending limits for `contact` and `ip` (the client's address group, see
/// `ClientInfo::address_group`: an IPv6 client counts by its /64), then records the request. Returns the code
/// to send when `send` is true (the caller decided the destination should get one), `None`
/// otherwise. Call inside a transaction with the enqueueing of the message.
pub fn request_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    purpose: Purpose,
    contact: &Contact,
    ip: Option<&str>,
    send: bool,
) -> Result<Option<String>, CodeError> {
    request_code_at(
        conn,
        bidx,
        purpose,
        destination_index(bidx, contact),
        ip,
        send,
    )
}

/// The blind index of a destination on an organisation's candidate portal: a code requested on
/// one portal (or the console) never signs anyone in on another.
pub fn portal_destination_index(bidx: &BlindIndex, org: DbUuid, contact: &Contact) -> Vec<u8> {
    let kind = match contact {
        Contact::Email(_) => IndexKind::Email,
        Contact::Mobile(_) => IndexKind::Phone,
    };
    bidx.compute(kind, &format!("portal:{org}:{}", contact.lookup_key()))
}

/// [`request_code`] for sign-in on an organisation's candidate portal.
pub fn request_portal_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    org: DbUuid,
    contact: &Contact,
    ip: Option<&str>,
    send: bool,
) -> Result<Option<String>, CodeError> {
    let destination = portal_destination_index(bidx, org, contact);
    request_code_at(conn, bidx, Purpose::Login, destination, ip, send)
}

/// [`check_code`] for sign-in on an organisation's candidate portal.
pub fn check_portal_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    org: DbUuid,
    contact: &Contact,
    code: &str,
) -> Result<(), CodeError> {
    let destination = portal_destination_index(bidx, org, contact);
    check_code_at(conn, bidx, Purpose::Login, destination, code)
}

/// The blind index of a destination for proving a registration to one exam: a code sent to
/// prove "I registered for this exam" is good for nothing else (no portal sign-in, no other
/// exam).
pub fn registration_destination_index(
    bidx: &BlindIndex,
    exam: DbUuid,
    contact: &Contact,
) -> Vec<u8> {
    let kind = match contact {
        Contact::Email(_) => IndexKind::Email,
        Contact::Mobile(_) => IndexKind::Phone,
    };
    bidx.compute(
        kind,
        &format!("registration:{exam}:{}", contact.lookup_key()),
    )
}

/// [`request_code`] for a returning registrant of `exam`, to the contact they registered.
pub fn request_registration_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    exam: DbUuid,
    contact: &Contact,
    ip: Option<&str>,
) -> Result<Option<String>, CodeError> {
    let destination = registration_destination_index(bidx, exam, contact);
    request_code_at(conn, bidx, Purpose::Login, destination, ip, true)
}

/// [`check_code`] for a returning registrant of `exam`.
pub fn check_registration_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    exam: DbUuid,
    contact: &Contact,
    code: &str,
) -> Result<(), CodeError> {
    let destination = registration_destination_index(bidx, exam, contact);
    check_code_at(conn, bidx, Purpose::Login, destination, code)
}

/// The blind index of a destination a candidate wants to use: a code sent for one candidate
/// changing their contact is good for nothing else (no sign-in, no other candidate).
pub fn candidate_bind_index(bidx: &BlindIndex, candidate: DbUuid, contact: &Contact) -> Vec<u8> {
    let kind = match contact {
        Contact::Email(_) => IndexKind::Email,
        Contact::Mobile(_) => IndexKind::Phone,
    };
    bidx.compute(
        kind,
        &format!("candidate-bind:{candidate}:{}", contact.lookup_key()),
    )
}

/// [`request_code`] for a candidate changing their email or mobile number to `contact`.
pub fn request_candidate_bind_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    candidate: DbUuid,
    contact: &Contact,
    ip: Option<&str>,
    send: bool,
) -> Result<Option<String>, CodeError> {
    let destination = candidate_bind_index(bidx, candidate, contact);
    request_code_at(conn, bidx, Purpose::Bind, destination, ip, send)
}

/// [`check_code`] for a candidate changing their email or mobile number to `contact`.
pub fn check_candidate_bind_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    candidate: DbUuid,
    contact: &Contact,
    code: &str,
) -> Result<(), CodeError> {
    let destination = candidate_bind_index(bidx, candidate, contact);
    check_code_at(conn, bidx, Purpose::Bind, destination, code)
}

/// The blind index of a destination for a code that confirms one act, named by `context`
/// (e.g. `cancel-org:<org id>`): such a code is good for nothing else.
pub fn context_index(bidx: &BlindIndex, context: &str, contact: &Contact) -> Vec<u8> {
    let kind = match contact {
        Contact::Email(_) => IndexKind::Email,
        Contact::Mobile(_) => IndexKind::Phone,
    };
    bidx.compute(kind, &format!("{context}:{}", contact.lookup_key()))
}

/// [`request_code`] for the act `context` (see [`context_index`]).
pub fn request_context_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    context: &str,
    contact: &Contact,
    ip: Option<&str>,
) -> Result<Option<String>, CodeError> {
    let destination = context_index(bidx, context, contact);
    request_code_at(conn, bidx, Purpose::Login, destination, ip, true)
}

/// [`check_code`] for the act `context` (see [`context_index`]).
pub fn check_context_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    context: &str,
    contact: &Contact,
    code: &str,
) -> Result<(), CodeError> {
    let destination = context_index(bidx, context, contact);
    check_code_at(conn, bidx, Purpose::Login, destination, code)
}

fn request_code_at(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    purpose: Purpose,
    destination: Vec<u8>,
    ip: Option<&str>,
    send: bool,
) -> Result<Option<String>, CodeError> {
    let now = Timestamp::now();
    let ip_index = ip.map(|ip| bidx.compute(IndexKind::Ip, ip));
    check_window(
        conn,
        Limited::Destination(&destination),
        &PER_DESTINATION,
        now,
    )?;
    if let Some(ip_index) = &ip_index {
        check_window(conn, Limited::Ip(ip_index), &PER_IP, now)?;
    }
    let id = DbUuid::new_v7();
    let code = send.then(|| format!("{:06}", rand::rng().random_range(0..1_000_000u32)));
    diesel::insert_into(verification_codes::table)
        .values((
            verification_codes::id.eq(id),
            verification_codes::purpose.eq(purpose.as_str()),
            verification_codes::destination_bidx.eq(destination),
            verification_codes::ip_bidx.eq(ip_index),
            verification_codes::code_hash.eq(code.as_deref().map(|c| code_hash(bidx, id, c))),
            verification_codes::attempts.eq(0),
            verification_codes::expires_at
                .eq(Timestamp::from(now.0 + Duration::seconds(CODE_TTL_SECONDS))),
            verification_codes::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(code)
}

/// What a limit counts requests by.
enum Limited<'a> {
    Destination(&'a [u8]),
    Ip(&'a [u8]),
}

/// Fails with the time to wait if any window is full.
fn check_window(
    conn: &mut DbConnection,
    key: Limited<'_>,
    limits: &[(i64, i64)],
    now: Timestamp,
) -> Result<(), CodeError> {
    for &(window, allowed) in limits {
        let since = Timestamp::from(now.0 - Duration::seconds(window));
        let query = verification_codes::table
            .filter(verification_codes::created_at.gt(since))
            .order(verification_codes::created_at.desc())
            .select(verification_codes::created_at)
            .limit(allowed)
            .into_boxed();
        let query = match key {
            Limited::Destination(d) => {
                query.filter(verification_codes::destination_bidx.eq(d.to_vec()))
            }
            Limited::Ip(ip) => query.filter(verification_codes::ip_bidx.eq(ip.to_vec())),
        };
        let recent: Vec<Timestamp> = query.load(conn)?;
        if recent.len() as i64 >= allowed {
            // The window frees up when the oldest counted request leaves it.
            let oldest = recent.last().map(|t| t.0).unwrap_or(now.0);
            let retry = (oldest + Duration::seconds(window) - now.0)
                .num_seconds()
                .max(1);
            return Err(CodeError::RateLimited {
                retry_after_secs: retry as u64,
            });
        }
    }
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = verification_codes)]
struct IssuedCode {
    id: DbUuid,
    code_hash: Option<String>,
    attempts: i32,
    expires_at: Timestamp,
    consumed_at: Option<Timestamp>,
}

/// Checks a code and consumes it if right. A wrong code counts against the latest code; after
/// [`MAX_ATTEMPTS`] wrong tries it is void.
pub fn check_code(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    purpose: Purpose,
    contact: &Contact,
    code: &str,
) -> Result<(), CodeError> {
    check_code_at(conn, bidx, purpose, destination_index(bidx, contact), code)
}

fn check_code_at(
    conn: &mut DbConnection,
    bidx: &BlindIndex,
    purpose: Purpose,
    destination: Vec<u8>,
    code: &str,
) -> Result<(), CodeError> {
    let now = Timestamp::now();
    // The transaction must commit when the code is wrong too (the attempt is counted), so it
    // yields whether the code passed rather than failing.
    let passed = crate::db::transaction(conn, |conn| {
        let latest: Option<IssuedCode> = verification_codes::table
            .filter(verification_codes::destination_bidx.eq(destination))
            .filter(verification_codes::purpose.eq(purpose.as_str()))
            .filter(verification_codes::code_hash.is_not_null())
            .order(verification_codes::created_at.desc())
            .select(IssuedCode::as_select())
            .first(conn)
            .optional()?;
        // Only the most recent code counts: requesting a new one voids the previous.
        let Some(IssuedCode {
            id,
            code_hash: Some(stored),
            attempts,
            expires_at,
            consumed_at,
        }) = latest
        else {
            return Ok(false);
        };
        if consumed_at.is_some() || expires_at <= now || attempts >= MAX_ATTEMPTS {
            return Ok(false);
        }
        let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
        let matches = well_formed && constant_time_eq(&code_hash(bidx, id, code), &stored);
        if !matches {
            diesel::update(verification_codes::table.find(id))
                .set(verification_codes::attempts.eq(verification_codes::attempts + 1))
                .execute(conn)?;
            return Ok(false);
        }
        // Single use, also under concurrent checks of the same code.
        let consumed = diesel::update(verification_codes::table.find(id))
            .filter(verification_codes::consumed_at.is_null())
            .set(verification_codes::consumed_at.eq(Some(now)))
            .execute(conn)?;
        Ok::<_, diesel::result::Error>(consumed == 1)
    })?;
    if passed {
        Ok(())
    } else {
        Err(CodeError::Invalid)
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
