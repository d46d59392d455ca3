//! The shape of a parsed document, measured before validation: fields and aliases as
//! written, how deep and how many its selections become once fragments are spread,
//! fragment cycles, directives, and whether it asks the schema about itself.
//!
//! Fragments are measured once each (memoised), so a document whose fragments each spread
//! the next twice — a few hundred bytes that spread into billions of fields — is measured
//! in time linear in its size and refused before async-graphql's validation, which spreads
//! fragments as it walks and would take exponential time over it.

use async_graphql::Positioned;
use async_graphql::parser::types::{
    Directive, ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::registry::Registry;
use std::collections::HashMap;

/// What a document becomes once its fragments are spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    /// Selection sets nested inside each other, the outermost counting 1.
    pub depth: usize,
    /// Fields selected, each fragment counted as often as it is spread.
    pub fields: usize,
}

/// A fault in the document's shape, as a message naming where.
#[derive(Debug, PartialEq, Eq)]
pub enum Fault {
    /// A fragment spreads itself, directly or through others: the names in order.
    Cycle(Vec<String>),
    /// A directive the schema does not define.
    UnknownDirective {
        name: String,
        line: usize,
        column: usize,
    },
    /// A directive that may appear once repeated at one location.
    RepeatedDirective {
        name: String,
        line: usize,
        column: usize,
    },
    /// A subscription selecting other than exactly one root field.
    SubscriptionRoots(usize),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Cycle(names) => write!(
                f,
                "fragment {} spreads itself ({})",
                names[0],
                names.join(" → ")
            ),
            Fault::UnknownDirective { name, line, column } => write!(
                f,
                "unknown directive \"@{name}\" at line {line}, column {column}: this server knows @skip and @include"
            ),
            Fault::SubscriptionRoots(n) => write!(
                f,
                "a subscription selects exactly one root field; this one selects {n}"
            ),
            Fault::RepeatedDirective { name, line, column } => write!(
                f,
                "directive \"@{name}\" is repeated at line {line}, column {column}: it may appear once at each location"
            ),
        }
    }
}

/// Fields and aliases as written (each fragment counted once, never spread).
pub fn written(doc: &ExecutableDocument) -> (usize, usize) {
    fn count(set: &SelectionSet, fields: &mut usize, aliases: &mut usize) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    *fields += 1;
                    if f.node.alias.is_some() {
                        *aliases += 1;
                    }
                    count(&f.node.selection_set.node, fields, aliases);
                }
                Selection::InlineFragment(f) => count(&f.node.selection_set.node, fields, aliases),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    let (mut fields, mut aliases) = (0, 0);
    for set in selection_sets(doc) {
        count(set, &mut fields, &mut aliases);
    }
    (fields, aliases)
}

/// The selection set of every operation and every fragment.
fn selection_sets(doc: &ExecutableDocument) -> impl Iterator<Item = &SelectionSet> {
    doc.operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node))
}

/// The deepest and largest operation once fragments are spread, or the first fragment
/// cycle. A spread of an unknown fragment counts as empty (validation names it).
pub fn spread(doc: &ExecutableDocument) -> Result<Spread, Fault> {
    let mut walk = Walk {
        fragments: &doc.fragments,
        done: HashMap::new(),
        path: Vec::new(),
    };
    let mut worst = Spread::default();
    for (_, op) in doc.operations.iter() {
        let s = walk.set(&op.node.selection_set.node)?;
        worst.depth = worst.depth.max(s.depth);
        worst.fields = worst.fields.saturating_add(s.fields);
    }
    Ok(worst)
}

struct Walk<'a> {
    fragments: &'a HashMap<async_graphql::Name, Positioned<FragmentDefinition>>,
    /// Fragments measured so far.
    done: HashMap<&'a str, Spread>,
    /// The fragments being measured, outermost first: a name met again is a cycle.
    path: Vec<&'a str>,
}

