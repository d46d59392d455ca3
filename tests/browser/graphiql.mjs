#!/usr/bin/env node
// End-to-end check of the GraphiQL page, in headless Debian chromium through playwright-core.
//
//   apt-get install -y chromium                 # once: the browser (playwright never downloads one)
//   (cd .ci/js && npm ci)                       # once: installs playwright-core into .ci/js/node_modules
//   node tests/browser/graphiql.mjs http://127.0.0.1:8123 [EDITOR_TOKEN]
//
// In one page, in turn:
// 1. the query editor holds the product question (filtered, one selection per line); the
//    execute button runs it and the result is Japan alone;
// 2. the "Questions" plugin, open by default, lists the documented questions; a double-click
//    on SearchVietNam opens it in one new tab, which runs;
// 3. the schema explorer plugin, opened on the product question's tab, lists the root fields
//    and opens at its root (not scrolled down to the query's `under` argument); in a new,
//    emptied tab a click on `members` builds a query, which runs and answers members;
// 4. with an editor token: WatchPartnerGbr (from the Questions list) runs over the WebSocket,
//    and a write made meanwhile (updatePartner GBR, through HTTP from this script) shows in
//    the result pane as an event; the description is then put back;
// 5. /?query=… opens that query (as /explore links to it), which runs;
// 6. a crafted /?query= nested past the server's limit is not opened;
// 7. the settings dialog opens and closes (as it opens it inserts a <style> element, which
//    style-src must allow).
// Fails too if the page made any request to a host other than the base URL's host (the page
// must work offline: no CDN), threw, or was served without a strict Content-Security-Policy
// or broke it (any violation, reported or logged). Saves a screenshot of the page to
// target/browser/graphiql.png in every case. Exit 0 on success; 1 on failure, after printing
// what the result pane held; 2 on bad usage. It stops by itself within 120 s in every case.
//
// Set CHROMIUM to use a browser other than /usr/bin/chromium.
// The npm dependencies live in .ci/js/node_modules (not beside this script), so they are
// resolved from .ci/js/package.json; this works from any working directory.

import { baseFromArgs, closeBrowser as closeBrowserOf, hardLimit, loadChromium, openPage, policyProblem, withTimeout } from './common.mjs';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HARD_LIMIT_MS = 115_000; // everything, including the browser's start and close
const RESULT_TIMEOUT_MS = 30_000; // each expected result must show within this
const EXPECTED = 'Japan';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../target/browser/', import.meta.url));
const SCREENSHOT = `${SCREENSHOT_DIR}graphiql.png`;

const base = baseFromArgs('graphiql.mjs', ' [editor token]');
const pageUrl = new URL('/', base).toString();
const token = process.argv[3] || '';
const chromium = loadChromium();

let browser = null;
let page = null;
const foreign = []; // requests to another host
const pageErrors = []; // uncaught exceptions and console errors in the page
let finished = false;

hardLimit(HARD_LIMIT_MS, () => browser);

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
  if (page) await screenshot();
  await closeBrowser();
  process.exit(1);
}

async function closeBrowser() {
  await closeBrowserOf(browser);
}

