//! An acknowledged write survives `kill -9`: the server runs as a child process (the real
//! CLI) on a temporary data directory, is killed with SIGKILL while writes are in flight,
//! restarted on the same directory, and every acknowledged write is still there; `check`
//! is clean after every crash.
//!
//! Also home of [`ChildServer`], the CLI server as a child process, which `writes` uses too.

use serde_json::{Value, json};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::time::timeout;

/// How many crash-and-restart cycles the durability test runs (issue 5 asks for at least 20).
pub const CYCLES: usize = 20;
/// Concurrent writers while the server is killed.
const WRITERS: usize = 3;

/// The tokens the write tests' servers accept (`name:role:secret`), and their secrets.
pub const TOKENS: &str = "ana:editor:editor-secret-0123456789,\
                          root:admin:admin-secret-0123456789,\
                          rita:reader:reader-secret-0123456789";
pub const EDITOR: &str = "editor-secret-0123456789";
pub const ADMIN: &str = "admin-secret-0123456789";
pub const READER: &str = "reader-secret-0123456789";

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

const CREATE_PERSON: &str =
    "mutation($input: PersonInput!) { createPerson(input: $input) { code } }";
const LINK: &str = "mutation($from: ID!) {
    link(kind: REPRESENTS, from: $from, to: \"Member:VNM\", sources: [\"P2\"]) { id } }";
const ADD_CLAIM: &str = "mutation($field: String!) {
    addClaim(id: \"Person:DURABLE-SHARED\", input: { field: $field, value: \"v\", source: \"P2\" }) { id } }";

fn person(code: &str) -> Value {
    json!({ "code": code, "name": format!("Durable {code}"), "sources": ["P2"] })
}

/// What has been acknowledged so far, over all cycles.
#[derive(Clone, Default)]
struct Acknowledged {
    count: usize,
    people: Vec<String>,
    linked: Vec<String>,
    claims: Vec<String>,
}

/// Every acknowledged write is in the store the server reads; a write that was in flight
/// is either wholly there (record and its log entry) or wholly absent.
async fn assert_present(s: &ChildServer, ack: &Acknowledged, unsure: &[String]) {
    for code in &ack.people {
        let data = s
            .data(
                None,
                "query($code: String!, $id: ID!) { person(code: $code) { code represents { code } }
                   history(id: $id) { nodes { op } } }",
                json!({ "code": code, "id": format!("Person:{code}") }),
            )
            .await;
        assert_eq!(
            data["person"]["code"], *code,
            "acknowledged createPerson {code} lost"
        );
        let ops: Vec<&str> = data["history"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["op"].as_str().unwrap())
            .collect();
        assert!(ops.contains(&"createPerson"), "{code}: history {ops:?}");
        if ack.linked.contains(code) {
            assert_eq!(
                data["person"]["represents"]["code"], "VNM",
                "acknowledged link of {code} lost"
            );
            assert!(ops.contains(&"link"), "{code}: history {ops:?}");
        }
    }
    let data = s
        .data(
            None,
            r#"{ person(code: "DURABLE-SHARED") { claims { field } } }"#,
            json!({}),
        )
        .await;
    let fields: Vec<&str> = data["person"]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for f in &ack.claims {
        assert!(fields.contains(&f.as_str()), "acknowledged claim {f} lost");
    }
    for code in unsure {
        let data = s
            .data(
                None,
                "query($code: String!, $id: ID!) { person(code: $code) { code } history(id: $id) { totalCount } }",
                json!({ "code": code, "id": format!("Person:{code}") }),
            )
            .await;
        let exists = !data["person"].is_null();
        let logged = data["history"]["totalCount"] != 0;
        assert_eq!(
            exists, logged,
            "in-flight {code}: record present {exists} but log entry present {logged}"
        );
    }
}

/// One writer: sequential writes (create a person, link it, add a claim, again) until the
/// server goes away; each acknowledged write is recorded at once, the one that failed is
/// left unsure.
async fn writer(
    client: reqwest::Client,
    url: String,
    prefix: String,
    ack: Arc<Mutex<Acknowledged>>,
) -> Option<String> {
    let mut last_person = String::new();
    for k in 0.. {
        let (query, variables) = match k % 3 {
            0 => {
                last_person = format!("{prefix}-{k}");
                (CREATE_PERSON, json!({ "input": person(&last_person) }))
            }
            1 => (LINK, json!({ "from": format!("Person:{last_person}") })),
            _ => (ADD_CLAIM, json!({ "field": format!("{prefix}-{k}") })),
        };
        let reply = async {
            let r = client
                .post(&url)
                .bearer_auth(EDITOR)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
                .await
                .ok()?;
            r.json::<Value>().await.ok()
        }
        .await;
        let Some(body) = reply else {
            // The server died with this write in flight.
            return (k % 3 == 0).then_some(last_person);
        };
        assert!(body.get("errors").is_none(), "{query} {variables}: {body}");
        let mut ack = ack.lock().unwrap();
        match k % 3 {
            0 => ack.people.push(last_person.clone()),
            1 => ack.linked.push(last_person.clone()),
            _ => ack.claims.push(format!("{prefix}-{k}")),
        }
        ack.count += 1;
    }
    unreachable!()
}

/// The sequence numbers of the whole change log, in the order `changes` lists them.
async fn log_seqs(s: &ChildServer) -> Vec<u64> {
    let mut seqs = Vec::new();
    let mut since: Option<String> = None;
    loop {
        let data = s
            .data(
                None,
                "query($since: String) { changes(since: $since, first: 500) { seq } }",
                json!({ "since": since }),
            )
            .await;
        let page = data["changes"].as_array().unwrap();
        let Some(last) = page.last() else {
            return seqs;
        };
        since = last["seq"].as_str().map(str::to_owned);
        seqs.extend(
            page.iter()
                .map(|e| e["seq"].as_str().unwrap().parse::<u64>().unwrap()),
        );
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let ack = Arc::new(Mutex::new(Acknowledged::default()));
    let mut unsure: Vec<String> = Vec::new();

    let s = ChildServer::start(&dir, Some(TOKENS)).await;
    s.data(
        Some(EDITOR),
        CREATE_PERSON,
        json!({ "input": person("DURABLE-SHARED") }),
    )
    .await;
    let mut server = Some(s);

    for cycle in 0..CYCLES {
        let mut s = server.take().unwrap();
        let start = ack.lock().unwrap().count;
        let target = start + 5 + (random_u64() % 40) as usize;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(writer(
                    s.client.clone(),
                    format!("{}/graphql", s.base),
                    format!("D{cycle}W{w}"),
                    Arc::clone(&ack),
                ))
            })
            .collect();
        // Kill at a random point: after a random number of acknowledgements, with the
        // writers' next requests already on their way, plus a random few hundred µs.
        timeout(REQUEST_TIMEOUT, async {
            while ack.lock().unwrap().count < target {
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("the writers stalled\n{}", s.log()));
        tokio::time::sleep(Duration::from_micros(random_u64() % 500)).await;
        s.kill().await;
        for w in writers {
            let in_flight = timeout(REQUEST_TIMEOUT, w).await.unwrap().unwrap();
            unsure.extend(in_flight);
        }

        let (clean, report) = check(&dir).await;
        assert!(
            clean,
            "cycle {cycle}: check after kill -9 is not clean:\n{report}"
        );

        let acknowledged = ack.lock().unwrap().clone();
        let s = ChildServer::start(&dir, Some(TOKENS)).await;
        assert_present(&s, &acknowledged, &unsure).await;
        // The change log kept every acknowledged write's entry, numbered 1, 2, 3 … across
        // crashes: one entry per write (the shared record's creation, the acknowledged
        // writes, and at most one write in flight per writer per crash).
        let seqs = log_seqs(&s).await;
        assert_eq!(
            seqs,
            (1..=seqs.len() as u64).collect::<Vec<_>>(),
            "cycle {cycle}: log out of order or with gaps"
        );
        let least = 1 + acknowledged.count;
        let most = least + WRITERS * (cycle + 1);
        assert!(
            (least..=most).contains(&seqs.len()),
            "cycle {cycle}: {} log entries for {least} to {most} writes",
            seqs.len()
        );
        server = Some(s);
    }

    let s = server.take().unwrap();
    assert!(
        s.terminate().await,
        "the server did not exit cleanly on SIGTERM"
    );
    let (clean, report) = check(&dir).await;
    assert!(clean, "check after the last cycle:\n{report}");
    assert!(ack.lock().unwrap().count >= 5 * CYCLES);
}
