//! Access tokens: HS256 JWTs with a fixed algorithm and checked `iss`, `aud` and `typ`.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::sessions::{PrincipalKind, SessionUser};
use crate::db::types::DbUuid;
use crate::keys::KeyRing;

const ISSUER: &str = "examcloud";
const AUDIENCE: &str = "examcloud-api";
const TYPE_ACCESS: &str = "access";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user, candidate or staff id.
    pub sub: DbUuid,
    /// What `sub` is.
    pub knd: PrincipalKind,
    /// The organisation; `None` for staff.
    pub org: Option<DbUuid>,
    pub role: String,
    /// The session id; the session must still be active for the token to count.
    pub sid: DbUuid,
    pub typ: String,
    pub iat: i64,
    pub exp: i64,
}

pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_secs: i64,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("ttl_secs", &self.ttl_secs)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// `ttl_secs` is capped at 15 minutes.
    pub fn new(keys: &KeyRing, ttl_secs: i64) -> anyhow::Result<TokenSigner> {
        let secret = keys.token_signing_key().expose_secret();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(TokenSigner {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
            ttl_secs: ttl_secs.clamp(1, 15 * 60),
        })
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    /// An access token for the principal of a session.
    pub fn issue(&self, who: &SessionUser) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = AccessClaims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: who.user_id,
            knd: who.kind,
            org: who.org_id,
            role: who.role.clone(),
            sid: who.session_id,
            typ: TYPE_ACCESS.to_owned(),
            iat: now,
            exp: now + self.ttl_secs,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid access token; `None` for anything else (expired, forged, another
    /// algorithm, another audience, another token type).
    pub fn verify(&self, token: &str) -> Option<AccessClaims> {
        let data =
            jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation).ok()?;
        (data.claims.typ == TYPE_ACCESS).then_some(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::keys::generate_key_file;

    fn signer() -> TokenSigner {
        TokenSigner::new(
            &KeyRing::from_json(&generate_key_file().unwrap()).unwrap(),
            900,
        )
        .unwrap()
    }

    fn who(kind: PrincipalKind, role: &str) -> SessionUser {
        SessionUser {
            session_id: DbUuid::new_v7(),
            kind,
            user_id: DbUuid::new_v7(),
            org_id: (kind != PrincipalKind::Staff).then(DbUuid::new_v7),
            role: role.to_owned(),
            grants: None,
        }
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_session() {
        let s = signer();
        for (kind, role) in [
            (PrincipalKind::User, "owner"),
            (PrincipalKind::Candidate, "candidate"),
            (PrincipalKind::Staff, "security"),
        ] {
            let w = who(kind, role);
            let claims = s.verify(&s.issue(&w).unwrap()).unwrap();
            assert_eq!(
                (
                    claims.sub,
                    claims.knd,
                    claims.org,
                    claims.sid,
                    claims.role.as_str()
                ),
                (w.user_id, kind, w.org_id, w.session_id, role)
            );
            assert!(claims.exp - claims.iat <= 900);
        }
    }

    #[test]
    fn forged_expired_and_alg_none_tokens_are_rejected() {
        let s = signer();
        let token = s.issue(&who(PrincipalKind::User, "admin")).unwrap();
        // Another key.
        assert!(signer().verify(&token).is_none());
        // Tampered payload.
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["role"] = "owner".into();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            parts[2]
        );
        assert!(s.verify(&forged).is_none());
        // alg=none.
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(s.verify(&format!("{none_header}.{}.", parts[1])).is_none());
        // Expired.
        let mut old = claims.clone();
        old["role"] = "admin".into();
        old["exp"] = (Utc::now().timestamp() - 60).into();
        let expired =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &old, &s.encoding).unwrap();
        assert!(s.verify(&expired).is_none());
        // Wrong token type.
        let mut refresh = claims;
        refresh["role"] = "admin".into();
        refresh["typ"] = "refresh".into();
        let wrong_typ =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &refresh, &s.encoding).unwrap();
        assert!(s.verify(&wrong_typ).is_none());
    }
}
