//! The text of cancelling the organisation (privacy statement 5.3): the page
//! `/account/cancel` (what is deleted and what is kept, the code, the confirmation, the
//! scheduled state and its undo) and the banner every signed-in user sees while the
//! cancellation is scheduled.

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the organisation's cancellation.
    pub enum CancelMsg {
        Tab => ("注销机构", "Cancel organisation"),
        Title => ("注销机构", "Cancel the organisation"),
        Lead => ("注销后，本机构在考试云上的全部数据将被删除，且无法恢复。请在操作前仔细阅读以下说明。", "Cancelling deletes all of this organisation's data on ExamCloud, and it cannot be recovered. Read what follows carefully before you go on."),
        StatusLabel => ("注销状态", "Cancellation"),
        StatusNone => ("未申请注销", "Not requested"),
        StatusScheduled => ("已申请注销，等待删除", "Scheduled: waiting for the deletion"),
        DeletedTitle => ("将被删除的内容", "What is deleted"),
        DeletedCandidates => ("全部考生，以及他们的分组和报名信息", "Every candidate, with their groups and exam registrations"),
        DeletedResults => ("全部考试、作答记录、成绩、阅卷记录和证书", "Every exam, attempt, result, grading record and certificate"),
        DeletedBanks => ("全部题库、试题和试卷", "Every question bank, question and paper"),
        DeletedFiles => ("上传的全部文件（图片、附件、机构标志）和数据导出", "Every uploaded file (images, attachments, the logo) and data export"),
        DeletedAccounts => ("全部成员账号、登录会话和 API 密钥：包括您在内，任何人都将无法再登录", "Every member's account, session and API key: nobody, you included, can sign in any more"),
        KeptTitle => ("将保留的内容", "What is kept"),
        KeptInvoices => ("发票和财务记录，以匿名形式保存，用于依法记账", "Invoices and accounting records, in anonymised form, as the law requires"),
        KeptAudit => ("操作日志的条目，但其中的个人信息（IP 地址、浏览器和设备信息）将被删除", "The audit log's entries, without their personal data (addresses, browser and device details)"),
        ExportFirst => ("如需保留成绩、考生名单等数据，请在注销前自行导出。", "To keep results, candidate lists or anything else, export them before you confirm."),
        ConfirmTitle => ("确认注销", "Confirm the cancellation"),
        NoContact => ("您的账号没有绑定邮箱或手机号，无法接收验证码。请先在“安全”页面绑定。", "Your account has no bound email or mobile number to receive the code. Bind one on the Security page first."),
        Understand => ("我已了解：注销将删除本机构的全部数据，冷静期结束后无法恢复。", "I understand this deletes everything of this organisation, and that it cannot be recovered after the grace period."),
        UnderstandRequired => ("请勾选上面的确认框。", "Tick the box above to confirm that you understand."),
        Confirm => ("注销机构", "Cancel the organisation"),
        Confirming => ("正在提交…", "Cancelling…"),
        Scheduled => ("注销已申请，我们已向您发送通知。", "The cancellation is scheduled; we have sent you a message about it."),
        EffectiveLabel => ("删除时间", "Deleted at"),
        RequestedLabel => ("申请时间", "Requested at"),
        ScheduledLead => ("在删除时间之前，您可以随时撤销注销，机构和数据将保持不变。", "Until then you can undo the cancellation at any time; the organisation and its data stay as they are."),
        Undo => ("撤销注销", "Undo cancellation"),
        Undoing => ("正在撤销…", "Undoing…"),
        Undone => ("注销已撤销，机构和数据保持不变。", "The cancellation was undone; the organisation and its data stay as they are."),
        OwnerOnly => ("只有机构所有者可以注销机构或撤销注销。如有疑问，请联系所有者。", "Only the organisation's owner can cancel it or undo the cancellation. Ask the owner if you have questions."),
        AlreadyScheduled => ("注销已经申请过了。", "The cancellation was already scheduled."),
        NotScheduled => ("当前没有待执行的注销申请。", "No cancellation is scheduled."),
        BannerLink => ("查看或撤销", "Review or undo"),
    }
}

/// How long the grace period lasts and what happens at its end.
pub fn grace_text(days: u32, lang: Lang) -> String {
    match (lang, days) {
        (Lang::ZhCn, n) => format!(
            "确认后有 {n} 天冷静期，期间可以随时撤销，冷静期结束前我们会再次提醒您。冷静期结束后，删除立即执行，无法撤销，数据也无法恢复。"
        ),
        (Lang::En, 1) => "After you confirm there is a grace period of 1 day in which you can undo it; we remind you before it ends. Then the deletion runs: it cannot be undone, and the data cannot be recovered.".to_owned(),
        (Lang::En, n) => format!(
            "After you confirm there is a grace period of {n} days in which you can undo it; we remind you before it ends. Then the deletion runs: it cannot be undone, and the data cannot be recovered."
        ),
    }
}

/// Where the confirmation code goes.
pub fn code_destination_text(destination: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("验证码将发送至机构所有者绑定的 {destination}。"),
        Lang::En => format!("The code goes to {destination}, the owner's bound address."),
    }
}

/// The banner over every console page while the cancellation is scheduled.
pub fn banner_text(date: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "本机构将于 {date} 注销，届时全部数据将被删除。在此之前，机构所有者可以在“账号信息 → 注销机构”中撤销。"
        ),
        Lang::En => format!(
            "This organisation will be deleted on {date}. Until then the owner can undo it under Account → Cancel organisation."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cancellation_message_is_translated() {
        crate::i18n::catalog::assert_complete(CancelMsg::ALL);
    }

    #[test]
    fn values_are_worded_in_both_languages() {
        assert!(grace_text(15, Lang::ZhCn).contains("15 天"));
        assert!(grace_text(15, Lang::En).contains("15 days"));
        assert!(grace_text(1, Lang::En).contains("1 day "));
        assert_eq!(
            code_destination_text("o***@example.com", Lang::En),
            "The code goes to o***@example.com, the owner's bound address."
        );
        assert!(banner_text("2026/6/1", Lang::ZhCn).starts_with("本机构将于 2026/6/1 注销"));
        assert!(banner_text("6/1/2026", Lang::En).contains("deleted on 6/1/2026"));
    }
}
