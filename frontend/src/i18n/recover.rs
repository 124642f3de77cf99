//! The text of the forgotten-password page.

use shared::Lang;

use super::Text;

/// Every fixed string of resetting a forgotten password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoverMsg {
    ForgotLink,
    Title,
    Lead,
    DestinationHint,
    NewPasswordLabel,
    NewPasswordConfirmLabel,
    Submit,
    Submitting,
    Done,
    Remembered,
}

impl RecoverMsg {
    #[cfg(test)]
    pub const ALL: [RecoverMsg; 10] = [
        RecoverMsg::ForgotLink,
        RecoverMsg::Title,
        RecoverMsg::Lead,
        RecoverMsg::DestinationHint,
        RecoverMsg::NewPasswordLabel,
        RecoverMsg::NewPasswordConfirmLabel,
        RecoverMsg::Submit,
        RecoverMsg::Submitting,
        RecoverMsg::Done,
        RecoverMsg::Remembered,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use RecoverMsg::*;
        match (self, lang) {
            (ForgotLink, Lang::ZhCn) => "忘记密码？",
            (ForgotLink, Lang::En) => "Forgot your password?",
            (Title, Lang::ZhCn) => "重设密码",
            (Title, Lang::En) => "Reset your password",
            (Lead, Lang::ZhCn) => "输入账号绑定的邮箱或手机号获取验证码，验证后即可设置新密码。",
            (Lead, Lang::En) => {
                "Enter the email address or mobile number of your account to get a code; with it \
                 you can set a new password."
            }
            (DestinationHint, Lang::ZhCn) => "只有已注册的邮箱或手机号会收到验证码。",
            (DestinationHint, Lang::En) => "A code is sent only if this address has an account.",
            (NewPasswordLabel, Lang::ZhCn) => "新密码",
            (NewPasswordLabel, Lang::En) => "New password",
            (NewPasswordConfirmLabel, Lang::ZhCn) => "确认新密码",
            (NewPasswordConfirmLabel, Lang::En) => "Confirm the new password",
            (Submit, Lang::ZhCn) => "重设密码并退出所有设备",
            (Submit, Lang::En) => "Reset password and sign out everywhere",
            (Submitting, Lang::ZhCn) => "正在重设…",
            (Submitting, Lang::En) => "Resetting…",
            (Done, Lang::ZhCn) => {
                "密码已重设。为了安全，该账号在所有设备上的登录均已退出，请使用新密码登录。"
            }
            (Done, Lang::En) => {
                "Your password has been reset. For your safety every device has been signed out \
                 of the account: sign in with the new password."
            }
            (Remembered, Lang::ZhCn) => "想起密码了？",
            (Remembered, Lang::En) => "Remembered your password?",
        }
    }
}

impl Text for RecoverMsg {
    fn text(self, lang: Lang) -> &'static str {
        RecoverMsg::text(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::RecoverMsg;

    #[test]
    fn every_recover_message_has_a_distinct_text_in_every_language() {
        for msg in RecoverMsg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
    }
}
