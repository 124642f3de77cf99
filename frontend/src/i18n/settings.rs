//! The text of the account settings: organisation and branding, sign-in and security, devices.

use shared::Lang;

use super::Text;

/// Every fixed string of the account settings pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsMsg {
    TabsLabel,
    TabOverview,
    TabOrganisation,
    TabSecurity,
    TabSessions,
    TabAudit,
    AdminsOnly,
    Save,
    Saving,
    Saved,
    NothingChanged,
    Cancel,
    OrganisationTitle,
    OrganisationLead,
    ProfileSection,
    AppNameLabel,
    AppNameHint,
    LoginAccountLabel,
    LoginAccountHint,
    BrandingSection,
    LogoLabel,
    LogoHint,
    LogoUpload,
    LogoUploading,
    LogoUploaded,
    LogoRemove,
    LogoRemoving,
    LogoRemoved,
    NoLogo,
    PreviewTitle,
    PreviewNote,
    PreviewUnsaved,
    PreviewLogoAlt,
    PreviewSignIn,
    SecurityTitle,
    SecurityLead,
    ContactSection,
    ContactNewLabel,
    ContactHint,
    CurrentPasswordLabel,
    ContactSubmit,
    ContactSubmitting,
    ContactSaved,
    PasswordSection,
    PasswordNote,
    NewPasswordLabel,
    NewPasswordConfirmLabel,
    PasswordSubmit,
    PasswordSubmitting,
    PasswordChanged,
    SessionsTitle,
    SessionsLead,
    SessionSignedIn,
    SessionLastUsed,
    ThisDevice,
    UnknownDevice,
    Revoke,
    Revoking,
    Revoked,
}

impl SettingsMsg {
    #[cfg(test)]
    pub const ALL: [SettingsMsg; 59] = [
        SettingsMsg::TabsLabel,
        SettingsMsg::TabOverview,
        SettingsMsg::TabOrganisation,
        SettingsMsg::TabSecurity,
        SettingsMsg::TabSessions,
        SettingsMsg::TabAudit,
        SettingsMsg::AdminsOnly,
        SettingsMsg::Save,
        SettingsMsg::Saving,
        SettingsMsg::Saved,
        SettingsMsg::NothingChanged,
        SettingsMsg::Cancel,
        SettingsMsg::OrganisationTitle,
        SettingsMsg::OrganisationLead,
        SettingsMsg::ProfileSection,
        SettingsMsg::AppNameLabel,
        SettingsMsg::AppNameHint,
        SettingsMsg::LoginAccountLabel,
        SettingsMsg::LoginAccountHint,
        SettingsMsg::BrandingSection,
        SettingsMsg::LogoLabel,
        SettingsMsg::LogoHint,
        SettingsMsg::LogoUpload,
        SettingsMsg::LogoUploading,
        SettingsMsg::LogoUploaded,
        SettingsMsg::LogoRemove,
        SettingsMsg::LogoRemoving,
        SettingsMsg::LogoRemoved,
        SettingsMsg::NoLogo,
        SettingsMsg::PreviewTitle,
        SettingsMsg::PreviewNote,
        SettingsMsg::PreviewUnsaved,
        SettingsMsg::PreviewLogoAlt,
        SettingsMsg::PreviewSignIn,
        SettingsMsg::SecurityTitle,
        SettingsMsg::SecurityLead,
        SettingsMsg::ContactSection,
        SettingsMsg::ContactNewLabel,
        SettingsMsg::ContactHint,
        SettingsMsg::CurrentPasswordLabel,
        SettingsMsg::ContactSubmit,
        SettingsMsg::ContactSubmitting,
        SettingsMsg::ContactSaved,
        SettingsMsg::PasswordSection,
        SettingsMsg::PasswordNote,
        SettingsMsg::NewPasswordLabel,
        SettingsMsg::NewPasswordConfirmLabel,
        SettingsMsg::PasswordSubmit,
        SettingsMsg::PasswordSubmitting,
        SettingsMsg::PasswordChanged,
        SettingsMsg::SessionsTitle,
        SettingsMsg::SessionsLead,
        SettingsMsg::SessionSignedIn,
        SettingsMsg::SessionLastUsed,
        SettingsMsg::ThisDevice,
        SettingsMsg::UnknownDevice,
        SettingsMsg::Revoke,
        SettingsMsg::Revoking,
        SettingsMsg::Revoked,
    ];

