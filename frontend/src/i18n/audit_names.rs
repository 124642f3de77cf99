//! The words of the audit log viewer for what the server records: each action (`exam.create`),
//! each kind of target (`exam`) and the common fields of an entry's details (`reason`), in
//! every language. A name this version does not know is shown as the server spells it.

use shared::Lang;

/// Every action the server writes to the audit log: (action, zh-CN, en).
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("auth.login", "登录", "Sign-in"),
    ("auth.logout", "退出登录", "Sign-out"),
    ("auth.logout_all", "退出所有设备", "Sign-out on all devices"),
    ("auth.password_change", "修改密码", "Password changed"),
    ("auth.password_reset", "重设密码", "Password reset"),
    ("auth.session_revoke", "设备退出登录", "Device signed out"),
    (
        "auth.refresh_token_reuse",
        "登录凭证被重复使用",
        "Sign-in token reused",
    ),
    ("org.register", "注册单位", "Organisation registered"),
    ("org.update", "修改单位信息", "Organisation updated"),
    ("org.logo_upload", "上传 Logo", "Logo uploaded"),
    ("org.logo_delete", "删除 Logo", "Logo removed"),
    (
        "org.cancel_request",
        "申请注销单位",
        "Organisation cancellation requested",
    ),
    (
        "org.cancel_undo",
        "撤销注销单位",
        "Organisation cancellation undone",
    ),
    (
        "org.cancel_start",
        "开始注销单位",
        "Organisation cancellation began",
    ),
    (
        "org.cancel_complete",
        "单位数据已删除",
        "Organisation's data deleted",
    ),
    (
        "account.contact_change",
        "更换邮箱或手机号",
        "Email or mobile number changed",
    ),
    ("org_user.create", "添加管理员", "Administrator added"),
    ("org_user.update", "修改管理员", "Administrator changed"),
    ("org_user.delete", "删除管理员", "Administrator removed"),
    ("api_key.create", "创建 API 密钥", "API key created"),
    ("api_key.revoke", "吊销 API 密钥", "API key revoked"),
    ("candidate.create", "添加考生", "Candidate added"),
    ("candidate.update", "修改考生", "Candidate changed"),
    ("candidate.delete", "删除考生", "Candidate deleted"),
    ("candidate.import", "批量导入考生", "Candidates imported"),
    (
        "candidate_group.create",
        "创建考生分组",
        "Candidate group created",
    ),
    (
        "candidate_group.rename",
        "重命名考生分组",
        "Candidate group renamed",
    ),
    (
        "candidate_group.delete",
        "删除考生分组",
        "Candidate group deleted",
    ),
    ("question_bank.create", "创建题库", "Question bank created"),
    ("question_bank.update", "修改题库", "Question bank changed"),
    ("question_bank.delete", "删除题库", "Question bank deleted"),
    (
        "question_category.create",
        "创建题目分类",
        "Category created",
    ),
    (
        "question_category.update",
        "修改题目分类",
        "Category changed",
    ),
    (
        "question_category.delete",
        "删除题目分类",
        "Category deleted",
    ),
    ("question.create", "添加试题", "Question added"),
    ("question.update", "修改试题", "Question changed"),
    ("question.delete", "删除试题", "Question deleted"),
    (
        "question.restore",
        "恢复试题版本",
        "Question version restored",
    ),
    ("question.import", "导入试题", "Questions imported"),
    (
        "question.bulk_delete",
        "批量删除试题",
        "Questions deleted in bulk",
    ),
    (
        "question.bulk_move",
        "批量移动试题",
        "Questions moved in bulk",
    ),
    (
        "question.bulk_tag",
        "批量设置标签",
        "Questions tagged in bulk",
    ),
    ("question.regrade", "按新答案重新评分", "Re-grading started"),
    ("paper.create", "创建试卷", "Paper created"),
    ("paper.update", "修改试卷", "Paper changed"),
    ("paper.delete", "删除试卷", "Paper deleted"),
    ("paper.generate", "预生成试卷", "Papers generated"),
    ("exam.create", "创建考试", "Exam created"),
    ("exam.update", "修改考试", "Exam changed"),
    ("exam.delete", "删除考试", "Exam deleted"),
    ("exam.assign", "安排考生", "Candidates assigned"),
    ("exam.unassign", "取消安排", "Candidates unassigned"),
    ("exam.accommodation", "设置特殊照顾", "Accommodation set"),
    (
        "exam.access_code_rotate",
        "更换考试码",
        "Access code changed",
    ),
    ("exam.open_link_rotate", "更换公开链接", "Open link changed"),
    (
        "exam.registrations_read",
        "查看报名信息",
        "Registration details read",
    ),
    ("exam.attempt.extend", "延长作答时间", "Attempt extended"),
    (
        "exam.attempt.force_submit",
        "强制交卷",
        "Attempt submitted by a proctor",
    ),
    ("exam.attempt.reopen", "重新开放作答", "Attempt reopened"),
    (
        "attempt.takeover",
        "换设备继续作答",
        "Attempt moved to another device",
    ),
    (
        "attempt.mark_override",
        "修改自动评分",
        "Automatic mark overridden",
    ),
    ("attempt.review_request", "送审复核", "Sent for review"),
    ("attempt.regraded", "重新评分", "Attempt re-graded"),
    ("grading.mark", "阅卷评分", "Answer marked"),
    ("grading.arbitrate", "仲裁评分", "Answer arbitrated"),
    (
        "grading.marking.update",
        "修改阅卷设置",
        "Marking settings changed",
    ),
    ("results.export", "导出成绩", "Results exported"),
    (
        "certificate_template.create",
        "创建证书模板",
        "Certificate template created",
    ),
    (
        "certificate_template.update",
        "修改证书模板",
        "Certificate template changed",
    ),
    (
        "certificate_template.delete",
        "删除证书模板",
        "Certificate template deleted",
    ),
    (
        "certificate_template.image_upload",
        "上传证书图片",
        "Certificate image uploaded",
    ),
    (
        "certificate_template.image_delete",
        "删除证书图片",
        "Certificate image removed",
    ),
    ("certificate.issue", "颁发证书", "Certificate issued"),
    (
        "certificate.bulk",
        "批量颁发证书",
        "Certificates issued in bulk",
    ),
    ("certificate.revoke", "吊销证书", "Certificate revoked"),
    ("portal.login", "考生登录", "Candidate sign-in"),
    ("portal.logout", "考生退出登录", "Candidate sign-out"),
    ("staff.login", "平台人员登录", "Platform staff sign-in"),
    ("staff.create", "添加平台人员", "Platform staff added"),
    (
        "staff.audit_read",
        "平台人员查看审计日志",
        "Audit log read by platform staff",
    ),
    (
        "staff.candidates_read",
        "平台人员查看考生",
        "Candidates read by platform staff",
    ),
    ("demo.seed", "创建演示数据", "Demo data created"),
    (
        "privacy.retention_run",
        "按保留期限删除或匿名化数据",
        "Data past its retention deleted or anonymised",
    ),
    (
        "privacy.consent",
        "同意或撤回隐私选项",
        "Consent given or withdrawn",
    ),
    (
        "privacy.policy_publish",
        "发布隐私声明或服务协议新版本",
        "Policy version published",
    ),
    (
        "privacy.export_request",
        "申请导出个人数据",
        "Personal data export requested",
    ),
    (
        "privacy.export_download",
        "下载个人数据导出文件",
        "Personal data export downloaded",
    ),
];

