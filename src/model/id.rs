//! Codes, node kinds and global ids (`"<Type>:<code>"`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest code accepted.
pub const MAX_CODE_LEN: usize = 64;

/// The kinds of node the graph holds. The discriminant is a stable tag used in storage keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum NodeKind {
    Member = 1,
    Partner = 2,
    Body = 3,
    Meeting = 4,
    Initiative = 5,
    Person = 6,
    Source = 7,
}

impl NodeKind {
    pub const ALL: [NodeKind; 7] = [
        NodeKind::Member,
        NodeKind::Partner,
        NodeKind::Body,
        NodeKind::Meeting,
        NodeKind::Initiative,
        NodeKind::Person,
        NodeKind::Source,
    ];

    /// The GraphQL type name, also the prefix of global ids.
    pub fn type_name(self) -> &'static str {
        match self {
            NodeKind::Member => "Member",
            NodeKind::Partner => "Partner",
            NodeKind::Body => "Body",
            NodeKind::Meeting => "Meeting",
            NodeKind::Initiative => "Initiative",
            NodeKind::Person => "Person",
            NodeKind::Source => "Source",
        }
    }

    /// Lower-case noun used in messages (`no member "VMN"`).
    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Member => "member",
            NodeKind::Partner => "partner",
            NodeKind::Body => "body",
            NodeKind::Meeting => "meeting",
            NodeKind::Initiative => "initiative",
            NodeKind::Person => "person",
            NodeKind::Source => "source",
        }
    }

    /// The type name with its indefinite article ("an Initiative", "a Member").
    pub fn with_article(self) -> String {
        let name = self.type_name();
        let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    pub fn from_type_name(name: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.type_name() == name)
    }

    pub fn tag(self) -> u8 {
        self as u8
    }

    pub fn from_tag(tag: u8) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.tag() == tag)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.type_name())
    }
}

/// Why a code or id was refused; the message quotes the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "{0:?} is not a code (letters, digits and '-', starting with a letter or digit, at most 64)"
    )]
    Code(String),
    #[error("{0:?} is not a global id (\"<Type>:<code>\", e.g. \"Member:VNM\")")]
    Id(String),
    #[error("{id:?} names {}; expected {expected}", found.with_article())]
    Kind {
        id: String,
        found: NodeKind,
        expected: String,
    },
}

/// The canonical (upper-case) form of a code, or why it is not one. Codes are
/// case-insensitive on input: `vnm` is `VNM`.
pub fn normalize_code(text: &str) -> Result<String, IdError> {
    let ok = !text.is_empty()
        && text.len() <= MAX_CODE_LEN
        && text.as_bytes()[0].is_ascii_alphanumeric()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(IdError::Code(text.to_owned()))
    }
}

/// A reference to one node: its kind and canonical code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NodeRef {
    pub kind: NodeKind,
    pub code: String,
}

impl NodeRef {
    pub fn new(kind: NodeKind, code: impl Into<String>) -> NodeRef {
        NodeRef {
            kind,
            code: code.into(),
        }
    }

    /// Parses `"<Type>:<code>"`; the code part is case-insensitive.
    pub fn parse(id: &str) -> Result<NodeRef, IdError> {
        let (type_name, code) = id
            .split_once(':')
            .ok_or_else(|| IdError::Id(id.to_owned()))?;
        let kind = NodeKind::from_type_name(type_name).ok_or_else(|| IdError::Id(id.to_owned()))?;
        let code = normalize_code(code).map_err(|_| IdError::Id(id.to_owned()))?;
        Ok(NodeRef { kind, code })
    }

    /// Parses a global id that must be of one of `kinds`.
    pub fn parse_of(id: &str, kinds: &[NodeKind]) -> Result<NodeRef, IdError> {
        let node = NodeRef::parse(id)?;
        if kinds.contains(&node.kind) {
            Ok(node)
        } else {
            let expected = kinds
                .iter()
                .map(|k| k.type_name())
                .collect::<Vec<_>>()
                .join(" or ");
            Err(IdError::Kind {
                id: id.to_owned(),
                found: node.kind,
                expected,
            })
        }
    }

    /// The global id, `"<Type>:<code>"`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.kind.type_name(), self.code)
    }
}

/// The global id; `ASEAN` for the stand-in body of the Chair of ASEAN (see
/// `NodeRef::asean`), so that messages name it as a reader would.
impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_asean() {
            f.write_str("ASEAN")
        } else {
            write!(f, "{}:{}", self.kind.type_name(), self.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_case_insensitive_and_checked() {
        assert_eq!(normalize_code("iai-tf-63").unwrap(), "IAI-TF-63");
        for bad in ["", "-X", "A B", "VNM:", "Ư", &"A".repeat(65)] {
            assert!(normalize_code(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn global_ids_round_trip() {
        let r = NodeRef::parse("Partner:jpn").unwrap();
        assert_eq!(r, NodeRef::new(NodeKind::Partner, "JPN"));
        assert_eq!(r.id(), "Partner:JPN");
        assert!(NodeRef::parse("Country:JPN").is_err());
        assert!(NodeRef::parse("JPN").is_err());
        assert!(NodeRef::parse_of("Body:ACC", &[NodeKind::Member, NodeKind::Partner]).is_err());
    }
}
