import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assertValidNetworkConfig,
  bucketOfAddress,
  committeeOf,
  faultTolerance,
  MAX_AMOUNT,
  type NetworkConfig,
  proposerIndex,
  quorumSize,
  shardOfAddress,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { assertThrowsCode } from './assertions.ts';
import { vectorOwners } from './commerceVectors.ts';
import { testNetworkConfig } from './fixtures.ts';
import { propertyParameters } from './propertyParameters.ts';

describe('buckets and shards', () => {
  it('the bucket is the first 12 bits of the address', () => {
    const address = new Uint8Array(20);
    address[0] = 0x12;
    address[1] = 0x3f;
    assert.equal(bucketOfAddress(address), 0x123);
    assert.equal(bucketOfAddress(new Uint8Array(20).fill(0xff)), 4095);
    assert.equal(bucketOfAddress(new Uint8Array(20)), 0);
    fc.assert(
      fc.property(arb.address, (a) => {
        const bucket = bucketOfAddress(a);
        assert.ok(bucket >= 0 && bucket < 4096);
        assert.equal(bucket, Number.parseInt(Buffer.from(a.subarray(0, 2)).toString('hex').slice(0, 3), 16));
      }),
      propertyParameters(),
    );
  });

  it('refuses addresses that are not 20 bytes', () => {
    assertThrowsCode(() => bucketOfAddress(new Uint8Array(19)), 'ADDRESS_INVALID');
  });

  it('maps addresses to shards through the bucket map, and committees by shard', () => {
    const config = testNetworkConfig();
    assert.equal(shardOfAddress(config, new Uint8Array(20).fill(0x7f)), 0);
    assert.equal(shardOfAddress(config, new Uint8Array(20).fill(0x80)), 1);
    assert.equal(committeeOf(config, 1).shard, 1);
    assert.equal(committeeOf(config, 0), config.committees[0]);
    assertThrowsCode(() => committeeOf(config, 2), 'SHARD_UNKNOWN');
    assertThrowsCode(() => committeeOf(config, -1), 'SHARD_UNKNOWN');
  });
});

describe('quorums and proposers', () => {
  it('quorum and fault tolerance for small committees', () => {
    const table: Array<[number, number, number]> = [
      [1, 0, 1],
      [2, 0, 2],
      [3, 0, 3],
      [4, 1, 3],
      [5, 1, 4],
      [6, 1, 5],
      [7, 2, 5],
      [10, 3, 7],
      [100, 33, 67],
    ];
    for (const [n, f, q] of table) {
      assert.equal(faultTolerance(n), f, `f(${n})`);
      assert.equal(quorumSize(n), q, `quorum(${n})`);
    }
  });

  it('for n = 3f+1 the quorum is 2f+1; for every n two quorums share an honest validator, and the honest form one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const f = faultTolerance(n);
        const q = quorumSize(n);
        if (n === 3 * f + 1) assert.equal(q, 2 * f + 1);
        assert.ok(2 * q - n >= f + 1, 'safety: any two quorums overlap in at least f+1 validators');
        assert.ok(q <= n - f, 'liveness: the honest validators alone reach a quorum');
      }),
      propertyParameters(),
    );
  });

  it('refuses committee sizes below 1', () => {
    assertThrowsCode(() => quorumSize(0), 'NETWORK_CONFIG_INVALID');
    assertThrowsCode(() => faultTolerance(1.5), 'NETWORK_CONFIG_INVALID');
    assertThrowsCode(() => proposerIndex(1n, 0, 0), 'NETWORK_CONFIG_INVALID');
  });

  it('the proposer rotates round robin by height + round', () => {
    assert.equal(proposerIndex(0n, 0, 4), 0);
    assert.equal(proposerIndex(1n, 0, 4), 1);
    assert.equal(proposerIndex(1n, 3, 4), 0);
    assert.equal(proposerIndex(2n ** 64n - 1n, 1, 4), 0);
    fc.assert(
      fc.property(arb.u64, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 100 }), (h, r, n) => {
        assert.equal(proposerIndex(h, r, n), Number((h + BigInt(r)) % BigInt(n)));
        assert.equal(proposerIndex(h, r + 1, n), (proposerIndex(h, r, n) + 1) % n);
      }),
      propertyParameters(),
    );
  });
});