/// The areas actions belong to (the part before the first dot), in the order the filter
/// lists them: (area, zh-CN, en).
pub const AREAS: &[(&str, &str, &str)] = &[
    ("auth", "登录与安全", "Sign-in and security"),
    ("org", "单位设置", "Organisation"),
    ("account", "账号资料", "Account details"),
    ("org_user", "管理员", "Administrators"),
    ("api_key", "API 密钥", "API keys"),
    ("candidate", "考生", "Candidates"),
    ("candidate_group", "考生分组", "Candidate groups"),
    ("question_bank", "题库", "Question banks"),
    ("question_category", "题目分类", "Categories"),
    ("question", "试题", "Questions"),
    ("paper", "试卷", "Papers"),
    ("exam", "考试", "Exams"),
    ("attempt", "作答", "Attempts"),
    ("grading", "阅卷", "Grading"),
    ("results", "成绩", "Results"),
    ("certificate_template", "证书模板", "Certificate templates"),
    ("certificate", "证书", "Certificates"),
    ("portal", "考生端", "Candidate portal"),
    ("staff", "平台人员", "Platform staff"),
    ("demo", "演示数据", "Demo data"),
    ("privacy", "隐私与数据保留", "Privacy and retention"),
];

/// The words of an area.
pub fn area_text(area: &str, lang: Lang) -> Option<&'static str> {
    lookup(AREAS, area, lang)
}

