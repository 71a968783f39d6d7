// npm run bench: every figure and ratio on one line each, measured in this one run.
// Simulators run in this process; each gateway and the baseline run as their own processes.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { SIM_KEYS, fmt, load, percentile, rssMb, startBaseline, startGateway, startSimulator, timeGet } from './support.mjs';

const execFileAsync = promisify(execFile);
const only = process.argv.slice(2);
const WARM_ROUNDS = 5;
const COLD_ROUNDS = 5;
const wanted = (name) => only.length === 0 || only.includes(name);
const results = [];
const report = (line) => {
  results.push(line);
  console.log(line);
};

/**
 * Both simulators in their own processes. The vendors' request limits are on
 * (as upstream) unless `limits` is false: the benchmarks that measure the
 * gateway's own CPU path (cold, scale, peer) walk far more than the limits
 * allow per minute and turn them off, with budgets to match; large-tenant
 * measures walking under them.
 */
async function simulators(count, latencyMs = 0, { limits = true } = {}) {
  const [invent, bv] = await Promise.all([startSimulator('invent', count, latencyMs, { limits }), startSimulator('bv', count, latencyMs, { limits })]);
  return { invent, bv, stop: () => Promise.all([invent.stop(), bv.stop()]) };
}

const UNLIMITED = { INVENT_REQUESTS_PER_MINUTE: '100000', BV_REQUESTS_PER_MINUTE: '100000' };

const gatewayEnv = (sims, extra = {}) => ({
  INVENT_API_KEY: SIM_KEYS.invent,
  INVENT_BASE_URL: sims.invent.url,
  BV_ACCESS_TOKEN: SIM_KEYS.bv,
  BV_BASE_URL: sims.bv.url,
  ...extra,
});

async function warmThroughput() {
  const sims = await simulators(5000);
  const gateway = await startGateway(gatewayEnv(sims, { CACHE_TTL_SECONDS: '3600' }));
  try {
    const path = '/v1/sub-orgs?pageSize=20';
    await timeGet(gateway.url + path);
    const body = Buffer.from(await (await fetch(gateway.url + path)).arrayBuffer());
    const bytesBaseline = await startBaseline(body);
    const stringifyBaseline = await startBaseline(body, { serialize: true });
    try {
      // The machine is noisy (the baseline alone swings 2x between runs), so gateway and baselines take
      // turns in short rounds and the ratio is the median of the per-round ratios.
      for (const url of [bytesBaseline.url, stringifyBaseline.url, gateway.url + path]) await load(url, { duration: 2 });
      const rounds = [];
      for (let round = 0; round < WARM_ROUNDS; round++) {
        const ours = await load(gateway.url + path, { duration: 3 });
        const bare = await load(bytesBaseline.url, { duration: 3 });
        const bareStringify = await load(stringifyBaseline.url, { duration: 3 });
        rounds.push({ ours, bare, bareStringify });
      }
      const median = (pick) => percentile(rounds.map(pick), 50);
      const ratios = rounds.map((r) => r.ours.rps / r.bare.rps);
      report(
        `warm-throughput (2x5000, pageSize=20, ${body.length} B, 50 conns, median of ${WARM_ROUNDS} interleaved 3 s rounds): gateway ${fmt(median((r) => r.ours.rps), 0)} req/s p50 ${median((r) => r.ours.p50)} ms p99 ${median((r) => r.ours.p99)} ms | node:http pre-encoded bytes ${fmt(median((r) => r.bare.rps), 0)} req/s p50 ${median((r) => r.bare.p50)} ms p99 ${median((r) => r.bare.p99)} ms -> ratio ${fmt(percentile(ratios, 50), 2)} (rounds ${ratios.map((r) => fmt(r, 2)).join(' ')}) | node:http JSON.stringify per request ${fmt(median((r) => r.bareStringify.rps), 0)} req/s -> ratio ${fmt(percentile(rounds.map((r) => r.ours.rps / r.bareStringify.rps), 50), 2)} (target >= 0.23, the Node 24 figure before the foundation work)`,
      );
    } finally {
      await Promise.all([bytesBaseline.stop(), stringifyBaseline.stop()]);
    }
  } finally {
    await gateway.stop();
    await sims.stop();
  }
}

