//! `Partner`: an external partner of ASEAN.

use super::{
    Claim, Funding, Meeting, PartnerStatus, Source, filtered_fundings, filtered_meetings,
    meetings_by_date, sources,
};
use crate::graphql::connection::{Backing, Conn, Window, store};
use crate::graphql::enums::{PartnerKind, Precision};
use crate::graphql::error::GqlResult;
use crate::graphql::filter;
use crate::graphql::order;
use crate::graphql::scalars::Date;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use async_graphql::{Context, ID, Object, Result};

/// An external partner: a state (ISO 3166-1 alpha-3, `JPN`) or an organisation (acronym,
/// `EU`, `AIIB`).
pub struct Partner(pub model::Partner);

impl Partner {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Partner, self.0.code.as_str())
    }
}

/// An external partner: a state (ISO 3166-1 alpha-3, `JPN`) or an organisation (acronym,
/// `EU`, `AIIB`).
#[Object]
impl Partner {
    /// Global id, `"Partner:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// ISO 3166-1 alpha-3 code for states, acronym for organisations.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Vietnamese name.
    async fn name_vi(&self) -> Option<&str> {
        self.0.name_vi.as_deref()
    }

    /// The partner's current standing: its latest status, or EXTERNAL_ORGANIZATION if it has
    /// never held one.
    async fn kind(&self) -> PartnerKind {
        self.0.kind().into()
    }

    /// The start of its current status.
    async fn since(&self) -> Option<Date> {
        self.0.current_status().map(|s| Date(s.from))
    }

    /// Where relations with ASEAN began before the partner's first status (China and
    /// Russia, 1991): the first day of the period `relationsSincePrecision` names.
    async fn relations_since(&self) -> Option<Date> {
        self.0.relations_since.map(Date)
    }

    /// How precisely the sources give `relationsSince` (null without one).
    async fn relations_since_precision(&self) -> Option<Precision> {
        self.0
            .relations_since
            .map(|_| self.0.relations_since_precision.into())
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Its status history, oldest first: the United Kingdom, for one, became a full dialogue
    /// partner in August 2021.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Statuses, child_complexity)"
    )]
    async fn statuses(&self) -> Vec<PartnerStatus> {
        let mut s = self.0.statuses.clone();
        s.sort_by_key(|s| s.from);
        s.into_iter().map(PartnerStatus).collect()
    }

    /// Meetings this partner took part in, by date.
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

    /// Fundings this partner gives.
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

    /// Where sources disagree about this partner, one claim each.
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
