//! The sled trees of a store, opened once, addressed by [`TreeId`].

use super::postings::{Entries, Postings};
use crate::model::NodeKind;

/// Every tree of the store. The order is the order of [`Trees::all`], which multi-tree
/// transactions index into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TreeId {
    Meta,
    Node(NodeKind),
    Out,
    In,
    Search,
    Date,
    Facet,
    Approval,
    Cite,
    Log,
    LogById,
}

impl TreeId {
    pub fn name(self) -> String {
        match self {
            TreeId::Meta => "meta".into(),
            TreeId::Node(kind) => format!("node/{}", kind.noun()),
            TreeId::Out => "edge/out".into(),
            TreeId::In => "edge/in".into(),
            TreeId::Search => "idx/search".into(),
            TreeId::Date => "idx/date".into(),
            TreeId::Facet => "idx/facet".into(),
            TreeId::Approval => "idx/approval".into(),
            TreeId::Cite => "idx/cite".into(),
            TreeId::Log => "log".into(),
            TreeId::LogById => "log/by-id".into(),
        }
    }

    /// Whether the tree holds posting lists, many entries to a key (see
    /// [`super::postings`]): the edges, both ways, and the indexes, whose entries are many
    /// and small. The records stay one key each: reading one must not unpack many.
    pub fn chunked(self) -> bool {
        matches!(
            self,
            TreeId::Out
                | TreeId::In
                | TreeId::Search
                | TreeId::Cite
                | TreeId::Date
                | TreeId::Facet
                | TreeId::Approval
        )
    }

    /// Every tree, in the order of [`Trees::all`].
    pub fn all() -> Vec<TreeId> {
        let mut ids = vec![TreeId::Meta];
        ids.extend(NodeKind::ALL.map(TreeId::Node));
        ids.extend([
            TreeId::Out,
            TreeId::In,
            TreeId::Search,
            TreeId::Date,
            TreeId::Facet,
            TreeId::Approval,
            TreeId::Cite,
            TreeId::Log,
            TreeId::LogById,
        ]);
        ids
    }

    /// Position in [`Trees::all`].
    pub fn index(self) -> usize {
        match self {
            TreeId::Meta => 0,
            TreeId::Node(kind) => kind.tag() as usize,
            TreeId::Out => 8,
            TreeId::In => 9,
            TreeId::Search => 10,
            TreeId::Date => 11,
            TreeId::Facet => 12,
            TreeId::Approval => 13,
            TreeId::Cite => 14,
            TreeId::Log => 15,
            TreeId::LogById => 16,
        }
    }
}

pub struct Trees {
    pub all: Vec<sled::Tree>,
    /// Every tree seen as posting lists, by [`TreeId::index`]: what the chunked trees are.
    postings: Vec<Postings>,
}

impl Trees {
    pub fn open(db: &sled::Db) -> sled::Result<Trees> {
        let all = TreeId::all()
            .into_iter()
            .map(|id| db.open_tree(id.name()))
            .collect::<sled::Result<Vec<_>>>()?;
        let postings = TreeId::all()
            .into_iter()
            .map(|id| Postings::new(all[id.index()].clone()))
            .collect();
        Ok(Trees { all, postings })
    }

    pub fn get(&self, id: TreeId) -> &sled::Tree {
        &self.all[id.index()]
    }

    /// The posting lists of a chunked tree.
    pub fn postings(&self, id: TreeId) -> Option<&Postings> {
        id.chunked().then(|| self.chunks(id))
    }

    /// Every entry of a tree in key order, chunked or not.
    pub fn entries(&self, id: TreeId) -> Entries<'_> {
        match self.postings(id) {
            Some(p) => p.iter(),
            None => Box::new(self.get(id).iter().map(|kv| Ok(kv?))),
        }
    }

    /// The entries of a tree whose keys start with `prefix`, chunked or not.
    pub fn scan_prefix(&self, id: TreeId, prefix: &[u8]) -> Entries<'_> {
        match self.postings(id) {
            Some(p) => p.scan_prefix(prefix),
            None => Box::new(self.get(id).scan_prefix(prefix).map(|kv| Ok(kv?))),
        }
    }

    /// The posting lists of a tree the caller knows is [chunked](TreeId::chunked).
    pub fn chunks(&self, id: TreeId) -> &Postings {
        &self.postings[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_match_the_order_of_all() {
        for (i, id) in TreeId::all().into_iter().enumerate() {
            assert_eq!(id.index(), i, "{id:?}");
        }
    }
}
