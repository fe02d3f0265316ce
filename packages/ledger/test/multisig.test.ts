import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Address, MultisigInnerOperation, Operation } from '@shardpay/protocol';
import {
  issuerControlSigningHash,
  multisigAddress,
  multisigSigningHash,
  signAuthorization,
  transactionSigningHash,
} from '@shardpay/protocol';
import fc from 'fast-check';
import { createStateOverlay, readAccount, readMultisig } from '../src/index.ts';
import { createLedgerHarness, ownerSignatures, saltFor, sortedKeys } from './helpers/multisigHarness.ts';
import {
  addressOnShard,
  batchFrom,
  createTestNetwork,
  type TestKey,
  type TestShard,
  txBody,
} from './helpers/testNetwork.ts';

const network = createTestNetwork();
const h = createLedgerHarness(network);
const { config } = h;
// Users are ordered by shard, two per shard: alice and bob live on shard 0.
const [alice, bob] = network.users as [TestKey, TestKey];
const FEE = config.flatFee;
const START = 1_000_000n;
const FUNDING = 5_000n;
const owners = sortedKeys('owner', 3, config.shardCount);
const ownerKeys = owners.map((key) => key.publicKey);

/** Shards where alice created a 2-of-3 account on shard 0 and funded it with FUNDING. */
function setup(): { shards: TestShard[]; account: Address } {
  const shards = h.freshShards();
  const salt = saltFor(config, alice.address, 0);
  const account = multisigAddress(config.chainId, alice.address, salt);
  h.runBlock(shards, 0, [
    h.tx(alice, 0n, { type: 'multisig_create', owners: ownerKeys, threshold: 2, salt }),
    h.tx(alice, 1n, { type: 'transfer', to: account, amount: FUNDING, memo: 'fund' }),
  ]);
  return { shards, account };
}

/** A multisig_execute sent by `submitter`, signed by `signers` (indices into `keys`) over the account's hash. */
function execute(
  submitter: TestKey,
  nonce: bigint,
  account: Address,
  accountNonce: bigint,
  inner: MultisigInnerOperation,
  signers: number[],
  keys: TestKey[] = owners,
) {
  const hash = multisigSigningHash(config.chainId, account, accountNonce, inner);
  return h.tx(submitter, nonce, {
    type: 'multisig_execute',
    account,
    accountNonce,
    operation: inner,
    signatures: ownerSignatures(keys, signers, hash),
  });
}

function recordOf(shard: TestShard, account: Address) {
  return readMultisig(createStateOverlay(shard.state), account);
}

const toBob = (amount: bigint): MultisigInnerOperation => ({
  type: 'transfer',
  to: bob.address,
  amount,
  memo: 'from the vault',
});

