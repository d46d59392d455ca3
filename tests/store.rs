//! The store through its public API on real sled directories: `check` finds each kind of
//! corruption injected behind its back; a model-based property test of writes; answers from
//! the bundled dataset; reopening and the format version.

use crate::common::{
    TestStore, export, index_get, index_insert, index_remove, remove_first_index_entry, reopen,
    sled_open, small, try_reopen,
};
use asean_graph::model::{
    Body, Date, Edge, EdgeKind, Initiative, InitiativeKind, InitiativeStage, Member, Node,
    NodeKind, NodeRef, Partner, PartnerKind, PartnerStatus, Pillar, Source,
};
use asean_graph::store::{Change, EdgeId, Item, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn node(kind: NodeKind, code: &str) -> NodeRef {
    NodeRef::new(kind, code)
}

// ----- (a) check() finds corruption injected with sled directly -----

/// A store holding the small fixture that checks clean, closed; and its directory.
fn clean_closed_store() -> tempfile::TempDir {
    let store = TestStore::with(&small());
    let report = store.check().unwrap();
    assert!(
        report.is_clean(),
        "the fixture must check clean first: {:?}",
        report.violations
    );
    assert!(report.index_entries > 0);
    store.close()
}

/// Opens the directory with sled itself, lets `corrupt` change it, flushes and closes.
fn tamper(dir: &Path, corrupt: impl FnOnce(&sled::Db)) {
    let db = sled_open(dir);
    corrupt(&db);
    db.flush().unwrap();
}

/// The violations `check` reports once the store is reopened.
fn violations_after_reopen(dir: &Path) -> Vec<String> {
    let store = reopen(dir);
    let report = store.check().unwrap();
    assert!(!report.is_clean(), "check found nothing wrong");
    report.violations
}

fn funds(from: NodeRef, to: &str) -> EdgeId {
    EdgeId {
        kind: EdgeKind::Funds,
        from,
        to: node(NodeKind::Initiative, to),
        year: None,
    }
}

#[test]
fn check_finds_an_edge_missing_from_edge_in() {
    let dir = clean_closed_store();
    let id = EdgeId {
        kind: EdgeKind::ReportsTo,
        from: node(NodeKind::Body, "IAI-TF"),
        to: node(NodeKind::Body, "ACC"),
        year: None,
    };
    tamper(dir.path(), |db| {
        let removed = index_remove(&db.open_tree("edge/in").unwrap(), &id.in_key());
        assert!(removed.is_some(), "the fixture has IAI-TF reporting to ACC");
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter().any(|v| v.contains("edge/in")
            && v.contains("Body:IAI-TF")
            && v.contains("Body:ACC")
            && v.contains("missing")),
        "{v:#?}"
    );
    // The reverse traversal no longer sees it, the forward one still does: the reason
    // check exists.
    let store = reopen(dir.path());
    assert!(
        store
            .edges_in(EdgeKind::ReportsTo, &id.to)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .edges_out(EdgeKind::ReportsTo, &id.from)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn check_finds_an_edge_missing_from_edge_out() {
    let dir = clean_closed_store();
    let id = funds(node(NodeKind::Partner, "JPN"), "IAI-WP4");
    tamper(dir.path(), |db| {
        let removed = index_remove(&db.open_tree("edge/out").unwrap(), &id.out_key());
        assert!(removed.is_some());
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter().any(|v| v.contains("edge/out")
            && v.contains("Partner:JPN")
            && v.contains("Initiative:IAI-WP4")),
        "{v:#?}"
    );
}

#[test]
fn check_finds_a_missing_search_index_entry() {
    let dir = clean_closed_store();
    let mut token = String::new();
    tamper(dir.path(), |db| {
        let search = db.open_tree("idx/search").unwrap();
        let (key, _) = search
            .first()
            .unwrap()
            .expect("the search index has entries");
        // An entry is `run ‖ word ‖ 0 ‖ …`: the word names it in the report.
        let end = key.iter().position(|&b| b == 0).unwrap();
        token = String::from_utf8(key[1..end].to_vec()).unwrap();
        search.remove(key).unwrap();
    });
    assert!(!token.is_empty());
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter()
            .any(|v| v.contains("idx/search") && v.contains("missing") && v.contains(&token)),
        "{v:#?}"
    );
}

#[test]
fn check_finds_a_stray_index_entry() {
    let dir = clean_closed_store();
    tamper(dir.path(), |db| {
        // A date-index entry for a meeting that does not exist.
        let mut key = d(2021, 9, 8).to_key().to_vec();
        key.extend_from_slice(b"IAI-TF-65\0");
        db.open_tree("idx/date")
            .unwrap()
            .insert(key, vec![])
            .unwrap();
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter()
            .any(|v| v.contains("idx/date") && v.contains("stray") && v.contains("IAI-TF-65")),
        "{v:#?}"
    );
}

#[test]
fn check_finds_a_record_overwritten_with_garbage() {
    let dir = clean_closed_store();
    tamper(dir.path(), |db| {
        let members = db.open_tree("node/member").unwrap();
        let old = members.insert("SGP", &b"\x01\xff\xfe garbage"[..]).unwrap();
        assert!(old.is_some());
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter()
            .any(|v| v.contains("node/member") && v.contains("SGP")),
        "{v:#?}"
    );
    // Reading it is an error, not a panic.
    let store = reopen(dir.path());
    assert!(matches!(
        store.get(&node(NodeKind::Member, "SGP")),
        Err(StoreError::Corrupt(_))
    ));
}

#[test]
fn check_finds_a_record_with_a_wrong_version_byte() {
    let dir = clean_closed_store();
    tamper(dir.path(), |db| {
        let partners = db.open_tree("node/partner").unwrap();
        let mut value = partners.get("GBR").unwrap().unwrap().to_vec();
        value[0] = value[0].wrapping_add(1);
        partners.insert("GBR", value).unwrap();
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter()
            .any(|v| v.contains("node/partner") && v.contains("GBR") && v.contains("version")),
        "{v:#?}"
    );
}

#[test]
fn check_finds_edge_properties_changed_in_edge_in_only() {
    let dir = clean_closed_store();
    let sgp = funds(node(NodeKind::Member, "SGP"), "IAI-WP4");
    let jpn = funds(node(NodeKind::Partner, "JPN"), "IAI-WP4");
    tamper(dir.path(), |db| {
        let edge_in = db.open_tree("edge/in").unwrap();
        // Japan's funding properties (1 project), written under Singapore's edge: a valid
        // value, but not the one edge/out holds.
        let other = index_get(&edge_in, &jpn.in_key()).unwrap();
        let old = index_insert(&edge_in, &sgp.in_key(), other);
        assert!(old.is_some());
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter().any(|v| v.contains("edge/in")
            && v.contains("different")
            && v.contains("Member:SGP")
            && v.contains("Initiative:IAI-WP4")),
        "{v:#?}"
    );
}

#[test]
fn check_finds_a_dangling_edge() {
    let dir = clean_closed_store();
    tamper(dir.path(), |db| {
        // Delete the person record but leave their edges.
        let people = db.open_tree("node/person").unwrap();
        assert!(people.remove("NGUYEN-HAI-BANG").unwrap().is_some());
    });
    let v = violations_after_reopen(dir.path());
    assert!(
        v.iter()
            .any(|v| v.contains("Person:NGUYEN-HAI-BANG") && v.contains("no person")),
        "{v:#?}"
    );
}

#[test]
fn cli_check_exits_1_listing_each_violation() {
    let dir = clean_closed_store();
    let id = funds(node(NodeKind::Partner, "JPN"), "IAI-WP4");
    tamper(dir.path(), |db| {
        index_remove(&db.open_tree("edge/in").unwrap(), &id.in_key());
        remove_first_index_entry(&db.open_tree("idx/search").unwrap());
    });
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_asean-graph"))
            .arg("--data")
            .arg(dir.path())
            .arg("check")
            .env_remove("ASEAN_GRAPH_DATA")
            .output()
            .unwrap()
    };
    // sled lets go of the directory from background threads shortly after it is closed
    // (see `common::try_reopen`): run again while this process still holds it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut out = check();
    while String::from_utf8_lossy(&out.stderr).contains("in use by another process")
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
        out = check();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("2 violation(s)"), "{stderr}");
    assert!(
        stderr.contains("funds edge Partner:JPN → Initiative:IAI-WP4: missing from edge/in"),
        "{stderr}"
    );
    assert!(stderr.contains("idx/search: missing entry"), "{stderr}");
}

// ----- (b) a model-based test of writes -----

mod model_based {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    const MEMBERS: [&str; 3] = ["SG", "SGP", "VNM"];
    const PARTNERS: [&str; 2] = ["JPN", "EU"];
    const BODIES: [&str; 3] = ["ACC", "ACCC", "IAI-TF"];
    const INITIATIVES: [&str; 3] = ["IAI", "IAI-WP4", "MPAC"];
    const SOURCE: &str = "S2";
    /// A code no operation ever creates.
    const NEVER: &str = "ZZZ";

    /// Every node the operations can touch (the source included).
    fn pool() -> Vec<NodeRef> {
        let mut out = vec![node(NodeKind::Source, SOURCE)];
        out.extend(MEMBERS.map(|c| node(NodeKind::Member, c)));
        out.extend(PARTNERS.map(|c| node(NodeKind::Partner, c)));
        out.extend(BODIES.map(|c| node(NodeKind::Body, c)));
        out.extend(INITIATIVES.map(|c| node(NodeKind::Initiative, c)));
        out
    }

    fn source() -> Node {
        Node::Source(Source {
            code: SOURCE.into(),
            title: "Việt Nam chủ trì cuộc họp Nhóm đặc trách sáng kiến liên kết ASEAN".into(),
            publisher: Some("TTXVN/Vietnam+".into()),
            author: None,
            published_on: None,
            published_time: None,
            as_of: Date::new(2021, 3, 25),
            language: Some("vi".into()),
            file: None,
            url: None,
            note: None,
        })
    }

    /// A valid record of `kind` with `code`; `variant` changes what it says (and so which
    /// index entries it has).
    fn record(kind: NodeKind, code: &str, variant: u8) -> Node {
        let sources = vec![SOURCE.to_owned()];
        let names = ["Việt Nam", "Singapore", "IAI Task Force", "Nhật Bản"];
        let name = format!("{} {code}", names[variant as usize % names.len()]);
        match kind {
            NodeKind::Member => Node::Member(Member {
                code: code.into(),
                name,
                name_vi: (variant % 2 == 0).then(|| "Việt Nam".into()),
                joined_on: Some(d(1967, 8, 8 + variant % 3)),
                clmv: variant % 2 == 1,
                description: None,
                sources,
                claims: vec![],
            }),
            NodeKind::Partner => {
                let status = |kind, from, to| PartnerStatus {
                    kind,
                    stage: Default::default(),
                    from,
                    from_precision: Default::default(),
                    to,
                    decided_at: None,
                    sources: sources.clone(),
                    note: None,
                };
                let statuses = match variant % 3 {
                    0 => vec![],
                    1 => vec![status(PartnerKind::DialoguePartner, d(2021, 8, 2), None)],
                    _ => vec![
                        status(
                            PartnerKind::SectoralDialoguePartner,
                            d(1989, 11, 1),
                            Some(d(1991, 6, 30)),
                        ),
                        status(PartnerKind::DialoguePartner, d(1991, 7, 1), None),
                    ],
                };
                Node::Partner(Partner {
                    code: code.into(),
                    name,
                    name_vi: None,
                    description: None,
                    relations_since: (variant % 3 == 2).then(|| d(1989, 1, 1)),
                    relations_since_precision: Default::default(),
                    statuses,
                    sources,
                    claims: vec![],
                })
            }
            NodeKind::Body => Node::Body(Body {
                code: code.into(),
                name,
                name_vi: None,
                pillar: [
                    None,
                    Some(Pillar::CrossPillar),
                    Some(Pillar::Economic),
                    Some(Pillar::SocioCultural),
                ][variant as usize % 4],
                description: None,
                sources,
                claims: vec![],
            }),
            NodeKind::Initiative => Node::Initiative(Initiative {
                code: code.into(),
                name,
                name_vi: None,
                aliases: if variant % 2 == 0 {
                    vec![]
                } else {
                    vec!["Sáng kiến Hội nhập ASEAN".into()]
                },
                kind: [
                    InitiativeKind::Programme,
                    InitiativeKind::WorkPlan,
                    InitiativeKind::Project,
                ][variant as usize % 3],
                stage: [InitiativeStage::Adopted, InitiativeStage::Proposed][variant as usize % 2],
                start_year: Some(2000 + u16::from(variant % 4)),
                end_year: (variant % 2 == 0).then_some(2025),
                end_date: (variant % 3 == 0).then(|| d(2025, 12, 31)),
                end_date_precision: Default::default(),
                description: None,
                figures: vec![],
                sources,
                claims: vec![],
            }),
            _ => unreachable!("no operations on {kind:?}"),
        }
    }

    #[derive(Clone, Debug)]
    #[allow(clippy::large_enum_variant)]
    enum Op {
        Insert(Node),
        Put(Node),
        Delete(NodeRef),
        InsertEdge(Edge),
        PutEdge(Edge),
        DeleteEdge(EdgeId),
        /// Delete one of the edges the model holds (resolved to `DeleteEdge` when run).
        DeleteSomeEdge(prop::sample::Index),
        /// A record and an edge, in one write: both land, or neither.
        Pair(Node, Edge),
    }

    impl Op {
        fn changes(&self) -> Vec<Change> {
            match self.clone() {
                Op::Insert(n) => vec![Change::InsertNode(n)],
                Op::Put(n) => vec![Change::PutNode(n)],
                Op::Delete(r) => vec![Change::DeleteNode(r)],
                Op::InsertEdge(e) => vec![Change::InsertEdge(e)],
                Op::PutEdge(e) => vec![Change::PutEdge(e)],
                Op::DeleteEdge(id) => vec![Change::DeleteEdge(id)],
                Op::DeleteSomeEdge(_) => unreachable!("resolved before it runs"),
                Op::Pair(n, e) => vec![Change::PutNode(n), Change::PutEdge(e)],
            }
        }
    }

    fn any_node_ref() -> impl Strategy<Value = NodeRef> {
        prop_oneof![
            prop::sample::select(&MEMBERS[..]).prop_map(|c| node(NodeKind::Member, c)),
            prop::sample::select(&PARTNERS[..]).prop_map(|c| node(NodeKind::Partner, c)),
            prop::sample::select(&BODIES[..]).prop_map(|c| node(NodeKind::Body, c)),
            prop::sample::select(&INITIATIVES[..]).prop_map(|c| node(NodeKind::Initiative, c)),
        ]
    }

    fn any_record() -> impl Strategy<Value = Node> {
        (any_node_ref(), 0u8..6).prop_map(|(r, v)| record(r.kind, &r.code, v))
    }

    fn edge(kind: EdgeKind, from: NodeRef, to: NodeRef) -> Edge {
        Edge::new(kind, from, to, vec![SOURCE.to_owned()])
    }

    fn any_edge() -> impl Strategy<Value = Edge> {
        let body = || prop::sample::select(&BODIES[..]).prop_map(|c| node(NodeKind::Body, c));
        let initiative =
            || prop::sample::select(&INITIATIVES[..]).prop_map(|c| node(NodeKind::Initiative, c));
        let funder = prop_oneof![
            prop::sample::select(&MEMBERS[..]).prop_map(|c| node(NodeKind::Member, c)),
            prop::sample::select(&PARTNERS[..]).prop_map(|c| node(NodeKind::Partner, c)),
        ];
        let amount = prop_oneof![
            2 => Just(None),
            3 => (0.0f64..1e8).prop_map(Some),
            1 => (-1e6f64..-0.5).prop_map(Some),
        ];
        let funding = (funder, initiative(), amount, proptest::option::of(0u32..20)).prop_map(
            |(from, to, amount, count)| {
                let mut e = edge(EdgeKind::Funds, from, to);
                e.props.amount_usd = amount;
                e.props.project_count = count;
                e
            },
        );
        prop_oneof![
            3 => funding,
            3 => (body(), body()).prop_map(|(a, b)| edge(EdgeKind::ReportsTo, a, b)),
            2 => (initiative(), initiative()).prop_map(|(a, b)| edge(EdgeKind::PartOf, a, b)),
            2 => (initiative(), body()).prop_map(|(a, b)| edge(EdgeKind::LedBy, a, b)),
        ]
    }

    fn any_op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => any_record().prop_map(Op::Insert),
            3 => any_record().prop_map(Op::Put),
            2 => any_node_ref().prop_map(Op::Delete),
            2 => any_edge().prop_map(Op::InsertEdge),
            5 => any_edge().prop_map(Op::PutEdge),
            1 => any_edge().prop_map(|e| Op::DeleteEdge(EdgeId::of(&e))),
            2 => any::<prop::sample::Index>().prop_map(Op::DeleteSomeEdge),
            2 => (any_record(), any_edge()).prop_map(|(n, e)| Op::Pair(n, e)),
            1 => (any_record(), any_node_ref()).prop_map(|(n, from)| {
                // An edge of a kind that fits `from`, to a node that never exists.
                let (kind, to) = match from.kind {
                    NodeKind::Member | NodeKind::Partner => (EdgeKind::Funds, NodeKind::Initiative),
                    NodeKind::Body => (EdgeKind::ReportsTo, NodeKind::Body),
                    _ => (EdgeKind::LedBy, NodeKind::Body),
                };
                Op::Pair(n, edge(kind, from, node(to, NEVER)))
            }),
        ]
    }

    /// What the store should hold: records and edges, applied only when the store accepted
    /// the write.
    #[derive(Clone, Default)]
    struct Model {
        nodes: BTreeMap<NodeRef, Node>,
        edges: BTreeMap<EdgeId, Edge>,
    }

    impl Model {
        fn parent(&self, kind: EdgeKind, of: &NodeRef) -> Option<&NodeRef> {
            self.edges
                .values()
                .find(|e| e.kind == kind && e.from == *of)
                .map(|e| &e.to)
        }

        /// Whether the store should accept an edge, by the simple rules.
        fn edge_ok(&self, e: &Edge, insert: bool) -> bool {
            if !self.nodes.contains_key(&e.from) || !self.nodes.contains_key(&e.to) {
                return false; // an edge to a missing node
            }
            if insert && self.edges.contains_key(&EdgeId::of(e)) {
                return false; // a duplicate
            }
            if e.from == e.to {
                return false; // refers to itself
            }
            if e.props.amount_usd.is_some_and(|a| a < 0.0) {
                return false; // a negative amount
            }
            if e.kind.single_valued() {
                // A second parent of a different node.
                if self.parent(e.kind, &e.from).is_some_and(|p| *p != e.to) {
                    return false;
                }
                // A cycle: following parents up from the new parent comes back.
                let mut current = e.to.clone();
                for _ in 0..=self.nodes.len() {
                    match self.parent(e.kind, &current) {
                        _ if current == e.from => return false,
                        Some(p) => current = p.clone(),
                        None => break,
                    }
                }
            }
            true
        }

        /// Whether the store should accept `op`, by the simple rules.
        fn accepts(&self, op: &Op) -> bool {
            match op {
                Op::Insert(n) => !self.nodes.contains_key(&n.node_ref()),
                Op::Put(_) => true,
                Op::Delete(r) => {
                    self.nodes.contains_key(r)
                        && !self.edges.values().any(|e| e.from == *r || e.to == *r)
                }
                Op::InsertEdge(e) => self.edge_ok(e, true),
                Op::PutEdge(e) => self.edge_ok(e, false),
                Op::DeleteEdge(id) => self.edges.contains_key(id),
                Op::DeleteSomeEdge(_) => unreachable!("resolved before it runs"),
                Op::Pair(n, e) => {
                    // The store checks the edge against the state the whole write leaves.
                    let mut after = self.clone();
                    after.apply(&Op::Put(n.clone()));
                    after.edge_ok(e, false)
                }
            }
        }

        fn apply(&mut self, op: &Op) {
            match op.clone() {
                Op::Insert(n) | Op::Put(n) => {
                    self.nodes.insert(n.node_ref(), n);
                }
                Op::Delete(r) => {
                    self.nodes.remove(&r);
                }
                Op::InsertEdge(e) | Op::PutEdge(e) => {
                    self.edges.insert(EdgeId::of(&e), e);
                }
                Op::DeleteEdge(id) => {
                    self.edges.remove(&id);
                }
                Op::DeleteSomeEdge(_) => unreachable!("resolved before it runs"),
                Op::Pair(n, e) => {
                    self.nodes.insert(n.node_ref(), n);
                    self.edges.insert(EdgeId::of(&e), e);
                }
            }
        }
    }

    /// The store holds exactly what the model holds: records by kind, edges out (scanned
    /// from every node of the pool, existing or not) and in.
    fn assert_same(store: &Store, model: &Model) {
        for kind in NodeKind::ALL {
            let stored: Vec<Node> = store.nodes(kind).collect::<Result<_, _>>().unwrap();
            let expected: Vec<Node> = model
                .nodes
                .values()
                .filter(|n| n.kind() == kind)
                .cloned()
                .collect();
            assert_eq!(stored, expected, "records of kind {kind:?}");
        }
        let mut out = BTreeMap::new();
        let mut into = BTreeMap::new();
        for r in pool() {
            for kind in EdgeKind::ALL {
                for e in store.edges_out(kind, &r).unwrap() {
                    assert_eq!(e.from, r);
                    out.insert(EdgeId::of(&e), e);
                }
                for e in store.edges_in(kind, &r).unwrap() {
                    assert_eq!(e.to, r);
                    into.insert(EdgeId::of(&e), e);
                }
            }
        }
        assert_eq!(out, model.edges, "edges out");
        assert_eq!(into, model.edges, "edges in");
        let counts = store.counts();
        assert_eq!(counts.edges, model.edges.len());
        for (kind, n) in counts.nodes {
            let held = model.nodes.values().filter(|r| r.kind() == kind).count();
            assert_eq!(n, held, "the count of {kind:?} records");
        }
    }

    proptest! {
        #![proptest_config(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        })]

        #[test]
        fn the_store_follows_the_model(
            present in prop::collection::vec((prop::bool::weighted(0.85), 0u8..6), 11),
            ops in prop::collection::vec(any_op(), 1..40),
        ) {
            let store = TestStore::new();
            let mut model = Model::default();
            store.apply(vec![Change::InsertNode(source())]).unwrap();
            model.apply(&Op::Insert(source()));
            // Measured now, so that every write below must raise the bound it keeps
            // (which `check` compares with the store).
            store.fan_out().unwrap();

            // Most records exist from the start, so that edges between them are often
            // possible; they are written one by one, like every other operation.
            let seed = pool()
                .into_iter()
                .filter(|r| r.kind != NodeKind::Source)
                .zip(present)
                .filter(|(_, (here, _))| *here)
                .map(|(r, (_, variant))| Op::Insert(record(r.kind, &r.code, variant)));
            let ops: Vec<Op> = seed.chain(ops).collect();
            for (i, op) in ops.iter().enumerate() {
                let op = &match op {
                    Op::DeleteSomeEdge(ix) if !model.edges.is_empty() => {
                        let id = model.edges.keys().nth(ix.index(model.edges.len())).unwrap();
                        Op::DeleteEdge(id.clone())
                    }
                    Op::DeleteSomeEdge(_) => continue,
                    other => other.clone(),
                };
                let expected = model.accepts(op);
                match store.apply(op.changes()) {
                    Ok(()) => {
                        assert!(expected, "op {i} was accepted, the model refuses it: {op:?}");
                        model.apply(op);
                    }
                    Err(StoreError::Rejected(why)) => {
                        assert!(!expected, "op {i} was rejected, the model accepts it: {op:?}: {why:?}");
                        assert!(!why.is_empty());
                        // Nothing of a rejected write landed.
                        assert_same(&store, &model);
                    }
                    Err(e) => panic!("op {i} failed: {e}"),
                }
            }
            assert_same(&store, &model);
            let report = store.check().unwrap();
            assert!(report.is_clean(), "{:?}", report.violations);
            // The answers are the same once the store is closed and reopened.
            let dir = store.close();
            let store = reopen(dir.path());
            assert_same(&store, &model);
            let report = store.check().unwrap();
            assert!(report.is_clean(), "{:?}", report.violations);
        }
    }
}

// ----- (c) answers from the bundled dataset -----

fn bundled_store() -> TestStore {
    TestStore::with(&crate::common::bundled())
}

#[test]
fn bundled_dataset_checks_clean() {
    let store = bundled_store();
    let report = store.check().unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(report.counts, store.counts());
}

#[test]
fn iai_wp4_is_funded_by_singapore_and_japan_approved_at_the_63rd_task_force() {
    let store = bundled_store();
    let wp4 = node(NodeKind::Initiative, "IAI-WP4");
    let fundings = store.edges_in(EdgeKind::Funds, &wp4).unwrap();
    let by = |funder: &NodeRef| {
        fundings
            .iter()
            .find(|e| e.from == *funder)
            .unwrap_or_else(|| panic!("no funding of IAI-WP4 by {funder}: {fundings:#?}"))
    };
    let sgp = by(&node(NodeKind::Member, "SGP"));
    assert_eq!(sgp.props.project_count, Some(16));
    assert_eq!(sgp.props.approved_at.as_deref(), Some("IAI-TF-63"));
    let jpn = by(&node(NodeKind::Partner, "JPN"));
    assert_eq!(jpn.props.project_count, Some(1));
    assert_eq!(jpn.props.approved_at.as_deref(), Some("IAI-TF-63"));

    // The same edges seen from the funders' side and from the approving meeting.
    assert!(
        store
            .edges_out(EdgeKind::Funds, &sgp.from)
            .unwrap()
            .contains(sgp)
    );
    let approved: BTreeSet<NodeRef> = store
        .fundings_approved_at("IAI-TF-63")
        .unwrap()
        .into_iter()
        .filter(|e| e.to == wp4)
        .map(|e| e.from)
        .collect();
    assert_eq!(
        approved,
        BTreeSet::from([sgp.from.clone(), jpn.from.clone()])
    );

    let meeting = store
        .meeting("IAI-TF-63")
        .unwrap()
        .expect("meeting IAI-TF-63");
    assert_eq!(meeting.start_date, d(2021, 3, 25));
    assert_eq!(meeting.number, Some(63));
    let held_by = store
        .edge_out_one(EdgeKind::HeldBy, &node(NodeKind::Meeting, "IAI-TF-63"))
        .unwrap()
        .expect("the meeting's body");
    assert_eq!(held_by.to, node(NodeKind::Body, "IAI-TF"));
}

#[test]
fn the_uk_became_a_dialogue_partner_in_august_2021() {
    let store = bundled_store();
    let gbr = store.partner("GBR").unwrap().expect("partner GBR");
    let dp = gbr
        .statuses
        .iter()
        .find(|s| s.kind == PartnerKind::DialoguePartner)
        .expect("a dialogue-partner status");
    assert_eq!((dp.from.year(), dp.from.month()), (2021, 8));
    assert_ne!(
        gbr.kind_on(d(2020, 12, 31)),
        Some(PartnerKind::DialoguePartner)
    );
    assert_eq!(
        gbr.kind_on(d(2021, 12, 31)),
        Some(PartnerKind::DialoguePartner)
    );
    assert_eq!(gbr.kind(), PartnerKind::DialoguePartner);

    // The status index answers the same.
    let dialogue_partners_on = |date: Date| -> BTreeSet<String> {
        let page = store
            .list_partners_by_status(PartnerKind::DialoguePartner, date)
            .page(None, None, None, None)
            .unwrap();
        page.items
            .into_iter()
            .map(|(_, item)| match item {
                Item::Node(r) => r.code,
                other => panic!("not a node: {other:?}"),
            })
            .collect()
    };
    let before = dialogue_partners_on(d(2020, 12, 31));
    let after = dialogue_partners_on(d(2021, 12, 31));
    assert!(!before.contains("GBR"), "{before:?}");
    assert!(after.contains("GBR"), "{after:?}");
    assert!(before.contains("JPN") && after.contains("JPN"));
}

#[test]
fn the_eleven_members_have_iso_codes_and_clmv_flags() {
    let store = bundled_store();
    let members: Vec<Member> = store
        .nodes(NodeKind::Member)
        .map(|n| match n.unwrap() {
            Node::Member(m) => m,
            other => panic!("not a member: {other:?}"),
        })
        .collect();
    assert_eq!(members.len(), 11);
    // ISO 3166-1 alpha-3 codes of the member states (DOMAIN.md §2).
    let iso: BTreeSet<&str> = [
        "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS",
    ]
    .into();
    for m in &members {
        assert!(
            m.code.len() == 3 && m.code.bytes().all(|b| b.is_ascii_uppercase()),
            "{} is not an alpha-3 code",
            m.code
        );
        assert!(
            iso.contains(m.code.as_str()),
            "{} is not a member state",
            m.code
        );
    }
    let vnm = store.member("VNM").unwrap().expect("member VNM");
    assert!(vnm.clmv);
    assert_eq!(vnm.joined_on, Some(d(1995, 7, 28)));

    // The CLMV facet index agrees with the records.
    let clmv: BTreeSet<String> = store
        .list_members_by_clmv(true)
        .page(None, None, None, None)
        .unwrap()
        .items
        .into_iter()
        .map(|(_, item)| match item {
            Item::Node(r) => r.code,
            other => panic!("not a node: {other:?}"),
        })
        .collect();
    let flagged: BTreeSet<String> = members
        .iter()
        .filter(|m| m.clmv)
        .map(|m| m.code.clone())
        .collect();
    assert_eq!(clmv, flagged);
    assert_eq!(
        clmv,
        BTreeSet::from(["KHM", "LAO", "MMR", "VNM"].map(String::from))
    );
}

// ----- (d) reopening and the format version -----

#[test]
fn a_reopened_store_holds_the_same_content() {
    let store = TestStore::with(&small());
    let before = export(&store);
    let counts = store.counts();
    let dir = store.close();
    let store = reopen(dir.path());
    assert_eq!(export(&store), before);
    assert_eq!(store.counts(), counts);
    assert!(store.check().unwrap().is_clean());
    assert_eq!(
        store
            .edges_in(EdgeKind::Funds, &node(NodeKind::Initiative, "IAI-WP4"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_second_open_of_an_open_store_is_refused_naming_the_directory() {
    let store = TestStore::new();
    match Store::open(store.path()) {
        Err(e @ StoreError::Locked { .. }) => {
            assert!(
                e.to_string().contains(&store.path().display().to_string()),
                "{e}"
            );
        }
        Err(other) => panic!("expected Locked, got {other:?}"),
        Ok(_) => panic!("a store was opened twice"),
    }
}

#[test]
fn a_store_of_another_format_version_is_refused_with_what_to_do() {
    let dir = clean_closed_store();
    tamper(dir.path(), |db| {
        let meta = db.open_tree("meta").unwrap();
        let current = meta.get("format").unwrap().expect("a format version");
        let current = u32::from_be_bytes(current.as_ref().try_into().unwrap());
        assert_eq!(current, asean_graph::store::FORMAT_VERSION);
        meta.insert("format", &(current + 1).to_be_bytes()).unwrap();
    });
    let err = match try_reopen(dir.path()) {
        Err(e) => e,
        Ok(_) => panic!("a store of another format version was opened"),
    };
    match &err {
        StoreError::Version {
            dir: at,
            found,
            expected,
        } => {
            assert_eq!(at, dir.path());
            assert_eq!(*found, asean_graph::store::FORMAT_VERSION + 1);
            assert_eq!(*expected, asean_graph::store::FORMAT_VERSION);
        }
        other => panic!("expected Version, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("export"), "says what to do: {message}");
    assert!(message.contains("import"), "says what to do: {message}");
    // Refusing did not rewrite the version.
    let db = sled_open(dir.path());
    let meta = db.open_tree("meta").unwrap();
    let stored = meta.get("format").unwrap().unwrap();
    assert_eq!(
        stored.as_ref(),
        &(asean_graph::store::FORMAT_VERSION + 1).to_be_bytes()
    );
}
