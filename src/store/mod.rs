//! The sled store: a tree per node kind, edges kept in both directions, secondary indexes,
//! and multi-tree transactions. The only module that names sled or bincode.

mod batched;
mod budget;
mod bulk;
mod candidates;
mod check;
mod codec;
mod decoded;
mod error;
mod fanout;
mod index;
mod keys;
mod legacy;
mod listing;
mod log;
mod overlay;
mod packed;
mod posting_plan;
mod postings;
mod search;
mod snapshot;
mod spill;
mod tally;
mod trees;
mod upgrade;
mod write;

#[cfg(test)]
mod proptests;

pub use batched::StreamedMerge;
pub use budget::{ReadBudget, Reads};
pub use bulk::StreamedLoad;
pub use candidates::{Candidates, Sizes};
pub use check::{CheckReport, Counts};
pub use error::{Result, StoreError};
pub use fanout::FanOut;
pub use keys::EdgeId;
pub use listing::{Item, Listing, Page};
pub use log::{EVENT_BUFFER, LogEntry};
pub use search::{Hit, SearchRequest, is_position};
pub use upgrade::{UPGRADES_FROM, Upgrade};
pub use write::{Change, ChangeViolation, ViolationClass};

use crate::model::{
    Body, Date, Edge, EdgeKind, EdgeProps, Initiative, InitiativeKind, Meeting, Member, Node,
    NodeKind, NodeRef, Partner, PartnerKind, Person, Pillar, Source,
};
use codec::DecodeError;
use keys::Facet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use trees::{TreeId, Trees};

/// The store format this build reads and writes. Bump it when keys or values change shape.
pub const FORMAT_VERSION: u32 = 5;
/// The version byte of a record's value: 2 since format 5, which gave partners, their
/// statuses, initiatives and meetings new fields (see [`legacy`]).
pub(crate) const RECORD_VERSION: u8 = 2;
const FORMAT_KEY: &[u8] = b"format";
/// Present while a bulk load is under way (see [`Store::load_into_empty`]).
const LOADING_KEY: &[u8] = b"loading";

/// Options for opening a store.
#[derive(Clone, Debug)]
pub struct Options {
    /// sled's page cache, in bytes.
    pub cache_bytes: u64,
    /// How many bytes of entries a bulk load or a check sorts in memory before it spills
    /// sorted runs to temporary files (see `store::spill`).
    pub sort_bytes: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            cache_bytes: 16 << 20,
            sort_bytes: 64 << 20,
        }
    }
}

/// An open store. Cheap to share behind an `Arc`; reads need no lock, writes take
/// [`Store::apply`]'s writer lock so each sees the last one's result.
pub struct Store {
    db: sled::Db,
    trees: Trees,
    dir: PathBuf,
    /// [`Options::sort_bytes`].
    sort_bytes: usize,
    writer: Mutex<()>,
    events: tokio::sync::broadcast::Sender<LogEntry>,
    /// Counts the writes this process has committed: see [`Store::generation`].
    generation: std::sync::atomic::AtomicU64,
    /// The most items one record lists, once measured: see [`FanOut`].
    fan_out: Mutex<Option<FanOut>>,
    /// The store's sizes, and the generation they were counted at: see [`Store::sizes`].
    sizes: Mutex<Option<(u64, Sizes)>>,
    /// Whole relations held in memory: see [`Store::fundings`], [`Store::parents`].
    snapshots: snapshot::Snapshots,
    /// Records decoded and shared until the next write: see [`Store::get`].
    decoded: decoded::Decoded,
}

