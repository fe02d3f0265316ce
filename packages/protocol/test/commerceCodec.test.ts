/**
 * The commerce operations' codec (escrow, time locks, multisig, issuer controls) and the network
 * config's issuer control group: round trips, canonicality (ascending owner and signer lists,
 * thresholds, the operations a multisig may run, a target exactly for freeze/unfreeze), and one
 * pinned hex per operation so the bytes never change silently.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, concatBytes, equalBytes, hexToBytes, isShardpayError } from '@shardpay/crypto';
import fc from 'fast-check';
import {
  decodeNetworkConfig,
  decodeOperation,
  decodeTransaction,
  encodeNetworkConfig,
  encodeOperation,
  encodeTransaction,
  MAX_MULTISIG_OWNERS,
  type MultisigExecuteOperation,
  type NetworkConfig,
  type Operation,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { assertThrowsCode } from './assertions.ts';
import { commerceVectorOperations, vectorOwners } from './commerceVectors.ts';
import { testNetworkConfig } from './fixtures.ts';
import { propertyParameters } from './propertyParameters.ts';

/** Canonical hex of each vector of `commerceVectors.ts`. Never edit: a change here is a fork. */
const expectedHex: Record<string, string> = {
  'escrow_lock with arbiter and oracle':
    '0d054d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d00000000017d78400006696e765f34320000019b76daa80001a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1010c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c00086f72646572203432',
  'escrow_lock without arbiter or oracle':
    '0d054d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d000000000000000100016f000000000000000000000000',
  'escrow_release by the buyer': '0d06d5726865c33312a48184acf61636f0517e320ac044187ff80c8d14a441d0700900',
  'escrow_release by the oracle':
    '0d06d5726865c33312a48184acf61636f0517e320ac044187ff80c8d14a441d070090102f9f81de1330473bd78a275137e3c4c1dc87b5af1f20b4ae5e13a4f7a12d878fe5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
  escrow_refund: '0d077346050f1a25704b38ee6e848e4a91bfb1fa81c01696fbdd1262643b85cc90bd00',
  escrow_dispute:
    '0d0814262aab8860902548246f528ab6cf68f4b9911975f40f906d901d469d4389e10102f9f81de1330473bd78a275137e3c4c1dc87b5af1f20b4ae5e13a4f7a12d878fe5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
  escrow_settle:
    '0d0914262aab8860902548246f528ab6cf68f4b9911975f40f906d901d469d4389e100000000009896800102f9f81de1330473bd78a275137e3c4c1dc87b5af1f20b4ae5e13a4f7a12d878fe5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
  timelock_create: '0d0ab0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b000000000004c4b4000000000000003e8000472656e74',
  timelock_claim: '0d0bdbbdc91dac3cc3f2496de2c47fc60d8711b978e1f021d552926abf21605582cf00',
  timelock_cancel: '0d0cdbbdc91dac3cc3f2496de2c47fc60d8711b978e1f021d552926abf21605582cf',
  'multisig_create 2 of 3':
    '0d0d0000000302179719c3066b804513c14e151963aa718090e1b779391678f75d3ab76f9493c7037fa640e6b3c6ab7792bc4eeaea042cd9eb155d2758eb8d5c1c3e9edb8388aa7c03863d01140cec7c3c852b8205588496e0549f67406045f8e65974749c72a6096d020000000000000007',
  'multisig_execute of a transfer':
    '0d0e3333333333333333333333333333333333333333000000000000000001b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b000000000002dc6c000000000000200010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202',
  'multisig_execute of an update':
    '0d0e333333333333333333333333333333333333333300000000000000010f0000000202179719c3066b804513c14e151963aa718090e1b779391678f75d3ab76f9493c7037fa640e6b3c6ab7792bc4eeaea042cd9eb155d2758eb8d5c1c3e9edb8388aa7c01000000010103030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303',
  multisig_update:
    '0d0f0000000302179719c3066b804513c14e151963aa718090e1b779391678f75d3ab76f9493c7037fa640e6b3c6ab7792bc4eeaea042cd9eb155d2758eb8d5c1c3e9edb8388aa7c03863d01140cec7c3c852b8205588496e0549f67406045f8e65974749c72a6096d03',
  'issuer_control pause':
    '0d10010000000000000000000000000200040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040105050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505050505',
  'issuer_control freeze':
    '0d100301f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f00000000000000003000000010206060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606060606',
};

