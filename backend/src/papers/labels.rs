//! Candidate-facing ids of options, ordering items and matching prompts/answers (see
//! `shared::labels`): a keyed MAC per attempt, so the ids a candidate sees follow neither the
//! authored ids nor their order, and differ from one attempt to the next.
//!
//! Architecture invariant: every id a candidate is sent (paper, saved answers, review) goes
//! through [`Labels::Attempt`]; every id a candidate sends is mapped back with the same labels
//! before it is stored or graded. Stored answers and grading use authored ids only.

use shared::labels::{IdList, Relabel};

use crate::crypto::{BlindIndex, IndexKind};
use crate::db::types::DbUuid;

/// How a paper names its ids.
#[derive(Clone, Copy)]
pub enum Labels<'a> {
    /// As authored: the console's previews, for the organisation's own eyes.
    Authored,
    /// One attempt's labels.
    Attempt {
        mac: &'a BlindIndex,
        attempt: DbUuid,
    },
}

impl<'a> Labels<'a> {
    /// The labels of one question of the paper.
    pub fn question(self, question_id: &str) -> QuestionLabels<'a> {
        QuestionLabels {
            labels: self,
            question: question_id.to_owned(),
        }
    }
}

/// [`Labels`] for one question; implements [`Relabel`].
pub struct QuestionLabels<'a> {
    labels: Labels<'a>,
    question: String,
}

impl Relabel for QuestionLabels<'_> {
    fn label(&self, part: Option<usize>, list: IdList, authored: &str) -> String {
        match self.labels {
            Labels::Authored => authored.to_owned(),
            Labels::Attempt { mac, attempt } => {
                let part = part.map_or_else(|| "-".to_owned(), |p| p.to_string());
                let input = format!(
                    "{attempt}:{}:{part}:{}:{authored}",
                    self.question,
                    list.as_str()
                );
                // 64 bits: within one list of at most 50 ids a collision is out of reach
                // (about 2^-53), and 16 characters fit the 20 a choice id may have.
                hex::encode(&mac.compute(IndexKind::CandidateLabel, &input)[..8])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyRing;

    fn mac() -> BlindIndex {
        let ring = KeyRing::from_json(&crate::keys::generate_key_file().unwrap_or_default())
            .expect("keys");
        BlindIndex::new(&ring)
    }

    #[test]
    fn labels_are_stable_per_attempt_and_differ_between_attempts_and_lists() {
        let mac = mac();
        let (a, b) = (DbUuid::new_v7(), DbUuid::new_v7());
        let first = Labels::Attempt {
            mac: &mac,
            attempt: a,
        }
        .question("q");
        let again = Labels::Attempt {
            mac: &mac,
            attempt: a,
        }
        .question("q");
        let other = Labels::Attempt {
            mac: &mac,
            attempt: b,
        }
        .question("q");
        let label = first.label(None, IdList::Items, "1");
        assert_eq!(label.len(), 16);
        assert_eq!(label, again.label(None, IdList::Items, "1"));
        assert_ne!(label, other.label(None, IdList::Items, "1"));
        assert_ne!(label, first.label(None, IdList::Answers, "1"));
        assert_ne!(label, first.label(Some(0), IdList::Items, "1"));
        assert_eq!(
            Labels::Authored
                .question("q")
                .label(None, IdList::Items, "1"),
            "1"
        );
    }
}
