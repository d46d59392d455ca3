// Normalized client caches against the real server: Apollo Client's InMemoryCache and urql's
// graphcache, each configured by clients/cache.mjs as docs/caching.md says. After several
// updates of one record its history read from each cache equals the network's answer; pages
// fetched one by one merge into the whole list (with `nodes` and with `edges`, at the root and
// nested); and neither client prints a warning.
//
//   node --conditions=development tests/clients/caches.mjs http://127.0.0.1:PORT EDITOR_SECRET
//
// (Apollo Client warns only in its development build, which that condition selects.)
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { apolloTypePolicies, possibleTypes, schema, urqlKeys, urqlResolvers } from "../../clients/cache.mjs";

// The clients are installed in .ci/js/node_modules (`cd .ci/js && npm ci`).
const require = createRequire(new URL("../../.ci/js/package.json", import.meta.url));
const { ApolloClient, HttpLink, InMemoryCache, gql } = require("@apollo/client");
const { relayStylePagination } = require("@apollo/client/utilities");
const { __DEV__ } = require("@apollo/client/utilities/environment");
require("@apollo/client/dev").loadDevMessages();
const { Client, fetchExchange } = require("@urql/core");
const { cacheExchange } = require("@urql/exchange-graphcache");
const { relayPagination } = require("@urql/exchange-graphcache/extras");

const [base, secret] = process.argv.slice(2);
if (!base || !secret) {
  console.error("usage: node --conditions=development caches.mjs BASE_URL EDITOR_SECRET");
  process.exit(2);
}
if (!__DEV__) {
  console.error("Apollo Client's production build prints no warnings: run with --conditions=development");
  process.exit(2);
}
const endpoint = `${base}/graphql`;
const headers = { authorization: `Bearer ${secret}` };

// Every warning or error either client prints fails the run.
const printed = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    printed.push(`${level}: ${args.map(String).join(" ")}`);
    original(...args);
  };
}
process.on("warning", (w) => printed.push(`process warning: ${w.message}`));