function decodeOrRefuse(bytes: Uint8Array): void {
  let value: Operation;
  try {
    value = decodeOperation(bytes);
  } catch (error) {
    assert.ok(isShardpayError(error, 'DECODE_ERROR'), `expected DECODE_ERROR, got ${String(error)}`);
    return;
  }
  assert.ok(equalBytes(encodeOperation(value), bytes), 'a decoded value must re-encode to the same bytes');
}

const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);
const signature = (ownerIndex: number) => ({ ownerIndex, signature: fill(64, ownerIndex + 1) });

describe('codec: commerce operations', () => {
  it('round-trip, alone and inside a transaction', () => {
    fc.assert(
      fc.property(arb.commerceOperation, arb.transaction, (operation, tx) => {
        const bytes = encodeOperation(operation);
        assert.deepStrictEqual(decodeOperation(bytes), operation);
        const withOperation = { ...tx, operation };
        assert.deepStrictEqual(decodeTransaction(encodeTransaction(withOperation)), withOperation);
      }),
      propertyParameters(),
    );
  });

  it('refuses every truncation and trailing bytes', () => {
    fc.assert(
      fc.property(arb.commerceOperation, fc.nat(), (operation, cut) => {
        const bytes = encodeOperation(operation);
        assertThrowsCode(
          () => decodeOperation(bytes.subarray(0, cut % bytes.length)),
          'DECODE_ERROR',
          'truncated',
        );
        assertThrowsCode(
          () => decodeOperation(concatBytes(bytes, new Uint8Array([0]))),
          'DECODE_ERROR',
          'trailing_bytes',
        );
      }),
      propertyParameters(),
    );
  });

  it('after any byte flips, either refuses (DECODE_ERROR) or re-encodes to the mutated bytes', () => {
    fc.assert(
      fc.property(
        arb.commerceOperation,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (operation, flips) => {
          const bytes = encodeOperation(operation).slice();
          for (const [position, xor] of flips) {
            const i = 1 + (position % (bytes.length - 1));
            bytes[i] = (bytes[i] ?? 0) ^ xor;
          }
          decodeOrRefuse(bytes);
        },
      ),
      propertyParameters(),
    );
  });

  it('random bytes after each commerce tag are refused or canonical', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 16 }), fc.uint8Array({ maxLength: 300 }), (tag, tail) => {
        decodeOrRefuse(concatBytes(new Uint8Array([0x0d, tag]), tail));
      }),
      propertyParameters(),
    );
  });

  it('pins the canonical hex of every commerce operation', () => {
    const tags = new Set<string>();
    for (const [name, operation] of commerceVectorOperations) {
      const hex = expectedHex[name];
      assert.ok(hex !== undefined, `no pinned hex for ${name}`);
      assert.equal(bytesToHex(encodeOperation(operation)), hex, name);
      assert.deepStrictEqual(decodeOperation(hexToBytes(hex)), operation, name);
      tags.add(operation.type);
    }
    assert.equal(tags.size, 12, 'every new operation type has a vector');
    assert.equal(Object.keys(expectedHex).length, commerceVectorOperations.length);
  });
});

