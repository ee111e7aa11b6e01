//! Sealed values: encrypted with age (X25519) to the key of their class.
//!
//! Each [`SealClass`] (sources, medical detail, transcripts) has an identity of its own,
//! so holding one class's key opens nothing of another's. Sealing needs only the public
//! recipient, so anyone recording a report can seal its source; opening needs the
//! class's identity. The identities live in the encrypted registry file; the access layer
//! opens a class only for the roles that hold it, and sync will hand a replica only the
//! identities its users' roles hold.

use crate::error::StoreError;
use age::secrecy::ExposeSecret;
use age::x25519::{Identity, Recipient};
use model::report::{SealClass, SealedValue, Sealer};

struct ClassKey {
    identity: Identity,
    recipient: Recipient,
}

impl ClassKey {
    fn new(identity: Identity) -> Self {
        let recipient = identity.to_public();
        Self {
            identity,
            recipient,
        }
    }
}

/// The sealing keys of this registry, one per class.
pub struct RegistrySealer {
    source: ClassKey,
    medical: ClassKey,
    transcript: ClassKey,
}

impl RegistrySealer {
    pub(crate) fn generate() -> Self {
        Self {
            source: ClassKey::new(Identity::generate()),
            medical: ClassKey::new(Identity::generate()),
            transcript: ClassKey::new(Identity::generate()),
        }
    }

    fn key(&self, class: SealClass) -> &ClassKey {
        match class {
            SealClass::Source => &self.source,
            SealClass::Medical => &self.medical,
            SealClass::Transcript => &self.transcript,
        }
    }

    pub(crate) fn identity_text(&self, class: SealClass) -> String {
        self.key(class)
            .identity
            .to_string()
            .expose_secret()
            .to_string()
    }

    /// Reads the identities back, one per class, from wherever `text` finds them.
    pub(crate) fn from_identity_texts(
        text: impl Fn(SealClass) -> Result<String, StoreError>,
    ) -> Result<Self, StoreError> {
        let parse = |class: SealClass| -> Result<ClassKey, StoreError> {
            let identity: Identity = text(class)?.parse().map_err(|e: &str| {
                StoreError::Corrupt(format!("{} sealing identity: {e}", class.as_str()))
            })?;
            Ok(ClassKey::new(identity))
        };
        Ok(Self {
            source: parse(SealClass::Source)?,
            medical: parse(SealClass::Medical)?,
            transcript: parse(SealClass::Transcript)?,
        })
    }

    /// Opens a sealed value of `class`. Only callers entitled to that class may call this;
    /// a value sealed to another class does not open.
    pub fn open(&self, class: SealClass, value: &SealedValue) -> Result<Vec<u8>, StoreError> {
        age::decrypt(&self.key(class).identity, &value.0)
            .map_err(|e| StoreError::Seal(format!("{}: {e}", class.as_str())))
    }
}

impl Sealer for RegistrySealer {
    fn seal(&self, class: SealClass, plaintext: &[u8]) -> SealedValue {
        // Encrypting into memory to a well-formed X25519 recipient has no failure path
        // short of the OS refusing randomness, where continuing would be unsafe anyway.
        #[allow(clippy::expect_used)]
        let bytes = age::encrypt(&self.key(class).recipient, plaintext)
            .expect("age encryption into memory cannot fail");
        SealedValue(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"sister of a detainee, phone +90 555 000 0000";

    #[test]
    fn sealed_values_open_only_with_the_identity() {
        let a = RegistrySealer::generate();
        let b = RegistrySealer::generate();
        let sealed = a.seal(SealClass::Source, SECRET);
        assert!(!sealed.0.windows(6).any(|w| w == b"sister"));
        assert_eq!(a.open(SealClass::Source, &sealed).unwrap(), SECRET);
        assert!(b.open(SealClass::Source, &sealed).is_err());
        let again = RegistrySealer::from_identity_texts(|c| Ok(a.identity_text(c))).unwrap();
        assert!(again.open(SealClass::Source, &sealed).is_ok());
    }

    #[test]
    fn one_class_key_opens_no_other_class() {
        let keys = RegistrySealer::generate();
        for sealed_as in SealClass::ALL {
            let sealed = keys.seal(sealed_as, SECRET);
            for opened_as in SealClass::ALL {
                assert_eq!(
                    keys.open(opened_as, &sealed).is_ok(),
                    sealed_as == opened_as,
                    "sealed as {sealed_as:?}, opened as {opened_as:?}"
                );
            }
        }
    }
}
