import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Address, IssuerControlAction, NetworkConfig, Operation } from '@shardpay/protocol';
import { issuerControlSigningHash, multisigAddress, multisigSigningHash } from '@shardpay/protocol';
import { createStateOverlay, isFrozen, readAccount, readShardControl } from '../src/index.ts';
import { createLedgerHarness, ownerSignatures, saltFor, sortedKeys } from './helpers/multisigHarness.ts';
import {
  addressOnShard,
  batchFrom,
  createTestNetwork,
  type TestKey,
  type TestShard,
} from './helpers/testNetwork.ts';

const network = createTestNetwork();
const group = sortedKeys('issuer-control', 3, network.config.shardCount);
const config: NetworkConfig = {
  ...network.config,
  issuerControl: { owners: group.map((key) => key.publicKey), threshold: 2 },
};
const h = createLedgerHarness(network, config);
const FEE = config.flatFee;
const START = 1_000_000n;
const usersOf = (shard: number) => network.users.filter((user) => user.shard === shard);
// Two users per shard, ordered by shard: alice and bob on shard 0, carol on shard 1, erin on shard 2.
const [alice, bob] = usersOf(0) as [TestKey, TestKey];
const carol = usersOf(1)[0]!;
const erin = usersOf(2)[0]!;
const issuer = network.issuer;

/** An issuer_control sent by `submitter`, signed by `signers` of the group for `shard`. */
function control(
  submitter: TestKey,
  nonce: bigint,
  controlNonce: bigint,
  action: IssuerControlAction,
  target: Address | null,
  signers = [0, 2],
  shard = submitter.shard,
) {
  const hash = issuerControlSigningHash(config.chainId, shard, controlNonce, action, target);
  return h.tx(submitter, nonce, {
    type: 'issuer_control',
    action,
    target,
    controlNonce,
    signatures: ownerSignatures(group, signers, hash),
  });
}

const transfer = (to: Address, amount = 100n): Operation => ({ type: 'transfer', to, amount, memo: '' });
const pay = (merchant: Address, paymentId: string, amount = 100n): Operation => ({
  type: 'pay',
  merchant,
  amount,
  paymentId,
  memo: '',
});
const burn: Operation = { type: 'burn', amount: 100n, payoutReference: 'wire' };

function controlsOf(shard: TestShard) {
  return readShardControl(createStateOverlay(shard.state));
}

