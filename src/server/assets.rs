//! Browser pages served from files embedded in the binary (pinned versions, with their
//! licenses; see each directory's `VERSIONS.txt`), so they work with no internet.
//!
//! Each page is one [`Bundle`]: its HTML and the files under its prefix, listed once by
//! [`bundle!`], which embeds each file at compile time; a file's content type comes from its
//! extension.
//!
//! Every page and file is sent with an `ETag` (a hash of its bytes) and `Cache-Control:
//! no-cache`: a browser keeps it but asks again each time, and gets `304 Not Modified` until
//! the binary changes. Files cached for a day instead would mix an upgraded page with
//! yesterday's script or queries.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

/// A page's HTML and the files it loads from under its own prefix.
pub struct Bundle {
    pub index: &'static str,
    /// (file name, bytes)
    pub files: &'static [(&'static str, &'static [u8])],
    /// The ETags of the index (first) and of each file, in order; computed once.
    pub etags: OnceLock<Vec<String>>,
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
            etags: std::sync::OnceLock::new(),
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

pub async fn graphiql(headers: HeaderMap) -> Response {
    serve_index(&GRAPHIQL, &headers)
}

pub async fn graphiql_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    serve(&GRAPHIQL, &file, &headers)
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

pub async fn explore(headers: HeaderMap) -> Response {
    serve_index(&EXPLORE, &headers)
}

pub async fn explore_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    serve(&EXPLORE, &file, &headers)
}

impl Bundle {
    fn etags(&self) -> &[String] {
        self.etags.get_or_init(|| {
            std::iter::once(self.index.as_bytes())
                .chain(self.files.iter().map(|(_, bytes)| *bytes))
                .map(super::etag::of)
                .collect()
        })
    }
}

/// A bundle's page.
fn serve_index(bundle: &'static Bundle, headers: &HeaderMap) -> Response {
    let tag = bundle.etags().first().map_or("", String::as_str);
    revalidated(
        bundle.index.as_bytes(),
        "text/html; charset=utf-8",
        tag,
        headers,
    )
}

/// One of a bundle's files, or 404.
fn serve(bundle: &'static Bundle, file: &str, headers: &HeaderMap) -> Response {
    match bundle.files.iter().position(|(name, _)| *name == file) {
        Some(i) => {
            let (name, bytes) = bundle.files[i];
            let tag = bundle.etags().get(i + 1).map_or("", String::as_str);
            revalidated(bytes, content_type(name), tag, headers)
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

/// Static bytes with their ETag, to be revalidated on each use: `304 Not Modified` when the
/// client already holds them (`If-None-Match`).
pub fn revalidated(
    bytes: &'static [u8],
    content_type: &'static str,
    tag: &str,
    request: &HeaderMap,
) -> Response {
    let cache = [
        (header::ETAG, tag.to_owned()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if super::etag::held(request, tag) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}
