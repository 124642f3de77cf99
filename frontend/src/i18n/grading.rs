//! The text of the grading workspace: the exams with work, an exam's queue and marking rule,
//! and the marking screen.

use shared::Lang;
use shared::grading::ItemStatus;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the grading workspace.
    pub enum GradingMsg {
        NavGrading => ("阅卷", "Grading"),
        Title => ("阅卷", "Grading"),
        Lead => ("有作答等待人工评分的考试。阅卷为匿名：只显示作答编号，不显示考生。", "Exams with answers waiting for a person. Marking is blind: you see an anonymous code, never the candidate."),
        NoExams => ("目前没有等待阅卷的考试。", "No exam is waiting for grading."),
        Exam => ("考试", "Exam"),
        ClosesAt => ("截止时间", "Closes"),
        AttemptsWaiting => ("待阅答卷", "Attempts waiting"),
        ToMark => ("待评", "To mark"),
        ToArbitrate => ("待仲裁", "To arbitrate"),
        Progress => ("进度", "Progress"),
        OpenQueue => ("阅卷队列", "Queue"),
        StartMarking => ("开始阅卷", "Start marking"),
        QueueTitle => ("阅卷队列", "Grading queue"),
        QueueLead => ("本场考试需要人工评分的作答、各题与各阅卷人的进度。", "This exam's answers that need a person, with progress per question and per grader."),
        BackToGrading => ("返回阅卷", "Back to grading"),
        BackToQueue => ("返回阅卷队列", "Back to the queue"),
        ByQuestion => ("各题进度", "Progress per question"),
        ByGrader => ("各阅卷人进度", "Progress per grader"),
        Question => ("题目", "Question"),
        Done => ("已完成", "Done"),
        Grader => ("阅卷人", "Grader"),
        Marks => ("评分数", "Marks"),
        Arbitrations => ("仲裁数", "Arbitrations"),
        Me => ("我", "Me"),
        NoMarksYet => ("还没有人评分。", "Nobody has marked yet."),
        Status => ("状态", "Status"),
        StatusOpen => ("待评", "Open"),
        StatusArbitration => ("待仲裁", "Arbitration"),
        StatusDone => ("已完成", "Done"),
        FilterAll => ("全部", "All"),
        Code => ("匿名编号", "Anonymous code"),
        MarksGiven => ("已评 / 需评", "Marks"),
        MyMark => ("我的评分", "My mark"),
        FinalMark => ("最终得分", "Final"),
        Open => ("打开", "Open"),
        NoItems => ("没有符合筛选条件的作答。", "No answer matches the filters."),
        Items => ("作答", "Answers"),
        SettingsTitle => ("评分规则", "Marking rule"),
        GradersPerAnswer => ("每份作答的评分人数", "Marks per answer"),
        Tolerance => ("允许分差（分）", "Tolerance (points)"),
        ArbiterHint => ("两份评分相差超过允许分差时，由一位未评过该作答的阅卷人仲裁，以仲裁分为准；否则取平均分。", "When marks differ by more than the tolerance, a grader who did not mark the answer arbitrates and their mark is final; otherwise the final mark is the mean."),
        Save => ("保存", "Save"),
        Saved => ("已保存。", "Saved."),
        MarkTitle => ("评分", "Marking"),
        NothingLeft => ("这场考试已没有需要你评分的作答。", "Nothing left for you to mark in this exam."),
        Passage => ("材料", "Passage"),
        Reference => ("参考答案", "Reference answer"),
        ReviewItem => ("送审复核：此题已自动评分，请对照答案评分，您的评分将取代自动得分。", "Sent for review: an automatically graded answer. Mark it against the key; your mark replaces the automatic points."),
        Key => ("答案", "Key"),
        ReviewBadge => ("复核", "Review"),
        Answer => ("考生作答", "Answer"),
        NotAnswered => ("未作答", "Not answered"),
        Rubric => ("评分标准", "Rubric"),
        Score => ("得分", "Score"),
        RubricTotal => ("合计", "Total"),
        Comment => ("给考生的评语", "Comment to the candidate"),
        SaveNext => ("保存并下一份", "Save and next"),
        Skip => ("跳过", "Skip"),
        Previous => ("上一份", "Previous"),
        Shortcuts => ("快捷键：Ctrl+Enter 保存并下一份 · Alt+N 跳过 · Alt+P 上一份", "Shortcuts: Ctrl+Enter save and next · Alt+N skip · Alt+P previous"),
        Arbitrate => ("评分相差超过允许分差，请仲裁：你的评分即为最终得分。", "The marks differ by more than the tolerance: you arbitrate, and your mark is final."),
        OtherMarks => ("其他阅卷人的评分", "The other graders' marks"),
        ErrorPoints => ("分数须在 0 到满分之间，最多两位小数。", "Points must be from 0 to the maximum, in hundredths."),
        ErrorRubric => ("请为每项标准打分，分数在 0 到该项分值之间，最多两位小数。", "Score every criterion from 0 to its points, in hundredths."),
        HeldUntil => ("为你保留至", "Held for you until"),
        Decided => ("该作答已评定。", "This answer is decided."),
        Refresh => ("刷新", "Refresh"),
        Max => ("满分", "Max"),
        LimitsTitle => ("阅卷人限定", "Grader limits"),
        LimitsHint => ("未列出的阅卷人可评全部作答。限定的阅卷人只评所选题目、所选分组考生的作答；不选题目即全部题目，不选分组即全部分组。随评分规则一起保存。", "Graders not listed mark every answer. A limited grader marks only the chosen questions, of candidates in the chosen groups; no question chosen means every question, no group every group. Saved with the marking rule."),
        LimitsNone => ("没有限定的阅卷人。", "No grader is limited."),
        LimitGrader => ("阅卷人", "Grader"),
        LimitChooseGrader => ("选择阅卷人…", "Choose a grader…"),
        LimitAdd => ("添加限定", "Add a limit"),
        LimitRemove => ("移除限定", "Remove limit"),
        LimitQuestions => ("题目（不选：全部）", "Questions (none: all)"),
        LimitGroups => ("考生分组（不选：全部）", "Candidate groups (none: all)"),
    }
}

