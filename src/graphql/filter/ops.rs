//! The comparisons a filter offers on one field, by the field's type: `eq`, `ne`, `in`,
//! `notIn`, `isNull` on all; `lt`/`lte`/`gt`/`gte` on numbers and dates; `startsWith` and
//! `contains` on text, matched ignoring case and diacritics.

use crate::graphql::enums::{InitiativeKind, InitiativeStage, MeetingFormat, PartnerKind, Pillar};
use crate::graphql::scalars::Date;
use crate::model::filter::{Cmp, Value};
use async_graphql::{InputObject, InputType};

/// What every operator input turns into: the comparisons it asks for, all of which must pass.
pub trait Ops {
    fn cmps(&self) -> Vec<Cmp>;
}

/// Pushes the comparisons every type offers.
fn common<T>(
    out: &mut Vec<Cmp>,
    value: impl Fn(&T) -> Value,
    eq: Option<&T>,
    ne: Option<&T>,
    is_in: Option<&Vec<T>>,
    not_in: Option<&Vec<T>>,
    is_null: Option<bool>,
) {
    out.extend(eq.map(|v| Cmp::Eq(value(v))));
    out.extend(ne.map(|v| Cmp::Ne(value(v))));
    out.extend(is_in.map(|vs| Cmp::In(vs.iter().map(&value).collect())));
    out.extend(not_in.map(|vs| Cmp::NotIn(vs.iter().map(&value).collect())));
    out.extend(is_null.map(Cmp::IsNull));
}

/// Pushes the comparisons of ordered types.
fn ordered<T>(
    out: &mut Vec<Cmp>,
    value: impl Fn(&T) -> Value,
    [lt, lte, gt, gte]: [Option<&T>; 4],
) {
    out.extend(lt.map(|v| Cmp::Lt(value(v))));
    out.extend(lte.map(|v| Cmp::Lte(value(v))));
    out.extend(gt.map(|v| Cmp::Gt(value(v))));
    out.extend(gte.map(|v| Cmp::Gte(value(v))));
}

/// Comparisons of a text field, ignoring case and diacritics ("viet" matches "Việt").
#[derive(InputObject, Default, Clone)]
pub struct StringFilter {
    /// Equal to this, ignoring case and diacritics.
    eq: Option<String>,
    /// Not equal to this (a field without a value is not equal).
    ne: Option<String>,
    /// Equal to one of these (none of an empty list).
    #[graphql(name = "in")]
    is_in: Option<Vec<String>>,
    /// Equal to none of these.
    not_in: Option<Vec<String>>,
    /// Without a value (true) or with one (false).
    is_null: Option<bool>,
    /// Starting with this.
    starts_with: Option<String>,
    /// Containing this.
    contains: Option<String>,
}

impl Ops for StringFilter {
    fn cmps(&self) -> Vec<Cmp> {
        let text = |s: &String| Value::Text(s.clone());
        let mut out = Vec::new();
        let (eq, ne) = (self.eq.as_ref(), self.ne.as_ref());
        common(
            &mut out,
            text,
            eq,
            ne,
            self.is_in.as_ref(),
            self.not_in.as_ref(),
            self.is_null,
        );
        out.extend(self.starts_with.clone().map(Cmp::StartsWith));
        out.extend(self.contains.clone().map(Cmp::Contains));
        out
    }
}

/// Declares the operator input of an ordered scalar type.
macro_rules! ordered_filter {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $value:expr) => {
        $(#[$doc])*
        #[derive(InputObject, Default, Clone)]
        pub struct $name {
            /// Equal to this.
            eq: Option<$ty>,
            /// Not equal to this (a field without a value is not equal).
            ne: Option<$ty>,
            /// Equal to one of these (none of an empty list).
            #[graphql(name = "in")]
            is_in: Option<Vec<$ty>>,
            /// Equal to none of these.
            not_in: Option<Vec<$ty>>,
            /// Without a value (true) or with one (false).
            is_null: Option<bool>,
            /// Less than this.
            lt: Option<$ty>,
            /// Less than or equal to this.
            lte: Option<$ty>,
            /// Greater than this.
            gt: Option<$ty>,
            /// Greater than or equal to this.
            gte: Option<$ty>,
        }

        impl Ops for $name {
            fn cmps(&self) -> Vec<Cmp> {
                let mut out = Vec::new();
                common(
                    &mut out,
                    $value,
                    self.eq.as_ref(),
                    self.ne.as_ref(),
                    self.is_in.as_ref(),
                    self.not_in.as_ref(),
                    self.is_null,
                );
                let bounds = [&self.lt, &self.lte, &self.gt, &self.gte].map(Option::as_ref);
                ordered(&mut out, $value, bounds);
                out
            }
        }
    };
}

