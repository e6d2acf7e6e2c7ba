// End-to-end tests of the built site (dist/) in headless Chromium, driven by playwright-core.
//
//   node tests/e2e/e2e.mjs            (scripts/test.sh builds dist/ and the CLI first)
//
// Environment: E2E_ONLY (run only the tests whose name contains it), DIST (default: <repo>/dist), FLYWHEEL_CLI (default: <repo>/target/release/flywheel),
// CHROMIUM (default: /usr/bin/chromium). Screenshots go to tests/e2e/artifacts/.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const dist = path.resolve(process.env.DIST || path.join(root, 'dist'));
const cli = process.env.FLYWHEEL_CLI || path.join(root, 'target', 'release', 'flywheel');
const artifacts = path.join(here, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

// A plain static server, as any static host would be.
function serve() {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(dist, p);
    if (!file.startsWith(dist)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function runCli(fragment) {
  const out = execFileSync(cli, ['commons', 'abc', '--params', fragment, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

// The keys the page and the CLI both report.
const KEYS = ['supply', 'reserve', 'funding_pool', 'spot_before', 'spot_after', 'minted', 'released', 'to_seller', 'to_funding'];

async function waitReady(page, fragment) {
  await page.waitForFunction((f) => {
    const app = document.getElementById('app');
    return app && app.dataset.status === 'ready' && (f === null || app.dataset.fragment === f);
  }, fragment, { timeout: 30000 });
}

async function pageNumbers(page) {
  return page.evaluate((keys) => {
    const m = document.getElementById('metrics');
    const out = {};
    for (const k of keys) out[k] = Number(m.dataset[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())]);
    return out;
  }, KEYS);
}

async function inkedPixels(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245) ink++;
    return { ink, total: c.width * c.height };
  }, id);
}

function expectEqualNumbers(pageNums, cliNums, label) {
  for (const k of KEYS) {
    if (pageNums[k] !== cliNums[k]) {
      throw new Error(`${label}: ${k} is ${pageNums[k]} in the page but ${cliNums[k]} in the CLI`);
    }
  }
}

function check(cond, msg) { if (!cond) throw new Error(msg); }

const SHARED = '#commons?hatch_raise=2500000&kappa=3&entry_tribute=0.05&exit_tribute=0.2&trade_side=sell&trade_size=250000&trades=b500000,s100000&v=1';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('a shared link shows exactly the CLI\'s numbers for the same fragment', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + SHARED);
  await waitReady(page, SHARED);
  const nums = await pageNumbers(page);
  expectEqualNumbers(nums, runCli(SHARED), 'shared link');
  const shown = await page.textContent('#m-supply_after');
  check(shown && /\d/.test(shown), `supply is shown as "${shown}"`);
  for (const id of ['chart-curve', 'chart-impact', 'chart-pools']) {
    const { ink, total } = await inkedPixels(page, id);
    check(ink > total / 50, `${id} is blank (${ink} of ${total} pixels drawn)`);
  }
  check((await page.textContent('#what')).includes('augmented bonding curve'), 'no "what is it" at the top');
  const info = await page.$$eval('#info summary', (s) => s.map((e) => e.textContent));
  check(JSON.stringify(info) === JSON.stringify(['How it works', 'How to use it', 'Things to notice', 'Things to try']), `info sections ${info}`);
  // Hovering the curve reads off supply, price and reserve, and the DAI to move there.
  const box = await page.locator('#chart-curve').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForSelector('#chart-curve-readout:not([hidden])');
  const readout = await page.textContent('#chart-curve-readout');
  check(/Supply .+ tokens/.test(readout) && readout.includes('reserve') && /(Buying|Selling)/.test(readout), `readout: ${readout}`);
  const supplyAt = Number(await page.getAttribute('#chart-curve-readout', 'data-supply'));
  check(supplyAt > 0, `readout supply ${supplyAt}`);
  await page.screenshot({ path: path.join(artifacts, 'commons-desktop.png'), fullPage: true });
  await page.mouse.move(1, 1);
  await page.waitForSelector('#chart-curve-readout', { state: 'hidden' });
  // "Things to try" links load their state in place, and Back returns to the shared state.
  await page.click('#info summary:text("Things to try")');
  await page.click('#info a[href="#commons?kappa=1&v=1"]');
  await waitReady(page, '#commons?kappa=1&v=1');
  expectEqualNumbers(await pageNumbers(page), runCli('#commons?kappa=1&v=1'), 'Things to try: κ = 1');
  await page.goBack();
  await waitReady(page, SHARED);
  await page.close();
});

test('the spec\'s curve checks appear in the page (deposit 1,000,000 DAI mints 5,000,000)', async ({ browser, base }) => {
  const page = await browser.newPage();
  const frag = '#commons?trade_size=1000000&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const nums = await pageNumbers(page);
  check(Math.abs(nums.minted - 5e6) < 1e-6, `minted ${nums.minted}`);
  check(Math.abs(nums.spot_after - 0.24) < 1e-12, `spot after ${nums.spot_after}`);
  await page.close();
});

test('editing a field updates the numbers, the URL and flags bad text', async ({ browser, base }) => {
  const page = await browser.newPage();
  await page.goto(base + '#commons?v=1');
  await waitReady(page, '#commons?v=1');
  await page.fill('#commons-p-kappa', 'abc');
  await page.waitForSelector('#commons-err-kappa:not([hidden])');
  const err = await page.textContent('#commons-err-kappa');
  check(err.includes('Curve exponent') && err.includes('1 to 10'), `kappa error: ${err}`);
  const t0 = Date.now();
  await page.fill('#commons-p-kappa', '4');
  const frag = '#commons?kappa=4&v=1';
  await waitReady(page, frag);
  const latency = Date.now() - t0;
  check(await page.isHidden('#commons-err-kappa'), 'the kappa error stays after a valid value');
  check((await page.evaluate(() => location.hash)) === frag, 'URL fragment not updated');
  expectEqualNumbers(await pageNumbers(page), runCli(frag), 'after editing kappa');
  console.log(`    (edit → numbers and charts redrawn: ${latency} ms including the test driver)`);
  await page.click('label[for="commons-p-trade_side-sell"]');
  await waitReady(page, '#commons?kappa=4&trade_side=sell&v=1');
  check((await page.textContent('.param[data-name="trade_size"] .unit')) === 'tokens', 'trade size unit is not tokens for a sell');
  await page.click('#apply-trade');
  const applied = '#commons?kappa=4&trade_side=sell&trades=s10000&v=1';
  await waitReady(page, applied);
  expectEqualNumbers(await pageNumbers(page), runCli(applied), 'after applying a trade');
  await page.close();
});

test('a bad link names each bad field and its range, and falls back to defaults', async ({ browser, base }) => {
  const page = await browser.newPage();
  await page.goto(base + '#commons?kappa=abc&hatch_raise=1e400&exit_tribute=NaN&trade_side=hold&bogus=1&v=1');
  await waitReady(page, '#commons?v=1');
  const items = await page.$$eval('#issues li', (li) => li.map((e) => [e.dataset.field, e.textContent]));
  const fields = items.map((i) => i[0]).sort();
  check(JSON.stringify(fields) === JSON.stringify(['bogus', 'exit_tribute', 'hatch_raise', 'kappa', 'trade_side']), `issues for ${fields}`);
  const kappa = items.find((i) => i[0] === 'kappa')[1];
  check(kappa.includes('allowed 1 to 10') && kappa.includes('using the default 2'), kappa);
  expectEqualNumbers(await pageNumbers(page), runCli('#commons?v=1'), 'defaults after a bad link');
  const { ink, total } = await inkedPixels(page, 'chart-curve');
  check(ink > total / 50, 'chart blank after a bad link');
  // An unknown version and plain garbage.
  for (const [bad, field] of [['#commons?kappa=3&v=7', 'v'], ['#%%%?===&&', null], ['#nosuchtab?x=1', 'tab']]) {
    await page.goto(base + '#commons?v=1');
    await page.goto(base + bad);
    await waitReady(page, '#commons?v=1');
    if (field) {
      const f = await page.$$eval('#issues li', (li) => li.map((e) => e.dataset.field));
      check(f.includes(field), `${bad}: issues ${f}`);
    }
  }
  await page.screenshot({ path: path.join(artifacts, 'commons-bad-link.png') });
  await page.close();
});

test('a worker panic reaches the page as a message, and the app keeps working', async ({ browser, base }) => {
  const page = await browser.newPage();
  await page.goto(base + '#commons?v=1');
  await waitReady(page, '#commons?v=1');
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.debug_crash_worker);
  await page.evaluate(() => window.wasmBindings.debug_crash_worker('deliberate test panic'));
  await page.waitForSelector('#worker-error:not([hidden])');
  const msg = await page.textContent('#worker-error');
  check(msg.includes('deliberate test panic'), `worker error: ${msg}`);
  await page.fill('#commons-p-exit_tribute', '0.1');
  const frag = '#commons?exit_tribute=0.1&v=1';
  await waitReady(page, frag);
  expectEqualNumbers(await pageNumbers(page), runCli(frag), 'after the worker restarted');
  check(await page.isHidden('#worker-error'), 'the crash message stays after the worker works again');
  await page.close();
});

test('Copy link gives a URL that reproduces the state in a new page', async ({ browser, base }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(base + SHARED);
  await waitReady(page, SHARED);
  await page.fill('#commons-p-hatch_price', '0.25');
  const frag = SHARED.replace('hatch_raise=2500000&', 'hatch_raise=2500000&hatch_price=0.25&');
  await waitReady(page, frag);
  await page.click('#copy-link');
  const link = await page.inputValue('#share-url');
  check(link === base + frag, `copied ${link}, expected ${base + frag}`);
  const other = await ctx.newPage();
  await other.goto(link);
  await waitReady(other, frag);
  expectEqualNumbers(await pageNumbers(other), await pageNumbers(page), 'reopened link');
  await ctx.close();
});

test('Draw a hatch sets a reproducible raise; CSV, JSON and SVG exports download', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(base + '#commons?trades=b500000&v=1');
  await waitReady(page, '#commons?trades=b500000&v=1');
  await page.click('#draw-hatch');
  await page.waitForFunction(() => /^Seed \d+: /.test(document.getElementById('hatch-note').textContent));
  await page.waitForFunction(() => location.hash.includes('hatch_raise='));
  const frag = await page.evaluate(() => location.hash);
  await waitReady(page, frag);
  expectEqualNumbers(await pageNumbers(page), runCli(frag), 'after drawing a hatch');
  const checks = [
    ['export-csv', (t) => t.startsWith('step,label,supply,reserve,funding_pool,spot_price\n') && t.trim().split('\n').length === 4],
    ['export-json', (t) => { const j = JSON.parse(t); return j.link === frag && j.report.after.supply > 0; }],
    ['svg-bonding-curve', (t) => t.startsWith('<svg') && t.includes('Token supply')],
    ['svg-price-impact', (t) => t.startsWith('<svg') && t.includes('Average price paid by a buy')],
    ['svg-pools', (t) => t.startsWith('<svg') && t.includes('Funding pool')],
  ];
  for (const [id, ok] of checks) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#' + id)]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    check(ok(text), `${id} downloaded ${download.suggestedFilename()}: ${text.slice(0, 120)}`);
  }
  await ctx.close();
});

