//! The documented questions, offered in GraphiQL as ready-made tabs: every named `query` and
//! `subscription` of the README and of the guides to querying, filters and writing, in the
//! order they are documented, each with the heading it sits under. They are read from the
//! Markdown embedded at compile time, so the list cannot drift from the docs, and the docs'
//! tests (they run every block under the default limits) vouch for each one.

use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use std::sync::LazyLock;

/// (file, text) of the documents whose questions are offered.
const DOCUMENTS: &[(&str, &str)] = &[
    ("README.md", include_str!("../../README.md")),
    ("docs/querying.md", include_str!("../../docs/querying.md")),
    ("docs/filters.md", include_str!("../../docs/filters.md")),
    ("docs/writing.md", include_str!("../../docs/writing.md")),
];

/// One documented operation.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Question {
    /// Its operation name, unique in the list.
    pub name: String,
    /// The heading it is documented under.
    pub section: String,
    /// The file it is documented in.
    pub document: &'static str,
    /// The operation's text, as documented.
    pub query: String,
}

/// The named queries and subscriptions of a Markdown text's ```graphql blocks (mutations
/// write, so they are not offered), with the nearest heading before each.
pub fn questions(document: &'static str, markdown: &str) -> Vec<Question> {
    let mut out = Vec::new();
    let mut section = String::new();
    // Inside a fence: Some(text) for a ```graphql block, Some(None) for any other.
    let mut fence: Option<Option<String>> = None;
    for line in markdown.lines() {
        let line = line.trim_end();
        match &mut fence {
            None if line == "```graphql" => fence = Some(Some(String::new())),
            None if line.starts_with("```") => fence = Some(None),
            None if line.starts_with('#') => {
                section = line.trim_start_matches('#').trim().to_owned();
            }
            None => {}
            Some(block) if line == "```" => {
                if let Some(query) = block.take()
                    && let Some(name) = operation_name(&query)
                {
                    out.push(Question {
                        name: name.to_owned(),
                        section: section.clone(),
                        document,
                        query,
                    });
                }
                fence = None;
            }
            Some(Some(text)) => {
                text.push_str(line);
                text.push('\n');
            }
            Some(None) => {}
        }
    }
    out
}

/// The name of a document's first operation if it is a named query or subscription.
fn operation_name(query: &str) -> Option<&str> {
    let first = query
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let rest = first
        .strip_prefix("query ")
        .or_else(|| first.strip_prefix("subscription "))?;
    let name = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    (!name.is_empty()).then_some(name)
}

/// Every document's questions, the first of each name kept.
fn all() -> Vec<Question> {
    let mut seen = std::collections::HashSet::new();
    DOCUMENTS
        .iter()
        .flat_map(|(file, text)| questions(file, text))
        .filter(|q| seen.insert(q.name.clone()))
        .collect()
}

/// The list as JSON, and its ETag, built once.
static JSON: LazyLock<(String, String)> = LazyLock::new(|| {
    let json = serde_json::to_string(&all()).unwrap_or_else(|_| "[]".to_owned());
    let tag = super::etag::of(json.as_bytes());
    (json, tag)
});

/// `GET /graphiql/questions.json`, revalidated as the pages' files are.
pub async fn questions_json(headers: HeaderMap) -> Response {
    let (json, tag) = &*JSON;
    super::assets::revalidated(json.as_bytes(), "application/json", tag, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_queries_and_subscriptions_under_their_headings_and_nothing_else() {
        let md = "# Top\n\n## Search\n\n```graphql\nquery SearchIt {\n  search(text: \"x\") { id }\n}\n```\n\n\
                  ```graphql\nmutation Write { x }\n```\n\n```graphql\n{ anonymous }\n```\n\n\
                  ### Live\n```json\n# not a heading\n```\n```graphql\n# a comment\nsubscription Watch($a: ID) { changes { op } }\n```\n";
        let qs = questions("x.md", md);
        let got: Vec<_> = qs
            .iter()
            .map(|q| (q.name.as_str(), q.section.as_str()))
            .collect();
        assert_eq!(got, [("SearchIt", "Search"), ("Watch", "Live")]);
        assert_eq!(
            qs[0].query,
            "query SearchIt {\n  search(text: \"x\") { id }\n}\n"
        );
    }

    #[test]
    fn the_product_question_comes_first_and_names_are_unique() {
        let all = all();
        assert_eq!(
            all.first().map(|q| q.name.as_str()),
            Some("ProductQuestion")
        );
        let mut names: Vec<_> = all.iter().map(|q| &q.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
