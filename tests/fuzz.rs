//! Property tests ("fuzzing" with proptest) of the two ways untrusted input gets in:
//!
//! - GraphQL documents with variables, executed in-process through the schema over a store
//!   holding the bundled dataset: documents built from the schema's own vocabulary (its
//!   fields, arguments, enum values, input objects, unions; read by introspection, so new
//!   fields are fuzzed without touching this file), with random values of random types
//!   (huge and negative numbers, long and unicode strings, random cursors, ids and dates),
//!   nested selections, aliases, fragments, inline fragments, directives, variables with
//!   random JSON, mutations run as an admin (the schema is built with the default options
//!   plus one admin token); and raw random text as documents. Every case
//!   must answer (no `INTERNAL` error: `execute` turns a resolver panic into one) within 5 s,
//!   with an answer of bounded size, and the store must pass its invariant check afterwards.
//! - Import files: the bundled JSON with random fields deleted, replaced (random JSON, random
//!   strings), duplicated or copied elsewhere, then bytes truncated, flipped or inserted; and
//!   raw random bytes. `dataset::import` into a fresh store must return `Ok` (and the store
//!   pass its check) or `Err` (and the store hold nothing at all), without panicking or
//!   hanging.
//!
//! The CI run is bounded: 200 documents, 200 raw texts, 64 import files and 32 merges, a
//! few seconds in debug. Each run must reach both sides (so many answered cleanly or
//! accepted, so many refused), or it fails: a generator gone all valid or all invalid, or
//! `PROPTEST_CASES=0`, tests nothing. For a longer run, set `PROPTEST_CASES` (it replaces every count
//! here; 20 000 documents take about 2 minutes in debug):
//!
//! ```sh
//! PROPTEST_CASES=20000 cargo test --release --test integration fuzz:: -- --nocapture
//! ```
//!
//! `--nocapture` shows how the documents fell out (answered, answered with errors, refused
//! before running); `FUZZ_VERBOSE=1` adds the most frequent error messages. A failure prints
//! the smallest input found (nothing is written to disk); a document that hangs is printed
//! at once. `PROPTEST_RNG_SEED=<n>` replays a run.

use crate::common::{BOUND, Harness};
use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{self, AppSchema};
use asean_graph::store::Store;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::{Map, Value as Json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// `cases` cases, or `PROPTEST_CASES` if set. Failures are not persisted to files (the
/// minimal input is printed instead), and shrinking is bounded.
fn config(cases: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        failure_persistence: None,
        max_shrink_iters: 512,
        ..base
    }
}

// ===================================================================================
// The schema's vocabulary, read by introspection.
// ===================================================================================

#[derive(Clone, Debug)]
enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    fn parse(v: &Json) -> TypeRef {
        match v["kind"].as_str() {
            Some("NON_NULL") => TypeRef::NonNull(Box::new(TypeRef::parse(&v["ofType"]))),
            Some("LIST") => TypeRef::List(Box::new(TypeRef::parse(&v["ofType"]))),
            _ => TypeRef::Named(v["name"].as_str().unwrap_or("String").to_owned()),
        }
    }

    fn named(&self) -> &str {
        match self {
            TypeRef::Named(n) => n,
            TypeRef::List(t) | TypeRef::NonNull(t) => t.named(),
        }
    }

    fn render(&self) -> String {
        match self {
            TypeRef::Named(n) => n.clone(),
            TypeRef::List(t) => format!("[{}]", t.render()),
            TypeRef::NonNull(t) => format!("{}!", t.render()),
        }
    }
}

#[derive(Clone, Debug)]
struct InputDef {
    name: String,
    ty: TypeRef,
    has_default: bool,
}

#[derive(Clone, Debug)]
struct FieldDef {
    name: String,
    args: Vec<InputDef>,
    ty: TypeRef,
}

#[derive(Clone, Debug, Default)]
struct TypeDef {
    kind: String,
    fields: Vec<FieldDef>,
    input_fields: Vec<InputDef>,
    possible: Vec<String>,
    enum_values: Vec<String>,
}

struct Vocab {
    types: HashMap<String, TypeDef>,
    query: String,
    mutation: Option<String>,
    subscription: Option<String>,
}

const VOCAB_QUERY: &str = r#"{ __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { name kind
      fields { name args { name type { ...T } defaultValue } type { ...T } }
      inputFields { name type { ...T } defaultValue }
      possibleTypes { name }
      enumValues { name } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name } } } } }"#;

fn inputs(list: &Json) -> Vec<InputDef> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|a| InputDef {
            name: a["name"].as_str().unwrap().to_owned(),
            ty: TypeRef::parse(&a["type"]),
            has_default: !a["defaultValue"].is_null(),
        })
        .collect()
}

