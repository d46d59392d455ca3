//! The change log: every write appends one entry per record or relationship it changes, in
//! the same transaction. Entries are numbered in commit order; `log/by-id` indexes them by
//! the id they concern. Committed entries are also broadcast to live subscribers.

use super::keys::push_code;
use super::trees::TreeId;
use super::{Result, Store, StoreError, codec};
use serde::{Deserialize, Serialize};

/// How many events a slow subscriber may fall behind before it is dropped.
pub const EVENT_BUFFER: usize = 1024;

/// One change, as the log keeps it. `before` and `after` are the JSON of the record or
/// relationship (absent when created or deleted, respectively).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the log: 1 for the first entry, then one more for each, in commit order,
    /// across restarts.
    pub seq: u64,
    /// Milliseconds since the Unix epoch, UTC.
    pub at_ms: u64,
    /// The name of the token that wrote it.
    pub by: String,
    /// The operation (`createMember`, `addFunding` …).
    pub op: String,
    /// The global id of the record concerned (for a relationship, its `from` end).
    pub id: String,
    /// The kind of the record concerned (its GraphQL type name).
    pub kind: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub(super) fn by_id_key(id: &str, seq: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(id.len() + 9);
    push_code(&mut key, id);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

pub(super) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Store {
    /// A new receiver of committed log entries. A receiver that falls more than
    /// [`EVENT_BUFFER`] entries behind gets `Lagged` and should give up.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<LogEntry> {
        self.events.subscribe()
    }

    /// The sequence numbers of the entries concerning `id`, oldest first: one key-only
    /// prefix scan of `log/by-id`, reading no entry.
    pub fn history_seqs(&self, id: &str) -> Result<Vec<u64>> {
        let mut prefix = Vec::new();
        push_code(&mut prefix, id);
        let mut out = Vec::new();
        for kv in self.tree(TreeId::LogById).scan_prefix(&prefix) {
            let (k, _) = kv?;
            let seq_bytes: [u8; 8] = k[prefix.len()..]
                .try_into()
                .map_err(|_| StoreError::Corrupt(format!("log/by-id: bad key {k:?}")))?;
            out.push(u64::from_be_bytes(seq_bytes));
        }
        Ok(out)
    }

    /// Entries after `after_seq` (all if `None`), oldest first, at most `limit`.
    pub fn changes_since(&self, after_seq: Option<u64>, limit: usize) -> Result<Vec<LogEntry>> {
        let lo = after_seq.map_or(0, |s| s.saturating_add(1));
        let mut out = Vec::new();
        for kv in self.tree(TreeId::Log).range(lo.to_be_bytes()..) {
            let (_, v) = kv?;
            out.push(codec::decode(&v).map_err(|e| StoreError::Corrupt(format!("log: {e}")))?);
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    /// The number the next entry gets: one after the last entry's (1 in an empty log). Read
    /// under the writer lock, so a number is never given twice and a failed commit gives
    /// none away; the log is the counter, so a restart leaves no gap.
    pub(super) fn next_seq(&self) -> Result<u64> {
        match self.tree(TreeId::Log).last()? {
            None => Ok(1),
            Some((k, _)) => {
                let seq = <[u8; 8]>::try_from(k.as_ref())
                    .map(u64::from_be_bytes)
                    .map_err(|_| StoreError::Corrupt(format!("log: bad key {k:?}")))?;
                seq.checked_add(1)
                    .ok_or_else(|| StoreError::Corrupt("log: the last seq is u64::MAX".into()))
            }
        }
    }

    /// The entry numbered `seq`, if the log holds one.
    pub fn log_entry(&self, seq: u64) -> Result<Option<LogEntry>> {
        match self.tree(TreeId::Log).get(seq.to_be_bytes())? {
            None => Ok(None),
            Some(v) => {
                Ok(Some(codec::decode(&v).map_err(|e| {
                    StoreError::Corrupt(format!("log {seq}: {e}"))
                })?))
            }
        }
    }
}
