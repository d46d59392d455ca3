//! `Source`: an article or public reference that facts cite.

use crate::graphql::connection::store;
use crate::graphql::error::GqlResult;
use crate::graphql::integers::count;
use crate::graphql::scalars::Date;
use crate::model::{self, NodeKind, NodeRef};
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

    /// When it was published, where known.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
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

    /// How many records and relationships cite it.
    async fn citation_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let (nodes, edges) = store(ctx).citations(&self.0.code).gql()?;
        count("Source.citationCount", nodes.len() + edges.len())
    }
}
