import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import {
  decodeTransaction,
  encodeTransaction,
  formatAmount,
  isTransactionSignatureValid,
  MAX_AMOUNT,
  type Transaction,
  transactionSender,
} from '@shardpay/protocol';
import {
  buildBurn,
  buildMint,
  buildPay,
  buildTransaction,
  buildTransfer,
  createAccountFromPrivateKey,
  restoreWallet,
} from '@shardpay/sdk';
import fc from 'fast-check';
import { createTestNetworkConfig, testKeyOnShard, testPrivateKey } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig({ flatFee: 10_000n });
const sender = createAccountFromPrivateKey(testKeyOnShard(network, 1, 'sender'), network);
const recipient = createAccountFromPrivateKey(testKeyOnShard(network, 0, 'recipient'), network);
const issuer = createAccountFromPrivateKey(testPrivateKey('issuer'), network);
const common = { nonce: 3n, expiryHeight: 500n };
const seed = Number(process.env.SHARDPAY_TEST_SEED ?? 20261122);

function assertSignedBy(tx: Transaction, from: typeof sender): void {
  assert.ok(isTransactionSignatureValid(tx), 'signature verifies');
  assert.deepEqual(transactionSender(tx), from.addressBytes);
  assert.equal(tx.shard, from.shard);
  assert.equal(tx.chainId, network.chainId);
  assert.equal(tx.fee, network.flatFee);
  // The canonical codec accepts it as is.
  assert.deepEqual(decodeTransaction(encodeTransaction(tx)), tx);
}

