//! Exports of a person's own data: requested by the person (`request`), built by the
//! `data_export` job into a ZIP of JSON files (and CSV where tabular) in a temporary file,
//! stored under `orgs/<org>/exports/<id>.zip`, downloaded once (`take`) until it expires; the
//! `data_export_expire` job deletes a file nobody downloaded. Handlers must stay idempotent:
//! a job whose export is no longer pending does nothing.

use std::io::{Seek, Write};

use anyhow::Context;
use diesel::prelude::*;
use shared::my_data::{DataExport, ExportStatus};

use super::collect;
use crate::crypto::FieldCipher;
use crate::db::DbConnection;
use crate::db::schema::data_exports;
use crate::db::types::{DbUuid, Timestamp};
use crate::privacy::consent::{self, Subject};
use crate::storage::Storage;

/// The job that builds an export.
pub const JOB: &str = "data_export";
/// The job that deletes an export nobody downloaded.
pub const EXPIRE_JOB: &str = "data_export_expire";
/// How long a ready export can be downloaded.
pub const DOWNLOADABLE_HOURS: i64 = 72;
/// Exports a person may request in 24 hours.
pub const PER_DAY: i64 = 5;
/// A pending export older than this failed (its job gave up); another may be requested.
const STALE_MINUTES: i64 = 60;
/// A build failing this long after its request is given up as `failed` rather than retried.
const GIVE_UP_MINUTES: i64 = 4;
/// Audit entries read per query while writing them.
const AUDIT_BATCH: i64 = 1_000;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = data_exports)]
pub struct ExportRow {
    pub id: DbUuid,
    pub org_id: DbUuid,
    pub subject_kind: String,
    pub subject_id: DbUuid,
    pub status: String,
    pub storage_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub requested_at: Timestamp,
    pub ready_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub downloaded_at: Option<Timestamp>,
}

impl ExportRow {
    fn subject(&self) -> Option<Subject> {
        let (org, id) = (self.org_id, self.subject_id);
        match self.subject_kind.as_str() {
            "user" => Some(Subject::User { org, id }),
            "candidate" => Some(Subject::Candidate { org, id }),
            _ => None,
        }
    }

    /// The status as the person sees it now: a ready export past its expiry is expired even
    /// before its job ran, a pending one past [`STALE_MINUTES`] failed.
    pub fn status(&self, now: Timestamp) -> ExportStatus {
        match ExportStatus::parse(&self.status).unwrap_or(ExportStatus::Failed) {
            ExportStatus::Ready if self.expires_at.is_none_or(|t| t <= now) => {
                ExportStatus::Expired
            }
            ExportStatus::Pending if self.requested_at.0 < minutes_before(now, STALE_MINUTES) => {
                ExportStatus::Failed
            }
            status => status,
        }
    }

    /// The DTO; `download_base` is `/api/me/data/exports` or `/api/candidate/me/data/exports`.
    pub fn dto(&self, now: Timestamp, download_base: &str) -> DataExport {
        let status = self.status(now);
        DataExport {
            id: self.id.to_string(),
            status,
            requested_at: self.requested_at.to_canonical_string(),
            ready_at: self.ready_at.map(Timestamp::to_canonical_string),
            expires_at: self.expires_at.map(Timestamp::to_canonical_string),
            downloaded_at: self.downloaded_at.map(Timestamp::to_canonical_string),
            size: self.size_bytes,
            download_url: (status == ExportStatus::Ready)
                .then(|| format!("{download_base}/{}/download", self.id)),
        }
    }
}

fn minutes_before(now: Timestamp, minutes: i64) -> chrono::DateTime<chrono::Utc> {
    now.0 - chrono::Duration::minutes(minutes)
}

fn of_subject(who: Subject) -> data_exports::BoxedQuery<'static, crate::db::MultiBackend> {
    data_exports::table
        .filter(data_exports::org_id.eq(who.org()))
        .filter(data_exports::subject_kind.eq(who.kind()))
        .filter(data_exports::subject_id.eq(who.id()))
        .into_boxed()
}

/// The person's exports, newest first.
pub fn list(conn: &mut DbConnection, who: Subject) -> QueryResult<Vec<ExportRow>> {
    of_subject(who)
        .order(data_exports::requested_at.desc())
        .select(ExportRow::as_select())
        .load(conn)
}

/// One of the person's exports.
pub fn find(conn: &mut DbConnection, who: Subject, id: DbUuid) -> QueryResult<Option<ExportRow>> {
    of_subject(who)
        .filter(data_exports::id.eq(id))
        .select(ExportRow::as_select())
        .first(conn)
        .optional()
}

