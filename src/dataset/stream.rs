//! A document read record by record into a [`StreamedLoad`] (an empty store) or a
//! [`StreamedMerge`]: each record is parsed, planned (as [`super::read::plan`] plans a whole
//! document) and its changes handed over, then dropped. Nothing of the file is held but the
//! record being read, and in a merge a hash of each record and relationship it stated.
//!
//! Any fault stops the stream: a value that does not parse, JSON that is not the format's,
//! a failure of the load. It does not say what: the caller reads the file whole to name
//! every fault with its path, as an import always has.

use super::read::Plan;
use crate::model::NodeRef;
use crate::model::progress::Progress;
use crate::store::{Change, EdgeId, StoreError, StreamedLoad, StreamedMerge};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;
use std::hash::BuildHasher;
use std::io::{BufReader, Read};

/// What a stream fed the load.
pub(super) struct Fed {
    pub records: usize,
    pub relationships: usize,
}

/// Where the changes go.
pub(super) enum Target<'l, 's> {
    /// An empty store: a record or relationship stated twice shows there as a key written
    /// twice.
    Load(&'l mut StreamedLoad<'s>),
    /// A store that holds records: each record's stored relationships that the file no
    /// longer states are deleted, and a record or relationship stated twice is caught by
    /// its hash (a false alarm only sends the file to the path that reads it whole).
    Merge {
        merge: &'l mut StreamedMerge<'s>,
        records: HashSet<u64>,
        edges: HashSet<u64>,
    },
}

impl<'l, 's> Target<'l, 's> {
    pub(super) fn merge(merge: &'l mut StreamedMerge<'s>) -> Self {
        Target::Merge {
            merge,
            records: HashSet::new(),
            edges: HashSet::new(),
        }
    }
}

/// Reads `reader` into `target`, telling `progress` of each byte read. `Ok(None)` when the
/// stream stopped at a fault of the file (the load or merge is then to be dropped
/// unfinished).
pub(super) fn feed(
    reader: impl Read,
    target: Target<'_, '_>,
    progress: &dyn Progress,
) -> Result<Option<Fed>, StoreError> {
    let reader = BufReader::with_capacity(1 << 16, Counted { reader, progress });
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut feeder = Feeder {
        plan: Plan::streaming(),
        target,
        relationships: 0,
        failed: None,
    };
    let read = de::Deserializer::deserialize_map(&mut de, &mut feeder).and_then(|()| de.end());
    if let Some(e) = feeder.failed {
        return Err(e);
    }
    Ok(read.ok().map(|()| Fed {
        records: feeder.plan.records,
        relationships: feeder.relationships,
    }))
}

/// Tells `progress` of the bytes read.
struct Counted<'p, R> {
    reader: R,
    progress: &'p dyn Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.progress.advance(u64::try_from(n).unwrap_or(u64::MAX));
        Ok(n)
    }
}

struct Feeder<'l, 's> {
    plan: Plan,
    target: Target<'l, 's>,
    relationships: usize,
    /// A failure of the load (not of the file), which ends the import.
    failed: Option<StoreError>,
}

impl Feeder<'_, '_> {
    /// Hands what the plan holds to the load. `false` stops the stream: the plan found a
    /// fault, or the load failed.
    fn hand_over(&mut self) -> bool {
        self.plan.paths.clear();
        if !self.plan.errors.is_empty() {
            return false;
        }
        let changes = std::mem::take(&mut self.plan.changes);
        self.relationships += changes
            .iter()
            .filter(|c| matches!(c, Change::PutEdge(_)))
            .count();
        let handed = match &mut self.target {
            Target::Load(load) => changes.iter().try_for_each(|c| load.push(c)).map(|()| true),
            Target::Merge {
                merge,
                records,
                edges,
            } => merge_record(merge, records, edges, changes),
        };
        match handed {
            Ok(handed) => handed,
            Err(e) => {
                self.failed = Some(e);
                false
            }
        }
    }
}

