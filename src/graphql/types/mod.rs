//! GraphQL object types over the model's records. Each wraps a record; relationships are
//! resolved from the store's edges when asked for.

// One Rust argument per GraphQL argument: connections with filters, orderings and paging
// take many.
#![allow(clippy::too_many_arguments)]

mod body;
mod common;
mod initiative;
mod meeting;
mod member;
mod node;
mod partner;
mod person;
mod relationship;
mod source;

pub use body::Body;
pub use common::{Chairmanship, Claim, Delegation, Figure, Funding, Participation, PartnerStatus};
pub use initiative::Initiative;
pub use meeting::Meeting;
pub use member::Member;
pub use node::{Fundable, Funder, Node, Party, load, load_as};
pub use partner::Partner;
pub use person::Person;
pub use relationship::{Cited, MeetingLink, Relationship, Support};
pub use source::Source;

use super::connection::{Backing, Conn, Window, connection, store};
use super::error::GqlResult;
use super::filter::{self, Of, ToFilter};
use super::order::{self, OrderKey};
use crate::model::{self, Edge, NodeKind, NodeRef};
use crate::store::{Item, Store};
use async_graphql::{Context, Result};

/// The Source records for `codes`, in the order cited.
pub(crate) fn sources(ctx: &Context<'_>, codes: &[String]) -> Result<Vec<Source>> {
    let store = store(ctx);
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        if let Some(s) = store.source(code).gql()? {
            out.push(Source(s));
        }
    }
    Ok(out)
}

pub(crate) fn claims(claims: &[model::Claim]) -> Vec<Claim> {
    claims.iter().cloned().map(Claim).collect()
}

/// Position key of a meeting in date order: the same bytes as the date index's keys, so
/// cursors from either agree.
fn meeting_key(m: &model::Meeting) -> Vec<u8> {
    let mut key = m.start_date.to_key().to_vec();
    key.extend_from_slice(m.code.as_bytes());
    key.push(0);
    key
}

/// The meetings at one end of `edges` (the end `pick` chooses), ordered by date.
pub(crate) fn meetings_by_date(
    store: &Store,
    edges: impl IntoIterator<Item = Edge>,
    pick: impl Fn(&Edge) -> &NodeRef,
) -> Result<Backing> {
    let mut items = Vec::new();
    for e in edges {
        let r = pick(&e);
        if let Some(m) = store.meeting(&r.code).gql()? {
            items.push((meeting_key(&m), Item::Node(r.clone())));
        }
    }
    Ok(Backing::items(items))
}

/// A page of meetings.
pub(crate) fn meeting_page(
    ctx: &Context<'_>,
    backing: Backing,
    window: &Window,
) -> Result<Conn<Meeting>> {
    let store = store(ctx);
    connection(backing, Of::FROM_ENDS, window, |item| match item {
        Item::Node(r) if r.kind == NodeKind::Meeting => {
            Ok(store.meeting(&r.code).gql()?.map(Meeting))
        }
        Item::Edge(e) => Ok(store.meeting(&e.from.code).gql()?.map(Meeting)),
        _ => Ok(None),
    })
}

/// The items of `backing` that pass the `filter:` argument, in the order its `orderBy:`
/// gives (which `window`'s cursors are then tied to).
pub(crate) fn narrowed<F: ToFilter, O: OrderKey>(
    ctx: &Context<'_>,
    backing: Backing,
    of: Of,
    filter: Option<&F>,
    order_by: Option<&[O]>,
    window: &mut Window,
) -> Result<Backing> {
    let backing = filter::apply(ctx, backing, of, filter)?;
    order::apply(ctx, backing, of, order_by, window)
}

