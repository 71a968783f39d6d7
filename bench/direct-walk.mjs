// Walks providers directly, as the floor for a cold listing: the gateway's page size and
// concurrency, page 1 first, fetch and JSON.parse, nothing kept. Run as its own process
// (bench/run.mjs cold-latency) so it starts as cold as a freshly started gateway.
// Prints the milliseconds until every requested provider is walked.
const { invent, bv, providers, concurrency, keys } = JSON.parse(process.argv[2]);

async function walkBv() {
  const get = (page) => fetch(`${bv}/bv/org/v1/sub-orgs?current_page=${page}&items_per_page=100`, { headers: { authorization: `Bearer ${keys.bv}` } }).then((r) => r.json());
  const first = await get(1);
  const pages = Math.ceil(first.pagination.total_items / 100);
  let next = 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next <= pages) await get(next++);
    }),
  );
}

async function walkInvent() {
  const get = (page) => fetch(`${invent}/orgs/c/orgs?page=${page}&take=100`, { headers: { authorization: `Bearer ${keys.invent}` } }).then((r) => r.json());
  const first = await get(1);
  if (first.length < 100) return;
  let next = 2;
  let done = false;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) {
        const page = await get(next++);
        if (page.length < 100) done = true;
      }
    }),
  );
}

const started = performance.now();
await Promise.all(providers.map((provider) => (provider === 'bv' ? walkBv() : walkInvent())));
console.log(Math.round(performance.now() - started));