/// The catalog message of an item's status.
pub fn item_status_msg(status: ItemStatus) -> GradingMsg {
    match status {
        ItemStatus::Open => GradingMsg::StatusOpen,
        ItemStatus::Arbitration => GradingMsg::StatusArbitration,
        ItemStatus::Done => GradingMsg::StatusDone,
    }
}

/// A question of the queue, and the part of a composite (`part` is 0-based).
pub fn queue_question_text(number: u32, part: Option<u32>, lang: Lang) -> String {
    match (part, lang) {
        (None, Lang::ZhCn) => format!("第 {number} 题"),
        (None, Lang::En) => format!("Question {number}"),
        (Some(p), Lang::ZhCn) => format!("第 {number} 题 · 第 {} 小题", p + 1),
        (Some(p), Lang::En) => format!("Question {number}, part {}", p + 1),
    }
}

/// A question of the paper in a grader's limit: its number and the start of its stem.
pub fn limit_question_text(number: usize, stem: &str, lang: Lang) -> String {
    let short: String = stem.trim().chars().take(40).collect();
    let more = if stem.trim().chars().count() > 40 {
        "…"
    } else {
        ""
    };
    match lang {
        Lang::ZhCn => format!("第 {number} 题 {short}{more}"),
        Lang::En => format!("Q{number} {short}{more}"),
    }
}

/// Another grader, numbered in the order they appear (never named: marking is independent).
pub fn grader_text(n: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("阅卷人 {n}"),
        Lang::En => format!("Grader {n}"),
    }
}

/// How many answers the grader marked in this sitting.
pub fn sitting_text(n: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("本次已评 {n} 份"),
        Lang::En => format!("{n} marked in this sitting"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grading_message_is_translated() {
        crate::i18n::catalog::assert_complete(GradingMsg::ALL);
    }

    #[test]
    fn questions_of_the_queue_name_their_part_from_one() {
        assert_eq!(queue_question_text(3, None, Lang::En), "Question 3");
        assert_eq!(
            queue_question_text(3, Some(0), Lang::En),
            "Question 3, part 1"
        );
        assert_eq!(
            queue_question_text(2, Some(1), Lang::ZhCn),
            "第 2 题 · 第 2 小题"
        );
    }
}
