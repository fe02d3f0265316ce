import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bytesToHex,
  encodeAddress,
  isShardpayError,
  publicKeyFromPrivateKey,
  verifyHash,
} from '@shardpay/crypto';
import {
  decodeTransaction,
  encodeTransaction,
  escrowActionSigningHash,
  isAuthorizationValid,
  issuerControlSigningHash,
  isTransactionSignatureValid,
  multisigAddress,
  multisigSigningHash,
  shardOfAddress,
  type Transaction,
  timelockClaimSigningHash,
  transactionId,
} from '@shardpay/protocol';
import {
  buildEscrowDispute,
  buildEscrowLock,
  buildEscrowRefund,
  buildEscrowRelease,
  buildEscrowSettle,
  buildIssuerControl,
  buildMultisigCreate,
  buildMultisigExecute,
  buildTimelockCancel,
  buildTimelockClaim,
  buildTimelockCreate,
  createAccountFromPrivateKey,
  findMultisigSalt,
  signEscrowAction,
  signIssuerControl,
  signMultisig,
  signTimelockClaim,
} from '@shardpay/sdk';
import { createTestNetworkConfig, testKeyOnShard, testPrivateKey } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig({ flatFee: 10_000n });
const buyer = createAccountFromPrivateKey(testKeyOnShard(network, 1, 'buyer'), network);
const merchantKey = testKeyOnShard(network, 0, 'merchant');
const merchant = createAccountFromPrivateKey(merchantKey, network);
const oracleKey = testPrivateKey('oracle');
const oracle = createAccountFromPrivateKey(oracleKey, network);
const arbiterKey = testPrivateKey('arbiter');
const arbiter = createAccountFromPrivateKey(arbiterKey, network);
const common = { nonce: 2n, expiryHeight: 900n };
const escrowId = 'ab'.repeat(32);

/** Signed by `from`, on its shard, and its canonical bytes decode to the same transaction. */
function assertSound(tx: Transaction, from = buyer): void {
  assert.ok(isTransactionSignatureValid(tx));
  assert.equal(tx.shard, from.shard);
  assert.equal(tx.fee, network.flatFee);
  assert.deepEqual(decodeTransaction(encodeTransaction(tx)), tx);
}

function codeOf(error: unknown): string {
  return isShardpayError(error) ? error.code : String(error);
}

