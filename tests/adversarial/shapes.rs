//! The fuzz target of the adversarial suite: documents and values of random depth (up to
//! thousands of levels) and width, of every recursive kind — list and object literals in
//! arguments, variables' default values and values, list types, inline fragments, nested
//! fields, fragment chains that double at each step, walls of aliases and directives —
//! executed in-process through the schema over the bundled dataset (see
//! [`crate::fuzz::Harness`]: no `INTERNAL`, every error coded, answered within its bound).
//! On top: whatever nests past the limit is refused as `QUERY_TOO_DEEP`, before anything
//! recursed over it (a stack overflow would abort the whole test binary).
//!
//! Bounded for CI (128 cases, seconds); `PROPTEST_CASES=20000` runs longer.

use crate::common::Harness;
use asean_graph::graphql::Limits;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value as Json, json};

/// One generated shape: its kind, how deep, how wide, and a seed for the details.
#[derive(Clone, Debug)]
struct Shape {
    kind: u8,
    depth: usize,
    width: usize,
    seed: u64,
}

const KINDS: u8 = 9;

fn shape() -> impl Strategy<Value = Shape> {
    (
        0..KINDS,
        prop_oneof![0..40usize, 0..400usize, 0..4000usize],
        0..12usize,
        any::<u64>(),
    )
        .prop_map(|(kind, depth, width, seed)| Shape {
            kind,
            depth,
            width,
            seed,
        })
}

/// A value `depth` levels deep, `width` scalars beside each level.
fn value(depth: usize, width: usize, seed: u64) -> String {
    let scalars = |i: usize| -> String {
        (0..width)
            .map(|j| match (seed as usize + i + j) % 4 {
                0 => format!("{j}, "),
                1 => "\"x\", ".to_owned(),
                2 => "null, ".to_owned(),
                _ => "true, ".to_owned(),
            })
            .collect()
    };
    let mut text = String::new();
    for i in 0..depth {
        if (seed >> (i % 64)) & 1 == 0 {
            text += &format!("[{}", scalars(i));
        } else {
            text += &format!("{{k{i}: ");
        }
    }
    text += "\"leaf\"";
    for i in (0..depth).rev() {
        text += if (seed >> (i % 64)) & 1 == 0 {
            "]"
        } else {
            "}"
        };
    }
    text
}

/// The same as JSON, for a variable.
fn json_value(depth: usize) -> Json {
    let mut v = json!("leaf");
    for i in 0..depth {
        v = if i % 2 == 0 {
            json!([v, 1])
        } else {
            json!({ "k": v })
        };
    }
    v
}

/// The document (and variables) of a shape.
/// How deep the brackets of `write(s)`'s document nest (selections, arguments, lists and
/// objects), read off the shape as each kind builds it: the oracle of what the server must
/// refuse as too deep, independent of the server's own measure.
fn depth_of(s: &Shape) -> usize {
    let d = s.depth;
    match s.kind {
        // `{ search(text: V) { … } }`: the value nests d inside the arguments.
        0 => 2 + d,
        // `query ($v: String = V) { search(text: $v) { … } }`
        1 => (1 + d).max(2),
        // `query ($v: [[…String…]]) { … }`
        2 => 1 + d,
        // `{ ... on Query { ` d times
        3 => 1 + d,
        // `{ member(code: …) { ` then `chairmanships { year member { ` d times
        4 => 2 + 2 * d,
        // 5: fragments, 7: aliases side by side: one selection deep. 6: the depth is the
        // variables', not the document's. 8: `{ __typename @include(if: true) … }`.
        5 | 7 => 1,
        _ => 2,
    }
}

fn write(s: &Shape) -> (String, Json) {
    let (d, w) = (s.depth, s.width);
    let no_vars = json!({});
    match s.kind {
        0 => (
            format!(
                "{{ search(text: {}) {{ __typename }} }}",
                value(d, w, s.seed)
            ),
            no_vars,
        ),
        1 => (
            format!(
                "query ($v: String = {}) {{ search(text: $v) {{ __typename }} }}",
                value(d, w, s.seed)
            ),
            no_vars,
        ),
        2 => (
            format!(
                "query ($v: {}String{}) {{ __typename }}",
                "[".repeat(d),
                "]".repeat(d)
            ),
            no_vars,
        ),
        3 => (
            format!(
                "{{ {}__typename{} }}",
                "... on Query { ".repeat(d),
                " }".repeat(d)
            ),
            no_vars,
        ),
        4 => (
            format!(
                "{{ member(code: \"VNM\") {{ {}code{} }} }}",
                "chairmanships { year member { ".repeat(d),
                " } }".repeat(d)
            ),
            no_vars,
        ),
        5 => {
            let n = d.min(200);
            let mut doc = String::from("{ ...F0 }");
            for i in 0..n {
                doc += &format!(
                    " fragment F{i} on Query {{ __typename{} }}",
                    format!(" ...F{}", i + 1).repeat(w.max(1))
                );
            }
            doc += &format!(" fragment F{n} on Query {{ __typename }}");
            (doc, no_vars)
        }
        6 => (
            "query ($v: String) { search(text: $v) { __typename } }".to_owned(),
            // The JSON parser of a request stops at 128 levels: values come no deeper.
            json!({ "v": json_value(d.min(127)) }),
        ),
        7 => (
            format!(
                "{{ {} }}",
                (0..d.min(300))
                    .map(|i| format!("a{i}: __typename"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            no_vars,
        ),
        _ => (
            format!(
                "{{ __typename {} }}",
                "@include(if: true) ".repeat(d.min(2000))
            ),
            no_vars,
        ),
    }
}

#[test]
fn nested_and_wide_documents_are_refused_or_answered_and_never_overflow() {
    let h = Harness::new();
    let limits = Limits::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default().cases
    } else {
        128
    };
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    });
    let outcome = runner.run(&shape(), |s| {
        let (document, variables) = write(&s);
        let deep = depth_of(&s) > limits.max_nesting && document.len() <= limits.max_document_bytes;
        let answer = h.answer(&document, variables, None, false)?;
        if deep && !answer.is_null() {
            let code = &answer["errors"][0]["extensions"]["code"];
            prop_assert_eq!(
                code,
                "QUERY_TOO_DEEP",
                "nests past the limit: {:?}\n{}",
                s,
                answer
            );
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    h.report("nested and wide shapes", 5, 50);
    h.assert_store_consistent();
}
