import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeResponse, encodeErrorResponse, encodeOkResponse } from '@shardpay/p2p';
import fc from 'fast-check';

const seed = Number(process.env.P2P_PROPERTY_SEED ?? 11);

test('ok frames round-trip any body', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (body) => {
      const decoded = decodeResponse(encodeOkResponse(body));
      assert.equal(decoded.ok, true);
      if (decoded.ok === true) assert.deepEqual(decoded.body, body);
    }),
    { seed },
  );
});

test('error frames carry a SCREAMING_SNAKE code and a bounded message', () => {
  assert.deepEqual(decodeResponse(encodeErrorResponse('BLOCK_NOT_FOUND', 'no block 7')), {
    ok: false,
    code: 'BLOCK_NOT_FOUND',
    message: 'no block 7',
  });
  const sanitized = decodeResponse(encodeErrorResponse('not a code', 'x'.repeat(5_000)));
  assert.equal(sanitized.ok, false);
  if (sanitized.ok === false) {
    assert.equal(sanitized.code, 'P2P_HANDLER_FAILED');
    assert.equal(sanitized.message.length, 512);
  }
});

test('any bytes decode to a result, never an exception', () => {
  assert.equal(decodeResponse(new Uint8Array(0)).ok, 'malformed');
  assert.equal(decodeResponse(Uint8Array.of(2, 1)).ok, 'malformed');
  assert.equal(decodeResponse(Uint8Array.of(1, 0xff)).ok, 'malformed');
  assert.equal(
    decodeResponse(Uint8Array.of(1, ...new TextEncoder().encode('{"code":"lower"}'))).ok,
    'malformed',
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
      const decoded = decodeResponse(bytes);
      assert.ok(decoded.ok === true || decoded.ok === false || decoded.ok === 'malformed');
    }),
    { seed },
  );
});
