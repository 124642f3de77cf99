//! TODO(helper): the gift format.

use crate::{ExportItem, Parsed};
use shared::questions::QuestionContent;

/// Whether gift can express this question.
pub fn supports(_content: &QuestionContent) -> bool {
    false
}

pub fn parse(_bytes: &[u8]) -> Parsed {
    Parsed::default()
}

pub fn write(_items: &[&ExportItem]) -> Vec<u8> {
    Vec::new()
}
