//! The documented outputs stay true, in README.md and in every docs/*.md file: each report
//! section holds the report's real CSV output, and each example query runs on the bundled
//! dataset under the default limits, followed by the JSON the server really answers; the
//! writing guide's write, sent with its token to a throwaway store, shows its real answer and
//! the record's history after it.
//! `UPDATE_README=1 cargo test --test integration readme` rewrites the outputs that are out of
//! date, in whichever file they are, instead of failing.

use crate::common::TestServer;
use crate::common::crate_file;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::Range;
use std::process::Command;
use std::sync::Mutex;

/// The widest line of JSON the documents show.
const WIDTH: usize = 92;

/// What a failure says to do.
const UPDATE: &str = "run `UPDATE_README=1 cargo test --test integration readme` to rewrite it";

/// Serializes rewrites of the documents by the tests of this module.
static REWRITES: Mutex<()> = Mutex::new(());

/// The documents that may show outputs, relative to the crate: README.md, then every
/// `docs/*.md` by name.
fn documents() -> Vec<String> {
    let mut docs: Vec<String> = std::fs::read_dir(crate_file("docs"))
        .expect("read docs/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.ends_with(".md").then(|| format!("docs/{name}"))
        })
        .collect();
    docs.sort();
    docs.insert(0, "README.md".to_owned());
    docs
}

/// The text of a document.
fn read(document: &str) -> String {
    std::fs::read_to_string(crate_file(document)).unwrap_or_else(|e| panic!("read {document}: {e}"))
}

/// A span of a document that should hold a wanted text, and what to call it in a failure.
struct Output {
    label: String,
    span: Range<usize>,
    wanted: String,
}

/// A fenced block: its language, the span of its text, and the span of the whole block.
struct Block {
    lang: String,
    text: Range<usize>,
    whole: Range<usize>,
}

/// The fenced blocks of a Markdown text (fences at the start of a line).
fn blocks(md: &str) -> Vec<Block> {
    let (mut out, mut open, mut at) = (Vec::new(), None, 0);
    for line in md.split_inclusive('\n') {
        let end = at + line.len();
        match (open.take(), line.trim_end().strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.to_owned(), at, end)),
            (Some((lang, start, text)), Some("")) => out.push(Block {
                lang,
                text: text..at,
                whole: start..end,
            }),
            (still, _) => open = still,
        }
        at = end;
    }
    out
}

/// `value` on one line, with a space after each `:` and `,`.
fn flat(value: &Value) -> String {
    let join = |parts: Vec<String>| parts.join(", ");
    match value {
        Value::Array(items) => format!("[{}]", join(items.iter().map(flat).collect())),
        Value::Object(map) if !map.is_empty() => format!(
            "{{ {} }}",
            join(
                map.iter()
                    .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), flat(v)))
                    .collect()
            )
        ),
        other => other.to_string(),
    }
}

/// `value` as JSON for a reader: on one line when that fits before column [`WIDTH`] (it
/// starts at `column`), else one member per line, indented by two from `indent`.
fn pretty(value: &Value, column: usize, indent: usize) -> String {
    let one_line = flat(value);
    if column + one_line.chars().count() < WIDTH {
        return one_line;
    }
    let pad = " ".repeat(indent + 2);
    let member = |key: String, v: &Value| {
        let at = pad.len() + key.chars().count();
        format!("{pad}{key}{}", pretty(v, at, indent + 2))
    };
    let (open, lines, close): (_, Vec<_>, _) = match value {
        Value::Array(items) => (
            '[',
            items.iter().map(|v| member(String::new(), v)).collect(),
            ']',
        ),
        Value::Object(map) => {
            let key = |k: &String| format!("{}: ", Value::from(k.as_str()));
            (
                '{',
                map.iter().map(|(k, v)| member(key(k), v)).collect(),
                '}',
            )
        }
        _ => return one_line,
    };
    format!(
        "{open}\n{}\n{}{close}",
        lines.join(",\n"),
        " ".repeat(indent)
    )
}

/// Compares the outputs `locate` finds in each document (given its name and text) with what
/// their spans hold. With `UPDATE_README` set, rewrites the spans that differ, in every
/// document; otherwise fails naming each, by document.
fn settle(locate: impl Fn(&str, &str) -> Vec<Output>) {
    let _guard = REWRITES.lock().unwrap_or_else(|p| p.into_inner());
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut out_of_date = Vec::new();
    for document in documents() {
        let mut text = read(&document);
        let mut stale: Vec<Output> = locate(&document, &text)
            .into_iter()
            .filter(|o| text[o.span.clone()] != o.wanted)
            .collect();
        if stale.is_empty() {
            continue;
        }
        if !update {
            out_of_date.extend(stale.iter().map(|o| format!("{document}: {}", o.label)));
            continue;
        }
        stale.sort_by_key(|o| std::cmp::Reverse(o.span.start));
        for o in stale {
            text.replace_range(o.span, &o.wanted);
        }
        std::fs::write(crate_file(&document), text)
            .unwrap_or_else(|e| panic!("write {document}: {e}"));
    }
    assert!(
        out_of_date.is_empty(),
        "documented outputs are out of date:\n  {}\n{UPDATE}",
        out_of_date.join("\n  ")
    );
}

