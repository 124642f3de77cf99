//! Mainland-China mobile numbers and email addresses: the two ways to reach a person.

use super::invalid::Invalid;

/// A mainland-China mobile number, normalised to E.164 (`+861xxxxxxxxxx`).
///
/// Accepts `13800138000`, `+86 138 0013 8000`, `86-138-0013-8000`, `008613800138000`;
/// the national number must be 11 digits `1[3-9]xxxxxxxxx`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CnMobile(String);

impl CnMobile {
    pub fn parse(input: &str) -> Result<CnMobile, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid::Required);
        }
        if trimmed.chars().count() > 32 {
            return Err(Invalid::TooLong);
        }
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        // Full-width forms (typed with a Chinese input method) count as their ASCII twins.
        let halfwidth = |c: char| match c {
            '０'..='９' | '＋' | '－' | '（' | '）' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' => ' ',
            _ => c,
        };
        for c in trimmed.chars().map(halfwidth) {
            match c {
                '0'..='9' => digits.push(c),
                // A leading `+` (possibly inside the brackets of "(+86)") marks a country code.
                '+' if digits.is_empty() && !plus => plus = true,
                ' ' | '-' | '(' | ')' => {}
                _ => return Err(Invalid::InvalidFormat),
            }
        }
        // With an international prefix the country code must be 86; without one, accept the
        // national number, or 86 written without the plus.
        let national = if plus {
            digits.strip_prefix("86").ok_or(Invalid::InvalidFormat)?
        } else if let Some(rest) = digits.strip_prefix("0086") {
            rest
        } else if digits.len() == 13 && digits.starts_with("86") {
            &digits[2..]
        } else {
            digits.as_str()
        };
        let bytes = national.as_bytes();
        let valid = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
        if !valid {
            return Err(Invalid::InvalidFormat);
        }
        Ok(CnMobile(format!("+86{national}")))
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown to people: `138****8000`.
    pub fn masked(&self) -> String {
        let national = &self.0[3..];
        format!("{}****{}", &national[..3], &national[7..])
    }
}

/// An email address, trimmed, with the domain lower-cased (the local part is kept as typed
/// for display, and lower-cased for lookups: see [`Email::lookup_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Invalid> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Invalid::Required);
        }
        if trimmed.len() > 254 {
            return Err(Invalid::TooLong);
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(Invalid::InvalidFormat);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !local_ok || !domain_ok {
            return Err(Invalid::InvalidFormat);
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive form used for blind-index lookups.
    pub fn lookup_key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// The form shown to people: `a***@example.com`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }
}

/// Where a verification code or notice goes: an email address or a mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Contact {
    Email(Email),
    Mobile(CnMobile),
}

impl Contact {
    /// Parses either kind: anything with `@` must be an email, anything else a mobile number.
    pub fn parse(input: &str) -> Result<Contact, Invalid> {
        if input.contains('@') {
            Email::parse(input).map(Contact::Email)
        } else {
            CnMobile::parse(input).map(Contact::Mobile)
        }
    }

    /// The value as stored (encrypted) and shown: the email as given, the mobile in E.164.
    pub fn as_str(&self) -> &str {
        match self {
            Contact::Email(e) => e.as_str(),
            Contact::Mobile(m) => m.as_str(),
        }
    }

    /// The normalised value used for lookups (blind index input).
    pub fn lookup_key(&self) -> String {
        match self {
            Contact::Email(e) => e.lookup_key(),
            Contact::Mobile(m) => m.as_str().to_owned(),
        }
    }

    pub fn masked(&self) -> String {
        match self {
            Contact::Email(e) => e.masked(),
            Contact::Mobile(m) => m.masked(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_mobiles_normalise_to_e164() {
        for input in [
            "13800138000",
            "+8613800138000",
            "+86 138 0013 8000",
            "86-138-0013-8000",
            "008613800138000",
            " (+86) 138-0013-8000 ",
            "１３８００１３８０００",
            "＋８６　１３８－００１３－８０００",
        ] {
            assert_eq!(
                CnMobile::parse(input).map(|m| m.0),
                Ok("+8613800138000".to_owned()),
                "{input}"
            );
        }
        assert_eq!(
            CnMobile::parse("19912345678").map(|m| m.masked()),
            Ok("199****5678".to_owned())
        );
    }

    #[test]
    fn anything_else_is_not_a_mainland_mobile() {
        for (input, why) in [
            ("", Invalid::Required),
            ("   ", Invalid::Required),
            ("12800138000", Invalid::InvalidFormat),
            ("10800138000", Invalid::InvalidFormat),
            ("1380013800", Invalid::InvalidFormat),
            ("138001380001", Invalid::InvalidFormat),
            ("+85213800138000", Invalid::InvalidFormat),
            ("+1 415 555 0100", Invalid::InvalidFormat),
            ("1380013800a", Invalid::InvalidFormat),
            ("138+00138000", Invalid::InvalidFormat),
            ("２３８００１３８０００", Invalid::InvalidFormat),
            ("+86 ", Invalid::InvalidFormat),
        ] {
            assert_eq!(CnMobile::parse(input), Err(why), "{input:?}");
        }
    }

    #[test]
    fn emails_are_trimmed_and_domains_lowercased() {
        let e = Email::parse("  Zhang.San+exam@Example.COM ").expect("valid");
        assert_eq!(e.as_str(), "Zhang.San+exam@example.com");
        assert_eq!(e.lookup_key(), "zhang.san+exam@example.com");
        assert_eq!(e.masked(), "Z***@example.com");
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.cn",
            "a..b@x.cn",
            ".a@x.cn",
            "a@-x.cn",
            "a@x.c0m",
            "张@x.cn",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contacts_pick_their_kind() {
        assert!(matches!(Contact::parse("a@b.cn"), Ok(Contact::Email(_))));
        assert!(matches!(
            Contact::parse("13800138000"),
            Ok(Contact::Mobile(_))
        ));
        assert_eq!(Contact::parse("a@b"), Err(Invalid::InvalidFormat));
    }
}
