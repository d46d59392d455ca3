//! The standing adversarial suite: each finding of the hardening rounds, replayed against
//! the real server over real HTTP or WebSocket. After every case the server must still be
//! up, an honest client must still get the right answer, and the store must check clean.
//!
//! One file per transport; each case names its finding. Where a finding's reproduction is
//! not a request to the server, its case lives with its feature and is listed here:
//!
//! | finding | cases |
//! |---|---|
//! | 1 nested values crash the process | `http::finding_1_*`, `ws::finding_1_*`, and the fuzz target `shapes` |
//! | 2 plain lists amplify | `http::finding_2_*` |
//! | 3 a merge bypasses model rules | `cli::cli_merge_refuses_a_second_chair_of_asean_in_a_year`, `integrity::*`, `integrity_property` |
//! | 4 32-bit wraparound | `integers::*` |
//! | 5 deep cyclic query's code | `http::finding_5_*` |
//! | 6 WebSocket conformance | `ws::finding_6_*`, `ws_conformance::*` |
//! | 7 Authorization headers | `auth::*` |
//! | 8 validation gaps | `http::finding_8_*` |
//! | 9 CLI creates stores | `cli::*_with_a_mistyped_data_dir_*`, `cli::failed_import_*` |
//! | 10 smaller | `http::finding_10_*`, `integrity::deleting_*`, `auth::*` |
//! | 11 counts priced by their page | `budget::finding_11_*`, the standing search `tests/audit/dearest.py` |
//! | 12 a batch gets a budget per query | `budget::finding_12_*` |
//! | 13 `/ws` passes no rate limit or cap | `ws::finding_13_*`, `ws::runner`'s unit tests |
//! | 14 no security headers | `security_headers::*`, and the browser tests fail on a CSP violation |
//! | 15 URLs prefix-tested | `source_urls::*` |
//! | 16 sorting and variables' defaults unpriced (an outside test of 11-13) | `budget::finding_16_*`, `graphql::price`'s unit tests |

mod budget;
mod http;
mod shapes;
mod ws;

use asean_graph::dataset::{self, Mode};
use asean_graph::graphql::{Access, Options, Tokens};
use asean_graph::server::{self, Config, Manifest};
use asean_graph::store::Store;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::oneshot;

/// A release-default server (only the rate limit off: the cases come from one address) over
/// the bundled dataset in a temporary store this suite can check.
pub struct Target {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Arc<Store>,
    /// The token the honest client shows, where reads need one.
    reader: Option<&'static str>,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// An editor's token for the servers that have tokens.
pub const EDITOR: &str = "editor-secret-0123456789";
/// A reader's token, for servers whose reads need one.
pub const READER: &str = "reader-secret-0123456789";

impl Target {
    pub async fn start() -> Target {
        Target::start_with(Config::default()).await
    }

    /// A server whose reads need a token.
    pub async fn reads_need_token() -> Target {
        let mut target = Target::start_with(Config {
            graphql: Options {
                access: Arc::new(Access {
                    tokens: Tokens::parse(&format!("ci:editor:{EDITOR},r:reader:{READER}"))
                        .unwrap(),
                    read_needs_token: true,
                }),
                ..Options::default()
            },
            ..Config::default()
        })
        .await;
        target.reader = Some(READER);
        target
    }

    /// A server with these limits whose writes take the editor token.
    pub async fn with_editor(limits: asean_graph::graphql::Limits) -> Target {
        Target::start_with(Config {
            graphql: Options {
                access: Arc::new(Access {
                    tokens: Tokens::parse(&format!("ci:editor:{EDITOR}")).unwrap(),
                    read_needs_token: false,
                }),
                limits,
                ..Options::default()
            },
            ..Config::default()
        })
        .await
    }

