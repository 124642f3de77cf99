//! The text of the question bank pages (banks, bank browser, editor, import) and the wording of
//! question types and of the editor's per-field problems.

use shared::Lang;
use shared::questions::QuestionType;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the question bank pages.
    pub enum QuestionMsg {
        NavQuestions => ("题库", "Question banks"),
        BanksTitle => ("题库", "Question banks"),
        BanksLead => ("按科目或课程组织试题。题库中还有试题时不能删除。", "Organise questions by subject or course. A bank that still holds questions cannot be deleted."),
        NewBankLabel => ("新题库名称", "New bank name"),
        CreateBank => ("创建题库", "Create bank"),
        BankNameLabel => ("题库名称", "Bank name"),
        ColBankName => ("题库", "Bank"),
        ColQuestionCount => ("试题数", "Questions"),
        Rename => ("重命名", "Rename"),
        DeleteBankQuestion => ("删除该题库？此操作无法撤销。", "Delete this bank? This cannot be undone."),
        BankNotEmpty => ("题库中还有试题，不能删除。请先删除或移走其中的试题。", "The bank still holds questions, so it cannot be deleted. Delete or move its questions first."),
        NoBanks => ("还没有题库。", "No question banks yet."),
        BankTaken => ("已有同名题库。", "A bank of that name exists."),
        BackToBanks => ("返回题库列表", "Back to the banks"),
        BankTitle => ("题库试题", "Questions of the bank"),
        NewQuestion => ("新建试题", "New question"),
        ImportQuestions => ("批量导入", "Import"),
        Filters => ("筛选", "Filters"),
        FilterType => ("题型", "Type"),
        AllTypes => ("全部题型", "All types"),
        FilterDifficulty => ("难度", "Difficulty"),
        AllDifficulties => ("全部难度", "Any difficulty"),
        FilterTag => ("标签", "Tag"),
        FilterText => ("题干包含", "Stem contains"),
        FilterCategory => ("分类", "Category"),
        AllCategories => ("全部分类", "All categories"),
        NoCategory => ("无分类", "No category"),
        Search => ("查找", "Search"),
        ClearFilters => ("清除筛选", "Clear filters"),
        NoQuestions => ("题库中还没有试题。", "This bank has no questions yet."),
        NoMatches => ("没有符合筛选条件的试题。", "No questions match these filters."),
        Points => ("分值", "Points"),
        Difficulty => ("难度", "Difficulty"),
        Tags => ("标签", "Tags"),
        Version => ("版本", "Version"),
        SelectQuestion => ("选择", "Select"),
        Selected => ("已选择", "Selected"),
        BulkDelete => ("删除所选", "Delete selected"),
        BulkMove => ("移到分类", "Move to category"),
        BulkTag => ("添加标签", "Add tag"),
        BulkTagLabel => ("要添加的标签", "Tag to add"),
        BulkDone => ("批量操作已完成。", "Done."),
        DeleteSelectedQuestion => ("删除所选试题？已组卷的试题版本不受影响。", "Delete the selected questions? Papers that use them keep their versions."),
        NewCategoryLabel => ("新分类名称", "New category name"),
        CreateCategory => ("创建分类", "Create category"),
        EditorNewTitle => ("新建试题", "New question"),
        EditorEditTitle => ("编辑试题", "Edit question"),
        EditorLead => ("保存后会生成新版本；已使用的旧版本保持不变，可随时恢复。", "Saving writes a new version; versions already in use never change and can be restored."),
        TypeLabel => ("题型", "Question type"),
        StemLabel => ("题干", "Stem"),
        StemHint => ("用工具栏设置格式，插入表格、图片和公式（也可直接输入 $…$）。", "Use the toolbar for formatting, tables, images and formulas (or type them between $…$)."),
        FillStemHint => ("在题干中用 {{1}}、{{2}} … 依次标出每个空。", "Mark each blank in the stem as {{1}}, {{2}}, … in order."),
        OptionsLabel => ("选项", "Options"),
        OptionLabel => ("选项内容", "Option text"),
        CorrectLabel => ("正确答案", "Correct"),
        AddOption => ("添加选项", "Add option"),
        RemoveOption => ("删除选项", "Remove option"),
        TrueLabel => ("正确", "True"),
        FalseLabel => ("错误", "False"),
        BlanksLabel => ("填空答案", "Blanks"),
        BlankLabel => ("空", "Blank"),
        BlankAnswersLabel => ("可接受的答案（用 ; 分隔多个）", "Accepted answers (separate alternatives with ;)"),
        AddBlank => ("添加一空", "Add blank"),
        RemoveBlank => ("删除此空", "Remove blank"),
        CaseSensitive => ("区分大小写", "Case sensitive"),
        ExactSpaces => ("空格须一致", "Spaces must match"),
        WidthSensitive => ("区分全角半角", "Full/half width differ"),
        NumericTolerance => ("数值误差", "Numeric tolerance"),
        ReferenceAnswer => ("参考答案", "Reference answer"),
        ItemsLabel => ("按正确顺序排列的项目", "Items in their correct order"),
        ExplanationLabel => ("解析", "Explanation"),
        TagsLabel => ("标签（用逗号分隔）", "Tags (comma-separated)"),
        CategoryLabel => ("分类", "Category"),
        SaveQuestion => ("保存试题", "Save question"),
        PreviewTitle => ("考生看到的预览", "Preview, as candidates see it"),
        TryAnswer => ("试答（检查匹配规则）", "Try an answer (checks the matching rules)"),
        TryMatches => ("匹配", "Matches"),
        TryNoMatch => ("不匹配", "No match"),
        VersionsTitle => ("版本历史", "Version history"),
        Restore => ("恢复此版本", "Restore"),
        Current => ("当前版本", "Current"),
        RubricLabel => ("评分细则", "Rubric"),
        RubricHint => ("评分细则只给阅卷人看，考生看不到。", "The rubric is for graders only; candidates never see it."),
        RubricCriterion => ("评分要点", "Criterion"),
        RubricTotal => ("细则合计分值", "Rubric total"),
        AddCriterion => ("添加评分要点", "Add criterion"),
        RemoveCriterion => ("删除要点", "Remove criterion"),
        PromptsLabel => ("题目项及其对应答案", "Prompts and their answers"),
        PromptLabel => ("题目项内容", "Prompt text"),
        AddPrompt => ("添加题目项", "Add prompt"),
        PairLabel => ("对应的答案", "Its answer"),
        ChoosePair => ("选择对应答案…", "Choose its answer…"),
        MatchAnswersLabel => ("答案项", "Answers"),
        MatchAnswerLabel => ("答案项内容", "Answer text"),
        DistractorHint => ("没有题目项对应的答案项是干扰项。", "Answers that no prompt chooses are distractors."),
        AddMatchAnswer => ("添加答案项", "Add answer"),
        PassageLabel => ("材料", "Passage"),
        PassageHint => ("各小题共用的阅读材料或案例；可插入表格、图片和公式。", "The passage or case all parts refer to; tables, images and formulas can be inserted."),
        PartsLabel => ("小题", "Parts"),
        PartLabel => ("小题", "Part"),
        PartPoints => ("本小题分值", "Points of this part"),
        PartsTotal => ("小题合计分值", "Parts total"),
        AddPart => ("添加小题", "Add part"),
        RemovePart => ("删除小题", "Remove part"),
        MoveUp => ("上移", "Move up"),
        MoveDown => ("下移", "Move down"),
        GraderNotesTitle => ("阅卷人可见", "For graders"),
        GraderNotesHint => ("以下内容不会出现在考生的试卷上。", "None of this is shown to candidates."),
        CategoriesTitle => ("分类", "Categories"),
        NoCategories => ("还没有分类。", "No categories yet."),
        CategoryNameLabel => ("分类名称", "Category name"),
        AddSubcategory => ("添加子分类", "Add sub-category"),
        SubcategoryLabel => ("子分类名称", "Sub-category name"),
        DeleteCategoryQuestion => ("删除该分类？", "Delete this category?"),
        DeleteCategoryDetail => ("只有没有子分类和试题的分类才能删除。", "Only a category without sub-categories or questions can be deleted."),
        CategoryNotEmpty => ("该分类下还有子分类或试题，不能删除。请先移走或删除它们。", "The category still has sub-categories or questions, so it cannot be deleted. Move or delete them first."),
        CategoryDone => ("分类已更新。", "Categories updated."),
        QuestionSaved => ("试题已保存。", "Question saved."),
        ImportTitle => ("批量导入试题", "Import questions"),
        ImportLead => ("从 Excel、CSV、Moodle XML、GIFT、Aiken 或 IMS QTI 2.1/3.0 文件一次导入多道试题。系统先检查文件并显示预览；文件中有任何错误时不会导入任何试题。", "Add many questions at once from an Excel, CSV, Moodle XML, GIFT, Aiken or IMS QTI 2.1/3.0 file. The file is checked and previewed first; if it has any problem, nothing is imported."),
        ImportFormatLabel => ("文件格式", "File format"),
        ImportFormatAuto => ("按文件内容自动识别", "Recognise from the file"),
        ImportFileHint => ("支持 .xlsx、.xls、.ods、.csv（UTF-8 或 GBK）、Moodle XML（.xml）、GIFT 和 Aiken（.txt/.gift）、QTI 单题 XML 或内容包（.zip），最大 50 MB，最多 10,000 道题。选择后会自动检查；图片、音频和视频随包导入。", "An .xlsx, .xls, .ods or .csv (UTF-8 or GBK) file, Moodle XML (.xml), GIFT or Aiken (.txt/.gift), or a QTI item (.xml) or content package (.zip); at most 50 MB and 10,000 questions. It is checked as soon as you choose it; images, audio and video in a package are imported with it."),
        ImportFileWrongType => ("请选择 .xlsx、.xls、.ods、.csv、.xml、.txt、.gift 或 .zip 文件。", "Choose an .xlsx, .xls, .ods, .csv, .xml, .txt, .gift or .zip file."),
        ImportFileTooLarge => ("文件超过 50 MB，请拆分后分批导入。", "The file is larger than 50 MB; split it and import the parts."),
        ColItem => ("题目标识", "Item"),
        TemplateHint => ("模板的第二个工作表说明了每一列的填写要求和示例。", "The template's second sheet explains each column, with examples."),
        HasErrors => ("文件中有问题，未导入任何试题。请修改下列各行后重新选择文件。", "The file has problems, so nothing was imported. Fix the rows below and choose the file again."),
        Rejected => ("导入未完成：再次检查时发现问题，未导入任何试题。", "Not imported: the file had problems when it was imported, so nothing was added."),
        ViewQuestions => ("查看试题", "View the questions"),
        ColType => ("题型", "Type"),
        ColStem => ("题干", "Stem"),
        ColCategory => ("分类", "Category"),
        TypeSingleChoice => ("单选题", "Single choice"),
        TypeMultipleChoice => ("多选题", "Multiple choice"),
        TypeTrueFalse => ("判断题", "True/false"),
        TypeFillBlank => ("填空题", "Fill in the blanks"),
        TypeEssay => ("简答题", "Essay"),
        TypeOrdering => ("排序题", "Ordering"),
        TypeMatching => ("匹配题", "Matching"),
        TypeComposite => ("综合题", "Composite"),
    }
}

