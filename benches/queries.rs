//! Criterion benchmarks (`cargo bench`): typical queries executed in-process at scales 1, 100
//! and 1,000; filters, orderings and aggregates at each scale; the refusal of abusive filters
//! and groupings; one-hop traversals in the store at each scale; import throughput.
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
use async_graphql::{Response, ServerError};
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

/// What a query of [`FILTERS`] must answer before it is timed.
#[derive(Clone, Copy)]
enum Answer {
    /// Its list's `totalCount` is this at every scale.
    Same(i64),
    /// Data; its size (printed) grows with the scale.
    Grows,
}

/// A query of [`FILTERS`] or [`refusals`] that needs a field the schema may not have yet:
/// skipped, with a note, while the schema answers "Unknown field", and timed as soon as the
/// field exists (nobody has to edit the bench then).
type Needs = Option<&'static str>;

/// Filters, orderings and aggregates (issue 11), at every scale. The first two are the
/// indexed filters whose result is the same at every scale (their time should not grow
/// with the database); the others read a whole kind, and grow with it.
const FILTERS: [(&str, &str, Answer, Needs); 7] = [
    (
        "indexed_partner_codes",
        include_str!("queries/filters/partner-codes.graphql"),
        Answer::Same(5),
        None,
    ),
    (
        "indexed_initiatives_under",
        include_str!("queries/filters/initiatives-under.graphql"),
        Answer::Same(18),
        None,
    ),
    (
        "product_question_quantifier",
        include_str!("queries/filters/product-question.graphql"),
        Answer::Same(1),
        None,
    ),
    (
        "meeting_title_contains",
        include_str!("queries/filters/meeting-titles.graphql"),
        Answer::Grows,
        None,
    ),
    (
        "fundings_by_funder_name",
        include_str!("queries/filters/order-fundings-by-funder.graphql"),
        Answer::Grows,
        None,
    ),
    // Aggregates over every funding (goal: ≤ 50 ms at scale 1,000): in a group a funding
    // or so (by funder and work plan), and in 2 groups.
    (
        "grouped_aggregates",
        include_str!("queries/filters/grouped-aggregates.graphql"),
        Answer::Grows,
        Some("groupedAggregates"),
    ),
    (
        "grouped_by_funder_kind",
        include_str!("queries/filters/grouped-by-funder-kind.graphql"),
        Answer::Same(2),
        Some("groupedAggregates"),
    ),
];

/// How deep [`nested_filter`] nests its quantifiers.
const NESTED_ROUNDS: usize = 20;

/// Partners whose fundings have some funder that is a partner whose fundings have some …,
/// `rounds` quantifiers deep.
fn nested_filter(rounds: usize) -> String {
    let open = "fundings: { some: { funder: { partner: { ".repeat(rounds);
    let close = "} } } } ".repeat(rounds);
    format!("{{ partners(filter: {{ {open}code: {{ eq: \"JPN\" }} {close}}}) {{ totalCount }} }}")
}

/// Partners whose code is any of `branches` codes, as one `or`.
fn wide_or(branches: usize) -> String {
    let or: Vec<String> = (0..branches)
        .map(|i| format!("{{code:{{eq:\"P{i}\"}}}}"))
        .collect();
    format!(
        "{{ partners(filter: {{ or: [{}] }}) {{ totalCount }} }}",
        or.join(",")
    )
}

/// The most branches a [`wide_or`] may have and still fit under the default
/// `max_document_bytes`: the widest `or` that is parsed and validated before it is refused.
fn widest_or() -> usize {
    let limit = graphql::Limits::default().max_document_bytes;
    let (mut fits, mut too_wide) = (1, 10_000);
    while too_wide - fits > 1 {
        let mid = (fits + too_wide) / 2;
        if wide_or(mid).len() <= limit {
            fits = mid;
        } else {
            too_wide = mid;
        }
    }
    fits
}

