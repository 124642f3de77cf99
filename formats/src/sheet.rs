//! The question spreadsheet (`.xlsx`/`.xls`/`.ods`/`.csv`): one question per row with a type
//! column, Chinese or English headers (the template's). [`parse_rows`] turns a sheet into
//! question inputs, or errors located by row and column; [`row_of`] is its inverse for export.
//! Checking the inputs as the API does (sanitising, validation) is the caller's.
//!
//! A cell is plain text: it is HTML-escaped (line breaks kept) so `<` in `a<b` stays text;
//! LaTeX between `$…$` is kept as typed. Types a row cannot express (ordering, matching,
//! composite) are reported, not dropped.

use shared::Lang;
use shared::candidates::ImportRowError;
use shared::questions::{Blank, Choice, QuestionContent, QuestionInput};

use crate::table::{Sheet, headers_and_rows, read_table};

/// A row that parsed into a question input, before the API's checks.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row number as a spreadsheet program shows it.
    pub row: u32,
    pub input: QuestionInput,
    /// The category path (`数学/代数`), if any.
    pub category: Option<String>,
}

/// Reads a spreadsheet or CSV file into question inputs and errors (what the `spreadsheet`
/// fuzz target runs): never panics, whatever the bytes.
pub fn parse_bytes(bytes: &[u8]) -> (u32, Vec<SheetRow>, Vec<ImportRowError>) {
    let mut errors = Vec::new();
    let problem = |reason: &str| ImportRowError {
        row: 1,
        field: "file".to_owned(),
        reason: reason.to_owned(),
        item: None,
    };
    match read_table(bytes) {
        Err(e) => {
            errors.push(problem(e.reason()));
            (0, Vec::new(), errors)
        }
        Ok(table) => match headers_and_rows(table, Column::from_header) {
            None => {
                errors.push(problem("empty_file"));
                (0, Vec::new(), errors)
            }
            Some(sheet) => {
                let (total, rows) = parse_rows(sheet, &mut errors);
                (total, rows, errors)
            }
        },
    }
}

/// Most questions in one file.
pub const MAX_ROWS: usize = 10_000;
/// Option columns A to H.
pub const OPTION_LETTERS: [char; 8] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Type,
    Stem,
    Option(usize),
    Answer,
    Points,
    Difficulty,
    Explanation,
    Tags,
    Category,
}

impl Column {
    pub fn all() -> Vec<Column> {
        let mut v = vec![Column::Type, Column::Stem];
        v.extend((0..OPTION_LETTERS.len()).map(Column::Option));
        v.extend([
            Column::Answer,
            Column::Points,
            Column::Difficulty,
            Column::Explanation,
            Column::Tags,
            Column::Category,
        ]);
        v
    }

    pub fn field(self) -> String {
        match self {
            Column::Type => "type".to_owned(),
            Column::Stem => "stem".to_owned(),
            Column::Option(i) => format!("option_{}", OPTION_LETTERS[i]),
            Column::Answer => "answer".to_owned(),
            Column::Points => "points".to_owned(),
            Column::Difficulty => "difficulty".to_owned(),
            Column::Explanation => "explanation".to_owned(),
            Column::Tags => "tags".to_owned(),
            Column::Category => "category".to_owned(),
        }
    }

    /// The template's header.
    pub fn header(self, lang: Lang) -> String {
        let required = matches!(self, Column::Type | Column::Stem | Column::Answer);
        let name = match (self, lang) {
            (Column::Type, Lang::ZhCn) => "题型".to_owned(),
            (Column::Type, Lang::En) => "type".to_owned(),
            (Column::Stem, Lang::ZhCn) => "题干".to_owned(),
            (Column::Stem, Lang::En) => "stem".to_owned(),
            (Column::Option(i), Lang::ZhCn) => format!("选项{}", OPTION_LETTERS[i]),
            (Column::Option(i), Lang::En) => format!("option {}", OPTION_LETTERS[i]),
            (Column::Answer, Lang::ZhCn) => "答案".to_owned(),
            (Column::Answer, Lang::En) => "answer".to_owned(),
            (Column::Points, Lang::ZhCn) => "分值".to_owned(),
            (Column::Points, Lang::En) => "points".to_owned(),
            (Column::Difficulty, Lang::ZhCn) => "难度".to_owned(),
            (Column::Difficulty, Lang::En) => "difficulty".to_owned(),
            (Column::Explanation, Lang::ZhCn) => "解析".to_owned(),
            (Column::Explanation, Lang::En) => "explanation".to_owned(),
            (Column::Tags, Lang::ZhCn) => "标签".to_owned(),
            (Column::Tags, Lang::En) => "tags".to_owned(),
            (Column::Category, Lang::ZhCn) => "分类".to_owned(),
            (Column::Category, Lang::En) => "category".to_owned(),
        };
        if required { format!("{name}*") } else { name }
    }

