/**
 * The parties the indexer records for each operation (docs/gateway.md "History"): transfers,
 * payments and mints credit their recipient; a multisig_execute is its inner operation sent from
 * the account; locks name their counterparty without crediting it; actions on an id name no one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressFromPublicKey, publicKeyFromPrivateKey, sha256, utf8ToBytes } from '@shardpay/crypto';
import { multisigAddress, type Operation, signTransaction } from '@shardpay/protocol';
import { operationParties } from '../src/indexer/operationParties.ts';
import { createFakeNetwork } from './helpers/fakeBlockChain.ts';

const network = createFakeNetwork([0, 1]);
const key = sha256(utf8ToBytes('operation parties sender'));
const sender = addressFromPublicKey(publicKeyFromPrivateKey(key));
const other = new Uint8Array(20).fill(0xb0);
const account = new Uint8Array(20).fill(0x33);
const id = sha256(utf8ToBytes('an escrow'));

function partiesOf(operation: Operation) {
  const tx = signTransaction(
    {
      chainId: network.chainId,
      shard: 0,
      nonce: 0n,
      fee: 0n,
      expiryHeight: 10n,
      publicKey: publicKeyFromPrivateKey(key),
      operation,
    },
    key,
  );
  return operationParties(network, tx);
}

describe('operationParties', () => {
  it('transfers, payments and mints credit their recipient', () => {
    assert.deepStrictEqual(partiesOf({ type: 'transfer', to: other, amount: 5n, memo: '' }), {
      from: sender,
      to: other,
      amount: 5n,
      paymentId: null,
      credits: true,
    });
    const pay = partiesOf({ type: 'pay', merchant: other, amount: 7n, paymentId: 'inv_1', memo: '' });
    assert.deepStrictEqual([pay.to, pay.amount, pay.paymentId, pay.credits], [other, 7n, 'inv_1', true]);
    assert.deepStrictEqual(partiesOf({ type: 'burn', amount: 3n, payoutReference: 'po' }), {
      from: sender,
      to: null,
      amount: 3n,
      paymentId: null,
      credits: false,
    });
  });

  it('a multisig_execute is its inner operation, sent from the account', () => {
    const signatures = [{ ownerIndex: 0, signature: new Uint8Array(64) }];
    const inner = partiesOf({
      type: 'multisig_execute',
      account,
      accountNonce: 0n,
      operation: { type: 'pay', merchant: other, amount: 9n, paymentId: 'p', memo: '' },
      signatures,
    });
    assert.deepStrictEqual(inner, { from: account, to: other, amount: 9n, paymentId: 'p', credits: true });
    const update = partiesOf({
      type: 'multisig_execute',
      account,
      accountNonce: 1n,
      operation: { type: 'multisig_update', owners: [], threshold: 1 },
      signatures,
    });
    assert.deepStrictEqual(
      [update.from, update.to, update.amount, update.credits],
      [account, null, 0n, false],
    );
  });

  it('locks name their counterparty and the amount without crediting it', () => {
    const lock = partiesOf({
      type: 'escrow_lock',
      merchant: other,
      amount: 25n,
      orderId: 'o',
      deadlineMs: 1n,
      arbiter: null,
      oracle: null,
      memo: '',
    });
    assert.deepStrictEqual([lock.to, lock.amount, lock.credits], [other, 25n, false]);
    const timelock = partiesOf({
      type: 'timelock_create',
      to: other,
      amount: 4n,
      unlockHeight: 9n,
      memo: '',
    });
    assert.deepStrictEqual([timelock.to, timelock.amount, timelock.credits], [other, 4n, false]);
    const created = partiesOf({ type: 'multisig_create', owners: [], threshold: 1, salt: 3n });
    assert.deepStrictEqual(created.to, multisigAddress(network.chainId, sender, 3n));
    const freeze = partiesOf({
      type: 'issuer_control',
      action: 'freeze',
      target: other,
      controlNonce: 0n,
      signatures: [],
    });
    assert.deepStrictEqual([freeze.to, freeze.amount, freeze.credits], [other, 0n, false]);
  });

  it('actions on an escrow or a time lock name no one and record 0', () => {
    const actions: Operation[] = [
      { type: 'escrow_release', escrowId: id, authorization: null },
      { type: 'escrow_refund', escrowId: id, authorization: null },
      { type: 'escrow_dispute', escrowId: id, authorization: null },
      { type: 'escrow_settle', escrowId: id, buyerAmount: 1n, authorization: null },
      { type: 'timelock_claim', timelockId: id, authorization: null },
      { type: 'timelock_cancel', timelockId: id },
    ];
    for (const operation of actions) {
      assert.deepStrictEqual(partiesOf(operation), {
        from: sender,
        to: null,
        amount: 0n,
        paymentId: null,
        credits: false,
      });
    }
  });
});