impl Vocab {
    fn read(schema: &AppSchema, rt: &tokio::runtime::Runtime) -> Vocab {
        let response = rt.block_on(graphql::execute(
            schema,
            async_graphql::Request::new(VOCAB_QUERY),
        ));
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let s = &data["__schema"];
        let mut types = HashMap::new();
        for t in s["types"].as_array().unwrap() {
            let name = t["name"].as_str().unwrap().to_owned();
            let def = TypeDef {
                kind: t["kind"].as_str().unwrap().to_owned(),
                fields: t["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| FieldDef {
                        name: f["name"].as_str().unwrap().to_owned(),
                        args: inputs(&f["args"]),
                        ty: TypeRef::parse(&f["type"]),
                    })
                    .collect(),
                input_fields: inputs(&t["inputFields"]),
                possible: t["possibleTypes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect(),
                enum_values: t["enumValues"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| p["name"].as_str().unwrap().to_owned())
                    .collect(),
            };
            types.insert(name, def);
        }
        let name = |k: &str| s[k]["name"].as_str().map(str::to_owned);
        let vocab = Vocab {
            types,
            query: name("queryType").unwrap(),
            mutation: name("mutationType"),
            subscription: name("subscriptionType"),
        };
        // The vocabulary the brief names is there.
        for t in [
            "Query",
            "Member",
            "Partner",
            "Meeting",
            "Initiative",
            "Funding",
        ] {
            assert!(vocab.types.contains_key(t), "no type {t}");
        }
        vocab
    }

    fn is_composite(&self, name: &str) -> bool {
        self.types
            .get(name)
            .is_some_and(|t| matches!(t.kind.as_str(), "OBJECT" | "INTERFACE" | "UNION"))
    }
}

// ===================================================================================
// Values.
// ===================================================================================

/// A value, written as a GraphQL literal or as variable JSON.
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    Int(i64),
    /// Digits beyond any integer type.
    Huge(String),
    Float(f64),
    Str(String),
    Enum(String),
    List(Vec<V>),
    Obj(Vec<(String, V)>),
}