test('works at 360 px wide without horizontal scrolling', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 });
  await page.goto(base + SHARED);
  await waitReady(page, SHARED);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 360, `page is ${width}px wide at a 360px viewport`);
  const { ink, total } = await inkedPixels(page, 'chart-curve');
  check(ink > total / 50, 'chart blank on a narrow screen');
  await page.screenshot({ path: path.join(artifacts, 'commons-mobile.png'), fullPage: true });
  await page.close();
});

// ---- CrowdTrain ----

function runCtCli(fragment) {
  const out = execFileSync(cli, ['crowdtrain', '--params', fragment, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

// Every statistic the page shows, named as in the CLI's JSON (score_mean, score_std, …).
async function ctNumbers(page) {
  return page.evaluate(() => {
    const m = document.getElementById('ct-metrics');
    const out = {};
    for (const [k, v] of Object.entries(m.dataset)) {
      out[k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())] = Number(v);
    }
    return out;
  });
}

function expectCtEqual(pageNums, cliNums, label) {
  const keys = Object.keys(cliNums).filter((k) => k.endsWith('_mean') || k.endsWith('_std'));
  check(keys.length === 28, `${label}: the CLI printed ${keys.length} statistics`);
  for (const k of keys) {
    if (pageNums[k] !== cliNums[k]) {
      throw new Error(`${label}: ${k} is ${pageNums[k]} in the page but ${cliNums[k]} in the CLI`);
    }
  }
  for (const k of ['runs', 'seed', 'months']) {
    check(pageNums[k] === cliNums[k], `${label}: ${k} is ${pageNums[k]} in the page but ${cliNums[k]} in the CLI`);
  }
}

const CT_CHARTS = ['score', 'funnel', 'tiers', 'price', 'supply', 'flows', 'revenue', 'gini'];

test('CrowdTrain: a shared link shows exactly the CLI\'s Monte Carlo for the same fragment', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#crowdtrain?hardware_stake_requirement=400&runs=12&seed=7&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  expectCtEqual(await ctNumbers(page), runCtCli(frag), 'shared CrowdTrain link');
  for (const c of CT_CHARTS) {
    const { ink, total } = await inkedPixels(page, 'ct-chart-' + c);
    check(ink > total / 60, `ct-chart-${c} is blank (${ink} of ${total} pixels drawn)`);
  }
  const info = await page.$$eval('#ct-info summary', (s) => s.map((e) => e.textContent));
  check(JSON.stringify(info) === JSON.stringify(['How it works', 'How to use it', 'Things to notice', 'Things to try']), `info sections ${info}`);
  const title = await page.title();
  check(title.includes('CrowdTrain'), `title ${title}`);
  check((await page.getAttribute('#nav-crowdtrain', 'aria-current')) === 'page', 'the CrowdTrain tab is not marked current');
  await page.screenshot({ path: path.join(artifacts, 'crowdtrain-desktop.png'), fullPage: true });
  // The defaults: no operator reaches tier 4, as the Info explains.
  await page.goto(base + '#crowdtrain?v=1');
  await waitReady(page, '#crowdtrain?v=1');
  const d = await ctNumbers(page);
  expectCtEqual(d, runCtCli('#crowdtrain?v=1'), 'defaults');
  check(d.t4_plus_operators_mean === 0 && Math.abs(d.score_mean - 0.4422) < 0.01, `defaults: score ${d.score_mean}, t4+ ${d.t4_plus_operators_mean}`);
  await page.close();
});

test('CrowdTrain: progress shows while the Monte Carlo runs, and Cancel stops it at once', async ({ browser, base }) => {
  const page = await browser.newPage();
  await page.goto(base + '#crowdtrain?runs=4&v=1');
  await waitReady(page, '#crowdtrain?runs=4&v=1');
  // A long Monte Carlo: 1,000 runs take many seconds.
  await page.fill('#crowdtrain-p-runs', '1000');
  await page.waitForFunction(() => {
    const p = document.getElementById('ct-progress');
    return !p.hidden && Number(p.dataset.total) > 0 && Number(p.dataset.done) > 0;
  }, null, { timeout: 20000 });
  // Before it started, the run said how long it would take.
  const plan = await page.textContent('#ct-run-plan');
  check(/^A long run: about \d+(\.\d)? (s|min)/.test(plan) && plan.includes('operator-months'), `plan line: ${plan}`);
  check(await page.isVisible('#ct-progress'), 'no progress bar while running');
  check(!(await page.isDisabled('#ct-cancel')), 'Cancel is disabled while running');
  const text = await page.textContent('#ct-run-text');
  check(/run \d+ of 1000 · \d+%( · about .+ left)?/.test(text), `progress text: ${text}`);
  check((await page.evaluate(() => location.hash)) === '#crowdtrain?runs=1000&v=1', 'URL not updated while running');
  const t0 = Date.now();
  await page.click('#ct-cancel');
  await page.waitForSelector('#ct-progress', { state: 'hidden' });
  const stopMs = Date.now() - t0;
  check(stopMs < 1000, `Cancel took ${stopMs} ms`);
  check((await page.textContent('#ct-run-text')).startsWith('Cancelled'), 'no cancel message');
  check(await page.isVisible('#ct-stale'), 'no note that the charts show earlier parameters');
  // The last finished result (4 runs) stays; no 1,000-run result arrives later.
  await page.waitForTimeout(1500);
  check((await ctNumbers(page)).runs === 4, 'the cancelled Monte Carlo still delivered');
  // The fresh worker works: a new edit runs and matches the CLI.
  await page.fill('#crowdtrain-p-runs', '6');
  const frag = '#crowdtrain?runs=6&v=1';
  await waitReady(page, frag);
  expectCtEqual(await ctNumbers(page), runCtCli(frag), 'after Cancel');
  check(await page.isHidden('#ct-stale'), 'stale note after a fresh result');
  console.log(`    (Cancel → progress gone: ${stopMs} ms including the test driver)`);
  await page.close();
});

test('CrowdTrain: presets, the multipliers field and bad input', async ({ browser, base }) => {
  const page = await browser.newPage();
  await page.goto(base + '#crowdtrain?runs=5&v=1');
  await waitReady(page, '#crowdtrain?runs=5&v=1');
  check((await page.getAttribute('#ct-preset-reference', 'aria-pressed')) === 'true', 'reference preset not marked');
  await page.click('#ct-preset-consistent');
  const consistent = '#crowdtrain?reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&runs=5&v=1';
  await waitReady(page, consistent);
  check((await page.getAttribute('#ct-preset-consistent', 'aria-pressed')) === 'true', 'consistent preset not marked');
  check(await page.isChecked('#crowdtrain-p-price_model-amm'), 'the panel does not show the AMM price model');
  expectCtEqual(await ctNumbers(page), runCtCli(consistent), 'Consistent economy preset');
  // The six multipliers: bad text is flagged in place; good text runs.
  await page.fill('#crowdtrain-p-tier_reward_multipliers', '1,2,3');
  await page.waitForSelector('#crowdtrain-err-tier_reward_multipliers:not([hidden])');
  const err = await page.textContent('#crowdtrain-err-tier_reward_multipliers');
  check(err.includes('3 numbers given') && err.includes('six comma-separated numbers'), `multipliers error: ${err}`);
  await page.fill('#crowdtrain-p-tier_reward_multipliers', '1,1.5,2.5,4,6,12');
  const edited = consistent.replace('&v=1', '&tier_reward_multipliers=1,1.5,2.5,4,6,12&v=1');
  await waitReady(page, edited);
  expectCtEqual(await ctNumbers(page), runCtCli(edited), 'edited multipliers');
  check((await page.getAttribute('#ct-preset-consistent', 'aria-pressed')) === 'false', 'a preset is still marked after an edit');
  // A bad link names each field and its range and runs the defaults for those fields.
  await page.goto(base + '#commons?v=1');
  await page.goto(base + '#crowdtrain?runs=0&months=2.5&tier_reward_multipliers=1,2&bogus=3&v=1');
  await waitReady(page, '#crowdtrain?v=1');
  const items = await page.$$eval('#ct-issues li', (li) => li.map((e) => [e.dataset.field, e.textContent]));
  const fields = items.map((i) => i[0]).sort();
  check(JSON.stringify(fields) === JSON.stringify(['bogus', 'months', 'runs', 'tier_reward_multipliers']), `issues for ${fields}`);
  check(items.find((i) => i[0] === 'runs')[1].includes('allowed 1 to 1,000'), 'runs issue lacks its range');
  expectCtEqual(await ctNumbers(page), runCtCli('#crowdtrain?v=1'), 'defaults after a bad link');
  await page.screenshot({ path: path.join(artifacts, 'crowdtrain-bad-link.png') });
  await page.close();
});

test('CrowdTrain: CSV equals the CLI\'s --csv; JSON and every SVG download; tabs keep their state', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const frag = '#crowdtrain?months=12&runs=3&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const cliCsv = path.join(artifacts, 'cli-records.csv');
  execFileSync(cli, ['crowdtrain', '--params', frag, '--csv', cliCsv]);
  const download = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#' + id)]);
    return [d.suggestedFilename(), fs.readFileSync(await d.path(), 'utf8')];
  };
  const [csvName, csv] = await download('ct-export-csv');
  check(csvName.endsWith('.csv') && csv === fs.readFileSync(cliCsv, 'utf8'), `the page's CSV differs from the CLI's (${csv.length} vs ${fs.statSync(cliCsv).size} bytes)`);
  check(csv.split('\n').length === 1 + 3 * 12 + 1, 'CSV rows');
  const [, json] = await download('ct-export-json');
  const j = JSON.parse(json);
  check(j.link === frag && j.summary.score_mean === runCtCli(frag).score_mean, 'JSON export');
  for (const c of CT_CHARTS) {
    const [name, svg] = await download('ct-svg-' + c);
    check(name === `flywheel-crowdtrain-${c}.svg` && svg.startsWith('<svg'), `SVG ${c}: ${name}`);
  }
  // Switching tabs keeps each tab's state.
  await page.click('#nav-commons');
  await waitReady(page, '#commons?v=1');
  await page.fill('#commons-p-kappa', '3');
  await waitReady(page, '#commons?kappa=3&v=1');
  await page.click('#nav-crowdtrain');
  await waitReady(page, frag);
  check((await ctNumbers(page)).runs === 3, 'CrowdTrain lost its state');
  await page.click('#nav-commons');
  await waitReady(page, '#commons?kappa=3&v=1');
  await ctx.close();
});

test('CrowdTrain: a scale run of a million operators completes in the browser', async ({ browser, base }) => {
  const page = await browser.newPage();
  const frag = '#crowdtrain?runs=1&scale=33&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const n = await ctNumbers(page);
  check(n.total_operators_ever_mean >= 1e6, `only ${n.total_operators_ever_mean} operators`);
  expectCtEqual(n, runCtCli(frag), 'scale run');
  await page.waitForFunction(() => document.getElementById('ct-run-text').dataset.memoryBytes);
  const t = await page.$eval('#ct-run-text', (e) => ({ ...e.dataset, text: e.textContent }));
  console.log(`    (${n.total_operators_ever_mean} operators: ${Math.round(t.workerMs)} ms in the worker, ` +
    `${Math.round(t.totalMs)} ms request to result, worker wasm memory ${(t.memoryBytes / 1048576).toFixed(1)} MB)`);
  await page.close();
});

test('CrowdTrain works at 360 px wide without horizontal scrolling', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 });
  await page.goto(base + '#crowdtrain?runs=5&v=1');
  await waitReady(page, '#crowdtrain?runs=5&v=1');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 360, `page is ${width}px wide at a 360px viewport`);
  for (const c of ['score', 'price']) {
    const { ink, total } = await inkedPixels(page, 'ct-chart-' + c);
    check(ink > total / 60, `ct-chart-${c} blank on a narrow screen`);
  }
  await page.screenshot({ path: path.join(artifacts, 'crowdtrain-mobile.png'), fullPage: true });
  await page.close();
});

