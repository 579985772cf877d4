// End-to-end tests of the built wizard in headless Chromium: two complete
// flows (Entra ID + nginx with the mouse, default admin + ALB with the
// keyboard only), the downloaded bundle against core's `generate`, spec
// export/import, privacy (no foreign request, nothing stored) and console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, servedWizard, launch, shot, tabTo, download, readZip, referenceBundle, compareBundles, tmpdir,
} from './lib.mjs';

const site = servedWizard();

async function open(b) {
  await b.page.goto(`${site.origin}/`);
  await b.page.waitForSelector('#f-domain');
}

async function checkClean(b) {
  assert.deepEqual(b.errors, [], 'console or page errors');
  assert.deepEqual(b.foreign, [], 'requests other than the page\'s own files');
  for (const url of b.requests) assert.ok(url.startsWith(`${site.origin}/`), url);
}

async function title(page) {
  return page.textContent('#step-title');
}

async function bundleOf(page, dir) {
  const zip = await download(page, () => page.click('#download-zip'), dir);
  assert.equal(path.basename(zip), 'osmo-deployment.zip');
  const entries = readZip(zip);
  const files = {};
  for (const [name, { text, mode }] of Object.entries(entries)) {
    assert.ok(name.startsWith('osmo-deployment/'), name);
    const base = name.slice('osmo-deployment/'.length);
    files[base] = text;
    if (base === 'install.sh') assert.equal(mode, 0o755);
    if (base === 'secrets.yaml' || base === 'mek-configmap.yaml') assert.equal(mode, 0o600);
  }
  return files;
}

