// The graph explorer at /explore: draws a record of the API and its neighbours one link away
// with cytoscape.js, and grows the drawing as records are expanded. Plain JavaScript, no build
// step. It reads only through the public GraphQL API (POST /graphql), with the operations in
// /explore/queries.graphql, so it is held to the same limits and tokens as any client.
//
//   /explore?id=Initiative:IAI-WP4                      draws IAI-WP4 and its neighbours
//   /explore?id=Initiative:IAI-WP4&expand=Partner:JPN   … and expands Japan too
//
// Click a record to see its fields, sources and claims in the side panel; double-click it (or
// press "Expand" in the panel) to add its own neighbours. The URL follows what is drawn, so a
// view can be shared. For tests, the page exposes the cytoscape instance as
// `window.exploreGraph`, and on <body> `data-state` (idle, loading, ready, error) and
// `data-loads` (how many loads have finished, drawn and laid out).
(function () {
  'use strict';

  var ENDPOINT = '/graphql';
  var QUERIES_URL = '/explore/queries.graphql';
  var TOKEN_KEY = 'asean-graph-token';
  // The most records a shared link (`&expand=…`) expands.
  var MAX_LINKED_EXPANSIONS = 25;

  // The kinds of record (the schema's types implementing Node, but Change): colour, shape and
  // which field labels the node (its name; a meeting's or source's title). Colours are told
  // apart by shape too.
  var KINDS = {
    Member: { colour: '#2563eb', shape: 'ellipse', label: 'name', noun: 'Member state' },
    Partner: { colour: '#ea580c', shape: 'diamond', label: 'name', noun: 'Partner' },
    Body: { colour: '#7c3aed', shape: 'hexagon', label: 'name', noun: 'Body' },
    Meeting: { colour: '#16a34a', shape: 'round-rectangle', label: 'title', noun: 'Meeting' },
    Initiative: { colour: '#dc2626', shape: 'round-triangle', label: 'name', noun: 'Initiative' },
    Person: { colour: '#b45309', shape: 'ellipse', label: 'name', noun: 'Person' },
    Source: { colour: '#64748b', shape: 'round-tag', label: 'title', noun: 'Source' }
  };

  // A node's label holds at most two lines of about this many characters; the whole name and
  // the code show when the pointer rests on the node.
  var LABEL_LINE = 22;
  // The size of labels on screen, in CSS pixels, at any zoom up to 1 (past 1 they grow with
  // the drawing): a fit of a large drawing must not shrink them below what one can read.
  var LABEL_PX = { node: 12, root: 14, source: 11, edge: 11 };

  // Field names as the side panel shows them (others are split from camelCase).
  var FIELD_NAMES = {
    nameVi: 'Vietnamese name',
    titleVi: 'Vietnamese title',
    joinedOn: 'Joined ASEAN',
    clmv: 'CLMV country',
    since: 'Current status since',
    startDate: 'Start',
    endDate: 'End',
    startYear: 'From',
    endYear: 'To',
    publishedOn: 'Published',
    citationCount: 'Cited by (records and links)',
    relationsSince: 'Relations since',
    relationsSincePrecision: 'Relations since, known to the',
    openLists: 'Lists its sources leave open (counts are lower bounds)'
  };

  // The fields whose values are the schema's enums (shown as words).
  var ENUM_FIELDS = ['kind', 'pillar', 'format', 'datePrecision', 'status', 'stage', 'relationsSincePrecision'];

  // ---------------------------------------------------------------------------------------
  // Small helpers

  function $(id) {
    return document.getElementById(id);
  }

  // An element with attributes and children (strings become text, never HTML).
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
        if (k === 'text') e.textContent = attrs[k];
        else if (k === 'onclick') e.addEventListener('click', attrs[k]);
        else e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  // "Partner:JPN" -> { type: "Partner", code: "JPN", id: "Partner:JPN" }, or null if it is
  // not a record's id. The type is read in any case ("partner:jpn"), as the API reads codes.
  function parseId(id) {
    var m = /^([A-Za-z]+):(.+)$/.exec((id || '').trim());
    if (!m) return null;
    var type = Object.keys(KINDS).filter(function (k) {
      return k.toLowerCase() === m[1].toLowerCase();
    })[0];
    if (!type) return null;
    return { type: type, code: m[2], id: type + ':' + m[2] };
  }

  function humanField(name) {
    if (FIELD_NAMES[name]) return FIELD_NAMES[name];
    var words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  // An enum value as words: DIALOGUE_PARTNER -> "dialogue partner".
  function humanEnum(value) {
    return String(value).toLowerCase().replace(/_/g, ' ');
  }

  function usd(amount) {
    if (amount >= 1e6) return 'US$' + (amount / 1e6).toFixed(amount >= 1e7 ? 0 : 1) + ' M';
    if (amount >= 1e3) return 'US$' + Math.round(amount / 1e3) + ' k';
    return 'US$' + amount;
  }

  // The label a record is drawn with: its name, cut to two lines (shortLabel).
  function labelOf(ref) {
    var kind = KINDS[ref.__typename];
    return shortLabel((kind && ref[kind.label]) || ref.name || ref.title || ref.code || ref.id);
  }

  // `text` in at most two lines of about LABEL_LINE characters, broken between words, with
  // "…" where it is cut (inside a word longer than a line, the label ends there).
  function shortLabel(text) {
    var words = String(text).split(/\s+/).filter(Boolean);
    var lines = [''];
    for (var i = 0; i < words.length; i++) {
      var line = lines[lines.length - 1];
      var word = words[i];
      if (!line && word.length > LABEL_LINE + 2) {
        lines[lines.length - 1] = word.slice(0, LABEL_LINE) + '…';
        break;
      } else if (!line) {
        lines[lines.length - 1] = word;
      } else if (line.length + 1 + word.length <= LABEL_LINE) {
        lines[lines.length - 1] = line + ' ' + word;
      } else if (lines.length < 2) {
        lines.push('');
        i--; // the word starts the next line
      } else {
        lines[1] += '…';
        break;
      }
    }
    return lines.join('\n');
  }

  // The longer name the panel and search results show.
  function titleOf(ref) {
    return ref.name || ref.title || ref.code || ref.id;
  }

  // ---------------------------------------------------------------------------------------
  // The operations: queries.graphql, cut into one document per operation

  // Splits a GraphQL document into its top-level definitions by name, counting braces
  // outside strings and comments. tests/explore.rs cuts the file with the same rules.
  function splitDefinitions(text) {
    var defs = {};
    var depth = 0;
    var start = -1;
    var name = null;
    var i = 0;
    while (i < text.length) {
      var c = text[i];
      if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (start < 0 && /[A-Za-z_]/.test(c)) {
        var m = /^(query|mutation|subscription|fragment)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(text.slice(i));
        if (!m) throw new Error('queries.graphql: cannot read a definition at offset ' + i);
        start = i;
        name = m[2];
        i += m[0].length;
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') {
        depth--;
        if (depth === 0 && start >= 0) {
          defs[name] = text.slice(start, i + 1);
          start = -1;
        }
      }
      i++;
    }
    return defs;
  }

  // The document that runs one operation: the operation, then each fragment it uses
  // (directly or through other fragments), in the order first used.
  function documentFor(defs, operation) {
    if (!defs[operation]) throw new Error('queries.graphql has no operation ' + operation);
    var order = [operation];
    for (var k = 0; k < order.length; k++) {
      var body = defs[order[k]].replace(/#[^\n]*/g, '');
      var spread = /\.\.\.\s*([_A-Za-z][_0-9A-Za-z]*)/g;
      var m;
      while ((m = spread.exec(body))) {
        if (m[1] !== 'on' && order.indexOf(m[1]) < 0) order.push(m[1]);
      }
    }
    return order
      .map(function (n) {
        return defs[n];
      })
      .join('\n\n');
  }

  // The document with its variables written in (their values, else their defaults), for
  // GraphiQL, which takes a query but no variables from the URL.
  function withVariablesWrittenIn(doc, variables) {
    var header = /^((?:query|mutation|subscription)\s+[_A-Za-z][_0-9A-Za-z]*)\s*\(([^)]*)\)/.exec(doc);
    if (!header) return doc;
    var values = {};
    header[2].split(',').forEach(function (definition) {
      var m = /\$(\w+)\s*:[^=]*(?:=\s*(.+))?/.exec(definition.trim());
      if (m && m[2] !== undefined) values[m[1]] = m[2].trim();
    });
    Object.keys(variables).forEach(function (k) {
      values[k] = JSON.stringify(variables[k]);
    });
    var rest = doc.slice(header[0].length).replace(/\$(\w+)/g, function (all, name) {
      return name in values ? values[name] : all;
    });
    return header[1] + rest;
  }

  var operations = null; // name -> definition text, once queries.graphql has loaded

  function loadOperations() {
    if (operations) return Promise.resolve(operations);
    return fetch(QUERIES_URL, { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('GET ' + QUERIES_URL + ' answered HTTP ' + r.status);
        return r.text();
      })
      .then(function (text) {
        operations = splitDefinitions(text);
        return operations;
      });
  }

  // The operation that fetches a record of this type and its neighbours.
  function operationFor(type) {
    return 'Explore' + type;
  }

  function variablesFor(id) {
    var parsed = parseId(id);
    var variables = { id: parsed ? parsed.id : id };
    // A source's citing records come from the root lists' `sourcedBy` filter, by code.
    if (parsed && parsed.type === 'Source') variables.code = parsed.code;
    return variables;
  }

  // The link that opens a record's operation in GraphiQL (at /, which reads `query`).
  function graphiqlLink(id) {
    var parsed = parseId(id);
    if (!operations || !parsed) return '/';
    var doc = withVariablesWrittenIn(documentFor(operations, operationFor(parsed.type)), variablesFor(id));
    return '/?query=' + encodeURIComponent(doc);
  }

  // ---------------------------------------------------------------------------------------
  // Talking to the API

  // An error the API (or the HTTP around it) answered with, shown as such in the page.
  function ApiError(messages, codes) {
    this.messages = messages;
    this.codes = codes;
    this.message = messages.join('; ');
  }

  // What to tell the reader about an error code, beyond the server's own message.
  var HINTS = {
    RATE_LIMITED: 'The API is limiting how fast this browser may ask. Wait a moment, then retry.',
    UNAUTHENTICATED: 'This server needs a token to read: paste it under “API token” above.',
    FORBIDDEN: 'The token given may not read this.',
    QUERY_TOO_COMPLEX: "The server's limits refused the explorer's query (complexity).",
    QUERY_TOO_DEEP: "The server's limits refused the explorer's query (depth).",
    NOT_FOUND: 'No such record.',
    BAD_USER_INPUT: 'The API refused the request as given.'
  };

  // Runs one operation of queries.graphql; resolves to the answer's `data`, or rejects with
  // an ApiError naming what went wrong (GraphQL errors, HTTP errors, a network failure).
  function run(operation, variables) {
    return loadOperations().then(function (defs) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      var token = sessionStorage.getItem(TOKEN_KEY);
      if (token) headers.Authorization = 'Bearer ' + token;
      return fetch(ENDPOINT, {
        method: 'POST',
        headers: headers,
        credentials: 'same-origin',
        body: JSON.stringify({
          query: documentFor(defs, operation),
          operationName: operation,
          variables: variables
        })
      }).then(
        function (response) {
          return response.text().then(function (text) {
            var body;
            try {
              body = JSON.parse(text);
            } catch (e) {
              throw new ApiError(['HTTP ' + response.status + ' ' + response.statusText + ': ' + text.slice(0, 300)], []);
            }
            if (body.errors && body.errors.length) {
              throw new ApiError(
                body.errors.map(function (e) {
                  return e.message;
                }),
                body.errors.map(function (e) {
                  return (e.extensions && e.extensions.code) || '';
                })
              );
            }
            if (!response.ok || !body.data) {
              throw new ApiError(['HTTP ' + response.status + ' ' + response.statusText], []);
            }
            return body.data;
          });
        },
        function (err) {
          throw new ApiError(['the API could not be reached (' + err.message + ')'], []);
        }
      );
    });
  }

  // ---------------------------------------------------------------------------------------
  // The page's state

  var cy = null; // the cytoscape instance
  var answers = {}; // id -> the record as its Explore<Type> operation answered it
  var pending = {}; // id -> the promise of that answer, while it is on its way
  var rootId = null; // the record drawn first (the URL's `id`)
  var expandedIds = []; // records whose neighbours are drawn, in order (the URL's `expand` after the root)
  var selectedId = null; // the element the panel shows (a node's or an edge's id)
  var loads = 0; // finished loads, for tests (data-loads)
  var lastAction = null; // what "Retry" runs again

  function setState(state) {
    document.body.setAttribute('data-state', state);
  }

  function finishedLoad() {
    loads += 1;
    document.body.setAttribute('data-loads', String(loads));
  }

  // The URL follows what is drawn: the root, then the records expanded from it.
  function updateUrl() {
    var params = new URLSearchParams();
    if (rootId) params.append('id', rootId);
    expandedIds.forEach(function (id) {
      if (id !== rootId) params.append('expand', id);
    });
    var query = params.toString();
    history.replaceState(null, '', '/explore' + (query ? '?' + query.replace(/%3A/g, ':') : ''));
  }

  function setStatus(text) {
    $('status').textContent = text || '';
  }

  // Shows an error in the page's alert bar, with the codes' hints and a retry button.
  function showError(what, err) {
    setState('error');
    var box = $('message');
    box.textContent = '';
    var hints = [];
    (err.codes || []).forEach(function (code) {
      if (HINTS[code] && hints.indexOf(HINTS[code]) < 0) hints.push(HINTS[code]);
    });
    box.appendChild(el('strong', { text: what }));
    box.appendChild(
      el(
        'ul',
        null,
        (err.messages || [String(err.message || err)]).map(function (m, i) {
          var code = err.codes && err.codes[i];
          return el('li', null, [m, code ? el('code', { text: code }) : null]);
        })
      )
    );
    if (hints.length) box.appendChild(el('p', { text: hints.join(' ') }));
    var actions = el('p', { class: 'actions' });
    if (lastAction) {
      var retry = lastAction;
      actions.appendChild(el('button', { type: 'button', text: 'Retry', onclick: function () { hideError(); retry(); } }));
    }
    actions.appendChild(el('button', { type: 'button', text: 'Dismiss', onclick: hideError }));
    box.appendChild(actions);
    box.hidden = false;
    setStatus('');
  }

  function hideError() {
    $('message').hidden = true;
    $('message').textContent = '';
  }

  // ---------------------------------------------------------------------------------------
  // The drawing

  // The stylesheet, its labels' sizes multiplied by `scale` (labelScale), and its nodes'
  // by the root of it: zoomed far out, they shrink less than the drawing does.
  function style(scale) {
    var size = Math.sqrt(scale);
    return [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          'background-color': 'data(colour)',
          shape: 'data(shape)',
          width: 26 * size,
          height: 26 * size,
          'font-size': LABEL_PX.node * scale,
          'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          color: '#1f2937',
          'text-valign': 'bottom',
          'text-margin-y': 4 * scale,
          'text-wrap': 'wrap',
          'text-max-width': 200 * scale,
          'text-outline-color': '#ffffff',
          'text-outline-width': 2 * scale,
          'border-width': 1,
          'border-color': '#ffffff'
        }
      },
      { selector: 'node[kind = "Source"]', style: { width: 18 * size, height: 18 * size, 'font-size': LABEL_PX.source * scale } },
      { selector: 'node.expanded', style: { width: 34 * size, height: 34 * size, 'border-width': 3, 'border-color': '#111827', 'font-weight': 'bold' } },
      { selector: 'node.root', style: { width: 44 * size, height: 44 * size, 'font-size': LABEL_PX.root * scale } },
      { selector: 'node:selected', style: { 'overlay-color': '#facc15', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
      {
        selector: 'edge',
        style: {
          width: 1.5,
          'line-color': '#9ca3af',
          'target-arrow-color': '#9ca3af',
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.8,
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': LABEL_PX.edge * scale,
          color: '#374151',
          'text-rotation': 'autorotate',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': 1 * scale
        }
      },
      { selector: 'edge[rel = "funds"]', style: { width: 3, 'line-color': '#f59e0b', 'target-arrow-color': '#f59e0b', color: '#92400e', 'font-weight': 'bold' } },
      { selector: 'edge[rel = "source"]', style: { 'line-style': 'dashed', 'line-color': '#cbd5e1', 'target-arrow-color': '#cbd5e1', color: '#64748b' } },
      { selector: 'edge:selected', style: { 'line-color': '#facc15', 'target-arrow-color': '#facc15', width: 4 } },
      { selector: '.hidden', style: { display: 'none' } }
    ];
  }

  // What the labels are multiplied by at the drawing's zoom: 1/zoom below zoom 1, so that
  // they keep LABEL_PX on screen.
  function labelScale() {
    var zoom = cy.zoom();
    return zoom < 1 ? 1 / zoom : 1;
  }

  // Restyles the labels for the zoom, when it changed.
  var styledScale = 1;
  function restyleLabels() {
    var scale = labelScale();
    if (Math.abs(scale - styledScale) < 0.01) return;
    styledScale = scale;
    cy.style().fromJson(style(scale)).update();
  }

  // The same, once a frame at most, as the user zooms.
  var restyle = 0;
  function keepLabelsReadable() {
    if (restyle) return;
    restyle = requestAnimationFrame(function () {
      restyle = 0;
      restyleLabels();
    });
  }

  // Fits the whole drawing to the screen (the control at the drawing's corner, and after
  // each layout). The legend covers the drawing's foot: the fit leaves its height free below.
  function fitToScreen() {
    var legend = $('legend').offsetHeight + 10;
    cy.fit(undefined, 40 + legend / 2);
    cy.panBy({ x: 0, y: -legend / 2 });
    restyleLabels();
  }

  // The code and the whole name of the record under the pointer.
  function showHover(node) {
    var box = $('hover');
    var d = node.data();
    box.textContent = '';
    box.appendChild(el('strong', { text: d.code || d.id }));
    if (d.title && d.title !== d.code) box.appendChild(document.createTextNode(' — ' + d.title));
    var p = node.renderedPosition();
    box.style.left = p.x + 'px';
    box.style.top = p.y - node.renderedOuterHeight() / 2 - 6 + 'px';
    box.hidden = false;
  }

  function hideHover() {
    $('hover').hidden = true;
  }

  function makeGraph() {
    cy = cytoscape({
      container: $('graph'),
      style: style(1),
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false
    });
    window.exploreGraph = cy;
    // The drawing's box changes when the alert bar shows or hides (cytoscape itself only
    // follows the window's size).
    new ResizeObserver(function () {
      cy.resize();
    }).observe($('graph'));
    cy.on('tap', 'node', function (evt) {
      select(evt.target.id());
    });
    cy.on('tap', 'edge', function (evt) {
      select(evt.target.id());
    });
    cy.on('tap', function (evt) {
      if (evt.target === cy) select(null);
    });
    cy.on('dbltap', 'node', function (evt) {
      expand(evt.target.id());
    });
    cy.on('zoom', keepLabelsReadable);
    cy.on('mouseover', 'node', function (evt) {
      showHover(evt.target);
    });
    cy.on('mouseout', 'node', hideHover);
    cy.on('viewport remove', hideHover);
    $('fit').addEventListener('click', fitToScreen);
  }

  // Adds a record's node unless it is drawn already; returns true if it is new.
  function addNode(ref, near) {
    if (!ref || !ref.id || !KINDS[ref.__typename]) return false;
    if (cy.getElementById(ref.id).nonempty()) return false;
    var kind = KINDS[ref.__typename];
    cy.add({
      group: 'nodes',
      data: { id: ref.id, kind: ref.__typename, code: ref.code, label: labelOf(ref), title: titleOf(ref), colour: kind.colour, shape: kind.shape },
      position: near ? { x: near.x, y: near.y } : { x: 0, y: 0 }
    });
    return true;
  }

  // Adds (or merges into) the edge `from -rel-> to`. Edges of one relationship between the
  // same two records are one edge whose label lists each detail once (a member chairing a
  // body in 2020 and 2021: "chairs 2020, 2021").
  function addEdge(from, to, rel, detail, extra) {
    if (!from || !to || from === to) return;
    if (cy.getElementById(from).empty() || cy.getElementById(to).empty()) return;
    var id = from + ' ' + rel + ' ' + to;
    var edge = cy.getElementById(id);
    if (edge.empty()) {
      edge = cy.add({ group: 'edges', data: { id: id, source: from, target: to, rel: rel, details: [], fundings: [] } });
    }
    var data = edge.data();
    if (detail && data.details.indexOf(detail) < 0) data.details.push(detail);
    if (extra && extra.funding) {
      var f = extra.funding;
      var same = data.fundings.some(function (g) {
        return g.funder.id === f.funder.id && g.target.id === f.target.id;
      });
      if (!same) data.fundings.push(f);
    }
    edge.data('label', edgeLabel(rel, data.details));
  }

  // Meetings and initiatives: `Initiative.meetings` says only that a meeting dealt with the
  // initiative; the meeting's own lists say whether it discussed or approved it. One edge, the
  // most precise words known.
  function edgeLabel(rel, details) {
    if (rel === 'dealt with') {
      var precise = details.filter(function (d) {
        return d !== 'dealt with';
      });
      return precise.length ? precise.join(', ') : 'dealt with';
    }
    return details.length ? rel + ' ' + details.join(', ') : rel;
  }

  // Fundings. A funding is drawn as an edge funder -> target labelled "funds" (with its
  // project count or amount), not as a node of its own: it has no id, and as a node it would
  // put a blob between a partner and what it funds. The meeting that approved it is not lost:
  // it is drawn too, with an edge "approved funding" to what was funded, and the edge's panel
  // lists every funding it stands for with amounts, approving meeting and sources.
  function addFunding(f, near) {
    if (!f.funder || !f.target) return;
    addNode(f.funder, near);
    addNode(f.target, near);
    var parts = [];
    if (f.projectCount !== null && f.projectCount !== undefined) {
      parts.push(f.projectCount + (f.projectCount === 1 ? ' project' : ' projects'));
    }
    if (f.amountUsd !== null && f.amountUsd !== undefined) parts.push(usd(f.amountUsd));
    addEdge(f.funder.id, f.target.id, 'funds', parts.join(', ') || null, { funding: f });
    if (f.approvedAt) {
      addNode(f.approvedAt, near);
      addEdge(f.approvedAt.id, f.target.id, 'approved funding', null, { funding: f });
    }
  }

  // The neighbours of a record, as [ref, from, to, relationship, detail] and fundings, read
  // from its Explore<Type> answer; and the lists that had more items than one page, for
  // "showing 50 of N". The relationships and their directions follow the schema's fields.
  function neighbours(rec, data) {
    var links = [];
    var fundings = [];
    var truncated = [];
    var me = rec.id;
    function out(ref, rel, detail) {
      if (ref) links.push([ref, me, ref.id, rel, detail]);
    }
    function into(ref, rel, detail) {
      if (ref) links.push([ref, ref.id, me, rel, detail]);
    }
    function page(conn, what, each) {
      if (!conn) return;
      conn.nodes.forEach(each);
      if (conn.totalCount > conn.nodes.length) truncated.push({ what: what, shown: conn.nodes.length, total: conn.totalCount });
    }
    function fund(conn, what) {
      page(conn, what, function (f) {
        fundings.push(f);
      });
    }
    (rec.sources || []).forEach(function (s) {
      out(Object.assign({ __typename: 'Source' }, s), 'source');
    });
    switch (rec.__typename) {
      case 'Member':
        (rec.chairmanships || []).forEach(function (c) {
          out(c.body, 'chairs', String(c.year)); // body null: Chair of ASEAN (the panel says so)
        });
        page(rec.meetings, 'meetings', function (m) {
          out(m, 'took part');
        });
        fund(rec.fundings, 'fundings');
        (rec.people || []).forEach(function (p) {
          into(p, 'represents');
        });
        break;
      case 'Partner':
        page(rec.meetings, 'meetings', function (m) {
          out(m, 'took part');
        });
        fund(rec.fundings, 'fundings');
        break;
      case 'Body':
        out(rec.parent, 'reports to');
        (rec.children || []).forEach(function (b) {
          into(b, 'reports to');
        });
        (rec.chairs || []).forEach(function (c) {
          into(c.member, 'chairs', String(c.year));
        });
        page(rec.meetings, 'meetings held', function (m) {
          out(m, 'held');
        });
        page(rec.attended, 'meetings attended', function (m) {
          out(m, 'took part');
        });
        page(rec.initiatives, 'initiatives led', function (i) {
          out(i, 'leads');
        });
        break;
      case 'Meeting':
        into(rec.body, 'held');
        into(rec.chair, 'chairs');
        (rec.participants || []).forEach(function (p) {
          var role = p.role && p.role !== 'participant' ? 'as ' + p.role : null;
          into(p.party, 'took part', role);
          into(p.headOfDelegation, 'headed delegation');
        });
        page(rec.initiatives, 'initiatives discussed', function (i) {
          out(i, 'dealt with', 'discussed');
        });
        page(rec.approved, 'initiatives approved', function (i) {
          out(i, 'dealt with', 'approved');
        });
        page(rec.recommended, 'initiatives recommended', function (i) {
          out(i, 'dealt with', 'recommended for adoption');
        });
        into(rec.presidedBy, 'chaired');
        (rec.speakers || []).forEach(function (p) {
          into(p, 'spoke at');
        });
        (rec.meetingLinks || []).forEach(function (l) {
          var rel = humanEnum(l.kind);
          if (l.from && l.from.id === me) out(l.to, rel);
          else into(l.from, rel);
        });
        fund(rec.fundings, 'fundings of the meeting');
        fund(rec.approvedFundings, 'fundings approved');
        break;
      case 'Initiative':
        out(rec.parent, 'part of');
        page(rec.children, 'parts', function (i) {
          into(i, 'part of');
        });
        (rec.leadBodies || []).forEach(function (b) {
          into(b, 'leads');
        });
        page(rec.meetings, 'meetings', function (m) {
          into(m, 'dealt with', 'dealt with');
        });
        fund(rec.fundings, 'fundings');
        break;
      case 'Person':
        out(rec.representing, 'represents');
        (rec.delegations || []).forEach(function (d) {
          out(d.meeting, 'headed delegation');
        });
        (rec.spokeAt || []).forEach(function (m) {
          out(m, 'spoke at');
        });
        (rec.presided || []).forEach(function (m) {
          out(m, 'chaired');
        });
        break;
      case 'Source':
        ['members', 'partners', 'bodies', 'meetings', 'initiatives', 'people'].forEach(function (list) {
          page(data && data[list], list + ' citing it', function (r) {
            into(r, 'source');
          });
        });
        break;
    }
    return { links: links, fundings: fundings, truncated: truncated };
  }

  // Fetches a record (once; later calls share the answer): its fields, sources, claims and
  // neighbours. Resolves to the record, or rejects with an ApiError (a NOT_FOUND one if the
  // API has no such record).
  function fetchRecord(id) {
    if (answers[id]) return Promise.resolve(answers[id]);
    if (pending[id]) return pending[id];
    var parsed = parseId(id);
    if (!parsed) {
      return Promise.reject(
        new ApiError(['"' + id + '" is not a record id: write <Type>:<code> with Type one of ' + Object.keys(KINDS).join(', ') + ' (e.g. Initiative:IAI-WP4)'], [])
      );
    }
    pending[id] = run(operationFor(parsed.type), variablesFor(id))
      .then(function (data) {
        var rec = data.node;
        if (!rec || rec.__typename !== parsed.type) {
          throw new ApiError(['no ' + KINDS[parsed.type].noun.toLowerCase() + ' has the id ' + id], ['NOT_FOUND']);
        }
        rec.neighbourhood = neighbours(rec, data);
        answers[id] = rec;
        answers[rec.id] = rec; // the canonical id, if the code was typed in another case
        return rec;
      })
      .finally(function () {
        delete pending[id];
      });
    return pending[id];
  }

  // Draws a record's neighbours around it; returns how many records were new.
  function drawNeighbours(rec) {
    var centre = cy.getElementById(rec.id).position();
    var added = 0;
    var n = rec.neighbourhood;
    cy.batch(function () {
      n.links.forEach(function (l) {
        if (addNode(l[0], centre)) added++;
        addEdge(l[1], l[2], l[3], l[4]);
      });
      n.fundings.forEach(function (f) {
        var before = cy.nodes().length;
        addFunding(f, centre);
        added += cy.nodes().length - before;
      });
    });
    cy.getElementById(rec.id).addClass('expanded');
    if (expandedIds.indexOf(rec.id) < 0) expandedIds.push(rec.id);
    return added;
  }

  // New nodes start on a circle around the record they came from, so that the force-directed
  // layout starts untangled and lays the same graph out the same way every time.
  function spread(newNodes, centre) {
    var count = newNodes.length;
    newNodes.forEach(function (node, i) {
      var angle = (2 * Math.PI * i) / Math.max(count, 1);
      var radius = 160 + 6 * count;
      node.position({ x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
    });
  }

  // The force-directed layout ignores the shape of the box it is drawn in: a tall drawing in
  // a wide box comes out small. Stretch the node positions (not the nodes) along the short
  // axis, by at most 1.6, towards the box's proportions.
  function stretch() {
    var nodes = cy.nodes(':visible');
    if (nodes.length < 3) return;
    var bb = nodes.boundingBox({ includeLabels: false });
    if (bb.w <= 0 || bb.h <= 0) return;
    var target = cy.width() / Math.max(cy.height(), 1);
    var ratio = bb.w / bb.h;
    var sx = ratio < target ? Math.min(target / ratio, 1.6) : 1;
    var sy = ratio > target ? Math.min(ratio / target, 1.6) : 1;
    var cx = bb.x1 + bb.w / 2;
    var cyMid = bb.y1 + bb.h / 2;
    nodes.positions(function (n) {
      var p = n.position();
      return { x: cx + (p.x - cx) * sx, y: cyMid + (p.y - cyMid) * sy };
    });
  }

  // Lays the drawing out and fits it. The layout keeps labels apart at the size they had when
  // it started; when the fit then changed that size by more than a fifth (labels keep their
  // size on screen as the drawing shrinks), it runs once more from where the nodes are.
  function layout() {
    var before = styledScale;
    return layoutOnce().then(function () {
      var change = styledScale / before;
      if (change > 1.2 || change < 1 / 1.2) return layoutOnce();
    });
  }

  function layoutOnce() {
    return new Promise(function (resolve) {
      var l = cy.layout({
        name: 'cose',
        animate: false,
        randomize: false,
        fit: false, // stretch() fits it afterwards
        padding: 40,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: function () {
          return 90;
        },
        nodeRepulsion: function () {
          return 90000;
        },
        edgeElasticity: function () {
          return 80;
        },
        gravity: 0.5,
        numIter: 1500
      });
      l.one('layoutstop', function () {
        stretch();
        fitToScreen();
        resolve();
      });
      l.run();
    });
  }

  function truncationNote(rec) {
    return rec.neighbourhood.truncated
      .map(function (t) {
        return 'showing ' + t.shown + ' of ' + t.total + ' ' + t.what;
      })
      .join('; ');
  }

  // Draws a record and its neighbours on a clean slate (from the URL or a search hit).
  function draw(id, thenExpand) {
    lastAction = function () {
      draw(id, thenExpand);
    };
    hideError();
    setState('loading');
    setStatus('Loading ' + id + '…');
    return fetchRecord(id).then(
      function (rec) {
        cy.elements().remove();
        expandedIds = [];
        rootId = rec.id;
        addNode(rec);
        var rootNode = cy.getElementById(rec.id);
        rootNode.addClass('root');
        drawNeighbours(rec);
        spread(cy.nodes().not(rootNode), rootNode.position());
        return layout().then(function () {
          updateUrl();
          select(rec.id);
          var note = truncationNote(rec);
          setStatus(titleOf(rec) + ': ' + (cy.nodes().length - 1) + ' records one link away' + (note ? ' (' + note + ')' : ''));
          setState('ready');
          finishedLoad();
          // The URL's other expanded records, one after the other.
          return (thenExpand || []).reduce(function (p, next) {
            return p.then(function () {
              return expand(next);
            });
          }, Promise.resolve());
        });
      },
      function (err) {
        showError('Could not draw ' + id, err);
        finishedLoad();
      }
    );
  }

  // Adds a record's neighbours to the drawing (double-click, or "Expand" in the panel).
  function expand(id) {
    if (!id) return Promise.resolve();
    lastAction = function () {
      expand(id);
    };
    hideError();
    setState('loading');
    setStatus('Expanding ' + id + '…');
    return fetchRecord(id).then(
      function (rec) {
        if (expandedIds.indexOf(rec.id) >= 0) {
          select(rec.id);
          setStatus(titleOf(rec) + ' is expanded already.');
          setState('ready');
          finishedLoad();
          return;
        }
        if (cy.getElementById(rec.id).empty()) {
          addNode(rec);
        }
        var node = cy.getElementById(rec.id);
        var before = cy.nodes().map(function (n) {
          return n.id();
        });
        var added = drawNeighbours(rec);
        var fresh = cy.nodes().filter(function (n) {
          return before.indexOf(n.id()) < 0;
        });
        spread(fresh, node.position());
        return layout().then(function () {
          updateUrl();
          select(rec.id);
          var note = truncationNote(rec);
          setStatus('Expanded ' + titleOf(rec) + ': ' + added + ' new records' + (note ? ' (' + note + ')' : ''));
          setState('ready');
          finishedLoad();
        });
      },
      function (err) {
        showError('Could not expand ' + id, err);
        finishedLoad();
      }
    );
  }

  // ---------------------------------------------------------------------------------------
  // The side panel

  function select(id) {
    selectedId = id;
    cy.elements().unselect();
    if (!id) {
      renderWelcome();
      return;
    }
    var element = cy.getElementById(id);
    if (element.nonempty()) element.select();
    if (element.nonempty() && element.isEdge()) {
      renderEdge(element);
      return;
    }
    if (answers[id]) {
      renderRecord(answers[id]);
      return;
    }
    // A neighbour not fetched yet: its own operation brings its fields (and its neighbours,
    // so that expanding it afterwards costs no second request).
    var panel = $('panel');
    panel.textContent = '';
    panel.appendChild(el('p', { class: 'muted', text: 'Loading ' + id + '…' }));
    fetchRecord(id).then(
      function (rec) {
        if (selectedId === id) renderRecord(rec);
      },
      function (err) {
        if (selectedId === id) showError('Could not read ' + id, err);
      }
    );
  }

  function kindChip(type) {
    var kind = KINDS[type];
    return el('span', { class: 'chip', style: 'background:' + kind.colour, text: kind.noun });
  }

  // A link that selects a record in the drawing (or draws it, if it is not drawn).
  function recordLink(ref) {
    return el('a', {
      href: '/explore?id=' + encodeURIComponent(ref.id).replace(/%3A/g, ':'),
      text: titleOf(ref),
      onclick: function (e) {
        e.preventDefault();
        if (cy.getElementById(ref.id).nonempty()) select(ref.id);
        else draw(ref.id);
      }
    });
  }

  function section(title, children) {
    return el('section', null, [el('h3', { text: title })].concat(children));
  }

  function fieldValue(key, value) {
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (Array.isArray(value)) return value.join('; ');
    if (ENUM_FIELDS.indexOf(key) >= 0) return humanEnum(value);
    return String(value);
  }

  function sourceItem(s) {
    var meta = [s.publisher, s.publishedOn].filter(Boolean).join(', ');
    return el('li', null, [
      s.url ? el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer', text: s.title }) : el('span', { text: s.title }),
      ' ',
      el('span', { class: 'muted', text: '(' + s.code + (meta ? ', ' + meta : '') + ')' })
    ]);
  }

  function renderRecord(rec) {
    var panel = $('panel');
    panel.textContent = '';
    var drawn = cy.getElementById(rec.id).nonempty();
    var expanded = expandedIds.indexOf(rec.id) >= 0;
    // The records expanding it would add.
    var around = rec.neighbourhood.links.map(function (l) {
      return l[0];
    });
    rec.neighbourhood.fundings.forEach(function (f) {
      around.push(f.funder, f.target, f.approvedAt);
    });
    var undrawn = {};
    around.forEach(function (r) {
      if (r && r.id !== rec.id && cy.getElementById(r.id).empty()) undrawn[r.id] = true;
    });
    var undrawnCount = Object.keys(undrawn).length;

    panel.appendChild(
      el('header', null, [kindChip(rec.__typename), el('h2', { text: titleOf(rec) }), el('p', { class: 'muted', text: rec.id })])
    );

    var actions = el('p', { class: 'actions' });
    if (!drawn) {
      actions.appendChild(el('button', { type: 'button', class: 'primary', text: 'Draw', onclick: function () { draw(rec.id); } }));
    } else if (!expanded) {
      actions.appendChild(
        el('button', {
          type: 'button',
          class: 'primary',
          id: 'expand-button',
          text: 'Expand' + (undrawnCount ? ' (+' + undrawnCount + ')' : ''),
          title: 'Add its neighbours to the drawing (or double-click the node)',
          onclick: function () {
            expand(rec.id);
          }
        })
      );
    } else {
      actions.appendChild(el('button', { type: 'button', disabled: true, text: 'Expanded' }));
    }
    if (rec.id !== rootId) {
      actions.appendChild(el('button', { type: 'button', text: 'Draw from here', title: 'Start a new drawing from this record', onclick: function () { draw(rec.id); } }));
    }
    actions.appendChild(el('a', { class: 'button', id: 'graphiql-link', href: graphiqlLink(rec.id), target: '_blank', rel: 'noopener', text: 'Open in GraphiQL' }));
    panel.appendChild(actions);
    if (!expanded && drawn) {
      panel.appendChild(el('p', { class: 'muted small', text: 'Double-click a node to expand it.' }));
    }
    var note = truncationNote(rec);
    if (note) panel.appendChild(el('p', { class: 'note', text: 'Its lists are long: ' + note + '.' }));

    // Its own fields: every scalar (and list of scalars) the operation asked for.
    var rows = [];
    Object.keys(rec).forEach(function (key) {
      var value = rec[key];
      if (key === '__typename' || key === 'id' || key === 'neighbourhood') return;
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) {
        if (!value.length || typeof value[0] === 'object') return;
      } else if (typeof value === 'object') {
        return;
      }
      rows.push(el('tr', null, [el('th', { text: humanField(key) }), el('td', { text: fieldValue(key, value) })]));
    });
    panel.appendChild(section('Fields', [el('table', { class: 'fields' }, rows)]));

    if (rec.statuses && rec.statuses.length) {
      panel.appendChild(
        section('Status history', [
          el(
            'ul',
            null,
            rec.statuses.map(function (s) {
              var stage = s.stage && s.stage !== 'CONFERRED' ? ' (' + humanEnum(s.stage) + ')' : '';
              return el('li', null, [
                humanEnum(s.kind) + stage + ' from ' + s.from + (s.to ? ' to ' + s.to : ''),
                s.decidedAt ? ', decided at ' : '',
                s.decidedAt ? recordLink(s.decidedAt) : '',
                s.note ? ' — ' + s.note : ''
              ]);
            })
          )
        ])
      );
    }
    if (rec.figures && rec.figures.length) {
      panel.appendChild(
        section('Figures', [
          el(
            'ul',
            null,
            rec.figures.map(function (f) {
              var qualified = f.qualifier ? humanEnum(f.qualifier) + ' ' : '';
              return el('li', { text: f.label + ': ' + qualified + f.value + (f.unit && f.unit !== f.label ? ' ' + f.unit : '') + (f.asOf ? ' (as of ' + f.asOf + ')' : '') });
            })
          )
        ])
      );
    }
    if (rec.chairmanships && rec.chairmanships.length) {
      panel.appendChild(
        section('Chairmanships', [
          el(
            'ul',
            null,
            rec.chairmanships.map(function (c) {
              return el('li', null, [String(c.year) + ': ', c.body ? recordLink(c.body) : 'Chair of ASEAN']);
            })
          )
        ])
      );
    }
    var fundings = rec.neighbourhood.fundings;
    if (fundings.length) {
      panel.appendChild(section('Fundings', [el('ul', null, fundings.map(fundingItem))]));
    }
    if (rec.__typename === 'Source') {
      panel.appendChild(
        section('Where', [
          rec.url ? el('p', null, [el('a', { href: rec.url, target: '_blank', rel: 'noopener noreferrer', text: rec.url })]) : el('p', { class: 'muted', text: rec.file ? 'Seed article ' + rec.file : 'No URL' })
        ])
      );
    } else {
      panel.appendChild(
        section('Sources', [rec.sources && rec.sources.length ? el('ul', { class: 'sources' }, rec.sources.map(sourceItem)) : el('p', { class: 'muted', text: 'None given.' })])
      );
      panel.appendChild(section('Claims (where sources disagree)', [claimsTable(rec.claims)]));
    }
  }

  function claimsTable(claims) {
    if (!claims || !claims.length) return el('p', { class: 'muted', text: 'None: the sources agree.' });
    return el('table', { class: 'claims' }, [
      el('tr', null, [el('th', { text: 'Field' }), el('th', { text: 'Value' }), el('th', { text: 'Source' })]),
    ].concat(
      claims.map(function (c) {
        var source = c.source;
        return el('tr', null, [
          el('td', { text: humanField(c.field) }),
          el('td', null, [c.value, c.note ? el('div', { class: 'muted small', text: c.note }) : null]),
          el('td', null, [source ? (source.url ? el('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer', title: source.title, text: source.code }) : el('span', { title: source.title, text: source.code })) : '—'])
        ]);
      })
    ));
  }

  function fundingItem(f) {
    var bits = [];
    if (f.projectCount !== null && f.projectCount !== undefined) bits.push(f.projectCount + (f.projectCount === 1 ? ' project' : ' projects'));
    if (f.amountUsd !== null && f.amountUsd !== undefined) bits.push(usd(f.amountUsd));
    return el('li', null, [
      recordLink(f.funder),
      ' funds ',
      recordLink(f.target),
      bits.length ? ' (' + bits.join(', ') + ')' : '',
      f.approvedAt ? el('span', null, ['; approved at ', recordLink(f.approvedAt)]) : null,
      f.note ? el('div', { class: 'muted small', text: f.note }) : null,
      f.sources && f.sources.length ? el('div', { class: 'small' }, ['Sources: '].concat(f.sources.map(function (s, i) {
        var link = s.url ? el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer', title: s.title, text: s.code }) : el('span', { title: s.title, text: s.code });
        return i ? el('span', null, [', ', link]) : link;
      }))) : null
    ]);
  }

  function renderEdge(edge) {
    var panel = $('panel');
    panel.textContent = '';
    var d = edge.data();
    var from = edge.source().data();
    var to = edge.target().data();
    panel.appendChild(el('header', null, [el('span', { class: 'chip', style: 'background:#6b7280', text: 'Link' }), el('h2', { text: d.label })]));
    panel.appendChild(
      el('p', null, [recordLink({ id: from.id, name: from.title }), ' → ', el('em', { text: d.label }), ' → ', recordLink({ id: to.id, name: to.title })])
    );
    if (d.fundings.length) panel.appendChild(section('Fundings', [el('ul', null, d.fundings.map(fundingItem))]));
  }

  function renderWelcome() {
    var panel = $('panel');
    panel.textContent = '';
    panel.appendChild(el('h2', { text: 'Explore the graph' }));
    panel.appendChild(
      el('p', {
        text: 'Search for a record above, or start from one of these. Click a record to see its fields, sources and claims; double-click it to add its neighbours.'
      })
    );
    panel.appendChild(
      el(
        'ul',
        null,
        [
          { id: 'Initiative:IAI-WP4', name: 'IAI Work Plan IV (2021–2025)' },
          { id: 'Partner:JPN', name: 'Japan' },
          { id: 'Body:IAI-TF', name: 'IAI Task Force' },
          { id: 'Meeting:IAI-TF-63', name: '63rd IAI Task Force meeting' },
          { id: 'Member:VNM', name: 'Viet Nam' }
        ].map(function (r) {
          return el('li', null, [recordLink(r)]);
        })
      )
    );
  }

  function renderLegend() {
    var legend = $('legend');
    legend.textContent = '';
    Object.keys(KINDS).forEach(function (type) {
      legend.appendChild(
        el('span', { class: 'legend-item', 'data-kind': type }, [el('span', { class: 'swatch shape-' + KINDS[type].shape, style: 'background:' + KINDS[type].colour }), KINDS[type].noun])
      );
    });
    legend.appendChild(el('span', { class: 'legend-item' }, [el('span', { class: 'line funds' }), 'funds']));
    legend.appendChild(el('span', { class: 'legend-item' }, [el('span', { class: 'line source' }), 'source']));
  }

  // ---------------------------------------------------------------------------------------
  // Search

  var searchSeq = 0; // answers to older searches are dropped

  function search(text) {
    var results = $('search-results');
    text = text.trim();
    if (!text) {
      results.hidden = true;
      return Promise.resolve();
    }
    var seq = ++searchSeq;
    lastAction = function () {
      search(text);
    };
    return run('ExploreSearch', { text: text }).then(
      function (data) {
        if (seq !== searchSeq) return;
        hideError(); // an earlier attempt's error, if any, is over
        results.textContent = '';
        var hits = data.search.nodes;
        if (!hits.length) results.appendChild(el('li', { class: 'muted', text: 'Nothing matches “' + text + '”.' }));
        hits.forEach(function (hit) {
          if (!KINDS[hit.__typename]) return;
          results.appendChild(
            el('li', { role: 'option' }, [
              el(
                'button',
                {
                  type: 'button',
                  'data-id': hit.id,
                  onclick: function () {
                    results.hidden = true;
                    draw(hit.id);
                  }
                },
                [kindChip(hit.__typename), ' ', titleOf(hit), hit.code && hit.code !== titleOf(hit) ? el('span', { class: 'muted', text: ' ' + hit.code }) : null]
              )
            ])
          );
        });
        if (data.search.pageInfo.hasNextPage) {
          results.appendChild(el('li', { class: 'muted', text: 'More records match: add a word to narrow the search.' }));
        }
        results.hidden = false;
      },
      function (err) {
        if (seq === searchSeq) showError('Search failed', err);
      }
    );
  }

  function wireSearch() {
    var input = $('search-text');
    var timer = null;
    $('search').addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      search(input.value);
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        search(input.value);
      }, 300);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') $('search-results').hidden = true;
    });
    document.addEventListener('click', function (e) {
      if (!$('search').contains(e.target)) $('search-results').hidden = true;
    });
  }

  function wireToken() {
    var input = $('token-text');
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      input.dispatchEvent(new Event('change'));
      $('token').open = false;
    });
    input.value = sessionStorage.getItem(TOKEN_KEY) || '';
    input.addEventListener('change', function () {
      if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      else sessionStorage.removeItem(TOKEN_KEY);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Start

  function start() {
    if (typeof cytoscape !== 'function') {
      showError('The page could not start', { messages: ['/explore/cytoscape.min.js did not load'], codes: [] });
      return;
    }
    makeGraph();
    renderLegend();
    wireSearch();
    wireToken();
    var params = new URLSearchParams(location.search);
    var id = params.get('id');
    loadOperations().then(
      function () {
        if (id) draw(id.trim(), linkedExpansions(params.getAll('expand')));
        else renderWelcome();
      },
      function (err) {
        showError('The page could not load its queries', err);
      }
    );
  }

  // The records a shared link expands, each once, at most MAX_LINKED_EXPANSIONS: each costs
  // a request and a layout, and a crafted link must not keep the page loading for minutes.
  function linkedExpansions(ids) {
    var unique = ids.filter(function (id, i) {
      return id && ids.indexOf(id) === i;
    });
    if (unique.length > MAX_LINKED_EXPANSIONS) {
      setStatus('The link expands ' + unique.length + ' records; the first ' + MAX_LINKED_EXPANSIONS + ' are drawn.');
    }
    return unique.slice(0, MAX_LINKED_EXPANSIONS);
  }

  start();
})();