ordered_filter!(
    /// Comparisons of a whole-number field (a year, a count, a meeting's number).
    IntFilter,
    i32,
    |n: &i32| Value::Int(i64::from(*n))
);
ordered_filter!(
    /// Comparisons of a number field (an amount in US dollars).
    FloatFilter,
    f64,
    |x: &f64| Value::Float(*x)
);
ordered_filter!(
    /// Comparisons of a date field (`YYYY-MM-DD`).
    DateFilter,
    Date,
    |d: &Date| Value::Date(d.0)
);

/// Comparisons of a true-or-false field.
#[derive(InputObject, Default, Clone)]
pub struct BooleanFilter {
    /// Equal to this.
    eq: Option<bool>,
    /// Not equal to this.
    ne: Option<bool>,
    /// Without a value (true) or with one (false).
    is_null: Option<bool>,
}

impl Ops for BooleanFilter {
    fn cmps(&self) -> Vec<Cmp> {
        let mut out = Vec::new();
        let b = |b: &bool| Value::Bool(*b);
        common(
            &mut out,
            b,
            self.eq.as_ref(),
            self.ne.as_ref(),
            None,
            None,
            self.is_null,
        );
        out
    }
}

/// The API name of an enum value.
fn enum_value<T: InputType>(v: &T) -> Value {
    match v.to_value() {
        async_graphql::Value::Enum(name) => Value::Enum(name.to_string()),
        _ => Value::Null,
    }
}

/// Declares the operator input of an enum.
macro_rules! enum_filter {
    ($($name:ident: $ty:ty, $what:literal;)*) => {$(
        #[doc = concat!("Comparisons of ", $what, ".")]
        #[derive(InputObject, Default, Clone)]
        pub struct $name {
            /// Equal to this.
            eq: Option<$ty>,
            /// Not equal to this (a field without a value is not equal).
            ne: Option<$ty>,
            /// One of these (none of an empty list).
            #[graphql(name = "in")]
            is_in: Option<Vec<$ty>>,
            /// None of these.
            not_in: Option<Vec<$ty>>,
            /// Without a value (true) or with one (false).
            is_null: Option<bool>,
        }

        impl Ops for $name {
            fn cmps(&self) -> Vec<Cmp> {
                let mut out = Vec::new();
                common(
                    &mut out,
                    enum_value,
                    self.eq.as_ref(),
                    self.ne.as_ref(),
                    self.is_in.as_ref(),
                    self.not_in.as_ref(),
                    self.is_null,
                );
                out
            }
        }
    )*};
}

enum_filter! {
    PartnerKindFilter: PartnerKind, "a partner's standing";
    PillarFilter: Pillar, "a body's pillar";
    MeetingFormatFilter: MeetingFormat, "how a meeting was held";
    InitiativeKindFilter: InitiativeKind, "what sort of initiative a record is";
    InitiativeStageFilter: InitiativeStage, "whether an initiative was adopted or proposed";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_given_is_one_comparison() {
        let f = IntFilter {
            gte: Some(2019),
            lt: Some(2022),
            not_in: Some(vec![2020]),
            ..IntFilter::default()
        };
        let cmps = f.cmps();
        assert_eq!(cmps.len(), 3);
        let passes = |y: i64| cmps.iter().all(|c| c.passes(&Value::Int(y)));
        assert_eq!(
            (2018..=2022).filter(|y| passes(*y)).collect::<Vec<_>>(),
            [2019, 2021]
        );
        let kind = PartnerKindFilter {
            eq: Some(PartnerKind::DialoguePartner),
            ..PartnerKindFilter::default()
        };
        assert!(kind.cmps()[0].passes(&Value::Enum("DIALOGUE_PARTNER".into())));
    }
}
