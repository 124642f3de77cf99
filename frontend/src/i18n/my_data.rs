//! The text of the "my data" pages (`/account/data`, `/o/{slug}/my-data`): what the platform
//! holds about the person, the corrections they can make, and their exports.

use shared::Lang;
use shared::my_data::ExportStatus;

use super::attempt_status_msg;
use super::catalog::catalog;

catalog! {
    /// Fixed strings of the "my data" pages.
    pub enum MyDataMsg {
        Title => ("我的数据", "My data"),
        Lead => ("本平台保存的关于您的个人信息。您可以在这里查看、更正，或导出一份副本。", "The personal information this platform holds about you. Here you can look at it, correct it, or export a copy."),
        LinkLead => ("查看、更正或导出我们保存的关于您的个人信息。", "See, correct or export the personal information we hold about you."),
        ProfileSection => ("个人资料", "Profile"),
        Organisation => ("所属单位", "Organisation"),
        Name => ("姓名", "Name"),
        LoginAccount => ("登录账号", "Login account"),
        Email => ("邮箱", "Email"),
        Phone => ("手机号", "Mobile number"),
        IdNumber => ("身份证号", "ID number"),
        Role => ("角色", "Role"),
        Groups => ("分组", "Groups"),
        CreatedAt => ("创建时间", "Created"),
        LastSignIn => ("最近登录", "Last sign-in"),
        NotSet => ("未填写", "Not set"),
        Never => ("从未登录", "Never"),
        NameLabel => ("更正姓名", "Correct my name"),
        NameHint => ("1–50 个字，与证件上的姓名一致。", "1–50 characters, as on your identity documents."),
        NameSave => ("保存姓名", "Save name"),
        Saving => ("正在保存…", "Saving…"),
        NameSaved => ("姓名已更新。", "Your name has been updated."),
        ContactSection => ("更换邮箱或手机号", "Change email or mobile number"),
        ContactLead => ("验证码会发送到新的邮箱或手机号；验证后，您将用它登录并接收通知。", "A code is sent to the new address; once it is confirmed, you sign in with it and receive notices there."),
        ContactLabel => ("新的邮箱或手机号", "New email or mobile number"),
        ContactSave => ("更换", "Change"),
        ContactSaved => ("邮箱或手机号已更新。", "Your email or mobile number has been updated."),
        ContactConsole => ("邮箱和手机号在“安全”页面更换（需要验证码和当前密码）。", "Change your email or mobile number on the Security page (with a code and your current password)."),
        ContactConsoleLink => ("前往安全设置", "Go to Security"),
        DevicesSection => ("登录设备", "Signed-in devices"),
        Device => ("设备", "Device"),
        SignedIn => ("登录时间", "Signed in"),
        LastUsed => ("最近使用", "Last used"),
        Ended => ("结束时间", "Ended"),
        UnknownDevice => ("未记录设备信息", "No device details"),
        Active => ("使用中", "Active"),
        NoDevices => ("没有登录设备记录。", "No signed-in devices."),
        ConsentsSection => ("同意记录", "Consent records"),
        When => ("时间", "When"),
        ConsentWhat => ("内容", "What"),
        ConsentChoice => ("选择", "Choice"),
        ConsentHow => ("方式", "How"),
        NoConsents => ("没有同意记录。", "No consent records."),
        AttemptsSection => ("考试作答", "Exam attempts"),
        Exam => ("考试", "Exam"),
        AttemptNumber => ("第几次", "Attempt"),
        Status => ("状态", "Status"),
        Started => ("开始时间", "Started"),
        Submitted => ("交卷时间", "Submitted"),
        Score => ("成绩", "Score"),
        NotReleased => ("未发布", "Not released"),
        NoAttempts => ("没有作答记录。", "No exam attempts."),
        RegistrationsSection => ("考试报名信息", "Exam registrations"),
        FilledIn => ("填写时间", "Filled in"),
        Details => ("填写内容", "Details"),
        NoRegistrations => ("没有报名记录。", "No exam registrations."),
        CertificatesSection => ("证书", "Certificates"),
        CertificateNumber => ("证书编号", "Number"),
        Issued => ("颁发时间", "Issued"),
        Valid => ("有效", "Valid"),
        Revoked => ("已撤销", "Revoked"),
        NoCertificates => ("没有证书。", "No certificates."),
        AuditSection => ("操作日志", "Audit log"),
        Action => ("操作", "Action"),
        Outcome => ("结果", "Outcome"),
        By => ("操作者", "By"),
        BySelf => ("本人", "You"),
        ByOrganisation => ("所属单位", "Your organisation"),
        ByStaff => ("平台人员", "Platform staff"),
        BySystem => ("系统", "System"),
        NoAudit => ("没有涉及您的日志记录。", "No audit log entries name you."),
        ExportsSection => ("导出我的数据", "Export my data"),
        ExportLead => ("导出文件是一个 ZIP 压缩包，包含 JSON 和 CSV 格式的文件，比本页更完整（全部日志记录、报名表的完整内容）。它在后台准备，完成后在有效期内可以下载一次，下载后即删除。每天最多申请 5 次。", "The export is a ZIP of JSON and CSV files, more complete than this page (every audit log entry, the registration forms in full). It is prepared in the background; once ready it can be downloaded once, until its expiry time, and is then deleted. At most 5 a day."),
        ExportRequest => ("申请导出", "Request an export"),
        ExportRequesting => ("正在申请…", "Requesting…"),
        ExportBusy => ("已有一个导出正在准备中，请等它完成后再申请。", "An export is already being prepared; please wait until it is ready."),
        ExportLimit => ("今天的导出次数已用完（每天最多 5 次），请明天再试。", "You have requested 5 exports today, the most a day allows; please try again tomorrow."),
        Requested => ("申请时间", "Requested"),
        Size => ("大小", "Size"),
        Expires => ("下载期限", "Download by"),
        Downloaded => ("下载时间", "Downloaded"),
        Download => ("下载", "Download"),
        NoExports => ("尚未申请过导出。", "No exports requested yet."),
        StatusPending => ("准备中", "Being prepared"),
        StatusReady => ("可以下载", "Ready to download"),
        StatusDownloaded => ("已下载", "Downloaded"),
        StatusExpired => ("已过期", "Expired"),
        StatusFailed => ("失败，请重新申请", "Failed; please request another"),
    }
}

