//! Passwords: the policy for new ones (NIST SP 800-63B / OWASP: length over composition rules)
//! and argon2id hashing with OWASP's recommended parameters.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

use super::Invalid;

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
}
