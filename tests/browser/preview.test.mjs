// The preview from the first keystroke, in the real browser: the files are
// generated from the first screen on (core's draft), each placeholder of an
// unanswered field is marked in the file and listed with a link to its field,
// and nothing can be copied or downloaded until every answer is given; an
// invalid answer never leaves an old file presented as current; the lines an
// edit changed are highlighted; the preview stays in view on a long step;
// NEXT_STEPS.md reads as formatted text; leaving with unsaved answers asks
// first. axe-core finds no WCAG A/AA violation in these states, and a 390 px
// phone never scrolls sideways (screenshots under target/screenshots/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedWizard, launch, axe, shot, phoneShot } from './lib.mjs';

const site = servedWizard();

async function open(b) {
  await b.page.goto(`${site.origin}/`);
  await b.page.waitForSelector('#f-domain');
  await b.page.waitForSelector('#file-content');
}

/** axe, the desktop and the phone screenshots of the page as it is. */
async function judge(page, name, found) {
  found.push(...(await axe(page, name)));
  await shot(page, `preview-${name}`);
  const overflow = await phoneShot(page, `phone-preview-${name}`);
  if (overflow > 0) found.push(`${name}: scrolls sideways by ${overflow} px at 390 px`);
}

/** Every answer of a 6.3.1 deployment, from the first step to the Backends step. */
async function answerAll(page) {
  await page.click('#nav-0');
  await page.fill('#f-domain', 'osmo.example.com');
  await page.click('#next');
  await page.click('#next');
  await page.click('#next');
  await page.fill('#f-storage-logUri', 's3://osmo-logs/workflows');
  await page.fill('#f-storage-dataUri', 's3://osmo-data/workflows');
  await page.fill('#f-storage-credentials-roleArn', 'arn:aws:iam::123456789012:role/osmo-storage');
  await page.click('#next');
  await page.fill('#f-postgres-host', 'db.example.com');
  await page.fill('#f-redis-host', 'redis.example.com');
}

const marks = (page) => page.$$eval('#file-content mark.ph', (ms) => ms.map((m) => ({ text: m.textContent, field: m.dataset.field, title: m.title })));

test('the first screen previews every file, placeholders marked and listed; nothing ships until every answer is given', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await open(b);
    assert.equal(await page.textContent('#step-title'), '1. Basics');
    // Every file of the bundle, from the first screen.
    const tabs = await page.$$eval('[role=tab]', (ts) => ts.map((t) => t.id.replace('tab-', '').replace(/[▲✖ℹ].*/, '')));
    for (const name of ['osmo_values.yaml', 'backend_operator_values.yaml', 'secrets.yaml', 'install.sh', 'NEXT_STEPS.md', 'spec.yaml']) {
      assert.ok(tabs.includes(name), `${name} in ${tabs.join(' ')}`);
    }
    await page.click('[id="tab-osmo_values.yaml"]');
    // The placeholders are marked where they stand, each naming its field.
    const shown = await marks(page);
    assert.ok(shown.length > 0, 'placeholders marked');
    for (const m of shown) {
      assert.match(m.text, /unanswered/);
      assert.match(m.title, /^Not answered yet: /);
    }
    assert.ok(shown.some((m) => m.field === 'Domain' && /unanswered\.domain/.test(m.text)), JSON.stringify(shown));
    // Screen readers hear what a mark is: the style sheet adds it after the placeholder.
    const after = await page.$eval('#file-content mark.ph', (m) => getComputedStyle(m, '::after').content);
    assert.match(after, /placeholder: .* is not answered yet/);
    // ...and the text of the preview is the file's, nothing added.
    const text = await page.textContent('#file-content');
    assert.doesNotMatch(text, /not answered yet/);
    // The list of unanswered fields, each a link to the field.
    const listed = await page.$$eval('#unanswered button', (bs) => bs.map((x) => x.textContent));
    for (const f of ['Domain', 'Postgres › Host', 'Redis › Host', 'Storage › Log URI', 'Storage › Data URI']) assert.ok(listed.includes(f), `${f} in ${listed.join(', ')}`);
    // Nothing can be copied or downloaded, and the page says why.
    assert.equal(await page.isDisabled('#copy-file'), true);
    assert.equal(await page.isDisabled('#download-file'), true);
    assert.match(await page.textContent('#not-ready'), /Not ready to copy or download: \d+ answer\(s\) not given yet/);
    assert.equal(await page.getAttribute('#copy-file', 'aria-describedby'), 'not-ready');
    await judge(page, '1-first-screen', found);

    // A listed field opens its step with the focus in it.
    await page.click('#unanswered button:text-is("Redis › Host")');
    assert.equal(await page.textContent('#step-title'), '5. Databases');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-redis-host');
    await page.keyboard.type('redis.example.com');
    await page.waitForFunction(() => ![...document.querySelectorAll('#unanswered button')].some((x) => x.textContent === 'Redis › Host'));

    await answerAll(page);
    // Every answer given: no placeholder, no list, and the files can be copied.
    assert.equal(await page.$('#unanswered'), null);
    assert.deepEqual(await marks(page), []);
    assert.equal(await page.isDisabled('#copy-file'), false);
    assert.equal(await page.$('#not-ready'), null);
    await page.click('#next');
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '7. Review');
    assert.equal(await page.isDisabled('#download-zip'), false);
    // The domain emptied again: its placeholder is back, and the bundle cannot be downloaded.
    await page.click('#nav-0');
    await page.fill('#f-domain', '');
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.ok((await marks(page)).some((m) => m.field === 'Domain'));
    await page.click('#unanswered button:text-is("Domain")');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-domain');
    await page.keyboard.type('osmo.example.com');
    await page.waitForFunction(() => !document.querySelector('#unanswered'));
    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
    assert.deepEqual(b.foreign, [], 'requests other than the page\'s own files');
  } finally {
    await b.close();
  }
});