impl V {
    fn literal(&self) -> String {
        match self {
            V::Null => "null".into(),
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::Huge(d) => d.clone(),
            V::Float(f) => {
                let s = format!("{f:?}");
                if s.contains(['.', 'e', 'E']) {
                    s
                } else {
                    format!("{s}.0")
                }
            }
            V::Str(s) => serde_json::to_string(s).unwrap(),
            V::Enum(e) => e.clone(),
            V::List(items) => format!(
                "[{}]",
                items.iter().map(V::literal).collect::<Vec<_>>().join(", ")
            ),
            V::Obj(fields) => format!(
                "{{{}}}",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.literal()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn json(&self) -> Json {
        match self {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(*b),
            V::Int(i) => Json::from(*i),
            V::Huge(d) => d
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Json::Null, Json::Number),
            V::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            V::Str(s) | V::Enum(s) => Json::String(s.clone()),
            V::List(items) => Json::Array(items.iter().map(V::json).collect()),
            V::Obj(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

/// Codes that exist in the bundled dataset (the first `VALID_CODES`), in other cases, and
/// that do not. The other lists likewise put their valid entries first.
const VALID_CODES: usize = 20;
const VALID_IDS: usize = 8;
const VALID_DATES: usize = 5;
const VALID_INTS: usize = 6;
const CODES: &[&str] = &[
    "VNM",
    "vnm",
    "SGP",
    "JPN",
    "GBR",
    "EU",
    "IAI",
    "IAI-WP4",
    "iai-wp3",
    "MPAC-2025",
    "IAI-TF",
    "ACCC",
    "ACC",
    "SEOM",
    "IAI-TF-63",
    "ACCC-2021-3",
    "NGUYEN-HAI-BANG",
    "S2",
    "P37",
    "GK",
    "XXX",
    "",
    "-",
    "SG",
    "SGP\u{0}",
    "VNM/../JPN",
];
const IDS: &[&str] = &[
    "Member:VNM",
    "Partner:JPN",
    "Body:IAI-TF",
    "Meeting:IAI-TF-63",
    "Initiative:IAI-WP4",
    "Person:NGUYEN-HAI-BANG",
    "Source:S2",
    "Member:XXX",
    "Member:",
    ":VNM",
    "Nope:VNM",
    "Member:VNM:JPN",
    "",
];
const DATES: &[&str] = &[
    "2021-03-25",
    "2020-12-31",
    "2021-12-31",
    "2020-02-29",
    "9999-12-31",
    "2021-02-29",
    "2021-13-45",
    "0000-01-01",
    "-001-01-01",
    "2021-3-5",
    "20210325",
    "",
];
const WORDS: &[&str] = &[
    "viet nam",
    "Việt Nam",
    "iai",
    "hoi nghi tham van",
    "a",
    "",
    " ",
    "*",
    "%",
    "\u{0}",
    "🇻🇳",
    "ASEAN ASEAN ASEAN ASEAN ASEAN ASEAN ASEAN ASEAN",
];
const INTS: &[i64] = &[
    0,
    1,
    3,
    20,
    99,
    100,
    101,
    500,
    501,
    -1,
    i32::MAX as i64,
    i32::MIN as i64,
    2021,
];

/// A value that fits an argument's type (or nearly: some fitted values are invalid on
/// purpose, like `2021-13-45`), chosen by `seed`.
fn fit(vocab: &Vocab, ty: &TypeRef, name: &str, seed: u64, depth: usize, loose: bool) -> V {
    // Loose: any entry of a list; strict: only the valid ones, which come first.
    let pick = |list_len: usize, valid: usize| {
        (seed as usize) % if loose { list_len } else { valid }.max(1)
    };
    match ty {
        TypeRef::NonNull(t) => fit(vocab, t, name, seed, depth, loose),
        TypeRef::List(t) => {
            if depth > 3 {
                return V::List(vec![]);
            }
            let n = (seed % 4) as usize;
            V::List(
                (0..n)
                    .map(|i| fit(vocab, t, name, mix(seed, i as u64 + 1), depth + 1, loose))
                    .collect(),
            )
        }
        TypeRef::Named(n) => match n.as_str() {
            "Int" => V::Int(INTS[pick(INTS.len(), VALID_INTS)]),
            "Float" => V::Float([0.0, 1.5, 12_345_678.9, -2.0, 1e300][pick(5, 3)]),
            "Boolean" => V::Bool(seed % 2 == 0),
            "ID" => V::Str(IDS[pick(IDS.len(), VALID_IDS)].into()),
            "Date" => V::Str(DATES[pick(DATES.len(), VALID_DATES)].into()),
            "JSON" => [V::Null, V::Int(1), V::Str("x".into()), V::List(vec![])][pick(4, 4)].clone(),
            "String" => {
                let lower = name.to_ascii_lowercase();
                if lower.contains("text") {
                    V::Str(WORDS[pick(WORDS.len(), WORDS.len())].into())
                } else if lower == "after" || lower == "before" || lower == "since" {
                    let bytes: Vec<u8> = (0..(seed % 24)).map(|i| mix(seed, i) as u8).collect();
                    if !loose {
                        // A random cursor is refused: strict documents page from the start.
                        return V::Null;
                    }
                    match seed % 4 {
                        0 => V::Str(URL_SAFE_NO_PAD.encode(bytes)),
                        1 => V::Str(((seed >> 8) % 100_000).to_string()),
                        2 => V::Str("not a cursor!".into()),
                        _ => V::Str(String::new()),
                    }
                } else if lower.contains("date") || lower == "from" || lower == "to" {
                    V::Str(DATES[pick(DATES.len(), VALID_DATES)].into())
                } else if lower.contains("id") || lower == "funder" || lower == "target" {
                    V::Str(IDS[pick(IDS.len(), VALID_IDS)].into())
                } else {
                    V::Str(CODES[pick(CODES.len(), VALID_CODES)].into())
                }
            }
            other => match vocab.types.get(other) {
                Some(t) if t.kind == "ENUM" && !t.enum_values.is_empty() => {
                    if loose && seed % 13 == 0 {
                        V::Enum("NOT_A_VALUE".into())
                    } else {
                        let n = t.enum_values.len();
                        V::Enum(t.enum_values[pick(n, n)].clone())
                    }
                }
                Some(t) if t.kind == "INPUT_OBJECT" && depth <= 3 => V::Obj(
                    t.input_fields
                        .iter()
                        .enumerate()
                        .filter(|(i, f)| {
                            matches!(f.ty, TypeRef::NonNull(_)) || mix(seed, *i as u64) % 2 == 0
                        })
                        .map(|(i, f)| {
                            (
                                f.name.clone(),
                                fit(
                                    vocab,
                                    &f.ty,
                                    &f.name,
                                    mix(seed, 100 + i as u64),
                                    depth + 1,
                                    loose,
                                ),
                            )
                        })
                        .collect(),
                ),
                _ => V::Null,
            },
        },
    }
}

fn mix(seed: u64, k: u64) -> u64 {
    let mut x = seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_]{0,10}",
        prop::sample::select(vec![
            "code",
            "name",
            "sources",
            "first",
            "kind",
            "id",
            "__typename",
            "on",
            "true",
            "null",
        ])
        .prop_map(str::to_owned),
    ]
}

fn long_string() -> impl Strategy<Value = String> {
    (any::<char>(), 500..6000usize).prop_map(|(c, n)| c.to_string().repeat(n))
}

/// A random value of a random type.
fn value() -> impl Strategy<Value = V> {
    let leaf = prop_oneof![
        Just(V::Null),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::Int),
        prop::sample::select(vec![
            i64::MAX,
            i64::MIN,
            i32::MAX as i64 + 1,
            i32::MIN as i64 - 1,
            -1,
            0,
            -100,
            100_000
        ])
        .prop_map(V::Int),
        "-?[1-9][0-9]{19,60}".prop_map(V::Huge),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(V::Float),
        any::<String>().prop_map(V::Str),
        long_string().prop_map(V::Str),
        "\\PC{0,40}".prop_map(V::Str),
        ident().prop_map(V::Enum),
        prop::collection::vec(any::<u8>(), 0..48).prop_map(|b| V::Str(URL_SAFE_NO_PAD.encode(b))),
        prop::sample::select(CODES).prop_map(|s| V::Str(s.into())),
        prop::sample::select(IDS).prop_map(|s| V::Str(s.into())),
        prop::sample::select(DATES).prop_map(|s| V::Str(s.into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(V::List),
            prop::collection::vec((ident(), inner), 0..4).prop_map(V::Obj),
        ]
    })
}

/// Random JSON, for variables nobody declared.
fn json() -> impl Strategy<Value = Json> {
    value().prop_map(|v| v.json())
}

// ===================================================================================
// Documents.
// ===================================================================================

#[derive(Clone, Debug)]
enum Val {
    /// A value fitting the argument's type, chosen by the seed.
    Fit(u64),
    /// Anything.
    Raw(V),
}

#[derive(Clone, Debug)]
struct Arg {
    pick: u16,
    as_variable: bool,
    value: Val,
}

/// One selection, interpreted against the type it lands on: `pick` chooses the field
/// (among those with a selection set when `children` is not empty), `args` its arguments
/// (required ones are always filled in), `mode` how it is written (plain, in a named
/// fragment, in an inline fragment, with a directive, in a fragment on an implementation).
#[derive(Clone, Debug)]
struct Sel {
    pick: u16,
    alias: Option<u8>,
    args: Vec<Arg>,
    mode: u8,
    children: Vec<Sel>,
}

#[derive(Clone, Debug)]
struct Op {
    /// 0: mutation, 1: subscription, anything else: query.
    kind: u8,
    named: bool,
    selections: Vec<Sel>,
    /// Variables sent but not declared.
    extra: Vec<Json>,
    /// Name the operation in the request (sometimes not the document's).
    operation_name: Option<u8>,
    /// Anything goes (random values of random types, unknown arguments, clashing aliases,
    /// subscriptions, wrong operation names); otherwise the document is meant to validate,
    /// so that the resolvers run.
    loose: bool,
}

fn arg() -> impl Strategy<Value = Arg> {
    (
        any::<u16>(),
        prop::bool::weighted(0.3),
        prop_oneof![3 => any::<u64>().prop_map(Val::Fit), 1 => value().prop_map(Val::Raw)],
    )
        .prop_map(|(pick, as_variable, value)| Arg {
            pick,
            as_variable,
            value,
        })
}

fn sel() -> impl Strategy<Value = Sel> {
    let head = || {
        (
            any::<u16>(),
            prop::option::weighted(0.15, any::<u8>()),
            prop::collection::vec(arg(), 0..3),
            any::<u8>(),
        )
    };
    let leaf = head().prop_map(|(pick, alias, args, mode)| Sel {
        pick,
        alias,
        args,
        mode,
        children: vec![],
    });
    leaf.prop_recursive(8, 48, 3, move |inner| {
        (head(), prop::collection::vec(inner, 1..4)).prop_map(
            |((pick, alias, args, mode), children)| Sel {
                pick,
                alias,
                args,
                mode,
                children,
            },
        )
    })
}

/// A single chain of nested selections, 6 to 24 deep: to reach the depth and complexity
/// limits (and past them).
fn chain() -> impl Strategy<Value = Sel> {
    prop::collection::vec(
        (
            any::<u16>(),
            prop::collection::vec(arg(), 0..2),
            any::<u8>(),
        ),
        6..24,
    )
    .prop_map(|links| {
        let mut sel: Option<Sel> = None;
        for (pick, args, mode) in links.into_iter().rev() {
            sel = Some(Sel {
                pick,
                alias: None,
                args,
                mode: mode % 10, // mostly plain, sometimes a fragment
                children: sel.into_iter().collect(),
            });
        }
        sel.unwrap()
    })
}

fn op() -> impl Strategy<Value = Op> {
    (
        any::<u8>(),
        any::<bool>(),
        prop_oneof![
            3 => prop::collection::vec(sel(), 1..4),
            1 => chain().prop_map(|c| vec![c]),
        ],
        prop::collection::vec(json(), 0..3),
        prop::option::weighted(0.2, any::<u8>()),
        prop::bool::weighted(0.35),
    )
        .prop_map(
            |(kind, named, selections, extra, operation_name, loose)| Op {
                kind: kind % 16,
                named,
                selections,
                extra,
                operation_name,
                loose,
            },
        )
}

/// Writes an [`Op`] as a document against the vocabulary.
struct Writer<'a> {
    vocab: &'a Vocab,
    loose: bool,
    aliases: usize,
    variables: Vec<(String, String, Json)>,
    fragments: Vec<String>,
}

impl Writer<'_> {
    fn selection_set(&mut self, ty: &str, sels: &[Sel], depth: usize) -> String {
        if sels.is_empty() || depth > 40 {
            return "{ __typename }".into();
        }
        let parts: Vec<String> = sels.iter().map(|s| self.selection(ty, s, depth)).collect();
        format!("{{ {} }}", parts.join(" "))
    }

    fn selection(&mut self, ty: &str, sel: &Sel, depth: usize) -> String {
        let Some(def) = self.vocab.types.get(ty) else {
            return "__typename".into();
        };
        if def.kind == "UNION" || (def.kind == "INTERFACE" && sel.mode % 12 == 11) {
            if def.possible.is_empty() {
                return "__typename".into();
            }
            let p = def.possible[sel.pick as usize % def.possible.len()].clone();
            let inner = self.field(&p, sel, depth, None);
            return format!("__typename ... on {p} {{ {inner} }}");
        }
        let directive = (sel.mode % 12 == 7).then(|| format!("@skip(if: {})", sel.pick % 3 == 0));
        let f = self.field(ty, sel, depth, directive);
        match sel.mode % 12 {
            8 => format!("... on {ty} {{ {f} }}"),
            9 => {
                let n = self.fragments.len();
                self.fragments
                    .push(format!("fragment F{n} on {ty} {{ {f} }}"));
                format!("...F{n}")
            }
            10 => format!("... @include(if: {}) {{ {f} }}", sel.pick % 2 == 0),
            _ => f,
        }
    }

    fn field(&mut self, ty: &str, sel: &Sel, depth: usize, directive: Option<String>) -> String {
        let def = &self.vocab.types[ty];
        let alias = match sel.alias {
            Some(a) if self.loose => format!("a{}: ", a % 8),
            Some(_) => {
                self.aliases += 1;
                format!("a{}: ", self.aliases)
            }
            None => String::new(),
        };
        // With children, a field that takes a selection set (if there is one).
        let candidates: Vec<&FieldDef> = if sel.children.is_empty() {
            def.fields.iter().collect()
        } else {
            let composite: Vec<&FieldDef> = def
                .fields
                .iter()
                .filter(|f| self.vocab.is_composite(f.ty.named()))
                .collect();
            if composite.is_empty() {
                def.fields.iter().collect()
            } else {
                composite
            }
        };
        let n = candidates.len();
        let index = sel.pick as usize % (n + 1);
        let directive = directive.map(|d| format!(" {d}")).unwrap_or_default();
        if index == n || n == 0 {
            return format!("{alias}__typename{directive}");
        }
        let f = candidates[index].clone();
        let mut args: Vec<String> = Vec::new();
        let mut used: HashSet<String> = HashSet::new();
        for a in &sel.args {
            if f.args.is_empty() {
                if self.loose && a.pick % 9 == 0 {
                    args.push("bogus: 1".into());
                }
                continue;
            }
            let def = &f.args[a.pick as usize % f.args.len()];
            if used.contains(&def.name) && !(self.loose && a.pick % 7 == 0) {
                continue;
            }
            used.insert(def.name.clone());
            let v = match &a.value {
                Val::Raw(v) if self.loose => v.clone(),
                Val::Raw(_) => fit(self.vocab, &def.ty, &def.name, a.pick as u64, 0, false),
                Val::Fit(seed) => fit(self.vocab, &def.ty, &def.name, *seed, 0, self.loose),
            };
            if a.as_variable {
                let name = format!("v{}", self.variables.len());
                self.variables
                    .push((name.clone(), def.ty.render(), v.json()));
                args.push(format!("{}: ${name}", def.name));
            } else {
                args.push(format!("{}: {}", def.name, v.literal()));
            }
        }
        for (i, def) in f.args.iter().enumerate() {
            if matches!(def.ty, TypeRef::NonNull(_))
                && !def.has_default
                && !used.contains(&def.name)
            {
                let seed = mix(sel.pick as u64, i as u64);
                let v = fit(self.vocab, &def.ty, &def.name, seed, 0, self.loose);
                args.push(format!("{}: {}", def.name, v.literal()));
            }
        }
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        let named = f.ty.named().to_owned();
        let children = if self.vocab.is_composite(&named) {
            format!(" {}", self.selection_set(&named, &sel.children, depth + 1))
        } else {
            String::new()
        };
        format!("{alias}{}{args}{directive}{children}", f.name)
    }
}

/// The document, its variables, and the operation name to send.
fn write(vocab: &Vocab, op: &Op) -> (String, Json, Option<String>, bool) {
    let (keyword, root) = match op.kind {
        0 if vocab.mutation.is_some() => ("mutation", vocab.mutation.clone().unwrap()),
        1 if op.loose && vocab.subscription.is_some() => {
            ("subscription", vocab.subscription.clone().unwrap())
        }
        _ => ("query", vocab.query.clone()),
    };
    let mut w = Writer {
        vocab,
        loose: op.loose,
        aliases: 0,
        variables: Vec::new(),
        fragments: Vec::new(),
    };
    let body = w.selection_set(&root, &op.selections, 0);
    let declared: Vec<String> = w
        .variables
        .iter()
        .map(|(n, t, _)| format!("${n}: {t}"))
        .collect();
    let head = match (op.named, declared.is_empty()) {
        (false, true) if keyword == "query" => String::new(),
        (false, true) => keyword.to_owned(),
        (named, _) => format!(
            "{keyword}{}{}",
            if named { " Fuzz" } else { "" },
            if declared.is_empty() {
                String::new()
            } else {
                format!("({})", declared.join(", "))
            }
        ),
    };
    let mut doc = format!("{head} {body}");
    for f in &w.fragments {
        doc.push('\n');
        doc.push_str(f);
    }
    let mut variables = Map::new();
    for (n, _, v) in w.variables {
        variables.insert(n, v);
    }
    for (i, v) in op.extra.iter().enumerate() {
        variables.insert(format!("x{i}"), v.clone());
    }
    let operation_name = op.operation_name.filter(|_| op.loose).map(|n| match n % 3 {
        0 => "Fuzz".to_owned(),
        1 => "Other".to_owned(),
        _ => String::new(),
    });
    (
        doc,
        Json::Object(variables),
        operation_name,
        keyword == "mutation",
    )
}

// ===================================================================================
// Running documents.
// ===================================================================================

#[test]
fn documents_from_the_schema_vocabulary_always_answer() {
    let h = Harness::new();
    let vocab = Vocab::read(&h.schema, h.rt());
    let mut runner = TestRunner::new(config(200));
    let outcome = runner.run(&op(), |op| {
        let (document, variables, operation_name, mutation) = write(&vocab, &op);
        h.run(&document, variables, operation_name, mutation)
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    h.report("documents", 40, 40);
    h.assert_store_consistent();
}

/// Documents that answer cleanly, mixed into the raw text.
const RUNNABLE: &[&str] = &[
    "{ __typename }",
    "{ members(first: 2) { nodes { code } } }",
    "query Japan { partner(code: \"JPN\") { name } }",
];

/// GraphQL-ish token soup.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            ":",
            "...",
            "on",
            "query",
            "mutation",
            "subscription",
            "fragment",
            "F",
            "$v",
            "$",
            "!",
            "=",
            "@skip(if: true)",
            "@include",
            "@",
            "#",
            "\n",
            ",",
            "\"",
            "\"\"\"",
            "\\",
            "members",
            "partners",
            "member",
            "partner",
            "node",
            "nodes",
            "edges",
            "cursor",
            "fundings",
            "funder",
            "target",
            "children",
            "meetings",
            "search",
            "code",
            "name",
            "first",
            "last",
            "after",
            "before",
            "100",
            "-1",
            "99999999999999999999999",
            "1e999",
            "0.5",
            "true",
            "null",
            "__typename",
            "__schema",
            "__type",
            "Member",
            "Partner",
            "Initiative",
            "Int",
            "String",
            "\"VNM\"",
            "\"\\u0000\"",
            "\"\\uD800\"",
            "ID",
            "Date",
        ])
        .prop_map(str::to_owned),
        "\\PC{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(token, 0..80).prop_map(|t| t.join(" "))
}

