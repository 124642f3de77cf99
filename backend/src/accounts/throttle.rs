//! The sign-in limiter: failed attempts counted per principal (an account or candidate once
//! resolved, otherwise the normalised identifier; an organisation's portal for access-code
//! guesses) and per client address group (IPv6 by /64), in `login_attempts`.
//!
//! An attempt is recorded *before* it is verified, and the count that decides includes it:
//! the insert and the count are separate autocommitted statements, never one transaction, so
//! each count sees every attempt that was inserted before it. Of N parallel guesses at one
//! principal, the (limit+1)-th to be inserted counts at least limit+1 and is refused, whatever
//! the interleaving: at most `limit` reach verification. An attempt is *pending* until it is
//! settled ([`Attempt::settle`]) as a success (it stops counting) or a failure; a refused
//! attempt is removed.
//!
//! Pending attempts count against their principal (that is what stops parallel guessing), but
//! only for [`PENDING_SECS`]: one left pending by an error (a busy hashing queue, say) must not
//! lock its owner out. Per address only *settled* failures count: at exam start a whole school
//! behind one NAT signs in at once, and its honest sign-ins waiting for the hashing queue must
//! not be taken for failures.

use chrono::Duration;
use diesel::prelude::*;

use crate::crypto::{BlindIndex, IndexKind};
use crate::db::DbConnection;
use crate::db::schema::login_attempts;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;

use crate::http::ClientInfo;

const WINDOW_SECS: i64 = 15 * 60;

/// How long an unsettled attempt still counts against its principal: longer than any
/// verification takes (the hashing queue waits at most a few seconds).
const PENDING_SECS: i64 = 60;

/// How many failures within the window a principal and an address group may have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub principal: i64,
    pub address: i64,
}

/// Sign-in with a password or code: a principal is locked after 5 failures, an address after
/// 30 (a school's NAT may carry many honest people).
pub(crate) const SIGN_IN: Limits = Limits {
    principal: 5,
    address: 30,
};

/// Access-code lookups: the principal is the organisation's portal, so guessing from any
/// number of addresses shares one budget; per address the sign-in budget applies. With
/// 10-character codes (31^10 ≈ 8·10^14) 100 guesses per 15 minutes find a code with odds
/// below one in 10^8 per year and code.
pub(crate) const ACCESS_CODE: Limits = Limits {
    principal: 100,
    address: 30,
};

/// The throttling key of a principal, e.g. `user:<id>`, `candidate:<id>`,
/// `portal:<org>:<normalised identifier>`.
pub(crate) fn principal_key(bidx: &BlindIndex, principal: &str) -> Vec<u8> {
    bidx.compute(IndexKind::LoginAccount, &format!("throttle:{principal}"))
}

/// The throttling key of the client's address group, if its address is known.
pub(crate) fn address_key(bidx: &BlindIndex, client: &ClientInfo) -> Option<Vec<u8>> {
    client
        .address_group()
        .map(|group| bidx.compute(IndexKind::Ip, &group))
}

/// A recorded attempt, pending until [`Attempt::settle`].
#[derive(Debug, Clone, Copy)]
#[must_use]
pub(crate) struct Attempt(DbUuid);

impl Attempt {
    /// Settles the attempt: a success no longer counts against either budget; a failure
    /// counts against the principal and the address for the window.
    pub(crate) fn settle(self, conn: &mut DbConnection, succeeded: bool) -> QueryResult<()> {
        diesel::update(login_attempts::table.find(self.0))
            .set((
                login_attempts::succeeded.eq(succeeded),
                login_attempts::settled_at.eq(Some(Timestamp::now())),
            ))
            .execute(conn)
            .map(drop)
    }
}

/// Records an attempt and admits it only while the principal and the address each have at
/// most their limit of failures (this one included); otherwise removes it again and answers
/// 429 with the time until the oldest counted failure leaves the window. Must not run inside
/// a transaction (see the module comment).
pub(crate) fn begin(
    conn: &mut DbConnection,
    principal: &[u8],
    address: Option<&[u8]>,
    limits: Limits,
) -> Result<Attempt, ApiError> {
    let now = Timestamp::now();
    let id = DbUuid::new_v7();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::id.eq(id),
            login_attempts::identifier_bidx.eq(principal.to_vec()),
            login_attempts::ip_bidx.eq(address.map(<[u8]>::to_vec)),
            login_attempts::succeeded.eq(false),
            login_attempts::created_at.eq(now),
            login_attempts::settled_at.eq(None::<Timestamp>),
        ))
        .execute(conn)?;
    let mut locked_since = over_limit(conn, false, principal, limits.principal, now)?;
    if let Some(address) = address
        && locked_since.is_none()
    {
        // Settled failures only: this attempt is not among them, so `limit - 1` of them
        // already leave no room for it.
        locked_since = over_limit(conn, true, address, limits.address - 1, now)?;
    }
    let Some(oldest) = locked_since else {
        return Ok(Attempt(id));
    };
    diesel::delete(login_attempts::table.find(id)).execute(conn)?;
    let retry = (oldest.0 + Duration::seconds(WINDOW_SECS) - now.0)
        .num_seconds()
        .max(1);
    Err(ApiError::RateLimited {
        retry_after_secs: retry as u64,
    })
}

/// The oldest of the `limit + 1` most recent failures of `key` in the window, when there are
/// that many (`None`: within the limit). By principal, recent pending attempts count too; by
/// address, settled failures only (see the module comment).
fn over_limit(
    conn: &mut DbConnection,
    by_address: bool,
    key: &[u8],
    limit: i64,
    now: Timestamp,
) -> QueryResult<Option<Timestamp>> {
    let since = Timestamp::from(now.0 - Duration::seconds(WINDOW_SECS));
    let query = login_attempts::table
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::created_at.gt(since))
        .order(login_attempts::created_at.desc())
        .select(login_attempts::created_at)
        .limit(limit + 1)
        .into_boxed();
    let pending_since = Timestamp::from(now.0 - Duration::seconds(PENDING_SECS));
    let query = if by_address {
        query
            .filter(login_attempts::ip_bidx.eq(key.to_vec()))
            .filter(login_attempts::settled_at.is_not_null())
    } else {
        query
            .filter(login_attempts::identifier_bidx.eq(key.to_vec()))
            .filter(
                login_attempts::settled_at
                    .is_not_null()
                    .or(login_attempts::created_at.gt(pending_since)),
            )
    };
    let failures: Vec<Timestamp> = query.load(conn)?;
    Ok((failures.len() as i64 > limit).then(|| failures.last().copied().unwrap_or(now)))
}
