//! Stored values: one format-version byte, then the record in bincode 2 (standard config,
//! through serde). bincode output is never used as a key.

use serde::{Serialize, de::DeserializeOwned};

/// The version byte every stored value starts with.
pub const VALUE_VERSION: u8 = 1;

#[expect(
    clippy::expect_used,
    reason = "encoding plain data into a Vec cannot fail; an error here is a bug in a type"
)]
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![VALUE_VERSION];
    bincode::serde::encode_into_std_write(value, &mut out, bincode::config::standard())
        .expect("in-memory bincode encoding of a model value");
    out
}

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty value")]
    Empty,
    #[error("value format version {0}, expected {VALUE_VERSION}")]
    Version(u8),
    #[error("undecodable value: {0}")]
    Bincode(String),
    #[error("{0} trailing bytes after the value")]
    Trailing(usize),
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    let (&version, body) = bytes.split_first().ok_or(DecodeError::Empty)?;
    if version != VALUE_VERSION {
        return Err(DecodeError::Version(version));
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