// ---- Research (CrowdTrain autoresearch) ----

function runResearchCli(fragment, extra = []) {
  const out = execFileSync(cli, ['crowdtrain', 'research', '--params', fragment, '--json', ...extra], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function rsNumbers(page) {
  return page.evaluate(() => {
    const d = document.getElementById('rs-metrics').dataset;
    return {
      experiments: Number(d.experiments), kept: Number(d.kept), stage: d.stage,
      baseline_score: Number(d.baselineScore), best_score: Number(d.bestScore),
      validation_score: d.validationScore === '' ? null : Number(d.validationScore), best_params: d.bestParams,
    };
  });
}

async function rsWaitDone(page, timeout = 120000) {
  await page.waitForFunction(() => document.getElementById('rs-metrics').dataset.stage === 'done', null, { timeout });
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready', null, { timeout: 10000 });
}

async function rsSetWorkers(page, n) {
  await page.fill('#rs-workers', String(n));
  await page.dispatchEvent('#rs-workers', 'change');
}

test('Research: the page\'s experiments equal the CLI\'s, whatever the workers, Pause and Resume; results.tsv is the CLI\'s', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const frag = '#crowdtrain-research?budget=34&research_seed=3&months=12&runs=4&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  check((await page.textContent('#rs-run-text')).startsWith('Press Start'), 'the run bar says how to start');
  await rsSetWorkers(page, 1);
  await page.click('#rs-start');
  await page.waitForFunction(() => Number(document.getElementById('rs-metrics').dataset.experiments) >= 9, null, { timeout: 60000 });
  // Two workers from here on, then a pause: nothing moves while paused.
  await rsSetWorkers(page, 2);
  await page.click('#rs-pause');
  check((await page.textContent('#rs-pause')) === 'Resume', 'Pause did not become Resume');
  const paused = (await rsNumbers(page)).experiments;
  await page.waitForTimeout(800);
  check((await rsNumbers(page)).experiments === paused, 'experiments went on while paused');
  check((await page.textContent('#rs-run-text')).startsWith('Paused after'), 'no paused line');
  await page.click('#rs-pause');
  await rsWaitDone(page);
  const got = await rsNumbers(page);
  const tsvFile = path.join(artifacts, 'cli-results.tsv');
  const want = runResearchCli(frag, ['--tsv', tsvFile, '--threads', '3']);
  check(got.experiments === 34 && want.experiments === 34, `experiments ${got.experiments}`);
  for (const k of ['baseline_score', 'best_score', 'validation_score', 'best_params', 'kept']) {
    check(got[k] === want[k], `${k} is ${got[k]} in the page but ${want[k]} in the CLI`);
  }
  const download = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#' + id)]);
    const out = [d.suggestedFilename(), fs.readFileSync(await d.path(), 'utf8')];
    await page.waitForTimeout(250);
    return out;
  };
  const [tsvName, tsv] = await download('rs-export-tsv');
  check(tsvName === 'results.tsv' && tsv === fs.readFileSync(tsvFile, 'utf8'), `the page's results.tsv differs from the CLI's (${tsv.length} vs ${fs.statSync(tsvFile).size} bytes)`);
  check(tsv.split('\n')[0] === 'experiment\tscore\tretention\tstability\trevenue\tgini\tqualified\tnotes', 'results.tsv header');
  const [, json] = await download('rs-export-json');
  check(JSON.parse(json).report.best_score === want.best_score, 'JSON export');
  for (const c of ['history', 'parts', 'tornado']) {
    const [name, svg] = await download('rs-svg-' + c);
    check(name === `flywheel-crowdtrain-research-${c}.svg` && svg.startsWith('<svg'), `SVG ${c}: ${name}`);
    const { ink, total } = await inkedPixels(page, 'rs-chart-' + c);
    check(ink > total / 60, `rs-chart-${c} is blank`);
  }
  // The table has every experiment; the history lists the kept designs as links.
  check(await page.$$eval('#rs-table-body tr', (r) => r.length) === 34, 'table rows');
  const links = await page.$$eval('#rs-history a', (a) => a.map((e) => e.getAttribute('href')));
  check(links.length === want.kept + 1 && links.every((h) => h.startsWith('#crowdtrain?')), `history links ${links}`);
  check(links[links.length - 1] === want.best_params, 'the last kept design is the best');
  const summary = await page.textContent('#rs-summary');
  check(summary.includes('fresh seeds') && summary.includes('Sub-scores'), `summary: ${summary}`);
  await page.screenshot({ path: path.join(artifacts, 'research-desktop.png'), fullPage: false });
  // Apply the best: the CrowdTrain tab shows the best design, with the best score.
  await page.click('#rs-apply-best');
  await waitReady(page, want.best_params);
  check((await ctNumbers(page)).score_mean === want.best_score, 'the applied best design scores differently');
  // Back on the research tab, its results are still there.
  await page.goBack();
  await waitReady(page, frag);
  check((await rsNumbers(page)).best_score === want.best_score, 'the research lost its results');
  await ctx.close();
});

test('Research: Stop ends the search at once and the analysis follows; bad settings are refused; 390 px', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const frag = '#crowdtrain-research?budget=2000&months=12&runs=4&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  await page.click('#rs-start');
  await page.waitForFunction(() => Number(document.getElementById('rs-metrics').dataset.experiments) >= 17, null, { timeout: 60000 });
  await page.click('#rs-stop');
  // The analysis after Stop says its runs and the time it has left.
  await page.waitForFunction(() => /Validating the best design on 200 fresh seeds.* \([\d,]+ runs\) · about [\d.]+ (s|min) left/.test(document.getElementById('rs-run-text').textContent), null, { timeout: 20000 });
  await rsWaitDone(page);
  const got = await rsNumbers(page);
  check(got.experiments < 2000 && (got.experiments - 1) % 8 === 0, `stopped at ${got.experiments} experiments`);
  check(got.validation_score !== null, 'no validation after Stop');
  check((await page.textContent('#rs-run-text')).includes('stopped early'), 'the run bar does not say it stopped');
  // A stopped research is the first experiments of the full one: the CLI with that budget agrees.
  const want = runResearchCli(frag.replace('budget=2000', `budget=${got.experiments}`));
  for (const k of ['baseline_score', 'best_score', 'validation_score', 'best_params']) {
    check(got[k] === want[k], `${k} is ${got[k]} in the page but ${want[k]} in the CLI`);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `page is ${width}px wide at a 390px viewport`);
  await page.screenshot({ path: path.join(artifacts, 'research-mobile.png'), fullPage: true });
  // A start design past the limits is refused before anything runs, saying what to lower.
  const huge = '#crowdtrain-research?runs=1000&months=240&scale=100&v=1';
  await page.goto(base + huge);
  await waitReady(page, null);
  await page.click('#rs-start');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'refused', null, { timeout: 10000 });
  const msg = await page.textContent('#rs-worker-error');
  check(/too (large|long)/.test(msg) && msg.includes('Monte Carlo runs'), `refusal: ${msg}`);
  // A link with a parameter that is not searched says so, and searches every parameter.
  const bad = '#crowdtrain-research?fixed=no_such&v=1';
  await page.goto(base + bad);
  await waitReady(page, '#crowdtrain-research?v=1');
  check((await page.textContent('#rs-issues')).includes('no_such'), 'the bad fixed list is not said');
  await page.close();
});

test('Research on the Commons: the page equals the CLI; the assumptions stay fixed by default', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#commons-research?budget=18&days=150&runs=3&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  check(!(await page.isChecked('#rc-fixed-arrival_rate')) && await page.isChecked('#rc-fixed-kappa'), 'the search space ticks the levers, not the assumptions');
  await page.click('#rc-start');
  await page.waitForFunction(() => document.getElementById('rc-metrics').dataset.stage === 'done', null, { timeout: 120000 });
  const got = await page.evaluate(() => ({ ...document.getElementById('rc-metrics').dataset }));
  const out = execFileSync(cli, ['commons', 'research', '--params', frag, '--json'], { encoding: 'utf8' });
  const want = JSON.parse(out);
  check(Number(got.bestScore) === want.best_score && Number(got.validationScore) === want.validation_score && got.bestParams === want.best_params, `page ${JSON.stringify(got)} vs CLI best ${want.best_score}`);
  check(want.fixed.length === 5 && want.best_params.startsWith('#commons-dao?'), 'the CLI fixed the assumptions too');
  const heads = await page.$$eval('#rc-table thead th', (t) => t.map((e) => e.textContent));
  check(heads.length === 13 && heads[2] === 'final_price', `table columns ${heads}`);
  await page.close();
});

// ---- dataDAO ----

function runDdCli(fragment) {
  const out = execFileSync(cli, ['datadao', '--params', fragment, '--json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function ddFinal(page) {
  return page.evaluate(() => {
    const d = document.getElementById('dd-metrics').dataset;
    const agents = {};
    for (const k of ['degen', 'organization', 'power', 'active', 'casual']) agents[k] = Number(d['agents' + k[0].toUpperCase() + k.slice(1)]);
    return { price: Number(d.price), ddt_reserve: Number(d.ddtReserve), xdai_reserve: Number(d.xdaiReserve), pie: Number(d.pie), fee_pot: Number(d.feePot), k: Number(d.k), steps: Number(d.steps), agents };
  });
}

function expectDdEqual(p, c, label) {
  for (const k of ['price', 'ddt_reserve', 'xdai_reserve', 'pie', 'fee_pot', 'k', 'steps']) {
    check(p[k] === c[k], `${label}: ${k} is ${p[k]} in the page but ${c[k]} in the CLI`);
  }
  check(JSON.stringify(p.agents) === JSON.stringify(c.agents), `${label}: agents ${JSON.stringify(p.agents)} vs ${JSON.stringify(c.agents)}`);
}

const DD_CHARTS = ['price', 'ddt-reserve', 'xdai-reserve', 'pie', 'agents', 'avg-xdai'];

test('dataDAO: a link shows exactly the CLI\'s final state; the original preset matches spec §7', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#datadao?total_steps=300&org_daily_ddt_buy=5&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  expectDdEqual(await ddFinal(page), runDdCli(frag), 'shared dataDAO link');
  for (const c of DD_CHARTS) {
    const { ink, total } = await inkedPixels(page, 'dd-chart-' + c);
    check(ink > total / 60, `dd-chart-${c} is blank (${ink} of ${total})`);
  }
  const info = await page.$$eval('#dd-info summary', (s) => s.map((e) => e.textContent));
  check(info.length === 4 && info[3] === 'Things to try', `info ${info}`);
  check((await page.textContent('#dd-what')).includes('dataDAO'), 'no "what is it" at the top');
  await page.screenshot({ path: path.join(artifacts, 'datadao-desktop.png'), fullPage: true });
  // The original code's preset: step 200 as spec §7 gives it.
  await page.click('#dd-preset-original');
  const orig = '#datadao?total_steps=300&org_daily_ddt_buy=5&fee_pot=original&degen_reinvest=original&power_overspend=original&pie_distribution=original&v=1';
  await waitReady(page, orig);
  expectDdEqual(await ddFinal(page), runDdCli(orig), 'original preset');
  await page.goto(base + '#datadao?total_steps=200&fee_pot=original&degen_reinvest=original&power_overspend=original&pie_distribution=original&v=1');
  await waitReady(page, null);
  await page.waitForFunction(() => document.getElementById('dd-metrics').dataset.steps === '200');
  const f = await ddFinal(page);
  const sig9 = (x) => x.toExponential(8);
  check(sig9(f.price) === sig9(0.0616090879) && sig9(f.pie) === sig9(61.7538673), `§7 step 200: price ${f.price}, pie ${f.pie}`);
  await page.close();
});

test('dataDAO: play, pause, step and the scrubber inspect any step; Compare draws both presets', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#datadao?total_steps=400&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  check((await page.textContent('#dd-step-label')) === 'Step 400 of 400', 'not at the last step after the run');
  await page.click('#dd-reset');
  check((await page.textContent('#dd-step-label')) === 'Step 0 of 400', 'Reset');
  await page.click('#dd-step');
  await page.click('#dd-step');
  check((await page.textContent('#dd-step-label')) === 'Step 2 of 400', 'Step');
  const cli2 = runDdCli('#datadao?total_steps=2&v=1');
  const price2 = await page.textContent('#dd-m-price');
  check(Math.abs(Number(price2) - cli2.price) / cli2.price < 1e-5, `step 2 price shown ${price2}, CLI ${cli2.price}`);
  await page.selectOption('#dd-speed', '1');
  await page.click('#dd-play');
  await page.waitForFunction(() => Number(document.getElementById('dd-scrub').value) >= 50);
  await page.click('#dd-play');
  const paused = Number(await page.inputValue('#dd-scrub'));
  await page.waitForTimeout(300);
  check(Number(await page.inputValue('#dd-scrub')) === paused && paused < 400, `pause did not hold at ${paused}`);
  // The scrubber jumps anywhere.
  await page.$eval('#dd-scrub', (e) => { e.value = '123'; e.dispatchEvent(new Event('input')); });
  check((await page.textContent('#dd-step-label')) === 'Step 123 of 400', 'scrubber');
  const agents = await page.textContent('#dd-m-agents');
  check(agents === String(runDdCli('#datadao?total_steps=123&v=1').agents_total), `agents at step 123: ${agents}`);
  await page.check('#dd-compare');
  await page.waitForFunction(() => document.getElementById('dd-m-price-sub').textContent.startsWith('Original code:'));
  await page.screenshot({ path: path.join(artifacts, 'datadao-compare.png') });
  await page.close();
});

