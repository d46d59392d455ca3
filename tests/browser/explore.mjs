#!/usr/bin/env node
// End-to-end check of the graph explorer (/explore), in headless Debian chromium through
// playwright-core.
//
//   apt-get install -y chromium                 # once: the browser (playwright never downloads one)
//   (cd .ci/js && npm ci)                       # once: installs playwright-core into .ci/js/node_modules
//   node tests/browser/explore.mjs http://127.0.0.1:8123
//
// Against a server holding the bundled dataset, it:
//   1. opens /explore?id=Initiative:IAI-WP4 and reads the drawing from the page (the cytoscape
//      instance the page exposes as window.exploreGraph): IAI-WP4 is the root, its funders
//      Singapore and Japan are drawn with "funds" edges to it, and its parent IAI with a
//      "part of" edge;
//   2. clicks Singapore with the mouse at its rendered position (the node's renderedPosition
//      plus the graph container's place in the page): the side panel shows Singapore;
//   3. double-clicks Japan the same way: the drawing grows by Japan's neighbours (asked of the
//      API directly, not of the page), Japan is marked expanded, the URL says
//      expand=Partner:JPN, and the side panel shows Japan's fields and sources; the panel's
//      "Open in GraphiQL" link holds a query that the API answers with Japan;
//      at the zoom the view settles on, every node's label is at least 11 px on screen (and
//      every link's), and each record is labelled with (the start of) its name; resting the
//      pointer on Japan shows its code and name; "Fit to screen" brings every record into
//      view after a zoom; saves target/browser/explore.png (1280×800), the README's screenshot;
//   4. opens an id no record has: the page shows the API's answer as an error, not nothing;
//      opens a link expanding Japan 60 times: Japan is expanded once (at most 25 records);
//   5. types "viet nam" in the search box, picks Viet Nam among the hits, and checks that it
//      is drawn as the new root and that the URL follows.
// Fails too on any request to a host other than the base URL's (the page must work offline),
// on any error in the page, and when the page comes without a strict Content-Security-Policy
// or breaks it (any violation, reported or logged). Exit 0 on success; 1 on failure, after printing why and
// saving target/browser/explore-failure.png; 2 on bad usage. It stops by itself within 60 s.
//
// Set CHROMIUM to use a browser other than /usr/bin/chromium.
// The npm dependencies live in .ci/js/node_modules (not beside this script), so they are
// resolved from .ci/js/package.json; this works from any working directory.

import { baseFromArgs, closeBrowser as closeBrowserOf, hardLimit, loadChromium, openPage, policyProblem, withTimeout } from './common.mjs';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HARD_LIMIT_MS = 55_000; // everything, including the browser's start and close
const LOAD_TIMEOUT_MS = 15_000; // one drawing or expansion must be done within this
const OUT_DIR = fileURLToPath(new URL('../../target/browser/', import.meta.url));
const SCREENSHOT = `${OUT_DIR}explore.png`;
const FAILURE_SCREENSHOT = `${OUT_DIR}explore-failure.png`;

const base = baseFromArgs('explore.mjs');
const at = (path) => new URL(path, base).toString();
const chromium = loadChromium();

let browser = null;
let page = null;
const foreign = []; // requests to another host
const pageErrors = []; // uncaught exceptions and console errors in the page
let finished = false;

hardLimit(HARD_LIMIT_MS, () => browser);

// A failed check: thrown, and reported by fail() with the page's state.
class Check extends Error {}
function check(ok, what) {
  if (!ok) throw new Check(what);
}

// What the page shows: its state, its alert bar, its panel, and the drawing.
async function pageState() {
  if (!page) return null;
  try {
    return await withTimeout(
      page.evaluate(() => {
        const cy = window.exploreGraph;
        return {
          url: location.pathname + location.search,
          state: document.body.dataset.state,
          loads: Number(document.body.dataset.loads),
          message: document.getElementById('message').hidden ? '' : document.getElementById('message').innerText,
          panel: document.getElementById('panel').innerText,
          nodes: cy ? cy.nodes().map((n) => ({ id: n.id(), label: n.data('label'), classes: n.classes() })) : [],
          edges: cy ? cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id(), rel: e.data('rel'), label: e.data('label') })) : [],
        };
      }),
      3_000,
      'reading the page',
    );
  } catch (err) {
    return { error: `could not read the page: ${err.message}` };
  }
}

