//! The text of results: the console's results table and score sheet, the exam form's result
//! options, and the portal's "my results".

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of results.
    pub enum ResultsMsg {
        Title => ("成绩", "Results"),
        Lead => ("每位考生计分的一次作答、成绩、是否通过与排名（同分同名次）。", "Each candidate's counted attempt, score, pass or fail and rank (equal scores share a rank)."),
        OpenResults => ("成绩", "Results"),
        BackToExam => ("返回考试", "Back to the exam"),
        Finished => ("已交卷", "Finished"),
        PassedCount => ("通过", "Passed"),
        PendingCount => ("待评分", "Waiting for grading"),
        Mean => ("平均分", "Mean score"),
        Highest => ("最高分", "Highest score"),
        PassMark => ("及格线", "Pass mark"),
        FilterAll => ("全部", "All"),
        FilterPassed => ("通过", "Passed"),
        FilterFailed => ("未通过", "Failed"),
        FilterPending => ("待评分", "Waiting for grading"),
        FilterGraded => ("已评分", "Graded"),
        Outcome => ("结果", "Outcome"),
        Grading => ("评分状态", "Grading"),
        SortBy => ("排序", "Sort by"),
        SortRank => ("名次", "Rank"),
        SortTime => ("用时", "Time used"),
        SortSubmitted => ("提交时间", "Submitted"),
        Reverse => ("倒序", "Reverse"),
        ExportXlsx => ("导出 Excel", "Export Excel"),
        ExportCsv => ("导出 CSV", "Export CSV"),
        ExportHint => ("导出当前筛选的全部考生，表头语言与界面一致。导出会记入审计日志。", "Exports every candidate matching the filters, headers in the interface language. Exports are recorded in the audit log."),
        Rank => ("名次", "Rank"),
        Candidate => ("考生", "Candidate"),
        Score => ("成绩", "Score"),
        Percent => ("得分率", "Percent"),
        Result => ("结果", "Result"),
        Passed => ("通过", "Passed"),
        Failed => ("未通过", "Failed"),
        TimeUsed => ("用时", "Time used"),
        Submitted => ("提交时间", "Submitted"),
        Attempts => ("次数", "Attempts"),
        Graded => ("已评分", "Graded"),
        Pending => ("待评分", "Waiting for grading"),
        NotReleased => ("未发布", "Not released"),
        ScoreSheet => ("成绩单", "Score sheet"),
        NoResults => ("还没有考生交卷。", "No candidate has finished yet."),
        NoMatch => ("没有符合筛选条件的考生。", "No candidate matches the filters."),
        Hidden => ("（无查看考生信息权限）", "(no permission to see candidates)"),
        SheetTitle => ("成绩单", "Score sheet"),
        BackToResults => ("返回成绩", "Back to the results"),
        Answer => ("考生作答", "Answer"),
        Key => ("参考答案", "Key"),
        NotAnswered => ("未作答", "Not answered"),
        WaitsForPerson => ("待人工评分", "Waits for a grader"),
        SendForReview => ("送审复核", "Send for review"),
        ReviewTitle => ("送审复核", "Send for review"),
        ReviewHint => ("阅卷人将对照参考答案匿名评分，其评分将取代本题的自动得分；复核完成前成绩视为待评分。", "A grader marks this answer blind against the key; their mark replaces the question's automatic points. Until then the result counts as waiting for grading."),
        ReviewReason => ("复核原因（记入审计日志，最多 500 字）", "Reason (recorded in the audit log, at most 500 characters)"),
        ReviewReasonRequired => ("请填写复核原因。", "Enter a reason."),
        ReviewReasonTooLong => ("复核原因最多 500 字。", "The reason has at most 500 characters."),
        ReviewSend => ("送审", "Send"),
        ReviewCancel => ("取消", "Cancel"),
        InReview => ("待复核", "In review"),
        Reviewed => ("已复核", "Reviewed by a grader"),
        Comments => ("阅卷评语", "Grader's comments"),
        Started => ("开始时间", "Started"),
        ResultOptions => ("成绩与证书", "Results and certificates"),
        ShowRank => ("向考生显示名次", "Show candidates their rank"),
        AutoCertificate => ("通过后自动颁发证书", "Issue a certificate automatically on passing"),
        NoAutoCertificate => ("不自动颁发", "Do not issue automatically"),
        AutoCertificateHint => ("评分完成且通过时按所选模板颁发；考生在成绩发布后才能看到证书。", "Issued with the chosen template once an attempt is graded and passed; candidates see it only once the result is released."),
        MyResults => ("我的成绩", "My results"),
        MyResultsLead => ("已发布的考试成绩。", "Your released exam results."),
        NoMyResults => ("暂无已发布的成绩。", "No released results yet."),
        Review => ("查看答卷", "Review answers"),
        BackToHome => ("返回首页", "Back to my exams"),
        ReviewPageTitle => ("答卷回顾", "Answer review"),
        ReviewPageLead => ("每道题的作答、正确答案、得分与解析。", "Each question with your answer, the correct answer, your points and the explanation."),
        YourAnswer => ("你的作答", "Your answer"),
        YourChoice => ("你的选择", "Your choice"),
        CorrectAnswer => ("正确答案", "Correct answer"),
        ReferenceAnswer => ("参考答案", "Reference answer"),
        AcceptedAnswers => ("可接受的答案", "Accepted answers"),
        YourOrder => ("你的顺序", "Your order"),
        CorrectOrder => ("正确顺序", "Correct order"),
        Prompt => ("题目项", "Item"),
        VerdictCorrect => ("正确", "Correct"),
        VerdictPartly => ("部分正确", "Partly correct"),
        VerdictWrong => ("错误", "Wrong"),
        VerdictPending => ("待评分", "Not graded yet"),
        ToMyResults => ("我的成绩", "My results"),
    }
}

/// `rank of ranked` as the portal shows it.
pub fn rank_text(rank: u32, ranked: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("第 {rank} 名（共 {ranked} 人）"),
        Lang::En => format!("Rank {rank} of {ranked}"),
    }
}

/// A score of a maximum.
pub fn score_of_text(score: f64, max: f64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{score} / {max} 分"),
        Lang::En => format!("{score} / {max} points"),
    }
}

/// Seconds as minutes and seconds (`12:05`), hours when needed (`1:02:05`).
pub fn duration_text(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_results_message_is_translated() {
        crate::i18n::catalog::assert_complete(ResultsMsg::ALL);
    }

    #[test]
    fn durations_read_as_a_clock() {
        assert_eq!(duration_text(65), "1:05");
        assert_eq!(duration_text(3725), "1:02:05");
        assert_eq!(duration_text(-3), "0:00");
    }
}
