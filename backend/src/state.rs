//! What every handler can reach: the database, the keys and the settings.

use std::sync::Arc;

use crate::db::Database;
use crate::keys::KeyRing;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub keys: Arc<KeyRing>,
    pub settings: Arc<Settings>,
}
