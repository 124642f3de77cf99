//! The text of certificates: the public verification page and the candidate's list.

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of certificates.
    pub enum CertificateMsg {
        VerifyTitle => ("证书验证", "Certificate verification"),
        VerifyLead => ("核对证书编号对应的证书信息。", "Check the certificate that this number stands for."),
        Valid => ("有效证书", "Valid certificate"),
        Revoked => ("证书已撤销", "Certificate revoked"),
        NotFound => ("未找到该编号的证书。请核对编号是否输入正确。", "No certificate has this number. Check that it was typed correctly."),
        Number => ("证书编号", "Certificate number"),
        Holder => ("持证人", "Holder"),
        Exam => ("考试", "Exam"),
        Organisation => ("颁发单位", "Issued by"),
        IssuedOn => ("颁发日期", "Issued on"),
        RevokedOn => ("撤销日期", "Revoked on"),
        MyCertificates => ("我的证书", "My certificates"),
        NoCertificates => ("暂无证书。", "No certificates yet."),
        Download => ("下载 PDF", "Download PDF"),
        NavTemplates => ("证书模板", "Certificates"),
        TemplatesTitle => ("证书模板", "Certificate templates"),
        TemplatesLead => ("正文可使用占位符：{name} 姓名、{exam} 考试、{score} 成绩、{percent} 得分率、{date} 日期、{number} 编号、{org} 单位。", "The body may use placeholders: {name}, {exam}, {score}, {percent}, {date}, {number}, {org}."),
        NoTemplates => ("还没有证书模板。", "No certificate templates yet."),
        TemplateName => ("模板名称", "Template name"),
        TemplateTitle => ("证书标题", "Certificate title"),
        TemplateBody => ("证书正文", "Certificate text"),
        Orientation => ("纸张方向", "Orientation"),
        Landscape => ("A4 横向", "A4 landscape"),
        Portrait => ("A4 纵向", "A4 portrait"),
        NameDisplay => ("验证页显示姓名", "Name on the verification page"),
        NameFull => ("完整姓名", "Full name"),
        CreateTemplate => ("新建模板", "Create template"),
        Delete => ("删除", "Delete"),
        ExamCertificates => ("证书", "Certificates"),
        NoExamCertificates => ("本场考试尚未颁发证书。", "No certificates issued for this exam yet."),
        Template => ("模板", "Template"),
        GradedAttempt => ("已评分的作答", "Graded attempt"),
        Issue => ("颁发证书", "Issue certificate"),
        Revoke => ("撤销", "Revoke"),
        RevokeReason => ("撤销原因", "Reason for revoking"),
        Status => ("状态", "Status"),
        Actions => ("操作", "Actions"),
    }
}

/// A date (`2026-12-07T…`) as the date part only.
pub fn date_text(iso: &str) -> String {
    iso.split('T').next().unwrap_or(iso).to_owned()
}

/// A score of a maximum, with the percentage.
pub fn certificate_score_text(score: f64, max: f64, percent: f64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{score} / {max} 分（{percent}%）"),
        Lang::En => format!("{score} / {max} points ({percent}%)"),
    }
}

#[cfg(test)]
mod tests {
    use super::{CertificateMsg, date_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_certificate_message_is_translated() {
        assert_complete(CertificateMsg::ALL);
    }

    #[test]
    fn dates_keep_the_day() {
        assert_eq!(date_text("2026-12-07T03:00:00Z"), "2026-12-07");
    }
}
