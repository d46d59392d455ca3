//! The rules a record or an edge obeys within the graph: the one list that a write (over the
//! store as the write would leave it), an import or merge (the same), and `check` (over the
//! store as it is) all apply, so none of them can accept what another refuses. The rules
//! of a value on its own are in `validate`; these add what needs its neighbours.

use super::edge::{Edge, EdgeKind};
use super::id::{NodeKind, NodeRef};
use super::records::Node;
use super::validate::{Violation, find_cycle, validate_edge, validate_node};

/// What kind of rule was broken; clients see it as an error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationClass {
    /// The value breaks a rule of the model.
    Invalid,
    /// A reference to a record that does not exist.
    NotFound,
    /// A duplicate, or a deletion that would leave references behind.
    Conflict,
}

/// One broken rule: its class, where and what, and for a reference the record missing.
#[derive(Clone, Debug, PartialEq)]
pub struct Breach {
    pub class: ViolationClass,
    pub violation: Violation,
    pub missing: Option<NodeRef>,
}

/// What the rules read of the graph around a value: the store as it is, or as a write would
/// leave it.
pub trait Graph {
    type Error;
    /// Whether the record exists (the ASEAN stand-in always does).
    fn has_node(&self, node: &NodeRef) -> Result<bool, Self::Error>;
    /// The edges of `kind` leaving `node` (`outgoing`) or arriving at it.
    fn edges_at(
        &self,
        kind: EdgeKind,
        node: &NodeRef,
        outgoing: bool,
    ) -> Result<Vec<Edge>, Self::Error>;
}

/// Collects breaches.
#[derive(Default)]
struct Found(Vec<Breach>);

impl Found {
    fn add(&mut self, class: ViolationClass, path: &str, message: String) {
        self.0.push(Breach {
            class,
            violation: Violation::new(path, message),
            missing: None,
        });
    }

    fn invalid(&mut self, violations: Vec<Violation>) {
        self.0
            .extend(violations.into_iter().map(|violation| Breach {
                class: ViolationClass::Invalid,
                violation,
                missing: None,
            }));
    }

    fn require<G: Graph>(&mut self, g: &G, path: &str, node: &NodeRef) -> Result<(), G::Error> {
        if !node.is_asean() && !g.has_node(node)? {
            self.0.push(Breach {
                class: ViolationClass::NotFound,
                violation: Violation::new(path, format!("no {} {:?}", node.kind.noun(), node.code)),
                missing: Some(node.clone()),
            });
        }
        Ok(())
    }

    fn sources<'s, G: Graph>(
        &mut self,
        g: &G,
        sources: impl IntoIterator<Item = &'s str>,
    ) -> Result<(), G::Error> {
        for s in sources {
            self.require(g, "sources", &NodeRef::new(NodeKind::Source, s))?;
        }
        Ok(())
    }
}

/// Every rule `node` breaks in `graph`: its own rules, and the sources it cites and the
/// meetings it names exist.
pub fn node_breaches<G: Graph>(node: &Node, graph: &G) -> Result<Vec<Breach>, G::Error> {
    let mut found = Found::default();
    found.invalid(validate_node(node));
    found.sources(graph, node.cited_sources())?;
    for (path, code) in node.named_meetings() {
        found.require(graph, &path, &NodeRef::new(NodeKind::Meeting, code))?;
    }
    Ok(found.0)
}

/// Every rule `edge` breaks in `graph`: its own rules, the records it refers to exist, and
/// the rules across edges — one edge of a single-valued kind, a delegation heads a
/// participant's delegation and is its only head, one chair of a body (or of ASEAN) a year,
/// one person chairing a meeting, a link between meetings one way only, no parent loops.
pub fn edge_breaches<G: Graph>(edge: &Edge, graph: &G) -> Result<Vec<Breach>, G::Error> {
    let mut found = Found::default();
    found.invalid(validate_edge(edge));
    found.require(graph, "", &edge.from)?;
    found.require(graph, "", &edge.to)?;
    found.sources(graph, edge.cited_sources())?;
    if let Some(m) = &edge.props.approved_at {
        found.require(
            graph,
            "approvedAt",
            &NodeRef::new(NodeKind::Meeting, m.as_str()),
        )?;
    }
    single_valued(edge, graph, &mut found)?;
    delegation(edge, graph, &mut found)?;
    one_chair_a_year(edge, graph, &mut found)?;
    one_person_presiding(edge, graph, &mut found)?;
    one_way_between_meetings(edge, graph, &mut found)?;
    no_parent_loop(edge, graph, &mut found)?;
    Ok(found.0)
}