test('Entra ID + nginx: the mouse flow produces what osmo-values generate produces', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-dl-');
  try {
    const { page } = b;
    await open(b);
    await shot(page, 'entra-1-basics-empty');
    // A step with problems cannot be left: core's message appears beside the field.
    await page.click('#next');
    assert.equal(await title(page), '1. Basics');
    assert.match(await page.textContent('#f-domain-error'), /must not be empty/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-domain');
    await page.fill('#f-domain', 'https://osmo.example.com');
    assert.match(await page.textContent('#f-domain-error'), /without https/);
    await page.fill('#f-domain', 'osmo.example.com');
    assert.equal(await page.$('#f-domain-error'), null);
    // Defaults come prefilled from core.
    assert.equal(await page.inputValue('#f-images-registry'), 'nvcr.io/nvidia/osmo');
    assert.equal(await page.inputValue('#f-images-tag'), '6.2.10');
    await page.selectOption('#f-sizing-preset', 'medium');
    await shot(page, 'entra-1-basics');
    await page.click('#next');

    assert.equal(await title(page), '2. Authentication');
    await page.selectOption('#f-authentication-provider', 'microsoftEntraId');
    // Only Entra's fields are shown.
    assert.ok(await page.$('#f-authentication-tenantId'));
    assert.equal(await page.$('#f-authentication-realm'), null);
    await page.fill('#f-authentication-tenantId', '72f988bf-86f1-41af-91ab-2d7cd011db47');
    await page.fill('#f-authentication-clientId', '0c7e6c2a-1b1e-4a57-9d36-5c0f0a1f2b3c');
    await page.fill('#s-idp-client-secret', 'idp-secret-value');
    assert.equal(await page.getAttribute('#s-idp-client-secret', 'type'), 'password');
    await page.click('#s-idp-client-secret-toggle');
    assert.equal(await page.getAttribute('#s-idp-client-secret', 'type'), 'text');
    await shot(page, 'entra-2-authentication');
    await page.click('#s-idp-client-secret-toggle');
    assert.equal(await page.getAttribute('#s-idp-client-secret', 'type'), 'password');
    await page.click('#next');

    assert.equal(await title(page), '3. Ingress and TLS');
    assert.equal(await page.inputValue('#f-ingress-className'), 'nginx');
    await page.fill('#f-ingress-tlsSecret', 'osmo-tls');
    await shot(page, 'entra-3-ingress');
    await page.click('#next');

    assert.equal(await title(page), '4. Databases');
    assert.equal(await page.inputValue('#f-postgres-port'), '5432');
    await page.fill('#f-postgres-host', 'osmo-db.postgres.database.azure.com');
    await page.fill('#f-postgres-user', 'osmo');
    await page.fill('#s-db-password', 'db-password-value');
    await page.fill('#f-redis-host', 'osmo-cache.redis.cache.windows.net');
    await page.fill('#f-redis-port', 'x');
    await page.locator('#f-redis-port').blur();
    assert.match(await page.textContent('#f-redis-port-error'), /invalid type/);
    await page.fill('#f-redis-port', '6380');
    await shot(page, 'entra-4-databases');
    await page.click('#next');

    assert.equal(await title(page), '5. Backends');
    assert.equal(await page.inputValue('#f-backends-0-name'), 'default');
    await page.click('#add-backend');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-backends-1-name');
    await page.fill('#f-backends-1-name', 'default');
    await page.click('#next');
    assert.match(await page.textContent('#f-backends-1-name-error'), /listed twice/);
    await shot(page, 'entra-5-backends-error');
    await page.click('#remove-backend-1');
    assert.equal(await page.$('#f-backends-1-name'), null);
    await shot(page, 'entra-5-backends');
    await page.click('#next');

    assert.equal(await title(page), '6. Review');
    // The live preview: a tab per file, monospace text.
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.match(await page.textContent('#file-content'), /login\.microsoftonline\.com/);
    const font = await page.$eval('#file-content', (e) => getComputedStyle(e).fontFamily);
    assert.match(font, /mono/i);
    assert.match(await page.textContent('#next-steps'), /\S/);
    await page.click('[id="tab-secrets.yaml"]');
    assert.ok(await page.$('#file-masked'), 'secrets hidden until asked');
    await shot(page, 'entra-6-review');

    // The preview follows edits: change the domain, the preview changes with it.
    await page.click('#nav-0');
    await page.fill('#f-domain', 'osmo2.example.com');
    await page.click('[id="tab-router_values.yaml"]');
    assert.match(await page.textContent('#file-content'), /osmo2\.example\.com/);
    await page.fill('#f-domain', 'osmo.example.com');
    await page.click('#nav-5');

    const files = await bundleOf(page, dl);
    assert.match(files['secrets.yaml'], /"db-password": "db-password-value"/);
    assert.match(files['secrets.yaml'], /"client_secret": "idp-secret-value"/);
    compareBundles(assert, files, referenceBundle(path.join(ROOT, 'examples/entra-nginx.yaml'), {
      OSMO_DB_PASSWORD: 'db-password-value', OSMO_IDP_CLIENT_SECRET: 'idp-secret-value',
    }));

    // One file alone.
    await page.click('[id="tab-install.sh"]');
    const one = await download(page, () => page.click('#download-file'), dl);
    assert.equal(fs.readFileSync(one, 'utf8'), files['install.sh']);

    // Export, import the export, export again: the same file.
    const exported = await download(page, () => page.click('#export-spec'), dl);
    const text = fs.readFileSync(exported, 'utf8');
    assert.equal(text, files['spec.yaml']);
    await page.setInputFiles('#import-spec', exported);
    await page.waitForSelector('#import-status:has-text("Imported")');
    fs.rmSync(exported);
    const again = await download(page, () => page.click('#export-spec'), dl);
    assert.equal(fs.readFileSync(again, 'utf8'), text);

    // Import errors carry line:column.
    await page.setInputFiles('#import-spec', {
      name: 'bad.yaml', mimeType: 'application/yaml',
      buffer: Buffer.from('domain: osmo.example.com\npostgres:\n  host: db\n  bogus: 1\nredis:\n  host: r\n'),
    });
    await page.waitForSelector('#import-status.error');
    assert.match(await page.textContent('#import-status'), /Could not import: 4:3: .*bogus/);
    await page.setInputFiles('#import-spec', {
      name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from('domain: [\n'),
    });
    await page.waitForFunction(() => /Could not import: \d+:\d+/.test(document.querySelector('#import-status').textContent) && !/bogus/.test(document.querySelector('#import-status').textContent));
    await shot(page, 'entra-6-import-error');

    // Nothing is stored unless asked; when asked, never a secret.
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.check('#remember');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    assert.match(stored, /osmo\.example\.com/);
    assert.doesNotMatch(stored, /db-password-value|idp-secret-value/);
    await page.uncheck('#remember');
    assert.equal(await page.evaluate(() => localStorage.length), 0);

    await checkClean(b);
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});

test('default admin + ALB: the keyboard alone completes the flow', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-dl-');
  try {
    const { page } = b;
    await open(b);
    const kb = page.keyboard;
    await tabTo(page, 'f-domain');
    await kb.type('osmo.internal.example.com');
    await shot(page, 'alb-1-basics');
    await kb.press('Enter'); // submits the step: Next

    assert.equal(await title(page), '2. Authentication');
    assert.equal(await page.inputValue('#f-authentication-provider'), 'none');
    assert.equal(await page.$('#s-idp-client-secret'), null);
    await shot(page, 'alb-2-authentication');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '3. Ingress and TLS');
    await tabTo(page, 'f-ingress-className');
    await kb.press('Control+A');
    await kb.type('alb');
    await tabTo(page, 'f-ingress-alb-certificateArn');
    await kb.type('arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789');
    await tabTo(page, 'f-ingress-alb-scheme');
    await kb.press('ArrowDown');
    assert.equal(await page.inputValue('#f-ingress-alb-scheme'), 'internal');
    await shot(page, 'alb-3-ingress');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '4. Databases');
    await tabTo(page, 'f-postgres-host');
    await kb.type('db.internal.example.com');
    await tabTo(page, 'f-redis-host');
    await kb.type('redis.internal.example.com');
    await tabTo(page, 'f-redis-tls');
    await kb.press('Space');
    assert.equal(await page.isChecked('#f-redis-tls'), false);
    await tabTo(page, 's-redis-password');
    await kb.type('redis-pass');
    await kb.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 's-redis-password-toggle');
    await kb.press('Enter');
    assert.equal(await page.getAttribute('#s-redis-password', 'type'), 'text');
    await shot(page, 'alb-4-databases');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '5. Backends');
    await tabTo(page, 'add-backend');
    await kb.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-backends-1-name');
    await kb.type('gpu-east');
    await shot(page, 'alb-5-backends');
    await kb.press('Enter');

    assert.equal(await title(page), '6. Review');
    // Arrow keys move between the file tabs.
    await tabTo(page, 'tab-osmo_values.yaml');
    await kb.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-router_values.yaml');
    assert.match(await page.textContent('#file-content'), /alb/);
    await shot(page, 'alb-6-review');
    await tabTo(page, 'download-zip', { back: true });
    const zip = await download(page, () => kb.press('Enter'), dl);
    const files = {};
    for (const [name, { text }] of Object.entries(readZip(zip))) files[name.replace('osmo-deployment/', '')] = text;
    assert.ok(files['backend_operator_values.gpu-east.yaml']);
    assert.match(files['secrets.yaml'], /default-admin-secret/);
    assert.match(files['secrets.yaml'], /"redis-password": "redis-pass"/);
    const spec = path.join(dl, 'alb-spec.yaml');
    fs.writeFileSync(spec, [
      'domain: osmo.internal.example.com',
      'ingress:',
      '  className: alb',
      '  alb:',
      '    certificateArn: arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      '    scheme: internal',
      'postgres:',
      '  host: db.internal.example.com',
      'redis:',
      '  host: redis.internal.example.com',
      '  tls: false',
      'backends:',
      '  - name: default',
      '  - name: gpu-east',
      '',
    ].join('\n'));
    compareBundles(assert, files, referenceBundle(spec, { OSMO_REDIS_PASSWORD: 'redis-pass' }));
    await checkClean(b);
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});

