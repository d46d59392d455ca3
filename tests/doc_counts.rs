//! The counts README.md and docs/ write in prose are the bundled store's, read when the test
//! runs through the real binary: its records and relationships ("N records and M
//! relationships", one number of relationships everywhere, what `relationships {
//! totalCount }` answers), its citations of general knowledge, and the `check` output the
//! docs show. A change to the data that moves one fails here, naming the file.

use crate::common::crate_file;
use serde_json::Value;
use std::process::Command;

fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_asean-graph"))
        .args(args)
        .env_remove("ASEAN_GRAPH_DATA")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run asean-graph");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The whole number (digits, thousands commas) that ends `text`, if it ends with one.
fn number_at_end(text: &str) -> Option<u64> {
    let word = text.trim_end().rsplit(' ').next()?;
    word.replace(',', "").parse().ok()
}

/// The whole number that starts `text`, if it starts with one.
fn number_at_start(text: &str) -> Option<u64> {
    let word = text.trim_start().split(' ').next()?;
    word.replace(',', "").parse().ok()
}

/// The files whose prose the test reads, each with its text, line breaks folded to spaces.
fn documents() -> Vec<(String, String)> {
    let mut paths = vec![crate_file("README.md")];
    for entry in std::fs::read_dir(crate_file("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p
                .strip_prefix(crate_file(""))
                .unwrap()
                .display()
                .to_string();
            (name, text.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// Every `N records and M relationships` in `text`.
fn record_counts(text: &str) -> Vec<(u64, u64)> {
    const AND: &str = " records and ";
    text.match_indices(AND)
        .filter_map(|(i, _)| {
            let after = &text[i + AND.len()..];
            let m = number_at_start(after)?;
            let rest = after.trim_start().split_once(' ')?.1;
            rest.starts_with("relationships")
                .then_some((number_at_end(&text[..i])?, m))
        })
        .collect()
}

#[test]
fn the_counts_in_the_docs_are_the_bundled_stores() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let data = data.to_str().unwrap();
    let bundled = crate_file("data/asean.json");
    let imported = cli(&["--data", data, "import", bundled.to_str().unwrap()]);
    let records = number_at_start(imported.strip_prefix("imported ").unwrap()).unwrap();
    let (_, rest) = imported.split_once(" records and ").unwrap();
    let relationships = number_at_start(rest).unwrap();
    let checked = cli(&["--data", data, "check"]);
    let clean = checked[checked.find("clean (").unwrap()..].trim_end();
    let answer: Value = serde_json::from_str(&cli(&[
        "--data",
        data,
        "query",
        crate_file("tests/fixtures/doc_counts.graphql")
            .to_str()
            .unwrap(),
    ]))
    .unwrap();
    assert_eq!(
        answer["relationships"]["totalCount"].as_u64(),
        Some(relationships),
        "import counts the relationships the API does"
    );
    let general = answer["source"]["citationCount"].as_u64().unwrap();

    let mut seen = (0, 0, 0);
    let mut wrong = Vec::new();
    for (name, text) in documents() {
        for (r, m) in record_counts(&text) {
            seen.0 += 1;
            if (r, m) != (records, relationships) {
                wrong.push(format!(
                    "{name}: {r} records and {m} relationships, the store {records} and {relationships}"
                ));
            }
        }
        const GK: &str = " of its citations are to a source marked \"General knowledge";
        for (i, _) in text.match_indices(GK) {
            seen.1 += 1;
            let n = number_at_end(&text[..i]);
            if n != Some(general) {
                wrong.push(format!(
                    "{name}: {n:?} citations of general knowledge, the store {general}"
                ));
            }
        }
        for (i, _) in text.match_indices("clean (member: ") {
            let shown = &text[i..];
            let shown = &shown[..=shown.find(')').unwrap()];
            if shown.contains('…') {
                continue; // an example cut short, its counts left out
            }
            seen.2 += 1;
            if shown != clean {
                wrong.push(format!("{name}: {shown}, the store {clean}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The docs say each at least once (README.md, docs/operations.md).
    assert!(seen.0 >= 2 && seen.1 >= 1 && seen.2 >= 1, "{seen:?}");
}
