//! `Member`: an ASEAN member state.

use super::{
    Chairmanship, Claim, Funding, Meeting, Person, Source, common, filtered_fundings,
    filtered_meetings, meetings_by_date, sources,
};
use crate::graphql::connection::{Backing, Conn, Window, store};
use crate::graphql::error::GqlResult;
use crate::graphql::filter;
use crate::graphql::order;
use crate::graphql::scalars::Date;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use async_graphql::{Context, ID, Object, Result};

/// An ASEAN member state, coded by ISO 3166-1 alpha-3 (`VNM`, `SGP`).
pub struct Member(pub model::Member);

impl Member {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Member, self.0.code.as_str())
    }
}

/// An ASEAN member state, coded by ISO 3166-1 alpha-3 (`VNM`, `SGP`).
#[Object]
impl Member {
    /// Global id, `"Member:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// ISO 3166-1 alpha-3 code, e.g. `VNM`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English name, e.g. "Viet Nam".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Vietnamese name, e.g. "Việt Nam".
    async fn name_vi(&self) -> Option<&str> {
        self.0.name_vi.as_deref()
    }

    /// The day the state joined ASEAN.
    async fn joined_on(&self) -> Option<Date> {
        self.0.joined_on.map(Date)
    }

    /// Whether the state is one of the CLMV countries (Cambodia, Lao PDR, Myanmar, Viet Nam).
    async fn clmv(&self) -> bool {
        self.0.clmv
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The bodies (or ASEAN itself) this state chaired, by year.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::Chairs), child_complexity)"
    )]
    async fn chairmanships(&self, ctx: &Context<'_>) -> Result<Vec<Chairmanship>> {
        common::chairmanships(ctx, &self.node_ref(), true)
    }

    /// Meetings this state took part in, by date.
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

    /// Fundings this state gives.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn fundings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the fundings that pass these conditions (see FundingFilter).")]
        filter: Option<filter::FundingFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::FundingOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Funding>> {
        let mut window = Window::new(first, after, last, before)?;
        let listing = store(ctx).list_edges(EdgeKind::Funds, &self.node_ref(), true);
        filtered_fundings(
            ctx,
            Backing::Listing(listing),
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// People who represent this state (ambassadors, ministers …).
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Into(crate::model::EdgeKind::Represents), child_complexity)"
    )]
    async fn people(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let store = store(ctx);
        let mut out = Vec::new();
        for e in store
            .edges_in(EdgeKind::Represents, &self.node_ref())
            .gql()?
        {
            out.extend(store.person(&e.from.code).gql()?.map(Person));
        }
        Ok(out)
    }

    /// Where sources disagree about this state, one claim each.
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
