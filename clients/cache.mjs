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

/** Object types with an `id`: normalized by it when a selection holds it. */
export const identifiedTypes = [
  "Body",
  "Change",
  "Initiative",
  "Meeting",
  "Member",
  "Partner",
  "Person",
  "Source"
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

/** The fields of `Query` that look one record up by its `code` or `id`. */
export const lookups = [
  "node",
  "member",
  "partner",
  "body",
  "meeting",
  "initiative",
  "person",
  "source"
];

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

/** The schema's shape, for graphcache's `schema` option (its types and fields, not
 * their descriptions). */
export const schema = {"__schema":{"queryType":{"name":"Query"},"mutationType":{"name":"Mutation"},"subscriptionType":{"name":"Subscription"},"types":[{"kind":"OBJECT","name":"Body","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"name","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"nameVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"pillar","type":{"kind":"ENUM","name":"Pillar"},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"parent","type":{"kind":"OBJECT","name":"Body"},"args":[]},{"name":"children","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}}}},"args":[]},{"name":"chairs","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Chairmanship"}}}},"args":[]},{"name":"meetings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"attended","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"initiatives","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"BodyAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]}],"interfaces":[]},{"kind":"OBJECT","name":"BodyConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"BodyEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"BodyAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"BodyEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Chairmanship","fields":[{"name":"body","type":{"kind":"OBJECT","name":"Body"},"args":[]},{"name":"member","type":{"kind":"OBJECT","name":"Member"},"args":[]},{"name":"year","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Change","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"seq","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"op","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"recordId","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"at","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"by","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"before","type":{"kind":"SCALAR","name":"JSON"},"args":[]},{"name":"after","type":{"kind":"SCALAR","name":"JSON"},"args":[]},{"name":"node","type":{"kind":"INTERFACE","name":"Node"},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"ChangeAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"ChangeConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"ChangeEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Change"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"ChangeAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"ChangeEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Change"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Claim","fields":[{"name":"field","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"value","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Delegation","fields":[{"name":"meeting","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"party","type":{"kind":"UNION","name":"Party"},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Figure","fields":[{"name":"label","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"value","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Float"}},"args":[]},{"name":"qualifier","type":{"kind":"ENUM","name":"Qualifier"},"args":[]},{"name":"unit","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"asOf","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"UNION","name":"Fundable","possibleTypes":[{"kind":"OBJECT","name":"Initiative"},{"kind":"OBJECT","name":"Meeting"}]},{"kind":"UNION","name":"Funder","possibleTypes":[{"kind":"OBJECT","name":"Member"},{"kind":"OBJECT","name":"Partner"}]},{"kind":"OBJECT","name":"Funding","fields":[{"name":"funder","type":{"kind":"UNION","name":"Funder"},"args":[]},{"name":"target","type":{"kind":"UNION","name":"Fundable"},"args":[]},{"name":"amountUsd","type":{"kind":"SCALAR","name":"Float"},"args":[]},{"name":"projectCount","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"approvedAt","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"sum","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingSums"}},"args":[]},{"name":"avg","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingAverages"}},"args":[]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingAverages","fields":[{"name":"amountUsd","type":{"kind":"SCALAR","name":"Float"},"args":[]},{"name":"projectCount","type":{"kind":"SCALAR","name":"Float"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Funding"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingAggregate"}},"args":[]},{"name":"groupedAggregates","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingGroup"}}}},"args":[{"name":"groupBy"},{"name":"having"},{"name":"orderBy"},{"name":"first"},{"name":"ancestorLevel"}]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Funding"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingExtremes","fields":[{"name":"amountUsd","type":{"kind":"SCALAR","name":"Float"},"args":[]},{"name":"projectCount","type":{"kind":"SCALAR","name":"Int"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingGroup","fields":[{"name":"key","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingGroupKey"}},"args":[]},{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"sum","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingSums"}},"args":[]},{"name":"avg","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingAverages"}},"args":[]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingGroupKey","fields":[{"name":"funder","type":{"kind":"UNION","name":"Funder"},"args":[]},{"name":"funderKind","type":{"kind":"ENUM","name":"FunderKind"},"args":[]},{"name":"target","type":{"kind":"UNION","name":"Fundable"},"args":[]},{"name":"targetAncestor","type":{"kind":"OBJECT","name":"Initiative"},"args":[]},{"name":"approvedAt","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"year","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"FundingSums","fields":[{"name":"amountUsd","type":{"kind":"SCALAR","name":"Float"},"args":[]},{"name":"projectCount","type":{"kind":"SCALAR","name":"Float"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Initiative","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"name","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"nameVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"aliases","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}}}},"args":[]},{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"InitiativeKind"}},"args":[]},{"name":"startYear","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"endYear","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"endDate","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"endDatePrecision","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"Precision"}},"args":[]},{"name":"stage","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"InitiativeStage"}},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"parent","type":{"kind":"OBJECT","name":"Initiative"},"args":[]},{"name":"children","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"leadBodies","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}}}},"args":[]},{"name":"fundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"includeDescendants"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"meetings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"figures","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Figure"}}}},"args":[]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"InitiativeAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"InitiativeConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeAggregate"}},"args":[]},{"name":"groupedAggregates","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeGroup"}}}},"args":[{"name":"groupBy"},{"name":"having"},{"name":"orderBy"},{"name":"first"}]}],"interfaces":[]},{"kind":"OBJECT","name":"InitiativeEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"InitiativeExtremes","fields":[{"name":"startYear","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"endYear","type":{"kind":"SCALAR","name":"Int"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"InitiativeGroup","fields":[{"name":"key","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeGroupKey"}},"args":[]},{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"InitiativeGroupKey","fields":[{"name":"kind","type":{"kind":"ENUM","name":"InitiativeKind"},"args":[]},{"name":"parent","type":{"kind":"OBJECT","name":"Initiative"},"args":[]},{"name":"ledBy","type":{"kind":"OBJECT","name":"Body"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Meeting","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"title","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"titleVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"body","type":{"kind":"OBJECT","name":"Body"},"args":[]},{"name":"number","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"startDate","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Date"}},"args":[]},{"name":"endDate","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"datePrecision","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"Precision"}},"args":[]},{"name":"format","type":{"kind":"ENUM","name":"MeetingFormat"},"args":[]},{"name":"location","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"openLists","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}}}},"args":[]},{"name":"figures","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Figure"}}}},"args":[]},{"name":"status","type":{"kind":"ENUM","name":"MeetingStatus"},"args":[]},{"name":"statusAsOf","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"presidedBy","type":{"kind":"OBJECT","name":"Person"},"args":[]},{"name":"speakers","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}}}},"args":[]},{"name":"meetingLinks","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingLink"}}}},"args":[{"name":"kind"}]},{"name":"chair","type":{"kind":"OBJECT","name":"Member"},"args":[]},{"name":"participants","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Participation"}}}},"args":[]},{"name":"initiatives","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"approved","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"recommended","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"fundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"approvedFundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"MeetingAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingAggregate"}},"args":[]},{"name":"groupedAggregates","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingGroup"}}}},"args":[{"name":"groupBy"},{"name":"having"},{"name":"orderBy"},{"name":"first"}]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingExtremes","fields":[{"name":"number","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"startDate","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"endDate","type":{"kind":"SCALAR","name":"Date"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingGroup","fields":[{"name":"key","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingGroupKey"}},"args":[]},{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingGroupKey","fields":[{"name":"body","type":{"kind":"OBJECT","name":"Body"},"args":[]},{"name":"year","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"format","type":{"kind":"ENUM","name":"MeetingFormat"},"args":[]},{"name":"chair","type":{"kind":"OBJECT","name":"Member"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MeetingLink","fields":[{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"MeetingLinkKind"}},"args":[]},{"name":"from","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"to","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Member","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"name","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"nameVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"joinedOn","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"clmv","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"chairmanships","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Chairmanship"}}}},"args":[]},{"name":"meetings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"fundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"people","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}}}},"args":[]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"MemberAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MemberExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MemberExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MemberConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MemberEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Member"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MemberAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MemberEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Member"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"MemberExtremes","fields":[{"name":"joinedOn","type":{"kind":"SCALAR","name":"Date"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Mutation","fields":[{"name":"createMember","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Member"}},"args":[{"name":"input"}]},{"name":"updateMember","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Member"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deleteMember","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createPartner","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}},"args":[{"name":"input"}]},{"name":"updatePartner","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deletePartner","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createBody","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}},"args":[{"name":"input"}]},{"name":"updateBody","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Body"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deleteBody","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createMeeting","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}},"args":[{"name":"input"}]},{"name":"updateMeeting","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deleteMeeting","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createInitiative","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}},"args":[{"name":"input"}]},{"name":"updateInitiative","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deleteInitiative","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createPerson","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}},"args":[{"name":"input"}]},{"name":"updatePerson","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deletePerson","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"createSource","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}},"args":[{"name":"input"}]},{"name":"updateSource","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}},"args":[{"name":"code"},{"name":"input"}]},{"name":"deleteSource","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"code"},{"name":"cascade"}]},{"name":"link","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[{"name":"kind"},{"name":"from"},{"name":"to"},{"name":"sources"},{"name":"note"}]},{"name":"unlink","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"kind"},{"name":"from"},{"name":"to"}]},{"name":"addParticipant","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Participation"}},"args":[{"name":"meeting"},{"name":"party"},{"name":"role"},{"name":"headOfDelegation"},{"name":"sources"},{"name":"note"}]},{"name":"removeParticipant","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"meeting"},{"name":"party"}]},{"name":"addFunding","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Funding"}},"args":[{"name":"input"}]},{"name":"updateFunding","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Funding"}},"args":[{"name":"funder"},{"name":"target"},{"name":"input"}]},{"name":"removeFunding","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"funder"},{"name":"target"}]},{"name":"addChair","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Chairmanship"}},"args":[{"name":"body"},{"name":"member"},{"name":"year"},{"name":"sources"}]},{"name":"removeChair","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[{"name":"body"},{"name":"year"}]},{"name":"addPartnerStatus","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}},"args":[{"name":"partner"},{"name":"input"}]},{"name":"removePartnerStatus","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}},"args":[{"name":"partner"},{"name":"from"}]},{"name":"addFigure","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}},"args":[{"name":"initiative"},{"name":"input"}]},{"name":"removeFigure","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Initiative"}},"args":[{"name":"initiative"},{"name":"label"},{"name":"asOf"}]},{"name":"addMeetingFigure","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}},"args":[{"name":"meeting"},{"name":"input"}]},{"name":"removeMeetingFigure","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}},"args":[{"name":"meeting"},{"name":"label"},{"name":"asOf"}]},{"name":"addClaim","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[{"name":"id"},{"name":"input"}]},{"name":"removeClaim","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[{"name":"id"},{"name":"field"},{"name":"source"}]},{"name":"addSource","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[{"name":"id"},{"name":"source"}]},{"name":"removeSource","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[{"name":"id"},{"name":"source"}]}],"interfaces":[]},{"kind":"INTERFACE","name":"Node","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PageInfo","fields":[{"name":"hasPreviousPage","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"hasNextPage","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"startCursor","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"endCursor","type":{"kind":"SCALAR","name":"String"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Participation","fields":[{"name":"party","type":{"kind":"UNION","name":"Party"},"args":[]},{"name":"meeting","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"role","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"headOfDelegation","type":{"kind":"OBJECT","name":"Person"},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Partner","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"name","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"nameVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"PartnerKind"}},"args":[]},{"name":"since","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"relationsSince","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"relationsSincePrecision","type":{"kind":"ENUM","name":"Precision"},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"statuses","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerStatus"}}}},"args":[]},{"name":"meetings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"fundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"PartnerAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerAggregate"}},"args":[]},{"name":"groupedAggregates","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerGroup"}}}},"args":[{"name":"groupBy"},{"name":"having"},{"name":"orderBy"},{"name":"first"}]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Partner"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerExtremes","fields":[{"name":"since","type":{"kind":"SCALAR","name":"Date"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerGroup","fields":[{"name":"key","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerGroupKey"}},"args":[]},{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerGroupKey","fields":[{"name":"kind","type":{"kind":"ENUM","name":"PartnerKind"},"args":[]},{"name":"statusYear","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PartnerStatus","fields":[{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"PartnerKind"}},"args":[]},{"name":"stage","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"StatusStage"}},"args":[]},{"name":"from","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Date"}},"args":[]},{"name":"fromPrecision","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"Precision"}},"args":[]},{"name":"to","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"decidedAt","type":{"kind":"OBJECT","name":"Meeting"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"UNION","name":"Party","possibleTypes":[{"kind":"OBJECT","name":"Member"},{"kind":"OBJECT","name":"Partner"},{"kind":"OBJECT","name":"Body"}]},{"kind":"OBJECT","name":"Person","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"name","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"nameVi","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"title","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"description","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"represents","type":{"kind":"OBJECT","name":"Member"},"args":[]},{"name":"representing","type":{"kind":"UNION","name":"Party"},"args":[]},{"name":"spokeAt","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}}}},"args":[]},{"name":"presided","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Meeting"}}}},"args":[]},{"name":"delegations","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Delegation"}}}},"args":[]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"PersonAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]}],"interfaces":[]},{"kind":"OBJECT","name":"PersonConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PersonEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PersonAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"PersonEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Person"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Query","fields":[{"name":"node","type":{"kind":"INTERFACE","name":"Node"},"args":[{"name":"id"}]},{"name":"member","type":{"kind":"OBJECT","name":"Member"},"args":[{"name":"code"}]},{"name":"members","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MemberConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"clmv"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"partner","type":{"kind":"OBJECT","name":"Partner"},"args":[{"name":"code"}]},{"name":"partners","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PartnerConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"kind"},{"name":"asOf"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"body","type":{"kind":"OBJECT","name":"Body"},"args":[{"name":"code"}]},{"name":"bodies","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"BodyConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"pillar"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"meeting","type":{"kind":"OBJECT","name":"Meeting"},"args":[{"name":"code"}]},{"name":"meetings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"MeetingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"body"},{"name":"from"},{"name":"to"},{"name":"chair"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"initiative","type":{"kind":"OBJECT","name":"Initiative"},"args":[{"name":"code"}]},{"name":"initiatives","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"InitiativeConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"kind"},{"name":"under"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"fundings","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"FundingConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"under"},{"name":"funderKind"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"chairmanships","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Chairmanship"}}}},"args":[{"name":"body"},{"name":"from"},{"name":"to"}]},{"name":"person","type":{"kind":"OBJECT","name":"Person"},"args":[{"name":"code"}]},{"name":"people","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PersonConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"source","type":{"kind":"OBJECT","name":"Source"},"args":[{"name":"code"}]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SourceConnection"}},"args":[{"name":"filter"},{"name":"orderBy"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"search","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SearchConnection"}},"args":[{"name":"text"},{"name":"first"},{"name":"after"},{"name":"types"}]},{"name":"relationships","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"RelationshipConnection"}},"args":[{"name":"kind"},{"name":"from"},{"name":"to"},{"name":"verified"},{"name":"sourcedBy"},{"name":"role"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"history","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"ChangeConnection"}},"args":[{"name":"id"},{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"changes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Change"}}}},"args":[{"name":"since"},{"name":"first"}]}],"interfaces":[]},{"kind":"OBJECT","name":"Relationship","fields":[{"name":"kind","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"RelationshipKind"}},"args":[]},{"name":"from","type":{"kind":"INTERFACE","name":"Node"},"args":[]},{"name":"to","type":{"kind":"INTERFACE","name":"Node"},"args":[]},{"name":"year","type":{"kind":"SCALAR","name":"Int"},"args":[]},{"name":"role","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"verified","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}},"args":[]},{"name":"claims","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Claim"}}}},"args":[]},{"name":"sources","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"RelationshipAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"RelationshipConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"RelationshipEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Relationship"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"RelationshipAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"RelationshipEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Relationship"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SearchConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SearchHit"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SearchHit","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"INTERFACE","name":"Node"}},"args":[]},{"name":"score","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Float"}},"args":[]},{"name":"matched","type":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"SearchMatch"}},"args":[]},{"name":"matchedField","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Source","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"ID"}},"args":[]},{"name":"code","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"title","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"publisher","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"author","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"publishedOn","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"publishedTime","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"asOf","type":{"kind":"SCALAR","name":"Date"},"args":[]},{"name":"language","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"file","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"url","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"note","type":{"kind":"SCALAR","name":"String"},"args":[]},{"name":"supports","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SupportConnection"}},"args":[{"name":"first"},{"name":"after"},{"name":"last"},{"name":"before"}]},{"name":"citationCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]}],"interfaces":[{"kind":"INTERFACE","name":"Node"}]},{"kind":"OBJECT","name":"SourceAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"distinctCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[{"name":"field"}]},{"name":"min","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SourceExtremes"}},"args":[]},{"name":"max","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SourceExtremes"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SourceConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SourceEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SourceAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SourceEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Source"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SourceExtremes","fields":[{"name":"publishedOn","type":{"kind":"SCALAR","name":"Date"},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"Subscription","fields":[{"name":"changes","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Change"}},"args":[{"name":"kinds"},{"name":"ids"}]}],"interfaces":[]},{"kind":"OBJECT","name":"Support","fields":[{"name":"record","type":{"kind":"INTERFACE","name":"Node"},"args":[]},{"name":"relationship","type":{"kind":"OBJECT","name":"Relationship"},"args":[]},{"name":"fields","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}}}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SupportAggregate","fields":[{"name":"count","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SupportConnection","fields":[{"name":"edges","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SupportEdge"}}}},"args":[]},{"name":"nodes","type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Support"}}}},"args":[]},{"name":"pageInfo","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"PageInfo"}},"args":[]},{"name":"totalCount","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Int"}},"args":[]},{"name":"aggregate","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"SupportAggregate"}},"args":[]}],"interfaces":[]},{"kind":"OBJECT","name":"SupportEdge","fields":[{"name":"cursor","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"String"}},"args":[]},{"name":"node","type":{"kind":"NON_NULL","ofType":{"kind":"OBJECT","name":"Support"}},"args":[]}],"interfaces":[]}]}};

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
