// asean-graph's GraphiQL page (ours; the libraries it uses are vendored beside it, see
// VERSIONS.txt). It sets up:
// - a fetcher: queries and mutations are POSTed to /graphql (with the headers typed into
//   GraphiQL's header editor); subscriptions run over the WebSocket at /ws (graphql-ws,
//   with those headers as the connection_init payload, so a token works there too);
// - the schema explorer plugin (build a query by ticking fields and arguments), opened at
//   its root;
// - a "Questions" plugin, open by default on a wide screen: every documented query
//   (/graphiql/questions.json, read from the README and the guides), a click opening it in
//   a tab of its own;
// - the default query: the product question, one selection per line;
// - `/?query=…` (as /explore links here): that query opens in a tab, if the server could
//   take it;
// - the logo's place links to /explore.
(function () {
  'use strict';

  const h = React.createElement;
  const GraphQL = GraphiQL.GraphQL;
  const ENDPOINT = '/graphql';
  const WS_ENDPOINT = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';

  // The product's question: which dialogue partners fund projects under the IAI, which,
  // approved at which meeting, says who.
  const DEFAULT_QUERY = [
    'query ProductQuestion {',
    '  partners(',
    '    kind: DIALOGUE_PARTNER',
    '    filter: {',
    '      fundings: {',
    '        some: {',
    '          target: {',
    '            initiative: {',
    '              under: "IAI"',
    '            }',
    '          }',
    '        }',
    '      }',
    '    }',
    '  ) {',
    '    nodes {',
    '      name',
    '      fundings {',
    '        nodes {',
    '          projectCount',
    '          amountUsd',
    '          target {',
    '            ... on Initiative {',
    '              code',
    '              name',
    '              parent {',
    '                code',
    '              }',
    '            }',
    '          }',
    '          approvedAt {',
    '            code',
    '            startDate',
    '          }',
    '          sources {',
    '            title',
    '          }',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  // --- Fetching -------------------------------------------------------------------------

  // A query or mutation over HTTP. A GraphQL error response (any status) is JSON and is
  // shown as is; anything else becomes one error naming the status.
  async function overHttp(params, headers) {
    const response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: Object.assign(
        {
          'Content-Type': 'application/json',
          Accept: 'application/graphql-response+json, application/json'
        },
        headers
      ),
      credentials: 'same-origin',
      body: JSON.stringify(params)
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      return { errors: [{ message: 'HTTP ' + response.status + ' ' + response.statusText + ': ' + text }] };
    }
  }

  // One graphql-ws client per set of headers, connected when first used: the headers
  // (e.g. Authorization) are the connection_init payload, fixed for a socket's life.
  const wsClients = new Map();
  function wsClient(headers) {
    const key = JSON.stringify(headers);
    let client = wsClients.get(key);
    if (!client) {
      client = graphqlWs.createClient({
        url: WS_ENDPOINT,
        lazy: true,
        retryAttempts: 0,
        connectionParams: () => headers
      });
      wsClients.set(key, client);
    }
    return client;
  }

  // What a failed socket or subscription says, in words.
  function describe(error) {
    if (Array.isArray(error)) return error.map(describe).join('; ');
    if (error && typeof error.code === 'number') {
      return 'WebSocket closed (' + error.code + (error.reason ? ': ' + error.reason : '') + ')';
    }
    if (error && error.message) return error.message;
    return 'the WebSocket to ' + WS_ENDPOINT + ' failed';
  }

  // A subscription's events as GraphiQL shows them, live; a failure ends it with one error.
  // GraphiQL's stop button returns this iterator, which completes the subscription.
  async function* overWebSocket(params, headers) {
    try {
      for await (const result of wsClient(headers).iterate(params)) yield result;
    } catch (error) {
      yield { errors: [{ message: describe(error) }] };
    }
  }

  function isSubscription(params) {
    try {
      const op = GraphQL.getOperationAST(GraphQL.parse(params.query), params.operationName || undefined);
      return Boolean(op) && op.operation === 'subscription';
    } catch (e) {
      return false; // the server names the syntax error
    }
  }

  function fetcher(params, opts) {
    const headers = Object.assign({}, opts && opts.headers);
    return isSubscription(params) ? overWebSocket(params, headers) : overHttp(params, headers);
  }

  // --- The "Questions" plugin -----------------------------------------------------------

  // A documented question laid out one selection per line, as the default query is.
  function pretty(query) {
    try {
      return GraphQL.print(GraphQL.parse(query)) + '\n';
    } catch (e) {
      return query;
    }
  }

  function QuestionsIcon() {
    return h(
      'svg',
      { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
      h('path', { d: 'M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01', strokeLinecap: 'round' })
    );
  }

  // What each documented file is, as the Questions list heads its questions.
  const DOCUMENT_NAMES = {
    'README.md': 'README',
    'docs/querying.md': 'Querying guide',
    'docs/filters.md': 'Filters, ordering, aggregates',
    'docs/writing.md': 'Writing'
  };

  function QuestionsContent() {
    const editor = GraphiQL.React.useEditorContext({ nonNull: true });
    const latest = React.useRef(editor);
    latest.current = editor;
    const [state, setState] = React.useState({ questions: null, error: null });

    React.useEffect(() => {
      fetch('/graphiql/questions.json')
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
        .then((questions) => setState({ questions: questions, error: null }))
        .catch((error) => setState({ questions: null, error: error.message }));
    }, []);

    // Opens a question in its own tab: the tab already holding it if there is one (a tab is
    // titled by its operation's name), else a new one. A new tab opens in steps (the tab, then
    // its text, then its title a moment later), so clicks meanwhile are ignored: else a quick
    // second click would open a tab of its own or fill the wrong one.
    const busy = React.useRef(false);
    function open(question) {
      if (busy.current) return;
      const at = latest.current.tabs.findIndex((tab) => tab.title === question.name);
      if (at >= 0) {
        latest.current.changeTab(at);
        return;
      }
      busy.current = true;
      const index = latest.current.tabs.length;
      const started = Date.now();
      const waited = () => Date.now() - started > 2000;
      latest.current.addTab();
      (function fill() {
        const ed = latest.current;
        if (ed.activeTabIndex !== index && !waited()) return void setTimeout(fill, 10);
        if (ed.queryEditor) ed.queryEditor.setValue(pretty(question.query));
        if (ed.variableEditor) ed.variableEditor.setValue('');
        (function titled() {
          const tab = latest.current.tabs[latest.current.activeTabIndex];
          if (tab && tab.title !== question.name && !waited()) return void setTimeout(titled, 20);
          busy.current = false;
        })();
      })();
    }

    if (state.error) return h('p', { className: 'ag-note' }, 'Could not load the questions: ' + state.error);
    if (!state.questions) return h('p', { className: 'ag-note' }, 'Loading…');
    const children = [
      h('div', { className: 'graphiql-doc-explorer-title', key: 'title' }, 'Questions'),
      h('p', { className: 'ag-note', key: 'note' }, 'The documented questions; a click opens one in a tab.')
    ];
    let file = null;
    let section = null;
    state.questions.forEach((q) => {
      if (q.document !== file) {
        file = q.document;
        section = null;
        children.push(h('h4', { key: 'd-' + q.name }, DOCUMENT_NAMES[file] || file));
      }
      if (q.section !== section) {
        section = q.section;
        children.push(h('h3', { key: 'h-' + q.name }, section));
      }
      children.push(
        h('button', { key: q.name, type: 'button', title: q.document, onClick: () => open(q) }, q.name)
      );
    });
    return h('div', { className: 'ag-questions' }, children);
  }

  const questionsPlugin = { title: 'Questions', icon: QuestionsIcon, content: QuestionsContent };
  // The explorer plugin, opened at its root: the explorer focuses the input of an argument
  // the query gives (the product question's `under: "IAI"`), and the browser scrolls the
  // panel down to it, the root fields out of sight. Once it has drawn, the focus goes back
  // and the panel to its top.
  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  function ExplorerAtItsRoot() {
    const ref = React.useRef(null);
    React.useEffect(() => {
      const timer = setTimeout(() => {
        const el = ref.current;
        if (!el) return;
        const active = document.activeElement;
        if (active && el.contains(active)) active.blur();
        const panel = el.closest('.graphiql-plugin');
        if (panel) panel.scrollTop = 0;
      }, 0);
      return () => clearTimeout(timer);
    }, []);
    return h('div', { ref: ref, style: { display: 'contents' } }, h(explorer.content));
  }
  const explorerPlugin = { title: explorer.title, icon: explorer.icon, content: ExplorerAtItsRoot };

  // --- The page -------------------------------------------------------------------------

  // A linked query opens only if the server could take it: no larger than its document limit,
  // nested no deeper than its nesting limit (a crafted link must not fill the editor, and the
  // browser's storage of tabs, with megabytes of text).
  const MAX_LINKED_BYTES = 32 * 1024;
  const MAX_LINKED_NESTING = 32;
  function nesting(text) {
    let depth = 0;
    let deepest = 0;
    for (const c of text) {
      if (c === '{' || c === '[' || c === '(') deepest = Math.max(deepest, ++depth);
      else if (c === '}' || c === ']' || c === ')') depth--;
    }
    return deepest;
  }
  function linkedQuery(text) {
    if (text.length > MAX_LINKED_BYTES) {
      return '# The linked query was not opened:\n# it is ' + text.length + ' characters long; the server takes ' + MAX_LINKED_BYTES + ' at most.\n';
    }
    const deepest = nesting(text);
    if (deepest > MAX_LINKED_NESTING) {
      return '# The linked query was not opened:\n# it nests ' + deepest + ' levels deep; the server takes ' + MAX_LINKED_NESTING + ' at most.\n';
    }
    return pretty(text);
  }

  const linked = new URLSearchParams(location.search).get('query');
  const props = {
    fetcher: fetcher,
    defaultQuery: DEFAULT_QUERY,
    plugins: [explorerPlugin, questionsPlugin],
    visiblePlugin: window.innerWidth >= 1200 ? questionsPlugin : undefined
  };
  if (linked) props.query = linkedQuery(linked);

  // The logo's place names the project and links to the graph drawn at /explore.
  const logo = h(
    GraphiQL.Logo,
    null,
    h('a', { className: 'ag-logo', href: '/explore', title: 'The graph, drawn: /explore' }, 'asean-graph: explore the graph')
  );
  ReactDOM.createRoot(document.getElementById('graphiql')).render(h(GraphiQL, props, logo));
})();
