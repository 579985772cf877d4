// The wizard runs core's linter on the generated OSMO 6.3.1 values files after
// every regeneration: a clean bundle shows no finding; a template placeholder
// typed into the OIDC issuer shows the findings (rule code, position, help),
// the most serious first, in the Review step and as badges on the file tabs,
// exactly as `osmo-values lint` reports them for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  servedWizard, launch, shot, download, readZip, referenceLint, tmpdir,
} from './lib.mjs';

const site = servedWizard();

const OIDC = {
  issuer: 'https://sso.example.io',
  jwksUri: 'https://sso.example.io/oauth2/keys',
  authorizationEndpoint: 'https://sso.example.io/oauth2/authorize',
  tokenEndpoint: 'https://sso.example.io/oauth2/token',
  deviceAuthorizationEndpoint: 'https://sso.example.io/oauth2/device',
  endSessionEndpoint: 'https://sso.example.io/oauth2/logout',
  clientId: 'osmo',
};

/** The findings the Review step lists: [{ file, line, column, code, severity, message, help, related }]. */
async function reviewFindings(page) {
  return page.$$eval('#lint-findings > li', (items) => items.map((li) => {
    const [file, line, column] = li.querySelector('.loc').textContent.split(':');
    const text = (sel) => li.querySelector(sel)?.textContent ?? null;
    return {
      file,
      line: Number(line),
      column: Number(column),
      code: li.dataset.code,
      rule: text('.rule'),
      severity: text('.sev').replace(/^\W+/, '').trim(),
      message: text('.msg'),
      help: text('.help')?.replace(/^help: /, '') ?? null,
      related: [...li.querySelectorAll('.related')].map((r) => r.textContent),
    };
  }));
}

/** The badge of a file's tab: its count, or null without one. */
async function badge(page, file) {
  const el = await page.$(`[id="badge-${file}"]`);
  return el ? Number(await el.getAttribute('data-count')) : null;
}

/** The values files of the wizard's download: { name: text }. */
async function downloadedValues(page, dir) {
  const zip = await download(page, () => page.click('#download-zip'), dir);
  const files = {};
  for (const [name, { text }] of Object.entries(readZip(zip))) {
    const base = name.replace('osmo-deployment/', '');
    if (/_values(\.[\w-]+)?\.yaml$/.test(base)) files[base] = text;
  }
  fs.rmSync(zip);
  return files;
}

/** The wizard's findings equal the command line's on the files it downloads. */
async function assertSameAsCli(page, dir) {
  const shown = await reviewFindings(page);
  const files = await downloadedValues(page, dir);
  assert.deepEqual(Object.keys(files).sort(), ['backend_operator_values.yaml', 'osmo_values.yaml']);
  // The most serious first.
  const rank = { error: 0, warning: 1, note: 2, info: 2 };
  for (let i = 1; i < shown.length; i++) {
    assert.ok(rank[shown[i - 1].severity] <= rank[shown[i].severity], `sorted by severity: ${shown.map((d) => d.severity)}`);
  }
  const cli = referenceLint(files);
  const plain = (s) => s?.replaceAll('`', '') ?? null;
  const order = (xs) => [...xs].sort((a, b) => `${a.file}:${String(a.line).padStart(6)}:${a.code}`.localeCompare(`${b.file}:${String(b.line).padStart(6)}:${b.code}`));
  assert.deepEqual(
    order(shown).map((d) => [d.file, d.line, d.column, d.code, d.severity, d.message, d.help]),
    order(cli).map((d) => [d.file, d.line, d.column, d.code, d.severity, plain(d.message), plain(d.help)]),
  );
  return { shown, files };
}

