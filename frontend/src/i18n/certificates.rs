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
        Edit => ("编辑", "Edit"),
        Preview => ("预览 PDF", "Preview PDF"),
        EditTemplate => ("编辑模板", "Edit template"),
        Save => ("保存", "Save"),
        Cancel => ("取消", "Cancel"),
        Saved => ("已保存。已颁发的证书也按新的设计打印（持证人、考试、成绩、编号不变）。", "Saved. Certificates already issued print the new design too (holder, exam, score and number stay as issued)."),
        Created => ("模板已创建。可以在下方添加徽标、签名和背景图片。", "Template created. You can add a logo, a signature and a background below."),
        Signatory => ("签名行文字", "Signatory line"),
        SignatoryHint => ("印在签名下方，例如“校长 王明”；留空且无签名图片时不印签名行。", "Printed under the signature, e.g. \"Principal Wang Ming\"; left out when empty and no signature image is set."),
        Images => ("图片", "Images"),
        ImagesHint => ("PNG 或 JPEG。徽标和签名不超过 512 KiB、2048×2048 像素；背景不超过 2 MiB、4096×4096 像素，铺满整页（此时不画边框）。带透明背景的 PNG 签名效果最好。", "PNG or JPEG. Logo and signature: at most 512 KiB and 2048×2048 pixels; background: at most 2 MiB and 4096×4096 pixels, filling the whole page (no frame is drawn then). A signature on a transparent PNG prints best."),
        Logo => ("徽标", "Logo"),
        SignatureImage => ("签名", "Signature"),
        Background => ("背景", "Background"),
        NoImage => ("未设置", "None"),
        ChooseImage => ("选择图片", "Choose image"),
        RemoveImage => ("移除", "Remove"),
        Uploading => ("正在上传…", "Uploading…"),
        ImageWrongType => ("请选择 PNG 或 JPEG 格式的图片。", "Choose a PNG or JPEG image."),
        ImageTooBig => ("图片太大：徽标和签名不超过 512 KiB、2048×2048 像素，背景不超过 2 MiB、4096×4096 像素。", "The image is too large: at most 512 KiB and 2048×2048 pixels for a logo or signature, 2 MiB and 4096×4096 pixels for a background."),
        ImageUnreadable => ("无法读取该图片，请换一张。", "This image could not be read; choose another one."),
        HasImages => ("含图片", "With images"),
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
