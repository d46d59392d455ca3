//! Who is calling: bearer tokens (`name:role:secret`), roles, and the checks mutations make.
//! Secrets are compared in constant time and never logged.

use super::error::{FORBIDDEN, UNAUTHENTICATED, coded};
use async_graphql::{Context, Result};
use sha2::{Digest, Sha256};
use std::fmt;

/// What a token may do; each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read, where reads need a token.
    Reader,
    /// Create, update and delete records and relationships.
    Editor,
    /// Also delete records with everything that refers to them (`cascade`).
    Admin,
}

impl Role {
    fn parse(text: &str) -> Option<Role> {
        match text {
            "reader" => Some(Role::Reader),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        })
    }
}

struct Token {
    name: String,
    role: Role,
    digest: [u8; 32],
}

/// The configured tokens.
#[derive(Default)]
pub struct Tokens(Vec<Token>);

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .0
            .iter()
            .map(|t| format!("{}:{}", t.name, t.role))
            .collect();
        write!(f, "Tokens({names:?})")
    }
}

fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Equal digests, compared without an early exit.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The shortest secret accepted, in characters.
const MIN_SECRET: usize = 16;

impl Tokens {
    /// Parses `name:role:secret` entries separated by commas or new lines; blank lines and
    /// lines starting with `#` are skipped, and whitespace around each part is dropped. An
    /// error names the entry by its number and name, and says what is wrong with it; it
    /// never shows a secret.
    pub fn parse(text: &str) -> Result<Tokens, String> {
        let mut tokens: Vec<Token> = Vec::new();
        for (i, entry) in text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.starts_with('#'))
            .enumerate()
        {
            let n = i + 1;
            // Each part is trimmed: the presented token is, so a secret kept with spaces
            // around it could never match.
            let mut parts = entry.splitn(3, ':').map(str::trim);
            let (Some(name), Some(role), Some(secret)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(format!("token entry {n}: expected name:role:secret"));
            };
            if name.is_empty() {
                return Err(format!("token entry {n}: the name is empty"));
            }
            let entry = format!("token entry {n} ({name:?})");
            let role = Role::parse(role)
                .ok_or_else(|| format!("{entry}: role {role:?} is not reader, editor or admin"))?;
            let length = secret.chars().count();
            if length < MIN_SECRET {
                return Err(format!(
                    "{entry}: the secret is {length} characters; it needs at least {MIN_SECRET}"
                ));
            }
            let digest = digest(secret);
            // One secret for two entries would make it the stronger role, silently.
            if let Some((j, first)) = tokens.iter().enumerate().find(|(_, t)| t.digest == digest) {
                return Err(format!(
                    "token entries {} ({:?}) and {n} ({name:?}) have the same secret; give each \
                     its own",
                    j + 1,
                    first.name
                ));
            }
            tokens.push(Token {
                name: name.to_owned(),
                role,
                digest,
            });
        }
        Ok(Tokens(tokens))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Who a request's `Authorization` values say the caller is: none is anonymous; one
    /// must be `Bearer <secret>` (the scheme in any case, RFC 7235) naming a token; more than
    /// one is refused, since which of them counts would be a guess.
    pub fn identify(&self, authorization: &[&str]) -> Result<Caller, String> {
        let header = match authorization {
            [] => return Ok(Caller::Anonymous),
            [one] => one,
            many => {
                return Err(format!(
                    "send one Authorization header; this request has {}",
                    many.len()
                ));
            }
        };
        let Some(secret) = bearer_secret(header) else {
            return Ok(Caller::Invalid);
        };
        let d = digest(secret);
        // Look at every token, so the time taken does not say which one matched.
        let mut found = None;
        for t in &self.0 {
            if same(&t.digest, &d) {
                found = Some((t.name.clone(), t.role));
            }
        }
        Ok(match found {
            Some((name, role)) => Caller::Known { name, role },
            None => Caller::Invalid,
        })
    }
}

/// The secret of a `Bearer` credential: the scheme in any case, then whitespace.
fn bearer_secret(header: &str) -> Option<&str> {
    let (scheme, secret) = header.trim().split_once([' ', '\t'])?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(secret.trim())
}

/// The `Authorization` values in a WebSocket `connection_init` payload: every key spelled
/// `authorization` in any case (a value that is not a string matches no token).
pub fn init_payload_authorization(payload: &serde_json::Value) -> Vec<&str> {
    payload
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str().unwrap_or_default())
        .collect()
}

/// The caller of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No `Authorization` header.
    Anonymous,
    /// A header that matches no token.
    Invalid,
    Known {
        name: String,
        role: Role,
    },
}

/// The access policy, shared by every request.
#[derive(Debug, Default)]
pub struct Access {
    pub tokens: Tokens,
    /// Whether reads need a token too (any role).
    pub read_needs_token: bool,
}

impl Access {
    /// Whether `caller` may read; the error says why not.
    pub fn check_read(&self, caller: &Caller) -> Result<(), (&'static str, String)> {
        if !self.read_needs_token {
            return Ok(());
        }
        match caller {
            Caller::Known { .. } => Ok(()),
            Caller::Anonymous => Err((
                UNAUTHENTICATED,
                "reads need a token: send Authorization: Bearer <secret>".into(),
            )),
            Caller::Invalid => Err((UNAUTHENTICATED, "the token is not valid".into())),
        }
    }
}

