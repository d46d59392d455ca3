//! The JSON interchange format (docs/dataset.md): import, validated and all-or-nothing;
//! export, deterministic; and the synthetic generator.

mod document;
mod export;
mod generate;
mod read;
mod stream;

pub use document::{Document, FORMAT};
pub use export::{document as export_document, to_json};
pub use generate::{PROJECTS_PER_COPY, SYNTHETIC, generate, generate_with};

/// The bundled dataset (`data/asean.json`), embedded so the binary runs from any directory.
pub const BUNDLED: &str = include_str!("../../data/asean.json");

use crate::model::progress::{Progress, Quiet, units};
use crate::model::{EdgeKind, NodeKind, NodeRef, join_path};
use crate::store::{Change, EdgeId, Store, StoreError};
use std::collections::HashSet;
use std::fmt;
use std::io::{Read, Seek};

/// What to do when the store already holds records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Refuse to import into a non-empty store.
    Refuse,
    /// Upsert by code: a record in the file replaces the stored one with its relationships.
    Merge,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub records: usize,
    pub relationships: usize,
    pub merged: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is not UTF-8 JSON of the interchange format's shape.
    #[error("{0}")]
    Unreadable(String),
    /// The file is readable, but breaks rules; every fault, each with its JSON path.
    #[error("{} error(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
    #[error(
        "the store at {dir} already holds {records} records: import into an empty directory, \
         or pass --merge to upsert the file's records by code"
    )]
    NotEmpty { dir: String, records: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads bytes as an interchange document: UTF-8, JSON, the right shape.
pub fn parse(bytes: &[u8]) -> Result<Document, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ImportError::Unreadable(format!(
            "the file is not UTF-8: invalid bytes at offset {}",
            e.valid_up_to()
        ))
    })?;
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = path.strip_suffix(".?").unwrap_or(&path).to_owned();
        let inner = e.into_inner();
        let at = if path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        ImportError::Unreadable(format!("{at}{inner}"))
    })
}

/// Writes the whole document, validated against the model and the store, or nothing: read a
/// record at a time into an empty store by a bulk load, or into one that holds records (a
/// merge) in batches, each verified in the store once written (see [`import_streamed`]). A
/// document with a fault is read whole, to name every fault with its path.
pub fn import(store: &Store, bytes: &[u8], mode: Mode) -> Result<ImportReport, ImportError> {
    import_with(store, bytes, mode, &Quiet)
}

/// [`import`], telling `progress` how far it is: reading the file, then verifying, indexing
/// and writing into an empty store, or merging.
pub fn import_with(
    store: &Store,
    bytes: &[u8],
    mode: Mode,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    if let Some(report) = import_streamed(store, bytes, units(bytes.len()), mode, progress)? {
        return Ok(report);
    }
    import_document_with(store, read_with(bytes, progress)?, mode, progress)
}

/// [`import_with`] of an open file, streamed a record at a time; it is read whole only to
/// name what is wrong with it.
pub fn import_file(
    store: &Store,
    mut file: std::fs::File,
    mode: Mode,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    let unreadable =
        |e: std::io::Error| ImportError::Unreadable(format!("cannot read the file: {e}"));
    let len = file.metadata().map_err(unreadable)?.len();
    if let Some(report) = import_streamed(store, &mut file, len, mode, progress)? {
        return Ok(report);
    }
    file.rewind().map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    let doc = read_with(&bytes, progress)?;
    // The file's bytes are freed before the document is planned.
    drop(bytes);
    import_document_with(store, doc, mode, progress)
}

