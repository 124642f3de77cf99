//! The text of the candidate portal.

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the candidate portal.
    pub enum PortalMsg {
        NotFoundTitle => ("找不到该考生门户", "No such candidate portal"),
        NotFoundLead => ("地址可能有误，或该单位的门户已停用。请向考试组织方确认登录地址。", "The address may be wrong, or the organisation's portal is closed. Ask your exam organiser for the right address."),
        LoginTitle => ("考生登录", "Candidate sign-in"),
        LoginLead => ("请使用考试组织方提供的账号登录。", "Sign in with the account your exam organiser gave you."),
        CodeHint => ("填写在考试组织方登记的邮箱或手机号。", "The email address or mobile number your exam organiser has on file."),
        HomeLead => ("您的考试安排如下。", "Your exams are listed below."),
        NoExams => ("目前没有需要参加的考试。", "You have no exams at the moment."),
        SignedInAs => ("登录账号", "Signed in as"),
        PoweredBy => ("考试云提供技术支持", "Powered by ExamCloud"),
    }
}

/// The greeting on the candidate's home page.
pub fn hello_text(name: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("你好，{name}"),
        Lang::En => format!("Hello, {name}"),
    }
}

/// The text alternative of an organisation's logo.
pub fn logo_alt_text(org: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{org}的标志"),
        Lang::En => format!("{org} logo"),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{PortalMsg, hello_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_portal_message_is_translated() {
        assert_complete(PortalMsg::ALL);
    }

    #[test]
    fn the_greeting_names_the_candidate() {
        assert_eq!(hello_text("李雷", Lang::ZhCn), "你好，李雷");
        assert_eq!(hello_text("Lucy", Lang::En), "Hello, Lucy");
    }
}
