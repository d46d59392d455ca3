//! Relay connections over store listings: argument checking, opaque cursors, `totalCount`.

use super::aggregate::{Aggregate, Aggregated, List, Listed, Part};
use super::cursor;
use super::error::{GqlResult, bad_input};
use super::filter::Of;
use super::integers::count;
use crate::store::{Item, Listing, Page};
use async_graphql::connection::PageInfo;
use async_graphql::{Context, Object, OutputType, Result, TypeName};
use std::borrow::Cow;
use std::sync::Arc;

/// Page size when a client gives neither `first` nor `last`.
pub const DEFAULT_PAGE: usize = 20;
/// The largest `first` or `last` accepted.
pub const MAX_PAGE: usize = 100;

/// The cost factor of a connection field for query complexity: the page size it may
/// return, so that nested connections multiply.
pub fn page_cost(first: Option<i64>, last: Option<i64>) -> usize {
    first
        .or(last)
        .map_or(DEFAULT_PAGE, |n| {
            usize::try_from(n).map_or(0, |n| n.min(MAX_PAGE))
        })
        .max(1)
}

/// The most complexity one field can add: far above any limit, far below overflow (a parent
/// adds up its children's costs before multiplying).
const MAX_COST: usize = 1 << 40;

/// The complexity of a connection field: its page size times its selection, capped.
pub fn cost(first: Option<i64>, last: Option<i64>, child_complexity: usize) -> usize {
    page_cost(first, last)
        .saturating_mul(child_complexity)
        .min(MAX_COST)
}

/// The complexity of a plain list field of at most `first` items (1 to `max`), capped. A
/// `first` outside that range costs as its nearest bound: the field itself refuses it,
/// naming the range.
pub fn list_cost(first: i64, max: usize, child_complexity: usize) -> usize {
    list_cost_of(
        usize::try_from(first).map_or(1, |n| n.clamp(1, max)),
        child_complexity,
    )
}

/// The complexity of a list of at most `items` items (an empty one still costs its
/// selection once), capped.
pub fn list_cost_of(items: usize, child_complexity: usize) -> usize {
    items.max(1).saturating_mul(child_complexity).min(MAX_COST)
}

/// The checked pagination arguments of one connection field.
#[derive(Clone, Debug, Default)]
pub struct Window {
    /// Cursors as sent: checked against their list when it is paged ([`connection`]).
    pub after: Option<cursor::Sent>,
    pub before: Option<cursor::Sent>,
    pub first: Option<usize>,
    pub last: Option<usize>,
    /// The ordering the list is in, as its cursors are tagged: empty for a list's own
    /// order, so that its cursors stay what they were; set by [`super::order::apply`].
    pub ordering: String,
}

/// A page size: `first` pages forward with `after`, `last` backward with `before`.
fn size(name: &str, value: Option<i64>) -> Result<Option<usize>> {
    let Some(n) = value else { return Ok(None) };
    let then = if name == "last" { "before" } else { "after" };
    match usize::try_from(n) {
        Err(_) => Err(bad_input(format!(
            "{name}: {n} is negative; give a page size from 0 to {MAX_PAGE}"
        ))),
        Ok(size) if size > MAX_PAGE => Err(bad_input(format!(
            "{name}: {n} is more than the largest page, {MAX_PAGE}; page with `{then}`"
        ))),
        Ok(size) => Ok(Some(size)),
    }
}

/// A limit from 1 to `max` (`search(first:)`, `changes(first:)`).
pub fn limit(name: &str, value: i64, max: usize) -> Result<usize> {
    usize::try_from(value)
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| bad_input(format!("{name}: {value} is outside 1 to {max}")))
}

fn cursor(name: &str, value: Option<String>) -> Result<Option<cursor::Sent>> {
    value
        .map(|s| cursor::decode(&s).ok_or_else(|| not_ours(name, &s)))
        .transpose()
}

/// The one refusal of any cursor this server did not issue for the list at hand.
fn not_ours(name: &str, text: &str) -> async_graphql::Error {
    let shown: String = text.chars().take(64).collect();
    let more = if text.chars().count() > 64 { "…" } else { "" };
    bad_input(format!(
        "{name}: {shown:?}{more} is not a cursor of this list; pass a cursor this list gave \
         (edges.cursor or pageInfo.startCursor/endCursor)"
    ))
}

