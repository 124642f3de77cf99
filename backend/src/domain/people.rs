//! Candidates' accounts, people's names, and resident ID numbers.

use super::invalid::Invalid;

/// A candidate's sign-in account within an organisation: 2–40 ASCII letters, digits, `_`, `.`,
/// `-` (student and employee numbers are often all digits). Case-insensitive: stored
/// lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CandidateAccount(String);

impl CandidateAccount {
    pub fn parse(input: &str) -> Result<CandidateAccount, Invalid> {
        let trimmed = input.trim();
        let len = trimmed.chars().count();
        if len == 0 {
            return Err(Invalid::Required);
        }
        if len < 2 {
            return Err(Invalid::TooShort);
        }
        if len > 40 {
            return Err(Invalid::TooLong);
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return Err(Invalid::InvalidFormat);
        }
        Ok(CandidateAccount(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name: 1–50 characters after trimming, no control characters. Personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, Invalid> {
        let trimmed = input.trim();
        let len = trimmed.chars().count();
        if len == 0 {
            return Err(Invalid::Required);
        }
        if len > 50 {
            return Err(Invalid::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Invalid::InvalidFormat);
        }
        Ok(PersonName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland-China resident ID number (居民身份证号码, GB 11643-1999): 17 digits and a check
/// character (digit or `X`), with a valid checksum and birth date. Stored upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(input: &str) -> Result<IdNumber, Invalid> {
        let s: String = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Invalid::Required);
        }
        let bytes = s.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(Invalid::InvalidFormat);
        }
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const CHECK: &[u8; 11] = b"10X98765432";
        let sum: u32 = bytes[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if CHECK[(sum % 11) as usize] != bytes[17] {
            return Err(Invalid::InvalidFormat);
        }
        if chrono::NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").is_err() {
            return Err(Invalid::InvalidFormat);
        }
        Ok(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 3 and last 4 characters, the rest as `*`.
    pub fn masked(&self) -> String {
        format!("{}***********{}", &self.0[..3], &self.0[14..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_accounts_allow_numbers_and_fold_case() {
        assert_eq!(
            CandidateAccount::parse(" 2023001 ").map(|a| a.0),
            Ok("2023001".to_owned())
        );
        assert_eq!(
            CandidateAccount::parse("Li.Lei-01").map(|a| a.0),
            Ok("li.lei-01".to_owned())
        );
        assert_eq!(CandidateAccount::parse(""), Err(Invalid::Required));
        assert_eq!(CandidateAccount::parse("a"), Err(Invalid::TooShort));
        assert_eq!(CandidateAccount::parse("李雷"), Err(Invalid::InvalidFormat));
        assert_eq!(CandidateAccount::parse("a b"), Err(Invalid::InvalidFormat));
        assert_eq!(
            CandidateAccount::parse(&"1".repeat(41)),
            Err(Invalid::TooLong)
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            PersonName::parse(" 李雷 ").map(|n| n.0),
            Ok("李雷".to_owned())
        );
        assert_eq!(PersonName::parse("  "), Err(Invalid::Required));
        assert_eq!(PersonName::parse(&"名".repeat(51)), Err(Invalid::TooLong));
        assert_eq!(PersonName::parse("a\tb"), Err(Invalid::InvalidFormat));
    }

    #[test]
    fn id_numbers_need_a_valid_checksum_and_date() {
        // The standard's example number.
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "110***********002X");
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(Invalid::InvalidFormat)
        );
        assert_eq!(
            IdNumber::parse("11010519491331002X"),
            Err(Invalid::InvalidFormat)
        );
        assert_eq!(IdNumber::parse("12345"), Err(Invalid::InvalidFormat));
        assert_eq!(IdNumber::parse(""), Err(Invalid::Required));
    }
}
