//! Browser pages served from files embedded in the binary (pinned versions, with their
//! licenses; see each directory's `VERSIONS.txt`), so they work with no internet.
//!
//! Each page is one [`Bundle`]: its HTML and the files under its prefix, listed once by
//! [`bundle!`], which embeds each file at compile time; a file's content type comes from its
//! extension.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A page's HTML and the files it loads from under its own prefix.
pub struct Bundle {
    pub index: &'static str,
    /// (file name, bytes)
    pub files: &'static [(&'static str, &'static [u8])],
}

/// The content type a file is served with, by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    }
}

/// `bundle!("dir", "index.html", ["a.js", "b.css", …])`: a [`Bundle`] of files under
/// `src/server/<dir>/`.
macro_rules! bundle {
    ($dir:literal, $index:literal, [$($file:literal),* $(,)?]) => {
        $crate::server::assets::Bundle {
            index: include_str!(concat!($dir, "/", $index)),
            files: &[$(($file, include_bytes!(concat!($dir, "/", $file)))),*],
        }
    };
}

/// GraphiQL at `/`, its files at `/graphiql/<file>` (and the documented questions at
/// `/graphiql/questions.json`, see `questions.rs`).
pub static GRAPHIQL: Bundle = bundle!(
    "graphiql",
    "index.html",
    [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
        "plugin-explorer.umd.js",
        "plugin-explorer.css",
        "graphql-ws.min.js",
        "asean-graph.js",
        "asean-graph.css",
        "LICENSE-graphiql.txt",
        "LICENSE-react.txt",
        "LICENSE-react-dom.txt",
        "LICENSE-graphiql-explorer.txt",
        "LICENSE-graphql-ws.txt",
        "VERSIONS.txt",
    ]
);

pub async fn graphiql() -> Html<&'static str> {
    Html(GRAPHIQL.index)
}

pub async fn graphiql_file(Path(file): Path<String>) -> Response {
    serve(&GRAPHIQL, &file)
}

/// The graph explorer at `/explore`, its files (our page's script, style and GraphQL
/// operations, and the vendored cytoscape.js) at `/explore/<file>`.
pub static EXPLORE: Bundle = bundle!(
    "explore",
    "index.html",
    [
        "explore.js",
        "explore.css",
        "queries.graphql",
        "cytoscape.min.js",
        "LICENSE-cytoscape.txt",
        "VERSIONS.txt",
    ]
);

pub async fn explore() -> Html<&'static str> {
    Html(EXPLORE.index)
}

pub async fn explore_file(Path(file): Path<String>) -> Response {
    serve(&EXPLORE, &file)
}

/// One of a bundle's files, or 404.
fn serve(bundle: &'static Bundle, file: &str) -> Response {
    match bundle.files.iter().find(|(name, _)| *name == file) {
        Some((name, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type(name)),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