test('a step left unanswered: the preview lists it, Review stays locked, and the files cannot be copied', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await open(b);
    await answerAll(page);
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '6. Backends');
    await page.fill('#f-backends-0-name', '');
    assert.ok((await page.$$eval('#unanswered button', (bs) => bs.map((x) => x.textContent))).includes('Backends 1 › Name'));
    assert.ok((await page.$$eval('#file-content mark.ph', (ms) => ms.map((m) => m.dataset.field))).includes('Backends 1 › Name'));
    assert.match(await page.textContent('#not-ready'), /1 answer\(s\) not given yet, 1 to fix/);
    assert.equal(await page.isDisabled('#copy-file'), true);
    assert.equal(await page.isDisabled('#nav-6'), true, 'Review is locked');
    await judge(page, '6-backend-unnamed', found);
    await page.fill('#f-backends-0-name', 'default');
    await page.click('#nav-6');
    assert.equal(await page.textContent('#step-title'), '7. Review');
    assert.equal(await page.isDisabled('#download-zip'), false);
    assert.equal(await page.isDisabled('#copy-file'), false);
    assert.deepEqual(found, []);
  } finally {
    await b.close();
  }
});

test('an invalid port: the preview regenerates with the default and says so; no old file is presented as current', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await open(b);
    await answerAll(page);
    await page.fill('#f-redis-port', '6380');
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.match(await page.textContent('#file-content'), /6380/);
    assert.equal(await page.isDisabled('#copy-file'), false);
    await page.fill('#f-redis-port', 'abc');
    // The file is generated from the answers as they are: the wrong port is not 6380 any
    // more (the old file), but the default, and the problem blocks copying.
    const text = await page.textContent('#file-content');
    assert.doesNotMatch(text, /6380/);
    assert.match(text, /6379/);
    assert.equal(await page.isDisabled('#copy-file'), true);
    assert.equal(await page.isDisabled('#download-file'), true);
    assert.match(await page.textContent('#not-ready'), /1 answer\(s\) to fix/);
    assert.equal(await page.$('#preview-stale'), null);
    // The footer tells the real time of this generation, and is no live region.
    const timing = await page.$eval('#regen-time', (e) => ({ text: e.textContent, live: e.getAttribute('aria-live'), role: e.getAttribute('role') }));
    assert.match(timing.text, /^Generated in (\d+\.\d ms|under 0\.1 ms)\.$/);
    assert.doesNotMatch(timing.text, /0\.0 ms/);
    assert.equal(timing.live, null);
    assert.equal(timing.role, null);
    await page.locator('#f-redis-port').blur();
    assert.equal(await page.textContent('#f-redis-port-error'), 'a port is a number from 1 to 65535');
    await judge(page, '5-invalid-port', found);
    await page.fill('#f-redis-port', '6380');
    assert.match(await page.textContent('#file-content'), /6380/);
    assert.equal(await page.isDisabled('#copy-file'), false);
    // Answers core does not generate in this page (OSMO 6.2.10): no file at all, and why.
    await page.click('#nav-0');
    await page.selectOption('#f-release', '6.2.10');
    assert.equal(await page.$('#file-content'), null, 'no old file left up');
    assert.equal(await page.$('#copy-file'), null);
    assert.match(await page.textContent('#preview-empty'), /^No preview: OSMO 6\.2\.10 bundles come from the command line/);
    assert.equal(await page.textContent('#regen-time'), 'Nothing generated: the answers cannot be generated yet.');
    await judge(page, '1-release-6-2', found);
    await page.selectOption('#f-release', '6.3.1');
    assert.match(await page.textContent('#file-content'), /6380/);
    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
  } finally {
    await b.close();
  }
});

