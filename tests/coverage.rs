//! docs/coverage.md, run: every fact of the five articles has a row with the query that
//! answers it and the answer, and each query, sent to the real server over the bundled
//! dataset, answers exactly that. The count at the top is the table's own.

use crate::common::TestServer;
use crate::common::crate_file;
use serde_json::Value;

const COVERAGE: &str = "docs/coverage.md";

/// One row of the table.
struct Row {
    id: String,
    status: String,
    query: String,
    answer: Value,
}

/// The text between the first and last backtick of a cell.
fn code(cell: &str, id: &str, what: &str) -> String {
    let cell = cell.trim();
    cell.strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .unwrap_or_else(|| panic!("{COVERAGE} {id}: the {what} is not in backticks: {cell}"))
        .to_owned()
}

/// The rows of the table: lines starting `| F`.
fn rows(md: &str) -> Vec<Row> {
    md.lines()
        .filter(|l| l.starts_with("| F"))
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split(" | ").collect();
            let id = cells[0].trim().to_owned();
            assert_eq!(
                cells.len(),
                6,
                "{COVERAGE} {id}: a row has 6 cells (id, article:line, fact, status, query, answer)"
            );
            let answer = code(cells[5], &id, "answer");
            Row {
                query: code(cells[4], &id, "query"),
                answer: serde_json::from_str(&answer)
                    .unwrap_or_else(|e| panic!("{COVERAGE} {id}: the answer is not JSON: {e}")),
                status: cells[3].trim().to_owned(),
                id,
            }
        })
        .collect()
}

#[tokio::test]
async fn every_fact_of_the_articles_is_answered_as_the_coverage_table_says() {
    let md = std::fs::read_to_string(crate_file(COVERAGE)).unwrap();
    let rows = rows(&md);
    assert!(rows.len() >= 111, "{COVERAGE} lists {} facts", rows.len());

    let structured = rows.iter().filter(|r| r.status == "structured").count();
    for r in &rows {
        assert!(
            r.status == "structured"
                || r.status.starts_with("prose: ")
                || r.status.starts_with("missing: "),
            "{COVERAGE} {}: the status is `structured`, or `prose: why` / `missing: why`: {}",
            r.id,
            r.status
        );
    }
    let count = format!(
        "Answerable from structured fields: {structured} of {}.",
        rows.len()
    );
    assert!(
        md.contains(&count),
        "{COVERAGE} must say, as its table does: {count}"
    );

    let server = TestServer::start().await;
    let mut wrong = Vec::new();
    for r in &rows {
        let (status, body) = server.post(&r.query, Value::Null).await;
        if status != 200 || body.get("errors").is_some() || body["data"] != r.answer {
            wrong.push(format!(
                "{}: {}\n  documented: {}\n  answered:   {}",
                r.id,
                r.query,
                r.answer,
                body.get("errors").unwrap_or(&body["data"])
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows of {COVERAGE} are not answered as documented \
         (check each fact against its article before changing the row):\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}
