// What the browser tests share: their command line, playwright-core from .ci/js/node_modules,
// a Debian chromium kept off the network, a page that records every request to another host
// (the pages must work offline) and every error it reports, time limits, and closing.

import { createRequire } from 'node:module';

const require = createRequire(new URL('../../.ci/js/package.json', import.meta.url));

// The base URL given as the first argument (exit 2 on bad usage); `more` names further
// arguments in the usage line.
export function baseFromArgs(script, more = '') {
  const usage = (msg) => {
    if (msg) console.error(msg);
    console.error(`usage: node tests/browser/${script} <base URL, e.g. http://127.0.0.1:8123>${more}`);
    process.exit(2);
  };
  const arg = process.argv[2];
  if (!arg) usage();
  let base;
  try {
    base = new URL(arg);
  } catch {
    usage(`not a URL: ${arg}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') usage(`not an http(s) URL: ${arg}`);
  return base;
}

// playwright-core's chromium (exit 1 when .ci/js has not been installed).
export function loadChromium() {
  try {
    return require('playwright-core').chromium;
  } catch (err) {
    console.error(`cannot load playwright-core from .ci/js/node_modules (run \`npm ci\` in .ci/js): ${err.message}`);
    process.exit(1);
  }
}

export function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

// Last resort: whatever hangs, the process ends after `ms`, killing the browser `browser()`
// gives if there is one.
export function hardLimit(ms, browser) {
  const killer = setTimeout(() => {
    console.error(`FAIL: no verdict within ${ms / 1000} s, giving up`);
    try {
      browser()?.process?.()?.kill('SIGKILL');
    } catch {}
    process.exit(1);
  }, ms);
  killer.unref();
}

// Whether a request goes to a host other than the base URL's (data:, blob:, about: and the
// like go to no host).
function foreignTo(base, url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return u.host !== base.host;
}

// Launches chromium and opens one page of `viewport`. `foreign` and `pageErrors` (arrays)
// receive each request to another host and each error the page reports, every
// Content-Security-Policy violation among them (from the page's `securitypolicyviolation`
// events, whatever the browser logs to the console).
export async function openPage(chromium, base, viewport, foreign, pageErrors) {
  const browser = await chromium.launch({
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
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(10_000);
  context.on('request', (req) => {
    if (foreignTo(base, req.url())) foreign.push(`${req.method()} ${req.url()}`);
  });
  await context.exposeBinding('__reportCspViolation', (_source, what) => pageErrors.push(`CSP violation: ${what}`));
  // Runs before the page's own scripts, in every document of the context.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation(
        `${e.effectiveDirective} refused ${e.blockedURI || 'an inline ' + e.effectiveDirective} ` +
          `(${e.sourceFile || e.documentURI}:${e.lineNumber}; ${e.disposition})`,
      );
    });
  });
  const page = await context.newPage();
  page.on('websocket', (ws) => {
    if (foreignTo(base, ws.url())) foreign.push(`WEBSOCKET ${ws.url()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`exception: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });
  return { browser, page };
}

// Why the page a response brought is not under the policy the pages must run under (so
// that a pass with no violation means something), or null: a Content-Security-Policy whose
// script-src allows no inline script or eval and whose connect-src is this server alone.
export function policyProblem(response) {
  const csp = response.headers()['content-security-policy'];
  if (!csp) return `${response.url()} came without a Content-Security-Policy`;
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );
  const scripts = directives.get('script-src');
  if (!scripts) return `no script-src in ${csp}`;
  const loose = scripts.filter((s) => ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:'].includes(s));
  if (loose.length) return `script-src allows ${loose.join(' ')}: ${csp}`;
  if ((directives.get('connect-src') || []).join(' ') !== "'self'") return `connect-src is not 'self' alone: ${csp}`;
  return null;
}

// Closes the browser, killing it if it does not close in 5 s.
export async function closeBrowser(browser) {
  if (!browser) return;
  try {
    await withTimeout(browser.close(), 5_000, 'closing the browser');
  } catch {
    try {
      browser.process?.()?.kill('SIGKILL');
    } catch {}
  }
}
