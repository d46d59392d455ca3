//! The root query.

// One Rust argument per GraphQL argument: list fields with filters and paging take many.
#![allow(clippy::too_many_arguments)]

use super::codes::{code_arg, existing};
use super::connection::{Backing, Conn, Window, connection, store};
use super::enums::{FunderKind, InitiativeKind, PartnerKind, Pillar};
use super::error::{GqlResult, NOT_FOUND, bad_input};
use super::filter::{self, Of, ToFilter};
use super::order::{self, OrderKey};
use super::scalars::Date;
use super::types::{
    Body, Chairmanship, Funding, Initiative, Meeting, Member, Node, Partner, Person, Source,
    filtered_fundings, filtered_initiatives, filtered_meetings, fundings_of_initiatives,
    meetings_by_date, narrowed, subtree,
};
use super::{history, search};

use crate::model::{self, EdgeKind, NodeKind, NodeRef};
use crate::store::{Item, Store};
use async_graphql::{Context, ID, Object, Result};

/// The root query: look records up by code or global id, list them with filters, search.
#[derive(Default)]
pub struct RecordQuery;

/// The record a global id names, null if there is none: the one read behind `node(id:)`
/// and the federation's `_entities` by `id`. A malformed id is a BAD_USER_INPUT error that
/// names `arg`.
pub(crate) fn node_by_id(store: &Store, arg: &str, id: &str) -> Result<Option<Node>> {
    if let Some(seq) = history::change_seq(arg, id)? {
        return Ok(history::change(store, seq)?.map(Node::Change));
    }
    let r = NodeRef::parse(id).map_err(|e| bad_input(format!("{arg}: {e}")))?;
    Ok(store.get(&r).gql()?.map(Node::from))
}

/// The record of `kind` a code names (case-insensitive), null if there is none: for the
/// federation's `_entities` by `code`, the same read as `member(code:)`, `partner(code:)` …
/// make (the store's record of that kind under the canonical code). A malformed code is a
/// BAD_USER_INPUT error that names `arg`.
pub(crate) fn node_by_code(
    store: &Store,
    kind: NodeKind,
    arg: &str,
    code: &str,
) -> Result<Option<Node>> {
    let r = NodeRef::new(kind, code_arg(arg, code)?);
    Ok(store.get(&r).gql()?.map(Node::from))
}

/// A page of the records of `listing` narrowed by `filter:` and `orderBy:`, each made a
/// node by `pick`.
fn listed_page<F: ToFilter, O: OrderKey, N: async_graphql::OutputType>(
    ctx: &Context<'_>,
    listing: crate::store::Listing,
    filter: Option<&F>,
    order_by: Option<&[O]>,
    mut window: Window,
    pick: impl Fn(model::Node) -> Option<N>,
) -> Result<Conn<N>> {
    let backing = narrowed(
        ctx,
        Backing::Listing(listing),
        Of::TO_ENDS,
        filter,
        order_by,
        &mut window,
    )?;
    node_page(ctx, backing, &window, pick)
}

fn node_page<N: async_graphql::OutputType>(
    ctx: &Context<'_>,
    backing: Backing,
    window: &Window,
    pick: impl Fn(model::Node) -> Option<N>,
) -> Result<Conn<N>> {
    let store = store(ctx);
    connection(backing, Of::FROM_ENDS, window, |item| match item {
        Item::Node(r) => Ok(store.get(&r).gql()?.and_then(&pick)),
        Item::Edge(_) | Item::Change(_) => Ok(None),
    })
}

