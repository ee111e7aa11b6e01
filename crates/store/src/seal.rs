//! Sealed values: encrypted to the registry's sealing identity with age (X25519).
//!
//! Sealing needs only the public recipient, so anyone recording a report can seal its
//! source; opening needs the identity. Today the identity lives in the encrypted registry
//! file; the access layer will hand it only to the roles that may open sealed fields.

use crate::error::StoreError;
use age::secrecy::ExposeSecret;
use age::x25519::{Identity, Recipient};
use model::report::{SealedValue, Sealer};

pub struct RegistrySealer {
    identity: Identity,
    recipient: Recipient,
}

impl RegistrySealer {
    pub(crate) fn generate() -> Self {
        let identity = Identity::generate();
        let recipient = identity.to_public();
        Self {
            identity,
            recipient,
        }
    }

    pub(crate) fn identity_text(&self) -> String {
        self.identity.to_string().expose_secret().to_string()
    }

    pub(crate) fn from_identity_text(text: &str) -> Result<Self, StoreError> {
        let identity: Identity = text
            .parse()
            .map_err(|e: &str| StoreError::Corrupt(format!("sealing identity: {e}")))?;
        let recipient = identity.to_public();
        Ok(Self {
            identity,
            recipient,
        })
    }

    /// Opens a sealed value. Only callers entitled to see sealed fields may call this.
    pub fn open(&self, value: &SealedValue) -> Result<Vec<u8>, StoreError> {
        age::decrypt(&self.identity, &value.0).map_err(|e| StoreError::Seal(e.to_string()))
    }
}

impl Sealer for RegistrySealer {
    fn seal(&self, plaintext: &[u8]) -> SealedValue {
        // Encrypting into memory to a well-formed X25519 recipient has no failure path
        // short of the OS refusing randomness, where continuing would be unsafe anyway.
        #[allow(clippy::expect_used)]
        let bytes = age::encrypt(&self.recipient, plaintext)
            .expect("age encryption into memory cannot fail");
        SealedValue(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_identity() {
        let a = RegistrySealer::generate();
        let b = RegistrySealer::generate();
        let sealed = a.seal(b"sister of a detainee, phone +90 555 000 0000");
        assert!(!sealed.0.windows(6).any(|w| w == b"sister"));
        assert_eq!(
            a.open(&sealed).unwrap(),
            b"sister of a detainee, phone +90 555 000 0000"
        );
        assert!(b.open(&sealed).is_err());
        let again = RegistrySealer::from_identity_text(&a.identity_text()).unwrap();
        assert!(again.open(&sealed).is_ok());
    }
}
