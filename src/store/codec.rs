//! Stored values: one format-version byte, then the value in bincode 2 (standard config,
//! through serde). bincode output is never used as a key.

use serde::{Serialize, de::DeserializeOwned};

/// The version byte every stored value starts with, but a record's (its own is
/// [`super::RECORD_VERSION`]).
pub const VALUE_VERSION: u8 = 1;

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    encode_as(VALUE_VERSION, value)
}

/// `value` behind the version byte `version` (records have their own: see
/// [`super::RECORD_VERSION`]).
#[expect(
    clippy::expect_used,
    reason = "encoding plain data into a Vec cannot fail; an error here is a bug in a type"
)]
pub fn encode_as<T: Serialize>(version: u8, value: &T) -> Vec<u8> {
    let mut out = vec![version];
    bincode::serde::encode_into_std_write(value, &mut out, bincode::config::standard())
        .expect("in-memory bincode encoding of a model value");
    out
}

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty value")]
    Empty,
    #[error("value format version {found}, expected {expected}")]
    Version { found: u8, expected: u8 },
    #[error("undecodable value: {0}")]
    Bincode(String),
    #[error("{0} trailing bytes after the value")]
    Trailing(usize),
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_as(VALUE_VERSION, bytes)
}

/// A value written by [`encode_as`] with the version byte `expected`.
pub fn decode_as<T: DeserializeOwned>(expected: u8, bytes: &[u8]) -> Result<T, DecodeError> {
    let (&found, body) = bytes.split_first().ok_or(DecodeError::Empty)?;
    if found != expected {
        return Err(DecodeError::Version { found, expected });
    }
    let (value, used) = bincode::serde::decode_from_slice(
        body,
        bincode::config::standard().with_limit::<{ 16 << 20 }>(),
    )
    .map_err(|e| DecodeError::Bincode(e.to_string()))?;
    if used != body.len() {
        return Err(DecodeError::Trailing(body.len() - used));
    }
    Ok(value)
}
