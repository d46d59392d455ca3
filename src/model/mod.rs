//! Plain domain types and their validation: pure functions, no I/O.

pub mod aggregate;
mod date;
mod edge;
pub mod filter;
mod id;
pub mod order;
pub mod progress;
mod ranges;
mod records;
mod rules;
pub mod search;
mod source_url;
mod validate;

pub use date::{Date, DateError, DatePrecision};
pub use edge::{Edge, EdgeKind, EdgeProps};
pub use id::{IdError, MAX_CODE_LEN, NodeKind, NodeRef, normalize_code};
pub use ranges::{
    INT_FIELDS, IntRange, MEETING_NUMBERS, OutOfRange, PROJECT_COUNTS, YEARS, exact_integer,
};
pub use records::{
    Body, Claim, Figure, Initiative, InitiativeKind, InitiativeStage, Meeting, MeetingFormat,
    MeetingStatus, Member, Node, Partner, PartnerKind, PartnerStatus, Person, Pillar, Qualifier,
    Source, SourceCode, StatusStage, api_name,
};
pub use rules::{Breach, Graph, ViolationClass, edge_breaches, node_breaches};
pub use validate::{
    MAX_LONG_TEXT, MAX_TEXT, Violation, find_cycle, join_path, validate_edge, validate_node,
};
