//! `search`: ranked search over codes, names, Vietnamese names, titles and people,
//! insensitive to case and diacritics ("viet nam" finds "Việt Nam"), as a connection. The
//! ranking is [`crate::model::search::rank`]'s; the store reads it top-k
//! ([`crate::store::Store::search`]).

use super::connection::{MAX_PAGE, store};
use super::cursor;
use super::error::{GqlResult, bad_input};
use super::filter::reads;
use super::integers::count;
use super::types::Node;
use crate::model::NodeKind;
use crate::model::search::{Query, Tier};
use crate::store::{Hit, SearchRequest, is_position};
use async_graphql::connection::PageInfo;
use async_graphql::{Context, Enum, Object, Result, SimpleObject};

/// The longest text a search takes, in characters.
pub const MAX_TEXT: usize = 200;

/// The types of record a search can keep.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum NodeType {
    /// A member state.
    Member,
    /// A partner.
    Partner,
    /// A body.
    Body,
    /// A meeting.
    Meeting,
    /// An initiative.
    Initiative,
    /// A person.
    Person,
    /// A source.
    Source,
}

impl From<NodeType> for NodeKind {
    fn from(t: NodeType) -> NodeKind {
        match t {
            NodeType::Member => NodeKind::Member,
            NodeType::Partner => NodeKind::Partner,
            NodeType::Body => NodeKind::Body,
            NodeType::Meeting => NodeKind::Meeting,
            NodeType::Initiative => NodeKind::Initiative,
            NodeType::Person => NodeKind::Person,
            NodeType::Source => NodeKind::Source,
        }
    }
}

/// How a hit matches the text, best first.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum SearchMatch {
    /// The code and a name or title are the text.
    CodeAndText,
    /// The code is the text (`iai-tf` or `iai tf` for `IAI-TF`).
    Code,
    /// A name or title is the text.
    Text,
    /// A name or title starts with the text.
    Start,
    /// Every word of the text is somewhere in the code, names or titles.
    Words,
}

impl From<Tier> for SearchMatch {
    fn from(t: Tier) -> SearchMatch {
        match t {
            Tier::CodeAndText => SearchMatch::CodeAndText,
            Tier::Code => SearchMatch::Code,
            Tier::Text => SearchMatch::Text,
            Tier::Start => SearchMatch::Start,
            Tier::Words => SearchMatch::Words,
        }
    }
}

/// One hit of a search.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// Pass as `after` to list the hits after this one.
    cursor: String,
    /// The record found.
    node: Node,
    /// How well it matches, larger first: the match's rank (5 code and text, 4 code, 3 a
    /// text, 2 a text's start, 1 words anywhere) plus a fraction that grows as the record's
    /// shortest name or title shortens. Hits are listed by score.
    score: f64,
    /// How it matches.
    matched: SearchMatch,
    /// The field that matched best: `code`, or the name, title or alias field holding the
    /// text (or most of its words), as the record's type names it (`name`, `titleVi`…).
    matched_field: String,
}

/// A page of a search's hits.
pub struct SearchConnection {
    hits: Vec<SearchHit>,
    has_previous: bool,
    has_next: bool,
    /// None for a text without words, which finds nothing.
    query: Option<Query>,
    kinds: Vec<NodeKind>,
}

/// A page of a search's hits, best first. Page on with `first` and
/// `after: pageInfo.endCursor`.
#[Object]
impl SearchConnection {
    /// The hits of this page, best first, each with its cursor, score and what matched.
    async fn edges(&self) -> &[SearchHit] {
        &self.hits
    }

    /// The records of this page, best first.
    async fn nodes(&self) -> Vec<&Node> {
        self.hits.iter().map(|h| &h.node).collect()
    }

    /// Where this page sits among the hits.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous,
            has_next_page: self.has_next,
            start_cursor: self.hits.first().map(|h| h.cursor.clone()),
            end_cursor: self.hits.last().map(|h| h.cursor.clone()),
        }
    }

    /// How many records match in all (every page). Counted only when asked: it reads
    /// every match, where a page reads only what it shows.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let Some(query) = &self.query else {
            return Ok(0);
        };
        let n = store(ctx)
            .search_count(query, &self.kinds, &reads(ctx))
            .gql()?;
        count("totalCount", n)
    }
}

/// The refusal of an `after` that this search did not give.
fn not_ours(text: &str) -> async_graphql::Error {
    let shown: String = text.chars().take(64).collect();
    bad_input(format!(
        "after: {shown:?} is not a cursor of this search; pass a cursor this search gave \
         (edges.cursor or pageInfo.endCursor)"
    ))
}

/// The list name a search's cursors are tagged with: a cursor serves only the search that
/// gave it.
fn list(query: &Query, kinds: &[NodeKind]) -> String {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.type_name()).collect();
    format!("SearchConnection {} {}", query.phrase, kinds.join(","))
}

/// Runs `search(text:, first:, after:, types:)`.
pub fn run(
    ctx: &Context<'_>,
    text: &str,
    first: i64,
    after: Option<String>,
    types: Option<Vec<NodeType>>,
) -> Result<SearchConnection> {
    let first = usize::try_from(first)
        .ok()
        .filter(|n| *n <= MAX_PAGE)
        .ok_or_else(|| bad_input(format!("first: {first} is outside 0 to {MAX_PAGE}")))?;
    if text.chars().count() > MAX_TEXT {
        return Err(bad_input(format!(
            "text: longer than {MAX_TEXT} characters"
        )));
    }
    let mut kinds: Vec<NodeKind> = types
        .unwrap_or_default()
        .into_iter()
        .map(NodeKind::from)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let Some(query) = Query::new(text) else {
        // No search gives a cursor for a text without words.
        if let Some(after) = after {
            return Err(not_ours(&after));
        }
        return Ok(SearchConnection {
            hits: Vec::new(),
            has_previous: false,
            has_next: false,
            query: None,
            kinds,
        });
    };
    let list = list(&query, &kinds);
    let after_key = after
        .as_deref()
        .map(|text| {
            cursor::decode(text)
                .and_then(|sent| sent.key_in(&list).map(<[u8]>::to_vec))
                .filter(|key| is_position(key))
                .ok_or_else(|| not_ours(text))
        })
        .transpose()?;
    let mut hits = store(ctx)
        .search(&SearchRequest {
            query: &query,
            kinds: &kinds,
            after: after_key.as_deref(),
            limit: first + 1,
            reads: &reads(ctx),
        })
        .gql()?;
    let has_next = hits.len() > first;
    hits.truncate(first);
    Ok(SearchConnection {
        hits: hits.into_iter().map(|h| hit(h, &list)).collect(),
        has_previous: after_key.is_some(),
        has_next,
        query: Some(query),
        kinds,
    })
}

fn hit(h: Hit, list: &str) -> SearchHit {
    SearchHit {
        cursor: cursor::issue(list, &h.position),
        score: h.tier.score(h.shortness),
        matched: h.tier.into(),
        matched_field: h.field.to_owned(),
        node: Node::from(h.node),
    }
}
