//! The text of the rich-text editor (its toolbar, the table and formula dialogs) and of the
//! difficulty scale.

use super::catalog::catalog;

catalog! {
    /// Fixed strings of the rich-text editor.
    pub enum EditorMsg {
        Toolbar => ("格式工具栏", "Formatting toolbar"),
        Bold => ("粗体", "Bold"),
        Italic => ("斜体", "Italic"),
        Underline => ("下划线", "Underline"),
        BulletList => ("项目符号列表", "Bulleted list"),
        NumberedList => ("编号列表", "Numbered list"),
        Table => ("表格", "Table"),
        Image => ("图片", "Image"),
        ImageTitle => ("上传图片、音频或视频并插入到光标处（PNG、JPEG、GIF、WebP ≤5 MB，MP3、OGG、WAV ≤20 MB，MP4、WebM ≤100 MB）", "Upload an image, audio or video and insert it at the cursor (PNG, JPEG, GIF, WebP up to 5 MB; MP3, OGG, WAV 20 MB; MP4, WebM 100 MB)"),
        Uploading => ("正在上传…", "Uploading…"),
        Formula => ("公式", "Formula"),
        Undo => ("撤销", "Undo"),
        Redo => ("重做", "Redo"),
        Source => ("HTML 源码", "HTML source"),
        Rows => ("行数", "Rows"),
        Columns => ("列数", "Columns"),
        HeaderRow => ("首行作为表头", "First row is a header"),
        InsertTable => ("插入表格", "Insert table"),
        LatexLabel => ("LaTeX 公式", "LaTeX formula"),
        LatexHint => ("例如 x^2 + \\frac{1}{2}；插入后以 $…$ 保存。", "For example x^2 + \\frac{1}{2}; it is saved between $…$."),
        DisplayFormula => ("单独成行显示", "Show on its own line"),
        FormulaPreview => ("预览", "Preview"),
        InsertFormula => ("插入公式", "Insert formula"),
        Cancel => ("取消", "Cancel"),
    }
}

catalog! {
    /// The five steps of a question's difficulty.
    pub enum DifficultyMsg {
        VeryEasy => ("很容易", "Very easy"),
        Easy => ("容易", "Easy"),
        Medium => ("中等", "Medium"),
        Hard => ("难", "Hard"),
        VeryHard => ("很难", "Very hard"),
    }
}

/// The label of a difficulty from 1 (very easy) to 5 (very hard); `None` outside the scale.
pub fn difficulty_msg(level: i32) -> Option<DifficultyMsg> {
    match level {
        1 => Some(DifficultyMsg::VeryEasy),
        2 => Some(DifficultyMsg::Easy),
        3 => Some(DifficultyMsg::Medium),
        4 => Some(DifficultyMsg::Hard),
        5 => Some(DifficultyMsg::VeryHard),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{DifficultyMsg, EditorMsg, difficulty_msg};
    use crate::i18n::catalog::assert_complete;

    #[test]
    fn every_message_has_both_languages() {
        assert_complete(EditorMsg::ALL);
        assert_complete(DifficultyMsg::ALL);
    }

    #[test]
    fn the_scale_names_exactly_one_to_five() {
        assert!(difficulty_msg(0).is_none() && difficulty_msg(6).is_none());
        assert!((1..=5).all(|n| difficulty_msg(n).is_some()));
    }
}
