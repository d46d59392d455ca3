//! Security headers on every answer, through the real server: a Content-Security-Policy
//! that allows no inline script (every inline script of the pages would need its hash in
//! it, and there are none), framing refused unless `frame_ancestors` names the sites,
//! `nosniff` and `no-referrer`. (The pages run under the policy in a real browser in
//! `tests/browser/`, which fail on any violation; a bad `--frame-ancestors` is refused at
//! start in `auth.rs`'s table of bad configurations.)

use crate::common::TestServer;
use asean_graph::server::Config;
use base64::Engine;
use reqwest::Method;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A policy's directives: name → its sources.
fn directives(csp: &str) -> BTreeMap<&str, Vec<&str>> {
    csp.split(';')
        .filter_map(|d| {
            let mut words = d.split_ascii_whitespace();
            Some((words.next()?, words.collect()))
        })
        .collect()
}

/// A header of an answer, as text; `None` when it is not there.
fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// Checks the headers every answer of a server on the default configuration must have.
fn assert_secured(what: &str, response: &reqwest::Response) {
    assert_eq!(
        header(response, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header(response, "referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(header(response, "x-frame-options"), Some("DENY"), "{what}");
    let csp = header(response, "content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    let d = directives(csp);
    assert_eq!(d["frame-ancestors"], ["'none'"], "{what}: {csp}");
    assert_eq!(d["default-src"], ["'none'"], "{what}: {csp}");
    assert_eq!(d["base-uri"], ["'none'"], "{what}: {csp}");
    assert_eq!(d["connect-src"], ["'self'"], "{what}: {csp}");
    let scripts = &d["script-src"];
    for loose in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'unsafe-hashes'",
        "*",
        "data:",
    ] {
        assert!(
            !scripts.contains(&loose),
            "{what}: script-src {loose}: {csp}"
        );
    }
}

/// The paths a page loads from this server (`src="/…"`, `href="/…"`), `data:` left out.
fn linked_paths(html: &str) -> Vec<String> {
    html.split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
        .filter_map(|rest| rest.split_once('"').map(|(path, _)| path))
        .filter(|path| path.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

/// The text of each inline script of `html` (a `<script>` with no `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, rest) = rest.split_once('>')?;
            (!tag.contains("src=")).then(|| rest.split_once("</script>").map_or(rest, |(s, _)| s))
        })
        .collect()
}

/// Script that no hash can allow: `on…=` attributes and `javascript:` URLs in the tags of
/// `html`.
fn inline_handlers(html: &str) -> Vec<&str> {
    html.split('<')
        .filter_map(|tag| tag.split_once('>').map(|(tag, _)| tag))
        .flat_map(str::split_ascii_whitespace)
        .filter(|attr| {
            let lower = attr.to_ascii_lowercase();
            (lower.starts_with("on") && lower.contains('=')) || lower.contains("javascript:")
        })
        .collect()
}

/// The CSP source a browser would accept for this inline script: its SHA-256, in base64.
fn hash_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers() {
    let s = TestServer::start().await;
    let mut paths: Vec<String> = [
        "/",
        "/explore",
        "/graphiql/questions.json",
        "/graphiql/VERSIONS.txt",
        "/explore/queries.graphql",
        "/graphql?query={__typename}",
        "/graphql",
        "/health",
        "/metrics",
        "/static.json",
        "/ws",
        "/no/such/path",
        "/graphiql/no-such-file.js",
        "/explore/no-such-file.js",
    ]
    .map(str::to_owned)
    .to_vec();
    for page in ["/", "/explore"] {
        paths.extend(linked_paths(&s.get(page).await.text().await.unwrap()));
    }
    let mut statuses = BTreeMap::new();
    for path in &paths {
        let r = s.get(path).await;
        *statuses.entry(r.status().as_u16()).or_insert(0) += 1;
        assert_secured(&format!("GET {path} ({})", r.status()), &r);
    }
    // Pages and files, errors (400 without a query, 404s) and /ws refusing a plain GET.
    assert!(statuses.len() >= 3, "{statuses:?}");
    assert!(paths.len() > 20, "{paths:?}");

    let url = |path: &str| format!("{}{path}", s.base);
    let tag = s.get("/").await.headers()["etag"].clone();
    let others = [
        (
            "a POST query",
            s.client
                .post(url("/graphql"))
                .header("content-type", "application/json")
                .body(r#"{"query":"{ __typename }"}"#),
        ),
        (
            "a POST that is not JSON",
            s.client.post(url("/graphql")).body("nonsense"),
        ),
        (
            "PUT /graphql",
            s.client.request(Method::PUT, url("/graphql")),
        ),
        (
            "a CORS preflight",
            s.client
                .request(Method::OPTIONS, url("/graphql"))
                .header("origin", "https://app.example")
                .header("access-control-request-method", "POST"),
        ),
        (
            "304 Not Modified",
            s.client.get(url("/")).header("if-none-match", tag),
        ),
    ];
    for (what, request) in others {
        let r = request.send().await.unwrap();
        assert_secured(&format!("{what} ({})", r.status()), &r);
        if what.starts_with("304") {
            assert_eq!(r.status(), 304);
        }
    }
}

/// Every inline script the pages serve has its hash in `script-src` (the hash computed here,
/// as a browser does), and no `on…=` attribute or `javascript:` URL, which no hash allows.
#[tokio::test]
async fn the_pages_run_no_inline_script_the_policy_does_not_hash() {
    let s = TestServer::start().await;
    for page in ["/", "/explore"] {
        let r = s.get(page).await;
        let csp = header(&r, "content-security-policy").unwrap().to_owned();
        let html = r.text().await.unwrap();
        let d = directives(&csp);
        for script in inline_scripts(&html) {
            let hash = hash_source(script);
            assert!(
                d["script-src"].contains(&hash.as_str()),
                "{page}: an inline script without {hash} in {csp}: {script}"
            );
        }
        assert_eq!(inline_handlers(&html), Vec::<&str>::new(), "{page}");
    }
}

/// The oracle above finds inline scripts and handlers (else it would pass on anything).
#[test]
fn the_inline_script_finder_finds_them() {
    let html = "<script src=\"/a.js\"></script><script>alert(1)</script>\
                <button onclick=\"x()\"><a href=\"javascript:y()\">";
    assert_eq!(inline_scripts(html), ["alert(1)"]);
    assert_eq!(inline_handlers(html).len(), 2);
    // The example of the CSP specification (Level 3, 'hash-source').
    assert_eq!(
        hash_source("alert('Hello, world.');"),
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    );
}

/// The policy SECURITY.md quotes is the one served.
#[tokio::test]
async fn security_md_quotes_the_policy_served() {
    let s = TestServer::start().await;
    let r = s.get("/").await;
    let csp = header(&r, "content-security-policy").unwrap();
    let doc = std::fs::read_to_string(crate::common::crate_file("SECURITY.md")).unwrap();
    assert!(
        doc.contains(&format!("Content-Security-Policy: {csp}\n")),
        "SECURITY.md does not quote {csp}"
    );
}

#[tokio::test]
async fn frame_ancestors_replace_none_and_drop_x_frame_options() {
    let s = TestServer::start_with(Config {
        rate_limit: 0.0,
        frame_ancestors: "https://a.example  https://*.b.example:8443"
            .parse()
            .unwrap(),
        ..Config::default()
    })
    .await;
    for path in [
        "/",
        "/explore",
        "/graphql?query={__typename}",
        "/no/such/path",
    ] {
        let r = s.get(path).await;
        let csp = header(&r, "content-security-policy").unwrap();
        assert_eq!(
            directives(csp)["frame-ancestors"],
            ["https://a.example", "https://*.b.example:8443"],
            "{path}: {csp}"
        );
        assert_eq!(header(&r, "x-frame-options"), None, "{path}");
        assert_eq!(
            header(&r, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(header(&r, "referrer-policy"), Some("no-referrer"), "{path}");
    }
}

/// A browser app's preflight for the tracing and client headers its libraries add is
/// allowed by default, each by name (a `*` would not cover `authorization`); the
/// configuration replaces the list.
#[tokio::test]
async fn cors_preflights_allow_the_tracing_and_client_headers_by_name() {
    let asked = [
        "authorization",
        "content-type",
        "traceparent",
        "tracestate",
        "apollographql-client-name",
        "apollographql-client-version",
        "x-request-id",
    ];
    let allowed = |s: &TestServer| {
        let request = s
            .client
            .request(Method::OPTIONS, format!("{}/graphql", s.base))
            .header("origin", "https://app.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", asked.join(","));
        async move {
            let r = request.send().await.unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            header(&r, "access-control-allow-headers")
                .unwrap_or_default()
                .split(',')
                .map(|h| h.trim().to_lowercase())
                .collect::<Vec<_>>()
        }
    };
    let by_default = allowed(&TestServer::start().await).await;
    for name in asked {
        assert!(
            by_default.iter().any(|h| h == name),
            "{name}: {by_default:?}"
        );
    }
    assert!(!by_default.iter().any(|h| h == "*"), "{by_default:?}");
    let configured = TestServer::start_with(Config {
        rate_limit: 0.0,
        cors_allow_headers: vec![reqwest::header::HeaderName::from_static("x-custom")],
        ..Config::default()
    })
    .await;
    assert_eq!(allowed(&configured).await, ["x-custom"]);
}
