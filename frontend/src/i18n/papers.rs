//! The text of the paper pages (list, builder, candidate preview) and of the export dialog.

use shared::Lang;

use super::catalog::catalog;
use super::questions::problem_text;

catalog! {
    /// Fixed strings of the paper pages and the export dialog.
    pub enum PaperMsg {
        NavPapers => ("试卷", "Papers"),
        PapersTitle => ("试卷", "Papers"),
        PapersLead => ("固定试卷由选定的试题组成；随机试卷按规则从题库抽题，每位考生各不相同。", "A fixed paper is made of chosen questions; a random paper draws questions from banks by rules, differently for each candidate."),
        NewPaper => ("新建试卷", "New paper"),
        NoPapers => ("还没有试卷。", "No papers yet."),
        ColName => ("试卷名称", "Paper"),
        ColKind => ("类型", "Kind"),
        ColQuestions => ("题数", "Questions"),
        ColPoints => ("总分", "Points"),
        ColUpdated => ("更新时间", "Updated"),
        KindFixed => ("固定", "Fixed"),
        KindRandom => ("随机", "Random"),
        Open => ("打开", "Open"),
        DeletePaperQuestion => ("删除该试卷？已生成并发给考生的试卷不受影响。", "Delete this paper? Papers already given to candidates are not affected."),
        BackToPapers => ("返回试卷列表", "Back to the papers"),
        BuilderNewTitle => ("新建试卷", "New paper"),
        BuilderEditTitle => ("编辑试卷", "Edit paper"),
        NameLabel => ("试卷名称", "Paper name"),
        DescriptionLabel => ("说明", "Description"),
        ShuffleQuestions => ("每位考生的题目顺序随机", "Shuffle the questions for each candidate"),
        ShuffleOptions => ("每位考生的选项顺序随机", "Shuffle the options for each candidate"),
        Sections => ("大题", "Sections"),
        SectionTitle => ("大题标题", "Section title"),
        SectionDescription => ("大题说明", "Section description"),
        NewSectionTitle => ("新大题", "New section"),
        AddSection => ("添加大题", "Add section"),
        RemoveSection => ("删除大题", "Remove section"),
        MoveUp => ("上移", "Move up"),
        MoveDown => ("下移", "Move down"),
        Remove => ("移除", "Remove"),
        ChosenQuestions => ("选定的试题", "Chosen questions"),
        NoChosen => ("还没有选定试题。", "No chosen questions."),
        PickQuestions => ("从题库选题", "Pick questions from a bank"),
        ClosePicker => ("关闭选题", "Close the picker"),
        PickerBank => ("题库", "Bank"),
        ChooseBank => ("请选择题库", "Choose a bank"),
        Add => ("加入", "Add"),
        Added => ("已加入", "Added"),
        Outdated => ("有新版本", "Newer version"),
        UpdateToLatest => ("更新到最新版本", "Update to the latest"),
        WillUseLatest => ("保存时使用最新版本", "The latest version is used on saving"),
        DragHint => ("拖动可调整顺序", "Drag to reorder"),
        Rules => ("抽题规则", "Rules"),
        NoRules => ("还没有抽题规则。", "No rules."),
        AddRule => ("添加规则", "Add rule"),
        RuleCategory => ("分类", "Category"),
        AnyCategory => ("任意分类", "Any category"),
        RuleTag => ("标签", "Tag"),
        AnyDifficulty => ("任意难度", "Any difficulty"),
        RuleCount => ("抽题数", "Count"),
        RulePoints => ("每题分值", "Points each"),
        RulesFeasible => ("所有规则可以同时满足。", "The rules can be met together."),
        RulesInfeasible => ("所有规则不能同时满足：题库中符合条件的试题不足（同一道题不会被抽两次）。", "The rules cannot be met together: the banks do not hold enough matching questions (no question is drawn twice)."),
        Checking => ("正在检查…", "Checking…"),
        Total => ("合计", "Total"),
        SavePaper => ("保存试卷", "Save paper"),
        Saved => ("试卷已保存。", "Paper saved."),
        Preview => ("考生视角预览", "Preview as a candidate"),
        PreviewTitle => ("考生视角预览", "Preview as a candidate"),
        PreviewLead => ("考生看到的试卷：每位考生抽到一种卷型（抽题和排序），这里预览其中一种，不含答案。", "The paper as a candidate sees it: each candidate gets one variant (questions drawn and ordered for them); this is one of them, without answers."),
        BackToBuilder => ("返回编辑试卷", "Back to the paper"),
        Seed => ("卷型", "Variant"),
        DrawAgain => ("换一种卷型", "Another variant"),
        SameSeed => ("重新生成这一卷型", "This variant again"),
        Blank => ("空", "Blank"),
        AnswerArea => ("作答区", "Answer area"),
        ExportTitle => ("导出试题", "Export questions"),
        ExportFormat => ("格式", "Format"),
        ExportScope => ("范围", "Scope"),
        ExportWholeBank => ("整个题库", "The whole bank"),
        ExportSelected => ("所选试题", "The selected questions"),
        ExportDownload => ("下载", "Download"),
        ExportClose => ("关闭", "Close"),
        FormatXlsx => ("Excel 工作簿 (xlsx)", "Excel (xlsx)"),
        FormatCsv => ("CSV 逗号分隔", "CSV"),
        FormatGift => ("GIFT (Moodle 文本)", "GIFT"),
        FormatAiken => ("Aiken 文本", "Aiken"),
        FormatMoodle => ("Moodle XML 格式", "Moodle XML"),
        FormatQti21 => ("IMS QTI 2.1 格式", "IMS QTI 2.1"),
        FormatQti30 => ("IMS QTI 3.0 格式", "IMS QTI 3.0"),
    }
}

