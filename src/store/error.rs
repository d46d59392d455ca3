//! What can go wrong in the store.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error(
        "the store at {dir} is in use by another process (only one process may open a store; \
         stop it, or query it through its server with --endpoint)"
    )]
    Locked { dir: PathBuf },
    #[error(
        "the store at {dir} has format version {found}, but this build reads version {expected}: \
         export it with the build that wrote it, then import the file into a new directory"
    )]
    Version {
        dir: PathBuf,
        found: u32,
        expected: u32,
    },
    /// A store of an earlier format, which `upgrade` rewrites.
    #[error(
        "the store at {dir} has format version {found}, and this build reads version {expected}: \
         run `asean-graph --data {dir} upgrade` to upgrade it in place (export it first with the \
         build that wrote it if you want a copy)"
    )]
    Outdated {
        dir: PathBuf,
        found: u32,
        expected: u32,
    },
    /// An upgrade was stopped midway; running it again finishes it.
    #[error(
        "the store at {dir} was being upgraded when the upgrade stopped: run \
         `asean-graph --data {dir} upgrade` again to finish it"
    )]
    UpgradeInterrupted { dir: PathBuf },
    /// A command that only reads was pointed at a directory holding no store.
    #[error(
        "no store at {dir} (only `import` and `serve` create one: check --data / ASEAN_GRAPH_DATA)"
    )]
    Missing { dir: PathBuf },
    #[error("cannot open the store at {dir}: {source}")]
    Open { dir: PathBuf, source: sled::Error },
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The entries of a long load or check could not be sorted in a temporary file (in
    /// TMPDIR).
    #[error("cannot sort entries in a temporary file (TMPDIR): {0}")]
    Spill(std::io::Error),
    /// A bulk load was asked of a store that holds records.
    #[error("the store is not empty")]
    NotEmpty,
    /// A reader gave up after the number of reads it was allowed (see
    /// [`crate::store::ReadBudget`]).
    #[error("{what} needs more than the {reads} reads of the store its request may make")]
    OverBudget { what: String, reads: u64 },
    /// A write broke rules; nothing was written. Each violation says which change.
    #[error("{}", .0.iter().map(|v| v.violation.to_string()).collect::<Vec<_>>().join("; "))]
    Rejected(Vec<crate::store::ChangeViolation>),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
