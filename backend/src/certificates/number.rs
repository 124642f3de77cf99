//! Certificate numbers: 80 bits from the operating system's random source, written as 16
//! Crockford base32 symbols in four groups, `EC-XXXX-XXXX-XXXX-XXXX`. Unguessable (2^80
//! numbers), easy to read aloud and to type: no I, L, O or U, and [`CertificateNumber::parse`]
//! accepts lower case, missing hyphens and the look-alikes (O for 0, I and L for 1).

use std::fmt;

use rand::TryRngCore;
use rand::rngs::OsRng;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "EC";
const SYMBOLS: usize = 16;

/// A well-formed certificate number in its canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CertificateNumber(String);

impl CertificateNumber {
    /// A fresh random number.
    pub fn generate() -> anyhow::Result<CertificateNumber> {
        let mut bytes = [0u8; 10];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| anyhow::anyhow!("operating system randomness: {e}"))?;
        // 80 bits are exactly 16 symbols of 5 bits.
        let mut bits: u128 = 0;
        for b in bytes {
            bits = (bits << 8) | u128::from(b);
        }
        let symbols: Vec<u8> = (0..SYMBOLS)
            .rev()
            .map(|i| ALPHABET[((bits >> (5 * i)) & 0x1f) as usize])
            .collect();
        Ok(CertificateNumber::from_symbols(&symbols))
    }

    /// Parses what a person typed or scanned; `None` unless it is 16 Crockford symbols,
    /// optionally after `EC`, with any hyphens and spaces.
    pub fn parse(input: &str) -> Option<CertificateNumber> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let body = match cleaned.strip_prefix(PREFIX) {
            Some(rest) if rest.len() == SYMBOLS => rest,
            _ if cleaned.len() == SYMBOLS => cleaned.as_str(),
            _ => return None,
        };
        let symbols = body
            .bytes()
            .map(|b| match b {
                b'O' => Some(b'0'),
                b'I' | b'L' => Some(b'1'),
                b if ALPHABET.contains(&b) => Some(b),
                _ => None,
            })
            .collect::<Option<Vec<u8>>>()?;
        Some(CertificateNumber::from_symbols(&symbols))
    }

    fn from_symbols(symbols: &[u8]) -> CertificateNumber {
        let groups: Vec<&str> = symbols
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        CertificateNumber(format!("{PREFIX}-{}", groups.join("-")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_are_canonical_and_parse_back() {
        let n = CertificateNumber::generate().unwrap();
        assert_eq!(n.as_str().len(), "EC-XXXX-XXXX-XXXX-XXXX".len());
        assert!(n.as_str().starts_with("EC-"));
        assert_eq!(CertificateNumber::parse(n.as_str()), Some(n.clone()));
        assert_ne!(CertificateNumber::generate().unwrap(), n);
    }

    #[test]
    fn parsing_forgives_case_hyphens_and_look_alikes() {
        let canonical = CertificateNumber::parse("EC-0123-4567-89AB-CDEF").unwrap();
        assert_eq!(
            CertificateNumber::parse("ec o123 4567 89ab cdef"),
            Some(canonical.clone())
        );
        assert_eq!(
            CertificateNumber::parse("0I2345678 9ABCDEF").map(|n| n.to_string()),
            Some("EC-0123-4567-89AB-CDEF".to_owned())
        );
    }

    #[test]
    fn parsing_rejects_wrong_lengths_and_symbols() {
        for bad in [
            "",
            "EC-0123",
            "EC-0123-4567-89AB-CDEFG",
            "EC-0123-4567-89AB-CDEU",
            "EC-0123-4567-89AB-CDE!",
        ] {
            assert_eq!(CertificateNumber::parse(bad), None, "{bad}");
        }
    }
}
