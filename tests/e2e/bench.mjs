// Browser timing (for BENCHMARKS.md), as measured by the page and its worker (performance.now()):
// - Commons: how long an edit takes until the numbers and all charts are redrawn;
// - CrowdTrain: the default 20-run Monte Carlo (worker time and request to charts drawn), and the
//   1,000,000-operator scale run's time and the worker's wasm memory;
// - Research: experiments per minute with 1, 2 and every worker.
//
//   node tests/e2e/bench.mjs        (after trunk build --release; BENCH_ONLY=research for one part)
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.DIST || path.join(here, '..', '..', 'dist'));
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((q, r) => {
  let p = new URL(q.url, 'http://127.0.0.1').pathname;
  if (p.endsWith('/')) p += 'index.html';
  fs.readFile(path.join(dist, p), (e, d) => {
    if (e) { r.writeHead(404); r.end(); return; }
    r.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream' });
    r.end(d);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
// BENCH_ONLY=commons|crowdtrain|datadao|research|stress runs one part.
const ONLY = process.env.BENCH_ONLY || '';
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length * 0.95)]; };
if (!ONLY || ONLY === 'commons') for (const [w, h, dpr] of [[1280, 900, 1], [360, 780, 2]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: dpr });
  const t0 = Date.now();
  await page.goto(base + '#commons?v=1');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready');
  const firstLoad = Date.now() - t0;
  const total = [], worker = [], draw = [];
  for (let i = 0; i < 40; i++) {
    const kappa = String(Number((1.5 + (i % 20) * 0.1).toFixed(1)));
    const r = await page.evaluate(async (kappa) => {
      const input = document.getElementById('commons-p-kappa');
      const app = document.getElementById('app');
      const start = performance.now();
      input.value = kappa;
      input.dispatchEvent(new Event('input'));
      // Wait without polling (a polling loop would compete with the page for the main thread).
      await new Promise((resolve) => {
        const done = () => app.dataset.status === 'ready' && app.dataset.fragment.includes(`kappa=${kappa}`);
        if (done()) { resolve(); return; }
        const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
        obs.observe(app, { attributes: true });
      });
      const end = performance.now();
      const m = document.getElementById('timing').textContent.match(/round trip ([\d.]+) ms · drawn in ([\d.]+) ms/);
      return { total: end - start, worker: Number(m[1]), draw: Number(m[2]) };
    }, kappa === '2' ? '2.05' : kappa);
    total.push(r.total); worker.push(r.worker); draw.push(r.draw);
  }
  console.log(`${w}x${h} @${dpr}x: first load to first chart ${firstLoad} ms; edit → redrawn median ${median(total).toFixed(1)} ms (p95 ${p95(total).toFixed(1)}); worker round trip median ${median(worker).toFixed(1)} ms; drawing the three charts median ${median(draw).toFixed(1)} ms`);
  await page.close();
}

// CrowdTrain: press Run repeatedly on the defaults; the worker reports its own time and memory.
async function ctRun(page) {
  return page.evaluate(async () => {
    const text = document.getElementById('ct-run-text');
    const before = text.dataset.totalMs;
    document.getElementById('ct-run').click();
    await new Promise((resolve) => {
      const done = () => text.dataset.totalMs !== before && text.dataset.workerMs && text.textContent.includes('in the worker');
      if (done()) { resolve(); return; }
      const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
      obs.observe(text, { attributes: true, childList: true, subtree: true, characterData: true });
    });
    return { worker: Number(text.dataset.workerMs), total: Number(text.dataset.totalMs), memory: Number(text.dataset.memoryBytes) };
  });
}
if (!ONLY || ONLY === 'crowdtrain') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '#crowdtrain?v=1');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready');
  const worker = [], total = [];
  for (let i = 0; i < 12; i++) {
    const r = await ctRun(page);
    worker.push(r.worker); total.push(r.total);
  }
  console.log(`CrowdTrain 20 runs x 24 months (defaults), 12 runs in one worker: in the worker median ${median(worker).toFixed(0)} ms (min ${Math.min(...worker).toFixed(0)}, max ${Math.max(...worker).toFixed(0)}); request to result median ${median(total).toFixed(0)} ms`);
  await page.goto(base + '#crowdtrain?runs=1&scale=33&v=1');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready' && location.hash.includes('scale=33'));
  const scale = [];
  for (let i = 0; i < 3; i++) scale.push(await ctRun(page));
  const ever = await page.$eval('#ct-metrics', (m) => Number(m.dataset.totalOperatorsEverMean));
  console.log(`CrowdTrain scale run (${ever} operators, 24 months): in the worker ${scale.map((r) => r.worker.toFixed(0)).join(' / ')} ms; worker wasm memory ${(Math.max(...scale.map((r) => r.memory)) / 1048576).toFixed(1)} MB`);
  await page.close();
}

