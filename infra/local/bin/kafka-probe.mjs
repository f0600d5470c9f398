#!/usr/bin/env node
// Real Kafka health probe without dependencies: sends a Metadata (v1) request
// over the Kafka wire protocol and succeeds only if the broker answers with
// itself in the broker list and a known active controller.
// Usage: node kafka-probe.mjs [host:port] [timeoutMs]
import net from 'node:net';

const [host, portStr] = (process.argv[2] || '127.0.0.1:19092').split(':');
const port = Number(portStr);
const timeoutMs = Number(process.argv[3] || 3000);

function fail(msg) {
  console.error(`kafka-probe: ${msg}`);
  process.exit(1);
}

// Request header v1: api_key int16, api_version int16, correlation_id int32, client_id string
const clientId = Buffer.from('chat-infra-probe');
const body = Buffer.alloc(4);
body.writeInt32BE(-1, 0); // topics = null -> all topics
const header = Buffer.alloc(2 + 2 + 4 + 2);
header.writeInt16BE(3, 0); // Metadata
header.writeInt16BE(1, 2); // v1
header.writeInt32BE(4242, 4);
header.writeInt16BE(clientId.length, 8);
const payload = Buffer.concat([header, clientId, body]);
const size = Buffer.alloc(4);
size.writeInt32BE(payload.length, 0);

const sock = net.connect({ host, port });
const timer = setTimeout(() => {
  sock.destroy();
  fail(`timeout after ${timeoutMs} ms talking to ${host}:${port}`);
}, timeoutMs);

let buf = Buffer.alloc(0);
sock.on('connect', () => sock.write(Buffer.concat([size, payload])));
sock.on('error', (e) => fail(`${e.code || e.message} (${host}:${port})`));
sock.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  if (buf.length < 4) return;
  const len = buf.readInt32BE(0);
  if (buf.length < 4 + len) return;
  clearTimeout(timer);
  sock.end();
  try {
    let o = 4;
    const corr = buf.readInt32BE(o);
    o += 4;
    if (corr !== 4242) fail(`unexpected correlation id ${corr}`);
    const nBrokers = buf.readInt32BE(o);
    o += 4;
    const brokers = [];
    for (let i = 0; i < nBrokers; i++) {
      const id = buf.readInt32BE(o);
      o += 4;
      const hl = buf.readInt16BE(o);
      o += 2;
      const h = buf.toString('utf8', o, o + hl);
      o += hl;
      const p = buf.readInt32BE(o);
      o += 4;
      const rl = buf.readInt16BE(o);
      o += 2;
      if (rl > 0) o += rl; // rack
      brokers.push(`${id}@${h}:${p}`);
    }
    const controller = buf.readInt32BE(o);
    o += 4;
    const nTopics = buf.readInt32BE(o);
    if (nBrokers < 1) fail('metadata response lists no brokers');
    if (controller < 0) fail('no active controller yet');
    console.log(`ok brokers=${brokers.join(',')} controller=${controller} topics=${nTopics}`);
    process.exit(0);
  } catch (e) {
    fail(`could not parse metadata response: ${e.message}`);
  }
});
