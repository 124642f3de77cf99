//! The text of the console's dashboard: live exams, what needs attention, recent exams, the
//! portal address and the getting-started checklist.

use shared::Lang;
use shared::dashboard::{ChecklistStep, ImportKind};

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the dashboard.
    pub enum DashboardMsg {
        Nav => ("概览", "Dashboard"),
        Title => ("概览", "Dashboard"),
        Lead => ("本单位考试的实时情况与待办事项。", "What is happening in your organisation's exams, and what needs you."),
        RunningTitle => ("正在进行", "Running now"),
        RunningEmpty => ("当前没有开放中的考试。", "No exam is open right now."),
        ClosesAt => ("截止", "Closes"),
        Monitor => ("监考", "Proctor view"),
        AttentionTitle => ("待处理", "Needs attention"),
        NothingWaiting => ("没有需要处理的事项。", "Nothing needs your attention."),
        Grade => ("去阅卷", "Grade"),
        ImportsTitle => ("最近导入", "Recent imports"),
        RecentTitle => ("最近考试", "Recent exams"),
        RecentEmpty => ("还没有考试。", "No exams yet."),
        Attempts => ("作答数", "Attempts"),
        PassRate => ("通过率", "Pass rate"),
        NoneGraded => ("暂无已评分作答", "None graded yet"),
        Results => ("成绩", "Results"),
        PortalTitle => ("考生登录地址", "Candidate portal address"),
        PortalHint => ("把这个地址发给考生，他们在这里登录参加考试。", "Send this address to your candidates: they sign in here to take exams."),
        ChecklistTitle => ("开始使用", "Getting started"),
        ChecklistLead => ("按顺序完成以下步骤，即可举办第一场考试。", "Complete these steps in order to run your first exam."),
        StepDone => ("已完成", "Done"),
        StepTodo => ("未完成", "To do"),
        StepGo => ("去完成", "Start"),
        StepOpen => ("查看", "View"),
    }
}

/// The wording of a checklist step.
pub fn step_text(step: ChecklistStep, lang: Lang) -> &'static str {
    match (step, lang) {
        (ChecklistStep::Branding, Lang::ZhCn) => "设置考生端名称或标志",
        (ChecklistStep::Branding, Lang::En) => "Give the portal an app name or a logo",
        (ChecklistStep::Candidates, Lang::ZhCn) => "添加考生",
        (ChecklistStep::Candidates, Lang::En) => "Add candidates",
        (ChecklistStep::Questions, Lang::ZhCn) => "建立题库并添加试题",
        (ChecklistStep::Questions, Lang::En) => "Create a question bank with questions",
        (ChecklistStep::Paper, Lang::ZhCn) => "组一份试卷",
        (ChecklistStep::Paper, Lang::En) => "Compose a paper",
        (ChecklistStep::Exam, Lang::ZhCn) => "创建考试",
        (ChecklistStep::Exam, Lang::En) => "Create an exam",
    }
}

/// "`n` candidates in it".
pub fn in_progress_text(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::ZhCn, _) => format!("{n} 人正在作答"),
        (Lang::En, 1) => "1 candidate in it".to_owned(),
        (Lang::En, _) => format!("{n} candidates in it"),
    }
}

/// "`attempts` attempts waiting to be graded", with the queue's open answers when known.
pub fn grading_due_text(attempts: u32, answers: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn if answers > 0 => format!("{attempts} 份作答待阅卷（{answers} 道答案未评）"),
        Lang::ZhCn => format!("{attempts} 份作答待阅卷"),
        Lang::En => {
            let noun = if attempts == 1 { "attempt" } else { "attempts" };
            let mut text = format!("{attempts} {noun} waiting to be graded");
            if answers > 0 {
                let noun = if answers == 1 { "answer" } else { "answers" };
                text.push_str(&format!(" ({answers} {noun} open)"));
            }
            text
        }
    }
}

/// "`n` notifications could not be sent in the last 30 days".
pub fn failed_notifications_text(n: u32, lang: Lang) -> String {
    match (lang, n) {
        (Lang::ZhCn, _) => format!("近 30 天有 {n} 条通知发送失败"),
        (Lang::En, 1) => "1 notification could not be sent in the last 30 days".to_owned(),
        (Lang::En, _) => format!("{n} notifications could not be sent in the last 30 days"),
    }
}

/// What an import brought in: "Imported 3 candidates", "Imported 12 questions into 数学".
pub fn import_text(kind: ImportKind, count: u32, bank: Option<&str>, lang: Lang) -> String {
    match (kind, lang, bank) {
        (ImportKind::Candidates, Lang::ZhCn, _) => format!("导入考生 {count} 名"),
        (ImportKind::Candidates, Lang::En, _) => format!("Imported {count} candidates"),
        (ImportKind::Questions, Lang::ZhCn, Some(bank)) => {
            format!("向题库「{bank}」导入试题 {count} 道")
        }
        (ImportKind::Questions, Lang::ZhCn, None) => format!("导入试题 {count} 道"),
        (ImportKind::Questions, Lang::En, Some(bank)) => {
            format!("Imported {count} questions into {bank}")
        }
        (ImportKind::Questions, Lang::En, None) => format!("Imported {count} questions"),
    }
}

/// The pass rate and what it is of: "75%（3/4）", "75% (3 of 4)".
pub fn pass_rate_text(passed: u32, graded: u32, lang: Lang) -> String {
    let percent = if graded == 0 {
        0.0
    } else {
        f64::from(passed) * 100.0 / f64::from(graded)
    };
    match lang {
        Lang::ZhCn => format!("{percent:.0}%（{passed}/{graded}）"),
        Lang::En => format!("{percent:.0}% ({passed} of {graded})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dashboard_message_is_translated() {
        crate::i18n::catalog::assert_complete(DashboardMsg::ALL);
        for step in ChecklistStep::ALL {
            assert_ne!(step_text(step, Lang::ZhCn), step_text(step, Lang::En));
        }
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(in_progress_text(1, Lang::En), "1 candidate in it");
        assert_eq!(in_progress_text(3, Lang::ZhCn), "3 人正在作答");
        assert_eq!(
            grading_due_text(2, 1, Lang::En),
            "2 attempts waiting to be graded (1 answer open)"
        );
        assert_eq!(pass_rate_text(3, 4, Lang::En), "75% (3 of 4)");
        assert_eq!(pass_rate_text(1, 3, Lang::ZhCn), "33%（1/3）");
        assert_eq!(
            import_text(ImportKind::Questions, 12, Some("数学"), Lang::En),
            "Imported 12 questions into 数学"
        );
    }
}
