//! The exam screen's offline queue. Every change to an answer is written to the browser's
//! localStorage before it is sent, with a sequence number per question that only grows; saves
//! go to the server one at a time, oldest change first, and leave the queue only once the
//! server acknowledged them (after its commit). When the network or the server is gone the
//! queue simply waits, and a reload of the page finds it again.
//!
//! Only the newest change of a question is worth sending (the server ignores older sequence
//! numbers), so a question has at most one queued save: a newer change replaces it and moves
//! to the back of the queue.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use shared::exams::{AnswerValue, SavedAnswer};

/// One save waiting for the server's acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSave {
    pub question_id: String,
    pub answer: AnswerValue,
    pub seq: u64,
}

/// The local state of one attempt: the answers as the candidate last left them, the flags, the
/// newest sequence number per question and the saves not yet acknowledged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub attempt_id: String,
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerValue>,
    #[serde(default)]
    pub seqs: BTreeMap<String, u64>,
    #[serde(default)]
    pub pending: Vec<PendingSave>,
    #[serde(default)]
    pub flagged: BTreeSet<String>,
}

impl Outbox {
    pub fn new(attempt_id: &str) -> Self {
        Outbox {
            attempt_id: attempt_id.to_owned(),
            ..Default::default()
        }
    }

    /// Merges the answers the server holds (on opening the attempt): a server answer with a
    /// sequence number at least as new as the local one wins (another device may have saved
    /// it); a newer local change stays and stays queued.
    pub fn merge_server(&mut self, saved: &[SavedAnswer]) {
        for s in saved {
            let local = self.seqs.get(&s.question_id).copied().unwrap_or(0);
            if s.seq >= local {
                self.answers.insert(s.question_id.clone(), s.answer.clone());
                self.seqs.insert(s.question_id.clone(), s.seq);
                self.pending.retain(|p| p.question_id != s.question_id);
            }
        }
    }

    /// Records a change and queues its save; returns its sequence number.
    pub fn change(&mut self, question_id: &str, answer: AnswerValue) -> u64 {
        let seq = self.seqs.get(question_id).copied().unwrap_or(0) + 1;
        self.seqs.insert(question_id.to_owned(), seq);
        self.answers.insert(question_id.to_owned(), answer.clone());
        self.pending.retain(|p| p.question_id != question_id);
        self.pending.push(PendingSave {
            question_id: question_id.to_owned(),
            answer,
            seq,
        });
        seq
    }

    /// The save to send next (the oldest change).
    pub fn next(&self) -> Option<&PendingSave> {
        self.pending.first()
    }

    /// The server stored `seq` (or something newer) for the question: its queued save, if no
    /// newer, is done.
    pub fn acknowledge(&mut self, question_id: &str, seq: u64) {
        self.pending
            .retain(|p| !(p.question_id == question_id && p.seq <= seq));
        let local = self.seqs.entry(question_id.to_owned()).or_insert(0);
        *local = (*local).max(seq);
    }

    /// Gives up on a queued save the server refused as invalid (it would be refused forever).
    pub fn drop_save(&mut self, question_id: &str, seq: u64) {
        self.pending
            .retain(|p| !(p.question_id == question_id && p.seq == seq));
    }

    pub fn toggle_flag(&mut self, question_id: &str) {
        if !self.flagged.remove(question_id) {
            self.flagged.insert(question_id.to_owned());
        }
    }

    /// Whether the candidate gave an answer to the question (an empty answer is none).
    pub fn answered(&self, question_id: &str) -> bool {
        self.answers.get(question_id).is_some_and(is_answered)
    }
}

/// Whether an answer holds anything (clearing every blank or choice leaves a question
/// unanswered).
pub fn is_answered(answer: &AnswerValue) -> bool {
    match answer {
        AnswerValue::SingleChoice { choice } => !choice.is_empty(),
        AnswerValue::MultipleChoice { choices } => !choices.is_empty(),
        AnswerValue::TrueFalse { .. } => true,
        AnswerValue::FillBlank { blanks } => blanks.iter().any(|b| !b.trim().is_empty()),
        AnswerValue::Essay { text } => !text.trim().is_empty(),
        AnswerValue::Ordering { order } => !order.is_empty(),
        AnswerValue::Matching { pairs } => !pairs.is_empty(),
        AnswerValue::Composite { parts } => parts.iter().flatten().any(is_answered),
    }
}

/// The localStorage key of an attempt's queue.
pub fn storage_key(attempt_id: &str) -> String {
    format!("examcloud.exam.{attempt_id}")
}

