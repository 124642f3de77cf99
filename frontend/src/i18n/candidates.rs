//! The text of the candidate pages (list, form, groups, import) and the wording of the
//! import's per-row problems.

use shared::Lang;

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the candidate pages.
    pub enum CandidateMsg {
        TabsLabel => ("考生管理", "Candidate management"),
        TabList => ("考生列表", "Candidates"),
        TabGroups => ("分组", "Groups"),
        TabImport => ("批量导入", "Import"),
        ListTitle => ("考生", "Candidates"),
        ListLead => ("参加考试的考生：登录账号、联系方式与分组。", "The people who take your exams: their sign-in accounts, contacts and groups."),
        NewCandidate => ("新建考生", "New candidate"),
        Filters => ("筛选", "Filters"),
        FilterGroup => ("分组", "Group"),
        AllGroups => ("全部分组", "All groups"),
        FilterStatus => ("状态", "Status"),
        AllStatuses => ("全部状态", "Any status"),
        StatusActive => ("正常", "Active"),
        StatusDisabled => ("已停用", "Disabled"),
        FilterSearch => ("精确查找", "Exact search"),
        FilterSearchHint => ("完整的账号、邮箱或手机号。个人信息加密存储，只能精确匹配。", "A complete account, email address or mobile number. Personal data is encrypted, so only exact matches are found."),
        Search => ("查找", "Search"),
        ClearFilters => ("清除筛选", "Clear filters"),
        ColAccount => ("账号", "Account"),
        ColName => ("姓名", "Name"),
        ColPhone => ("手机号", "Mobile"),
        ColEmail => ("邮箱", "Email"),
        ColGroups => ("分组", "Groups"),
        ColStatus => ("状态", "Status"),
        ColLastLogin => ("最近登录", "Last sign-in"),
        Disable => ("停用", "Disable"),
        Enable => ("启用", "Enable"),
        DeleteCandidateQuestion => ("删除后，该考生的账号、分组关系和登录状态都将被清除，且无法恢复。", "Deleting the candidate removes their account, group memberships and sessions for good."),
        NoCandidates => ("还没有考生。可以新建考生，或从文件批量导入。", "No candidates yet. Add one, or import a list from a file."),
        NoMatches => ("没有符合筛选条件的考生。", "No candidates match these filters."),
        FormNewTitle => ("新建考生", "New candidate"),
        FormEditTitle => ("编辑考生", "Edit candidate"),
        AccountLabel => ("账号", "Account"),
        AccountHint => ("2–40 位字母、数字或 _ . -，可用学号或工号；本单位内唯一。", "2–40 letters, digits or _ . - (student or employee numbers work); unique in your organisation."),
        NameLabel => ("姓名", "Name"),
        PhoneLabel => ("手机号", "Mobile number"),
        EmailLabel => ("邮箱", "Email"),
        ContactHint => ("填写后考生可用验证码登录；留空则清除。", "Lets the candidate sign in with a code; leave blank to remove."),
        IdNumberLabel => ("身份证号", "ID number"),
        IdNumberHint => ("18 位居民身份证号码，末位校验码会被检查。", "An 18-character resident ID number; its check digit is verified."),
        IdNumberKeep => ("已填写（仅显示部分）。留空则保持不变。", "On file (partly hidden). Leave blank to keep it."),
        PasswordNewLabel => ("初始密码", "Initial password"),
        PasswordNewHint => ("至少 8 位。不设置时须填写手机号或邮箱，考生用验证码登录。", "At least 8 characters. Without one, give a mobile number or email: the candidate signs in with a code."),
        PasswordEditLabel => ("重设密码", "New password"),
        PasswordEditHint => ("留空则不修改。修改后考生需要重新登录。", "Leave blank to keep the current one. A new password signs the candidate out."),
        GroupsLabel => ("分组", "Groups"),
        NoGroupsYet => ("还没有分组，可在“分组”页创建。", "No groups yet; create them on the Groups tab."),
        Taken => ("账号、邮箱或手机号已被本单位的其他考生使用。", "The account, email or mobile number is already used by another candidate of your organisation."),
        GroupsTitle => ("考生分组", "Candidate groups"),
        GroupsLead => ("按班级、部门或批次组织考生。删除分组不会删除其中的考生。", "Organise candidates by class, department or intake. Deleting a group keeps its candidates."),
        NewGroupLabel => ("新分组名称", "New group name"),
        CreateGroup => ("创建分组", "Create group"),
        ColGroupName => ("分组名称", "Group"),
        ColMembers => ("考生人数", "Candidates"),
        Rename => ("重命名", "Rename"),
        GroupNameLabel => ("分组名称", "Group name"),
        DeleteGroupQuestion => ("删除该分组？其中的考生会保留，只是不再属于此分组。", "Delete this group? Its candidates stay, without this group."),
        NoGroups => ("还没有分组。", "No groups yet."),
        GroupTaken => ("已有同名分组。", "A group of that name exists."),
        ImportTitle => ("批量导入考生", "Import candidates"),
        ImportLead => ("用 Excel 或 CSV 文件一次导入多名考生。系统先检查文件并显示预览；文件中有任何错误时不会导入任何考生。", "Add many candidates at once from an Excel or CSV file. The file is checked and previewed first; if it has any problem, no one is imported."),
        StepTemplate => ("1. 下载模板", "1. Download a template"),
        TemplateHint => ("Excel 模板的第二个工作表说明了每一列的填写要求。中文或英文表头都可以导入。", "The second sheet of the Excel template explains each column. Files with Chinese or English headers can both be imported."),
        TemplateZh => ("中文模板", "Chinese template"),
        TemplateEn => ("英文模板", "English template"),
        StepFile => ("2. 选择文件", "2. Choose your file"),
        FileLabel => ("导入文件", "File to import"),
        FileHint => ("支持 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK），最大 5 MB，最多 10,000 行。选择后会自动检查。", "An .xlsx, .xls, .ods or .csv file (UTF-8 or GBK), at most 5 MB and 10,000 rows. It is checked as soon as you choose it."),
        FileTooLarge => ("文件超过 5 MB，请拆分后分批导入。", "The file is larger than 5 MB; split it and import the parts."),
        FileWrongType => ("请选择 .xlsx、.xls、.ods 或 .csv 文件。", "Choose an .xlsx, .xls, .ods or .csv file."),
        StepCheck => ("3. 检查并导入", "3. Check and import"),
        Uploading => ("正在上传文件…", "Uploading the file…"),
        Checking => ("正在检查文件…", "Checking the file…"),
        Importing => ("正在导入…", "Importing…"),
        ProgressLabel => ("进度", "Progress"),
        CheckPassed => ("检查通过，没有发现问题。", "The file has no problems."),
        HasErrors => ("文件中有问题，未导入任何考生。请修改下列各行后重新选择文件。", "The file has problems, so no one was imported. Fix the rows below and choose the file again."),
        Rejected => ("导入未完成：再次检查时发现问题，未导入任何考生。", "Not imported: the file had problems when it was imported, so no one was added."),
        ErrorsTitle => ("问题", "Problems"),
        ColRow => ("行号", "Row"),
        ColField => ("列", "Column"),
        ColProblem => ("问题", "Problem"),
        NewGroupsTitle => ("将新建的分组", "Groups that will be created"),
        PreviewTitle => ("预览", "Preview"),
        ColPassword => ("密码", "Password"),
        PasswordSet => ("已设置", "Set"),
        PasswordUnset => ("验证码登录", "Sign-in by code"),
        ViewCandidates => ("查看考生列表", "View the candidates"),
        ImportAnother => ("继续导入", "Import another file"),
        FieldFile => ("文件", "File"),
        FieldIdNumber => ("身份证号", "ID number"),
        FieldPassword => ("初始密码", "Initial password"),
    }
}

