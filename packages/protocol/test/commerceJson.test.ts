/**
 * JSON forms of the commerce operations and the config's issuer control group: the shapes, and
 * strict reading (unknown fields, the operations a multisig may run, order of owners and signers,
 * a target exactly for freeze/unfreeze). Round trips of arbitrary values are in json.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  networkConfigFromJson,
  networkConfigToJson,
  type Operation,
  operationFromJson,
  operationToJson,
} from '../src/index.ts';
import { assertThrowsCode } from './assertions.ts';
import { commerceVectorOperations, vectorOwners } from './commerceVectors.ts';
import { testNetworkConfig } from './fixtures.ts';

const options = { addressPrefix: 'spd' };
const vector = (name: string): Operation => {
  const found = commerceVectorOperations.find(([n]) => n === name);
  assert.ok(found !== undefined, name);
  return found[1];
};
const json = (name: string) => operationToJson(vector(name), options) as unknown as Record<string, unknown>;

describe('commerce operation JSON forms', () => {
  it('round-trip every vector', () => {
    for (const [name, operation] of commerceVectorOperations) {
      const text = JSON.stringify(operationToJson(operation, options));
      assert.deepStrictEqual(operationFromJson(JSON.parse(text), options), operation, name);
    }
  });

  it('use bech32m addresses, hex, decimal strings for amounts and u64s, numbers for small ints', () => {
    const lock = json('escrow_lock with arbiter and oracle');
    assert.equal(lock.amount, '25.000000');
    assert.equal(lock.deadlineMs, '1767225600000');
    assert.match(String(lock.arbiter), /^spd1/);
    assert.equal(json('escrow_lock without arbiter or oracle').oracle, null);
    const release = json('escrow_release by the oracle');
    assert.match(String((release.authorization as { publicKey: string }).publicKey), /^0[23][0-9a-f]{64}$/);
    const execute = json('multisig_execute of a transfer');
    assert.equal(execute.accountNonce, '0');
    assert.deepStrictEqual(
      (execute.signatures as Array<{ ownerIndex: number }>).map((s) => s.ownerIndex),
      [0, 2],
    );
    assert.equal((execute.operation as { type: string }).type, 'transfer');
    const create = json('multisig_create 2 of 3');
    assert.equal(create.threshold, 2);
    assert.equal(create.salt, '7');
    assert.equal(json('escrow_settle').buyerAmount, '10.000000');
    assert.equal(json('timelock_create').unlockHeight, '1000');
    assert.equal(json('issuer_control pause').target, null);
  });

  const refusals: Array<[string, string, (j: Record<string, unknown>) => unknown, string, string]> = [
    ['escrow_refund', 'an unknown field', (j) => ({ ...j, extra: 1 }), 'extra', 'unknown_field'],
    [
      'escrow_settle',
      'a missing authorization',
      ({ authorization: _, ...j }) => j,
      'authorization',
      'missing_field',
    ],
    [
      'escrow_release by the oracle',
      'an unknown authorization field',
      (j) => ({ ...j, authorization: { ...(j.authorization as object), x: 1 } }),
      'authorization.x',
      'unknown_field',
    ],
    [
      'escrow_lock with arbiter and oracle',
      'a numeric deadline',
      (j) => ({ ...j, deadlineMs: 5 }),
      'deadlineMs',
      'wrong_type',
    ],
    [
      'multisig_create 2 of 3',
      'owners out of order',
      (j) => ({ ...j, owners: [...(j.owners as string[])].reverse() }),
      'owners[1]',
      'invalid_value',
    ],
    ['multisig_create 2 of 3', 'threshold 0', (j) => ({ ...j, threshold: 0 }), 'threshold', 'out_of_range'],
    ['multisig_update', 'threshold 17', (j) => ({ ...j, threshold: 17 }), 'threshold', 'out_of_range'],
    [
      'multisig_execute of a transfer',
      'a mint inside',
      (j) => ({ ...j, operation: { type: 'mint', to: j.account, amount: '1.000000', reference: 'r' } }),
      'operation.type',
      'invalid_value',
    ],
    [
      'multisig_execute of a transfer',
      'signers out of order',
      (j) => ({ ...j, signatures: [...(j.signatures as unknown[])].reverse() }),
      'signatures[1].ownerIndex',
      'invalid_value',
    ],
    [
      'multisig_execute of a transfer',
      'an owner index of 16',
      (j) => ({ ...j, signatures: [{ ownerIndex: 16, signature: '00'.repeat(64) }] }),
      'signatures[0].ownerIndex',
      'out_of_range',
    ],
    [
      'issuer_control pause',
      'a pause with a target',
      (j) => ({ ...j, target: 'spd1wuc72ydp75z64szxz0wuxfqkg93k6talm8hflz' }),
      'target',
      'invalid_value',
    ],
    [
      'issuer_control freeze',
      'a freeze without a target',
      (j) => ({ ...j, target: null }),
      'target',
      'invalid_value',
    ],
    [
      'issuer_control freeze',
      'an unknown action',
      (j) => ({ ...j, action: 'seize' }),
      'action',
      'invalid_value',
    ],
    [
      'timelock_cancel',
      'an unknown type',
      (j) => ({ ...j, type: 'timelock_steal' }),
      'type',
      'invalid_value',
    ],
  ];
  for (const [name, what, mutate, path, reason] of refusals) {
    it(`refuses ${what} (${path}: ${reason})`, () => {
      const error = assertThrowsCode(
        () => operationFromJson(mutate(json(name)), options),
        'JSON_INVALID',
        reason,
      );
      assert.equal(error.meta.path, path);
    });
  }
});

describe('network config JSON: issuerControl', () => {
  const withGroup = { ...testNetworkConfig(), issuerControl: { owners: vectorOwners, threshold: 2 } };

  it('is omitted when absent and round-trips when present', () => {
    assert.ok(!('issuerControl' in networkConfigToJson(testNetworkConfig())));
    const text = JSON.stringify(networkConfigToJson(withGroup));
    assert.deepStrictEqual(networkConfigFromJson(JSON.parse(text)), withGroup);
  });

  it('is read strictly', () => {
    const base = networkConfigToJson(withGroup) as unknown as Record<string, unknown>;
    const cases: Array<[unknown, string, string]> = [
      [null, 'issuerControl', 'not_object'],
      [{ owners: [], threshold: 1, extra: true }, 'issuerControl.extra', 'unknown_field'],
      [{ owners: [] }, 'issuerControl.threshold', 'missing_field'],
      [
        { owners: [...(base.issuerControl as { owners: string[] }).owners].reverse(), threshold: 2 },
        'issuerControl.owners[1]',
        'invalid_value',
      ],
    ];
    for (const [group, path, reason] of cases) {
      const error = assertThrowsCode(
        () => networkConfigFromJson({ ...base, issuerControl: group }),
        'JSON_INVALID',
        reason,
      );
      assert.equal(error.meta.path, path);
    }
  });
});
