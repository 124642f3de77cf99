//! Reading the candidate import file: its columns (headers in Chinese or English, see
//! [`Column::names`]; a trailing `*` is ignored, unknown columns are ignored) and the field
//! checks of every row. Rows are numbered as a spreadsheet program shows them.

use std::collections::HashMap;

use shared::Lang;
use shared::candidates::{ImportReport, ImportRowError};

use super::groups::parse_group_name;
use super::model::NewCandidate;
use crate::domain::{CandidateAccount, CnMobile, Email, IdNumber, Password, PersonName};
use crate::spreadsheet::Table;

/// Most data rows in one file.
pub const MAX_ROWS: usize = 10_000;
/// Rows shown in the preview.
pub(super) const PREVIEW_ROWS: usize = 100;

/// A column of the import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Account,
    Name,
    Phone,
    Email,
    IdNumber,
    Password,
    Groups,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Account,
        Column::Name,
        Column::Phone,
        Column::Email,
        Column::IdNumber,
        Column::Password,
        Column::Groups,
    ];

    /// The field name used in errors.
    pub fn field(self) -> &'static str {
        match self {
            Column::Account => "account",
            Column::Name => "name",
            Column::Phone => "phone",
            Column::Email => "email",
            Column::IdNumber => "id_number",
            Column::Password => "password",
            Column::Groups => "groups",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Column::Account | Column::Name)
    }

    /// Accepted headers; the first is the template's.
    pub fn names(self, lang: Lang) -> &'static [&'static str] {
        match (self, lang) {
            (Column::Account, Lang::ZhCn) => &["账号", "登录账号", "考生账号", "学号", "工号"],
            (Column::Account, Lang::En) => &["account", "login account", "username"],
            (Column::Name, Lang::ZhCn) => &["姓名", "考生姓名"],
            (Column::Name, Lang::En) => &["name", "full name"],
            (Column::Phone, Lang::ZhCn) => &["手机号", "手机", "手机号码"],
            (Column::Phone, Lang::En) => &["phone", "mobile", "mobile number"],
            (Column::Email, Lang::ZhCn) => &["邮箱", "电子邮箱", "邮件"],
            (Column::Email, Lang::En) => &["email", "e-mail", "email address"],
            (Column::IdNumber, Lang::ZhCn) => &["身份证号", "身份证号码", "身份证"],
            (Column::IdNumber, Lang::En) => &["id number", "id_number", "id no"],
            (Column::Password, Lang::ZhCn) => &["初始密码", "密码"],
            (Column::Password, Lang::En) => &["password", "initial password"],
            (Column::Groups, Lang::ZhCn) => &["分组", "组别", "班级"],
            (Column::Groups, Lang::En) => &["groups", "group"],
        }
    }

    pub fn help(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Column::Account, Lang::ZhCn) => {
                "必填。2–40 位字母、数字、_ . -（可用学号、工号），机构内唯一，不区分大小写。"
            }
            (Column::Account, Lang::En) => {
                "Required. 2–40 letters, digits, _ . - (student or employee numbers work); unique in the organisation, case-insensitive."
            }
            (Column::Name, Lang::ZhCn) => "必填。考生姓名，最多 50 个字符。",
            (Column::Name, Lang::En) => "Required. The candidate's name, at most 50 characters.",
            (Column::Phone, Lang::ZhCn) => {
                "选填。中国大陆手机号，可带 +86；机构内唯一。可用于验证码登录。"
            }
            (Column::Phone, Lang::En) => {
                "Optional. A mainland-China mobile number, +86 allowed; unique in the organisation. Enables sign-in by code."
            }
            (Column::Email, Lang::ZhCn) => "选填。邮箱地址，机构内唯一。可用于验证码登录。",
            (Column::Email, Lang::En) => {
                "Optional. An email address, unique in the organisation. Enables sign-in by code."
            }
            (Column::IdNumber, Lang::ZhCn) => {
                "选填。18 位居民身份证号码（校验位会被检查）。请以文本格式填写。"
            }
            (Column::IdNumber, Lang::En) => {
                "Optional. An 18-character resident ID number (the check digit is verified). Enter it as text."
            }
            (Column::Password, Lang::ZhCn) => {
                "选填。初始密码，至少 8 位。未填写时须填写手机号或邮箱（考生用验证码登录）。"
            }
            (Column::Password, Lang::En) => {
                "Optional. An initial password, at least 8 characters. Without one, a phone or email is required (sign-in by code)."
            }
            (Column::Groups, Lang::ZhCn) => {
                "选填。分组名称，多个用 ; 或 、 分隔；不存在的分组会自动创建。"
            }
            (Column::Groups, Lang::En) => {
                "Optional. Group names separated by ; — groups that do not exist yet are created."
            }
        }
    }

    fn from_header(header: &str) -> Option<Column> {
        let h = header
            .trim()
            .trim_end_matches(['*', '＊'])
            .trim()
            .to_lowercase()
            .replace('_', " ");
        Column::ALL.into_iter().find(|c| {
            [Lang::ZhCn, Lang::En]
                .iter()
                .any(|l| c.names(*l).iter().any(|n| n.replace('_', " ") == h))
        })
    }
}