async function fail(reason) {
  if (finished) return;
  finished = true;
  console.error(`FAIL: ${reason}`);
  const state = await pageState();
  if (state) {
    const s = JSON.stringify(state, null, 1);
    console.error('--- the page ---');
    console.error(s.length > 6000 ? `${s.slice(0, 6000)}\n… (${s.length} characters in all)` : s);
    console.error('----------------');
  }
  if (foreign.length) console.error(`requests to other hosts than ${base.host}:\n  ${foreign.join('\n  ')}`);
  if (pageErrors.length) console.error(`page errors:\n  ${pageErrors.slice(0, 20).join('\n  ')}`);
  if (page) {
    try {
      mkdirSync(OUT_DIR, { recursive: true });
      await withTimeout(page.screenshot({ path: FAILURE_SCREENSHOT, timeout: 5_000 }), 6_000, 'the screenshot');
      console.error(`screenshot: ${FAILURE_SCREENSHOT}`);
    } catch (err) {
      console.error(`no screenshot: ${err.message}`);
    }
  }
  await closeBrowser();
  process.exit(1);
}

async function closeBrowser() {
  await closeBrowserOf(browser);
}

// Waits until the page has finished more than `after` loads (a drawing, an expansion or a
// failed attempt at one); returns the page's state then.
async function loaded(after, what) {
  try {
    await page.waitForFunction(
      (n) => Number(document.body.dataset.loads) > n && document.body.dataset.state !== 'loading',
      after,
      { timeout: LOAD_TIMEOUT_MS, polling: 100 },
    );
  } catch {
    throw new Check(`${what}: not done within ${LOAD_TIMEOUT_MS / 1000} s`);
  }
  return pageState();
}

async function loads() {
  return page.evaluate(() => Number(document.body.dataset.loads));
}

// Where a node is drawn, in page coordinates, for the mouse: its rendered position inside
// the graph's container plus the container's place in the page. If something covers that
// point (the legend), the drawing is panned to put the node in the middle first.
async function nodePoint(id) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const p = await page.evaluate(
      ({ id, centre }) => {
        const cy = window.exploreGraph;
        const node = cy.getElementById(id);
        if (node.empty()) return null;
        if (centre) cy.center(node);
        const pos = node.renderedPosition();
        const box = cy.container().getBoundingClientRect();
        const x = box.left + pos.x;
        const y = box.top + pos.y;
        const hit = document.elementFromPoint(x, y);
        return { x, y, free: !!hit && cy.container().contains(hit) };
      },
      { id, centre: attempt > 0 },
    );
    check(p, `${id} is not drawn`);
    if (p.free) return p;
  }
  throw new Check(`${id} is drawn under another element, even centred`);
}

