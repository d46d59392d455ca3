//! How deep a text nests, measured on its characters before any parser sees it.
//!
//! Parsers recurse once per level of nesting: async-graphql's parser bounds selection sets
//! but not values, so a 3 KB list literal nested 1,500 deep overflowed a worker's stack and
//! aborted the process. Every GraphQL document and every JSON request body is measured here
//! first, in one pass with no recursion and no allocation, and refused when it nests deeper
//! than the limit; only then is it parsed.
//!
//! Every bracket counts, whatever it opens: selection sets and object values (`{`), list
//! values and list types (`[`), arguments and variable definitions (`(`). Brackets inside
//! strings, block strings and comments do not. The same scan serves JSON, whose strings have
//! the same escapes and which has no comments.

/// The deepest point of a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nesting {
    /// How many brackets are open there.
    pub depth: usize,
    /// Where it is first reached: line and column, from 1 (columns count characters).
    pub line: usize,
    pub column: usize,
}

/// Measures how deep `text` nests. Unbalanced closing brackets are left for the parser to
/// report; they never make the depth negative.
pub fn measure(text: &str) -> Nesting {
    let mut deepest = Nesting::default();
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut chars = text.chars().peekable();
    // What the scan is inside of.
    let (mut in_string, mut in_block, mut in_comment) = (false, false, false);
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
            (line, column) = (line + 1, 0);
            in_comment = false;
            // A plain string cannot span lines: the parser refuses it; keep measuring.
            in_string = false;
            continue;
        }
        if in_comment {
            continue;
        }
        if in_block {
            if c == '\\' && starts_with_quotes(&mut chars, 3) {
                // An escaped `\"""` inside a block string.
                skip(&mut chars, 3, &mut column);
            } else if c == '"' && starts_with_quotes(&mut chars, 2) {
                skip(&mut chars, 2, &mut column);
                in_block = false;
            }
            continue;
        }
        if in_string {
            match c {
                '\\' if chars.next().is_some() => column += 1,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' if starts_with_quotes(&mut chars, 2) => {
                skip(&mut chars, 2, &mut column);
                in_block = true;
            }
            '"' => in_string = true,
            '{' | '[' | '(' => {
                depth += 1;
                if depth > deepest.depth {
                    deepest = Nesting {
                        depth,
                        line,
                        column,
                    };
                }
            }
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Whether the next `n` characters are all `"`.
fn starts_with_quotes(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> bool {
    chars.clone().take(n).filter(|&c| c == '"').count() == n
}

fn skip(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize, column: &mut usize) {
    for _ in 0..n {
        chars.next();
        *column += 1;
    }
}

/// How deep a value nests: a scalar is 0 deep, `[1]` 1, `{"a": [1]}` 2. Walked with a
/// stack of its own, not by recursion.
pub fn value_depth(value: &async_graphql::Value) -> usize {
    use async_graphql::Value;
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match v {
            Value::List(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(fields) => stack.extend(fields.values().map(|f| (f, depth + 1))),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> usize {
        measure(text).depth
    }

    #[test]
    fn every_bracket_counts() {
        assert_eq!(depth("{ a }"), 1);
        assert_eq!(depth("{ a(x: [[1]]) { b } }"), 4);
        assert_eq!(depth("query ($v: [[Int]]) { a }"), 3);
        assert_eq!(depth("{ a(x: {y: {z: 1}}) }"), 4);
        assert_eq!(depth(""), 0);
    }

    #[test]
    fn strings_comments_and_block_strings_do_not() {
        assert_eq!(depth(r#"{ a(x: "[[[{{{") }"#), 2);
        assert_eq!(depth(r#"{ a(x: "\"[[[") }"#), 2);
        assert_eq!(depth("{ a # [[[[[\n }"), 1);
        assert_eq!(depth(r#"{ a(x: """ [[[ \""" [[ """) }"#), 2);
        assert_eq!(
            depth(r#"{"query": "{ a { b { c } } }", "variables": {"x": [1]}}"#),
            3
        );
    }

    #[test]
    fn the_deepest_point_is_located() {
        let n = measure("{\n  a(x: [[1]])\n}");
        assert_eq!(
            n,
            Nesting {
                depth: 4,
                line: 2,
                column: 9
            }
        );
    }

    #[test]
    fn unbalanced_closers_never_go_below_zero() {
        assert_eq!(depth("}}} { a }"), 1);
    }

    #[test]
    fn values_are_measured_too() {
        let v = async_graphql::Value::from_json(serde_json::json!({"a": [[1], 2], "b": 3}));
        assert_eq!(value_depth(&v.unwrap()), 3);
        assert_eq!(value_depth(&async_graphql::Value::Null), 0);
    }

    #[test]
    fn a_deep_text_is_measured_without_recursion() {
        let deep = format!(
            "{{ a(x: {}1{}) }}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(depth(&deep), 100_002);
    }
}