describe('codec: commerce operations refuse non-canonical bytes', () => {
  const vector = (name: string) => {
    const found = commerceVectorOperations.find(([n]) => n === name);
    assert.ok(found !== undefined);
    return found[1];
  };
  const hexOf = (name: string) => encodeOperation(vector(name)).slice();
  // multisig_create: kind, tag, u32 count, owners (33 each), threshold, salt.
  const ownersStart = 1 + 1 + 4;

  it('owners not strictly ascending → not_ascending', () => {
    const swapped = hexOf('multisig_create 2 of 3');
    const first = swapped.slice(ownersStart, ownersStart + 33);
    swapped.copyWithin(ownersStart, ownersStart + 33, ownersStart + 66);
    swapped.set(first, ownersStart + 33);
    assertThrowsCode(() => decodeOperation(swapped), 'DECODE_ERROR', 'not_ascending');
    const duplicate = hexOf('multisig_create 2 of 3');
    duplicate.copyWithin(ownersStart + 33, ownersStart, ownersStart + 33);
    assertThrowsCode(() => decodeOperation(duplicate), 'DECODE_ERROR', 'not_ascending');
  });

  it('threshold 0 or above MAX_MULTISIG_OWNERS → out_of_range', () => {
    for (const bad of [0, MAX_MULTISIG_OWNERS + 1, 255]) {
      const bytes = hexOf('multisig_create 2 of 3');
      bytes[ownersStart + 3 * 33] = bad;
      assertThrowsCode(() => decodeOperation(bytes), 'DECODE_ERROR', 'out_of_range');
    }
  });

  it('signer indexes: not ascending → not_ascending, not below MAX_MULTISIG_OWNERS → out_of_range', () => {
    // issuer_control pause: kind, tag, action, option 0, nonce u64, u32 count, [index u8, sig 64]…
    const firstIndex = 1 + 1 + 1 + 1 + 8 + 4;
    const secondIndex = firstIndex + 1 + 64;
    const same = hexOf('issuer_control pause');
    same[secondIndex] = 0;
    assertThrowsCode(() => decodeOperation(same), 'DECODE_ERROR', 'not_ascending');
    const tooBig = hexOf('issuer_control pause');
    tooBig[secondIndex] = MAX_MULTISIG_OWNERS;
    assertThrowsCode(() => decodeOperation(tooBig), 'DECODE_ERROR', 'out_of_range');
  });

  it('a multisig executes only transfer, pay, burn and multisig_update → not_allowed', () => {
    // multisig_execute: kind, tag, account 20, nonce u64, then the inner operation's tag.
    const innerTag = 1 + 1 + 20 + 8;
    for (const tag of [3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]) {
      const bytes = hexOf('multisig_execute of a transfer');
      bytes[innerTag] = tag;
      assertThrowsCode(() => decodeOperation(bytes), 'DECODE_ERROR', 'not_allowed');
    }
    const unknown = hexOf('multisig_execute of a transfer');
    unknown[innerTag] = 17;
    assertThrowsCode(() => decodeOperation(unknown), 'DECODE_ERROR', 'unknown_tag');
  });

  it('issuer_control: a target exactly for freeze and unfreeze → invalid_option', () => {
    const pauseWithTarget = hexOf('issuer_control freeze');
    pauseWithTarget[2] = 1; // action: pause, target still present
    assertThrowsCode(() => decodeOperation(pauseWithTarget), 'DECODE_ERROR', 'invalid_option');
    const freezeWithout = hexOf('issuer_control pause');
    freezeWithout[2] = 3; // action: freeze, target absent
    assertThrowsCode(() => decodeOperation(freezeWithout), 'DECODE_ERROR', 'invalid_option');
    const unknownAction = hexOf('issuer_control pause');
    unknownAction[2] = 5;
    assertThrowsCode(() => decodeOperation(unknownAction), 'DECODE_ERROR', 'unknown_tag');
  });

  it('option bytes other than 0/1 → invalid_option', () => {
    const bytes = hexOf('escrow_release by the buyer');
    bytes[1 + 1 + 32] = 2;
    assertThrowsCode(() => decodeOperation(bytes), 'DECODE_ERROR', 'invalid_option');
  });

  it('more than MAX_MULTISIG_OWNERS owners → count_over_limit', () => {
    const bytes = hexOf('multisig_update');
    new DataView(bytes.buffer).setUint32(2, MAX_MULTISIG_OWNERS + 1);
    assertThrowsCode(() => decodeOperation(bytes), 'DECODE_ERROR', 'count_over_limit');
  });
});

describe('codec: commerce operations refuse values they cannot encode (ENCODE_ERROR)', () => {
  const create = { type: 'multisig_create' as const, owners: vectorOwners, threshold: 2, salt: 0n };
  const execute = commerceVectorOperations.find(
    ([n]) => n === 'multisig_execute of a transfer',
  )?.[1] as MultisigExecuteOperation;
  const pause: Operation = {
    type: 'issuer_control',
    action: 'pause',
    target: null,
    controlNonce: 0n,
    signatures: [signature(0)],
  };
  const cases: Array<[string, Operation, string]> = [
    ['owners descending', { ...create, owners: [...vectorOwners].reverse() }, 'not_ascending'],
    [
      'owner twice',
      { ...create, owners: [vectorOwners[0], vectorOwners[0]] as Uint8Array[] },
      'not_ascending',
    ],
    ['17 owners', { ...create, owners: new Array(17).fill(vectorOwners[0]) }, 'count_over_limit'],
    ['threshold 0', { ...create, threshold: 0 }, 'out_of_range'],
    ['threshold 17', { ...create, threshold: 17 }, 'out_of_range'],
    ['fractional threshold', { ...create, threshold: 1.5 }, 'out_of_range'],
    ['signatures not ascending', { ...execute, signatures: [signature(1), signature(0)] }, 'not_ascending'],
    ['signature index twice', { ...execute, signatures: [signature(1), signature(1)] }, 'not_ascending'],
    ['signature index 16', { ...execute, signatures: [signature(16)] }, 'out_of_range'],
    [
      'a multisig running a mint',
      {
        ...execute,
        operation: { type: 'mint', to: fill(20, 1), amount: 1n, reference: 'r' },
      } as unknown as Operation,
      'not_allowed',
    ],
    [
      'a multisig running a multisig_execute',
      { ...execute, operation: execute } as unknown as Operation,
      'not_allowed',
    ],
    ['pause with a target', { ...pause, target: fill(20, 1) }, 'invalid_option'],
    ['freeze without a target', { ...pause, action: 'freeze' }, 'invalid_option'],
    ['unknown issuer action', { ...pause, action: 'seize' } as unknown as Operation, 'unknown_variant'],
    [
      'short authorization key',
      {
        type: 'escrow_release',
        escrowId: fill(32, 1),
        authorization: { publicKey: fill(32, 2), signature: fill(64, 3) },
      },
      'wrong_length',
    ],
    [
      'orderId over the reference limit',
      {
        type: 'escrow_lock',
        merchant: fill(20, 1),
        amount: 1n,
        orderId: 'x'.repeat(65),
        deadlineMs: 0n,
        arbiter: null,
        oracle: null,
        memo: '',
      },
      'length_over_limit',
    ],
  ];
  for (const [name, operation, reason] of cases) {
    it(`${name} → ${reason}`, () => {
      assertThrowsCode(() => encodeOperation(operation), 'ENCODE_ERROR', reason);
    });
  }

  it('multisig_update alone at top level is encodable (the ledger refuses it)', () => {
    const update: Operation = { type: 'multisig_update', owners: vectorOwners, threshold: 2 };
    assert.deepStrictEqual(decodeOperation(encodeOperation(update)), update);
  });
});