    pub fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().trim_end_matches(['*', '＊']).trim().to_lowercase();
        let h = h.replace(['_', '-'], " ");
        Column::all().into_iter().find(|c| {
            [Lang::ZhCn, Lang::En].iter().any(|l| {
                c.header(*l)
                    .trim_end_matches('*')
                    .to_lowercase()
                    .replace('_', " ")
                    == h
            }) || match c {
                Column::Option(i) => h == OPTION_LETTERS[*i].to_ascii_lowercase().to_string(),
                Column::Stem => h == "题目" || h == "question",
                Column::Difficulty => h == "难易度",
                _ => false,
            }
        })
    }
}

/// The question type named in a cell (Chinese or English).
pub fn parse_type(s: &str) -> Option<&'static str> {
    let s = s.trim().to_lowercase().replace([' ', '-'], "_");
    Some(match s.as_str() {
        "单选" | "单选题" | "single_choice" | "single" => "single_choice",
        "多选" | "多选题" | "multiple_choice" | "multiple" => "multiple_choice",
        "判断" | "判断题" | "true_false" | "truefalse" => "true_false",
        "填空" | "填空题" | "fill_blank" | "fill_in_blank" => "fill_blank",
        "简答" | "简答题" | "问答题" | "论述题" | "essay" | "short_answer" => "essay",
        "排序" | "排序题" | "ordering" | "配对" | "连线题" | "matching" | "组合题"
        | "composite" => "unsupported",
        _ => return None,
    })
}

/// The type, stem, option and answer cells of a question as the template's row (the other
/// cells empty), if a row can hold it: the inverse of [`parse_rows`].
pub fn row_of(content: &QuestionContent) -> Option<Vec<String>> {
    let plain = crate::html_to_plain;
    let columns = Column::all();
    let mut cells = vec![String::new(); columns.len()];
    let mut set = |c: Column, v: String| {
        if let Some(i) = columns.iter().position(|x| *x == c) {
            cells[i] = v;
        }
    };
    let letter = |options: &[Choice], id: &str| {
        options
            .iter()
            .position(|o| o.id == id)
            .and_then(|i| OPTION_LETTERS.get(i))
            .map(char::to_string)
    };
    let mut set_options = |options: &[Choice]| -> Option<()> {
        if options.len() > OPTION_LETTERS.len() {
            return None;
        }
        for (i, o) in options.iter().enumerate() {
            set(Column::Option(i), plain(&o.text));
        }
        Some(())
    };
    let (kind, stem, answer) = match content {
        QuestionContent::SingleChoice {
            stem,
            options,
            answer,
        } => {
            set_options(options)?;
            ("single_choice", stem, letter(options, answer)?)
        }
        QuestionContent::MultipleChoice {
            stem,
            options,
            answers,
        } => {
            set_options(options)?;
            let letters: Option<Vec<String>> = answers.iter().map(|a| letter(options, a)).collect();
            ("multiple_choice", stem, letters?.concat())
        }
        QuestionContent::TrueFalse { stem, answer } => ("true_false", stem, answer.to_string()),
        QuestionContent::FillBlank { stem, blanks } => (
            "fill_blank",
            stem,
            blanks
                .iter()
                .map(|b| b.answers.join(";"))
                .collect::<Vec<_>>()
                .join("|"),
        ),
        QuestionContent::Essay {
            stem,
            reference_answer,
            ..
        } => ("essay", stem, plain(reference_answer)),
        QuestionContent::Ordering { .. }
        | QuestionContent::Matching { .. }
        | QuestionContent::Composite { .. } => return None,
    };
    set(Column::Type, kind.to_owned());
    set(Column::Stem, plain(stem));
    set(Column::Answer, answer);
    Some(cells)
}

/// A cell's plain text as rich text: escaped, line breaks kept.
pub fn rich(text: &str) -> String {
    crate::plain_to_html(text)
}