describe('multisig_create', () => {
  test('creates the account on the creator’s shard; coins sent there before are the account’s', () => {
    const shards = h.freshShards();
    const salt = saltFor(config, alice.address, 0);
    const account = multisigAddress(config.chainId, alice.address, salt);
    h.runBlock(shards, 0, [h.tx(alice, 0n, { type: 'transfer', to: account, amount: 300n, memo: '' })]);
    h.runBlock(shards, 0, [
      h.tx(alice, 1n, { type: 'multisig_create', owners: ownerKeys, threshold: 2, salt }),
    ]);
    assert.deepEqual(recordOf(shards[0]!, account), { owners: ownerKeys, threshold: 2, nonce: 0n });
    assert.deepEqual(readAccount(shards[0]!.state, alice.address), {
      balance: START - 300n - 2n * FEE,
      nonce: 2n,
    });
    h.runBlock(shards, 0, [execute(bob, 0n, account, 0n, toBob(300n), [0, 1])]);
    assert.equal(readAccount(shards[0]!.state, account).balance, 0n);
  });

  test('refusals carry their codes', () => {
    const { shards } = setup();
    const salt = saltFor(config, alice.address, 0);
    const create = (ownerList: Uint8Array[], threshold: number, s = salt): Operation => ({
      type: 'multisig_create',
      owners: ownerList,
      threshold,
      salt: s,
    });
    assert.equal(h.refusalOf(h.tx(alice, 2n, create(ownerKeys, 2)), shards), 'MULTISIG_EXISTS');
    const elsewhere = saltFor(config, alice.address, 0, true);
    assert.equal(h.refusalOf(h.tx(alice, 0n, create(ownerKeys, 2, elsewhere))), 'MULTISIG_WRONG_SHARD');
    assert.equal(h.refusalOf(h.tx(alice, 0n, create(ownerKeys, 4))), 'MULTISIG_THRESHOLD_INVALID');
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create(ownerKeys, 0))), 'MULTISIG_THRESHOLD_INVALID');
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create(ownerKeys, 1.5))), 'MULTISIG_THRESHOLD_INVALID');
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create([], 1))), 'MULTISIG_OWNERS_INVALID');
    const reversed = [...ownerKeys].reverse();
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create(reversed, 1))), 'MULTISIG_OWNERS_INVALID');
    const duplicated = [ownerKeys[0]!, ownerKeys[0]!];
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create(duplicated, 1))), 'MULTISIG_OWNERS_INVALID');
    const notAPoint = new Uint8Array(33).fill(0xff);
    notAPoint[0] = 0x02;
    assert.equal(
      h.refusalOf(h.malformed(alice, 0n, create([ownerKeys[0]!, notAPoint], 1))),
      'MULTISIG_OWNERS_INVALID',
    );
    const tooMany = sortedKeys('many', 17, config.shardCount).map((key) => key.publicKey);
    assert.equal(h.refusalOf(h.malformed(alice, 0n, create(tooMany, 1))), 'MULTISIG_OWNERS_INVALID');
  });
});

