//! The property behind `check`: random sequences of imports, merges and store writes (the
//! `Store::apply` the GraphQL mutations go through) on a real store, over a handful of
//! codes so that steps collide. After every step: a refused step changed nothing, `check`
//! is clean, and the export imports into a fresh store and exports back byte-identical.

use crate::common::{TestStore, export};
use asean_graph::dataset::{self, Mode};
use asean_graph::model::{Edge, EdgeKind, Member, Node, NodeKind, NodeRef};
use asean_graph::store::{Change, EdgeId, Store};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

const MEMBERS: &[&str] = &["SGP", "VNM", "LAO"];
const BODIES: &[&str] = &["ACC", "TF", "SEOM"];
const INITIATIVES: &[&str] = &["IAI", "WP1", "WP2"];
const PEOPLE: &[&str] = &["ANH", "BAO"];
const MEETINGS: &[&str] = &["TF-1", "TF-2"];
const SOURCES: &[&str] = &["S1", "S2"];
const YEARS: &[u16] = &[2018, 2019];

fn config() -> Config {
    Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    }
}

// ----- documents -----

fn link(code: &str) -> Value {
    json!({"code": code, "sources": ["S1"]})
}

fn maybe_link(pool: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::option::weighted(0.3, select(pool)).prop_map(|c| c.map_or(Value::Null, link))
}

fn links(pool: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::subsequence(pool, 0..=2).prop_map(|cs| Value::from_iter(cs.into_iter().map(link)))
}

const PARTIES: &[&str] = &[
    "Member:SGP",
    "Member:VNM",
    "Member:LAO",
    "Body:TF",
    "Partner:JPN",
];

/// Distinct parties, each perhaps with a head of delegation.
fn participants() -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence(PARTIES, 0..=3),
        prop::collection::vec(prop::option::weighted(0.4, select(PEOPLE)), 3),
    )
        .prop_map(|(parties, heads)| {
            Value::from_iter(parties.into_iter().zip(heads).map(|(party, head)| {
                json!({"party": party, "headOfDelegation": head, "sources": ["S1"]})
            }))
        })
}

fn body(code: &'static str) -> impl Strategy<Value = Value> {
    maybe_link(BODIES).prop_map(
        move |parent| json!({"code": code, "name": code, "parent": parent, "sources": ["S1"]}),
    )
}

fn person(code: &'static str) -> impl Strategy<Value = Value> {
    maybe_link(MEMBERS).prop_map(move |represents| {
        json!({"code": code, "name": code, "represents": represents, "sources": ["S1"]})
    })
}

fn initiative(code: &'static str) -> impl Strategy<Value = Value> {
    (maybe_link(INITIATIVES), links(BODIES)).prop_map(move |(parent, lead)| {
        json!({"code": code, "name": code, "kind": "PROJECT", "parent": parent,
               "leadBodies": lead, "sources": ["S1"]})
    })
}

fn meeting(code: &'static str) -> impl Strategy<Value = Value> {
    (
        maybe_link(BODIES),
        maybe_link(MEMBERS),
        participants(),
        links(INITIATIVES),
    )
        .prop_map(move |(body, chair, participants, approved)| {
            json!({"code": code, "title": code, "startDate": "2021-03-25", "body": body,
                   "chair": chair, "participants": participants, "approved": approved,
                   "sources": ["S1"]})
        })
}

fn funding() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            select(MEMBERS).prop_map(|c| format!("Member:{c}")),
            Just("Partner:JPN".to_owned())
        ],
        select(INITIATIVES),
        prop::option::of(0u32..20),
        prop::option::of(select(MEETINGS)),
    )
        .prop_map(|(funder, target, count, approved_at)| {
            json!({"funder": funder, "target": format!("Initiative:{target}"),
                   "projectCount": count, "approvedAt": approved_at, "sources": ["S2"]})
        })
}

fn chairmanship() -> impl Strategy<Value = Value> {
    (
        prop::option::of(select(BODIES)),
        select(MEMBERS),
        select(YEARS),
    )
        .prop_map(|(body, member, year)| {
            json!({"body": body, "member": member, "year": year, "sources": ["S1"]})
        })
}

/// Some records of the pool `codes`, each made by `record`.
fn records<S: Strategy<Value = Value> + 'static>(
    codes: &'static [&'static str],
    record: fn(&'static str) -> S,
) -> impl Strategy<Value = Value> {
    let kept: Vec<_> = codes.iter().map(|&c| prop::option::of(record(c))).collect();
    kept.prop_map(|rs| Value::from_iter(rs.into_iter().flatten()))
}

fn member(code: &'static str) -> Just<Value> {
    Just(json!({"code": code, "name": code, "sources": ["S1"]}))
}