/// A file-level problem (reported as row 1, field `file`).
pub(super) fn file_error(reason: &str) -> ImportReport {
    ImportReport {
        committed: false,
        total_rows: 0,
        imported: 0,
        new_groups: Vec::new(),
        errors: vec![ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: reason.to_owned(),
            item: None,
        }],
        preview: Vec::new(),
    }
}

/// One row that passed the field checks.
pub(super) struct Parsed {
    pub row: u32,
    pub candidate: NewCandidate,
    /// The plaintext initial password, hashed only when committing.
    pub password: Option<Password>,
    pub groups: Vec<String>,
}

/// Parses and checks every row; `errors` collects every problem.
pub(super) fn parse_rows(table: Table, errors: &mut Vec<ImportRowError>) -> (u32, Vec<Parsed>) {
    let Some(crate::spreadsheet::Sheet {
        header_row,
        columns,
        duplicates,
        rows: data,
    }) = crate::spreadsheet::headers_and_rows(table, Column::from_header)
    else {
        errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "empty_file".to_owned(),
            item: None,
        });
        return (0, Vec::new());
    };
    for c in duplicates {
        errors.push(ImportRowError {
            row: header_row,
            field: c.field().to_owned(),
            reason: "duplicate_column".to_owned(),
            item: None,
        });
    }
    for c in Column::ALL.iter().filter(|c| c.required()) {
        if !columns.contains_key(c) {
            errors.push(ImportRowError {
                row: header_row,
                field: c.field().to_owned(),
                reason: "missing_column".to_owned(),
                item: None,
            });
        }
    }
    if !errors.is_empty() {
        return (0, Vec::new());
    }
    let total = u32::try_from(data.len()).unwrap_or(u32::MAX);
    if data.len() > MAX_ROWS {
        errors.push(ImportRowError {
            row: 1,
            field: "file".to_owned(),
            reason: "too_many_rows".to_owned(),
            item: None,
        });
        return (total, Vec::new());
    }
    let mut parsed = Vec::new();
    let mut seen: HashMap<(Column, String), u32> = HashMap::new();
    for (row, cells) in data {
        let get = |c: Column| -> &str {
            columns
                .get(&c)
                .and_then(|i| cells.get(*i))
                .map_or("", |s| s.trim())
        };
        let mut fail = |c: Column, reason: &str| {
            errors.push(ImportRowError {
                row,
                field: c.field().to_owned(),
                reason: reason.to_owned(),
                item: None,
            });
        };
        let mut check = |c: Column, r: Result<(), crate::domain::Invalid>| {
            if let Err(why) = r {
                fail(c, why.as_str());
                false
            } else {
                true
            }
        };
        let account = CandidateAccount::parse(get(Column::Account));
        let name = PersonName::parse(get(Column::Name));
        let optional = |c: Column| Some(get(c)).filter(|v| !v.is_empty());
        let phone = optional(Column::Phone).map(CnMobile::parse).transpose();
        let email = optional(Column::Email).map(Email::parse).transpose();
        let id_number = optional(Column::IdNumber).map(IdNumber::parse).transpose();
        let password = optional(Column::Password).map(Password::parse).transpose();
        let mut ok = check(
            Column::Account,
            account.as_ref().map(|_| ()).map_err(|e| *e),
        );
        ok &= check(Column::Name, name.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(Column::Phone, phone.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(Column::Email, email.as_ref().map(|_| ()).map_err(|e| *e));
        ok &= check(
            Column::IdNumber,
            id_number.as_ref().map(|_| ()).map_err(|e| *e),
        );
        ok &= check(
            Column::Password,
            password.as_ref().map(|_| ()).map_err(|e| *e),
        );
        let mut groups: Vec<String> = Vec::new();
        for g in get(Column::Groups)
            .split([';', '；', '、', ',', '，', '\n'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            match parse_group_name(g) {
                Ok(g) if !groups.contains(&g) => groups.push(g),
                Ok(_) => {}
                Err(why) => {
                    fail(Column::Groups, why);
                    ok = false;
                }
            }
        }
        let (Ok(account), Ok(name), Ok(phone), Ok(email), Ok(id_number), Ok(password)) =
            (account, name, phone, email, id_number, password)
        else {
            continue;
        };
        if password.is_none() && phone.is_none() && email.is_none() {
            fail(Column::Password, "required");
            ok = false;
        }
        // The same account, phone or email twice in the file.
        let mut keys = vec![(Column::Account, account.as_str().to_owned())];
        if let Some(p) = &phone {
            keys.push((Column::Phone, p.as_str().to_owned()));
        }
        if let Some(e) = &email {
            keys.push((Column::Email, e.lookup_key()));
        }
        for key in keys {
            if let Some(first) = seen.get(&key) {
                errors.push(ImportRowError {
                    row,
                    field: key.0.field().to_owned(),
                    reason: format!("duplicate_in_file_row_{first}"),
                    item: None,
                });
                ok = false;
            } else {
                seen.insert(key, row);
            }
        }
        if ok {
            parsed.push(Parsed {
                row,
                candidate: NewCandidate {
                    account,
                    name,
                    email,
                    phone,
                    id_number,
                    password_hash: None,
                    group_ids: Vec::new(),
                },
                password,
                groups,
            });
        }
    }
    (total, parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::{TableError, read_table};

    fn table(rows: &[&[&str]]) -> Table {
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    u32::try_from(i + 1).unwrap(),
                    r.iter().map(|s| (*s).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn headers_in_either_language_and_per_row_errors() {
        let mut errors = Vec::new();
        let (total, rows) = parse_rows(
            table(&[
                &["账号*", "姓名*", "手机号", "Email", "分组", "备注"],
                &["2023001", "李雷", "138 0013 8000", "", "一班；二班", "x"],
                &["2023002", "", "12345", "", "", ""],
                &["", "", "", "", "", ""],
                &["2023001", "韩梅梅", "", "hmm@example.com", "", ""],
            ]),
            &mut errors,
        );
        assert_eq!(total, 3);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].groups, vec!["一班", "二班"]);
        assert_eq!(
            rows[0].candidate.phone.as_ref().map(CnMobile::as_str),
            Some("+8613800138000")
        );
        let got: Vec<(u32, &str, &str)> = errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.reason.as_str()))
            .collect();
        assert!(got.contains(&(3, "name", "required")), "{got:?}");
        assert!(got.contains(&(3, "phone", "invalid_format")), "{got:?}");
        assert!(
            got.contains(&(5, "account", "duplicate_in_file_row_2")),
            "{got:?}"
        );
    }

    #[test]
    fn a_missing_required_column_is_a_file_error() {
        let mut errors = Vec::new();
        parse_rows(
            table(&[&["name", "phone"], &["Li Lei", "13800138000"]]),
            &mut errors,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].reason.as_str()),
            ("account", "missing_column")
        );
    }

    #[test]
    fn gbk_csv_and_numeric_cells_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("账号,姓名,手机号\n2023001,李雷,13800138000\n");
        let t = read_table(&gbk).unwrap();
        assert_eq!(t[1].1, vec!["2023001", "李雷", "13800138000"]);
        assert_eq!(read_table(b""), Err(TableError::Invalid("empty_file")));
        assert_eq!(
            read_table(b"PK\x03\x04garbage"),
            Err(TableError::Invalid("unreadable_spreadsheet"))
        );
    }
}
