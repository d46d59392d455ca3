//! `Initiative`: a programme, plan, work plan, strategic area, action line or project.

use super::{
    Body, Claim, Figure, Funding, Meeting, Source, filtered_fundings, filtered_initiatives,
    filtered_meetings, fundings_of_initiatives, meetings_by_date, sources, subtree,
};
use crate::graphql::connection::{Backing, Conn, Window, store};
use crate::graphql::enums::{InitiativeKind, InitiativeStage, Precision};
use crate::graphql::error::GqlResult;
use crate::graphql::filter;
use crate::graphql::order;
use crate::graphql::scalars::Date;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use async_graphql::{Context, ID, Object, Result};

/// An initiative, coded by an upper-case slug (`MPAC-2025`, `IAI`, `IAI-WP4`).
pub struct Initiative(pub model::Initiative);

impl Initiative {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Initiative, self.0.code.as_str())
    }
}

/// An initiative, coded by an upper-case slug (`MPAC-2025`, `IAI`, `IAI-WP4`).
#[Object]
impl Initiative {
    /// Global id, `"Initiative:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// Upper-case slug, e.g. `IAI-WP4`.
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

    /// Other names the sources use (other Vietnamese renderings, abbreviations).
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }

    /// What sort of initiative it is.
    async fn kind(&self) -> InitiativeKind {
        self.0.kind.into()
    }

    /// The first year it covers.
    async fn start_year(&self) -> Option<i32> {
        self.0.start_year.map(i32::from)
    }

    /// The last year it covers, by its label (IAI Work Plan III, "2016–2020": 2020).
    async fn end_year(&self) -> Option<i32> {
        self.0.end_year.map(i32::from)
    }

    /// The day it ended or is to end, where a source gives one; it may fall after
    /// `endYear` (Work Plan III was extended to July 2021). `claims` hold other sources'.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    /// How precisely the sources give `endDate`.
    async fn end_date_precision(&self) -> Precision {
        self.0.end_date_precision.into()
    }

    /// ADOPTED, or PROPOSED for one only proposed in a draft: Work Plan IV's strategic areas
    /// are five adopted and three proposed (`children(filter: { kind: { eq: STRATEGIC_AREA },
    /// stage: { eq: ADOPTED } })` counts the five its figure counts).
    async fn stage(&self) -> InitiativeStage {
        self.0.stage.into()
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The initiative it belongs to (a work plan's programme, an area's plan).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::PartOf, &self.node_ref())
            .gql()?
        {
            None => Ok(None),
            Some(e) => Ok(store.initiative(&e.to.code).gql()?.map(Initiative)),
        }
    }

    /// The initiatives directly under it.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn children(
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
        let listing = store(ctx).list_edges(EdgeKind::PartOf, &self.node_ref(), false);
        filtered_initiatives(
            ctx,
            Backing::Listing(listing),
            false,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// The bodies leading it.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::LedBy), child_complexity)"
    )]
    async fn lead_bodies(&self, ctx: &Context<'_>) -> Result<Vec<Body>> {
        let store = store(ctx);
        let mut out = Vec::new();
        for e in store.edges_out(EdgeKind::LedBy, &self.node_ref()).gql()? {
            out.extend(store.body(&e.to.code).gql()?.map(Body));
        }
        Ok(out)
    }

    /// Fundings of this initiative, by funder; with `includeDescendants`, also of every
    /// initiative below it.
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
            desc = "Also list fundings of every initiative below this one.",
            default = false
        )]
        include_descendants: bool,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Funding>> {
        let mut window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let codes = if include_descendants {
            subtree(store, &self.0.code)?
        } else {
            vec![self.0.code.clone()]
        };
        filtered_fundings(
            ctx,
            fundings_of_initiatives(store, &codes)?,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Meetings that dealt with, approved or recommended it, by date.
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
        let mut edges = store
            .edges_in(EdgeKind::Discussed, &self.node_ref())
            .gql()?;
        edges.extend(store.edges_in(EdgeKind::Approved, &self.node_ref()).gql()?);
        edges.extend(
            store
                .edges_in(EdgeKind::Recommended, &self.node_ref())
                .gql()?,
        );
        let backing = meetings_by_date(store, edges, |e| &e.from)?;
        filtered_meetings(
            ctx,
            backing,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Figures reported about it, each with its source.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Figures, child_complexity)"
    )]
    async fn figures(&self) -> Vec<Figure> {
        self.0.figures.iter().cloned().map(Figure).collect()
    }

    /// Where sources disagree about this initiative, one claim each.
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
