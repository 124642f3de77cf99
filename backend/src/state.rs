//! What every handler can reach: the database, the keys and what is derived from them, and
//! the settings.

use std::sync::Arc;

use crate::auth::TokenSigner;
use crate::crypto::{BlindIndex, FieldCipher};
use crate::db::Database;
use crate::keys::KeyRing;
use crate::settings::Settings;
use crate::storage::{LocalDisk, Storage};

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub keys: Arc<KeyRing>,
    pub cipher: FieldCipher,
    pub bidx: BlindIndex,
    pub signer: Arc<TokenSigner>,
    pub storage: Arc<dyn Storage>,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(db: Database, keys: Arc<KeyRing>, settings: Settings) -> anyhow::Result<AppState> {
        Ok(AppState {
            cipher: FieldCipher::new(&keys),
            bidx: BlindIndex::new(&keys),
            signer: Arc::new(TokenSigner::new(&keys, settings.auth.access_ttl_secs)?),
            storage: Arc::new(LocalDisk::new(settings.storage.local_dir.clone())),
            db,
            keys,
            settings: Arc::new(settings),
        })
    }

    /// Whether cookies get the `Secure` flag: configured, else whenever TLS is in front.
    pub fn secure_cookies(&self) -> bool {
        self.settings
            .auth
            .cookie_secure
            .unwrap_or(self.settings.server.behind_tls)
    }
}