/// An interchange document over the pools: some records, with random relationships among
/// them and the stored ones.
fn document() -> impl Strategy<Value = Value> {
    (
        records(MEMBERS, member),
        records(BODIES, body),
        records(PEOPLE, person),
        records(INITIATIVES, initiative),
        records(MEETINGS, meeting),
        prop::collection::vec(funding(), 0..3),
        prop::collection::vec(chairmanship(), 0..3),
    )
        .prop_map(
            |(members, bodies, people, initiatives, meetings, fundings, chairs)| {
                json!({
                    "format": "asean-graph/1",
                    "sources": SOURCES.iter().map(|c| json!({"code": c, "title": c})).collect::<Vec<_>>(),
                    "members": members,
                    "partners": [{"code": "JPN", "name": "Japan", "statuses": [], "sources": ["S1"]}],
                    "bodies": bodies, "people": people, "initiatives": initiatives,
                    "meetings": meetings, "fundings": fundings, "chairmanships": chairs,
                })
            },
        )
}

/// Every record of the pools, with no relationships: where each case starts.
fn base() -> Value {
    let named = |codes: &[&str], extra: Value| -> Vec<Value> {
        codes
            .iter()
            .map(|c| {
                let mut r = json!({"code": c, "name": c, "sources": ["S1"]});
                for (k, v) in extra.as_object().into_iter().flatten() {
                    r[k] = v.clone();
                }
                r
            })
            .collect()
    };
    json!({
        "format": "asean-graph/1",
        "sources": SOURCES.iter().map(|c| json!({"code": c, "title": c})).collect::<Vec<_>>(),
        "members": named(MEMBERS, json!({})),
        "partners": named(&["JPN"], json!({"statuses": []})),
        "bodies": named(BODIES, json!({})),
        "people": named(PEOPLE, json!({})),
        "initiatives": named(INITIATIVES, json!({"kind": "PROJECT"})),
        "meetings": MEETINGS.iter().map(|c| json!({"code": c, "title": c, "startDate": "2021-03-25", "sources": ["S1"]})).collect::<Vec<_>>(),
    })
}

// ----- writes -----

/// A write as a GraphQL mutation makes it: a list of changes for `Store::apply`. Deletions
/// pick among what the store holds when they run.
#[derive(Clone, Debug)]
enum Write {
    Put(Box<Edge>),
    DeleteEdge(Index),
    DeleteNode(Index),
    Rename(Index, String),
}

fn node_ref(kind: NodeKind, pool: &'static [&'static str]) -> impl Strategy<Value = NodeRef> {
    select(pool).prop_map(move |c| NodeRef::new(kind, c))
}

/// Bodies a member may chair: the empty code is ASEAN itself (`NodeRef::asean`).
const CHAIRED: &[&str] = &["", "ACC", "TF", "SEOM"];

/// Edge kinds with the kinds and pools of their ends.
type Ends = (
    EdgeKind,
    NodeKind,
    &'static [&'static str],
    NodeKind,
    &'static [&'static str],
);
const TYPED: &[Ends] = &[
    (
        EdgeKind::Chairs,
        NodeKind::Member,
        MEMBERS,
        NodeKind::Body,
        CHAIRED,
    ),
    (
        EdgeKind::ReportsTo,
        NodeKind::Body,
        BODIES,
        NodeKind::Body,
        BODIES,
    ),
    (
        EdgeKind::PartOf,
        NodeKind::Initiative,
        INITIATIVES,
        NodeKind::Initiative,
        INITIATIVES,
    ),
    (
        EdgeKind::HeldBy,
        NodeKind::Meeting,
        MEETINGS,
        NodeKind::Body,
        BODIES,
    ),
    (
        EdgeKind::Participant,
        NodeKind::Meeting,
        MEETINGS,
        NodeKind::Member,
        MEMBERS,
    ),
    (
        EdgeKind::Delegation,
        NodeKind::Person,
        PEOPLE,
        NodeKind::Meeting,
        MEETINGS,
    ),
    (
        EdgeKind::Funds,
        NodeKind::Member,
        MEMBERS,
        NodeKind::Initiative,
        INITIATIVES,
    ),
];

/// Ends of the right kinds for the edge's kind (mostly), or any records (refused).
fn edge() -> impl Strategy<Value = Edge> {
    let any_node = select(TYPED).prop_flat_map(|(_, kind, pool, _, _)| node_ref(kind, pool));
    let ends = prop_oneof![
        4 => select(TYPED).prop_flat_map(|(kind, from, from_pool, to, to_pool)| {
            (Just(kind), node_ref(from, from_pool), node_ref(to, to_pool))
        }),
        1 => (select(&EdgeKind::ALL[..]), any_node.clone(), any_node),
    ];
    (ends, select(YEARS), node_ref(NodeKind::Member, MEMBERS)).prop_map(
        |((kind, from, to), year, party)| {
            let mut edge = Edge::new(kind, from, to, vec!["S1".into()]);
            match kind {
                EdgeKind::Chairs => edge.year = Some(year),
                EdgeKind::Delegation => edge.props.party = Some(party),
                _ => {}
            }
            edge
        },
    )
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        4 => edge().prop_map(|e| Write::Put(Box::new(e))),
        2 => any::<Index>().prop_map(Write::DeleteEdge),
        1 => any::<Index>().prop_map(Write::DeleteNode),
        1 => (any::<Index>(), prop_oneof![Just(" ".to_owned()), "[A-Z][a-z]{1,8}"])
            .prop_map(|(i, name)| Write::Rename(i, name)),
    ]
}

