//! The secondary-index entries a record or edge implies. Writes remove the entries of the old
//! value and insert those of the new one in the same transaction; `check` recomputes them all
//! and compares.

use super::codec;
use super::keys::{
    EdgeId, Facet, SearchRun, approval_key, date_key, decision_key, push_code, push_ref, search_key,
};
use super::trees::TreeId;
use crate::model::search;
use crate::model::{Edge, EdgeKind, Node, NodeRef};

/// One index entry: which index tree, its key and its value.
pub type Entry = (TreeId, Vec<u8>, Vec<u8>);

/// The search entries of a node: one per word, and one per first word of its texts holding
/// those texts' phrases.
fn search_entries(node: &Node, node_ref: &NodeRef) -> Vec<Entry> {
    let short = search::shortness(node);
    let entry = |run, text: &str, value: Vec<u8>| {
        (
            TreeId::Search,
            search_key(run, text, short, node_ref),
            value,
        )
    };
    let mut out: Vec<Entry> = search::record_words(node)
        .iter()
        .map(|w| entry(SearchRun::Word, w, vec![]))
        .collect();
    let mut phrases: Vec<String> = Vec::new();
    for (_, p) in search::text_phrases(node) {
        if !p.is_empty() && !phrases.contains(&p) {
            phrases.push(p);
        }
    }
    let mut firsts: Vec<&str> = phrases.iter().filter_map(|p| p.split(' ').next()).collect();
    firsts.sort_unstable();
    firsts.dedup();
    for first in firsts {
        let starting: Vec<&str> = phrases
            .iter()
            .filter(|p| p.split(' ').next() == Some(first))
            .map(String::as_str)
            .collect();
        out.push(entry(
            SearchRun::Start,
            first,
            starting.join("\n").into_bytes(),
        ));
    }
    out
}

/// The key of a citation entry for a node: `source ‖ 0 ‖ 1 ‖ ref(node)`.
pub fn node_citation_key(source: &str, node: &crate::model::NodeRef) -> Vec<u8> {
    let mut key = Vec::new();
    push_code(&mut key, source);
    key.push(1);
    push_ref(&mut key, node);
    key
}

/// The key of a citation entry for an edge: `source ‖ 0 ‖ 2 ‖ out-key`.
pub fn edge_citation_key(source: &str, out_key: &[u8]) -> Vec<u8> {
    let mut key = Vec::new();
    push_code(&mut key, source);
    key.push(2);
    key.extend_from_slice(out_key);
    key
}

pub fn node_entries(node: &Node) -> Vec<Entry> {
    let node_ref = node.node_ref();
    let code = node.code();
    let mut out = search_entries(node, &node_ref);
    let mut sources: Vec<&str> = node.cited_sources();
    sources.sort_unstable();
    sources.dedup();
    out.extend(
        sources
            .into_iter()
            .map(|s| (TreeId::Cite, node_citation_key(s, &node_ref), vec![])),
    );
    let facet = |f: Facet| (TreeId::Facet, f.key(code), vec![]);
    match node {
        Node::Member(m) => out.push(facet(Facet::Clmv(m.clmv))),
        Node::Body(b) => out.extend(b.pillar.map(|p| facet(Facet::Pillar(p)))),
        Node::Initiative(i) => out.push(facet(Facet::InitiativeKind(i.kind))),
        Node::Partner(p) => {
            out.push(facet(Facet::PartnerKind(p.kind())));
            // An application grants no kind: `partners(kind:, asOf:)` does not find it.
            for s in p.statuses.iter().filter(|s| s.grants_kind()) {
                let to = s.to.map(|d| d.to_key().to_vec()).unwrap_or_default();
                out.push((TreeId::Facet, Facet::Status(s.kind, s.from).key(code), to));
            }
            let mut meetings: Vec<&str> = p
                .statuses
                .iter()
                .filter_map(|s| s.decided_at.as_deref())
                .collect();
            meetings.sort_unstable();
            meetings.dedup();
            out.extend(
                meetings
                    .into_iter()
                    .map(|m| (TreeId::Facet, decision_key(m, code), vec![])),
            );
        }
        Node::Meeting(m) => out.push((TreeId::Date, date_key(m.start_date, code), vec![])),
        Node::Person(_) | Node::Source(_) => {}
    }
    out
}

/// An edge as stored: its `edge/out` entry (its properties) and the entries it implies.
pub fn edge_writes(edge: &Edge, out_key: &[u8]) -> Vec<Entry> {
    let mut out = vec![(TreeId::Out, out_key.to_vec(), codec::encode(&edge.props))];
    out.extend(edge_entries(edge, out_key));
    out
}

/// The entries an edge implies: its mirror in `edge/in` (with its properties, as
/// `edge/out` holds them), its citations, its approval.
pub fn edge_entries(edge: &Edge, out_key: &[u8]) -> Vec<Entry> {
    let mut sources: Vec<&str> = edge.cited_sources().collect();
    sources.sort_unstable();
    sources.dedup();
    let mut out: Vec<Entry> = vec![(
        TreeId::In,
        EdgeId::of(edge).in_key(),
        codec::encode(&edge.props),
    )];
    out.extend(
        sources
            .into_iter()
            .map(|s| (TreeId::Cite, edge_citation_key(s, out_key), vec![])),
    );
    if edge.kind == EdgeKind::Funds
        && let Some(meeting) = &edge.props.approved_at
    {
        out.push((
            TreeId::Approval,
            approval_key(meeting, &edge.from, &edge.to),
            vec![],
        ));
    }
    out
}