// Asks the API directly (not through the page) for Japan's neighbours one link away.
async function japansNeighbours() {
  const query = `query TestJapan { partner(code: "JPN") {
    sources { id }
    meetings(first: 50) { nodes { id } }
    fundings(first: 50) { nodes { target { ... on Node { id } } approvedAt { id } } } } }`;
  const response = await fetch(at('/graphql'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  check(!body.errors && body.data?.partner, `the API's answer about Japan: ${JSON.stringify(body)}`);
  const p = body.data.partner;
  const ids = new Set([
    ...p.sources.map((s) => s.id),
    ...p.meetings.nodes.map((m) => m.id),
    ...p.fundings.nodes.flatMap((f) => [f.target.id, f.approvedAt?.id].filter(Boolean)),
  ]);
  return [...ids];
}

// The labels as drawn: the smallest font size on screen of the nodes' and of the links'
// labels (cytoscape's rendered style: the stylesheet's size times the zoom), the records not
// labelled with the start of their name, and those drawn outside the view.
async function labelSizes() {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const cy = window.exploreGraph;
    const px = (e) => parseFloat(e.renderedStyle('font-size'));
    const nodes = cy.nodes(':visible');
    const edges = cy.edges(':visible').filter((e) => e.data('label'));
    const smallestNode = nodes.min(px);
    const w = cy.width();
    const h = cy.height();
    return {
      zoom: cy.zoom(),
      nodes: nodes.length,
      node: smallestNode.value,
      smallest: smallestNode.ele ? smallestNode.ele.id() : '',
      edge: edges.length ? edges.min(px).value : Infinity,
      unnamed: nodes
        .filter((n) => {
          const shown = n.data('label').replace(/\n/g, ' ').replace(/…/g, '');
          return !n.data('title').replace(/\s+/g, ' ').startsWith(shown);
        })
        .map((n) => `${n.id()}: ${JSON.stringify(n.data('label'))}`),
      outside: nodes
        .filter((n) => {
          const p = n.renderedPosition();
          return p.x < 0 || p.y < 0 || p.x > w || p.y > h;
        })
        .map((n) => n.id()),
    };
  });
}

const hasEdge = (state, source, target, rel) => state.edges.some((e) => e.source === source && e.target === target && e.rel === rel);