/** A direct walk in a fresh process, so it starts as cold as a freshly started gateway: ms until both (or one) are walked. */
async function freshDirectWalk(sims, providers, concurrency) {
  const { stdout } = await execFileAsync(process.execPath, [new URL('./direct-walk.mjs', import.meta.url).pathname, JSON.stringify({ invent: sims.invent.url, bv: sims.bv.url, providers, concurrency, keys: SIM_KEYS })]);
  return Number(stdout.trim());
}

/** The first listing of a freshly started gateway, walk included. */
async function freshFirstListing(env, path) {
  const gateway = await startGateway(env);
  try {
    return (await timeGet(gateway.url + path)).ms;
  } finally {
    await gateway.stop();
  }
}

/**
 * The first listing of a freshly started gateway against the same walks done
 * directly (fetch, 4 pages at a time) from a fresh process: both sides start
 * with cold code, as after a deploy. Median of several rounds, after one
 * unmeasured round that warms the simulators.
 */
async function coldLatency() {
  const sims = await simulators(5000, 20, { limits: false });
  const env = gatewayEnv(sims, UNLIMITED);
  const both = '/v1/sub-orgs?pageSize=20';
  const bvOnly = '/v1/sub-orgs?pageSize=20&provider=bv';
  try {
    await freshFirstListing(env, both);
    const figures = { gateway: [], gatewayBv: [], direct: [], directBv: [], directTogether: [] };
    for (let run = 0; run < COLD_ROUNDS; run++) {
      figures.gateway.push(await freshFirstListing(env, both));
      figures.gatewayBv.push(await freshFirstListing(env, bvOnly));
      const bvMs = await freshDirectWalk(sims, ['bv'], 4);
      figures.directBv.push(bvMs);
      figures.direct.push(Math.max(bvMs, await freshDirectWalk(sims, ['invent'], 4)));
      // Context, not the target: both walked at once, sharing the machine's cores as the gateway's two walks do.
      figures.directTogether.push(await freshDirectWalk(sims, ['invent', 'bv'], 4));
    }
    const median = (name) => percentile(figures[name], 50);
    report(
      `cold-latency (2x5000, 20 ms/page, concurrency 4, fresh processes, median of ${COLD_ROUNDS}): gateway both providers ${fmt(median('gateway'), 0)} ms (${figures.gateway.map((ms) => fmt(ms, 0)).join(' ')}) vs slowest provider walked directly ${fmt(median('direct'), 0)} ms -> ratio ${fmt(median('gateway') / median('direct'), 2)} (target <= 1.2) | gateway bv only ${fmt(median('gatewayBv'), 0)} ms vs bv walked directly ${fmt(median('directBv'), 0)} ms -> ratio ${fmt(median('gatewayBv') / median('directBv'), 2)} | context: both walked directly at once ${fmt(median('directTogether'), 0)} ms -> gateway ratio ${fmt(median('gateway') / median('directTogether'), 2)}`,
    );
  } finally {
    await sims.stop();
  }
}

async function scale(count) {
  const sims = await simulators(count, 0, { limits: false });
  const gateway = await startGateway(gatewayEnv(sims, { CACHE_TTL_SECONDS: '3600', LISTING_DEADLINE_MS: '300000', UPSTREAM_CONCURRENCY: '8', ...UNLIMITED }));
  try {
    const cold = await timeGet(`${gateway.url}/v1/sub-orgs?pageSize=20`);
    const cursor = (await timeGet(`${gateway.url}/v1/sub-orgs?pageSize=50&sort=-createdAt&status=active`)).body.page.nextCursor;
    const shapes = {
      'q+sort': '/v1/sub-orgs?q=z%C3%BCrich&sort=-createdAt&pageSize=20',
      'status+type+sort': '/v1/sub-orgs?status=active,pending&type=reseller,business&sort=name&pageSize=50',
      'deep page': `/v1/sub-orgs?page=${Math.floor((2 * count) / 25) - 3}&pageSize=25&sort=createdAt`,
      cursor: `/v1/sub-orgs?pageSize=50&sort=-createdAt&status=active&cursor=${cursor}`,
    };
    const parts = [];
    for (const [name, path] of Object.entries(shapes)) {
      const result = await load(gateway.url + path, { connections: 10, duration: 4 });
      parts.push(`${name} p50 ${result.p50} ms p99 ${result.p99} ms`);
    }
    // Query shapes never seen before pay the filter and merge: 200 distinct ones, one at a time.
    const fresh = await unseenShapes(gateway.url, 200);
    const rss = rssMb(gateway.pid);
    const worstP99 = Math.max(...parts.map((part) => Number(/p99 ([\d.]+)/.exec(part)[1])), percentile(fresh, 99));
    report(
      `scale (2x${count}): cold walk+index ${fmt(cold.ms / 1000, 1)} s | warm ${parts.join(' | ')} | unseen query shapes p50 ${fmt(percentile(fresh, 50))} ms p99 ${fmt(percentile(fresh, 99))} ms | RSS ${rss} MB | worst p99 ${fmt(worstP99)} ms (target <= 50 ms at 2x100000) | RSS target <= 500 MB`,
    );
  } finally {
    await gateway.stop();
    await sims.stop();
  }
}

