//! Questions in the database: checking an input, writing versions, reading the current one.
//! Every function takes the caller's [`OrgScope`].

use diesel::prelude::*;
use shared::questions::{QuestionContent, QuestionDto, QuestionInput, QuestionVersionDto};

use super::rich_text::sanitise;
use crate::db::DbConnection;
use crate::db::schema::{question_banks, question_tags, question_versions, questions};
use crate::db::types::{DbUuid, Timestamp};
use crate::errors::ModelError;
use crate::http::Fields;
use crate::scoped;
use crate::tenancy::OrgScope;

/// Most tags on a question; longest tag.
const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 30;
const MAX_EXPLANATION: usize = 20_000;

/// A question input checked and cleaned: its content sanitised, tags normalised, points in
/// hundredths.
pub struct Checked {
    pub content: QuestionContent,
    pub points_centi: i32,
    pub difficulty: i32,
    pub explanation: String,
    pub tags: Vec<String>,
    pub category_id: Option<DbUuid>,
}

pub fn check(input: QuestionInput) -> Result<Checked, ModelError> {
    let mut fields = Fields::default();
    let mut content = input.content;
    for text in content.texts_mut() {
        *text = sanitise(text);
    }
    for p in content.validate("content") {
        fields.push(&p.field, p.reason);
    }
    if !shared::questions::valid_points(input.points) {
        fields.push("points", "out_of_range");
    }
    if !(1..=5).contains(&input.difficulty) {
        fields.push("difficulty", "out_of_range");
    }
    let explanation = sanitise(&input.explanation);
    if explanation.chars().count() > MAX_EXPLANATION {
        fields.push("explanation", "too_long");
    }
    let mut tags: Vec<String> = Vec::new();
    for t in &input.tags {
        let t = t.trim();
        if t.is_empty() || t.chars().count() > MAX_TAG_CHARS || t.chars().any(char::is_control) {
            fields.push("tags", "invalid_format");
        } else if !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        fields.push("tags", "too_many");
    }
    let category_id = match input.category_id.as_deref() {
        None | Some("") => None,
        Some(c) => match uuid::Uuid::parse_str(c) {
            Ok(u) => Some(DbUuid(u)),
            Err(_) => {
                fields.push("category_id", "invalid_format");
                None
            }
        },
    };
    fields.finish()?;
    Ok(Checked {
        content,
        points_centi: (input.points * 100.0).round() as i32,
        difficulty: input.difficulty,
        explanation,
        tags,
        category_id,
    })
}

/// Lower-cased plain text of the stem and options, for search.
fn search_text(content: &QuestionContent) -> String {
    let mut c = content.clone();
    let joined: Vec<String> = c
        .texts_mut()
        .into_iter()
        .map(|t| {
            ammonia::Builder::empty()
                .clean(t)
                .to_string()
                .replace("&nbsp;", " ")
        })
        .collect();
    joined.join(" ").to_lowercase()
}

/// The bank, if it is the scope's; else 404.
pub fn find_bank(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
) -> Result<(), ModelError> {
    let found: i64 = scoped!(question_banks, scope)
        .filter(question_banks::id.eq(bank))
        .count()
        .get_result(conn)?;
    if found == 0 {
        return Err(ModelError::NotFound);
    }
    Ok(())
}

