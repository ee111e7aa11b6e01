//! How projection rows are stored: views in their `view` columns as postcard, like
//! events, and ids as 16 bytes. A value that does not decode means a damaged file,
//! reported as such.

use crate::error::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored 16-byte id; any other length means a damaged file.
pub(crate) fn id16(bytes: Vec<u8>) -> Result<[u8; 16], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("id has the wrong length".into()))
}
