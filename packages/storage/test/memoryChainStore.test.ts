import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChainStore, createMemoryChainStore, createMemoryKvBackend } from '../src/index.ts';
import { heightToKey } from '../src/storeEncoding.ts';
import { assertThrowsCode, runChainStoreCompliance } from './chainStoreCompliance.ts';
import { buildFixtureChain, CHAIN_ID, SHARD } from './fixtures.ts';

runChainStoreCompliance('memory', () => {
  // One backend per harness: a store opened again on it sees the same data, as after a restart.
  const backend = createMemoryKvBackend();
  return {
    open: (identity) =>
      createMemoryChainStore({
        chainId: identity?.chainId ?? CHAIN_ID,
        shard: identity?.shard ?? SHARD,
        backend,
      }),
    cleanup: async () => {},
  };
});

describe('memory chain store', () => {
  it('keeps separate stores apart unless they share a backend', () => {
    const chain = buildFixtureChain({ seed: 11, length: 1 });
    const first = createMemoryChainStore({ chainId: CHAIN_ID, shard: SHARD });
    first.commitBlock(chain[0]!);
    assert.equal(createMemoryChainStore({ chainId: CHAIN_ID, shard: SHARD }).latestHeight(), 0n);
    assert.equal(first.latestHeight(), 1n);
  });

  it('detects a tip whose block is missing when it opens', () => {
    const backend = createMemoryKvBackend();
    const store = createChainStore(backend, { chainId: CHAIN_ID, shard: SHARD });
    for (const commit of buildFixtureChain({ seed: 12, length: 2 })) store.commitBlock(commit);
    backend.transact((writer) => writer.remove('blocks', heightToKey(2n)));
    const error = assertThrowsCode(
      () => createChainStore(backend, { chainId: CHAIN_ID, shard: SHARD }),
      'STORE_CORRUPT',
    );
    assert.equal(error.meta.reason, 'tip_block_missing');
  });

  it('reports undecodable stored bytes as STORE_CORRUPT', () => {
    const backend = createMemoryKvBackend();
    const store = createChainStore(backend, { chainId: CHAIN_ID, shard: SHARD });
    for (const commit of buildFixtureChain({ seed: 13, length: 1 })) store.commitBlock(commit);
    backend.transact((writer) => writer.put('certificates', heightToKey(1n), Uint8Array.of(1, 2, 3)));
    assert.equal(
      assertThrowsCode(() => store.getCertificate(1n), 'STORE_CORRUPT').meta.table,
      'certificates',
    );
  });
});
