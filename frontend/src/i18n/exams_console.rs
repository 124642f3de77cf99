//! The text of the console's exam pages: the exam list, the exam's settings form (with its
//! entry modes and registration fields), its ways in (access code, open link, invite links,
//! registrations), its assignments (with accommodations) and its attempts; and the proctor
//! view (the live monitor of an exam's candidates, their events and the proctor's actions).

use shared::Lang;
use shared::exams::{
    AssignmentResult, AttemptEventKind, AttemptStatus, EventCounts, ReleasePolicy, ReviewPolicy,
    Scoring, SubmitReason,
};

use super::catalog::catalog;
use super::papers::paper_problem_text;

catalog! {
    /// Fixed strings of the console's exam pages.
    pub enum ExamAdminMsg {
        NavExams => ("考试", "Exams"),
        ExamsTitle => ("考试管理", "Exams"),
        ExamsLead => ("考试把一份试卷在规定时间内发给安排的考生。", "An exam gives a paper to the assigned candidates within a time window."),
        NewExam => ("新建考试", "New exam"),
        NoExams => ("还没有考试。", "No exams yet."),
        ColName => ("考试名称", "Exam"),
        ColWindow => ("考试时间", "Window"),
        ColDuration => ("时长", "Duration"),
        ColAssigned => ("已安排考生", "Assigned"),
        ColState => ("状态", "State"),
        WindowTo => ("至", "to"),
        StateUpcoming => ("未开始", "Upcoming"),
        StateOpen => ("进行中", "Open"),
        StateClosed => ("已结束", "Closed"),
        OpenExam => ("打开", "Open"),
        BackToExams => ("返回考试列表", "Back to the exams"),
        NewTitle => ("新建考试", "New exam"),
        ExamTitle => ("考试", "Exam"),
        Settings => ("考试设置", "Settings"),
        Paper => ("试卷", "Paper"),
        ChoosePaper => ("请选择试卷", "Choose a paper"),
        NoPapers => ("还没有试卷，请先在“试卷”中创建。", "No papers yet; create one under Papers first."),
        Name => ("考试名称", "Exam name"),
        Instructions => ("考试须知", "Instructions"),
        InstructionsHint => ("考生开始前看到；可用工具栏设置格式、插入表格和公式。", "Candidates see this before they start; use the toolbar for formatting, tables and formulas."),
        OpensAt => ("开始时间", "Opens"),
        ClosesAt => ("结束时间", "Closes"),
        LocalTimeHint => ("按本机时区", "In this device's time zone"),
        DurationMinutes => ("考试时长（分钟）", "Duration (minutes)"),
        LateEntryMinutes => ("开考后允许入场（分钟）", "Late entry (minutes after opening)"),
        LateEntryHint => ("留空表示考试结束前均可入场。", "Leave empty to allow starting until the exam closes."),
        AttemptsAllowed => ("允许作答次数", "Attempts allowed"),
        Scoring => ("计分方式", "Scoring"),
        ScoringBest => ("取最高分", "Best attempt"),
        ScoringLast => ("取最后一次", "Last attempt"),
        ScoringAverage => ("取平均分", "Average of the attempts"),
        PassMark => ("及格分", "Pass mark"),
        NegativeMarking => ("答错倒扣分（客观题）", "Wrong objective answers lose points"),
        NegativeFraction => ("倒扣比例（0 到 1）", "Share of the points lost (0 to 1)"),
        ReleasePolicy => ("成绩公布", "Results released"),
        ReleaseImmediately => ("自动评分后立即公布", "As soon as graded automatically"),
        ReleaseAfterGrading => ("全部评阅后公布", "Once everything is graded"),
        ReleaseAtTime => ("在指定时间公布", "At a set time"),
        ReleaseAt => ("公布时间", "Release time"),
        ReviewPolicy => ("答案回顾", "Review of answers"),
        ReviewNever => ("不允许回顾", "Never"),
        ReviewAfterRelease => ("成绩公布后", "After the results are released"),
        ReviewAfterClose => ("考试结束后", "After the exam closes"),
        ReviewHint => ("考生还能再次作答时不显示答案：答案只在考生已用完作答次数或考试结束后显示，且每次重考都会重新抽题和打乱顺序。", "Answers are never shown while the candidate can still start another attempt: only once they have used all their attempts or the exam has closed. Every retake gets a freshly drawn and shuffled paper."),
        CreateExam => ("创建考试", "Create exam"),
        Creating => ("正在创建…", "Creating…"),
        SaveChanges => ("保存修改", "Save changes"),
        SavingChanges => ("正在保存…", "Saving…"),
        ChangesSaved => ("修改已保存。", "Changes saved."),
        DeleteExam => ("删除考试", "Delete exam"),
        DeleteExamQuestion => ("删除这场考试？已交卷的作答记录仍然保留。", "Delete this exam? Finished attempts are kept."),
        ExamHasAttempts => ("考生正在作答，或已有作答时不能更换试卷。", "Not while candidates are answering, and the paper cannot change once there are attempts."),
        IntegrityTitle => ("防作弊", "Anti-cheat"),
        IntegrityLead => ("超出限制时系统自动交卷；留空表示不限制。", "Going over a limit submits the attempt; leave empty for no limit."),
        MaxFocusLosses => ("最多离开考试页面次数", "Times the exam page may be left"),
        MaxFullscreenExits => ("最多退出全屏次数", "Times fullscreen may be left"),
        IdleTimeout => ("无操作自动交卷（分钟）", "Submit after idle (minutes)"),
        RequireFullscreen => ("要求全屏作答", "Require fullscreen"),
        BlockCopyPaste => ("禁止复制粘贴", "Block copy and paste"),
        IpRanges => ("允许的 IP 范围", "Allowed IP ranges"),
        IpRangesHint => ("每行一个 CIDR，如 10.0.0.0/8；留空表示不限制。", "One CIDR per line, e.g. 10.0.0.0/8; empty: anywhere."),
        Assignments => ("考生安排", "Assignments"),
        AssignLead => ("安排后立即为每位考生生成试卷。", "Each candidate's paper is generated as soon as they are assigned."),
        SearchCandidates => ("查找考生", "Find candidates"),
        SearchHint => ("输入账号、邮箱或手机号精确查找；留空则列出前 20 位考生。", "An exact account, email address or mobile number; leave empty to list the first 20 candidates."),
        Search => ("查找", "Search"),
        NoResults => ("没有找到考生。", "No candidates found."),
        Groups => ("按分组安排", "Assign whole groups"),
        NoGroups => ("还没有考生分组。", "No candidate groups yet."),
        Selection => ("已选择", "Selected"),
        AssignSelected => ("安排所选考生和分组", "Assign the selection"),
        Assigning => ("正在安排…", "Assigning…"),
        NothingSelected => ("请先选择考生或分组。", "Select candidates or groups first."),
        AlreadyAssigned => ("已安排", "Assigned"),
        AssignedList => ("已安排的考生", "Assigned candidates"),
        NoAssignments => ("还没有安排考生。", "No candidates assigned yet."),
        ColCandidate => ("考生", "Candidate"),
        ColAccount => ("账号", "Account"),
        ColExtraMinutes => ("延长时间（分钟）", "Extra minutes"),
        ColExtraPercent => ("延长比例（%）", "Extra time (%)"),
        ColExtraAttempts => ("额外作答次数", "Extra attempts"),
        ColAttemptsUsed => ("已用次数", "Attempts used"),
        AccommodationHint => ("延长时间和次数只对之后开始的作答生效。", "Extra time and attempts apply to attempts started from now on."),
        UnknownCandidate => ("（未载入的考生）", "(candidate not loaded)"),
        Attempts => ("作答记录", "Attempts"),
        Refresh => ("刷新", "Refresh"),
        NoAttempts => ("还没有作答记录。", "No attempts yet."),
        ColNumber => ("第几次", "Attempt"),
        ColStatus => ("状态", "Status"),
        ColStarted => ("开始时间", "Started"),
        ColDeadline => ("截止时间", "Deadline"),
        ColSubmitted => ("交卷时间", "Submitted"),
        ColAutoSubmitted => ("到时自动交卷", "Auto-submitted"),
        ColScore => ("得分", "Score"),
        ColNeedsGrading => ("待人工评阅", "Needs manual grading"),
        StatusInProgress => ("作答中", "In progress"),
        StatusSubmitted => ("已交卷", "Submitted"),
        StatusGraded => ("已评分", "Graded"),
        Yes => ("是", "Yes"),
        No => ("否", "No"),
        Entry => ("入场方式", "Entry"),
        EntryLead => ("除了安排考生并由其登录考生门户外，还可以用以下方式入场。", "Besides being assigned and signing in on the portal, people may enter in these ways."),
        EntryInviteLinks => ("邀请链接（每位已安排的考生一个专属链接）", "Invite links (a personal link for each assigned candidate)"),
        EntryOpenLink => ("公开链接（任何人填写登记信息后即可参加）", "Open link (anyone may register and enter)"),
        EntryAccessCode => ("考试码（在考生门户输入 10 位考试码，登记后参加）", "Access code (10 characters entered on the portal, then registration)"),
        EntrySingleDevice => ("同一时间只允许一台设备作答", "One device at a time"),
        RegistrationFields => ("登记信息", "Registration fields"),
        RegistrationHint => ("通过公开链接或考试码入场的人需填写这些信息；必须有一个“姓名”类型的字段。", "People entering by open link or access code fill these in; one field must be of the kind Name."),
        FieldKey => ("字段标识", "Key"),
        FieldKeyHint => ("小写字母、数字和下划线，以字母开头", "Lower-case letters, digits and _, starting with a letter"),
        FieldLabel => ("显示名称", "Label"),
        FieldKind => ("类型", "Kind"),
        FieldRequired => ("必填", "Required"),
        RemoveField => ("删除", "Remove"),
        AddField => ("添加字段", "Add field"),
        KindName => ("姓名", "Name"),
        KindPhone => ("手机号", "Mobile number"),
        KindEmail => ("邮箱", "Email"),
        KindIdNumber => ("身份证号", "ID number"),
        KindText => ("文本", "Text"),
        DefaultNameLabel => ("姓名", "Name"),
        WaysIn => ("入场信息", "Ways in"),
        AccessCode => ("考试码", "Access code"),
        NewCode => ("更换考试码", "New code"),
        NewCodeQuestion => ("更换考试码？", "Replace the access code?"),
        NewCodeDetail => ("旧考试码将立即失效。", "The old code stops working at once."),
        OpenLink => ("公开链接", "Open link"),
        NewLink => ("更换链接", "New link"),
        NewLinkQuestion => ("更换公开链接？", "Replace the open link?"),
        NewLinkDetail => ("旧链接将立即失效。", "The old link stops working at once."),
        ConfirmReplace => ("确认更换", "Yes, replace"),
        Copy => ("复制", "Copy"),
        Copied => ("已复制。", "Copied."),
        CopyFailed => ("无法复制，请手动选中后复制。", "Could not copy; select the text and copy it by hand."),
        InviteLinks => ("邀请链接", "Invite links"),
        InviteHint => ("链接在考试结束或取消安排后失效。", "A link stops working when the exam closes or the assignment is removed."),
        ColInviteLink => ("邀请链接", "Invite link"),
        Registrations => ("登记记录", "Registrations"),
        NoRegistrations => ("还没有人登记。", "No registrations yet."),
        ColRegisteredAt => ("登记时间", "Registered"),
        Remove => ("移除", "Remove"),
        RemoveQuestion => ("从本场考试中移除该考生？", "Remove this candidate from the exam?"),
        RemoveDetail => ("其邀请链接将失效，已有的作答记录保留。", "Their invite link stops working; attempts already made stay."),
        ConfirmRemove => ("确认移除", "Yes, remove"),
    }
}

