//! The text of registration, sign-in and the account screens, and the wording of the API's
//! field errors.

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
    OrgNameRequired,
    OrgNameTooShort,
    OrgNameTooLong,
    OrgNameInvalid,
    DestinationRequired,
    DestinationInvalid,
    DestinationTooLong,
    IdentifierRequired,
    IdentifierInvalid,
    CodeRequired,
    CodeInvalidFormat,
    CodeWrong,
    PasswordRequired,
    PasswordTooShort,
    PasswordTooLong,
    PasswordTooWeak,
    PasswordsDiffer,
    FieldRequired,
    FieldTooShort,
    FieldTooLong,
    FieldInvalid,
}

impl AccountMsg {
    #[cfg(test)]
    pub const ALL: [AccountMsg; 81] = [
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
        AccountMsg::OrgNameRequired,
        AccountMsg::OrgNameTooShort,
        AccountMsg::OrgNameTooLong,
        AccountMsg::OrgNameInvalid,
        AccountMsg::DestinationRequired,
        AccountMsg::DestinationInvalid,
        AccountMsg::DestinationTooLong,
        AccountMsg::IdentifierRequired,
        AccountMsg::IdentifierInvalid,
        AccountMsg::CodeRequired,
        AccountMsg::CodeInvalidFormat,
        AccountMsg::CodeWrong,
        AccountMsg::PasswordRequired,
        AccountMsg::PasswordTooShort,
        AccountMsg::PasswordTooLong,
        AccountMsg::PasswordTooWeak,
        AccountMsg::PasswordsDiffer,
        AccountMsg::FieldRequired,
        AccountMsg::FieldTooShort,
        AccountMsg::FieldTooLong,
        AccountMsg::FieldInvalid,
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
            (OrgNameRequired, Lang::ZhCn) => "请填写单位名称。",
            (OrgNameRequired, Lang::En) => "Enter your organisation's name.",
            (OrgNameTooShort, Lang::ZhCn) => "单位名称至少 2 个字。",
            (OrgNameTooShort, Lang::En) => "The name must have at least 2 characters.",
            (OrgNameTooLong, Lang::ZhCn) => "单位名称最多 100 个字。",
            (OrgNameTooLong, Lang::En) => "The name may have at most 100 characters.",
            (OrgNameInvalid, Lang::ZhCn) => "单位名称含有不允许的字符。",
            (OrgNameInvalid, Lang::En) => "The name contains characters that are not allowed.",
            (DestinationRequired, Lang::ZhCn) => "请填写邮箱或手机号。",
            (DestinationRequired, Lang::En) => "Enter an email address or mobile number.",
            (DestinationInvalid, Lang::ZhCn) => "请填写有效的邮箱地址或中国大陆手机号。",
            (DestinationInvalid, Lang::En) => {
                "Enter a valid email address or mainland-China mobile number."
            }
            (DestinationTooLong, Lang::ZhCn) => "邮箱地址或手机号过长。",
            (DestinationTooLong, Lang::En) => "This is too long for an email address or number.",
            (IdentifierRequired, Lang::ZhCn) => "请填写登录账号、邮箱或手机号。",
            (IdentifierRequired, Lang::En) => {
                "Enter your login name, email address or mobile number."
            }
            (IdentifierInvalid, Lang::ZhCn) => "请填写有效的登录账号、邮箱或手机号。",
            (IdentifierInvalid, Lang::En) => {
                "Enter a valid login name, email address or mobile number."
            }
            (CodeRequired, Lang::ZhCn) => "请填写验证码。",
            (CodeRequired, Lang::En) => "Enter the verification code.",
            (CodeInvalidFormat, Lang::ZhCn) => "验证码为 6 位数字。",
            (CodeInvalidFormat, Lang::En) => "The code is 6 digits.",
            (CodeWrong, Lang::ZhCn) => "验证码错误或已过期，请重新获取。",
            (CodeWrong, Lang::En) => "The code is wrong or has expired; request a new one.",
            (PasswordRequired, Lang::ZhCn) => "请填写密码。",
            (PasswordRequired, Lang::En) => "Enter a password.",
            (PasswordTooShort, Lang::ZhCn) => "密码至少需要 8 个字符。",
            (PasswordTooShort, Lang::En) => "The password must have at least 8 characters.",
            (PasswordTooLong, Lang::ZhCn) => "密码最多 128 个字符。",
            (PasswordTooLong, Lang::En) => "The password may have at most 128 characters.",
            (PasswordTooWeak, Lang::ZhCn) => "密码过于简单，容易被猜到，请换一个。",
            (PasswordTooWeak, Lang::En) => {
                "This password is too easy to guess; choose another one."
            }
            (PasswordsDiffer, Lang::ZhCn) => "两次输入的密码不一致。",
            (PasswordsDiffer, Lang::En) => "The two passwords do not match.",
            (FieldRequired, Lang::ZhCn) => "此项为必填项。",
            (FieldRequired, Lang::En) => "This field is required.",
            (FieldTooShort, Lang::ZhCn) => "内容过短。",
            (FieldTooShort, Lang::En) => "This is too short.",
            (FieldTooLong, Lang::ZhCn) => "内容过长。",
            (FieldTooLong, Lang::En) => "This is too long.",
            (FieldInvalid, Lang::ZhCn) => "内容格式不正确。",
            (FieldInvalid, Lang::En) => "This is not in a valid format.",
        }
    }
}

