//! Entry modes of an exam, the console's side: the checks of `ExamInput.entry`, the
//! server-generated open-link token and access code (and their rotation), the assigned
//! candidates' invite links, the registrations of people who entered by open link or access
//! code, and removing an assignment (which ends its invite link).
//!
//! Invite tokens are not stored: a token is the exam and candidate ids with a MAC over them
//! (the blind-index key under its own label), so it can be listed again at any time and stops
//! working as soon as the exam closes or the assignment is gone.

use std::collections::HashSet;

use actix_web::{HttpRequest, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use rand::Rng;
use shared::access::{Level, Module};
use shared::exams::{
    EntrySettings, ExamDto, InviteLink, MAX_REGISTRATION_FIELDS, RegistrationDto,
    RegistrationFieldKind,
};

use super::model;
use crate::accounts::{ClientInfo, Fields};
use crate::crypto::{BlindIndex, IndexKind, constant_time_eq};
use crate::db::DbConnection;
use crate::db::schema::{candidates, exam_assignments, exams, orgs};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::scoped;
use crate::state::AppState;
use crate::tenancy::OrgScope;

/// Checks the entry settings (field errors under `entry.…`) and normalises them: trimmed
/// keys and labels.
pub fn check_settings(fields: &mut Fields, entry: &mut EntrySettings) {
    let list = &mut entry.registration_fields;
    if list.len() > MAX_REGISTRATION_FIELDS {
        fields.push("entry.registration_fields", "too_many");
    }
    let mut seen_keys: Vec<String> = Vec::new();
    let mut seen_kinds: Vec<RegistrationFieldKind> = Vec::new();
    for (i, f) in list.iter_mut().enumerate() {
        let at = |name: &str| format!("entry.registration_fields[{i}].{name}");
        f.key = f.key.trim().to_owned();
        f.label = f.label.trim().to_owned();
        if !valid_key(&f.key) {
            fields.push(&at("key"), "invalid_format");
        } else if seen_keys.contains(&f.key) {
            fields.push(&at("key"), "duplicate");
        }
        seen_keys.push(f.key.clone());
        match f.label.chars().count() {
            0 => fields.push(&at("label"), "required"),
            61.. => fields.push(&at("label"), "too_long"),
            _ if f.label.chars().any(char::is_control) => {
                fields.push(&at("label"), "invalid_format");
            }
            _ => {}
        }
        // The identifying kinds fill the candidate's own columns: one of each at most.
        if f.kind != RegistrationFieldKind::Text {
            if seen_kinds.contains(&f.kind) {
                fields.push(&at("kind"), "duplicate");
            }
            seen_kinds.push(f.kind);
        }
        if f.kind == RegistrationFieldKind::Name {
            // Nobody enters without a name.
            f.required = true;
        }
    }
    if (entry.open_link || entry.access_code) && !seen_kinds.contains(&RegistrationFieldKind::Name)
    {
        fields.push("entry.registration_fields", "name_required");
    }
}

/// A registration field key: 1–40 of `a-z`, `0-9`, `_`, starting with a letter.
fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A new open-link token: 128 random bits, URL-safe.
pub fn new_open_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new access code (10 characters of [`shared::exams::ACCESS_CODE_ALPHABET`], drawn from
/// the thread's CSPRNG) not used by another of the organisation's exams that are not closed.
pub fn new_access_code(
    conn: &mut DbConnection,
    org: DbUuid,
    now: Timestamp,
) -> Result<String, ApiError> {
    let alphabet = shared::exams::ACCESS_CODE_ALPHABET.as_bytes();
    for _ in 0..50 {
        let mut rng = rand::rng();
        let code: String = (0..shared::exams::ACCESS_CODE_LEN)
            .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
            .collect();
        let taken: i64 = exams::table
            .filter(exams::org_id.eq(org))
            .filter(exams::status.eq("active"))
            .filter(exams::closes_at.gt(now))
            .filter(exams::access_code.eq(&code))
            .count()
            .get_result(conn)?;
        if taken == 0 {
            return Ok(code);
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "no free access code after 50 draws"
    )))
}

fn invite_mac(bidx: &BlindIndex, exam: DbUuid, candidate: DbUuid) -> Vec<u8> {
    let mut mac = bidx.compute(IndexKind::InviteLink, &format!("{exam}:{candidate}"));
    mac.truncate(16);
    mac
}

/// The invite token of an assigned candidate: exam id, candidate id, 128-bit MAC.
pub fn invite_token(bidx: &BlindIndex, exam: DbUuid, candidate: DbUuid) -> String {
    let mut bytes = Vec::with_capacity(48);
    bytes.extend_from_slice(exam.0.as_bytes());
    bytes.extend_from_slice(candidate.0.as_bytes());
    bytes.extend(invite_mac(bidx, exam, candidate));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The (exam, candidate) of a genuine invite token.
pub fn parse_invite(bidx: &BlindIndex, token: &str) -> Option<(DbUuid, DbUuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.len() != 48 {
        return None;
    }
    let exam = DbUuid(uuid::Uuid::from_slice(&bytes[..16]).ok()?);
    let candidate = DbUuid(uuid::Uuid::from_slice(&bytes[16..32]).ok()?);
    constant_time_eq(&bytes[32..], &invite_mac(bidx, exam, candidate)).then_some((exam, candidate))
}

/// Those of `ids` that are candidates the scope may see (an admin's data scope).
pub(crate) fn visible_ids(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> Result<HashSet<DbUuid>, ApiError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let found: Vec<DbUuid> = crate::candidates::model::visible(scope)
            .filter(candidates::id.eq_any(chunk.to_vec()))
            .select(candidates::id)
            .load(conn)?;
        out.extend(found);
    }
    Ok(out)
}

fn entry_disabled(mode: &str) -> ApiError {
    ApiError::Conflict {
        detail: format!("{mode}_disabled"),
    }
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/access-code",
    operation_id = "rotate_access_code",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "A new access code (10 characters) replaces the old one, which stops working at once.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`access_code_disabled`: the exam has no access-code entry.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn rotate_access_code(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<ExamDto>, ApiError> {
    rotate(req, scope, state, path, Rotated::AccessCode).await
}

#[utoipa::path(
    post,
    path = "/api/exams/{id}/open-link",
    operation_id = "rotate_open_link",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "A new open-link token replaces the old one, which stops working at once.", body = ExamDto),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`open_link_disabled`: the exam has no open-link entry.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn rotate_open_link(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<ExamDto>, ApiError> {
    rotate(req, scope, state, path, Rotated::OpenLink).await
}

#[derive(Clone, Copy)]
enum Rotated {
    AccessCode,
    OpenLink,
}

/// The shared body of the two rotations.
async fn rotate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    what: Rotated,
) -> Result<web::Json<ExamDto>, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let dto = state
        .transaction(move |conn, st| {
            let exam = model::find(conn, &scope, id)?;
            let now = Timestamp::now();
            let target = scoped!(exams, scope).filter(exams::id.eq(id));
            let action = match what {
                Rotated::AccessCode => {
                    if !exam.settings.entry.access_code {
                        return Err(entry_disabled("access_code"));
                    }
                    let code = new_access_code(conn, scope.org_id(), now)?;
                    diesel::update(target)
                        .set((exams::access_code.eq(Some(code)), exams::updated_at.eq(now)))
                        .execute(conn)?;
                    "exam.access_code_rotate"
                }
                Rotated::OpenLink => {
                    if !exam.settings.entry.open_link {
                        return Err(entry_disabled("open_link"));
                    }
                    diesel::update(target)
                        .set((
                            exams::open_token.eq(Some(new_open_token())),
                            exams::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    "exam.open_link_rotate"
                }
            };
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                action,
                Some(("exam", id.to_string())),
                serde_json::json!({}),
            )?;
            let row = model::find(conn, &scope, id)?;
            model::dto(conn, &scope, &row)
        })
        .await?;
    Ok(web::Json(dto))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/invites",
    operation_id = "list_invites",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "Every assigned candidate's personal invite link (the same each time; it stops working when the exam closes or the assignment is removed).", body = Vec<InviteLink>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
        (status = 409, description = "`invite_links_disabled`: the exam has no invite links.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_invites(
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<InviteLink>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let bidx = state.bidx.clone();
    let list = state
        .db
        .run(move |conn| {
            let exam = model::find(conn, &scope, id)?;
            if !exam.settings.entry.invite_links {
                return Err(entry_disabled("invite_links"));
            }
            let slug: String = orgs::table
                .filter(orgs::id.eq(scope.org_id()))
                .select(orgs::slug)
                .first(conn)?;
            let assigned: Vec<DbUuid> = scoped!(exam_assignments, scope)
                .filter(exam_assignments::exam_id.eq(id))
                .order(exam_assignments::created_at)
                .select(exam_assignments::candidate_id)
                .load(conn)?;
            let visible = visible_ids(conn, &scope, &assigned)?;
            Ok::<_, ApiError>(
                assigned
                    .into_iter()
                    .filter(|c| visible.contains(c))
                    .map(|c| {
                        let token = invite_token(&bidx, id, c);
                        InviteLink {
                            candidate_id: c.to_string(),
                            url: format!("/o/{slug}/invite#{token}"),
                            token,
                        }
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    get,
    path = "/api/exams/{id}/registrations",
    operation_id = "list_registrations",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:read"])),
    params(("id" = String, Path, description = "The exam id.")),
    responses(
        (status = 200, description = "What the people who entered by open link or access code registered with, decrypted, oldest first. The read of personal data is audit-logged.", body = Vec<RegistrationDto>),
        (status = 403, description = "Needs `exams:read`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam in this organisation.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list_registrations(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<web::Json<Vec<RegistrationDto>>, ApiError> {
    scope.require(Module::Exams, Level::Read)?;
    let id = DbUuid(path.into_inner());
    let client = ClientInfo::of(&req);
    let list = state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            let list = super::registrations::list(conn, &st.cipher, &scope, id)?;
            // The read of personal data is logged before the data leaves.
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.registrations_read",
                Some(("exam", id.to_string())),
                serde_json::json!({ "count": list.len() }),
            )?;
            Ok(list)
        })
        .await?;
    Ok(web::Json(list))
}

#[utoipa::path(
    delete,
    path = "/api/exams/{id}/assignments/{candidate_id}",
    operation_id = "unassign_candidate",
    tag = "exams",
    security(("session_cookie" = []), ("api_key" = ["exams:write"])),
    params(
        ("id" = String, Path, description = "The exam id."),
        ("candidate_id" = String, Path, description = "An assigned candidate's id."),
    ),
    responses(
        (status = 204, description = "The candidate is no longer assigned (their invite link stops working; attempts already made stay)."),
        (status = 403, description = "Needs `exams:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such exam, or the candidate is not assigned to it.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn unassign_candidate(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> Result<actix_web::HttpResponse, ApiError> {
    scope.require(Module::Exams, Level::Write)?;
    let (id, candidate) = path.into_inner();
    let (id, candidate) = (DbUuid(id), DbUuid(candidate));
    let client = ClientInfo::of(&req);
    state
        .transaction(move |conn, st| {
            model::find(conn, &scope, id)?;
            crate::candidates::model::find(conn, &scope, candidate)?;
            let removed = diesel::delete(
                scoped!(exam_assignments, scope)
                    .filter(exam_assignments::exam_id.eq(id))
                    .filter(exam_assignments::candidate_id.eq(candidate)),
            )
            .execute(conn)?;
            if removed == 0 {
                return Err(ApiError::NotFound);
            }
            client.log_change(
                conn,
                &st.cipher,
                &scope,
                "exam.unassign",
                Some(("exam", id.to_string())),
                serde_json::json!({ "candidate_id": candidate.to_string() }),
            )?;
            Ok(())
        })
        .await?;
    Ok(actix_web::HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyRing, generate_key_file};
    use shared::exams::RegistrationField;

    fn field(key: &str, kind: RegistrationFieldKind) -> RegistrationField {
        RegistrationField {
            key: key.to_owned(),
            label: "标签".to_owned(),
            kind,
            required: false,
        }
    }

    fn reasons(entry: &mut EntrySettings) -> Vec<(String, String)> {
        let mut fields = Fields::default();
        check_settings(&mut fields, entry);
        match fields.finish() {
            Ok(()) => Vec::new(),
            Err(ApiError::Validation { fields }) => {
                fields.into_iter().map(|f| (f.field, f.reason)).collect()
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn entry_settings_need_a_name_unique_keys_and_short_labels() {
        let mut entry = EntrySettings {
            access_code: true,
            ..EntrySettings::default()
        };
        assert_eq!(
            reasons(&mut entry),
            vec![(
                "entry.registration_fields".to_owned(),
                "name_required".to_owned()
            )]
        );
        let mut long = field("b", RegistrationFieldKind::Text);
        long.label = "长".repeat(61);
        entry.registration_fields = vec![
            field("name", RegistrationFieldKind::Name),
            field("name", RegistrationFieldKind::Text),
            field("Bad Key", RegistrationFieldKind::Text),
            long,
        ];
        let got = reasons(&mut entry);
        assert!(got.contains(&(
            "entry.registration_fields[1].key".to_owned(),
            "duplicate".to_owned()
        )));
        assert!(got.contains(&(
            "entry.registration_fields[2].key".to_owned(),
            "invalid_format".to_owned()
        )));
        assert!(got.contains(&(
            "entry.registration_fields[3].label".to_owned(),
            "too_long".to_owned()
        )));
        assert!(entry.registration_fields[0].required);
        entry.registration_fields = (0..21)
            .map(|i| field(&format!("f{i}"), RegistrationFieldKind::Text))
            .collect();
        entry.access_code = false;
        assert_eq!(
            reasons(&mut entry),
            vec![(
                "entry.registration_fields".to_owned(),
                "too_many".to_owned()
            )]
        );
    }

    #[test]
    fn invite_tokens_round_trip_and_resist_tampering() {
        let ring = KeyRing::from_json(&generate_key_file().unwrap()).unwrap();
        let bidx = BlindIndex::new(&ring);
        let (exam, cand) = (DbUuid::new_v7(), DbUuid::new_v7());
        let token = invite_token(&bidx, exam, cand);
        assert_eq!(parse_invite(&bidx, &token), Some((exam, cand)));
        // Another candidate's ids with this MAC do not pass.
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[16..32].copy_from_slice(DbUuid::new_v7().0.as_bytes());
        let forged = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(parse_invite(&bidx, &forged), None);
        assert_eq!(parse_invite(&bidx, "garbage"), None);
        let other_keys =
            BlindIndex::new(&KeyRing::from_json(&generate_key_file().unwrap()).unwrap());
        assert_eq!(parse_invite(&other_keys, &token), None);
    }
}
