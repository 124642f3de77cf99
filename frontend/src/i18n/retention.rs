//! The text of the data retention page: each kind of data the server deletes or anonymises at
//! the end of its life (`shared::privacy::RetentionKind`), what happens then, and for how long
//! it is kept.

use shared::Lang;
use shared::privacy::{RetentionAction, RetentionKind};

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the data retention page.
    pub enum RetentionMsg {
        Tab => ("数据保留", "Data retention"),
        Title => ("数据保留期限", "Data retention"),
        Lead => ("按照隐私政策，个人信息只保存实现目的所需的时间，到期后删除或匿名化。下表是本平台当前执行的保留期限，每天自动执行。", "As the privacy statement promises, personal data is kept only as long as needed, then deleted or anonymised. This is the policy in effect on this platform; it is applied every day."),
        TableLabel => ("各类数据的保留期限", "Retention of each kind of data"),
        Kind => ("数据类型", "Kind of data"),
        What => ("说明", "What it is"),
        Action => ("到期处理", "At the end"),
        Days => ("保留期限", "Kept for"),
        Delete => ("删除", "Deleted"),
        Anonymise => ("匿名化（删除其中的个人信息）", "Anonymised (personal data removed)"),
        VerificationCodes => ("验证码", "Verification codes"),
        VerificationCodesWhat => ("注册、登录、找回密码和绑定时发送的一次性验证码（仅存哈希），自过期时起计算。", "One-time codes for registration, sign-in, password recovery and binding (stored only as hashes), counted from their expiry."),
        LoginAttempts => ("登录尝试记录", "Sign-in attempts"),
        LoginAttemptsWhat => ("用于防止密码猜测的登录尝试记录，自尝试时起计算。", "Records of sign-in attempts kept to stop password guessing, counted from the attempt."),
        Sessions => ("登录会话", "Sessions"),
        SessionsWhat => ("已过期或已退出的登录会话，自过期或退出时起计算。", "Sign-in sessions that expired or were signed out, counted from their expiry or sign-out."),
        RefreshTokens => ("登录续期凭证", "Sign-in renewal tokens"),
        RefreshTokensWhat => ("用于续期登录的凭证（仅存哈希），自过期时起计算。", "Tokens that renew a sign-in (stored only as hashes), counted from their expiry."),
        NotificationOutbox => ("邮件与短信", "Email and SMS messages"),
        NotificationOutboxWhat => ("已发送或已放弃发送的邮件和短信（含收件地址和内容），自排队发送时起计算。", "Email and SMS messages sent or given up (with their address and content), counted from when they were queued."),
        AttemptEventIps => ("监考事件的 IP 地址", "IP addresses of integrity events"),
        AttemptEventIpsWhat => ("切屏、复制等监考事件中记录的 IP 地址，自事件发生时起计算；事件本身保留。", "The IP address recorded with each exam integrity event (leaving the page, copying, …), counted from the event; the event itself stays."),
        AttemptIps => ("作答的 IP 地址", "IP addresses of attempts"),
        AttemptIpsWhat => ("考生作答时最后使用的 IP 地址，自交卷时起计算。", "The last IP address a candidate answered from, counted from submission."),
        SessionDevices => ("登录设备信息", "Device details"),
        SessionDevicesWhat => ("登录时经同意提供的设备信息，自该会话最后一次使用时起计算。", "Device details shared with consent at sign-in, counted from the session's last use."),
        AuditLogPii => ("操作日志中的个人信息", "Personal data in the audit log"),
        AuditLogPiiWhat => ("操作日志中的 IP 地址、浏览器标识和设备信息，自记录时起计算；日志条目本身保留，防篡改校验不受影响。", "The IP address, user agent and device details of audit log entries, counted from the entry; the entries themselves stay and still verify."),
        Jobs => ("已完成的后台任务", "Finished background jobs"),
        DataExports => ("个人数据导出记录", "Personal data exports"),
        DataExportsWhat => ("“我的数据”导出的记录（导出文件在下载后或到期时即删除），自申请时起计算。", "Records of \"my data\" exports (the file itself is deleted when downloaded or when it expires), counted from the request."),
        JobsWhat => ("已完成的后台任务记录（如到时交卷、成绩通知），自完成时起计算。", "Records of finished background jobs (submission at the deadline, result notices), counted from when they finished."),
    }
}

/// The name of a kind of data and what it is.
pub fn retention_kind_msgs(kind: RetentionKind) -> (RetentionMsg, RetentionMsg) {
    use RetentionKind as K;
    use RetentionMsg as M;
    match kind {
        K::VerificationCodes => (M::VerificationCodes, M::VerificationCodesWhat),
        K::LoginAttempts => (M::LoginAttempts, M::LoginAttemptsWhat),
        K::Sessions => (M::Sessions, M::SessionsWhat),
        K::RefreshTokens => (M::RefreshTokens, M::RefreshTokensWhat),
        K::NotificationOutbox => (M::NotificationOutbox, M::NotificationOutboxWhat),
        K::AttemptEventIps => (M::AttemptEventIps, M::AttemptEventIpsWhat),
        K::AttemptIps => (M::AttemptIps, M::AttemptIpsWhat),
        K::SessionDevices => (M::SessionDevices, M::SessionDevicesWhat),
        K::AuditLogPii => (M::AuditLogPii, M::AuditLogPiiWhat),
        K::Jobs => (M::Jobs, M::JobsWhat),
        K::DataExports => (M::DataExports, M::DataExportsWhat),
    }
}

/// What happens at the end.
pub fn retention_action_msg(action: RetentionAction) -> RetentionMsg {
    match action {
        RetentionAction::Delete => RetentionMsg::Delete,
        RetentionAction::Anonymise => RetentionMsg::Anonymise,
    }
}

/// "30 days"; zero days is "until the end" (the action follows at once).
pub fn retention_days_text(days: u32, lang: Lang) -> String {
    match (lang, days) {
        (Lang::ZhCn, 0) => "到期即处理".to_owned(),
        (Lang::ZhCn, n) => format!("{n} 天"),
        (Lang::En, 0) => "until the end".to_owned(),
        (Lang::En, 1) => "1 day".to_owned(),
        (Lang::En, n) => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_retention_message_is_translated() {
        crate::i18n::catalog::assert_complete(RetentionMsg::ALL);
    }

    #[test]
    fn every_kind_has_its_own_name_and_description() {
        let mut seen = Vec::new();
        for kind in RetentionKind::ALL {
            let (name, what) = retention_kind_msgs(kind);
            assert!(!seen.contains(&name) && !seen.contains(&what), "{kind:?}");
            seen.extend([name, what]);
        }
        assert_eq!(retention_days_text(180, Lang::ZhCn), "180 天");
        assert_eq!(retention_days_text(1, Lang::En), "1 day");
    }
}
