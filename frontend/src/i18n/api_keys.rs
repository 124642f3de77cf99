//! The text of the API keys page.

use shared::Lang;
use shared::access::{Level, Module, Permission};

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the API keys page.
    pub enum ApiKeyMsg {
        Title => ("API 密钥", "API keys"),
        Lead => ("让您的其他系统（如教务系统、人事系统）通过 REST API 访问考试云。每个密钥只能访问所授予的权限。", "Let your other systems (student records, HR) use ExamCloud's REST API. Each key can do only what it is granted."),
        NewTitle => ("创建密钥", "Create a key"),
        NameLabel => ("名称", "Name"),
        NameHint => ("说明用途，例如“教务系统同步”，1–60 个字。", "What the key is for, e.g. “Student records sync”; 1–60 characters."),
        ScopesLabel => ("权限", "Permissions"),
        ScopesHint => ("“管理”包含“读取”。只能授予您自己拥有的权限。", "“Manage” includes “read”. You can grant only permissions you hold."),
        ExpiresLabel => ("有效期（天）", "Expires after (days)"),
        ExpiresHint => ("1–3650 天；留空表示永不过期。", "1–3650 days; leave blank for a key that does not expire."),
        RateLabel => ("每分钟请求上限", "Requests per minute"),
        RateHint => ("1–6000，默认 600。", "1–6000; 600 if left blank."),
        Create => ("创建密钥", "Create key"),
        Creating => ("正在创建…", "Creating…"),
        ScopesRequired => ("请至少选择一项权限。", "Choose at least one permission."),
        CreatedTitle => ("新密钥", "Your new key"),
        CreatedWarning => ("请立即复制并妥善保存此密钥：关闭后将无法再次查看。如果遗失，请吊销它并创建新密钥。", "Copy this key now and keep it somewhere safe: it cannot be shown again. If you lose it, revoke it and create a new one."),
        KeyLabel => ("密钥", "Key"),
        Copy => ("复制", "Copy"),
        Copied => ("已复制到剪贴板。", "Copied to the clipboard."),
        CopyFailed => ("无法自动复制，请选中密钥后手动复制。", "Could not copy automatically; select the key and copy it."),
        Done => ("我已保存密钥", "I have saved the key"),
        ListTitle => ("已有密钥", "Your keys"),
        ColName => ("名称", "Name"),
        ColPrefix => ("前缀", "Prefix"),
        ColScopes => ("权限", "Permissions"),
        ColStatus => ("状态", "Status"),
        ColLastUsed => ("最近使用", "Last used"),
        ColExpires => ("过期时间", "Expires"),
        StatusActive => ("有效", "Active"),
        StatusExpired => ("已过期", "Expired"),
        StatusRevoked => ("已吊销", "Revoked"),
        NoExpiry => ("永不过期", "Does not expire"),
        Revoke => ("吊销", "Revoke"),
        ConfirmRevoke => ("确认吊销", "Yes, revoke"),
        RevokeQuestion => ("吊销后，使用此密钥的系统将立即无法访问，且无法恢复。", "Systems using this key lose access at once; this cannot be undone."),
        Revoked => ("密钥已吊销。", "The key is revoked."),
        NoKeys => ("还没有 API 密钥。", "No API keys yet."),
        ScopeOrgRead => ("读取单位信息", "Read organisation information"),
        ScopeOrgWrite => ("管理单位信息", "Manage organisation information"),
        ScopeCandidatesRead => ("读取考生", "Read candidates"),
        ScopeCandidatesWrite => ("管理考生", "Manage candidates"),
        ScopeAuditRead => ("读取审计日志", "Read the audit log"),
        ScopeAuditWrite => ("管理审计日志", "Manage the audit log"),
        ScopeQuestionsRead => ("读取题库", "Read question banks"),
        ScopeQuestionsWrite => ("管理题库", "Manage question banks"),
        ScopeExamsRead => ("读取考试", "Read exams"),
        ScopeExamsWrite => ("管理考试", "Manage exams"),
        ScopeGradingRead => ("读取阅卷进度与评分", "Read grading queues and marks"),
        ScopeGradingWrite => ("阅卷（仅限人员账号评分）", "Grading (marks are given by people only)"),
    }
}

/// The permissions a key can be granted, in the order the form lists them.
pub const KEY_SCOPES: [Permission; 10] = [
    Permission::new(Module::Candidates, Level::Read),
    Permission::new(Module::Candidates, Level::Write),
    Permission::new(Module::Questions, Level::Read),
    Permission::new(Module::Questions, Level::Write),
    Permission::new(Module::Exams, Level::Read),
    Permission::new(Module::Exams, Level::Write),
    Permission::new(Module::Grading, Level::Read),
    Permission::new(Module::Org, Level::Read),
    Permission::new(Module::Org, Level::Write),
    Permission::new(Module::Audit, Level::Read),
];

/// The label of a permission a key may hold; `None` for one keys cannot hold.
pub fn scope_msg(scope: Permission) -> Option<ApiKeyMsg> {
    use ApiKeyMsg::*;
    Some(match (scope.module, scope.level) {
        (Module::Org, Level::Read) => ScopeOrgRead,
        (Module::Org, Level::Write) => ScopeOrgWrite,
        (Module::Candidates, Level::Read) => ScopeCandidatesRead,
        (Module::Candidates, Level::Write) => ScopeCandidatesWrite,
        (Module::Audit, Level::Read) => ScopeAuditRead,
        (Module::Audit, Level::Write) => ScopeAuditWrite,
        (Module::Questions, Level::Read) => ScopeQuestionsRead,
        (Module::Questions, Level::Write) => ScopeQuestionsWrite,
        (Module::Exams, Level::Read) => ScopeExamsRead,
        (Module::Exams, Level::Write) => ScopeExamsWrite,
        (Module::Grading, Level::Read) => ScopeGradingRead,
        (Module::Grading, Level::Write) => ScopeGradingWrite,
        (Module::Users | Module::ApiKeys, _) => return None,
    })
}

/// The label of a key's status as the API spells it.
pub fn key_status_msg(status: &str) -> Option<ApiKeyMsg> {
    match status {
        "active" => Some(ApiKeyMsg::StatusActive),
        "expired" => Some(ApiKeyMsg::StatusExpired),
        "revoked" => Some(ApiKeyMsg::StatusRevoked),
        _ => None,
    }
}

/// "Revoke “Student records sync”?"
pub fn revoke_text(name: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("确定吊销密钥“{name}”？"),
        Lang::En => format!("Revoke the key “{name}”?"),
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiKeyMsg, KEY_SCOPES, key_status_msg, scope_msg};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_api_key_message_is_translated() {
        assert_complete(ApiKeyMsg::ALL);
    }

    #[test]
    fn every_grantable_scope_and_status_has_a_label() {
        for scope in KEY_SCOPES {
            assert!(scope.module.for_api_keys(), "{scope}");
            assert!(scope_msg(scope).is_some(), "{scope}");
        }
        for status in ["active", "expired", "revoked"] {
            assert!(key_status_msg(status).is_some(), "{status}");
        }
        assert_eq!(key_status_msg("paused"), None);
    }
}
