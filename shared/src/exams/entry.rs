//! Entry modes: invite links, an open link and an access code with registration fields, and one
//! active device per attempt.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Most registration fields an exam may ask for.
pub const MAX_REGISTRATION_FIELDS: usize = 20;

/// How candidates may enter an exam besides being assigned and signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EntrySettings {
    /// Each assigned candidate gets a personal link that signs them in (`GET
    /// /api/exams/{id}/invites`).
    pub invite_links: bool,
    /// Anyone with the exam's open link may register and enter.
    pub open_link: bool,
    /// Anyone with the exam's access code (10 characters, see [`ACCESS_CODE_ALPHABET`]) may
    /// register and enter on the portal.
    pub access_code: bool,
    /// What people entering by open link or access code fill in (at most 20; unique keys; a
    /// `name` field is needed for those modes, 422 `name_required`; at most one field of each
    /// kind but `text`, 422 `duplicate`).
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub registration_fields: Vec<RegistrationField>,
    /// The form's purpose notice: what the registration fields are collected for, shown
    /// above the form and agreed to with it (at most 500 characters; required when the form
    /// asks for an ID number, 422 `entry.purpose` `required`).
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub purpose: String,
    /// One active device per attempt: starting or resuming on another device takes the attempt
    /// over, and the previous device's requests answer 409 `another_device`.
    pub single_device: bool,
}

impl Default for EntrySettings {
    fn default() -> Self {
        EntrySettings {
            invite_links: false,
            open_link: false,
            access_code: false,
            registration_fields: Vec::new(),
            purpose: String::new(),
            single_device: true,
        }
    }
}

/// One field of the registration form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationField {
    /// 1–40 lower-case ASCII letters, digits and `_`, starting with a letter; unique in the
    /// form (422 `duplicate`).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[a-z][a-z0-9_]{0,39}$"))]
    pub key: String,
    /// 1–60 characters (no control characters).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 60,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub label: String,
    pub kind: RegistrationFieldKind,
    #[serde(default)]
    pub required: bool,
}

/// What a registration field holds and how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationFieldKind {
    /// The person's name (1–50 characters).
    Name,
    /// A mainland-China mobile number.
    Phone,
    Email,
    /// An 18-character PRC resident ID number with a valid check character.
    IdNumber,
    /// Free text, 1–200 characters.
    Text,
}

/// The server-generated ways in (`ExamDto.entry_access`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryAccess {
    /// The open link's token, when `open_link` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_link_token: Option<String>,
    /// The SPA path of the open link (`/o/{slug}/open/{token}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_link_path: Option<String>,
    /// The access code (10 characters of [`ACCESS_CODE_ALPHABET`]), when `access_code` is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_code: Option<String>,
}

/// The characters of an access code: digits and upper-case letters without look-alikes (no
/// `0`/`O`, `1`/`I`/`L`).
pub const ACCESS_CODE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// The length of an access code: 31^10 ≈ 8·10^14 codes, so the server's guessing budget makes
/// finding one hopeless.
pub const ACCESS_CODE_LEN: usize = 10;

/// An access code as someone typed it, in its canonical form: case, spaces and `-` are
/// ignored. `None` when it cannot be a code.
pub fn normalise_access_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let wellformed = code.chars().count() == ACCESS_CODE_LEN
        && code.chars().all(|c| ACCESS_CODE_ALPHABET.contains(c));
    wellformed.then_some(code)
}

/// An assigned candidate's personal invite link (`GET /api/exams/{id}/invites`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteLink {
    pub candidate_id: String,
    /// The SPA path with the token in the fragment (never sent to a server by browsers):
    /// `/o/{slug}/invite#{token}`.
    pub url: String,
    pub token: String,
}

/// `POST /api/portal/{slug}/invite`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    /// The token of an invite link (what follows `#` in its URL).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub token: String,
}

/// The public face of an exam reached by open link or access code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamEntryInfo {
    pub id: String,
    pub name: String,
    pub instructions: String,
    pub opens_at: String,
    pub closes_at: String,
    pub duration_minutes: u32,
    pub registration_fields: Vec<RegistrationField>,
    /// What the fields are collected for (the exam's purpose notice; may be empty).
    #[serde(default)]
    pub purpose: String,
}

/// `POST /api/portal/{slug}/exams/open/{token}` and `.../code/{code}`: the registration form's
/// values by field key. A person who registered before (409 `registration_exists`) proves it
/// with `resume_token` (from their first registration) or `code` (sent to the contact they
/// registered, `POST .../resume-code`); without proof nobody is signed in as them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The resume token the first registration answered (dashes and spaces are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
    /// The 6-digit code sent to the registered phone or email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Agreement to the current privacy statement (its version) and, with it, to the form's
    /// purpose notice. Required of a first registration: 422 `accept.privacy` `required` or
    /// `outdated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept: Option<crate::policies::PolicyAcceptance>,
}

/// A signed-in entry: the exam to go to and the candidate (portal session cookies are set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryResult {
    pub exam_id: String,
    pub candidate: crate::candidates::CandidateMe,
    /// Only on a first registration (201): the token that proves this person when they come
    /// back (`RegistrationRequest::resume_token`). Shown once; stored only as a keyed hash;
    /// valid until the exam closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
}

/// The `details` of a 409 `registration_exists`: how the returning person can prove who they
/// are. The same shape whichever value (phone, email or ID number) matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationExists {
    /// Whether a code can be sent to the contact registered the first time
    /// (`POST .../resume-code`); false when the form has no phone or email, or none was given.
    pub can_send_code: bool,
    /// A masked hint of where the code goes (`138****8000`, `w***@example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_hint: Option<String>,
}

/// A person's registration for an exam, decrypted for the console
/// (`GET /api/exams/{id}/registrations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationDto {
    pub id: String,
    pub candidate_id: String,
    /// The values by field key.
    pub fields: BTreeMap<String, String>,
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_codes_are_read_whatever_the_case_spaces_and_dashes() {
        assert_eq!(
            normalise_access_code(" abcde-fghjk ").as_deref(),
            Some("ABCDEFGHJK")
        );
        assert_eq!(
            normalise_access_code("23456 789AB").as_deref(),
            Some("23456789AB")
        );
    }

    #[test]
    fn access_codes_refuse_look_alikes_wrong_lengths_and_old_six_digit_codes() {
        assert_eq!(normalise_access_code("ABCDEFGHJ0"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJI"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJ"), None);
        assert_eq!(normalise_access_code("ABCDEFGHJKM"), None);
        assert_eq!(normalise_access_code("123456"), None);
        assert_eq!(normalise_access_code("ÄBCDEFGHJK"), None);
    }
}