/// The abusive forms of issue 11, each with the codes it may be refused with, timed at the
/// smallest scale (refusal comes before any read). The quantifiers 20 deep are refused for
/// their nesting before the document is parsed; the `or` of 10,000 branches for its size
/// (`max_document_bytes`, 32 KiB), also before it is parsed; the `or` of 250 branches, and
/// the widest that fits under the size limit, for their conditions (at most 200), once
/// parsed and validated.
fn refusals() -> Vec<(&'static str, String, &'static [&'static str], Needs)> {
    vec![
        (
            "nested_quantifiers_20",
            nested_filter(NESTED_ROUNDS),
            &["QUERY_TOO_DEEP"],
            None,
        ),
        (
            "or_10000_branches",
            wide_or(10_000),
            &["BAD_USER_INPUT"],
            None,
        ),
        (
            "or_250_branches",
            wide_or(250),
            &["QUERY_TOO_COMPLEX"],
            None,
        ),
        (
            "or_widest_under_size_limit",
            wide_or(widest_or()),
            &["QUERY_TOO_COMPLEX"],
            None,
        ),
        // A grouping by every key, refused by the limit of 3 keys.
        (
            "group_by_every_key",
            include_str!("queries/filters/grouped-every-key.graphql").to_owned(),
            &["QUERY_TOO_COMPLEX"],
            Some("groupedAggregates"),
        ),
    ]
}

fn scales() -> Vec<usize> {
    match std::env::var("ASEAN_GRAPH_BENCH_SCALES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => vec![1, 100, 1000],
    }
}

/// The store of `scale`, built once and reused while the bundled dataset and the store's
/// format are unchanged.
fn store_at(scale: usize) -> Arc<Store> {
    let mut hash = Sha256::new();
    hash.update(dataset::BUNDLED.as_bytes());
    hash.update(scale.to_le_bytes());
    hash.update(asean_graph::store::FORMAT_VERSION.to_le_bytes());
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

fn answer(rt: &tokio::runtime::Runtime, schema: &AppSchema, query: &str) -> Response {
    rt.block_on(graphql::execute(schema, async_graphql::Request::new(query)))
}

fn code_of(e: &ServerError) -> String {
    e.extensions
        .as_ref()
        .and_then(|x| x.get("code"))
        .map(|c| c.to_string().trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// Whether `response` says the schema lacks the field `needs` names (then the query is
/// skipped, with a note).
fn lacks(response: &Response, needs: Needs, name: &str) -> bool {
    let Some(field) = needs else {
        return false;
    };
    let lacking = response
        .errors
        .iter()
        .any(|e| e.message.contains("Unknown field") && e.message.contains(field));
    if lacking {
        eprintln!("{name}: skipped, the schema has no `{field}` yet");
    }
    lacking
}

/// The size of a list answer: its first root field's `totalCount`, or else the length of
/// the first list within it.
fn size_of(response: &Response) -> Option<i64> {
    let data = response.data.clone().into_json().ok()?;
    let root = data.as_object()?.values().next()?;
    if let Some(n) = root.get("totalCount").and_then(|n| n.as_i64()) {
        return Some(n);
    }
    let list = root.as_object()?.values().find_map(|v| v.as_array())?;
    i64::try_from(list.len()).ok()
}

fn queries(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let scales = scales();
    let smallest = scales.iter().copied().min();
    for scale in scales {
        let store = store_at(scale);
        let schema = graphql::build_schema(Arc::clone(&store), &Options::default());
        let mut group = c.benchmark_group("query");
        for (name, query) in QUERIES {
            group.bench_with_input(BenchmarkId::new(name, scale), &query, |b, q| {
                b.iter(|| run(&rt, &schema, q))
            });
        }
        group.finish();

        // Filters, orderings and aggregates: each answered once and checked before it is
        // timed. Some read a whole kind (tens of ms at scale 1,000): fewer samples.
        let mut group = c.benchmark_group("filters");
        group.sample_size(20);
        for (name, query, expected, needs) in FILTERS {
            let response = answer(&rt, &schema, query);
            if lacks(&response, needs, name) {
                continue;
            }
            assert!(response.errors.is_empty(), "{name}: {:?}", response.errors);
            let size = size_of(&response);
            match expected {
                Answer::Same(n) => assert_eq!(size, Some(n), "{name} at scale {scale}"),
                Answer::Grows => eprintln!("{name} at scale {scale}: {size:?} items"),
            }
            group.bench_with_input(BenchmarkId::new(name, scale), &query, |b, q| {
                b.iter(|| run(&rt, &schema, q))
            });
        }
        group.finish();

        // The abusive forms, refused before anything is read: timed once, at the smallest
        // scale.
        if Some(scale) == smallest {
            let mut group = c.benchmark_group("refusals");
            for (name, query, codes, needs) in refusals() {
                let response = answer(&rt, &schema, &query);
                if lacks(&response, needs, name) {
                    continue;
                }
                // Refused by a limit: with one of the codes, and not for a slip in the
                // document (a field or an enum value the schema does not know).
                let refused = |r: &Response| {
                    r.errors.iter().any(|e| {
                        codes.contains(&code_of(e).as_str())
                            && !e.message.starts_with("Unknown ")
                            && !e.message.starts_with("Invalid value")
                    })
                };
                assert!(
                    refused(&response),
                    "{name} ({} bytes): expected {codes:?}, got {:?}",
                    query.len(),
                    response.errors
                );
                eprintln!(
                    "{name} ({} bytes): {} {}",
                    query.len(),
                    code_of(&response.errors[0]),
                    response.errors[0].message
                );
                group.bench_with_input(BenchmarkId::new(name, scale), &query, |b, q| {
                    b.iter(|| assert!(refused(&answer(&rt, &schema, q))))
                });
            }
            group.finish();
        }

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
