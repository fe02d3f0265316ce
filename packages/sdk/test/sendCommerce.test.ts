/**
 * `send` with the commerce operations: an operation in its protocol form is signed as it is, with
 * the account's pending nonce and the network's fee; a malformed one is refused before any submit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, sha256, utf8ToBytes } from '@shardpay/crypto';
import { isTransactionSignatureValid, type Transaction, transactionId } from '@shardpay/protocol';
import { createAccountFromPrivateKey, type NodeClient, type SendOperation, send } from '../src/index.ts';
import { createTestNetworkConfig, testKeyOnShard } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig({ flatFee: 10_000n });
const from = createAccountFromPrivateKey(testKeyOnShard(network, 1, 'commerce sender'), network);

/** A node client that knows one account and records what it is sent. */
function fakeClient(submitted: Transaction[]): NodeClient {
  return {
    getAccount: async () => ({ pendingNonce: 4n, height: 100n }),
    submitTransaction: async (tx: Transaction) => {
      submitted.push(tx);
      return { txId: bytesToHex(transactionId(tx)) };
    },
  } as unknown as NodeClient;
}

describe('send: commerce operations', () => {
  it('signs an escrow lock as given, with the pending nonce and the flat fee', async () => {
    const submitted: Transaction[] = [];
    const operation: SendOperation = {
      type: 'escrow_lock',
      merchant: new Uint8Array(20).fill(0x4d),
      amount: 25_000_000n,
      orderId: 'inv_1',
      deadlineMs: 1_767_225_600_000n,
      arbiter: null,
      oracle: null,
      memo: '',
    };
    const result = await send(fakeClient(submitted), { from, operation });
    assert.equal(submitted.length, 1);
    const tx = submitted[0] as Transaction;
    assert.deepStrictEqual(tx.operation, operation);
    assert.equal(tx.nonce, 4n);
    assert.equal(tx.expiryHeight, 700n);
    assert.equal(tx.fee, 10_000n);
    assert.equal(tx.shard, from.shard);
    assert.ok(isTransactionSignatureValid(tx));
    assert.equal(result.txId, bytesToHex(transactionId(tx)));
  });

  it('refuses an operation the codec cannot encode, before submitting', async () => {
    const submitted: Transaction[] = [];
    const bad = {
      type: 'timelock_cancel',
      timelockId: sha256(utf8ToBytes('x')).subarray(0, 31),
    } as SendOperation;
    await assert.rejects(send(fakeClient(submitted), { from, operation: bad }), { code: 'ENCODE_ERROR' });
    const unknown = { type: 'steal' } as unknown as SendOperation;
    await assert.rejects(send(fakeClient(submitted), { from, operation: unknown }), { code: 'ENCODE_ERROR' });
    assert.equal(submitted.length, 0);
  });
});