    pub fn text(self, lang: Lang) -> &'static str {
        use SettingsMsg::*;
        match (self, lang) {
            (TabsLabel, Lang::ZhCn) => "账号设置",
            (TabsLabel, Lang::En) => "Account settings",
            (TabOverview, Lang::ZhCn) => "概览",
            (TabOverview, Lang::En) => "Overview",
            (TabOrganisation, Lang::ZhCn) => "单位与品牌",
            (TabOrganisation, Lang::En) => "Organisation & branding",
            (TabSecurity, Lang::ZhCn) => "登录与安全",
            (TabSecurity, Lang::En) => "Sign-in & security",
            (TabSessions, Lang::ZhCn) => "登录设备",
            (TabSessions, Lang::En) => "Devices",
            (TabAudit, Lang::ZhCn) => "审计日志",
            (TabAudit, Lang::En) => "Audit log",
            (AdminsOnly, Lang::ZhCn) => "只有单位所有者和管理员可以修改这些设置。",
            (AdminsOnly, Lang::En) => {
                "Only the organisation's owner and administrators can change these settings."
            }
            (Save, Lang::ZhCn) => "保存",
            (Save, Lang::En) => "Save",
            (Saving, Lang::ZhCn) => "正在保存…",
            (Saving, Lang::En) => "Saving…",
            (Saved, Lang::ZhCn) => "已保存。",
            (Saved, Lang::En) => "Saved.",
            (NothingChanged, Lang::ZhCn) => "没有需要保存的修改。",
            (NothingChanged, Lang::En) => "There are no changes to save.",
            (Cancel, Lang::ZhCn) => "取消",
            (Cancel, Lang::En) => "Cancel",
            (OrganisationTitle, Lang::ZhCn) => "单位与品牌",
            (OrganisationTitle, Lang::En) => "Organisation and branding",
            (OrganisationLead, Lang::ZhCn) => {
                "单位名称、您的登录账号，以及考生在考试门户看到的名称和 Logo。"
            }
            (OrganisationLead, Lang::En) => {
                "Your organisation's name, your login name, and the name and logo candidates see \
                 in the exam portal."
            }
            (ProfileSection, Lang::ZhCn) => "账号信息",
            (ProfileSection, Lang::En) => "Account information",
            (AppNameLabel, Lang::ZhCn) => "考生端应用名称",
            (AppNameLabel, Lang::En) => "Candidate app name",
            (AppNameHint, Lang::ZhCn) => {
                "考生在考试门户中看到的名称，最多 40 个字；留空则显示单位名称。"
            }
            (AppNameHint, Lang::En) => {
                "The name candidates see in the exam portal, up to 40 characters. Leave it empty \
                 to show the organisation's name."
            }
            (LoginAccountLabel, Lang::ZhCn) => "登录账号",
            (LoginAccountLabel, Lang::En) => "Login name",
            (LoginAccountHint, Lang::ZhCn) => {
                "可用来登录的账号名：4–32 位字母、数字或 _ . -，以字母开头。"
            }
            (LoginAccountHint, Lang::En) => {
                "A name to sign in with: 4–32 letters, digits, _ . or -, starting with a letter."
            }
            (BrandingSection, Lang::ZhCn) => "考生端 Logo",
            (BrandingSection, Lang::En) => "Candidate portal logo",
            (LogoLabel, Lang::ZhCn) => "选择图片",
            (LogoLabel, Lang::En) => "Choose an image",
            (LogoHint, Lang::ZhCn) => "PNG 或 JPEG，不超过 512 KiB，最大 2048×2048 像素。",
            (LogoHint, Lang::En) => "PNG or JPEG, at most 512 KiB and 2048×2048 pixels.",
            (LogoUpload, Lang::ZhCn) => "上传 Logo",
            (LogoUpload, Lang::En) => "Upload logo",
            (LogoUploading, Lang::ZhCn) => "正在上传…",
            (LogoUploading, Lang::En) => "Uploading…",
            (LogoUploaded, Lang::ZhCn) => "Logo 已上传，考生门户已更新。",
            (LogoUploaded, Lang::En) => "The logo is uploaded; the candidate portal shows it now.",
            (LogoRemove, Lang::ZhCn) => "删除 Logo",
            (LogoRemove, Lang::En) => "Remove logo",
            (LogoRemoving, Lang::ZhCn) => "正在删除…",
            (LogoRemoving, Lang::En) => "Removing…",
            (LogoRemoved, Lang::ZhCn) => "Logo 已删除。",
            (LogoRemoved, Lang::En) => "The logo has been removed.",
            (NoLogo, Lang::ZhCn) => "尚未上传 Logo。",
            (NoLogo, Lang::En) => "No logo uploaded yet.",
            (PreviewTitle, Lang::ZhCn) => "考生端预览",
            (PreviewTitle, Lang::En) => "Candidate portal preview",
            (PreviewNote, Lang::ZhCn) => {
                "预览显示正在输入的名称和所选的图片；保存并上传后考生才能看到。"
            }
            (PreviewNote, Lang::En) => {
                "The preview shows the name as you type it and the image you chose; candidates \
                 see them once saved and uploaded."
            }
            (PreviewUnsaved, Lang::ZhCn) => "未上传",
            (PreviewUnsaved, Lang::En) => "Not uploaded",
            (PreviewLogoAlt, Lang::ZhCn) => "单位 Logo",
            (PreviewLogoAlt, Lang::En) => "Organisation logo",
            (PreviewSignIn, Lang::ZhCn) => "考生登录",
            (PreviewSignIn, Lang::En) => "Candidate sign-in",
            (SecurityTitle, Lang::ZhCn) => "登录与安全",
            (SecurityTitle, Lang::En) => "Sign-in and security",
            (SecurityLead, Lang::ZhCn) => "绑定或更换邮箱、手机号，修改密码。",
            (SecurityLead, Lang::En) => {
                "Bind or change your email address or mobile number, and change your password."
            }
            (ContactSection, Lang::ZhCn) => "邮箱与手机号",
            (ContactSection, Lang::En) => "Email and mobile number",
            (ContactNewLabel, Lang::ZhCn) => "新的邮箱或手机号",
            (ContactNewLabel, Lang::En) => "New email address or mobile number",
            (ContactHint, Lang::ZhCn) => "验证码会发送到新地址；原地址会收到变更提醒。",
            (ContactHint, Lang::En) => {
                "The code goes to the new address; the old one is told about the change."
            }
            (CurrentPasswordLabel, Lang::ZhCn) => "当前密码",
            (CurrentPasswordLabel, Lang::En) => "Current password",
            (ContactSubmit, Lang::ZhCn) => "绑定",
            (ContactSubmit, Lang::En) => "Bind",
            (ContactSubmitting, Lang::ZhCn) => "正在绑定…",
            (ContactSubmitting, Lang::En) => "Binding…",
            (ContactSaved, Lang::ZhCn) => "已绑定，现在可以用它登录和接收验证码。",
            (ContactSaved, Lang::En) => "Bound: you can now sign in and receive codes with it.",
            (PasswordSection, Lang::ZhCn) => "修改密码",
            (PasswordSection, Lang::En) => "Change your password",
            (PasswordNote, Lang::ZhCn) => {
                "修改密码后，您在其他设备上的登录都会退出；当前设备保持登录。"
            }
            (PasswordNote, Lang::En) => {
                "Changing your password signs you out on every other device; this one stays \
                 signed in."
            }
            (NewPasswordLabel, Lang::ZhCn) => "新密码",
            (NewPasswordLabel, Lang::En) => "New password",
            (NewPasswordConfirmLabel, Lang::ZhCn) => "确认新密码",
            (NewPasswordConfirmLabel, Lang::En) => "Confirm the new password",
            (PasswordSubmit, Lang::ZhCn) => "修改密码",
            (PasswordSubmit, Lang::En) => "Change password",
            (PasswordSubmitting, Lang::ZhCn) => "正在修改…",
            (PasswordSubmitting, Lang::En) => "Changing…",
            (PasswordChanged, Lang::ZhCn) => "密码已修改，其他设备上的登录均已退出。",
            (PasswordChanged, Lang::En) => {
                "Your password has been changed, and every other device has been signed out."
            }
            (SessionsTitle, Lang::ZhCn) => "登录设备",
            (SessionsTitle, Lang::En) => "Signed-in devices",
            (SessionsLead, Lang::ZhCn) => {
                "当前登录了此账号的设备。不认识或不再使用的设备，可以让它退出登录。"
            }
            (SessionsLead, Lang::En) => {
                "The devices signed in to your account. Sign out any you do not recognise or no \
                 longer use."
            }
            (SessionSignedIn, Lang::ZhCn) => "登录时间",
            (SessionSignedIn, Lang::En) => "Signed in",
            (SessionLastUsed, Lang::ZhCn) => "最近使用",
            (SessionLastUsed, Lang::En) => "Last active",
            (ThisDevice, Lang::ZhCn) => "当前设备",
            (ThisDevice, Lang::En) => "This device",
            (UnknownDevice, Lang::ZhCn) => "未知设备",
            (UnknownDevice, Lang::En) => "Unknown device",
            (Revoke, Lang::ZhCn) => "退出该设备",
            (Revoke, Lang::En) => "Sign out",
            (Revoking, Lang::ZhCn) => "正在退出…",
            (Revoking, Lang::En) => "Signing out…",
            (Revoked, Lang::ZhCn) => "该设备已退出登录。",
            (Revoked, Lang::En) => "That device has been signed out.",
        }
    }
}

impl Text for SettingsMsg {
    fn text(self, lang: Lang) -> &'static str {
        SettingsMsg::text(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::SettingsMsg;

    #[test]
    fn every_settings_message_has_a_distinct_text_in_every_language() {
        for msg in SettingsMsg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
            assert_ne!(msg.text(Lang::ZhCn), msg.text(Lang::En), "{msg:?}");
        }
    }
}
