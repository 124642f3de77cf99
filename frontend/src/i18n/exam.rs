//! The text of the candidate's exam screens: the exam list, the instructions page, the exam
//! screen (countdown, save status, navigator, submission) and the receipt.

use shared::Lang;
use shared::exams::ExamState;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the candidate's exam screens.
    pub enum ExamMsg {
        MyExams => ("我的考试", "My exams"),
        ExamNotFound => ("找不到该考试，或它未安排给您。", "No such exam, or it is not assigned to you."),
        StateUpcoming => ("未开始", "Not open yet"),
        StateOpen => ("可以参加", "Open"),
        StateInProgress => ("作答中", "In progress"),
        StateClosed => ("已结束", "Closed"),
        Window => ("考试时间", "Exam window"),
        Duration => ("考试时长", "Duration"),
        AttemptsLeft => ("剩余作答次数", "Attempts left"),
        LateEntryUntil => ("最晚入场", "Last entry"),
        Score => ("成绩", "Score"),
        ScorePending => ("待公布", "Not released yet"),
        Resume => ("继续作答", "Resume"),
        BackToExams => ("返回我的考试", "Back to my exams"),
        Instructions => ("考试须知", "Instructions"),
        NoInstructions => ("本场考试没有额外须知。", "This exam has no further instructions."),
        StartLead => ("开始后计时随即开始，中途离开也不会暂停；网络中断时答案会先保存在本机。", "The clock starts when you start and does not stop if you leave; if the network drops, your answers are kept on this device."),
        Start => ("开始考试", "Start the exam"),
        Starting => ("正在进入…", "Starting…"),
        NotOpen => ("考试尚未开始。", "The exam is not open yet."),
        Closed => ("考试已结束。", "The exam is closed."),
        LateEntryOver => ("已超过最晚入场时间。", "The last moment to enter has passed."),
        NoAttemptsLeft => ("您已用完全部作答次数。", "You have used all your attempts."),
        KeysSeen => ("您已查看过本考试的答案，不能再次作答。", "You have seen this exam's answer keys, so you cannot take it again."),
        PreviousAttempts => ("作答记录", "Your attempts"),
        ReviewAnswers => ("查看答卷", "Review answers"),
        AttemptNumber => ("第几次", "Attempt"),
        StartedAt => ("开始时间", "Started"),
        SubmittedAt => ("交卷时间", "Submitted"),
        TimeLeft => ("剩余时间", "Time left"),
        StatusSaved => ("答案已全部保存", "All answers saved"),
        StatusSaving => ("正在保存…", "Saving…"),
        StatusOffline => ("网络已断开，答案已保存在本机，恢复后自动提交", "Offline, answers kept on this device; they are sent when the connection returns"),
        StatusSignedOut => ("登录已失效，答案已保存在本机；请重新登录后继续", "Signed out, answers kept on this device; sign in again to continue"),
        StatusNoStorage => ("浏览器不允许保存到本机：请保持网络连接", "This browser refuses to keep answers on the device: stay online"),
        StatusNotAllowed => ("当前网络不允许参加本场考试，答案已保存在本机", "This network is not allowed for this exam; answers are kept on this device"),
        StatusRejected => ("有答案未被接受，请重新作答该题", "An answer was refused; please answer that question again"),
        AnotherDevice => ("本场考试已在另一台设备上继续作答，此页面已停止保存。", "This exam was resumed on another device; this page no longer saves."),
        Navigator => ("答题卡", "Questions"),
        LegendAnswered => ("已答", "Answered"),
        LegendFlagged => ("已标记", "Flagged"),
        Flag => ("标记此题", "Flag for review"),
        Unflag => ("取消标记", "Remove flag"),
        Previous => ("上一题", "Previous"),
        Next => ("下一题", "Next"),
        AllOnPage => ("整卷作答", "All on one page"),
        Submit => ("交卷", "Submit"),
        SubmitTitle => ("确认交卷", "Submit your answers?"),
        SubmitFinal => ("交卷后不能再修改答案。", "You cannot change your answers after submitting."),
        Unanswered => ("以下题目尚未作答：", "These questions are not answered:"),
        FlaggedLeft => ("以下题目仍标记为待检查：", "These questions are still flagged for checking:"),
        AllAnswered => ("所有题目均已作答。", "Every question is answered."),
        WaitForSaves => ("还有答案未送达服务器，网络恢复并全部保存后才能交卷。", "Some answers have not reached the server yet; you can submit once they are all saved."),
        ConfirmSubmit => ("确认交卷", "Submit"),
        KeepAnswering => ("继续作答", "Keep answering"),
        Submitting => ("正在交卷…", "Submitting…"),
        SubmittedTitle => ("已交卷", "Submitted"),
        TimeUp => ("考试时间到，系统已自动交卷。", "Time is up: your answers were submitted."),
        Receipt => ("交卷回执", "Receipt"),
        ReceiptHint => ("请保存此回执。它是服务器所存答案的指纹（SHA-256），可用于日后核对。", "Keep this receipt: it is a fingerprint (SHA-256) of the answers the server stored, for checking later."),
        AnswerCount => ("已保存答案数", "Answers stored"),
        Choose => ("请选择", "Choose"),
        MoveUp => ("上移", "Move up"),
        MoveDown => ("下移", "Move down"),
        KeepOrder => ("按当前顺序作答", "Answer with this order"),
        Blank => ("填空", "Blank"),
        AnswerArea => ("作答区", "Your answer"),
        LimitSubmitted => ("已超过本场考试的限制（如离开考试页面的次数），系统已自动交卷。", "An exam limit was exceeded (such as leaving the exam page too often); your answers were submitted."),
        FullscreenRequired => ("本场考试要求全屏作答，离开全屏会被记录。", "This exam is taken in fullscreen; leaving fullscreen is recorded."),
        EnterFullscreen => ("进入全屏", "Enter fullscreen"),
        CopyPasteBlocked => ("本场考试禁止复制和粘贴", "Copy and paste are blocked in this exam"),
        ContinueHere => ("在本设备继续作答", "Continue on this device"),
        HaveCode => ("有考试码？", "Have an exam access code?"),
        CodeTitle => ("输入考试码", "Enter your exam access code"),
        CodeLead => ("考试组织方会提供 10 位的考试码（数字和字母，不区分大小写）。", "Your exam organiser gives you a 10-character access code (letters and digits, any case)."),
        CodeLabel => ("考试码", "Access code"),
        CodeContinue => ("继续", "Continue"),
        CodeInvalid => ("考试码应为 10 位数字和字母。", "An access code is 10 letters and digits."),
        CodeUnknown => ("没有与该考试码对应的考试，请核对后重试。", "No exam has this access code; check it and try again."),
        OpenLinkUnknown => ("该考试链接无效或已失效。", "This exam link is not valid or no longer works."),
        RegisterTitle => ("考生信息登记", "Register for the exam"),
        RegisterLead => ("请填写以下信息后进入考试。您的信息将加密保存，仅用于本场考试。", "Fill in these details to enter the exam. They are stored encrypted and used for this exam only."),
        RegisterSubmit => ("登记并进入考试", "Register and enter"),
        Registering => ("正在提交…", "Submitting…"),
        FieldRequired => ("请填写此项。", "Please fill this in."),
        FieldInvalid => ("格式不正确。", "This does not look right."),
        FieldTooLong => ("内容太长。", "This is too long."),
        CheckFieldsBelow => ("请检查下方标出的内容。", "Please check the fields marked below."),
        InviteChecking => ("正在验证邀请链接…", "Checking your invitation…"),
        InviteInvalid => ("邀请链接无效或已失效，请使用账号登录，或联系考试组织方。", "This invitation is not valid or no longer works; sign in with your account or ask your exam organiser."),
        SignInInstead => ("使用账号登录", "Sign in with an account"),
        ReturningTitle => ("您已登记过本场考试", "You registered for this exam before"),
        ReturningLead => ("为保护您的作答，需要先确认是您本人：输入首次登记时获得的恢复码，或获取发送到登记手机号/邮箱的验证码。", "To protect your answers, first show that it is you: enter the resume token from your first registration, or a code sent to the phone or email you registered."),
        ReturningNoContact => ("本场考试登记时没有手机号或邮箱，只能使用恢复码。如果没有恢复码，请联系考试组织方。", "This registration has no phone or email, so only the resume token can show it is you. Without it, please contact the exam's organiser."),
        ResumeCodeLabel => ("验证码", "Code"),
        ResumeCodeSubmit => ("验证并进入考试", "Verify and enter"),
        ResumeTokenLabel => ("我有恢复码", "I have a resume token"),
        ResumeTokenSubmit => ("使用恢复码进入", "Enter with the resume token"),
        InvalidResumeToken => ("恢复码不正确。", "This resume token is not right."),
        InvalidResumeCode => ("验证码错误或已失效。", "The code is wrong or has expired."),
        TokenTitle => ("请保存您的恢复码", "Keep your resume token"),
        TokenLead => ("以后在其他设备上或重新进入本场考试时，需要输入此恢复码。请抄写或复制保存：它只显示这一次（本浏览器也会记住它）。", "To enter this exam again later or on another device, you will need this resume token. Write it down or copy it: it is shown only this once (this browser remembers it too)."),
        TokenContinue => ("我已保存，进入考试", "I have kept it, go to the exam"),
    }
}

