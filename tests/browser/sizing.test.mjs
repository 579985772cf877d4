// The spec's sizing overrides and a Redis without a password, with the keyboard
// only, in the real browser: the per-component table on the first step shows the
// preset's figures, takes an override, says core's message in words for a wrong
// quantity and opens by itself for an imported spec's overrides; the Redis
// password check box hides the password field; the download carries both (no
// fill-me marker, the same bundle as `osmo-values generate`), the Review status
// is ready, axe finds no WCAG A/AA violation, and at 390 px nothing scrolls
// sideways (screenshots under target/screenshots/sizing-*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  SHOTS, servedWizard, launch, axe, shot, phoneShot, tabTo, download, readZip, referenceBundle, compareBundles, tmpdir,
} from './lib.mjs';

const site = servedWizard();

const title = (page) => page.textContent('#step-title');

test('sizing overrides and a Redis without a password, by keyboard: in the bundle, ready, no fill-me marker', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-sizing-');
  try {
    const { page } = b;
    const kb = page.keyboard;
    const focused = () => page.evaluate(() => document.activeElement?.id);
    const found = [];
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('#f-domain');

    assert.equal(await title(page), '1. Basics');
    await tabTo(page, 'f-domain');
    await kb.type('osmo.example.com');
    // The table is behind a disclosure, closed while nothing is overridden.
    assert.equal(await page.getAttribute('#sizing-overrides', 'open'), null);
    await tabTo(page, 'sizing-summary');
    await kb.press('Enter');
    assert.notEqual(await page.getAttribute('#sizing-overrides', 'open'), null);
    // An empty cell shows the preset's figure (small: one replica of the worker).
    assert.equal(await page.getAttribute('#f-sizing-overrides-worker-replicas', 'placeholder'), '1');
    assert.equal(await page.getAttribute('#f-sizing-overrides-worker-replicas', 'aria-label'), 'Worker: Replicas');
    // The charts run one backend listener: no replicas cell there.
    assert.equal(await page.$('#f-sizing-overrides-backendListener-replicas'), null);
    await tabTo(page, 'f-sizing-overrides-worker-replicas');
    await kb.type('2');
    await kb.press('Tab');
    assert.equal(await focused(), 'f-sizing-overrides-worker-maxReplicas');
    await kb.type('6');
    await tabTo(page, 'f-sizing-overrides-worker-memory');
    await kb.type('2 GB');
    await kb.press('Tab');
    // Core's words, with the value as code, and the cell marked.
    const error = '#f-sizing-overrides-worker-memory-error';
    assert.equal(await page.textContent(error), 'Memory: 2 GB is not a Kubernetes quantity (examples: 500m, 2, 512Mi, 1Gi)');
    assert.equal(await page.textContent(`${error} code`), '2 GB');
    assert.equal(await page.getAttribute('#f-sizing-overrides-worker-memory', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-sizing-overrides-worker-memory', 'aria-describedby'), /worker-memory-error/);
    assert.equal(await page.textContent('#sizing-summary'), 'Per-component overrides (1 component)');
    found.push(...(await axe(page, 'sizing-error')));
    await shot(page, 'sizing-1-error');
    const overflowError = await phoneShot(page, 'sizing-phone-1-error');
    assert.equal(overflowError, 0, 'no sideways scroll at 390 px');
    await page.focus('#f-sizing-overrides-worker-memory');
    await kb.press('End');
    for (let i = 0; i < 4; i++) await kb.press('Backspace');
    await kb.type('2Gi');
    assert.equal(await page.$(error), null);
    found.push(...(await axe(page, 'sizing')));
    await shot(page, 'sizing-1-basics');
    const overflow = await phoneShot(page, 'sizing-phone-1-basics');
    assert.equal(overflow, 0, 'no sideways scroll at 390 px');
    // The table alone, to look at: a row per component on a desktop, a card each at 390 px.
    await page.locator('#sizing-overrides').screenshot({ path: path.join(SHOTS, 'sizing-table.png') });
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#sizing-overrides').screenshot({ path: path.join(SHOTS, 'sizing-phone-table.png') });
    await page.setViewportSize(size);
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '2. Authentication');
    await tabTo(page, 'next');
    await kb.press('Enter');
    assert.match(await title(page), /^3\./);
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '4. Storage');
    await tabTo(page, 'f-storage-logUri');
    await kb.type('s3://osmo-logs/workflows');
    await tabTo(page, 'f-storage-dataUri');
    await kb.type('s3://osmo-data/workflows');
    await tabTo(page, 'f-storage-credentials-roleArn');
    await kb.type('arn:aws:iam::123456789012:role/osmo');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '5. Databases');
    await tabTo(page, 'f-postgres-host');
    await kb.type('db.example.com');
    await tabTo(page, 's-db-password');
    await kb.type('db-pass');
    await tabTo(page, 'f-redis-host');
    await kb.type('redis.example.com');
    // The password field is there until the check box says there is none.
    assert.ok(await page.$('#s-redis-password'));
    await tabTo(page, 'f-redis-password');
    assert.equal(await page.isChecked('#f-redis-password'), true);
    await kb.press('Space');
    assert.equal(await page.isChecked('#f-redis-password'), false);
    assert.equal(await focused(), 'f-redis-password', 'focus stays on the check box');
    assert.equal(await page.$('#s-redis-password'), null, 'no password to type');
    found.push(...(await axe(page, 'databases')));
    await shot(page, 'sizing-5-databases');
    assert.equal(await phoneShot(page, 'sizing-phone-5-databases'), 0);
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '6. Backends');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '7. Review');
    const status = await page.textContent('#status');
    assert.match(status, /^Ready/);
    assert.doesNotMatch(status, /FILL-ME-IN/);
    found.push(...(await axe(page, 'review')));
    await shot(page, 'sizing-7-review');
    assert.equal(await phoneShot(page, 'sizing-phone-7-review'), 0);
    // The preview carries them.
    await tabTo(page, 'tab-osmo_values.yaml');
    await kb.press('Enter');
    assert.match(await page.textContent('#file-content'), /worker:[\s\S]*?minReplicas: 2[\s\S]*?maxReplicas: 6/);
    assert.match(await page.textContent('#file-content'), /External Redis, without a password/);
    await tabTo(page, 'download-zip', { back: true });
    const zip = await download(page, () => kb.press('Enter'), dl);
    const files = {};
    for (const [name, { text }] of Object.entries(readZip(zip))) files[name.replace('osmo-deployment/', '')] = text;
    assert.match(files['spec.yaml'], /overrides:\n {4}worker:\n {6}replicas: 2\n {6}maxReplicas: 6\n {6}memory: "2Gi"/);
    assert.match(files['spec.yaml'], /redis:[\s\S]*?password: false/);
    assert.match(files['secrets.yaml'], /"redis-password": ""/);
    const markers = files['secrets.yaml'].split('\n').filter((l) => !l.startsWith('#') && l.includes('FILL-ME-IN'));
    assert.deepEqual(markers, []);
    assert.doesNotMatch(files['install.sh'], /OSMO_REDIS_PASSWORD/);
    // The same bundle as the command line's from the same spec, with no Redis password given.
    const spec = path.join(dl, 'spec.yaml');
    fs.writeFileSync(spec, files['spec.yaml']);
    compareBundles(assert, files, referenceBundle(spec, { OSMO_DB_PASSWORD: 'db-pass' }));

    // An imported spec's overrides are shown: the table opens by itself.
    await tabTo(page, 'nav-0', { back: true });
    await kb.press('Enter');
    assert.equal(await title(page), '1. Basics');
    const imported = path.join(dl, 'imported.yaml');
    fs.writeFileSync(imported, files['spec.yaml'].replace('sizing:\n  preset: "small"\n', 'sizing:\n  preset: "medium"\n').replace(/\n {2}overrides:\n(( {4}.*\n)+)/, '\n  overrides:\n    ui: {maxReplicas: 4}\n    backendListener: {replicas: 2}\n'));
    await page.setInputFiles('#import-spec', imported);
    await page.waitForSelector('#import-status:has-text("Imported")');
    assert.notEqual(await page.getAttribute('#sizing-overrides', 'open'), null);
    assert.equal(await page.inputValue('#f-sizing-overrides-ui-maxReplicas'), '4');
    assert.equal(await page.getAttribute('#f-sizing-overrides-worker-replicas', 'placeholder'), '2', 'medium');
    // A field the chart does not read is shown when set, with core's message, to remove.
    assert.equal(await page.inputValue('#f-sizing-overrides-backendListener-replicas'), '2');
    await tabTo(page, 'f-sizing-overrides-backendListener-replicas');
    await kb.press('Tab');
    assert.match(await page.textContent('#f-sizing-overrides-backendListener-replicas-error'), /always runs one replica/);
    await page.focus('#f-sizing-overrides-backendListener-replicas');
    await kb.press('Backspace');
    assert.equal(await page.$('#f-sizing-overrides-backendListener-replicas'), null, 'gone once emptied');
    found.push(...(await axe(page, 'imported')));
    await shot(page, 'sizing-1-imported');
    assert.equal(await phoneShot(page, 'sizing-phone-1-imported'), 0);

    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
    assert.deepEqual(b.foreign, [], 'requests off the page');
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});
