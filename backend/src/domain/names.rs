//! Organisation names and login accounts.

use super::invalid::Invalid;

/// An organisation's display name (单位名称): 2–100 characters after trimming, no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(input: &str) -> Result<OrgName, Invalid> {
        let trimmed = input.trim();
        let len = trimmed.chars().count();
        if len == 0 {
            return Err(Invalid::Required);
        }
        if len < 2 {
            return Err(Invalid::TooShort);
        }
        if len > 100 {
            return Err(Invalid::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Invalid::InvalidFormat);
        }
        Ok(OrgName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A login account name (登录账号): 4–32 characters, letters, digits, `_`, `.`, `-`, starting
/// with a letter; case-insensitive (stored lower-cased), so `Admin` and `admin` are one account.
/// It cannot look like a phone number or an email, so a login identifier is never ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoginAccount(String);

impl LoginAccount {
    pub fn parse(input: &str) -> Result<LoginAccount, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid::Required);
        }
        let len = trimmed.chars().count();
        if len < 4 {
            return Err(Invalid::TooShort);
        }
        if len > 32 {
            return Err(Invalid::TooLong);
        }
        let first_is_letter = trimmed
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        let chars_ok = trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !first_is_letter || !chars_ok {
            return Err(Invalid::InvalidFormat);
        }
        Ok(LoginAccount(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_names() {
        assert_eq!(
            OrgName::parse("  北京第一中学 ").map(|n| n.0),
            Ok("北京第一中学".to_owned())
        );
        assert_eq!(OrgName::parse(" "), Err(Invalid::Required));
        assert_eq!(OrgName::parse("校"), Err(Invalid::TooShort));
        assert_eq!(OrgName::parse(&"长".repeat(101)), Err(Invalid::TooLong));
        assert_eq!(OrgName::parse("a\u{0}b"), Err(Invalid::InvalidFormat));
    }

    #[test]
    fn login_accounts() {
        assert_eq!(
            LoginAccount::parse("Admin_01").map(|a| a.0),
            Ok("admin_01".to_owned())
        );
        assert_eq!(LoginAccount::parse("abc"), Err(Invalid::TooShort));
        assert_eq!(
            LoginAccount::parse("13800138000"),
            Err(Invalid::InvalidFormat)
        );
        assert_eq!(LoginAccount::parse("a@b.cn"), Err(Invalid::InvalidFormat));
        assert_eq!(LoginAccount::parse("张三账号"), Err(Invalid::InvalidFormat));
        assert_eq!(LoginAccount::parse(&"a".repeat(33)), Err(Invalid::TooLong));
    }
}
