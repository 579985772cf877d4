// End-to-end tests of the built wizard in headless Chromium: two complete
// OSMO 6.3.1 flows (Entra ID + the gateway behind nginx with the mouse,
// default admin + the gateway on a load balancer with the keyboard only), the
// downloaded bundle against core's `generate`, spec export/import, privacy (no
// foreign request, nothing stored) and console errors.
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

/** Fills the Storage step with an Azure workload identity (the 6.3.1 entra-nginx example's). */
async function azureStorage(page) {
  await page.fill('#f-storage-logUri', 'azure://osmostorage/workflow-logs');
  await page.fill('#f-storage-dataUri', 'azure://osmostorage/workflow-data');
  await page.selectOption('#f-storage-credentials-kind', 'azureWorkloadIdentity');
  await page.fill('#f-storage-credentials-clientId', '5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');
}

test('OSMO 6.3.1, Entra ID + gateway behind nginx: the mouse flow produces what osmo-values generate produces', async () => {
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
    // Defaults come prefilled from core: 6.3.1, its image tag.
    assert.equal(await page.inputValue('#f-release'), '6.3.1');
    assert.equal(await page.inputValue('#f-images-registry'), 'nvcr.io/nvidia/osmo');
    assert.equal(await page.inputValue('#f-images-tag'), '6.3.1');
    // Readable choices: no raw key, no dash-joined description.
    const presets = await page.$$eval('#f-sizing-preset option', (os) => os.map((o) => o.textContent));
    assert.equal(presets[0], 'Small: one replica of everything');
    await page.selectOption('#f-sizing-preset', 'medium');
    await shot(page, 'entra-1-basics');
    await page.click('#next');

    assert.equal(await title(page), '2. Authentication');
    const providers = await page.$$eval('#f-authentication-provider option', (os) => os.map((o) => o.textContent));
    assert.ok(providers.includes('Microsoft Entra ID'), providers.join(' | '));
    for (const p of providers) assert.doesNotMatch(p, /microsoftEntraId|—|`/);
    // Short enough for a select at a phone's width.
    for (const p of providers) assert.ok(p.length <= 34, p);
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
    // Another provider and back: Entra's answers, the client secret too, come back.
    await page.selectOption('#f-authentication-provider', 'google');
    assert.equal(await page.$('#f-authentication-tenantId'), null);
    assert.equal(await page.inputValue('#s-idp-client-secret'), '');
    await page.selectOption('#f-authentication-provider', 'microsoftEntraId');
    assert.equal(await page.inputValue('#f-authentication-tenantId'), '72f988bf-86f1-41af-91ab-2d7cd011db47');
    assert.equal(await page.inputValue('#s-idp-client-secret'), 'idp-secret-value');
    await shot(page, 'entra-2-authentication');
    await page.click('#s-idp-client-secret-toggle');
    await page.click('#next');

    assert.equal(await title(page), '3. Gateway');
    assert.equal(await page.inputValue('#f-gateway-exposure'), 'ingress');
    assert.equal(await page.inputValue('#f-ingress-className'), 'nginx');
    assert.equal(await page.$('#f-gateway-tlsSecret'), null, 'only the fields of the exposure chosen');
    await page.fill('#f-ingress-tlsSecret', 'osmo-tls');
    // The load balancer's own fields replace the Ingress's; switching back restores them.
    await page.selectOption('#f-gateway-exposure', 'loadBalancer');
    assert.equal(await page.$('#f-ingress-className'), null);
    assert.ok(await page.$('#f-gateway-tlsSecret'));
    await page.selectOption('#f-gateway-exposure', 'ingress');
    assert.equal(await page.inputValue('#f-ingress-tlsSecret'), 'osmo-tls');
    await shot(page, 'entra-3-gateway');
    await page.click('#next');

    assert.equal(await title(page), '4. Storage');
    await page.click('#next');
    assert.equal(await title(page), '4. Storage');
    assert.match(await page.textContent('#f-storage-logUri-error'), /\S/);
    await azureStorage(page);
    assert.equal(await page.$('#f-storage-credentials-roleArn'), null, 'only the kind chosen');
    await shot(page, 'entra-4-storage');
    await page.click('#next');

    assert.equal(await title(page), '5. Databases');
    assert.equal(await page.inputValue('#f-postgres-port'), '5432');
    await page.fill('#f-postgres-host', 'osmo-db.postgres.database.azure.com');
    await page.fill('#f-postgres-user', 'osmo');
    await page.fill('#s-db-password', 'db-password-value');
    await page.fill('#f-redis-host', 'osmo-cache.redis.cache.windows.net');
    await page.fill('#f-redis-port', 'abc');
    await page.locator('#f-redis-port').blur();
    // Core's words, not a parser's.
    assert.equal(await page.textContent('#f-redis-port-error'), 'a port is a number from 1 to 65535');
    await page.fill('#f-redis-port', '6380');
    await shot(page, 'entra-5-databases');
    await page.click('#next');

    assert.equal(await title(page), '6. Backends');
    assert.equal(await page.inputValue('#f-backends-0-name'), 'default');
    assert.equal(await page.inputValue('#f-backends-0-operatorNodes'), 'node-type=operator');
    await page.selectOption('#f-backends-0-kind', 'aks');
    await page.click('#add-backend');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-backends-1-name');
    await page.fill('#f-backends-1-name', 'default');
    await page.click('#next');
    assert.match(await page.textContent('#f-backends-1-name-error'), /listed twice/);
    await shot(page, 'entra-6-backends-error');
    await page.click('#remove-backend-1');
    assert.equal(await page.$('#f-backends-1-name'), null);
    await shot(page, 'entra-6-backends');
    await page.click('#next');

    assert.equal(await title(page), '7. Review');
    // The Redis password is not typed: secrets.yaml keeps a marker, so the bundle is not ready.
    assert.match(await page.textContent('#status'), /Not ready[\s\S]*FILL-ME-IN/);
    assert.equal(await page.getAttribute('#download-zip', 'class'), null, 'Download is not the primary action');
    await page.click('#nav-4');
    await page.fill('#s-redis-password', 'redis-password-value');
    await page.click('#nav-6');
    assert.match(await page.textContent('#status'), /^Ready/);
    assert.equal(await page.getAttribute('#download-zip', 'class'), 'primary');
    // The live preview: a tab per file, monospace text.
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.match(await page.textContent('#file-content'), /login\.microsoftonline\.com/);
    const font = await page.$eval('#file-content', (e) => getComputedStyle(e).fontFamily);
    assert.match(font, /mono/i);
    assert.match(await page.textContent('#next-steps'), /\S/);
    await page.click('[id="tab-secrets.yaml"]');
    assert.ok(await page.$('#file-masked'), 'secrets hidden until asked');
    await shot(page, 'entra-7-review');

    // The preview follows edits: change the domain, the preview changes with it.
    await page.click('#nav-0');
    await page.fill('#f-domain', 'osmo2.example.com');
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.match(await page.textContent('#file-content'), /osmo2\.example\.com/);
    await page.fill('#f-domain', 'osmo.example.com');
    await page.click('#nav-6');

    const files = await bundleOf(page, dl);
    assert.match(files['secrets.yaml'], /"db-password": "db-password-value"/);
    assert.match(files['secrets.yaml'], /"client_secret": "idp-secret-value"/);
    compareBundles(assert, files, referenceBundle(path.join(ROOT, 'examples/6.3.1/entra-nginx.yaml'), {
      OSMO_DB_PASSWORD: 'db-password-value', OSMO_IDP_CLIENT_SECRET: 'idp-secret-value', OSMO_REDIS_PASSWORD: 'redis-password-value',
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
    await shot(page, 'entra-7-import-error');

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

test('OSMO 6.3.1, default admin + gateway on a load balancer: the keyboard alone completes the flow, focus stays where the keys are', async () => {
  const b = await launch(site.origin);
  const dl = tmpdir('osmo-wizard-dl-');
  try {
    const { page } = b;
    await open(b);
    const kb = page.keyboard;
    const focused = () => page.evaluate(() => document.activeElement.id);
    await tabTo(page, 'f-domain');
    await kb.type('osmo.internal.example.com');
    await shot(page, 'lb-1-basics');
    await kb.press('Enter'); // submits the step: Next

    assert.equal(await title(page), '2. Authentication');
    assert.equal(await page.inputValue('#f-authentication-provider'), 'none');
    assert.equal(await page.$('#s-idp-client-secret'), null);
    // Arrow keys on the provider select: each change keeps the focus on the select.
    await tabTo(page, 'f-authentication-provider');
    const seen = [];
    for (let i = 0; i < 4; i++) {
      await kb.press('ArrowUp');
      seen.push(await page.inputValue('#f-authentication-provider'));
      assert.equal(await focused(), 'f-authentication-provider', `after ArrowUp ${i + 1}`);
    }
    assert.equal(new Set(seen).size, 4, seen.join(' '));
    // Answers typed for one provider survive a round trip through the others.
    await page.selectOption('#f-authentication-provider', 'keycloak');
    await tabTo(page, 'f-authentication-realm');
    await kb.type('osmo-realm');
    await tabTo(page, 'f-authentication-provider', { back: true });
    await kb.press('ArrowDown');
    assert.equal(await focused(), 'f-authentication-provider');
    await kb.press('ArrowUp');
    assert.equal(await focused(), 'f-authentication-provider');
    assert.equal(await page.inputValue('#f-authentication-provider'), 'keycloak');
    assert.equal(await page.inputValue('#f-authentication-realm'), 'osmo-realm');
    await page.selectOption('#f-authentication-provider', 'none');
    await page.focus('#f-authentication-provider');
    assert.equal(await page.$('#s-idp-client-secret'), null);
    await shot(page, 'lb-2-authentication');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '3. Gateway');
    await tabTo(page, 'f-gateway-exposure');
    await kb.press('ArrowDown');
    assert.equal(await page.inputValue('#f-gateway-exposure'), 'loadBalancer');
    assert.equal(await focused(), 'f-gateway-exposure');
    await tabTo(page, 'f-gateway-tlsSecret');
    await kb.type('osmo-gateway-tls');
    await shot(page, 'lb-3-gateway');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '4. Storage');
    await tabTo(page, 'f-storage-logUri');
    await kb.type('s3://osmo-corp/logs');
    await tabTo(page, 'f-storage-dataUri');
    await kb.type('s3://osmo-corp/data');
    await tabTo(page, 'f-storage-region');
    await kb.type('us-east-1');
    await tabTo(page, 'f-storage-credentials-kind');
    for (let i = 0; i < 3; i++) await kb.press('ArrowDown');
    assert.equal(await page.inputValue('#f-storage-credentials-kind'), 'static');
    assert.equal(await focused(), 'f-storage-credentials-kind');
    await tabTo(page, 's-storage-key-id');
    await kb.type('AKIAEXAMPLE');
    await tabTo(page, 's-storage-key');
    await kb.type('storage-secret-key');
    await shot(page, 'lb-4-storage');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '5. Databases');
    await tabTo(page, 'f-postgres-host');
    await kb.type('db.internal.example.com');
    await tabTo(page, 's-db-password');
    await kb.type('db-pass');
    await tabTo(page, 'f-redis-host');
    await kb.type('redis.internal.example.com');
    await tabTo(page, 'f-redis-tls');
    await kb.press('Space');
    assert.equal(await page.isChecked('#f-redis-tls'), false);
    await tabTo(page, 's-redis-password');
    await kb.type('redis-pass');
    await kb.press('Tab');
    assert.equal(await focused(), 's-redis-password-toggle');
    await kb.press('Enter');
    assert.equal(await page.getAttribute('#s-redis-password', 'type'), 'text');
    await shot(page, 'lb-5-databases');
    await tabTo(page, 'next');
    await kb.press('Enter');

    assert.equal(await title(page), '6. Backends');
    // Kind and placement of each backend.
    await tabTo(page, 'f-backends-0-kind');
    await kb.press('Home');
    assert.equal(await page.inputValue('#f-backends-0-kind'), 'onPremises');
    await tabTo(page, 'f-backends-0-operatorTaint');
    await kb.press('Space');
    assert.equal(await page.isChecked('#f-backends-0-operatorTaint'), true);
    await tabTo(page, 'f-backends-0-operatorTaint-key');
    await kb.type('dedicated');
    await tabTo(page, 'f-backends-0-operatorTaint-value');
    await kb.type('osmo-operator');
    await tabTo(page, 'f-backends-0-computePools');
    await kb.type('pool=a100, pool=bad label');
    await kb.press('Tab');
    assert.match(await page.textContent('#f-backends-0-computePools-error'), /\S/);
    await page.focus('#f-backends-0-computePools');
    await kb.press('End');
    for (let i = 0; i < ', pool=bad label'.length; i++) await kb.press('Backspace');
    assert.equal(await page.$('#f-backends-0-computePools-error'), null);
    await tabTo(page, 'add-backend');
    await kb.press('Enter');
    assert.equal(await focused(), 'f-backends-1-name');
    await kb.type('gpu-east');
    await shot(page, 'lb-6-backends');
    await kb.press('Enter');

    assert.equal(await title(page), '7. Review');
    assert.match(await page.textContent('#status'), /^Ready/);
    // Arrow keys move between the file tabs.
    await tabTo(page, 'tab-osmo_values.yaml');
    await kb.press('ArrowRight');
    assert.equal(await focused(), 'tab-backend_operator_values.default.yaml');
    await shot(page, 'lb-7-review');
    await tabTo(page, 'download-zip', { back: true });
    const zip = await download(page, () => kb.press('Enter'), dl);
    const files = {};
    for (const [name, { text }] of Object.entries(readZip(zip))) files[name.replace('osmo-deployment/', '')] = text;
    assert.ok(files['backend_operator_values.gpu-east.yaml']);
    assert.match(files['secrets.yaml'], /default-admin-secret/);
    assert.match(files['secrets.yaml'], /"redis-password": "redis-pass"/);
    const spec = path.join(dl, 'lb-spec.yaml');
    fs.writeFileSync(spec, [
      'release: "6.3.1"',
      'domain: osmo.internal.example.com',
      'gateway:',
      '  exposure: loadBalancer',
      '  tlsSecret: osmo-gateway-tls',
      'storage:',
      '  logUri: s3://osmo-corp/logs',
      '  dataUri: s3://osmo-corp/data',
      '  region: us-east-1',
      '  credentials:',
      '    kind: static',
      'postgres:',
      '  host: db.internal.example.com',
      'redis:',
      '  host: redis.internal.example.com',
      '  tls: false',
      'backends:',
      '  - name: default',
      '    kind: onPremises',
      '    operatorTaint:',
      '      key: dedicated',
      '      value: osmo-operator',
      '    computePools:',
      '      - pool=a100',
      '  - name: gpu-east',
      '',
    ].join('\n'));
    compareBundles(assert, files, referenceBundle(spec, {
      OSMO_DB_PASSWORD: 'db-pass', OSMO_REDIS_PASSWORD: 'redis-pass', OSMO_STORAGE_ACCESS_KEY_ID: 'AKIAEXAMPLE', OSMO_STORAGE_ACCESS_KEY: 'storage-secret-key',
    }));
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
    assert.equal(await title(page), '3. Gateway');
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
    assert.equal(await title(page), '3. Gateway');
    assert.equal(await focused(), 'f-ingress-annotations-0');
    await shot(page, 'annotations-3-gateway-error');
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
    await shot(page, 'annotations-3-gateway');
    await page.click('#next');

    assert.equal(await title(page), '4. Storage');
    await azureStorage(page);
    await page.click('#next');
    assert.equal(await title(page), '5. Databases');
    await page.fill('#f-postgres-host', 'db.example.com');
    await page.fill('#f-redis-host', 'redis.example.com');
    await page.click('#next');
    await page.click('#next');
    assert.equal(await title(page), '7. Review');

    const files = await bundleOf(page, dl);
    const spec = path.join(dl, 'annotations-spec.yaml');
    fs.writeFileSync(spec, [
      'release: "6.3.1"',
      'domain: osmo.example.com',
      'ingress:',
      '  tlsSecret: osmo-tls',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/proxy-body-size: 64m',
      '    cert-manager.io/cluster-issuer: letsencrypt',
      'storage:',
      '  logUri: azure://osmostorage/workflow-logs',
      '  dataUri: azure://osmostorage/workflow-data',
      '  credentials:',
      '    kind: azureWorkloadIdentity',
      '    clientId: 5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
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
    await page.click('#nav-6');
    fs.rmSync(exported);
    const again = await download(page, () => page.click('#export-spec'), dl);
    assert.equal(fs.readFileSync(again, 'utf8'), text);
    await checkClean(b);
  } finally {
    await b.close();
    fs.rmSync(dl, { recursive: true, force: true });
  }
});