/// The actions of `area`, in the order of [`ACTIONS`].
pub fn actions_of(area: &str) -> impl Iterator<Item = &'static str> + '_ {
    ACTIONS
        .iter()
        .map(|(action, _, _)| *action)
        .filter(move |action| action.split('.').next() == Some(area))
}

/// The kinds of thing an entry is about: (kind, zh-CN, en).
pub const TARGETS: &[(&str, &str, &str)] = &[
    ("policy", "隐私声明或服务协议", "Policy document"),
    ("org", "单位", "Organisation"),
    ("user", "管理员", "Administrator"),
    ("staff", "平台人员", "Platform staff"),
    ("session", "登录设备", "Signed-in device"),
    ("api_key", "API 密钥", "API key"),
    ("candidate", "考生", "Candidate"),
    ("candidate_group", "考生分组", "Candidate group"),
    ("question_bank", "题库", "Question bank"),
    ("question_category", "题目分类", "Category"),
    ("question", "试题", "Question"),
    ("paper", "试卷", "Paper"),
    ("exam", "考试", "Exam"),
    ("attempt", "作答", "Attempt"),
    ("grading_item", "阅卷任务", "Grading item"),
    ("certificate_template", "证书模板", "Certificate template"),
    ("certificate", "证书", "Certificate"),
];

/// Common fields of an entry's details: (key, zh-CN, en).
pub const DETAIL_KEYS: &[(&str, &str, &str)] = &[
    ("reason", "原因", "Reason"),
    ("name", "名称", "Name"),
    ("title", "标题", "Title"),
    ("fields", "修改的字段", "Fields changed"),
    ("method", "方式", "Method"),
    ("via", "途径", "Via"),
    ("kind", "类型", "Kind"),
    ("role", "角色", "Role"),
    ("count", "数量", "Count"),
    ("imported", "导入数量", "Imported"),
    ("skipped", "跳过数量", "Skipped"),
    ("minutes", "分钟", "Minutes"),
    ("deadline", "截止时间", "Deadline"),
    ("version", "版本", "Version"),
    ("points", "分值", "Points"),
    ("score", "得分", "Score"),
    ("before", "修改前", "Before"),
    ("after", "修改后", "After"),
    ("earned", "得分", "Points earned"),
    ("number", "编号", "Number"),
    ("format", "格式", "Format"),
    ("scopes", "权限范围", "Scopes"),
    ("groups", "分组", "Groups"),
    ("tags", "标签", "Tags"),
    ("bytes", "大小（字节）", "Size (bytes)"),
    ("sessions_revoked", "退出的设备数", "Devices signed out"),
    ("session_revoked", "已退出该设备", "Device signed out"),
    ("exam_id", "考试", "Exam"),
    ("paper_id", "试卷", "Paper"),
    ("question_id", "试题", "Question"),
    ("candidate_id", "考生", "Candidate"),
    ("attempt_id", "作答", "Attempt"),
    ("template_id", "证书模板", "Template"),
    ("regrade_id", "重评任务", "Re-grading run"),
    ("previous_status", "原状态", "Previous status"),
    ("extra_percent", "延长比例（%）", "Extra time (%)"),
    ("generated", "生成数量", "Generated"),
    ("questions", "试题数", "Questions"),
    ("replaced", "已替换", "Replaced"),
    ("registered", "已报名", "Registered"),
    ("image", "图片", "Image"),
    ("slot", "位置", "Slot"),
    ("counts", "各类数量", "Counts by kind"),
    ("agreed", "同意的文件", "Agreed to"),
    ("device_details", "登录设备信息", "Device details"),
    ("major", "重大变更", "Major change"),
    ("complete", "已全部完成", "Finished"),
];

/// Words for the values of enumerated details fields: (field, value, zh-CN, en).
pub const DETAIL_VALUES: &[(&str, &str, &str, &str)] = &[
    ("method", "password", "密码", "Password"),
    ("method", "code", "验证码", "Verification code"),
    ("method", "open_link", "公开链接", "Open link"),
    ("method", "access_code", "考试口令", "Access code"),
    ("method", "invite", "邀请链接", "Invitation link"),
    ("via", "email", "邮箱", "Email"),
    ("via", "mobile", "手机", "Mobile"),
    ("kind", "email", "邮箱", "Email"),
    ("kind", "mobile", "手机", "Mobile"),
    ("kind", "privacy", "隐私保护声明", "Privacy statement"),
    ("kind", "terms", "用户服务协议", "Terms of service"),
    ("kind", "released", "成绩发布", "Results released"),
    ("kind", "logo", "标志", "Logo"),
    ("kind", "background", "背景", "Background"),
    ("kind", "signature", "签名", "Signature"),
    ("role", "owner", "所有者", "Owner"),
    ("role", "admin", "管理员", "Administrator"),
    ("role", "grader", "阅卷人", "Grader"),
    ("role", "support", "客服", "Support"),
    ("role", "finance", "财务", "Finance"),
    ("role", "security", "安全", "Security"),
    ("previous_status", "in_progress", "作答中", "In progress"),
    ("previous_status", "submitted", "已交卷", "Submitted"),
    ("previous_status", "graded", "已评分", "Graded"),
];