describe('multisig_execute', () => {
  test('a 2-of-3 account pays only with two signatures, and each set of signatures works once', () => {
    const { shards, account } = setup();
    for (const signers of [[], [0], [2]]) {
      assert.equal(
        h.refusalOf(execute(bob, 0n, account, 0n, toBob(1_000n), signers), shards),
        'MULTISIG_SIGNATURES_INSUFFICIENT',
        `signers ${signers.join(',')}`,
      );
    }
    const approved = execute(bob, 0n, account, 0n, toBob(1_000n), [0, 2]);
    const built = h.runBlock(shards, 0, [approved]);
    assert.equal(built.outgoingReceipts.length, 0);
    assert.deepEqual(readAccount(shards[0]!.state, account), { balance: FUNDING - 1_000n, nonce: 0n });
    assert.deepEqual(readAccount(shards[0]!.state, bob.address), {
      balance: START + 1_000n - FEE,
      nonce: 1n,
    });
    assert.equal(recordOf(shards[0]!, account)!.nonce, 1n);

    // The same signatures again, from another submitter: the account's nonce moved on.
    const replay = execute(alice, 2n, account, 0n, toBob(1_000n), [0, 2]);
    assert.equal(h.refusalOf(replay, shards), 'MULTISIG_NONCE_INVALID');
    // …and presented under the new nonce they no longer verify.
    const signatures = approved.operation.type === 'multisig_execute' ? approved.operation.signatures : [];
    const stale = h.tx(bob, 1n, {
      type: 'multisig_execute',
      account,
      accountNonce: 1n,
      operation: toBob(1_000n),
      signatures,
    });
    assert.equal(h.refusalOf(stale, shards), 'AUTHORIZATION_INVALID');
    assert.equal(
      h.refusalOf(execute(bob, 1n, account, 2n, toBob(1n), [0, 1]), shards),
      'MULTISIG_NONCE_INVALID',
    );
  });

  test('every signature must be an owner’s, over this account, nonce and operation, in this domain', () => {
    const { shards, account } = setup();
    const inner = toBob(100n);
    const outsiders = sortedKeys('outsider', 3, config.shardCount);
    const withSignatures = (
      signatures: Array<{ ownerIndex: number; signature: Uint8Array }>,
      signed = true,
    ) => {
      const operation: Operation = {
        type: 'multisig_execute',
        account,
        accountNonce: 0n,
        operation: inner,
        signatures,
      };
      return signed ? h.tx(bob, 0n, operation) : h.malformed(bob, 0n, operation);
    };
    const good = multisigSigningHash(config.chainId, account, 0n, inner);
    const sign = (hash: Uint8Array, key: TestKey) => signAuthorization(hash, key.privateKey).signature;
    const cases: Array<[string, Uint8Array, Uint8Array]> = [
      ['an outsider’s key', good, sign(good, outsiders[1]!)],
      [
        'another chain',
        multisigSigningHash('other-chain', account, 0n, inner),
        sign(multisigSigningHash('other-chain', account, 0n, inner), owners[1]!),
      ],
      [
        'another account',
        good,
        sign(multisigSigningHash(config.chainId, bob.address, 0n, inner), owners[1]!),
      ],
      [
        'another amount',
        good,
        sign(multisigSigningHash(config.chainId, account, 0n, toBob(101n)), owners[1]!),
      ],
      [
        'the issuer-control domain',
        good,
        sign(issuerControlSigningHash(config.chainId, 0, 0n, 'pause', null), owners[1]!),
      ],
      [
        'the transaction domain',
        good,
        sign(
          transactionSigningHash(
            txBody(config, bob, 0n, { type: 'transfer', to: bob.address, amount: 100n, memo: '' }),
          ),
          owners[1]!,
        ),
      ],
    ];
    for (const [label, , second] of cases) {
      const signatures = [
        { ownerIndex: 0, signature: sign(good, owners[0]!) },
        { ownerIndex: 1, signature: second },
      ];
      assert.equal(h.refusalOf(withSignatures(signatures), shards), 'AUTHORIZATION_INVALID', label);
    }
    // A valid pair padded with a bad third signature is refused, not trimmed.
    const padded = [
      ...ownerSignatures(owners, [0, 1], good),
      { ownerIndex: 2, signature: sign(good, outsiders[2]!) },
    ];
    assert.equal(h.refusalOf(withSignatures(padded), shards), 'AUTHORIZATION_INVALID');
    // Owner indices: in range, ascending, distinct (the codec refuses unordered ones: sent unsigned).
    for (const indices of [
      [1, 0],
      [1, 1],
      [0, 3],
    ]) {
      const encodable = indices[0]! < indices[1]!;
      const signatures = indices.map((ownerIndex) => ({
        ownerIndex,
        signature: sign(good, owners[Math.min(ownerIndex, 2)]!),
      }));
      assert.equal(
        h.refusalOf(withSignatures(signatures, encodable), shards),
        'AUTHORIZATION_INVALID',
        indices.join(','),
      );
    }
    h.runBlock(shards, 0, [withSignatures(ownerSignatures(owners, [1, 2], good))]);
  });

  test('owners and threshold change only through the account itself', () => {
    const { shards, account } = setup();
    const newOwners = sortedKeys('new-owner', 2, config.shardCount);
    const update: MultisigInnerOperation = {
      type: 'multisig_update',
      owners: newOwners.map((key) => key.publicKey),
      threshold: 1,
    };
    assert.equal(h.refusalOf(h.tx(alice, 2n, update), shards), 'OPERATION_NOT_ALLOWED');
    assert.equal(h.refusalOf(execute(bob, 0n, account, 0n, update, [1])), 'MULTISIG_NOT_FOUND');
    assert.equal(
      h.refusalOf(execute(bob, 0n, account, 0n, update, [1]), shards),
      'MULTISIG_SIGNATURES_INSUFFICIENT',
    );
    assert.equal(
      h.refusalOf(execute(bob, 0n, account, 0n, { ...update, threshold: 3 }, [0, 1]), shards),
      'MULTISIG_THRESHOLD_INVALID',
    );
    const unsorted = { ...update, owners: [...update.owners].reverse() };
    const hash = multisigSigningHash(config.chainId, account, 0n, update);
    assert.equal(
      h.refusalOf(
        h.malformed(bob, 0n, {
          type: 'multisig_execute',
          account,
          accountNonce: 0n,
          operation: unsorted,
          signatures: ownerSignatures(owners, [0, 1], hash),
        }),
        shards,
      ),
      'MULTISIG_OWNERS_INVALID',
    );

    h.runBlock(shards, 0, [execute(bob, 0n, account, 0n, update, [0, 1])]);
    assert.deepEqual(recordOf(shards[0]!, account), { owners: update.owners, threshold: 1, nonce: 1n });
    assert.equal(readAccount(shards[0]!.state, account).balance, FUNDING, 'an update moves no coins');
    assert.equal(
      readAccount(shards[0]!.state, bob.address).balance,
      START - FEE,
      'the submitter pays the fee',
    );
    // The old owners no longer sign for it; one new owner is enough.
    assert.equal(
      h.refusalOf(execute(bob, 1n, account, 1n, toBob(10n), [0, 1]), shards),
      'AUTHORIZATION_INVALID',
    );
    h.runBlock(shards, 0, [execute(bob, 1n, account, 1n, toBob(10n), [1], newOwners)]);
    assert.equal(readAccount(shards[0]!.state, account).balance, FUNDING - 10n);
  });

  test('a multisig pays a merchant on another shard; receipts name the account, a duplicate comes back to it', () => {
    const { shards, account } = setup();
    const merchant = addressOnShard('shop', 2, config.shardCount);
    const pay: MultisigInnerOperation = {
      type: 'pay',
      merchant,
      amount: 700n,
      paymentId: 'inv-7',
      memo: 'order 7',
    };
    const first = h.runBlock(shards, 0, [
      execute(bob, 0n, account, 0n, pay, [0, 1]),
      execute(bob, 1n, account, 1n, pay, [1, 2]),
    ]);
    assert.equal(first.outgoingReceipts.length, 2);
    for (const [index, receipt] of first.outgoingReceipts.entries()) {
      assert.equal(receipt.operation, 'pay');
      assert.equal(receipt.kind, 'credit');
      assert.deepEqual(receipt.from, account);
      assert.deepEqual(receipt.to, merchant);
      assert.equal(receipt.paymentId, 'inv-7');
      assert.deepEqual(receipt.txId, first.transactionIds[index]);
    }
    assert.deepEqual(readAccount(shards[0]!.state, account), { balance: FUNDING - 1_400n, nonce: 0n });
    assert.equal(readAccount(shards[0]!.state, bob.address).balance, START - 2n * FEE);

    const atMerchant = h.runBlock(shards, 2, [], [batchFrom(shards[0]!, 2n, [0, 1])]);
    assert.deepEqual(
      atMerchant.incomingOutcomes.map((outcome) => outcome.outcome),
      ['credited', 'refunded'],
    );
    assert.equal(readAccount(shards[2]!.state, merchant).balance, 700n);
    assert.deepEqual(atMerchant.outgoingReceipts[0]!.to, account);
    h.runBlock(shards, 0, [], [batchFrom(shards[2]!, 1n, [0])]);
    assert.equal(readAccount(shards[0]!.state, account).balance, FUNDING - 700n);
  });

  test('a multisig burns from its balance and the shard counts it; it cannot spend what it lacks', () => {
    const { shards, account } = setup();
    const burn: MultisigInnerOperation = { type: 'burn', amount: 1_500n, payoutReference: 'wire-1' };
    const before = shards[0]!.store.getMeta()!.burned;
    h.runBlock(shards, 0, [execute(bob, 0n, account, 0n, burn, [0, 2])]);
    assert.equal(shards[0]!.store.getMeta()!.burned, before + 1_500n);
    assert.equal(readAccount(shards[0]!.state, account).balance, FUNDING - 1_500n);
    assert.equal(readAccount(shards[0]!.state, bob.address).balance, START - FEE);
    assert.equal(
      h.refusalOf(execute(bob, 1n, account, 1n, toBob(FUNDING), [0, 1]), shards),
      'INSUFFICIENT_FUNDS',
    );
    const mint = {
      type: 'mint',
      to: bob.address,
      amount: 1n,
      reference: 'x',
    } as unknown as MultisigInnerOperation;
    assert.equal(
      h.refusalOf(
        h.malformed(bob, 1n, {
          type: 'multisig_execute',
          account,
          accountNonce: 1n,
          operation: mint,
          signatures: [],
        }),
        shards,
      ),
      'OPERATION_NOT_ALLOWED',
    );
  });

  test('property: execute succeeds iff at least threshold distinct owners signed validly, conserving coins', () => {
    const seed = Number(process.env.LEDGER_SEED ?? 0x6d75_6c74);
    const pool = sortedKeys('prop-owner', 5, config.shardCount);
    const outsider = sortedKeys('prop-outsider', 1, config.shardCount)[0]!;
    fc.assert(
      fc.property(
        fc.subarray([0, 1, 2, 3, 4], { minLength: 1 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.constantFrom('owner', 'outsider', 'absent'), { minLength: 5, maxLength: 5 }),
        fc.bigInt({ min: 0n, max: 1_000n }),
        (chosen, rawThreshold, signerKinds, salt0) => {
          const groupKeys = chosen.map((index) => pool[index]!);
          const threshold = Math.min(rawThreshold, groupKeys.length);
          const shards = h.freshShards();
          const salt = saltFor(config, alice.address, 0, false, salt0);
          const account = multisigAddress(config.chainId, alice.address, salt);
          h.runBlock(shards, 0, [
            h.tx(alice, 0n, {
              type: 'multisig_create',
              owners: groupKeys.map((key) => key.publicKey),
              threshold,
              salt,
            }),
            h.tx(alice, 1n, { type: 'transfer', to: account, amount: 100n, memo: '' }),
          ]);
          const inner = toBob(60n);
          const hash = multisigSigningHash(config.chainId, account, 0n, inner);
          const signatures = groupKeys.flatMap((key, ownerIndex) => {
            const kind = signerKinds[ownerIndex];
            if (kind === 'absent') return [];
            const signer = kind === 'owner' ? key : outsider;
            return [{ ownerIndex, signature: signAuthorization(hash, signer.privateKey).signature }];
          });
          const valid =
            signatures.length >= threshold &&
            signatures.every((_, i) => signerKinds[signatures[i]!.ownerIndex] === 'owner');
          const tx = h.tx(bob, 0n, {
            type: 'multisig_execute',
            account,
            accountNonce: 0n,
            operation: inner,
            signatures,
          });
          const built = h.runBlock(shards, 0, [tx], [], true);
          assert.equal(built.transactions.length === 1, valid);
          assert.equal(readAccount(shards[0]!.state, account).balance, valid ? 40n : 100n);
          // Nothing created or lost: the shard's balances add up to what it minted less what it burned.
          let balances = 0n;
          shards[0]!.store.forEachAccount((_, { balance }) => {
            balances += balance;
          });
          const meta = shards[0]!.store.getMeta()!;
          assert.equal(balances, meta.minted - meta.burned);
          if (!valid) {
            const expected =
              signatures.length < threshold ? 'MULTISIG_SIGNATURES_INSUFFICIENT' : 'AUTHORIZATION_INVALID';
            assert.equal(built.refusals[0]!.code, expected);
          }
        },
      ),
      { numRuns: 60, seed },
    );
  });
});
