//! `/account/cancel`: cancelling the organisation (privacy statement 5.3). The owner reads what
//! is deleted and what is kept, asks for a code to their bound address, ticks that they
//! understand and confirms; a grace period follows in which they can undo it. Everyone else
//! reads who can cancel and whether a cancellation is scheduled.
//!
//! Also the banner over every console page while the cancellation is scheduled, with the
//! context it reads ([`provide_org_cancellation`]), which this page keeps up to date.
//!
//! The banner and its context would sit better in `components/` (the frame imports them from
//! here); they live beside the page, their only writer, to keep this change to the page's own
//! files.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::ErrorCode;
use shared::privacy::{CancellationStatus, OrgCancellation};
use web_sys::js_sys::Date;

use crate::api::{self, CancellationApi};
use crate::auth::{Auth, use_auth};
use crate::components::form::{
    Field, FormAlert, FormError, FormNotice, FormState, SubmitButton, missing, report,
};
use crate::components::send_code::{normalise_code, remaining_seconds};
use crate::components::{AccountShell, ApiErrors, LocalTime};
use crate::dates::format_local;
use crate::i18n::{
    AccountMsg, CancelMsg, Msg, banner_text, code_destination_text, code_sent_text, cooldown_text,
    grace_text, use_i18n,
};
use crate::routes::Page;

/// Whether a role may cancel the organisation; the server decides the same way (403
/// otherwise).
pub fn can_cancel_org(role: &str) -> bool {
    role == "owner"
}

/// The organisation's cancellation as the console frame knows it: read once when someone signs
/// in, replaced by this page's answers. `None` while unknown or signed out.
#[derive(Debug, Clone, Copy)]
struct OrgCancellationNotice(RwSignal<Option<OrgCancellation>>);

/// Puts the organisation's cancellation into context and reads it whenever a user signs in.
/// Call in the console's frame, below the session.
pub fn provide_org_cancellation() {
    let i18n = use_i18n();
    let auth = use_auth();
    let notice = OrgCancellationNotice(RwSignal::new(None));
    provide_context(notice);
    // Keyed by the user, so a change of the account's name or contact asks nothing again.
    let user = Memo::new(move |_| auth.user().map(|me| me.user_id));
    Effect::new(move |_| {
        if user.get().is_none() {
            notice.0.set(None);
            return;
        }
        let api = CancellationApi::new(i18n.lang_untracked());
        spawn_local(async move {
            // The banner is a courtesy on every page: when the question fails it is left out
            // rather than break the page below (the cancellation page itself shows errors).
            if let Ok(state) = api.get().await {
                notice.0.set(Some(state));
            }
        });
    });
}

/// The warning over every console page while the organisation's cancellation is scheduled; the
/// owner gets a link to undo it.
#[component]
pub fn CancellationBanner() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let notice = use_context::<OrgCancellationNotice>();
    move || {
        let effective = notice?.0.with(|state| {
            state
                .as_ref()
                .filter(|s| s.status == CancellationStatus::Scheduled)
                .and_then(|s| s.effective_at.clone())
        })?;
        let lang = i18n.lang();
        let owner = auth.user().is_some_and(|me| can_cancel_org(&me.role));
        let link = owner.then(|| {
            view! {
                <A href=Page::AccountCancel.path() {..} data-testid="cancel-banner-link">
                    {CancelMsg::BannerLink.text(lang)}
                </A>
            }
        });
        Some(view! {
            <div class="alert alert--warning cancel-banner" role="status" data-testid="cancel-banner">
                <p>{banner_text(&format_local(&effective, lang), lang)} " " {link}</p>
            </div>
        })
    }
}

#[component]
pub fn CancellationPage() -> impl IntoView {
    view! {
        <AccountShell page=Page::AccountCancel title=CancelMsg::Title lead=CancelMsg::Lead>
            <CancellationView />
        </AccountShell>
    }
}