/// Why a request is refused.
#[derive(Debug)]
pub enum Refused {
    /// An export is being built.
    Pending,
    /// [`PER_DAY`] exports in the last 24 hours; the next is possible after this many seconds.
    TooMany(u64),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for Refused {
    fn from(e: diesel::result::Error) -> Refused {
        Refused::Database(e)
    }
}

/// Records a new export and queues its job, in the caller's transaction.
pub fn request(
    conn: &mut DbConnection,
    who: Subject,
    now: Timestamp,
) -> Result<ExportRow, Refused> {
    let day_ago = Timestamp::from(now.0 - chrono::Duration::hours(24));
    let recent: Vec<ExportRow> = of_subject(who)
        .filter(data_exports::requested_at.gt(day_ago))
        .order(data_exports::requested_at.asc())
        .select(ExportRow::as_select())
        .load(conn)?;
    if recent
        .iter()
        .any(|e| e.status(now) == ExportStatus::Pending)
    {
        return Err(Refused::Pending);
    }
    if recent.len() as i64 >= PER_DAY {
        let oldest = recent[0].requested_at.0 + chrono::Duration::hours(24);
        let wait = (oldest - now.0).num_seconds().max(1);
        return Err(Refused::TooMany(u64::try_from(wait).unwrap_or(1)));
    }
    let id = DbUuid::new_v7();
    diesel::insert_into(data_exports::table)
        .values((
            data_exports::id.eq(id),
            data_exports::org_id.eq(who.org()),
            data_exports::subject_kind.eq(who.kind()),
            data_exports::subject_id.eq(who.id()),
            data_exports::status.eq(ExportStatus::Pending.as_str()),
            data_exports::requested_at.eq(now),
        ))
        .execute(conn)?;
    crate::jobs::enqueue(
        conn,
        JOB,
        now,
        &serde_json::json!({ "export": id.to_string() }),
    )?;
    Ok(of_subject(who)
        .filter(data_exports::id.eq(id))
        .select(ExportRow::as_select())
        .first(conn)?)
}

fn export_id(payload: &serde_json::Value) -> anyhow::Result<DbUuid> {
    payload
        .get("export")
        .and_then(|v| v.as_str())
        .and_then(|s| uuid::Uuid::parse_str(s).ok())
        .map(DbUuid)
        .context("job payload without an export id")
}

/// The export a job's payload names, if it is (still) in `status`: a job run again after its
/// work was done finds nothing to do.
fn named_by(
    conn: &mut DbConnection,
    payload: &serde_json::Value,
    status: ExportStatus,
) -> anyhow::Result<Option<ExportRow>> {
    Ok(data_exports::table
        .find(export_id(payload)?)
        .filter(data_exports::status.eq(status.as_str()))
        .select(ExportRow::as_select())
        .first(conn)
        .optional()?)
}

/// The `data_export` job: builds the ZIP, stores it and makes the export ready. A failure is
/// retried by the queue; one [`GIVE_UP_MINUTES`] after the request marks the export failed.
pub fn run_job(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    storage: &dyn Storage,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let Some(row) = named_by(conn, payload, ExportStatus::Pending)? else {
        return Ok(());
    };
    let id = row.id;
    let Some(who) = row.subject() else {
        anyhow::bail!("export {id} of an unknown kind of person");
    };
    match build_and_store(conn, cipher, storage, &row, who, now) {
        Ok(()) => Ok(()),
        Err(e) if row.requested_at.0 < minutes_before(now, GIVE_UP_MINUTES) => {
            tracing::warn!(export = %id, error = %format!("{e:#}"), "data export failed");
            diesel::update(data_exports::table.find(id))
                .filter(data_exports::status.eq(ExportStatus::Pending.as_str()))
                .set(data_exports::status.eq(ExportStatus::Failed.as_str()))
                .execute(conn)?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn build_and_store(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    storage: &dyn Storage,
    row: &ExportRow,
    who: Subject,
    now: Timestamp,
) -> anyhow::Result<()> {
    let mut file = tempfile::tempfile().context("a temporary file for the export")?;
    write_zip(conn, cipher, who, now, &mut file)?;
    let size = file.stream_position()?;
    file.rewind()?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::io::Read::read_to_end(&mut file, &mut bytes)?;
    let key = format!("orgs/{}/exports/{}.zip", row.org_id, row.id);
    storage.put(&key, &bytes)?;
    let expires = Timestamp::from(now.0 + chrono::Duration::hours(DOWNLOADABLE_HOURS));
    let stored = crate::db::transaction(conn, |conn| {
        let changed = diesel::update(data_exports::table.find(row.id))
            .filter(data_exports::status.eq(ExportStatus::Pending.as_str()))
            .set((
                data_exports::status.eq(ExportStatus::Ready.as_str()),
                data_exports::storage_key.eq(Some(key.clone())),
                data_exports::size_bytes.eq(Some(i64::try_from(size).unwrap_or(i64::MAX))),
                data_exports::ready_at.eq(Some(now)),
                data_exports::expires_at.eq(Some(expires)),
            ))
            .execute(conn)?;
        if changed == 1 {
            crate::jobs::enqueue(
                conn,
                EXPIRE_JOB,
                expires,
                &serde_json::json!({ "export": row.id.to_string() }),
            )?;
        }
        Ok::<_, anyhow::Error>(changed == 1)
    })?;
    if !stored {
        storage.delete(&key)?;
    }
    Ok(())
}

/// The `data_export_expire` job: deletes the file of an export nobody downloaded in time.
pub fn run_expire_job(
    conn: &mut DbConnection,
    storage: &dyn Storage,
    payload: &serde_json::Value,
    now: Timestamp,
) -> anyhow::Result<()> {
    let Some(row) = named_by(conn, payload, ExportStatus::Ready)? else {
        return Ok(());
    };
    if row.expires_at.is_some_and(|t| t > now) {
        return Ok(());
    }
    let id = row.id;
    if let Some(key) = &row.storage_key {
        storage.delete(key)?;
    }
    diesel::update(data_exports::table.find(id))
        .filter(data_exports::status.eq(ExportStatus::Ready.as_str()))
        .set((
            data_exports::status.eq(ExportStatus::Expired.as_str()),
            data_exports::storage_key.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks a ready, unexpired export downloaded, in the caller's transaction; answers whether
/// it was (once: a second call answers `false`). The caller reads the file before and deletes
/// it after.
pub fn take(conn: &mut DbConnection, row: &ExportRow, now: Timestamp) -> QueryResult<bool> {
    let changed = diesel::update(data_exports::table.find(row.id))
        .filter(data_exports::status.eq(ExportStatus::Ready.as_str()))
        .filter(data_exports::expires_at.gt(now))
        .set((
            data_exports::status.eq(ExportStatus::Downloaded.as_str()),
            data_exports::downloaded_at.eq(Some(now)),
            data_exports::storage_key.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

const README: &str = "\
ExamCloud (考试云) — your personal data / 您的个人数据

This archive holds what ExamCloud keeps about you, as of the time it was made.
本压缩包包含考试云在生成时保存的关于您的全部个人数据。

profile.json              your account: name, login account, email, mobile, ID number, groups
                          账号信息：姓名、登录账号、邮箱、手机号、身份证号、分组
devices.json/.csv         signed-in devices (sessions) 登录设备（会话）
consents.json/.csv        your consent records 同意记录
attempts.json/.csv        exam attempts, with the score once released 考试作答记录（成绩发布后含分数）
registrations.json        exam registration forms you filled in 考试报名表
certificates.json/.csv    certificates issued to you 获得的证书
audit.json/.csv           every audit log entry about you or by you 与您有关的全部操作日志

Times are UTC (RFC 3339). 时间为 UTC（RFC 3339 格式）。
Questions, corrections, deletion: see the privacy statement (/privacy).
如需查询、更正或删除，请参阅隐私政策（/privacy）。
";

fn json_entry<W: Write + Seek, T: serde::Serialize>(
    zip: &mut zip::ZipWriter<W>,
    name: &str,
    value: &T,
) -> anyhow::Result<()> {
    zip.start_file(name, options())?;
    serde_json::to_writer_pretty(&mut *zip, value)?;
    Ok(())
}

fn csv_entry<W: Write + Seek>(
    zip: &mut zip::ZipWriter<W>,
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> anyhow::Result<()> {
    zip.start_file(name, options())?;
    // A byte order mark, so spreadsheets read the UTF-8 right.
    zip.write_all("\u{feff}".as_bytes())?;
    let mut out = csv::Writer::from_writer(&mut *zip);
    out.write_record(header)?;
    for row in rows {
        out.write_record(
            row.iter()
                .map(|c| question_formats::cells::neutralise(c).into_owned()),
        )?;
    }
    out.flush()?;
    Ok(())
}

fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Writes the archive of everything held about `who`.
pub fn write_zip<W: Write + Seek>(
    conn: &mut DbConnection,
    cipher: &FieldCipher,
    who: Subject,
    now: Timestamp,
    out: W,
) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new(out);
    zip.start_file("README.txt", options())?;
    zip.write_all(README.as_bytes())?;

    let profile = collect::profile(conn, cipher, who)?;
    json_entry(
        &mut zip,
        "profile.json",
        &serde_json::json!({
            "subject": collect::subject_kind(who),
            "exported_at": now.to_canonical_string(),
            "profile": profile,
        }),
    )?;

    let devices = collect::devices(conn, cipher, who)?;
    json_entry(&mut zip, "devices.json", &devices)?;
    csv_entry(
        &mut zip,
        "devices.csv",
        &["device", "created_at", "last_used_at", "ended_at"],
        devices.iter().map(|d| {
            vec![
                opt(&d.device),
                d.created_at.clone(),
                d.last_used_at.clone(),
                opt(&d.ended_at),
            ]
        }),
    )?;

    let consents = consent::history(conn, who)?;
    json_entry(&mut zip, "consents.json", &consents)?;
    csv_entry(
        &mut zip,
        "consents.csv",
        &[
            "purpose",
            "version",
            "context",
            "granted",
            "method",
            "by_guardian",
            "at",
        ],
        consents.iter().map(|c| {
            vec![
                c.purpose.as_str().to_owned(),
                opt(&c.version),
                opt(&c.context),
                c.granted.to_string(),
                c.method.as_str().to_owned(),
                c.by_guardian.to_string(),
                c.at.clone(),
            ]
        }),
    )?;

    if matches!(who, Subject::Candidate { .. }) {
        let attempts = collect::attempts_of(conn, who)?;
        json_entry(&mut zip, "attempts.json", &attempts)?;
        csv_entry(
            &mut zip,
            "attempts.csv",
            &[
                "exam",
                "number",
                "status",
                "started_at",
                "submitted_at",
                "score",
                "max_score",
            ],
            attempts.iter().map(|a| {
                vec![
                    a.exam.clone(),
                    a.number.to_string(),
                    a.status.clone(),
                    a.started_at.clone(),
                    opt(&a.submitted_at),
                    opt(&a.score),
                    opt(&a.max_score),
                ]
            }),
        )?;
        let registrations = collect::registrations_of(conn, cipher, who)?;
        json_entry(&mut zip, "registrations.json", &registrations)?;
        let certificates = collect::certificates_of(conn, who)?;
        json_entry(&mut zip, "certificates.json", &certificates)?;
        csv_entry(
            &mut zip,
            "certificates.csv",
            &["number", "exam", "issued_at", "revoked"],
            certificates.iter().map(|c| {
                vec![
                    c.number.clone(),
                    c.exam.clone(),
                    c.issued_at.clone(),
                    c.revoked.to_string(),
                ]
            }),
        )?;
    }

    write_audit(conn, who, &mut zip)?;
    zip.finish()?;
    Ok(())
}

/// Every audit entry about the person, newest first, a batch at a time: `audit.json` (an
/// array, written as it is read) and `audit.csv`. Two passes, so memory stays one batch.
fn write_audit<W: Write + Seek>(
    conn: &mut DbConnection,
    who: Subject,
    zip: &mut zip::ZipWriter<W>,
) -> anyhow::Result<()> {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        #[serde(flatten)]
        entry: &'a shared::my_data::MyAuditEntry,
        details: serde_json::Value,
    }
    zip.start_file("audit.json", options())?;
    zip.write_all(b"[")?;
    let mut first = true;
    let mut before = None;
    loop {
        let page = collect::audit_page(conn, who, before, AUDIT_BATCH)?;
        for (_, entry, details) in &page {
            if !first {
                zip.write_all(b",")?;
            }
            first = false;
            zip.write_all(b"\n  ")?;
            let details = serde_json::from_str(details).unwrap_or(serde_json::Value::Null);
            serde_json::to_writer(&mut *zip, &Entry { entry, details })?;
        }
        match page.last() {
            Some((seq, ..)) if page.len() as i64 == AUDIT_BATCH => before = Some(*seq),
            _ => break,
        }
    }
    zip.write_all(b"\n]\n")?;

    zip.start_file("audit.csv", options())?;
    zip.write_all("\u{feff}".as_bytes())?;
    let mut out = csv::Writer::from_writer(&mut *zip);
    out.write_record(["at", "action", "outcome", "by", "details"])?;
    let mut before = None;
    loop {
        let page = collect::audit_page(conn, who, before, AUDIT_BATCH)?;
        for (_, e, details) in &page {
            out.write_record(
                [&e.at, &e.action, &e.outcome, &e.by, details]
                    .map(|c| question_formats::cells::neutralise(c).into_owned()),
            )?;
        }
        match page.last() {
            Some((seq, ..)) if page.len() as i64 == AUDIT_BATCH => before = Some(*seq),
            _ => break,
        }
    }
    out.flush()?;
    Ok(())
}
