//! Relationships as values with their provenance: `Relationship` (any edge of the graph),
//! `MeetingLink` (one meeting's link to another) and `Support` (one thing a source
//! supports: a record, or a relationship).

use super::{Claim, Meeting, Node, Source, load, sources};
use crate::graphql::connection::store;
use crate::graphql::enums::{MeetingLinkKind, RelationshipKind};
use crate::graphql::error::GqlResult;
use crate::model::{self, Edge, NodeRef};
use async_graphql::{Context, Object, Result};

/// Any relationship of the graph (a lead body, a participant, a parent, a funding …) with
/// the sources it rests on.
pub struct Relationship(pub Edge);

/// Any relationship of the graph (a lead body, a participant, a parent, a funding …) with
/// the sources it rests on.
/// A value: it has no id of its own; it is named by its kind and its two ends.
#[Object]
impl Relationship {
    /// Which relationship.
    async fn kind(&self) -> RelationshipKind {
        self.0.kind.into()
    }

    /// The record it starts at (the initiative of a LED_BY link, the meeting of a
    /// PARTICIPANT link, the funder of a FUNDS link).
    async fn from(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        Ok(load(store(ctx), &self.0.from)?.map(Node::from))
    }

    /// The record it points to; null for a chairmanship of ASEAN itself.
    async fn to(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        if self.0.to.is_asean() {
            return Ok(None);
        }
        Ok(load(store(ctx), &self.0.to)?.map(Node::from))
    }

    /// A chairmanship's year.
    async fn year(&self) -> Option<i32> {
        self.0.year.map(i32::from)
    }

    /// A participant's role at the meeting, where known.
    async fn role(&self) -> Option<&str> {
        self.0.props.role.as_deref()
    }

    /// A remark on the relationship, in our words.
    async fn note(&self) -> Option<&str> {
        self.0.props.note.as_deref()
    }

    /// Whether it rests on some source other than general knowledge (false: general
    /// knowledge alone, unverified).
    async fn verified(&self) -> bool {
        self.0.verified()
    }

    /// Where sources disagree about it, one claim each.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Claims, child_complexity)"
    )]
    async fn claims(&self) -> Vec<Claim> {
        super::claims(&self.0.props.claims)
    }

    /// The sources that report it.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.props.sources)
    }
}

/// A link between two meetings: one reports to, prepares, or had its results reported at
/// the other.
pub struct MeetingLink {
    pub kind: MeetingLinkKind,
    pub edge: Edge,
}

/// A link between two meetings: one reports to, prepares, or had its results reported at
/// the other.
/// A value: it has no id of its own and shows from both its meetings.
#[Object]
impl MeetingLink {
    /// How `from` is linked to `to`.
    async fn kind(&self) -> MeetingLinkKind {
        self.kind
    }

    /// The meeting that reports, prepares, or was reported on.
    async fn from(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        Ok(store(ctx).meeting(&self.edge.from.code).gql()?.map(Meeting))
    }

    /// The meeting reported to, prepared, or at which the results were reported.
    async fn to(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        Ok(store(ctx).meeting(&self.edge.to.code).gql()?.map(Meeting))
    }

    /// A remark on the link, in our words.
    async fn note(&self) -> Option<&str> {
        self.edge.props.note.as_deref()
    }

    /// Whether it rests on some source other than general knowledge.
    async fn verified(&self) -> bool {
        self.edge.verified()
    }

    /// The sources that report the link.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.edge.props.sources)
    }
}

/// One thing a source supports: a record (and which of its parts cite the source), or a
/// relationship.
pub struct Support {
    pub source: String,
    pub cited_by: Cited,
}

/// What cites a source.
pub enum Cited {
    Record(NodeRef),
    Relationship(Box<Edge>),
}

/// One thing a source supports: a record (and which of its parts cite the source), or a
/// relationship.
/// A value: it has no id of its own.
#[Object]
impl Support {
    /// The record that cites the source; null when a relationship does.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        match &self.cited_by {
            Cited::Record(node) => Ok(load(store(ctx), node)?.map(Node::from)),
            Cited::Relationship(_) => Ok(None),
        }
    }

    /// The relationship that cites the source; null when a record does.
    async fn relationship(&self) -> Option<Relationship> {
        match &self.cited_by {
            Cited::Relationship(e) => Some(Relationship(e.as_ref().clone())),
            Cited::Record(_) => None,
        }
    }

    /// Where the source is cited: `sources` (the record or relationship as a whole),
    /// `figures: <label>`, `statuses: <kind> from <date>`, `claims: <field>`.
    async fn fields(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let source = self.source.as_str();
        Ok(match &self.cited_by {
            Cited::Record(node) => load(store(ctx), node)?
                .map(|n| cited_parts(&n, source))
                .unwrap_or_default(),
            Cited::Relationship(e) => {
                let mut parts = Vec::new();
                if e.props.sources.iter().any(|s| s == source) {
                    parts.push("sources".to_owned());
                }
                parts.extend(claimed(&e.props.claims, source));
                parts
            }
        })
    }
}

/// The parts of `node` that cite `source`.
fn cited_parts(node: &model::Node, source: &str) -> Vec<String> {
    let mut parts = Vec::new();
    if node.sources().iter().any(|s| s == source) {
        parts.push("sources".to_owned());
    }
    parts.extend(
        node.figures()
            .iter()
            .filter(|f| f.source == source)
            .map(|f| format!("figures: {}", f.label)),
    );
    if let model::Node::Partner(p) = node {
        parts.extend(
            p.statuses
                .iter()
                .filter(|s| s.sources.iter().any(|c| c == source))
                .map(|s| format!("statuses: {} from {}", model::api_name(&s.kind), s.from)),
        );
    }
    parts.extend(claimed(node.claims(), source));
    parts
}

fn claimed<'c>(claims: &'c [model::Claim], source: &'c str) -> impl Iterator<Item = String> + 'c {
    claims
        .iter()
        .filter(move |c| c.source == source)
        .map(|c| format!("claims: {}", c.field))
}
