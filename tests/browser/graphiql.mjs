#!/usr/bin/env node
// End-to-end check of the GraphiQL page, in headless Debian chromium through playwright-core.
//
//   apt-get install -y chromium                 # once: the browser (playwright never downloads one)
//   (cd .ci/js && npm ci)                       # once: installs playwright-core into .ci/js/node_modules
//   node tests/browser/graphiql.mjs http://127.0.0.1:8123
//
// Opens <base>/, waits for GraphiQL's query editor (which holds the product's question by
// default, filtered, one selection per line), clicks the execute button, and waits up to 30 s
// for the result pane to contain "Japan", the one dialogue partner it answers. Fails too if the page made any request to a host other than the base URL's host
// (the page must work offline: no CDN). Exit 0 on success; 1 on failure, after printing what
// the result pane held and saving a screenshot to /tmp/graphiql-failure.png; 2 on bad usage.
// It stops by itself within 60 s in every case.
//
// Set CHROMIUM to use a browser other than /usr/bin/chromium.
// The npm dependencies live in .ci/js/node_modules (not beside this script), so they are
// resolved from .ci/js/package.json; this works from any working directory.

import { createRequire } from 'node:module';

const HARD_LIMIT_MS = 55_000; // everything, including the browser's start and close
const RESULT_TIMEOUT_MS = 30_000; // the result pane must show "Japan" within this
const EXPECTED = 'Japan';
const SCREENSHOT = '/tmp/graphiql-failure.png';

const require = createRequire(new URL('../../.ci/js/package.json', import.meta.url));

function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node tests/browser/graphiql.mjs <base URL, e.g. http://127.0.0.1:8123>');
  process.exit(2);
}

const baseArg = process.argv[2];
if (!baseArg) usage();
let base;
try {
  base = new URL(baseArg);
} catch {
  usage(`not a URL: ${baseArg}`);
}
if (base.protocol !== 'http:' && base.protocol !== 'https:') usage(`not an http(s) URL: ${baseArg}`);
const pageUrl = new URL('/', base).toString();

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (err) {
  console.error(`cannot load playwright-core from .ci/js/node_modules (run \`npm ci\` in .ci/js): ${err.message}`);
  process.exit(1);
}

let browser = null;
let page = null;
const foreign = []; // requests to another host
const pageErrors = []; // uncaught exceptions and console errors in the page
let finished = false;

// Last resort: whatever hangs, the process ends in time.
const killer = setTimeout(() => {
  console.error(`FAIL: no verdict within ${HARD_LIMIT_MS / 1000} s, giving up`);
  try {
    browser?.process?.()?.kill('SIGKILL');
  } catch {}
  process.exit(1);
}, HARD_LIMIT_MS);
killer.unref();

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

// The result pane's text. GraphiQL 3's result pane is a CodeMirror 5 editor, which keeps only
// the visible lines in the DOM, so read the editor's whole value; fall back to the DOM text.
async function resultText() {
  if (!page) return '';
  try {
    return await withTimeout(
      page.evaluate(() => {
        const cm = document.querySelector('.result-window .CodeMirror');
        if (cm && cm.CodeMirror && typeof cm.CodeMirror.getValue === 'function') {
          return cm.CodeMirror.getValue();
        }
        const pane = document.querySelector('.graphiql-response') || document.querySelector('.result-window');
        return pane ? pane.innerText : '<no result pane in the page>';
      }),
      3_000,
      'reading the result pane',
    );
  } catch (err) {
    return `<could not read the result pane: ${err.message}>`;
  }
}

function isForeign(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  // data:, blob:, about: and the like go to no host.
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return u.host !== base.host;
}

async function fail(reason) {
  if (finished) return;
  finished = true;
  console.error(`FAIL: ${reason}`);
  const text = await resultText();
  console.error('--- result pane ---');
  console.error(text.length > 4000 ? `${text.slice(0, 4000)}\n… (${text.length} characters in all)` : text || '<empty>');
  console.error('-------------------');
  if (foreign.length) console.error(`requests to other hosts than ${base.host}:\n  ${foreign.join('\n  ')}`);
  if (pageErrors.length) console.error(`page errors:\n  ${pageErrors.slice(0, 20).join('\n  ')}`);
  if (page) {
    try {
      await withTimeout(page.screenshot({ path: SCREENSHOT, timeout: 5_000 }), 6_000, 'the screenshot');
      console.error(`screenshot: ${SCREENSHOT}`);
    } catch (err) {
      console.error(`no screenshot: ${err.message}`);
    }
  }
  await closeBrowser();
  process.exit(1);
}

async function closeBrowser() {
  if (!browser) return;
  try {
    await withTimeout(browser.close(), 5_000, 'closing the browser');
  } catch {
    try {
      browser.process?.()?.kill('SIGKILL');
    } catch {}
  }
}

async function main() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // playwright adds --headless itself and gives the browser a new empty profile
    // (it refuses --user-data-dir in args); the rest keeps chromium off the network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 15_000,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  context.on('request', (req) => {
    if (isForeign(req.url())) foreign.push(`${req.method()} ${req.url()}`);
  });
  page = await context.newPage();
  page.on('websocket', (ws) => {
    if (isForeign(ws.url())) foreign.push(`WEBSOCKET ${ws.url()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`exception: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });

  let response;
  try {
    response = await page.goto(pageUrl, { waitUntil: 'load', timeout: 10_000 });
  } catch (err) {
    return fail(`could not load ${pageUrl}: ${err.message.split('\n')[0]}`);
  }
  if (!response || !response.ok()) {
    return fail(`GET ${pageUrl} answered ${response ? response.status() : 'nothing'}`);
  }

  // GraphiQL's query editor (CodeMirror 5 inside .graphiql-query-editor).
  try {
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    return fail("GraphiQL's query editor did not appear within 10 s");
  }
  const query = await page.evaluate(() => {
    const cm = document.querySelector('.graphiql-query-editor .CodeMirror');
    return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '';
  });
  // The product question, filtered to the partners that answer it, one selection per line.
  if (!/query ProductQuestion \{\n  partners\(\n    kind: DIALOGUE_PARTNER\n    filter: /.test(query)) {
    return fail(`the query editor does not hold the default query; it holds:\n${query}`);
  }

  // Run it: GraphiQL 3's execute button ("Execute query (Ctrl-Enter)").
  try {
    await page.locator('button.graphiql-execute-button').click({ timeout: 5_000 });
  } catch (err) {
    return fail(`could not click the execute button: ${err.message.split('\n')[0]}`);
  }

  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = await resultText();
    if (text.includes(EXPECTED)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!text.includes(EXPECTED)) {
    return fail(`the result pane did not contain "${EXPECTED}" within ${RESULT_TIMEOUT_MS / 1000} s`);
  }
  if (foreign.length) {
    return fail(`the page made ${foreign.length} request(s) to hosts other than ${base.host}`);
  }

  let names = null;
  try {
    names = JSON.parse(text)?.data?.partners?.nodes?.map((n) => n.name);
  } catch {}
  // The filter leaves the one partner that answers the question.
  if (names && names.join(', ') !== EXPECTED) {
    return fail(`the default query answered ${names.join(', ')}, not ${EXPECTED} alone`);
  }
  finished = true;
  const summary = names ? ` (${names.length} dialogue partner: ${names.join(', ')})` : '';
  console.log(`PASS: GraphiQL at ${pageUrl} ran the default query; the result holds "${EXPECTED}"${summary}`);
  console.log('PASS: no request left ' + base.host);
  await closeBrowser();
  process.exit(0);
}

main().catch((err) => fail(`unexpected error: ${err && err.stack ? err.stack : err}`));
