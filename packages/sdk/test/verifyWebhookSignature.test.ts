import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesToHex, hmacSha256, utf8ToBytes } from '@shardpay/crypto';
import { verifyWebhookSignature, webhookSignatureHex } from '../src/index.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"evt_1","object":"event","type":"invoice.settled","created":1700000000,"data":{"x":"é"}}';
const t = 1_700_000_000;
const now = new Date(t * 1000);
const header = (...secrets: string[]) =>
  [`t=${t}`, ...secrets.map((key) => `v1=${webhookSignatureHex(key, t, body)}`)].join(',');

describe('verifyWebhookSignature (SDK, no node:crypto)', () => {
  it('computes HMAC-SHA256 like node:crypto, for short, block-sized and long keys', () => {
    for (const key of ['', 'k', 'x'.repeat(64), 'y'.repeat(65), 'z'.repeat(200)]) {
      for (const message of ['', 'abc', 'é'.repeat(100)]) {
        assert.equal(
          bytesToHex(hmacSha256(utf8ToBytes(key), utf8ToBytes(message))),
          createHmac('sha256', key).update(message).digest('hex'),
        );
      }
    }
  });

  it('accepts a valid signature, either of two during a rotation', () => {
    assert.ok(verifyWebhookSignature(header(secret), body, secret, { now }));
    assert.ok(verifyWebhookSignature(header('whsec_new', secret), body, secret, { now }));
    assert.ok(verifyWebhookSignature(header('whsec_new', secret), body, 'whsec_new', { now }));
  });

  it('refuses a tampered body, a wrong secret, an old or future timestamp and malformed headers', () => {
    assert.equal(verifyWebhookSignature(header(secret), `${body} `, secret, { now }), false);
    assert.equal(verifyWebhookSignature(header(secret), body, 'whsec_other', { now }), false);
    assert.equal(
      verifyWebhookSignature(header(secret), body, secret, { now: new Date((t + 301) * 1000) }),
      false,
    );
    assert.equal(
      verifyWebhookSignature(header(secret), body, secret, { now: new Date((t - 301) * 1000) }),
      false,
    );
    assert.ok(
      verifyWebhookSignature(header(secret), body, secret, {
        now: new Date((t + 60) * 1000),
        toleranceSeconds: 60,
      }),
    );
    for (const bad of [
      undefined,
      null,
      '',
      `v1=${webhookSignatureHex(secret, t, body)}`,
      `t=${t}`,
      `t=${t},v1=zz`,
    ]) {
      assert.equal(verifyWebhookSignature(bad, body, secret, { now }), false, String(bad));
    }
  });
});
