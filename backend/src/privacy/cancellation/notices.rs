//! What the owner is told about the organisation's cancellation, and where: the owner's bound
//! address (email first, else mobile number).

use diesel::prelude::*;
use shared::Lang;

use crate::crypto::Aad;
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::db::types::DbUuid;
use crate::domain::Contact;
use crate::errors::ApiError;
use crate::notifications::OutboundMessage;
use crate::state::AppState;

/// The owner's bound address: email first, else mobile number.
pub(super) fn owner_contact(
    conn: &mut DbConnection,
    st: &AppState,
    org: DbUuid,
) -> Result<Option<Contact>, ApiError> {
    /// The owner's id, email and mobile number ciphertexts.
    type Owner = (DbUuid, Option<Vec<u8>>, Option<Vec<u8>>);
    let row: Option<Owner> = users::table
        .filter(users::org_id.eq(org))
        .filter(users::role.eq("owner"))
        .select((users::id, users::email_enc, users::phone_enc))
        .first(conn)
        .optional()?;
    let Some((id, email, phone)) = row else {
        return Ok(None);
    };
    let row_id = id.to_string();
    for (column, ct) in [("email_enc", email), ("phone_enc", phone)] {
        if let Some(ct) = ct {
            let value = st.cipher.decrypt(
                &ct,
                Aad {
                    table: "users",
                    column,
                    row_id: &row_id,
                },
            )?;
            if let Ok(contact) = Contact::parse(&value) {
                return Ok(Some(contact));
            }
        }
    }
    Ok(None)
}

/// The message telling the owner about the cancellation.
fn notice(lang: Lang, what: &str, effective: Option<&str>) -> (&'static str, String) {
    let when = effective.unwrap_or_default();
    match (lang, what) {
        (Lang::ZhCn, "scheduled") => ("考试云机构注销申请", format!("【考试云】您的机构已申请注销，将于 {when}（UTC）删除全部个人信息且不可恢复。在此之前，您可以在控制台“账号信息 → 注销机构”撤销。如非本人操作，请立即登录撤销并修改密码。")),
        (Lang::En, "scheduled") => ("ExamCloud: your organisation will be cancelled", format!("[ExamCloud] Your organisation's cancellation was requested: all personal data will be deleted at {when} (UTC), irreversibly. Until then you can undo it in the console under Account → Cancel organisation. If this was not you, sign in, undo it and change your password now.")),
        (Lang::ZhCn, "reminder") => ("考试云机构即将注销", format!("【考试云】提醒：您的机构将于 {when}（UTC）注销，届时全部个人信息将被删除且不可恢复。如需保留，请在此之前登录控制台撤销。")),
        (Lang::En, "reminder") => ("ExamCloud: your organisation will be cancelled soon", format!("[ExamCloud] Reminder: your organisation will be cancelled at {when} (UTC) and all personal data deleted, irreversibly. To keep it, sign in and undo the cancellation before then.")),
        (Lang::ZhCn, _) => ("考试云机构注销已撤销", "【考试云】您的机构注销申请已撤销，账号和数据保持不变。".to_owned()),
        (Lang::En, _) => ("ExamCloud: cancellation undone", "[ExamCloud] Your organisation's cancellation was undone; the account and its data stay as they are.".to_owned()),
    }
}

/// Queues a message about the cancellation to the owner, if they have an address.
pub(super) fn tell_owner(
    conn: &mut DbConnection,
    st: &AppState,
    org: DbUuid,
    lang: Lang,
    what: &str,
    effective: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(contact) = owner_contact(conn, st, org)? {
        let (subject, text) = notice(lang, what, effective);
        let template = match what {
            "scheduled" => "org_cancellation",
            "reminder" => "org_cancellation_reminder",
            _ => "org_cancellation_undone",
        };
        st.notifier.enqueue(
            conn,
            Some(org),
            &OutboundMessage::to_contact(&contact, subject, text, template),
        )?;
    }
    Ok(())
}