/// The message for a registration field's error reason.
pub fn registration_reason_msg(reason: &str) -> ExamMsg {
    match reason {
        "required" => ExamMsg::FieldRequired,
        "too_long" => ExamMsg::FieldTooLong,
        "invalid_token" => ExamMsg::InvalidResumeToken,
        "invalid_code" => ExamMsg::InvalidResumeCode,
        _ => ExamMsg::FieldInvalid,
    }
}

/// The label of an exam's state for the candidate.
pub fn exam_state_msg(state: ExamState) -> ExamMsg {
    match state {
        ExamState::Upcoming => ExamMsg::StateUpcoming,
        ExamState::Open => ExamMsg::StateOpen,
        ExamState::InProgress => ExamMsg::StateInProgress,
        ExamState::Closed => ExamMsg::StateClosed,
    }
}

/// The message for a refusal to start, by the server's conflict reason.
pub fn start_refused_msg(reason: &str) -> Option<ExamMsg> {
    Some(match reason {
        "exam_not_open" => ExamMsg::NotOpen,
        "exam_closed" => ExamMsg::Closed,
        "late_entry_over" => ExamMsg::LateEntryOver,
        "no_attempts_left" => ExamMsg::NoAttemptsLeft,
        "keys_seen" => ExamMsg::KeysSeen,
        _ => return None,
    })
}

