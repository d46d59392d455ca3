//! The filter input of each kind, described once each by [`record_filter!`]: its fields and
//! their operator inputs, its to-one relations (nesting the related kind's filter), its
//! to-many relations (`some`, `every`, `none`), anything else it takes, and whether it
//! carries provenance (`sources`, `sourcedBy`, `disputed`, `verified`).

use super::ops::{
    BooleanFilter, DateFilter, FloatFilter, InitiativeKindFilter, InitiativeStageFilter, IntFilter,
    MeetingFormatFilter, Ops, PartnerKindFilter, PillarFilter, StringFilter,
};
use super::{At, ToFilter, all_of};
use crate::graphql::codes;
use crate::graphql::error::BAD_USER_INPUT;
use crate::model::filter::{Filter, Quantifier, Relation};
use crate::model::{EdgeKind, NodeKind};
use async_graphql::{Enum, InputObject, Result};

/// The edges of `kind` leaving a record.
const fn out(kind: EdgeKind) -> Relation {
    Relation::Edges {
        kind,
        outgoing: true,
    }
}

/// The edges of `kind` arriving at a record.
const fn into(kind: EdgeKind) -> Relation {
    Relation::Edges {
        kind,
        outgoing: false,
    }
}

/// The records at the `to` end of a record's edges of `kind`.
const fn to(kind: EdgeKind) -> Relation {
    Relation::Ends {
        kind,
        outgoing: true,
    }
}

/// The records at the `from` end of the edges of `kind` arriving at a record.
const fn from(kind: EdgeKind) -> Relation {
    Relation::Ends {
        kind,
        outgoing: false,
    }
}

