// Open-loop load at a fixed rate, from its own process: request n starts at n / rate seconds
// whether or not earlier ones have answered, and its latency counts from that scheduled start,
// so a slow server cannot hide its queue (no coordinated omission). wrk measures the most a
// page can serve; this measures the latency at a given rate.
//
//   node bench/load.mjs --url http://127.0.0.1:3998/ --rate 500 --seconds 10
//        [--method POST --body 'a=1&key=run-{n}' --cookie 'id=…'] [--expect 200]
//
// `{n}` in the body becomes the request's number (unique idempotency keys). Prints one JSON
// object: requests, the rate achieved, p50 / p90 / p99 / max latency in ms, and the answers
// that were not the expected status.
import http from 'node:http';

function options(argv) {
  const o = { method: 'GET', rate: 100, seconds: 10, body: '', cookie: '', expect: 200, warmup: 1 };
  for (let i = 2; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['rate', 'seconds', 'expect', 'warmup']) o[k] = Number(o[k]);
  if (!o.url) throw new Error('--url is required');
  return o;
}

const o = options(process.argv);
const url = new URL(o.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function once(n) {
  return new Promise((resolve) => {
    const body = o.body.replaceAll('{n}', String(n).padStart(10, '0'));
    const headers = { accept: o.method === 'POST' ? 'application/json' : 'text/html' };
    if (o.cookie) headers.cookie = o.cookie;
    if (o.method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: o.method, headers, agent },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve(response.statusCode));
        // A response cut off midway (its server died) ends with 'close' and no 'end': it
        // counts as no answer, status 0 (resolving twice keeps the first).
        response.on('close', () => resolve(response.complete ? response.statusCode : 0));
      },
    );
    request.on('error', () => resolve(0));
    if (o.method === 'POST') request.write(body);
    request.end();
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))];
}

async function run(seconds, record) {
  const total = Math.round(seconds * o.rate);
  const latencies = [];
  const statuses = {};
  const pending = [];
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      once(record ? n : 1_000_000_000 + n).then((status) => {
        latencies.push(performance.now() - due);
        statuses[status] = (statuses[status] || 0) + 1;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const unexpected = Object.entries(statuses)
    .filter(([s]) => Number(s) !== o.expect)
    .reduce((sum, [, c]) => sum + c, 0);
  return { requests: total, achieved_rate: total / elapsed, latencies, statuses, unexpected };
}

if (o.warmup > 0) await run(o.warmup, false);
const r = await run(o.seconds, true);
const round = (x) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    url: o.url,
    method: o.method,
    target_rate: o.rate,
    achieved_rate: round(r.achieved_rate),
    requests: r.requests,
    p50_ms: round(percentile(r.latencies, 0.5)),
    p90_ms: round(percentile(r.latencies, 0.9)),
    p99_ms: round(percentile(r.latencies, 0.99)),
    max_ms: round(r.latencies[r.latencies.length - 1]),
    statuses: r.statuses,
    unexpected: r.unexpected,
  }),
);
agent.destroy();