describe('freeze', () => {
  test('a frozen account can neither send nor receive until unfrozen', () => {
    const shards = h.freshShards();
    // Carol (shard 1) sends to alice before the freeze lands; it arrives after.
    const inFlight = h.runBlock(shards, 1, [h.tx(carol, 0n, transfer(alice.address, 500n))]);
    assert.equal(inFlight.outgoingReceipts.length, 1);
    h.runBlock(shards, 0, [control(bob, 0n, 0n, 'freeze', alice.address)]);
    assert.ok(isFrozen(createStateOverlay(shards[0]!.state), alice.address));
    assert.equal(controlsOf(shards[0]!).controlNonce, 1n);

    for (const operation of [transfer(bob.address), pay(bob.address, 'p1'), burn]) {
      assert.equal(h.refusalOf(h.tx(alice, 0n, operation), shards), 'ACCOUNT_FROZEN', operation.type);
    }
    for (const operation of [transfer(alice.address), pay(alice.address, 'p1')]) {
      assert.equal(
        h.refusalOf(h.tx(bob, 1n, operation), shards),
        'ACCOUNT_FROZEN',
        `${operation.type} to her`,
      );
    }
    // Across shards the credit is refunded to the sender.
    const arrived = h.runBlock(shards, 0, [], [batchFrom(shards[1]!, 1n, [0])]);
    assert.equal(arrived.incomingOutcomes[0]!.outcome, 'refunded');
    assert.equal(readAccount(shards[0]!.state, alice.address).balance, START);
    const refund = arrived.outgoingReceipts[0]!;
    assert.equal(refund.kind, 'refund');
    assert.deepEqual(refund.to, carol.address);
    h.runBlock(shards, 1, [], [batchFrom(shards[0]!, 2n, [0])]);
    assert.equal(readAccount(shards[1]!.state, carol.address).balance, START - FEE);

    h.runBlock(shards, 0, [control(bob, 1n, 1n, 'unfreeze', alice.address)]);
    assert.ok(!isFrozen(createStateOverlay(shards[0]!.state), alice.address));
    h.runBlock(shards, 0, [
      h.tx(alice, 0n, transfer(bob.address)),
      h.tx(bob, 2n, transfer(alice.address, 40n)),
    ]);
    h.runBlock(shards, 1, [h.tx(carol, 1n, transfer(alice.address, 60n))]);
    const credited = h.runBlock(shards, 0, [], [batchFrom(shards[1]!, 3n, [0])]);
    assert.equal(credited.incomingOutcomes[0]!.outcome, 'credited');
    assert.equal(readAccount(shards[0]!.state, alice.address).balance, START - 100n - FEE + 40n + 60n);
  });

  test('a refund to a frozen account is credited: the coins go home', () => {
    const shards = h.freshShards();
    const merchant = addressOnShard('frozen-shop', 2, config.shardCount);
    h.runBlock(shards, 2, [control(erin, 0n, 0n, 'freeze', merchant)]);
    h.runBlock(shards, 0, [h.tx(alice, 0n, pay(merchant, 'inv-1', 300n))]);
    h.runBlock(shards, 0, [control(bob, 0n, 0n, 'freeze', alice.address)]);
    const atMerchant = h.runBlock(shards, 2, [], [batchFrom(shards[0]!, 1n, [0])]);
    assert.equal(atMerchant.incomingOutcomes[0]!.outcome, 'refunded');
    assert.equal(readAccount(shards[2]!.state, merchant).balance, 0n);
    assert.ok(!shards[2]!.store.isPaymentIdUsed(merchant, 'inv-1'), 'a refused payment leaves its id unused');
    const back = h.runBlock(shards, 0, [], [batchFrom(shards[2]!, 2n, [0])]);
    assert.equal(back.incomingOutcomes[0]!.outcome, 'credited');
    assert.equal(readAccount(shards[0]!.state, alice.address).balance, START - FEE);
  });

  test('the issuer cannot mint to a frozen account', () => {
    const shards = h.freshShards();
    const here = addressOnShard('frozen-holder', issuer.shard, config.shardCount);
    const elsewhere = addressOnShard(
      'frozen-holder',
      (issuer.shard + 1) % config.shardCount,
      config.shardCount,
    );
    const submitter = usersOf(issuer.shard)[0]!;
    const otherShard = (issuer.shard + 1) % config.shardCount;
    h.runBlock(shards, issuer.shard, [control(submitter, 0n, 0n, 'freeze', here)]);
    h.runBlock(shards, otherShard, [control(usersOf(otherShard)[0]!, 0n, 0n, 'freeze', elsewhere)]);
    const mint = (to: Address, reference: string): Operation => ({
      type: 'mint',
      to,
      amount: 1_000n,
      reference,
    });
    assert.equal(h.refusalOf(h.tx(issuer, 0n, mint(here, 'm1')), shards), 'ACCOUNT_FROZEN');
    // Minted for a frozen account on another shard: refunded to the issuer there.
    const minted = h.runBlock(shards, issuer.shard, [h.tx(issuer, 0n, mint(elsewhere, 'm2'))]);
    const arrived = h.runBlock(shards, otherShard, [], [batchFrom(shards[issuer.shard]!, 2n, [0])]);
    assert.equal(arrived.incomingOutcomes[0]!.outcome, 'refunded');
    assert.deepEqual(arrived.outgoingReceipts[0]!.to, issuer.address);
    assert.equal(minted.outgoingReceipts[0]!.operation, 'mint');
  });

  test('a frozen multisig account cannot pay', () => {
    const shards = h.freshShards();
    const owners = sortedKeys('owner', 2, config.shardCount);
    const salt = saltFor(config, alice.address, 0);
    const account = multisigAddress(config.chainId, alice.address, salt);
    h.runBlock(shards, 0, [
      h.tx(alice, 0n, {
        type: 'multisig_create',
        owners: owners.map((key) => key.publicKey),
        threshold: 1,
        salt,
      }),
      h.tx(alice, 1n, transfer(account, 1_000n)),
      control(bob, 0n, 0n, 'freeze', account),
    ]);
    const inner = { type: 'transfer' as const, to: bob.address, amount: 10n, memo: '' };
    const hash = multisigSigningHash(config.chainId, account, 0n, inner);
    const execute = h.tx(bob, 1n, {
      type: 'multisig_execute',
      account,
      accountNonce: 0n,
      operation: inner,
      signatures: ownerSignatures(owners, [0], hash),
    });
    assert.equal(h.refusalOf(execute, shards), 'ACCOUNT_FROZEN');
  });
});

