//! Opaque cursors, checked. A cursor is the item's position key in its list followed by a
//! tag: the first 8 bytes of SHA-256 over the list's type and the key, all base64url-encoded.
//! A cursor this server did not make — hand-built, truncated, tampered with, padded to
//! 100 KB, or taken from another kind of list — fails its tag and is refused with one
//! message, never read as a position.
//!
//! The tag is a check, not a secret: cursors carry no authority (one made by someone who
//! read this file only positions a page of a list its holder may read anyway), and keeping
//! it free of secrets keeps cursors valid across restarts and the same on every server
//! holding the same data, as clients and the documented examples expect.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

const TAG: usize = 8;
/// No key of the store is near this long; a longer cursor is refused before decoding.
const MAX_ENCODED: usize = 1024;

/// Set apart from other uses of SHA-256, and bumped if cursors ever change meaning.
const DOMAIN: &[u8] = b"asean-graph cursor 1\0";

fn tag(list: &str, key: &[u8]) -> [u8; TAG] {
    let mut hash = Sha256::new();
    hash.update(DOMAIN);
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
