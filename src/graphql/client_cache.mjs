/**
 * Apollo Client's InMemoryCache:
 *
 *   import { InMemoryCache } from "@apollo/client";
 *   import { relayStylePagination } from "@apollo/client/utilities";
 *   const cache = new InMemoryCache({
 *     possibleTypes,
 *     typePolicies: apolloTypePolicies(relayStylePagination),
 *   });
 *
 * Records and changes are normalized by their `id`. Every connection merges its pages (fetchMore
 * with `after: pageInfo.endCursor`), whether the query selects `edges` or `nodes`; lists with
 * other arguments are kept apart. A value is kept inside the object holding it: a list of values
 * is replaced whole when its object is fetched again, a single value merged. A record looked up
 * by its code (`partner(code:)`) or id (`node(id:)`) is merged with what the same lookup
 * answered before, even when neither answer selected its `id`: the same arguments name the
 * same record.
 */
export function apolloTypePolicies(relayStylePagination) {
  const policies = {};
  const fieldsOf = (type) => {
    policies[type] ??= { fields: {} };
    return policies[type].fields;
  };
  for (const type of valueTypes) {
    policies[type] = { keyFields: false, fields: {} };
  }
  for (const [type, fields] of Object.entries(connections)) {
    for (const [field, keyArgs] of Object.entries(fields)) {
      fieldsOf(type)[field] = pagedWithNodes(relayStylePagination(keyArgs.length ? keyArgs : false));
    }
  }
  for (const [type, fields] of Object.entries(valueFields)) {
    for (const [field, list] of Object.entries(fields)) {
      fieldsOf(type)[field] = { merge: !list };
    }
  }
  for (const field of lookups) {
    fieldsOf("Query")[field] = { merge: true };
  }
  return policies;
}

/**
 * Apollo's relayStylePagination, with two changes.
 *
 * It merges `edges` only: a page selected as `nodes` gets edges made of its nodes (the page's
 * start and end cursors on its first and last, so that the next page follows it), and `nodes`
 * is read back from the merged edges.
 *
 * A list read from the cache starts where the query starts it, as the server's answer would:
 * with `after: c`, at the page loaded after cursor `c`; without, at the list's beginning. It
 * holds every page loaded from there on (so `fetchMore` grows the first page's list). A page
 * whose `after` is no loaded cursor starts a list of its own (its first edge remembers the
 * cursor), and a read that starts elsewhere is a miss: the client asks the server.
 */
function pagedWithNodes(policy) {
  return {
    keyArgs: policy.keyArgs,
    merge(existing, incoming, options) {
      if (incoming && !incoming.edges && Array.isArray(incoming.nodes)) {
        incoming = { ...incoming, edges: incoming.nodes.map((node) => ({ node })) };
      }
      const after = options.args?.after;
      if (typeof after !== "string" || existing?.edges.some((edge) => edge.cursor === after)) {
        return policy.merge(existing, incoming, options);
      }
      const merged = policy.merge(undefined, incoming, options);
      if (merged.edges.length) {
        merged.edges = [{ ...merged.edges[0], follows: after }, ...merged.edges.slice(1)];
      }
      return merged;
    },
    read(existing, options) {
      if (!existing) return existing;
      const after = options.args?.after;
      const edges = existing.edges;
      let start = 0;
      if (typeof after === "string") {
        const index = edges.findIndex((edge) => edge.cursor === after);
        if (index >= 0) start = index + 1;
        else if (edges[0]?.follows !== after) return undefined;
      } else if (edges[0]?.follows !== undefined) {
        return undefined;
      }
      const read = policy.read(start ? { ...existing, edges: edges.slice(start) } : existing, options);
      if (!read) return read;
      if (start) {
        read.pageInfo = { ...read.pageInfo, startCursor: read.edges[0]?.cursor ?? "", hasPreviousPage: true };
      }
      return { ...read, nodes: read.edges.map((edge) => options.readField("node", edge)) };
    },
  };
}

