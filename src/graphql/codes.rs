//! Code arguments: a code in its canonical form, and the record a code must name, each
//! refused with an error that names the argument.

use super::error::{GqlResult, bad_input, coded};
use crate::model::{NodeKind, NodeRef, normalize_code};
use crate::store::Store;
use async_graphql::Result;

/// The canonical form of the code `arg` gives, or a BAD_USER_INPUT error naming `arg`.
pub fn code_arg(arg: &str, code: &str) -> Result<String> {
    normalize_code(code).map_err(|e| bad_input(format!("{arg}: {e}")))
}

/// The record of `kind` that the code `arg` gives names; if there is none, an error with
/// the code `missing` (NOT_FOUND for a list's argument, BAD_USER_INPUT inside a filter)
/// naming `arg`.
pub fn existing(
    store: &Store,
    arg: &str,
    kind: NodeKind,
    code: &str,
    missing: &'static str,
) -> Result<NodeRef> {
    let r = NodeRef::new(kind, code_arg(arg, code)?);
    if store.contains(&r).gql()? {
        Ok(r)
    } else {
        Err(coded(
            missing,
            format!("{arg}: no {} {:?}", kind.noun(), r.code),
        ))
    }
}
