/**
 * Targeted non-canonical inputs: each mutation lands on a known field (tag, option byte, length
 * prefix, count, UTF-8 payload) of an arbitrary value, and must be refused with its own reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeCommitCertificate,
  decodeProposal,
  decodeReceipt,
  decodeTransaction,
  decodeVote,
  encodeBlock,
  encodeCommitCertificate,
  encodeNetworkConfig,
  encodeProposal,
  encodeProposalBody,
  encodeReceipt,
  encodeTransaction,
  encodeTransactionBody,
  encodeVote,
  MAX_CERTIFICATE_SIGNATURES,
  MAX_CHAIN_ID_BYTES,
  MAX_MEMO_BYTES,
  MAX_U64,
  type Transaction,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { assertThrowsCode } from './assertions.ts';
import { propertyParameters } from './propertyParameters.ts';

const utf8 = new TextEncoder();
const chainIdLength = (chainId: string) => utf8.encode(chainId).length;

/** Offsets of fields after the kind byte and the chainId string (u16 length + bytes). */
const afterChainId = (chainId: string) => 1 + 2 + chainIdLength(chainId);
/** Transaction: chainId, shard u16, nonce/fee/expiry u64, public key 33, then the operation tag. */
const operationTagOffset = (tx: Transaction) => afterChainId(tx.chainId) + 2 + 24 + 33;

function setU16(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(offset, value);
}

function setU32(bytes: Uint8Array, offset: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value);
}

/** Every operation tag in use (1 to 16). */
const OPERATION_TAGS = Array.from({ length: 16 }, (_, i) => i + 1);

const byteOutside = (allowed: number[]) =>
  fc.integer({ min: 0, max: 255 }).filter((b) => !allowed.includes(b));

/** Sequences that are not well-formed UTF-8: overlongs, surrogates, stray continuations, > U+10FFFF. */
const malformedUtf8 = fc.constantFrom(
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0x80],
  [0xbf],
  [0xff],
  [0xfe],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
);