impl<'a> Walk<'a> {
    /// Recursion follows the document's nesting, which the lexical check has bounded, and
    /// each fragment's name on `path`, which cycles cannot grow past the fragment count.
    fn set(&mut self, set: &'a SelectionSet) -> Result<Spread, Fault> {
        let mut inner = Spread::default();
        for item in &set.items {
            let s = match &item.node {
                Selection::Field(f) => {
                    let s = if f.node.selection_set.node.items.is_empty() {
                        Spread::default()
                    } else {
                        self.set(&f.node.selection_set.node)?
                    };
                    Spread {
                        fields: s.fields.saturating_add(1),
                        ..s
                    }
                }
                Selection::InlineFragment(f) => self.set(&f.node.selection_set.node)?,
                Selection::FragmentSpread(f) => self.fragment(&f.node.fragment_name.node)?,
            };
            inner.depth = inner.depth.max(s.depth);
            inner.fields = inner.fields.saturating_add(s.fields);
        }
        Ok(Spread {
            depth: inner.depth + 1,
            fields: inner.fields,
        })
    }

    fn fragment(&mut self, name: &'a str) -> Result<Spread, Fault> {
        if let Some(s) = self.done.get(name) {
            return Ok(*s);
        }
        if let Some(at) = self.path.iter().position(|n| *n == name) {
            let mut cycle: Vec<String> = self.path[at..].iter().map(|n| n.to_string()).collect();
            cycle.push(name.to_owned());
            return Err(Fault::Cycle(cycle));
        }
        let Some((key, definition)) = self.fragments.get_key_value(name) else {
            return Ok(Spread::default());
        };
        self.path.push(key.as_str());
        let s = self.set(&definition.node.selection_set.node)?;
        self.path.pop();
        self.done.insert(key.as_str(), s);
        Ok(s)
    }
}

/// Every directive must be one the schema defines, and one that is not repeatable may
/// appear once at each location.
pub fn directives(doc: &ExecutableDocument, registry: &Registry) -> Result<(), Fault> {
    let check = |list: &[Positioned<Directive>]| -> Result<(), Fault> {
        for (i, d) in list.iter().enumerate() {
            let name = d.node.name.node.as_str();
            let (line, column) = (d.pos.line, d.pos.column);
            let Some(meta) = registry.directives.get(name) else {
                return Err(Fault::UnknownDirective {
                    name: name.to_owned(),
                    line,
                    column,
                });
            };
            if !meta.is_repeatable && list[..i].iter().any(|e| e.node.name.node == name) {
                return Err(Fault::RepeatedDirective {
                    name: name.to_owned(),
                    line,
                    column,
                });
            }
        }
        Ok(())
    };
    fn walk(
        set: &SelectionSet,
        check: &impl Fn(&[Positioned<Directive>]) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    check(&f.node.directives)?;
                    walk(&f.node.selection_set.node, check)?;
                }
                Selection::InlineFragment(f) => {
                    check(&f.node.directives)?;
                    walk(&f.node.selection_set.node, check)?;
                }
                Selection::FragmentSpread(f) => check(&f.node.directives)?,
            }
        }
        Ok(())
    }
    for (_, op) in doc.operations.iter() {
        check(&op.node.directives)?;
        for v in &op.node.variable_definitions {
            check(&v.node.directives)?;
        }
        walk(&op.node.selection_set.node, &check)?;
    }
    for f in doc.fragments.values() {
        check(&f.node.directives)?;
        walk(&f.node.selection_set.node, &check)?;
    }
    Ok(())
}

