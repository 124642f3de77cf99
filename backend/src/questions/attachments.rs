//! Attachments: the images, audio and video that question text shows, stored through
//! [`crate::storage::Storage`] and served at `/api/attachments/<id>`. The type is decided by
//! the bytes (magic numbers), never by the declared `Content-Type` alone; SVG is refused (it
//! can carry scripts).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use shared::access::{Level, Module};
use shared::questions::AttachmentDto;

use super::model;
use super::rich_text::URL_PREFIX;
use crate::db::DbConnection;
use crate::db::schema::attachments;
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ApiError;
use crate::state::AppState;
use crate::storage::Storage;
use crate::tenancy::OrgScope;

/// Largest upload body (the video limit).
pub const MAX_ATTACHMENT_BYTES: usize = 100 * 1024 * 1024;
const MIB: usize = 1024 * 1024;

/// A type the server accepts: its MIME type, file extension and size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub mime: &'static str,
    pub ext: &'static str,
    pub limit: usize,
}

const fn kind(mime: &'static str, ext: &'static str, limit: usize) -> Kind {
    Kind { mime, ext, limit }
}

/// The accepted type of these bytes, by their magic numbers.
pub fn sniff(b: &[u8]) -> Option<Kind> {
    let at = |i: usize, m: &[u8]| b.get(i..i + m.len()) == Some(m);
    Some(if at(0, b"\x89PNG\r\n\x1a\n") {
        kind("image/png", "png", 5 * MIB)
    } else if at(0, &[0xFF, 0xD8, 0xFF]) {
        kind("image/jpeg", "jpg", 5 * MIB)
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        kind("image/gif", "gif", 5 * MIB)
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        kind("image/webp", "webp", 5 * MIB)
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        kind("audio/wav", "wav", 20 * MIB)
    } else if at(0, b"ID3") || (b.len() > 1 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0) {
        kind("audio/mpeg", "mp3", 20 * MIB)
    } else if at(0, b"OggS") {
        kind("audio/ogg", "ogg", 20 * MIB)
    } else if at(4, b"ftyp") {
        kind("video/mp4", "mp4", 100 * MIB)
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        kind("video/webm", "webm", 100 * MIB)
    } else {
        return None;
    })
}

/// A declared `Content-Type` in its canonical form (common aliases folded).
fn canonical_mime(declared: &str) -> String {
    let m = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match m.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg".to_owned(),
        "audio/mp3" => "audio/mpeg".to_owned(),
        "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "audio/wav".to_owned(),
        _ => m,
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnsupportedType,
    TooLarge { limit: usize },
}

/// Checks a file: an accepted type by content (and the declared type, when there is one, must
/// be the same) within its size limit.
pub fn check(bytes: &[u8], declared: Option<&str>) -> Result<Kind, Refusal> {
    let kind = sniff(bytes).ok_or(Refusal::UnsupportedType)?;
    if declared.is_some_and(|d| canonical_mime(d) != kind.mime) {
        return Err(Refusal::UnsupportedType);
    }
    if bytes.len() > kind.limit {
        return Err(Refusal::TooLarge { limit: kind.limit });
    }
    Ok(kind)
}

/// A checked file about to become an attachment of a bank.
pub struct Pending {
    pub id: DbUuid,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

impl Pending {
    pub fn new(kind: Kind, bytes: Vec<u8>) -> Pending {
        Pending {
            // Random (version 4), not time-ordered: the id is the only key to a public URL.
            id: DbUuid(uuid::Builder::from_random_bytes(rand::random()).into_uuid()),
            kind,
            bytes,
        }
    }

    pub fn url(&self) -> String {
        format!("{URL_PREFIX}{}", self.id)
    }