impl Window {
    pub fn new(
        first: Option<i64>,
        after: Option<String>,
        last: Option<i64>,
        before: Option<String>,
    ) -> Result<Window> {
        let mut w = Window {
            first: size("first", first)?,
            last: size("last", last)?,
            after: cursor("after", after)?,
            before: cursor("before", before)?,
            ordering: String::new(),
        };
        if w.first.is_none() && w.last.is_none() {
            w.first = Some(DEFAULT_PAGE);
        }
        Ok(w)
    }

    /// The position keys of the window's cursors in a list of `list` backed by `backing`,
    /// each refused unless this server issued it for such a list and it falls in this one
    /// (within a stored listing's range; one of the items of a list gathered in memory).
    fn keys(&self, list: &str, backing: &Backing) -> Result<Keys> {
        let key = |name: &str, c: &Option<cursor::Sent>| -> Result<Option<Vec<u8>>> {
            c.as_ref()
                .map(|c| {
                    c.key_in(list)
                        .filter(|key| backing.owns(key))
                        .map(<[u8]>::to_vec)
                        .ok_or_else(|| not_ours(name, &c.text()))
                })
                .transpose()
        };
        Ok(Keys {
            after: key("after", &self.after)?,
            before: key("before", &self.before)?,
            first: self.first,
            last: self.last,
        })
    }
}

/// A window whose cursors have been checked: position keys.
struct Keys {
    after: Option<Vec<u8>>,
    before: Option<Vec<u8>>,
    first: Option<usize>,
    last: Option<usize>,
}

/// What a connection pages through: a store listing, items gathered in memory (a union
/// of several edge lists, a subtree), already sorted by key, or a listing whose items the
/// store holds in memory (a snapshot), paged from memory under the listing's cursors.
#[derive(Clone)]
pub enum Backing {
    Listing(Listing),
    Items(Keyed),
    Held(Listing, Keyed),
}

/// Items in memory under their position keys, sorted by key.
pub type Keyed = Arc<Vec<(Vec<u8>, Item)>>;

impl Backing {
    /// Keeps only the items `keep` accepts (a listing filters as it is read; items now).
    pub fn keep(
        self,
        keep: impl Fn(&Item) -> crate::store::Result<bool> + Send + Sync + 'static,
    ) -> Result<Backing> {
        match self {
            Backing::Listing(l) => Ok(Backing::Listing(l.filter(keep))),
            Backing::Items(items) => Ok(Backing::Items(kept(&items, keep)?)),
            Backing::Held(l, items) => Ok(Backing::Held(l, kept(&items, keep)?)),
        }
    }

    /// The items of the list, in order, with their keys, unless it is a listing read from the
    /// store.
    pub fn held(&self) -> Option<&Keyed> {
        match self {
            Backing::Listing(_) => None,
            Backing::Items(items) | Backing::Held(_, items) => Some(items),
        }
    }

    pub fn items(mut items: Vec<(Vec<u8>, Item)>) -> Backing {
        items.sort_by(|a, b| a.0.cmp(&b.0));
        items.dedup_by(|a, b| a.0 == b.0);
        Backing::Items(Arc::new(items))
    }

    fn page(&self, w: &Keys) -> Result<Page> {
        match self {
            Backing::Listing(l) => l
                .page(w.after.as_deref(), w.before.as_deref(), w.first, w.last)
                .gql(),
            Backing::Items(items) | Backing::Held(_, items) => Ok(page_items(items, w)),
        }
    }

    /// Whether `key` is a position in this list.
    fn owns(&self, key: &[u8]) -> bool {
        match self {
            Backing::Listing(l) | Backing::Held(l, _) => l.owns(key),
            Backing::Items(items) => items
                .binary_search_by(|(k, _)| k.as_slice().cmp(key))
                .is_ok(),
        }
    }

    /// How many items the list holds: each item a listing reads to count takes one of
    /// `reads` (items in memory were read when they were gathered).
    fn count(&self, reads: Arc<crate::store::Reads>) -> Result<usize> {
        match self {
            Backing::Listing(l) => l.clone().spending(reads, "totalCount").count().gql(),
            Backing::Items(items) | Backing::Held(_, items) => Ok(items.len()),
        }
    }
}

