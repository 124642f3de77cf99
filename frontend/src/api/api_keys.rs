//! The console's calls on the organisation's API keys.

use shared::Lang;
use shared::access::{ApiKeyDto, CreateApiKeyRequest, CreatedApiKey};

use super::Error;
use super::transport::{Area, Client, Method, encode_segment};

const API_KEYS: &str = "/api/api-keys";

/// Calls on API keys for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct ApiKeysApi {
    client: Client,
}

impl ApiKeysApi {
    pub fn new(lang: Lang) -> Self {
        ApiKeysApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/api-keys`: newest first, never the secrets.
    pub async fn list(&self) -> Result<Vec<ApiKeyDto>, Error> {
        self.client.get(API_KEYS).await
    }

    /// `POST /api/api-keys`: the answer holds the full key, shown this once.
    pub async fn create(&self, request: &CreateApiKeyRequest) -> Result<CreatedApiKey, Error> {
        self.client.send_json(Method::Post, API_KEYS, request).await
    }

    /// `DELETE /api/api-keys/{id}`: the key stops working at once.
    pub async fn revoke(&self, id: &str) -> Result<(), Error> {
        let path = format!("{API_KEYS}/{}", encode_segment(id));
        self.client.send_empty(Method::Delete, &path).await
    }
}