/// The name of the caller if it holds at least `role`; `what` names the operation.
pub fn require(ctx: &Context<'_>, role: Role, what: &str) -> Result<String> {
    let access = ctx.data_unchecked::<std::sync::Arc<Access>>();
    if access.tokens.is_empty() {
        return Err(coded(
            FORBIDDEN,
            "writes are turned off: no tokens are configured; set ASEAN_GRAPH_TOKENS to \
             name:editor:secret (comma-separated entries) or pass --tokens-file, then send \
             Authorization: Bearer <secret>",
        ));
    }
    match ctx.data_opt::<Caller>().unwrap_or(&Caller::Anonymous) {
        Caller::Anonymous => Err(coded(
            UNAUTHENTICATED,
            format!("{what} needs a token: send Authorization: Bearer <secret>"),
        )),
        Caller::Invalid => Err(coded(UNAUTHENTICATED, "the token is not valid")),
        Caller::Known { name, role: has } if *has >= role => Ok(name.clone()),
        Caller::Known { role: has, .. } => Err(coded(
            FORBIDDEN,
            format!("{what} needs the {role} role; this token is {has}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str, role: Role) -> Result<Caller, String> {
        Ok(Caller::Known {
            name: name.into(),
            role,
        })
    }

    #[test]
    fn tokens_identify_callers() {
        let t = Tokens::parse("ana:editor:0123456789abcdef0, bo:admin:fedcba9876543210f").unwrap();
        assert_eq!(
            t.identify(&["Bearer 0123456789abcdef0"]),
            known("ana", Role::Editor)
        );
        assert_eq!(t.identify(&["Bearer nope"]), Ok(Caller::Invalid));
        assert_eq!(t.identify(&["Basic xyz"]), Ok(Caller::Invalid));
        assert_eq!(t.identify(&[]), Ok(Caller::Anonymous));
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        let t = Tokens::parse("ana:editor:0123456789abcdef0").unwrap();
        for header in [
            "Bearer 0123456789abcdef0",
            "bearer 0123456789abcdef0",
            "BEARER 0123456789abcdef0",
            "bEaReR\t 0123456789abcdef0 ",
        ] {
            assert_eq!(
                t.identify(&[header]),
                known("ana", Role::Editor),
                "{header}"
            );
        }
        assert_eq!(
            t.identify(&["Bearer0123456789abcdef0"]),
            Ok(Caller::Invalid)
        );
    }

    #[test]
    fn two_authorization_values_are_refused() {
        let t = Tokens::parse("ana:editor:0123456789abcdef0").unwrap();
        let e = t
            .identify(&["Bearer 0123456789abcdef0", "Bearer nope"])
            .unwrap_err();
        assert_eq!(e, "send one Authorization header; this request has 2");
        let payload = serde_json::json!({ "Authorization": "a", "AUTHORIZATION": "b", "x": 1 });
        assert_eq!(init_payload_authorization(&payload).len(), 2);
    }

    #[test]
    fn bad_entries_say_what_is_wrong_without_echoing_secrets() {
        let e = Tokens::parse("ana:owner:0123456789abcdef0").unwrap_err();
        assert!(
            e.contains("owner") && !e.contains("0123456789abcdef0"),
            "{e}"
        );
        assert_eq!(
            Tokens::parse("ana:editor:0123456789abcdef0\nci:editor:123456789").unwrap_err(),
            r#"token entry 2 ("ci"): the secret is 9 characters; it needs at least 16"#
        );
        assert_eq!(
            Tokens::parse(":editor:0123456789abcdef0").unwrap_err(),
            "token entry 1: the name is empty"
        );
        assert!(Tokens::parse("nocolons").is_err());
    }

    #[test]
    fn two_entries_sharing_a_secret_are_refused_by_name() {
        let e = Tokens::parse(
            "ana:reader:0123456789abcdef0, bo:editor:x0123456789abcdef, cy:admin:0123456789abcdef0",
        )
        .unwrap_err();
        assert_eq!(
            e,
            r#"token entries 1 ("ana") and 3 ("cy") have the same secret; give each its own"#
        );
    }

    #[test]
    fn whitespace_around_each_part_is_dropped() {
        let t =
            Tokens::parse("ana : editor :  0123456789abcdef0 \n bo:\treader\t:fedcba9876543210f")
                .unwrap();
        assert_eq!(
            t.identify(&["Bearer 0123456789abcdef0"]),
            known("ana", Role::Editor)
        );
        assert_eq!(
            t.identify(&["Bearer fedcba9876543210f"]),
            known("bo", Role::Reader)
        );
        // The minimum length counts the secret without its surrounding spaces.
        let e = Tokens::parse("ana:editor:   0123456789abcde   ").unwrap_err();
        assert!(e.contains("15 characters; it needs at least 16"), "{e}");
        assert!(Tokens::parse(" :editor:0123456789abcdef0").is_err());
    }
}
