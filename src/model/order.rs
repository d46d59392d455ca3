//! Orderings of lists: what a sort key reads from a record or relationship ([`value`]), and
//! an order-preserving byte encoding of the values ([`encode`]), so that a list is ordered
//! by sorting its items on the concatenated encodings of their sort values, the item's code
//! last as the tie-break.
//!
//! The encoding, per value:
//! - a type byte, then the payload; a null is one byte above every type byte, so nulls come
//!   **last** in ascending order and, the whole value's bytes being inverted for a
//!   descending key, **first** in descending order (as PostgreSQL does by default);
//! - text is ordered **as the filters compare it**: folded to lower-case ASCII (case and
//!   diacritics aside, "Việt Nam" beside "viet nam"); enum values by their API name;
//! - variable-length payloads (text, enum names) are escaped (`0x00` → `0x00 0xFF`) and end
//!   with `0x00 0x01`, so no encoding is a prefix of another: a shorter text sorts first,
//!   the next key's bytes never interfere, and inverting the bytes reverses the order;
//! - integers: big-endian with the sign bit flipped; floats: their IEEE bits made to sort
//!   as numbers (negative ones inverted, others with the sign bit flipped); dates: their
//!   4-byte key; booleans: `false` before `true`.

use super::filter::{Records, Related, Relation, Subject, Value, field, related};
use super::search::fold;

/// What one sort key reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// A scalar field of the item itself, by its API name (as [`field`] names it).
    Field(&'static str),
    /// A field of the one record (or relationship) the relation leads to: the first of
    /// these API names that kind of record has (`name`, else `title`). Null when there is
    /// none.
    Related(Relation, &'static [&'static str]),
    /// How many records or relationships the relation leads to.
    Count(Relation),
}

/// The value `key` reads from `subject`, reading related records through `graph`.
pub fn value<G: Records>(graph: &G, subject: Subject<'_>, key: SortKey) -> Result<Value, G::Error> {
    Ok(match key {
        SortKey::Field(name) => field(subject, name).unwrap_or(Value::Null),
        SortKey::Related(relation, names) => {
            let first = |s: Subject<'_>| {
                names
                    .iter()
                    .find_map(|n| field(s, n))
                    .unwrap_or(Value::Null)
            };
            match related(graph, subject, relation)? {
                Related::Nodes(nodes) => nodes
                    .first()
                    .map_or(Value::Null, |n| first(Subject::Node(n))),
                Related::Edges(edges) => edges
                    .first()
                    .map_or(Value::Null, |e| first(Subject::Edge(e))),
            }
        }
        SortKey::Count(relation) => {
            let n = match related(graph, subject, relation)? {
                Related::Nodes(nodes) => nodes.len(),
                Related::Edges(edges) => edges.len(),
            };
            Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
        }
    })
}

/// Type bytes: each type's values sort together; a null after all of them.
const BOOL: u8 = 0x10;
const INT: u8 = 0x11;
const FLOAT: u8 = 0x12;
const DATE: u8 = 0x13;
const TEXT: u8 = 0x14;
const ENUM: u8 = 0x15;
const NULL: u8 = 0xF0;

/// Appends the order-preserving encoding of `v` to `out`; inverted when `descending`.
pub fn encode(v: &Value, descending: bool, out: &mut Vec<u8>) {
    let start = out.len();
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(b) => out.extend([BOOL, u8::from(*b)]),
        Value::Int(n) => {
            out.push(INT);
            out.extend((n ^ i64::MIN).to_be_bytes());
        }
        Value::Float(f) => {
            out.push(FLOAT);
            let bits = f.to_bits();
            let bits = if bits >> 63 == 1 {
                !bits
            } else {
                bits ^ (1 << 63)
            };
            out.extend(bits.to_be_bytes());
        }
        Value::Date(d) => {
            out.push(DATE);
            out.extend(d.to_key());
        }
        Value::Text(t) => {
            out.push(TEXT);
            escaped(fold(t).as_bytes(), out);
        }
        Value::Enum(e) => {
            out.push(ENUM);
            escaped(e.as_bytes(), out);
        }
    }
    if descending {
        for b in &mut out[start..] {
            *b = !*b;
        }
    }
}