/// The column an import problem is in, as the template names it.
pub fn import_field_text(field: &str, lang: Lang) -> String {
    let msg = match field {
        "account" => CandidateMsg::ColAccount,
        "name" => CandidateMsg::ColName,
        "phone" => CandidateMsg::ColPhone,
        "email" => CandidateMsg::ColEmail,
        "id_number" => CandidateMsg::FieldIdNumber,
        "password" => CandidateMsg::FieldPassword,
        "groups" => CandidateMsg::ColGroups,
        "file" => CandidateMsg::FieldFile,
        other => return other.to_owned(),
    };
    msg.text(lang).to_owned()
}

/// What is wrong, for one import problem (`field`, `reason` as the API names them). A reason
/// added to the API later is shown as it is rather than hidden.
pub fn import_reason_text(field: &str, reason: &str, lang: Lang) -> String {
    if let Some(first) = reason.strip_prefix("duplicate_in_file_row_") {
        return match lang {
            Lang::ZhCn => format!("与第 {first} 行重复"),
            Lang::En => format!("The same as in row {first}"),
        };
    }
    let zh_en = match (field, reason) {
        ("password", "required") => (
            "未设置密码时，须填写手机号或邮箱",
            "Without a password, a mobile number or email is required",
        ),
        ("password", "invalid_format") => ("密码过于简单", "The password is too easy to guess"),
        (_, "required") => ("必填项为空", "Required but empty"),
        (_, "too_short") => ("内容过短", "Too short"),
        (_, "too_long") => ("内容过长", "Too long"),
        ("id_number", "invalid_format") => (
            "身份证号无效（请检查位数和校验位）",
            "Not a valid ID number (check its length and check digit)",
        ),
        ("phone", "invalid_format") => (
            "不是有效的中国大陆手机号",
            "Not a valid mainland-China mobile number",
        ),
        ("email", "invalid_format") => ("不是有效的邮箱地址", "Not a valid email address"),
        (_, "invalid_format") => ("格式不正确", "Not in a valid format"),
        (_, "already_exists") => (
            "已被本单位的其他考生使用",
            "Already used by another candidate of your organisation",
        ),
        (_, "group_required") => ("须填写您管理的分组", "Name a group you manage"),
        (_, "group_out_of_scope") => ("不是您管理的分组", "Not a group you manage"),
        (_, "missing_column") => ("缺少此列", "This column is missing"),
        (_, "duplicate_column") => ("此列出现了两次", "This column appears twice"),
        (_, "too_many_rows") => (
            "超过 10,000 行，请拆分文件",
            "More than 10,000 rows; split the file",
        ),
        (_, "empty_file") => ("文件是空的", "The file is empty"),
        (_, "no_rows") => ("文件中没有考生数据", "The file has no candidate rows"),
        (_, "unreadable_spreadsheet") => {
            ("无法读取此表格文件", "The spreadsheet could not be read")
        }
        (_, "unreadable_text_encoding") => (
            "无法识别文本编码，请另存为 UTF-8 或 GBK",
            "Unknown text encoding; save it as UTF-8 or GBK",
        ),
        (_, "unsupported_file_type") => ("不支持此文件类型", "This type of file is not supported"),
        (_, "malformed_csv") => ("CSV 格式有误", "The CSV is malformed"),
        (_, other) => {
            return match lang {
                Lang::ZhCn => format!("无效（{other}）"),
                Lang::En => format!("Invalid ({other})"),
            };
        }
    };
    match lang {
        Lang::ZhCn => zh_en.0.to_owned(),
        Lang::En => zh_en.1.to_owned(),
    }
}

