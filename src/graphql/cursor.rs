//! Opaque cursors that only this server can issue. A cursor is the item's position key in
//! its list followed by a tag: the first 8 bytes of SHA-256 over a secret of this process,
//! the list's type and the key, all base64url-encoded. A cursor this server did not issue —
//! forged, truncated, padded to 100 KB, or taken from another kind of list — fails its tag
//! and is refused with one message, never read as a position.
//!
//! The secret is drawn when the process starts, so cursors last as long as the server
//! runs: after a restart a client pages again from the start. (The truncated tag also
//! leaves nothing for a length-extension attack to build on.)

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const TAG: usize = 8;
/// No key of the store is near this long; a longer cursor is refused before decoding.
const MAX_ENCODED: usize = 1024;

fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(|| {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes
    })
}

fn tag(list: &str, key: &[u8]) -> [u8; TAG] {
    let mut hash = Sha256::new();
    hash.update(secret());
    hash.update(list.as_bytes());
    hash.update([0]);
    hash.update(key);
    let mut out = [0u8; TAG];
    out.copy_from_slice(&hash.finalize()[..TAG]);
    out
}

/// The cursor of the item at `key` in a list of `list` (a connection's type name).
pub fn issue(list: &str, key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(key.len() + TAG);
    bytes.extend_from_slice(key);
    bytes.extend_from_slice(&tag(list, key));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A cursor as a client sent it, decoded but not yet checked against its list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent(Vec<u8>);

/// Decodes a cursor's text; `None` if it cannot be one of ours.
pub fn decode(text: &str) -> Option<Sent> {
    if text.len() > MAX_ENCODED {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    (bytes.len() > TAG).then_some(Sent(bytes))
}

impl Sent {
    /// The position key, if this server issued the cursor for a list of `list`.
    pub fn key_in(&self, list: &str) -> Option<&[u8]> {
        let (key, sent_tag) = self.0.split_at(self.0.len() - TAG);
        // Not secret-dependent timing worth guarding: a wrong tag reveals only that it is.
        (tag(list, key) == sent_tag).then_some(key)
    }

    /// The cursor as the client wrote it, for messages.
    pub fn text(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_cursor_comes_back_to_its_key_in_its_list_only() {
        let c = issue("MeetingConnection", b"key\0");
        let sent = decode(&c).unwrap();
        assert_eq!(sent.key_in("MeetingConnection"), Some(&b"key\0"[..]));
        assert_eq!(sent.key_in("PartnerConnection"), None);
    }

    #[test]
    fn a_forged_cursor_is_not_ours() {
        let forged = URL_SAFE_NO_PAD.encode("Partner:AIIB");
        assert!(decode(&forged).is_none_or(|s| s.key_in("PartnerConnection").is_none()));
        assert!(decode(&"A".repeat(100_000)).is_none());
        assert!(decode("not base64!").is_none());
        assert!(decode("").is_none());
    }
}
