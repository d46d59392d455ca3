//! `Body`: an ASEAN organ, council, committee or task force.

use super::{
    Chairmanship, Claim, Initiative, Meeting, Source, common, filtered_initiatives,
    filtered_meetings, meetings_by_date, sources,
};
use crate::graphql::connection::{Backing, Conn, Window, store};
use crate::graphql::enums::Pillar;
use crate::graphql::error::GqlResult;
use crate::graphql::filter;
use crate::graphql::order;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use async_graphql::{Context, ID, Object, Result};

/// An ASEAN body (`ACC`, `ACCC`, `IAI-TF`, `SEOM` …), coded by its usual acronym.
pub struct Body(pub model::Body);

impl Body {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Body, self.0.code.as_str())
    }
}

/// An ASEAN body (`ACC`, `ACCC`, `IAI-TF`, `SEOM` …), coded by its usual acronym.
#[Object]
impl Body {
    /// Global id, `"Body:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// The usual acronym, e.g. `IAI-TF`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Vietnamese name, as the sources write it.
    async fn name_vi(&self) -> Option<&str> {
        self.0.name_vi.as_deref()
    }

    /// The Community pillar it belongs to.
    async fn pillar(&self) -> Option<Pillar> {
        self.0.pillar.map(Into::into)
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The body it reports to.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Body>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::ReportsTo, &self.node_ref())
            .gql()?
        {
            None => Ok(None),
            Some(e) => Ok(store.body(&e.to.code).gql()?.map(Body)),
        }
    }

    /// The bodies reporting to it.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Into(crate::model::EdgeKind::ReportsTo), child_complexity)"
    )]
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Body>> {
        let store = store(ctx);
        let mut out = Vec::new();
        for e in store
            .edges_in(EdgeKind::ReportsTo, &self.node_ref())
            .gql()?
        {
            out.extend(store.body(&e.from.code).gql()?.map(Body));
        }
        Ok(out)
    }

    /// Who chaired it, by year.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Into(crate::model::EdgeKind::Chairs), child_complexity)"
    )]
    async fn chairs(&self, ctx: &Context<'_>) -> Result<Vec<Chairmanship>> {
        common::chairmanships(ctx, &self.node_ref(), false)
    }

    /// Meetings it held, by date.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the meetings that pass these conditions (see MeetingFilter).")]
        filter: Option<filter::MeetingFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::MeetingOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Meeting>> {
        let mut window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let edges = store.edges_in(EdgeKind::HeldBy, &self.node_ref()).gql()?;
        let backing = meetings_by_date(store, edges, |e| &e.from)?;
        filtered_meetings(
            ctx,
            backing,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Meetings of other bodies it took part in, by date.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn attended(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the meetings that pass these conditions (see MeetingFilter).")]
        filter: Option<filter::MeetingFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::MeetingOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Meeting>> {
        let mut window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let edges = store
            .edges_in(EdgeKind::Participant, &self.node_ref())
            .gql()?;
        let backing = meetings_by_date(store, edges, |e| &e.from)?;
        filtered_meetings(
            ctx,
            backing,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Initiatives it leads.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only the initiatives that pass these conditions (see InitiativeFilter)."
        )]
        filter: Option<filter::InitiativeFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::InitiativeOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Initiative>> {
        let mut window = Window::new(first, after, last, before)?;
        let listing = store(ctx).list_edges(EdgeKind::LedBy, &self.node_ref(), false);
        filtered_initiatives(
            ctx,
            Backing::Listing(listing),
            false,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Where sources disagree about this body, one claim each.
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
