// Shared helpers of the browser tests: a static server for the built site,
// a locked-down headless Chromium, a ZIP reader, and core's reference bundle.
import { before, after } from 'node:test';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.OSMO_WIZARD_DIST || path.join(ROOT, 'target/dist/wizard');
export const SHOTS = path.join(ROOT, 'target/screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Serves DIST on 127.0.0.1, a free port; resolves to { origin, close }. */
export async function serve() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: run cargo xtask dist first`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.join(DIST, rel);
    if (rel.split('/').some((s) => s === '..' || s === '') || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Launches the system Chromium headless with a fresh profile. Every request that is not
 * one of the page's own files is aborted and recorded in `foreign`; console errors and
 * page errors are recorded in `errors`.
 */
/**
 * Serves the built wizard for the tests of one file: node:test's `before`
 * starts the server and `after` stops it. Returns the origin, read when a
 * test runs (`site.origin`).
 */
export function servedWizard() {
  const site = { server: null, get origin() { return this.server.origin; } };
  before(async () => {
    site.server = await serve();
  });
  after(async () => {
    await site.server?.close();
  });
  return site;
}

export async function launch(origin) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'osmo-wizard-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const foreign = [];
  const errors = [];
  const requests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${origin}/`)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, foreign, errors, requests, close };
}

/** Saves a full-page screenshot as target/screenshots/NAME.png. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

let axeSource = null;

/** The WCAG A and AA rule tags axe-core runs. */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core (npm `axe-core`) on the page as it is, with the WCAG A and AA rules:
 * returns one line per violation (empty when there is none). The harness puts axe into the
 * page through the DevTools protocol, which the page's CSP does not govern: the page itself
 * never loads it.
 */
export async function axe(page, label) {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_AA);
  return result.violations.map((v) => `${label}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Saves a screenshot of the whole page at a 390 px wide phone viewport, then restores the size. */
export async function phoneShot(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, name);
  // The first screen as a phone shows it, easier to look at than the whole page.
  await page.screenshot({ path: path.join(SHOTS, `${name}-screen.png`) });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize(size);
  return overflow;
}

/** Presses Tab (or Shift+Tab) at most `max` times until the element with this id has focus. */
export async function tabTo(page, id, { back = false, max = 60 } = {}) {
  const key = back ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < max; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press(key);
  }
  throw new Error(`#${id} never got focus with ${key}`);
}

/** Clicks (or with `key`, presses that key on the focused element) and saves the download. */
export async function download(page, action, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), action()]);
  const file = path.join(dir, dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Reads a store-only ZIP: { name: { text, mode } }, checking sizes and CRCs. */
export function readZip(file) {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const mode = (buf.readUInt32LE(at + 38) >>> 16) & 0o777;
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    if (method !== 0) throw new Error(`${name}: not stored`);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    out[name] = { text: data.toString('utf8'), mode };
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * What `osmo-values generate --spec FILE` writes (the command-line tool, with the same
 * secrets in its environment as typed in the wizard): { name: text }.
 */
export function referenceBundle(specFile, secrets = {}) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'osmo-reference-'));
  const args = ['generate', '--spec', specFile, '--out', out];
  const env = { ...process.env };
  for (const k of ['OSMO_DB_PASSWORD', 'OSMO_REDIS_PASSWORD', 'OSMO_IDP_CLIENT_SECRET', 'OSMO_STORAGE_ACCESS_KEY_ID', 'OSMO_STORAGE_ACCESS_KEY']) delete env[k];
  Object.assign(env, secrets);
  if (process.env.OSMO_VALUES_BIN) {
    execFileSync(process.env.OSMO_VALUES_BIN, args, { cwd: ROOT, stdio: 'pipe', env });
  } else {
    execFileSync('cargo', ['run', '-q', '--bin', 'osmo-values', '--', ...args], { cwd: ROOT, stdio: 'pipe', env });
  }
  const files = {};
  for (const name of fs.readdirSync(out)) files[name] = fs.readFileSync(path.join(out, name), 'utf8');
  fs.rmSync(out, { recursive: true, force: true });
  return files;
}

/** Runs the command-line tool with `args`; returns { status, stdout }. */
function cli(args, env = process.env) {
  const [cmd, pre] = process.env.OSMO_VALUES_BIN
    ? [process.env.OSMO_VALUES_BIN, []]
    : ['cargo', ['run', '-q', '--bin', 'osmo-values', '--']];
  try {
    return { status: 0, stdout: execFileSync(cmd, [...pre, ...args], { cwd: ROOT, stdio: 'pipe', env }).toString() };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { status: e.status, stdout: e.stdout.toString(), stderr: e.stderr.toString() };
  }
}

/**
 * What `osmo-values lint --format json` finds in these files ({ name: text }), linted
 * together as one deployment: [{ file (base name), line, column, code, severity, message,
 * help, related }].
 */
export function referenceLint(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osmo-reference-lint-'));
  try {
    const names = Object.keys(files).sort();
    for (const name of names) fs.writeFileSync(path.join(dir, name), files[name]);
    const run = cli(['lint', '--format', 'json', ...names.map((n) => path.join(dir, n))]);
    if (run.status !== 0 && run.status !== 1) throw new Error(`osmo-values lint failed (${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout).map((d) => ({
      ...d,
      file: path.basename(d.file),
      related: d.related.map((r) => ({ ...r, file: path.basename(r.file) })),
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Files holding random secrets: only the lines of generated values may differ. */
export const RANDOM_FILES = new Set(['secrets.yaml', 'mek-configmap.yaml']);

/** Keys whose values are drawn at random, by file. */
const RANDOM_KEYS = {
  'secrets.yaml': /^\s*"?(cookie_secret|password)"?: /,
  'mek-configmap.yaml': /^\s*(key\d+: |"?k"?: )/,
};

/**
 * Compares the wizard's bundle with the command line's: byte for byte, except the values
 * of randomly generated secrets (same key, same line, different value).
 */
export function compareBundles(assert, wizard, reference) {
  assert.deepEqual(Object.keys(wizard).sort(), Object.keys(reference).sort());
  for (const [name, text] of Object.entries(reference)) {
    if (!RANDOM_FILES.has(name)) {
      assert.equal(wizard[name], text, `${name} differs from osmo-values generate`);
      continue;
    }
    const a = wizard[name].split('\n');
    const b = text.split('\n');
    assert.equal(a.length, b.length, `${name}: line count`);
    let differing = 0;
    a.forEach((line, i) => {
      if (line === b[i]) return;
      differing += 1;
      const key = (l) => (l.match(/^\s*(- )?("[^"]*"|[\w.-]+):/) || [null])[0];
      assert.ok(key(line) && key(line) === key(b[i]), `${name}:${i + 1}: ${line} / ${b[i]}`);
      if (name === 'secrets.yaml') assert.match(line, RANDOM_KEYS[name], `${name}:${i + 1}: only generated secrets may differ`);
    });
    assert.ok(differing > 0, `${name}: random secrets should differ between two generations`);
  }
}

export function tmpdir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
