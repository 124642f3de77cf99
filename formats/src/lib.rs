//! Question interchange formats: GIFT, Aiken, Moodle XML, IMS QTI 2.1 and IMS QTI 3.0 (single
//! item files and content packages: a zip with `imsmanifest.xml`).
//!
//! Every parser takes the raw bytes of a file and returns every question it could read plus
//! every problem, each located (line for text formats, item identifier for XML formats), and
//! never panics on any input (the `fuzz/` targets check that). Types a format cannot express
//! are reported ([`reason::TYPE_NOT_SUPPORTED`]), never silently dropped. Writers take
//! questions and return the file, plus the questions they had to leave out (with why).
//!
//! Rich text stays HTML here; the caller (the backend) sanitises it and stores media.
//! Media (images, audio, video) inside a file (Moodle's base64 `<file>`, a QTI package's
//! files) come back as [`MediaFile`]s; the question text refers to them by `src="<name>"`,
//! and the caller replaces those names with its own URLs. For export, the caller passes the
//! media that the questions' `src` attributes refer to.
//!
//! Difficulty: formats without a difficulty field import as 3; points default to 1.

use shared::questions::{QuestionContent, QuestionType};

pub mod aiken;
pub mod cells;
pub mod gift;
pub mod limits;
pub mod moodle;
pub mod qti;
pub mod sheet;
pub mod table;
mod text;
mod xls;

pub use text::{html_to_plain, plain_to_html};

/// A format this crate reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Gift,
    Aiken,
    MoodleXml,
    /// IMS QTI 2.1: one `assessmentItem` XML file or a content package (zip).
    Qti21,
    /// IMS QTI 3.0: one `qti-assessment-item` XML file or a content package (zip).
    Qti30,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Gift,
        Format::Aiken,
        Format::MoodleXml,
        Format::Qti21,
        Format::Qti30,
    ];

    /// The name used in the API (`?format=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::MoodleXml => "moodle_xml",
            Format::Qti21 => "qti21",
            Format::Qti30 => "qti30",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether the format can express this question (its type, and the features it uses).
    pub fn supports(self, content: &QuestionContent) -> bool {
        match self {
            Format::Gift => gift::supports(content),
            Format::Aiken => aiken::supports(content),
            Format::MoodleXml => moodle::supports(content),
            Format::Qti21 | Format::Qti30 => qti::supports(content),
        }
    }

    /// The file name of an export (`questions.gift.txt`, `questions-qti30.zip`, …).
    pub fn file_name(self, stem: &str) -> String {
        match self {
            Format::Gift => format!("{stem}.gift.txt"),
            Format::Aiken => format!("{stem}.aiken.txt"),
            Format::MoodleXml => format!("{stem}.moodle.xml"),
            Format::Qti21 => format!("{stem}-qti21.zip"),
            Format::Qti30 => format!("{stem}-qti30.zip"),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Gift | Format::Aiken => "text/plain; charset=utf-8",
            Format::MoodleXml => "application/xml",
            Format::Qti21 | Format::Qti30 => "application/zip",
        }
    }
}

/// A question as a format carries it: the content and its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub content: QuestionContent,
    /// Points (default 1).
    pub points: f64,
    /// 1–5 (default 3).
    pub difficulty: i32,
    /// Rich text (may be empty).
    pub explanation: String,
    pub tags: Vec<String>,
    /// A category path such as `数学/代数` (`/` between levels), if the file names one.
    pub category: Option<String>,
}

impl Question {
    pub fn new(content: QuestionContent) -> Question {
        Question {
            content,
            points: 1.0,
            difficulty: 3,
            explanation: String::new(),
            tags: Vec::new(),
            category: None,
        }
    }
}

/// Where in a file a question or a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// 1-based line (text formats; for XML the line where the item starts), 0 if unknown.
    pub line: u32,
    /// The item's identifier or name (XML formats), or the file inside a package.
    pub item: Option<String>,
}

/// A question read from a file, and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub location: Location,
    pub question: Question,
}

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    /// What is wrong: `stem`, `options`, `answer`, `type`, `file`, … .
    pub field: String,
    /// A stable code from [`reason`].
    pub reason: String,
}

