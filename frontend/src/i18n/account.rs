//! The text of registration, sign-in and the account overview.

use shared::Lang;

use super::Text;

/// Every fixed string of the account screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMsg {
    NavLogin,
    NavRegister,
    NavAccount,
    AccountMenu,
    RegisterTitle,
    RegisterLead,
    OrgNameLabel,
    OrgNameHint,
    DestinationLabel,
    DestinationHint,
    CodeLabel,
    SendCode,
    SendCodeAgain,
    SendingCode,
    PasswordLabel,
    NewPasswordHint,
    PasswordConfirmLabel,
    RegisterSubmit,
    RegisterSubmitting,
    HaveAccount,
    AlreadySignedIn,
    GoToAccount,
    GoToLogin,
    LoginTitle,
    LoginLead,
    LoginModes,
    ModePassword,
    ModeCode,
    IdentifierLabel,
    IdentifierHint,
    LoginSubmit,
    LoginSubmitting,
    NoAccount,
    SignInToContinue,
    ShareDevice,
    AccountTitle,
    AccountLead,
    OrgSection,
    OrgName,
    PortalSlug,
    PortalHint,
    SignInSection,
    Role,
    Email,
    Phone,
    NotSet,
    RoleOwner,
    RoleAdmin,
    RoleGrader,
    Logout,
    LogoutAll,
    LogoutAllHint,
    SigningOut,
    Retry,
    NoticeSignedOut,
    NoticeSignedOutEverywhere,
    NoticeSessionExpired,
    ErrorAlreadyRegistered,
    ErrorInvalidPassword,
    ErrorInvalidCode,
    ErrorCheckFields,
}

