//! Key layout. Every key is built so that byte order is the order scans want, and every
//! variable-length part ends with a 0 byte so that `SG` never prefix-matches `SGP`.
//!
//! | tree            | key                                                  | value            |
//! |-----------------|------------------------------------------------------|------------------|
//! | `meta`          | `format`                                             | u32 BE           |
//! |                 | `tally`: records of each kind, then edges            | u64 BE each      |
//! |                 | `fan-out`: the bound reads are priced by             | `FanOut`         |
//! |                 | `loading`, `upgrading`, `merging`: a bulk write      | its step         |
//! |                 | under way                                            |                  |
//! | `node/<kind>`   | code                                                 | record           |
//! | `edge/out`      | edge kind ‖ ref(from) ‖ ref(to) ‖ [year u16 BE]      | edge properties  |
//! | `edge/in`       | edge kind ‖ ref(to) ‖ ref(from) ‖ [year u16 BE]      | edge properties  |
//! | `idx/search`    | 1 ‖ word ‖ 0 ‖ short ‖ ref(node)                     | empty            |
//! |                 | 2 ‖ first word ‖ 0 ‖ short ‖ ref(node)               | phrases, `\n`    |
//! | `idx/date`      | date (4 bytes) ‖ meeting code ‖ 0                    | empty            |
//! | `idx/facet`     | facet tag ‖ facet value ‖ code ‖ 0                   | facet payload    |
//! |                 | 6 ‖ meeting code ‖ 0 ‖ partner code ‖ 0: a status    | empty            |
//! |                 | decided there                                        |                  |
//! | `idx/approval`  | meeting code ‖ 0 ‖ ref(funder) ‖ ref(target)         | empty            |
//! | `idx/cite`      | source code ‖ 0 ‖ 1 ‖ ref(node)                      | empty            |
//! |                 | source code ‖ 0 ‖ 2 ‖ `edge/out` key                 | empty            |
//! | `log`           | seq u64 BE                                           | `LogEntry`       |
//! | `log/by-id`     | global id ‖ 0 ‖ seq u64 BE                           | empty            |
//! | `undo`          | tree index ‖ key, during a merge                     | 0, or 1 ‖ prior  |
//! | `upgrade/<tree>`| the tree's keys in the new format, during an upgrade | as the tree's    |
//!
//! The `edge/` and `idx/` trees hold posting lists ([`super::postings`]): the keys above
//! are their logical keys, many of them to a sled key.
//!
//! `ref(n)` is the node kind's tag byte, the code, and 0. Integers are big-endian.
//!
//! Search entries (see [`crate::model::search`]) come in two runs, each ordered best first:
//! the records holding a word (1), and those with a text whose first word it is, with those
//! texts' phrases (2). `short` is the record's shortness (u16), so a scan of one word meets
//! records in rank order. A code is found by reading it, not through the index.

use crate::model::{Date, EdgeKind, InitiativeKind, NodeKind, NodeRef, PartnerKind, Pillar};

/// Appends `ref(node)`.
pub fn push_ref(key: &mut Vec<u8>, node: &NodeRef) {
    key.push(node.kind.tag());
    key.extend_from_slice(node.code.as_bytes());
    key.push(0);
}

/// Reads one `ref(n)` from the front of `bytes`; returns it and the rest.
pub fn take_ref(bytes: &[u8]) -> Option<(NodeRef, &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let kind = NodeKind::from_tag(tag)?;
    let end = rest.iter().position(|&b| b == 0)?;
    let code = std::str::from_utf8(&rest[..end]).ok()?.to_owned();
    Some((NodeRef { kind, code }, &rest[end + 1..]))
}

/// Appends a code and its terminator.
pub fn push_code(key: &mut Vec<u8>, code: &str) {
    key.extend_from_slice(code.as_bytes());
    key.push(0);
}

/// Reads a 0-terminated code from the front of `bytes`.
pub fn take_code(bytes: &[u8]) -> Option<(String, &[u8])> {
    let end = bytes.iter().position(|&b| b == 0)?;
    let code = std::str::from_utf8(&bytes[..end]).ok()?.to_owned();
    Some((code, &bytes[end + 1..]))
}

/// The identity of an edge: what its keys are made of.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EdgeId {
    pub kind: EdgeKind,
    pub from: NodeRef,
    pub to: NodeRef,
    pub year: Option<u16>,
}

impl EdgeId {
    pub fn out_key(&self) -> Vec<u8> {
        self.key(&self.from, &self.to)
    }

    pub fn in_key(&self) -> Vec<u8> {
        self.key(&self.to, &self.from)
    }

    fn key(&self, first: &NodeRef, second: &NodeRef) -> Vec<u8> {
        let mut key = vec![self.kind.tag()];
        push_ref(&mut key, first);
        push_ref(&mut key, second);
        if let Some(year) = self.year {
            key.extend_from_slice(&year.to_be_bytes());
        }
        key
    }

    /// Decodes an `edge/out` key (`outgoing`) or an `edge/in` key.
    pub fn decode(key: &[u8], outgoing: bool) -> Option<EdgeId> {
        let (&tag, rest) = key.split_first()?;
        let kind = EdgeKind::from_tag(tag)?;
        let (first, rest) = take_ref(rest)?;
        let (second, rest) = take_ref(rest)?;
        let year = match rest {
            [] => None,
            [hi, lo] => Some(u16::from_be_bytes([*hi, *lo])),
            _ => return None,
        };
        let (from, to) = if outgoing {
            (first, second)
        } else {
            (second, first)
        };
        Some(EdgeId {
            kind,
            from,
            to,
            year,
        })
    }
}

