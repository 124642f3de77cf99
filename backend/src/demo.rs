//! Demo data for trying the product locally: `examcloud seed-demo` or `serve --demo`
//! (`cargo xtask run --demo`). Idempotent: an existing demo organisation is left alone.

use anyhow::Context;
use diesel::prelude::*;

use crate::accounts::model::{self, NewOrg};
use crate::audit::{self, Actor, AuditEntry, Outcome};
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
        println!("demo data already present: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}");
        return Ok(());
    }
    let password_hash = hash_password(DEMO_PASSWORD)?;
    let candidate_hash = hash_password(DEMO_CANDIDATE_PASSWORD)?;
    crate::db::transaction(&mut conn, |conn| {
        let (org_id, _user_id) = model::insert_org_with_owner(
            conn,
            &cipher,
            &bidx,
            NewOrg {
                name: DEMO_ORG,
                contact: &contact,
                password_hash,
            },
        )?;
        diesel::update(orgs::table.find(org_id))
            .set((
                orgs::slug.eq("demo"),
                orgs::candidate_app_name.eq(Some("演示考试 Demo Exams")),
            ))
            .execute(conn)?;
        let scope = OrgScope::system(org_id);
        let group = crate::candidates::insert_group(conn, &scope, "演示一班 Demo Class 1")?;
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
            crate::candidates::model::insert(conn, &cipher, &bidx, &scope, &candidate)
                .map_err(|e| anyhow::anyhow!("inserting a demo candidate: {e}"))?;
        }
        audit::append(
            conn,
            &cipher,
            AuditEntry {
                org_id: Some(org_id),
                actor: Actor::System,
                action: "demo.seed",
                target_kind: Some("org"),
                target_id: Some(org_id.to_string()),
                outcome: Outcome::Success,
                request_id: None,
                details: serde_json::json!({}),
                ip: None,
                user_agent: None,
                device: None,
            },
        )?;
        Ok::<_, anyhow::Error>(())
    })?;
    println!(
        "demo data created: sign in at /login as {DEMO_EMAIL} / {DEMO_PASSWORD}; candidates demo001–demo005 / {DEMO_CANDIDATE_PASSWORD} sign in at /o/demo"
    );
    Ok(())
}