test('dataDAO: both CSVs download; simulation_data.csv equals the CLI\'s', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const frag = '#datadao?total_steps=50&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const cliCsv = path.join(artifacts, 'cli-simulation_data.csv');
  const cliTx = path.join(artifacts, 'cli-transaction_history.csv');
  execFileSync(cli, ['datadao', '--params', frag, '--csv', cliCsv, '--transactions', cliTx]);
  const download = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#' + id)]);
    return [d.suggestedFilename(), fs.readFileSync(await d.path(), 'utf8')];
  };
  const [name, csv] = await download('dd-export-csv');
  check(name === 'simulation_data.csv' && csv === fs.readFileSync(cliCsv, 'utf8'), 'simulation_data.csv differs from the CLI\'s');
  const [txName, tx] = await download('dd-export-tx');
  check(txName === 'transaction_history_steps_1-50.csv', txName);
  check(tx === fs.readFileSync(cliTx, 'utf8'), 'the transactions of steps 1–50 differ from the CLI\'s');
  const [svgName, svg] = await download('dd-svg-price');
  check(svgName === 'flywheel-datadao-price.svg' && svg.startsWith('<svg'), svgName);
  await ctx.close();
});

test('dataDAO: a link carries Compare and the inspected step; the CLI reads the same link', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const link = '#datadao?total_steps=300&compare=1&step=120&v=1';
  await page.goto(base + link);
  await waitReady(page, '#datadao?total_steps=300&v=1');
  await page.waitForFunction(() => document.getElementById('dd-m-price-sub').textContent.startsWith('Original code:'));
  check((await page.textContent('#dd-step-label')) === 'Step 120 of 300', `step label ${await page.textContent('#dd-step-label')}`);
  check(await page.isChecked('#dd-compare'), 'Compare is not ticked');
  check((await page.evaluate(() => location.hash)) === link, `the address bar shows ${await page.evaluate(() => location.hash)}`);
  // The CLI takes the page's whole link (it skips the view keys) and gives the same final state.
  expectDdEqual(await ddFinal(page), runDdCli(link), 'link with view keys');
  // Scrubbing updates the link.
  await page.$eval('#dd-scrub', (e) => { e.value = '77'; e.dispatchEvent(new Event('input')); });
  await page.waitForFunction(() => location.hash === '#datadao?total_steps=300&compare=1&step=77&v=1');
  // A copied link shows until the state changes: then the line goes, never showing an old link.
  await page.click('#dd-copy-link');
  check(await page.isVisible('#dd-share'), 'Copy link shows no link');
  const copied = await page.inputValue('#dd-share-url');
  check(copied.endsWith('#datadao?total_steps=300&compare=1&step=77&v=1'), `copied ${copied}`);
  await page.fill('#datadao-p-org_daily_ddt_buy', '3');
  await page.waitForSelector('#dd-share', { state: 'hidden' });
  // Reset all puts everything back, the comparison included.
  await page.click('#dd-reset-all');
  await waitReady(page, '#datadao?v=1');
  check(!(await page.isChecked('#dd-compare')), 'Reset all kept Compare on');
  check(!(await page.evaluate(() => location.hash)).includes('compare'), `after Reset all: ${await page.evaluate(() => location.hash)}`);
  await page.close();
});

test('dataDAO works at 360 px wide without horizontal scrolling', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 });
  await page.goto(base + '#datadao?total_steps=300&v=1');
  await waitReady(page, '#datadao?total_steps=300&v=1');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 360, `page is ${width}px wide at a 360px viewport`);
  const { ink, total } = await inkedPixels(page, 'dd-chart-price');
  check(ink > total / 60, 'price chart blank on a narrow screen');
  await page.screenshot({ path: path.join(artifacts, 'datadao-mobile.png'), fullPage: true });
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Hardening: what a new user hit in the page.

async function ddCliJson(fragment) {
  return JSON.parse(execFileSync(cli, ['datadao', '--params', fragment, '--json'], { encoding: 'utf8' }));
}

test('dataDAO: shares that do not add up to 1 are used in proportion, said at the field, and agree with the CLI', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const frag of ['#datadao?share_degen=0.6&v=1', '#datadao?share_organization=0.4773&v=1']) {
    const t0 = Date.now();
    await page.goto(base + frag);
    await waitReady(page, frag);
    const ms = Date.now() - t0;
    check(ms < 15000, `${frag} took ${ms} ms`);
    const note = await page.textContent('#datadao-note-share_degen');
    check(await page.isVisible('#datadao-note-share_degen'), 'no note at the shares');
    check(/add up to 1\.\d+, not 1/.test(note) && !/\d{7,}/.test(note), `note: ${note}`);
    const cli = await ddCliJson(frag);
    check(cli.agents_total < 5000, `the CLI's population ${cli.agents_total}`);
    expectDdEqual(await ddFinal(page), runDdCli(frag), frag);
  }
  // A few arrow presses on the Degen slider: still a population of about 4,000.
  await page.goto(base + '#datadao?v=1');
  await waitReady(page, '#datadao?v=1');
  await page.fill('#datadao-p-share_degen', '0.9');
  await waitReady(page, '#datadao?share_degen=0.9&v=1');
  const f = await ddFinal(page);
  const total = Object.values(f.agents).reduce((a, b) => a + b, 0);
  check(total < 5000, `${total} agents after raising the degen share`);
  await page.close();
});

test('Every run says its cost first; runs past the limits are refused with what to lower; progress follows the work', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const huge = '#datadao?total_steps=100000&entry_steps=1&agents_per_entry=10000&v=1';
  await page.goto(base + huge);
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'refused', null, { timeout: 10000 });
  const msg = await page.textContent('#dd-worker-error');
  check(await page.isVisible('#dd-worker-error'), 'no refusal shown');
  check(/too large/.test(msg) && /GB of memory/.test(msg) && /agents_per_entry/.test(msg) && /total_steps/.test(msg), `refusal: ${msg}`);
  check(await page.isDisabled('#dd-play'), 'Play is enabled after a refused run');
  let code = 0;
  try { execFileSync(cli, ['datadao', '--params', huge, '--json'], { stdio: 'pipe' }); } catch (e) { code = e.status; }
  check(code === 2, `the CLI exit status for the same link: ${code}`);
  // A run whose population grows: half the work is done well after half the steps.
  const frag = '#datadao?total_steps=6000&v=1';
  await page.goto(base + frag);
  const seen = [];
  await page.waitForFunction(() => !document.getElementById('dd-run-plan').hidden, null, { timeout: 10000 });
  const plan = await page.textContent('#dd-run-plan');
  check(/about .+ agent-steps .*agents at the end/.test(plan), `plan: ${plan}`);
  await page.waitForFunction(() => {
    const p = document.getElementById('dd-progress');
    return Number(p.value) >= 0.3 && Number(p.value) < 0.95;
  }, null, { timeout: 60000, polling: 20 });
  const text = await page.textContent('#dd-run-text');
  seen.push(text);
  check(/\d+%/.test(text) && /about .+ left/.test(text), `progress text: ${text}`);
  await waitReady(page, frag);
  check(await page.isHidden('#dd-run-plan'), 'the plan line stays after the run');
  // Cancelled before any run finished: said so, nothing to play, and Run starts it again.
  const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await fresh.goto(base + frag);
  await fresh.waitForFunction(() => !document.getElementById('dd-cancel').disabled, null, { timeout: 10000 });
  await fresh.click('#dd-cancel');
  check(/before any run finished/.test(await fresh.textContent('#dd-run-text')), `cancel text: ${await fresh.textContent('#dd-run-text')}`);
  check(await fresh.isDisabled('#dd-play'), 'Play is enabled with nothing to play');
  await fresh.click('#dd-run');
  await waitReady(fresh, frag);
  check(!(await fresh.isDisabled('#dd-play')), 'Play stays disabled after a run');
  await fresh.close();
  await page.close();
});

test('The panel applies the rules between fields that links and the CLI apply; the copied link reproduces the page', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '#crowdtrain?runs=2&v=1');
  await waitReady(page, '#crowdtrain?runs=2&v=1');
  await page.fill('#crowdtrain-p-max_supply', '5000000');
  await page.waitForSelector('#crowdtrain-err-max_supply:not([hidden])');
  const err = await page.textContent('#crowdtrain-err-max_supply');
  check(err.includes('Initial supply') && err.includes('5,000,000'), `error: ${err}`);
  check((await page.getAttribute('#crowdtrain-p-max_supply', 'aria-invalid')) === 'true', 'no aria-invalid');
  check((await page.evaluate(() => location.hash)) === '#crowdtrain?runs=2&v=1', 'the URL took a value the link would refuse');
  // A minimum above its maximum waits, and goes through once the maximum is raised.
  await page.fill('#crowdtrain-p-min_lockup_months', '30');
  await page.waitForSelector('#crowdtrain-err-min_lockup_months:not([hidden])');
  await page.fill('#crowdtrain-p-max_lockup_months', '36');
  const frag = '#crowdtrain?min_lockup_months=30&max_lockup_months=36&runs=2&v=1';
  await waitReady(page, frag);
  check(await page.isHidden('#crowdtrain-err-min_lockup_months'), 'the waiting minimum still shows its error');
  check((await page.getAttribute('#crowdtrain-p-min_lockup_months', 'aria-invalid')) === 'false', 'aria-invalid stays');
  const shown = await ctNumbers(page);
  // The link of this state opens without complaint and shows the same numbers.
  const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await other.goto(base + frag);
  await waitReady(other, frag);
  check(await other.isHidden('#ct-issues'), 'the link is rejected: ' + await other.textContent('#ct-issues'));
  expectCtEqual(await ctNumbers(other), runCtCli(frag), 'the copied link');
  expectCtEqual(shown, runCtCli(frag), 'the panel');
  await other.close();
  await page.close();
});