test('the lines an edit changed are highlighted (with less motion when asked), and the preview stays in view on a long step', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await open(b);
    await page.click('[id="tab-osmo_values.yaml"]');
    assert.equal(await page.$('#file-content .chg'), null, 'nothing changed yet');
    await page.click('#f-domain');
    await page.keyboard.type('osmo.example.com');
    // The page renders after the last keystroke's regeneration.
    await page.waitForFunction(() => /"osmo\.example\.com"/.test(document.querySelector('#file-content').textContent)
      && [...document.querySelectorAll('#file-content .chg')].some((c) => c.textContent.includes('osmo.example.com')));
    const changed = await page.$$eval('#file-content .chg', (cs) => cs.map((c) => c.textContent));
    assert.ok(changed.length > 0, 'changed lines marked');
    for (const line of changed) assert.match(line, /osmo\.example\.com/);
    // Only lines that changed: every line holding the domain, and no other.
    const lines = (await page.textContent('#file-content')).split('\n');
    assert.equal(changed.length, lines.filter((l) => l.includes('osmo.example.com')).length);
    assert.match(await page.textContent('#changed-lines'), /^Changed by the last answer \(highlighted\): line \d+/);
    assert.equal(await page.getAttribute('#file-content', 'aria-describedby'), 'changed-lines');
    assert.equal(await page.$eval('#file-content .chg', (c) => getComputedStyle(c).animationName), 'chg-flash');
    await judge(page, '1-changed-lines', found);
    // Another file shown: no line of it is claimed to have changed.
    await page.click('[id="tab-install.sh"]');
    assert.equal(await page.$('#file-content .chg'), null);
    await page.click('[id="tab-osmo_values.yaml"]');
    // Less motion: the highlight stays, without the flash.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.focus('#f-domain');
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('g');
    await page.waitForFunction(() => [...document.querySelectorAll('#file-content .chg')].some((c) => c.textContent.includes('osmo.example.cog')));
    assert.equal(await page.$eval('#file-content .chg', (c) => getComputedStyle(c).animationName), 'none');
    await page.emulateMedia({ reducedMotion: 'no-preference' });

    // A long step on a short desktop window: the preview stays in view while the form scrolls.
    await page.setViewportSize({ width: 1400, height: 700 });
    await answerAll(page);
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '6. Backends');
    await page.click('#add-backend');
    await page.click('#add-backend');
    // Scrolled to the third backend, the form going on below the window.
    await page.evaluate(() => document.querySelector('#f-backends-2-name').scrollIntoView({ block: 'center' }));
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 300, `the step is long (scrolled ${scrolled} px)`);
    const box = await page.$eval('.preview', (p) => { const r = p.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
    assert.ok(box.top >= 0 && box.top < 50, `preview at the top of the window: ${JSON.stringify(box)}`);
    assert.ok(box.bottom <= 700 + 1, `preview within the window: ${JSON.stringify(box)}`);
    // An answer that changes lines far down the file: the file scrolls to the first of them.
    await page.fill('#f-backends-2-name', 'gpu-east');
    await page.waitForFunction(() => {
      const pre = document.querySelector('#file-content');
      const chg = pre.querySelector('.chg');
      return chg && chg.offsetTop >= pre.scrollTop && chg.offsetTop < pre.scrollTop + pre.clientHeight;
    }, null, { timeout: 5000 });
    assert.ok(await page.$eval('#file-content', (pre) => pre.scrollTop > 0), 'the file scrolled to the change');
    await page.screenshot({ path: 'target/screenshots/preview-6-backends-sticky.png' });
    // At 390 px it sits below the form, and nothing scrolls sideways.
    const overflow = await phoneShot(page, 'phone-preview-6-backends');
    assert.equal(overflow, 0);
    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
  } finally {
    await b.close();
  }
});

