//! What every mutation shares: the role check, one store transaction off the async runtime
//! (flushed before it returns), the change-log entries, and error mapping.

use crate::graphql::auth::{Role, require};
use crate::graphql::error::{NOT_FOUND, bad_input, coded, from_store, internal};
use crate::model::{Edge, Node, NodeKind, NodeRef};
use crate::store::{Change, LogEntry, Store, StoreError};
use async_graphql::{Context, Error, Result};
use serde_json::{Value, json};
use std::sync::Arc;

/// A failed write: a store error (mapped to its code) or a client error already coded.
pub enum WriteError {
    Store(StoreError),
    Client(Error),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> WriteError {
        WriteError::Store(e)
    }
}

impl From<Error> for WriteError {
    fn from(e: Error) -> WriteError {
        WriteError::Client(e)
    }
}

pub type WriteResult<T> = std::result::Result<T, WriteError>;

/// Who writes and with which operation: makes the change-log entries.
#[derive(Clone)]
pub struct Logger {
    pub by: String,
    pub op: String,
}

impl Logger {
    pub fn node(&self, before: Option<&Node>, after: Option<&Node>) -> Change {
        let node = after.or(before).map(Node::node_ref);
        let (id, kind) = node.map_or((String::new(), ""), |r| (r.id(), r.kind.type_name()));
        self.entry(id, kind, before.map(node_json), after.map(node_json))
    }

    pub fn edge(&self, before: Option<&Edge>, after: Option<&Edge>) -> Change {
        let edge = after.or(before);
        let (id, kind) = edge.map_or((String::new(), ""), |e| {
            (e.from.id(), e.from.kind.type_name())
        });
        self.entry(id, kind, before.map(edge_json), after.map(edge_json))
    }

    fn entry(&self, id: String, kind: &str, before: Option<Value>, after: Option<Value>) -> Change {
        Change::Log(LogEntry {
            seq: 0,
            at_ms: 0,
            by: self.by.clone(),
            op: self.op.clone(),
            id,
            kind: kind.to_owned(),
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
        })
    }
}

/// A record as JSON (camelCase fields, as the API names them).
pub fn node_json(node: &Node) -> Value {
    let value = match node {
        Node::Member(x) => serde_json::to_value(x),
        Node::Partner(x) => serde_json::to_value(x),
        Node::Body(x) => serde_json::to_value(x),
        Node::Meeting(x) => serde_json::to_value(x),
        Node::Initiative(x) => serde_json::to_value(x),
        Node::Person(x) => serde_json::to_value(x),
        Node::Source(x) => serde_json::to_value(x),
    };
    value.unwrap_or(Value::Null)
}

/// A record of `kind` from JSON; the error names the field at fault.
pub fn node_from_json(kind: NodeKind, value: Value) -> Result<Node> {
    fn read<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            bad_input(format!("input.{path}: {}", e.into_inner()))
        })
    }
    Ok(match kind {
        NodeKind::Member => Node::Member(read(value)?),
        NodeKind::Partner => Node::Partner(read(value)?),
        NodeKind::Body => Node::Body(read(value)?),
        NodeKind::Meeting => Node::Meeting(read(value)?),
        NodeKind::Initiative => Node::Initiative(read(value)?),
        NodeKind::Person => Node::Person(read(value)?),
        NodeKind::Source => Node::Source(read(value)?),
    })
}

/// A relationship as JSON.
pub fn edge_json(edge: &Edge) -> Value {
    let mut v = json!({
        "kind": edge.kind.name(),
        "from": edge.from.id(),
        "to": if edge.to.is_asean() { "ASEAN".to_owned() } else { edge.to.id() },
    });
    if let Some(year) = edge.year {
        v["year"] = json!(year);
    }
    let props = serde_json::to_value(&edge.props).unwrap_or(Value::Null);
    if let Value::Object(map) = props {
        for (k, val) in map {
            let empty = val.is_null() || val.as_array().is_some_and(Vec::is_empty);
            if !empty {
                v[k] = val;
            }
        }
    }
    v
}

/// Runs one write: checks the caller's role, then builds and applies the changes in one
/// transaction on a blocking thread, flushed before it returns.
pub async fn write<T: Send + 'static>(
    ctx: &Context<'_>,
    role: Role,
    op: &str,
    build: impl FnOnce(&Store, &Logger) -> WriteResult<(Vec<Change>, T)> + Send + 'static,
) -> Result<T> {
    let by = require(ctx, role, op)?;
    let store: Arc<Store> = Arc::clone(ctx.data_unchecked::<Arc<Store>>());
    let logger = Logger {
        by,
        op: op.to_owned(),
    };
    // From here the write runs to its end even if the request is dropped: say so first.
    if let Some(begun) = ctx.data_opt::<crate::graphql::budget::WriteBegun>() {
        begun.mark();
    }
    let result = tokio::task::spawn_blocking(move || store.transact(|s| build(s, &logger)))
        .await
        .map_err(internal)?;
    match result {
        Ok(value) => Ok(value),
        Err(WriteError::Store(e)) => Err(from_store(e)),
        Err(WriteError::Client(e)) => Err(e),
    }
}

/// The record `r`, or NOT_FOUND.
pub fn existing(store: &Store, r: &NodeRef) -> WriteResult<Node> {
    store.get(r)?.ok_or_else(|| {
        WriteError::Client(coded(
            NOT_FOUND,
            format!("no {} {:?}", r.kind.noun(), r.code),
        ))
    })
}
