//! Value types: fundings, chairmanships, participations, delegations, statuses, figures,
//! claims.

use super::{
    Body, Fundable, Funder, Meeting, Member, Party, Person, Source, load, load_as, sources,
};
use crate::graphql::connection::store;
use crate::graphql::enums::{PartnerKind, Precision, Qualifier, StatusStage};
use crate::graphql::error::GqlResult;
use crate::graphql::integers::served;
use crate::graphql::scalars::Date;
use crate::model::{self, Edge, NodeRef};
use async_graphql::{Context, Object, Result};

/// Money or projects that a member state or partner gives to an initiative or a meeting,
/// and the meeting that approved it.
pub struct Funding(pub Edge);

/// Money or projects that a member state or partner gives to an initiative or a meeting,
/// and the meeting that approved it.
/// A value: it has no id of its own, and shows from both its ends.
#[Object]
impl Funding {
    /// Who gives the funding: a member state or a partner.
    async fn funder(&self, ctx: &Context<'_>) -> Result<Option<Funder>> {
        Ok(load(store(ctx), &self.0.from)?.and_then(Funder::from_node))
    }

    /// What is funded: an initiative (project, work plan …) or a meeting.
    async fn target(&self, ctx: &Context<'_>) -> Result<Option<Fundable>> {
        Ok(load(store(ctx), &self.0.to)?.and_then(Fundable::from_node))
    }

    /// Amount in US dollars, where a source gives one.
    async fn amount_usd(&self) -> Option<f64> {
        self.0.props.amount_usd
    }

    /// Number of projects funded, where a source gives one.
    async fn project_count(&self) -> Result<Option<i32>> {
        self.0
            .props
            .project_count
            .map(|n| served("Funding.projectCount", n))
            .transpose()
    }

    /// The meeting that approved the funding.
    async fn approved_at(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        match &self.0.props.approved_at {
            None => Ok(None),
            Some(code) => Ok(store(ctx).meeting(code).gql()?.map(Meeting)),
        }
    }

    /// A remark on the funding, in our words.
    async fn note(&self) -> Option<&str> {
        self.0.props.note.as_deref()
    }

    /// The sources that report the funding.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.props.sources)
    }

    /// Whether it rests on some source other than general knowledge.
    async fn verified(&self) -> bool {
        self.0.verified()
    }
}

/// A member state chairing a body, or ASEAN itself, for a year.
pub struct Chairmanship(pub Edge);

/// A member state chairing a body, or ASEAN itself, for a year.
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl Chairmanship {
    /// The body chaired; null when this is the Chair of ASEAN itself.
    async fn body(&self, ctx: &Context<'_>) -> Result<Option<Body>> {
        if self.0.to.is_asean() {
            return Ok(None);
        }
        load_as(store(ctx), &self.0.to, |n| match n {
            model::Node::Body(b) => Some(Body(b)),
            _ => None,
        })
    }

    /// The member state in the chair.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(store(ctx).member(&self.0.from.code).gql()?.map(Member))
    }

    /// The year of the chairmanship.
    async fn year(&self) -> i32 {
        self.0.year.map_or(0, i32::from)
    }

    /// Where sources disagree about this chairmanship, one claim each.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Claims, child_complexity)"
    )]
    async fn claims(&self) -> Vec<Claim> {
        super::claims(&self.0.props.claims)
    }

    /// Whether it rests on some source other than general knowledge.
    async fn verified(&self) -> bool {
        self.0.verified()
    }

    /// The sources that report the chairmanship.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.props.sources)
    }
}

/// A party taking part in a meeting.
pub struct Participation(pub Edge);

/// A party taking part in a meeting.
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl Participation {
    /// The member state, partner or body taking part.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        Ok(load(store(ctx), &self.0.to)?.and_then(Party::from_node))
    }

    /// The meeting.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        Ok(store(ctx).meeting(&self.0.from.code).gql()?.map(Meeting))
    }

    /// The party's role at the meeting (`chair`, `participant`, `observer` …), where known.
    async fn role(&self) -> Option<&str> {
        self.0.props.role.as_deref()
    }

    /// A remark on the party's part, in our words (what its representative said).
    async fn note(&self) -> Option<&str> {
        self.0.props.note.as_deref()
    }

    /// The person who headed the party's delegation, where known.
    async fn head_of_delegation(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let store = store(ctx);
        let meeting = &self.0.from;
        for d in store.edges_in(model::EdgeKind::Delegation, meeting).gql()? {
            if d.props.party.as_ref() == Some(&self.0.to) {
                return Ok(store.person(&d.from.code).gql()?.map(Person));
            }
        }
        Ok(None)
    }

    /// Whether it rests on some source other than general knowledge.
    async fn verified(&self) -> bool {
        self.0.verified()
    }

    /// The sources that report the participation.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.props.sources)
    }
}

