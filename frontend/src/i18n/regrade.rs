//! The text of re-grading: the offer in the question editor, its preview and the run.

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of re-grading.
    pub enum RegradeMsg {
        Offer => ("重新评分使用该题的考试", "Re-grade exams that used it"),
        OfferHint => ("已有考生交卷的考试用过这道题。修改答案或分值后，可按当前版本重新评分；每处改动都会记入审计日志。", "Finished attempts used this question. After correcting its key or points you can re-grade them against the current version; every change is recorded in the audit log."),
        Title => ("重新评分", "Re-grade"),
        Exam => ("考试", "Exam"),
        Attempts => ("作答数", "Attempts"),
        Changes => ("成绩变化", "Changes"),
        Candidate => ("考生", "Candidate"),
        Question => ("本题得分", "Question points"),
        Score => ("总分", "Score"),
        Outcome => ("结果", "Outcome"),
        Passed => ("通过", "Passed"),
        Failed => ("未通过", "Failed"),
        Released => ("已发布，将通知考生", "Released; the candidate is notified"),
        NothingChanges => ("按当前版本重新评分不会改变任何成绩。", "Re-grading against the current version changes no result."),
        Truncated => ("只列出前 500 处变化。", "Only the first 500 changes are listed."),
        Confirm => ("确认重新评分", "Re-grade now"),
        Close => ("关闭", "Close"),
        Queued => ("排队中…", "Queued…"),
        Running => ("正在重新评分…", "Re-grading…"),
        Done => ("重新评分完成。", "Re-grading finished."),
        RunFailed => ("重新评分出错，将自动重试。", "Re-grading failed; it will be retried."),
    }
}

/// "`changed` of `examined` attempts change".
pub fn regrade_count_text(changed: u32, examined: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("共 {examined} 份作答，{changed} 份成绩将改变"),
        Lang::En => format!("{changed} of {examined} attempts change"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_regrade_message_is_translated() {
        crate::i18n::catalog::assert_complete(RegradeMsg::ALL);
    }
}
