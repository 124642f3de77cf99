//! TODO(helper): Moodle XML.

use crate::{ExportItem, MediaFile, Parsed};
use shared::questions::QuestionContent;

pub fn supports(_content: &QuestionContent) -> bool {
    false
}

pub fn parse(_bytes: &[u8]) -> Parsed {
    Parsed::default()
}

pub fn write(_items: &[&ExportItem], _media: &[MediaFile]) -> Vec<u8> {
    Vec::new()
}