/// A subscription selects exactly one root field (the GraphQL specification's "single root
/// field" rule), counted through fragments at its root. Call after [`spread`], which
/// refuses fragment cycles.
pub fn subscription_roots(doc: &ExecutableDocument) -> Result<(), Fault> {
    fn roots(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> usize {
        if depth > doc.fragments.len() + 1 {
            return 0;
        }
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(f) => roots(doc, &f.node.selection_set.node, depth + 1),
                Selection::FragmentSpread(f) => doc
                    .fragments
                    .get(&f.node.fragment_name.node)
                    .map_or(0, |d| roots(doc, &d.node.selection_set.node, depth + 1)),
            })
            .sum()
    }
    for (_, op) in doc.operations.iter() {
        if op.node.ty == async_graphql::parser::types::OperationType::Subscription {
            let n = roots(doc, &op.node.selection_set.node, 0);
            if n != 1 {
                return Err(Fault::SubscriptionRoots(n));
            }
        }
    }
    Ok(())
}

/// Whether any field anywhere in the document, fragments included, is `__schema`, `__type`
/// or the federation's `_service` (which answers the whole SDL); only the query root has
/// them, but a fragment on it can be spread there.
pub fn asks_for_schema(doc: &ExecutableDocument) -> bool {
    names_any(doc, &["__schema", "__type", "_service"])
}

/// Whether any field anywhere in the document, fragments included, is one of the
/// federation's, `_service` or `_entities`.
pub fn names_federation(doc: &ExecutableDocument) -> bool {
    names_any(doc, &["_service", "_entities"])
}

/// Whether any field anywhere in the document, fragments included, has one of `names`.
fn names_any(doc: &ExecutableDocument, names: &[&str]) -> bool {
    fn any(set: &SelectionSet, names: &[&str]) -> bool {
        set.items.iter().any(|item| match &item.node {
            Selection::Field(f) => {
                names.contains(&f.node.name.node.as_str()) || any(&f.node.selection_set.node, names)
            }
            Selection::InlineFragment(f) => any(&f.node.selection_set.node, names),
            Selection::FragmentSpread(_) => false,
        })
    }
    selection_sets(doc).any(|set| any(set, names))
}

/// Whether every operation asks only for `__schema`, `__type` or `__typename` at its root.
pub fn introspection_only(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().all(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn spread_of(doc: &str) -> Result<Spread, Fault> {
        spread(&parse_query(doc).unwrap())
    }

    #[test]
    fn fragments_count_as_often_as_they_are_spread() {
        let s = spread_of("{ a { ...F ...F } } fragment F on T { b c { d } }").unwrap();
        assert_eq!(
            s,
            Spread {
                depth: 4,
                fields: 7
            }
        );
    }

    #[test]
    fn a_doubling_chain_is_measured_in_linear_time() {
        let mut doc = String::from("{ ...F0 }");
        for i in 0..70 {
            doc += &format!(
                " fragment F{i} on Q {{ a {{ ...F{} ...F{} }} }}",
                i + 1,
                i + 1
            );
        }
        doc += " fragment F70 on Q { z }";
        let s = spread_of(&doc).unwrap();
        assert_eq!(s.depth, 1 + 1 + 2 * 70);
        assert_eq!(s.fields, usize::MAX, "2^71 fields saturate");
    }

    #[test]
    fn a_cycle_is_named() {
        let e = spread_of("{ ...A } fragment A on Q { a { ...B } } fragment B on Q { ...A }");
        assert_eq!(
            e.unwrap_err().to_string(),
            "fragment A spreads itself (A → B → A)"
        );
    }

    #[test]
    fn introspection_is_found_inside_fragments() {
        let doc = parse_query("{ ...F } fragment F on Query { __schema { types { name } } }");
        assert!(asks_for_schema(&doc.unwrap()));
        assert!(!asks_for_schema(&parse_query("{ __typename a }").unwrap()));
        let service = parse_query("{ ... on Query { _service { sdl } } }").unwrap();
        assert!(asks_for_schema(&service));
        assert!(names_federation(&service));
        let entities = parse_query(
            "{ ...F } fragment F on Query { _entities(representations: []) { __typename } }",
        )
        .unwrap();
        assert!(names_federation(&entities) && !asks_for_schema(&entities));
    }
}
