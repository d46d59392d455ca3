//! [`ChildServer`]: the real CLI serving as a child process on a data directory, and the
//! CLI's `check` of a store.

use serde_json::{Value, json};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::time::timeout;

/// How long a server may take to come up (it loads the bundled dataset on first start).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one request may take before the test gives up on the server.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A free loopback port: bind port 0, read the port, let it go.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A random number (std only: a freshly keyed SipHash).
pub fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    h.finish()
}

/// The CLI with the environment cleared of our variables, so the caller's shell cannot
/// change what a test runs.
fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_asean-graph"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ASEAN_GRAPH_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

/// `asean-graph --data DIR check`: whether it exited 0, and what it printed.
pub async fn check(dir: &Path) -> (bool, String) {
    let out = timeout(
        Duration::from_secs(120),
        cli()
            .arg("--data")
            .arg(dir)
            .arg("check")
            .stdin(Stdio::null())
            .output(),
    )
    .await
    .expect("check did not finish")
    .expect("check runs");
    let text = format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `asean-graph --data DIR serve --listen 127.0.0.1:PORT` as a child process.
pub struct ChildServer {
    pub child: Child,
    pub base: String,
    pub client: reqwest::Client,
    log: PathBuf,
}

impl ChildServer {
    /// Starts a server on `dir` with `tokens` (none: writes off) and waits until `/health`
    /// answers.
    pub async fn start(dir: &Path, tokens: Option<&str>) -> ChildServer {
        ChildServer::start_with_env(dir, tokens, &[]).await
    }

    /// [`ChildServer::start`], with these environment variables set too.
    pub async fn start_with_env(
        dir: &Path,
        tokens: Option<&str>,
        env: &[(&str, &str)],
    ) -> ChildServer {
        let port = free_port();
        let log = dir.with_extension(format!("{port}.log"));
        let log_file = std::fs::File::create(&log).unwrap();
        let mut cmd = cli();
        cmd.arg("--data")
            .arg(dir)
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            // No rate limit: the tests send many requests from one address.
            .env("ASEAN_GRAPH_RATE_LIMIT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .kill_on_drop(true);
        if let Some(t) = tokens {
            cmd.env("ASEAN_GRAPH_TOKENS", t);
        }
        cmd.envs(env.iter().copied());
        let child = cmd.spawn().expect("the CLI starts");
        let mut server = ChildServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .build()
                .unwrap(),
            log,
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&mut self) {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the server exited with {status} before it was ready\n{}",
                    self.log()
                );
            }
            let ok = self
                .client
                .get(format!("{}/health", self.base))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "the server did not come up\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the server wrote to stderr.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// POSTs a GraphQL request (with `Authorization: Bearer <secret>` if given); the JSON
    /// body, or the transport error.
    pub async fn try_post(
        &self,
        secret: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Result<Value, reqwest::Error> {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(s) = secret {
            request = request.bearer_auth(s);
        }
        request.send().await?.json().await
    }

    /// The `data` of a request that must succeed.
    pub async fn data(&self, secret: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self
            .try_post(secret, query, variables.clone())
            .await
            .unwrap_or_else(|e| panic!("{query} {variables}: {e}\n{}", self.log()));
        assert!(
            body.get("errors").is_none(),
            "{query} {variables}: unexpected errors: {body}"
        );
        body["data"].clone()
    }

    /// Stops the server with SIGTERM and waits for it to exit; returns whether it exited 0.
    pub async fn terminate(mut self) -> bool {
        let pid = self.child.id().expect("the server is running");
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let status = timeout(Duration::from_secs(60), self.child.wait())
            .await
            .expect("the server did not stop after SIGTERM")
            .unwrap();
        status.success()
    }

    /// SIGKILL, and wait for the process to be gone.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("SIGKILL");
    }
}
