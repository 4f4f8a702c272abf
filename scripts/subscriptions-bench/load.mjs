// Many subscribers and a steady stream of writes against one API server.
//
//   node load.mjs --url http://127.0.0.1:8000/graphql --pid SERVER_PID \
//     --subscribers 1000 --rate 100 --seconds 20 --writer-token T \
//     --tokens 'T1,T2,,T3'   (subscriber tokens, round-robin; empty = anonymous)
//     --orgs 'ID:VERSION,ID:VERSION,…'   (organizations the writer renames)
//
// Each subscriber runs `organizationChanged` over graphql-transport-ws. The
// writer renames the organizations' cities round-robin at `--rate` writes per
// second (each write names itself in the city), and every event is matched
// to its write: latency is from the moment the write was sent (an upper
// bound of commit-to-delivery). Prints one JSON object with the figures.
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const url = args.url;
const wsUrl = url.replace(/^http/, 'ws');
const subscribers = Number(args.subscribers ?? 1000);
const rate = Number(args.rate ?? 100);
const seconds = Number(args.seconds ?? 20);
const tokens = (args.tokens ?? '').split(',');
const orgs = args.orgs.split(',').map((pair) => {
  const [id, version] = pair.split(':');
  return { id, version: Number(version), busy: false };
});

function rss() {
  const status = readFileSync(`/proc/${args.pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]) / 1024;
  return { rssMiB: field('VmRSS'), peakMiB: field('VmHWM') };
}

function cpuSeconds() {
  const stat = readFileSync(`/proc/${args.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(stat[11]) + Number(stat[12])) / 100; // utime + stime, in ticks of 10 ms
}

const sentAt = new Map(); // write number → ms
const latencies = [];
let delivered = 0;
let resyncs = 0;
let otherEvents = 0;

function subscribe(i) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const token = tokens[i % tokens.length];
    socket.on('open', () => {
      const payload = token ? { Authorization: `Bearer ${token}` } : {};
      socket.send(JSON.stringify({ type: 'connection_init', payload }));
    });
    socket.on('message', (raw) => {
      const text = raw.toString();
      // Events are matched by text, not parsed: with a thousand subscribers
      // the client would otherwise spend its time in JSON.parse.
      if (text.startsWith('{"type":"next"')) {
        const n = Number(/"city":"w(\d+)"/.exec(text)?.[1]);
        const at = sentAt.get(n);
        if (at !== undefined) {
          delivered += 1;
          latencies.push(performance.now() - at);
        } else if (text.includes('"RESYNC"')) {
          resyncs += 1;
        } else {
          otherEvents += 1;
        }
        return;
      }
      const message = JSON.parse(text);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({
          type: 'subscribe',
          id: '1',
          payload: { query: 'subscription { organizationChanged { change id version organization { id city } } }' },
        }));
        resolve(socket);
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('error', reject);
    socket.on('close', (code) => {
      if (code !== 1000 && code !== 1005) reject(new Error(`closed ${code}`));
    });
  });
}

async function write(n) {
  const org = orgs.find((o) => !o.busy);
  if (!org) return { skipped: true };
  org.busy = true;
  sentAt.set(n, performance.now());
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${args['writer-token']}` },
      body: JSON.stringify({
        query: 'mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { version } } }',
        variables: { input: { id: org.id, version: org.version, city: `w${n}` } },
      }),
    });
    const body = await response.json();
    const version = body.data?.updateOrganization?.organization?.version;
    if (version === undefined) {
      sentAt.delete(n);
      return { failed: true, error: JSON.stringify(body.errors ?? body).slice(0, 200) };
    }
    org.version = version;
    return { ms: performance.now() - started };
  } finally {
    org.busy = false;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
}

const before = rss();
const connectStarted = performance.now();
const sockets = [];
for (let i = 0; i < subscribers; i += 100) {
  const batch = [];
  for (let j = i; j < Math.min(subscribers, i + 100); j += 1) batch.push(subscribe(j));
  sockets.push(...(await Promise.all(batch)));
}
const connectSeconds = (performance.now() - connectStarted) / 1000;
await new Promise((r) => setTimeout(r, 2000));
const connected = rss();

const writes = [];
const cpuBefore = cpuSeconds();
const clientBefore = process.cpuUsage();
const writeStarted = performance.now();
let n = 0;
let skipped = 0;
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - writeStarted) / 1000) * rate);
    while (n < due) {
      n += 1;
      writes.push(write(n).then((r) => { if (r.skipped) skipped += 1; return r; }));
    }
    if (performance.now() - writeStarted >= seconds * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, 5);
});
const results = await Promise.all(writes);
const writeSeconds = (performance.now() - writeStarted) / 1000;
await new Promise((r) => setTimeout(r, Number(args.drain ?? 10) * 1000));
const cpuAfter = cpuSeconds();
const client = process.cpuUsage(clientBefore);
const after = rss();
for (const socket of sockets) socket.close(1000);

const ok = results.filter((r) => r.ms !== undefined);
const failed = results.filter((r) => r.failed);
const sorted = latencies.sort((a, b) => a - b);
const writeMs = ok.map((r) => r.ms).sort((a, b) => a - b);
console.log(JSON.stringify({
  subscribers,
  rateAsked: rate,
  seconds,
  connectSeconds: Number(connectSeconds.toFixed(1)),
  writesOk: ok.length,
  writesFailed: failed.length,
  firstFailure: failed[0]?.error,
  writesSkipped: skipped,
  writesPerSecond: Number((ok.length / writeSeconds).toFixed(1)),
  writeP50Ms: percentile(writeMs, 50),
  expectedDeliveries: ok.length * subscribers,
  delivered,
  deliveriesPerSecond: Number((delivered / writeSeconds).toFixed(0)),
  resyncs,
  otherEvents,
  latencyP50Ms: percentile(sorted, 50),
  latencyP99Ms: percentile(sorted, 99),
  latencyMaxMs: percentile(sorted, 100),
  serverRssBeforeMiB: Number(before.rssMiB.toFixed(1)),
  serverRssConnectedMiB: Number(connected.rssMiB.toFixed(1)),
  kibPerSubscriber: Number((((connected.rssMiB - before.rssMiB) * 1024) / subscribers).toFixed(1)),
  serverRssAfterMiB: Number(after.rssMiB.toFixed(1)),
  serverPeakMiB: Number(after.peakMiB.toFixed(1)),
  serverCpuPercent: Number((((cpuAfter - cpuBefore) / (writeSeconds + Number(args.drain ?? 10))) * 100).toFixed(0)),
  clientCpuPercent: Number((((client.user + client.system) / 1e6 / (writeSeconds + Number(args.drain ?? 10))) * 100).toFixed(0)),
}));
process.exit(0);
