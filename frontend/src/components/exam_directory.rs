//! The names behind the candidate ids of one exam's console page: its assignments, invites,
//! registrations and attempts name candidates by id, and the page shows them by name and
//! account as far as it knows them.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::candidates::CandidateDto;

use crate::api::{CandidateFilter, CandidatesApi};
use crate::auth::use_auth;
use crate::components::console_gate::may;
use crate::components::console_nav::CANDIDATES_READ;
use crate::i18n::use_i18n;

/// How many candidates are loaded to put names to ids (the API's largest page). Candidates
/// beyond it, and those found by a search, show by id until a search finds them.
const DIRECTORY_SIZE: i64 = 200;

/// The name and account of a candidate, by id, as far as the page knows them.
#[derive(Debug, Clone, Copy)]
pub struct Directory(RwSignal<HashMap<String, (String, String)>>);

impl Directory {
    /// A directory of the organisation's first candidates, filled in the background when the
    /// user may read candidates (empty otherwise: the tables then show ids).
    pub fn load() -> Self {
        let i18n = use_i18n();
        let auth = use_auth();
        let directory = Directory(RwSignal::new(HashMap::new()));
        if may(auth, CANDIDATES_READ) {
            let api = CandidatesApi::new(i18n.lang_untracked());
            let filter = CandidateFilter {
                limit: DIRECTORY_SIZE,
                ..CandidateFilter::default()
            };
            spawn_local(async move {
                // Without names the tables show ids, so a failure here costs only names; the
                // tables' own calls report errors.
                if let Ok(page) = api.list(&filter).await {
                    directory.learn(&page.items);
                }
            });
        }
        directory
    }

    /// Remembers these candidates' names and accounts.
    pub fn learn(&self, candidates: &[CandidateDto]) {
        self.0.update(|known| {
            for c in candidates {
                known.insert(c.id.clone(), (c.name.clone(), c.account.clone()));
            }
        });
    }

    /// The name and account of a candidate (tracked).
    pub fn get(&self, id: &str) -> Option<(String, String)> {
        self.0.with(|known| known.get(id).cloned())
    }
}
