//! What every handler can reach: the database, the keys, the settings and the notifier.

use std::sync::Arc;

use crate::db::Database;
use crate::keys::KeyRing;
use crate::notifications::Notifier;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub keys: Arc<KeyRing>,
    pub settings: Arc<Settings>,
    /// Queues email and SMS in the caller's transaction (see [`crate::notifications`]).
    pub notifier: Notifier,
}