/// The words for a details field's value (`method: password` → "Password"), if it is one of
/// the enumerated values this version knows.
pub fn detail_value_text(key: &str, value: &str, lang: Lang) -> Option<&'static str> {
    let field = key.rsplit('.').next().unwrap_or(key);
    DETAIL_VALUES
        .iter()
        .find(|(k, v, _, _)| *k == field && *v == value)
        .map(|(_, _, zh, en)| match lang {
            Lang::ZhCn => *zh,
            Lang::En => *en,
        })
}

fn lookup(table: &'static [(&str, &str, &str)], key: &str, lang: Lang) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            Lang::ZhCn => *zh,
            Lang::En => *en,
        })
}

/// The words for an action, if this version knows it.
pub fn action_text(action: &str, lang: Lang) -> Option<&'static str> {
    lookup(ACTIONS, action, lang)
}

/// The words for a kind of target, if this version knows it.
pub fn target_text(kind: &str, lang: Lang) -> Option<&'static str> {
    lookup(TARGETS, kind, lang)
}

/// The label of a details field: known ones in words, others with their underscores as
/// spaces (`retry_after_seconds` → `retry after seconds`).
pub fn detail_key_text(key: &str, lang: Lang) -> String {
    lookup(DETAIL_KEYS, key, lang).map_or_else(|| key.replace('_', " "), str::to_owned)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn enumerated_detail_values_read_as_words() {
        assert_eq!(
            detail_value_text("method", "password", Lang::En),
            Some("Password")
        );
        assert_eq!(
            detail_value_text("method", "code", Lang::ZhCn),
            Some("验证码")
        );
        assert_eq!(
            detail_value_text("limits.role", "grader", Lang::En),
            Some("Grader")
        );
        assert_eq!(detail_value_text("name", "password", Lang::En), None);
        assert_eq!(
            detail_value_text("method", "carrier pigeon", Lang::En),
            None
        );
    }

    #[test]
    fn every_action_belongs_to_a_listed_area() {
        for (action, _, _) in ACTIONS {
            let area = action.split('.').next().unwrap_or_default();
            assert!(area_text(area, Lang::En).is_some(), "{action}");
        }
    }

    #[test]
    fn names_are_distinct_and_present_in_both_languages() {
        for table in [ACTIONS, AREAS, TARGETS, DETAIL_KEYS] {
            let mut seen = HashSet::new();
            for (key, zh, en) in table {
                assert!(seen.insert(*key), "{key} twice");
                assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{key}");
            }
        }
    }

    /// Every action the server writes has words: the backend's sources are read for string
    /// literals shaped like an action (`"area.verb"`, the area one of [`AREAS`]), so a new
    /// action in a listed area cannot ship without its words.
    #[test]
    fn every_action_the_server_writes_has_words() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../backend/src");
        let mut missing = Vec::new();
        let mut found = 0;
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read backend/src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().and_then(|e| e.to_str()) == Some("rs") {
                    let text = std::fs::read_to_string(&path).expect("read source");
                    for action in action_literals(&text) {
                        found += 1;
                        if action_text(&action, Lang::En).is_none() {
                            missing.push(format!("{action} ({})", path.display()));
                        }
                    }
                }
            }
        }
        assert!(found > 50, "the scan found only {found} actions");
        assert!(missing.is_empty(), "actions without words: {missing:?}");
    }

    /// The string literals of `text` shaped like an action name.
    fn action_literals(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|lit| {
                lit.contains('.')
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                    && lit
                        .split('.')
                        .next()
                        .is_some_and(|area| AREAS.iter().any(|(a, _, _)| *a == area))
                    && lit.split('.').all(|part| !part.is_empty())
            })
            .map(str::to_owned)
            .collect()
    }
}