/// A node has at most one parent, one body, one chair, one member represented.
fn single_valued<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    if e.kind.single_valued() {
        let others = g.edges_at(e.kind, &e.from, true)?;
        if let Some(other) = others.iter().find(|o| o.to != e.to) {
            found.add(
                ViolationClass::Conflict,
                "",
                format!(
                    "{} has more than one {} edge (also → {})",
                    e.from,
                    e.kind.name(),
                    other.to
                ),
            );
        }
    }
    Ok(())
}

/// A delegation is of a party taking part in the meeting, and a party's delegation to a
/// meeting has one head (the interchange format holds one).
fn delegation<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    let (EdgeKind::Delegation, Some(party)) = (e.kind, &e.props.party) else {
        return Ok(());
    };
    let participants = g.edges_at(EdgeKind::Participant, &e.to, true)?;
    if !participants.iter().any(|p| &p.to == party) {
        found.add(
            ViolationClass::Invalid,
            "party",
            format!("{party} is not a participant of {}", e.to),
        );
    }
    let heads = g.edges_at(EdgeKind::Delegation, &e.to, false)?;
    if let Some(other) = heads
        .iter()
        .find(|h| h.from != e.from && h.props.party.as_ref() == Some(party))
    {
        found.add(
            ViolationClass::Conflict,
            "party",
            format!(
                "{party}'s delegation to {} already has a head: {}",
                e.to, other.from
            ),
        );
    }
    Ok(())
}

/// A body (or ASEAN itself) has one chair a year.
fn one_chair_a_year<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    if e.kind != EdgeKind::Chairs {
        return Ok(());
    }
    let chairs = g.edges_at(EdgeKind::Chairs, &e.to, false)?;
    if let (Some(other), Some(year)) = (
        chairs.iter().find(|c| c.year == e.year && c.from != e.from),
        e.year,
    ) {
        found.add(
            ViolationClass::Conflict,
            "",
            format!(
                "a second chair of {} in {year}: {} already chairs it",
                e.to, other.from
            ),
        );
    }
    Ok(())
}

/// A meeting has one person in the chair.
fn one_person_presiding<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    if e.kind != EdgeKind::Presided {
        return Ok(());
    }
    let chairs = g.edges_at(EdgeKind::Presided, &e.to, false)?;
    if let Some(other) = chairs.iter().find(|c| c.from != e.from) {
        found.add(
            ViolationClass::Conflict,
            "",
            format!("{} already has a person in the chair: {}", e.to, other.from),
        );
    }
    Ok(())
}

/// Two meetings are linked one way: a meeting does not report to (prepare, be reported at)
/// a meeting that reports to it.
fn one_way_between_meetings<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    if !EdgeKind::MEETING_LINKS.contains(&e.kind) {
        return Ok(());
    }
    if g.edges_at(e.kind, &e.to, true)?
        .iter()
        .any(|back| back.to == e.from)
    {
        found.add(
            ViolationClass::Invalid,
            "",
            format!(
                "{} → {} would make a {} link both ways",
                e.from,
                e.to,
                e.kind.name()
            ),
        );
    }
    Ok(())
}

/// Following parents (`reportsTo`, `partOf`) never comes back.
fn no_parent_loop<G: Graph>(e: &Edge, g: &G, found: &mut Found) -> Result<(), G::Error> {
    if !matches!(e.kind, EdgeKind::ReportsTo | EdgeKind::PartOf) {
        return Ok(());
    }
    let mut failed = None;
    let cycle = find_cycle(&e.from.code, |code| {
        let node = NodeRef::new(e.from.kind, code);
        match g.edges_at(e.kind, &node, true) {
            Ok(parents) => parents.into_iter().next().map(|p| p.to.code),
            Err(err) => {
                failed.get_or_insert(err);
                None
            }
        }
    });
    if let Some(err) = failed {
        return Err(err);
    }
    if let Some(cycle) = cycle {
        found.add(
            ViolationClass::Invalid,
            "",
            format!("parent cycle: {}", cycle.join(" → ")),
        );
    }
    Ok(())
}