/// The name of a question type.
pub fn type_msg(question_type: QuestionType) -> QuestionMsg {
    match question_type {
        QuestionType::SingleChoice => QuestionMsg::TypeSingleChoice,
        QuestionType::MultipleChoice => QuestionMsg::TypeMultipleChoice,
        QuestionType::TrueFalse => QuestionMsg::TypeTrueFalse,
        QuestionType::FillBlank => QuestionMsg::TypeFillBlank,
        QuestionType::Essay => QuestionMsg::TypeEssay,
        QuestionType::Ordering => QuestionMsg::TypeOrdering,
        QuestionType::Matching => QuestionMsg::TypeMatching,
        QuestionType::Composite => QuestionMsg::TypeComposite,
    }
}

/// What is wrong with one field of a question (`reason` as `QuestionContent::validate` and the
/// API name it). A reason added later is shown as it is rather than hidden.
pub fn problem_text(reason: &str, lang: Lang) -> String {
    let zh_en = match reason {
        "required" => ("此项不能为空", "Required"),
        "too_long" => ("内容过长", "Too long"),
        "too_few" => (
            "数量不足（选择题至少 2 个选项，填空题至少 1 个空）",
            "Too few (choices need at least 2 options, fill-in-blank at least 1 blank)",
        ),
        "too_many" => ("数量过多", "Too many"),
        "invalid_format" => ("格式不正确", "Not in a valid format"),
        "duplicate" => ("重复", "Duplicated"),
        "unknown_option" => ("请选择正确答案", "Choose the correct answer"),
        "blank_markers_mismatch" => (
            "题干中的 {{1}}、{{2}} … 标记与空的数量不一致",
            "The {{1}}, {{2}}, … markers in the stem do not match the blanks",
        ),
        "out_of_range" => ("超出范围", "Out of range"),
        "duplicate_in_bank" => (
            "题库中已有相同题干的试题",
            "The bank already has a question with this stem",
        ),
        "missing_column" => ("缺少此列", "This column is missing"),
        "duplicate_column" => ("此列重复", "This column appears twice"),
        "unknown_type" => ("未知题型", "Unknown question type"),
        "type_not_supported_by_format" => (
            "此格式不能表达这种题型",
            "This format cannot express this question type",
        ),
        "invalid_file" => ("不是所选格式的有效文件", "Not a valid file of this format"),
        "no_questions" | "no_rows" | "empty_file" => {
            ("文件中没有试题", "The file holds no questions")
        }
        "syntax_error" => ("此处语法错误", "Syntax error here"),
        "missing_media" => (
            "引用的图片或媒体文件不在包中",
            "A referenced image or media file is not in the package",
        ),
        "too_large" => ("文件或内容过大", "The file or its content is too large"),
        "unsupported_media_type" => (
            "不支持的媒体类型（可用 PNG、JPEG、GIF、WebP、MP3、OGG、WAV、MP4、WebM）",
            "Unsupported media type (PNG, JPEG, GIF, WebP, MP3, OGG, WAV, MP4 or WebM)",
        ),
        "prompt_without_answer" => (
            "每个题目项都要选择对应的答案",
            "Choose an answer for every prompt",
        ),
        "nested_composite" => ("小题不能是综合题", "A part cannot be composite"),
        "unknown_category" => ("没有这个分类", "No such category"),
        "would_cycle" => (
            "不能移到它自己或它的子分类下",
            "Cannot go below itself or its sub-categories",
        ),
        other => {
            if let Some(first) = other.strip_prefix("duplicate_in_file_row_") {
                return match lang {
                    Lang::ZhCn => format!("与第 {first} 行重复"),
                    Lang::En => format!("The same as in row {first}"),
                };
            }
            return other.to_owned();
        }
    };
    match lang {
        Lang::ZhCn => zh_en.0.to_owned(),
        Lang::En => zh_en.1.to_owned(),
    }
}

