//! GraphiQL's page, through the real server: every file it loads is ours and served with its
//! type, and the questions it offers as tabs are the documented ones, each of which runs.
//! (The page itself runs in a real browser in `tests/browser/graphiql.mjs`, from `.ci/run`.)

use crate::common::TestServer;
use serde_json::{Value, json};

#[tokio::test]
async fn graphiql_and_its_assets_are_served_locally() {
    let s = TestServer::start().await;
    let page = s.get("/").await.text().await.unwrap();
    assert!(page.contains("graphiql"), "{page}");
    let mut loaded = 0;
    for src in page
        .split("src=\"")
        .skip(1)
        .chain(page.split("href=\"").skip(1))
    {
        let path = &src[..src.find('"').unwrap()];
        if path.starts_with("data:") {
            continue;
        }
        assert!(
            path.starts_with('/'),
            "GraphiQL loads {path} from elsewhere"
        );
        let r = s.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let expected = if path.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(r.headers()["content-type"], expected, "{path}");
        loaded += 1;
    }
    // React, ReactDOM, GraphiQL, the explorer plugin, graphql-ws and our script; three
    // stylesheets.
    assert_eq!(loaded, 9, "{page}");
    for license in [
        "LICENSE-graphiql.txt",
        "LICENSE-react.txt",
        "LICENSE-react-dom.txt",
        "LICENSE-graphiql-explorer.txt",
        "LICENSE-graphql-ws.txt",
        "VERSIONS.txt",
    ] {
        let r = s.get(&format!("/graphiql/{license}")).await;
        assert_eq!(r.status(), 200, "{license}");
    }
}

/// `/graphiql/questions.json` offers the README's and the guides' named queries and
/// subscriptions, the product question first; every query among them runs on the bundled
/// dataset without an error.
#[tokio::test]
async fn the_questions_graphiql_offers_are_the_documented_ones_and_each_runs() {
    let s = TestServer::start().await;
    let r = s.get("/graphiql/questions.json").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let questions: Vec<Value> = r.json().await.unwrap();
    let names: Vec<&str> = questions
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"ProductQuestion"), "{names:?}");
    assert!(names.contains(&"WatchPartnerGbr"), "{names:?}");
    for guide in ["SearchVietNam", "PartnerGbrHistory", "IaiFundingTotals"] {
        assert!(names.contains(&guide), "{guide} of the guides: {names:?}");
    }
    let mut ran = 0;
    for q in &questions {
        let (name, query) = (q["name"].as_str().unwrap(), q["query"].as_str().unwrap());
        assert!(!q["section"].as_str().unwrap().is_empty(), "{name}");
        let document = q["document"].as_str().unwrap();
        let text = std::fs::read_to_string(crate::common::crate_file(document)).unwrap();
        assert!(text.contains(query), "{name} is not {document}'s text");
        if query.trim_start().starts_with("subscription") {
            continue;
        }
        let (status, body) = s.post(query, json!({})).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(body.get("errors").is_none(), "{name}: {body}");
        ran += 1;
    }
    assert!(ran >= 10, "only {ran} questions ran");
}

/// Outside test: every file was cached for a day with nothing to revalidate by, so after an
/// upgrade a browser could run the new page with yesterday's script or queries. Now pages,
/// files and the questions carry an ETag and `no-cache`, and a held copy gets 304.
#[tokio::test]
async fn pages_and_their_files_are_revalidated_by_etag_so_an_upgrade_is_seen_at_once() {
    let s = TestServer::start().await;
    for path in [
        "/",
        "/graphiql/asean-graph.js",
        "/graphiql/questions.json",
        "/explore",
        "/explore/explore.js",
        "/explore/queries.graphql",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        let tag = r.headers()["etag"].to_str().unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.len() > 8, "{path}: {tag}");
        let held = s
            .client
            .get(format!("{}{path}", s.base))
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(held.status(), 304, "{path}");
        assert!(held.bytes().await.unwrap().is_empty(), "{path}");
        let other = s
            .client
            .get(format!("{}{path}", s.base))
            .header("if-none-match", "\"0000000000000000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200, "{path}");
    }
    let (a, b) = (
        s.get("/graphiql/asean-graph.js").await,
        s.get("/graphiql/asean-graph.css").await,
    );
    assert_ne!(a.headers()["etag"], b.headers()["etag"]);
}

/// GraphiQL opens on the README's product question, the same document: so README ›
/// `ProductQuestion` in the Questions list is the tab it opened on, and runs what the README
/// shows (it once opened a third variant).
#[tokio::test]
async fn the_default_tab_holds_the_readmes_product_question() {
    let s = TestServer::start().await;
    let script = s
        .get("/graphiql/asean-graph.js")
        .await
        .text()
        .await
        .unwrap();
    let start = script.find("const DEFAULT_QUERY = [").unwrap();
    let end = start + script[start..].find("].join(").unwrap();
    let default: Vec<String> = script[start..end]
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim().trim_end_matches(',');
            l.strip_prefix('\'')
                .and_then(|l| l.strip_suffix('\''))
                .unwrap_or_else(|| panic!("not a quoted line: {l}"))
                .to_owned()
        })
        .collect();
    let default = default.join("\n");
    let questions: Vec<Value> = s
        .get("/graphiql/questions.json")
        .await
        .json()
        .await
        .unwrap();
    let readme = questions
        .iter()
        .find(|q| q["name"] == "ProductQuestion" && q["document"] == "README.md")
        .expect("README's ProductQuestion");
    assert_eq!(readme["query"].as_str().unwrap().trim(), default.trim());
    assert!(default.contains("under: \"IAI\""), "{default}");
}