/// Runs of 3+ underscores or an empty pair of brackets mark blanks; they become `{{1}}`, `{{2}}`…
fn mark_blanks(stem: &str) -> String {
    if !shared::questions::blank_markers(stem).is_empty() {
        return stem.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    let chars: Vec<char> = stem.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let underscores = chars[i..].iter().take_while(|c| **c == '_').count();
        let bracket = matches!(
            (chars.get(i), chars.get(i + 1), chars.get(i + 2)),
            (Some('（'), Some('）'), _) | (Some('('), Some(')'), _)
        );
        if underscores >= 3 {
            n += 1;
            out.push_str(&format!("{{{{{n}}}}}"));
            i += underscores;
        } else if bracket {
            n += 1;
            out.push_str(&format!("{{{{{n}}}}}"));
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn split_list(s: &str) -> Vec<String> {
    s.split([';', '；', '、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every row of the sheet as a question input or the errors that stop it.
pub fn parse_rows(sheet: Sheet<Column>, errors: &mut Vec<ImportRowError>) -> (u32, Vec<SheetRow>) {
    let Sheet {
        header_row,
        columns,
        duplicates,
        rows,
    } = sheet;
    let err = |errors: &mut Vec<ImportRowError>, row: u32, field: String, reason: &str| {
        errors.push(ImportRowError {
            row,
            field,
            reason: reason.to_owned(),
            item: None,
        })
    };
    for c in duplicates {
        err(errors, header_row, c.field(), "duplicate_column");
    }
    for c in [Column::Type, Column::Stem, Column::Answer] {
        if !columns.contains_key(&c) {
            err(errors, header_row, c.field(), "missing_column");
        }
    }
    if !errors.is_empty() {
        return (0, Vec::new());
    }
    let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    if rows.len() > MAX_ROWS {
        err(errors, 1, "file".to_owned(), "too_many_rows");
        return (total, Vec::new());
    }
    let mut out = Vec::new();
    for (row, cells) in rows {
        let get = |c: Column| -> &str {
            columns
                .get(&c)
                .and_then(|i| cells.get(*i))
                .map_or("", |s| crate::cells::restore(s.trim()))
        };
        let before = errors.len();
        let Some(kind) = parse_type(get(Column::Type)) else {
            err(errors, row, "type".to_owned(), "unknown_type");
            continue;
        };
        if kind == "unsupported" {
            err(
                errors,
                row,
                "type".to_owned(),
                "type_not_supported_by_format",
            );
            continue;
        }
        let stem_text = get(Column::Stem);
        let options: Vec<Choice> = (0..OPTION_LETTERS.len())
            .filter(|i| !get(Column::Option(*i)).is_empty())
            .map(|i| Choice {
                id: OPTION_LETTERS[i].to_string(),
                text: rich(get(Column::Option(i))),
            })
            .collect();
        let answer = get(Column::Answer);
        let letters = || -> Vec<String> {
            answer
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .map(|c| c.to_ascii_uppercase().to_string())
                .collect()
        };
        let content = match kind {
            "single_choice" => {
                let l = letters();
                if l.len() != 1 {
                    err(errors, row, "answer".to_owned(), "invalid_format");
                }
                QuestionContent::SingleChoice {
                    stem: rich(stem_text),
                    options,
                    answer: l.into_iter().next().unwrap_or_default(),
                }
            }
            "multiple_choice" => QuestionContent::MultipleChoice {
                stem: rich(stem_text),
                options,
                answers: letters(),
            },
            "true_false" => {
                let value = match answer.to_lowercase().as_str() {
                    "对" | "正确" | "是" | "√" | "✓" | "true" | "t" | "yes" | "y" => {
                        Some(true)
                    }
                    "错" | "错误" | "否" | "×" | "✗" | "false" | "f" | "no" | "n" => {
                        Some(false)
                    }
                    _ => None,
                };
                if value.is_none() {
                    err(errors, row, "answer".to_owned(), "invalid_format");
                }
                QuestionContent::TrueFalse {
                    stem: rich(stem_text),
                    answer: value.unwrap_or(false),
                }
            }
            "fill_blank" => QuestionContent::FillBlank {
                stem: rich(&mark_blanks(stem_text)),
                blanks: answer
                    .split(['|', '｜'])
                    .map(|b| Blank {
                        answers: b
                            .split([';', '；'])
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        case_sensitive: false,
                        exact_spaces: false,
                        width_sensitive: false,
                        numeric_tolerance: None,
                    })
                    .collect(),
            },
            _ => QuestionContent::Essay {
                stem: rich(stem_text),
                reference_answer: if answer.is_empty() {
                    String::new()
                } else {
                    rich(answer)
                },
                rubric: Vec::new(),
            },
        };
        let points = match get(Column::Points) {
            "" => 1.0,
            p => p.parse::<f64>().unwrap_or(f64::NAN),
        };
        let difficulty = match get(Column::Difficulty) {
            "" => 3,
            "易" | "容易" => 1,
            "较易" => 2,
            "中" | "中等" => 3,
            "较难" => 4,
            "难" | "困难" => 5,
            d => d.parse::<i32>().unwrap_or(0),
        };
        let input = QuestionInput {
            content,
            points,
            difficulty,
            explanation: match get(Column::Explanation) {
                "" => String::new(),
                e => rich(e),
            },
            tags: split_list(get(Column::Tags)),
            category_id: None,
        };
        let category = Some(get(Column::Category))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if errors.len() == before {
            out.push(SheetRow {
                row,
                input,
                category,
            });
        }
    }
    (total, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_escaped_rich_text_and_blanks_are_marked() {
        assert_eq!(rich("a<b\n第二行"), "<p>a&lt;b<br>第二行</p>");
        assert_eq!(
            mark_blanks("水是____，圆周率（）。"),
            "水是{{1}}，圆周率{{2}}。"
        );
        assert_eq!(mark_blanks("已有{{1}}"), "已有{{1}}");
        assert_eq!(parse_type(" 单选题 "), Some("single_choice"));
        assert_eq!(parse_type("Multiple Choice"), Some("multiple_choice"));
        assert_eq!(parse_type("连线题"), Some("unsupported"));
        assert_eq!(parse_type("诗歌"), None);
        assert_eq!(Column::from_header("选项A"), Some(Column::Option(0)));
        assert_eq!(Column::from_header("Option b"), Some(Column::Option(1)));
        assert_eq!(Column::from_header("题干*"), Some(Column::Stem));
    }
}