/// A page of the meetings of `backing` narrowed by `filter:` and `orderBy:` (an edge item
/// stands for the meeting at its `from` end, as [`meeting_page`] reads it).
pub(crate) fn filtered_meetings(
    ctx: &Context<'_>,
    backing: Backing,
    filter: Option<&filter::MeetingFilter>,
    order_by: Option<&[order::MeetingOrder]>,
    window: &mut Window,
) -> Result<Conn<Meeting>> {
    let backing = narrowed(ctx, backing, Of::FROM_ENDS, filter, order_by, window)?;
    meeting_page(ctx, backing, window)
}

/// A page of the initiatives of `backing` narrowed by `filter:` and `orderBy:` (an edge
/// item stands for the initiative at its `to` end if `far_end_is_to`, as
/// [`initiative_page`] reads it).
pub(crate) fn filtered_initiatives(
    ctx: &Context<'_>,
    backing: Backing,
    far_end_is_to: bool,
    filter: Option<&filter::InitiativeFilter>,
    order_by: Option<&[order::InitiativeOrder]>,
    window: &mut Window,
) -> Result<Conn<Initiative>> {
    let of = Of::Records { far_end_is_to };
    let backing = narrowed(ctx, backing, of, filter, order_by, window)?;
    initiative_page(ctx, backing, window, far_end_is_to)
}

/// A page of the fundings of `backing` (`Funds` edges) narrowed by `filter:` and `orderBy:`.
pub(crate) fn filtered_fundings(
    ctx: &Context<'_>,
    backing: Backing,
    filter: Option<&filter::FundingFilter>,
    order_by: Option<&[order::FundingOrder]>,
    window: &mut Window,
) -> Result<Conn<Funding>> {
    let backing = narrowed(ctx, backing, Of::Relationships, filter, order_by, window)?;
    funding_page(backing, window)
}

/// A page of fundings over `Funds` edges.
pub(crate) fn funding_page(backing: Backing, window: &Window) -> Result<Conn<Funding>> {
    connection(backing, Of::Relationships, window, |item| match item {
        Item::Edge(e) => Ok(Some(Funding(e))),
        Item::Node(_) | Item::Change(_) => Ok(None),
    })
}

/// A page of initiatives; edge items give the initiative at the end `outgoing` names.
pub(crate) fn initiative_page(
    ctx: &Context<'_>,
    backing: Backing,
    window: &Window,
    far_end_is_to: bool,
) -> Result<Conn<Initiative>> {
    let store = store(ctx);
    let of = Of::Records { far_end_is_to };
    connection(backing, of, window, |item| {
        let r = match item {
            Item::Node(r) => r,
            Item::Edge(e) if far_end_is_to => e.to,
            Item::Edge(e) => e.from,
            Item::Change(_) => return Ok(None),
        };
        Ok(store.initiative(&r.code).gql()?.map(Initiative))
    })
}

/// Codes of `root` and every initiative below it (breadth first, each once).
pub(crate) fn subtree(store: &Store, root: &str) -> Result<Vec<String>> {
    let mut out = vec![root.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let node = NodeRef::new(NodeKind::Initiative, out[i].as_str());
        for e in store.edges_in(model::EdgeKind::PartOf, &node).gql()? {
            if !out.contains(&e.from.code) {
                out.push(e.from.code);
            }
        }
        i += 1;
    }
    Ok(out)
}

/// Funding edges whose target is any of `codes` (initiatives), keyed by funder and target.
pub(crate) fn fundings_of_initiatives(store: &Store, codes: &[String]) -> Result<Backing> {
    let mut items = Vec::new();
    for code in codes {
        let node = NodeRef::new(NodeKind::Initiative, code.as_str());
        for e in store.edges_in(model::EdgeKind::Funds, &node).gql()? {
            items.push((funding_key(&e), Item::Edge(e)));
        }
    }
    Ok(Backing::items(items))
}

/// Position key of a funding: funder then target, as the store's `Funds` keys order them.
pub(crate) fn funding_key(e: &Edge) -> Vec<u8> {
    crate::store::EdgeId::of(e).out_key()
}
