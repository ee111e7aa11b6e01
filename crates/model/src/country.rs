//! ISO 3166-1 alpha-2 country codes.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Two upper-case ASCII letters. Validated on construction so every stored code is well formed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CountryCode([u8; 2]);

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a country code: use two letters of ISO 3166-1 alpha-2, e.g. BE, FR, NL")]
pub struct CountryCodeError(pub String);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        // Constructed only from two ASCII letters, so always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for CountryCode {
    type Err = CountryCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(Self([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
        } else {
            Err(CountryCodeError(s.to_string()))
        }
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_validated() {
        assert_eq!("be".parse::<CountryCode>().unwrap().as_str(), "BE");
        assert!("BEL".parse::<CountryCode>().is_err());
        assert!("1E".parse::<CountryCode>().is_err());
    }
}
