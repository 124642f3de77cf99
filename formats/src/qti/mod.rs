//! IMS QTI 2.1 and IMS QTI 3.0: one item file (`assessmentItem` / `qti-assessment-item`) or a
//! content package (a zip with `imsmanifest.xml` whose item resources point to item files and
//! the media they use). Either version's reader accepts both spellings.
//!
//! Types: choice interactions (cardinality single → single choice, multiple → multiple
//! choice; two choices `true`/`false` → true/false), text entries inside the item body → fill
//! in the blank (each interaction is a `{{n}}` marker; the correct response and the mapping's
//! keys are the accepted answers; `caseSensitive` of the map entries), extended text → essay
//! (the scorer's rubric block holds `<div class="ec-reference">` and
//! `<ul class="ec-rubric"><li data-points="2">…</li></ul>`), order → ordering, match →
//! matching (directed pairs; unused answers stay as distractors), and an item with several
//! interactions (not all text entries) → composite (a passage, then one part per
//! `<div class="ec-part">`, or else per interaction). Other interactions (hotspot, slider,
//! upload, gap match, custom, …) are reported as
//! [`reason::TYPE_NOT_SUPPORTED`](crate::reason::TYPE_NOT_SUPPORTED) at their line.
//!
//! What QTI has no place for travels in attributes of our own namespace
//! (`xmlns:ec="https://examcloud.invalid/qti"`), which other tools ignore: on the item
//! `ec:difficulty`, `ec:tags` (comma-separated, `%` and `,` percent-encoded) and
//! `ec:category`; on a response declaration `ec:points` (the points of a composite part),
//! `ec:tolerance`, `ec:exact-spaces` and `ec:width-sensitive` (fill-in-blank rules). The
//! manifest also carries tags and difficulty as IEEE LOM (`imsmd:keyword`,
//! `imsmd:difficulty`), which import uses for items without `ec:` attributes. Points are the
//! `SCORE` outcome's `normalMaximum` (default 1), the explanation is the modal feedback.
//!
//! Rich text is HTML on our side and XHTML in the file: void elements are closed, `&nbsp;` and
//! HTML's named entities become character references, stray end tags are dropped and open
//! ones closed. Reading turns it back into the same HTML; items we wrote
//! (`toolName="ExamCloud"`) come back exactly, whitespace included, while texts of other
//! tools are trimmed.
//!
//! Export always writes a package: `imsmanifest.xml`, `items/<id>.xml`, and each media file
//! the questions refer to, stored relative to the item (`src="images/a.png"` is
//! `items/images/a.png`). Import looks a `src` up relative to the item file first, then from
//! the package root, and returns each file found as a [`MediaFile`] named by the `src` as
//! written; one that is missing is [`reason::MISSING_MEDIA`](crate::reason::MISSING_MEDIA)
//! (the question is still read). Problems of an item in a package are located by
//! `<href>#<identifier>` (just the href when the file cannot be read), of a single item file
//! by its identifier, with the line of the element. A package is checked against the zip
//! [`limits`](crate::limits) (entries, each entry's and the total uncompressed size, the
//! compression ratio) before any entry is read, and every entry is read through a `take` of
//! the remaining budget; an item's elements are capped at 200 000 and their depth at 200.

mod dom;
mod entities;
mod read;
mod write;
mod xhtml;

use crate::{ExportItem, MediaFile, Parsed};
use shared::questions::{Choice, QuestionContent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V21,
    V30,
}

/// The `toolName` of the items we write; texts of such items are read back without trimming.
pub(crate) const TOOL_NAME: &str = "ExamCloud";

/// The namespace of our own attributes.
pub(crate) const EC_NS: &str = "https://examcloud.invalid/qti";

/// Every type can be written, as long as identifiers (which QTI joins with spaces in pairs)
/// hold no whitespace and a composite holds no composite.
pub fn supports(content: &QuestionContent) -> bool {
    let ids_ok = |list: &[Choice]| {
        list.iter()
            .all(|c| !c.id.is_empty() && !c.id.contains(char::is_whitespace))
    };
    match content {
        QuestionContent::SingleChoice { options, .. }
        | QuestionContent::MultipleChoice { options, .. } => ids_ok(options),
        QuestionContent::Ordering { items, .. } => ids_ok(items),
        QuestionContent::Matching {
            prompts, answers, ..
        } => ids_ok(prompts) && ids_ok(answers),
        QuestionContent::Composite { parts, .. } => parts.iter().all(|p| {
            !matches!(p.content, QuestionContent::Composite { .. }) && supports(&p.content)
        }),
        QuestionContent::TrueFalse { .. }
        | QuestionContent::FillBlank { .. }
        | QuestionContent::Essay { .. } => true,
    }
}

/// Reads one item file or a content package (either version is accepted).
pub fn parse(bytes: &[u8], version: Version) -> Parsed {
    read::parse(bytes, version)
}

/// Writes a content package of `version`.
pub fn write(items: &[&ExportItem], media: &[MediaFile], version: Version) -> Vec<u8> {
    write::write(items, media, version)
}