test('A long run in one tab never blocks or blanks another, and each Cancel stops only its own tab', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '#datadao?total_steps=300&v=1');
  await waitReady(page, '#datadao?total_steps=300&v=1');
  await page.goto(base + '#crowdtrain?runs=200&v=1');
  await page.waitForFunction(() => Number(document.getElementById('ct-progress').dataset.done) > 0, null, { timeout: 20000 });
  // The Commons answers at once while CrowdTrain computes.
  await page.click('#nav-commons');
  await waitReady(page, null);
  const t0 = Date.now();
  await page.fill('#commons-p-kappa', '3');
  await waitReady(page, '#commons?kappa=3&v=1');
  const commonsMs = Date.now() - t0;
  check(commonsMs < 2000, `a Commons edit waited ${commonsMs} ms behind CrowdTrain`);
  // dataDAO still shows its charts, and its Cancel leaves CrowdTrain's run alone.
  await page.click('#nav-datadao');
  const { ink, total } = await inkedPixels(page, 'dd-chart-price');
  check(ink > total / 60, 'the dataDAO tab went blank');
  await page.fill('#datadao-p-total_steps', '5000');
  await page.waitForFunction(() => !document.getElementById('dd-cancel').disabled, null, { timeout: 5000 });
  await page.click('#dd-cancel');
  const before = await page.evaluate(() => Number(document.getElementById('ct-progress').dataset.done));
  await page.waitForFunction((b) => Number(document.getElementById('ct-progress').dataset.done) > b, before, { timeout: 10000 });
  check(await page.evaluate(() => !document.getElementById('ct-progress').hidden), 'CrowdTrain stopped with dataDAO');
  await page.click('#nav-crowdtrain');
  await page.click('#ct-cancel');
  await page.close();
  console.log(`    (a Commons edit during a 200-run CrowdTrain Monte Carlo: ${commonsMs} ms)`);
});

test('Accessibility basics: unique ids, named fields, text alternatives, a skip link, a keyboard readout, a phone drawer', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '#datadao?total_steps=200&v=1');
  await waitReady(page, '#datadao?total_steps=200&v=1');
  // Every tab is in the document at once: no id may repeat, and every control has a name.
  const dup = await page.evaluate(() => {
    const seen = new Set(); const d = [];
    for (const e of document.querySelectorAll('[id]')) { if (seen.has(e.id)) d.push(e.id); seen.add(e.id); }
    return d;
  });
  check(dup.length === 0, `duplicate ids: ${dup.slice(0, 10)}`);
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
    .filter((e) => e.type !== 'hidden')
    .filter((e) => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent.trim())))
    .map((e) => e.id || e.outerHTML.slice(0, 80)));
  check(unnamed.length === 0, `controls without a name: ${unnamed.slice(0, 10)}`);
  check(await page.textContent('label[for="datadao-p-seed"]') !== '', 'the dataDAO seed has no label');
  // Every drawn chart has a text alternative with its key numbers.
  for (const c of DD_CHARTS) {
    const id = 'dd-chart-' + c;
    const desc = await page.getAttribute('#' + id, 'aria-describedby');
    const text = await page.textContent('#' + desc);
    check(/At step 200: .*\d/.test(text), `${id}: text alternative "${text}"`);
  }
  // The skip link is the first stop of the keyboard and lands on the results.
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.id) === 'skip-link', 'the skip link is not the first focus');
  await page.keyboard.press('Enter');
  check(await page.evaluate(() => document.activeElement.matches('#datadao section.content')), 'the skip link does not reach the results');
  // The curve's readout from the keyboard.
  await page.goto(base + '#commons?v=1');
  await waitReady(page, '#commons?v=1');
  await page.focus('#chart-curve');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('#chart-curve-readout:not([hidden])');
  const first = Number(await page.getAttribute('#chart-curve-readout', 'data-supply'));
  await page.keyboard.press('Shift+ArrowRight');
  const second = Number(await page.getAttribute('#chart-curve-readout', 'data-supply'));
  check(second > first && first > 0, `the readout does not move with the keys: ${first} → ${second}`);
  check(/Supply .+ tokens/.test(await page.textContent('#chart-curve-readout')), 'readout text');
  const curveText = await page.textContent('#chart-curve-summary');
  check(/^Now: supply .+ spot price/.test(curveText), `curve text alternative: ${curveText}`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#chart-curve-readout', { state: 'hidden' });
  // Every tab has drawn now: still no id twice.
  const dupAfter = await page.evaluate(() => {
    const seen = new Set(); const d = [];
    for (const e of document.querySelectorAll('[id]')) { if (seen.has(e.id)) d.push(e.id); seen.add(e.id); }
    return d;
  });
  check(dupAfter.length === 0, `duplicate ids once the Commons has drawn: ${dupAfter.slice(0, 10)}`);
  // ↑ and ↓ step a field as its slider would.
  await page.focus('#commons-p-kappa');
  await page.keyboard.press('ArrowUp');
  await waitReady(page, '#commons?kappa=2.1&v=1');
  await page.keyboard.press('Shift+ArrowDown');
  await waitReady(page, '#commons?kappa=1.1&v=1');
  await page.close();

  // A phone: tab names on one line, the parameters in a drawer over the charts they drive.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await phone.goto(base + '#crowdtrain?runs=3&v=1');
  await waitReady(phone, '#crowdtrain?runs=3&v=1');
  const tabHeights = await phone.$$eval('nav.tabs .tab', (ts) => ts.map((t) => t.getBoundingClientRect().height));
  const lineHeight = await phone.$eval('nav.tabs .tab', (t) => parseFloat(getComputedStyle(t).lineHeight) || 20);
  check(tabHeights.every((h) => h < 2 * lineHeight + 12), `tab names wrap: heights ${tabHeights}`);
  check(await phone.isVisible('#crowdtrain-drawer-toggle'), 'no parameter drawer on a phone');
  check(await phone.isHidden('#crowdtrain-p-runs'), 'the drawer starts open over the charts');
  await phone.click('#crowdtrain-drawer-toggle');
  check((await phone.getAttribute('#crowdtrain-drawer-toggle', 'aria-expanded')) === 'true', 'aria-expanded');
  await phone.fill('#crowdtrain-p-runs', '4');
  await waitReady(phone, '#crowdtrain?runs=4&v=1');
  // The drawer leaves part of the screen to the results above it.
  const drawerTop = await phone.$eval('#crowdtrain aside.side', (a) => a.getBoundingClientRect().top);
  check(drawerTop > 844 * 0.4, `the open drawer covers the screen from ${drawerTop}px`);
  await phone.screenshot({ path: path.join(artifacts, 'crowdtrain-phone-drawer.png') });
  await phone.focus('#crowdtrain-p-runs');
  await phone.keyboard.press('Escape');
  check(await phone.isHidden('#crowdtrain-p-runs'), 'Escape does not close the drawer');
  check(await phone.evaluate(() => document.activeElement.id) === 'crowdtrain-drawer-toggle', 'the focus is lost when the drawer closes');
  // A value the panel refuses is not out of sight: the closed drawer says it.
  await phone.click('#crowdtrain-drawer-toggle');
  await phone.fill('#crowdtrain-p-runs', 'abc');
  await phone.click('#crowdtrain-drawer-toggle');
  check(/1 to fix/.test(await phone.textContent('#crowdtrain-drawer-toggle')), 'the closed drawer hides a refused value');
  await phone.click('#crowdtrain-drawer-toggle');
  await phone.fill('#crowdtrain-p-runs', '4');
  await phone.click('#crowdtrain-drawer-toggle');
  check(await phone.isHidden('#crowdtrain-p-runs'), 'the drawer does not close');
  check(!/to fix/.test(await phone.textContent('#crowdtrain-drawer-toggle')), 'the fixed value is still counted');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `page is ${width}px wide at 390px`);
  await phone.screenshot({ path: path.join(artifacts, 'crowdtrain-phone.png'), fullPage: true });
  await phone.close();
});

test('Honest labels and readable numbers: money reads like "$815k ± $82k", the price index is not called USD, huge values stay whole', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#crowdtrain?hardware_stake_requirement=400&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const revenue = await page.textContent('#ct-m-cumulative_revenue');
  const spread = await page.textContent('#ct-m-cumulative_revenue-sub');
  check(/^\$\d{1,3}(\.\d)?[kMB]?$/.test(revenue), `revenue reads "${revenue}"`);
  check(/^± \$\d{1,3}(\.\d)?[kMB]?/.test(spread), `its spread reads "${spread}"`);
  const priceLabel = await page.$eval('#ct-m-final_price', (e) => e.closest('.metric').querySelector('.metric-label').textContent);
  check(/index/.test(priceLabel) && !/\(USD\)/.test(priceLabel), `price card label "${priceLabel}"`);
  const priceText = await page.textContent('#ct-chart-price-summary');
  check(priceText.startsWith('Price index (not USD)'), `price chart: "${priceText}"`);
  await page.goto(base + '#crowdtrain?price_model=amm&runs=3&v=1');
  await waitReady(page, '#crowdtrain?price_model=amm&runs=3&v=1');
  const ammLabel = await page.$eval('#ct-m-final_price', (e) => e.closest('.metric').querySelector('.metric-label').textContent);
  check(/USD/.test(ammLabel) && !/index/.test(ammLabel), `AMM price card label "${ammLabel}"`);
  // The Commons at its extremes: no number broken over two lines, no "500000T".
  const huge = '#commons?hatch_raise=1000000000000&hatch_price=1e-6&v=1';
  await page.goto(base + huge);
  await waitReady(page, null);
  const broken = await page.$$eval('.metric-value .v', (vs) => vs.filter((v) => {
    const r = document.createRange(); r.selectNodeContents(v);
    return r.getClientRects().length > 1;
  }).map((v) => v.id + ': ' + v.textContent));
  check(broken.length === 0, `numbers broken over lines: ${broken}`);
  const values = await page.$$eval('.metric-value .v', (vs) => vs.map((v) => v.textContent));
  check(values.every((v) => !/\d{4,}[kMBT]/.test(v)), `values ${values}`);
  await page.close();
});

// ---- Commons DAO and the conviction calculator ----

function runDaoCli(fragment) {
  return JSON.parse(execFileSync(cli, ['commons', 'sim', '--params', fragment, '--json'], { encoding: 'utf8' }));
}

// Every metric the page shows, named as in the CLI's JSON (score_p50, final_price_mean, …).
async function daoNumbers(page) {
  return page.evaluate(() => {
    const out = {};
    for (const [k, v] of Object.entries(document.getElementById('dao-metrics').dataset)) {
      out[k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()).replace(/_(p)_?(\d+)$/, '_$1$2')] = Number(v);
    }
    return out;
  });
}

