//! Abusive documents and the checks of their refusals, shared by the limits, floods and
//! persisted-queries tests: the product question, shapes past each limit, the honest client
//! that keeps asking while they are sent, and helpers that read a refusal's code, limit and
//! measure.
#![allow(dead_code)]

use super::TestServer;
use asean_graph::graphql::Limits;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The question that names the product (as in `tests/http.rs`).
pub(crate) const PRODUCT_QUESTION: &str = r#"{ partners(kind: DIALOGUE_PARTNER, first: 100) { nodes { code name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"#;

/// The README's form of it, with the default page size.
pub(crate) const PRODUCT_QUESTION_DEFAULT_PAGE: &str = r#"{ partners(kind: DIALOGUE_PARTNER) { nodes { name
    fundings { nodes { projectCount amountUsd
      target { ... on Initiative { code name parent { code } } }
      approvedAt { code startDate } sources { title } } } } } }"#;

/// The same with every option GraphiQL 3 may turn on: schema description, `specifiedByURL`,
/// `isRepeatable`, deprecated input values.
pub(crate) const INTROSPECTION_QUERY_ALL_OPTIONS: &str = r#"
    query IntrospectionQuery {
      __schema {
        description
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types { ...FullType }
        directives {
          name description isRepeatable locations
          args(includeDeprecated: true) { ...InputValue }
        }
      }
    }
    fragment FullType on __Type {
      kind name description specifiedByURL
      fields(includeDeprecated: true) {
        name description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name description type { ...TypeRef } defaultValue isDeprecated deprecationReason
    }
    fragment TypeRef on __Type {
      kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name } } } } } } }
    }
"#;

// ----- helpers -----

/// The default limits (the shapes below are sized against them: depth 15, complexity in
/// the hundreds of thousands at most, 30 aliases, 500 fields, 32 KiB).
pub(crate) fn defaults() -> Limits {
    Limits::default()
}

/// Rounds of `deep_cyclic` just within the default depth (3 levels a round, plus 2).
pub(crate) fn rounds_within_depth() -> usize {
    (defaults().max_depth - 2) / 3
}

/// The deep cyclic query one round past the default depth, and its depth.
pub(crate) fn too_deep() -> (String, usize) {
    let rounds = rounds_within_depth() + 1;
    (deep_cyclic(rounds), 3 * rounds + 2)
}

/// A document 8 KiB over the default size.
pub(crate) fn too_big() -> String {
    oversized(defaults().max_document_bytes + 8 * 1024)
}

/// 100 fields over the default (the `member` field plus `n` names).
pub(crate) fn too_many_fields() -> (String, usize) {
    let n = defaults().max_fields + 100;
    (many_fields(n), n + 1)
}

/// Every run of digits in `text`, as numbers.
pub(crate) fn numbers(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Asserts `body` is a refusal with `code` and returns its first error's message.
pub(crate) fn refusal<'a>(body: &'a Value, code: &str, what: &str) -> &'a str {
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not refused: {body}"));
    assert!(!errors.is_empty(), "{what}: {body}");
    assert_eq!(
        errors[0]["extensions"]["code"], code,
        "{what}: wrong code: {body}"
    );
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "{what}: a refused document must not run: {body}"
    );
    errors[0]["message"].as_str().unwrap_or("")
}

/// Asserts the message states `limit` and a measured value above it.
pub(crate) fn states_limit_and_measure(message: &str, limit: usize, what: &str) {
    let n = numbers(message);
    assert!(
        n.contains(&(limit as u64)),
        "{what}: the message does not state the limit {limit}: {message:?}"
    );
    assert!(
        n.iter().any(|&m| m > limit as u64),
        "{what}: the message does not state a measured value above {limit}: {message:?}"
    );
}

/// Asserts the answer to the product question is a full, honest one.
pub(crate) fn assert_product_answer(status: u16, body: &Value) -> Result<(), String> {
    if status != 200 {
        return Err(format!("status {status}: {body}"));
    }
    if body.get("errors").is_some() {
        return Err(format!("errors: {body}"));
    }
    let partners = body["data"]["partners"]["nodes"]
        .as_array()
        .ok_or_else(|| format!("no partners: {body}"))?;
    if !partners.iter().any(|p| p["code"] == "JPN") {
        return Err(format!("Japan missing: {body}"));
    }
    Ok(())
}

