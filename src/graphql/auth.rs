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

impl Tokens {
    /// Parses `name:role:secret` entries separated by commas or new lines; blank lines and
    /// lines starting with `#` are skipped, and whitespace around each part is dropped. The
    /// error names the entry (never its secret).
    pub fn parse(text: &str) -> Result<Tokens, String> {
        let mut tokens = Vec::new();
        for (i, entry) in text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty() && !e.starts_with('#'))
            .enumerate()
        {
            // Each part is trimmed: the presented token is, so a secret kept with spaces
            // around it could never match.
            let mut parts = entry.splitn(3, ':').map(str::trim);
            let (name, role, secret) = (parts.next(), parts.next(), parts.next());
            let (Some(name), Some(role), Some(secret)) = (name, role, secret) else {
                return Err(format!("token entry {}: expected name:role:secret", i + 1));
            };
            let role = Role::parse(role).ok_or_else(|| {
                format!("token {name:?}: role {role:?} is not reader, editor or admin")
            })?;
            if name.is_empty() || secret.len() < 16 {
                return Err(format!(
                    "token {name:?}: needs a name and a secret of at least 16 characters"
                ));
            }
            tokens.push(Token {
                name: name.to_owned(),
                role,
                digest: digest(secret),
            });
        }
        Ok(Tokens(tokens))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Who the `Authorization` header value says the caller is.
    pub fn identify(&self, authorization: Option<&str>) -> Caller {
        let Some(header) = authorization else {
            return Caller::Anonymous;
        };
        let Some(secret) = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
        else {
            return Caller::Invalid;
        };
        let d = digest(secret.trim());
        // Look at every token, so the time taken does not say which one matched.
        let mut found = None;
        for t in &self.0 {
            if same(&t.digest, &d) {
                found = Some((t.name.clone(), t.role));
            }
        }
        match found {
            Some((name, role)) => Caller::Known { name, role },
            None => Caller::Invalid,
        }
    }
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

    #[test]
    fn tokens_identify_callers() {
        let t = Tokens::parse("ana:editor:0123456789abcdef0, bo:admin:fedcba9876543210f").unwrap();
        assert_eq!(
            t.identify(Some("Bearer 0123456789abcdef0")),
            Caller::Known {
                name: "ana".into(),
                role: Role::Editor
            }
        );
        assert_eq!(t.identify(Some("Bearer nope")), Caller::Invalid);
        assert_eq!(t.identify(Some("Basic xyz")), Caller::Invalid);
        assert_eq!(t.identify(None), Caller::Anonymous);
    }

    #[test]
    fn bad_entries_are_refused_without_echoing_secrets() {
        let e = Tokens::parse("ana:owner:0123456789abcdef0").unwrap_err();
        assert!(e.contains("owner") && !e.contains("0123456789abcdef0"));
        assert!(Tokens::parse("ana:editor:short").is_err());
        assert!(Tokens::parse("nocolons").is_err());
    }

    #[test]
    fn whitespace_around_each_part_is_dropped() {
        let t =
            Tokens::parse("ana : editor :  0123456789abcdef0 \n bo:\treader\t:fedcba9876543210f")
                .unwrap();
        assert_eq!(
            t.identify(Some("Bearer 0123456789abcdef0")),
            Caller::Known {
                name: "ana".into(),
                role: Role::Editor
            }
        );
        assert_eq!(
            t.identify(Some("Bearer fedcba9876543210f")),
            Caller::Known {
                name: "bo".into(),
                role: Role::Reader
            }
        );
        // The minimum length counts the secret without its surrounding spaces.
        let e = Tokens::parse("ana:editor:   0123456789abcde   ").unwrap_err();
        assert!(e.contains("16 characters"), "{e}");
        assert!(Tokens::parse(" :editor:0123456789abcdef0").is_err());
    }
}