async function main() {
  ({ browser, page } = await openPage(chromium, base, { width: 1280, height: 900 }, foreign, pageErrors));

  let response;
  try {
    response = await page.goto(pageUrl, { waitUntil: 'load', timeout: 10_000 });
  } catch (err) {
    return fail(`could not load ${pageUrl}: ${err.message.split('\n')[0]}`);
  }
  if (!response || !response.ok()) {
    return fail(`GET ${pageUrl} answered ${response ? response.status() : 'nothing'}`);
  }
  const problem = policyProblem(response);
  if (problem) return fail(problem);

  // GraphiQL's query editor (CodeMirror 5 inside .graphiql-query-editor).
  try {
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    return fail("GraphiQL's query editor did not appear within 10 s");
  }

  // 1. The product question, filtered to the partners that answer it, one selection per line.
  const query = await editorValue();
  if (!/query ProductQuestion \{\n  partners\(\n    kind: DIALOGUE_PARTNER\n    filter: \{\n/.test(query)) {
    return fail(`the query editor does not hold the default query; it holds:\n${query}`);
  }
  await execute();
  const text = await waitForResult((t) => t.includes(EXPECTED), `"${EXPECTED}"`);
  if (text === null) return;
  let names = null;
  try {
    names = JSON.parse(text)?.data?.partners?.nodes?.map((n) => n.name);
  } catch {}
  // The filter leaves the one partner that answers the question.
  if (!names || names.join(', ') !== EXPECTED) {
    return fail(`the default query answered ${names ? names.join(', ') : 'no partners'}, not ${EXPECTED} alone`);
  }
  console.log(`PASS: the default query (the product question) answers ${EXPECTED} alone`);

  // 2. The documented questions, open by default; one opens in a new tab and runs.
  const questions = page.locator('.ag-questions');
  try {
    await questions.getByRole('button', { name: 'ProductQuestion', exact: true }).waitFor({ timeout: 10_000 });
  } catch {
    return fail('the Questions plugin is not open with the documented questions');
  }
  const tabsBefore = await tabCount();
  // A double-click (as the outside test found, it opened two tabs) opens one.
  await questions.getByRole('button', { name: 'SearchVietNam', exact: true }).dblclick();
  // The tab takes the operation's name once GraphiQL has read the query (a moment after).
  if (!(await waitFor(async () => (await activeTab()) === 'SearchVietNam', 5_000))) {
    return fail(`a click on SearchVietNam did not open it; the editor holds:\n${await editorValue()}`);
  }
  await settle();
  await settle();
  if ((await tabCount()) !== tabsBefore + 1) {
    return fail(`a double-click on SearchVietNam opened ${(await tabCount()) - tabsBefore} tabs, not one`);
  }
  await execute();
  if ((await waitForResult(ranWithout('search'), 'an answer to SearchVietNam')) === null) return;
  console.log('PASS: the Questions list opened SearchVietNam in a new tab, and it ran');

  // 3. The explorer, opened on the product question's tab, at its root; then in a new,
  // emptied tab, a click on `members` builds a query that runs.
  await page.locator('.graphiql-tab-button').first().click();
  if (!(await waitFor(async () => (await activeTab()) === 'ProductQuestion', 5_000))) {
    return fail(`the first tab is not ProductQuestion but ${await activeTab()}`);
  }
  await settle();
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  const explorer = page.locator('.graphiql-explorer-root');
  try {
    await explorer.getByText('partners', { exact: true }).first().waitFor({ timeout: 10_000 });
  } catch {
    return fail("the explorer does not list the schema's root fields");
  }
  // It opens at its root: the panel not scrolled down to the default query's argument.
  await settle();
  const scrolled = await page.evaluate(() => document.querySelector('.graphiql-plugin')?.scrollTop ?? -1);
  if (scrolled !== 0) {
    return fail(`the explorer opened scrolled ${scrolled} px down, not at its root`);
  }
  console.log('PASS: the explorer opened at its root');
  const tabs = await tabCount();
  await page.locator('.graphiql-tab-add').click();
  if (!(await waitFor(async () => (await tabCount()) === tabs + 1, 5_000))) return fail('the + button opened no tab');
  await settle();
  await setEditor('');
  await settle();
  await explorer.getByText('members', { exact: true }).first().click();
  if (!(await waitFor(async () => /\bmembers\b/.test(await editorValue()), 5_000))) {
    return fail(`a click on members in the explorer built no query; the editor holds:\n${await editorValue()}`);
  }
  await settle();
  await execute();
  if ((await waitForResult(ranWithout('members'), 'an answer to the query built in the explorer')) === null) return;
  const built = await editorValue();
  console.log(`PASS: the explorer built ${JSON.stringify(built.replace(/\s+/g, ' ').trim())}, which ran`);

  // 4. A subscription shows a write made meanwhile.
  if (token) {
    await page.getByRole('button', { name: 'Show Questions' }).click();
    await questions.getByRole('button', { name: 'WatchPartnerGbr', exact: true }).click();
    if (!(await waitFor(async () => (await activeTab()) === 'WatchPartnerGbr', 5_000))) {
      return fail('a click on WatchPartnerGbr did not open it');
    }
    await settle();
    const acked = new Promise((resolve) => {
      page.on('websocket', (ws) => {
        ws.on('framereceived', (f) => {
          if (String(f.payload).includes('connection_ack')) resolve(true);
        });
      });
    });
    await execute();
    if (!(await withTimeout(acked, 10_000, 'the WebSocket handshake').catch(() => false))) {
      return fail('the subscription opened no acknowledged WebSocket to /ws');
    }
    // The subscription is registered once the socket has sent it; give it a moment.
    await new Promise((r) => setTimeout(r, 500));
    const marker = `Written while GraphiQL watched, ${Date.now()}`;
    const before = await graphql('query GbrDescription { partner(code: "GBR") { description } }');
    const original = before?.data?.partner?.description;
    if (typeof original !== 'string') return fail(`could not read GBR's description: ${JSON.stringify(before)}`);
    const written = await updateGbr(marker);
    if (written?.errors) return fail(`the write failed: ${JSON.stringify(written.errors)}`);
    const event = await waitForResult((t) => t.includes('Partner:GBR') && t.includes('updatePartner'), 'the write\'s event');
    await execute(); // stops the subscription
    const restored = await updateGbr(original);
    if (restored?.errors) return fail(`putting GBR's description back failed: ${JSON.stringify(restored.errors)}`);
    if (event === null) return;
    console.log('PASS: a subscription in GraphiQL showed the event of a write made meanwhile');
  } else {
    console.log('SKIP: no editor token given, so no write for a subscription to see');
  }

  // 5. A link with ?query= (as /explore makes) opens that query, which runs.
  const linked = 'query LinkedFromExplore { members(first: 1) { totalCount } }';
  await page.goto(`${pageUrl}?query=${encodeURIComponent(linked)}`, { waitUntil: 'load' });
  if (!(await waitFor(async () => (await editorValue()).includes("query LinkedFromExplore {\n  members(first: 1) {\n"), 10_000))) {
    return fail(`/?query= did not open the query (laid out one selection per line); the editor holds:\n${await editorValue()}`);
  }
  await settle();
  await execute();
  if ((await waitForResult(ranWithout('members'), 'an answer to the linked query')) === null) return;
  console.log('PASS: /?query= opened the linked query, which ran');

  // 6. A crafted link nested past what the server takes is not opened (it was pretty-printed
  //    into megabytes, and kept in the browser's storage of tabs).
  const crafted = '{a'.repeat(1600) + '}'.repeat(1600);
  await page.goto(`${pageUrl}?query=${encodeURIComponent(crafted)}`, { waitUntil: 'load' });
  if (!(await waitFor(async () => (await editorValue()).startsWith('# The linked query was not opened:\n# it nests 1600 levels deep'), 10_000))) {
    const held = await editorValue();
    return fail(`a crafted deep /?query= link was opened; the editor holds ${held.length} characters: ${held.slice(0, 200)}`);
  }
  console.log('PASS: a crafted /?query= link nested 1,600 deep was not opened, and the editor says why');

  // 7. A dialog (its scroll lock writes an inline <style>: a violation would fail below).
  await page.getByLabel('Open settings dialog').click();
  if (!(await waitFor(async () => (await page.locator('[role=dialog]').count()) === 1, 5_000))) {
    return fail('the settings dialog did not open');
  }
  await page.keyboard.press('Escape');
  if (!(await waitFor(async () => (await page.locator('[role=dialog]').count()) === 0, 5_000))) {
    return fail('the settings dialog did not close on Escape');
  }
  console.log('PASS: the settings dialog opened and closed');

  if (pageErrors.length) return fail(`the page threw or logged errors, or broke its Content-Security-Policy`);
  console.log('PASS: all of it under the Content-Security-Policy, with no violation');
  if (foreign.length) {
    return fail(`the page made ${foreign.length} request(s) to hosts other than ${base.host}`);
  }
  finished = true;
  await screenshot();
  console.log('PASS: no request left ' + base.host);
  await closeBrowser();
  process.exit(0);
}

// --- Steps in the page ------------------------------------------------------------------

async function editorValue() {
  return page.evaluate(() => {
    const cm = document.querySelector('.graphiql-query-editor .CodeMirror');
    return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '';
  });
}

async function setEditor(value) {
  await page.evaluate((v) => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(v);
  }, value);
}

// GraphiQL reads the query editor's text (its operation's name, for one) 100 ms after a
// change; a person is slower than that, a script is not.
async function settle() {
  await new Promise((r) => setTimeout(r, 400));
}

// The active tab's title: its operation's name.
async function activeTab() {
  const tab = page.locator('.graphiql-tab-active');
  return (await tab.count()) ? (await tab.first().innerText()).trim() : '';
}

// GraphiQL shows its tab bar only when there are two tabs or more.
async function tabCount() {
  return Math.max(1, await page.locator('.graphiql-tab').count());
}

// GraphiQL 3's execute button ("Execute query (Ctrl-Enter)"); while a subscription runs, the
// same button stops it.
async function execute() {
  await page.locator('button.graphiql-execute-button').click({ timeout: 5_000 });
}

async function waitFor(check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

// Waits for the result pane to satisfy `accept`; its text, or null after failing.
async function waitForResult(accept, what) {
  let text = '';
  const ok = await waitFor(async () => accept((text = await resultText())), RESULT_TIMEOUT_MS);
  if (!ok) {
    await fail(`the result pane did not show ${what} within ${RESULT_TIMEOUT_MS / 1000} s`);
    return null;
  }
  return text;
}

// A result with data under `field` and no errors.
function ranWithout(field) {
  return (text) => {
    try {
      const r = JSON.parse(text);
      return !r.errors && r.data && r.data[field] != null;
    } catch {
      return false;
    }
  };
}

async function screenshot() {
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await withTimeout(page.screenshot({ path: SCREENSHOT, timeout: 5_000 }), 6_000, 'the screenshot');
    console.log(`screenshot: ${SCREENSHOT}`);
  } catch (err) {
    console.error(`no screenshot: ${err.message}`);
  }
}

// --- The writer, outside the page -------------------------------------------------------

async function graphql(query, variables) {
  const r = await fetch(new URL('/graphql', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return r.json();
}

function updateGbr(description) {
  return graphql(
    'mutation UpdateGbr($input: PartnerPatch!) { updatePartner(code: "GBR", input: $input) { id } }',
    { input: { description } },
  );
}

main().catch((err) => fail(`unexpected error: ${err && err.stack ? err.stack : err}`));