// dataDAO: 2,000 steps at the defaults, re-run by alternating the pool fee; then 20,000 steps.
async function ddRun(page, fee) {
  return page.evaluate(async (fee) => {
    const text = document.getElementById('dd-run-text');
    const input = document.getElementById('p-fee_rate');
    delete text.dataset.workerMs;
    input.value = fee;
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => {
      const done = () => text.dataset.workerMs && text.textContent.includes('in the worker');
      if (done()) { resolve(); return; }
      const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
      obs.observe(text, { attributes: true, childList: true, subtree: true, characterData: true });
    });
    return { worker: Number(text.dataset.workerMs), memory: Number(text.dataset.memoryBytes) };
  }, fee);
}
if (!ONLY || ONLY === 'datadao') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const [name, frag] of [['as described', '#datadao?v=1'], ['original code', '#datadao?fee_pot=original&degen_reinvest=original&power_overspend=original&pie_distribution=original&v=1']]) {
    await page.goto(base + frag);
    await page.waitForFunction((f) => document.getElementById('app').dataset.status === 'ready' && location.hash === f, frag);
    const worker = [];
    for (let i = 0; i < 10; i++) worker.push((await ddRun(page, i % 2 ? '0.003' : '0.0031')).worker);
    console.log(`dataDAO 2,000 steps (${name}), 10 runs: in the worker median ${median(worker).toFixed(0)} ms (min ${Math.min(...worker).toFixed(0)}, max ${Math.max(...worker).toFixed(0)})`);
  }
  await page.goto(base + '#datadao?total_steps=20000&v=1');
  await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready' && document.getElementById('dd-run-text').dataset.memoryBytes, null, { timeout: 120000 });
  const big = await page.$eval('#dd-run-text', (e) => ({ ...e.dataset }));
  const agents = await page.$eval('#dd-metrics', (m) => ['degen', 'organization', 'power', 'active', 'casual'].reduce((a, k) => a + Number(m.dataset['agents' + k[0].toUpperCase() + k.slice(1)]), 0));
  console.log(`dataDAO 20,000 steps (${agents} agents at the end): in the worker ${Number(big.workerMs).toFixed(0)} ms; worker wasm memory ${(big.memoryBytes / 1048576).toFixed(1)} MB`);
  await page.close();
}

// Research: experiments per minute at the defaults (each a 20-run Monte Carlo) with 1, 2 and
// every worker the browser reports; timed from Start until the 81st experiment is in (the
// baseline and ten batches of eight), so the analysis after the search is not counted. The
// CrowdTrain tab's own Monte Carlo over the workers, for comparison with one worker.
if (!ONLY || ONLY === 'research') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const workers of [...new Set([1, 2, cores])]) {
    const frag = '#crowdtrain-research?budget=81&v=1';
    await page.goto(base + '#commons?v=1');
    await page.goto(base + frag);
    await page.waitForFunction(() => document.getElementById('app').dataset.status === 'ready');
    await page.fill('#rs-workers', String(workers));
    await page.dispatchEvent('#rs-workers', 'change');
    const ms = await page.evaluate(async () => {
      const m = document.getElementById('rs-metrics');
      const t0 = performance.now();
      document.getElementById('rs-start').click();
      await new Promise((resolve) => {
        const done = () => Number(m.dataset.experiments) >= 81;
        const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
        obs.observe(m, { attributes: true });
      });
      return performance.now() - t0;
    });
    console.log(`Research at the defaults, ${workers} worker(s) of ${cores} cores: 81 experiments in ${(ms / 1000).toFixed(1)} s = ${(81 / (ms / 60000)).toFixed(0)} experiments a minute (${(ms / 81).toFixed(0)} ms each)`);
    // Stop, then skip the analysis.
    for (const _ of [0, 1]) await page.evaluate(() => { const b = document.getElementById('rs-stop'); if (!b.disabled) b.click(); });
  }
  {
    await page.goto(base + '#commons?v=1');
    const frag = '#crowdtrain?runs=200&v=1';
    await page.goto(base + frag);
    const t0 = Date.now();
    await page.waitForFunction((f) => document.getElementById('app').dataset.status === 'ready' && document.getElementById('app').dataset.fragment === f, frag, { timeout: 120000 });
    console.log(`CrowdTrain tab, 200 runs over ${cores} workers: ${Date.now() - t0} ms from the link to the charts`);
  }
  await page.close();
}

// Stress tests: every library scenario and the baseline × 20 runs at the defaults, over every
// worker the browser reports; timed from the link to the table (five times each, after one
// warm-up), from the run bar's finished line.
if (!ONLY || ONLY === 'stress') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const [tab, prefix] of [['crowdtrain-stress', 'cs-'], ['datadao-stress', 'ds-'], ['commons-stress', 'ms-']]) {
    const times = [];
    for (let i = 0; i < 6; i++) {
      // A different threshold each time forces a new run (the table is the same work).
      const frag = `#${tab}?threshold=${String((31 + i) / 100)}&v=1`;
      await page.goto(base + '#commons?v=1');
      const t0 = Date.now();
      await page.goto(base + frag);
      await page.waitForFunction((f) => document.getElementById('app').dataset.status === 'ready' && document.getElementById('app').dataset.fragment === f, frag, { timeout: 120000 });
      const wall = Date.now() - t0;
      if (i > 0) times.push(wall);
    }
    console.log(`${tab}: every scenario × 20 runs over ${cores} workers: median ${median(times)} ms from the link to the table (of ${times.join(', ')})`);
  }
  await page.close();
}

await browser.close();
server.close();
