//! Key rotation: a new primary key, data under the old key still readable meanwhile, an
//! interrupted re-encryption that resumes, and at the end every value under the new key.

use backend::Application;
use backend::audit::{self, VerifyReport};
use backend::crypto::{FieldCipher, key_id_of};
use backend::db::Database;
use backend::keys::{KeyRing, add_encryption_key};
use backend::rotation::{ENCRYPTED_COLUMNS, count_not_primary, reencrypt_all};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

async fn login_and_me(base: &str, identifier: &str) -> reqwest::StatusCode {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let res = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "identifier": identifier, "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    if res.status() != 200 {
        return res.status();
    }
    client
        .get(format!("{base}/api/auth/me"))
        .send()
        .await
        .expect("me")
        .status()
}

#[tokio::test]
async fn rotation_moves_every_value_to_the_new_key_and_resumes_after_an_interruption() {
    let app = spawn_app().await;
    let mut owners = Vec::new();
    for email in ["r1@example.com", "r2@example.com", "r3@example.com"] {
        owners.push(app.register_org("轮换单位", email).await);
    }
    app.create_candidate(
        &owners[0],
        serde_json::json!({
            "account": "rot-1", "name": "轮换考生", "phone": "13911112222",
            "email": "rot@example.com", "id_number": "11010519491231002X", "password": crate::helpers::PASSWORD,
        }),
    )
    .await;
    let old_cipher = app.cipher();
    let db = Database::connect(&app.settings.database).expect("connect");

    // 1. A new primary key in the key file; a node started with it reads the old data.
    let new_id = add_encryption_key(&app.settings.keys.file).expect("add key");
    assert_eq!(new_id, 2);
    let node = Application::build(app.settings.clone())
        .await
        .expect("a node with the new key file");
    let new_base = format!("http://127.0.0.1:{}", node.port());
    tokio::spawn(node.run_until_stopped());
    assert_eq!(login_and_me(&new_base, "r1@example.com").await, 200);
    let cipher = FieldCipher::new(&KeyRing::load(&app.settings.keys).expect("new ring"));
    assert_eq!(cipher.primary_key_id(), 2);

    // 2. Interrupted after a few rows: a mix of keys, and everything still readable.
    let mut conn = db.get().expect("conn");
    let partial = reencrypt_all(&mut conn, &cipher, 2, Some(3)).expect("partial run");
    assert!(!partial.complete);
    assert_eq!(partial.reencrypted(), 3);
    let left: u64 = ENCRYPTED_COLUMNS
        .iter()
        .map(|(t, c)| count_not_primary(&mut conn, &cipher, t, c).expect("count"))
        .sum();
    assert!(left > 0, "the interrupted run left work");
    for email in ["r1@example.com", "r2@example.com", "r3@example.com"] {
        assert_eq!(
            login_and_me(&new_base, email).await,
            200,
            "{email} mid-rotation"
        );
    }

    // 3. Run again: it continues and finishes.
    let rest = reencrypt_all(&mut conn, &cipher, 2, None).expect("resumed run");
    assert!(rest.complete);
    for (table, column, _, remaining) in &rest.columns {
        assert_eq!(
            *remaining, 0,
            "{table}.{column} still has values under the old key"
        );
    }
    // Nothing is under key 1 any more: the old key ring alone can no longer read the data.
    use diesel::prelude::*;
    let emails: Vec<Option<Vec<u8>>> = backend::db::schema::users::table
        .select(backend::db::schema::users::email_enc)
        .load(&mut *conn)
        .expect("load");
    for ct in emails.iter().flatten() {
        assert_eq!(key_id_of(ct), Ok(2));
    }
    let (id, ct): (backend::db::types::DbUuid, Option<Vec<u8>>) = backend::db::schema::users::table
        .select((
            backend::db::schema::users::id,
            backend::db::schema::users::email_enc,
        ))
        .first(&mut *conn)
        .expect("a user");
    let row_id = id.to_string();
    let aad = backend::crypto::Aad {
        table: "users",
        column: "email_enc",
        row_id: &row_id,
    };
    assert!(
        old_cipher
            .decrypt(&ct.clone().expect("email"), aad)
            .is_err()
    );
    assert!(cipher.decrypt(&ct.expect("email"), aad).is_ok());

    // The data still works, and the audit log (its personal data re-encrypted too) verifies.
    assert_eq!(login_and_me(&new_base, "r2@example.com").await, 200);
    let names: Vec<Vec<u8>> = backend::db::schema::candidates::table
        .select(backend::db::schema::candidates::name_enc)
        .load(&mut *conn)
        .expect("candidates");
    assert!(!names.is_empty());
    for ct in &names {
        assert_eq!(key_id_of(ct), Ok(2));
    }
    let page: serde_json::Value = owners[0]
        .get(format!("{new_base}/api/candidates"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"][0]["name"], "轮换考生");
    assert_eq!(page["items"][0]["phone"], "+8613911112222");
    assert_eq!(page["items"][0]["id_number_masked"], "110***********002X");
    assert!(matches!(
        audit::verify(&mut conn, Some(&cipher)).expect("verify"),
        VerifyReport::Intact { .. }
    ));
    // A second full run has nothing left to do.
    assert_eq!(
        reencrypt_all(&mut conn, &cipher, 2, None)
            .expect("idempotent")
            .reencrypted(),
        0
    );
}

#[tokio::test]
async fn a_node_without_the_new_key_is_not_ready_once_data_uses_it() {
    let app = spawn_app().await;
    app.register_org("轮换单位", "stale@example.com").await;
    let out = crate::staff::create_staff(&app, "ops1", "security");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let staff = crate::staff::staff_login(&app, "ops1").await;
    add_encryption_key(&app.settings.keys.file).expect("add key");
    let node = Application::build(app.settings.clone())
        .await
        .expect("node with the new key");
    drop(node);
    // The first node still runs with only the old key: readiness says so (the details to
    // platform staff only).
    let (status, public): (_, serde_json::Value) = app.get_json("/api/ready").await;
    assert_eq!(status, 503);
    assert_eq!(public, json!({ "status": "failing" }));
    let res = staff
        .get(app.url("/api/staff/ready"))
        .send()
        .await
        .expect("staff ready");
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.expect("report");
    let keys = body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == "keys")
        .cloned()
        .expect("keys");
    assert!(
        keys["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("encryption key 2 is missing"),
        "{keys}"
    );
}