/// The label of the import button.
pub fn import_button_text(rows: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("导入 {rows} 名考生"),
        Lang::En if rows == 1 => "Import 1 candidate".to_owned(),
        Lang::En => format!("Import {rows} candidates"),
    }
}

/// The outcome of a committed import.
pub fn imported_text(count: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("导入成功：已添加 {count} 名考生。"),
        Lang::En if count == 1 => "Imported: 1 candidate added.".to_owned(),
        Lang::En => format!("Imported: {count} candidates added."),
    }
}

/// The size of the file and how many rows it has.
pub fn rows_text(rows: u32, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("共 {rows} 行考生数据"),
        Lang::En if rows == 1 => "1 candidate row".to_owned(),
        Lang::En => format!("{rows} candidate rows"),
    }
}

/// How many problems the file has.
pub fn problems_text(count: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("发现 {count} 个问题"),
        Lang::En if count == 1 => "1 problem".to_owned(),
        Lang::En => format!("{count} problems"),
    }
}

/// Under a list that shows only its first `shown` of `total` entries.
pub fn only_first_text(shown: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("仅显示前 {shown} 项，共 {total} 项。"),
        Lang::En => format!("Showing the first {shown} of {total}."),
    }
}

/// The upload's progress, when the browser knows it.
pub fn percent_text(share: f64) -> String {
    let percent = (share.clamp(0.0, 1.0) * 100.0).round();
    format!("{percent:.0}%")
}

/// "Delete 李雷 (2023001)?" above the confirm buttons.
pub fn delete_candidate_text(name: &str, account: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("确定删除考生 {name}（{account}）？"),
        Lang::En => format!("Delete the candidate {name} ({account})?"),
    }
}

#[cfg(test)]
mod tests {
    use shared::Lang;

    use super::{CandidateMsg, import_field_text, import_reason_text, percent_text};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_candidate_message_is_translated() {
        assert_complete(CandidateMsg::ALL);
    }

    #[test]
    fn import_problems_are_worded_per_field_and_reason() {
        assert_eq!(
            import_reason_text("phone", "invalid_format", Lang::En),
            "Not a valid mainland-China mobile number"
        );
        assert_eq!(
            import_reason_text("account", "duplicate_in_file_row_2", Lang::ZhCn),
            "与第 2 行重复"
        );
        assert_eq!(
            import_reason_text("password", "required", Lang::ZhCn),
            "未设置密码时，须填写手机号或邮箱"
        );
        assert_eq!(
            import_reason_text("name", "required", Lang::En),
            "Required but empty"
        );
        assert_eq!(
            import_reason_text("file", "something_new", Lang::En),
            "Invalid (something_new)"
        );
        assert_eq!(import_field_text("phone", Lang::ZhCn), "手机号");
        assert_eq!(import_field_text("nickname", Lang::En), "nickname");
    }

    #[test]
    fn progress_is_a_whole_percentage() {
        assert_eq!(percent_text(0.456), "46%");
        assert_eq!(percent_text(1.5), "100%");
    }
}