/// A person heading a party's delegation at a meeting.
pub struct Delegation(pub Edge);

/// A person heading a party's delegation at a meeting.
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl Delegation {
    /// The meeting.
    async fn meeting(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        Ok(store(ctx).meeting(&self.0.to.code).gql()?.map(Meeting))
    }

    /// The party whose delegation the person headed.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        match &self.0.props.party {
            None => Ok(None),
            Some(p) => Ok(load(store(ctx), p)?.and_then(Party::from_node)),
        }
    }

    /// Whether it rests on some source other than general knowledge.
    async fn verified(&self) -> bool {
        self.0.verified()
    }

    /// The sources that report the delegation.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.props.sources)
    }
}

/// A partner's status (dialogue partner, sectoral dialogue partner …) over a period.
pub struct PartnerStatus(pub model::PartnerStatus);

/// A partner's status (dialogue partner, sectoral dialogue partner …) over a period.
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl PartnerStatus {
    /// The status held (or, at stage APPLIED, asked for).
    async fn kind(&self) -> PartnerKind {
        self.0.kind.into()
    }

    /// How far it had gone: applied for, decided by ASEAN, or conferred.
    async fn stage(&self) -> StatusStage {
        self.0.stage.into()
    }

    /// The first day it held.
    async fn from(&self) -> Date {
        self.0.from.into()
    }

    /// How precisely the sources give `from`.
    async fn from_precision(&self) -> Precision {
        self.0.from_precision.into()
    }

    /// The last day it held; null while it still holds.
    async fn to(&self) -> Option<Date> {
        self.0.to.map(Date)
    }

    /// The meeting at which it was decided or conferred, where a source names it (the
    /// United Kingdom's and the UAE's at the 54th AMM).
    async fn decided_at(&self, ctx: &Context<'_>) -> Result<Option<Meeting>> {
        match &self.0.decided_at {
            None => Ok(None),
            Some(code) => Ok(store(ctx).meeting(code).gql()?.map(Meeting)),
        }
    }

    /// A remark on the status, in our words.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The sources that report the status.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.sources)
    }
}

/// A figure reported about an initiative or a meeting, e.g. "action lines implemented: 22".
pub struct Figure(pub model::Figure);

/// A figure reported about an initiative or a meeting, e.g. "action lines implemented: 22".
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl Figure {
    /// What the figure counts or measures.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The value, as the source gives it.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// How the source qualifies the value ("nearly" USD 31 million); null for a value given
    /// plainly.
    async fn qualifier(&self) -> Option<Qualifier> {
        self.0.qualifier.map(Into::into)
    }

    /// Its unit (`USD`, `%`, `projects` …), if any.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// The date the figure describes.
    async fn as_of(&self) -> Option<Date> {
        self.0.as_of.map(Date)
    }

    /// A remark on the figure, in our words.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The source that reports the figure.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(store(ctx).source(&self.0.source).gql()?.map(Source))
    }
}

/// One source's value for a field where sources disagree.
pub struct Claim(pub model::Claim);

/// One source's value for a field where sources disagree.
/// A value: it has no id of its own and belongs to the record that lists it.
#[Object]
impl Claim {
    /// The field the claim is about (e.g. `endDate`).
    async fn field(&self) -> &str {
        &self.0.field
    }

    /// The value this source gives.
    async fn value(&self) -> &str {
        &self.0.value
    }

    /// A remark on the claim, in our words.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The source making the claim.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(store(ctx).source(&self.0.source).gql()?.map(Source))
    }
}

/// The chairmanships held by a member (`outgoing`) or of a body, by year.
pub(crate) fn chairmanships(
    ctx: &Context<'_>,
    node: &NodeRef,
    outgoing: bool,
) -> Result<Vec<Chairmanship>> {
    let store = store(ctx);
    let mut edges = if outgoing {
        store.edges_out(model::EdgeKind::Chairs, node).gql()?
    } else {
        store.edges_in(model::EdgeKind::Chairs, node).gql()?
    };
    edges.sort_by_key(|e| (e.year, e.to.code.clone()));
    Ok(edges.into_iter().map(Chairmanship).collect())
}
