//! `Person`: someone the sources name in a role.

use super::{Claim, Delegation, Meeting, Member, Party, Source, load, sources};
use crate::graphql::connection::store;
use crate::graphql::error::GqlResult;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use async_graphql::{Context, ID, Object, Result};

/// A person the sources name: an ambassador, a minister, an official.
pub struct Person(pub model::Person);

impl Person {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Person, self.0.code.as_str())
    }

    /// The meetings at the far end of the person's `kind` edges, by date.
    fn meetings(&self, ctx: &Context<'_>, kind: EdgeKind) -> Result<Vec<Meeting>> {
        let store = store(ctx);
        let mut out = Vec::new();
        for e in store.edges_out(kind, &self.node_ref()).gql()? {
            out.extend(store.meeting(&e.to.code).gql()?);
        }
        out.sort_by(|a, b| (a.start_date, &a.code).cmp(&(b.start_date, &b.code)));
        Ok(out.into_iter().map(Meeting).collect())
    }
}

/// A person the sources name: an ambassador, a minister, an official.
#[Object]
impl Person {
    /// Global id, `"Person:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// Upper-case slug of the name, e.g. `NGUYEN-HAI-BANG`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name in Latin letters without diacritics.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Name as Vietnamese sources write it.
    async fn name_vi(&self) -> Option<&str> {
        self.0.name_vi.as_deref()
    }

    /// Title or role as the sources give it.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The member state the person represents (null for someone representing a body: see
    /// `representing`).
    async fn represents(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::Represents, &self.node_ref())
            .gql()?
        {
            Some(e) if e.to.kind == NodeKind::Member => {
                Ok(store.member(&e.to.code).gql()?.map(Member))
            }
            _ => Ok(None),
        }
    }

    /// Whom the person represents: a member state, or a body (a Secretary-General represents
    /// the ASEAN Secretariat).
    async fn representing(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::Represents, &self.node_ref())
            .gql()?
        {
            Some(e) => Ok(load(store, &e.to)?.and_then(Party::from_node)),
            None => Ok(None),
        }
    }

    /// The meetings at which the person spoke, by date.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::SpokeAt), child_complexity)"
    )]
    async fn spoke_at(&self, ctx: &Context<'_>) -> Result<Vec<Meeting>> {
        self.meetings(ctx, EdgeKind::SpokeAt)
    }

    /// The meetings the person chaired, by date.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::Presided), child_complexity)"
    )]
    async fn presided(&self, ctx: &Context<'_>) -> Result<Vec<Meeting>> {
        self.meetings(ctx, EdgeKind::Presided)
    }

    /// The delegations the person headed, one per meeting.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::Delegation), child_complexity)"
    )]
    async fn delegations(&self, ctx: &Context<'_>) -> Result<Vec<Delegation>> {
        let edges = store(ctx)
            .edges_out(EdgeKind::Delegation, &self.node_ref())
            .gql()?;
        Ok(edges.into_iter().map(Delegation).collect())
    }

    /// Where sources disagree about this person, one claim each (e.g. a title).
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Claims, child_complexity)"
    )]
    async fn claims(&self) -> Vec<Claim> {
        super::claims(&self.0.claims)
    }

    /// The sources for this record.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Sources, child_complexity)"
    )]
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        sources(ctx, &self.0.sources)
    }
}
