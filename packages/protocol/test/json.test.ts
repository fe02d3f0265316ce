import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeAddress } from '@shardpay/crypto';
import fc from 'fast-check';
import {
  blockFromJson,
  blockToJson,
  commitCertificateFromJson,
  networkConfigFromJson,
  networkConfigToJson,
  receiptFromJson,
  receiptToJson,
  transactionFromJson,
  transactionToJson,
  voteFromJson,
  voteToJson,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { assertThrowsCode } from './assertions.ts';
import { kindCases } from './kinds.ts';
import { propertyParameters } from './propertyParameters.ts';

const options = { addressPrefix: 'spd' };

describe('JSON forms round-trip', () => {
  for (const c of kindCases) {
    it(`${c.name}: fromJson(parse(stringify(toJson(v)))) = v`, () => {
      fc.assert(
        fc.property(c.arbitrary, arb.addressPrefix, (value, prefix) => {
          const text = JSON.stringify(c.toJson(value, prefix));
          assert.deepStrictEqual(c.fromJson(JSON.parse(text), prefix), value);
        }),
        propertyParameters(),
      );
    });
  }

  it('uses bech32m addresses, lowercase hex, decimal-string amounts and u64s, number small ints', () => {
    const [tx] = fc.sample(arb.transaction, { numRuns: 1, seed: 11 });
    assert.ok(tx !== undefined);
    const transfer = {
      ...tx,
      operation: { type: 'transfer' as const, to: new Uint8Array(20), amount: 12_500_000n, memo: '' },
    };
    const json = transactionToJson({ ...transfer, nonce: 7n, fee: 1_000n }, options);
    assert.equal(json.nonce, '7');
    assert.equal(json.fee, '0.001000');
    assert.equal(typeof json.shard, 'number');
    assert.match(json.publicKey, /^[0-9a-f]{66}$/);
    assert.match(json.signature, /^[0-9a-f]{128}$/);
    assert.deepStrictEqual(json.operation, {
      type: 'transfer',
      to: encodeAddress(new Uint8Array(20), 'spd'),
      amount: '12.500000',
      memo: '',
    });
  });
});

type Json = Record<string, unknown>;
const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

describe('JSON forms are read strictly (JSON_INVALID with meta.path)', () => {
  const [tx] = fc.sample(arb.transaction, { numRuns: 1, seed: 21 });
  assert.ok(tx !== undefined);
  const transfer = {
    ...tx,
    operation: { type: 'transfer' as const, to: new Uint8Array(20).fill(9), amount: 5n, memo: 'm' },
  };
  const txJson = clone(transactionToJson(transfer, options));
  const withOperation = (changes: Json): Json => ({
    ...txJson,
    operation: { ...(txJson.operation as Json), ...changes },
  });
  const goodAddress = (txJson.operation as Json).to as string;
  const corruptedAddress = goodAddress.slice(0, -1) + (goodAddress.endsWith('q') ? 'p' : 'q');
  const without = (json: Json, key: string): Json => {
    const copy = { ...json };
    delete copy[key];
    return copy;
  };

  const cases: Array<[string, unknown, string, string]> = [
    ['null', null, '', 'not_object'],
    ['an array', [], '', 'not_object'],
    ['a string', 'tx', '', 'not_object'],
    ['an unknown field', { ...txJson, extra: 1 }, 'extra', 'unknown_field'],
    [
      'a __proto__ key',
      JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(txJson).slice(1)}`),
      '__proto__',
      'unknown_field',
    ],
    ['a missing field', without(txJson, 'nonce'), 'nonce', 'missing_field'],
    ['an undefined-valued field', { ...txJson, nonce: undefined }, 'nonce', 'wrong_type'],
    ['a string shard', { ...txJson, shard: '0' }, 'shard', 'wrong_type'],
    ['a fractional shard', { ...txJson, shard: 1.5 }, 'shard', 'out_of_range'],
    ['a negative shard', { ...txJson, shard: -1 }, 'shard', 'out_of_range'],
    ['a shard above u16', { ...txJson, shard: 65_536 }, 'shard', 'out_of_range'],
    ['a number nonce', { ...txJson, nonce: 5 }, 'nonce', 'wrong_type'],
    ['a nonce with leading zero', { ...txJson, nonce: '05' }, 'nonce', 'invalid_integer'],
    ['a negative nonce', { ...txJson, nonce: '-1' }, 'nonce', 'invalid_integer'],
    ['a nonce above u64', { ...txJson, nonce: '18446744073709551616' }, 'nonce', 'out_of_range'],
    ['an empty nonce', { ...txJson, nonce: '' }, 'nonce', 'invalid_integer'],
    ['a chainId number', { ...txJson, chainId: 1 }, 'chainId', 'wrong_type'],
    ['a chainId over 64 bytes', { ...txJson, chainId: 'é'.repeat(33) }, 'chainId', 'too_long'],
    ['a lone surrogate', { ...txJson, chainId: '\ud800' }, 'chainId', 'invalid_value'],
    [
      'uppercase hex',
      { ...txJson, publicKey: (txJson.publicKey as string).toUpperCase() },
      'publicKey',
      'invalid_hex',
    ],
    [
      '0x-prefixed hex',
      { ...txJson, signature: `0x${(txJson.signature as string).slice(2)}` },
      'signature',
      'invalid_hex',
    ],
    [
      'short hex',
      { ...txJson, signature: (txJson.signature as string).slice(2) },
      'signature',
      'invalid_hex',
    ],
    ['non-hex characters', { ...txJson, publicKey: 'zz'.repeat(33) }, 'publicKey', 'invalid_hex'],
    ['a fee with 7 decimals', { ...txJson, fee: '0.0000001' }, 'fee', 'invalid_amount'],
    ['a number fee', { ...txJson, fee: 1 }, 'fee', 'wrong_type'],
    ['a negative amount', withOperation({ amount: '-1' }), 'operation.amount', 'invalid_amount'],
    [
      'an amount above the maximum',
      withOperation({ amount: '18446744073709.551616' }),
      'operation.amount',
      'invalid_amount',
    ],
    [
      'an address of another network',
      withOperation({ to: encodeAddress(new Uint8Array(20), 'sp') }),
      'operation.to',
      'invalid_address',
    ],
    [
      'an address with a bad checksum',
      withOperation({ to: corruptedAddress }),
      'operation.to',
      'invalid_address',
    ],
    ['an unknown operation type', withOperation({ type: 'steal' }), 'operation.type', 'invalid_value'],
    [
      'a missing operation type',
      { ...txJson, operation: without(txJson.operation as Json, 'type') },
      'operation.type',
      'missing_field',
    ],
    [
      'a field of another operation',
      withOperation({ reference: 'x' }),
      'operation.reference',
      'unknown_field',
    ],
    ['a memo over 256 bytes', withOperation({ memo: 'm'.repeat(257) }), 'operation.memo', 'too_long'],
    ['an operation that is not an object', { ...txJson, operation: 'transfer' }, 'operation', 'not_object'],
  ];

  for (const [name, json, path, reason] of cases) {
    it(`transaction with ${name} → ${path === '' ? '(root)' : path}: ${reason}`, () => {
      const error = assertThrowsCode(() => transactionFromJson(json, options), 'JSON_INVALID', reason);
      assert.equal(error.meta.path, path);
    });
  }

  it('keeps the address error as the cause (ADDRESS_WRONG_NETWORK)', () => {
    const error = assertThrowsCode(
      () => transactionFromJson(withOperation({ to: encodeAddress(new Uint8Array(20), 'sp') }), options),
      'JSON_INVALID',
    );
    assert.equal((error.cause as { code?: string }).code, 'ADDRESS_WRONG_NETWORK');
  });

  it('names nested paths inside blocks, certificates, votes, receipts and configs', () => {
    const [block] = fc.sample(
      arb.block.filter((b) => b.transactions.length >= 2 && b.incoming.length >= 1),
      {
        numRuns: 1,
        seed: 5,
      },
    );
    assert.ok(block !== undefined);
    const blockJson = clone(blockToJson(block, options));
    const txs = blockJson.transactions as Json[];
    (txs[1] as Json).nonce = 'x';
    let error = assertThrowsCode(() => blockFromJson(blockJson, options), 'JSON_INVALID', 'invalid_integer');
    assert.equal(error.meta.path, 'transactions[1].nonce');

    const blockJson2 = clone(blockToJson(block, options));
    ((blockJson2.incoming as Json[])[0] as Json).certificate = {
      ...(((blockJson2.incoming as Json[])[0] as Json).certificate as Json),
      round: -1,
    };
    error = assertThrowsCode(() => blockFromJson(blockJson2, options), 'JSON_INVALID', 'out_of_range');
    assert.equal(error.meta.path, 'incoming[0].certificate.round');

    const [cert] = fc.sample(
      arb.commitCertificate.filter((c) => c.signatures.length > 0),
      { numRuns: 1, seed: 5 },
    );
    assert.ok(cert !== undefined);
    const certJson = clone({
      ...cert,
      height: '1',
      blockHash: '00'.repeat(32),
      signatures: [{ validatorIndex: 0, signature: 'ab' }],
    });
    error = assertThrowsCode(() => commitCertificateFromJson(certJson), 'JSON_INVALID', 'invalid_hex');
    assert.equal(error.meta.path, 'signatures[0].signature');

    const [vote] = fc.sample(arb.vote, { numRuns: 1, seed: 5 });
    assert.ok(vote !== undefined);
    assert.deepStrictEqual(voteFromJson(clone(voteToJson({ ...vote, blockHash: null }))).blockHash, null);
    error = assertThrowsCode(
      () => voteFromJson({ ...clone(voteToJson(vote)), type: 'commit' }),
      'JSON_INVALID',
      'invalid_value',
    );
    assert.equal(error.meta.path, 'type');

    const [receipt] = fc.sample(arb.receipt, { numRuns: 1, seed: 5 });
    assert.ok(receipt !== undefined);
    error = assertThrowsCode(
      () => receiptFromJson({ ...clone(receiptToJson(receipt, options)), refundOf: 'abc' }, options),
      'JSON_INVALID',
      'invalid_hex',
    );
    assert.equal(error.meta.path, 'refundOf');
  });

  it('reads a network config under its own address prefix, and refuses a bad prefix', () => {
    const [config] = fc.sample(
      arb.networkConfig.filter(
        (c) => c.committees.some((committee) => committee.validators.length > 0) && c.issuers.length > 0,
      ),
      { numRuns: 1, seed: 5 },
    );
    assert.ok(config !== undefined);
    const json = clone(networkConfigToJson(config));
    assert.deepStrictEqual(networkConfigFromJson(json), config);
    let error = assertThrowsCode(
      () => networkConfigFromJson({ ...json, addressPrefix: 'SPD' }),
      'JSON_INVALID',
      'invalid_value',
    );
    assert.equal(error.meta.path, 'addressPrefix');
    const otherPrefix = config.addressPrefix === 'zz' ? 'yy' : 'zz';
    error = assertThrowsCode(
      () => networkConfigFromJson({ ...json, addressPrefix: otherPrefix }),
      'JSON_INVALID',
      'invalid_address',
    );
    assert.equal(error.meta.path, 'issuers[0]');
    const committeeIndex = config.committees.findIndex((committee) => committee.validators.length > 0);
    const committees = json.committees as Json[];
    const committee = committees[committeeIndex] as Json;
    (committee.validators as Json[])[0] = { publicKey: '02', addresses: [] };
    error = assertThrowsCode(() => networkConfigFromJson(json), 'JSON_INVALID', 'invalid_hex');
    assert.equal(error.meta.path, `committees[${committeeIndex}].validators[0].publicKey`);
  });
});
