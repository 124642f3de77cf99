//! The exam screen's sender: it records each change in the attempt's queue (and localStorage)
//! first, then sends the queue to the server, oldest change first and one save at a time,
//! until it is empty. While the network or the server is away it waits with a growing pause
//! ([`Backoff`]), and at once when the browser says it is `online` again. It also notices
//! that the attempt is over on the server and fetches how it ended.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::exams::{AnswerValue, AttemptStatus, AttemptView, SaveAnswer, SubmitReceipt};

use crate::api::ExamsApi;
use crate::exam::backoff::{self, Backoff};
use crate::exam::outbox::{self, Outbox};
use crate::exam::save_state::{Failure, SaveState, classify};
use crate::i18n::{ExamMsg, I18n, use_i18n};

/// How an attempt ended on this screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    /// The candidate submitted: the receipt.
    Submitted(SubmitReceipt),
    /// Submitted earlier, by the server (at the deadline or over a limit) or by the candidate
    /// elsewhere: the attempt as the server has it.
    Closed {
        view: Box<AttemptView>,
        /// Why the screen ended, when it saw it happen.
        note: Option<ExamMsg>,
    },
}

/// The queue of one attempt and how sending it stands.
#[derive(Clone, Copy)]
pub struct Sender {
    i18n: I18n,
    pub attempt_id: StoredValue<String>,
    pub outbox: RwSignal<Outbox>,
    pub state: RwSignal<SaveState>,
    /// False once localStorage refused a write.
    pub stored: RwSignal<bool>,
    /// A save the server refused as invalid (shown until the next acknowledged save).
    pub rejected: RwSignal<bool>,
    pub finished: RwSignal<Option<Finished>>,
    /// One sender at a time.
    sending: StoredValue<bool>,
    backoff: StoredValue<Backoff>,
}

impl Sender {
    /// Takes over `outbox` (the queue as this browser left it, merged with the server's
    /// answers), stores it and sends what is queued; sends again whenever the browser says the
    /// network is back.
    pub fn start(attempt_id: &str, outbox: Outbox) -> Self {
        let sender = Sender {
            i18n: use_i18n(),
            attempt_id: StoredValue::new(attempt_id.to_owned()),
            outbox: RwSignal::new(outbox),
            state: RwSignal::new(SaveState::Saved),
            stored: RwSignal::new(true),
            rejected: RwSignal::new(false),
            finished: RwSignal::new(None),
            sending: StoredValue::new(false),
            backoff: StoredValue::new(Backoff::default()),
        };
        sender.persist();
        // Changes made offline before a reload go out now.
        sender.flush();
        // The browser says the network is back: no need to wait for the next retry.
        let online = window_event_listener(leptos::ev::online, move |_| sender.flush());
        on_cleanup(move || online.remove());
        sender
    }

    /// Records a change: into the queue and localStorage first, then to the server.
    pub fn change(self, question_id: &str, answer: AnswerValue) {
        if self.finished.with_untracked(Option::is_some)
            || self.state.get_untracked() == SaveState::AnotherDevice
        {
            return;
        }
        self.outbox.update(|o| {
            o.change(question_id, answer);
        });
        self.persist();
        self.flush();
    }

    /// Flags a question for later, or unflags it (kept in the browser only).
    pub fn toggle_flag(self, question_id: &str) {
        self.outbox.update(|o| o.toggle_flag(question_id));
        self.persist();
    }

    fn persist(self) {
        let ok = self.outbox.with_untracked(outbox::store);
        if ok != self.stored.get_untracked() {
            self.stored.set(ok);
        }
    }

    fn api(self) -> ExamsApi {
        ExamsApi::new(self.i18n.lang_untracked())
    }

    /// Sends the queue, oldest change first, until it is empty or the network fails.
    pub fn flush(self) {
        if self.sending.get_value() {
            return;
        }
        self.sending.set_value(true);
        let api = self.api();
        spawn_local(async move {
            let attempt = self.attempt_id.get_value();
            loop {
                if self.finished.with_untracked(Option::is_some) {
                    break;
                }
                let Some(next) = self.outbox.with_untracked(|o| o.next().cloned()) else {
                    self.state.set(SaveState::Saved);
                    break;
                };
                if self.state.get_untracked() != SaveState::Offline {
                    self.state.set(SaveState::Saving);
                }
                let save = SaveAnswer {
                    answer: next.answer.clone(),
                    seq: next.seq,
                };
                let err = match api.save(&attempt, &next.question_id, &save).await {
                    Ok(saved) => {
                        self.outbox.update(|o| {
                            if !saved.applied {
                                // The server holds a newer answer (another device's).
                                o.merge_server(std::slice::from_ref(&saved));
                            }
                            o.acknowledge(&next.question_id, next.seq);
                        });
                        self.persist();
                        self.rejected.set(false);
                        self.backoff.update_value(Backoff::reset);
                        self.state.set(SaveState::Saving);
                        continue;
                    }
                    Err(err) => err,
                };
                match classify(&err) {
                    Failure::Retry => {
                        self.state.set(SaveState::Offline);
                        self.retry_later(err.retry_after().map(|s| s * 1000));
                    }
                    Failure::NotAllowed => {
                        self.state.set(SaveState::NotAllowed);
                        self.retry_later(Some(backoff::MAX_MS));
                    }
                    Failure::SignedOut => self.state.set(SaveState::SignedOut),
                    Failure::AnotherDevice => self.state.set(SaveState::AnotherDevice),
                    Failure::Closed => self.close(None).await,
                    Failure::Refused => {
                        self.outbox
                            .update(|o| o.drop_save(&next.question_id, next.seq));
                        self.persist();
                        self.rejected.set(true);
                        continue;
                    }
                }
                break;
            }
            self.sending.set_value(false);
        });
    }

    /// Tries the queue again after a growing pause (or the server's `Retry-After`).
    fn retry_later(self, wait_ms: Option<u64>) {
        let Some(wait) = self
            .backoff
            .try_update_value(|b| b.schedule(wait_ms))
            .flatten()
        else {
            return;
        };
        set_timeout(
            move || {
                self.backoff.update_value(Backoff::fired);
                self.flush();
            },
            Duration::from_millis(wait),
        );
    }

    /// The attempt is over on the server (deadline, a limit, or submitted elsewhere): shows it
    /// as the server has it, with `note` saying why.
    pub async fn close(self, note: Option<ExamMsg>) {
        match self.api().attempt(&self.attempt_id.get_value()).await {
            Ok(view) if view.summary.status != AttemptStatus::InProgress => {
                outbox::clear(&view.summary.id);
                self.finished.set(Some(Finished::Closed {
                    view: Box::new(view),
                    note,
                }));
            }
            // Still running by the server's clock, or unreachable: try again shortly.
            _ => {
                self.state.set(SaveState::Offline);
                self.retry_later(None);
            }
        }
    }
}
