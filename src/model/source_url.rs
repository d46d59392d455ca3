//! A source's URL, parsed rather than prefix-tested: `http` or `https`, with a host, and
//! nothing in its text that could end the attribute or the markup a page puts it in.
//!
//! The raw text is checked before it is parsed: the `url` crate percent-encodes a quote or
//! a space in a path and accepts the URL, so `http://x/" onclick="alert(1)` would parse, and
//! a page that wrote the stored text into an `href` without escaping it would run it.

/// Whether `c` is refused anywhere in a URL's text: quotes, spaces (any whitespace),
/// `<`, `>`, backslash (which browsers read as `/`) and control characters. A real URL
/// writes them percent-encoded (`%22`, `%20`, …).
fn refused(c: char) -> bool {
    matches!(c, '"' | '\'' | '`' | '<' | '>' | '\\') || c.is_whitespace() || c.is_control()
}

/// Checks a source's URL; the error says what is wrong with it.
pub fn check_source_url(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|&c| refused(c)) {
        return Err(format!(
            "{text:?} is not a URL: it contains {c:?} (write it percent-encoded)"
        ));
    }
    let url = url::Url::parse(text).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{text:?} is not an http(s) URL (its scheme is {})",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{text:?} names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{text:?} carries a user name or password: a source's URL must not"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_source_url;

    #[test]
    fn http_and_https_urls_with_a_host_are_accepted() {
        for ok in [
            "http://x",
            "https://asean.org/?static_post=overview-2",
            "https://www.fdfa.admin.ch/eda/en/home/news/news-fdfa.html/content/eda/2017/9/13/68095",
            "HTTPS://EXAMPLE.ORG:8443/a%20b#part",
            "https://vi.wikipedia.org/wiki/Việt_Nam",
            "http://[::1]/x",
        ] {
            assert_eq!(check_source_url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn an_attribute_breaking_url_is_refused() {
        // In a path, the url crate percent-encodes the quote and accepts the URL.
        assert!(url::Url::parse("http://x/\" onclick=\"alert(1)").is_ok());
        for bad in [
            // The repro of issue 23, and the same in a path.
            "http://x\" onclick=\"alert(1)",
            "http://x/\" onclick=\"alert(1)",
            "http://x/'a'",
            "http://x/<script>",
            "http://x/a>b",
            "http://x\\evil.example",
            "http://x/a b",
            "http://x/\u{a0}",
            "http://x/\ta",
            "http://x/\u{0}",
            "http://x/\u{1b}[31m",
            "http://x/`a`",
        ] {
            let err = check_source_url(bad).unwrap_err();
            assert!(err.contains("it contains"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn other_schemes_missing_hosts_and_credentials_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript://x/%0aalert(1)",
            "data:text/html,hi",
            "ftp://example.org",
            "file:///etc/passwd",
            "http://",
            "//example.org/a",
            "example.org",
            "",
            "https://user:pass@example.org/",
            "https://asean.org@evil.example/",
        ] {
            assert!(check_source_url(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
