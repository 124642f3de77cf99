//! The words shared by the console's data pages (navigation, paging, confirmations), and how
//! they show times and counts.

use shared::Lang;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Date;

use super::catalog::catalog;
use super::{AccountMsg, ApiKeyMsg, CandidateMsg, PaperMsg, PortalMsg, QuestionMsg, Text};

catalog! {
    /// Fixed strings shared by the console's data pages.
    pub enum ConsoleMsg {
        NavCandidates => ("考生管理", "Candidates"),
        NavApiKeys => ("API 密钥", "API keys"),
        NoPermission => ("您没有使用此页面的权限，请联系单位的所有者。", "You do not have permission to use this page; ask your organisation's owner."),
        Cancel => ("取消", "Cancel"),
        Save => ("保存", "Save"),
        Saving => ("正在保存…", "Saving…"),
        Delete => ("删除", "Delete"),
        ConfirmDelete => ("确认删除", "Yes, delete"),
        Edit => ("编辑", "Edit"),
        Actions => ("操作", "Actions"),
        Never => ("从未", "Never"),
        PrevPage => ("上一页", "Previous"),
        NextPage => ("下一页", "Next"),
        PerPage => ("每页", "Per page"),
        Pagination => ("分页", "Pages"),
        Optional => ("（选填）", "(optional)"),
        Saved => ("已保存。", "Saved."),
        Deleted => ("已删除。", "Deleted."),
        Retry => ("重试", "Try again"),
    }
}

/// A message from any catalogue, for widgets used by pages of several areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyText {
    Account(AccountMsg),
    ApiKey(ApiKeyMsg),
    Candidate(CandidateMsg),
    Console(ConsoleMsg),
    Paper(PaperMsg),
    Portal(PortalMsg),
    Question(QuestionMsg),
}

impl Text for AnyText {
    fn text(self, lang: Lang) -> &'static str {
        match self {
            AnyText::Account(msg) => msg.text(lang),
            AnyText::ApiKey(msg) => msg.text(lang),
            AnyText::Candidate(msg) => msg.text(lang),
            AnyText::Console(msg) => msg.text(lang),
            AnyText::Paper(msg) => msg.text(lang),
            AnyText::Portal(msg) => msg.text(lang),
            AnyText::Question(msg) => msg.text(lang),
        }
    }
}

macro_rules! any_text_from {
    ($($msg:ident => $variant:ident),+) => {
        $(impl From<$msg> for AnyText {
            fn from(msg: $msg) -> Self {
                AnyText::$variant(msg)
            }
        })+
    };
}

any_text_from!(
    AccountMsg => Account,
    ApiKeyMsg => ApiKey,
    CandidateMsg => Candidate,
    ConsoleMsg => Console,
    PaperMsg => Paper,
    PortalMsg => Portal,
    QuestionMsg => Question
);

/// "21–40 of 135": the rows shown and the total.
pub fn range_text(first: i64, last: i64, total: i64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("第 {first}–{last} 条，共 {total} 条"),
        Lang::En => format!("{first}–{last} of {total}"),
    }
}

/// A server timestamp (RFC 3339) as local `YYYY-MM-DD HH:MM`; the text itself if it does not
/// parse.
pub fn format_time(timestamp: &str) -> String {
    let date = Date::new(&JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        return timestamp.to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{ConsoleMsg, range_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_console_message_is_translated() {
        assert_complete(ConsoleMsg::ALL);
    }

    #[test]
    fn ranges_read_naturally() {
        assert_eq!(
            range_text(21, 40, 135, Lang::ZhCn),
            "第 21–40 条，共 135 条"
        );
        assert_eq!(range_text(1, 3, 3, Lang::En), "1–3 of 3");
    }
}