    /// Timor-Leste chairs the IAI Task Force in each of `years` (none the bundled data has),
    /// written through the API as the editor.
    pub async fn add_chairs_of_timor_leste(&self, years: std::ops::Range<u16>) {
        for year in years {
            let write = format!(
                r#"mutation {{ addChair(body: "IAI-TF", member: "TLS", year: {year}, sources: ["P36"]) {{ year }} }}"#
            );
            let (status, body) = self
                .post_body(json!({ "query": write }).to_string(), Some(EDITOR))
                .await;
            assert_eq!(status, 200, "{body}");
            assert!(body.get("errors").is_none(), "{body}");
        }
    }

    /// A server that runs only the documents of `manifest` (the honest query among them).
    pub async fn trusted(documents: &[&str]) -> Target {
        let manifest: serde_json::Map<String, Value> = documents
            .iter()
            .chain([&HONEST])
            .map(|d| (sha256_hex(d), json!(d)))
            .collect();
        let manifest = Manifest::parse(&Value::Object(manifest).to_string()).unwrap();
        Target::start_with(Config {
            trusted_documents: Some(Arc::new(manifest)),
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> Target {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).unwrap();
        let config = Config {
            rate_limit: 0.0,
            ..config
        };
        Target::serve(dir, store, config).await
    }

    /// A server over the bundled dataset whose clients may make `per_second` requests a
    /// second (in bursts of twice that).
    pub async fn rate_limited(per_second: f64) -> Target {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse).unwrap();
        let config = Config {
            rate_limit: per_second,
            ..Config::default()
        };
        Target::serve(dir, store, config).await
    }

    /// A server over a store `scale` times the bundled dataset, where every generated
    /// record and link cites the one source `SYNTHETIC`, under the config `config` makes
    /// of the store (whose sizes it may read).
    pub async fn generated(scale: usize, config: impl FnOnce(&Store) -> Config) -> Target {
        let base = dataset::parse(dataset::BUNDLED.as_bytes()).unwrap();
        let doc = dataset::generate(&base, scale, 7);
        let json = serde_json::to_vec(&doc).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        dataset::import(&store, &json, Mode::Refuse).unwrap();
        let config = Config {
            rate_limit: 0.0,
            ..config(&store)
        };
        Target::serve(dir, store, config).await
    }

    async fn serve(dir: tempfile::TempDir, store: Arc<Store>, config: Config) -> Target {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server::serve_on(
            listener,
            Arc::clone(&store),
            config,
            async {
                let _ = stopped.await;
            },
        ));
        Target {
            base,
            client: reqwest::Client::new(),
            store,
            reader: None,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs a raw JSON body; the status and the JSON answer.
    pub async fn post_body(&self, body: String, token: Option<&str>) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a whole body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// POSTs a document and its variables.
    pub async fn post(&self, query: &str, variables: Value) -> (u16, Value) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.post_body(body, None).await
    }

    /// GETs a document.
    pub async fn get(&self, query: &str) -> (u16, Value) {
        let response = self
            .client
            .get(self.url("/graphql"))
            .query(&[("query", query)])
            .header("accept", "application/graphql-response+json")
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a whole body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// The server is up, answers an honest client rightly, and the store checks clean.
    pub async fn survived(&self, case: &str) {
        let (status, body) = self
            .post_body(json!({ "query": HONEST }).to_string(), self.reader)
            .await;
        assert_eq!(status, 200, "{case}: the honest client got {body}");
        assert_eq!(
            body["data"]["member"]["name"], "Viet Nam",
            "{case}: the honest client got {body}"
        );
        let report = self.store.check().expect("check runs");
        assert!(
            report.is_clean(),
            "{case}: the store is not clean: {report:?}"
        );
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What an honest client asks between the cases.
pub const HONEST: &str = r#"{ member(code: "VNM") { name chairmanships { year } } }"#;

pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The one error of a refused request: its code and message, after checking the status.
pub fn refused(case: &str, (status, body): &(u16, Value), want_status: u16) -> (String, String) {
    assert_eq!(*status, want_status, "{case}: {body}");
    let errors = body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{case}: no errors in {body}"));
    let e = &errors[0];
    (
        e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
        e["message"].as_str().unwrap_or("").to_owned(),
    )
}
