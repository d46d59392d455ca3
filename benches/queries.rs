//! Criterion benchmarks (`cargo bench`): typical queries executed in-process at scales 1, 100
//! and 1,000; one-hop traversals in the store at each scale; import throughput.
//!
//! A store per scale is generated and imported once, then kept under
//! `target/bench-stores/`, named by a hash of the bundled dataset and the scale, so later
//! runs start at once. `ASEAN_GRAPH_BENCH_SCALES=1,100` narrows the scales.
//! Results and how to read them: `benches/RESULTS.md`.

// A benchmark, not the library (Cargo.toml's lints are for src/): a failed step ends the
// run with its reason, and progress goes to stderr.
#![allow(clippy::expect_used, clippy::print_stderr)]

use asean_graph::dataset::{self, Mode, generate};
use asean_graph::graphql::{self, AppSchema, Options};
use asean_graph::model::{EdgeKind, NodeKind, NodeRef};
use asean_graph::store::Store;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

/// The typical questions, shared with `benches/load.sh`. All but the product question are
/// anchored on bundled records, so their result is the same at every scale and their time
/// should not grow with the database; the product question's result grows with the number
/// of dialogue partners, up to its page of 100.
const QUERIES: [(&str, &str); 5] = [
    (
        "product_question",
        include_str!("queries/product-question.graphql"),
    ),
    (
        "initiative_funders",
        include_str!("queries/initiative-funders.graphql"),
    ),
    ("meeting_page", include_str!("queries/meeting-page.graphql")),
    (
        "partner_timeline",
        include_str!("queries/partner-timeline.graphql"),
    ),
    ("search", include_str!("queries/search.graphql")),
];

fn scales() -> Vec<usize> {
    match std::env::var("ASEAN_GRAPH_BENCH_SCALES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => vec![1, 100, 1000],
    }
}

/// The store of `scale`, built once and reused while the bundled dataset is unchanged.
fn store_at(scale: usize) -> Arc<Store> {
    let mut hash = Sha256::new();
    hash.update(dataset::BUNDLED.as_bytes());
    hash.update(scale.to_le_bytes());
    let tag: String = hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-stores")
        .join(format!("scale-{scale}-{tag}"));
    let store = Store::open(&dir).expect("open the bench store");
    if store.is_empty().expect("read the bench store") {
        let started = std::time::Instant::now();
        let base = dataset::parse(dataset::BUNDLED.as_bytes()).expect("the bundled dataset");
        let bytes = serde_json::to_vec(&generate(&base, scale, 1)).expect("serialize");
        let report = dataset::import(&store, &bytes, Mode::Refuse).expect("import");
        eprintln!(
            "scale {scale}: {report} in {:.1} s, kept in {}",
            started.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    Arc::new(store)
}

fn run(rt: &tokio::runtime::Runtime, schema: &AppSchema, query: &str) {
    let response = rt.block_on(graphql::execute(schema, async_graphql::Request::new(query)));
    assert!(response.errors.is_empty(), "{:?}", response.errors);
}

fn queries(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    for scale in scales() {
        let store = store_at(scale);
        let schema = graphql::build_schema(Arc::clone(&store), &Options::default());
        let mut group = c.benchmark_group("query");
        for (name, query) in QUERIES {
            group.bench_with_input(BenchmarkId::new(name, scale), &query, |b, q| {
                b.iter(|| run(&rt, &schema, q))
            });
        }
        group.finish();

        // One hop each way from records whose degree is the same at every scale.
        let mut group = c.benchmark_group("one_hop");
        let wp4 = NodeRef::new(NodeKind::Initiative, "IAI-WP4");
        let japan = NodeRef::new(NodeKind::Partner, "JPN");
        group.bench_function(BenchmarkId::new("funders_of_initiative", scale), |b| {
            b.iter(|| store.edges_in(EdgeKind::Funds, &wp4).expect("read"))
        });
        group.bench_function(BenchmarkId::new("fundings_of_partner", scale), |b| {
            b.iter(|| store.edges_out(EdgeKind::Funds, &japan).expect("read"))
        });
        group.finish();
    }
}

fn import(c: &mut Criterion) {
    let base = dataset::parse(dataset::BUNDLED.as_bytes()).expect("the bundled dataset");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for scale in [1usize, 10] {
        let bytes = serde_json::to_vec(&generate(&base, scale, 1)).expect("serialize");
        let doc = dataset::parse(&bytes).expect("parse");
        let records = doc.sources.len()
            + doc.members.len()
            + doc.partners.len()
            + doc.bodies.len()
            + doc.people.len()
            + doc.initiatives.len()
            + doc.meetings.len();
        group.throughput(Throughput::Elements(records as u64));
        group.bench_function(BenchmarkId::new("records", scale), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("a temp dir"),
                |dir| {
                    let store = Store::open(dir.path()).expect("open");
                    dataset::import(&store, &bytes, Mode::Refuse).expect("import");
                    drop(store);
                    dir
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, queries, import);
criterion_main!(benches);