#[test]
fn raw_text_as_a_document_always_answers() {
    let h = Harness::new();
    let mut runner = TestRunner::new(config(200));
    let outcome = runner.run(
        &(
            prop_oneof![
                any::<String>(),
                token_soup(),
                prop::collection::vec(any::<u8>(), 0..200)
                    .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
                // Now and then a document that runs, so that the run shows both sides.
                prop::sample::select(RUNNABLE).prop_map(str::to_owned),
            ],
            prop::collection::vec((ident(), json()), 0..3),
        ),
        |(document, vars)| {
            let variables = Json::Object(vars.into_iter().collect());
            h.run(&document, variables, None, false)
        },
    );
    if let Err(e) = outcome {
        panic!("{e}");
    }
    h.report("raw text", 10, 100);
}

/// Shapes the generator reaches only by luck, every run.
#[test]
fn known_hard_documents_answer() {
    let h = Harness::new();
    let deep = |n: usize| {
        let mut q = String::from("{ initiatives(first: 100) { nodes { ");
        for _ in 0..n {
            q.push_str("children(first: 100) { nodes { ");
        }
        q.push_str("code");
        for _ in 0..n {
            q.push_str(" } }");
        }
        q.push_str(" } } }");
        q
    };
    let documents =
        vec![
        (
            "{ members(first: 2147483647) { totalCount } }".to_owned(),
            Json::Null,
        ),
        (
            "{ members(last: -2147483648) { totalCount } }".to_owned(),
            Json::Null,
        ),
        (
            "{ members(first: 99999999999999999999) { totalCount } }".to_owned(),
            Json::Null,
        ),
        (
            "{ search(text: \"\", first: 100) { nodes { id } } }".to_owned(),
            Json::Null,
        ),
        (
            format!("{{ search(text: {:?}) {{ nodes {{ id }} }} }}", "ả".repeat(5000)),
            Json::Null,
        ),
        (
            "query($a: String) { members(after: $a, first: 3) { nodes { code } } }".to_owned(),
            serde_json::json!({ "a": URL_SAFE_NO_PAD.encode([0xff; 40]) }),
        ),
        (
            "query($a: String) { members(before: $a, last: 3) { nodes { code } } }".to_owned(),
            serde_json::json!({ "a": URL_SAFE_NO_PAD.encode(b"member/\xffVNM") }),
        ),
        (
            "{ history(id: \"Member:VNM\", first: 2147483647) { nodes { seq } } }".to_owned(),
            Json::Null,
        ),
        (
            "query($b: String) { history(id: \"Member:VNM\", last: 3, before: $b) { totalCount } }"
                .to_owned(),
            serde_json::json!({ "b": URL_SAFE_NO_PAD.encode([0xff; 40]) }),
        ),
        (
            "{ changes(since: \"99999999999999999999999999\", first: -5) { seq } }".to_owned(),
            Json::Null,
        ),
        (
            "{ node(id: \"Member:VNM:X\") { id } }".to_owned(),
            Json::Null,
        ),
        (deep(6), Json::Null),
        // deep(12) (complexity past usize::MAX) is
        // `limits::connections_nested_past_usize_complexity_are_refused_as_too_deep`.
        ("{ __typename ".repeat(40), Json::Null),
        ("{ a".repeat(10_000), Json::Null),
        ("[".repeat(10_000), Json::Null),
        (
            format!("{{ member(code: {}) {{ name }} }}", "[".repeat(5000)),
            Json::Null,
        ),
    ];
    let mut failures = Vec::new();
    for (document, variables) in documents {
        if let Err(e) = h.run(&document, variables, None, false) {
            failures.push(e.to_string().chars().take(600).collect::<String>());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ===================================================================================
// Import files.
// ===================================================================================

#[derive(Clone, Debug)]
enum Edit {
    /// Remove what the path leads to (an object's field, an array's item).
    Delete(Vec<u32>),
    /// Put a random value there.
    Replace(Vec<u32>, V),
    /// Put a random string there.
    Text(Vec<u32>, String),
    /// Repeat an array's item (same code twice, same relationship twice).
    Duplicate(Vec<u32>),
    /// Copy the value at one path to another (a code where a reference goes …).
    Copy(Vec<u32>, Vec<u32>),
}

#[derive(Clone, Debug)]
enum ByteEdit {
    Truncate(u32),
    Flip(u32, u8),
    Insert(u32, u8),
    Splice(u32, String),
}

#[derive(Clone, Debug)]
enum ImportFile {
    Mutated(Vec<Edit>, Vec<ByteEdit>),
    Raw(Vec<u8>),
}

fn path() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 1..6)
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        path().prop_map(Edit::Delete),
        (path(), value()).prop_map(|(p, v)| Edit::Replace(p, v)),
        (
            path(),
            prop_oneof![
                "\\PC{0,30}",
                prop::sample::select(CODES).prop_map(str::to_owned),
                prop::sample::select(IDS).prop_map(str::to_owned),
                prop::sample::select(DATES).prop_map(str::to_owned),
                long_string(),
            ]
        )
            .prop_map(|(p, s)| Edit::Text(p, s)),
        path().prop_map(Edit::Duplicate),
        (path(), path()).prop_map(|(a, b)| Edit::Copy(a, b)),
    ]
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        any::<u32>().prop_map(ByteEdit::Truncate),
        (any::<u32>(), 1..=255u8).prop_map(|(p, b)| ByteEdit::Flip(p, b)),
        (any::<u32>(), any::<u8>()).prop_map(|(p, b)| ByteEdit::Insert(p, b)),
        (any::<u32>(), "\\PC{0,8}").prop_map(|(p, s)| ByteEdit::Splice(p, s)),
    ]
}

