//! Consent records (privacy statement clauses 7 and 3.2.3): who agreed to which version of a
//! document, or gave or withdrew an optional consent, when and how.
//!
//! Records are only ever added; a person's latest record per purpose (and context) is their
//! current choice. An agreement counts until a newer **major** version of its document is
//! published; then [`required`] lists the document again and the SPA's consent gate asks for
//! it before anything else. A candidate created by an organisation has agreed to nothing, so
//! their first sign-in meets the same gate.

use diesel::prelude::*;
use shared::policies::{
    ConsentMethod, ConsentPurpose, ConsentRecord, ConsentRequired, PolicyAcceptance, PolicyKind,
};

use super::policies::{self, PolicyRow};
use crate::db::DbConnection;
use crate::db::schema::{consents, policy_versions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::http::Fields;

/// Whose consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User { org: DbUuid, id: DbUuid },
    Candidate { org: DbUuid, id: DbUuid },
}

impl Subject {
    /// `user` or `candidate`, as stored (`consents`, `sessions`, `data_exports`, audit targets).
    pub fn kind(self) -> &'static str {
        match self {
            Subject::User { .. } => "user",
            Subject::Candidate { .. } => "candidate",
        }
    }

    /// The user's or candidate's id.
    pub fn id(self) -> DbUuid {
        match self {
            Subject::User { id, .. } | Subject::Candidate { id, .. } => id,
        }
    }

    /// The organisation the person belongs to.
    pub fn org(self) -> DbUuid {
        match self {
            Subject::User { org, .. } | Subject::Candidate { org, .. } => org,
        }
    }

    /// The documents this person agrees to: organisation users both, candidates the privacy
    /// statement (the terms are between the platform and the organisation).
    pub fn documents(self) -> &'static [PolicyKind] {
        match self {
            Subject::User { .. } => &[PolicyKind::Privacy, PolicyKind::Terms],
            Subject::Candidate { .. } => &[PolicyKind::Privacy],
        }
    }
}

/// One record to add.
pub struct NewConsent<'a> {
    pub purpose: ConsentPurpose,
    pub version: Option<DbUuid>,
    pub context: Option<&'a str>,
    pub granted: bool,
    pub method: ConsentMethod,
    pub by_guardian: bool,
}

/// Adds a record (in the caller's transaction).
pub fn record(conn: &mut DbConnection, who: Subject, new: &NewConsent<'_>) -> QueryResult<()> {
    diesel::insert_into(consents::table)
        .values((
            consents::id.eq(DbUuid::new_v7()),
            consents::org_id.eq(who.org()),
            consents::subject_kind.eq(who.kind()),
            consents::subject_id.eq(who.id()),
            consents::purpose.eq(new.purpose.as_str()),
            consents::policy_version_id.eq(new.version),
            consents::context.eq(new.context),
            consents::granted.eq(new.granted),
            consents::method.eq(new.method.as_str()),
            consents::by_guardian.eq(new.by_guardian),
            consents::created_at.eq(Timestamp::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The records of `who` (a query to refine).
macro_rules! of_subject {
    ($who:expr) => {
        consents::table
            .filter(consents::subject_kind.eq($who.kind()))
            .filter(consents::subject_id.eq($who.id()))
            .filter(consents::org_id.eq($who.org()))
    };
}

/// The documents `who` must agree to now, with their current versions.
pub fn required(conn: &mut DbConnection, who: Subject) -> QueryResult<Vec<ConsentRequired>> {
    let mut out = Vec::new();
    for &kind in who.documents() {
        let (Some(current), Some(major)) = (
            policies::current(conn, kind)?,
            policies::latest_major(conn, kind)?,
        ) else {
            continue;
        };
        // The publication time of the newest version this person agreed to.
        let agreed: Option<Timestamp> = of_subject!(who)
            .filter(consents::purpose.eq(kind.as_str()))
            .filter(consents::granted.eq(true))
            .inner_join(policy_versions::table)
            .select(policy_versions::published_at)
            .order(policy_versions::published_at.desc())
            .first(conn)
            .optional()?;
        match agreed {
            Some(at) if at >= major.published_at => {}
            agreed => out.push(ConsentRequired {
                kind,
                version: current.version,
                renewal: agreed.is_some(),
            }),
        }
    }
    Ok(out)
}

/// Checks that `accept` names the current version of each of `kinds` (a stale page must not
/// record agreement to a text the person was not shown) and returns those versions' rows.
pub fn check_acceptance(
    conn: &mut DbConnection,
    accept: Option<&PolicyAcceptance>,
    kinds: &[PolicyKind],
) -> Result<Vec<PolicyRow>, ApiError> {
    let mut fields = Fields::default();
    let mut rows = Vec::new();
    for &kind in kinds {
        let field = format!("accept.{}", kind.as_str());
        let given = accept.and_then(|a| match kind {
            PolicyKind::Privacy => Some(a.privacy.as_str()),
            PolicyKind::Terms => a.terms.as_deref(),
        });
        let current = policies::current(conn, kind)?;
        match (given, current) {
            (None, _) | (Some(""), _) => fields.push(&field, "required"),
            (Some(v), Some(row)) if row.version == v => rows.push(row),
            (Some(_), _) => fields.push(&field, "outdated"),
        }
    }
    fields.finish()?;
    Ok(rows)
}

/// Records agreement to `rows` by `method`.
pub fn record_agreement(
    conn: &mut DbConnection,
    who: Subject,
    rows: &[PolicyRow],
    method: ConsentMethod,
) -> QueryResult<()> {
    for row in rows {
        let purpose = match row.kind() {
            PolicyKind::Privacy => ConsentPurpose::Privacy,
            PolicyKind::Terms => ConsentPurpose::Terms,
        };
        record(
            conn,
            who,
            &NewConsent {
                purpose,
                version: Some(row.id),
                context: None,
                granted: true,
                method,
                by_guardian: false,
            },
        )?;
    }
    Ok(())
}

/// Whether device details of `who`'s sign-ins may be recorded: not after they withdrew the
/// consent on the privacy page (until they give it again). The sign-in form's own choice
/// ("share device details") applies on top.
pub fn device_details_allowed(conn: &mut DbConnection, who: Subject) -> QueryResult<bool> {
    let latest: Option<bool> = of_subject!(who)
        .filter(consents::purpose.eq(ConsentPurpose::DeviceDetails.as_str()))
        .select(consents::granted)
        .order((consents::created_at.desc(), consents::id.desc()))
        .first(conn)
        .optional()?;
    Ok(latest.unwrap_or(true))
}

/// Every record of `who`, newest first.
pub fn history(conn: &mut DbConnection, who: Subject) -> QueryResult<Vec<ConsentRecord>> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        bool,
        String,
        bool,
        Timestamp,
    );
    let rows: Vec<Row> = of_subject!(who)
        .left_join(policy_versions::table)
        .select((
            consents::purpose,
            policy_versions::version.nullable(),
            consents::context,
            consents::granted,
            consents::method,
            consents::by_guardian,
            consents::created_at,
        ))
        .order((consents::created_at.desc(), consents::id.desc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(purpose, version, context, granted, method, by_guardian, at)| {
                Some(ConsentRecord {
                    purpose: ConsentPurpose::parse(&purpose)?,
                    version,
                    context,
                    granted,
                    method: ConsentMethod::parse(&method)?,
                    by_guardian,
                    at: at.to_canonical_string(),
                })
            },
        )
        .collect())
}