test('Review: NEXT_STEPS.md as headings, lists and code; long URLs wrap at 390 px', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const found = [];
    await open(b);
    await answerAll(page);
    await page.click('#next');
    await page.click('#next');
    assert.equal(await page.textContent('#step-title'), '7. Review');
    const next = await page.$eval('#next-steps', (n) => ({
      h4: [...n.querySelectorAll('h4')].map((h) => h.textContent),
      h5: [...n.querySelectorAll('h5')].map((h) => h.textContent),
      items: n.querySelectorAll('li').length,
      nested: n.querySelectorAll('li ul').length,
      code: n.querySelectorAll(':not(pre) > code').length,
      blocks: [...n.querySelectorAll('pre > code')].map((c) => c.textContent),
      backticks: /`/.test([...n.querySelectorAll('p, li, h4, h5, h6')].map((e) => e.textContent).join('')),
    }));
    assert.deepEqual(next.h4, ['Next steps for OSMO on osmo.example.com']);
    assert.ok(next.h5.includes('1. Before running install.sh'), next.h5.join(' | '));
    assert.ok(next.h5.includes('3. Install'), next.h5.join(' | '));
    assert.ok(next.items > 5 && next.nested > 0, JSON.stringify(next));
    assert.ok(next.code > 5, 'inline code');
    assert.ok(next.blocks.includes('./install.sh\n'), next.blocks.join('\n---\n'));
    assert.equal(next.backticks, false, 'no literal backticks');
    await judge(page, '7-review-next-steps', found);
    // The section itself at a phone's width, to look at.
    await page.setViewportSize({ width: 390, height: 844 });
    const top = await page.$eval('#next-title', (h) => h.getBoundingClientRect().top + window.scrollY);
    await page.screenshot({ path: 'target/screenshots/phone-preview-7-next-steps-section.png', fullPage: true, clip: { x: 0, y: top, width: 390, height: 1400 } });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await judge(page, '7-review-next-steps-dark', found);
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(found, []);
    assert.deepEqual(b.errors, [], 'console or page errors');
  } finally {
    await b.close();
  }
});

/** Tries to reload the page and waits for the browser's question (which the test dismisses). */
async function leave(page) {
  const asked = page.waitForEvent('dialog', { timeout: 5000 });
  await page.evaluate(() => { setTimeout(() => window.location.reload(), 0); });
  await asked;
  await page.waitForTimeout(100);
}

test('leaving with answers typed and not saved asks first; after an export, or with the answers remembered, it does not', async () => {
  const b = await launch(site.origin);
  try {
    const { page } = b;
    const dialogs = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.type());
      await d.dismiss();
    });
    await open(b);
    // Nothing typed: leaving does not ask.
    await page.click('#f-domain');
    await page.reload();
    await page.waitForSelector('#file-content');
    assert.deepEqual(dialogs, []);
    // Typed: leaving asks (dismissed: the page and the answer stay).
    await page.click('#f-domain');
    await page.keyboard.type('osmo.example.com');
    await page.waitForFunction(() => document.querySelector('#file-content').textContent.includes('"osmo.example.com"'));
    await leave(page);
    assert.deepEqual(dialogs, ['beforeunload']);
    assert.equal(await page.inputValue('#f-domain'), 'osmo.example.com');
    // With the answers remembered in this browser, nothing is lost by leaving.
    await page.check('#remember');
    await page.reload();
    await page.waitForSelector('#file-content');
    assert.deepEqual(dialogs, ['beforeunload']);
    assert.equal(await page.inputValue('#f-domain'), 'osmo.example.com');
    await page.uncheck('#remember');
    await page.click('#f-domain');
    await page.keyboard.type('x');
    await page.waitForFunction(() => document.querySelector('#file-content').textContent.includes('osmo.example.comx'));
    await leave(page);
    assert.deepEqual(dialogs, ['beforeunload', 'beforeunload']);
    assert.deepEqual(b.errors, [], 'console or page errors');
  } finally {
    await b.close();
  }
});
