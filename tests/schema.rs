//! `schema.graphql` is what the code serves, and everything in it is described.

use asean_graph::graphql;
use asean_graph::store::Store;
use serde_json::Value;
use std::sync::Arc;

/// Fails unless the committed file `relative` holds `generated` (which `command` prints);
/// with `UPDATE_SCHEMA` set, writes it instead.
fn assert_committed(relative: &str, generated: &str, command: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} differs from the code: run `cargo run -- {command} > {relative}` \
         (or `UPDATE_SCHEMA=1 cargo test schema`) and commit it"
    );
}

#[test]
fn schema_graphql_matches_the_code() {
    assert_committed("schema.graphql", &graphql::sdl(), "schema");
}

/// `clients/cache.mjs` is the cache configuration of the schema served: a new list, argument
/// or id-less type reaches client caches with the schema.
#[test]
fn client_cache_configuration_matches_the_schema() {
    let module = graphql::client_cache::served();
    assert_committed("clients/cache.mjs", &module, "schema --client-cache");
    for fragment in [
        "\"Funding\"",
        "\"PageInfo\"",
        "\"history\": [\n      \"id\"\n    ]",
    ] {
        assert!(
            module.contains(fragment),
            "{fragment} missing from:\n{module}"
        );
    }
    let values = module
        .split_once("export const valueTypes = [")
        .and_then(|(_, rest)| rest.split_once("];"))
        .unwrap()
        .0;
    for keyed in ["\"Partner\"", "\"Change\"", "\"Source\""] {
        assert!(!values.contains(keyed), "{keyed} has an id: {values}");
    }
}

#[tokio::test]
async fn every_type_field_and_argument_has_a_description() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let schema = graphql::build_schema(store, &graphql::Options::default());
    let query = r#"{ __schema { types { name kind description
        fields(includeDeprecated: true) { name description args { name description } }
        inputFields { name description }
        enumValues(includeDeprecated: true) { name description } } } }"#;
    let response = schema.execute(query).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    let mut missing = Vec::new();
    let described = |v: &Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for t in data["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || builtin.contains(&name) {
            continue;
        }
        if !described(t) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            let field = format!("{name}.{}", f["name"].as_str().unwrap());
            if !described(f) {
                missing.push(field.clone());
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if !described(a) {
                    missing.push(format!("{field}({})", a["name"].as_str().unwrap()));
                }
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if !described(v) {
                missing.push(format!("{name}.{}", v["name"].as_str().unwrap()));
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}
