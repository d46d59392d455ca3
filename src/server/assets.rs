//! GraphiQL, served from files embedded in the binary (pinned versions, with their
//! licenses; see `graphiql/VERSIONS.txt`), so it works with no internet.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const INDEX: &str = include_str!("graphiql/index.html");

/// (file name, content type, bytes)
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("graphiql/react-dom.production.min.js"),
    ),
    (
        "LICENSE-graphiql.txt",
        "text/plain; charset=utf-8",
        include_bytes!("graphiql/LICENSE-graphiql.txt"),
    ),
    (
        "LICENSE-react.txt",
        "text/plain; charset=utf-8",
        include_bytes!("graphiql/LICENSE-react.txt"),
    ),
    (
        "LICENSE-react-dom.txt",
        "text/plain; charset=utf-8",
        include_bytes!("graphiql/LICENSE-react-dom.txt"),
    ),
    (
        "VERSIONS.txt",
        "text/plain; charset=utf-8",
        include_bytes!("graphiql/VERSIONS.txt"),
    ),
];

pub async fn graphiql() -> Html<&'static str> {
    Html(INDEX)
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
