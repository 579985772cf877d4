// Accessibility and layout of every step, in the real browser: axe-core's WCAG
// A/AA rules (injected by the harness; the page's CSP stays as it is) report no
// violation in any state, a 390 px phone viewport never scrolls sideways (a
// screenshot of every step is saved under target/screenshots/ to look at), the
// colours follow prefers-color-scheme, the timing is not announced, and a spec
// is imported (and the answers kept, when asked) from the first screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, servedWizard, launch, axe, phoneShot, download, readZip, referenceBundle, compareBundles, tmpdir,
} from './lib.mjs';

const site = servedWizard();

/** axe and the phone screenshot of the page as it is: violations and sideways overflow gathered. */
async function judge(page, name, found) {
  found.push(...(await axe(page, name)));
  const overflow = await phoneShot(page, `phone-${name}`);
  if (overflow > 0) found.push(`${name}: scrolls sideways by ${overflow} px at 390 px`);
}

test('every step: zero WCAG A/AA violations, no sideways scroll at 390 px, light and dark', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('#f-domain');
    // The timing changes on every keystroke: it is no live region.
    const timing = await page.$eval('#regen-time', (e) => ({ tag: e.tagName, live: e.getAttribute('aria-live'), role: e.getAttribute('role') }));
    assert.deepEqual(timing, { tag: 'P', live: null, role: null });
    await judge(page, '1-basics', found);
    await page.click('#next'); // the problems shown
    await judge(page, '1-basics-problems', found);
    await page.fill('#f-domain', 'osmo.example.com');
    await page.click('#next');
    await page.selectOption('#f-authentication-provider', 'microsoftEntraId');
    await judge(page, '2-authentication', found);
    await page.selectOption('#f-authentication-provider', 'none');
    await page.click('#next');
    await page.fill('#f-ingress-tlsSecret', 'osmo-tls');
    await page.click('#add-annotation');
    await judge(page, '3-gateway-ingress', found);
    await page.selectOption('#f-gateway-exposure', 'loadBalancer');
    await judge(page, '3-gateway-loadbalancer', found);
    await page.selectOption('#f-gateway-exposure', 'ingress');
    await page.click('[id="f-ingress-annotations-0-remove"]');
    await page.click('#next');
    await page.click('#next');
    await judge(page, '4-storage-problems', found);
    await page.fill('#f-storage-logUri', 's3://osmo-logs/workflows');
    await page.fill('#f-storage-dataUri', 's3://osmo-data/workflows');
    await page.selectOption('#f-storage-credentials-kind', 'static');
    await judge(page, '4-storage', found);
    await page.click('#next');
    await page.fill('#f-postgres-host', 'db.example.com');
    await page.fill('#f-redis-host', 'redis.example.com');
    await judge(page, '5-databases', found);
    await page.click('#next');
    await page.click('#f-backends-0-operatorTaint');
    await page.click('#add-backend');
    await judge(page, '6-backends', found);
    await page.click('#remove-backend-1');
    await page.click('#f-backends-0-operatorTaint');
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '7. Review');
    await judge(page, '7-review', found);
    // Dark: the page follows the system's colour scheme, and keeps its contrast.
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const [r, g, bl] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + bl < 150, `dark background, not ${bg}`);
    await judge(page, '7-review-dark', found);
    await page.click('#nav-2');
    await judge(page, '3-gateway-dark', found);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
    assert.deepEqual(b.foreign, [], 'requests other than the page\'s own files');
  } finally {
    await b.close();
  }
});

test('a spec.yaml imported on the first screen: every answer filled, the bundle equals osmo-values generate', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-import-');
  try {
    const { page } = b;
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('#f-domain');
    assert.equal(await page.textContent('#step-title'), '1. Basics');
    const spec = path.join(ROOT, 'examples/6.3.1/google-loadbalancer.yaml');
    await page.setInputFiles('#import-spec', spec);
    await page.waitForSelector('#import-status:has-text("Imported")');
    assert.equal(await page.inputValue('#f-domain'), 'osmo.example.org');
    // The opt-in to keep the answers sits on the first screen too; once on, every keystroke
    // is kept (never a secret).
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.check('#remember');
    await page.fill('#f-domain', 'osmo2.example.org');
    assert.match(await page.evaluate(() => JSON.stringify({ ...localStorage })), /osmo2\.example\.org/);
    await page.fill('#f-domain', 'osmo.example.org');
    await page.uncheck('#remember');
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.click('#nav-2');
    assert.equal(await page.inputValue('#f-gateway-exposure'), 'loadBalancer');
    assert.equal(await page.inputValue('#f-gateway-tlsSecret'), 'osmo-gateway-tls');
    await page.click('#nav-6');
    assert.equal(await page.textContent('#step-title'), '7. Review');
    const zip = await download(page, () => page.click('#download-zip'), dl);
    const files = {};
    for (const [name, { text }] of Object.entries(readZip(zip))) files[name.replace('osmo-deployment/', '')] = text;
    compareBundles(assert, files, referenceBundle(spec));
    assert.deepEqual(b.errors, [], 'console or page errors');
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});
