//! [`Harness`]: the schema over a store holding the bundled dataset, run in process on a
//! runtime of its own, for the fuzz targets: every document must answer (or be refused)
//! within a bound, with no panic and no hang, and the store stay consistent.

use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{self, AppSchema, Caller, Options, Role};
use asean_graph::store::Store;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long one document or one import may take.
pub const BOUND: Duration = Duration::from_secs(5);
/// The largest answer a document within the limits may get (the limits bound it far lower).
const MAX_ANSWER_BYTES: usize = 8 << 20;

pub(crate) struct Harness {
    rt: Option<tokio::runtime::Runtime>,
    pub(crate) schema: AppSchema,
    store: Arc<Store>,
    _dir: tempfile::TempDir,
    /// Set once a case hangs: later cases pass, so shrinking reports the case that hung.
    hung: AtomicBool,
    /// Answers with data and no error / with data and errors / refused before running.
    tally: [std::sync::atomic::AtomicUsize; 3],
    /// Error messages seen, by count (with `FUZZ_VERBOSE` set).
    messages: std::sync::Mutex<HashMap<String, usize>>,
}

impl Harness {
    pub(crate) fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).unwrap();
        let store = Arc::new(store);
        // The default options, plus one admin token, so that mutations run too (reads are
        // the same as with `Options::default()`).
        let options = Options {
            access: Arc::new(graphql::Access {
                tokens: graphql::Tokens::parse("fuzz:admin:fuzz-secret-0123456789").unwrap(),
                read_needs_token: false,
            }),
            ..Options::default()
        };
        let schema = graphql::build_schema(Arc::clone(&store), &options);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        Harness {
            rt: Some(rt),
            schema,
            store,
            _dir: dir,
            hung: AtomicBool::new(false),
            tally: Default::default(),
            messages: Default::default(),
        }
    }

    /// Says how the answers fell out, and fails unless the generator reached both sides: at
    /// least `min_clean` documents answered cleanly, and at least `min_refused` refused or
    /// answered with errors. A generator that makes only invalid documents (or only valid
    /// ones) would test half of what it is named for, and pass.
    pub(crate) fn report(&self, what: &str, min_clean: usize, min_refused: usize) {
        let [clean, partial, refused] = self.tally.each_ref().map(|n| n.load(Ordering::SeqCst));
        eprintln!(
            "{what}: {clean} answered cleanly, {partial} answered with errors, {refused} refused before running"
        );
        assert!(
            clean >= min_clean && partial + refused >= min_refused,
            "{what}: {clean} clean and {} refused or partial answers, fewer than the {min_clean} and {min_refused} required",
            partial + refused
        );
        if std::env::var_os("FUZZ_VERBOSE").is_some() {
            let messages = self.messages.lock().unwrap();
            let mut by_count: Vec<_> = messages.iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(a.1));
            for (m, n) in by_count.iter().take(40) {
                eprintln!("{n:6} {m}");
            }
        }
    }

    pub(crate) fn rt(&self) -> &tokio::runtime::Runtime {
        self.rt.as_ref().unwrap()
    }

    /// Runs one request on a worker, so that the bound holds even if it never yields.
    pub(crate) fn run(
        &self,
        document: &str,
        variables: Json,
        operation_name: Option<String>,
        as_admin: bool,
    ) -> Result<(), TestCaseError> {
        self.answer(document, variables, operation_name, as_admin)
            .map(|_| ())
    }

    /// Runs a document as [`Harness::run`] does and returns its answer (null once a case
    /// has hung).
    pub(crate) fn answer(
        &self,
        document: &str,
        variables: Json,
        operation_name: Option<String>,
        as_admin: bool,
    ) -> Result<Json, TestCaseError> {
        if self.hung.load(Ordering::SeqCst) {
            return Ok(Json::Null);
        }
        let mut request = async_graphql::Request::new(document)
            .variables(async_graphql::Variables::from_json(variables.clone()));
        if let Some(name) = operation_name {
            request = request.operation_name(name);
        }
        if as_admin {
            request = request.data(Caller::Known {
                name: "fuzz".into(),
                role: Role::Admin,
            });
        }
        let schema = self.schema.clone();
        let task = self
            .rt()
            .spawn(async move { graphql::execute(&schema, request).await });
        let outcome = self
            .rt()
            .block_on(async { tokio::time::timeout(BOUND, task).await });
        let response = match outcome {
            Err(_) => {
                self.hung.store(true, Ordering::SeqCst);
                eprintln!("HUNG (> {BOUND:?}) on document:\n{document}\nvariables: {variables}");
                return Err(TestCaseError::fail(format!(
                    "no answer within {BOUND:?}: {document}"
                )));
            }
            Ok(Err(join)) => {
                return Err(TestCaseError::fail(format!(
                    "execute itself panicked ({join}) on: {document}"
                )));
            }
            Ok(Ok(response)) => response,
        };
        let answer = serde_json::to_value(&response)
            .map_err(|e| TestCaseError::fail(format!("unserializable answer: {e}")))?;
        let text = answer.to_string();
        prop_assert!(
            text.len() <= MAX_ANSWER_BYTES,
            "an answer of {} bytes to: {document}",
            text.len()
        );
        let errors = answer["errors"].as_array().map_or(0, Vec::len);
        let slot = match (answer["data"].is_null(), errors) {
            (_, 0) => 0,
            (false, _) => 1,
            (true, _) => 2,
        };
        self.tally[slot].fetch_add(1, Ordering::SeqCst);
        if std::env::var_os("FUZZ_VERBOSE").is_some() {
            let mut messages = self.messages.lock().unwrap();
            for e in answer["errors"].as_array().into_iter().flatten() {
                let m: String = e["message"]
                    .as_str()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_ascii_digit())
                    .take(70)
                    .collect();
                *messages.entry(m).or_default() += 1;
            }
        }
        for e in answer["errors"].as_array().into_iter().flatten() {
            let code = e["extensions"]["code"].as_str().unwrap_or("");
            prop_assert_ne!(
                code,
                "INTERNAL",
                "a panic or fault: {}\ndocument: {}\nvariables: {}",
                e,
                document,
                variables
            );
            prop_assert!(!code.is_empty(), "an error with no code: {}", e);
        }
        Ok(answer)
    }

    /// The store still passes every invariant check.
    pub(crate) fn assert_store_consistent(&self) {
        let report = self.store.check().unwrap();
        assert!(report.is_clean(), "the store broke: {report:?}");
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // A hung task would keep a worker: do not wait for it.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}
