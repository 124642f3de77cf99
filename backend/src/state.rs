//! What every handler can reach: the database, the keys and what is derived from them, the
//! notifier, and the settings.

use std::sync::Arc;

use crate::auth::TokenSigner;
use crate::crypto::{BlindIndex, FieldCipher};
use crate::db::Database;
use crate::keys::KeyRing;
use crate::notifications::Notifier;
use crate::settings::Settings;
use crate::storage::{LocalDisk, Storage};
use crate::tenancy::ApiKeyLimiter;

#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub keys: Arc<KeyRing>,
    pub cipher: FieldCipher,
    pub bidx: BlindIndex,
    pub signer: Arc<TokenSigner>,
    pub storage: Arc<dyn Storage>,
    pub settings: Arc<Settings>,
    /// Queues email and SMS in the caller's transaction (see [`crate::notifications`]).
    pub notifier: Notifier,
    /// Per-API-key request limits (see [`crate::tenancy`]).
    pub api_limiter: Arc<ApiKeyLimiter>,
}

impl AppState {
    pub fn new(db: Database, keys: Arc<KeyRing>, settings: Settings) -> anyhow::Result<AppState> {
        // One cipher for the whole node, so its per-key use counts are complete.
        let cipher = FieldCipher::new(&keys);
        Ok(AppState {
            notifier: Notifier::new(cipher.clone()),
            api_limiter: Arc::new(ApiKeyLimiter::default()),
            cipher,
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