/// The browser's localStorage (absent in private modes that refuse it).
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The attempt's queue as the browser last stored it.
pub fn load(attempt_id: &str) -> Outbox {
    local_storage()
        .and_then(|s| s.get_item(&storage_key(attempt_id)).ok().flatten())
        .and_then(|json| serde_json::from_str::<Outbox>(&json).ok())
        .filter(|o| o.attempt_id == attempt_id)
        .unwrap_or_else(|| Outbox::new(attempt_id))
}

/// Writes the queue to localStorage; false when the browser refused (storage full or
/// disabled), which the screen reports: the answer then lives only in the page.
pub fn store(outbox: &Outbox) -> bool {
    let Some(storage) = local_storage() else {
        return false;
    };
    let Ok(json) = serde_json::to_string(outbox) else {
        return false;
    };
    storage
        .set_item(&storage_key(&outbox.attempt_id), &json)
        .is_ok()
}

/// Forgets a finished attempt's queue.
pub fn clear(attempt_id: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&storage_key(attempt_id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(c: &str) -> AnswerValue {
        AnswerValue::SingleChoice {
            choice: c.to_owned(),
        }
    }

    fn saved(q: &str, c: &str, seq: u64) -> SavedAnswer {
        SavedAnswer {
            question_id: q.to_owned(),
            answer: choice(c),
            seq,
            saved_at: String::new(),
            applied: true,
        }
    }

    #[test]
    fn changes_queue_in_order_with_growing_sequence_numbers() {
        let mut o = Outbox::new("a");
        assert_eq!(o.change("q1", choice("A")), 1);
        assert_eq!(o.change("q2", choice("B")), 1);
        assert_eq!(o.change("q1", choice("C")), 2);
        // q1's newer change replaced its older one and moved behind q2.
        let queued: Vec<(&str, u64)> = o
            .pending
            .iter()
            .map(|p| (p.question_id.as_str(), p.seq))
            .collect();
        assert_eq!(queued, [("q2", 1), ("q1", 2)]);
        assert_eq!(o.answers["q1"], choice("C"));
    }

    #[test]
    fn an_acknowledgement_of_an_older_save_keeps_the_newer_one_queued() {
        let mut o = Outbox::new("a");
        o.change("q1", choice("A"));
        o.change("q1", choice("B"));
        o.acknowledge("q1", 1);
        assert_eq!(o.next().map(|p| p.seq), Some(2));
        o.acknowledge("q1", 2);
        assert!(o.next().is_none());
        // The next change continues after the acknowledged number.
        assert_eq!(o.change("q1", choice("C")), 3);
    }

    #[test]
    fn the_server_wins_only_with_a_number_at_least_as_new() {
        let mut o = Outbox::new("a");
        o.change("q1", choice("A"));
        o.change("q1", choice("B")); // seq 2, not yet sent
        o.change("q2", choice("A")); // seq 1
        // The server has q1 at 1 (older: the local change stays queued) and q2 at 4 from
        // another device (newer: it replaces the local answer and its queued save).
        o.merge_server(&[
            saved("q1", "A", 1),
            saved("q2", "D", 4),
            saved("q3", "B", 1),
        ]);
        assert_eq!(o.answers["q1"], choice("B"));
        assert_eq!(o.answers["q2"], choice("D"));
        assert_eq!(o.answers["q3"], choice("B"));
        let queued: Vec<&str> = o.pending.iter().map(|p| p.question_id.as_str()).collect();
        assert_eq!(queued, ["q1"]);
        assert_eq!(o.change("q2", choice("E")), 5);
    }

    #[test]
    fn the_queue_survives_a_round_trip_through_json() {
        let mut o = Outbox::new("a");
        o.change(
            "q1",
            AnswerValue::FillBlank {
                blanks: vec!["北京".into(), String::new()],
            },
        );
        o.toggle_flag("q1");
        let json = serde_json::to_string(&o).unwrap_or_default();
        let back: Outbox = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, o);
    }

    #[test]
    fn empty_answers_count_as_unanswered() {
        assert!(!is_answered(&choice("")));
        assert!(!is_answered(&AnswerValue::FillBlank {
            blanks: vec![" ".into()]
        }));
        assert!(!is_answered(&AnswerValue::Composite {
            parts: vec![None, Some(choice(""))]
        }));
        assert!(is_answered(&AnswerValue::TrueFalse { value: false }));
        assert!(is_answered(&AnswerValue::Composite {
            parts: vec![None, Some(choice("A"))]
        }));
    }

    #[test]
    fn a_dropped_save_leaves_the_rest() {
        let mut o = Outbox::new("a");
        o.change("q1", choice("A"));
        o.change("q2", choice("B"));
        o.drop_save("q1", 1);
        assert_eq!(o.next().map(|p| p.question_id.as_str()), Some("q2"));
        o.toggle_flag("q2");
        o.toggle_flag("q2");
        assert!(o.flagged.is_empty());
    }
}