impl Store {
    /// Opens (creating if need be) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, &Options::default())
    }

    /// Opens the store in `dir`, which must hold one already ([`StoreError::Missing`]
    /// otherwise): the commands that only read must not create an empty store where a
    /// mistyped `--data` points.
    pub fn open_existing(dir: &Path) -> Result<Store> {
        if !Store::exists_at(dir) {
            return Err(StoreError::Missing {
                dir: dir.to_owned(),
            });
        }
        Store::open(dir)
    }

    /// Whether `dir` holds a store (sled's configuration and data files).
    pub fn exists_at(dir: &Path) -> bool {
        dir.join("conf").is_file() && dir.join("db").is_file()
    }

    pub fn open_with(dir: &Path, options: &Options) -> Result<Store> {
        let store = Store::open_unchecked(dir, options)?;
        store.check_version()?;
        if store.roll_back_interrupted_load()? {
            tracing::warn!(
                "{}: an import was interrupted; the store was emptied again",
                dir.display()
            );
        }
        if store.roll_back_batches()? {
            tracing::warn!(
                "{}: a merge was interrupted; the store is as it was before it",
                dir.display()
            );
        }
        Ok(store)
    }

    /// Opens the store in `dir` whatever its format.
    fn open_unchecked(dir: &Path, options: &Options) -> Result<Store> {
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(options.cache_bytes)
            .mode(sled::Mode::HighThroughput);
        let db = config.open().map_err(|source| match &source {
            sled::Error::Io(e) if e.to_string().contains("could not acquire lock") => {
                StoreError::Locked {
                    dir: dir.to_owned(),
                }
            }
            _ => StoreError::Open {
                dir: dir.to_owned(),
                source,
            },
        })?;
        let trees = Trees::open(&db)?;
        Ok(Store {
            db,
            trees,
            dir: dir.to_owned(),
            sort_bytes: options.sort_bytes,
            writer: Mutex::new(()),
            events: tokio::sync::broadcast::channel(log::EVENT_BUFFER).0,
            generation: std::sync::atomic::AtomicU64::new(0),
            fan_out: Mutex::new(None),
            sizes: Mutex::new(None),
            snapshots: snapshot::Snapshots::default(),
            decoded: decoded::Decoded::default(),
        })
    }

    /// The format version the store records, if any.
    fn stored_format(&self) -> Result<Option<u32>> {
        match self.tree(TreeId::Meta).get(FORMAT_KEY)? {
            None => Ok(None),
            Some(v) => <[u8; 4]>::try_from(v.as_ref())
                .map(|b| Some(u32::from_be_bytes(b)))
                .map_err(|_| StoreError::Corrupt("meta/format is not a u32".into())),
        }
    }

    /// Refuses a store this build cannot read as it is (saying what to do); records the
    /// format in a new one.
    fn check_version(&self) -> Result<()> {
        let meta = self.tree(TreeId::Meta);
        let dir = self.dir.clone();
        match self.stored_format()? {
            None => {
                meta.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes())?;
                Ok(())
            }
            Some(FORMAT_VERSION) if meta.contains_key(upgrade::UPGRADING_KEY)? => {
                Err(StoreError::UpgradeInterrupted { dir })
            }
            Some(FORMAT_VERSION) => Ok(()),
            Some(found) if upgrade::UPGRADES_FROM.contains(&found) => Err(StoreError::Outdated {
                dir,
                found,
                expected: FORMAT_VERSION,
            }),
            Some(found) => Err(StoreError::Version {
                dir,
                found,
                expected: FORMAT_VERSION,
            }),
        }
    }

    /// A number that changes after every committed write (it moves once the write is
    /// visible). An answer computed after reading generation `g` is current for as long as
    /// the generation is still `g`: caches of answers key on it.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Marks a committed write (see [`Store::generation`]).
    fn advance_generation(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn tree(&self, id: TreeId) -> &sled::Tree {
        self.trees.get(id)
    }

    /// Writes everything to disk; returns once it is durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }

    /// Whether the store holds no record at all.
    pub fn is_empty(&self) -> Result<bool> {
        for kind in NodeKind::ALL {
            if !self.tree(TreeId::Node(kind)).is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How many records of each kind, and how many edges, as the writes counted them
    /// (zero where the count is unreadable: `check` reports it).
    pub fn counts(&self) -> Counts {
        self.tally().unwrap_or_default().counts()
    }

    // ----- nodes -----

    /// The record `node`, from the records decoded since the last write, or read.
    pub fn get(&self, node: &NodeRef) -> Result<Option<Node>> {
        // Taken before the read: a write between the two leaves the record stale, unkept.
        let generation = self.generation();
        if let Some(kept) = self.decoded.get(generation, node) {
            return Ok(Some(kept));
        }
        let Some(bytes) = self
            .tree(TreeId::Node(node.kind))
            .get(node.code.as_bytes())?
        else {
            return Ok(None);
        };
        let read = decode_node(node.kind, &bytes)
            .map_err(|e| corrupt(TreeId::Node(node.kind), node.code.as_bytes(), e))?;
        self.decoded.put(generation, node, &read);
        Ok(Some(read))
    }

    pub fn contains(&self, node: &NodeRef) -> Result<bool> {
        Ok(self
            .tree(TreeId::Node(node.kind))
            .contains_key(node.code.as_bytes())?)
    }

    /// Every record of `kind`, in code order.
    pub fn nodes(&self, kind: NodeKind) -> impl Iterator<Item = Result<Node>> + '_ {
        let id = TreeId::Node(kind);
        self.tree(id).iter().map(move |kv| {
            let (k, v) = kv?;
            decode_node(kind, &v).map_err(|e| corrupt(id, &k, e))
        })
    }

    pub fn member(&self, code: &str) -> Result<Option<Member>> {
        self.typed(NodeKind::Member, code, |n| match n {
            Node::Member(x) => Some(x),
            _ => None,
        })
    }
    pub fn partner(&self, code: &str) -> Result<Option<Partner>> {
        self.typed(NodeKind::Partner, code, |n| match n {
            Node::Partner(x) => Some(x),
            _ => None,
        })
    }
    pub fn body(&self, code: &str) -> Result<Option<Body>> {
        self.typed(NodeKind::Body, code, |n| match n {
            Node::Body(x) => Some(x),
            _ => None,
        })
    }
    pub fn meeting(&self, code: &str) -> Result<Option<Meeting>> {
        self.typed(NodeKind::Meeting, code, |n| match n {
            Node::Meeting(x) => Some(x),
            _ => None,
        })
    }
    pub fn initiative(&self, code: &str) -> Result<Option<Initiative>> {
        self.typed(NodeKind::Initiative, code, |n| match n {
            Node::Initiative(x) => Some(x),
            _ => None,
        })
    }
    pub fn person(&self, code: &str) -> Result<Option<Person>> {
        self.typed(NodeKind::Person, code, |n| match n {
            Node::Person(x) => Some(x),
            _ => None,
        })
    }
    pub fn source(&self, code: &str) -> Result<Option<Source>> {
        self.typed(NodeKind::Source, code, |n| match n {
            Node::Source(x) => Some(x),
            _ => None,
        })
    }

    fn typed<T>(
        &self,
        kind: NodeKind,
        code: &str,
        pick: impl FnOnce(Node) -> Option<T>,
    ) -> Result<Option<T>> {
        Ok(self.get(&NodeRef::new(kind, code))?.and_then(pick))
    }

    // ----- edges -----

    pub fn edge(&self, id: &EdgeId) -> Result<Option<Edge>> {
        let key = id.out_key();
        match self.trees.chunks(TreeId::Out).get(&key)? {
            None => Ok(None),
            Some(v) => Ok(Some(edge_from(id.clone(), &v, &key)?)),
        }
    }

    /// Edges of `kind` leaving `from`, ordered by their other end.
    pub fn edges_out(&self, kind: EdgeKind, from: &NodeRef) -> Result<Vec<Edge>> {
        self.edges(TreeId::Out, kind, from)
    }

    /// Edges of `kind` arriving at `to`, ordered by their other end.
    pub fn edges_in(&self, kind: EdgeKind, to: &NodeRef) -> Result<Vec<Edge>> {
        self.edges(TreeId::In, kind, to)
    }

    fn edges(&self, tree: TreeId, kind: EdgeKind, node: &NodeRef) -> Result<Vec<Edge>> {
        self.trees
            .scan_prefix(tree, &keys::edge_prefix(kind, node))
            .map(|kv| {
                let (k, v) = kv?;
                let id = EdgeId::decode(&k, tree == TreeId::Out).ok_or_else(|| {
                    StoreError::Corrupt(format!("{}: bad key {k:?}", tree.name()))
                })?;
                edge_from(id, &v, &k)
            })
            .collect()
    }

    /// The single edge of a single-valued kind (a parent, a meeting's body), if any.
    pub fn edge_out_one(&self, kind: EdgeKind, from: &NodeRef) -> Result<Option<Edge>> {
        Ok(self.edges_out(kind, from)?.into_iter().next())
    }

    /// Every edge of `kind`, by `from` then `to`.
    pub fn edges_of_kind(&self, kind: EdgeKind) -> Result<Vec<Edge>> {
        self.trees
            .scan_prefix(TreeId::Out, &[kind.tag()])
            .map(|kv| {
                let (k, v) = kv?;
                let id = EdgeId::decode(&k, true)
                    .ok_or_else(|| StoreError::Corrupt(format!("edge/out: bad key {k:?}")))?;
                edge_from(id, &v, &k)
            })
            .collect()
    }

    /// Every edge touching `node`, in either direction, of every kind.
    pub fn edges_touching(&self, node: &NodeRef) -> Result<Vec<Edge>> {
        let mut out = Vec::new();
        for kind in EdgeKind::ALL {
            out.extend(self.edges_out(kind, node)?);
            out.extend(self.edges_in(kind, node)?);
        }
        Ok(out)
    }

    /// Fundings (`Funds` edges) approved at `meeting`.
    pub fn fundings_approved_at(&self, meeting: &str) -> Result<Vec<Edge>> {
        let mut prefix = Vec::new();
        keys::push_code(&mut prefix, meeting);
        let mut out = Vec::new();
        for kv in self.trees.chunks(TreeId::Approval).scan_prefix(&prefix) {
            let (k, _) = kv?;
            let bad = || StoreError::Corrupt(format!("idx/approval: bad key {k:?}"));
            let (funder, rest) = keys::take_ref(&k[prefix.len()..]).ok_or_else(bad)?;
            let (target, _) = keys::take_ref(rest).ok_or_else(bad)?;
            let id = EdgeId {
                kind: EdgeKind::Funds,
                from: funder,
                to: target,
                year: None,
            };
            out.extend(self.edge(&id)?);
        }
        Ok(out)
    }

    /// The codes of the partners with a status decided at `meeting` (`decidedAt`), by code.
    pub fn partners_decided_at(&self, meeting: &str) -> Result<Vec<String>> {
        let prefix = keys::decision_prefix(meeting);
        let mut out = Vec::new();
        for kv in self.trees.chunks(TreeId::Facet).scan_prefix(&prefix) {
            let (k, _) = kv?;
            let (code, _) = keys::take_code(&k[prefix.len()..])
                .ok_or_else(|| StoreError::Corrupt(format!("idx/facet: bad key {k:?}")))?;
            out.push(code);
        }
        Ok(out)
    }

    // ----- listings for pagination -----

    /// Every record of `kind`, by code.
    pub fn list_nodes(&self, kind: NodeKind) -> Listing {
        Listing::prefix(
            self.tree(TreeId::Node(kind)).clone(),
            vec![],
            move |k, _| {
                let code = std::str::from_utf8(k).ok()?;
                Some(Item::Node(NodeRef::new(kind, code)))
            },
        )
        .locating(kind, |r| Ok(Some(r.code.as_bytes().to_vec())))
    }

    fn list_facet(&self, kind: NodeKind, facet: Facet) -> Listing {
        let prefix = facet.prefix();
        let strip = prefix.len();
        Listing::prefix(
            self.trees.chunks(TreeId::Facet).clone(),
            prefix,
            move |k, _| {
                let (code, _) = keys::take_code(&k[strip..])?;
                Some(Item::Node(NodeRef::new(kind, code)))
            },
        )
        .locating(kind, move |r| Ok(Some(facet.key(&r.code))))
    }

    pub fn list_members_by_clmv(&self, clmv: bool) -> Listing {
        self.list_facet(NodeKind::Member, Facet::Clmv(clmv))
    }
    pub fn list_bodies_by_pillar(&self, pillar: Pillar) -> Listing {
        self.list_facet(NodeKind::Body, Facet::Pillar(pillar))
    }
    pub fn list_initiatives_by_kind(&self, kind: InitiativeKind) -> Listing {
        self.list_facet(NodeKind::Initiative, Facet::InitiativeKind(kind))
    }
    /// Partners whose current kind is `kind`.
    pub fn list_partners_by_kind(&self, kind: PartnerKind) -> Listing {
        self.list_facet(NodeKind::Partner, Facet::PartnerKind(kind))
    }

    /// Partners that held a status of `kind` on `date`, by the start of that status.
    pub fn list_partners_by_status(&self, kind: PartnerKind, date: Date) -> Listing {
        let prefix = Facet::status_prefix(kind);
        let strip = prefix.len();
        let mut hi = prefix.clone();
        hi.extend_from_slice(&date.to_key());
        hi.push(0xFF);
        Listing::range(
            self.trees.chunks(TreeId::Facet).clone(),
            prefix,
            Some(hi),
            move |k, v| {
                let ended = match v.len() {
                    4 => Date::from_key([v[0], v[1], v[2], v[3]]).is_some_and(|to| to < date),
                    _ => false,
                };
                if ended {
                    return None;
                }
                let (code, _) = keys::take_code(&k[strip + 4..])?;
                Some(Item::Node(NodeRef::new(NodeKind::Partner, code)))
            },
        )
    }

    /// Meetings by start date (then code), optionally within `[from, to]`.
    pub fn list_meetings_by_date(&self, from: Option<Date>, to: Option<Date>) -> Listing {
        let lo = from.map(|d| d.to_key().to_vec()).unwrap_or_default();
        let hi = to.and_then(|d| keys::prefix_end(&d.to_key()));
        let meetings = self.tree(TreeId::Node(NodeKind::Meeting)).clone();
        Listing::range(self.trees.chunks(TreeId::Date).clone(), lo, hi, |k, _| {
            let (code, _) = keys::take_code(k.get(4..)?)?;
            Some(Item::Node(NodeRef::new(NodeKind::Meeting, code)))
        })
        .locating(NodeKind::Meeting, move |r| {
            let id = TreeId::Node(NodeKind::Meeting);
            let Some(bytes) = meetings.get(r.code.as_bytes())? else {
                return Ok(None);
            };
            match decode_node(NodeKind::Meeting, &bytes) {
                Ok(Node::Meeting(m)) => Ok(Some(keys::date_key(m.start_date, &m.code))),
                Ok(_) => Ok(None),
                Err(e) => Err(corrupt(id, r.code.as_bytes(), e)),
            }
        })
    }

    /// Edges of `kind` leaving `from` (`outgoing`) or arriving at it, as a listing.
    pub fn list_edges(&self, kind: EdgeKind, node: &NodeRef, outgoing: bool) -> Listing {
        let decode = move |k: &[u8], v: &[u8]| {
            let id = EdgeId::decode(k, outgoing)?;
            edge_from(id, v, k).ok().map(Item::Edge)
        };
        let prefix = keys::edge_prefix(kind, node);
        if outgoing {
            Listing::prefix(self.trees.chunks(TreeId::Out).clone(), prefix, decode)
        } else {
            Listing::prefix(self.trees.chunks(TreeId::In).clone(), prefix, decode)
        }
    }

    /// Every funding edge, by funder then target.
    pub fn list_fundings(&self) -> Listing {
        self.list_edges_of(Some(EdgeKind::Funds))
    }

    /// Every edge of `kind` (of every kind, for `None`), by kind, `from` and `to`.
    pub fn list_edges_of(&self, kind: Option<EdgeKind>) -> Listing {
        Listing::prefix(
            self.trees.chunks(TreeId::Out).clone(),
            kind.map(|k| vec![k.tag()]).unwrap_or_default(),
            |k, v| {
                let id = EdgeId::decode(k, true)?;
                edge_from(id, v, k).ok().map(Item::Edge)
            },
        )
    }

    // ----- citations -----

    /// What cites `source`, in the citation index's order: records as [`Item::Node`],
    /// relationships as [`Item::Edge`].
    pub fn list_citations(&self, source: &str) -> Listing {
        let prefix = citation_prefix(source);
        let skip = prefix.len();
        let out = self.trees.chunks(TreeId::Out).clone();
        Listing::prefix(
            self.trees.chunks(TreeId::Cite).clone(),
            prefix,
            move |k, _| match citing(k.get(skip..)?)? {
                Citing::Record(n) => Some(Item::Node(n)),
                Citing::Edge(id, out_key) => {
                    let value = out.get(out_key).ok()??;
                    edge_from(id, &value, out_key).ok().map(Item::Edge)
                }
            },
        )
    }

    /// The records and edges citing `source`: (records, edges), each read taken from `reads`.
    pub fn citations(&self, source: &str, reads: &Reads) -> Result<(Vec<NodeRef>, Vec<EdgeId>)> {
        let prefix = citation_prefix(source);
        let (mut nodes, mut edges) = (Vec::new(), Vec::new());
        for kv in self.trees.chunks(TreeId::Cite).scan_prefix(&prefix) {
            reads.spend(1, "citationCount")?;
            let (k, _) = kv?;
            match k.get(prefix.len()..).and_then(citing) {
                Some(Citing::Record(n)) => nodes.push(n),
                Some(Citing::Edge(id, _)) => edges.push(id),
                None => return Err(StoreError::Corrupt(format!("idx/cite: bad key {k:?}"))),
            }
        }
        Ok((nodes, edges))
    }
}

/// The start of every `idx/cite` key of `source`.
fn citation_prefix(source: &str) -> Vec<u8> {
    let mut prefix = Vec::new();
    keys::push_code(&mut prefix, source);
    prefix
}

/// What an `idx/cite` key names after its source: a record, or an edge by its out-key.
enum Citing<'k> {
    Record(NodeRef),
    Edge(EdgeId, &'k [u8]),
}

fn citing(rest: &[u8]) -> Option<Citing<'_>> {
    match rest {
        [1, node @ ..] => keys::take_ref(node).map(|(n, _)| Citing::Record(n)),
        [2, out_key @ ..] => EdgeId::decode(out_key, true).map(|id| Citing::Edge(id, out_key)),
        _ => None,
    }
}