/// The column an import problem is in.
pub fn question_field_text(field: &str, lang: Lang) -> String {
    let msg = match field {
        "type" => QuestionMsg::ColType,
        "stem" => QuestionMsg::ColStem,
        "answer" => QuestionMsg::CorrectLabel,
        "points" => QuestionMsg::Points,
        "difficulty" => QuestionMsg::Difficulty,
        "explanation" => QuestionMsg::ExplanationLabel,
        "tags" => QuestionMsg::Tags,
        "category" => QuestionMsg::ColCategory,
        other => return other.to_owned(),
    };
    msg.text(lang).to_owned()
}

/// The button that commits a checked import.
pub fn import_questions_button_text(rows: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("导入 {rows} 道试题"),
        Lang::En if rows == 1 => "Import 1 question".to_owned(),
        Lang::En => format!("Import {rows} questions"),
    }
}

/// The outcome of a committed import.
pub fn imported_questions_text(count: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("导入成功：已添加 {count} 道试题。"),
        Lang::En if count == 1 => "Imported: 1 question added.".to_owned(),
        Lang::En => format!("Imported: {count} questions added."),
    }
}

/// How many question rows a file has.
pub fn question_rows_text(rows: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("共 {rows} 行试题数据"),
        Lang::En if rows == 1 => "1 question row".to_owned(),
        Lang::En => format!("{rows} question rows"),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;
    use shared::questions::QuestionType;

    use super::{QuestionMsg, problem_text, type_msg};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_question_message_has_both_languages() {
        assert_complete(QuestionMsg::ALL);
    }

    #[test]
    fn every_type_has_a_distinct_name() {
        for (i, t) in QuestionType::ALL.iter().enumerate() {
            for other in &QuestionType::ALL[i + 1..] {
                assert_ne!(type_msg(*t), type_msg(*other));
            }
        }
    }

    #[test]
    fn problems_are_worded_and_unknown_ones_shown_as_they_are() {
        assert_eq!(problem_text("required", Lang::En), "Required");
        assert_eq!(
            problem_text("duplicate_in_file_row_2", Lang::En),
            "The same as in row 2"
        );
        assert_eq!(problem_text("brand_new", Lang::ZhCn), "brand_new");
    }
}
