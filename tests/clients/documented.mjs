// Every documented query, through Apollo Client and urql graphcache, each configured by
// clients/cache.mjs as docs/caching.md says: each query is asked from the network, then again
// from that client's cache alone, and the second answer must equal the server's own; neither
// client may print a warning. One client of each runs all the queries in turn, so that what
// one query leaves in the cache meets the next (the same list paged or unpaged, the same
// values selected differently, the same record with and without its id).
//
//   node --conditions=development tests/clients/documented.mjs http://127.0.0.1:PORT
//
// The documented queries are the ```graphql blocks of README.md and docs/*.md, and
// reports/*.graphql, read from the checkout. A query runs with its variables' defaults; one
// that needs a variable it has no default for, or a field only a gateway serves, is named as
// skipped. (Apollo Client warns only in its development build, which that condition selects.)
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { apolloTypePolicies, possibleTypes, schema, urqlKeys, urqlResolvers } from "../../clients/cache.mjs";

const root = new URL("../../", import.meta.url);
const require = createRequire(new URL(".ci/js/package.json", root));
const { ApolloClient, HttpLink, InMemoryCache, gql } = require("@apollo/client");
const { relayStylePagination } = require("@apollo/client/utilities");
const { __DEV__ } = require("@apollo/client/utilities/environment");
require("@apollo/client/dev").loadDevMessages();
const { Client, fetchExchange } = require("@urql/core");
const { cacheExchange } = require("@urql/exchange-graphcache");
const { relayPagination } = require("@urql/exchange-graphcache/extras");

const base = process.argv[2];
if (!base) {
  console.error("usage: node --conditions=development documented.mjs BASE_URL");
  process.exit(2);
}
if (!__DEV__) {
  console.error("Apollo Client's production build prints no warnings: run with --conditions=development");
  process.exit(2);
}
const endpoint = `${base}/graphql`;

// Every warning or error either client prints fails the run.
const printed = [];
for (const level of ["warn", "error"]) {
  console[level] = (...args) => {
    const text = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" | ");
    printed.push(`${level}: ${text.slice(0, 800)}`);
  };
}
process.on("warning", (w) => printed.push(`process warning: ${w.message}`));

/** The documented operations: [where, text]. */
function documented() {
  const out = [];
  const read = (path) => readFileSync(new URL(path, root), "utf8");
  const markdown = ["README.md", ...readdirSync(new URL("docs/", root)).map((f) => `docs/${f}`)];
  for (const path of markdown.filter((p) => p.endsWith(".md")).sort()) {
    // Not the ```graphql-federation blocks (a gateway's questions to the subgraph, in fields
    // introspection hides, as federation's spec has it) nor ```graphql-supergraph ones (to a
    // gateway): a client asks the gateway, whose schema is another.
    const blocks = read(path).matchAll(/^```graphql\n([\s\S]*?)^```$/gm);
    for (const [, text] of blocks) out.push([path, text]);
  }
  for (const file of readdirSync(new URL("reports/", root)).filter((f) => f.endsWith(".graphql")).sort()) {
    out.push([`reports/${file}`, read(`reports/${file}`)]);
  }
  return out;
}

/** Strips __typename, which the clients add and the plain answer lacks; an empty
 * connection's cursors, which Apollo's relayStylePagination reads back as "", are null. */
function plain(value) {
  return JSON.parse(
    JSON.stringify(value, (k, v) => {
      if (k === "__typename") return undefined;
      if ((k === "endCursor" || k === "startCursor") && v === "") return null;
      return v;
    }),
  );
}

async function network(query) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

/** Why the server cannot answer `text` alone, when that is allowed: a variable with no
 * default, or a field the subgraph leaves to a gateway. Otherwise null. */
function skipped(text, errors) {
  const required = /\$\w+\s*:\s*[\w[\]!]+!\s*[,)]/.test(text);
  const unknown = errors.every((e) => /^Unknown field/.test(e.message));
  if (required) return "needs a variable";
  if (unknown) return `a gateway's: ${errors[0].message}`;
  return null;
}

const apollo = new ApolloClient({
  link: new HttpLink({ uri: endpoint }),
  cache: new InMemoryCache({ possibleTypes, typePolicies: apolloTypePolicies(relayStylePagination) }),
});
const urql = new Client({
  url: endpoint,
  exchanges: [cacheExchange({ schema, keys: urqlKeys, resolvers: urqlResolvers(relayPagination) }), fetchExchange],
});

const wrong = [];
const skips = [];
let asked = 0;
for (const [where, text] of documented()) {
  const body = text.replace(/^\s*#.*\n/gm, "");
  if (!/^\s*(query\b|\{)/.test(body)) continue; // mutations and subscriptions write or wait
  const name = body.match(/^\s*query\s+(\w+)/)?.[1] ?? "(anonymous)";
  const answer = await network(text);
  if (answer.errors) {
    const why = skipped(text, answer.errors);
    assert.ok(why, `${where} ${name}: ${JSON.stringify(answer.errors)}`);
    skips.push(`${where} ${name}: ${why}`);
    continue;
  }
  asked++;
  const want = plain(answer.data);
  await apollo.query({ query: gql(text), fetchPolicy: "network-only" });
  const fromApollo = apollo.readQuery({ query: gql(text) });
  try {
    assert.deepEqual(plain(fromApollo), want);
  } catch {
    wrong.push(`Apollo: ${where} ${name}: ${JSON.stringify(plain(fromApollo)).slice(0, 400)}`);
  }
  await urql.query(text, {}, { requestPolicy: "network-only" }).toPromise();
  const fromUrql = await urql.query(text, {}, { requestPolicy: "cache-only" }).toPromise();
  try {
    assert.deepEqual(plain(fromUrql.data), want);
  } catch {
    wrong.push(`urql: ${where} ${name}: ${JSON.stringify(plain(fromUrql.data)).slice(0, 400)}`);
  }
}
console.log(`${asked} documented queries through each client, ${wrong.length} answers from a cache differ, ${printed.length} warnings`);
for (const s of skips) console.log("skipped", s);
for (const w of wrong) console.log("WRONG", w);
for (const p of printed) console.log("PRINTED", p);
assert.ok(asked > 0, "no documented query ran");
process.exit(wrong.length || printed.length ? 1 : 0);