/// The root query: look records up by code or global id, list them with filters, search.
#[Object]
impl RecordQuery {
    /// Any record by its global id, `"<Type>:<code>"` (e.g. `"Member:VNM"`), or a change by
    /// its, `"Change:<seq>"`; null if there is no such record or change.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Global id, e.g. \"Partner:JPN\", \"Meeting:IAI-TF-63\" or \"Change:12\"."
        )]
        id: ID,
    ) -> Result<Option<Node>> {
        node_by_id(store(ctx), "id", &id)
    }

    /// A member state by ISO 3166-1 alpha-3 code (case-insensitive); null if unknown.
    async fn member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "ISO 3166-1 alpha-3 code, e.g. \"VNM\".")] code: String,
    ) -> Result<Option<Member>> {
        Ok(store(ctx)
            .member(&code_arg("code", &code)?)
            .gql()?
            .map(Member))
    }

    /// Member states, by code (or as `orderBy` says).
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Member), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the member states that pass these conditions (see MemberFilter).")]
        filter: Option<filter::MemberFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::MemberOrder>>,
        #[graphql(desc = "Only CLMV countries (true) or only the others (false).")] clmv: Option<
            bool,
        >,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Member>> {
        let window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let listing = match clmv {
            None => store.list_nodes(NodeKind::Member),
            Some(c) => store.list_members_by_clmv(c),
        };
        listed_page(
            ctx,
            listing,
            filter.as_ref(),
            order_by.as_deref(),
            window,
            |n| match n {
                model::Node::Member(m) => Some(Member(m)),
                _ => None,
            },
        )
    }

    /// A partner by code (case-insensitive); null if unknown.
    async fn partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "ISO 3166-1 alpha-3 code for a state (\"JPN\"), acronym for an organisation (\"EU\")."
        )]
        code: String,
    ) -> Result<Option<Partner>> {
        Ok(store(ctx)
            .partner(&code_arg("code", &code)?)
            .gql()?
            .map(Partner))
    }

    /// External partners, by code (or as `orderBy` says). Without `asOf`, `kind` filters by current standing; with `asOf`,
    /// by the standing held on that date (from the status history).
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Partner), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the partners that pass these conditions (see PartnerFilter).")]
        filter: Option<filter::PartnerFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::PartnerOrder>>,
        #[graphql(desc = "Only partners of this standing.")] kind: Option<PartnerKind>,
        #[graphql(
            desc = "Judge standing on this date; partners with no status then are left out."
        )]
        as_of: Option<Date>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Partner>> {
        let window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let kind: Option<model::PartnerKind> = kind.map(Into::into);
        let listing = match (kind, as_of) {
            (None, None) => store.list_nodes(NodeKind::Partner),
            (Some(k), None) => store.list_partners_by_kind(k),
            (Some(k), Some(d)) if k != model::PartnerKind::ExternalOrganization => {
                store.list_partners_by_status(k, d.0)
            }
            (k, Some(d)) => {
                let reader = std::sync::Arc::clone(ctx.data_unchecked::<std::sync::Arc<Store>>());
                store.list_nodes(NodeKind::Partner).filter(move |item| {
                    let Item::Node(r) = item else {
                        return Ok(false);
                    };
                    let held = reader.partner(&r.code)?.and_then(|p| p.kind_on(d.0));
                    Ok(held.is_some() && (k.is_none() || held == k))
                })
            }
        };
        listed_page(
            ctx,
            listing,
            filter.as_ref(),
            order_by.as_deref(),
            window,
            |n| match n {
                model::Node::Partner(p) => Some(Partner(p)),
                _ => None,
            },
        )
    }

    /// A body by acronym (case-insensitive); null if unknown.
    async fn body(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The body's acronym, e.g. \"IAI-TF\" or \"ACCC\".")] code: String,
    ) -> Result<Option<Body>> {
        Ok(store(ctx).body(&code_arg("code", &code)?).gql()?.map(Body))
    }

    /// ASEAN bodies, by code (or as `orderBy` says).
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Body), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn bodies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the bodies that pass these conditions (see BodyFilter).")]
        filter: Option<filter::BodyFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::BodyOrder>>,
        #[graphql(desc = "Only bodies of this pillar.")] pillar: Option<Pillar>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Body>> {
        let window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let listing = match pillar {
            None => store.list_nodes(NodeKind::Body),
            Some(p) => store.list_bodies_by_pillar(p.into()),
        };
        listed_page(
            ctx,
            listing,
            filter.as_ref(),
            order_by.as_deref(),
            window,
            |n| match n {
                model::Node::Body(b) => Some(Body(b)),
                _ => None,
            },
        )
    }

    /// A meeting by code (case-insensitive), e.g. `IAI-TF-63`; null if unknown.
    async fn meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting's code, e.g. \"IAI-TF-63\" or \"ACCC-2021-3\".")]
        code: String,
    ) -> Result<Option<Meeting>> {
        Ok(store(ctx)
            .meeting(&code_arg("code", &code)?)
            .gql()?
            .map(Meeting))
    }

    /// Meetings by date (or as `orderBy` says), optionally of one body, chaired by one member state, within dates.
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Meeting), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the meetings that pass these conditions (see MeetingFilter).")]
        filter: Option<filter::MeetingFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::MeetingOrder>>,
        #[graphql(desc = "Only meetings held by this body (acronym).")] body: Option<String>,
        #[graphql(desc = "Only meetings starting on or after this date.")] from: Option<Date>,
        #[graphql(desc = "Only meetings starting on or before this date.")] to: Option<Date>,
        #[graphql(desc = "Only meetings chaired by this member state (ISO alpha-3 code).")]
        chair: Option<String>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Meeting>> {
        let mut window = Window::new(first, after, last, before)?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(bad_input(format!("to: {} is before from ({})", t.0, f.0)));
        }
        let store = store(ctx);
        let body = body
            .map(|b| existing(store, "body", NodeKind::Body, &b, NOT_FOUND))
            .transpose()?;
        let chair = chair
            .map(|c| existing(store, "chair", NodeKind::Member, &c, NOT_FOUND))
            .transpose()?;
        let in_range = |m: &model::Meeting| {
            from.is_none_or(|f| m.start_date >= f.0) && to.is_none_or(|t| m.start_date <= t.0)
        };
        let backing = match (&body, &chair) {
            (None, None) => {
                Backing::Listing(store.list_meetings_by_date(from.map(|d| d.0), to.map(|d| d.0)))
            }
            _ => {
                // Start from the smaller edge list, keep those matching the rest.
                let mut edges = match (&body, &chair) {
                    (Some(b), _) => store.edges_in(EdgeKind::HeldBy, b).gql()?,
                    (None, Some(c)) => store.edges_in(EdgeKind::ChairedBy, c).gql()?,
                    (None, None) => Vec::new(),
                };
                if let (Some(_), Some(c)) = (&body, &chair) {
                    let chaired: std::collections::HashSet<NodeRef> = store
                        .edges_in(EdgeKind::ChairedBy, c)
                        .gql()?
                        .into_iter()
                        .map(|e| e.from)
                        .collect();
                    edges.retain(|e| chaired.contains(&e.from));
                }
                let mut kept = Vec::new();
                for e in edges {
                    if store
                        .meeting(&e.from.code)
                        .gql()?
                        .is_some_and(|m| in_range(&m))
                    {
                        kept.push(e);
                    }
                }
                meetings_by_date(store, kept, |e| &e.from)?
            }
        };
        filtered_meetings(
            ctx,
            backing,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// An initiative by code (case-insensitive), e.g. `IAI-WP4`; null if unknown.
    async fn initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative's code, e.g. \"MPAC-2025\" or \"IAI-WP4\".")] code: String,
    ) -> Result<Option<Initiative>> {
        Ok(store(ctx)
            .initiative(&code_arg("code", &code)?)
            .gql()?
            .map(Initiative))
    }

    /// Initiatives by code (or as `orderBy` says), optionally of one kind, or within the subtree under one.
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Initiative), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
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
        #[graphql(desc = "Only initiatives of this kind.")] kind: Option<InitiativeKind>,
        #[graphql(desc = "Only initiatives anywhere below this one (its code), not itself.")] under: Option<String>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Initiative>> {
        let mut window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        let kind: Option<model::InitiativeKind> = kind.map(Into::into);
        let backing = match under {
            None => Backing::Listing(match kind {
                None => store.list_nodes(NodeKind::Initiative),
                Some(k) => store.list_initiatives_by_kind(k),
            }),
            Some(u) => {
                let root = existing(store, "under", NodeKind::Initiative, &u, NOT_FOUND)?;
                let mut items = Vec::new();
                for code in subtree(store, &root.code)?.into_iter().skip(1) {
                    if let Some(i) = store.initiative(&code).gql()?
                        && kind.is_none_or(|k| i.kind == k)
                    {
                        let r = NodeRef::new(NodeKind::Initiative, code.as_str());
                        items.push((code.into_bytes(), Item::Node(r)));
                    }
                }
                Backing::items(items)
            }
        };
        filtered_initiatives(
            ctx,
            backing,
            true,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Fundings, by funder then target (or as `orderBy` says); optionally only those under one initiative's
    /// subtree (itself included), or only from member states or only from partners.
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Fundings, filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
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
            desc = "Only fundings of this initiative or any initiative below it (its code)."
        )]
        under: Option<String>,
        #[graphql(desc = "Only fundings given by member states, or only by partners.")]
        funder_kind: Option<FunderKind>,
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
        let backing = match under {
            None => Backing::Held(store.list_fundings(), store.fundings().gql()?),
            Some(u) => {
                let root = existing(store, "under", NodeKind::Initiative, &u, NOT_FOUND)?;
                fundings_of_initiatives(store, &subtree(store, &root.code)?)?
            }
        };
        let backing = match funder_kind {
            None => backing,
            Some(k) => backing.keep(move |item| {
                Ok(matches!(item, Item::Edge(e) if funder_matches(k, &e.from)))
            })?,
        };
        filtered_fundings(
            ctx,
            backing,
            filter.as_ref(),
            order_by.as_deref(),
            &mut window,
        )
    }

    /// Chairmanships of bodies and of ASEAN itself, by year, then body (ASEAN first).
    async fn chairmanships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this body's chairs (its code); `ASEAN` for the Chair of ASEAN.")]
        body: Option<String>,
        #[graphql(desc = "Only from this year on.")] from: Option<i64>,
        #[graphql(desc = "Only up to this year.")] to: Option<i64>,
    ) -> Result<Vec<Chairmanship>> {
        let store = store(ctx);
        let edges = match body.as_deref() {
            Some(b) if b.eq_ignore_ascii_case("ASEAN") => {
                store.edges_in(EdgeKind::Chairs, &NodeRef::asean()).gql()?
            }
            Some(b) => {
                let body = existing(store, "body", NodeKind::Body, b, NOT_FOUND)?;
                store.edges_in(EdgeKind::Chairs, &body).gql()?
            }
            None => store.edges_of_kind(EdgeKind::Chairs).gql()?,
        };
        let mut edges: Vec<_> = edges
            .into_iter()
            .filter(|e| {
                let year = e.year.map_or(0, i64::from);
                from.is_none_or(|f| year >= f) && to.is_none_or(|t| year <= t)
            })
            .collect();
        edges.sort_by(|a, b| (a.year, &a.to.code).cmp(&(b.year, &b.to.code)));
        Ok(edges.into_iter().map(Chairmanship).collect())
    }

    /// A person by code (case-insensitive), e.g. `NGUYEN-HAI-BANG`; null if unknown.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's code, e.g. \"NGUYEN-HAI-BANG\".")] code: String,
    ) -> Result<Option<Person>> {
        Ok(store(ctx)
            .person(&code_arg("code", &code)?)
            .gql()?
            .map(Person))
    }

    /// People, by code (or as `orderBy` says).
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Person), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the people that pass these conditions (see PersonFilter).")]
        filter: Option<filter::PersonFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::PersonOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Person>> {
        let window = Window::new(first, after, last, before)?;
        let listing = store(ctx).list_nodes(NodeKind::Person);
        listed_page(
            ctx,
            listing,
            filter.as_ref(),
            order_by.as_deref(),
            window,
            |n| match n {
                model::Node::Person(p) => Some(Person(p)),
                _ => None,
            },
        )
    }

    /// A source by code (case-insensitive), e.g. `S2`; null if unknown.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's code, e.g. \"S2\" or \"P37\".")] code: String,
    ) -> Result<Option<Source>> {
        Ok(store(ctx)
            .source(&code_arg("code", &code)?)
            .gql()?
            .map(Source))
    }

    /// Sources, by code (or as `orderBy` says).
    #[graphql(
        complexity = "crate::graphql::scan::cost(crate::graphql::scan::Scans::Records(crate::model::NodeKind::Source), filter.as_ref(), order_by.as_ref().map_or(0, Vec::len), crate::graphql::scan::aggregates(__field), first, last, child_complexity)"
    )]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the sources that pass these conditions (see SourceFilter).")]
        filter: Option<filter::SourceFilter>,
        #[graphql(
            desc = "Order by these keys, the first deciding (at most 5); the code breaks the remaining ties. Absent or empty: the list's own order."
        )]
        order_by: Option<Vec<order::SourceOrder>>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Source>> {
        let window = Window::new(first, after, last, before)?;
        let listing = store(ctx).list_nodes(NodeKind::Source);
        listed_page(
            ctx,
            listing,
            filter.as_ref(),
            order_by.as_deref(),
            window,
            |n| match n {
                model::Node::Source(s) => Some(Source(s)),
                _ => None,
            },
        )
    }

    /// Records whose code, name, Vietnamese name, title or alias holds every word of `text`
    /// (the last may be the start of a word), ignoring case and diacritics ("viet nam"
    /// finds "Việt Nam"); best first: an exact code, then an exact name or title, then a
    /// name or title starting with the text, then the rest; within each, records with
    /// shorter names first. Each hit has its score and what matched; `totalCount` counts
    /// them all.
    #[graphql(complexity = "crate::graphql::connection::cost(Some(first), None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Words to look for; the last may be the start of a word.")] text: String,
        #[graphql(desc = "How many hits at most (0 to 100; default 10).", default = 10)] first: i64,
        #[graphql(desc = "List the hits after this cursor (`pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "Keep only records of these types (all when omitted or empty).")]
        types: Option<Vec<search::NodeType>>,
    ) -> Result<search::SearchConnection> {
        search::run(ctx, &text, first, after, types)
    }
}

fn funder_matches(kind: FunderKind, funder: &NodeRef) -> bool {
    match kind {
        FunderKind::Member => funder.kind == NodeKind::Member,
        FunderKind::Partner => funder.kind == NodeKind::Partner,
    }
}