fn import_file() -> impl Strategy<Value = ImportFile> {
    prop_oneof![
        6 => (
            prop::collection::vec(edit(), 1..5),
            prop_oneof![
                3 => Just(Vec::new()),
                1 => prop::collection::vec(byte_edit(), 1..3),
            ],
        )
            .prop_map(|(e, b)| ImportFile::Mutated(e, b)),
        1 => prop::collection::vec(any::<u8>(), 0..512).prop_map(ImportFile::Raw),
    ]
}

/// Follows `path` (each step picks a field or an item, modulo their number) as far as it
/// goes.
fn walk<'a>(v: &'a mut Json, path: &[u32]) -> &'a mut Json {
    let Some((&step, rest)) = path.split_first() else {
        return v;
    };
    let len = match &*v {
        Json::Object(map) => map.len(),
        Json::Array(items) => items.len(),
        _ => 0,
    };
    if len == 0 {
        return v;
    }
    let i = step as usize % len;
    match v {
        Json::Object(map) => {
            let key = map.keys().nth(i).unwrap().clone();
            walk(map.get_mut(&key).unwrap(), rest)
        }
        Json::Array(items) => walk(&mut items[i], rest),
        _ => unreachable!(),
    }
}

fn apply(doc: &mut Json, edit: &Edit) {
    match edit {
        Edit::Delete(p) | Edit::Duplicate(p) => {
            let (last, parent_path) = p.split_last().unwrap();
            let parent = walk(doc, parent_path);
            match (parent, edit) {
                (Json::Object(map), Edit::Delete(_)) if !map.is_empty() => {
                    let key = map.keys().nth(*last as usize % map.len()).unwrap().clone();
                    map.remove(&key);
                }
                (Json::Array(items), Edit::Delete(_)) if !items.is_empty() => {
                    let n = items.len();
                    items.remove(*last as usize % n);
                }
                (Json::Array(items), Edit::Duplicate(_)) if !items.is_empty() => {
                    let n = items.len();
                    let item = items[*last as usize % n].clone();
                    items.push(item);
                }
                _ => {}
            }
        }
        Edit::Replace(p, v) => *walk(doc, p) = v.json(),
        Edit::Text(p, s) => *walk(doc, p) = Json::String(s.clone()),
        Edit::Copy(from, to) => {
            let value = walk(doc, from).clone();
            *walk(doc, to) = value;
        }
    }
}

