// A second, tiny subgraph for the federation test: it extends the API's `Partner` entity
// (found by its code) with one demo field, and lists partners by code. Nothing it says is
// a fact about the world: `demoCodeLength` is the length of the code it is given.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The packages live in .ci/js/node_modules (see .ci/js/package.json).
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../../.ci/js/package.json"));
const { ApolloServer } = require("@apollo/server");
const { ApolloServerPluginInlineTraceDisabled } = require("@apollo/server/plugin/disabled");
const { startStandaloneServer } = require("@apollo/server/standalone");
const { buildSubgraphSchema } = require("@apollo/subgraph");
const { parse } = require("graphql");

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Query {
    "Demo only: the partners of these codes, as references the API resolves."
    demoPartners(codes: [String!]!): [Partner!]!
  }

  type Partner @key(fields: "code") {
    code: String!
    "Demo only, not a fact: the number of characters in the partner's code."
    demoCodeLength: Int!
  }
`);

const resolvers = {
  Query: { demoPartners: (_, { codes }) => codes.map((code) => ({ code })) },
  Partner: {
    __resolveReference: ({ code }) => ({ code }),
    demoCodeLength: ({ code }) => code.length,
  },
};

/** Starts the demo subgraph on a free loopback port; resolves to { url, stop }. */
export async function startDemoSubgraph() {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: 0 } });
  return { url, stop: () => server.stop() };
}