/// The prefix of every `edge/out` key of `kind` from `node` (or `edge/in` key to it).
pub fn edge_prefix(kind: EdgeKind, node: &NodeRef) -> Vec<u8> {
    let mut key = vec![kind.tag()];
    push_ref(&mut key, node);
    key
}

/// The two runs of the search index: see the table above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchRun {
    Word = 1,
    Start = 2,
}

/// The prefix of a search run's entries for `text` (a word).
pub fn search_prefix(run: SearchRun, text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() + 2);
    key.push(run as u8);
    push_code(&mut key, text);
    key
}

/// A search entry; `short` is the record's shortness.
pub fn search_key(run: SearchRun, text: &str, short: u16, node: &NodeRef) -> Vec<u8> {
    let mut key = search_prefix(run, text);
    key.extend_from_slice(&short.to_be_bytes());
    push_ref(&mut key, node);
    key
}

pub fn date_key(date: Date, meeting: &str) -> Vec<u8> {
    let mut key = date.to_key().to_vec();
    push_code(&mut key, meeting);
    key
}

pub fn approval_key(meeting: &str, funder: &NodeRef, target: &NodeRef) -> Vec<u8> {
    let mut key = Vec::new();
    push_code(&mut key, meeting);
    push_ref(&mut key, funder);
    push_ref(&mut key, target);
    key
}

/// The tag that starts a decision entry in `idx/facet`, after the [`Facet`] tags.
const DECISION_TAG: u8 = 6;

/// The start of the `idx/facet` entries of the partner statuses decided at `meeting`.
pub fn decision_prefix(meeting: &str) -> Vec<u8> {
    let mut key = vec![DECISION_TAG];
    push_code(&mut key, meeting);
    key
}

/// The `idx/facet` entry of a status of `partner` decided at `meeting`: `6 ‖ meeting ‖
/// partner`, so a meeting finds the partners it decided on.
pub fn decision_key(meeting: &str, partner: &str) -> Vec<u8> {
    let mut key = decision_prefix(meeting);
    push_code(&mut key, partner);
    key
}

/// Indexed attributes that root lists filter on. The tag byte and value bytes start the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    /// Members by CLMV flag.
    Clmv(bool),
    /// Bodies by pillar.
    Pillar(Pillar),
    /// Initiatives by kind.
    InitiativeKind(InitiativeKind),
    /// Partners by current kind.
    PartnerKind(PartnerKind),
    /// Partner statuses by kind and start date; payload: the end date, if any. Keyed
    /// `tag ‖ kind ‖ from ‖ code`, so `partners(kind:, asOf:)` scans statuses of that kind
    /// that began on or before the date.
    Status(PartnerKind, Date),
}

impl Facet {
    /// The key prefix shared by every entry of this facet value.
    pub fn prefix(self) -> Vec<u8> {
        match self {
            Facet::Clmv(b) => vec![1, u8::from(b)],
            Facet::Pillar(p) => vec![2, pillar_tag(p)],
            Facet::InitiativeKind(k) => vec![3, initiative_kind_tag(k)],
            Facet::PartnerKind(k) => vec![4, partner_kind_tag(k)],
            Facet::Status(k, from) => {
                let mut key = vec![5, partner_kind_tag(k)];
                key.extend_from_slice(&from.to_key());
                key
            }
        }
    }

    pub fn key(self, code: &str) -> Vec<u8> {
        let mut key = self.prefix();
        push_code(&mut key, code);
        key
    }

    /// The prefix of all statuses of `kind`, whatever their start.
    pub fn status_prefix(kind: PartnerKind) -> Vec<u8> {
        vec![5, partner_kind_tag(kind)]
    }
}

fn pillar_tag(p: Pillar) -> u8 {
    match p {
        Pillar::PoliticalSecurity => 1,
        Pillar::Economic => 2,
        Pillar::SocioCultural => 3,
        Pillar::CrossPillar => 4,
    }
}

fn initiative_kind_tag(k: InitiativeKind) -> u8 {
    use InitiativeKind::*;
    match k {
        Programme => 1,
        Plan => 2,
        WorkPlan => 3,
        StrategicArea => 4,
        ActionLine => 5,
        Project => 6,
        Strategy => 7,
        Declaration => 8,
        Roadmap => 9,
        Vision => 10,
        Report => 11,
        Review => 12,
        Mechanism => 13,
        TermsOfReference => 14,
    }
}

fn partner_kind_tag(k: PartnerKind) -> u8 {
    match k {
        PartnerKind::DialoguePartner => 1,
        PartnerKind::SectoralDialoguePartner => 2,
        PartnerKind::DevelopmentPartner => 3,
        PartnerKind::ExternalOrganization => 4,
    }
}

/// The smallest key greater than every key starting with `prefix` (None: no such key).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_codes_do_not_prefix_match_longer_ones() {
        let sg = edge_prefix(EdgeKind::Funds, &NodeRef::new(NodeKind::Member, "SG"));
        let id = EdgeId {
            kind: EdgeKind::Funds,
            from: NodeRef::new(NodeKind::Member, "SGP"),
            to: NodeRef::new(NodeKind::Initiative, "IAI"),
            year: None,
        };
        assert!(!id.out_key().starts_with(&sg));
    }

    #[test]
    fn edge_keys_decode_in_both_directions() {
        let id = EdgeId {
            kind: EdgeKind::Chairs,
            from: NodeRef::new(NodeKind::Member, "VNM"),
            to: NodeRef::asean(),
            year: Some(2020),
        };
        assert_eq!(EdgeId::decode(&id.out_key(), true), Some(id.clone()));
        assert_eq!(EdgeId::decode(&id.in_key(), false), Some(id));
    }
}
