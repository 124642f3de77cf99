//! The grader limits of an exam's marking rule: which graders mark only some of the paper's
//! questions and/or some candidate groups' answers. The limits live in the rule's
//! `MarkingSettings::limits` and are saved with it (the list is replaced as a whole).
//!
//! The choices come from three lists the editor reads once: the organisation's accounts that
//! hold the grading permission (`users:read`), the questions chosen in the exam's paper
//! (`questions:read`; questions drawn by rules are not known before the attempts exist) and
//! the candidate groups (`candidates:read`). A list the caller may not read says so in its
//! place; limits already saved still show, by a shortened id.

use leptos::prelude::*;
use shared::access::{Module, OrgRole, OrgUserDto};
use shared::grading::GraderLimit;
use shared::papers::PaperDto;

use crate::api::{self, CandidatesApi, ExamsConsoleApi, OrgUsersApi, PapersApi};
use crate::i18n::{GradingMsg, Msg, limit_question_text, use_i18n};

/// One thing a limit can name: its id and what the editor shows for it.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    id: String,
    label: String,
}

/// The three lists, each read on its own (a caller may read some and not others).
#[derive(Debug, Clone)]
struct Choices {
    graders: Result<Vec<Choice>, api::Error>,
    questions: Result<Vec<Choice>, api::Error>,
    groups: Result<Vec<Choice>, api::Error>,
}

fn short_id(id: &str) -> String {
    format!("{}…", id.chars().take(8).collect::<String>())
}

/// Active accounts that may grade (graders, and admins and owners holding `grading`).
fn graders_of(users: Vec<OrgUserDto>) -> Vec<Choice> {
    users
        .into_iter()
        .filter(|u| u.status == "active")
        .filter(|u| {
            u.role == OrgRole::Grader || u.permissions.iter().any(|p| p.module == Module::Grading)
        })
        .map(|u| {
            let label = match (u.display_name, u.login_account) {
                (Some(name), Some(account)) => format!("{name} ({account})"),
                (Some(name), None) => name,
                (None, Some(account)) => account,
                (None, None) => short_id(&u.id),
            };
            Choice { id: u.id, label }
        })
        .collect()
}

/// The paper's chosen questions, numbered as the paper lists them.
fn questions_of(paper: &PaperDto, lang: shared::Lang) -> Vec<Choice> {
    paper
        .sections
        .iter()
        .flat_map(|s| s.questions.iter())
        .enumerate()
        .map(|(i, q)| Choice {
            id: q.question_id.clone(),
            label: limit_question_text(
                i + 1,
                &blanks_as_lines(&shared::results::plain_text(&q.stem)),
                lang,
            ),
        })
        .collect()
}

/// A stem's blank markers (`{{1}}`) as the line a candidate writes on.
fn blanks_as_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str("___");
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

async fn load(lang: shared::Lang, exam_id: String) -> Choices {
    let graders = OrgUsersApi::new(lang).list().await.map(graders_of);
    let questions = match ExamsConsoleApi::new(lang).exam(&exam_id).await {
        Ok(exam) => PapersApi::new(lang)
            .paper(&exam.settings.paper_id)
            .await
            .map(|p| questions_of(&p, lang)),
        Err(err) => Err(err),
    };
    let groups = CandidatesApi::new(lang).groups().await.map(|groups| {
        groups
            .into_iter()
            .map(|g| Choice {
                id: g.id,
                label: g.name,
            })
            .collect()
    });
    Choices {
        graders,
        questions,
        groups,
    }
}

/// Which list of ids of a limit a checkbox edits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Questions,
    Groups,
}

fn ids_mut(limit: &mut GraderLimit, kind: Kind) -> &mut Vec<String> {
    match kind {
        Kind::Questions => &mut limit.question_ids,
        Kind::Groups => &mut limit.group_ids,
    }
}

/// The editor of `limits` for the exam `exam_id`.
#[component]
pub fn GraderLimits(exam_id: String, limits: RwSignal<Vec<GraderLimit>>) -> impl IntoView {
    let i18n = use_i18n();
    // Read again in the other language when it changes (question labels are made here).
    let choices = LocalResource::new(move || load(i18n.lang(), exam_id.clone()));
    view! {
        <fieldset class="limits" data-testid="grader-limits">
            <legend class="limits__title">{move || i18n.t(GradingMsg::LimitsTitle)}</legend>
            <p class="field__hint">{move || i18n.t(GradingMsg::LimitsHint)}</p>
            <Suspense fallback=move || view! { <p class="loading">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let choices = StoredValue::new(choices.await);
                    view! { <Editor choices=choices limits=limits /> }
                })}
            </Suspense>
        </fieldset>
    }
}

