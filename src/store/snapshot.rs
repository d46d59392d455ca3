//! Snapshots of whole relations held in memory, keyed on the store's generation (as
//! [`Store::sizes`] is): every funding, as the fundings list pages and aggregates them, and
//! each initiative's parent, which `under` and the grouping by a target's ancestor walk for
//! item after item. Reading them from memory spares a sled iteration of the whole relation
//! per request (about 2.5 µs an item). A write carries them over by its own changes
//! ([`Store::advance_generation_by`]); only a bulk load leaves them to be taken again.

use super::write::Change;
use super::{EdgeId, Item, Result, Store, TreeId};
use crate::model::{Edge, EdgeKind, NodeRef};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The fundings in list order, each under the key the fundings listing gives it.
pub type Fundings = Arc<Vec<(Vec<u8>, Item)>>;
/// Each initiative's parent.
pub type Parents = Arc<HashMap<NodeRef, NodeRef>>;

/// The snapshots, each with the generation it was taken at.
#[derive(Default)]
pub(super) struct Snapshots {
    fundings: Mutex<Option<(u64, Fundings)>>,
    parents: Mutex<Option<(u64, Parents)>>,
}

/// The value in `slot` if it was taken at `generation`, else `take()`'s, kept.
fn current<T: Clone>(
    slot: &Mutex<Option<(u64, T)>>,
    generation: u64,
    take: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let mut kept = slot.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((at, value)) = &*kept
        && *at == generation
    {
        return Ok(value.clone());
    }
    let value = take()?;
    *kept = Some((generation, value.clone()));
    Ok(value)
}

impl Store {
    /// Every funding, in the order and under the keys of [`Store::list_fundings`].
    pub fn fundings(&self) -> Result<Fundings> {
        // The generation is read before the snapshot is taken: a write meanwhile makes the
        // next call take it again.
        let generation = self.generation();
        current(&self.snapshots.fundings, generation, || {
            let items = self.list_fundings().all().collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(items))
        })
    }

    /// Each initiative's parent (the `to` of its `PartOf` edge).
    pub fn parents(&self) -> Result<Parents> {
        let generation = self.generation();
        current(&self.snapshots.parents, generation, || {
            let mut parents = HashMap::new();
            for kv in self
                .trees
                .scan_prefix(TreeId::Out, &[EdgeKind::PartOf.tag()])
            {
                let (k, _) = kv?;
                if let Some(id) = EdgeId::decode(&k, true) {
                    parents.insert(id.from, id.to);
                }
            }
            Ok(Arc::new(parents))
        })
    }
}

/// Past this many changes to one relation, a write drops its snapshot (to be taken again by
/// the next read) rather than carry it over: each carried change costs a shift of the list.
const CARRY_AT_MOST: usize = 256;

impl Store {
    /// Moves the generation on past a committed write, carrying the snapshots taken at the
    /// one before over by `changes`. Called under the writer lock once the write is visible;
    /// readers wait on the snapshots' locks, and so never see the new generation with the
    /// old snapshot.
    pub(super) fn advance_generation_by(&self, changes: &[Change]) {
        let mut fundings = self
            .snapshots
            .fundings
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let mut parents = self
            .snapshots
            .parents
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let before = self.generation();
        self.advance_generation();
        let after = self.generation();
        let edits = |kind: EdgeKind| {
            changes.iter().filter_map(move |c| match c {
                Change::InsertEdge(e) | Change::PutEdge(e) if e.kind == kind => {
                    Some((EdgeId::of(e), Some(e)))
                }
                Change::DeleteEdge(id) if id.kind == kind => Some((id.clone(), None)),
                _ => None,
            })
        };
        *fundings = match fundings.take() {
            Some((at, list)) if at == before => {
                carried(edits(EdgeKind::Funds), list, carry_funding).map(|l| (after, l))
            }
            _ => None,
        };
        *parents = match parents.take() {
            Some((at, map)) if at == before => {
                carried(edits(EdgeKind::PartOf), map, carry_parent).map(|m| (after, m))
            }
            _ => None,
        };
    }
}

/// `snapshot` with `edits` applied by `apply`, or `None` (to be taken again) past
/// [`CARRY_AT_MOST`] edits. Without edits, the same snapshot.
fn carried<'c, T: Clone>(
    edits: impl Iterator<Item = (EdgeId, Option<&'c Edge>)>,
    snapshot: Arc<T>,
    apply: fn(&mut T, EdgeId, Option<&Edge>),
) -> Option<Arc<T>> {
    let edits: Vec<_> = edits.take(CARRY_AT_MOST + 1).collect();
    if edits.is_empty() {
        return Some(snapshot);
    }
    if edits.len() > CARRY_AT_MOST {
        return None;
    }
    let mut value = Arc::unwrap_or_clone(snapshot);
    for (id, edge) in edits {
        apply(&mut value, id, edge);
    }
    Some(Arc::new(value))
}

fn carry_funding(list: &mut Vec<(Vec<u8>, Item)>, id: EdgeId, edge: Option<&Edge>) {
    let key = id.out_key();
    let at = list.binary_search_by(|(k, _)| k.as_slice().cmp(&key));
    match (at, edge) {
        (Ok(i), Some(e)) => list[i].1 = Item::Edge(e.clone()),
        (Err(i), Some(e)) => list.insert(i, (key, Item::Edge(e.clone()))),
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(_), None) => {}
    }
}

fn carry_parent(map: &mut HashMap<NodeRef, NodeRef>, id: EdgeId, edge: Option<&Edge>) {
    match edge {
        Some(_) => {
            map.insert(id.from, id.to);
        }
        // Only the parent the edge names: a change before it may have set another.
        None if map.get(&id.from) == Some(&id.to) => {
            map.remove(&id.from);
        }
        None => {}
    }
}