/**
 * Never-seen query shapes, one at a time, each distinct: a dashboard's mix of
 * narrow searches (`q`), broad filters (status, type) and unfiltered deep
 * pages, over every sort.
 */
async function unseenShapes(url, count) {
  const letters = 'abcdefghiklmnoprstuvz';
  const statuses = ['active', 'inactive', 'pending', 'active,pending'];
  const types = ['business', 'reseller', 'distributor,reseller'];
  const times = [];
  for (let i = 0; i < count; i++) {
    const sort = ['name', '-name', 'createdAt', '-createdAt'][(i >> 2) % 4];
    const page = 1 + (i % 7);
    const filter = [
      `q=${letters[i % letters.length]}${letters[(i * 7) % letters.length]}`,
      `status=${statuses[(i >> 2) % statuses.length]}`,
      `type=${types[(i >> 2) % types.length]}&status=active`,
      `page=${50 + i}`,
    ][i % 4];
    times.push((await timeGet(`${url}/v1/sub-orgs?${filter}&sort=${sort}&pageSize=20${i % 4 === 3 ? '' : `&page=${page}`}`)).ms);
  }
  return times;
}

/**
 * The gateway against a straightforward NestJS + @nestjs/axios BFF
 * (bench/peer), each from fresh processes on the same simulators with 20 ms
 * per upstream page (as in cold-latency): the first listing, walk included
 * (median of several fresh starts), never-seen query shapes after it, and memory.
 */
async function peer() {
  const RUNS = { 5000: 6, 100_000: 4 };
  const SCRIPTS = { ours: 'dist/src/main.js', peer: 'dist/bench/peer/main.js' };
  for (const count of [5000, 100_000]) {
    const sims = await simulators(count, 20, { limits: false });
    const env = gatewayEnv(sims, { CACHE_TTL_SECONDS: '3600', LISTING_DEADLINE_MS: '300000', ...UNLIMITED });
    const figures = { ours: { first: [] }, peer: { first: [] } };
    try {
      // One discarded walk by each first: the simulators build and cache each distinct page URL on its first request
      // (ours ask `page=N&take=100`, the peer `take=100&page=N`), which cost whoever went first twice its walk at 2 x 100k.
      for (const script of Object.values(SCRIPTS)) {
        const warmup = await startGateway(env, script);
        await timeGet(`${warmup.url}/v1/sub-orgs?pageSize=20`).finally(() => warmup.stop());
      }
      for (let run = 0; run < RUNS[count]; run++) {
        // Alternating who goes first, so neither always follows the other's leftovers.
        for (const name of run % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours']) {
          const script = SCRIPTS[name];
          const server = await startGateway(env, script);
          try {
            figures[name].first.push((await timeGet(`${server.url}/v1/sub-orgs?pageSize=20`)).ms);
            // Run 0 right after the first listing (our index still building its columns), run 1 after both settled for 3 s.
            if (count === 100_000 && run === 0) figures[name].unseenAtOnce = await unseenShapes(server.url, 100);
            if (count === 100_000 && run === 1) {
              await new Promise((resolve) => setTimeout(resolve, 3000));
              figures[name].unseen = await unseenShapes(server.url, 100);
            }
            figures[name].rss = rssMb(server.pid);
          } finally {
            await server.stop();
          }
        }
      }
    } finally {
      await sims.stop();
    }
    const { ours, peer: them } = figures;
    const [oursFirst, peerFirst] = [percentile(ours.first, 50), percentile(them.first, 50)];
    const first = `first listing median ours ${fmt(oursFirst, 0)} ms (${ours.first.map((ms) => fmt(ms, 0)).join(' ')}) vs peer ${fmt(peerFirst, 0)} ms (${them.first.map((ms) => fmt(ms, 0)).join(' ')}) -> ratio ${fmt(oursFirst / peerFirst, 2)} (target <= 1)`;
    const shapes = (label, key) =>
      ` | unseen query shapes ${label}: p50 ours ${fmt(percentile(ours[key], 50))} ms vs peer ${fmt(percentile(them[key], 50))} ms, p99 ours ${fmt(percentile(ours[key], 99))} ms vs peer ${fmt(percentile(them[key], 99))} ms -> peer/ours at p99 ${fmt(percentile(them[key], 99) / percentile(ours[key], 99), 1)}x`;
    const unseen = ours.unseen === undefined ? '' : `${shapes('right after the first listing', 'unseenAtOnce')}${shapes('after 3 s', 'unseen')} (target >= 10x)`;
    report(`peer (2x${count}, 20 ms/page, fresh processes, limits off): ${first}${unseen} | RSS ours ${ours.rss} MB, peer ${them.rss} MB`);
  }
}

