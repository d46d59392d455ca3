//! How many records of each kind and how many edges the store holds, kept in `meta` and
//! moved by every write in its transaction. sled's `len` reads a whole tree, and sled keeps
//! every page it has read in memory: `/health`, the import summary and the pricing of
//! counts read this instead.

use super::check::Counts;
use super::trees::TreeId;
use super::{Result, Store, StoreError};
use crate::model::NodeKind;

/// The key of the tally in `meta`: a u64 BE per kind of record (in [`NodeKind::ALL`]'s
/// order), then one for the edges.
pub(super) const TALLY_KEY: &[u8] = b"tally";

const KINDS: usize = NodeKind::ALL.len();

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    nodes: [u64; KINDS],
    pub edges: u64,
}

fn slot(kind: NodeKind) -> usize {
    NodeKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

impl Tally {
    pub fn of(&self, kind: NodeKind) -> u64 {
        self.nodes[slot(kind)]
    }

    /// Moves the count of `kind` by a record that was stored (`before`) or not, and is
    /// (`after`) or not.
    pub fn moved(&mut self, kind: NodeKind, before: bool, after: bool) -> Result<()> {
        let n = &mut self.nodes[slot(kind)];
        *n = match (before, after) {
            (false, true) => n.checked_add(1),
            (true, false) => n.checked_sub(1),
            _ => Some(*n),
        }
        .ok_or_else(|| {
            StoreError::Corrupt(format!("meta/tally: the {} count is off", kind.noun()))
        })?;
        Ok(())
    }

    pub fn encode(&self) -> Vec<u8> {
        self.nodes
            .iter()
            .chain([&self.edges])
            .flat_map(|n| n.to_be_bytes())
            .collect()
    }

    fn decode(bytes: &[u8]) -> Option<Tally> {
        let mut numbers = bytes
            .chunks_exact(8)
            .map(|c| <[u8; 8]>::try_from(c).ok().map(u64::from_be_bytes));
        let mut tally = Tally::default();
        for n in &mut tally.nodes {
            *n = numbers.next()??;
        }
        tally.edges = numbers.next()??;
        (bytes.len() == 8 * (KINDS + 1)).then_some(tally)
    }

    pub fn counts(&self) -> Counts {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Counts {
            nodes: NodeKind::ALL.map(|k| (k, size(self.of(k)))).to_vec(),
            edges: size(self.edges),
        }
    }
}

impl Store {
    /// The tally as the writes kept it (all zero in a new store).
    pub(super) fn tally(&self) -> Result<Tally> {
        match self.tree(TreeId::Meta).get(TALLY_KEY)? {
            None => Ok(Tally::default()),
            Some(v) => Tally::decode(&v)
                .ok_or_else(|| StoreError::Corrupt("meta/tally: undecodable".into())),
        }
    }

    /// Counts every record and edge, and keeps the count: after a bulk write.
    pub(super) fn recount(&self, out: &super::postings::Postings) -> Result<Tally> {
        let mut tally = Tally::default();
        for kind in NodeKind::ALL {
            tally.nodes[slot(kind)] =
                u64::try_from(self.tree(TreeId::Node(kind)).len()).unwrap_or(u64::MAX);
        }
        for kv in out.iter() {
            kv?;
            tally.edges += 1;
        }
        self.tree(TreeId::Meta).insert(TALLY_KEY, tally.encode())?;
        Ok(tally)
    }
}