/// Every record and edge id the store holds.
fn contents(store: &Store) -> (Vec<Node>, Vec<EdgeId>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for kind in NodeKind::ALL {
        for node in store.nodes(kind) {
            let node = node.unwrap();
            edges.extend(
                store
                    .edges_touching(&node.node_ref())
                    .unwrap()
                    .iter()
                    .map(EdgeId::of),
            );
            nodes.push(node);
        }
    }
    edges.sort();
    edges.dedup();
    (nodes, edges)
}

/// Everything the store holds: every record and every edge with its properties.
fn graph(store: &Store) -> (Vec<Node>, Vec<Edge>) {
    let nodes = NodeKind::ALL
        .iter()
        .flat_map(|&kind| store.nodes(kind).map(Result::unwrap))
        .collect();
    let edges = EdgeKind::ALL
        .iter()
        .flat_map(|&kind| store.edges_of_kind(kind).unwrap())
        .collect();
    (nodes, edges)
}

impl Write {
    fn changes(&self, store: &Store) -> Option<Vec<Change>> {
        let (nodes, edges) = contents(store);
        Some(match self {
            Write::Put(edge) => vec![Change::PutEdge((**edge).clone())],
            Write::DeleteEdge(i) if !edges.is_empty() => {
                vec![Change::DeleteEdge(edges[i.index(edges.len())].clone())]
            }
            Write::DeleteNode(i) if !nodes.is_empty() => {
                vec![Change::DeleteNode(nodes[i.index(nodes.len())].node_ref())]
            }
            Write::Rename(i, name) if !nodes.is_empty() => {
                match nodes[i.index(nodes.len())].clone() {
                    Node::Member(m) => vec![Change::PutNode(Node::Member(Member {
                        name: name.clone(),
                        ..m
                    }))],
                    other => vec![Change::PutNode(other)],
                }
            }
            _ => return None,
        })
    }
}

// ----- the property -----

#[derive(Clone, Debug)]
enum Step {
    Import(Value),
    Merge(Value),
    Write(Write),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => document().prop_map(Step::Import),
        3 => document().prop_map(Step::Merge),
        6 => write().prop_map(Step::Write),
    ]
}

fn import(store: &Store, doc: &Value, mode: Mode) -> bool {
    dataset::import(store, doc.to_string().as_bytes(), mode).is_ok()
}

/// Runs `step`; whether the store accepted it.
fn run(store: &Store, step: &Step) -> bool {
    match step {
        Step::Import(doc) => import(store, doc, Mode::Refuse),
        Step::Merge(doc) => import(store, doc, Mode::Merge),
        Step::Write(w) => w
            .changes(store)
            .is_some_and(|changes| store.apply(changes).is_ok()),
    }
}

/// After each step of a random sequence: a refused step changed nothing; an accepted one
/// leaves `check` clean and an export that imports into a fresh store and exports back
/// byte-identical. The run must have seen both: a store that refused every step (or took
/// every one) would test half of the property.
#[test]
fn what_check_calls_clean_exports_and_imports_back() {
    let [accepted, refused] = [(); 2].map(|()| std::sync::atomic::AtomicUsize::new(0));
    let mut runner = TestRunner::new(config());
    let outcome = runner.run(&prop::collection::vec(step(), 4..16), |steps| {
        let store = TestStore::new();
        dataset::import(&store, base().to_string().as_bytes(), Mode::Refuse)
            .expect("the base imports");
        for (i, step) in steps.into_iter().enumerate() {
            let before = export(&store);
            if !run(&store, &step) {
                refused.fetch_add(1, Ordering::SeqCst);
                prop_assert_eq!(
                    export(&store),
                    before,
                    "step {} was refused but changed the store: {:?}",
                    i,
                    step
                );
                continue;
            }
            accepted.fetch_add(1, Ordering::SeqCst);
            let report = store.check().unwrap();
            prop_assert!(
                report.is_clean(),
                "step {} left {:#?}: {:?}",
                i,
                report.violations,
                step
            );
            let json = export(&store);
            let fresh = TestStore::new();
            let restored = dataset::import(&fresh, json.as_bytes(), Mode::Refuse);
            prop_assert!(
                restored.is_ok(),
                "after step {} the export does not import: {:?}\n{}",
                i,
                restored,
                json
            );
            prop_assert_eq!(
                export(&fresh),
                json,
                "after step {}, export → import → export differs",
                i
            );
            prop_assert_eq!(
                graph(&fresh),
                graph(&store),
                "after step {}, the export lost something",
                i
            );
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let [accepted, refused] = [accepted, refused].map(|n| n.load(Ordering::SeqCst));
    eprintln!("integrity: {accepted} steps accepted, {refused} refused");
    assert!(
        accepted >= 20 && refused >= 20,
        "the run reached {accepted} accepted and {refused} refused steps"
    );
}
