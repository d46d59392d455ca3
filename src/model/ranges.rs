//! The range of every integer field. Each range fits GraphQL's `Int` (32-bit signed), so a
//! value the model accepts is served exactly as it is stored. Mutations check what a client
//! gives against these ranges where it enters, import checks the file's numbers where it
//! reads them, and the record rules refuse anything outside them, so `check` and every
//! write agree.

use std::fmt;

/// The largest value of GraphQL's `Int` (`i32::MAX`).
pub const INT_MAX: i64 = 2_147_483_647;

/// The whole numbers from `min` to `max`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntRange {
    pub min: i64,
    pub max: i64,
}

/// Projects funded by one funding.
pub const PROJECT_COUNTS: IntRange = IntRange {
    min: 0,
    max: INT_MAX,
};
/// A meeting's number in its body's series.
pub const MEETING_NUMBERS: IntRange = IntRange {
    min: 1,
    max: INT_MAX,
};
/// Years a year field may hold.
pub const YEARS: IntRange = IntRange {
    min: 1900,
    max: 2100,
};

/// Every integer field of records and relationships, by the name the interchange format
/// and the API give it.
pub const INT_FIELDS: &[(&str, IntRange)] = &[
    ("number", MEETING_NUMBERS),
    ("startYear", YEARS),
    ("endYear", YEARS),
    ("year", YEARS),
    ("projectCount", PROJECT_COUNTS),
];

/// A whole number outside its field's range, e.g. `2147483648 is out of range: 0 to
/// 2147483647`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    /// The value as it was given (a number too large for `i64` keeps its digits).
    pub value: String,
    pub range: IntRange,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is out of range: {} to {}",
            self.value, self.range.min, self.range.max
        )
    }
}

impl IntRange {
    pub fn contains(self, value: i64) -> bool {
        (self.min..=self.max).contains(&value)
    }

    /// `value` as the field's own type (`u32`, `u16`) if it lies in the range.
    pub fn check<T: TryFrom<i64>>(self, value: i64) -> Result<T, OutOfRange> {
        self.contains(value)
            .then(|| T::try_from(value).ok())
            .flatten()
            .ok_or_else(|| self.refuse(value))
    }

    /// The error for `value`, which is not in the range (or not even an `i64`).
    pub fn refuse(self, value: impl fmt::Display) -> OutOfRange {
        OutOfRange {
            value: value.to_string(),
            range: self,
        }
    }
}

/// `value` as an integer if it is a whole number small enough that `f64` holds every integer
/// up to it exactly (|value| < 9·10¹⁵): such a number is written without a fraction (`16`,
/// not `16.0`).
#[expect(
    clippy::cast_possible_truncation,
    reason = "a whole number under 2^53 in size converts to i64 exactly"
)]
pub fn exact_integer(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_fits_graphql_int() {
        for (name, range) in INT_FIELDS {
            assert!(range.min >= i64::from(i32::MIN), "{name}");
            assert!(range.max <= i64::from(i32::MAX), "{name}");
        }
    }

    #[test]
    fn values_outside_are_refused_with_the_range() {
        assert_eq!(PROJECT_COUNTS.check::<u32>(16), Ok(16));
        let e = PROJECT_COUNTS.check::<u32>(2_147_483_648).unwrap_err();
        assert_eq!(e.to_string(), "2147483648 is out of range: 0 to 2147483647");
        assert!(PROJECT_COUNTS.check::<u32>(-1).is_err());
        assert!(YEARS.check::<u16>(1899).is_err());
        assert_eq!(YEARS.check::<u16>(2021), Ok(2021));
    }
}
