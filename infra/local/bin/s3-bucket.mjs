#!/usr/bin/env node
// Ensures an S3 bucket exists, using a SigV4-signed HEAD/PUT (no SDK needed).
// Usage: node s3-bucket.mjs <endpoint> <bucket>
// Credentials/region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.
import crypto from 'node:crypto';

const endpoint = new URL(process.argv[2] || 'http://127.0.0.1:9002');
const bucket = process.argv[3] || 'chat-files';
const accessKey = process.env.AWS_ACCESS_KEY_ID;
const secretKey = process.env.AWS_SECRET_ACCESS_KEY;
const region = process.env.AWS_REGION || 'us-east-1';
if (!accessKey || !secretKey) {
  console.error('s3-bucket: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required');
  process.exit(2);
}

const sha256 = (d) => crypto.createHash('sha256').update(d).digest('hex');
const hmac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();

async function signed(method, path) {
  const now = new Date();
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256('');
  const host = endpoint.host;
  const canonicalHeaders = `host:${host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n`;
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonicalRequest = [method, path, '', canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  key = hmac(key, region);
  key = hmac(key, 's3');
  key = hmac(key, 'aws4_request');
  const signature = crypto.createHmac('sha256', key).update(toSign).digest('hex');
  const res = await fetch(new URL(path, endpoint), {
    method,
    headers: {
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, text: await res.text() };
}

try {
  const path = `/${encodeURIComponent(bucket)}`;
  const head = await signed('HEAD', path);
  if (head.status === 200) {
    console.log(`bucket ${bucket} exists`);
    process.exit(0);
  }
  if (head.status !== 404) {
    console.error(`s3-bucket: HEAD ${path} -> ${head.status}`);
    process.exit(1);
  }
  const put = await signed('PUT', path);
  if (put.status === 200 || /BucketAlreadyOwnedByYou/.test(put.text)) {
    console.log(`bucket ${bucket} created`);
    process.exit(0);
  }
  console.error(`s3-bucket: PUT ${path} -> ${put.status} ${put.text}`);
  process.exit(1);
} catch (e) {
  console.error(`s3-bucket: ${e.message}`);
  process.exit(1);
}
