//! Entity tags, for every answer the server lets a client revalidate: GET answers of
//! `/graphql` and the pages' embedded files.

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

/// A strong ETag of some bytes: the first 16 bytes of their SHA-256, in hex, quoted.
pub fn of(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// Whether the request's `If-None-Match` names `tag` (or `*`): the client holds it already.
/// Compared weakly, as RFC 9110 has it for `If-None-Match`.
pub fn held(request: &HeaderMap, tag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag
        })
}