describe('codec rejects non-canonical fields', () => {
  it('unknown operation tags → unknown_tag', () => {
    fc.assert(
      fc.property(arb.transaction, byteOutside(OPERATION_TAGS), (tx, tag) => {
        const bytes = encodeTransaction(tx).slice();
        bytes[operationTagOffset(tx)] = tag;
        assertThrowsCode(() => decodeTransaction(bytes), 'DECODE_ERROR', 'unknown_tag');
      }),
      propertyParameters(),
    );
  });

  it('unknown vote types → unknown_tag; option bytes other than 0/1 → invalid_option', () => {
    fc.assert(
      fc.property(arb.vote, byteOutside([1, 2]), fc.integer({ min: 2, max: 255 }), (vote, tag, option) => {
        const typeOffset = afterChainId(vote.chainId) + 2 + 8 + 4;
        const badType = encodeVote(vote).slice();
        badType[typeOffset] = tag;
        assertThrowsCode(() => decodeVote(badType), 'DECODE_ERROR', 'unknown_tag');
        const badOption = encodeVote(vote).slice();
        badOption[typeOffset + 1] = option;
        const error = assertThrowsCode(() => decodeVote(badOption), 'DECODE_ERROR', 'invalid_option');
        assert.equal(error.meta.offset, typeOffset + 1);
      }),
      propertyParameters(),
    );
  });

  it('receipt kind and operation tags, and the refundOf option byte', () => {
    fc.assert(
      fc.property(
        arb.receipt,
        byteOutside([1, 2]),
        byteOutside([1, 2, 3, 6, 9, 11]),
        fc.integer({ min: 2, max: 255 }),
        (receipt, kindTag, operationTag, option) => {
          const kindOffset = afterChainId(receipt.chainId) + 2 + 2 + 8 + 4;
          const operationOffset = kindOffset + 1 + 32;
          const optionOffset = encodeReceipt(receipt).length - (receipt.refundOf === null ? 1 : 33);
          for (const [offset, value, reason] of [
            [kindOffset, kindTag, 'unknown_tag'],
            [operationOffset, operationTag, 'unknown_tag'],
            [optionOffset, option, 'invalid_option'],
          ] as const) {
            const bytes = encodeReceipt(receipt).slice();
            bytes[offset] = value;
            assertThrowsCode(() => decodeReceipt(bytes), 'DECODE_ERROR', reason);
          }
        },
      ),
      propertyParameters(),
    );
  });

  it('the validRound option byte of a proposal', () => {
    fc.assert(
      fc.property(arb.proposal, fc.integer({ min: 2, max: 255 }), (proposal, option) => {
        const bytes = encodeProposal(proposal).slice();
        bytes[afterChainId(proposal.chainId) + 2 + 8 + 4] = option;
        assertThrowsCode(() => decodeProposal(bytes), 'DECODE_ERROR', 'invalid_option');
      }),
      propertyParameters(),
    );
  });

  it('string lengths over their limit → length_over_limit, before reading the payload', () => {
    fc.assert(
      fc.property(
        arb.transaction,
        fc.integer({ min: MAX_CHAIN_ID_BYTES + 1, max: 0xffff }),
        fc.integer({ min: MAX_MEMO_BYTES + 1, max: 0xffff }),
        (tx, chainIdLengthField, memoLengthField) => {
          const badChainId = encodeTransaction(tx).slice();
          setU16(badChainId, 1, chainIdLengthField);
          assertThrowsCode(() => decodeTransaction(badChainId), 'DECODE_ERROR', 'length_over_limit');

          const transfer = {
            ...tx,
            operation: { type: 'transfer' as const, to: new Uint8Array(20), amount: 1n, memo: '' },
          };
          const badMemo = encodeTransaction(transfer).slice();
          setU16(badMemo, operationTagOffset(transfer) + 1 + 20 + 8, memoLengthField);
          assertThrowsCode(() => decodeTransaction(badMemo), 'DECODE_ERROR', 'length_over_limit');
        },
      ),
      propertyParameters(),
    );
  });

  it('array counts over their limit → count_over_limit; counts the input cannot hold → truncated', () => {
    fc.assert(
      fc.property(
        arb.commitCertificate,
        fc.integer({ min: MAX_CERTIFICATE_SIGNATURES + 1, max: 0xffff_ffff }),
        fc.integer({ min: 1, max: MAX_CERTIFICATE_SIGNATURES }),
        (cert, overLimit, extra) => {
          const countOffset = afterChainId(cert.chainId) + 2 + 8 + 4 + 32;
          const tooMany = encodeCommitCertificate(cert).slice();
          setU32(tooMany, countOffset, overLimit);
          assertThrowsCode(() => decodeCommitCertificate(tooMany), 'DECODE_ERROR', 'count_over_limit');
          const count = Math.min(cert.signatures.length + extra, MAX_CERTIFICATE_SIGNATURES);
          fc.pre(count > cert.signatures.length);
          const tooFew = encodeCommitCertificate(cert).slice();
          setU32(tooFew, countOffset, count);
          assertThrowsCode(() => decodeCommitCertificate(tooFew), 'DECODE_ERROR', 'truncated');
        },
      ),
      propertyParameters(),
    );
  });

  it('malformed UTF-8 in a string → invalid_utf8', () => {
    fc.assert(
      fc.property(
        arb.transaction,
        fc.string({ unit: 'binary-ascii', minLength: 4, maxLength: 200 }),
        malformedUtf8,
        fc.nat(),
        (tx, memo, sequence, at) => {
          const transfer = {
            ...tx,
            operation: { type: 'transfer' as const, to: new Uint8Array(20), amount: 1n, memo },
          };
          const bytes = encodeTransaction(transfer).slice();
          const memoStart = operationTagOffset(transfer) + 1 + 20 + 8 + 2;
          const position = memoStart + (at % (memo.length - sequence.length + 1));
          bytes.set(sequence, position);
          assertThrowsCode(() => decodeTransaction(bytes), 'DECODE_ERROR', 'invalid_utf8');
        },
      ),
      propertyParameters(),
    );
  });

  it('keeps a leading byte-order mark (a BOM is content, not dropped)', () => {
    const tx = fc.sample(arb.transaction, { numRuns: 1, seed: 1 })[0];
    assert.ok(tx !== undefined);
    const withBom = { ...tx, chainId: '\uFEFFchain' };
    assert.equal(decodeTransaction(encodeTransaction(withBom)).chainId, '\uFEFFchain');
  });
});

