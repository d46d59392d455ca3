//! Security headers on every answer: pages, their files, `/graphql`, `/health`, errors,
//! 404s and the answer to a panic (the layer wraps them all; see `app()`).
//!
//! - `Content-Security-Policy`: the two pages (GraphiQL at `/`, the explorer at `/explore`)
//!   load scripts, styles and fonts from this server only and talk to this server only;
//!   no script runs inline. Their HTML has none: an inline script added to a page fails
//!   `tests/security_headers.rs` unless its hash is in the policy (better: move it into a
//!   file). On a JSON answer the policy does nothing, and costs nothing.
//! - `frame-ancestors 'none'` and `X-Frame-Options: DENY` (for browsers before CSP 2): no
//!   site may frame the pages (clickjacking) unless `--frame-ancestors` names the sites that
//!   embed them; then they replace `'none'` and `X-Frame-Options` is left out (it cannot
//!   name several sites).
//! - `X-Content-Type-Options: nosniff`: a file is only ever what its content type says.
//! - `Referrer-Policy: no-referrer`: a link followed from a page (a source's URL in the
//!   explorer) tells the other site nothing of this server or of the query in the address.

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use std::sync::Arc;

/// The policy before its `frame-ancestors` directive. Each directive as tight as the pages
/// allow:
/// - `default-src 'none'`: whatever is not named below is refused (frames, objects,
///   workers, manifests, media).
/// - `script-src 'self'`: the pages' own files only; no inline script, no `eval`.
/// - `style-src 'self' 'unsafe-inline'`: the stylesheets are files, but inline styles are
///   written as the pages run, and Chromium blocks them under `style-src 'self'`: GraphiQL's
///   settings and short-keys dialogs insert a `<style>` element as they open (the scroll
///   lock of its dialog library, its text depending on the scroll bar's width, so no hash),
///   CodeMirror's jump-to-line dialog and the explorer's colour chips are `style`
///   attributes. A style cannot run script, so this allows none.
/// - `img-src 'self' data:` and `font-src 'self' data:`: GraphiQL's stylesheet embeds its
///   fonts and a few icons as `data:` URLs, and both pages use an empty `data:` favicon.
/// - `connect-src 'self'`: `fetch` to `/graphql` and the pages' JSON files, and the
///   WebSocket to `/ws`: in CSP Level 3, `'self'` also matches `ws:` and `wss:` to the same
///   host (GraphiQL's subscription runs under it in the browser test). A browser of CSP
///   Level 2 would refuse the WebSocket; naming it would need the host the client used.
/// - `base-uri 'none'`, `form-action 'none'`: no `<base>` may redirect the pages' relative
///   URLs, and no form is ever submitted (the explorer's forms are handled by its script).
macro_rules! policy {
    () => {
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
         base-uri 'none'; form-action 'none'"
    };
}

/// The policy when no site may frame the pages (the default).
const NO_FRAMES: &str = concat!(policy!(), "; frame-ancestors 'none'");

/// The sites allowed to show the pages in a frame: none (the default), or the sources given
/// to `--frame-ancestors` (`ASEAN_GRAPH_FRAME_ANCESTORS`), separated by spaces, such as
/// `https://a.example https://*.b.example`.
///
/// Parsing refuses what could end the directive or add another (quotes, semicolons, commas)
/// and what a header cannot carry (control characters, non-ASCII): the text goes into the
/// policy as given, so it must not be able to loosen anything but framing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameAncestors(Option<String>);

impl FrameAncestors {
    /// The sources, separated by single spaces; `None` when no site may frame the pages.
    pub fn sources(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::str::FromStr for FrameAncestors {
    type Err = String;

    fn from_str(text: &str) -> Result<FrameAncestors, String> {
        const EXAMPLE: &str = "e.g. \"https://a.example https://b.example\"";
        if let Some(c) = text
            .chars()
            .find(|c| matches!(c, '\'' | '"' | ';' | ',') || c.is_control() || !c.is_ascii())
        {
            return Err(format!(
                "{c:?} in {text:?}: frame ancestors are origins separated by spaces, {EXAMPLE}, \
                 with no quotes (keywords such as 'self' are not accepted: name the origin), \
                 semicolons, commas, control or non-ASCII characters (use the punycode of an \
                 international domain)"
            ));
        }
        let sources: Vec<&str> = text.split_ascii_whitespace().collect();
        if sources.is_empty() {
            return Err(format!(
                "no frame ancestors given: name the sites that may frame the pages, {EXAMPLE}, \
                 or leave the setting unset so that none may"
            ));
        }
        Ok(FrameAncestors(Some(sources.join(" "))))
    }
}

/// The headers every answer gets, built once when the server starts.
#[derive(Clone, Debug)]
pub struct SecurityHeaders(Arc<[(HeaderName, HeaderValue)]>);

impl SecurityHeaders {
    pub fn new(frames: &FrameAncestors) -> SecurityHeaders {
        // Parsing let through visible ASCII only, which is always a header value; were it
        // not, the policy would fall back to framing by no one rather than fail open.
        let embedding = frames.sources().and_then(|sources| {
            HeaderValue::from_str(&format!("{}; frame-ancestors {sources}", policy!())).ok()
        });
        let mut headers = vec![
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ];
        match embedding {
            Some(policy) => headers.push((header::CONTENT_SECURITY_POLICY, policy)),
            None => headers.extend([
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(NO_FRAMES),
                ),
                (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            ]),
        }
        SecurityHeaders(headers.into())
    }
}

/// Sets the headers on an answer (replacing any a handler set).
pub async fn add(State(headers): State<SecurityHeaders>, mut response: Response) -> Response {
    let map = response.headers_mut();
    for (name, value) in headers.0.iter() {
        map.insert(name.clone(), value.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(headers: &'a SecurityHeaders, name: &HeaderName) -> Option<&'a str> {
        headers
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_str().unwrap())
    }

    #[test]
    fn by_default_no_site_may_frame_the_pages() {
        let h = SecurityHeaders::new(&FrameAncestors::default());
        let csp = get(&h, &header::CONTENT_SECURITY_POLICY).unwrap();
        assert!(csp.ends_with("; frame-ancestors 'none'"), "{csp}");
        assert_eq!(get(&h, &header::X_FRAME_OPTIONS), Some("DENY"));
    }

    #[test]
    fn frame_ancestors_replace_none_and_drop_x_frame_options() {
        let f: FrameAncestors = "  https://a.example   https://*.b.example:8443 "
            .parse()
            .unwrap();
        let h = SecurityHeaders::new(&f);
        let csp = get(&h, &header::CONTENT_SECURITY_POLICY).unwrap();
        assert!(
            csp.ends_with("; frame-ancestors https://a.example https://*.b.example:8443"),
            "{csp}"
        );
        assert!(!csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(get(&h, &header::X_FRAME_OPTIONS), None);
    }

    #[test]
    fn frame_ancestors_that_could_add_a_directive_are_refused() {
        for bad in [
            "https://a.example; script-src *",
            "https://a.example, https://b.example",
            "'self'",
            "\"https://a.example\"",
            "https://a.example\nscript-src *",
            "https://a.example\u{7f}",
            "https://a.example\thttps://b.example",
            "https://bücher.example",
            "",
            "   ",
        ] {
            let err = bad.parse::<FrameAncestors>().unwrap_err();
            assert!(err.contains("frame ancestors"), "{bad:?}: {err}");
        }
    }
}
