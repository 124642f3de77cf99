//! The wording of the API's field errors (and of the same checks made before a request).

use shared::Lang;

use super::Text;

/// Why a field is invalid, worded for the field where it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldMsg {
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
    DestinationTaken,
    CurrentPasswordRequired,
    CurrentPasswordWrong,
    LoginAccountInvalid,
    LoginAccountTaken,
    AppNameTooLong,
    AppNameInvalid,
    LogoWrongType,
    LogoTooBig,
    LogoTooLarge,
    LogoUnreadable,
    FieldRequired,
    FieldTooShort,
    FieldTooLong,
    FieldInvalid,
    PersonNameRequired,
    PersonNameTooLong,
    PersonNameInvalid,
}

impl FieldMsg {
    #[cfg(test)]
    pub const ALL: [FieldMsg; 35] = [
        FieldMsg::OrgNameRequired,
        FieldMsg::OrgNameTooShort,
        FieldMsg::OrgNameTooLong,
        FieldMsg::OrgNameInvalid,
        FieldMsg::DestinationRequired,
        FieldMsg::DestinationInvalid,
        FieldMsg::DestinationTooLong,
        FieldMsg::IdentifierRequired,
        FieldMsg::IdentifierInvalid,
        FieldMsg::CodeRequired,
        FieldMsg::CodeInvalidFormat,
        FieldMsg::CodeWrong,
        FieldMsg::PasswordRequired,
        FieldMsg::PasswordTooShort,
        FieldMsg::PasswordTooLong,
        FieldMsg::PasswordTooWeak,
        FieldMsg::PasswordsDiffer,
        FieldMsg::DestinationTaken,
        FieldMsg::CurrentPasswordRequired,
        FieldMsg::CurrentPasswordWrong,
        FieldMsg::LoginAccountInvalid,
        FieldMsg::LoginAccountTaken,
        FieldMsg::AppNameTooLong,
        FieldMsg::AppNameInvalid,
        FieldMsg::LogoWrongType,
        FieldMsg::LogoTooBig,
        FieldMsg::LogoTooLarge,
        FieldMsg::LogoUnreadable,
        FieldMsg::FieldRequired,
        FieldMsg::FieldTooShort,
        FieldMsg::FieldTooLong,
        FieldMsg::FieldInvalid,
        FieldMsg::PersonNameRequired,
        FieldMsg::PersonNameTooLong,
        FieldMsg::PersonNameInvalid,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use FieldMsg::*;
        match (self, lang) {
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
            (DestinationTaken, Lang::ZhCn) => "该邮箱或手机号已绑定其他账号。",
            (DestinationTaken, Lang::En) => "This address already belongs to another account.",
            (CurrentPasswordRequired, Lang::ZhCn) => "请填写当前密码。",
            (CurrentPasswordRequired, Lang::En) => "Enter your current password.",
            (CurrentPasswordWrong, Lang::ZhCn) => "当前密码不正确。",
            (CurrentPasswordWrong, Lang::En) => "The current password is not correct.",
            (LoginAccountInvalid, Lang::ZhCn) => {
                "登录账号为 4–32 位字母、数字或 _ . -，以字母开头。"
            }
            (LoginAccountInvalid, Lang::En) => {
                "A login name has 4–32 letters, digits, _ . or -, and starts with a letter."
            }
            (LoginAccountTaken, Lang::ZhCn) => "该登录账号已被使用，请换一个。",
            (LoginAccountTaken, Lang::En) => "This login name is taken; choose another one.",
            (AppNameTooLong, Lang::ZhCn) => "考生端应用名称最多 40 个字。",
            (AppNameTooLong, Lang::En) => "The app name may have at most 40 characters.",
            (AppNameInvalid, Lang::ZhCn) => "考生端应用名称含有不允许的字符。",
            (AppNameInvalid, Lang::En) => "The app name contains characters that are not allowed.",
            (LogoWrongType, Lang::ZhCn) => "请选择 PNG 或 JPEG 格式的图片。",
            (LogoWrongType, Lang::En) => "Choose a PNG or JPEG image.",
            (LogoTooBig, Lang::ZhCn) => "图片不能超过 512 KiB。",
            (LogoTooBig, Lang::En) => "The image must not be larger than 512 KiB.",
            (LogoTooLarge, Lang::ZhCn) => "图片尺寸不能超过 2048×2048 像素。",
            (LogoTooLarge, Lang::En) => "The image must not be larger than 2048×2048 pixels.",
            (LogoUnreadable, Lang::ZhCn) => "无法读取该图片，请换一张。",
            (LogoUnreadable, Lang::En) => "This image could not be read; choose another one.",
            (FieldRequired, Lang::ZhCn) => "此项为必填项。",
            (FieldRequired, Lang::En) => "This field is required.",
            (FieldTooShort, Lang::ZhCn) => "内容过短。",
            (FieldTooShort, Lang::En) => "This is too short.",
            (FieldTooLong, Lang::ZhCn) => "内容过长。",
            (FieldTooLong, Lang::En) => "This is too long.",
            (FieldInvalid, Lang::ZhCn) => "内容格式不正确。",
            (FieldInvalid, Lang::En) => "This is not in a valid format.",
            (PersonNameRequired, Lang::ZhCn) => "请填写姓名。",
            (PersonNameRequired, Lang::En) => "Enter your name.",
            (PersonNameTooLong, Lang::ZhCn) => "姓名最多 50 个字。",
            (PersonNameTooLong, Lang::En) => "A name may have at most 50 characters.",
            (PersonNameInvalid, Lang::ZhCn) => "姓名含有不允许的字符。",
            (PersonNameInvalid, Lang::En) => "The name contains characters that are not allowed.",
        }
    }
}