/// "90 minutes".
pub fn minutes_text(minutes: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{minutes} 分钟"),
        Lang::En if minutes == 1 => "1 minute".to_owned(),
        Lang::En => format!("{minutes} minutes"),
    }
}

/// "3 of 20 answered".
pub fn answered_text(answered: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("已答 {answered} / {total} 题"),
        Lang::En => format!("{answered} of {total} answered"),
    }
}

/// "Left the exam page 2 of 5 times allowed".
pub fn focus_losses_text(count: i64, max: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("已离开考试页面 {count} 次（最多 {max} 次）"),
        Lang::En => format!("Left the exam page {count} of {max} times allowed"),
    }
}

/// "2 answers waiting to be sent".
pub fn queued_text(count: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{count} 个答案等待发送"),
        Lang::En if count == 1 => "1 answer waiting to be sent".to_owned(),
        Lang::En => format!("{count} answers waiting to be sent"),
    }
}

/// "Question 7".
pub fn question_label(number: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("第 {number} 题"),
        Lang::En => format!("Question {number}"),
    }
}

/// A score with the paper's total: "86 / 100".
pub fn score_text(score: f64, total: Option<f64>) -> String {
    let fmt = |v: f64| {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    match total {
        Some(t) => format!("{} / {}", fmt(score), fmt(t)),
        None => fmt(score),
    }
}

/// The button that sends a returning registrant a code: "Send a code to 138****8000".
pub fn send_resume_code_text(hint: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("发送验证码到 {hint}"),
        Lang::En => format!("Send a code to {hint}"),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{ExamMsg, answered_text, minutes_text, queued_text, score_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_exam_message_is_translated() {
        assert_complete(ExamMsg::ALL);
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(minutes_text(1, Lang::En), "1 minute");
        assert_eq!(minutes_text(90, Lang::ZhCn), "90 分钟");
        assert_eq!(answered_text(3, 20, Lang::En), "3 of 20 answered");
        assert_eq!(queued_text(1, Lang::En), "1 answer waiting to be sent");
        assert_eq!(queued_text(4, Lang::ZhCn), "4 个答案等待发送");
        assert_eq!(score_text(86.5, Some(100.0)), "86.5 / 100");
        assert_eq!(score_text(7.0, None), "7");
    }
}