catalog! {
    /// Fixed strings of the proctor view (`/exam-monitor?id=`).
    pub enum ProctorMsg {
        MonitorLink => ("监考", "Proctor view"),
        Title => ("监考", "Proctor view"),
        Lead => ("每 5 秒自动刷新；剩余时间每秒倒数。", "Refreshed every 5 seconds; the time left counts down each second."),
        BackToExam => ("返回考试", "Back to the exam"),
        Refresh => ("刷新", "Refresh"),
        NoCandidates => ("还没有安排考生。", "No candidates assigned yet."),
        ColCandidate => ("考生", "Candidate"),
        ColStatus => ("状态", "Status"),
        ColProgress => ("已答 / 题数", "Answered"),
        ColTimeLeft => ("剩余时间", "Time left"),
        ColFocusLosses => ("离开页面次数", "Focus losses"),
        ColOtherEvents => ("其他事件", "Other events"),
        ColLastActivity => ("最近活动", "Last activity"),
        ColReason => ("交卷原因", "Submitted because"),
        ColActions => ("操作", "Actions"),
        StatusNotStarted => ("未开始", "Not started"),
        StatusInProgress => ("作答中", "In progress"),
        StatusSubmitted => ("已交卷", "Submitted"),
        StatusGraded => ("已评分", "Graded"),
        Minutes => ("分钟", "Minutes"),
        Extend => ("延长时间", "Extend"),
        ForceSubmit => ("强制交卷", "Force submit"),
        ForceSubmitQuestion => ("为该考生强制交卷？", "Submit this candidate's attempt now?"),
        ForceSubmitDetail => ("考生将无法继续作答，已保存的答案会被评分。", "The candidate cannot answer any more; the saved answers are graded."),
        ConfirmForceSubmit => ("确认交卷", "Yes, submit"),
        Reopen => ("重新开放", "Reopen"),
        Events => ("事件记录", "Events"),
        HideEvents => ("收起事件", "Hide events"),
        NoEvents => ("没有事件记录。", "No events recorded."),
        EventTime => ("时间", "Time"),
        EventKind => ("事件", "Event"),
        EventDetail => ("详情", "Detail"),
        EventIp => ("IP 地址", "IP address"),
        Extended => ("已延长作答时间。", "Time extended."),
        ForceSubmitted => ("已强制交卷。", "Attempt submitted."),
        Reopened => ("已重新开放作答。", "Attempt reopened."),
        MinutesRange => ("请输入 1 到 600 之间的分钟数。", "Enter between 1 and 600 minutes."),
        NotInProgress => ("该作答已不在进行中。", "This attempt is no longer in progress."),
        DeadlinePassed => ("截止时间已过，无法延长；可在交卷后重新开放。", "The deadline has passed, so it cannot be extended; reopen it once submitted."),
        AttemptInProgress => ("该作答仍在进行中，无需重新开放。", "This attempt is still in progress; there is nothing to reopen."),
        AttemptRunning => ("该考生有另一次作答正在进行，无法重新开放。", "The candidate has another attempt in progress, so this one cannot be reopened."),
        KeysSeen => ("考生已在作答回顾中查看过本考试的答案，不能再重新开放或再次作答。查看时间：", "The candidate has read this exam's answer keys in a review, so no attempt can be reopened or started again. Keys first shown:"),
        NoOtherEvents => ("无", "None"),
        KindFocusLost => ("窗口失去焦点", "Window lost focus"),
        KindTabHidden => ("切换到其他标签页", "Tab hidden"),
        KindCopyAttempt => ("尝试复制", "Copy attempt"),
        KindPasteAttempt => ("尝试粘贴", "Paste attempt"),
        KindFullscreenExit => ("退出全屏", "Left full screen"),
        KindIdle => ("长时间无操作", "Idle"),
        KindResumed => ("恢复作答", "Resumed"),
        KindIpChanged => ("IP 地址变化", "IP address changed"),
        ReasonCandidate => ("考生交卷", "The candidate"),
        ReasonDeadline => ("到时自动交卷", "The deadline"),
        ReasonIntegrityLimit => ("违规次数超限", "An integrity limit"),
        ReasonProctor => ("监考强制交卷", "The proctor"),
    }
}