/// Writes version `version` of a question and makes it current (inserting the question row
/// for version 1).
pub fn write_version(
    conn: &mut DbConnection,
    scope: &OrgScope,
    bank: DbUuid,
    question: DbUuid,
    version: i32,
    q: &Checked,
) -> Result<(), ModelError> {
    let now = Timestamp::now();
    let content = serde_json::to_string(&q.content).map_err(anyhow::Error::from)?;
    let tags = serde_json::to_string(&q.tags).map_err(anyhow::Error::from)?;
    let search = search_text(&q.content);
    if version == 1 {
        diesel::insert_into(questions::table)
            .values((
                questions::id.eq(question),
                questions::org_id.eq(scope.org_id()),
                questions::bank_id.eq(bank),
                questions::category_id.eq(q.category_id),
                questions::qtype.eq(q.content.question_type().as_str()),
                questions::current_version.eq(1),
                questions::difficulty.eq(q.difficulty),
                questions::points_centi.eq(q.points_centi),
                questions::search_text.eq(&search),
                questions::status.eq("active"),
                questions::created_at.eq(now),
                questions::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::update(scoped!(questions, scope).filter(questions::id.eq(question)))
            .set((
                questions::category_id.eq(q.category_id),
                questions::qtype.eq(q.content.question_type().as_str()),
                questions::current_version.eq(version),
                questions::difficulty.eq(q.difficulty),
                questions::points_centi.eq(q.points_centi),
                questions::search_text.eq(&search),
                questions::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(question_versions::table)
        .values((
            question_versions::id.eq(DbUuid::new_v7()),
            question_versions::org_id.eq(scope.org_id()),
            question_versions::question_id.eq(question),
            question_versions::version.eq(version),
            question_versions::content.eq(&content),
            question_versions::points_centi.eq(q.points_centi),
            question_versions::difficulty.eq(q.difficulty),
            question_versions::explanation.eq(&q.explanation),
            question_versions::tags.eq(&tags),
            question_versions::created_by.eq(scope.user_id()),
            question_versions::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::delete(scoped!(question_tags, scope).filter(question_tags::question_id.eq(question)))
        .execute(conn)?;
    for tag in &q.tags {
        diesel::insert_into(question_tags::table)
            .values((
                question_tags::org_id.eq(scope.org_id()),
                question_tags::question_id.eq(question),
                question_tags::tag.eq(tag),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = question_versions)]
pub struct VersionRow {
    pub question_id: DbUuid,
    pub version: i32,
    pub content: String,
    pub points_centi: i32,
    pub difficulty: i32,
    pub explanation: String,
    pub tags: String,
    pub created_at: Timestamp,
}

impl VersionRow {
    pub fn to_version_dto(&self) -> Result<QuestionVersionDto, ModelError> {
        Ok(QuestionVersionDto {
            version: self.version,
            content: serde_json::from_str(&self.content).map_err(anyhow::Error::from)?,
            points: f64::from(self.points_centi) / 100.0,
            difficulty: self.difficulty,
            explanation: self.explanation.clone(),
            tags: serde_json::from_str(&self.tags).unwrap_or_default(),
            created_at: self.created_at.to_canonical_string(),
        })
    }

    /// The version as a question input (to restore it as a new version).
    pub fn to_input(&self, category_id: Option<DbUuid>) -> Result<QuestionInput, ModelError> {
        let v = self.to_version_dto()?;
        Ok(QuestionInput {
            content: v.content,
            points: v.points,
            difficulty: v.difficulty,
            explanation: v.explanation,
            tags: v.tags,
            category_id: category_id.map(|c| c.to_string()),
        })
    }
}

/// The current versions of these (active, scoped) questions, as DTOs in the given order.
pub fn load_current(
    conn: &mut DbConnection,
    scope: &OrgScope,
    ids: &[DbUuid],
) -> Result<Vec<QuestionDto>, ModelError> {
    let rows: Vec<(DbUuid, DbUuid, Option<DbUuid>, Timestamp, VersionRow)> =
        scoped!(questions, scope)
            .inner_join(
                question_versions::table.on(question_versions::question_id
                    .eq(questions::id)
                    .and(question_versions::version.eq(questions::current_version))),
            )
            .filter(questions::id.eq_any(ids.to_vec()))
            .filter(questions::status.eq("active"))
            .select((
                questions::id,
                questions::bank_id,
                questions::category_id,
                questions::updated_at,
                VersionRow::as_select(),
            ))
            .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for id in ids {
        let Some((_, bank, category, updated, v)) = rows.iter().find(|r| r.0 == *id) else {
            continue;
        };
        let d = v.to_version_dto()?;
        out.push(QuestionDto {
            id: id.to_string(),
            bank_id: bank.to_string(),
            category_id: category.map(|c| c.to_string()),
            version: d.version,
            content: d.content,
            points: d.points,
            difficulty: d.difficulty,
            explanation: d.explanation,
            tags: d.tags,
            updated_at: updated.to_canonical_string(),
        });
    }
    Ok(out)
}

/// One active question of the scope (its bank id, category and current version), or 404.
pub fn find(
    conn: &mut DbConnection,
    scope: &OrgScope,
    id: DbUuid,
) -> Result<(DbUuid, Option<DbUuid>, i32), ModelError> {
    scoped!(questions, scope)
        .filter(questions::id.eq(id))
        .filter(questions::status.eq("active"))
        .select((
            questions::bank_id,
            questions::category_id,
            questions::current_version,
        ))
        .first(conn)
        .optional()?
        .ok_or(ModelError::NotFound)
}