#[component]
fn Editor(choices: StoredValue<Choices>, limits: RwSignal<Vec<GraderLimit>>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(String::new());
    let grader_label = move |id: &str| {
        choices.with_value(|c| {
            c.graders
                .as_ref()
                .ok()
                .and_then(|g| g.iter().find(|g| g.id == id))
                .map_or_else(|| short_id(id), |g| g.label.clone())
        })
    };
    // Graders not limited yet, for the "add" list.
    let free = move || {
        let taken: Vec<String> = limits.with(|l| l.iter().map(|l| l.user_id.clone()).collect());
        choices.with_value(|c| {
            c.graders
                .as_ref()
                .map(|g| {
                    g.iter()
                        .filter(|g| !taken.contains(&g.id))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let add = move |_| {
        let user = chosen.get_untracked();
        if user.is_empty() || limits.with_untracked(|l| l.iter().any(|l| l.user_id == user)) {
            return;
        }
        limits.update(|l| {
            l.push(GraderLimit {
                user_id: user,
                question_ids: Vec::new(),
                group_ids: Vec::new(),
            })
        });
        chosen.set(String::new());
    };
    let graders_error =
        move || choices.with_value(|c| c.graders.as_ref().err().map(|e| e.message(i18n.lang())));
    view! {
        <For each=move || limits.get() key=|l| l.user_id.clone() let(limit)>
            <LimitRow user_id=limit.user_id.clone() label=grader_label(&limit.user_id) choices=choices limits=limits />
        </For>
        <Show when=move || limits.with(Vec::is_empty)>
            <p data-testid="grader-limits-none">{move || i18n.t(GradingMsg::LimitsNone)}</p>
        </Show>
        {move || graders_error().map(|m| view! { <p class="field__error" data-testid="grader-limits-users-error">{m}</p> })}
        <div class="limits__add">
            <label class="field field--inline">
                <span class="field__label">{move || i18n.t(GradingMsg::LimitGrader)}</span>
                <select class="input" data-testid="grader-limit-user"
                    prop:value=move || chosen.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(GradingMsg::LimitChooseGrader)}</option>
                    {move || free().into_iter().map(|g| view! { <option value=g.id>{g.label}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class="button button--secondary" data-testid="grader-limit-add"
                disabled=move || chosen.with(String::is_empty) on:click=add>
                {move || i18n.t(GradingMsg::LimitAdd)}
            </button>
        </div>
    }
}

#[component]
fn LimitRow(
    user_id: String,
    label: String,
    choices: StoredValue<Choices>,
    limits: RwSignal<Vec<GraderLimit>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = StoredValue::new(user_id.clone());
    let remove = move |_| {
        let user = user.get_value();
        limits.update(|l| l.retain(|l| l.user_id != user));
    };
    view! {
        <div class="limits__row" data-testid="grader-limit" data-user-id=user_id>
            <div class="limits__head">
                <strong data-testid="grader-limit-name">{label}</strong>
                <button type="button" class="button button--secondary" data-testid="grader-limit-remove" on:click=remove>
                    {move || i18n.t(GradingMsg::LimitRemove)}
                </button>
            </div>
            <Checks kind=Kind::Questions user=user choices=choices limits=limits />
            <Checks kind=Kind::Groups user=user choices=choices limits=limits />
        </div>
    }
}

/// The checkboxes of one list of one grader's limit.
#[component]
fn Checks(
    kind: Kind,
    user: StoredValue<String>,
    choices: StoredValue<Choices>,
    limits: RwSignal<Vec<GraderLimit>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (legend, testid) = match kind {
        Kind::Questions => (GradingMsg::LimitQuestions, "grader-limit-question"),
        Kind::Groups => (GradingMsg::LimitGroups, "grader-limit-group"),
    };
    let listed = choices.with_value(|c| match kind {
        Kind::Questions => c.questions.clone(),
        Kind::Groups => c.groups.clone(),
    });
    let error = listed.as_ref().err().map(|e| {
        let e = e.clone();
        view! { <p class="field__error">{move || e.message(i18n.lang())}</p> }
    });
    // Ids saved before but not in the list (a question the paper no longer has, a list the
    // caller may not read) still show, so they can be taken off.
    let mut all = listed.unwrap_or_default();
    let saved = limits.with_untracked(|l| {
        l.iter()
            .find(|l| l.user_id == user.get_value())
            .map(|l| match kind {
                Kind::Questions => l.question_ids.clone(),
                Kind::Groups => l.group_ids.clone(),
            })
            .unwrap_or_default()
    });
    for id in saved {
        if !all.iter().any(|c| c.id == id) {
            all.push(Choice {
                label: short_id(&id),
                id,
            });
        }
    }
    let boxes = all
        .into_iter()
        .map(|c| {
            let id = StoredValue::new(c.id.clone());
            let checked = move || {
                limits.with(|l| {
                    l.iter()
                        .find(|l| l.user_id == user.get_value())
                        .is_some_and(|l| match kind {
                            Kind::Questions => l.question_ids.contains(&id.get_value()),
                            Kind::Groups => l.group_ids.contains(&id.get_value()),
                        })
                })
            };
            let toggle = move |_| {
                let me = user.get_value();
                let id = id.get_value();
                limits.update(|l| {
                    if let Some(limit) = l.iter_mut().find(|l| l.user_id == me) {
                        let ids = ids_mut(limit, kind);
                        match ids.iter().position(|x| *x == id) {
                            Some(at) => {
                                ids.remove(at);
                            }
                            None => ids.push(id),
                        }
                    }
                });
            };
            view! {
                <label class="checkbox limits__choice">
                    <input type="checkbox" data-testid=testid value=c.id prop:checked=checked on:change=toggle />
                    <span>{c.label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="checkbox-group limits__list">
            <legend>{move || i18n.t(legend)}</legend>
            {error}
            {boxes}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_markers_become_lines() {
        assert_eq!(
            blanks_as_lines("3 × 4 = {{1}}, 2 + {{2}}"),
            "3 × 4 = ___, 2 + ___"
        );
        assert_eq!(blanks_as_lines("no blank {{"), "no blank {{");
    }
}