describe('commerce builders', () => {
  it('builds an escrow lock with an oracle and an arbiter', () => {
    const tx = buildEscrowLock({
      from: buyer,
      merchant: merchant.address,
      amount: '40.25',
      orderId: 'inv_1',
      deadlineMs: 1_800_000_000_000,
      oracle: oracle.address,
      arbiter: arbiter.address,
      memo: 'order',
      ...common,
    });
    assertSound(tx);
    assert.deepEqual(tx.operation, {
      type: 'escrow_lock',
      merchant: merchant.addressBytes,
      amount: 40_250_000n,
      orderId: 'inv_1',
      deadlineMs: 1_800_000_000_000n,
      arbiter: arbiter.addressBytes,
      oracle: oracle.addressBytes,
      memo: 'order',
    });
    const plain = buildEscrowLock({
      from: buyer,
      merchant: merchant.address,
      amount: 1n,
      orderId: 'o',
      deadlineMs: 0n,
      ...common,
    });
    assert.equal(plain.operation.type === 'escrow_lock' && plain.operation.oracle, null);
    assert.throws(
      () =>
        buildEscrowLock({
          from: buyer,
          merchant: 'nope',
          amount: '1',
          orderId: 'o',
          deadlineMs: 0,
          ...common,
        }),
      (error) => codeOf(error) === 'ADDRESS_INVALID',
    );
    assert.throws(
      () =>
        buildEscrowLock({
          from: buyer,
          merchant: merchant.address,
          amount: '1',
          orderId: '',
          deadlineMs: 0,
          ...common,
        }),
      (error) => codeOf(error) === 'REFERENCE_INVALID',
    );
  });

  it('signs the oracle attestation and carries it in a release from any fee payer', () => {
    const attestation = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'release' },
      oracleKey,
    );
    const hash = escrowActionSigningHash(
      network.chainId,
      Uint8Array.from(Buffer.from(escrowId, 'hex')),
      'release',
      0n,
    );
    assert.ok(isAuthorizationValid(attestation, hash));
    assert.deepEqual(attestation.publicKey, oracle.publicKey);
    // Not valid as any other action.
    const refundHash = escrowActionSigningHash(
      network.chainId,
      Uint8Array.from(Buffer.from(escrowId, 'hex')),
      'refund',
      0n,
    );
    assert.ok(!isAuthorizationValid(attestation, refundHash));

    const release = buildEscrowRelease({ from: merchant, escrowId, authorization: attestation, ...common });
    assertSound(release, merchant);
    assert.deepEqual(release.operation, {
      type: 'escrow_release',
      escrowId: Uint8Array.from(Buffer.from(escrowId, 'hex')),
      authorization: attestation,
    });
    const byBuyer = buildEscrowRelease({ from: buyer, escrowId: Buffer.from(escrowId, 'hex'), ...common });
    assert.equal(byBuyer.operation.type === 'escrow_release' && byBuyer.operation.authorization, null);
    assert.throws(
      () => buildEscrowRelease({ from: buyer, escrowId: 'abc', ...common }),
      (error) => codeOf(error) === 'HASH_INVALID',
    );
  });

  it('builds refunds, disputes and settlements whose authorizations verify', () => {
    const id = Uint8Array.from(Buffer.from(escrowId, 'hex'));
    const refundAuth = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'refund' },
      merchantKey,
    );
    assert.ok(isAuthorizationValid(refundAuth, escrowActionSigningHash(network.chainId, id, 'refund', 0n)));
    assertSound(buildEscrowRefund({ from: buyer, escrowId, authorization: refundAuth, ...common }));
    assertSound(buildEscrowDispute({ from: buyer, escrowId, ...common }));
    const settleAuth = signEscrowAction(
      { chainId: network.chainId, escrowId, action: 'settle', buyerAmount: '10' },
      arbiterKey,
    );
    assert.ok(
      isAuthorizationValid(settleAuth, escrowActionSigningHash(network.chainId, id, 'settle', 10_000_000n)),
    );
    assert.ok(
      !isAuthorizationValid(settleAuth, escrowActionSigningHash(network.chainId, id, 'settle', 9_000_000n)),
    );
    const settle = buildEscrowSettle({
      from: buyer,
      escrowId,
      buyerAmount: '0',
      authorization: settleAuth,
      ...common,
    });
    assertSound(settle);
    assert.equal(settle.operation.type === 'escrow_settle' && settle.operation.buyerAmount, 0n);
    assert.throws(
      () =>
        signEscrowAction(
          { chainId: network.chainId, escrowId, action: 'release', buyerAmount: '1' },
          oracleKey,
        ),
      (error) => codeOf(error) === 'ENCODE_ERROR',
    );
    assert.throws(
      () => signEscrowAction({ chainId: network.chainId, escrowId, action: 'release' }, new Uint8Array(31)),
      (error) => codeOf(error) === 'KEY_INVALID',
    );
  });

  it('builds time locks and the receiver claim authorization', () => {
    const create = buildTimelockCreate({
      from: buyer,
      to: merchant.address,
      amount: '5',
      unlockHeight: 120,
      ...common,
    });
    assertSound(create);
    assert.equal(create.operation.type === 'timelock_create' && create.operation.unlockHeight, 120n);
    const timelockId = bytesToHex(transactionId(create));
    const claimAuth = signTimelockClaim({ chainId: network.chainId, timelockId }, merchantKey);
    assert.ok(
      isAuthorizationValid(claimAuth, timelockClaimSigningHash(network.chainId, transactionId(create))),
    );
    assertSound(buildTimelockClaim({ from: buyer, timelockId, authorization: claimAuth, ...common }));
    assertSound(buildTimelockClaim({ from: merchant, timelockId, ...common }), merchant);
    assertSound(buildTimelockCancel({ from: buyer, timelockId, ...common }));
  });

  it('finds a salt whose multisig address lands on the creator shard, and builds create and execute', () => {
    for (const shard of [0, 1]) {
      const salt = findMultisigSalt(network, buyer.addressBytes, shard);
      assert.equal(
        shardOfAddress(network, multisigAddress(network.chainId, buyer.addressBytes, salt)),
        shard,
      );
    }
    assert.throws(
      () => findMultisigSalt(network, buyer.addressBytes, 2),
      (error) => codeOf(error) === 'SHARD_UNKNOWN',
    );

    const ownerKeys = [testPrivateKey('owner a'), testPrivateKey('owner b'), testPrivateKey('owner c')];
    const publicKeys = ownerKeys.map((key) => publicKeyFromPrivateKey(key));
    const salt = findMultisigSalt(network, buyer.addressBytes, buyer.shard);
    const create = buildMultisigCreate({
      from: buyer,
      owners: [bytesToHex(publicKeys[2]!), publicKeys[0]!, publicKeys[1]!],
      threshold: 2,
      salt,
      ...common,
    });
    assertSound(create);
    const owners = create.operation.type === 'multisig_create' ? create.operation.owners : [];
    assert.deepEqual(
      owners.map((key) => bytesToHex(key)),
      publicKeys.map((key) => bytesToHex(key)).sort(),
    );
    assert.throws(
      () =>
        buildMultisigCreate({
          from: buyer,
          owners: [publicKeys[0]!, publicKeys[0]!],
          threshold: 1,
          salt,
          ...common,
        }),
      (error) => codeOf(error) === 'KEY_INVALID',
    );
    assert.throws(
      () => buildMultisigCreate({ from: buyer, owners: publicKeys, threshold: 4, salt, ...common }),
      (error) => codeOf(error) === 'ENCODE_ERROR',
    );

    const accountBytes = multisigAddress(network.chainId, buyer.addressBytes, salt);
    const operation = { type: 'transfer' as const, to: merchant.addressBytes, amount: 1_000_000n, memo: '' };
    const ownerIndex = (key: Uint8Array) =>
      owners.findIndex((owner) => bytesToHex(owner) === bytesToHex(publicKeyFromPrivateKey(key)));
    const signatures = [ownerKeys[2]!, ownerKeys[0]!].map((key) =>
      signMultisig(
        { chainId: network.chainId, account: accountBytes, accountNonce: 0n, operation },
        key,
        ownerIndex(key),
      ),
    );
    const hash = multisigSigningHash(network.chainId, accountBytes, 0n, operation);
    for (const signature of signatures) {
      assert.ok(verifyHash(signature.signature, hash, owners[signature.ownerIndex]!));
    }
    const execute = buildMultisigExecute({
      from: merchant,
      account: encodeText(accountBytes),
      accountNonce: 0n,
      operation,
      signatures,
      ...common,
    });
    assertSound(execute, merchant);
    const sorted = execute.operation.type === 'multisig_execute' ? execute.operation.signatures : [];
    assert.deepEqual(
      sorted.map((entry) => entry.ownerIndex),
      signatures.map((entry) => entry.ownerIndex).sort((a, b) => a - b),
    );
    // The same signature from the bech32m text of the account.
    const fromText = signMultisig(
      { chainId: network.chainId, account: encodeText(accountBytes), accountNonce: 0n, operation },
      ownerKeys[0]!,
      ownerIndex(ownerKeys[0]!),
    );
    assert.ok(verifyHash(fromText.signature, hash, publicKeys[0]!));
  });

  it('signs and builds issuer controls', () => {
    const memberKeys = [testPrivateKey('member 0'), testPrivateKey('member 1')];
    const signatures = memberKeys.map((key, index) =>
      signIssuerControl(
        { chainId: network.chainId, shard: 1, controlNonce: 0n, action: 'freeze', target: merchant.address },
        key,
        index,
      ),
    );
    const hash = issuerControlSigningHash(network.chainId, 1, 0n, 'freeze', merchant.addressBytes);
    signatures.forEach((entry, index) => {
      assert.ok(verifyHash(entry.signature, hash, publicKeyFromPrivateKey(memberKeys[index]!)));
    });
    const tx = buildIssuerControl({
      from: buyer,
      action: 'freeze',
      target: merchant.address,
      controlNonce: 0n,
      signatures: [...signatures].reverse(),
      ...common,
    });
    assertSound(tx);
    assert.deepEqual(
      tx.operation.type === 'issuer_control' && tx.operation.signatures.map((entry) => entry.ownerIndex),
      [0, 1],
    );
    const pause = buildIssuerControl({
      from: buyer,
      action: 'pause',
      controlNonce: 1n,
      signatures,
      ...common,
    });
    assert.equal(pause.operation.type === 'issuer_control' && pause.operation.target, null);
    assert.throws(
      () => buildIssuerControl({ from: buyer, action: 'freeze', controlNonce: 0n, signatures, ...common }),
      (error) => codeOf(error) === 'ENCODE_ERROR',
    );
    assert.throws(
      () =>
        buildIssuerControl({
          from: buyer,
          action: 'pause',
          target: merchant.address,
          controlNonce: 0n,
          signatures,
          ...common,
        }),
      (error) => codeOf(error) === 'ENCODE_ERROR',
    );
  });
});

function encodeText(address: Uint8Array): string {
  return encodeAddress(address, network.addressPrefix);
}