/// A client asking the product question over and over until stopped.
pub(crate) struct Honest {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
    pub(crate) failed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<Vec<String>>,
}

impl Honest {
    /// Starts asking, and returns once the first answer has come.
    pub(crate) async fn start(s: &TestServer) -> Honest {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        // Its own client: its own connections.
        let client = reqwest::Client::new();
        let url = format!("{}/graphql", s.base);
        let task = tokio::spawn({
            let stop = Arc::clone(&stop);
            let answered = Arc::clone(&answered);
            let failed = Arc::clone(&failed);
            async move {
                let mut failures = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let r = client
                        .post(&url)
                        .json(&json!({ "query": PRODUCT_QUESTION }))
                        .send()
                        .await;
                    let outcome = match r {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            match r.json::<Value>().await {
                                Ok(body) => assert_product_answer(status, &body),
                                Err(e) => Err(format!("unreadable body: {e}")),
                            }
                        }
                        Err(e) => Err(format!("request failed: {e}")),
                    };
                    match outcome {
                        Ok(()) => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => {
                            failed.fetch_add(1, Ordering::SeqCst);
                            failures.push(e);
                        }
                    }
                }
                failures
            }
        });
        let honest = Honest {
            stop,
            answered,
            failed,
            task,
        };
        honest.wait_for(1).await;
        honest
    }

    pub(crate) fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` answers have come (or one failed: `finish` says how).
    pub(crate) async fn wait_for(&self, n: usize) {
        while self.answered() < n && self.failed.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Stops, and asserts every question was answered in full.
    pub(crate) async fn finish(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        let failures = self.task.await.unwrap();
        assert!(
            failures.is_empty(),
            "the honest client was failed {} time(s): {:?}",
            failures.len(),
            &failures[..failures.len().min(3)]
        );
        self.answered.load(Ordering::SeqCst)
    }
}

pub(crate) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A deep cyclic query: partner → fundings → funder → fundings … `rounds` times round
/// (page size 1 at each level, so only depth is at stake).
pub(crate) fn deep_cyclic(rounds: usize) -> String {
    let mut q = String::from(r#"{ partner(code: "JPN") { "#);
    for _ in 0..rounds {
        q.push_str("fundings(first: 1) { nodes { funder { ... on Partner { ");
    }
    q.push_str("code");
    for _ in 0..rounds {
        q.push_str(" } } } }");
    }
    q.push_str(" } }");
    q
}

/// Four nested connections with `first: 100` each.
pub(crate) const FAN_OUT: &str = r#"{ partners(first: 100) { nodes { fundings(first: 100) { nodes {
    target { ... on Initiative { children(first: 100) { nodes {
      meetings(first: 100) { nodes { code } } } } } } } } } } }"#;

pub(crate) fn alias_bomb(n: usize) -> String {
    let mut q = String::from("{");
    for i in 0..n {
        q.push_str(&format!(r#" a{i}: member(code: "VNM") {{ name }}"#));
    }
    q.push('}');
    q
}

pub(crate) const FRAGMENT_CYCLE: &str = r#"{ member(code: "VNM") { ...A } }
    fragment A on Member { name ...B }
    fragment B on Member { code ...A }"#;

/// A longer fragment cycle through a connection: A → B → C → A.
pub(crate) const FRAGMENT_CYCLE_3: &str = r#"{ members { nodes { ...A } } }
    fragment A on Member { fundings { nodes { funder { ...B } } } }
    fragment B on Member { code ...C }
    fragment C on Member { name ...A }"#;

pub(crate) fn oversized(bytes: usize) -> String {
    let mut q = String::from(r#"{ member(code: "VNM") { name } }"#);
    q.push_str("\n# ");
    while q.len() < bytes {
        q.push_str("padding padding padding padding padding padding padding padding\n# ");
    }
    q
}

pub(crate) fn many_fields(n: usize) -> String {
    format!(
        r#"{{ member(code: "VNM") {{ {} }} }}"#,
        vec!["name"; n].join(" ")
    )
}

/// The value of the first `/metrics` line that starts with `prefix`.
pub(crate) fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}
