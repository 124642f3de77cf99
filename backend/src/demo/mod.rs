//! Demo data for trying the product locally: `examcloud seed-demo` or `serve --demo`
//! (`cargo xtask run --demo`). Idempotent: an existing demo organisation is left alone, except
//! that one seeded before the finished exam existed gets it (`final_exam.rs`).

mod final_exam;

pub use final_exam::DEMO_FINAL;

use anyhow::Context;
use diesel::prelude::*;
use shared::policies::PolicyKind;

use crate::accounts::model::{self, NewOrg};
use crate::audit::{self, AuditEntry};
use crate::candidates::model::NewCandidate;
use crate::crypto::{BlindIndex, FieldCipher};
use crate::db::Database;
use crate::db::schema::orgs;
use crate::domain::Contact;
use crate::domain::password::hash_password;
use crate::domain::{CandidateAccount, PersonName};
use crate::keys::KeyRing;
use crate::tenancy::OrgScope;

pub const DEMO_EMAIL: &str = "demo@example.com";
pub const DEMO_PASSWORD: &str = "demo-password-2026";
pub const DEMO_ORG: &str = "演示学校 Demo School";
/// The password of the demo candidates (accounts `demo001` to `demo005`).
pub const DEMO_CANDIDATE_PASSWORD: &str = "candidate-2026";

const DEMO_CANDIDATES: [(&str, &str); 5] = [
    ("demo001", "王小明"),
    ("demo002", "李小红"),
    ("demo003", "张伟"),
    ("demo004", "Emily Chen"),
    ("demo005", "刘洋"),
];