/// The wording of a monitor row's status; `None`: not started.
pub fn monitor_status_msg(status: Option<AttemptStatus>) -> ProctorMsg {
    match status {
        None => ProctorMsg::StatusNotStarted,
        Some(AttemptStatus::InProgress) => ProctorMsg::StatusInProgress,
        Some(AttemptStatus::Submitted) => ProctorMsg::StatusSubmitted,
        Some(AttemptStatus::Graded) => ProctorMsg::StatusGraded,
    }
}

/// The wording of an event kind.
pub fn event_kind_msg(kind: AttemptEventKind) -> ProctorMsg {
    match kind {
        AttemptEventKind::FocusLost => ProctorMsg::KindFocusLost,
        AttemptEventKind::TabHidden => ProctorMsg::KindTabHidden,
        AttemptEventKind::CopyAttempt => ProctorMsg::KindCopyAttempt,
        AttemptEventKind::PasteAttempt => ProctorMsg::KindPasteAttempt,
        AttemptEventKind::FullscreenExit => ProctorMsg::KindFullscreenExit,
        AttemptEventKind::Idle => ProctorMsg::KindIdle,
        AttemptEventKind::Resumed => ProctorMsg::KindResumed,
        AttemptEventKind::IpChanged => ProctorMsg::KindIpChanged,
    }
}

