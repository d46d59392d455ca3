#!/usr/bin/env node
// GraphQL-over-HTTP conformance audit of a running server, with graphql-http's serverAudits.
//
//   (cd .ci/js && npm ci)                      # once: installs graphql-http into .ci/js/node_modules
//   node tests/audit/graphql-http.mjs http://127.0.0.1:8123/graphql
//
// Prints one line per audit: PASS / WARN / FAIL, the audit id and name, and for a non-pass the
// reason plus what the server answered. graphql-http grades a failed MUST audit "error" (printed
// FAIL), a failed SHOULD audit "warn" and a failed MAY audit "notice" (both printed WARN, the
// name's first word tells which). Exit status: 0 only if every audit passed; 1 if any audit
// failed or warned (or the audit could not run); 2 on bad usage.
//
// The npm dependencies live in .ci/js/node_modules (not beside this script), so they are
// resolved from .ci/js/package.json; this works from any working directory.

import { createRequire } from 'node:module';

const WATCHDOG_MS = 60_000; // the whole audit, in every case
const REQUEST_TIMEOUT_MS = 10_000; // one request

const require = createRequire(new URL('../../.ci/js/package.json', import.meta.url));

function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node tests/audit/graphql-http.mjs <endpoint URL, e.g. http://127.0.0.1:8123/graphql>');
  process.exit(2);
}

const endpoint = process.argv[2];
if (!endpoint) usage();
try {
  const u = new URL(endpoint);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') usage(`not an http(s) URL: ${endpoint}`);
} catch {
  usage(`not a URL: ${endpoint}`);
}

let serverAudits;
try {
  ({ serverAudits } = require('graphql-http'));
} catch (err) {
  console.error(`cannot load graphql-http from .ci/js/node_modules (run \`npm ci\` in .ci/js): ${err.message}`);
  process.exit(1);
}
if (typeof serverAudits !== 'function') {
  console.error('graphql-http does not export serverAudits');
  process.exit(1);
}

const watchdog = setTimeout(() => {
  console.error(`FAIL: audit did not finish within ${WATCHDOG_MS / 1000} s`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

// Global fetch, with a per-request time limit so that a hanging server cannot stall the run.
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

function oneLine(s, max = 300) {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

async function describeResponse(res) {
  if (!res || typeof res.status !== 'number') return '';
  let body = '';
  try {
    body = await res.text();
  } catch {
    body = '<body already read>';
  }
  const ct = res.headers.get('content-type') ?? '<none>';
  return `[got ${res.status}, content-type: ${ct}, body: ${oneLine(body) || '<empty>'}]`;
}

const LABEL = { ok: 'PASS', notice: 'WARN', warn: 'WARN', error: 'FAIL' };
const counts = { PASS: 0, WARN: 0, FAIL: 0 };

const audits = serverAudits({ url: endpoint, fetchFn });
// graphql-http 1.23.1 (pinned in .ci/js) has 61 audits: fewer means that nothing, or not all
// of it, was audited, and must not pass as a clean run.
const EXPECTED_AUDITS = 61;
if (audits.length < EXPECTED_AUDITS) {
  console.error(`FAIL: graphql-http gave ${audits.length} audits, not the ${EXPECTED_AUDITS} of the pinned version`);
  process.exit(1);
}
// Run them all at once (as graphql-http's auditServer does), so that a hanging server costs one
// request time limit, not one per audit; then report in the audits' own order.
const outcomes = await Promise.all(
  audits.map(({ fn }) =>
    fn().then(
      (result) => ({ result }),
      (error) => ({ error }),
    ),
  ),
);
for (const [i, { id, name }] of audits.entries()) {
  const { result, error } = outcomes[i];
  let line;
  let label;
  if (error) {
    // graphql-http throws only on fatal problems (e.g. the server cannot be reached).
    label = 'FAIL';
    const cause = error.cause ? ` (${error.cause.code ?? error.cause.message ?? error.cause})` : '';
    line = `${label} ${id} ${name} — fatal: ${error.message ?? error}${cause}`;
  } else {
    label = LABEL[result.status] ?? 'FAIL';
    line = `${label} ${id} ${name}`;
    if (result.status !== 'ok') {
      line += ` — ${result.reason} ${await describeResponse(result.response)}`;
    }
  }
  counts[label] += 1;
  console.log(line);
}

console.log(
  `\n${audits.length} audits: ${counts.PASS} passed, ${counts.WARN} warned, ${counts.FAIL} failed (${endpoint})`,
);
process.exit(counts.WARN === 0 && counts.FAIL === 0 ? 0 : 1);