fn corrupt(tree: TreeId, key: &[u8], e: DecodeError) -> StoreError {
    StoreError::Corrupt(format!(
        "{} {:?}: {e}",
        tree.name(),
        String::from_utf8_lossy(key)
    ))
}

fn edge_from(id: EdgeId, value: &[u8], key: &[u8]) -> Result<Edge> {
    let props: EdgeProps = codec::decode(value).map_err(|e| corrupt(TreeId::Out, key, e))?;
    Ok(Edge {
        kind: id.kind,
        from: id.from,
        to: id.to,
        year: id.year,
        props,
    })
}

pub(crate) fn encode_node(node: &Node) -> Vec<u8> {
    let v = RECORD_VERSION;
    match node {
        Node::Member(x) => codec::encode_as(v, x),
        Node::Partner(x) => codec::encode_as(v, x),
        Node::Body(x) => codec::encode_as(v, x),
        Node::Meeting(x) => codec::encode_as(v, x),
        Node::Initiative(x) => codec::encode_as(v, x),
        Node::Person(x) => codec::encode_as(v, x),
        Node::Source(x) => codec::encode_as(v, x),
    }
}

pub(crate) fn decode_node(kind: NodeKind, bytes: &[u8]) -> Result<Node, DecodeError> {
    let v = RECORD_VERSION;
    Ok(match kind {
        NodeKind::Member => Node::Member(codec::decode_as(v, bytes)?),
        NodeKind::Partner => Node::Partner(codec::decode_as(v, bytes)?),
        NodeKind::Body => Node::Body(codec::decode_as(v, bytes)?),
        NodeKind::Meeting => Node::Meeting(codec::decode_as(v, bytes)?),
        NodeKind::Initiative => Node::Initiative(codec::decode_as(v, bytes)?),
        NodeKind::Person => Node::Person(codec::decode_as(v, bytes)?),
        NodeKind::Source => Node::Source(codec::decode_as(v, bytes)?),
    })
}

impl EdgeId {
    pub fn of(edge: &Edge) -> EdgeId {
        EdgeId {
            kind: edge.kind,
            from: edge.from.clone(),
            to: edge.to.clone(),
            year: edge.year,
        }
    }
}