/// The wording of why an attempt was submitted.
pub fn submit_reason_msg(reason: SubmitReason) -> ProctorMsg {
    match reason {
        SubmitReason::Candidate => ProctorMsg::ReasonCandidate,
        SubmitReason::Deadline => ProctorMsg::ReasonDeadline,
        SubmitReason::IntegrityLimit => ProctorMsg::ReasonIntegrityLimit,
        SubmitReason::Proctor => ProctorMsg::ReasonProctor,
    }
}

/// The wording of a proctor action's `409` reason, if known.
pub fn proctor_conflict_msg(reason: &str) -> Option<ProctorMsg> {
    match reason {
        "attempt_not_in_progress" => Some(ProctorMsg::NotInProgress),
        "deadline_passed" => Some(ProctorMsg::DeadlinePassed),
        "attempt_in_progress" => Some(ProctorMsg::AttemptInProgress),
        "attempt_running" => Some(ProctorMsg::AttemptRunning),
        "keys_seen" => Some(ProctorMsg::KeysSeen),
        _ => None,
    }
}

/// The events other than focus losses, by kind, with their counts ("Copy attempt 2, Idle 1");
/// "None" when there are none.
pub fn other_events_text(counts: &EventCounts, lang: Lang) -> String {
    let others = [
        (AttemptEventKind::CopyAttempt, counts.copy_attempt),
        (AttemptEventKind::PasteAttempt, counts.paste_attempt),
        (AttemptEventKind::FullscreenExit, counts.fullscreen_exit),
        (AttemptEventKind::Idle, counts.idle),
        (AttemptEventKind::Resumed, counts.resumed),
        (AttemptEventKind::IpChanged, counts.ip_changed),
    ];
    let parts: Vec<String> = others
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{} {n}", event_kind_msg(*kind).text(lang)))
        .collect();
    if parts.is_empty() {
        return ProctorMsg::NoOtherEvents.text(lang).to_owned();
    }
    let separator = match lang {
        Lang::ZhCn => "，",
        Lang::En => ", ",
    };
    parts.join(separator)
}

