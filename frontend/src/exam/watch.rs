//! The exam screen's integrity watch: it reports leaving the page (focus lost, tab hidden),
//! copy/paste attempts, leaving fullscreen and idleness to the server, which counts them and
//! enforces the exam's limits (it may submit the attempt; the answer says so). Copy/paste is
//! blocked when the exam says so; fullscreen is requested by the screen (it needs a click).
//!
//! Events wait in a small queue and go one batch at a time; a batch the network loses is sent
//! again with the next one.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Lang;
use shared::exams::{
    AttemptEventKind, ClientEvent, EventCounts, EventsRecorded, IntegritySettings,
};
use web_sys::js_sys::Date;

use crate::api::ExamsApi;

/// How often activity is reported while an idle timeout applies, so a candidate who reads
/// without saving is not taken for idle.
const KEEP_ALIVE: Duration = Duration::from_secs(60);

/// The watch of one attempt.
#[derive(Clone, Copy)]
pub struct Watch {
    attempt_id: StoredValue<String>,
    lang: Lang,
    queue: StoredValue<Vec<ClientEvent>>,
    sending: StoredValue<bool>,
    /// The server's counts after the last batch.
    pub counts: RwSignal<EventCounts>,
    /// Set when the server submitted the attempt because of a limit.
    pub submitted: RwSignal<bool>,
    /// Whether the page is in fullscreen now.
    pub fullscreen: RwSignal<bool>,
    last_input_ms: StoredValue<f64>,
    last_report_ms: StoredValue<f64>,
}

fn now_iso() -> String {
    Date::new_0().to_iso_string().into()
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

fn in_fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.fullscreen_element())
        .is_some()
}

/// Asks the browser for fullscreen (only works from a click).
pub fn request_fullscreen() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.request_fullscreen();
    }
}

impl Watch {
    /// Starts watching; the listeners go when the screen does.
    pub fn start(attempt_id: &str, settings: IntegritySettings, lang: Lang) -> Watch {
        let watch = Watch {
            attempt_id: StoredValue::new(attempt_id.to_owned()),
            lang,
            queue: StoredValue::new(Vec::new()),
            sending: StoredValue::new(false),
            counts: RwSignal::new(EventCounts::default()),
            submitted: RwSignal::new(false),
            fullscreen: RwSignal::new(in_fullscreen()),
            last_input_ms: StoredValue::new(Date::now()),
            last_report_ms: StoredValue::new(Date::now()),
        };
        let mut handles = Vec::new();
        handles.push(window_event_listener(
            leptos::ev::visibilitychange,
            move |_| {
                if hidden() {
                    watch.report(AttemptEventKind::TabHidden, None);
                }
            },
        ));
        // A window blur that hides the tab is reported as the hidden tab only.
        handles.push(window_event_listener(leptos::ev::blur, move |_| {
            set_timeout(
                move || {
                    if !hidden() {
                        watch.report(AttemptEventKind::FocusLost, None);
                    }
                },
                Duration::from_millis(200),
            );
        }));
        let block = settings.block_copy_paste;
        handles.push(window_event_listener(leptos::ev::copy, move |ev| {
            if block {
                ev.prevent_default();
            }
            watch.report(AttemptEventKind::CopyAttempt, Some("copy"));
        }));
        handles.push(window_event_listener(leptos::ev::cut, move |ev| {
            if block {
                ev.prevent_default();
            }
            watch.report(AttemptEventKind::CopyAttempt, Some("cut"));
        }));
        handles.push(window_event_listener(leptos::ev::paste, move |ev| {
            if block {
                ev.prevent_default();
            }
            watch.report(AttemptEventKind::PasteAttempt, None);
        }));
        if block {
            handles.push(window_event_listener(leptos::ev::contextmenu, |ev| {
                ev.prevent_default()
            }));
        }
        handles.push(window_event_listener(
            leptos::ev::fullscreenchange,
            move |_| {
                let now = in_fullscreen();
                let was = watch.fullscreen.get_untracked();
                watch.fullscreen.set(now);
                if was && !now {
                    watch.report(AttemptEventKind::FullscreenExit, None);
                }
            },
        ));
        // Activity, for the idle timeout.
        handles.push(window_event_listener(leptos::ev::keydown, move |_| {
            watch.active()
        }));
        handles.push(window_event_listener(leptos::ev::pointerdown, move |_| {
            watch.active()
        }));
        handles.push(window_event_listener(leptos::ev::pointermove, move |_| {
            watch.active()
        }));
        on_cleanup(move || {
            for h in handles {
                h.remove();
            }
        });
        if let Some(minutes) = settings.idle_timeout_minutes {
            let limit_ms = f64::from(minutes) * 60_000.0;
            if let Ok(handle) = set_interval_with_handle(move || watch.tick(limit_ms), KEEP_ALIVE) {
                on_cleanup(move || handle.clear());
            }
        }
        watch
    }

    fn active(self) {
        self.last_input_ms.set_value(Date::now());
    }

    /// Every minute with an idle timeout: a keep-alive when the candidate was active since
    /// the last report, or the idle time once it reaches the timeout.
    fn tick(self, limit_ms: f64) {
        let now = Date::now();
        let idle_ms = now - self.last_input_ms.get_value();
        if idle_ms >= limit_ms {
            let seconds = (idle_ms / 1000.0) as u32;
            self.push(ClientEvent {
                kind: AttemptEventKind::Idle,
                client_time: now_iso(),
                detail: None,
                idle_seconds: Some(seconds),
            });
        } else if self.last_input_ms.get_value() > self.last_report_ms.get_value() {
            self.report(AttemptEventKind::Resumed, Some("active"));
        }
    }

    /// Queues an event and sends the queue.
    pub fn report(self, kind: AttemptEventKind, detail: Option<&str>) {
        self.push(ClientEvent {
            kind,
            client_time: now_iso(),
            detail: detail.map(str::to_owned),
            idle_seconds: None,
        });
    }

    fn push(self, event: ClientEvent) {
        if self.submitted.get_untracked() {
            return;
        }
        self.queue.update_value(|q| {
            q.push(event);
            // A client offline for long keeps the newest events only.
            let excess = q.len().saturating_sub(100);
            q.drain(..excess);
        });
        self.last_report_ms.set_value(Date::now());
        self.send();
    }

    fn send(self) {
        if self.sending.get_value() {
            return;
        }
        let batch = self.queue.with_value(Clone::clone);
        if batch.is_empty() {
            return;
        }
        self.sending.set_value(true);
        spawn_local(async move {
            let api = ExamsApi::new(self.lang);
            let result = api
                .events(&self.attempt_id.get_value(), batch.clone())
                .await;
            self.sending.set_value(false);
            match result {
                Ok(EventsRecorded {
                    submitted, counts, ..
                }) => {
                    self.queue.update_value(|q| {
                        let sent = batch.len().min(q.len());
                        q.drain(..sent);
                    });
                    self.counts.set(counts);
                    if submitted {
                        self.submitted.set(true);
                    } else {
                        self.send();
                    }
                }
                // 409: the attempt is over (the screen learns it from its saves); anything
                // else: the events wait for the next one.
                Err(err) if err.conflict_reason() == Some("attempt_submitted") => {
                    self.queue.update_value(Vec::clear);
                }
                Err(_) => {}
            }
        });
    }
}