fn at(len: usize, n: u32) -> usize {
    if len == 0 {
        0
    } else {
        (n as usize) % (len + 1)
    }
}

fn bytes_of(bundled: &Json, file: &ImportFile) -> Vec<u8> {
    match file {
        ImportFile::Raw(b) => b.clone(),
        ImportFile::Mutated(edits, byte_edits) => {
            let mut doc = bundled.clone();
            for e in edits {
                apply(&mut doc, e);
            }
            let mut bytes = serde_json::to_vec(&doc).unwrap();
            for e in byte_edits {
                match e {
                    ByteEdit::Truncate(n) => bytes.truncate(at(bytes.len(), *n)),
                    ByteEdit::Flip(n, x) => {
                        if !bytes.is_empty() {
                            let i = *n as usize % bytes.len();
                            bytes[i] ^= x;
                        }
                    }
                    ByteEdit::Insert(n, b) => bytes.insert(at(bytes.len(), *n), *b),
                    ByteEdit::Splice(n, s) => {
                        let i = at(bytes.len(), *n);
                        bytes.splice(i..i, s.bytes());
                    }
                }
            }
            bytes
        }
    }
}

/// Runs `work` on another thread; fails the case if it panics, breaks a rule (`Err`), or
/// takes longer than the bound (a hung thread is left behind; the case is reported).
fn within<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, TestCaseError> {
    let bound = BOUND * 4;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // A panic fails the case; nothing is used after it.
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into())
            });
        let _ = send.send(outcome);
    });
    match receive.recv_timeout(bound) {
        Err(_) => Err(TestCaseError::fail(format!(
            "import did not finish within {bound:?}"
        ))),
        Ok(Err(panic)) => Err(TestCaseError::fail(format!("import panicked: {panic}"))),
        Ok(Ok(Err(broken))) => Err(TestCaseError::fail(broken)),
        Ok(Ok(Ok(value))) => Ok(value),
    }
}