/// The sum of the events other than focus losses.
pub fn other_events_total(counts: &EventCounts) -> i64 {
    counts.copy_attempt
        + counts.paste_attempt
        + counts.fullscreen_exit
        + counts.idle
        + counts.resumed
        + counts.ip_changed
}

/// A countdown: `m:ss` under an hour, `h:mm:ss` from one; never negative.
pub fn time_left_text(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Where an exam's window stands now, for the console's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    Upcoming,
    Open,
    Closed,
}

impl WindowState {
    /// The window's state at `now`; all three in milliseconds since the epoch. The window
    /// includes its opening instant and excludes its closing one, as the server counts it.
    pub fn at(now: f64, opens: f64, closes: f64) -> WindowState {
        if now < opens {
            WindowState::Upcoming
        } else if now < closes {
            WindowState::Open
        } else {
            WindowState::Closed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WindowState::Upcoming => "upcoming",
            WindowState::Open => "open",
            WindowState::Closed => "closed",
        }
    }

    pub fn msg(self) -> ExamAdminMsg {
        match self {
            WindowState::Upcoming => ExamAdminMsg::StateUpcoming,
            WindowState::Open => ExamAdminMsg::StateOpen,
            WindowState::Closed => ExamAdminMsg::StateClosed,
        }
    }
}

