//! The question import template: an .xlsx whose first sheet has the columns the import
//! reads (`question_formats::sheet::Column`) and whose second shows an example of each type
//! with a note on how to fill it in, in Chinese or English.

use question_formats::cells::neutralise;
use question_formats::sheet::Column;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use shared::Lang;

/// The template in `lang`.
pub fn workbook(lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(match lang {
        Lang::ZhCn => "试题",
        Lang::En => "Questions",
    })?;
    for (i, c) in Column::all().into_iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        sheet.write_string_with_format(0, col, neutralise(&c.header(lang)), &bold)?;
        sheet.set_column_format(col, &text)?;
        sheet.set_column_width(col, if c == Column::Stem { 40 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let examples: &[[&str; 16]] = match lang {
        Lang::ZhCn => EXAMPLES_ZH,
        Lang::En => EXAMPLES_EN,
    };
    let help = book.add_worksheet();
    help.set_name(match lang {
        Lang::ZhCn => "示例与说明",
        Lang::En => "Examples",
    })?;
    for (i, c) in Column::all().into_iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        help.write_string_with_format(0, col, neutralise(&c.header(lang)), &bold)?;
    }
    for (r, row) in examples.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            help.write_string(
                u32::try_from(r + 1).unwrap_or(1),
                u16::try_from(c).unwrap_or(0),
                neutralise(cell),
            )?;
        }
    }
    let note = match lang {
        Lang::ZhCn => NOTE_ZH,
        Lang::En => NOTE_EN,
    };
    help.write_string(
        u32::try_from(examples.len() + 2).unwrap_or(7),
        0,
        neutralise(note),
    )?;
    book.save_to_buffer()
}

/// The file name of the template in `lang`.
pub fn file_name(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "questions-template-zh.xlsx",
        Lang::En => "questions-template-en.xlsx",
    }
}

// One example a line, a column a cell: the table reads as the sheet does.
#[rustfmt::skip]
const EXAMPLES_ZH: &[[&str; 16]] = &[
    ["单选题", "中国的首都是？", "上海", "北京", "广州", "", "", "", "", "", "B", "2", "1", "北京是首都。", "地理;常识", "地理/中国"],
    ["多选题", "下列哪些是质数？", "2", "4", "5", "9", "", "", "", "", "AC", "3", "2", "", "数学", "数学/数论"],
    ["判断题", "$e^{i\\pi}+1=0$", "", "", "", "", "", "", "", "", "对", "1", "3", "", "数学", ""],
    ["填空题", "水的化学式是____，圆周率约为____。", "", "", "", "", "", "", "", "", "H2O;H₂O|3.14", "2", "2", "", "", "化学"],
    ["简答题", "简述光合作用的过程。", "", "", "", "", "", "", "", "", "参考答案要点……", "10", "4", "", "", "生物"],
];

// One example a line, a column a cell: the table reads as the sheet does.
#[rustfmt::skip]
const EXAMPLES_EN: &[[&str; 16]] = &[
    ["single_choice", "What is the capital of China?", "Shanghai", "Beijing", "Guangzhou", "", "", "", "", "", "B", "2", "1", "", "geography", "Geography/China"],
    ["multiple_choice", "Which are primes?", "2", "4", "5", "9", "", "", "", "", "AC", "3", "2", "", "maths", "Maths/Numbers"],
    ["true_false", "$e^{i\\pi}+1=0$", "", "", "", "", "", "", "", "", "true", "1", "3", "", "maths", ""],
    ["fill_blank", "Water is ____; pi is about ____.", "", "", "", "", "", "", "", "", "H2O|3.14", "2", "2", "", "", "Chemistry"],
    ["essay", "Describe photosynthesis.", "", "", "", "", "", "", "", "", "Key points…", "10", "4", "", "", "Biology"],
];

const NOTE_ZH: &str = "题型：单选题/多选题/判断题/填空题/简答题。答案：单选填字母，多选填多个字母，判断填对/错，填空题用 | 分隔各空、用 ; 分隔同一空的多个答案（题干中用 ____ 或 （） 标出空位），简答题填参考答案。难度 1–5，分值默认 1。分类用 / 表示层级。将示例行复制到“试题”工作表即可导入。";

const NOTE_EN: &str = "Types: single_choice, multiple_choice, true_false, fill_blank, essay. Answer: a letter, several letters, true/false, blanks separated by | with alternatives separated by ; (mark blanks in the stem with ____), or the reference answer. Difficulty 1–5; points default to 1. Category levels are separated by /. Copy example rows to the first sheet to import them.";
