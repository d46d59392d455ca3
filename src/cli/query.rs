//! `query`: run a GraphQL document against the local store, or a running server with
//! `--endpoint`, and print the data as JSON, CSV or an aligned table.

use super::table::flatten;
use crate::dataset::{self, Mode};
use crate::graphql;
use crate::store::{Store, StoreError};
use anyhow::{Context, bail};
use serde_json::{Map, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// The `data` object, pretty-printed.
    Json,
    /// One row per leaf list element, columns named by path (see docs/reports.md).
    Csv,
    /// The CSV rows as aligned text, for a terminal.
    Table,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The GraphQL document (`-` reads standard input).
    pub file: PathBuf,
    /// Variables, as a JSON object.
    #[arg(long)]
    pub vars: Option<String>,
    /// One variable, `name=value`; the value is read as JSON when it parses, else as text.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Run against this server (e.g. http://127.0.0.1:8000/graphql) instead of the store.
    #[arg(long, env = "ASEAN_GRAPH_ENDPOINT")]
    pub endpoint: Option<String>,
    /// Bearer token to send to the server.
    #[arg(long, env = "ASEAN_GRAPH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

fn variables(args: &QueryArgs) -> anyhow::Result<Map<String, Value>> {
    let mut vars = match &args.vars {
        None => Map::new(),
        Some(text) => match serde_json::from_str(text).context("--vars is not JSON")? {
            Value::Object(map) => map,
            _ => bail!("--vars must be a JSON object"),
        },
    };
    for pair in &args.var {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("--var {pair:?}: expected name=value");
        };
        let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into()));
        vars.insert(name.to_owned(), value);
    }
    Ok(vars)
}

fn local(data: &Path, document: String, vars: Map<String, Value>) -> anyhow::Result<Value> {
    let store = match Store::open_existing(data) {
        Ok(store) => store,
        Err(StoreError::Locked { dir }) => bail!(
            "the store at {} is held by a running server: query it through the server with \
             --endpoint http://<its address>/graphql",
            dir.display()
        ),
        Err(e) => return Err(e.into()),
    };
    if store.is_empty()? {
        dataset::import(&store, dataset::BUNDLED.as_bytes(), Mode::Refuse)
            .context("loading the bundled dataset into the empty store")?;
    }
    let schema = graphql::build_schema(Arc::new(store), &graphql::Options::default());
    let request = async_graphql::Request::new(document)
        .variables(async_graphql::Variables::from_json(Value::Object(vars)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let response = runtime.block_on(graphql::execute(&schema, request));
    Ok(serde_json::to_value(&response)?)
}

fn remote(
    endpoint: &str,
    token: Option<&str>,
    document: String,
    vars: Map<String, Value>,
) -> anyhow::Result<Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut request = reqwest::Client::new()
            .post(endpoint)
            .header("accept", "application/json")
            .json(&serde_json::json!({ "query": document, "variables": vars }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("cannot reach {endpoint}"))?;
        let status = response.status();
        let body = response.text().await?;
        serde_json::from_str(&body).with_context(|| {
            format!("{endpoint} answered {status} with something that is not JSON: {body:.200}")
        })
    })
}

pub fn run(data: &Path, args: &QueryArgs) -> anyhow::Result<ExitCode> {
    let document = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let vars = variables(args)?;
    let response = match &args.endpoint {
        Some(endpoint) => remote(endpoint, args.token.as_deref(), document, vars)?,
        None => local(data, document, vars)?,
    };
    if let Some(errors) = response.get("errors").and_then(Value::as_array)
        && !errors.is_empty()
    {
        for e in errors {
            let code = e["extensions"]["code"].as_str().unwrap_or("ERROR");
            let path = e
                .get("path")
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            eprintln!("{code}: {}{path}", e["message"].as_str().unwrap_or(""));
        }
        return Ok(ExitCode::FAILURE);
    }
    let data = response.get("data").cloned().unwrap_or(Value::Null);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&data)? + "\n",
        Format::Csv => flatten(&data).to_csv()?,
        Format::Table => flatten(&data).to_text(),
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    Ok(ExitCode::SUCCESS)
}