async function main() {
  // A failure screenshot left by an earlier run would mislead whoever reads target/browser/.
  rmSync(FAILURE_SCREENSHOT, { force: true });
  ({ browser, page } = await openPage(chromium, base, { width: 1280, height: 800 }, foreign, pageErrors));

  // 1. The neighbourhood of IAI-WP4, from the URL.
  const start = at('/explore?id=Initiative:IAI-WP4');
  let response;
  try {
    response = await page.goto(start, { waitUntil: 'load', timeout: 10_000 });
  } catch (err) {
    throw new Check(`could not load ${start}: ${err.message.split('\n')[0]}`);
  }
  check(response && response.ok(), `GET ${start} answered ${response ? response.status() : 'nothing'}`);
  const problem = policyProblem(response);
  check(!problem, problem);
  let state = await loaded(0, 'drawing IAI-WP4');
  check(state.state === 'ready', `drawing IAI-WP4 ended in state ${state.state}: ${state.message}`);
  const ids = new Set(state.nodes.map((n) => n.id));
  const label = (id) => state.nodes.find((n) => n.id === id)?.label;
  check(state.nodes.find((n) => n.id === 'Initiative:IAI-WP4')?.classes.includes('root'), 'IAI-WP4 is not drawn as the root');
  for (const [id, name] of [['Member:SGP', 'Singapore'], ['Partner:JPN', 'Japan'], ['Initiative:IAI', 'Initiative for ASEAN\nIntegration']]) {
    check(ids.has(id), `${id} is not drawn`);
    check(label(id) === name, `${id} is labelled ${JSON.stringify(label(id))}, not ${JSON.stringify(name)}`);
  }
  check(hasEdge(state, 'Member:SGP', 'Initiative:IAI-WP4', 'funds'), 'no "funds" edge Singapore -> IAI-WP4');
  check(hasEdge(state, 'Partner:JPN', 'Initiative:IAI-WP4', 'funds'), 'no "funds" edge Japan -> IAI-WP4');
  check(hasEdge(state, 'Initiative:IAI-WP4', 'Initiative:IAI', 'part of'), 'no "part of" edge IAI-WP4 -> IAI');
  check(state.url === '/explore?id=Initiative:IAI-WP4', `the URL is ${state.url}`);
  console.log(`PASS: /explore?id=Initiative:IAI-WP4 drew ${state.nodes.length} records and ${state.edges.length} links, with Singapore and Japan funding it and IAI its parent`);

  // 2. A click on Singapore selects it: the panel shows it.
  let p = await nodePoint('Member:SGP');
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(() => /Singapore/.test(document.getElementById('panel').innerText) && /Member state/.test(document.getElementById('panel').innerText), null, { timeout: 5_000 }).catch(() => {
    throw new Check('clicking Singapore did not show it in the side panel');
  });
  console.log('PASS: a click on Singapore shows it in the side panel');

  // 3. A double-click on Japan expands it.
  const before = await pageState();
  const count = await loads();
  p = await nodePoint('Partner:JPN');
  await page.mouse.dblclick(p.x, p.y);
  state = await loaded(count, 'expanding Japan');
  check(state.state === 'ready', `expanding Japan ended in state ${state.state}: ${state.message}`);
  const drawn = new Set(state.nodes.map((n) => n.id));
  const expected = await japansNeighbours();
  const missing = expected.filter((id) => !drawn.has(id));
  check(missing.length === 0, `after expanding Japan these neighbours of Japan are not drawn: ${missing.join(', ')}`);
  const grown = state.nodes.length - before.nodes.length;
  check(grown > 0, `expanding Japan drew no new record (${before.nodes.length} before, ${state.nodes.length} after)`);
  check(state.nodes.find((n) => n.id === 'Partner:JPN').classes.includes('expanded'), 'Japan is not marked expanded');
  check(new Set(state.nodes.map((n) => n.id)).size === state.nodes.length, 'a record is drawn twice');
  check(state.url === '/explore?id=Initiative:IAI-WP4&expand=Partner:JPN', `after expanding Japan the URL is ${state.url}`);
  for (const text of ['Japan', 'Partner', 'JPN', 'Kind', 'dialogue partner', 'Sources', 'Open in GraphiQL']) {
    check(state.panel.includes(text), `the side panel does not show "${text}" for Japan`);
  }
  console.log(`PASS: a double-click on Japan drew its ${expected.length} neighbours (${grown} new records) and the panel shows Japan's fields`);

  // GraphiQL's link: a query for Japan that the API answers.
  const href = await page.getAttribute('#graphiql-link', 'href');
  check(href && href.startsWith('/?query='), `the GraphiQL link is ${href}`);
  const linked = decodeURIComponent(href.slice('/?query='.length));
  check(/^query ExplorePartner \{/.test(linked) && linked.includes('"Partner:JPN"'), `the GraphiQL link's query is:\n${linked}`);
  const answer = await (
    await fetch(at('/graphql'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: linked }) })
  ).json();
  check(!answer.errors && answer.data?.node?.name === 'Japan', `the GraphiQL link's query answers ${JSON.stringify(answer).slice(0, 500)}`);
  console.log("PASS: the panel's \"Open in GraphiQL\" link holds a query the API answers with Japan");

  // Readable at 1280×800 after the expansion: labels measured on screen, names on nodes,
  // the code on hover, and the fit control.
  let sizes = await labelSizes();
  check(sizes.node >= 11, `after expanding Japan, at zoom ${sizes.zoom.toFixed(2)}, a node's label is ${sizes.node.toFixed(1)} px on screen (${sizes.smallest})`);
  check(sizes.edge >= 11, `after expanding Japan, at zoom ${sizes.zoom.toFixed(2)}, a link's label is ${sizes.edge.toFixed(1)} px on screen`);
  check(sizes.unnamed.length === 0, `nodes not labelled with (the start of) their name: ${sizes.unnamed.join('; ')}`);
  console.log(`PASS: after expanding Japan the view settles at zoom ${sizes.zoom.toFixed(2)}: labels of ${sizes.nodes} records at least ${sizes.node.toFixed(1)} px, of links ${sizes.edge.toFixed(1)} px, each record named`);
  p = await nodePoint('Partner:JPN');
  await page.mouse.move(p.x - 30, p.y - 30); // cytoscape hovers on the move that enters a node
  await page.mouse.move(p.x, p.y, { steps: 3 });
  const hover = await page.waitForFunction(() => {
    const box = document.getElementById('hover');
    return !box.hidden && box.innerText;
  }, null, { timeout: 5_000 }).then((h) => h.jsonValue()).catch(() => '');
  check(hover.includes('JPN') && hover.includes('Japan'), `resting the pointer on Japan shows ${JSON.stringify(hover)}, not its code and name`);
  await page.mouse.move(5, 5);
  console.log(`PASS: the pointer on Japan shows "${hover}"`);
  await page.evaluate(() => window.exploreGraph.zoom({ level: 2.5, renderedPosition: { x: 10, y: 10 } }));
  await page.click('#fit');
  sizes = await labelSizes();
  check(sizes.outside.length === 0, `after "Fit to screen" these records are outside the view: ${sizes.outside.join(', ')}`);
  check(sizes.node >= 11, `after "Fit to screen", at zoom ${sizes.zoom.toFixed(2)}, a node's label is ${sizes.node.toFixed(1)} px`);
  console.log(`PASS: "Fit to screen" shows all ${sizes.nodes} records, at zoom ${sizes.zoom.toFixed(2)}`);

  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  console.log(`PASS: screenshot ${SCREENSHOT}`);

  // 4. An id no record has: the API's answer shown as an error.
  await page.goto(at('/explore?id=Initiative:NO-SUCH-THING'), { waitUntil: 'load', timeout: 10_000 });
  state = await loaded(0, 'drawing an unknown id');
  check(state.state === 'error' && /no initiative has the id Initiative:NO-SUCH-THING/i.test(state.message), `an unknown id showed: state ${state.state}, message "${state.message}"`);
  console.log('PASS: an unknown id shows an error in the page');

  // 4b. A crafted link expanding the same record 60 times (the outside test kept a page
  //     loading for minutes with 205 expansions): each record is expanded once, at most 25.
  const posts = [];
  const countPost = (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/graphql') posts.push(req.url());
  };
  page.on('request', countPost);
  await page.goto(at('/explore?id=Initiative:IAI-WP4' + '&expand=Partner:JPN'.repeat(60)), { waitUntil: 'load', timeout: 10_000 });
  state = await loaded(1, 'drawing IAI-WP4 with Japan expanded 60 times');
  page.off('request', countPost);
  check(state.state === 'ready', `the crafted link ended in state ${state.state}: ${state.message}`);
  check(state.url === '/explore?id=Initiative:IAI-WP4&expand=Partner:JPN', `after the crafted link the URL is ${state.url}`);
  check(posts.length === 2, `the crafted link made ${posts.length} requests to /graphql, not 2`);
  console.log('PASS: a link expanding Japan 60 times expanded it once (2 requests)');

  // 5. Search: "viet nam" finds Viet Nam; picking it draws it.
  const searchCount = await loads();
  await page.fill('#search-text', 'viet nam');
  await page.press('#search-text', 'Enter');
  const hit = page.locator('#search-results button[data-id="Member:VNM"]');
  await hit.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {
    throw new Check('searching "viet nam" did not list Member:VNM');
  });
  await hit.click();
  state = await loaded(searchCount, 'drawing the search hit Viet Nam');
  check(state.state === 'ready', `drawing Viet Nam ended in state ${state.state}: ${state.message}`);
  check(state.nodes.find((n) => n.id === 'Member:VNM')?.classes.includes('root'), 'Viet Nam is not drawn as the root');
  check(state.nodes.length > 1, 'Viet Nam was drawn without neighbours');
  check(state.url === '/explore?id=Member:VNM', `after picking Viet Nam the URL is ${state.url}`);
  check(state.panel.includes('Viet Nam'), 'the side panel does not show Viet Nam');
  console.log(`PASS: searching "viet nam" and picking the hit drew Viet Nam with ${state.nodes.length - 1} neighbours`);

  check(foreign.length === 0, `the page made ${foreign.length} request(s) to hosts other than ${base.host}`);
  check(pageErrors.length === 0, `the page reported ${pageErrors.length} error(s)`);
  finished = true;
  console.log('PASS: no request left ' + base.host + ', no error in the page, no violation of its Content-Security-Policy');
  await closeBrowser();
  process.exit(0);
}

main().catch((err) => fail(err instanceof Check ? err.message : `unexpected error: ${err && err.stack ? err.stack : err}`));
