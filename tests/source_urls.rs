//! Source URLs are parsed, not prefix-tested: http or https with a host, and nothing in the
//! text that could break out of the markup a page writes it into. Refused with
//! BAD_USER_INPUT naming `url` by a mutation (changing nothing), and by an import naming the
//! record; good URLs accepted. (The rule's own cases are in `model::source_url`.)

use crate::common::EDITOR;
use crate::common::imports::{invalid, refused, small_edited};
use crate::common::{Api, server, snapshot};
use serde_json::{Value, json};

const UPDATE_URL: &str =
    "mutation($url: String) { updateSource(code: \"S1\", input: { url: $url }) { url } }";

/// URLs a source must not have: the repro of issue 23 (an attribute breaking out of an
/// `href`, in the host and in the path), other schemes, no host, a space, a control
/// character, a backslash.
const BAD: [&str; 9] = [
    "http://x\" onclick=\"alert(1)",
    "http://x/\" onclick=\"alert(1)",
    "javascript:alert(1)",
    "ftp://example.org/file",
    "http://",
    "example.org/page",
    "https://example.org/a page",
    "https://example.org/\u{7}",
    "https://example.org\\@evil.example",
];

const CREATE_WITH_URL: &str = "mutation($url: String) { createSource(input: { code: \"TSRC\", title: \"T\", url: $url }) { id } }";

/// Sends a write that must be refused with BAD_USER_INPUT, its message naming `url`.
async fn assert_refused_naming_url(api: &Api, query: &str, variables: Value) {
    let (code, message) = api.fails(Some(EDITOR), query, variables.clone()).await;
    assert_eq!(code, "BAD_USER_INPUT", "{query} {variables}: {message}");
    assert!(message.contains("url: "), "{query} {variables}: {message}");
}

/// The repro of issue 23, written as a literal in the document as it was reported.
#[tokio::test]
async fn a_url_that_breaks_out_of_an_attribute_is_refused_naming_url() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    assert_refused_naming_url(
        &api,
        r#"mutation { updateSource(code:"S1", input:{ url: "http://x\" onclick=\"alert(1)" }) { url } }"#,
        json!({}),
    )
    .await;
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn bad_source_urls_are_refused_naming_url_and_change_nothing() {
    let (_s, api) = server().await;
    let before = snapshot(&api).await;
    for url in BAD {
        for query in [UPDATE_URL, CREATE_WITH_URL] {
            assert_refused_naming_url(&api, query, json!({ "url": url })).await;
        }
    }
    assert_eq!(snapshot(&api).await, before);
}

#[tokio::test]
async fn good_http_and_https_source_urls_are_accepted() {
    let (_s, api) = server().await;
    for url in [
        "https://asean.org/?static_post=overview-2#top",
        "http://www.asean-china-center.org/english/2021-11/8678.html",
        "https://example.org:8443/a%20b%22c",
        "https://vi.wikipedia.org/wiki/Việt_Nam",
    ] {
        let data = api
            .ok(Some(EDITOR), UPDATE_URL, json!({ "url": url }))
            .await;
        assert_eq!(data["updateSource"]["url"], url);
    }
}

#[test]
fn an_import_file_with_a_bad_source_url_is_refused_naming_the_record() {
    for url in BAD {
        let bytes = small_edited(|d| d["sources"][0]["url"] = json!(url));
        let errors = invalid(refused(&bytes));
        assert_eq!(errors.len(), 1, "{url:?}: {errors:#?}");
        assert!(
            errors[0].starts_with("sources[0].url: "),
            "{url:?}: {errors:#?}"
        );
    }
}