impl Text for FieldMsg {
    fn text(self, lang: Lang) -> &'static str {
        FieldMsg::text(self, lang)
    }
}

/// The message for one field error from the API (`details.fields[].reason`), specific where the
/// field is known and generic otherwise, so a reason added later still reads sensibly.
pub fn field_error_msg(field: &str, reason: &str) -> FieldMsg {
    use FieldMsg::*;
    match (field, reason) {
        // A person's own name ("my data"): the API calls it `name` too, so the form names its
        // field `person_name` first to get these words.
        ("person_name", "required") => PersonNameRequired,
        ("person_name", "too_long") => PersonNameTooLong,
        ("person_name", _) => PersonNameInvalid,
        ("org_name" | "name", "required") => OrgNameRequired,
        ("org_name" | "name", "too_short") => OrgNameTooShort,
        ("org_name" | "name", "too_long") => OrgNameTooLong,
        ("org_name" | "name", _) => OrgNameInvalid,
        ("destination", "required") => DestinationRequired,
        ("destination", "too_long") => DestinationTooLong,
        ("destination", "taken") => DestinationTaken,
        ("destination", _) => DestinationInvalid,
        ("identifier", "required") => IdentifierRequired,
        ("identifier", _) => IdentifierInvalid,
        ("code", "required") => CodeRequired,
        ("code", "invalid_code") => CodeWrong,
        ("code", _) => CodeInvalidFormat,
        ("current_password", "required") => CurrentPasswordRequired,
        ("current_password", _) => CurrentPasswordWrong,
        ("password" | "new_password", "required") => PasswordRequired,
        ("password" | "new_password", "too_short") => PasswordTooShort,
        ("password" | "new_password", "too_long") => PasswordTooLong,
        ("password" | "new_password", _) => PasswordTooWeak,
        ("password_confirm", _) => PasswordsDiffer,
        ("login_account", "taken") => LoginAccountTaken,
        ("login_account", _) => LoginAccountInvalid,
        ("candidate_app_name", "too_long") => AppNameTooLong,
        ("candidate_app_name", _) => AppNameInvalid,
        ("logo", "too_big") => LogoTooBig,
        ("logo", "image_too_large") => LogoTooLarge,
        ("logo", "unreadable_image") => LogoUnreadable,
        ("logo", _) => LogoWrongType,
        (_, "required") => FieldRequired,
        (_, "too_short") => FieldTooShort,
        (_, "too_long") => FieldTooLong,
        (_, "invalid_code") => CodeWrong,
        _ => FieldInvalid,
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{FieldMsg, field_error_msg};

    #[test]
    fn every_field_message_has_a_distinct_text_in_every_language() {
        for msg in FieldMsg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
    }

    #[test]
    fn every_reason_the_api_sends_has_a_specific_message_per_field() {
        use FieldMsg::*;
        let expected = [
            ("org_name", "required", OrgNameRequired),
            ("org_name", "too_short", OrgNameTooShort),
            ("org_name", "too_long", OrgNameTooLong),
            ("org_name", "invalid_format", OrgNameInvalid),
            ("name", "too_short", OrgNameTooShort),
            ("destination", "required", DestinationRequired),
            ("destination", "too_long", DestinationTooLong),
            ("destination", "invalid_format", DestinationInvalid),
            ("destination", "taken", DestinationTaken),
            ("identifier", "invalid_format", IdentifierInvalid),
            ("code", "required", CodeRequired),
            ("code", "invalid_format", CodeInvalidFormat),
            ("code", "invalid_code", CodeWrong),
            ("password", "required", PasswordRequired),
            ("password", "too_short", PasswordTooShort),
            ("password", "too_long", PasswordTooLong),
            ("password", "invalid_format", PasswordTooWeak),
            ("new_password", "too_short", PasswordTooShort),
            ("new_password", "invalid_format", PasswordTooWeak),
            ("current_password", "required", CurrentPasswordRequired),
            ("current_password", "wrong", CurrentPasswordWrong),
            ("login_account", "too_short", LoginAccountInvalid),
            ("login_account", "invalid_format", LoginAccountInvalid),
            ("login_account", "taken", LoginAccountTaken),
            ("candidate_app_name", "too_long", AppNameTooLong),
            ("candidate_app_name", "invalid_format", AppNameInvalid),
            ("logo", "unsupported_image_type", LogoWrongType),
            ("logo", "unreadable_image", LogoUnreadable),
            ("logo", "image_too_large", LogoTooLarge),
            ("logo", "too_big", LogoTooBig),
            ("person_name", "required", PersonNameRequired),
            ("person_name", "too_long", PersonNameTooLong),
            ("person_name", "invalid_format", PersonNameInvalid),
        ];
        for (field, reason, msg) in expected {
            assert_eq!(field_error_msg(field, reason), msg, "{field} {reason}");
        }
    }

    #[test]
    fn unknown_fields_and_reasons_fall_back_to_generic_messages() {
        use FieldMsg::*;
        assert_eq!(field_error_msg("nickname", "required"), FieldRequired);
        assert_eq!(field_error_msg("nickname", "too_short"), FieldTooShort);
        assert_eq!(field_error_msg("nickname", "too_long"), FieldTooLong);
        assert_eq!(field_error_msg("nickname", "invalid_format"), FieldInvalid);
        assert_eq!(field_error_msg("nickname", "something_new"), FieldInvalid);
        assert_eq!(field_error_msg("org_name", "something_new"), OrgNameInvalid);
    }
}