test('the page forbids network connections and loads nothing foreign', async () => {
  const html = fs.readFileSync(path.join(process.env.OSMO_WIZARD_DIST || path.join(ROOT, 'target/dist/wizard'), 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  for (const directive of ["connect-src 'none'", "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"]) {
    assert.ok(csp.includes(directive), directive);
  }
  assert.match(html, /<link rel="icon" href="data:,">/);
  assert.doesNotMatch(html, /https?:\/\//);
  const b = await launch(site.origin);
  try {
    await open(b);
    // The CSP really is in force: a fetch from the page fails.
    const blocked = await b.page.evaluate(async () => {
      try { await fetch('/index.html'); return false; } catch { return true; }
    });
    assert.ok(blocked, 'fetch must be refused by connect-src');
    b.errors.splice(0, b.errors.length, ...b.errors.filter((e) => !/Content Security Policy|connect-src|Failed to fetch/.test(e)));
    await checkClean(b);
  } finally {
    await b.close();
  }
});

test('extra ingress annotations: edited as rows, checked by core, generated and round-tripped', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-dl-');
  try {
    const { page } = b;
    const kb = page.keyboard;
    const focused = () => page.evaluate(() => document.activeElement.id);
    await open(b);
    await page.fill('#f-domain', 'osmo.example.com');
    await page.click('#next');
    await page.click('#next');
    assert.equal(await title(page), '3. Ingress and TLS');
    // None by default.
    assert.equal(await page.$('#f-ingress-annotations-0'), null);
    await page.fill('#f-ingress-tlsSecret', 'osmo-tls');
    // Add (keyboard): focus goes to the new row's name.
    await tabTo(page, 'add-annotation');
    await kb.press('Enter');
    assert.equal(await focused(), 'f-ingress-annotations-0');
    assert.equal(await page.getAttribute('#f-ingress-annotations-0', 'aria-label'), 'Annotation 1 name');
    assert.equal(await page.getAttribute('#f-ingress-annotations-0-value', 'aria-label'), 'Annotation 1 value');
    // A name core refuses (a space): core's message beside the row, as you type.
    await kb.type('cert-manager.io/cluster issuer');
    assert.match(await page.textContent('#f-ingress-annotations-0-error'), /annotation names are letters, digits/);
    assert.equal(await page.getAttribute('#f-ingress-annotations-0', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#f-ingress-annotations-0', 'aria-describedby'), 'f-ingress-annotations-0-error');
    // The step cannot be left with it; Next brings the focus back to the row.
    await page.click('#next');
    assert.equal(await title(page), '3. Ingress and TLS');
    assert.equal(await focused(), 'f-ingress-annotations-0');
    await shot(page, 'annotations-3-ingress-error');
    await page.fill('#f-ingress-annotations-0', 'cert-manager.io/cluster-issuer');
    assert.equal(await page.$('#f-ingress-annotations-0-error'), null);
    await kb.press('Tab');
    assert.equal(await focused(), 'f-ingress-annotations-0-value');
    await kb.type('letsencrypt');
    // A second row with the mouse; a third, removed again.
    await page.click('#add-annotation');
    assert.equal(await focused(), 'f-ingress-annotations-1');
    await page.fill('#f-ingress-annotations-1', 'nginx.ingress.kubernetes.io/proxy-body-size');
    await page.fill('#f-ingress-annotations-1-value', '64m');
    await page.click('#add-annotation');
    // An empty name is refused once the step is attempted.
    await page.click('#next');
    assert.equal(await focused(), 'f-ingress-annotations-2');
    assert.match(await page.textContent('#f-ingress-annotations-2-error'), /annotation names/);
    assert.equal(await page.getAttribute('#f-ingress-annotations-2-remove', 'aria-label'), 'Remove annotation 3');
    await page.click('#f-ingress-annotations-2-remove');
    assert.equal(await page.$('#f-ingress-annotations-2'), null);
    assert.equal(await focused(), 'add-annotation');
    await shot(page, 'annotations-3-ingress');
    await page.click('#next');

    assert.equal(await title(page), '4. Databases');
    await page.fill('#f-postgres-host', 'db.example.com');
    await page.fill('#f-redis-host', 'redis.example.com');
    await page.click('#next');
    await page.click('#next');
    assert.equal(await title(page), '6. Review');

    const files = await bundleOf(page, dl);
    const spec = path.join(dl, 'annotations-spec.yaml');
    fs.writeFileSync(spec, [
      'domain: osmo.example.com',
      'ingress:',
      '  tlsSecret: osmo-tls',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/proxy-body-size: 64m',
      '    cert-manager.io/cluster-issuer: letsencrypt',
      'postgres:',
      '  host: db.example.com',
      'redis:',
      '  host: redis.example.com',
      '',
    ].join('\n'));
    const reference = referenceBundle(spec);
    assert.match(reference['osmo_values.yaml'], /cert-manager\.io\/cluster-issuer/);
    compareBundles(assert, files, reference);

    // Export, import, the rows come back, export again: the same file.
    const exported = await download(page, () => page.click('#export-spec'), dl);
    const text = fs.readFileSync(exported, 'utf8');
    assert.equal(text, reference['spec.yaml']);
    await page.setInputFiles('#import-spec', spec);
    await page.waitForSelector('#import-status:has-text("Imported")');
    await page.click('#nav-2');
    assert.equal(await page.inputValue('#f-ingress-annotations-0'), 'cert-manager.io/cluster-issuer');
    assert.equal(await page.inputValue('#f-ingress-annotations-0-value'), 'letsencrypt');
    assert.equal(await page.inputValue('#f-ingress-annotations-1'), 'nginx.ingress.kubernetes.io/proxy-body-size');
    assert.equal(await page.inputValue('#f-ingress-annotations-1-value'), '64m');
    await page.click('#nav-5');
    fs.rmSync(exported);
    const again = await download(page, () => page.click('#export-spec'), dl);
    assert.equal(fs.readFileSync(again, 'utf8'), text);
    await checkClean(b);
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});