describe('pause', () => {
  test('pause stops transfer, pay, burn and mint on its shard until unpaused; receipts still land', () => {
    const shards = h.freshShards();
    const shard = issuer.shard;
    const [first, second] = usersOf(shard) as [TestKey, TestKey];
    const otherShard = (shard + 1) % config.shardCount;
    const outsider = usersOf(otherShard)[0]!;
    h.runBlock(shards, otherShard, [h.tx(outsider, 0n, transfer(first.address, 70n))]);
    h.runBlock(shards, shard, [control(second, 0n, 0n, 'pause', null)]);
    assert.equal(controlsOf(shards[shard]!).paused, true);

    const mint: Operation = { type: 'mint', to: first.address, amount: 5n, reference: 'm' };
    const refused: Array<[TestKey, Operation]> = [
      [first, transfer(second.address)],
      [first, transfer(outsider.address)],
      [first, pay(second.address, 'p')],
      [first, burn],
      [issuer, mint],
    ];
    for (const [sender, operation] of refused) {
      const nonce = readAccount(shards[shard]!.state, sender.address).nonce;
      assert.equal(h.refusalOf(h.tx(sender, nonce, operation), shards), 'TOKEN_PAUSED', operation.type);
    }
    // Receipts final at their source are still credited; other shards are not paused.
    const landed = h.runBlock(shards, shard, [], [batchFrom(shards[otherShard]!, 1n, [0])]);
    assert.equal(landed.incomingOutcomes[0]!.outcome, 'credited');
    assert.equal(readAccount(shards[shard]!.state, first.address).balance, START + 70n);
    h.runBlock(shards, otherShard, [h.tx(outsider, 1n, transfer(outsider.address))]);

    // Pausing again is accepted and uses a nonce; unpausing works while paused.
    h.runBlock(shards, shard, [control(second, 1n, 1n, 'pause', null)]);
    assert.deepEqual(controlsOf(shards[shard]!), { paused: true, controlNonce: 2n });
    h.runBlock(shards, shard, [control(second, 2n, 2n, 'unpause', null)]);
    assert.deepEqual(controlsOf(shards[shard]!), { paused: false, controlNonce: 3n });
    const nonce = readAccount(shards[shard]!.state, first.address).nonce;
    h.runBlock(shards, shard, [
      h.tx(first, nonce, transfer(second.address)),
      h.tx(first, nonce + 1n, burn),
      h.tx(issuer, readAccount(shards[shard]!.state, issuer.address).nonce, mint),
    ]);
  });
});

describe('issuer_control refusals', () => {
  test('each refusal carries its code', () => {
    const shards = h.freshShards();
    h.runBlock(shards, 0, [control(bob, 0n, 0n, 'pause', null)]);
    const disabled = createLedgerHarness(network);
    assert.equal(disabled.refusalOf(control(alice, 0n, 0n, 'pause', null)), 'ISSUER_CONTROL_DISABLED');
    assert.equal(
      h.refusalOf(control(alice, 0n, 1n, 'unpause', null, [1]), shards),
      'MULTISIG_SIGNATURES_INSUFFICIENT',
    );
    assert.equal(
      h.refusalOf(control(alice, 0n, 1n, 'unpause', null, []), shards),
      'MULTISIG_SIGNATURES_INSUFFICIENT',
    );
    assert.equal(
      h.refusalOf(control(alice, 0n, 0n, 'unpause', null), shards),
      'ISSUER_CONTROL_NONCE_INVALID',
    );
    assert.equal(
      h.refusalOf(control(alice, 0n, 2n, 'unpause', null), shards),
      'ISSUER_CONTROL_NONCE_INVALID',
    );
    assert.equal(
      h.refusalOf(control(alice, 0n, 1n, 'unpause', null, [0, 1], 1), shards),
      'AUTHORIZATION_INVALID',
      'signed for another shard',
    );
    const outsiders = sortedKeys('not-the-issuer', 3, config.shardCount);
    const hash = issuerControlSigningHash(config.chainId, 0, 1n, 'unpause', null);
    const forged = h.tx(alice, 0n, {
      type: 'issuer_control',
      action: 'unpause',
      target: null,
      controlNonce: 1n,
      signatures: ownerSignatures(outsiders, [0, 1], hash),
    });
    assert.equal(h.refusalOf(forged, shards), 'AUTHORIZATION_INVALID');
    assert.equal(h.refusalOf(control(alice, 0n, 1n, 'freeze', carol.address), shards), 'WRONG_SHARD');
    const noTarget: Operation = {
      type: 'issuer_control',
      action: 'freeze',
      target: null,
      controlNonce: 1n,
      signatures: [],
    };
    assert.equal(h.refusalOf(h.malformed(alice, 0n, noTarget), shards), 'ADDRESS_INVALID');
    assert.equal(
      h.refusalOf(
        h.malformed(alice, 0n, { ...noTarget, action: 'pause', target: bob.address } as Operation),
        shards,
      ),
      'ADDRESS_INVALID',
    );
    assert.equal(readShardControl(createStateOverlay(shards[0]!.state)).controlNonce, 1n);
  });
});
