//! Passwords: the policy for new ones (NIST SP 800-63B / OWASP: length over composition rules),
//! argon2id hashing with OWASP's recommended parameters, and [`Hasher`], the node's bound on
//! how many hashes run at once (each takes 19 MiB).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use super::invalid::Invalid;

/// A new password that meets the policy: 8–128 characters, not only one repeated character,
/// not one of the most common passwords.
#[derive(Debug)]
pub struct Password(SecretString);

const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "qwertyui",
    "qwerty123",
    "11111111",
    "88888888",
    "66666666",
    "abc12345",
    "iloveyou",
    "admin123",
    "a1234567",
    "woaini1314",
    "1qaz2wsx",
    "passw0rd",
    "aa123456",
    "zxcvbnm1",
    "00000000",
];

impl Password {
    pub fn parse(input: &str) -> Result<Password, Invalid> {
        let len = input.chars().count();
        if len == 0 {
            return Err(Invalid::Required);
        }
        if len < 8 {
            return Err(Invalid::TooShort);
        }
        if len > 128 {
            return Err(Invalid::TooLong);
        }
        let mut chars = input.chars();
        let first = chars.next();
        let all_same = chars.all(|c| Some(c) == first);
        if all_same || COMMON.contains(&input.to_lowercase().as_str()) {
            return Err(Invalid::InvalidFormat);
        }
        Ok(Password(SecretString::from(input.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// argon2id with OWASP's parameters (19 MiB memory, 2 iterations, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string. CPU-heavy (tens of milliseconds): call it on the
/// blocking pool, never on a request thread.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Checks a password against a stored PHC string. Same cost as hashing: blocking pool only.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash of a random password, verified against when an account does not exist, so a login
/// for an unknown account costs as much as one for a known account (no timing oracle).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-3f9a1c").unwrap_or_default())
}

/// Every password hash and verification of the node goes through one `Hasher`: at most
/// `permits` run at once (on the blocking pool, each holding its permit until argon2 returns,
/// even if the request that asked has gone), at most `max_waiting` wait for a permit, each for
/// at most `max_wait`. Beyond that the caller gets [`Busy`] (503 with `Retry-After`), so a burst
/// of sign-ins costs at most `permits` × 19 MiB instead of taking the node out of memory.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    max_wait: Duration,
}

/// No hashing capacity now: answer 503 and let the client retry after `retry_after_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub retry_after_secs: u64,
}

/// Why a limited hash did not produce a result.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing is at capacity")]
    Busy(Busy),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl Hasher {
    /// `permits` hashes at once (0 = one per CPU core, at least 2), `waiters_per_permit`
    /// callers queued per permit, each waiting at most `max_wait`.
    pub fn new(permits: usize, waiters_per_permit: usize, max_wait: Duration) -> Hasher {
        let permits = if permits == 0 {
            std::thread::available_parallelism()
                .map_or(2, std::num::NonZeroUsize::get)
                .max(2)
        } else {
            permits
        };
        Hasher {
            permits: Arc::new(Semaphore::new(permits)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: permits.saturating_mul(waiters_per_permit),
            max_wait,
        }
    }

    fn busy(&self) -> Busy {
        Busy {
            retry_after_secs: self.max_wait.as_secs().max(1),
        }
    }

    /// Runs `work` on the blocking pool under a permit, or refuses at once when the queue is
    /// full or the wait would be longer than `max_wait`.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                // Count ourselves in the queue first, so concurrent callers cannot all slip
                // past a check of the count.
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(HashError::Busy(self.busy()));
                }
                let waited =
                    tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match waited {
                    Ok(Ok(permit)) => permit,
                    // Timed out, or the semaphore was closed (never done).
                    _ => return Err(HashError::Busy(self.busy())),
                }
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| HashError::Failed(anyhow::Error::new(e).context("hashing task")))
    }

    /// Hashes a new password (see [`hash_password`]).
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = SecretString::from(password.to_owned());
        self.run(move || hash_password(password.expose_secret()))
            .await?
            .map_err(HashError::Failed)
    }

    /// Checks a password against a stored hash, or against a dummy hash when there is none
    /// (same cost, so an unknown account is not told apart by timing); `false` without a hash.
    pub async fn verify(&self, password: &str, phc: Option<String>) -> Result<bool, HashError> {
        let password = SecretString::from(password.to_owned());
        let has_hash = phc.is_some();
        let matches = self
            .run(move || {
                verify_password(
                    password.expose_secret(),
                    phc.as_deref().unwrap_or(dummy_hash()),
                )
            })
            .await?;
        Ok(matches && has_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(Password::parse("correct horse").is_ok());
        assert!(Password::parse("密码很长很安全啊").is_ok());
        assert_eq!(Password::parse("").err(), Some(Invalid::Required));
        assert_eq!(Password::parse("short").err(), Some(Invalid::TooShort));
        assert_eq!(
            Password::parse(&"x".repeat(129)).err(),
            Some(Invalid::TooLong)
        );
        assert_eq!(
            Password::parse("aaaaaaaaaa").err(),
            Some(Invalid::InvalidFormat)
        );
        assert_eq!(
            Password::parse("Password1").err(),
            Some(Invalid::InvalidFormat)
        );
        assert!(!format!("{:?}", Password::parse("correct horse")).contains("horse"));
    }

    #[test]
    fn hashes_verify_and_are_salted_argon2id() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsE", &a));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[tokio::test]
    async fn a_full_hasher_refuses_beyond_its_queue_and_serves_again_afterwards() {
        let hasher = Hasher::new(1, 1, Duration::from_secs(5));
        let calls: Vec<_> = (0..6)
            .map(|_| {
                let h = hasher.clone();
                tokio::spawn(async move { h.hash("correct horse").await })
            })
            .collect();
        let mut busy = 0;
        for call in calls {
            if matches!(call.await.unwrap(), Err(HashError::Busy(_))) {
                busy += 1;
            }
        }
        assert!(busy >= 1, "six at once with one permit and one waiter");
        let phc = hasher.hash("correct horse").await.unwrap();
        assert!(hasher.verify("correct horse", Some(phc)).await.unwrap());
        assert!(!hasher.verify("correct horse", None).await.unwrap());
    }
}
