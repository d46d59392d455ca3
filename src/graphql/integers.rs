//! Whole numbers in and out of the API. GraphQL's `Int` is 32-bit signed.
//!
//! In: an integer a client gives for a record's field is taken as `i64` (still `Int` in the
//! schema) and checked here against the model's range for that field, so a value out of
//! range is refused naming the field and the range (`input.projectCount: 2147483648 is out
//! of range: 0 to 2147483647`). An unsigned argument type would be refused by async-graphql's
//! own parser instead, whose message names neither.
//!
//! Out: a stored integer is served only if it fits `Int`; one that does not (the model's
//! ranges never allow it) is an internal error, never a wrapped number.

use super::error::{bad_input, internal};
use crate::model::{INT_FIELDS, IntRange};
use async_graphql::Result;
use serde_json::{Map, Value};

/// The value a client gave for the field at `path` (`input.projectCount`, `year`), as the
/// model's type for it.
pub fn int_arg<T: TryFrom<i64>>(path: &str, value: i64, range: IntRange) -> Result<T> {
    range
        .check(value)
        .map_err(|e| bad_input(format!("{path}: {e}")))
}

/// An optional value, as [`int_arg`].
pub fn opt_int_arg<T: TryFrom<i64>>(
    path: &str,
    value: Option<i64>,
    range: IntRange,
) -> Result<Option<T>> {
    value.map(|v| int_arg(path, v, range)).transpose()
}

/// Checks each integer field of an input object given as JSON (a record's create input or
/// patch) against the model's range for it; `path` is the argument (`input`).
pub fn check_int_fields(path: &str, input: &Map<String, Value>) -> Result<()> {
    for (field, range) in INT_FIELDS {
        if let Some(Value::Number(n)) = input.get(*field) {
            let at = format!("{path}.{field}");
            match n.as_i64() {
                Some(v) => int_arg::<i64>(&at, v, *range).map(drop)?,
                None => return Err(bad_input(format!("{at}: {}", range.refuse(n)))),
            }
        }
    }
    Ok(())
}

/// A stored integer as `Int`; `what` names it (`Meeting.number`) for the server log.
pub fn served(what: &str, value: impl Into<i64>) -> Result<i32> {
    let value = value.into();
    i32::try_from(value).map_err(|_| internal(format!("{what}: {value} does not fit Int")))
}

/// How many items a list holds, as `Int`.
pub fn count(what: &str, n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| internal(format!("{what}: {n} items do not fit Int")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PROJECT_COUNTS, YEARS};
    use serde_json::json;

    #[test]
    fn values_out_of_range_are_refused_naming_field_and_range() {
        let e = int_arg::<u32>("input.projectCount", 2_147_483_648, PROJECT_COUNTS).unwrap_err();
        assert_eq!(
            e.message,
            "input.projectCount: 2147483648 is out of range: 0 to 2147483647"
        );
        assert_eq!(int_arg::<u16>("year", 2021, YEARS).ok(), Some(2021));
        let input = json!({ "number": -1, "title": "T" });
        let e = check_int_fields("input", input.as_object().unwrap()).unwrap_err();
        assert_eq!(
            e.message,
            "input.number: -1 is out of range: 1 to 2147483647"
        );
    }

    #[test]
    fn stored_values_past_int_are_never_wrapped() {
        assert_eq!(served("x", 7u32).ok(), Some(7));
        assert!(served("x", 4_294_967_295u32).is_err());
        assert!(count("x", 1 << 31).is_err());
    }
}