/// Creates the demo organisation and its owner unless they exist; says which on stdout.
pub fn seed(db: &Database, keys: &KeyRing) -> anyhow::Result<()> {
    let cipher = FieldCipher::new(keys);
    let bidx = BlindIndex::new(keys);
    let contact = Contact::parse(DEMO_EMAIL).map_err(|_| anyhow::anyhow!("demo email invalid"))?;
    let mut conn = db.get().context("connecting to seed demo data")?;
    if model::contact_registered(&mut conn, &bidx, &contact)? {
        let org: Option<crate::db::types::DbUuid> = orgs::table
            .filter(orgs::slug.eq("demo"))
            .select(orgs::id)
            .first(&mut conn)
            .optional()?;
        if let Some(org) = org {
            let scope = OrgScope::system(org);
            let added = crate::db::transaction(&mut conn, |conn| {
                final_exam::seed_final(conn, &cipher, &scope)
            })?;
            if added {
                println!("demo data: added the finished exam \"{DEMO_FINAL}\"");
            }
        }
        println!("demo data already present: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}");
        return Ok(());
    }
    let password_hash = hash_password(DEMO_PASSWORD)?;
    let candidate_hash = hash_password(DEMO_CANDIDATE_PASSWORD)?;
    crate::privacy::policies::ensure_builtin(&mut conn)?;
    crate::db::transaction(&mut conn, |conn| {
        let (org_id, user_id) = model::insert_org_with_owner(
            conn,
            &cipher,
            &bidx,
            NewOrg {
                name: DEMO_ORG,
                contact: &contact,
                password_hash,
            },
        )?;
        // The owner agreed to the documents when "registering"; the candidates meet the
        // consent step at their first sign-in, as real ones do.
        let documents = [PolicyKind::Privacy, PolicyKind::Terms]
            .into_iter()
            .filter_map(|k| crate::privacy::policies::current(conn, k).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        crate::privacy::consent::record_agreement(
            conn,
            crate::privacy::consent::Subject::User {
                org: org_id,
                id: user_id,
            },
            &documents,
            shared::policies::ConsentMethod::Registration,
        )?;
        diesel::update(orgs::table.find(org_id))
            .set((
                orgs::slug.eq("demo"),
                orgs::candidate_app_name.eq(Some("演示考试 Demo Exams")),
            ))
            .execute(conn)?;
        let scope = OrgScope::system(org_id);
        let group = crate::candidates::insert_group(conn, &scope, final_exam::DEMO_GROUP)?;
        let mut candidate_ids = Vec::new();
        for (account, name) in DEMO_CANDIDATES {
            let candidate = NewCandidate {
                account: CandidateAccount::parse(account)
                    .map_err(|_| anyhow::anyhow!("demo account invalid"))?,
                name: PersonName::parse(name).map_err(|_| anyhow::anyhow!("demo name invalid"))?,
                email: None,
                phone: None,
                id_number: None,
                password_hash: Some(candidate_hash.clone()),
                group_ids: vec![group],
            };
            let id = crate::candidates::model::insert(conn, &cipher, &bidx, &scope, &candidate)
                .map_err(|e| anyhow::anyhow!("inserting a demo candidate: {e}"))?;
            candidate_ids.push(id);
        }
        seed_exam(conn, &scope, group, &candidate_ids)?;
        final_exam::seed_final(conn, &cipher, &scope)?;
        audit::append(
            conn,
            &cipher,
            AuditEntry::system(
                Some(org_id),
                "demo.seed",
                Some(("org", org_id.to_string())),
                serde_json::json!({}),
            ),
        )?;
        Ok::<_, anyhow::Error>(())
    })?;
    println!(
        "demo data created: sign in at /login as {DEMO_EMAIL} / {DEMO_PASSWORD}; candidates demo001–demo005 / {DEMO_CANDIDATE_PASSWORD} sign in at /o/demo and find the exam \"{DEMO_EXAM}\" open; \"{DEMO_FINAL}\" is finished, with results, grading and certificates"
    );
    Ok(())
}

/// The demo exam's name.
pub const DEMO_EXAM: &str = "演示考试 Demo Exam";

/// A demo bank with one question of each objective type and an essay, a fixed paper of them,
/// and an exam open for 90 days assigned to the demo class (papers generated), also open by
/// access code with a name field.
fn seed_exam(
    conn: &mut crate::db::DbConnection,
    scope: &OrgScope,
    group: crate::db::types::DbUuid,
    candidates: &[crate::db::types::DbUuid],
) -> anyhow::Result<()> {
    use crate::db::schema::question_banks;
    use crate::db::types::{DbUuid, Timestamp};
    use serde_json::json;
    use shared::exams::ExamInput;
    use shared::papers::PaperInput;
    use shared::questions::QuestionInput;

    let bank = DbUuid::new_v7();
    let now = Timestamp::now();
    diesel::insert_into(question_banks::table)
        .values((
            question_banks::id.eq(bank),
            question_banks::org_id.eq(scope.org_id()),
            question_banks::name.eq(final_exam::DEMO_BANK),
            question_banks::description.eq(""),
            question_banks::created_at.eq(now),
            question_banks::updated_at.eq(now),
        ))
        .execute(conn)?;
    let contents = [
        json!({ "type": "single_choice", "stem": "<p>中国的首都是哪座城市？ Which city is the capital of China?</p>",
            "options": [{ "id": "A", "text": "上海 Shanghai" }, { "id": "B", "text": "北京 Beijing" },
                        { "id": "C", "text": "广州 Guangzhou" }], "answer": "B" }),
        json!({ "type": "multiple_choice", "stem": "<p>下列哪些是质数？ Which are prime numbers?</p>",
            "options": [{ "id": "A", "text": "2" }, { "id": "B", "text": "9" }, { "id": "C", "text": "13" },
                        { "id": "D", "text": "21" }], "answers": ["A", "C"] }),
        json!({ "type": "true_false", "stem": "<p>水在标准大气压下 100°C 沸腾。 Water boils at 100 °C at sea level.</p>",
            "answer": true }),
        json!({ "type": "fill_blank", "stem": "<p>$3 \\times 4$ = {{1}}</p>", "blanks": [{ "answers": ["12"] }] }),
        json!({ "type": "ordering", "stem": "<p>按时间先后排序 Put in chronological order</p>",
            "items": [{ "id": "1", "text": "秦 Qin" }, { "id": "2", "text": "汉 Han" }, { "id": "3", "text": "唐 Tang" }] }),
        json!({ "type": "matching", "stem": "<p>连线 Match</p>",
            "prompts": [{ "id": "1", "text": "H<sub>2</sub>O" }, { "id": "2", "text": "NaCl" }],
            "answers": [{ "id": "a", "text": "水 water" }, { "id": "b", "text": "盐 salt" }],
            "pairs": [{ "prompt": "1", "answer": "a" }, { "prompt": "2", "answer": "b" }] }),
        json!({ "type": "essay", "stem": "<p>简述你对在线考试的看法。 What do you think of online exams?</p>" }),
    ];
    let mut questions = Vec::new();
    for content in contents {
        let input: QuestionInput =
            serde_json::from_value(json!({ "content": content, "points": 2, "difficulty": 2 }))?;
        let checked = crate::questions::model::check(input)?;
        let id = DbUuid::new_v7();
        crate::questions::model::write_version(conn, scope, bank, id, 1, &checked)?;
        questions.push(json!({ "question_id": id.to_string() }));
    }
    let paper: PaperInput = serde_json::from_value(json!({
        "name": "演示试卷 Demo Paper", "shuffle_options": true,
        "sections": [{ "title": "一、综合 General", "questions": questions }],
    }))?;
    let checked = crate::papers::input::check_input(conn, scope, &paper)?;
    let paper_id = DbUuid::new_v7();
    crate::papers::model::write_paper(conn, scope, paper_id, &checked, 1)?;
    let at = |days: i64| (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339();
    let exam: ExamInput = serde_json::from_value(json!({
        "paper_id": paper_id.to_string(), "name": DEMO_EXAM,
        "instructions": "<p>独立完成，答案自动保存。 Work alone; answers save automatically.</p>",
        "opens_at": at(-1), "closes_at": at(90), "duration_minutes": 30,
        "attempts_allowed": 3, "scoring": "best", "pass_mark": 8,
        "release_policy": "immediately", "review_policy": "after_release",
        "entry": { "access_code": true,
            "registration_fields": [{ "key": "name", "label": "姓名 Name", "kind": "name", "required": true }] },
    }))?;
    let checked = crate::exams::input::check_input(conn, scope, exam)?;
    let exam_id = DbUuid::new_v7();
    crate::exams::model::insert(conn, scope, exam_id, &checked)?;
    for candidate in candidates {
        crate::exams::model::insert_assignment(conn, scope, exam_id, *candidate, Some(group))?;
    }
    crate::papers::instances::pregenerate_for(conn, scope, paper_id, candidates)?;
    Ok(())
}