function expectDaoEqual(pageNums, cliNums, label) {
  const keys = Object.keys(cliNums).filter((k) => /_(mean|p10|p50|p90)$/.test(k) && typeof cliNums[k] === 'number');
  check(keys.length === 44, `${label}: the CLI printed ${keys.length} numbers`);
  for (const k of keys) {
    if (pageNums[k] !== cliNums[k]) {
      throw new Error(`${label}: ${k} is ${pageNums[k]} in the page but ${cliNums[k]} in the CLI`);
    }
  }
  for (const k of ['runs', 'seed', 'days']) {
    check(pageNums[k] === cliNums[k], `${label}: ${k} is ${pageNums[k]} in the page but ${cliNums[k]} in the CLI`);
  }
}

const DAO_CHARTS = ['price', 'supply', 'pools', 'participants', 'sentiment', 'proposals', 'granted', 'conviction', 'network', 'score'];

test('Commons DAO: a shared link shows exactly the CLI\'s Monte Carlo; the day player inspects a run\'s day', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#commons-dao?exit_tribute=0.3&days_to_80p_of_max_voting_weight=20&days=300&runs=6&seed=9&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  expectDaoEqual(await daoNumbers(page), runDaoCli(frag), 'shared Commons DAO link');
  // The inspected day's network arrives from the worker and the charts of the day draw.
  await page.waitForFunction(() => /Run 1, day 300:/.test(document.getElementById('dao-day').textContent));
  await page.waitForTimeout(300);
  for (const c of DAO_CHARTS) {
    const { ink, total } = await inkedPixels(page, 'dao-chart-' + c);
    check(ink > total / 80, `dao-chart-${c} is blank (${ink} of ${total} pixels drawn)`);
  }
  const info = await page.$$eval('#dao-info summary', (s) => s.map((e) => e.textContent));
  check(JSON.stringify(info) === JSON.stringify(['How it works', 'How to use it', 'Things to notice', 'Things to try']), `info sections ${info}`);
  await page.screenshot({ path: path.join(artifacts, 'commons-dao-desktop.png'), fullPage: true });
  // Scrub to day 100 of run 3: the link carries both, and the network's text says that day.
  await page.selectOption('#dao-inspect-run', '2');
  await page.$eval('#dao-scrub', (e) => { e.value = '100'; e.dispatchEvent(new Event('input')); });
  await page.waitForFunction(() => /Run 3, day 100:/.test(document.getElementById('dao-day').textContent));
  const hash = await page.evaluate(() => location.hash);
  check(hash === frag.replace('&v=1', '&v=1&run=3&day=100') || (hash.includes('run=3') && hash.includes('day=100')), `link after scrubbing: ${hash}`);
  await page.waitForFunction(() => /^Day 100: /.test(document.getElementById('dao-chart-network-summary').textContent));
  const conv = await page.textContent('#dao-chart-conviction-summary');
  check(/^Day 100: /.test(conv), `conviction text alternative: ${conv}`);
  // That link, opened afresh, shows the same day; the CLI takes it whole.
  const page2 = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page2.goto(base + hash);
  await page2.waitForFunction(() => /Run 3, day 100:/.test(document.getElementById('dao-day').textContent), null, { timeout: 30000 });
  check(await page2.textContent('#dao-day') === await page.textContent('#dao-day'), 'the link does not reproduce the inspected day');
  expectDaoEqual(await daoNumbers(page2), runDaoCli(hash), 'the scrubbed link in the CLI');
  // The day's leading candidate opens in the calculator with that day's numbers.
  const calc = await page2.getAttribute('#dao-calc-link', 'href');
  check(calc && calc.startsWith('#conviction?'), `calculator link ${calc}`);
  await page2.click('#dao-calc-link');
  await waitReady(page2, null);
  check((await page2.evaluate(() => location.hash)).startsWith('#conviction?request='), 'the calculator did not open');
  await page2.close();
  // Play moves the day forward.
  await page.click('#dao-reset');
  await page.click('#dao-play');
  await page.waitForFunction(() => Number(document.getElementById('dao-scrub').value) > 20);
  await page.click('#dao-play');
  await page.close();
});

test('Commons DAO: progress and Cancel; a run past the limits is refused; CSV equals the CLI\'s', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const frag = '#commons-dao?days=120&runs=3&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const cliCsv = path.join(artifacts, 'cli-dao-records.csv');
  execFileSync(cli, ['commons', 'sim', '--params', frag, '--csv', cliCsv]);
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#dao-export-csv')]);
  const csv = fs.readFileSync(await d.path(), 'utf8');
  check(csv === fs.readFileSync(cliCsv, 'utf8'), `the page's CSV differs from the CLI's (${csv.length} vs ${fs.statSync(cliCsv).size} bytes)`);
  const [j] = await Promise.all([page.waitForEvent('download'), page.click('#dao-export-json')]);
  const json = JSON.parse(fs.readFileSync(await j.path(), 'utf8'));
  check(json.link === frag && json.summary.score_p50 === runDaoCli(frag).score_p50, 'JSON export');
  for (const c of DAO_CHARTS) {
    // Chromium holds back a burst of downloads from one page: one at a time.
    await page.waitForTimeout(250);
    const [s] = await Promise.all([page.waitForEvent('download'), page.click('#dao-svg-' + c)]);
    check(s.suggestedFilename() === `flywheel-commons-dao-${c}.svg`, `SVG ${c}: ${s.suggestedFilename()}`);
  }
  // A long Monte Carlo shows its plan and progress; Cancel stops it and the last result stays.
  await page.fill('#commons-dao-p-runs', '1000');
  await page.waitForFunction(() => {
    const p = document.getElementById('dao-progress');
    return !p.hidden && Number(p.dataset.done) > 0;
  }, null, { timeout: 20000 });
  const plan = await page.textContent('#dao-run-plan');
  check(plan.includes('run-days'), `plan line: ${plan}`);
  await page.click('#dao-cancel');
  await page.waitForSelector('#dao-progress', { state: 'hidden' });
  check((await page.textContent('#dao-run-text')).startsWith('Cancelled'), 'no cancel message');
  check((await daoNumbers(page)).runs === 3, 'the cancelled Monte Carlo delivered');
  // Past the limits: refused before it starts, saying what to lower.
  await page.goto(base + '#commons-dao?arrival_rate=10&days=3650&runs=1000&v=1');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'refused', null, { timeout: 20000 });
  const refusal = await page.textContent('#dao-worker-error');
  check(/too large/.test(refusal) && /lower Monte Carlo runs \(runs\) or Days \(days\)/.test(refusal), `refusal: ${refusal}`);
  await ctx.close();
});

test('Conviction calculator: a link shows exactly the CLI\'s numbers; "if I add" passes sooner', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#conviction?request=20000&funding=250000&supply=12000000&stake=3000000&extra_stake=1000000&days=90&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const c = JSON.parse(execFileSync(cli, ['commons', 'conviction', '--params', frag, '--json'], { encoding: 'utf8' }));
  const m = await page.$eval('#cv-metrics', (e) => ({ ...e.dataset }));
  check(Number(m.threshold) === c.threshold, `threshold ${m.threshold} vs ${c.threshold}`);
  check(Number(m.alpha) === c.alpha && Number(m.maxConviction) === c.max_conviction, 'alpha, max conviction');
  check(Number(m.daysToPass) === c.days_to_pass && Number(m.daysToPassWithExtra) === c.days_to_pass_with_extra, 'days to pass');
  check(Number(m.convictionLast) === c.conviction[89], 'conviction on day 90');
  check(c.days_to_pass_with_extra < c.days_to_pass, 'more stake does not pass sooner');
  for (const id of ['cv-chart-growth', 'cv-chart-trigger']) {
    const { ink, total } = await inkedPixels(page, id);
    check(ink > total / 80, `${id} is blank`);
  }
  // Asking β of the pool or more cannot pass: said in the cards and by the CLI.
  await page.fill('#conviction-p-request', '60000');
  await waitReady(page, '#conviction?request=60000&funding=250000&supply=12000000&stake=3000000&extra_stake=1000000&days=90&v=1');
  check((await page.textContent('#cv-m-threshold')) === 'cannot pass', 'a request of 24% of the pool passes');
  check((await page.$eval('#cv-metrics', (e) => e.dataset.threshold)) === 'null', 'threshold not null');
  await page.screenshot({ path: path.join(artifacts, 'conviction-desktop.png'), fullPage: true });
  await page.close();
});

test('Commons DAO and the calculator work at 390 px wide without horizontal scrolling', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  for (const [frag, charts] of [['#commons-dao?days=200&runs=5&v=1', ['dao-chart-price', 'dao-chart-network']], ['#conviction?v=1', ['cv-chart-growth']]]) {
    await page.goto(base + frag);
    await waitReady(page, frag);
    await page.waitForTimeout(400);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `${frag}: page is ${width}px wide at a 390px viewport`);
    for (const id of charts) {
      const { ink, total } = await inkedPixels(page, id);
      check(ink > total / 80, `${id} blank on a narrow screen`);
    }
  }
  await page.screenshot({ path: path.join(artifacts, 'conviction-mobile.png'), fullPage: true });
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Policies and stress tests.

function stressCli(model, fragment, extra = []) {
  return execFileSync(cli, ['stress', model, '--params', fragment, '--json', ...extra], { encoding: 'utf8' });
}

test('Stress: the page\'s table, JSON and bands equal the CLI\'s for a shared link; the charts follow the choosers', async ({ browser, base }) => {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const frag = '#crowdtrain-stress?stress_runs=6&threshold=0.3&reward_source=emission_pool&supply_accounting=consistent&price_model=amm&hardware_stake=once_at_t4&months=18&price_stabilizer=on&treasury_start=2000000&scenarios=bear;crash:6+1,price*0.5/6+3,churn*2&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const csvFile = path.join(artifacts, 'cli-stress.csv');
  const bandsFile = path.join(artifacts, 'cli-stress-bands.csv');
  const json = stressCli('crowdtrain', frag, ['--csv', csvFile, '--bands-csv', bandsFile, '--series', 'price']);
  const want = JSON.parse(json);
  // The table on the page is the CLI's CSV, cell for cell.
  const tableCsv = await page.getAttribute('#cs-table table', 'data-csv');
  check(tableCsv === fs.readFileSync(csvFile, 'utf8'), 'the page\'s stress table differs from the CLI\'s --csv');
  const cells = await page.$$eval('#cs-table tbody tr[data-metric=score] td[data-p50]', (t) => t.map((c) => Number(c.dataset.p50)));
  check(cells.length === 3 && cells.every((x, i) => x === want.scenarios[i].metrics.score.p50), `score medians ${cells}`);
  check(want.scenarios.map((s) => s.name).join() === 'baseline,bear,crash', 'scenarios in order, the baseline first');
  const verdict = await page.textContent('#cs-m-verdict');
  check(verdict === (want.passes ? 'Passes' : 'Fails'), `verdict ${verdict} vs the CLI's ${want.passes}`);
  const download = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#' + id)]);
    const out = [d.suggestedFilename(), fs.readFileSync(await d.path(), 'utf8')];
    await page.waitForTimeout(250);
    return out;
  };
  const [csvName, csv] = await download('cs-export-csv');
  check(csvName === 'flywheel-crowdtrain-stress.csv' && csv === fs.readFileSync(csvFile, 'utf8'), 'CSV export');
  const [, pageJson] = await download('cs-export-json');
  fs.writeFileSync(path.join(artifacts, 'page-stress.json'), pageJson);
  fs.writeFileSync(path.join(artifacts, 'cli-stress.json'), json);
  check(pageJson === json, `the page's JSON differs from the CLI's (${pageJson.length} vs ${json.length} bytes)`);
  const [, bands] = await download('cs-export-bands');
  check(bands === fs.readFileSync(bandsFile, 'utf8'), 'bands CSV');
  for (const c of ['fan', 'spread']) {
    const { ink, total } = await inkedPixels(page, 'cs-chart-' + c);
    check(ink > total / 60, `cs-chart-${c} is blank`);
    const [name, svg] = await download('cs-svg-' + c);
    check(name === `flywheel-crowdtrain-stress-${c}.svg` && svg.startsWith('<svg'), `SVG ${c}`);
  }
  // The choosers go into the link and the charts' text alternatives.
  await page.selectOption('#cs-vs', '2');
  await page.selectOption('#cs-series', '4');
  await page.waitForFunction(() => location.hash.includes('vs=2') && location.hash.includes('series=4'));
  const alt = await page.textContent('#cs-chart-fan-summary');
  check(alt.startsWith('Treasury') && alt.includes('crash: median'), `fan chart summary: ${alt}`);
  // Notes say what the run cannot hold; a bad scenario is named with its field.
  await page.goto(base + '#crowdtrain-stress?stress_runs=2&months=12&scenarios=crowdtrain_events&v=1');
  await waitReady(page, '#crowdtrain-stress?stress_runs=2&months=12&scenarios=crowdtrain_events&v=1');
  const notes = await page.textContent('#cs-notes');
  check(notes.includes('month 18') && notes.includes('skipped'), `notes: ${notes}`);
  await page.fill('#crowdtrain-stress-p-scenarios', 'bull;moon');
  await page.press('#crowdtrain-stress-p-scenarios', 'Tab');
  await page.waitForFunction(() => (document.getElementById('crowdtrain-stress-err-scenarios') || {}).textContent?.includes('moon'));
  await ctx.close();
});

