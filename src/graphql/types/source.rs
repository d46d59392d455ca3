//! `Source`: an article or public reference that facts cite.

use super::{Cited, Support};
use crate::graphql::connection::{Backing, Conn, Window, connection, store};
use crate::graphql::error::GqlResult;
use crate::graphql::filter::Of;
use crate::graphql::integers::count;
use crate::graphql::scalars::Date;
use crate::model::{self, NodeKind, NodeRef};
use crate::store::Item;
use async_graphql::{Context, ID, Object, Result};

/// A source of facts: one of the seed articles, or a public reference with its URL. The
/// source `GK` stands for general knowledge: facts citing only it are unverified.
pub struct Source(pub model::Source);

/// A source of facts: one of the seed articles, or a public reference with its URL. The
/// source `GK` stands for general knowledge: facts citing only it are unverified.
#[Object]
impl Source {
    /// Global id, `"Source:<code>"`.
    pub(crate) async fn id(&self) -> ID {
        ID(NodeRef::new(NodeKind::Source, self.0.code.as_str()).id())
    }

    /// Short code, e.g. `S2` (a seed article) or `P37` (a public reference).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The title, as published.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Who published it.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }

    /// Who wrote it, where the source names an author.
    async fn author(&self) -> Option<&str> {
        self.0.author.as_deref()
    }

    /// When it was published, where known.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    /// The time of day it was published, as the publisher shows it (its local time,
    /// `"08:12"`), where it shows one.
    async fn published_time(&self) -> Option<&str> {
        self.0.published_time.as_deref()
    }

    /// Where the publication date is unknown: the day it speaks as of, the last day of the
    /// latest event it reports as past (S3 reports the JCM of 22 September 2021).
    async fn as_of(&self) -> Option<Date> {
        self.0.as_of.map(Date)
    }

    /// Its language, as a BCP 47 tag (`vi`, `en`).
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    /// For a seed article, its file name in the project's seeds.
    async fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }

    /// For a public reference, where to read it.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// A remark on the source (e.g. why its date is unknown), in our words.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// What it supports: each record and relationship citing it, with the parts that cite
    /// it, in the citation index's order (records before relationships). The reverse
    /// question: "what does the Vietnam+ article tell us?".
    #[graphql(complexity = "crate::graphql::connection::cost(first, last, child_complexity)")]
    async fn supports(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Return the first n items (0 to 100; 20 when neither first nor last is given)."
        )]
        first: Option<i64>,
        #[graphql(desc = "Return items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (0 to 100).")] last: Option<i64>,
        #[graphql(desc = "Return items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Support>> {
        let window = Window::new(first, after, last, before)?;
        let backing = Backing::Listing(store(ctx).list_citations(&self.0.code));
        let source = self.0.code.clone();
        connection(backing, Of::Relationships, &window, |item| {
            let cited_by = match item {
                Item::Node(r) => Cited::Record(r),
                Item::Edge(e) => Cited::Relationship(Box::new(e)),
                Item::Change(_) => return Ok(None),
            };
            Ok(Some(Support {
                source: source.clone(),
                cited_by,
            }))
        })
    }

    /// How many records and relationships cite it.
    async fn citation_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let (nodes, edges) = store(ctx)
            .citations(&self.0.code, &crate::graphql::filter::reads(ctx))
            .gql()?;
        count("Source.citationCount", nodes.len() + edges.len())
    }
}