async function replicas() {
  const sims = await simulators(3000, 20);
  const env = gatewayEnv(sims, { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `bench:${randomUUID()}:` });
  const [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
  try {
    for (const url of [a.url, b.url]) {
      for (let i = 0; i < 100 && (await (await fetch(`${url}/health/ready`)).json()).details?.cache?.status !== 'up'; i++) await new Promise((r) => setTimeout(r, 50));
    }
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${i % 2 ? a.url : b.url}/v1/sub-orgs?pageSize=${1 + (i % 20)}`)));
    const failed = responses.filter((r) => r.status !== 200).length;
    const [inventStats, bvStats] = await Promise.all([sims.invent.stats(), sims.bv.stats()]);
    report(`replicas (2 gateways, 1 Redis, 100 concurrent cold requests): upstream walks invent ${inventStats.walks}, bv ${bvStats.walks} (target 1 each); failed responses ${failed}`);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await sims.stop();
  }
}

/**
 * 100,000 orgs on each platform, the vendors' limits on, 20 ms per page, the
 * gateway's default budgets (Invent 450, bv 240 per rolling minute): time to
 * the complete merged listing against the floor the budgets allow, and what
 * the vendors saw.
 */
async function largeTenant() {
  const count = 100_000;
  const sims = await simulators(count, 20);
  const gateway = await startGateway(gatewayEnv(sims, { CACHE_TTL_SECONDS: '3600' }));
  try {
    const path = '/v1/sub-orgs?pageSize=20';
    const started = performance.now();
    const first = await fetch(gateway.url + path);
    const firstMs = performance.now() - started;
    const firstSources = (await first.json()).sources.map((source) => `${source.provider} ${source.status}`).join(', ');
    let completeMs;
    while (completeMs === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const response = await fetch(gateway.url + path);
      const body = await response.json();
      if (response.status === 200 && !body.partial && body.sources.every((source) => source.status === 'ok')) completeMs = performance.now() - started;
    }
    const [invent, bv] = await Promise.all([sims.invent.stats(), sims.bv.stats()]);
    // Pages each walk needs: Invent ends at its first short (here empty) page; bv says its total.
    const pages = { invent: count / 100 + 1, bv: count / 100 };
    const budgets = { invent: 450, bv: 240 };
    const floorMs = Math.max(...Object.keys(pages).map((key) => (pages[key] / budgets[key]) * 60_000));
    const refused = (stats) => (stats.byStatus['429'] ?? 0) + (stats.byStatus['403'] ?? 0);
    report(
      `large-tenant (2x${count}, limits on, 20 ms/page, default budgets): complete merged listing after ${fmt(completeMs / 1000, 1)} s vs floor ${fmt(floorMs / 1000, 1)} s (pages / budget per minute, slower provider) -> ratio ${fmt(completeMs / floorMs, 3)} (target <= 1.05) | upstream 429/403 answers invent ${refused(invent)}, bv ${refused(bv)} (target 0) | upstream requests invent ${invent.listRequests} for ${pages.invent} pages, bv ${bv.listRequests} for ${pages.bv} (target <= pages + 4) | first request ${fmt(firstMs, 0)} ms, HTTP ${first.status} (${firstSources}) (target <= LISTING_DEADLINE_MS 10000) | RSS ${rssMb(gateway.pid)} MB`,
    );
  } finally {
    await gateway.stop();
    await sims.stop();
  }
}

/**
 * Dashboard features at 2 x 100,000: never-seen listings with all five facets
 * (p50/p99), then an export of every record as CSV read at full speed: its
 * throughput, how long the event loop was held (the worst latency of a probe
 * sent every 10 ms meanwhile) and the RSS growth while it ran.
 */
async function dashboard() {
  const count = 100_000;
  const sims = await simulators(count, 0, { limits: false });
  const gateway = await startGateway(gatewayEnv(sims, { CACHE_TTL_SECONDS: '3600', LISTING_DEADLINE_MS: '300000', ...UNLIMITED }));
  try {
    await timeGet(`${gateway.url}/v1/sub-orgs?pageSize=20`);
    // The index's background columns are built meanwhile; the figures are for a gateway in service.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const letters = 'abcdefghiklmnoprstuvz';
    const statuses = ['active', 'inactive', 'pending', 'active,pending', 'deleted'];
    const facetTimes = [];
    for (let i = 0; i < 100; i++) {
      const filter = [`q=${letters[i % letters.length]}${letters[(i * 7) % letters.length]}`, `status=${statuses[i % statuses.length]}`, `type=reseller&hasSubOrgs=${i % 2 === 0}`, `plan=business,BVONE&page=${1 + i}`][i % 4];
      facetTimes.push((await timeGet(`${gateway.url}/v1/sub-orgs?${filter}&pageSize=20&facets=provider,status,type,plan,parentId`)).ms);
    }

    const rssBefore = rssMb(gateway.pid);
    let rssPeak = rssBefore;
    let probeWorst = 0;
    let exporting = true;
    const probes = (async () => {
      while (exporting) {
        const started = performance.now();
        await fetch(`${gateway.url}/health/live`).then((response) => response.arrayBuffer());
        probeWorst = Math.max(probeWorst, performance.now() - started);
        rssPeak = Math.max(rssPeak, rssMb(gateway.pid));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = performance.now();
    const response = await fetch(`${gateway.url}/v1/sub-orgs/export?format=csv`);
    let bytes = 0;
    let rows = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) rows++;
    }
    const exportMs = performance.now() - started;
    exporting = false;
    await probes;
    const records = rows - 1;
    report(
      `dashboard (2x${count}): listing with all five facets, 100 never-seen shapes: p50 ${fmt(percentile(facetTimes, 50))} ms p99 ${fmt(percentile(facetTimes, 99))} ms (target <= 50 ms) | CSV export of ${records} records (${fmt(bytes / 1048576, 0)} MB) in ${fmt(exportMs / 1000, 1)} s: ${fmt(records / (exportMs / 1000), 0)} records/s | event loop held at most ${fmt(probeWorst, 0)} ms (a /health/live probe every 10 ms; target <= 50 ms) | RSS ${rssBefore} -> peak ${rssPeak} MB, growth ${rssPeak - rssBefore} MB (target <= 50 MB)`,
    );
  } finally {
    await gateway.stop();
    await sims.stop();
  }
}

if (wanted('warm')) await warmThroughput();
if (wanted('cold')) await coldLatency();
if (wanted('scale')) {
  await scale(50_000);
  await scale(100_000);
}
if (wanted('replicas')) await replicas();
if (wanted('peer')) await peer();
if (wanted('dashboard')) await dashboard();
if (wanted('large-tenant')) await largeTenant();
console.log(`\n${results.length} benchmark(s) done`);
