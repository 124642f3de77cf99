//! Changing a candidate (`PATCH /api/candidates/{id}`): the fields given are parsed at once
//! ([`Changes::parse`], 422 naming each bad one), then written in the caller's transaction
//! ([`Changes::apply`]): personal data encrypted with its blind index, a new password or
//! disabling ending the candidate's sessions, the groups replaced.

use diesel::prelude::*;
use shared::candidates::UpdateCandidateRequest;

use super::model::{self, Row};
use crate::accounts::model::contact_index;
use crate::auth::sessions::{self, PrincipalKind};
use crate::crypto::Aad;
use crate::db::DbConnection;
use crate::db::schema::candidates;
use crate::db::types::{DbUuid, Timestamp};
use crate::domain::{CandidateAccount, CnMobile, Contact, Email, IdNumber, Password, PersonName};
use crate::errors::{FieldErrors, ModelError};
use crate::http::Fields;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// The changes of a `PATCH`, parsed: `None` leaves a field as it is; for the optional contact
/// fields `Some(None)` clears it.
pub struct Changes {
    account: Option<CandidateAccount>,
    name: Option<PersonName>,
    email: Option<Option<Email>>,
    phone: Option<Option<CnMobile>>,
    id_number: Option<Option<IdNumber>>,
    /// Hashed by the caller (off the transaction) before [`Changes::apply`].
    pub password: Option<Password>,
    status: Option<String>,
    group_ids: Option<Vec<String>>,
}

/// What [`Changes::apply`] did.
pub struct Updated {
    /// The names of the fields changed, for the audit log.
    pub changed: Vec<&'static str>,
    /// The candidate as it is now.
    pub row: Row,
}

impl Changes {
    pub fn parse(body: UpdateCandidateRequest) -> Result<Changes, FieldErrors> {
        let mut fields = Fields::default();
        let account = body
            .account
            .as_deref()
            .and_then(|a| fields.check("account", CandidateAccount::parse(a)));
        let name = body
            .name
            .as_deref()
            .and_then(|n| fields.check("name", PersonName::parse(n)));
        let email = optional(&mut fields, "email", body.email.as_deref(), Email::parse);
        let phone = optional(&mut fields, "phone", body.phone.as_deref(), CnMobile::parse);
        let id_number = optional(
            &mut fields,
            "id_number",
            body.id_number.as_deref(),
            IdNumber::parse,
        );
        let password = body
            .password
            .as_deref()
            .and_then(|p| fields.check("password", Password::parse(p)));
        if body
            .status
            .as_deref()
            .is_some_and(|s| s != "active" && s != "disabled")
        {
            fields.push("status", "invalid_format");
        }
        fields.finish()?;
        Ok(Changes {
            account,
            name,
            email,
            phone,
            id_number,
            password,
            status: body.status,
            group_ids: body.group_ids,
        })
    }

    /// Writes the changes to candidate `id` (with the new password's hash, if any). Clearing
    /// the candidate's last way to sign in is refused (`password`: `required`).
    pub fn apply(
        &self,
        conn: &mut DbConnection,
        st: &AppState,
        scope: &OrgScope,
        id: DbUuid,
        password_hash: Option<&str>,
    ) -> Result<Updated, ModelError> {
        let before = model::find(conn, scope, id)?;
        let now = Timestamp::now();
        let row = id.to_string();
        let aad = |column| Aad {
            table: "candidates",
            column,
            row_id: &row,
        };
        let target = || crate::scoped!(candidates, scope).filter(candidates::id.eq(id));
        let mut changed: Vec<&'static str> = Vec::new();
        if let Some(account) = &self.account {
            diesel::update(target())
                .set((
                    candidates::account_enc
                        .eq(st.cipher.encrypt(account.as_str(), aad("account_enc"))?),
                    candidates::account_bidx.eq(model::account_index(&st.bidx, account)),
                ))
                .execute(conn)?;
            changed.push("account");
        }
        if let Some(name) = &self.name {
            diesel::update(target())
                .set(candidates::name_enc.eq(st.cipher.encrypt(name.as_str(), aad("name_enc"))?))
                .execute(conn)?;
            changed.push("name");
        }
        // A contact: its ciphertext and blind index, both cleared together.
        let sealed = |contact: Option<Contact>, column| -> Result<_, ModelError> {
            Ok(match contact {
                Some(c) => (
                    Some(st.cipher.encrypt(c.as_str(), aad(column))?),
                    Some(contact_index(&st.bidx, &c)),
                ),
                None => (None, None),
            })
        };
        if let Some(email) = &self.email {
            let (enc, idx) = sealed(email.clone().map(Contact::Email), "email_enc")?;
            diesel::update(target())
                .set((
                    candidates::email_enc.eq(enc),
                    candidates::email_bidx.eq(idx),
                ))
                .execute(conn)?;
            changed.push("email");
        }
        if let Some(phone) = &self.phone {
            let (enc, idx) = sealed(phone.clone().map(Contact::Mobile), "phone_enc")?;
            diesel::update(target())
                .set((
                    candidates::phone_enc.eq(enc),
                    candidates::phone_bidx.eq(idx),
                ))
                .execute(conn)?;
            changed.push("phone");
        }
        if let Some(id_number) = &self.id_number {
            let enc = id_number
                .as_ref()
                .map(|n| st.cipher.encrypt(n.as_str(), aad("id_number_enc")))
                .transpose()?;
            diesel::update(target())
                .set(candidates::id_number_enc.eq(enc))
                .execute(conn)?;
            changed.push("id_number");
        }
        let mut end_sessions = None;
        if let Some(hash) = password_hash {
            diesel::update(target())
                .set(candidates::password_hash.eq(Some(hash)))
                .execute(conn)?;
            changed.push("password");
            end_sessions = Some("password_reset_by_admin");
        }
        if let Some(status) = &self.status
            && *status != before.status
        {
            diesel::update(target())
                .set(candidates::status.eq(status))
                .execute(conn)?;
            changed.push("status");
            if status == "disabled" {
                end_sessions = Some("account_disabled");
            }
        }
        if let Some(groups) = &self.group_ids {
            let groups = model::check_groups(conn, scope, groups, "group_ids")?;
            model::set_groups(conn, scope, id, &groups)?;
            changed.push("groups");
        }
        // Clearing the last way to sign in is refused.
        let after = model::find(conn, scope, id)?;
        if after.password_hash.is_none() && after.email_enc.is_none() && after.phone_enc.is_none() {
            return Err(ModelError::field("password", "required"));
        }
        diesel::update(target())
            .set(candidates::updated_at.eq(now))
            .execute(conn)?;
        if let Some(reason) = end_sessions {
            sessions::revoke_all(conn, PrincipalKind::Candidate, id, reason)?;
        }
        Ok(Updated {
            changed,
            row: after,
        })
    }
}

/// Validated optional contact fields: `None` absent, `Some(None)` cleared.
pub(super) fn optional<T>(
    fields: &mut Fields,
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, crate::domain::Invalid>,
) -> Option<Option<T>> {
    match value.map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(v) => fields.check(name, parse(v)).map(Some),
    }
}