impl AccountMsg {
    #[cfg(test)]
    pub const ALL: [AccountMsg; 61] = [
        AccountMsg::NavLogin,
        AccountMsg::NavRegister,
        AccountMsg::NavAccount,
        AccountMsg::AccountMenu,
        AccountMsg::RegisterTitle,
        AccountMsg::RegisterLead,
        AccountMsg::OrgNameLabel,
        AccountMsg::OrgNameHint,
        AccountMsg::DestinationLabel,
        AccountMsg::DestinationHint,
        AccountMsg::CodeLabel,
        AccountMsg::SendCode,
        AccountMsg::SendCodeAgain,
        AccountMsg::SendingCode,
        AccountMsg::PasswordLabel,
        AccountMsg::NewPasswordHint,
        AccountMsg::PasswordConfirmLabel,
        AccountMsg::RegisterSubmit,
        AccountMsg::RegisterSubmitting,
        AccountMsg::HaveAccount,
        AccountMsg::AlreadySignedIn,
        AccountMsg::GoToAccount,
        AccountMsg::GoToLogin,
        AccountMsg::LoginTitle,
        AccountMsg::LoginLead,
        AccountMsg::LoginModes,
        AccountMsg::ModePassword,
        AccountMsg::ModeCode,
        AccountMsg::IdentifierLabel,
        AccountMsg::IdentifierHint,
        AccountMsg::LoginSubmit,
        AccountMsg::LoginSubmitting,
        AccountMsg::NoAccount,
        AccountMsg::SignInToContinue,
        AccountMsg::ShareDevice,
        AccountMsg::AccountTitle,
        AccountMsg::AccountLead,
        AccountMsg::OrgSection,
        AccountMsg::OrgName,
        AccountMsg::PortalSlug,
        AccountMsg::PortalHint,
        AccountMsg::SignInSection,
        AccountMsg::Role,
        AccountMsg::Email,
        AccountMsg::Phone,
        AccountMsg::NotSet,
        AccountMsg::RoleOwner,
        AccountMsg::RoleAdmin,
        AccountMsg::RoleGrader,
        AccountMsg::Logout,
        AccountMsg::LogoutAll,
        AccountMsg::LogoutAllHint,
        AccountMsg::SigningOut,
        AccountMsg::Retry,
        AccountMsg::NoticeSignedOut,
        AccountMsg::NoticeSignedOutEverywhere,
        AccountMsg::NoticeSessionExpired,
        AccountMsg::ErrorAlreadyRegistered,
        AccountMsg::ErrorInvalidPassword,
        AccountMsg::ErrorInvalidCode,
        AccountMsg::ErrorCheckFields,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use AccountMsg::*;
        match (self, lang) {
            (NavLogin, Lang::ZhCn) => "登录",
            (NavLogin, Lang::En) => "Sign in",
            (NavRegister, Lang::ZhCn) => "注册",
            (NavRegister, Lang::En) => "Register",
            (NavAccount, Lang::ZhCn) => "账号信息",
            (NavAccount, Lang::En) => "Account",
            (AccountMenu, Lang::ZhCn) => "账号",
            (AccountMenu, Lang::En) => "Your account",
            (RegisterTitle, Lang::ZhCn) => "注册单位账号",
            (RegisterTitle, Lang::En) => "Register your organisation",
            (RegisterLead, Lang::ZhCn) => {
                "为学校、企业或机构开通考试云。注册人将成为该单位的所有者。"
            }
            (RegisterLead, Lang::En) => {
                "Open ExamCloud for your school, company or institution. You become the \
                 organisation's owner."
            }
            (OrgNameLabel, Lang::ZhCn) => "单位名称",
            (OrgNameLabel, Lang::En) => "Organisation name",
            (OrgNameHint, Lang::ZhCn) => "学校、企业或机构的全称，2–100 个字。",
            (OrgNameHint, Lang::En) => "The full name of your organisation, 2–100 characters.",
            (DestinationLabel, Lang::ZhCn) => "邮箱或手机号",
            (DestinationLabel, Lang::En) => "Email or mobile number",
            (DestinationHint, Lang::ZhCn) => "用于接收验证码和登录。手机号限中国大陆号码。",
            (DestinationHint, Lang::En) => {
                "For verification codes and signing in. Mobile numbers must be from mainland \
                 China."
            }
            (CodeLabel, Lang::ZhCn) => "验证码",
            (CodeLabel, Lang::En) => "Verification code",
            (SendCode, Lang::ZhCn) => "获取验证码",
            (SendCode, Lang::En) => "Send code",
            (SendCodeAgain, Lang::ZhCn) => "重新获取",
            (SendCodeAgain, Lang::En) => "Send again",
            (SendingCode, Lang::ZhCn) => "正在发送…",
            (SendingCode, Lang::En) => "Sending…",
            (PasswordLabel, Lang::ZhCn) => "密码",
            (PasswordLabel, Lang::En) => "Password",
            (NewPasswordHint, Lang::ZhCn) => "至少 8 个字符，请勿使用常见的简单密码。",
            (NewPasswordHint, Lang::En) => "At least 8 characters; avoid common passwords.",
            (PasswordConfirmLabel, Lang::ZhCn) => "确认密码",
            (PasswordConfirmLabel, Lang::En) => "Confirm password",
            (RegisterSubmit, Lang::ZhCn) => "注册",
            (RegisterSubmit, Lang::En) => "Register",
            (RegisterSubmitting, Lang::ZhCn) => "正在注册…",
            (RegisterSubmitting, Lang::En) => "Registering…",
            (HaveAccount, Lang::ZhCn) => "已有账号？",
            (HaveAccount, Lang::En) => "Already have an account?",
            (AlreadySignedIn, Lang::ZhCn) => "您当前已登录：",
            (AlreadySignedIn, Lang::En) => "You are signed in to",
            (GoToAccount, Lang::ZhCn) => "查看账号信息",
            (GoToAccount, Lang::En) => "Go to your account",
            (GoToLogin, Lang::ZhCn) => "去登录",
            (GoToLogin, Lang::En) => "Go to sign in",
            (LoginTitle, Lang::ZhCn) => "登录",
            (LoginTitle, Lang::En) => "Sign in",
            (LoginLead, Lang::ZhCn) => "登录考试云，管理您单位的题库与考试。",
            (LoginLead, Lang::En) => {
                "Sign in to ExamCloud to manage your organisation's questions and exams."
            }
            (LoginModes, Lang::ZhCn) => "登录方式",
            (LoginModes, Lang::En) => "Sign-in method",
            (ModePassword, Lang::ZhCn) => "密码登录",
            (ModePassword, Lang::En) => "Password",
            (ModeCode, Lang::ZhCn) => "验证码登录",
            (ModeCode, Lang::En) => "Verification code",
            (IdentifierLabel, Lang::ZhCn) => "账号",
            (IdentifierLabel, Lang::En) => "Account",
            (IdentifierHint, Lang::ZhCn) => "登录账号、邮箱或手机号。",
            (IdentifierHint, Lang::En) => "Your login name, email address or mobile number.",
            (LoginSubmit, Lang::ZhCn) => "登录",
            (LoginSubmit, Lang::En) => "Sign in",
            (LoginSubmitting, Lang::ZhCn) => "正在登录…",
            (LoginSubmitting, Lang::En) => "Signing in…",
            (NoAccount, Lang::ZhCn) => "还没有账号？",
            (NoAccount, Lang::En) => "No account yet?",
            (SignInToContinue, Lang::ZhCn) => "请先登录，登录后将返回您刚才访问的页面。",
            (SignInToContinue, Lang::En) => {
                "Please sign in; you will then return to the page you asked for."
            }
            (ShareDevice, Lang::ZhCn) => {
                "在登录记录中保存本设备的平台、屏幕尺寸、时区和语言（可选，便于识别异常登录）"
            }
            (ShareDevice, Lang::En) => {
                "Record this device's platform, screen size, time zone and language in the sign-in log (optional; helps spot unusual sign-ins)"
            }
            (AccountTitle, Lang::ZhCn) => "账号信息",
            (AccountTitle, Lang::En) => "Account",
            (AccountLead, Lang::ZhCn) => "您的单位与登录信息。",
            (AccountLead, Lang::En) => "Your organisation and how you sign in.",
            (OrgSection, Lang::ZhCn) => "单位",
            (OrgSection, Lang::En) => "Organisation",
            (OrgName, Lang::ZhCn) => "单位名称",
            (OrgName, Lang::En) => "Name",
            (PortalSlug, Lang::ZhCn) => "考生门户标识",
            (PortalSlug, Lang::En) => "Candidate portal id",
            (PortalHint, Lang::ZhCn) => "考生门户地址：",
            (PortalHint, Lang::En) => "Candidate portal address:",
            (SignInSection, Lang::ZhCn) => "登录与安全",
            (SignInSection, Lang::En) => "Sign-in and security",
            (Role, Lang::ZhCn) => "角色",
            (Role, Lang::En) => "Role",
            (Email, Lang::ZhCn) => "邮箱",
            (Email, Lang::En) => "Email",
            (Phone, Lang::ZhCn) => "手机号",
            (Phone, Lang::En) => "Mobile number",
            (NotSet, Lang::ZhCn) => "未绑定",
            (NotSet, Lang::En) => "Not set",
            (RoleOwner, Lang::ZhCn) => "所有者",
            (RoleOwner, Lang::En) => "Owner",
            (RoleAdmin, Lang::ZhCn) => "管理员",
            (RoleAdmin, Lang::En) => "Administrator",
            (RoleGrader, Lang::ZhCn) => "阅卷人",
            (RoleGrader, Lang::En) => "Grader",
            (Logout, Lang::ZhCn) => "退出登录",
            (Logout, Lang::En) => "Sign out",
            (LogoutAll, Lang::ZhCn) => "退出所有设备",
            (LogoutAll, Lang::En) => "Sign out on all devices",
            (LogoutAllHint, Lang::ZhCn) => "“退出所有设备”会同时结束您在其他电脑和手机上的登录。",
            (LogoutAllHint, Lang::En) => {
                "“Sign out on all devices” also ends your sessions on every other computer and \
                 phone."
            }
            (SigningOut, Lang::ZhCn) => "正在退出…",
            (SigningOut, Lang::En) => "Signing out…",
            (Retry, Lang::ZhCn) => "重试",
            (Retry, Lang::En) => "Try again",
            (NoticeSignedOut, Lang::ZhCn) => "您已退出登录。",
            (NoticeSignedOut, Lang::En) => "You have signed out.",
            (NoticeSignedOutEverywhere, Lang::ZhCn) => "您已在所有设备上退出登录。",
            (NoticeSignedOutEverywhere, Lang::En) => "You have signed out on all devices.",
            (NoticeSessionExpired, Lang::ZhCn) => "登录已失效，请重新登录。",
            (NoticeSessionExpired, Lang::En) => "Your session has ended; please sign in again.",
            (ErrorAlreadyRegistered, Lang::ZhCn) => {
                "该邮箱或手机号已注册过账号，请直接登录或重设密码。"
            }
            (ErrorAlreadyRegistered, Lang::En) => {
                "This email address or mobile number already has an account: sign in, or reset \
                 your password."
            }
            (ErrorInvalidPassword, Lang::ZhCn) => "账号或密码错误。",
            (ErrorInvalidPassword, Lang::En) => "The account or password is incorrect.",
            (ErrorInvalidCode, Lang::ZhCn) => "账号或验证码错误，或验证码已过期。",
            (ErrorInvalidCode, Lang::En) => {
                "The account or code is incorrect, or the code has expired."
            }
            (ErrorCheckFields, Lang::ZhCn) => "请按提示修改标出的内容。",
            (ErrorCheckFields, Lang::En) => "Please correct the marked fields.",
        }
    }
}

impl Text for AccountMsg {
    fn text(self, lang: Lang) -> &'static str {
        AccountMsg::text(self, lang)
    }
}

/// The label of a role as the API spells it, if it is one this version knows.
pub fn role_msg(role: &str) -> Option<AccountMsg> {
    match role {
        "owner" => Some(AccountMsg::RoleOwner),
        "admin" => Some(AccountMsg::RoleAdmin),
        "grader" => Some(AccountMsg::RoleGrader),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{AccountMsg, role_msg};

    #[test]
    fn every_account_message_has_a_distinct_text_in_every_language() {
        for msg in AccountMsg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
    }

    #[test]
    fn known_roles_have_labels() {
        assert_eq!(role_msg("owner"), Some(AccountMsg::RoleOwner));
        assert_eq!(role_msg("admin"), Some(AccountMsg::RoleAdmin));
        assert_eq!(role_msg("grader"), Some(AccountMsg::RoleGrader));
        assert_eq!(role_msg("auditor"), None);
    }
}
