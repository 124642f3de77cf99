//! The text of the privacy page, the consent step and the footer's privacy links.

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the privacy centre.
    pub enum PrivacyMsg {
        Title => ("隐私与条款", "Privacy and terms"),
        Lead => ("我们如何处理您的个人信息，以及使用考试云的条款。", "How we handle your personal information, and the terms of using ExamCloud."),
        PrivacyTab => ("隐私保护声明", "Privacy statement"),
        TermsTab => ("用户服务协议", "Terms of service"),
        Version => ("版本", "Version"),
        EffectiveOn => ("生效日期", "Effective"),
        History => ("历史版本", "Earlier versions"),
        Major => ("重大变更", "Major change"),
        Contact => ("联系我们", "Contact us"),
        ContactLead => ("关于个人信息的疑问、更正、删除或导出请求，请通过以下方式联系我们；我们将在 10 个工作日内答复。", "For questions about your personal information, or to ask for it to be corrected, deleted or exported, contact us; we reply within 10 working days."),
        Email => ("邮箱", "Email"),
        Phone => ("电话", "Phone"),
        ReplyWithin => ("答复时限", "Reply within"),
        WorkingDays => ("个工作日", "working days"),
        YourChoices => ("您的选择", "Your choices"),
        DeviceDetails => ("记录登录设备信息", "Record my sign-in device details"),
        DeviceDetailsHint => ("开启后，登录时可选择记录设备的平台、屏幕、时区和语言，以及浏览器标识，便于您在“登录设备”中识别会话。关闭后不再记录。", "When on, sign-ins may record the device's platform, screen, time zone and language and the browser's name, so you can recognise your sessions under Signed-in devices. When off, none of it is recorded."),
        On => ("已开启", "On"),
        Off => ("已关闭", "Off"),
        TurnOn => ("开启", "Turn on"),
        TurnOff => ("关闭", "Turn off"),
        Saved => ("已保存。", "Saved."),
        ConsentHistory => ("同意记录", "Consent records"),
        NoRecords => ("暂无记录。", "No records yet."),
        Granted => ("同意", "Agreed"),
        Withdrawn => ("撤回", "Withdrawn"),
        GateTitle => ("请阅读并同意", "Please read and agree"),
        GateFirst => ("继续使用前，请阅读并同意以下文件。", "Before you go on, please read and agree to the following."),
        GateRenewal => ("以下文件有重大更新。继续使用前，请阅读并同意新版本。", "The following documents changed in important ways. Please read and agree to the new versions before you go on."),
        GateAgree => ("我已阅读并同意，继续", "I have read and agree — continue"),
        GateSignOut => ("不同意并退出", "Disagree and sign out"),
        Read => ("阅读", "Read"),
        AgreeLabel => ("我已阅读并同意", "I have read and agree to the"),
        And => ("和", "and the"),
        AgreeRequired => ("请先阅读并勾选同意。", "Please read and tick the box to agree."),
        Outdated => ("文件已更新，请重新阅读并同意。", "The documents were updated; please read them and agree again."),
        FormPurpose => ("信息用途", "What these details are for"),
        FormAgree => ("我已阅读并同意隐私保护声明，并同意为上述用途提供本表信息", "I have read and agree to the privacy statement, and agree to provide this form's details for the purpose above"),
        FooterPrivacy => ("隐私与条款", "Privacy & terms"),
        FooterContact => ("联系我们", "Contact"),
        PurposeLabel => ("报名信息用途说明", "Purpose notice of the form"),
        PurposeHint => ("告诉报名者这些信息用于什么（例如：身份证号仅用于考场核验身份）。表单包含身份证号时必填。", "Tell registrants what the details are for (e.g. the ID number is only used to check identity at the exam). Required when the form asks for an ID number."),
    }
}

/// The words of a consent's purpose.
pub fn purpose_msg(purpose: shared::policies::ConsentPurpose) -> (&'static str, &'static str) {
    use shared::policies::ConsentPurpose;
    match purpose {
        ConsentPurpose::Privacy => ("隐私保护声明", "Privacy statement"),
        ConsentPurpose::Terms => ("用户服务协议", "Terms of service"),
        ConsentPurpose::DeviceDetails => ("登录设备信息", "Device details"),
        ConsentPurpose::ExamForm => ("考试报名信息", "Exam registration details"),
    }
}

/// The words of how a consent was given.
pub fn method_msg(method: shared::policies::ConsentMethod) -> (&'static str, &'static str) {
    use shared::policies::ConsentMethod;
    match method {
        ConsentMethod::Registration => ("注册", "Registration"),
        ConsentMethod::FirstSignIn => ("首次登录", "First sign-in"),
        ConsentMethod::ReConsent => ("重新同意", "Agreed again"),
        ConsentMethod::ExamRegistration => ("考试报名", "Exam registration"),
        ConsentMethod::PrivacyPage => ("隐私页面", "Privacy page"),
    }
}

#[cfg(test)]
mod tests {
    use super::PrivacyMsg;

    #[test]
    fn every_message_has_both_languages() {
        crate::i18n::catalog::assert_complete(PrivacyMsg::ALL);
    }
}
