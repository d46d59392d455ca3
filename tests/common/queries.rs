//! Queries several feature tests ask of a [`TestServer`]: a whole list, a refusal's code
//! and message, and GraphiQL's introspection query.

use super::TestServer;
use serde_json::{Value, json};

/// Every node of `list` with `fields`, unfiltered.
pub(crate) async fn all(s: &TestServer, list: &str, fields: &str) -> Vec<Value> {
    let data = s
        .data(&format!(
            "{{ {list}(first: 100) {{ totalCount nodes {{ {fields} }} }} }}"
        ))
        .await;
    let nodes = data[list]["nodes"].as_array().unwrap().clone();
    assert_eq!(data[list]["totalCount"], nodes.len());
    nodes
}

/// The code and message of a request that must fail.
pub(crate) async fn refused(s: &TestServer, query: &str) -> (String, String) {
    let (status, body) = s.post(query, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let e = &body["errors"][0];
    (
        e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
        e["message"].as_str().unwrap_or("").to_owned(),
    )
}

/// GraphiQL's introspection query: graphql-js `getIntrospectionQuery()` with its defaults
/// (descriptions on; `TypeRef` seven `ofType` levels deep).
pub const INTROSPECTION_QUERY: &str = r#"
    query IntrospectionQuery {
      __schema {
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
"#;