describe('assertValidNetworkConfig', () => {
  it('accepts the test devnet config', () => {
    assertValidNetworkConfig(testNetworkConfig());
  });

  it('accepts an issuer control group of 2 of 3', () => {
    assertValidNetworkConfig({
      ...testNetworkConfig(),
      issuerControl: { owners: vectorOwners, threshold: 2 },
    });
  });

  const mutations: Array<[string, (c: NetworkConfig) => void, string]> = [
    ['empty chain id', (c) => (c.chainId = ''), 'invalid_chain_id'],
    ['chain id with spaces', (c) => (c.chainId = 'shard pay'), 'invalid_chain_id'],
    ['chain id over 64 bytes', (c) => (c.chainId = 'c'.repeat(65)), 'invalid_chain_id'],
    ['uppercase prefix', (c) => (c.addressPrefix = 'SPD'), 'invalid_address_prefix'],
    ['empty prefix', (c) => (c.addressPrefix = ''), 'invalid_address_prefix'],
    ['prefix over 20 chars', (c) => (c.addressPrefix = 's'.repeat(21)), 'invalid_address_prefix'],
    ['zero shards', (c) => (c.shardCount = 0), 'invalid_shard_count'],
    ['short bucket map', (c) => c.bucketToShard.pop(), 'invalid_bucket_map'],
    ['bucket on a missing shard', (c) => (c.bucketToShard[17] = 2), 'invalid_bucket_map'],
    ['missing committee', (c) => c.committees.pop(), 'invalid_committee'],
    ['committees out of order', (c) => c.committees.reverse(), 'invalid_committee'],
    ['empty committee', (c) => (c.committees[1] = { shard: 1, validators: [] }), 'invalid_committee'],
    [
      'validator key not on the curve',
      (c) => {
        const validator = c.committees[0]?.validators[0];
        // x = 2^256-1 is above the field prime: no point has it.
        if (validator) validator.publicKey = Uint8Array.of(2, ...new Uint8Array(32).fill(0xff));
      },
      'invalid_validator',
    ],
    [
      'validator listed twice',
      (c) => {
        const committee = c.committees[0];
        if (committee?.validators[0]) committee.validators.push(committee.validators[0]);
      },
      'duplicate_validator',
    ],
    [
      'empty multiaddr',
      (c) => {
        const validator = c.committees[0]?.validators[0];
        if (validator) validator.addresses = [''];
      },
      'invalid_validator',
    ],
    ['no issuers', (c) => (c.issuers = []), 'invalid_issuers'],
    ['issuer of 19 bytes', (c) => (c.issuers = [new Uint8Array(19)]), 'invalid_issuers'],
    ['duplicate issuer', (c) => c.issuers.push(c.issuers[0] ?? new Uint8Array(20)), 'duplicate_issuer'],
    ['negative fee', (c) => (c.flatFee = -1n), 'invalid_fee'],
    ['fee above the maximum', (c) => (c.flatFee = MAX_AMOUNT + 1n), 'invalid_fee'],
    ['missing fee collector', (c) => c.feeCollectors.pop(), 'invalid_fee_collector'],
    ['fee collectors swapped', (c) => c.feeCollectors.reverse(), 'fee_collector_wrong_shard'],
    [
      'zero initial balance',
      (c) => c.initialBalances.push({ address: new Uint8Array(20).fill(3), amount: 0n }),
      'invalid_initial_balance',
    ],
    [
      'duplicate initial balance',
      (c) => c.initialBalances.push({ address: new Uint8Array(20).fill(0x22), amount: 1n }),
      'duplicate_initial_balance',
    ],
    [
      'supply over the maximum',
      (c) => c.initialBalances.push({ address: new Uint8Array(20).fill(3), amount: MAX_AMOUNT }),
      'supply_overflow',
    ],
    ['negative genesis time', (c) => (c.genesisTimeMs = -1n), 'invalid_genesis_time'],
    [
      'issuer control without owners',
      (c) => (c.issuerControl = { owners: [], threshold: 1 }),
      'invalid_issuer_control',
    ],
    [
      'issuer control threshold above the owners',
      (c) => (c.issuerControl = { owners: vectorOwners, threshold: 4 }),
      'invalid_issuer_control',
    ],
    [
      'issuer control threshold 0',
      (c) => (c.issuerControl = { owners: vectorOwners, threshold: 0 }),
      'invalid_issuer_control',
    ],
    [
      'issuer control owners not ascending',
      (c) => (c.issuerControl = { owners: [...vectorOwners].reverse(), threshold: 2 }),
      'invalid_issuer_control',
    ],
    [
      'issuer control owner twice',
      (c) => (c.issuerControl = { owners: [vectorOwners[0], vectorOwners[0]] as Uint8Array[], threshold: 1 }),
      'invalid_issuer_control',
    ],
    [
      'issuer control owner not on the curve',
      (c) =>
        (c.issuerControl = { owners: [Uint8Array.of(2, ...new Uint8Array(32).fill(0xff))], threshold: 1 }),
      'invalid_issuer_control',
    ],
  ];

  for (const [name, mutate, reason] of mutations) {
    it(`refuses ${name} (${reason})`, () => {
      const config = testNetworkConfig();
      mutate(config);
      assertThrowsCode(() => assertValidNetworkConfig(config), 'NETWORK_CONFIG_INVALID', reason);
    });
  }
});
