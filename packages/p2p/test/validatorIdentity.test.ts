import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicKeyFromPrivateKey } from '@shardpay/crypto';
import { parsePeerId, peerIdFromValidatorKey, peerIdFromValidatorPublicKey } from '@shardpay/p2p';
import { testValidatorKey } from './helpers.ts';

test('the peer id from the private key equals the one from the genesis public key', () => {
  for (let index = 0; index < 8; index += 1) {
    const key = testValidatorKey(index);
    const fromPublic = peerIdFromValidatorPublicKey(publicKeyFromPrivateKey(key));
    assert.equal(peerIdFromValidatorKey(key), fromPublic);
    assert.equal(parsePeerId(fromPublic).type, 'secp256k1');
  }
  assert.notEqual(peerIdFromValidatorKey(testValidatorKey(0)), peerIdFromValidatorKey(testValidatorKey(1)));
});

test('malformed keys are refused with coded errors', () => {
  const good = publicKeyFromPrivateKey(testValidatorKey(0));
  assert.throws(() => peerIdFromValidatorPublicKey(good.subarray(1)), { code: 'P2P_INVALID_PUBLIC_KEY' });
  assert.throws(() => peerIdFromValidatorPublicKey(Uint8Array.from([0x04, ...good.subarray(1)])), {
    code: 'P2P_INVALID_PUBLIC_KEY',
  });
  const offCurve = Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]);
  assert.throws(() => peerIdFromValidatorPublicKey(offCurve), { code: 'P2P_INVALID_PUBLIC_KEY' });
  assert.throws(() => peerIdFromValidatorKey(new Uint8Array(32)), { code: 'P2P_INVALID_VALIDATOR_KEY' });
  assert.throws(() => peerIdFromValidatorKey(new Uint8Array(33)), { code: 'P2P_INVALID_VALIDATOR_KEY' });
  assert.throws(() => parsePeerId('nope'), { code: 'P2P_INVALID_PEER_ID' });
});