/// Stable problem codes.
pub mod reason {
    /// Not a file of this format at all (not UTF-8, not XML, not a zip, no manifest, …).
    pub const INVALID_FILE: &str = "invalid_file";
    /// The file holds no question.
    pub const NO_QUESTIONS: &str = "no_questions";
    /// Broken syntax at this location.
    pub const SYNTAX: &str = "syntax_error";
    /// A question type the format or this importer cannot express.
    pub const TYPE_NOT_SUPPORTED: &str = "type_not_supported_by_format";
    /// A required part is missing (stem, options, correct answer).
    pub const REQUIRED: &str = "required";
    /// An answer names an option that does not exist.
    pub const UNKNOWN_OPTION: &str = "unknown_option";
    /// The same option text twice.
    pub const DUPLICATE: &str = "duplicate";
    /// A value that does not parse (points, a number, a boolean).
    pub const INVALID_FORMAT: &str = "invalid_format";
    /// A media file the question refers to is not in the package.
    pub const MISSING_MEDIA: &str = "missing_media";
    /// A file or item larger than the limits.
    pub const TOO_LARGE: &str = "too_large";
}

/// A file inside an imported file (an image, audio or video), by the name the question text
/// uses in `src="…"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a parser found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    pub questions: Vec<Located>,
    pub problems: Vec<Problem>,
    pub media: Vec<MediaFile>,
    /// Set when the file was refused for going past one of the [`limits`]: which one.
    pub exceeded: Option<limits::Exceeded>,
}

/// A question to export, with an id that names it in the file (and in `skipped`).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportItem {
    pub id: String,
    pub question: Question,
}

/// A written file, and the questions left out because the format cannot express their type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub skipped: Vec<(String, QuestionType)>,
}

/// Most bytes a parser accepts (a zip's total uncompressed size too).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// Reads a file of `format`.
pub fn parse(format: Format, bytes: &[u8]) -> Parsed {
    if bytes.len() > MAX_BYTES {
        return Parsed {
            problems: vec![Problem {
                location: Location::default(),
                field: "file".to_owned(),
                reason: reason::TOO_LARGE.to_owned(),
            }],
            exceeded: Some(limits::Exceeded::new(
                limits::Limit::FileSize,
                u64::try_from(MAX_BYTES).unwrap_or(u64::MAX),
            )),
            ..Parsed::default()
        };
    }
    let mut parsed = match format {
        Format::Gift => gift::parse(bytes),
        Format::Aiken => aiken::parse(bytes),
        Format::MoodleXml => moodle::parse(bytes),
        Format::Qti21 => qti::parse(bytes, qti::Version::V21),
        Format::Qti30 => qti::parse(bytes, qti::Version::V30),
    };
    // The XML readers refuse deep or huge trees as `too_large` at the file.
    if parsed.exceeded.is_none()
        && parsed
            .problems
            .iter()
            .any(|p| p.field == "file" && p.reason == reason::TOO_LARGE)
    {
        parsed.exceeded = Some(limits::Exceeded::new(limits::Limit::XmlSize, 0));
    }
    if parsed.questions.is_empty() && parsed.problems.is_empty() {
        parsed.problems.push(Problem {
            location: Location::default(),
            field: "file".to_owned(),
            reason: reason::NO_QUESTIONS.to_owned(),
        });
    }
    parsed
}

/// Writes `items` as a file of `format`. `media` holds the files that `src` attributes in the
/// questions refer to (by the exact `src` value); writers that can carry files embed them.
pub fn export(format: Format, items: &[ExportItem], media: &[MediaFile]) -> Exported {
    let (supported, skipped): (Vec<&ExportItem>, Vec<&ExportItem>) = items
        .iter()
        .partition(|i| format.supports(&i.question.content));
    let bytes = match format {
        Format::Gift => gift::write(&supported),
        Format::Aiken => aiken::write(&supported),
        Format::MoodleXml => moodle::write(&supported, media),
        Format::Qti21 => qti::write(&supported, media, qti::Version::V21),
        Format::Qti30 => qti::write(&supported, media, qti::Version::V30),
    };
    Exported {
        bytes,
        skipped: skipped
            .into_iter()
            .map(|i| (i.id.clone(), i.question.content.question_type()))
            .collect(),
    }
}

/// What every fuzz target does with its input (and what the test suite replays over each
/// corpus): parse, write back what was read, parse that again. Nothing may panic.
pub fn parse_write_parse(format: Format, data: &[u8]) {
    let parsed = parse(format, data);
    let items: Vec<ExportItem> = parsed
        .questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| ExportItem {
            id: i.to_string(),
            question: q.question,
        })
        .collect();
    let written = export(format, &items, &parsed.media);
    let _ = parse(format, &written.bytes);
}