#[component]
fn CancellationView() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // The answer holds no text, so a change of language needs no new request.
    let loaded = LocalResource::new(move || {
        let api = CancellationApi::new(i18n.lang_untracked());
        async move { auth.checked(api.get().await) }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ApiErrors errors=errors /> }>
                {move || Suspend::new(async move {
                    let state = loaded.await?;
                    Ok::<_, api::Error>(view! { <Cancellation initial=state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What the page keeps: the cancellation as last answered, and the form around both actions
/// (their alert and notice stay when the page switches between requesting and undoing).
#[derive(Clone, Copy)]
struct Shared {
    auth: Auth,
    state: RwSignal<OrgCancellation>,
    notice: Option<OrgCancellationNotice>,
    form: FormState,
}

impl Shared {
    /// Shows a new answer here and in the banner.
    fn publish(&self, state: OrgCancellation) {
        if let Some(notice) = self.notice {
            notice.0.set(Some(state.clone()));
        }
        self.state.set(state);
    }

    /// Asks again where the cancellation stands, after the server said it is not where the page
    /// thought (scheduled meanwhile, or undone).
    fn reload(self, lang: shared::Lang) {
        spawn_local(async move {
            if let Ok(state) = self.auth.checked(CancellationApi::new(lang).get().await) {
                self.publish(state);
            }
        });
    }

    /// Shows a failed action: a wrong code beside the code, a state that changed meanwhile in
    /// words (and the page brought up to date), anything else as the server says it.
    fn fail(self, err: api::Error, lang: shared::Lang) {
        let moved = match err.conflict_reason() {
            Some("already_scheduled") => Some(CancelMsg::AlreadyScheduled),
            Some("not_scheduled") => Some(CancelMsg::NotScheduled),
            _ => None,
        };
        if moved.is_some() {
            self.reload(lang);
        }
        let no_contact = err.conflict_reason() == Some("no_contact");
        let form = self.form;
        report(err, &["code"], form.errors, form.error, |_| {
            moved
                .or(no_contact.then_some(CancelMsg::NoContact))
                .map(|msg| FormError::Text(msg.into()))
        });
    }
}

#[component]
fn Cancellation(initial: OrgCancellation) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let shared = Shared {
        auth,
        state: RwSignal::new(initial),
        notice: use_context::<OrgCancellationNotice>(),
        form: FormState::new(),
    };
    let state = shared.state;
    let owner = Memo::new(move |_| auth.user().is_some_and(|me| can_cancel_org(&me.role)));
    let scheduled = Memo::new(move |_| state.with(|s| s.status == CancellationStatus::Scheduled));
    let status_key = move || if scheduled.get() { "scheduled" } else { "none" };
    let status_text = move || {
        i18n.t(if scheduled.get() {
            CancelMsg::StatusScheduled
        } else {
            CancelMsg::StatusNone
        })
    };
    let grace_days = Signal::derive(move || state.with(|s| s.grace_days));
    // Before a request the owner reads what it does first; once it is scheduled, when it takes
    // effect and how to undo it come first.
    let body = move || match (scheduled.get(), owner.get()) {
        (true, _) => view! {
            <ScheduledPanel shared=shared owner=owner />
            <Explanation grace_days=grace_days />
        }
        .into_any(),
        (false, true) => view! {
            <Explanation grace_days=grace_days />
            <RequestForm shared=shared />
        }
        .into_any(),
        (false, false) => view! {
            <OwnerOnlyNote />
            <Explanation grace_days=grace_days />
        }
        .into_any(),
    };
    view! {
        <div class="cancel" data-testid="cancel-page">
            <dl class="details">
                <dt>{move || i18n.t(CancelMsg::StatusLabel)}</dt>
                <dd data-testid="cancel-status" data-status=status_key>{status_text}</dd>
            </dl>
            <FormAlert error=shared.form.error testid="cancel-error" />
            <FormNotice notice=shared.form.notice testid="cancel-notice" />
            {body}
        </div>
    }
}

/// What a cancellation deletes, what it keeps, and that it cannot be undone once the grace
/// period is over.
#[component]
fn Explanation(grace_days: Signal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let item = move |msg: CancelMsg| view! { <li>{move || i18n.t(msg)}</li> };
    view! {
        <section class="card cancel__explanation">
            <h2 class="card__title">{move || i18n.t(CancelMsg::DeletedTitle)}</h2>
            <ul class="cancel__list">
                {item(CancelMsg::DeletedCandidates)}
                {item(CancelMsg::DeletedResults)}
                {item(CancelMsg::DeletedBanks)}
                {item(CancelMsg::DeletedFiles)}
                {item(CancelMsg::DeletedAccounts)}
            </ul>
            <p class="cancel__warning" data-testid="cancel-grace">
                {move || grace_text(grace_days.get(), i18n.lang())}
            </p>
            <h2 class="card__title">{move || i18n.t(CancelMsg::KeptTitle)}</h2>
            <ul class="cancel__list">
                {item(CancelMsg::KeptInvoices)}
                {item(CancelMsg::KeptAudit)}
            </ul>
            <p>{move || i18n.t(CancelMsg::ExportFirst)}</p>
        </section>
    }
}

/// Anyone but the owner: who can act.
#[component]
fn OwnerOnlyNote() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice notice--info" data-testid="cancel-owner-only">
            {move || i18n.t(CancelMsg::OwnerOnly)}
        </p>
    }
}

/// The scheduled cancellation: when it takes effect, and the owner's undo.
#[component]
fn ScheduledPanel(shared: Shared, owner: Memo<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let state = shared.state;
    let time = move |pick: fn(&OrgCancellation) -> Option<String>| {
        state
            .with(pick)
            .map(|at| view! { <LocalTime rfc3339=at /> })
    };
    let busy = shared.form.submitting;
    let undo = move |_| {
        let form = shared.form;
        if busy.get_untracked() {
            return;
        }
        form.error.set(None);
        form.notice.set(None);
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = shared.auth.checked(CancellationApi::new(lang).undo().await);
            busy.set(false);
            match result {
                Ok(state) => {
                    shared.form.notice.set(Some(CancelMsg::Undone.into()));
                    shared.publish(state);
                }
                Err(err) => shared.fail(err, lang),
            }
        });
    };
    view! {
        <section class="card card--highlight cancel__scheduled">
            <dl class="details">
                <dt>{move || i18n.t(CancelMsg::EffectiveLabel)}</dt>
                <dd data-testid="cancel-effective">{move || time(|s| s.effective_at.clone())}</dd>
                <dt>{move || i18n.t(CancelMsg::RequestedLabel)}</dt>
                <dd data-testid="cancel-requested">{move || time(|s| s.requested_at.clone())}</dd>
            </dl>
            <Show when=move || owner.get() fallback=|| view! { <OwnerOnlyNote /> }>
                <p>{move || i18n.t(CancelMsg::ScheduledLead)}</p>
                <p class="actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="cancel-undo"
                        disabled=move || busy.get()
                        on:click=undo
                    >
                        {move || i18n.t(if busy.get() { CancelMsg::Undoing } else { CancelMsg::Undo })}
                    </button>
                </p>
            </Show>
        </section>
    }
}

/// The owner's request: the code to their bound address, the box to tick, the confirmation.
#[component]
fn RequestForm(shared: Shared) -> impl IntoView {
    let i18n = use_i18n();
    let form = shared.form;
    let code = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let not_ticked = RwSignal::new(false);
    // Seconds the last code sent stays valid.
    let valid_for = RwSignal::new(None::<u64>);
    let on_submit = form.on_submit(move || {
        let typed = normalise_code(&code.get_untracked());
        let blank = missing(&[("code", &typed)]);
        let ticked = understood.get_untracked();
        not_ticked.set(!ticked);
        if !blank.is_empty() || !ticked {
            form.errors.set(blank);
            form.error.set(Some(FormError::CheckFields));
            return;
        }
        let lang = i18n.lang_untracked();
        form.submitting.set(true);
        spawn_local(async move {
            let result = shared
                .auth
                .checked(CancellationApi::new(lang).cancel(typed).await);
            form.submitting.set(false);
            match result {
                Ok(state) => {
                    form.notice.set(Some(CancelMsg::Scheduled.into()));
                    shared.publish(state);
                }
                Err(err) => shared.fail(err, lang),
            }
        });
    });
    let destination = move || {
        let lang = i18n.lang();
        shared.state.with(|s| match &s.code_destination {
            Some(to) => code_destination_text(to, lang),
            None => CancelMsg::NoContact.text(lang).to_owned(),
        })
    };
    let has_contact = move || shared.state.with(|s| s.code_destination.is_some());
    let sent = move || {
        let lang = i18n.lang();
        let seconds = valid_for.get()?;
        let to = shared.state.with(|s| s.code_destination.clone())?;
        Some(
            view! { <p class="notice" data-testid="code-sent">{code_sent_text(&to, seconds, lang)}</p> },
        )
    };
    view! {
        <form class="form card cancel__form" novalidate=true on:submit=on_submit>
            <h2 class="card__title">{move || i18n.t(CancelMsg::ConfirmTitle)}</h2>
            <p data-testid="cancel-destination">{destination}</p>
            <Field
                id="cancel-code"
                label=AccountMsg::CodeLabel
                value=code
                testid="cancel-code"
                fields=&["code"]
                errors=form.errors
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength=12
            >
                <SendCode shared=shared valid_for=valid_for enabled=Signal::derive(has_contact) />
            </Field>
            <div class="code-status" role="status">{sent}</div>
            <div class="field">
                <label class="form__check cancel__understand" class:is-invalid=move || not_ticked.get()>
                    <input
                        type="checkbox"
                        data-testid="cancel-understand"
                        prop:checked=move || understood.get()
                        on:change=move |ev| {
                            understood.set(event_target_checked(&ev));
                            not_ticked.set(false);
                        }
                    />
                    <span>{move || i18n.t(CancelMsg::Understand)}</span>
                </label>
                <Show when=move || not_ticked.get()>
                    <p class="field__error" data-testid="cancel-understand-error">
                        {move || i18n.t(CancelMsg::UnderstandRequired)}
                    </p>
                </Show>
            </div>
            <SubmitButton
                testid="cancel-confirm"
                busy=form.submitting
                label=CancelMsg::Confirm
                busy_label=CancelMsg::Confirming
                class="button button--danger"
            />
        </form>
    }
}

/// How often the countdown looks at the clock (it computes the time left from the clock, so a
/// throttled background tab still shows the right value).
const TICK: Duration = Duration::from_millis(250);

/// The wait when the server says "too many" without saying for how long.
const DEFAULT_WAIT_SECONDS: u64 = 60;

/// The send-code button with its countdown. The
/// shared `CodeSender` does not fit: its destination is typed into the form and it words every
/// 409 as "address taken", whereas this code goes to the owner's bound address and a 409 says
/// the cancellation cannot be requested. The countdown is the same.
#[component]
fn SendCode(
    shared: Shared,
    /// Set to how long the code stays valid once one is on its way.
    valid_for: RwSignal<Option<u64>>,
    enabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sending = RwSignal::new(false);
    let until_ms = RwSignal::new(0.0);
    let now_ms = RwSignal::new(Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now_ms.set(Date::now()), TICK) {
        on_cleanup(move || handle.clear());
    }
    let wait = Memo::new(move |_| remaining_seconds(until_ms.get(), now_ms.get()));
    let start_cooldown = move |seconds: u64| {
        let now = Date::now();
        now_ms.set(now);
        until_ms.set(now + seconds as f64 * 1000.0);
    };
    let send = move |_| {
        if sending.get_untracked() || wait.get_untracked() > 0 {
            return;
        }
        let form = shared.form;
        form.errors.clear_fields(&["code"]);
        form.error.set(None);
        form.notice.set(None);
        sending.set(true);
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let result = shared
                .auth
                .checked(CancellationApi::new(lang).send_code().await);
            sending.set(false);
            match result {
                Ok(answer) => {
                    valid_for.set(Some(answer.expires_in_seconds.into()));
                    start_cooldown(answer.cooldown_seconds.into());
                }
                Err(err) => {
                    if err.code() == Some(ErrorCode::RateLimited) {
                        start_cooldown(err.retry_after().unwrap_or(DEFAULT_WAIT_SECONDS));
                    }
                    shared.fail(err, lang);
                }
            }
        });
    };
    let label = move || {
        let lang = i18n.lang();
        let seconds = wait.get();
        if seconds > 0 {
            view! { <span data-testid="cooldown">{cooldown_text(seconds, lang)}</span> }.into_any()
        } else if sending.get() {
            AccountMsg::SendingCode.text(lang).into_any()
        } else if valid_for.with(Option::is_some) {
            AccountMsg::SendCodeAgain.text(lang).into_any()
        } else {
            AccountMsg::SendCode.text(lang).into_any()
        }
    };
    let disabled = move || !enabled.get() || sending.get() || wait.get() > 0;
    view! {
        <button
            type="button"
            class="button button--secondary field__action"
            data-testid="cancel-send-code"
            disabled=disabled
            on:click=send
        >
            {label}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::can_cancel_org;

    #[test]
    fn only_the_owner_cancels() {
        assert!(can_cancel_org("owner"));
        assert!(!can_cancel_org("admin"));
        assert!(!can_cancel_org("grader"));
    }
}
