//! The README stays true: each report section holds the report's real CSV output, and each
//! example query runs on the bundled dataset under the default limits, followed by the JSON
//! the server really answers. `UPDATE_README=1 cargo test --test integration readme`
//! rewrites the outputs that are out of date instead of failing.

use crate::common::crate_file;
use crate::http::TestServer;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::ops::Range;
use std::process::Command;
use std::sync::Mutex;

/// The widest line of JSON the README shows.
const WIDTH: usize = 92;

/// What a failure says to do.
const UPDATE: &str = "run `UPDATE_README=1 cargo test --test integration readme` to rewrite it";

/// Serializes rewrites of README.md by the tests of this module.
static README: Mutex<()> = Mutex::new(());

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

/// Compares the spans `locate` finds in README.md (label, span, wanted text) with what they
/// hold. With `UPDATE_README` set, rewrites the spans that differ; otherwise fails naming
/// them.
fn settle(locate: impl Fn(&str) -> Vec<(String, Range<usize>, String)>) {
    let _guard = README.lock().unwrap_or_else(|p| p.into_inner());
    let path = crate_file("README.md");
    let mut readme = std::fs::read_to_string(&path).expect("read README.md");
    let mut stale: Vec<_> = locate(&readme)
        .into_iter()
        .filter(|(_, span, wanted)| readme[span.clone()] != *wanted)
        .collect();
    if stale.is_empty() {
        return;
    }
    if std::env::var_os("UPDATE_README").is_none() {
        let labels: Vec<_> = stale.iter().map(|(label, ..)| label.as_str()).collect();
        panic!(
            "README.md is out of date for {}: {UPDATE}",
            labels.join(", ")
        );
    }
    stale.sort_by_key(|(_, span, _)| std::cmp::Reverse(span.start));
    for (_, span, wanted) in stale {
        readme.replace_range(span, &wanted);
    }
    std::fs::write(&path, readme).expect("write README.md");
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

/// Every report in `reports/` has its section in the README, between
/// `<!-- report:NAME -->` and `<!-- /report -->`, holding exactly what
/// `asean-graph query reports/NAME.graphql --format csv` prints on the bundled dataset (with
/// plain line ends for the CSV's CRLF), and no section names a report that does not exist.
#[test]
fn report_outputs_in_readme_are_current() {
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

    let readme = std::fs::read_to_string(crate_file("README.md")).unwrap();
    for marker in readme
        .match_indices("<!-- report:")
        .map(|(i, _)| &readme[i..])
    {
        let name = &marker["<!-- report:".len()..marker.find(" -->").unwrap()];
        assert!(
            names.iter().any(|n| n == name),
            "README shows a report with no reports/{name}.graphql"
        );
    }
    settle(|readme| {
        let blocks = blocks(readme);
        outputs
            .iter()
            .map(|(name, csv)| {
                let marker = format!("<!-- report:{name} -->");
                let at = readme.find(&marker).unwrap_or_else(|| {
                    panic!("README.md has no section {marker} … <!-- /report -->")
                });
                let block = blocks
                    .iter()
                    .find(|b| b.whole.start > at)
                    .filter(|b| {
                        b.lang == "csv"
                            && readme[at + marker.len()..b.whole.start].trim().is_empty()
                            && readme[b.whole.end..]
                                .trim_start()
                                .starts_with("<!-- /report -->")
                    })
                    .unwrap_or_else(|| {
                        panic!("{marker} must hold one ```csv block, then <!-- /report -->")
                    });
                (format!("report {name}"), block.text.clone(), csv.clone())
            })
            .collect()
    });
}

/// Every ```graphql block of the README that is a query runs without errors against the
/// bundled dataset, through the real server with its default limits; where a ```json block
/// follows it directly, that block is the server's answer (laid out by [`pretty`]).
#[test]
fn readme_queries_run() {
    let readme = std::fs::read_to_string(crate_file("README.md")).unwrap();
    let queries: Vec<String> = blocks(&readme)
        .into_iter()
        .filter(|b| b.lang == "graphql")
        .map(|b| readme[b.text].to_owned())
        .filter(|q| {
            !q.trim_start().starts_with("mutation") && !q.trim_start().starts_with("subscription")
        })
        .collect();
    assert!(queries.len() >= 5, "the README should show example queries");

    let answers: HashMap<String, String> =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let server = TestServer::start().await;
            let mut answers = HashMap::new();
            for query in queries {
                let (status, body) = server.post(&query, json!({})).await;
                assert_eq!(status, 200, "{query}\n{body}");
                assert!(body.get("errors").is_none(), "{query}\n{body}");
                answers.insert(query, pretty(&body, 0, 0) + "\n");
            }
            answers
        });

    settle(|readme| {
        let blocks = blocks(readme);
        blocks
            .windows(2)
            .filter(|pair| pair[0].lang == "graphql" && pair[1].lang == "json")
            .filter(|pair| {
                readme[pair[0].whole.end..pair[1].whole.start]
                    .trim()
                    .is_empty()
            })
            .filter_map(|pair| {
                let answer = answers.get(&readme[pair[0].text.clone()])?;
                let line = readme[..pair[0].text.start].lines().count() + 1;
                let label = format!("the answer to the query on line {line}");
                Some((label, pair[1].text.clone(), answer.clone()))
            })
            .collect()
    });
}
