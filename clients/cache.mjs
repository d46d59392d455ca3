// Client cache configuration for asean-graph, generated from its schema by
// `asean-graph schema --client-cache`: do not edit; see docs/caching.md.

/** Object types without an `id`: values, cached inside the object that holds them. */
export const valueTypes = [
  "BodyAggregate",
  "BodyConnection",
  "BodyEdge",
  "Chairmanship",
  "ChangeAggregate",
  "ChangeConnection",
  "ChangeEdge",
  "Claim",
  "Delegation",
  "Figure",
  "Funding",
  "FundingAggregate",
  "FundingAverages",
  "FundingConnection",
  "FundingEdge",
  "FundingExtremes",
  "FundingGroup",
  "FundingGroupKey",
  "FundingSums",
  "InitiativeAggregate",
  "InitiativeConnection",
  "InitiativeEdge",
  "InitiativeExtremes",
  "InitiativeGroup",
  "InitiativeGroupKey",
  "MeetingAggregate",
  "MeetingConnection",
  "MeetingEdge",
  "MeetingExtremes",
  "MeetingGroup",
  "MeetingGroupKey",
  "MeetingLink",
  "MemberAggregate",
  "MemberConnection",
  "MemberEdge",
  "MemberExtremes",
  "PageInfo",
  "Participation",
  "PartnerAggregate",
  "PartnerConnection",
  "PartnerEdge",
  "PartnerExtremes",
  "PartnerGroup",
  "PartnerGroupKey",
  "PartnerStatus",
  "PersonAggregate",
  "PersonConnection",
  "PersonEdge",
  "Relationship",
  "RelationshipAggregate",
  "RelationshipConnection",
  "RelationshipEdge",
  "SearchConnection",
  "SearchHit",
  "SourceAggregate",
  "SourceConnection",
  "SourceEdge",
  "SourceExtremes",
  "Support",
  "SupportAggregate",
  "SupportConnection",
  "SupportEdge"
];

/** Per type, its connection fields and the arguments that choose a different list (the
 * others, first/after/last/before, choose a page of it). */
export const connections = {
  "Body": {
    "attended": [
      "filter",
      "orderBy"
    ],
    "initiatives": [
      "filter",
      "orderBy"
    ],
    "meetings": [
      "filter",
      "orderBy"
    ]
  },
  "Initiative": {
    "children": [
      "filter",
      "orderBy"
    ],
    "fundings": [
      "filter",
      "orderBy",
      "includeDescendants"
    ],
    "meetings": [
      "filter",
      "orderBy"
    ]
  },
  "Meeting": {
    "approved": [
      "filter",
      "orderBy"
    ],
    "approvedFundings": [
      "filter",
      "orderBy"
    ],
    "fundings": [
      "filter",
      "orderBy"
    ],
    "initiatives": [
      "filter",
      "orderBy"
    ],
    "recommended": [
      "filter",
      "orderBy"
    ]
  },
  "Member": {
    "fundings": [
      "filter",
      "orderBy"
    ],
    "meetings": [
      "filter",
      "orderBy"
    ]
  },
  "Partner": {
    "fundings": [
      "filter",
      "orderBy"
    ],
    "meetings": [
      "filter",
      "orderBy"
    ]
  },
  "Query": {
    "bodies": [
      "filter",
      "orderBy",
      "pillar"
    ],
    "fundings": [
      "filter",
      "orderBy",
      "under",
      "funderKind"
    ],
    "history": [
      "id"
    ],
    "initiatives": [
      "filter",
      "orderBy",
      "kind",
      "under"
    ],
    "meetings": [
      "filter",
      "orderBy",
      "body",
      "from",
      "to",
      "chair"
    ],
    "members": [
      "filter",
      "orderBy",
      "clmv"
    ],
    "partners": [
      "filter",
      "orderBy",
      "kind",
      "asOf"
    ],
    "people": [
      "filter",
      "orderBy"
    ],
    "relationships": [
      "kind",
      "from",
      "to",
      "verified",
      "sourcedBy",
      "role"
    ],
    "search": [
      "text",
      "types"
    ],
    "sources": [
      "filter",
      "orderBy"
    ]
  },
  "Source": {
    "supports": []
  }
};

/** Per type, its fields holding values: true for a list of them. */
export const valueFields = {
  "Body": {
    "chairs": true,
    "claims": true
  },
  "Chairmanship": {
    "claims": true
  },
  "FundingAggregate": {
    "avg": false,
    "max": false,
    "min": false,
    "sum": false
  },
  "FundingGroup": {
    "avg": false,
    "key": false,
    "max": false,
    "min": false,
    "sum": false
  },
  "Initiative": {
    "claims": true,
    "figures": true
  },
  "InitiativeAggregate": {
    "max": false,
    "min": false
  },
  "InitiativeGroup": {
    "key": false,
    "max": false,
    "min": false
  },
  "Meeting": {
    "claims": true,
    "figures": true,
    "meetingLinks": true,
    "participants": true
  },
  "MeetingAggregate": {
    "max": false,
    "min": false
  },
  "MeetingGroup": {
    "key": false,
    "max": false,
    "min": false
  },
  "Member": {
    "chairmanships": true,
    "claims": true
  },
  "MemberAggregate": {
    "max": false,
    "min": false
  },
  "Partner": {
    "claims": true,
    "statuses": true
  },
  "PartnerAggregate": {
    "max": false,
    "min": false
  },
  "PartnerGroup": {
    "key": false,
    "max": false,
    "min": false
  },
  "Person": {
    "claims": true,
    "delegations": true
  },
  "Relationship": {
    "claims": true
  },
  "SourceAggregate": {
    "max": false,
    "min": false
  },
  "Support": {
    "relationship": false
  }
};

/** Per union and interface, the types it stands for: both clients take it as is. */
export const possibleTypes = {
  "Fundable": [
    "Initiative",
    "Meeting"
  ],
  "Funder": [
    "Member",
    "Partner"
  ],
  "Node": [
    "Body",
    "Change",
    "Initiative",
    "Meeting",
    "Member",
    "Partner",
    "Person",
    "Source"
  ],
  "Party": [
    "Member",
    "Partner",
    "Body"
  ]
};

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
 * is replaced whole when its object is fetched again, a single value merged.
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
  return policies;
}

/**
 * Apollo's relayStylePagination merges `edges` only: a page selected as `nodes` gets edges made
 * of its nodes (the page's end cursor on the last, so the next page follows it), and `nodes` is
 * read back from the merged edges.
 */
function pagedWithNodes(policy) {
  return {
    keyArgs: policy.keyArgs,
    merge(existing, incoming, options) {
      if (incoming && !incoming.edges && Array.isArray(incoming.nodes)) {
        incoming = { ...incoming, edges: incoming.nodes.map((node) => ({ node })) };
      }
      return policy.merge(existing, incoming, options);
    },
    read(existing, options) {
      const read = policy.read(existing, options);
      if (!read) return read;
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
 *     possibleTypes,
 *     keys: urqlKeys,
 *     resolvers: urqlResolvers(relayPagination),
 *   });
 *
 * Values have no key (kept inside their object); every connection merges its pages.
 */
export const urqlKeys = Object.fromEntries(valueTypes.map((type) => [type, () => null]));

export function urqlResolvers(relayPagination) {
  const resolvers = {};
  for (const [type, fields] of Object.entries(connections)) {
    resolvers[type] = {};
    for (const field of Object.keys(fields)) {
      resolvers[type][field] = relayPagination();
    }
  }
  return resolvers;
}
