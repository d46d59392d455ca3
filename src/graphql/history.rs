//! The change log as the API shows it: `history(id:)`, `changes(since:)`, and the live
//! `changes` subscription.

use super::connection::{Backing, Conn, Window, connection, limit, store};
use super::error::{GqlResult, SUBSCRIBER_TOO_SLOW, bad_input, coded};
use super::filter::Of;
use super::types::Node;
use crate::model::{Date, NodeKind, NodeRef};
use crate::store::{Item, LogEntry, Store};
use async_graphql::{Context, ID, Json, Object, Result, Subscription};
use futures_util::Stream;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// The most entries one call of `changes(since:)` returns.
const MAX_ENTRIES: usize = 500;

/// One change to the graph: who did what to which record, with the record before and after.
pub struct Change(pub LogEntry);

/// What a change's global id starts with: `"Change:<seq>"`.
const CHANGE_ID_PREFIX: &str = "Change:";

/// The sequence number a change's global id names; `Ok(None)` if `id` is not a change's id
/// (a record's, say), an error naming `arg` if it is one but its number is not.
pub(crate) fn change_seq(arg: &str, id: &str) -> Result<Option<u64>> {
    let Some(seq) = id.strip_prefix(CHANGE_ID_PREFIX) else {
        return Ok(None);
    };
    seq.parse::<u64>().map(Some).map_err(|_| {
        bad_input(format!(
            "{arg}: {id:?} is not a change's global id (\"Change:<seq>\", e.g. \"Change:12\")"
        ))
    })
}

/// The change `seq` numbers, if the log holds it.
pub(crate) fn change(store: &Store, seq: u64) -> Result<Option<Change>> {
    Ok(store.log_entry(seq).gql()?.map(Change))
}

/// `at_ms` as an RFC 3339 UTC timestamp.
fn timestamp(ms: u64) -> String {
    let date = Date::from_days_since_epoch(i64::try_from(ms / 86_400_000).unwrap_or(i64::MAX));
    let ms_of_day = ms % 86_400_000;
    let (h, m, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{date}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// One change to the graph: who did what to which record, with the record before and after.
#[Object]
impl Change {
    /// Global id, `"Change:<seq>"`, that `node(id:)` resolves: one per change, so that
    /// client caches keep each change apart.
    pub(crate) async fn id(&self) -> ID {
        ID(format!("{CHANGE_ID_PREFIX}{}", self.0.seq))
    }

    /// Position in the change log: 1 for the first change, one more for each after it,
    /// without gaps. Pass the last one seen to `changes(since:)` to catch up.
    async fn seq(&self) -> String {
        self.0.seq.to_string()
    }

    /// The operation (`createMeeting`, `addFunding`, `link` …).
    async fn op(&self) -> &str {
        &self.0.op
    }

    /// Global id of the record concerned (for a relationship, the record it starts at).
    async fn record_id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The type of that record.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// When it was written (RFC 3339, UTC).
    async fn at(&self) -> String {
        timestamp(self.0.at_ms)
    }

    /// The name of the token that wrote it.
    async fn by(&self) -> &str {
        &self.0.by
    }

    /// The record or relationship before the change; null if it was created.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .before
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
            .map(Json)
    }

    /// The record or relationship after the change; null if it was deleted.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .after
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .map(Json)
    }

    /// The record as it is now; null if it no longer exists.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let Ok(r) = NodeRef::parse(&self.0.id) else {
            return Ok(None);
        };
        Ok(store(ctx).get(&r).gql()?.map(Node::from))
    }
}

fn seq_arg(name: &str, text: Option<String>) -> Result<Option<u64>> {
    text.map(|t| {
        t.parse::<u64>()
            .map_err(|_| bad_input(format!("{name}: {t:?} is not a change sequence number")))
    })
    .transpose()
}

/// Reading the change log.
#[derive(Default)]
pub struct HistoryQuery;