test('Stress: dataDAO equals the CLI; progress follows the work and Cancel stops it; 390 px', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#datadao-stress?stress_runs=4&total_steps=300&price_stabilizer=on&scenarios=bear;growth&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const csvFile = path.join(artifacts, 'cli-dd-stress.csv');
  stressCli('datadao', frag, ['--csv', csvFile, '--threads', '3']);
  const tableCsv = await page.getAttribute('#ds-table table', 'data-csv');
  check(tableCsv === fs.readFileSync(csvFile, 'utf8'), 'the page\'s dataDAO stress table differs from the CLI\'s');
  // The bear's churn factor does nothing in the dataDAO (members never leave), and the run of
  // 300 steps cuts the growth scenario short: both said.
  const notes = await page.textContent('#ds-notes');
  check(notes.includes('never leave') && notes.includes('cut to 240 of its 360 steps'), `notes: ${notes}`);
  // A long test: progress shows, Cancel stops it and keeps the last table.
  await page.goto(base + '#datadao-stress?v=1');
  await page.waitForFunction(() => Number(document.querySelector('#ds-progress')?.getAttribute('value') || 0) > 0, null, { timeout: 30000 });
  const t0 = Date.now();
  await page.click('#ds-cancel');
  await page.waitForSelector('#ds-progress', { state: 'hidden' });
  check(Date.now() - t0 < 1500, `Cancel took ${Date.now() - t0} ms`);
  check((await page.textContent('#ds-run-text')).startsWith('Cancelled'), 'Cancel');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(base + frag);
  await waitReady(page, frag);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `page is ${width}px wide at 390px`);
  await page.screenshot({ path: path.join(artifacts, 'stress-mobile.png'), fullPage: true });
  await page.close();
});

test('Stress: the Commons\' table equals the CLI\'s; other policies are said to do nothing', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#commons-stress?stress_runs=3&days=200&price_stabilizer=on&scenarios=bull;bear&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const csvFile = path.join(artifacts, 'cli-commons-stress.csv');
  stressCli('commons', frag, ['--csv', csvFile]);
  const tableCsv = await page.getAttribute('#ms-table table', 'data-csv');
  check(tableCsv === fs.readFileSync(csvFile, 'utf8'), 'the page\'s Commons stress table differs from the CLI\'s');
  // The Commons DAO tab: its health box, and a note that the inflation controller does nothing.
  const dao = '#commons-dao?days=120&runs=2&inflation_controller=on&v=1';
  await page.goto(base + dao);
  await waitReady(page, dao);
  check(await page.$$eval('#dao-health-checks li', (l) => l.length) === 4, 'the Commons DAO health checks');
  const body = await page.textContent('#commons-dao');
  check(body.includes('no emission to control'), 'no note for the inflation controller');
  await page.close();
});

test('Policies: a model view\'s health box and interventions match the CLI\'s; --set policy=on reads the same link', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#crowdtrain?months=12&runs=3&inflation_controller=on&price_stabilizer=on&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const want = JSON.parse(execFileSync(cli, ['crowdtrain', '--months', '12', '--runs', '3', '--set', 'inflation_controller=on', '--set', 'price_stabilizer=on', '--json'], { encoding: 'utf8' }));
  check(want.params === frag, `the CLI's link ${want.params}`);
  const checks = await page.$$eval('#ct-health-checks li', (l) => l.map((e) => [e.dataset.metric, Number(e.dataset.value), e.className]));
  check(checks.length === 4, `${checks.length} checks`);
  for (const [metric, value, cls] of checks) {
    const c = want.health.checks[metric];
    check(c && c.value === value && (c.pass ? 'pass' : 'fail') === cls, `${metric}: page ${value} ${cls}, CLI ${c && c.value} ${c && c.pass}`);
  }
  const log = await page.$$eval('#ct-health-log li', (l) => l.length);
  check(log === want.health.log.length && log > 0, `interventions ${log} vs ${want.health.log.length}`);
  // The panel's Policies sections: turning one on goes into the link.
  await page.click('label[for=crowdtrain-p-value_distribution-on]');
  await page.waitForFunction(() => location.hash.includes('value_distribution=on'));
  await page.close();
});


// ---- First steps: what a new user meets (research fields, the panel, estimates, units, history,
// orientation, the research's assumptions, phones, and the smaller things) ----

async function waitAnyReady(page) {
  await page.waitForFunction(() => document.getElementById('app')?.dataset.status === 'ready', null, { timeout: 60000 });
}

test('First steps: research tabs show their defaults in every field from the start', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  for (const tab of ['crowdtrain-research', 'commons-research']) {
    await page.goto(base + '#' + tab);
    await waitAnyReady(page);
    const empty = await page.$$eval(`#${tab} aside input[type=text][id^="${tab}-p-"]`, (xs) => xs.filter((x) => x.value.trim() === '').map((x) => x.id));
    check(empty.length === 0, `${tab}: empty fields ${empty.join(', ')}`);
    const budget = await page.inputValue(`#${tab}-p-budget`);
    const runLine = await page.textContent(`#${tab === 'crowdtrain-research' ? 'rs' : 'rc'}-run-text`);
    check(runLine.includes(`${budget} experiments`), `${tab}: budget ${budget} but the run line says: ${runLine}`);
    const seed = await page.inputValue(`#${tab}-p-research_seed`);
    check(seed !== '', `${tab}: no research seed`);
  }
  await page.close();
});

test('First steps: the side panel fits its column at 1280 px and its drawer at 390 px', async ({ browser, base }) => {
  const frags = ['#crowdtrain?dynamic_rewards=on&runs=4&months=6&v=1', '#datadao?total_steps=60&v=1',
    '#crowdtrain-stress?stress_runs=2&months=6&v=1', '#datadao-stress?stress_runs=2&total_steps=60&v=1',
    '#commons-stress?stress_runs=2&days=60&v=1', '#crowdtrain-research', '#commons-dao?runs=2&days=60&v=1'];
  const overflow = (tab) => {
    const a = document.querySelector(`#${tab} aside.side`);
    const r = a.getBoundingClientRect();
    const bad = [];
    if (a.scrollWidth > a.clientWidth + 1) bad.push(`panel content ${a.scrollWidth}px in ${a.clientWidth}px`);
    for (const e of a.querySelectorAll('*')) {
      const b = e.getBoundingClientRect();
      if (b.width > 0 && b.right > r.right + 1) bad.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className} ends at ${Math.round(b.right)} > ${Math.round(r.right)}`);
    }
    return bad.slice(0, 4);
  };
  for (const [w, h] of [[1280, 800], [390, 844]]) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    for (const frag of frags) {
      await page.goto(base + frag);
      await waitAnyReady(page);
      const tab = frag.slice(1).split('?')[0];
      if (w < 900) await page.click(`#${tab}-drawer-toggle`);
      const bad = await page.evaluate(overflow, tab);
      check(bad.length === 0, `${frag} at ${w}px: ${bad.join('; ')}`);
    }
    await page.close();
  }
});

test('First steps: the run bar\'s plan describes the whole run, not one worker\'s share', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base + '#crowdtrain?runs=200&months=12&v=1');
  await waitAnyReady(page);
  const plan = await page.textContent('#ct-run-plan');
  const workers = await page.evaluate(() => Math.min(navigator.hardwareConcurrency || 1, 16));
  check(plan.includes('200 runs × 12 months'), `plan: ${plan}`);
  if (workers > 1) check(plan.includes(`over ${workers} workers`), `plan: ${plan}`);
  await page.close();
});

test('First steps: stress views say each model\'s own units (price index, DAI, xDAI; steps)', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const [frag, prefix, price, money, steps] of [
    ['#crowdtrain-stress?stress_runs=2&months=12&scenarios=bear&v=1', 'cs', 'price index (not USD)', 'USD', '12 months'],
    ['#commons-stress?stress_runs=2&days=60&scenarios=bear&v=1', 'ms', 'DAI per token', 'DAI', '60 days'],
    ['#datadao-stress?stress_runs=2&total_steps=60&scenarios=bear&v=1', 'ds', 'xDAI per dDT', 'xDAI', '60 steps'],
  ]) {
    await page.goto(base + frag);
    await waitReady(page, frag);
    const fan = await page.textContent(`#${prefix}-chart-fan-summary`);
    check(fan.includes(price) && fan.includes(steps), `${frag}: ${fan}`);
    check(!/\d USD/.test(fan.replace('(not USD)', '')), `${frag}: a price in USD: ${fan}`);
    await page.selectOption(`#${prefix}-series`, '4');
    await page.waitForFunction((id) => document.getElementById(id).textContent.startsWith('Treasury'), `${prefix}-chart-fan-summary`);
    const treasury = await page.textContent(`#${prefix}-chart-fan-summary`);
    check(new RegExp(`median [^ ]+ ${money} at the end`).test(treasury), `${frag}: ${treasury}`);
  }
  await page.close();
});

test('First steps: each settled edit is a history entry; Back and Forward undo and redo it, the tab too', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base + '#commons?v=1');
  await waitReady(page, '#commons?v=1');
  const start = await page.evaluate(() => history.length);
  await page.fill('#commons-p-kappa', '3');
  await waitReady(page, '#commons?kappa=3&v=1');
  await page.waitForTimeout(1200);
  await page.fill('#commons-p-exit_tribute', '0.2');
  await waitReady(page, '#commons?kappa=3&exit_tribute=0.2&v=1');
  await page.waitForTimeout(1200);
  const after = await page.evaluate(() => history.length);
  check(after === start + 2, `history grew from ${start} to ${after}`);
  await page.goBack();
  await waitReady(page, '#commons?kappa=3&v=1');
  check(await page.inputValue('#commons-p-exit_tribute') === '0.35', 'Back did not undo the exit tribute in the panel');
  await page.goBack();
  await waitReady(page, '#commons?v=1');
  check(await page.inputValue('#commons-p-kappa') === '2', 'Back did not undo κ');
  await page.goForward();
  await waitReady(page, '#commons?kappa=3&v=1');
  // A tab switch is an entry too: Back returns to the Commons as it was.
  await page.click('#nav-conviction');
  await page.waitForFunction(() => (document.getElementById('app').dataset.fragment || '').startsWith('#conviction') && document.getElementById('app').dataset.status === 'ready');
  await page.goBack();
  await waitReady(page, '#commons?kappa=3&v=1');
  check(await page.isVisible('#commons'), 'Back did not return to the Commons tab');
  await page.close();
});

