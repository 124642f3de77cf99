//! Certificates: an organisation's templates, the certificates issued from them for graded
//! attempts, and what the public verification page shows for a certificate number.

use serde::{Deserialize, Serialize};

/// The page's orientation (A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

impl Orientation {
    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::Landscape => "landscape",
            Orientation::Portrait => "portrait",
        }
    }

    pub fn parse(s: &str) -> Option<Orientation> {
        match s {
            "landscape" => Some(Orientation::Landscape),
            "portrait" => Some(Orientation::Portrait),
            _ => None,
        }
    }
}

/// How the public verification page shows the holder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NameDisplay {
    /// The whole name.
    Full,
    /// The first and last characters kept, the rest starred (张三丰 → 张*丰, 张三 → 张*).
    #[default]
    Masked,
}

impl NameDisplay {
    pub fn as_str(self) -> &'static str {
        match self {
            NameDisplay::Full => "full",
            NameDisplay::Masked => "masked",
        }
    }

    pub fn parse(s: &str) -> Option<NameDisplay> {
        match s {
            "full" => Some(NameDisplay::Full),
            "masked" => Some(NameDisplay::Masked),
            _ => None,
        }
    }
}

/// `name` as the public page shows it under `display`: masked keeps the first and the last
/// character (a two-character name keeps the first only).
pub fn mask_name(name: &str, display: NameDisplay) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match (display, chars.len()) {
        (NameDisplay::Full, _) | (NameDisplay::Masked, 0 | 1) => chars.into_iter().collect(),
        (NameDisplay::Masked, 2) => format!("{}*", chars[0]),
        (NameDisplay::Masked, n) => {
            format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1])
        }
    }
}

/// The placeholders a template's title and body may hold.
pub const PLACEHOLDERS: [&str; 7] = [
    "{name}",
    "{exam}",
    "{score}",
    "{percent}",
    "{date}",
    "{number}",
    "{org}",
];

/// A certificate template as saved (create and update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateTemplateInput {
    /// 1–100 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub name: String,
    /// The heading, 1–100 characters; may hold placeholders.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, pattern = r"\S")
    )]
    pub title: String,
    /// The text under the holder's name, at most 2,000 characters; placeholders `{name}`,
    /// `{exam}`, `{score}`, `{percent}`, `{date}`, `{number}`, `{org}` are filled in.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub body: String,
    #[serde(default)]
    pub orientation: Orientation,
    /// How the public verification page shows the holder's name.
    #[serde(default)]
    pub name_display: NameDisplay,
    /// The line printed under the signature (the signer's name and title), at most 100
    /// characters; empty prints no signature line unless a signature image is set.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub signatory: String,
}

/// A certificate template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateTemplateDto {
    pub id: String,
    pub name: String,
    pub title: String,
    pub body: String,
    pub orientation: Orientation,
    pub name_display: NameDisplay,
    pub signatory: String,
    /// Where the console reads the template's logo (`GET`, `exams:read`), if it has one.
    pub logo_url: Option<String>,
    /// Where the console reads the signature image, if any.
    pub signature_url: Option<String>,
    /// Where the console reads the full-page background, if any.
    pub background_url: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The images a certificate template can carry, each a PNG or JPEG uploaded on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateImage {
    /// Centred above the organisation's name; at most 512 KiB and 2048×2048.
    Logo,
    /// Above the signatory line; a transparent PNG prints best. At most 512 KiB, 2048×2048.
    Signature,
    /// Fills the whole page under the text (no frame is drawn); at most 2 MiB, 4096×4096.
    Background,
}

impl TemplateImage {
    pub const ALL: [TemplateImage; 3] = [
        TemplateImage::Logo,
        TemplateImage::Signature,
        TemplateImage::Background,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplateImage::Logo => "logo",
            TemplateImage::Signature => "signature",
            TemplateImage::Background => "background",
        }
    }

    pub fn parse(s: &str) -> Option<TemplateImage> {
        TemplateImage::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The largest accepted file, in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            TemplateImage::Logo | TemplateImage::Signature => 512 * 1024,
            TemplateImage::Background => 2 * 1024 * 1024,
        }
    }

    /// The largest accepted width and height, in pixels.
    pub fn max_side(self) -> u32 {
        match self {
            TemplateImage::Logo | TemplateImage::Signature => 2048,
            TemplateImage::Background => 4096,
        }
    }
}

/// Issuing a certificate for an attempt by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueCertificateInput {
    /// A template of the organisation (404 otherwise).
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub template_id: String,
}

/// Revoking a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeCertificateInput {
    /// Why, 1–500 characters; kept with the certificate and in the audit log.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub reason: String,
}

/// `GET /api/exams/{id}/certificates`: one page of an exam's certificates, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificatePage {
    pub items: Vec<CertificateDto>,
    /// All matching certificates (not only this page).
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// A certificate as the console and the candidate see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateDto {
    pub id: String,
    /// `EC-XXXX-XXXX-XXXX-XXXX` (Crockford base32).
    pub number: String,
    pub template_id: String,
    pub exam_id: String,
    pub attempt_id: String,
    pub candidate_id: String,
    pub holder_name: String,
    /// The exam's name when the certificate was issued.
    pub exam_name: String,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub issued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
}

/// Whether a certificate number stands for a valid certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    Revoked,
}

/// What the public verification page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedCertificate {
    pub number: String,
    pub status: CertificateStatus,
    /// Full or masked (张*丰), as the organisation chose in the template.
    pub holder_name: String,
    pub exam_name: String,
    pub org_name: String,
    pub issued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_the_first_and_last_character() {
        assert_eq!(mask_name("张三丰", NameDisplay::Masked), "张*丰");
        assert_eq!(mask_name("欧阳娜娜", NameDisplay::Masked), "欧**娜");
        assert_eq!(mask_name("张三", NameDisplay::Masked), "张*");
        assert_eq!(mask_name("张", NameDisplay::Masked), "张");
        assert_eq!(mask_name("张三丰", NameDisplay::Full), "张三丰");
    }
}

/// `POST /api/exams/{id}/certificates/bulk`: issuing for every candidate who passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkIssueAccepted {
    /// Candidates whose counted attempt is graded and passed and holds no valid certificate
    /// yet: the job issues one for each.
    pub queued: u32,
}
