//! The `Date` scalar.

use crate::model;
use async_graphql::parser::types::{Directive, ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{
    InputValueError, InputValueResult, Pos, Positioned, Scalar, ScalarType, ServerError, Value,
    Variables,
};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub model::Date);

/// A calendar date without time zone, written `YYYY-MM-DD` (ISO 8601), e.g. `2021-03-25`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.iso.org/iso-8601-date-and-time-format.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => text
                .parse()
                .map(Date)
                .map_err(|e: model::DateError| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    /// Checked during validation, for literals and variables alike: a date that does not
    /// exist is a request error (400 under `application/graphql-response+json`), as a bad
    /// `Int` or enum value is, not a field error.
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if text.parse::<model::Date>().is_ok())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<model::Date> for Date {
    fn from(d: model::Date) -> Date {
        Date(d)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// How async-graphql's validation words a value that `Date::is_valid` refused: it names the
/// argument (`"from"`, `"input.startDate"`) but neither the value nor the format.
const REFUSED: (&str, &str) = (
    "Invalid value for argument \"",
    "\", expected type \"Date\"",
);

/// Rewrites the validation errors of refused `Date` values to name the value and the format
/// expected, e.g. `Invalid value for argument "from": "2021-13-45" is not a date
/// (YYYY-MM-DD)`. The value is found through the error's location (the argument's name in
/// `query`) and path (into input objects and lists), in a literal or in `variables`. Other
/// errors are left as they are.
pub fn explain_invalid_dates(query: &str, variables: &Variables, errors: &mut [ServerError]) {
    let mut document: Option<Option<ExecutableDocument>> = None;
    for e in errors.iter_mut() {
        let Some(path) = e
            .message
            .strip_prefix(REFUSED.0)
            .and_then(|m| m.strip_suffix(REFUSED.1))
        else {
            continue;
        };
        let path = path.to_owned();
        let doc = document.get_or_insert_with(|| async_graphql::parser::parse_query(query).ok());
        let value = doc
            .as_ref()
            .zip(e.locations.first())
            .and_then(|(doc, pos)| argument_at(doc, *pos, variables))
            .and_then(|v| follow(v, path.split('.').skip(1)));
        e.message = match value {
            Some(Value::String(text)) => format!(
                "Invalid value for argument \"{path}\": {}",
                model::DateError(text)
            ),
            Some(other) => format!(
                "Invalid value for argument \"{path}\": {other} is not a date; write it as a \
                 string, YYYY-MM-DD"
            ),
            None => format!("Invalid value for argument \"{path}\": expected a date, YYYY-MM-DD"),
        };
    }
}

/// The value (variables filled in) of the argument whose name is at `pos`, in a field or a
/// directive anywhere in the document.
fn argument_at(doc: &ExecutableDocument, pos: Pos, variables: &Variables) -> Option<Value> {
    // A macro, not a function: the parser's (non-constant) value type is not exported.
    macro_rules! find {
        ($arguments:expr) => {
            $arguments
                .iter()
                .find(|(name, _)| name.pos == pos)
                .and_then(|(_, value)| {
                    value
                        .node
                        .clone()
                        .into_const_with(|name| variables.get(&name).cloned().ok_or(()))
                        .ok()
                })
        };
    }
    let in_directives = |directives: &[Positioned<Directive>]| -> Option<Value> {
        directives.iter().find_map(|d| find!(d.node.arguments))
    };
    fn in_set(
        set: &SelectionSet,
        field: &dyn Fn(&Positioned<Field>) -> Option<Value>,
        directives: &dyn Fn(&[Positioned<Directive>]) -> Option<Value>,
    ) -> Option<Value> {
        set.items.iter().find_map(|item| match &item.node {
            Selection::Field(f) => field(f)
                .or_else(|| directives(&f.node.directives))
                .or_else(|| in_set(&f.node.selection_set.node, field, directives)),
            Selection::FragmentSpread(s) => directives(&s.node.directives),
            Selection::InlineFragment(f) => directives(&f.node.directives)
                .or_else(|| in_set(&f.node.selection_set.node, field, directives)),
        })
    }
    let field = |f: &Positioned<Field>| -> Option<Value> { find!(f.node.arguments) };
    doc.operations
        .iter()
        .find_map(|(_, op)| {
            in_directives(&op.node.directives)
                .or_else(|| in_set(&op.node.selection_set.node, &field, &in_directives))
        })
        .or_else(|| {
            doc.fragments.values().find_map(|f| {
                in_directives(&f.node.directives)
                    .or_else(|| in_set(&f.node.selection_set.node, &field, &in_directives))
            })
        })
}

/// The part of `value` at `path` (input-object field names and list indexes).
fn follow<'a>(mut value: Value, path: impl Iterator<Item = &'a str>) -> Option<Value> {
    for segment in path {
        value = match value {
            Value::Object(mut fields) => fields.shift_remove(segment)?,
            Value::List(mut items) => {
                let i: usize = segment.parse().ok()?;
                (i < items.len()).then(|| items.swap_remove(i))?
            }
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(query: &str, variables: serde_json::Value, message: &str, pos: Pos) -> String {
        let mut errors = vec![ServerError::new(message, Some(pos))];
        explain_invalid_dates(query, &Variables::from_json(variables), &mut errors);
        errors.remove(0).message
    }

    #[test]
    fn refused_dates_are_named_with_the_format() {
        let q = r#"{ meetings(from: "2021-13-45") { totalCount } }"#;
        assert_eq!(
            explained(
                q,
                serde_json::json!({}),
                r#"Invalid value for argument "from", expected type "Date""#,
                Pos {
                    line: 1,
                    column: 12
                }
            ),
            r#"Invalid value for argument "from": "2021-13-45" is not a date (YYYY-MM-DD)"#
        );
        let q = "mutation($i: MeetingInput!) {\n  createMeeting(input: $i) { id } }";
        assert_eq!(
            explained(
                q,
                serde_json::json!({ "i": { "dates": [1, "2021-02-30"] } }),
                r#"Invalid value for argument "input.dates.1", expected type "Date""#,
                Pos {
                    line: 2,
                    column: 17
                }
            ),
            r#"Invalid value for argument "input.dates.1": "2021-02-30" is not a date (YYYY-MM-DD)"#
        );
        // A position that names no argument: still the format.
        assert!(
            explained(
                q,
                serde_json::json!({}),
                r#"Invalid value for argument "x", expected type "Date""#,
                Pos { line: 9, column: 9 }
            )
            .ends_with("expected a date, YYYY-MM-DD")
        );
        // Other errors are left alone.
        let other = r#"Invalid value for argument "first", expected type "Int""#;
        assert_eq!(
            explained(q, serde_json::json!({}), other, Pos { line: 1, column: 1 }),
            other
        );
    }

    #[test]
    fn only_real_dates_are_valid() {
        assert!(Date::is_valid(&Value::String("2020-02-29".into())));
        for bad in ["2021-02-29", "2021-13-45", "2021-3-5", ""] {
            assert!(!Date::is_valid(&Value::String(bad.into())), "{bad}");
        }
        assert!(!Date::is_valid(&Value::Number(20210325.into())));
    }
}