/// Appends the encoding of a record by its type's name, then its code (both raw), as a key
/// that groups sort on: the records of one type together, by code. Inverted when
/// `descending`.
pub fn encode_record(type_name: &str, code: &str, descending: bool, out: &mut Vec<u8>) {
    let start = out.len();
    out.push(ENUM);
    escaped(type_name.as_bytes(), out);
    escaped(code.as_bytes(), out);
    if descending {
        for b in &mut out[start..] {
            *b = !*b;
        }
    }
}

/// Appends `code` (raw, ascending) as the final tie-break of a key.
pub fn encode_code(code: &str, out: &mut Vec<u8>) {
    escaped(code.as_bytes(), out);
}

/// `bytes` escaped and terminated so that no encoding is a prefix of another.
fn escaped(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend([0x00, 0x01]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    fn key(vs: &[(&Value, bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (v, desc) in vs {
            encode(v, *desc, &mut out);
        }
        out
    }

    /// The order the encoding must give: values of one type by value (text folded), nulls
    /// after.
    fn expected(a: &Value, b: &Value) -> Ordering {
        match (a, b) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => Ordering::Greater,
            (_, Value::Null) => Ordering::Less,
            (Value::Text(x), Value::Text(y)) => fold(x).cmp(&fold(y)),
            (Value::Int(x), Value::Int(y)) => x.cmp(y),
            (Value::Float(x), Value::Float(y)) => x.total_cmp(y),
            (Value::Date(x), Value::Date(y)) => x.cmp(y),
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            (Value::Enum(x), Value::Enum(y)) => x.cmp(y),
            _ => unreachable!("one type per test"),
        }
    }

    fn date() -> impl Strategy<Value = Value> {
        (1000u16..=9999, 1u8..=12, 1u8..=28)
            .prop_map(|(y, m, d)| Date::new(y, m, d).map_or(Value::Null, Value::Date))
    }

    /// Values of one type (picked by `t`), or null.
    fn of_type(t: u8) -> BoxedStrategy<Value> {
        let some = match t {
            0 => any::<i64>().prop_map(Value::Int).boxed(),
            1 => (-1e15f64..1e15).prop_map(Value::Float).boxed(),
            2 => date().boxed(),
            3 => "[a-zA-Z\u{0}\u{1}ệĐ ]{0,6}".prop_map(Value::Text).boxed(),
            4 => any::<bool>().prop_map(Value::Bool).boxed(),
            _ => "[A-Z_]{0,6}".prop_map(Value::Enum).boxed(),
        };
        prop_oneof![4 => some, 1 => Just(Value::Null)].boxed()
    }

    proptest! {
        #[test]
        fn encoding_preserves_order_both_ways_and_in_composite_keys(
            (a, b, c, d) in (0u8..6, 0u8..6).prop_flat_map(|(t, u)| {
                (of_type(t), of_type(t), of_type(u), of_type(u))
            }),
            desc in any::<bool>(),
        ) {
            let want = expected(&a, &b).then(expected(&c, &d));
            let got = key(&[(&a, false), (&c, false)]).cmp(&key(&[(&b, false), (&d, false)]));
            prop_assert_eq!(got, want);
            let got = key(&[(&a, true), (&c, desc)]).cmp(&key(&[(&b, true), (&d, desc)]));
            let second = if desc { expected(&d, &c) } else { expected(&c, &d) };
            prop_assert_eq!(got, expected(&b, &a).then(second));
        }
    }

    #[test]
    fn nulls_last_ascending_first_descending_and_text_folded() {
        let null = Value::Null;
        let one = Value::Int(1);
        assert!(key(&[(&one, false)]) < key(&[(&null, false)]));
        assert!(key(&[(&null, true)]) < key(&[(&one, true)]));
        let viet = Value::Text("Việt Nam".into());
        let zeta = Value::Text("zeta".into());
        let upper = Value::Text("VIET NAM".into());
        assert!(key(&[(&viet, false)]) < key(&[(&zeta, false)]));
        assert_eq!(key(&[(&viet, false)]), key(&[(&upper, false)]));
        let short = Value::Text("ab".into());
        let long = Value::Text("abc".into());
        assert!(key(&[(&short, false)]) < key(&[(&long, false)]));
        assert!(key(&[(&long, true)]) < key(&[(&short, true)]));
        assert!(key(&[(&Value::Float(-2.5), false)]) < key(&[(&Value::Float(-0.5), false)]));
        assert!(key(&[(&Value::Float(-0.5), false)]) < key(&[(&Value::Float(3.0), false)]));
    }
}