/// Reading the change log.
#[Object]
impl HistoryQuery {
    /// The changes to one record, newest first, as a connection: page back in time with
    /// `first` and `after: pageInfo.endCursor`. A relationship's change is filed under the
    /// record it starts from. A record never changed (or never there) has an empty history.
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Global id of the record, e.g. \"Meeting:IAI-TF-63\" (the code is case-insensitive)."
        )]
        id: ID,
        #[graphql(
            desc = "Return the first n changes, newest first (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return changes older than this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n changes, the oldest of the range (0 to 100).")]
        last: Option<i64>,
        #[graphql(desc = "Return changes newer than this cursor.")] before: Option<String>,
    ) -> Result<Conn<Change>> {
        let r = NodeRef::parse(&id).map_err(|e| bad_input(format!("id: {e}")))?;
        let window = Window::new(first, after, last, before)?;
        let store = store(ctx);
        // Keyed so that ascending key order is newest first.
        let seqs = store.history_seqs(&r.id()).gql()?;
        // A record's history is read whole: as many reads of the request's as it holds.
        super::filter::reads(ctx)
            .spend(u64::try_from(seqs.len()).unwrap_or(u64::MAX), "history")
            .gql()?;
        let items = seqs
            .into_iter()
            .map(|seq| ((u64::MAX - seq).to_be_bytes().to_vec(), Item::Change(seq)))
            .collect();
        connection(
            Backing::items(items),
            Of::FROM_ENDS,
            &window,
            |item| match item {
                Item::Change(seq) => change(store, seq),
                Item::Node(_) | Item::Edge(_) => Ok(None),
            },
        )
    }

    /// Every change after `since` (a sequence number; from the start without it), oldest
    /// first: a client catches up by passing the last `seq` it saw.
    #[graphql(
        complexity = "crate::graphql::connection::list_cost(first, MAX_ENTRIES, child_complexity)"
    )]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only changes after this sequence number.")] since: Option<String>,
        #[graphql(desc = "How many changes at most (1 to 500).", default = 100)] first: i64,
    ) -> Result<Vec<Change>> {
        let entries = store(ctx)
            .changes_since(
                seq_arg("since", since)?,
                limit("first", first, MAX_ENTRIES)?,
            )
            .gql()?;
        Ok(entries.into_iter().map(Change).collect())
    }
}

/// Live events.
pub struct Subscription;

/// Live events.
#[Subscription]
impl Subscription {
    /// Every change as it is committed, in commit order, optionally only of some types or
    /// records. Types match whatever their case (`"partner"` is `"Partner"`), and ids by
    /// their canonical form, codes being case-insensitive (`"Partner:gbr"` is
    /// `"Partner:GBR"`); a type or id that is not one is refused with BAD_USER_INPUT when
    /// subscribing. A subscriber that falls more than 1024 changes behind gets one
    /// SUBSCRIBER_TOO_SLOW error saying how many it missed, and the stream ends: catch up
    /// with `changes(since:)`, then subscribe again.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only changes to records of these types (e.g. [\"Meeting\"]; case-insensitive)."
        )]
        kinds: Option<Vec<String>>,
        #[graphql(
            desc = "Only changes to these records (global ids, e.g. [\"Partner:GBR\"]; codes case-insensitive)."
        )]
        ids: Option<Vec<ID>>,
    ) -> Result<impl Stream<Item = Result<Change>> + use<>> {
        let kinds = kinds.map(|k| kind_filter(&k)).transpose()?;
        let ids = ids.map(|i| id_filter(&i)).transpose()?;
        let store: Arc<Store> = Arc::clone(ctx.data_unchecked::<Arc<Store>>());
        let receiver = store.subscribe();
        Ok(futures_util::stream::unfold(Some(receiver), move |state| {
            let kinds = kinds.clone();
            let ids = ids.clone();
            async move {
                let mut receiver = state?;
                loop {
                    match receiver.recv().await {
                        Ok(entry) => {
                            let wanted = kinds
                                .as_ref()
                                .is_none_or(|k| k.iter().any(|k| *k == entry.kind))
                                && ids.as_ref().is_none_or(|i| i.contains(&entry.id));
                            if wanted {
                                return Some((Ok(Change(entry)), Some(receiver)));
                            }
                        }
                        Err(RecvError::Lagged(n)) => {
                            let e = coded(
                                SUBSCRIBER_TOO_SLOW,
                                format!(
                                    "this subscriber fell behind and missed {n} changes, so it \
                                     was dropped: catch up with changes(since:) from the last \
                                     seq it received, then subscribe again"
                                ),
                            );
                            return Some((Err(e), None));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        }))
    }
}

/// The canonical type names of a `kinds` filter (`"partner"` is `"Partner"`).
fn kind_filter(kinds: &[String]) -> Result<Vec<&'static str>> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            NodeKind::ALL
                .into_iter()
                .find(|n| n.type_name().eq_ignore_ascii_case(k))
                .map(NodeKind::type_name)
                .ok_or_else(|| {
                    let names: Vec<_> = NodeKind::ALL.iter().map(|n| n.type_name()).collect();
                    bad_input(format!(
                        "kinds[{i}]: {k:?} is not a record type ({})",
                        names.join(", ")
                    ))
                })
        })
        .collect()
}

/// The canonical global ids of an `ids` filter (`"Partner:gbr"` is `"Partner:GBR"`).
fn id_filter(ids: &[ID]) -> Result<Vec<String>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            NodeRef::parse(id)
                .map(|r| r.id())
                .map_err(|e| bad_input(format!("ids[{i}]: {e}")))
        })
        .collect()
}
