//! What every handler can reach: the database, the keys and what is derived from them, the
//! notifier, and the settings.

use std::sync::Arc;

use crate::auth::TokenSigner;
use crate::crypto::{BlindIndex, FieldCipher};
use crate::db::{Database, DbConnection};
use crate::domain::password::Hasher;
use crate::errors::ApiError;
use crate::integration::ApiKeyLimiter;
use crate::keys::KeyRing;
use crate::notifications::Notifier;
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
    /// Queues email and SMS in the caller's transaction (see [`crate::notifications`]).
    pub notifier: Notifier,
    /// Per-API-key request limits (see [`crate::integration`]).
    pub api_limiter: Arc<ApiKeyLimiter>,
    /// Per-address limit of the public certificate verification (see
    /// [`crate::certificates`]).
    pub verify_limiter: Arc<crate::certificates::VerifyLimiter>,
    /// Every password hash and verification goes through it (see
    /// [`crate::domain::password::Hasher`]).
    pub hasher: Hasher,
}

impl AppState {
    pub fn new(db: Database, keys: Arc<KeyRing>, settings: Settings) -> anyhow::Result<AppState> {
        // One cipher for the whole node, so its per-key use counts are complete.
        let cipher = FieldCipher::new(&keys);
        Ok(AppState {
            notifier: Notifier::new(cipher.clone()),
            api_limiter: Arc::new(ApiKeyLimiter::default()),
            verify_limiter: Arc::default(),
            hasher: Hasher::new(
                settings.auth.hash_concurrency,
                settings.auth.hash_waiters_per_slot,
                std::time::Duration::from_millis(settings.auth.hash_max_wait_ms),
            ),
            cipher,
            bidx: BlindIndex::new(&keys),
            signer: Arc::new(TokenSigner::new(&keys, settings.auth.access_ttl_secs)?),
            storage: Arc::new(LocalDisk::new(settings.storage.local_dir.clone())),
            db,
            keys,
            settings: Arc::new(settings),
        })
    }

    /// Runs `f` in one database transaction on the blocking pool, with the state at hand: the
    /// body of every handler that changes data (the change and its audit entry commit together).
    pub async fn transaction<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &AppState) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let state = self.clone();
        self.db
            .run(move |conn| crate::db::transaction(conn, |conn| f(conn, &state)))
            .await
    }

    /// Whether cookies get the `Secure` flag: configured, else whenever TLS is in front.
    pub fn secure_cookies(&self) -> bool {
        self.settings
            .auth
            .cookie_secure
            .unwrap_or(self.settings.server.behind_tls)
    }
}
