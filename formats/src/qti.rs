//! TODO(helper): IMS QTI 2.1 and 3.0.

use crate::{ExportItem, MediaFile, Parsed};
use shared::questions::QuestionContent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V21,
    V30,
}

pub fn supports(_content: &QuestionContent) -> bool {
    false
}

pub fn parse(_bytes: &[u8], _version: Version) -> Parsed {
    Parsed::default()
}

pub fn write(_items: &[&ExportItem], _media: &[MediaFile], _version: Version) -> Vec<u8> {
    Vec::new()
}