/// The names of the reports in `reports/`, sorted.
fn report_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crate_file("reports"))
        .expect("read reports/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".graphql")?.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// Runs the real binary from the crate's directory.
fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .args(args)
        .current_dir(crate_file(""))
        .env_remove("ASEAN_GRAPH_DATA")
        .env_remove("ASEAN_GRAPH_ENDPOINT")
        .env_remove("ASEAN_GRAPH_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run asean-graph");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// Where each report's section is: the documents holding a `<!-- report:NAME -->` marker,
/// by the name it gives.
fn report_sections() -> HashMap<String, Vec<String>> {
    let mut sections: HashMap<String, Vec<String>> = HashMap::new();
    for document in documents() {
        let text = read(&document);
        for (at, _) in text.match_indices("<!-- report:") {
            let marker = &text[at + "<!-- report:".len()..];
            let name = &marker[..marker.find(" -->").expect("a report marker ends with -->")];
            sections
                .entry(name.to_owned())
                .or_default()
                .push(document.clone());
        }
    }
    sections
}

/// Every report in `reports/` has one section in the documents (docs/reports.md), between
/// `<!-- report:NAME -->` and `<!-- /report -->`, holding exactly what
/// `asean-graph query reports/NAME.graphql --format csv` prints on the bundled dataset (with
/// plain line ends for the CSV's CRLF), and no section names a report that does not exist.
#[test]
fn documented_report_outputs_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store").display().to_string();
    cli(&["--data", &data, "import", "data/asean.json"]);
    let names = report_names();
    assert!(!names.is_empty(), "no reports in reports/");
    let outputs: Vec<(String, String)> = names
        .iter()
        .map(|name| {
            let file = format!("reports/{name}.graphql");
            let csv = cli(&["--data", &data, "query", &file, "--format", "csv"]);
            (name.clone(), csv.replace("\r\n", "\n"))
        })
        .collect();

    let sections = report_sections();
    for (name, found_in) in &sections {
        assert!(
            names.contains(name),
            "{} shows a report with no reports/{name}.graphql",
            found_in.join(", ")
        );
        assert!(
            found_in.len() == 1,
            "report {name} has more than one section: in {}",
            found_in.join(", ")
        );
    }
    for name in &names {
        assert!(
            sections.contains_key(name),
            "no document has a section <!-- report:{name} --> … <!-- /report --> \
             (the saved reports are shown in docs/reports.md)"
        );
    }
    settle(|document, text| {
        let blocks = blocks(text);
        outputs
            .iter()
            .filter(|(name, _)| sections[name][0] == document)
            .map(|(name, csv)| {
                let marker = format!("<!-- report:{name} -->");
                let at = text.find(&marker).expect("the marker found before");
                let block = blocks
                    .iter()
                    .find(|b| b.whole.start > at)
                    .filter(|b| {
                        b.lang == "csv"
                            && text[at + marker.len()..b.whole.start].trim().is_empty()
                            && text[b.whole.end..]
                                .trim_start()
                                .starts_with("<!-- /report -->")
                    })
                    .unwrap_or_else(|| {
                        panic!(
                            "{document}: {marker} must hold one ```csv block, then <!-- /report -->"
                        )
                    });
                Output {
                    label: format!("report {name}"),
                    span: block.text.clone(),
                    wanted: csv.clone(),
                }
            })
            .collect()
    });
}

/// The documents that must show at least one query followed by its answer: the front page
/// (the product question) and the querying guide.
const SHOW_ANSWERS: &[&str] = &["README.md", "docs/querying.md"];