/// The words of an export's status.
pub fn export_status_msg(status: ExportStatus) -> MyDataMsg {
    match status {
        ExportStatus::Pending => MyDataMsg::StatusPending,
        ExportStatus::Ready => MyDataMsg::StatusReady,
        ExportStatus::Downloaded => MyDataMsg::StatusDownloaded,
        ExportStatus::Expired => MyDataMsg::StatusExpired,
        ExportStatus::Failed => MyDataMsg::StatusFailed,
    }
}

/// Who acted in an audit entry naming the person (`MyAuditEntry.by`), if this version knows
/// the word.
pub fn audit_by_msg(by: &str) -> Option<MyDataMsg> {
    Some(match by {
        "self" => MyDataMsg::BySelf,
        "organisation" => MyDataMsg::ByOrganisation,
        "staff" => MyDataMsg::ByStaff,
        "system" => MyDataMsg::BySystem,
        _ => return None,
    })
}

/// An attempt's status (`MyAttempt.status`) in words; an unknown one as the server spells it.
pub fn my_attempt_status_text(status: &str, lang: Lang) -> String {
    use shared::exams::AttemptStatus;
    let known = match status {
        "in_progress" => AttemptStatus::InProgress,
        "submitted" => AttemptStatus::Submitted,
        "graded" => AttemptStatus::Graded,
        other => return other.to_owned(),
    };
    attempt_status_msg(known).text(lang).to_owned()
}

/// The label of a registration form's field: the standard ones in words, others (an exam's
/// own fields) by their key.
pub fn registration_field_text(key: &str, lang: Lang) -> String {
    let msg = match key {
        "name" => MyDataMsg::Name,
        "phone" => MyDataMsg::Phone,
        "email" => MyDataMsg::Email,
        "id_number" => MyDataMsg::IdNumber,
        other => return other.to_owned(),
    };
    msg.text(lang).to_owned()
}

/// "N audit log entries name you; the latest M are below."
pub fn audit_total_text(total: u64, shown: usize, lang: Lang) -> String {
    match (lang, total == shown as u64) {
        (Lang::ZhCn, true) => format!("共有 {total} 条日志记录涉及您，全部列在下面。"),
        (Lang::ZhCn, false) => format!(
            "共有 {total} 条日志记录涉及您，下面是最近的 {shown} 条；导出文件包含全部记录。"
        ),
        (Lang::En, true) if total == 1 => "1 audit log entry names you; it is below.".to_owned(),
        (Lang::En, true) => format!("{total} audit log entries name you, all of them below."),
        (Lang::En, false) => format!(
            "{total} audit log entries name you; the latest {shown} are below, and the export \
             holds them all."
        ),
    }
}

/// A file's size: bytes, KB or MB (powers of 1,024), the same in every language.
pub fn size_text(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KB {
        format!("{} B", bytes.max(0))
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_my_data_message_is_translated() {
        crate::i18n::catalog::assert_complete(MyDataMsg::ALL);
    }

    #[test]
    fn every_export_status_has_its_own_words() {
        let mut seen = Vec::new();
        for status in ExportStatus::ALL {
            let msg = export_status_msg(status);
            assert!(!seen.contains(&msg), "{status:?}");
            seen.push(msg);
        }
    }

    #[test]
    fn values_read_as_words() {
        assert_eq!(audit_by_msg("self"), Some(MyDataMsg::BySelf));
        assert_eq!(audit_by_msg("martians"), None);
        assert_eq!(my_attempt_status_text("graded", Lang::En), "Graded");
        assert_eq!(my_attempt_status_text("paused", Lang::En), "paused");
        assert_eq!(registration_field_text("id_number", Lang::ZhCn), "身份证号");
        assert_eq!(registration_field_text("school", Lang::En), "school");
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(2048), "2.0 KB");
        assert_eq!(size_text(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(
            audit_total_text(120, 50, Lang::En),
            "120 audit log entries name you; the latest 50 are below, and the export holds them all."
        );
        assert_eq!(
            audit_total_text(3, 3, Lang::ZhCn),
            "共有 3 条日志记录涉及您，全部列在下面。"
        );
    }
}
