#!/usr/bin/env node
// Real MongoDB-wire health probe without dependencies: sends
// OP_MSG {ping: 1, $db: "admin"} and succeeds only on {ok: 1}.
// Usage: node mongo-ping.mjs [host:port] [timeoutMs]
import net from 'node:net';

const [host, portStr] = (process.argv[2] || '127.0.0.1:27018').split(':');
const port = Number(portStr);
const timeoutMs = Number(process.argv[3] || 3000);

function fail(msg) {
  console.error(`mongo-ping: ${msg}`);
  process.exit(1);
}

function cstr(s) {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

// BSON document {ping: int32(1), $db: "admin"}
function pingDoc() {
  const dbVal = cstr('admin');
  const dbLen = Buffer.alloc(4);
  dbLen.writeInt32LE(dbVal.length, 0);
  const one = Buffer.alloc(4);
  one.writeInt32LE(1, 0);
  const elems = Buffer.concat([
    Buffer.from([0x10]),
    cstr('ping'),
    one,
    Buffer.from([0x02]),
    cstr('$db'),
    dbLen,
    dbVal,
  ]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(4 + elems.length + 1, 0);
  return Buffer.concat([len, elems, Buffer.from([0])]);
}

// Minimal reader for top-level "ok" (double/int32/int64/bool) and "errmsg".
function readOk(doc) {
  let o = 4;
  const out = {};
  while (o < doc.length - 1) {
    const type = doc[o];
    o += 1;
    const end = doc.indexOf(0, o);
    const name = doc.toString('utf8', o, end);
    o = end + 1;
    let val;
    switch (type) {
      case 0x01:
        val = doc.readDoubleLE(o);
        o += 8;
        break;
      case 0x02: {
        const l = doc.readInt32LE(o);
        val = doc.toString('utf8', o + 4, o + 4 + l - 1);
        o += 4 + l;
        break;
      }
      case 0x03:
      case 0x04: {
        const l = doc.readInt32LE(o);
        o += l;
        break;
      }
      case 0x05: {
        const l = doc.readInt32LE(o);
        o += 5 + l;
        break;
      }
      case 0x07:
        o += 12;
        break;
      case 0x08:
        val = doc[o] === 1;
        o += 1;
        break;
      case 0x09:
      case 0x11:
      case 0x12:
        val = Number(doc.readBigInt64LE(o));
        o += 8;
        break;
      case 0x0a:
        break;
      case 0x10:
        val = doc.readInt32LE(o);
        o += 4;
        break;
      case 0x13:
        o += 16;
        break;
      default:
        return out; // unknown type: stop, keep what we have
    }
    out[name] = val;
  }
  return out;
}

const body = Buffer.concat([Buffer.alloc(4) /* flagBits */, Buffer.from([0]) /* kind 0 */, pingDoc()]);
const header = Buffer.alloc(16);
header.writeInt32LE(16 + body.length, 0);
header.writeInt32LE(7, 4); // requestID
header.writeInt32LE(0, 8); // responseTo
header.writeInt32LE(2013, 12); // OP_MSG

const sock = net.connect({ host, port });
const timer = setTimeout(() => {
  sock.destroy();
  fail(`timeout after ${timeoutMs} ms talking to ${host}:${port}`);
}, timeoutMs);
let buf = Buffer.alloc(0);
sock.on('connect', () => sock.write(Buffer.concat([header, body])));
sock.on('error', (e) => fail(`${e.code || e.message} (${host}:${port})`));
sock.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  if (buf.length < 4) return;
  const len = buf.readInt32LE(0);
  if (buf.length < len) return;
  clearTimeout(timer);
  sock.end();
  const opCode = buf.readInt32LE(12);
  if (opCode !== 2013) fail(`unexpected reply opCode ${opCode}`);
  // 16 header + 4 flagBits + 1 section kind
  const doc = buf.subarray(21, 21 + buf.readInt32LE(21));
  const r = readOk(doc);
  if (r.ok === 1 || r.ok === true) {
    console.log('ok ping');
    process.exit(0);
  }
  fail(`ping answered ok=${r.ok} ${r.errmsg || ''}`);
});