/// The items `keep` accepts.
fn kept(
    items: &[(Vec<u8>, Item)],
    keep: impl Fn(&Item) -> crate::store::Result<bool>,
) -> Result<Keyed> {
    let mut kept = Vec::new();
    for (key, item) in items {
        if keep(item).gql()? {
            kept.push((key.clone(), item.clone()));
        }
    }
    Ok(Arc::new(kept))
}

fn page_items(items: &[(Vec<u8>, Item)], w: &Keys) -> Page {
    let start = w
        .after
        .as_ref()
        .map_or(0, |a| items.partition_point(|(k, _)| k <= a));
    let end = w
        .before
        .as_ref()
        .map_or(items.len(), |b| items.partition_point(|(k, _)| k < b));
    let end = end.max(start);
    let (mut lo, mut hi) = (start, end);
    if let Some(first) = w.first {
        hi = hi.min(lo + first);
    }
    if let Some(last) = w.last {
        lo = lo.max(hi.saturating_sub(last));
    }
    Page {
        items: items[lo..hi].to_vec(),
        has_previous: lo > 0,
        has_next: hi < items.len(),
    }
}

/// A page of a list (a Relay connection), named `<Node>Connection`.
pub struct Conn<N> {
    edges: Vec<ConnEdge<N>>,
    has_previous: bool,
    has_next: bool,
    /// The whole list, for `totalCount` and the aggregates.
    list: List,
}

impl<N: OutputType> TypeName for Conn<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", N::type_name()).into()
    }
}

/// A page of a list: its items, as edges with cursors or as plain nodes; where the page
/// sits (`pageInfo`); and how many items the whole list holds (`totalCount`). Page forward
/// with `first` and `after: pageInfo.endCursor`, backward with `last` and `before`.
#[Object(name_type)]
impl<N: Aggregated> Conn<N> {
    /// The items of this page, each with its cursor.
    async fn edges(&self) -> &[ConnEdge<N>] {
        &self.edges
    }

    /// The items of this page, without cursors.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// Where this page sits in the list.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous,
            has_next_page: self.has_next,
            start_cursor: self.edges.first().map(|e| e.cursor.clone()),
            end_cursor: self.edges.last().map(|e| e.cursor.clone()),
        }
    }

    /// How many items the whole list holds (all pages), after filters.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        count(
            "totalCount",
            self.list.backing.count(super::filter::reads(ctx))?,
        )
    }

    /// Counts, distinct counts, sums, means and extremes over the whole list (all pages),
    /// after filters. Each reads every item of the list.
    async fn aggregate(&self, ctx: &Context<'_>) -> Result<Aggregate<N>> {
        let listed = Listed::read(ctx, &self.list)?;
        Ok(Aggregate::new(Part::whole(listed, N::FIELDS)?))
    }

    #[graphql(flatten)]
    async fn grouping(&self) -> N::Grouping {
        N::grouping(self.list.clone())
    }
}

/// One item of a page and its cursor, named `<Node>Edge`.
pub struct ConnEdge<N> {
    cursor: String,
    node: N,
}

impl<N: OutputType> TypeName for ConnEdge<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", N::type_name()).into()
    }
}

/// One item of a page, with the cursor to page on from it.
#[Object(name_type)]
impl<N: OutputType> ConnEdge<N> {
    /// Opaque position of the item: pass it as `after` or `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }
}

/// Pages through `backing`, whose items are `of` a kind, and turns each item into a node
/// with `to_node` (items it maps to `None` are left out).
pub fn connection<N: OutputType>(
    backing: Backing,
    of: Of,
    window: &Window,
    mut to_node: impl FnMut(Item) -> Result<Option<N>>,
) -> Result<Conn<N>> {
    // A cursor belongs to its list's type and to the ordering it was issued in.
    let list = format!("{}{}", <Conn<N> as TypeName>::type_name(), window.ordering);
    let page = backing.page(&window.keys(&list, &backing)?)?;
    let mut edges = Vec::with_capacity(page.items.len());
    for (key, item) in page.items {
        if let Some(node) = to_node(item)? {
            edges.push(ConnEdge {
                cursor: cursor::issue(&list, &key),
                node,
            });
        }
    }
    Ok(Conn {
        edges,
        has_previous: page.has_previous,
        has_next: page.has_next,
        list: List { backing, of },
    })
}

/// The store behind the schema.
pub fn store<'a>(ctx: &Context<'a>) -> &'a crate::store::Store {
    ctx.data_unchecked::<Arc<crate::store::Store>>()
}