/// Declares the input type of a kind's filter and its mapping onto the tree.
macro_rules! record_filter {
    (
        $(#[$doc:meta])*
        $name:ident {
            fields { $($field:ident $api:literal: $ops:ty,)* }
            one { $($(#[$odoc:meta])* $one:ident $oapi:literal: $oty:ty = $orel:expr,)* }
            many { $($(#[$mdoc:meta])* $many:ident $mapi:literal: $mty:ty = $mrel:expr,)* }
            also { $($(#[$adoc:meta])* $also:ident $aapi:literal: $aty:ty => $afn:path,)* }
            $(provenance: $prov:ty)?
        }
    ) => {
        $(#[$doc])*
        #[derive(InputObject, Default, Clone)]
        pub struct $name {
            $(
                #[doc = concat!("Conditions on `", $api, "`.")]
                #[graphql(name = $api)]
                pub $field: Option<$ops>,
            )*
            $(
                $(#[$odoc])*
                #[graphql(name = $oapi)]
                pub $one: Option<Box<$oty>>,
            )*
            $(
                $(#[$mdoc])*
                #[graphql(name = $mapi)]
                pub $many: Option<Box<Quantified<$mty>>>,
            )*
            $(
                $(#[$adoc])*
                #[graphql(name = $aapi)]
                pub $also: Option<$aty>,
            )*
            $(
                #[graphql(flatten)]
                pub provenance: $prov,
            )?
            /// Every one of these conditions.
            pub and: Option<Vec<$name>>,
            /// At least one of these conditions (none of an empty list).
            pub or: Option<Vec<$name>>,
            /// Not this condition.
            pub not: Option<Box<$name>>,
        }

        impl ToFilter for $name {
            fn tree(&self, at: At<'_>) -> Result<Filter> {
                let mut parts = Vec::new();
                $(
                    if let Some(ops) = &self.$field {
                        parts.extend(ops.cmps().into_iter().map(|c| Filter::Field($api, c)));
                    }
                )*
                $(
                    if let Some(f) = &self.$one {
                        let path = at.below($oapi);
                        let inner = f.tree(At::new(&path, at.store()))?;
                        parts.push(Filter::One($orel, Box::new(inner)));
                    }
                )*
                $(
                    if let Some(q) = &self.$many {
                        let path = at.below($mapi);
                        let rel = $mrel;
                        parts.push(q.tree_with(At::new(&path, at.store()), |q, f| {
                            Filter::Many(rel, q, Box::new(f))
                        })?);
                    }
                )*
                $(
                    if let Some(v) = &self.$also {
                        let path = at.below($aapi);
                        parts.push($afn(v.as_ref(), At::new(&path, at.store()))?);
                    }
                )*
                $(
                    let provenance: &$prov = &self.provenance;
                    match provenance.tree(at)? {
                        Filter::All => {}
                        tree => parts.push(tree),
                    }
                )?
                combine(self.and.as_deref(), self.or.as_deref(), self.not.as_deref(), at, parts)
            }
        }
    };
}

/// Adds the `and`, `or` and `not` of a filter to its other `parts`.
fn combine<F: ToFilter>(
    and: Option<&[F]>,
    or: Option<&[F]>,
    not: Option<&F>,
    at: At<'_>,
    mut parts: Vec<Filter>,
) -> Result<Filter> {
    let list = |name: &str, fs: &[F]| -> Result<Vec<Filter>> {
        fs.iter()
            .enumerate()
            .map(|(i, f)| {
                let path = format!("{}.{name}[{i}]", at.path());
                f.tree(At::new(&path, at.store()))
            })
            .collect()
    };
    if let Some(fs) = and {
        parts.extend(list("and", fs)?);
    }
    if let Some(fs) = or {
        parts.push(Filter::Or(list("or", fs)?));
    }
    if let Some(f) = not {
        let path = at.below("not");
        parts.push(Filter::Not(Box::new(f.tree(At::new(&path, at.store()))?)));
    }
    Ok(all_of(parts))
}

/// How many of a to-many relation's items must pass.
#[derive(InputObject, Default, Clone)]
#[graphql(concrete(name = "FundingsFilter", params(FundingFilter)))]
#[graphql(concrete(name = "MeetingsFilter", params(MeetingFilter)))]
#[graphql(concrete(name = "InitiativesFilter", params(InitiativeFilter)))]
#[graphql(concrete(name = "BodiesFilter", params(BodyFilter)))]
#[graphql(concrete(name = "SourcesFilter", params(SourceFilter)))]
#[graphql(concrete(name = "PeopleFilter", params(PersonFilter)))]
pub struct Quantified<F: async_graphql::InputType + ToFilter> {
    /// At least one of them passes.
    pub some: Option<Box<F>>,
    /// All of them pass (true when there are none).
    pub every: Option<Box<F>>,
    /// Not one of them passes.
    pub none: Option<Box<F>>,
}

impl<F: async_graphql::InputType + ToFilter> Quantified<F> {
    fn tree_with(&self, at: At<'_>, make: impl Fn(Quantifier, Filter) -> Filter) -> Result<Filter> {
        let mut parts = Vec::new();
        for (name, q, f) in [
            ("some", Quantifier::Some, &self.some),
            ("every", Quantifier::Every, &self.every),
            ("none", Quantifier::None, &self.none),
        ] {
            if let Some(f) = f {
                let path = at.below(name);
                parts.push(make(q, f.tree(At::new(&path, at.store()))?));
            }
        }
        Ok(all_of(parts))
    }
}

/// Where a fact comes from: conditions every record and relationship takes.
#[derive(InputObject, Default, Clone)]
pub struct Provenance {
    /// Conditions on its sources.
    pub sources: Option<Box<Quantified<SourceFilter>>>,
    /// Cited by at least one of these sources (their codes, e.g. ["S2", "P37"]).
    pub sourced_by: Option<Vec<String>>,
    /// Where sources disagree about it (it has claims: true) or not (false).
    pub disputed: Option<bool>,
    /// Resting on some source other than general knowledge (true), or on general
    /// knowledge alone, unverified (false).
    pub verified: Option<bool>,
}

impl ToFilter for Provenance {
    fn tree(&self, at: At<'_>) -> Result<Filter> {
        let mut parts = Vec::new();
        if let Some(q) = &self.sources {
            let path = at.below("sources");
            parts.push(q.tree_with(At::new(&path, at.store()), |q, f| {
                Filter::Sources(q, Box::new(f))
            })?);
        }
        if let Some(codes) = &self.sourced_by {
            let mut known = Vec::with_capacity(codes.len());
            for (i, code) in codes.iter().enumerate() {
                let path = format!("{}[{i}]", at.below("sourcedBy"));
                known.push(existing(at, &path, NodeKind::Source, code)?);
            }
            parts.push(Filter::SourcedBy(known));
        }
        parts.extend(self.disputed.map(Filter::Disputed));
        parts.extend(self.verified.map(Filter::Verified));
        Ok(all_of(parts))
    }
}

/// The canonical code of the record of `kind` that `code` names, or an error at `path`.
fn existing(at: At<'_>, path: &str, kind: NodeKind, code: &str) -> Result<String> {
    codes::existing(at.store(), path, kind, code, BAD_USER_INPUT).map(|r| r.code)
}

/// `under: "CODE"`: an initiative anywhere below that one.
fn under(code: &str, at: At<'_>) -> Result<Filter> {
    Ok(Filter::Under(existing(
        at,
        at.path(),
        NodeKind::Initiative,
        code,
    )?))
}

/// A person's `represents` as the API shows it: the member state at the end of the
/// Represents link, never a body there.
fn represents_member(f: &MemberFilter, at: At<'_>) -> Result<Filter> {
    let inner = f.tree(at)?;
    Ok(Filter::One(
        to(EdgeKind::Represents),
        Box::new(all_of(vec![Filter::Kind(vec![NodeKind::Member]), inner])),
    ))
}

/// The types of record a polymorphic end can be.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum RecordType {
    /// A member state.
    Member,
    /// A partner.
    Partner,
    /// A body.
    Body,
    /// A meeting.
    Meeting,
    /// An initiative.
    Initiative,
}

impl From<RecordType> for NodeKind {
    fn from(t: RecordType) -> NodeKind {
        match t {
            RecordType::Member => NodeKind::Member,
            RecordType::Partner => NodeKind::Partner,
            RecordType::Body => NodeKind::Body,
            RecordType::Meeting => NodeKind::Meeting,
            RecordType::Initiative => NodeKind::Initiative,
        }
    }
}

/// Declares the filter of a polymorphic end: its `type`, and one branch per member type.
macro_rules! union_filter {
    ($(#[$doc:meta])* $name:ident { $($branch:ident: $bty:ty = $kind:ident,)* }) => {
        $(#[$doc])*
        #[derive(InputObject, Default, Clone)]
        pub struct $name {
            /// Of this type.
            #[graphql(name = "type")]
            pub of_type: Option<RecordType>,
            $(
                #[doc = concat!("A ", stringify!($kind), " passing these conditions.")]
                pub $branch: Option<Box<$bty>>,
            )*
        }

        impl ToFilter for $name {
            fn tree(&self, at: At<'_>) -> Result<Filter> {
                let mut parts = Vec::new();
                if let Some(t) = self.of_type {
                    parts.push(Filter::Kind(vec![t.into()]));
                }
                let mut branches = Vec::new();
                $(
                    if let Some(f) = &self.$branch {
                        let path = at.below(stringify!($branch));
                        branches.push(Filter::And(vec![
                            Filter::Kind(vec![NodeKind::$kind]),
                            f.tree(At::new(&path, at.store()))?,
                        ]));
                    }
                )*
                if !branches.is_empty() {
                    parts.push(Filter::Or(branches));
                }
                Ok(all_of(parts))
            }
        }
    };
}

union_filter! {
    /// Conditions on who funds: a member state or a partner.
    FunderFilter { member: MemberFilter = Member, partner: PartnerFilter = Partner, }
}

union_filter! {
    /// Conditions on what is funded: an initiative or a meeting.
    FundableFilter { initiative: InitiativeFilter = Initiative, meeting: MeetingFilter = Meeting, }
}

record_filter! {
    /// Conditions on member states.
    MemberFilter {
        fields {
            code "code": StringFilter,
            name "name": StringFilter,
            name_vi "nameVi": StringFilter,
            joined_on "joinedOn": DateFilter,
            clmv "clmv": BooleanFilter,
            description "description": StringFilter,
        }
        one {}
        many {
            /// Conditions on the fundings it gives.
            fundings "fundings": FundingFilter = out(EdgeKind::Funds),
            /// Conditions on the meetings it took part in.
            meetings "meetings": MeetingFilter = from(EdgeKind::Participant),
        }
        also {}
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on partners.
    PartnerFilter {
        fields {
            code "code": StringFilter,
            name "name": StringFilter,
            name_vi "nameVi": StringFilter,
            kind "kind": PartnerKindFilter,
            since "since": DateFilter,
            relations_since "relationsSince": DateFilter,
            description "description": StringFilter,
        }
        one {}
        many {
            /// Conditions on the meetings at which its statuses were decided or conferred
            /// (`statuses { decidedAt }`).
            decided_at "decidedAt": MeetingFilter = Relation::DecidedAt,
            /// Conditions on the fundings it gives.
            fundings "fundings": FundingFilter = out(EdgeKind::Funds),
            /// Conditions on the meetings it took part in.
            meetings "meetings": MeetingFilter = from(EdgeKind::Participant),
        }
        also {}
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on bodies.
    BodyFilter {
        fields {
            code "code": StringFilter,
            name "name": StringFilter,
            name_vi "nameVi": StringFilter,
            pillar "pillar": PillarFilter,
            description "description": StringFilter,
        }
        one {
            /// Conditions on the body it reports to.
            parent "parent": BodyFilter = to(EdgeKind::ReportsTo),
        }
        many {
            /// Conditions on the bodies reporting to it.
            children "children": BodyFilter = from(EdgeKind::ReportsTo),
            /// Conditions on the meetings it held.
            meetings "meetings": MeetingFilter = from(EdgeKind::HeldBy),
            /// Conditions on the initiatives it leads.
            initiatives "initiatives": InitiativeFilter = from(EdgeKind::LedBy),
        }
        also {}
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on meetings.
    MeetingFilter {
        fields {
            code "code": StringFilter,
            title "title": StringFilter,
            title_vi "titleVi": StringFilter,
            number "number": IntFilter,
            start_date "startDate": DateFilter,
            end_date "endDate": DateFilter,
            year "year": IntFilter,
            format "format": MeetingFormatFilter,
            location "location": StringFilter,
            description "description": StringFilter,
        }
        one {
            /// Conditions on the body that held it.
            body "body": BodyFilter = to(EdgeKind::HeldBy),
            /// Conditions on the member state that chaired it.
            chair "chair": MemberFilter = to(EdgeKind::ChairedBy),
        }
        many {
            /// Conditions on the initiatives it dealt with.
            initiatives "initiatives": InitiativeFilter = to(EdgeKind::Discussed),
            /// Conditions on the initiatives it approved or adopted.
            approved "approved": InitiativeFilter = to(EdgeKind::Approved),
            /// Conditions on the initiatives it recommended for adoption.
            recommended "recommended": InitiativeFilter = to(EdgeKind::Recommended),
            /// Conditions on the fundings given to it.
            fundings "fundings": FundingFilter = into(EdgeKind::Funds),
            /// Conditions on the meetings it reports to.
            reports_to "reportsTo": MeetingFilter = to(EdgeKind::ReportsToMeeting),
            /// Conditions on the meetings that report to it.
            reported_to_by "reportedToBy": MeetingFilter = from(EdgeKind::ReportsToMeeting),
            /// Conditions on the meetings it prepares.
            prepares "prepares": MeetingFilter = to(EdgeKind::Prepares),
            /// Conditions on the meetings that prepare it.
            prepared_by "preparedBy": MeetingFilter = from(EdgeKind::Prepares),
            /// Conditions on the meetings at which its results were reported.
            reported_at "reportedAt": MeetingFilter = to(EdgeKind::ReportedAt),
            /// Conditions on the meetings whose results were reported at it.
            heard_results_of "heardResultsOf": MeetingFilter = from(EdgeKind::ReportedAt),
            /// Conditions on the people who spoke at it.
            speakers "speakers": PersonFilter = from(EdgeKind::SpokeAt),
            /// Conditions on the person in the chair.
            presided_by "presidedBy": PersonFilter = from(EdgeKind::Presided),
        }
        also {}
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on initiatives.
    InitiativeFilter {
        fields {
            code "code": StringFilter,
            name "name": StringFilter,
            name_vi "nameVi": StringFilter,
            kind "kind": InitiativeKindFilter,
            stage "stage": InitiativeStageFilter,
            start_year "startYear": IntFilter,
            end_year "endYear": IntFilter,
            end_date "endDate": DateFilter,
            description "description": StringFilter,
        }
        one {
            /// Conditions on the initiative it is part of.
            parent "parent": InitiativeFilter = to(EdgeKind::PartOf),
        }
        many {
            /// Conditions on the initiatives directly part of it.
            children "children": InitiativeFilter = from(EdgeKind::PartOf),
            /// Conditions on the bodies leading it.
            lead_bodies "leadBodies": BodyFilter = to(EdgeKind::LedBy),
            /// Conditions on the fundings given to it.
            fundings "fundings": FundingFilter = into(EdgeKind::Funds),
            /// Conditions on the meetings that dealt with it.
            meetings "meetings": MeetingFilter = from(EdgeKind::Discussed),
            /// Conditions on the meetings that recommended it for adoption.
            recommended_at "recommendedAt": MeetingFilter = from(EdgeKind::Recommended),
        }
        also {
            /// Anywhere below the initiative with this code (not that one itself), as
            /// `initiatives(under:)` means it.
            under "under": String => under,
        }
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on fundings.
    FundingFilter {
        fields {
            amount_usd "amountUsd": FloatFilter,
            project_count "projectCount": IntFilter,
        }
        one {
            /// Conditions on who gives it.
            funder "funder": FunderFilter = Relation::From,
            /// Conditions on what it funds.
            target "target": FundableFilter = Relation::To,
            /// Conditions on the meeting that approved it.
            approved_at "approvedAt": MeetingFilter = Relation::ApprovedAt,
        }
        many {}
        also {}
        provenance: Provenance
    }
}

record_filter! {
    /// Conditions on sources.
    SourceFilter {
        fields {
            code "code": StringFilter,
            title "title": StringFilter,
            publisher "publisher": StringFilter,
            author "author": StringFilter,
            published_on "publishedOn": DateFilter,
            as_of "asOf": DateFilter,
            language "language": StringFilter,
            url "url": StringFilter,
        }
        one {}
        many {}
        also {}
    }
}

record_filter! {
    /// Conditions on people.
    PersonFilter {
        fields {
            code "code": StringFilter,
            name "name": StringFilter,
            name_vi "nameVi": StringFilter,
            title "title": StringFilter,
            description "description": StringFilter,
        }
        one {}
        many {
            /// Conditions on the meetings at which the person spoke.
            spoke_at "spokeAt": MeetingFilter = to(EdgeKind::SpokeAt),
            /// Conditions on the meetings the person chaired.
            presided "presided": MeetingFilter = to(EdgeKind::Presided),
        }
        also {
            /// Conditions on the member state the person represents (not a body: a
            /// Secretary-General represents the ASEAN Secretariat).
            represents "represents": Box<MemberFilter> => represents_member,
        }
        provenance: Provenance
    }
}