/// The wording of a scoring rule.
pub fn scoring_msg(scoring: Scoring) -> ExamAdminMsg {
    match scoring {
        Scoring::Best => ExamAdminMsg::ScoringBest,
        Scoring::Last => ExamAdminMsg::ScoringLast,
        Scoring::Average => ExamAdminMsg::ScoringAverage,
    }
}

/// The wording of a release policy.
pub fn release_msg(policy: ReleasePolicy) -> ExamAdminMsg {
    match policy {
        ReleasePolicy::Immediately => ExamAdminMsg::ReleaseImmediately,
        ReleasePolicy::AfterGrading => ExamAdminMsg::ReleaseAfterGrading,
        ReleasePolicy::AtTime => ExamAdminMsg::ReleaseAtTime,
    }
}

/// The wording of a review policy.
pub fn review_msg(policy: ReviewPolicy) -> ExamAdminMsg {
    match policy {
        ReviewPolicy::Never => ExamAdminMsg::ReviewNever,
        ReviewPolicy::AfterRelease => ExamAdminMsg::ReviewAfterRelease,
        ReviewPolicy::AfterClose => ExamAdminMsg::ReviewAfterClose,
    }
}

/// The wording of an attempt's status.
pub fn attempt_status_msg(status: AttemptStatus) -> ExamAdminMsg {
    match status {
        AttemptStatus::InProgress => ExamAdminMsg::StatusInProgress,
        AttemptStatus::Submitted => ExamAdminMsg::StatusSubmitted,
        AttemptStatus::Graded => ExamAdminMsg::StatusGraded,
    }
}

/// What is wrong with one field of an exam or an assignment (`reason` as the exams API names
/// it); the paper and question reasons otherwise.
pub fn exam_problem_text(reason: &str, lang: Lang) -> String {
    let zh_en = match reason {
        "before_opens_at" => (
            "结束时间必须晚于开始时间",
            "Must be later than the opening time",
        ),
        "not_found" => (
            "找不到（可能已被删除）",
            "Not found (it may have been deleted)",
        ),
        "required" => ("此项不能为空", "Required"),
        "invalid_format" => ("格式不正确", "Not in a valid format"),
        "out_of_range" => ("超出允许的范围", "Outside the allowed range"),
        "rules_not_satisfiable" => (
            "试卷的抽题规则已无法满足，不能再生成试卷",
            "The paper's rules can no longer be met, so no paper can be generated",
        ),
        "duplicate" => ("与其他字段重复", "Used by another field already"),
        "name_required" => (
            "公开链接和考试码入场需要一个“姓名”类型的字段",
            "Entry by open link or access code needs a field of the kind Name",
        ),
        "too_many" => ("字段过多（最多 20 个）", "Too many fields (at most 20)"),
        other => return paper_problem_text(other, lang),
    };
    match lang {
        Lang::ZhCn => zh_en.0.to_owned(),
        Lang::En => zh_en.1.to_owned(),
    }
}

