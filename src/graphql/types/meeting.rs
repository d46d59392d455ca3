//! `Meeting`: a meeting, workshop, consultation or summit.

use super::{
    Body, Claim, Figure, Funding, Initiative, MeetingLink, Member, Participation, Person, Source,
    filtered_fundings, filtered_initiatives, funding_key, sources,
};
use crate::graphql::connection::{Backing, Conn, Window, store};
use crate::graphql::enums::{MeetingFormat, MeetingLinkKind, MeetingStatus, Precision};
use crate::graphql::error::GqlResult;
use crate::graphql::filter;
use crate::graphql::integers::served;
use crate::graphql::order;
use crate::graphql::scalars::Date;
use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use crate::store::Item;
use async_graphql::{Context, ID, Object, Result};

/// A meeting, coded by body and number (`IAI-TF-63`) or body, year and number
/// (`ACCC-2021-3`).
pub struct Meeting(pub model::Meeting);

impl Meeting {
    fn node_ref(&self) -> NodeRef {
        NodeRef::new(NodeKind::Meeting, self.0.code.as_str())
    }

    /// The initiatives its edges of `kind` point to, as a filtered, ordered page.
    fn initiatives_by(
        &self,
        ctx: &Context<'_>,
        kind: EdgeKind,
        filter: Option<filter::InitiativeFilter>,
        order_by: Option<Vec<order::InitiativeOrder>>,
        mut window: Window,
    ) -> Result<Conn<Initiative>> {
        let listing = store(ctx).list_edges(kind, &self.node_ref(), true);
        filtered_initiatives(
            ctx,
            Backing::Listing(listing),
            true,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// The latest day any of its sources speaks as of (see [`model::Source::dated`]).
    fn latest_source_date(&self, ctx: &Context<'_>) -> Result<Option<model::Date>> {
        let store = store(ctx);
        let mut latest = None;
        for code in &self.0.sources {
            if let Some(s) = store.source(code).gql()? {
                latest = latest.max(s.dated());
            }
        }
        Ok(latest)
    }
}

/// A meeting, coded by body and number (`IAI-TF-63`) or body, year and number
/// (`ACCC-2021-3`).
#[Object]
impl Meeting {
    /// Global id, `"Meeting:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(self.node_ref().id())
    }

    /// The meeting's code, e.g. `IAI-TF-63`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// English title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Vietnamese title, as the sources write it.
    async fn title_vi(&self) -> Option<&str> {
        self.0.title_vi.as_deref()
    }

    /// The body that held it.
    async fn body(&self, ctx: &Context<'_>) -> Result<Option<Body>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::HeldBy, &self.node_ref())
            .gql()?
        {
            None => Ok(None),
            Some(e) => Ok(store.body(&e.to.code).gql()?.map(Body)),
        }
    }

    /// Its place in the series its title names: the body's series (63 for the 63rd IAI Task
    /// Force meeting, 38 for the 38th ASEAN Summit), or the year's where the title counts
    /// within a year (3 for the 3rd ACCC meeting of 2021).
    async fn number(&self) -> Result<Option<i32>> {
        self.0
            .number
            .map(|n| served("Meeting.number", n))
            .transpose()
    }

    /// The (first) day it was held.
    async fn start_date(&self) -> Date {
        self.0.start_date.into()
    }

    /// The last day, for meetings of more than one day.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    /// How precisely the sources give the dates.
    async fn date_precision(&self) -> Precision {
        self.0.date_precision.into()
    }

    /// In person, online or both.
    async fn format(&self) -> Option<MeetingFormat> {
        self.0.format.map(Into::into)
    }

    /// Where it was held, for meetings in person.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// A short description, in our words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The names of its list fields (`participants`, `recommended`, `prepares` …) that its
    /// sources leave open ("…"): a count over one of those is a lower bound.
    async fn open_lists(&self) -> &[String] {
        &self.0.open_lists
    }

    /// Figures reported about it (delegates, summits, documents), each with its source.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Figures, child_complexity)"
    )]
    async fn figures(&self) -> Vec<Figure> {
        self.0.figures.iter().cloned().map(Figure).collect()
    }

    /// HELD if its latest dated source speaks as of its last day or later (a report of it),
    /// PLANNED if earlier (an announcement); null when none of its sources has a date.
    async fn status(&self, ctx: &Context<'_>) -> Result<Option<MeetingStatus>> {
        Ok(self
            .latest_source_date(ctx)?
            .map(|d| self.0.status_as_of(d).into()))
    }

    /// The day its latest dated source speaks as of (its publication date, or its `asOf`):
    /// the day `status` holds as of.
    async fn status_as_of(&self, ctx: &Context<'_>) -> Result<Option<Date>> {
        Ok(self.latest_source_date(ctx)?.map(Date))
    }

    /// The person in the chair, where the sources name one.
    async fn presided_by(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let store = store(ctx);
        match store
            .edges_in(EdgeKind::Presided, &self.node_ref())
            .gql()?
            .into_iter()
            .next()
        {
            None => Ok(None),
            Some(e) => Ok(store.person(&e.from.code).gql()?.map(Person)),
        }
    }

    /// The people who spoke at it, where the sources report what they said.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Into(crate::model::EdgeKind::SpokeAt), child_complexity)"
    )]
    async fn speakers(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let store = store(ctx);
        let mut out = Vec::new();
        for e in store.edges_in(EdgeKind::SpokeAt, &self.node_ref()).gql()? {
            out.extend(store.person(&e.from.code).gql()?.map(Person));
        }
        Ok(out)
    }

    /// Its links to other meetings, both ways: meetings it reports to, prepares or was
    /// reported at, and meetings that report to it, prepare it or were reported at it.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::MEETING_LINKS, child_complexity)"
    )]
    async fn meeting_links(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only links of this kind.")] kind: Option<MeetingLinkKind>,
    ) -> Result<Vec<MeetingLink>> {
        let store = store(ctx);
        let r = self.node_ref();
        let kinds = kind.map_or(MeetingLinkKind::ALL.to_vec(), |k| vec![k]);
        let mut out = Vec::new();
        for kind in kinds {
            let outgoing = store.edges_out(kind.edge_kind(), &r).gql()?;
            let incoming = store.edges_in(kind.edge_kind(), &r).gql()?;
            out.extend(
                outgoing
                    .into_iter()
                    .chain(incoming)
                    .map(|edge| MeetingLink { kind, edge }),
            );
        }
        Ok(out)
    }

    /// The member state that chaired it.
    async fn chair(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        let store = store(ctx);
        match store
            .edge_out_one(EdgeKind::ChairedBy, &self.node_ref())
            .gql()?
        {
            None => Ok(None),
            Some(e) => Ok(store.member(&e.to.code).gql()?.map(Member)),
        }
    }

    /// The parties that took part, with their roles and heads of delegation.
    #[graphql(
        complexity = "crate::graphql::fanout::cost(crate::graphql::fanout::List::Out(crate::model::EdgeKind::Participant), child_complexity)"
    )]
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<Participation>> {
        let edges = store(ctx)
            .edges_out(EdgeKind::Participant, &self.node_ref())
            .gql()?;
        Ok(edges.into_iter().map(Participation).collect())
    }

    /// Initiatives it dealt with.
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
        let window = Window::new(first, after, last, before)?;
        self.initiatives_by(ctx, EdgeKind::Discussed, filter, order_by, window)
    }

    /// Initiatives it approved or adopted.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn approved(
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
        let window = Window::new(first, after, last, before)?;
        self.initiatives_by(ctx, EdgeKind::Approved, filter, order_by, window)
    }

    /// Initiatives it recommended for adoption (by a later meeting): not adopted by it.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn recommended(
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
        let window = Window::new(first, after, last, before)?;
        self.initiatives_by(ctx, EdgeKind::Recommended, filter, order_by, window)
    }

    /// Fundings whose target is this meeting (who paid for it).
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
        let listing = store(ctx).list_edges(EdgeKind::Funds, &self.node_ref(), false);
        filtered_fundings(
            ctx,
            Backing::Listing(listing),
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Fundings this meeting approved.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn approved_fundings(
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
        let edges = store(ctx).fundings_approved_at(&self.0.code).gql()?;
        crate::graphql::filter::reads(ctx)
            .spend(
                u64::try_from(edges.len()).unwrap_or(u64::MAX),
                "approvedFundings",
            )
            .gql()?;
        let items = edges
            .into_iter()
            .map(|e| (funding_key(&e), Item::Edge(e)))
            .collect();
        filtered_fundings(
            ctx,
            Backing::items(items),
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Where sources disagree about this meeting, one claim each.
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
