// Does a failed login take as long for an account that exists as for one that does not?
// If not, the time of the answer tells an attacker which e-mail addresses have accounts.
// Sends failed logins one at a time, alternating an existing username and a made-up one
// (each existing one at most 4 times, under the 5-failure lock), and prints the medians.
//
//   node bench/login_timing.mjs --url http://127.0.0.1:3998 --users amis,biblio,… [--rounds 4]
//
// Prints one JSON object: samples per side, the two medians in ms, the median of the paired
// differences, and that difference as a percentage of the missing account's median.
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, v, i, all) => (i % 2 ? pairs : [...pairs, [v.replace(/^--/, ''), all[i + 1]]]), []),
);
const base = new URL(args.url);
const users = args.users.split(',');
const rounds = Number(args.rounds ?? 4);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function login(identifier) {
  const body = new URLSearchParams({ identifier, password: 'not-the-password' }).toString();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: '/api/login',
        method: 'POST',
        agent,
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - started }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const existing = [];
const missing = [];
let n = 0;
for (let round = 0; round < rounds; round++) {
  for (const user of users) {
    const a = await login(user);
    const b = await login(`nobody-${process.pid}-${n++}@example.org`);
    // The same answer either way; a lock (429) would end the comparison.
    if (a.status !== 422 || b.status !== 422) {
      console.log(JSON.stringify({ error: `unexpected statuses ${a.status} / ${b.status}` }));
      process.exit(1);
    }
    existing.push(a.ms);
    missing.push(b.ms);
  }
}
const e = median(existing);
const m = median(missing);
// The gap is the median of the paired differences (each existing login against the missing
// one sent right after it), so that the machine's load, which moves both, cancels out.
const paired = median(existing.map((ms, i) => ms - missing[i]));
console.log(
  JSON.stringify({
    samples: existing.length,
    existing_p50_ms: Number(e.toFixed(2)),
    missing_p50_ms: Number(m.toFixed(2)),
    paired_difference_ms: Number(paired.toFixed(2)),
    gap_percent: Number(((Math.abs(paired) / m) * 100).toFixed(1)),
  }),
);