/** The answer of the server itself, no cache in between. */
async function network(query, variables = {}) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const RENAME = `mutation RenamePartner($code: String!, $name: String!) {
  updatePartner(code: $code, input: { name: $name }) { id name }
}`;
const HISTORY = `query PartnerHistory($id: ID!, $first: Int, $after: String) {
  history(id: $id, first: $first, after: $after) {
    totalCount
    nodes { id seq op recordId by after }
    pageInfo { endCursor hasNextPage }
  }
}`;
const PARTNERS = `query PartnerPages($first: Int, $after: String) {
  partners(first: $first, after: $after) {
    totalCount
    nodes {
      id code name
      statuses { kind from to }
      fundings(first: 2) {
        nodes { amountUsd projectCount target { ... on Initiative { id code } ... on Meeting { id code } } sources { id } }
        pageInfo { endCursor hasNextPage }
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}`;
const MEMBER_EDGES = `query MemberEdges($first: Int, $after: String) {
  members(first: $first, after: $after) {
    edges { cursor node { id code name } }
    pageInfo { endCursor hasNextPage }
  }
}`;
const WP4_FUNDINGS = `query WorkPlanFundings($first: Int, $after: String) {
  initiative(code: "IAI-WP4") {
    id
    fundings(first: $first, after: $after) {
      nodes { amountUsd projectCount funder { ... on Member { id name } ... on Partner { id name } } approvedAt { id code } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

/** Where the connection is in an answer. */
const at = {
  [HISTORY]: (d) => d.history,
  [PARTNERS]: (d) => d.partners,
  [MEMBER_EDGES]: (d) => d.members,
  [WP4_FUNDINGS]: (d) => d.initiative.fundings,
};

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

/**
 * Each client: `run(query, variables, policy)` returns the data, `policy` "network" (ask the
 * server, store the answer) or "cache" (the cache alone).
 */
function apollo() {
  const client = new ApolloClient({
    link: new HttpLink({ uri: endpoint, headers }),
    cache: new InMemoryCache({
      possibleTypes,
      typePolicies: apolloTypePolicies(relayStylePagination),
    }),
  });
  return {
    name: "Apollo Client",
    async run(query, variables, policy) {
      const document = gql(query);
      if (query.startsWith("mutation")) {
        return (await client.mutate({ mutation: document, variables })).data;
      }
      if (policy === "cache") {
        return client.readQuery({ query: document, variables });
      }
      return (await client.query({ query: document, variables, fetchPolicy: "network-only" })).data;
    },
  };
}

function urql() {
  const client = new Client({
    url: endpoint,
    fetchOptions: { headers },
    exchanges: [
      cacheExchange({ schema, keys: urqlKeys, resolvers: urqlResolvers(relayPagination) }),
      fetchExchange,
    ],
  });
  return {
    name: "urql graphcache",
    async run(query, variables, policy) {
      const result = query.startsWith("mutation")
        ? await client.mutation(query, variables).toPromise()
        : await client
            .query(query, variables, {
              requestPolicy: policy === "cache" ? "cache-only" : "network-only",
            })
            .toPromise();
      assert.equal(result.error, undefined, String(result.error));
      return result.data;
    },
  };
}

/** Pages through `query` by `first` through the client, then reads the first page's query
 * from its cache: it must hold the whole list the server gives in one page. */
async function pagesMerge(client, query, variables, first) {
  let after = null;
  let pages = 0;
  do {
    const data = await client.run(query, { ...variables, first, after }, "network");
    const page = at[query](data);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    pages += 1;
  } while (after);
  assert.ok(pages > 1, `${client.name}: ${pages} page(s) only; pick a smaller page`);
  const cached = at[query](plain(await client.run(query, { ...variables, first }, "cache")));
  const whole = at[query](await network(query, { ...variables, first: 100 }));
  const items = (c) => c.nodes ?? c.edges.map((e) => e.node);
  assert.deepEqual(items(cached), items(whole), `${client.name}: ${query.split("(")[0]} merged`);
  assert.equal(cached.pageInfo.hasNextPage, false, `${client.name}: merged list has no next page`);
  console.log(`${client.name}: ${query.split("(")[0].slice(6)} merged ${pages} pages of ${first} into ${items(cached).length}`);
}

/** Asks each query through the client, then reads it from the cache alone: each answer
 * must be the server's. */
async function readsAsTheServer(client, label, queries) {
  for (const [query, variables] of queries) {
    const want = await network(query, variables);
    await client.run(query, variables, "network");
    const cached = plain(await client.run(query, variables, "cache"));
    assert.deepEqual(cached, want, `${client.name}: ${label}: ${query.split("{")[0]}`);
  }
  console.log(`${client.name}: ${label}`);
}

/** Issue 26's bugs. graphcache's relayPagination passed over a list asked with no paging
 * argument (the read was null); a page asked after a cursor read back the pages before it;
 * and pages of values (`Funding`) selected differently were mixed, so the second selection
 * read null. */
async function bug_unpaged_lists_second_pages_and_value_pages_read_as_the_server(client) {
  const unpaged = `query MembersUnpaged { members { nodes { id code } } }`;
  const firstPage = `query MembersFirst { members(first: 5) { nodes { code } pageInfo { endCursor } } }`;
  const { endCursor } = (await network(firstPage)).members.pageInfo;
  const secondPage = `query MembersAfter($after: String) {
    members(first: 5, after: $after) { nodes { code } pageInfo { hasNextPage endCursor } }
  }`;
  const targets = `query JapanFundingTargets { partner(code: "JPN") { id fundings(first: 20) {
    nodes { projectCount target { ... on Initiative { id code } ... on Meeting { id code } } } } } }`;
  const amounts = `query JapanFundingAmounts { partner(code: "JPN") { id fundings(first: 5) {
    nodes { amountUsd projectCount } } } }`;
  await readsAsTheServer(client, "an unpaged list, a second page, values selected twice", [
    [unpaged, {}],
    [firstPage, {}],
    [secondPage, { after: endCursor }],
    [targets, {}],
    [amounts, {}],
  ]);
}

async function historyAgrees(client) {
  const id = "Partner:GBR";
  for (let i = 1; i <= 3; i += 1) {
    await client.run(RENAME, { code: "GBR", name: `United Kingdom (${client.name} ${i})` });
  }
  const fromServer = await network(HISTORY, { id, first: 100 });
  const fromClient = plain(await client.run(HISTORY, { id, first: 100 }, "network"));
  const fromCache = plain(await client.run(HISTORY, { id, first: 100 }, "cache"));
  assert.deepEqual(fromClient.history.nodes, fromServer.history.nodes, `${client.name}: history`);
  assert.deepEqual(fromCache.history.nodes, fromServer.history.nodes, `${client.name}: cached history`);
  const seqs = fromCache.history.nodes.map((n) => n.seq);
  assert.equal(new Set(seqs).size, seqs.length, `${client.name}: seqs repeat: ${seqs}`);
  console.log(`${client.name}: history of ${id} from the cache = the network's (seqs ${seqs.join(",")})`);
  await pagesMerge(client, HISTORY, { id }, 2);
}

/** The harness hears a warning: a cache with no configuration, given a connection then the
 * same connection with other fields, warns that it may lose data. */
async function warningsAreHeard() {
  const bare = new ApolloClient({ link: new HttpLink({ uri: endpoint }), cache: new InMemoryCache() });
  for (const fields of ["nodes { amountUsd }", "pageInfo { hasNextPage }"]) {
    const query = gql(`query Control { partner(code: "JPN") { id fundings(first: 2) { ${fields} } } }`);
    await bare.query({ query, fetchPolicy: "network-only" });
  }
  assert.ok(printed.some((p) => p.includes("Cache data may be lost")), `control: ${printed}`);
  console.log("control: an unconfigured cache's warning was heard");
  printed.length = 0;
}

await warningsAreHeard();
const original = (await network(`query GbrName { partner(code: "GBR") { name } }`)).partner.name;
try {
  for (const make of [apollo, urql]) {
    const client = make();
    await historyAgrees(client);
    await pagesMerge(client, PARTNERS, {}, 3);
    await pagesMerge(client, MEMBER_EDGES, {}, 4);
    await pagesMerge(client, WP4_FUNDINGS, {}, 1);
    await bug_unpaged_lists_second_pages_and_value_pages_read_as_the_server(client);
    // The same record with fewer value fields, then the first selection again: the
    // value lists are replaced, not merged item by item, and nothing warns.
    const statuses = `query GbrStatuses { partner(code: "GBR") { id statuses { kind from to } } }`;
    const fewer = `query GbrStatusKinds { partner(code: "GBR") { id statuses { kind } } }`;
    for (const q of [statuses, fewer, statuses]) {
      assert.deepEqual(plain(await client.run(q, {}, "network")), await network(q));
    }
  }
} finally {
  await network(RENAME, { code: "GBR", name: original });
}

assert.deepEqual(printed, [], "the clients printed warnings");
console.log("no warnings printed");
process.exit(0);
