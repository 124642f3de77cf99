//! The text of the audit log viewer, including the names of the actions it records.

use shared::Lang;

use super::Text;

/// Every fixed string of the audit log viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditMsg {
    Title,
    Lead,
    Filters,
    ActionLabel,
    OutcomeLabel,
    FromLabel,
    ToLabel,
    PageSizeLabel,
    Apply,
    Reset,
    Export,
    ExportHint,
    AnyAction,
    AnyOutcome,
    Success,
    Failure,
    ColTime,
    ColAction,
    ColOutcome,
    ColActor,
    ColTarget,
    ColIp,
    ColDetails,
    ActorUser,
    ActorStaff,
    ActorApiKey,
    ActorSystem,
    ActorAnonymous,
    Empty,
    Paging,
    Newer,
    Older,
    ToBeforeFrom,
    Yes,
    No,
    AllOfArea,
    ActorCandidate,
}

impl AuditMsg {
    #[cfg(test)]
    pub const ALL: [AuditMsg; 37] = [
        AuditMsg::Title,
        AuditMsg::Lead,
        AuditMsg::Filters,
        AuditMsg::ActionLabel,
        AuditMsg::OutcomeLabel,
        AuditMsg::FromLabel,
        AuditMsg::ToLabel,
        AuditMsg::PageSizeLabel,
        AuditMsg::Apply,
        AuditMsg::Reset,
        AuditMsg::Export,
        AuditMsg::ExportHint,
        AuditMsg::AnyAction,
        AuditMsg::AnyOutcome,
        AuditMsg::Success,
        AuditMsg::Failure,
        AuditMsg::ColTime,
        AuditMsg::ColAction,
        AuditMsg::ColOutcome,
        AuditMsg::ColActor,
        AuditMsg::ColTarget,
        AuditMsg::ColIp,
        AuditMsg::ColDetails,
        AuditMsg::ActorUser,
        AuditMsg::ActorStaff,
        AuditMsg::ActorApiKey,
        AuditMsg::ActorSystem,
        AuditMsg::ActorAnonymous,
        AuditMsg::Empty,
        AuditMsg::Paging,
        AuditMsg::Newer,
        AuditMsg::Older,
        AuditMsg::ToBeforeFrom,
        AuditMsg::Yes,
        AuditMsg::No,
        AuditMsg::AllOfArea,
        AuditMsg::ActorCandidate,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use AuditMsg::*;
        match (self, lang) {
            (Title, Lang::ZhCn) => "审计日志",
            (Title, Lang::En) => "Audit log",
            (Lead, Lang::ZhCn) => "本单位的登录、安全事件与设置变更记录，最新的在前。",
            (Lead, Lang::En) => {
                "Sign-ins, security events and setting changes in your organisation, newest \
                 first."
            }
            (Filters, Lang::ZhCn) => "筛选条件",
            (Filters, Lang::En) => "Filters",
            (ActionLabel, Lang::ZhCn) => "操作",
            (ActionLabel, Lang::En) => "Action",
            (OutcomeLabel, Lang::ZhCn) => "结果",
            (OutcomeLabel, Lang::En) => "Outcome",
            (FromLabel, Lang::ZhCn) => "开始日期",
            (FromLabel, Lang::En) => "From",
            (ToLabel, Lang::ZhCn) => "结束日期（含）",
            (ToLabel, Lang::En) => "To (inclusive)",
            (PageSizeLabel, Lang::ZhCn) => "每页条数",
            (PageSizeLabel, Lang::En) => "Per page",
            (Apply, Lang::ZhCn) => "筛选",
            (Apply, Lang::En) => "Apply",
            (Reset, Lang::ZhCn) => "重置",
            (Reset, Lang::En) => "Reset",
            (Export, Lang::ZhCn) => "导出 CSV",
            (Export, Lang::En) => "Export CSV",
            (ExportHint, Lang::ZhCn) => "导出符合当前筛选条件的全部记录（最多 10 万条）。",
            (ExportHint, Lang::En) => "Exports every entry matching the filters (up to 100,000).",
            (AnyAction, Lang::ZhCn) => "全部操作",
            (AnyAction, Lang::En) => "All actions",
            (AnyOutcome, Lang::ZhCn) => "全部结果",
            (AnyOutcome, Lang::En) => "All outcomes",
            (Success, Lang::ZhCn) => "成功",
            (Success, Lang::En) => "Success",
            (Failure, Lang::ZhCn) => "失败",
            (Failure, Lang::En) => "Failure",
            (ColTime, Lang::ZhCn) => "时间",
            (ColTime, Lang::En) => "Time",
            (ColAction, Lang::ZhCn) => "操作",
            (ColAction, Lang::En) => "Action",
            (ColOutcome, Lang::ZhCn) => "结果",
            (ColOutcome, Lang::En) => "Outcome",
            (ColActor, Lang::ZhCn) => "操作者",
            (ColActor, Lang::En) => "Actor",
            (ColTarget, Lang::ZhCn) => "对象",
            (ColTarget, Lang::En) => "Target",
            (ColIp, Lang::ZhCn) => "IP 地址",
            (ColIp, Lang::En) => "IP address",
            (ColDetails, Lang::ZhCn) => "详情",
            (ColDetails, Lang::En) => "Details",
            (ActorUser, Lang::ZhCn) => "用户",
            (ActorUser, Lang::En) => "User",
            (ActorStaff, Lang::ZhCn) => "平台人员",
            (ActorStaff, Lang::En) => "Platform staff",
            (ActorApiKey, Lang::ZhCn) => "API 密钥",
            (ActorApiKey, Lang::En) => "API key",
            (ActorSystem, Lang::ZhCn) => "系统",
            (ActorSystem, Lang::En) => "System",
            (ActorAnonymous, Lang::ZhCn) => "匿名",
            (ActorAnonymous, Lang::En) => "Anonymous",
            (Empty, Lang::ZhCn) => "没有符合条件的记录。",
            (Empty, Lang::En) => "No entries match these filters.",
            (Paging, Lang::ZhCn) => "分页",
            (Paging, Lang::En) => "Pages",
            (Newer, Lang::ZhCn) => "较新的记录",
            (Newer, Lang::En) => "Newer entries",
            (Older, Lang::ZhCn) => "较早的记录",
            (Older, Lang::En) => "Older entries",
            (ToBeforeFrom, Lang::ZhCn) => "结束日期不能早于开始日期。",
            (ToBeforeFrom, Lang::En) => "The end date cannot be before the start date.",
            (Yes, Lang::ZhCn) => "是",
            (Yes, Lang::En) => "Yes",
            (No, Lang::ZhCn) => "否",
            (No, Lang::En) => "No",
            (AllOfArea, Lang::ZhCn) => "（全部）",
            (AllOfArea, Lang::En) => " (all)",
            (ActorCandidate, Lang::ZhCn) => "考生",
            (ActorCandidate, Lang::En) => "Candidate",
        }
    }
}

impl Text for AuditMsg {
    fn text(self, lang: Lang) -> &'static str {
        AuditMsg::text(self, lang)
    }
}

/// The label of an actor kind (`actor_kind`), if it is one this version knows.
pub fn actor_msg(kind: &str) -> Option<AuditMsg> {
    use AuditMsg::*;
    Some(match kind {
        "user" => ActorUser,
        "candidate" => ActorCandidate,
        "staff" => ActorStaff,
        "api_key" => ActorApiKey,
        "system" => ActorSystem,
        "anonymous" => ActorAnonymous,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{AuditMsg, actor_msg};

    #[test]
    fn every_audit_message_has_a_distinct_text_in_every_language() {
        for msg in AuditMsg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
    }

    #[test]
    fn known_actions_and_actors_have_labels() {
        assert_eq!(actor_msg("user"), Some(AuditMsg::ActorUser));
        assert_eq!(actor_msg("robot"), None);
    }
}
