//! What each kind's aggregates offer, declared once per kind: the field its distinct counts
//! read (its ordering's fields), its number fields (summed, averaged, least and greatest) and
//! its date fields (least and greatest), and whether it groups. Sums and means are offered
//! only where they mean something (amounts, project counts), not over years or numbers.

use super::grouping::{FundingGrouping, InitiativeGrouping, MeetingGrouping, PartnerGrouping};
use super::{Aggregated, List, Nothing, Part};
use crate::graphql::history::Change;
use crate::graphql::order::{
    BodyOrder, BodyOrderField, FundingOrder, FundingOrderField, InitiativeOrder,
    InitiativeOrderField, MeetingOrder, MeetingOrderField, MemberOrder, MemberOrderField,
    OrderDirection, OrderKey, PartnerOrder, PartnerOrderField, PersonOrder, PersonOrderField,
    SourceOrder, SourceOrderField,
};
use crate::graphql::scalars::Date;
use crate::graphql::types::{
    Body, Funding, Initiative, Meeting, Member, Partner, Person, Relationship, Source, Support,
};
use crate::model::aggregate::Function;
use async_graphql::{Object, Result};
use std::sync::Arc;

/// Declares a kind's stats object (flattened into its `<Kind>Aggregate`), with its sums and
/// averages over its number fields and its least and greatest values of its number and date
/// fields, and makes the kind [`Aggregated`].
macro_rules! stats {
    (
        $node:ty => $stats:ident, $what:literal, grouping $grouping:ty {
            distinct $order:ident, $ofield:ident;
            $(sums $sums:ident, $avgs:ident { $($n:ident $napi:literal,)* })?
            $(extremes $ext:ident { $($e:ident $eapi:literal: $ety:ty,)* })?
        }
    ) => {
        #[doc = concat!("What the aggregates of ", $what, " offer beyond `count`.")]
        pub struct $stats(Arc<Part>);

        #[doc = concat!("What the aggregates of ", $what, " offer beyond `count`.")]
        #[Object]
        impl $stats {
            /// How many distinct values the items have for `field` (the values an ordering
            /// by it sorts on; text ignoring case and diacritics; nulls not counted).
            async fn distinct_count(
                &self,
                #[graphql(desc = "The field whose distinct values are counted.")]
                field: $ofield,
            ) -> Result<i32> {
                let key = $order { field, direction: OrderDirection::Asc }.sort_key();
                self.0.distinct(key)
            }

            $(
                /// The sums of the number fields (null where no item has a value).
                async fn sum(&self) -> $sums {
                    $sums(Arc::clone(&self.0))
                }

                /// The means of the number fields, over the items that have a value.
                async fn avg(&self) -> $avgs {
                    $avgs(Arc::clone(&self.0))
                }
            )?

            $(
                /// The least values of the number and date fields.
                async fn min(&self) -> $ext {
                    $ext(Arc::clone(&self.0), Function::Min)
                }

                /// The greatest values of the number and date fields.
                async fn max(&self) -> $ext {
                    $ext(Arc::clone(&self.0), Function::Max)
                }
            )?
        }

        $(
            #[doc = concat!("Sums of the number fields of ", $what, ".")]
            pub struct $sums(Arc<Part>);

            #[doc = concat!("Sums of the number fields of ", $what, ".")]
            #[Object]
            impl $sums {
                $(
                    #[doc = concat!("The sum of `", $napi, "` (a Float: sums may outgrow Int).")]
                    #[graphql(name = $napi)]
                    async fn $n(&self) -> Result<Option<f64>> {
                        self.0.value(Function::Sum, $napi, concat!("sum.", $napi))
                    }
                )*
            }

            #[doc = concat!("Means of the number fields of ", $what, ".")]
            pub struct $avgs(Arc<Part>);

            #[doc = concat!("Means of the number fields of ", $what, ".")]
            #[Object]
            impl $avgs {
                $(
                    #[doc = concat!("The mean of `", $napi, "`.")]
                    #[graphql(name = $napi)]
                    async fn $n(&self) -> Result<Option<f64>> {
                        self.0.value(Function::Avg, $napi, concat!("avg.", $napi))
                    }
                )*
            }
        )?

        $(
            #[doc = concat!("Least or greatest values of the fields of ", $what, ".")]
            pub struct $ext(Arc<Part>, Function);

            #[doc = concat!("Least or greatest values of the fields of ", $what, ".")]
            #[Object]
            impl $ext {
                $(
                    #[doc = concat!("The least or greatest `", $eapi, "`.")]
                    #[graphql(name = $eapi)]
                    async fn $e(&self) -> Result<Option<$ety>> {
                        self.0.value(self.1, $eapi, $eapi)
                    }
                )*
            }
        )?

        impl Aggregated for $node {
            const FIELDS: &'static [&'static str] = &[$($($eapi,)*)?];
            type Stats = $stats;
            fn stats(part: Arc<Part>) -> $stats {
                $stats(part)
            }
            type Grouping = $grouping;
            fn grouping(list: List) -> $grouping {
                <$grouping>::from(list)
            }
        }
    };
}

stats! {
    Member => MemberStats, "member states", grouping Nothing {
        distinct MemberOrder, MemberOrderField;
        extremes MemberExtremes { joined_on "joinedOn": Date, }
    }
}

stats! {
    Partner => PartnerStats, "partners", grouping PartnerGrouping {
        distinct PartnerOrder, PartnerOrderField;
        extremes PartnerExtremes { since "since": Date, }
    }
}

stats! {
    Body => BodyStats, "bodies", grouping Nothing {
        distinct BodyOrder, BodyOrderField;
    }
}

stats! {
    Meeting => MeetingStats, "meetings", grouping MeetingGrouping {
        distinct MeetingOrder, MeetingOrderField;
        extremes MeetingExtremes {
            number "number": i32,
            start_date "startDate": Date,
            end_date "endDate": Date,
        }
    }
}

stats! {
    Initiative => InitiativeStats, "initiatives", grouping InitiativeGrouping {
        distinct InitiativeOrder, InitiativeOrderField;
        extremes InitiativeExtremes { start_year "startYear": i32, end_year "endYear": i32, }
    }
}

stats! {
    Funding => FundingStats, "fundings", grouping FundingGrouping {
        distinct FundingOrder, FundingOrderField;
        sums FundingSums, FundingAverages {
            amount_usd "amountUsd",
            project_count "projectCount",
        }
        extremes FundingExtremes {
            amount_usd "amountUsd": f64,
            project_count "projectCount": i32,
        }
    }
}

stats! {
    Person => PersonStats, "people", grouping Nothing {
        distinct PersonOrder, PersonOrderField;
    }
}

stats! {
    Source => SourceStats, "sources", grouping Nothing {
        distinct SourceOrder, SourceOrderField;
        extremes SourceExtremes { published_on "publishedOn": Date, }
    }
}

/// Lists whose aggregate is only their `count`.
macro_rules! counted_only {
    ($($node:ty),*) => {$(
        impl Aggregated for $node {
            const FIELDS: &'static [&'static str] = &[];
            type Stats = Nothing;
            fn stats(_: Arc<Part>) -> Nothing {
                Nothing
            }
            type Grouping = Nothing;
            fn grouping(_: List) -> Nothing {
                Nothing
            }
        }
    )*};
}

counted_only!(Change, Relationship, Support);

impl From<List> for Nothing {
    fn from(_: List) -> Nothing {
        Nothing
    }
}