/// Every ```graphql block of the documents that is a query runs without errors against the
/// bundled dataset, through the real server with its default limits; where a ```json block
/// follows it directly, that block is the server's answer (laid out by [`pretty`]).
#[test]
fn documented_queries_run_and_show_their_answers() {
    let queries: Vec<(String, String)> = documents()
        .into_iter()
        .flat_map(|document| {
            let text = read(&document);
            blocks(&text)
                .into_iter()
                .filter(|b| b.lang == "graphql")
                .map(|b| (document.clone(), text[b.text].to_owned()))
                .filter(|(_, q)| {
                    let head = q.trim_start();
                    !head.starts_with("mutation") && !head.starts_with("subscription")
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        queries.len() >= 5,
        "the documents should show example queries"
    );

    let answers: HashMap<String, String> =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let server = TestServer::start().await;
            let mut answers = HashMap::new();
            for (document, query) in queries {
                let (status, body) = server.post(&query, json!({})).await;
                assert_eq!(status, 200, "{document}: {query}\n{body}");
                assert!(body.get("errors").is_none(), "{document}: {query}\n{body}");
                answers.insert(query, pretty(&body, 0, 0) + "\n");
            }
            answers
        });

    let shown = Mutex::new(Vec::new());
    settle(|document, text| {
        let blocks = blocks(text);
        let outputs: Vec<Output> = blocks
            .windows(2)
            .filter(|pair| pair[0].lang == "graphql" && pair[1].lang == "json")
            .filter(|pair| {
                text[pair[0].whole.end..pair[1].whole.start]
                    .trim()
                    .is_empty()
            })
            .filter_map(|pair| {
                let answer = answers.get(&text[pair[0].text.clone()])?;
                let line = text[..pair[0].text.start].lines().count() + 1;
                Some(Output {
                    label: format!("the answer to the query on line {line}"),
                    span: pair[1].text.clone(),
                    wanted: answer.clone(),
                })
            })
            .collect();
        if !outputs.is_empty() {
            shown.lock().unwrap().push(document.to_owned());
        }
        outputs
    });
    let shown = shown.into_inner().unwrap();
    for document in SHOW_ANSWERS {
        assert!(
            shown.iter().any(|d| d == document),
            "{document} shows no query followed by its ```json answer"
        );
    }
}

/// The guide to writing (docs/writing.md) shows a write sent with `curl` by a token it sets
/// up, the server's answer to it, and then the record's history after it.
const WRITING: &str = "docs/writing.md";

/// Marks a value the documents shorten to `[ … ]`.
const SHORTENED: &str = "\u{0}shortened";

/// The text of the first fenced block of `lang` after byte `from` whose text holds `holding`.
fn block_after<'a>(
    text: &str,
    blocks: &'a [Block],
    from: usize,
    lang: &str,
    holding: &str,
) -> &'a Block {
    blocks
        .iter()
        .find(|b| b.whole.start >= from && b.lang == lang && text[b.text.clone()].contains(holding))
        .unwrap_or_else(|| panic!("{WRITING}: no ```{lang} block holding {holding:?}"))
}

/// The write example of the writing guide, run on a throwaway store by the token the guide
/// starts the server with: its answer is the one-line ```json block after the `curl`
/// command, and the history query's ```json block after it is the record's history then,
/// except for what cannot stay the same from one run to the next or is shortened there: each
/// change's time (`at`) keeps the one documented, and `statuses` stays `[ … ]`.
#[test]
fn documented_write_and_its_history_are_current() {
    let text = read(WRITING);
    let fences = blocks(&text);
    let setup = block_after(&text, &fences, 0, "sh", "ASEAN_GRAPH_TOKENS=");
    let tokens = text[setup.text.clone()]
        .split("ASEAN_GRAPH_TOKENS='")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("ASEAN_GRAPH_TOKENS='name:role:secret'");
    let curl = block_after(&text, &fences, 0, "sh", "curl");
    let curl_text = &text[curl.text.clone()];
    let secret = curl_text
        .split("Authorization: Bearer ")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the curl command sends Authorization: Bearer <secret>");
    let body = curl_text
        .split_once("<<'EOF'\n")
        .and_then(|(_, rest)| rest.split_once("\nEOF"))
        .map(|(body, _)| body)
        .expect("the curl command's body is a here-document, <<'EOF' … EOF");
    let body: Value = serde_json::from_str(body).expect("the curl command's body is JSON");
    let history_query = text[block_after(&text, &fences, 0, "graphql", "history(")
        .text
        .clone()]
    .to_owned();

    let (written, history) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let server = TestServer::with_tokens(tokens).await;
        let post = |body: Value| {
            server
                .client
                .post(format!("{}/graphql", server.base))
                .header("authorization", format!("Bearer {secret}"))
                .json(&body)
                .send()
        };
        let written: Value = post(body).await.unwrap().json().await.unwrap();
        assert!(
            written.get("errors").is_none(),
            "the write failed: {written}"
        );
        let history: Value = post(json!({ "query": history_query }))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            history.get("errors").is_none(),
            "{history_query}\n{history}"
        );
        (written, history)
    });

    settle(|document, text| {
        if document != WRITING {
            return Vec::new();
        }
        let blocks = blocks(text);
        let curl = block_after(text, &blocks, 0, "sh", "curl");
        let answer = block_after(text, &blocks, curl.whole.end, "json", "");
        let query = block_after(text, &blocks, 0, "graphql", "history(");
        let shown = block_after(text, &blocks, query.whole.end, "json", "");
        // The times documented, in order, given to the changes in order.
        let mut times = text[shown.text.clone()]
            .split("\"at\": \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next());
        let mut history = history.clone();
        for change in history["data"]["history"]["nodes"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if let Some(at) = times.next() {
                change["at"] = Value::from(at);
            }
            for side in ["before", "after"] {
                if let Some(statuses) = change[side].get_mut("statuses") {
                    *statuses = Value::from(SHORTENED);
                }
            }
        }
        let shortened = Value::from(SHORTENED).to_string();
        vec![
            Output {
                label: "the answer to the curl write".to_owned(),
                span: answer.text.clone(),
                wanted: written.to_string() + "\n",
            },
            Output {
                label: "the history after the write".to_owned(),
                span: shown.text.clone(),
                wanted: pretty(&history, 0, 0).replace(&shortened, "[ … ]") + "\n",
            },
        ]
    });
}
