//! [`TestServer`]: the real server on a loopback port, in this process, over a fresh store.

use asean_graph::dataset::{self, Mode};
use asean_graph::server::{self, Config};
use asean_graph::store::Store;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::oneshot;

/// A server over a fresh store holding the bundled dataset, stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server with no rate limit (the tests send many requests from one address).
    pub async fn start() -> TestServer {
        TestServer::start_with(Config {
            rate_limit: 0.0,
            ..Config::default()
        })
        .await
    }

    /// A server with no rate limit and no cache of answers: a request sent again reaches
    /// the GraphQL layer (and its cache of parsed documents) instead of the answer kept.
    pub async fn without_answer_cache() -> TestServer {
        TestServer::start_with(Config {
            rate_limit: 0.0,
            response_cache_bytes: 0,
            ..Config::default()
        })
        .await
    }

    /// A server whose writes accept these `name:role:secret` tokens.
    pub async fn with_tokens(tokens: &str) -> TestServer {
        TestServer::with_access(tokens, false).await
    }

    /// A server with these tokens, where reads need one too if `read_needs_token`.
    pub async fn with_access(tokens: &str, read_needs_token: bool) -> TestServer {
        let access = asean_graph::graphql::Access {
            tokens: asean_graph::graphql::Tokens::parse(tokens).unwrap(),
            read_needs_token,
        };
        TestServer::start_with(Config {
            graphql: asean_graph::graphql::Options {
                access: Arc::new(access),
                ..Default::default()
            },
            rate_limit: 0.0,
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> TestServer {
        TestServer::start_with_data(config, dataset::BUNDLED).await
    }

    /// A server with this configuration over a store holding `json` (a dataset file).
    pub async fn start_with_data(config: Config, json: &str) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        dataset::import(&store, json.as_bytes(), Mode::Refuse).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server::serve_on(listener, Arc::new(store), config, async {
            let _ = stopped.await;
        }));
        TestServer {
            base,
            client: reqwest::Client::new(),
            stop: Some(stop),
            _dir: dir,
        }
    }

    /// POSTs a query with variables; returns the status and the JSON body.
    pub async fn post(&self, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.base))
            .header("content-type", "application/json")
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// GETs a path of the server (e.g. `/health`).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// The `data` of a query that must succeed.
    pub async fn data(&self, query: &str) -> Value {
        let (status, body) = self.post(query, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The codes of the errors of a query that must fail.
    pub async fn error_codes(&self, query: &str) -> Vec<String> {
        let (_, body) = self.post(query, json!({})).await;
        let errors = body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {body}"));
        errors
            .iter()
            .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