describe('codec: network config issuer control group', () => {
  const group = { owners: vectorOwners, threshold: 2 };

  it('is appended last: absent is one 0 byte, present round-trips', () => {
    const base = testNetworkConfig();
    const without = encodeNetworkConfig(base);
    assert.equal(without[without.length - 1], 0);
    assert.deepStrictEqual(decodeNetworkConfig(without), base);
    assert.ok(!('issuerControl' in decodeNetworkConfig(without)));
    const withGroup: NetworkConfig = { ...base, issuerControl: group };
    const bytes = encodeNetworkConfig(withGroup);
    assert.ok(equalBytes(bytes.subarray(0, without.length - 1), without.subarray(0, without.length - 1)));
    assert.equal(bytes.length, without.length + 4 + 3 * 33 + 1);
    assert.deepStrictEqual(decodeNetworkConfig(bytes), withGroup);
  });

  it('round-trips any group and refuses byte flips in it or re-encodes them', () => {
    fc.assert(
      fc.property(arb.owners, arb.threshold, fc.nat(), (owners, threshold, flip) => {
        const config: NetworkConfig = { ...testNetworkConfig(), issuerControl: { owners, threshold } };
        const bytes = encodeNetworkConfig(config);
        assert.deepStrictEqual(decodeNetworkConfig(bytes), config);
        const tail = 1 + 4 + owners.length * 33 + 1;
        const mutated = bytes.slice();
        const at = mutated.length - 1 - (flip % tail);
        mutated[at] = (mutated[at] ?? 0) ^ 0xff;
        try {
          assert.ok(equalBytes(encodeNetworkConfig(decodeNetworkConfig(mutated)), mutated));
        } catch (error) {
          assert.ok(isShardpayError(error, 'DECODE_ERROR'), String(error));
        }
      }),
      propertyParameters(200),
    );
  });

  it('refuses unsorted owners and a bad threshold on encode and decode', () => {
    const base = testNetworkConfig();
    assertThrowsCode(
      () =>
        encodeNetworkConfig({
          ...base,
          issuerControl: { owners: [...vectorOwners].reverse(), threshold: 2 },
        }),
      'ENCODE_ERROR',
      'not_ascending',
    );
    assertThrowsCode(
      () => encodeNetworkConfig({ ...base, issuerControl: { owners: vectorOwners, threshold: 0 } }),
      'ENCODE_ERROR',
      'out_of_range',
    );
    const bytes = encodeNetworkConfig({ ...base, issuerControl: group });
    const zeroThreshold = bytes.slice();
    zeroThreshold[zeroThreshold.length - 1] = 0;
    assertThrowsCode(() => decodeNetworkConfig(zeroThreshold), 'DECODE_ERROR', 'out_of_range');
    const badPresence = encodeNetworkConfig(base).slice();
    badPresence[badPresence.length - 1] = 2;
    assertThrowsCode(() => decodeNetworkConfig(badPresence), 'DECODE_ERROR', 'invalid_option');
  });
});