describe('codec refuses values it cannot encode (ENCODE_ERROR)', () => {
  const base = fc.sample(arb.transaction, { numRuns: 1, seed: 7 })[0] as Transaction;
  const cases: Array<[string, () => unknown, string]> = [
    ['negative u64', () => encodeTransaction({ ...base, nonce: -1n }), 'out_of_range'],
    ['u64 above 2^64-1', () => encodeTransaction({ ...base, fee: MAX_U64 + 1n }), 'out_of_range'],
    ['number for a u64', () => encodeTransaction({ ...base, nonce: 1 as unknown as bigint }), 'not_bigint'],
    ['shard above u16', () => encodeTransaction({ ...base, shard: 0x10000 }), 'out_of_range'],
    ['fractional shard', () => encodeTransaction({ ...base, shard: 1.5 }), 'out_of_range'],
    ['short public key', () => encodeTransaction({ ...base, publicKey: new Uint8Array(32) }), 'wrong_length'],
    ['long signature', () => encodeTransaction({ ...base, signature: new Uint8Array(65) }), 'wrong_length'],
    [
      'chainId over limit',
      () => encodeTransaction({ ...base, chainId: 'c'.repeat(65) }),
      'length_over_limit',
    ],
    ['lone surrogate', () => encodeTransaction({ ...base, chainId: 'a\ud800' }), 'invalid_utf16'],
    [
      'unknown operation',
      () =>
        encodeTransactionBody({
          ...base,
          operation: { type: 'steal' } as unknown as Transaction['operation'],
        }),
      'unknown_variant',
    ],
    [
      'missing operation',
      () => encodeTransaction({ ...base, operation: undefined as unknown as Transaction['operation'] }),
      'malformed_value',
    ],
    [
      'validRound below -1',
      () =>
        encodeProposalBody({
          chainId: 'c',
          shard: 0,
          height: 1n,
          round: 0,
          validRound: -2,
          blockHash: new Uint8Array(32),
          proposerIndex: 0,
        }),
      'out_of_range',
    ],
    [
      'too many transactions',
      () =>
        encodeBlock({
          header: {
            chainId: 'c',
            shard: 0,
            height: 1n,
            timestampMs: 1n,
            parentHash: new Uint8Array(32),
            proposerIndex: 0,
            txRoot: new Uint8Array(32),
            incomingRoot: new Uint8Array(32),
            stateRoot: new Uint8Array(32),
            receiptsRoot: new Uint8Array(32),
            lastCommitHash: new Uint8Array(32),
          },
          transactions: new Array(65_537).fill(base),
          incoming: [],
        }),
      'count_over_limit',
    ],
    [
      'bucket map over 4096 entries',
      () =>
        encodeNetworkConfig({
          chainId: 'c',
          addressPrefix: 'spd',
          shardCount: 1,
          bucketToShard: new Array(4097).fill(0),
          committees: [],
          issuers: [],
          flatFee: 0n,
          feeCollectors: [],
          initialBalances: [],
          genesisTimeMs: 0n,
        }),
      'count_over_limit',
    ],
  ];
  for (const [name, encode, reason] of cases) {
    it(`${name} → ${reason}`, () => {
      assertThrowsCode(encode, 'ENCODE_ERROR', reason);
    });
  }
});