    fn key(&self, scope: &OrgScope) -> String {
        format!(
            "orgs/{}/attachments/{}.{}",
            scope.org_id(),
            self.id.0.simple(),
            self.kind.ext
        )
    }
}

/// Writes the files to storage (before the database transaction); on failure removes the ones
/// written. Returns the storage keys, in order.
pub fn store_files(
    storage: &dyn Storage,
    scope: &OrgScope,
    files: &[Pending],
) -> Result<Vec<String>, ApiError> {
    let mut keys = Vec::with_capacity(files.len());
    for f in files {
        let key = f.key(scope);
        if let Err(e) = storage.put(&key, &f.bytes) {
            remove_files(storage, &keys);
            return Err(ApiError::Internal(e.context("storing an attachment")));
        }
        keys.push(key);
    }
    Ok(keys)
}

/// Removes stored files after a failed transaction; a failure only leaves orphan files.
pub fn remove_files(storage: &dyn Storage, keys: &[String]) {
    // Best effort: a file left behind is unreachable (its row is gone), never served.
    for key in keys {
        if storage.delete(key).is_err() {
            tracing::warn!("could not delete an attachment file");
        }
    }
}

/// Inserts the rows of stored files (inside the caller's transaction).
pub fn insert_rows(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    files: &[Pending],
    keys: &[String],
) -> Result<(), ApiError> {
    let now = Timestamp::now();
    for (f, key) in files.iter().zip(keys) {
        diesel::insert_into(attachments::table)
            .values((
                attachments::id.eq(f.id),
                attachments::org_id.eq(scope.org_id()),
                attachments::bank_id.eq(bank),
                attachments::mime.eq(f.kind.mime),
                attachments::size_bytes.eq(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX)),
                attachments::storage_key.eq(key),
                attachments::created_by.eq(scope.user_id()),
                attachments::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored attachment of the scope's organisation: its MIME type and bytes, if any.
pub fn load(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<Option<(String, Vec<u8>)>, ApiError> {
    let row: Option<(String, String)> = crate::scoped!(attachments, scope)
        .filter(attachments::id.eq(id))
        .select((attachments::mime, attachments::storage_key))
        .first(conn)
        .optional()?;
    let Some((mime, key)) = row else {
        return Ok(None);
    };
    Ok(storage.get(&key)?.map(|bytes| (mime, bytes)))
}

/// The extension of an accepted MIME type.
pub fn ext_of(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/wav" => "wav",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        _ => "bin",
    }
}

#[utoipa::path(
    post,
    path = "/api/question-banks/{id}/attachments",
    operation_id = "upload_attachment",
    tag = "questions",
    security(("session_cookie" = []), ("api_key" = ["questions:write"])),
    params(("id" = String, Path, description = "The bank id.")),
    request_body(content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"), ("audio/mpeg"), ("audio/ogg"), ("audio/wav"), ("video/mp4"), ("video/webm")), description = "The file as the raw body; `Content-Type` names its type (`image/jpg`, `audio/mp3` and `audio/x-wav` are read as their standard names), and the bytes must be that type. Images (image/png, image/jpeg, image/gif, image/webp) up to 5 MiB, audio (audio/mpeg, audio/ogg, audio/wav) up to 20 MiB, video (video/mp4, video/webm) up to 100 MiB. SVG is not accepted (it can carry scripts)."),
    responses(
        (status = 201, description = "Stored; use `url` as the `src` of `<img>`, `<audio>` or `<video>` in question text.", body = AttachmentDto),
        (status = 403, description = "Needs `questions:write`.", body = shared::ErrorBody),
        (status = 404, description = "No such bank in this organisation.", body = shared::ErrorBody),
        (status = 413, description = "Larger than the limit of its type.", body = shared::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not an accepted type, or the bytes are not of the declared type (checked by their magic numbers).", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn upload_attachment(
    req: HttpRequest,
    scope: OrgScope,
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    scope.require(Module::Questions, Level::Write)?;
    let bank = DbUuid(path.into_inner());
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let st = state.clone();
    let dto = state
        .db
        .run(move |conn| {
            model::find_bank(conn, &scope, bank)?;
            let kind = check(&body, Some(&declared)).map_err(|r| match r {
                Refusal::UnsupportedType => ApiError::UnsupportedMediaType,
                Refusal::TooLarge { limit } => ApiError::PayloadTooLarge { limit },
            })?;
            let file = Pending::new(kind, body.to_vec());
            let files = [file];
            let keys = store_files(st.storage.as_ref(), &scope, &files)?;
            let written =
                crate::db::transaction(conn, |conn| insert_rows(conn, &scope, bank, &files, &keys));
            if let Err(e) = written {
                remove_files(st.storage.as_ref(), &keys);
                return Err(e);
            }
            let [file] = files;
            Ok::<_, ApiError>(AttachmentDto {
                id: file.id.to_string(),
                url: file.url(),
                mime: kind.mime.to_owned(),
                size: file.bytes.len() as u64,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(
    get,
    path = "/api/attachments/{id}",
    operation_id = "get_attachment",
    tag = "questions",
    params(("id" = String, Path, description = "The attachment id.")),
    responses(
        (status = 200, description = "The file with its stored type. Public by design: the id is a random UUIDv4 (unguessable), and `<img>`/`<audio>`/`<video>` in question text (console and candidate portal, which use different sessions) must load it without credentials. Sent with `X-Content-Type-Options: nosniff` and `Cache-Control: private, max-age=31536000, immutable` (an attachment never changes).", content(("image/png"), ("image/jpeg"), ("image/gif"), ("image/webp"), ("audio/mpeg"), ("audio/ogg"), ("audio/wav"), ("video/mp4"), ("video/webm"))),
        (status = 404, description = "No such attachment.", body = shared::ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn get_attachment(
    state: web::Data<AppState>,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = DbUuid(path.into_inner());
    let st = state.clone();
    let (mime, bytes) = state
        .db
        .run(move |conn| {
            let (mime, key): (String, String) = attachments::table
                .filter(attachments::id.eq(id))
                .select((attachments::mime, attachments::storage_key))
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound)?;
            let bytes = st.storage.get(&key)?.ok_or(ApiError::NotFound)?;
            Ok::<_, ApiError>((mime, bytes))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_decided_by_the_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            check(png, Some("image/png")).map(|k| k.mime),
            Ok("image/png")
        );
        assert_eq!(check(png, None).map(|k| k.ext), Ok("png"));
        assert_eq!(
            check(b"<html><script>alert(1)</script>", Some("image/png")),
            Err(Refusal::UnsupportedType)
        );
        assert_eq!(
            check(
                b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                Some("image/svg+xml")
            ),
            Err(Refusal::UnsupportedType)
        );
        assert_eq!(check(png, Some("image/gif")), Err(Refusal::UnsupportedType));
        assert_eq!(
            check(b"GIF89a\x01\0\x01\0", Some("image/gif; charset=x")).map(|k| k.mime),
            Ok("image/gif")
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|k| k.mime),
            Some("image/webp")
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42").map(|k| k.mime),
            Some("video/mp4")
        );
        let mut big = png.to_vec();
        big.resize(5 * MIB + 1, 0);
        assert_eq!(
            check(&big, Some("image/png")),
            Err(Refusal::TooLarge { limit: 5 * MIB })
        );
    }
}