impl Text for AccountMsg {
    fn text(self, lang: Lang) -> &'static str {
        AccountMsg::text(self, lang)
    }
}

/// The message for one field error from the API (`details.fields[].reason`), specific where the
/// field is known and generic otherwise, so a reason added later still reads sensibly.
pub fn field_error_msg(field: &str, reason: &str) -> AccountMsg {
    use AccountMsg::*;
    match (field, reason) {
        ("org_name", "required") => OrgNameRequired,
        ("org_name", "too_short") => OrgNameTooShort,
        ("org_name", "too_long") => OrgNameTooLong,
        ("org_name", _) => OrgNameInvalid,
        ("destination", "required") => DestinationRequired,
        ("destination", "too_long") => DestinationTooLong,
        ("destination", _) => DestinationInvalid,
        ("identifier", "required") => IdentifierRequired,
        ("identifier", _) => IdentifierInvalid,
        ("code", "required") => CodeRequired,
        ("code", "invalid_code") => CodeWrong,
        ("code", _) => CodeInvalidFormat,
        ("password", "required") => PasswordRequired,
        ("password", "too_short") => PasswordTooShort,
        ("password", "too_long") => PasswordTooLong,
        ("password", _) => PasswordTooWeak,
        ("password_confirm", _) => PasswordsDiffer,
        (_, "required") => FieldRequired,
        (_, "too_short") => FieldTooShort,
        (_, "too_long") => FieldTooLong,
        (_, "invalid_code") => CodeWrong,
        _ => FieldInvalid,
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

    use super::{AccountMsg, field_error_msg, role_msg};

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
    fn every_reason_the_api_sends_has_a_specific_message_per_field() {
        use AccountMsg::*;
        let expected = [
            ("org_name", "required", OrgNameRequired),
            ("org_name", "too_short", OrgNameTooShort),
            ("org_name", "too_long", OrgNameTooLong),
            ("org_name", "invalid_format", OrgNameInvalid),
            ("destination", "required", DestinationRequired),
            ("destination", "too_long", DestinationTooLong),
            ("destination", "invalid_format", DestinationInvalid),
            ("identifier", "invalid_format", IdentifierInvalid),
            ("code", "required", CodeRequired),
            ("code", "invalid_format", CodeInvalidFormat),
            ("code", "invalid_code", CodeWrong),
            ("password", "required", PasswordRequired),
            ("password", "too_short", PasswordTooShort),
            ("password", "too_long", PasswordTooLong),
            ("password", "invalid_format", PasswordTooWeak),
        ];
        for (field, reason, msg) in expected {
            assert_eq!(field_error_msg(field, reason), msg, "{field} {reason}");
        }
    }

    #[test]
    fn unknown_fields_and_reasons_fall_back_to_generic_messages() {
        use AccountMsg::*;
        assert_eq!(field_error_msg("nickname", "required"), FieldRequired);
        assert_eq!(field_error_msg("nickname", "too_short"), FieldTooShort);
        assert_eq!(field_error_msg("nickname", "too_long"), FieldTooLong);
        assert_eq!(field_error_msg("nickname", "invalid_format"), FieldInvalid);
        assert_eq!(field_error_msg("nickname", "something_new"), FieldInvalid);
        assert_eq!(field_error_msg("org_name", "something_new"), OrgNameInvalid);
    }

    #[test]
    fn known_roles_have_labels() {
        assert_eq!(role_msg("owner"), Some(AccountMsg::RoleOwner));
        assert_eq!(role_msg("admin"), Some(AccountMsg::RoleAdmin));
        assert_eq!(role_msg("grader"), Some(AccountMsg::RoleGrader));
        assert_eq!(role_msg("auditor"), None);
    }
}
