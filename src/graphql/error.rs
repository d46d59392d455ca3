//! Error codes clients rely on (`extensions.code`), and turning store faults into them.

use crate::store::{StoreError, ViolationClass};
use async_graphql::{Error, ErrorExtensions};

pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const CONFLICT: &str = "CONFLICT";
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
pub const FORBIDDEN: &str = "FORBIDDEN";
pub const INTERNAL: &str = "INTERNAL";
pub const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
pub const RATE_LIMITED: &str = "RATE_LIMITED";
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
/// A subscriber that fell so far behind the changes that it was dropped: it did nothing
/// wrong, and catches up with `changes(since:)` before subscribing again.
pub const SUBSCRIBER_TOO_SLOW: &str = "SUBSCRIBER_TOO_SLOW";

/// The longest error message sent, in bytes: a message that quotes a client's input is cut
/// here, so an answer's errors stay small whatever was sent.
pub const MAX_MESSAGE: usize = 1_000;

/// `message`, cut at [`MAX_MESSAGE`] bytes (on a character boundary) with a note of how long
/// it was.
pub fn bounded(message: &str) -> std::borrow::Cow<'_, str> {
    if message.len() <= MAX_MESSAGE {
        return message.into();
    }
    let mut end = MAX_MESSAGE;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (cut; {} bytes in all)", &message[..end], message.len()).into()
}

/// A client's text as a log line (or a span) holds it: at most 200 characters.
pub fn clip_for_log(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// An error with a code.
pub fn coded(code: &'static str, message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// Bad input from the client: says what was wrong and where.
pub fn bad_input(message: impl Into<String>) -> Error {
    coded(BAD_USER_INPUT, message)
}

/// An internal fault: logged with an id that the client gets, never the details.
pub fn internal(fault: impl std::fmt::Display) -> Error {
    let id = uuid::Uuid::new_v4();
    tracing::error!(%id, error = %fault, "internal error");
    Error::new(format!(
        "internal error (id {id}); the server log has the details"
    ))
    .extend_with(|_, e| {
        e.set("code", INTERNAL);
        e.set("id", id.to_string());
    })
}

/// Maps a store error to a client error: rejected writes keep their class and message;
/// anything else is internal.
pub fn from_store(e: StoreError) -> Error {
    match e {
        StoreError::Rejected(violations) => {
            let code = match violations.first().map(|v| v.class) {
                Some(ViolationClass::NotFound) => NOT_FOUND,
                Some(ViolationClass::Conflict) => CONFLICT,
                _ => BAD_USER_INPUT,
            };
            let message = violations
                .iter()
                .map(|v| v.violation.to_string())
                .collect::<Vec<_>>()
                .join("; ");
            coded(code, message)
        }
        e @ StoreError::OverBudget { .. } => coded(QUERY_TOO_COMPLEX, e.to_string()),
        other => internal(other),
    }
}

/// `.gql()?` on store results inside resolvers.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, StoreError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(from_store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_name_of_100_kb_is_logged_as_200_characters() {
        let logged = clip_for_log(&"é".repeat(100_000));
        assert_eq!(logged.chars().count(), 201, "200 and an ellipsis");
        assert_eq!(clip_for_log("ProductQuestion"), "ProductQuestion");
    }
}