/// After an accepted import: the store passes its invariant check.
fn consistent(store: &Store) -> Result<(), String> {
    let report = store.check().map_err(|e| format!("check failed: {e}"))?;
    if report.is_clean() {
        Ok(())
    } else {
        Err(format!(
            "accepted, but the store breaks its invariants: {report:?}"
        ))
    }
}

/// Imports `bytes` into a fresh store: `Ok(true)` if accepted (and consistent),
/// `Ok(false)` if refused (and the store holds nothing).
fn import_fresh(bytes: Vec<u8>, empty_export: &str) -> Result<bool, TestCaseError> {
    let empty_export = empty_export.to_owned();
    within(move || {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        match dataset::import(&store, &bytes, Mode::Refuse) {
            Ok(_) => consistent(&store).map(|()| true),
            Err(error) => {
                let counts = store.counts();
                let export = dataset::export(&store).map_err(|e| e.to_string())?;
                if !store.is_empty().unwrap() || counts.edges > 0 || export != empty_export {
                    Err(format!(
                        "refused ({error}) but the store is not empty: {} records, {} edges",
                        counts.total_nodes(),
                        counts.edges
                    ))
                } else {
                    Ok(false)
                }
            }
        }
    })
}

#[test]
fn mutated_import_files_are_all_or_nothing() {
    let bundled: Json = serde_json::from_str(dataset::BUNDLED).unwrap();
    let empty_export = {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        dataset::export(&store).unwrap()
    };
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    let cases = config(64).cases as usize;
    let mut runner = TestRunner::new(config(64));
    let outcome = runner.run(&import_file(), |file| {
        let bytes = bytes_of(&bundled, &file);
        if import_fresh(bytes, &empty_export)? {
            accepted.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let accepted = accepted.load(Ordering::SeqCst);
    eprintln!("import fuzz: {accepted} of the files were accepted");
    // Both sides reached: some mutated files still import, most are refused.
    assert!(
        accepted >= 1 && cases.saturating_sub(accepted) >= cases / 2,
        "{accepted} of {cases} mutated files accepted"
    );
}

/// The same files merged (`--merge`) into a store that holds the bundled dataset: a refused
/// merge changes nothing; an accepted one leaves the store consistent.
#[test]
fn mutated_import_files_merge_all_or_nothing() {
    let bundled: Json = serde_json::from_str(dataset::BUNDLED).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).unwrap();
    let before = std::sync::Mutex::new(dataset::export(&store).unwrap());
    let [accepted, refused] = [(); 2].map(|()| Arc::new(std::sync::atomic::AtomicUsize::new(0)));
    let mut runner = TestRunner::new(config(32));
    let outcome = runner.run(&import_file(), |file| {
        let bytes = bytes_of(&bundled, &file);
        let store = Arc::clone(&store);
        let expected = before.lock().unwrap().clone();
        let [accepted, refused] = [&accepted, &refused].map(Arc::clone);
        let after = within(move || {
            let result = dataset::import(&store, &bytes, Mode::Merge);
            let export = dataset::export(&store).map_err(|e| e.to_string())?;
            match result {
                Ok(_) => {
                    accepted.fetch_add(1, Ordering::SeqCst);
                    consistent(&store).map(|()| export)
                }
                Err(error) if export != expected => Err(format!(
                    "the merge was refused ({error}) but the store changed"
                )),
                Err(_) => {
                    refused.fetch_add(1, Ordering::SeqCst);
                    Ok(export)
                }
            }
        })?;
        *before.lock().unwrap() = after;
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let [accepted, refused] = [accepted, refused].map(|n| n.load(Ordering::SeqCst));
    eprintln!("merge fuzz: {accepted} merges accepted, {refused} refused");
    assert!(
        accepted >= 1 && refused >= 8,
        "merge fuzz reached {accepted} accepted and {refused} refused merges"
    );
}