/**
 * urql's graphcache:
 *
 *   import { cacheExchange } from "@urql/exchange-graphcache";
 *   import { relayPagination } from "@urql/exchange-graphcache/extras";
 *   const cache = cacheExchange({
 *     schema,
 *     keys: urqlKeys,
 *     resolvers: urqlResolvers(relayPagination),
 *   });
 *
 * Values have no key (kept inside their object), nor has a record selected without its `id`.
 */
export const urqlKeys = Object.fromEntries([
  ...valueTypes.map((type) => [type, () => null]),
  ...identifiedTypes.map((type) => [type, (data) => data.id ?? null]),
]);

/**
 * Every connection merges its pages with `relayPagination`, shown only the pages that the
 * query's own page leads to: the page asked (the same arguments, paging ones included),
 * then the page loaded after its end cursor, and so on. So a list read from the cache starts
 * where the query starts it, as the server's answer would, and holds every page loaded from
 * there on; pages of the same list asked with another `first` (of values, say, selected
 * differently) are not mixed in. A page asked with no arguments at all is shown too
 * (graphcache's `relayPagination` passes over it, and looks it up under arguments `{}`).
 * When the page asked is not in the cache, it is a miss.
 */
export function urqlResolvers(relayPagination) {
  const merge = relayPagination();
  const paged = (parent, args, cache, info) => merge(parent, args, pagesFrom(cache, info, args), info);
  const resolvers = {};
  for (const [type, fields] of Object.entries(connections)) {
    resolvers[type] = {};
    for (const field of Object.keys(fields)) {
      resolvers[type][field] = paged;
    }
  }
  return resolvers;
}

const PAGING = new Set(["first", "after", "last", "before"]);

/** The arguments that pick the list (not the page), in a stable form to compare. */
function listOf(args) {
  const picked = Object.keys(args ?? {}).filter((name) => !PAGING.has(name)).sort();
  return JSON.stringify(picked.map((name) => [name, args[name]]));
}

/** `cache`, with the cached fields of `info.fieldName` under its parent cut to the chain of
 * pages that starts at the page `args` asks for. */
function pagesFrom(cache, info, args) {
  const { parentKey, fieldName } = info;
  const fields = cache
    .inspectFields(parentKey)
    .filter((field) => field.fieldName === fieldName)
    .map((field) => ({ ...field, arguments: field.arguments ?? {} }));
  const list = listOf(args);
  const asked = resolve(cache, parentKey, fieldName, args);
  const chain = [];
  let page = typeof asked === "string" && fields.find((field) => cache.resolve(parentKey, field.fieldKey) === asked);
  while (page && !chain.includes(page)) {
    chain.push(page);
    const end = endCursor(cache, cache.resolve(parentKey, page.fieldKey));
    page = end && fields.find((field) => field.arguments.after === end && listOf(field.arguments) === list);
  }
  return new Proxy(cache, {
    get(target, property) {
      if (property === "resolve") {
        return (key, field, fieldArgs) => resolve(target, key, field, fieldArgs);
      }
      if (property === "inspectFields") {
        return (key) =>
          key === parentKey
            ? [...target.inspectFields(key).filter((field) => field.fieldName !== fieldName), ...chain]
            : target.inspectFields(key);
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** `cache.resolve`, where empty arguments are none: graphcache keys a field asked with no
 * arguments by its name alone, but hands its resolver `{}`. */
function resolve(cache, key, field, args) {
  return args && Object.keys(args).length ? cache.resolve(key, field, args) : cache.resolve(key, field);
}

/** The end cursor of a cached page: its `pageInfo`'s, else its last edge's. */
function endCursor(cache, page) {
  if (typeof page !== "string") return null;
  const info = cache.resolve(page, "pageInfo");
  const end = typeof info === "string" ? cache.resolve(info, "endCursor") : null;
  if (typeof end === "string") return end;
  const edges = cache.resolve(page, "edges");
  const last = Array.isArray(edges) ? edges[edges.length - 1] : null;
  const cursor = typeof last === "string" ? cache.resolve(last, "cursor") : null;
  return typeof cursor === "string" ? cursor : null;
}
