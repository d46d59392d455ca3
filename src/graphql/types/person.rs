//! `Person`: someone the sources name in a role.

use super::{Claim, Delegation, Member, Source, sources};
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

    /// The member state the person represents.
    async fn represents(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::Represents, &self.node_ref())
            .gql()?
        {
            None => Ok(None),
            Some(e) => Ok(store.member(&e.to.code).gql()?.map(Member)),
        }
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