/// The name of an export format (by its wire name).
pub fn format_msg(format: &str) -> PaperMsg {
    match format {
        "csv" => PaperMsg::FormatCsv,
        "gift" => PaperMsg::FormatGift,
        "aiken" => PaperMsg::FormatAiken,
        "moodle_xml" => PaperMsg::FormatMoodle,
        "qti21" => PaperMsg::FormatQti21,
        "qti30" => PaperMsg::FormatQti30,
        _ => PaperMsg::FormatXlsx,
    }
}

/// What is wrong with one field of a paper (`reason` as the papers API names it); the
/// question reasons otherwise.
pub fn paper_problem_text(reason: &str, lang: Lang) -> String {
    let zh_en = match reason {
        "not_enough_questions" => (
            "题库中符合条件的试题不足",
            "Not enough matching questions in the bank",
        ),
        "rules_not_satisfiable" => (
            "这些规则不能同时满足（同一道题不会被抽两次）",
            "The rules cannot all be met at once (no question is drawn twice)",
        ),
        "empty_section" => (
            "大题中至少要有一道选定的试题或一条规则",
            "A section needs a chosen question or a rule",
        ),
        "not_found" => (
            "找不到（可能已被删除）",
            "Not found (it may have been deleted)",
        ),
        "unknown_category" => ("分类不属于该题库", "The category is not in this bank"),
        "too_many_questions" => ("试卷中的试题过多", "Too many questions in the paper"),
        other => return problem_text(other, lang),
    };
    match lang {
        Lang::ZhCn => zh_en.0.to_owned(),
        Lang::En => zh_en.1.to_owned(),
    }
}

/// "N available" beside a rule.
pub fn available_text(n: i64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("可用 {n} 道"),
        Lang::En => format!("{n} available"),
    }
}

/// The totals of a section or of the paper.
pub fn totals_text(questions: i64, points: f64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{questions} 道题，共 {points} 分"),
        Lang::En if questions == 1 => format!("1 question, {points} points"),
        Lang::En => format!("{questions} questions, {points} points"),
    }
}

/// The heading of a question in the preview: number and points.
pub fn numbered_text(number: u32, points: f64, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("{number}.（{points} 分）"),
        Lang::En => format!("{number}. ({points} points)"),
    }
}

/// What the export check found.
pub fn export_check_text(exportable: i64, skipped: usize, types: &str, lang: Lang) -> String {
    match (lang, skipped) {
        (Lang::ZhCn, 0) => format!("将导出 {exportable} 道试题。"),
        (Lang::ZhCn, _) => format!(
            "将导出 {exportable} 道试题；{skipped} 道试题无法用此格式表达（{types}），不会导出。"
        ),
        (Lang::En, 0) => format!("{exportable} questions will be exported."),
        (Lang::En, _) => format!(
            "{exportable} questions will be exported; {skipped} cannot be expressed in this \
             format ({types}) and will be left out."
        ),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{PaperMsg, export_check_text, paper_problem_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_paper_message_has_both_languages() {
        assert_complete(PaperMsg::ALL);
    }

    #[test]
    fn paper_reasons_are_worded_and_others_fall_back_to_the_question_ones() {
        assert_eq!(
            paper_problem_text("not_enough_questions", Lang::En),
            "Not enough matching questions in the bank"
        );
        assert_eq!(paper_problem_text("required", Lang::En), "Required");
        assert!(export_check_text(3, 1, "Matching", Lang::En).contains("1 cannot"));
    }
}
