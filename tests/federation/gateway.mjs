// Federation end to end: the API (its URL is the argument) and the demo subgraph beside
// this file, composed by a real gateway, then one query through the gateway that joins both
// ways — the API's partners with the demo's field (the gateway calls the demo's
// `_entities`), and the demo's partners with the API's fields (the API's `_entities`, by a
// lower-case code) — checked against what the API alone answers. Two gateways, one after
// the other:
// - @apollo/gateway, IntrospectAndCompose (it reads each subgraph's `_service { sdl }`),
//   served by @apollo/server;
// - Hive Gateway's runtime (@graphql-hive/gateway-runtime), over the supergraph that
//   @theguild/federation-composition composes from the same `_service { sdl }`, served by
//   node:http.
//
//   node tests/federation/gateway.mjs http://127.0.0.1:8000/graphql [apollo|hive]
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDemoSubgraph } from "./demo-subgraph.mjs";

// The packages live in .ci/js/node_modules (see .ci/js/package.json).
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../.ci/js/package.json"));
const { ApolloGateway, IntrospectAndCompose } = require("@apollo/gateway");
const { ApolloServer } = require("@apollo/server");
const { startStandaloneServer } = require("@apollo/server/standalone");
const { composeServices } = require("@theguild/federation-composition");
const { createGatewayRuntime } = require("@graphql-hive/gateway-runtime");
const { parse } = require("graphql");

const api = process.argv[2];
const only = process.argv[3];
if (!api || (only && only !== "apollo" && only !== "hive")) {
  console.error("usage: node tests/federation/gateway.mjs API_GRAPHQL_URL [apollo|hive]");
  process.exit(2);
}

async function post(url, query, variables = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, `${url}: HTTP ${response.status} ${JSON.stringify(body)}`);
  assert.equal(body.errors, undefined, `${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/// @apollo/gateway over IntrospectAndCompose, served by @apollo/server.
async function apolloGateway(subgraphs) {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
    logger: { debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
  return { url, stop: () => server.stop() };
}

/// Hive Gateway's runtime over the supergraph composed by @theguild/federation-composition.
async function hiveGateway(subgraphs) {
  const services = [];
  for (const { name, url } of subgraphs) {
    const { _service } = await post(url, "query SubgraphSdl { _service { sdl } }");
    services.push({ name, url, typeDefs: parse(_service.sdl) });
  }
  const composed = composeServices(services);
  assert.equal(composed.errors, undefined, `composition: ${JSON.stringify(composed.errors)}`);
  const runtime = createGatewayRuntime({ supergraph: composed.supergraphSdl, logging: "warn" });
  const server = createServer(runtime);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/graphql`;
  return {
    url,
    stop: async () => {
      await runtime.dispose?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const demo = await startDemoSubgraph();
const subgraphs = [
  { name: "asean", url: api },
  { name: "demo", url: demo.url },
];
let failed = false;
for (const [name, start] of [
  ["@apollo/gateway", apolloGateway],
  ["Hive Gateway", hiveGateway],
]) {
  if (only && !name.toLowerCase().includes(only)) continue;
  const { url, stop } = await start(subgraphs);
  try {
    await joinThrough(name, url);
  } catch (e) {
    failed = true;
    console.error(`${name}:`, e);
  } finally {
    await stop();
  }
}
await demo.stop();
process.exit(failed ? 1 : 0);

/// The checks, through the gateway at `url`.
async function joinThrough(name, url) {
  console.log(`${name}: composed the API (${api}) and the demo subgraph; gateway at ${url}`);

  // What the API alone says.
  const alone = await post(
    api,
    `query DialoguePartners {
      partners(kind: DIALOGUE_PARTNER, first: 100) { nodes { code name } }
    }`,
  );
  const partners = alone.partners.nodes;
  assert.ok(partners.length >= 3, `expected dialogue partners, got ${JSON.stringify(partners)}`);
  const picked = partners.slice(0, 3).map((p) => p.code);
  const details = {};
  for (const code of picked) {
    const d = await post(
      api,
      `query PartnerAlone($code: String!) {
        partner(code: $code) { code name kind statuses { kind from } }
      }`,
      { code },
    );
    details[code] = d.partner;
  }

  // The same through the gateway, joined with the demo subgraph both ways: the query of
  // docs/gateway.md, its one ```graphql-supergraph block.
  const doc = readFileSync(join(here, "../../docs/gateway.md"), "utf8");
  const block = doc.match(/^```graphql-supergraph\n([\s\S]*?)^```/m);
  assert.ok(block, "docs/gateway.md has no ```graphql-supergraph block");
  const joined = await post(url, block[1], { codes: picked.map((c) => c.toLowerCase()) });
  assert.deepEqual(
    joined.partners.nodes,
    partners.map((p) => ({ ...p, demoCodeLength: p.code.length })),
    "partners: the API's fields with the demo's",
  );
  console.log(`${name}: ok: ${partners.length} dialogue partners from the API, each with the demo's field`);
  assert.deepEqual(
    joined.demoPartners,
    picked.map((code) => {
      const { name, kind, statuses } = details[code];
      return { demoCodeLength: code.length, name, kind, statuses };
    }),
    "demoPartners: the demo's references resolved by the API's _entities",
  );
  console.log(
    `${name}: ok: ${picked.join(", ")} sent to the API's _entities by lower-case code, answered as partner(code:) does`,
  );
}