/// What an assignment did: "2 candidates assigned (1 already was)".
pub fn assigned_text(result: &AssignmentResult, lang: Lang) -> String {
    let (n, already) = (result.assigned, result.already_assigned);
    match (lang, already) {
        (Lang::ZhCn, 0) => format!("已安排 {n} 位考生。"),
        (Lang::ZhCn, _) => format!("已安排 {n} 位考生（另有 {already} 位此前已安排）。"),
        (Lang::En, 0) if n == 1 => "1 candidate assigned.".to_owned(),
        (Lang::En, 0) => format!("{n} candidates assigned."),
        (Lang::En, _) if n == 1 => format!("1 candidate assigned ({already} already were)."),
        (Lang::En, _) => format!("{n} candidates assigned ({already} already were)."),
    }
}

/// "3 candidates, 1 group" chosen in the picker.
pub fn selection_text(candidates: usize, groups: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{candidates} 位考生，{groups} 个分组"),
        Lang::En => {
            let c = if candidates == 1 { "" } else { "s" };
            let g = if groups == 1 { "" } else { "s" };
            format!("{candidates} candidate{c}, {groups} group{g}")
        }
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;
    use shared::exams::AssignmentResult;

    use shared::exams::{AttemptEventKind, EventCounts};

    use super::{
        ExamAdminMsg, ProctorMsg, WindowState, assigned_text, event_kind_msg, exam_problem_text,
        other_events_text, other_events_total, proctor_conflict_msg, selection_text,
        time_left_text,
    };
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_exam_admin_message_has_both_languages() {
        assert_complete(ExamAdminMsg::ALL);
    }

    #[test]
    fn the_window_state_follows_the_clock() {
        assert_eq!(WindowState::at(5.0, 10.0, 20.0), WindowState::Upcoming);
        assert_eq!(WindowState::at(10.0, 10.0, 20.0), WindowState::Open);
        assert_eq!(WindowState::at(19.0, 10.0, 20.0), WindowState::Open);
        assert_eq!(WindowState::at(20.0, 10.0, 20.0), WindowState::Closed);
        assert_eq!(WindowState::Closed.as_str(), "closed");
    }

    #[test]
    fn exam_reasons_are_worded_and_others_fall_back() {
        assert_eq!(
            exam_problem_text("before_opens_at", Lang::En),
            "Must be later than the opening time"
        );
        assert_eq!(exam_problem_text("too_long", Lang::En), "Too long");
    }

    #[test]
    fn assignment_results_read_naturally() {
        let result = |assigned, already_assigned| AssignmentResult {
            assigned,
            already_assigned,
            papers_generated: assigned,
        };
        assert_eq!(
            assigned_text(&result(1, 0), Lang::En),
            "1 candidate assigned."
        );
        assert_eq!(
            assigned_text(&result(2, 1), Lang::En),
            "2 candidates assigned (1 already were)."
        );
        assert_eq!(
            assigned_text(&result(3, 0), Lang::ZhCn),
            "已安排 3 位考生。"
        );
        assert_eq!(selection_text(1, 2, Lang::En), "1 candidate, 2 groups");
    }

    #[test]
    fn every_proctor_message_has_both_languages() {
        assert_complete(ProctorMsg::ALL);
    }

    #[test]
    fn proctor_texts_read_naturally() {
        assert_eq!(time_left_text(0), "0:00");
        assert_eq!(time_left_text(-5), "0:00");
        assert_eq!(time_left_text(61), "1:01");
        assert_eq!(time_left_text(3600 + 5 * 60 + 7), "1:05:07");
        let mut counts = EventCounts::default();
        assert_eq!(other_events_text(&counts, Lang::En), "None");
        counts.add(AttemptEventKind::FocusLost, 3);
        counts.add(AttemptEventKind::CopyAttempt, 2);
        counts.add(AttemptEventKind::Idle, 1);
        assert_eq!(
            other_events_text(&counts, Lang::En),
            "Copy attempt 2, Idle 1"
        );
        assert_eq!(other_events_total(&counts), 3);
        assert_eq!(
            event_kind_msg(AttemptEventKind::FocusLost).text(Lang::En),
            "Window lost focus"
        );
        assert_eq!(
            proctor_conflict_msg("deadline_passed"),
            Some(ProctorMsg::DeadlinePassed)
        );
        assert_eq!(proctor_conflict_msg("other"), None);
    }
}