/// Hands one record's changes (or one funding's, one chairmanship's) to a merge, with the
/// deletions of the relationships the record no longer states. `false` if the record or
/// a relationship was seen before.
fn merge_record(
    merge: &mut StreamedMerge<'_>,
    records: &mut HashSet<u64>,
    edges: &mut HashSet<u64>,
    changes: Vec<Change>,
) -> Result<bool, StoreError> {
    // Fixed keys: the hashes only need to differ within one file.
    let hasher =
        std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default();
    let mut declared: Option<NodeRef> = None;
    let mut stated: HashSet<EdgeId> = HashSet::new();
    for change in &changes {
        match change {
            Change::PutNode(node) => {
                let r = node.node_ref();
                if !records.insert(hasher.hash_one(&r)) {
                    return Ok(false);
                }
                declared = Some(r);
            }
            Change::PutEdge(edge) => {
                let id = EdgeId::of(edge);
                if !edges.insert(hasher.hash_one(&id)) {
                    return Ok(false);
                }
                stated.insert(id);
            }
            _ => {}
        }
    }
    let stale = match &declared {
        Some(r) => super::stale_edges_of(merge.store(), r, &stated)?,
        None => Vec::new(),
    };
    for change in changes.into_iter().chain(stale) {
        merge.push(change)?;
    }
    Ok(true)
}

/// The fields of a document, as `Document` names them.
const FIELDS: &[&str] = &[
    "format",
    "sources",
    "members",
    "partners",
    "bodies",
    "people",
    "initiatives",
    "meetings",
    "fundings",
    "chairmanships",
];

fn stopped<E: de::Error>() -> E {
    E::custom("the stream stopped at a fault")
}

impl<'de> Visitor<'de> for &mut Feeder<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an asean-graph document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = [false; FIELDS.len()];
        while let Some(key) = map.next_key::<String>()? {
            let Some(field) = FIELDS.iter().position(|f| *f == key) else {
                return Err(de::Error::unknown_field(&key, FIELDS));
            };
            if std::mem::replace(&mut seen[field], true) {
                return Err(de::Error::duplicate_field(FIELDS[field]));
            }
            match FIELDS[field] {
                "format" => {
                    let format: String = map.next_value()?;
                    self.plan.format(&format);
                    if !self.hand_over() {
                        return Err(stopped());
                    }
                }
                "sources" => map.next_value_seed(Records::new(&mut *self, Plan::source))?,
                "members" => map.next_value_seed(Records::new(&mut *self, Plan::member))?,
                "partners" => map.next_value_seed(Records::new(&mut *self, Plan::partner))?,
                "bodies" => map.next_value_seed(Records::new(&mut *self, Plan::body))?,
                "people" => map.next_value_seed(Records::new(&mut *self, Plan::person))?,
                "initiatives" => map.next_value_seed(Records::new(&mut *self, Plan::initiative))?,
                "meetings" => map.next_value_seed(Records::new(&mut *self, Plan::meeting))?,
                "fundings" => map.next_value_seed(Records::new(&mut *self, Plan::funding))?,
                _ => map.next_value_seed(Records::new(&mut *self, Plan::chairmanship))?,
            }
        }
        if !seen[0] {
            return Err(de::Error::missing_field("format"));
        }
        Ok(())
    }
}

/// One of the document's lists, each record planned and handed over as it is read.
struct Records<'f, 'l, 's, T> {
    feeder: &'f mut Feeder<'l, 's>,
    plan: fn(&mut Plan, usize, T),
}

impl<'f, 'l, 's, T> Records<'f, 'l, 's, T> {
    fn new(feeder: &'f mut Feeder<'l, 's>, plan: fn(&mut Plan, usize, T)) -> Self {
        Records { feeder, plan }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Records<'_, '_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Records<'_, '_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(record) = seq.next_element::<T>()? {
            (self.plan)(&mut self.feeder.plan, i, record);
            i += 1;
            if !self.feeder.hand_over() {
                return Err(stopped());
            }
        }
        Ok(())
    }
}