test('First steps: the overview on a first visit, tabs grouped by model, and each tab says what it is at its top', async ({ browser, base }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(base);
  await waitAnyReady(page);
  check(await page.isVisible('#welcome'), 'no overview on a first visit');
  check(await page.locator('.welcome-model').count() === 3, 'the overview does not show the three models');
  const groups = await page.$$eval('nav.tabs .tab-group', (gs) => gs.map((g) => [g.querySelector('.group-name').textContent, g.querySelectorAll('a.tab').length]));
  check(JSON.stringify(groups) === JSON.stringify([['Commons', 5], ['CrowdTrain', 3], ['dataDAO', 2]]), `nav groups ${JSON.stringify(groups)}`);
  await page.screenshot({ path: path.join(artifacts, 'welcome-desktop.png') });
  await page.click('.welcome-model:has(h3:text("CrowdTrain")) a.begin');
  await waitAnyReady(page);
  check((await page.evaluate(() => location.hash)).startsWith('#crowdtrain'), 'Begin did not open CrowdTrain');
  check(!(await page.isVisible('#welcome')), 'the overview stays open after Begin');
  const what = await page.locator('#ct-what').boundingBox();
  check(what && what.y < 400, `CrowdTrain's "what is it" is ${what && what.y}px down`);
  const info = await page.$$eval('#ct-info summary', (s) => s.map((e) => e.textContent));
  check(!info.includes('What is it'), 'Info repeats "What is it"');
  // Remembered: the bare page opens on the first tab; Start here opens the overview again.
  await page.goto(base);
  await waitAnyReady(page);
  check(!(await page.isVisible('#welcome')), 'the overview is shown again after it was closed');
  await page.click('#start-here');
  check(await page.isVisible('#welcome'), 'Start here does not open the overview');
  for (const tab of ['commons', 'commons-dao', 'conviction', 'crowdtrain', 'datadao', 'crowdtrain-research', 'crowdtrain-stress']) {
    const prefix = { commons: '', 'commons-dao': 'dao-', conviction: 'cv-', crowdtrain: 'ct-', datadao: 'dd-', 'crowdtrain-research': 'rs-', 'crowdtrain-stress': 'cs-' }[tab];
    const text = await page.textContent(`#${prefix}what`);
    check(text.length > 80, `${tab}: what is it: ${text}`);
  }
  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(base + '#datadao-stress?stress_runs=2&total_steps=60&v=1');
  await waitAnyReady(phone);
  const header = await phone.locator('header.top').boundingBox();
  check(header.height < 844 * 0.12, `the header takes ${Math.round(header.height)}px of 844`);
  const inNav = await phone.evaluate(() => {
    const a = document.querySelector('nav.tabs a.active').getBoundingClientRect();
    const n = document.querySelector('nav.tabs').getBoundingClientRect();
    return a.left >= n.left - 1 && a.right <= n.right + 1;
  });
  check(inNav, 'the visible tab is scrolled out of the phone\'s navigation');
  // "What is it" takes a few lines on a phone; More shows the rest.
  const cut = (await phone.locator('#ds-what').boundingBox()).height;
  await phone.click('#ds-what .what-more');
  const whole = (await phone.locator('#ds-what').boundingBox()).height;
  check(cut < 200 && whole > cut, `what is it: ${cut}px cut, ${whole}px whole`);
  await phone.screenshot({ path: path.join(artifacts, 'nav-phone.png') });
  await ctx.close();
});

test('First steps: research marks levers and assumptions, and one switch holds the assumptions fixed', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base + '#crowdtrain-research');
  await waitAnyReady(page);
  check(await page.locator('#rs-space .dim-kind.assumption').count() === 3, 'three assumptions about people');
  check(await page.locator('#rs-space .dim-kind.lever').count() === 18, 'eighteen design levers');
  check(!(await page.isChecked('#rs-hold-assumptions')), 'the assumptions are held by default (the seed frees them)');
  await page.check('#rs-hold-assumptions');
  await page.waitForFunction(() => location.hash.includes('fixed='));
  for (const dim of ['staking_churn_reduction', 'earnings_churn_reduction', 'nft_retention_bonus']) {
    check(!(await page.isChecked(`#rs-fixed-${dim}`)), `${dim} is still searched`);
  }
  check(await page.isChecked('#rs-fixed-initial_supply'), 'a lever was fixed');
  await page.uncheck('#rs-hold-assumptions');
  await page.waitForFunction(() => !location.hash.includes('fixed='));
  await page.close();
});

test('First steps: phones: the stress table keeps its Metric column in view when scrolled', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const frag = '#crowdtrain-stress?stress_runs=2&months=12&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  const [before, after] = await page.evaluate(() => {
    const wrap = document.querySelector('#cs-table');
    const cell = wrap.querySelector('tbody th');
    const x0 = cell.getBoundingClientRect().left;
    wrap.scrollLeft = 400;
    return [x0, cell.getBoundingClientRect().left];
  });
  check(Math.abs(after - before) < 1, `the Metric column moved from ${before} to ${after}`);
  await page.close();
});

test('First steps: notes in the banner, keyboard tabs keep focus, readable contrast, whole counts, the stale note', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(base + '#datadao?share_degen=0.6&total_steps=60&v=1');
  await waitAnyReady(page);
  check(await page.isVisible('#dd-issues') && (await page.textContent('#dd-issues')).includes('add up to'), 'the shares\' rescaling is not in the banner');
  // Enter on a tab of the navigation opens it and keeps the focus there.
  await page.focus('#nav-crowdtrain');
  await page.keyboard.press('Enter');
  await waitAnyReady(page);
  check(await page.evaluate(() => document.activeElement && document.activeElement.id) === 'nav-crowdtrain', 'Enter on a tab dropped the focus');
  await page.goto(base + '#crowdtrain?runs=4&months=12&v=1');
  await waitAnyReady(page);
  // Text on the tinted pass/fail boxes: at least 4.5:1.
  const worst = await page.evaluate(() => {
    const lum = (c) => { const v = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    let min = 99;
    for (const e of document.querySelectorAll('#crowdtrain .health li .target, #crowdtrain .health li .verdict')) {
      let bg = null; for (let p = e; p && !bg; p = p.parentElement) { const b = getComputedStyle(p).backgroundColor; if (b && !b.includes('0)') && b !== 'transparent') bg = b; }
      const [a, b] = [lum(getComputedStyle(e).color), lum(bg)];
      min = Math.min(min, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
    }
    return min;
  });
  check(worst >= 4.5, `contrast ${worst.toFixed(2)}:1 on the health boxes`);
  const active = await page.textContent('#ct-m-active_operators_final');
  const label = await page.textContent('#ct-metrics .metric:has(#ct-m-active_operators_final) .metric-label');
  check(/^[\d,]+$/.test(active.trim()) && label.includes('mean'), `active operators "${active}" labelled "${label}"`);
  // A value not taken: the stale note says so, rather than "press Run".
  await page.fill('#crowdtrain-p-runs', 'abc');
  await page.waitForSelector('#ct-stale:not([hidden])');
  const stale = await page.textContent('#ct-stale');
  check(stale.includes('not taken') && !stale.includes('press Run'), `stale note: ${stale}`);
  await page.close();
});

test('First steps: the scenario form and the scenarios text stay in step, both ways, with the link', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const frag = '#crowdtrain-stress?stress_runs=2&months=12&scenarios=bear;crash:6+1,price*0.5&v=1';
  await page.goto(base + frag);
  await waitReady(page, frag);
  check(await page.locator('#cs-shocks [data-scenario]').count() === 2, 'two scenarios in the form');
  const row = page.locator('#cs-shocks [data-scenario="1"] [data-shock="0"]');
  check(await row.locator('[name=start]').inputValue() === '6' && await row.locator('[name=factor]').inputValue() === '0.5', 'the crash row');
  await row.locator('[name=factor]').fill('0.4');
  await page.waitForFunction(() => location.hash.includes('crash:6+1,price*0.4'));
  check(await page.inputValue('#crowdtrain-stress-p-scenarios') === 'bear;crash:6+1,price*0.4', 'the text field did not follow the form');
  await page.click('#cs-shock-add');
  await page.waitForFunction(() => location.hash.includes('shock1:1+1,price*0.5'));
  await page.click('#cs-shocks [data-scenario="1"] [data-action=add-shock]');
  await page.waitForFunction(() => /crash:6\+1,price\*0\.4\/1\+1,price\*0\.5/.test(location.hash));
  await page.fill('#crowdtrain-stress-p-scenarios', 'bull');
  await page.waitForFunction(() => document.querySelectorAll('#cs-shocks [data-scenario]').length === 1);
  check((await page.textContent('#cs-shocks [data-scenario="0"]')).includes('bull'), 'the form did not follow the text');
  await page.screenshot({ path: path.join(artifacts, 'scenario-form.png') });
  await page.close();
});

test('First steps: a long single Commons run is allowed; a crowded day shows its leading candidates on a phone', async ({ browser, base }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const long = '#commons-dao?arrival_rate=5&days=3650&runs=1&v=1';
  await page.goto(base + long);
  await waitReady(page, long);
  check(!(await page.isVisible('#dao-worker-error')), 'a 10-year run with arrivals ×5 was refused');
  await page.close();
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const crowded = '#commons-dao?days=1460&runs=2&v=1';
  await phone.goto(base + crowded);
  await waitReady(phone, crowded);
  await phone.waitForSelector('#dao-leading-conviction:not([hidden])', { timeout: 20000 });
  const note = await phone.textContent('#dao-leading-conviction .leading-text');
  const m = note.match(/The 10 candidates closest to passing, of (\d+)\./);
  check(m && Number(m[1]) > 10, `note: ${note}`);
  await phone.click('#dao-show-all-conviction');
  await phone.waitForFunction(() => document.querySelector('#dao-leading-conviction .leading-text').textContent.startsWith('All '));
  await phone.screenshot({ path: path.join(artifacts, 'dao-leading-phone.png'), fullPage: true });
  await phone.close();
});

async function main() {
  check(fs.existsSync(path.join(dist, 'index.html')), `no built site at ${dist} (run trunk build --release)`);
  check(fs.existsSync(cli), `no CLI at ${cli} (run cargo build --release -p flywheel-cli)`);
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let passed = 0;
  let failed = 0;
  // E2E_ONLY=text runs only the tests whose name contains the text.
  const only = process.env.E2E_ONLY;
  for (const t of tests.filter((x) => !only || x.name.includes(only))) {
    const errors = [];
    const started = Date.now();
    try {
      await t.fn({ browser, base, errors });
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${String(e && e.stack || e).split('\n').slice(0, 4).join('\n     ')}`);
    }
  }
  await browser.close();
  server.close();
  console.log(`screenshots: ${artifacts}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); console.log('e2e: 0 passed, 1 failed'); process.exit(1); });