describe('transaction builders', () => {
  it('builds and signs a transfer on the sender home shard, amounts as strings or bigints', () => {
    const tx = buildTransfer({
      from: sender,
      to: recipient.address,
      amount: '12.5',
      memo: 'lunch ☕',
      ...common,
    });
    assertSignedBy(tx, sender);
    assert.equal(tx.shard, 1);
    assert.equal(tx.nonce, 3n);
    assert.equal(tx.expiryHeight, 500n);
    assert.deepEqual(tx.operation, {
      type: 'transfer',
      to: recipient.addressBytes,
      amount: 12_500_000n,
      memo: 'lunch ☕',
    });
    const same = buildTransfer({
      from: sender,
      to: recipient.address,
      amount: 12_500_000n,
      memo: 'lunch ☕',
      ...common,
    });
    assert.equal(bytesToHex(same.signature), bytesToHex(tx.signature), 'RFC 6979: same body, same signature');
    assert.equal(
      buildTransfer({ from: sender, to: recipient.address, amount: 1n, ...common }).operation.type,
      'transfer',
    );
  });

  it('builds pay, mint and burn', () => {
    const pay = buildPay({
      from: sender,
      merchant: recipient.address,
      amount: '3',
      paymentId: 'inv_123',
      ...common,
    });
    assertSignedBy(pay, sender);
    assert.deepEqual(pay.operation, {
      type: 'pay',
      merchant: recipient.addressBytes,
      amount: 3_000_000n,
      paymentId: 'inv_123',
      memo: '',
    });
    const mint = buildMint({ from: issuer, to: sender.address, amount: '100', reference: 'ch_1', ...common });
    assertSignedBy(mint, issuer);
    assert.deepEqual(mint.operation, {
      type: 'mint',
      to: sender.addressBytes,
      amount: 100_000_000n,
      reference: 'ch_1',
    });
    const burn = buildBurn({ from: sender, amount: '0.000001', payoutReference: 'po_9', ...common });
    assertSignedBy(burn, sender);
    assert.deepEqual(burn.operation, { type: 'burn', amount: 1n, payoutReference: 'po_9' });
    const raw = buildTransaction({ from: sender, operation: burn.operation, ...common });
    assert.deepEqual(raw, burn);
  });

  it('signs with HD wallet accounts too, each on its own home shard', () => {
    const wallet = restoreWallet(`${'abandon '.repeat(11)}about`, { network });
    for (const account of wallet.accounts(4)) {
      assertSignedBy(
        buildTransfer({ from: account, to: recipient.address, amount: '1', ...common }),
        account,
      );
    }
  });

  it('refuses bad input with codes', () => {
    const base = { from: sender, to: recipient.address, amount: '1' as string | bigint, ...common };
    const cases: Array<[string, () => unknown, string]> = [
      ['zero', () => buildTransfer({ ...base, amount: '0' }), 'AMOUNT_INVALID'],
      ['zero bigint', () => buildTransfer({ ...base, amount: 0n }), 'AMOUNT_INVALID'],
      ['negative', () => buildTransfer({ ...base, amount: '-1' }), 'AMOUNT_INVALID'],
      ['negative bigint', () => buildTransfer({ ...base, amount: -5n }), 'AMOUNT_INVALID'],
      ['malformed', () => buildTransfer({ ...base, amount: '1e3' }), 'AMOUNT_INVALID'],
      ['too many decimals', () => buildTransfer({ ...base, amount: '0.0000001' }), 'AMOUNT_INVALID'],
      ['a number', () => buildTransfer({ ...base, amount: 5 as unknown as bigint }), 'AMOUNT_INVALID'],
      ['too large', () => buildTransfer({ ...base, amount: MAX_AMOUNT + 1n }), 'AMOUNT_TOO_LARGE'],
      [
        'too large text',
        () => buildTransfer({ ...base, amount: '18446744073709.551616' }),
        'AMOUNT_TOO_LARGE',
      ],
      [
        'bad checksum',
        () =>
          buildTransfer({
            ...base,
            to: `${recipient.address.slice(0, -1)}${recipient.address.endsWith('q') ? 'p' : 'q'}`,
          }),
        'ADDRESS_INVALID',
      ],
      ['not an address', () => buildTransfer({ ...base, to: 'hello' }), 'ADDRESS_INVALID'],
      [
        'other network',
        () => buildTransfer({ ...base, to: encodeAddress(recipient.addressBytes, 'sp') }),
        'ADDRESS_WRONG_NETWORK',
      ],
      ['memo too long', () => buildTransfer({ ...base, memo: 'é'.repeat(129) }), 'MEMO_TOO_LONG'],
      ['memo lone surrogate', () => buildTransfer({ ...base, memo: '\ud800' }), 'MEMO_TOO_LONG'],
      ['negative nonce', () => buildTransfer({ ...base, nonce: -1n }), 'BAD_NONCE'],
      ['nonce past u64', () => buildTransfer({ ...base, nonce: 1n << 64n }), 'BAD_NONCE'],
      ['fractional nonce', () => buildTransfer({ ...base, nonce: 1.5 }), 'BAD_NONCE'],
      ['negative expiry', () => buildTransfer({ ...base, expiryHeight: -1n }), 'ENCODE_ERROR'],
      ['wrong fee', () => buildTransfer({ ...base, fee: 1n }), 'FEE_INVALID'],
      [
        'empty payment id',
        () => buildPay({ ...base, merchant: recipient.address, paymentId: '' }),
        'REFERENCE_INVALID',
      ],
      [
        'long payment id',
        () => buildPay({ ...base, merchant: recipient.address, paymentId: 'x'.repeat(65) }),
        'REFERENCE_INVALID',
      ],
      [
        'empty mint reference',
        () => buildMint({ ...base, from: issuer, reference: '' }),
        'REFERENCE_INVALID',
      ],
      ['mint by a non-issuer', () => buildMint({ ...base, reference: 'ch_2' }), 'NOT_ISSUER'],
      ['burn without reference', () => buildBurn({ ...base, payoutReference: '' }), 'REFERENCE_INVALID'],
      ['burn of zero', () => buildBurn({ ...base, amount: '0', payoutReference: 'p' }), 'AMOUNT_INVALID'],
      [
        'not an account',
        () => buildTransfer({ ...base, from: { address: sender.address } as unknown as typeof sender }),
        'KEY_INVALID',
      ],
    ];
    for (const [name, build, code] of cases) {
      assert.throws(build, { code }, name);
    }
    // The fee, when given, may be the flat fee itself.
    assert.equal(buildTransfer({ ...base, fee: '0.01' }).fee, 10_000n);
  });

  it('refuses signing a body of another account (KEY_MISMATCH)', () => {
    const tx = buildTransfer({ from: sender, to: recipient.address, amount: '1', ...common });
    assert.throws(() => recipient.signTransaction(tx), { code: 'KEY_MISMATCH' });
  });

  it('reads decimal strings and bigints to the same amount (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT }), (amount) => {
        const fromText = buildBurn({
          from: sender,
          amount: formatAmount(amount).replace(/\.?0+$/, ''),
          payoutReference: 'p',
          ...common,
        });
        const fromBigint = buildBurn({ from: sender, amount, payoutReference: 'p', ...common });
        assert.equal(fromText.operation.type === 'burn' ? fromText.operation.amount : null, amount);
        assert.deepEqual(fromText, fromBigint);
      }),
      { seed, numRuns: 200 },
    );
  });
});