/// Streams a document into an empty store (see [`Store::streamed_load`]: the phases
/// `reading` of `len` bytes, `verifying`, `indexing` and `writing`), or merges it into one
/// that holds records (see [`Store::streamed_merge`]: the phases `merging` of `len` bytes,
/// then `verifying`). `None` when the file has a fault, which the caller finds by reading
/// the file whole, the store then as it was; or when the store holds records and `mode`
/// refuses them, which the caller says.
fn import_streamed(
    store: &Store,
    reader: impl std::io::Read,
    len: u64,
    mode: Mode,
    progress: &dyn Progress,
) -> Result<Option<ImportReport>, ImportError> {
    let report = |fed: stream::Fed, merged| ImportReport {
        records: fed.records,
        relationships: fed.relationships,
        merged,
    };
    match store.streamed_load() {
        Ok(mut load) => {
            progress.phase("reading", len, "bytes");
            let Some(fed) = stream::feed(reader, stream::Target::Load(&mut load), progress)? else {
                return Ok(None);
            };
            Ok(load.finish(progress)?.then(|| report(fed, false)))
        }
        Err(StoreError::NotEmpty) if mode == Mode::Merge => {
            let mut merge = store.streamed_merge()?;
            progress.phase("merging", len, "bytes");
            let Some(fed) = stream::feed(reader, stream::Target::merge(&mut merge), progress)?
            else {
                // Dropped unfinished, the merge is undone.
                return Ok(None);
            };
            Ok(merge.finish(progress)?.then(|| report(fed, true)))
        }
        Err(StoreError::NotEmpty) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// [`parse`], telling `progress` (the phase `reading`).
pub fn read_with(bytes: &[u8], progress: &dyn Progress) -> Result<Document, ImportError> {
    progress.phase("reading", units(bytes.len()), "bytes");
    let doc = parse(bytes)?;
    progress.advance(units(bytes.len()));
    Ok(doc)
}

/// [`import_with`] of a document already read: the caller can free the file's bytes first.
pub fn import_document_with(
    store: &Store,
    doc: Document,
    mode: Mode,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    // Each record of the document is freed once planned.
    let plan = read::plan(doc);
    let declared: HashSet<NodeRef> = plan.declared.iter().cloned().collect();
    let records = plan.declared.len();
    let relationships = plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::PutEdge(_)))
        .count();

    if !plan.errors.is_empty() {
        // Report the values that did not parse together with what the rest breaks, leaving
        // out references to records that are in the file but did not parse.
        let mut errors: Vec<String> = plan.errors.iter().map(ToString::to_string).collect();
        let mut changes = plan.changes;
        if mode == Mode::Merge && !store.is_empty()? {
            // As the merge would apply: without the relationships the file replaces.
            let stale = stale_edges(store, &declared, &changes)?;
            changes.extend(stale);
        }
        for v in store.verify(&changes)? {
            if v.missing.as_ref().is_some_and(|m| declared.contains(m)) {
                continue;
            }
            errors.push(at(&plan.paths, &v));
        }
        return Err(ImportError::Invalid(errors));
    }

    let paths = plan.paths;
    let rejected = |violations: Vec<crate::store::ChangeViolation>| {
        ImportError::Invalid(violations.iter().map(|v| at(&paths, v)).collect())
    };
    if store.is_empty()? {
        match store.load_into_empty(plan.changes, progress) {
            Ok(()) => {
                return Ok(ImportReport {
                    records,
                    relationships,
                    merged: false,
                });
            }
            Err(StoreError::Rejected(violations)) => return Err(rejected(violations)),
            Err(StoreError::NotEmpty) => {
                return Err(ImportError::Store(StoreError::NotEmpty));
            }
            Err(e) => return Err(e.into()),
        }
    }
    if mode == Mode::Refuse {
        return Err(ImportError::NotEmpty {
            dir: store.dir().display().to_string(),
            records: store.counts().total_nodes(),
        });
    }
    // Verified whole, then written in batches: all of it lands, or none.
    let result = store.apply_in_batches(
        |store| {
            let mut changes = plan.changes;
            changes.extend(stale_edges(store, &declared, &changes)?);
            Ok::<_, ImportError>(changes)
        },
        progress,
    );
    match result {
        Ok(()) => Ok(ImportReport {
            records,
            relationships,
            merged: true,
        }),
        Err(ImportError::Store(StoreError::Rejected(violations))) => Err(rejected(violations)),
        Err(e) => Err(e),
    }
}

/// `path: message` for a violation of the change at `v.change`.
fn at(paths: &[String], v: &crate::store::ChangeViolation) -> String {
    let base = paths.get(v.change).map(String::as_str).unwrap_or("");
    let mut violation = v.violation.clone();
    violation.path = join_path(base, &violation.path);
    violation.to_string()
}

/// The relationships a record owns: those the file states under the record.
fn owned(kind: NodeKind) -> &'static [(EdgeKind, bool)] {
    match kind {
        NodeKind::Body => &[(EdgeKind::ReportsTo, true)],
        NodeKind::Person => &[(EdgeKind::Represents, true)],
        NodeKind::Initiative => &[(EdgeKind::PartOf, true), (EdgeKind::LedBy, true)],
        NodeKind::Meeting => &[
            (EdgeKind::HeldBy, true),
            (EdgeKind::ChairedBy, true),
            (EdgeKind::Participant, true),
            (EdgeKind::Discussed, true),
            (EdgeKind::Approved, true),
            (EdgeKind::Recommended, true),
            (EdgeKind::ReportsToMeeting, true),
            (EdgeKind::Prepares, true),
            (EdgeKind::ReportedAt, true),
            (EdgeKind::Delegation, false),
            (EdgeKind::SpokeAt, false),
            (EdgeKind::Presided, false),
        ],
        NodeKind::Member | NodeKind::Partner | NodeKind::Source => &[],
    }
}

/// In a merge: the stored relationships of the file's records that the file no longer
/// states, to delete.
fn stale_edges(
    store: &Store,
    declared: &HashSet<NodeRef>,
    changes: &[Change],
) -> Result<Vec<Change>, StoreError> {
    let kept: HashSet<EdgeId> = changes
        .iter()
        .filter_map(|c| match c {
            Change::PutEdge(e) => Some(EdgeId::of(e)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for r in declared {
        out.extend(stale_edges_of(store, r, &kept)?);
    }
    Ok(out)
}

/// The stored relationships `r` owns that are not in `kept`, to delete. A record's owned
/// relationships are stated under it and nowhere else: the record's own statements are all
/// a merge needs to find them.
fn stale_edges_of(
    store: &Store,
    r: &NodeRef,
    kept: &HashSet<EdgeId>,
) -> Result<Vec<Change>, StoreError> {
    let mut out = Vec::new();
    for &(kind, outgoing) in owned(r.kind) {
        let edges = if outgoing {
            store.edges_out(kind, r)?
        } else {
            store.edges_in(kind, r)?
        };
        out.extend(
            edges
                .iter()
                .map(EdgeId::of)
                .filter(|id| !kept.contains(id))
                .map(Change::DeleteEdge),
        );
    }
    Ok(out)
}

/// The store's whole content as interchange JSON.
pub fn export(store: &Store) -> Result<String, StoreError> {
    export_with(store, &Quiet)
}

/// [`export`], telling `progress` of each record read.
pub fn export_with(store: &Store, progress: &dyn Progress) -> Result<String, StoreError> {
    Ok(to_json(&export::document_with(store, progress)?))
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} records and {} relationships",
            if self.merged { "merged" } else { "imported" },
            self.records,
            self.relationships
        )
    }
}