test('lint findings: clean bundle, a placeholder in the issuer (most serious first), a backend on another host refused by the spec', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-lint-');
  try {
    const { page } = b;
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('#f-domain');
    await page.fill('#f-domain', 'osmo.example.io');
    await page.click('#next');
    await page.selectOption('#f-authentication-provider', 'oidc');
    for (const [key, value] of Object.entries(OIDC)) await page.fill(`#f-authentication-${key}`, value);
    await page.click('#next');
    await page.fill('#f-ingress-tlsSecret', 'osmo-tls');
    await page.click('#next');
    await page.fill('#f-storage-logUri', 's3://osmo-logs/workflows');
    await page.fill('#f-storage-dataUri', 's3://osmo-data/workflows');
    await page.fill('#f-storage-credentials-roleArn', 'arn:aws:iam::123456789012:role/osmo-storage');
    await page.click('#next');
    await page.fill('#f-postgres-host', 'db.example.io');
    await page.fill('#f-redis-host', 'redis.example.io');
    await page.click('#next');
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '7. Review');

    // Clean: the linter ran over the two 6.3.1 values files and found nothing.
    assert.match(await page.textContent('#lint-summary'), /No findings: the linter checked the 2 values files together\./);
    assert.equal(await page.$('#lint-findings'), null);
    assert.equal(await page.$$eval('.badge', (xs) => xs.length), 0);
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.match(await page.textContent('#file-lint'), /No lint findings in osmo_values\.yaml/);
    await page.click('[id="tab-install.sh"]');
    assert.equal(await page.$('#file-lint'), null, 'only values files are linted');
    await assertSameAsCli(page, dl);
    await shot(page, 'lint-6-review-clean');

    // A placeholder pasted into the issuer URL: valid for the spec, found by the linter
    // in every chart that carries the issuer, already while on the Authentication step.
    await page.click('#nav-1');
    await page.fill('#f-authentication-issuer', 'https://sso.example.io/<tenant-id>/v2.0');
    await page.waitForSelector('[id="badge-osmo_values.yaml"]');
    assert.equal(await page.$('#f-authentication-issuer-error'), null, 'the spec itself is valid');
    await shot(page, 'lint-2-authentication-placeholder');
    await page.click('#nav-6');
    const { shown, files } = await assertSameAsCli(page, dl);
    assert.ok(shown.length >= 1, `${shown.length} findings`);
    for (const d of shown) {
      assert.equal(d.code, 'OV307');
      assert.equal(d.rule, 'OV307');
      assert.equal(d.severity, 'error');
      assert.match(d.message, /placeholder <tenant-id> left in/);
      assert.equal(d.help, 'replace it with your real value');
      // The position points at the placeholder's value in the downloaded file.
      const line = files[d.file].split('\n')[d.line - 1];
      assert.ok([...line].slice(d.column - 1).join('').includes('<tenant-id>'), `${d.file}:${d.line}: ${line}`);
    }
    const perFile = (f) => shown.filter((d) => d.file === f).length;
    for (const f of ['osmo_values.yaml']) {
      assert.ok(perFile(f) > 0, f);
      assert.equal(await badge(page, f), perFile(f), `badge of ${f}`);
    }
    assert.equal(await badge(page, 'backend_operator_values.yaml'), null);
    assert.match(await page.textContent('#lint-summary'), new RegExp(`^\\W*${shown.length} errors? in 1 of the 2 values files\\.`));
    // The severity is written out, not only coloured.
    assert.match(await page.textContent('[id="tab-osmo_values.yaml"]'), /lint findings?, worst: error/);
    // The position opens the file; its findings are listed above its text.
    await page.click('#lint-findings > li:last-child .loc');
    const last = shown.at(-1);
    assert.equal(await page.getAttribute(`[id="tab-${last.file}"]`, 'aria-selected'), 'true');
    assert.equal(await page.$$eval('#file-lint li[data-code="OV307"]', (xs) => xs.length), perFile(last.file));
    // ... with the finding's line highlighted and named.
    assert.equal(await page.textContent('#changed-lines'), `Where the lint finding is (highlighted): line ${last.line}.`);
    assert.match(await page.textContent('#file-content .chg'), /<tenant-id>/);
    await shot(page, 'lint-6-review-placeholder');
    // A finding whose line carries an answer leads to that answer's field.
    const toField = await page.$$('#lint-findings .answer .fieldlink');
    assert.ok(toField.length >= 1, 'a finding links to the issuer field');
    assert.match(await toField[0].textContent(), /issuer/i);
    await toField[0].click();
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'f-authentication-issuer');
    assert.equal(await page.textContent('#step-title'), '2. Authentication');

    // Back to a real issuer: clean again.
    await page.fill('#f-authentication-issuer', OIDC.issuer);
    await page.click('#nav-6');
    assert.match(await page.textContent('#lint-summary'), /No findings/);
    assert.equal(await page.$$eval('.badge', (xs) => xs.length), 0);

    // At 6.3.1 the spec itself refuses a backend pointed at another host than the service
    // (the linter's cross-chart OV505 then only concerns edited files): core's words at the field.
    await page.click('#nav-5');
    await page.fill('#f-backends-0-serviceUrl', 'https://osmo-internal.example.io');
    await page.locator('#f-backends-0-serviceUrl').blur();
    assert.match(await page.textContent('#f-backends-0-serviceUrl-error'), /osmo\.example\.io/);
    assert.ok(await page.isDisabled('#nav-6'), 'Review waits for the answer to be fixed');
    await shot(page, 'lint-6-backends-service-url');
    await page.fill('#f-backends-0-serviceUrl', '');
    await page.click('#nav-6');
    assert.match(await page.textContent('#lint-summary'), /No findings/);

    assert.deepEqual(b.errors, [], 'console or page errors');
    assert.deepEqual(b.foreign, [], 'requests other than the page\'s own files');
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});
