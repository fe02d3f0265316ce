/**
 * The compliance suite every `ChainStore` implementation must pass. A harness opens stores on one
 * body of data (a second `open` after `close` is a restart) and removes it in `cleanup`.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { headerId, isShardpayError, receiptId, transactionId } from '@shardpay/protocol';
import fc from 'fast-check';
import type { BlockCommit, ChainStore, StateWrite } from '../src/index.ts';
import {
  buildFixtureChain,
  bytesOf,
  CHAIN_ID,
  createPrng,
  type FixtureCommit,
  fixtureGenesisHash,
  heightStateKey,
  makeCertificate,
  randomBytes,
  SHARD,
} from './fixtures.ts';

export interface ChainStoreHarness {
  /** Opens a store on the harness's data; after `close`, opening again resumes it. */
  open(identity?: { chainId: string; shard: number }): ChainStore;
  /** Removes the data (and closes nothing: close stores first). */
  cleanup(): Promise<void>;
}

/** Asserts that `action` throws a ShardpayError with `code`, and returns it. */
export function assertThrowsCode(
  action: () => unknown,
  code: string,
): Error & { meta: Record<string, unknown> } {
  try {
    action();
  } catch (error) {
    assert.ok(isShardpayError(error), `expected ShardpayError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    return error as Error & { meta: Record<string, unknown> };
  }
  assert.fail(`expected ${code}, but nothing was thrown`);
}

/** Everything a commit writes is readable; used after commits, reopens and crashes. */
export function assertCommitStored(store: ChainStore, commit: BlockCommit): void {
  const { block, certificate } = commit;
  const height = block.header.height;
  const hash = headerId(block.header);
  assert.deepEqual(store.getBlock(height), block, `block ${height}`);
  assert.deepEqual(store.getHeader(height), block.header);
  assert.deepEqual(store.getBlockHash(height), hash);
  assert.equal(store.getHeightByHash(hash), height);
  assert.deepEqual(store.getBlockByHash(hash), block);
  assert.deepEqual(store.getCertificate(height), certificate);
  const receipts = commit.receipts ?? [];
  assert.deepEqual(store.getBlockReceipts(height), receipts);
  receipts.forEach((receipt, index) => {
    assert.deepEqual(store.getReceipt(receiptId(receipt)), { receipt, height, index });
  });
  block.transactions.forEach((tx, index) => {
    assert.deepEqual(store.getTxLocation(transactionId(tx)), { height, index });
  });
}

/** Nothing of `commit` is readable: the block, its indexes, receipts and its own state key. */
export function assertCommitAbsent(store: ChainStore, commit: BlockCommit): void {
  const { block } = commit;
  const height = block.header.height;
  assert.equal(store.getBlock(height), undefined, `block ${height} should be absent`);
  assert.equal(store.getHeader(height), undefined);
  assert.equal(store.getBlockHash(height), undefined);
  assert.equal(store.getHeightByHash(headerId(block.header)), undefined);
  assert.equal(store.getCertificate(height), undefined);
  assert.equal(store.getBlockReceipts(height), undefined);
  for (const receipt of commit.receipts ?? []) assert.equal(store.getReceipt(receiptId(receipt)), undefined);
  for (const tx of block.transactions) assert.equal(store.getTxLocation(transactionId(tx)), undefined);
  assert.equal(store.getState(heightStateKey(height)), undefined);
}

function* throwingAfter(writes: readonly StateWrite[], count: number, failure: Error): Generator<StateWrite> {
  for (let index = 0; index < count; index++) yield writes[index]!;
  throw failure;
}

/** Registers the suite under `name`; each test gets a fresh harness from `createHarness`. */
export function runChainStoreCompliance(name: string, createHarness: () => ChainStoreHarness): void {
  describe(`ChainStore compliance: ${name}`, () => {
    const seed = 20_240_601;
    const chain = buildFixtureChain({ seed, length: 12 });
    const genesisHash = fixtureGenesisHash(seed);
    const commit = (height: number): FixtureCommit => chain[height - 1]!;

    let harness: ChainStoreHarness;
    let store: ChainStore;
    const harnesses: ChainStoreHarness[] = [];
    const fresh = (): ChainStore => {
      harness = createHarness();
      harnesses.push(harness);
      store = harness.open();
      return store;
    };
    const reopen = async (): Promise<ChainStore> => {
      await store.close();
      store = harness.open();
      return store;
    };
    afterEach(async () => {
      await store?.close();
    });
    after(async () => {
      for (const used of harnesses) await used.cleanup();
    });

    it('starts empty', () => {
      fresh();
      assert.equal(store.chainId, CHAIN_ID);
      assert.equal(store.shard, SHARD);
      assert.equal(store.latestHeight(), 0n);
      assert.equal(store.latestHash(), undefined);
      assert.equal(store.genesisHash(), undefined);
      assert.equal(store.getBlock(1n), undefined);
      assert.equal(store.getBlockReceipts(1n), undefined);
      assert.deepEqual(store.scanState(new Uint8Array()), []);
      assert.deepEqual(store.readWal(1n), []);
      assert.equal(store.getLastSigned(), undefined);
      assert.equal(store.getMeta('anything'), undefined);
    });

    it('round-trips blocks, headers, hashes, certificates, receipts, tx index, statuses and state', () => {
      fresh();
      assert.equal(
        store.commitGenesis({ genesisHash, stateWrites: [[bytesOf('acct/genesis'), bytesOf('g')]] }),
        'committed',
      );
      assert.deepEqual(store.latestHash(), genesisHash);
      for (let height = 1; height <= 8; height++)
        assert.equal(store.commitBlock(commit(height)), 'committed');
      assert.equal(store.latestHeight(), 8n);
      assert.deepEqual(store.latestHash(), headerId(commit(8).block.header));
      assert.deepEqual(store.genesisHash(), genesisHash);
      for (let height = 1; height <= 8; height++) {
        assertCommitStored(store, commit(height));
        for (const update of commit(height).statusUpdates ?? []) {
          assert.deepEqual(store.getTxStatus(update.txId), {
            stage: update.stage,
            height: BigInt(height),
            receiptId: update.receiptId,
          });
        }
        assert.deepEqual(store.getState(heightStateKey(BigInt(height))), commit(height).stateWrites[0]![1]);
      }
      // Receipts of a block exist at heights 1, 2, 4, 5, 7, 8 (h % 3); 3 and 6 have none.
      assert.deepEqual(store.getBlockReceipts(3n), []);
      assert.equal(commit(2).receipts!.length, 2);
      assert.deepEqual(store.getState(bytesOf('latest')), bytesOf('8'));
      assert.deepEqual(store.getState(bytesOf('acct/genesis')), bytesOf('g'));
      // acct/<h> is deleted by block h+2.
      assert.equal(store.getState(bytesOf('acct/6')), undefined);
      assert.ok(store.getState(bytesOf('acct/7')) !== undefined);
      assert.equal(store.getBlock(9n), undefined);
      assert.equal(store.getBlockReceipts(9n), undefined);
      assert.equal(store.getTxLocation(randomBytes(createPrng(1), 32)), undefined);
    });

    it('uses caller-supplied transaction ids and checks their count', () => {
      fresh();
      const first = commit(1);
      const second = commit(2);
      store.commitBlock(first);
      assert.equal(second.block.transactions.length, 2);
      const wrongCount = { ...second, txIds: [transactionId(second.block.transactions[0]!)] };
      assertThrowsCode(() => store.commitBlock(wrongCount), 'STORE_INVALID_ARGUMENT');
      const ids = second.block.transactions.map((tx) => transactionId(tx));
      assert.equal(store.commitBlock({ ...second, txIds: ids }), 'committed');
      assert.deepEqual(store.getTxLocation(ids[1]!), { height: 2n, index: 1 });
    });

    it('refuses a height gap and writes nothing', () => {
      fresh();
      const gap = assertThrowsCode(() => store.commitBlock(commit(2)), 'STORE_HEIGHT_GAP');
      assert.deepEqual(gap.meta, { height: 2n, latestHeight: 0n });
      store.commitBlock(commit(1));
      assertThrowsCode(() => store.commitBlock(commit(3)), 'STORE_HEIGHT_GAP');
      assert.equal(store.latestHeight(), 1n);
      assertCommitAbsent(store, commit(3));
      assert.equal(store.commitBlock(commit(2)), 'committed');
    });

    it('treats a byte-identical re-commit as a no-op and anything else at a stored height as a conflict', () => {
      fresh();
      for (let height = 1; height <= 3; height++) store.commitBlock(commit(height));
      assert.equal(store.commitBlock(commit(3)), 'unchanged');
      assert.equal(store.commitBlock(commit(1)), 'unchanged');
      assert.equal(store.latestHeight(), 3n);

      const original = commit(2);
      const random = createPrng(99);
      const otherHeader = { ...original.block.header, timestampMs: original.block.header.timestampMs + 1n };
      const otherBlock = {
        ...original,
        block: { ...original.block, header: otherHeader },
        certificate: makeCertificate(otherHeader, random),
      };
      const blockConflict = assertThrowsCode(() => store.commitBlock(otherBlock), 'STORE_CONFLICT');
      assert.equal(blockConflict.meta.reason, 'block_differs');

      const otherCertificate = {
        ...original,
        certificate: makeCertificate(original.block.header, random, 1),
      };
      const certificateConflict = assertThrowsCode(
        () => store.commitBlock(otherCertificate),
        'STORE_CONFLICT',
      );
      assert.equal(certificateConflict.meta.reason, 'certificate_differs');

      const otherReceipts = { ...original, receipts: original.receipts!.slice(0, 1) };
      const receiptsConflict = assertThrowsCode(() => store.commitBlock(otherReceipts), 'STORE_CONFLICT');
      assert.equal(receiptsConflict.meta.reason, 'receipts_differ');
      assertCommitStored(store, original);
    });

    it('checks that a block extends the stored chain', () => {
      fresh();
      store.commitGenesis({ genesisHash });
      const first = commit(1);
      const wrongParentHeader = { ...first.block.header, parentHash: new Uint8Array(32) };
      const wrongParent = {
        ...first,
        block: { ...first.block, header: wrongParentHeader },
        certificate: makeCertificate(wrongParentHeader, createPrng(5)),
      };
      assertThrowsCode(() => store.commitBlock(wrongParent), 'STORE_PARENT_MISMATCH');
      store.commitBlock(first);
      const second = commit(2);
      const orphanHeader = { ...second.block.header, parentHash: genesisHash };
      const orphan = {
        ...second,
        block: { ...second.block, header: orphanHeader },
        certificate: makeCertificate(orphanHeader, createPrng(6)),
      };
      assertThrowsCode(() => store.commitBlock(orphan), 'STORE_PARENT_MISMATCH');
      assert.equal(store.commitBlock(second), 'committed');
    });

    it('accepts any parent for block 1 when no genesis was recorded', () => {
      fresh();
      assert.equal(store.commitBlock(commit(1)), 'committed');
      assert.deepEqual(store.latestHash(), headerId(commit(1).block.header));
    });

    it('refuses a certificate that does not name the block', () => {
      fresh();
      const first = commit(1);
      const wrongHash = { ...first, certificate: { ...first.certificate, blockHash: new Uint8Array(32) } };
      assert.equal(
        assertThrowsCode(() => store.commitBlock(wrongHash), 'STORE_CERTIFICATE_MISMATCH').meta.reason,
        'block_hash',
      );
      const wrongHeight = { ...first, certificate: { ...first.certificate, height: 2n } };
      assert.equal(
        assertThrowsCode(() => store.commitBlock(wrongHeight), 'STORE_CERTIFICATE_MISMATCH').meta.reason,
        'height',
      );
      const wrongShard = { ...first, certificate: { ...first.certificate, shard: SHARD + 1 } };
      assertThrowsCode(() => store.commitBlock(wrongShard), 'STORE_CERTIFICATE_MISMATCH');
      assert.equal(store.latestHeight(), 0n);
    });

    it('refuses blocks and receipts of another chain or shard, and misnumbered receipts', () => {
      fresh();
      const first = commit(1);
      const otherShardHeader = { ...first.block.header, shard: SHARD + 1 };
      const otherShard = {
        ...first,
        block: { ...first.block, header: otherShardHeader },
        certificate: makeCertificate(otherShardHeader, createPrng(7)),
      };
      assertThrowsCode(() => store.commitBlock(otherShard), 'STORE_IDENTITY_MISMATCH');
      const receipt = first.receipts![0]!;
      for (const receipts of [
        [{ ...receipt, index: 1 }],
        [{ ...receipt, sourceHeight: 2n }],
        [{ ...receipt, sourceShard: SHARD + 1 }],
      ]) {
        assertThrowsCode(() => store.commitBlock({ ...first, receipts }), 'STORE_INVALID_ARGUMENT');
      }
      assert.equal(store.latestHeight(), 0n);
      assertCommitAbsent(store, first);
    });

    it('rolls back a commit whose state writes throw midway: nothing of the height is stored', () => {
      fresh();
      store.commitBlock(commit(1));
      const second = commit(2);
      const injected = new Error('injected write failure');
      const failing = {
        ...second,
        stateWrites: throwingAfter(second.stateWrites, 2, injected),
      };
      const error = assertThrowsCode(() => store.commitBlock(failing), 'STORE_WRITE_FAILED');
      assert.equal(error.cause, injected);
      assert.equal(store.latestHeight(), 1n);
      assertCommitAbsent(store, second);
      assert.deepEqual(store.getState(bytesOf('latest')), bytesOf('1'));
      for (const update of second.statusUpdates ?? [])
        assert.equal(store.getTxStatus(update.txId), undefined);
      // The store is still usable, and the real commit goes through.
      assert.equal(store.commitBlock(second), 'committed');
      assertCommitStored(store, second);
    });

    it('rolls back a commit with an invalid state key or meta name in the middle', () => {
      fresh();
      const first = commit(1);
      const writes = first.stateWrites;
      const badKey = {
        ...first,
        stateWrites: [writes[0]!, [new Uint8Array(0), bytesOf('x')] as StateWrite, writes[1]!],
      };
      assertThrowsCode(() => store.commitBlock(badKey), 'STORE_INVALID_ARGUMENT');
      const longKey = {
        ...first,
        stateWrites: [writes[0]!, [new Uint8Array(513), bytesOf('x')] as StateWrite],
      };
      assertThrowsCode(() => store.commitBlock(longKey), 'STORE_INVALID_ARGUMENT');
      const badMeta = { ...first, metaWrites: [['ok', bytesOf('1')] as const, ['', bytesOf('2')] as const] };
      assertThrowsCode(() => store.commitBlock(badMeta), 'STORE_INVALID_ARGUMENT');
      assert.equal(store.latestHeight(), 0n);
      assertCommitAbsent(store, first);
      assert.equal(store.getMeta('ok'), undefined);
      assert.equal(store.commitBlock({ ...first, metaWrites: [['ok', bytesOf('1')]] }), 'committed');
      assert.deepEqual(store.getMeta('ok'), bytesOf('1'));
    });

    it('scans state by prefix in byte order, with paging, and keeps empty values apart from deletions', () => {
      fresh();
      const keys = [
        [0x01],
        [0x01, 0x00],
        [0x01, 0x00, 0xff],
        [0x01, 0xff],
        [0x01, 0xff, 0xff],
        [0x02],
        [0xff],
        [0xff, 0xff],
      ];
      const writes: StateWrite[] = keys.map((key, index) => [Uint8Array.from(key), Uint8Array.of(index)]);
      writes.push([Uint8Array.of(0x03), new Uint8Array(0)]);
      store.commitBlock({ ...commit(1), stateWrites: writes.toReversed() });
      const scanKeys = (prefix: number[], options?: Parameters<ChainStore['scanState']>[1]) =>
        store.scanState(Uint8Array.from(prefix), options).map((entry) => Array.from(entry.key));
      assert.deepEqual(scanKeys([0x01]), [
        [0x01],
        [0x01, 0x00],
        [0x01, 0x00, 0xff],
        [0x01, 0xff],
        [0x01, 0xff, 0xff],
      ]);
      assert.deepEqual(scanKeys([0x01, 0xff]), [
        [0x01, 0xff],
        [0x01, 0xff, 0xff],
      ]);
      assert.deepEqual(scanKeys([0xff]), [[0xff], [0xff, 0xff]]);
      assert.deepEqual(scanKeys([0xff, 0xff]), [[0xff, 0xff]]);
      assert.deepEqual(scanKeys([0x04]), []);
      assert.deepEqual(scanKeys([]).length, 9);
      assert.deepEqual(scanKeys([0x01], { limit: 2 }), [[0x01], [0x01, 0x00]]);
      assert.deepEqual(scanKeys([0x01], { startAfter: Uint8Array.of(0x01, 0x00), limit: 2 }), [
        [0x01, 0x00, 0xff],
        [0x01, 0xff],
      ]);
      assert.deepEqual(scanKeys([0x01], { startAfter: Uint8Array.of(0x00) }).length, 5);
      assert.deepEqual(scanKeys([0x01], { startAfter: Uint8Array.of(0x01, 0xff, 0xff) }), []);
      assert.deepEqual(scanKeys([0x01], { limit: 0 }), []);
      assert.deepEqual(store.scanState(Uint8Array.of(0x02)), [
        { key: Uint8Array.of(0x02), value: Uint8Array.of(5) },
      ]);
      assert.deepEqual(store.getState(Uint8Array.of(0x03)), new Uint8Array(0));
      assertThrowsCode(() => store.scanState(Uint8Array.of(1), { limit: -1 }), 'STORE_INVALID_ARGUMENT');
      store.commitBlock({ ...commit(2), stateWrites: [[Uint8Array.of(0x03), null]] });
      assert.equal(store.getState(Uint8Array.of(0x03)), undefined);
    });

    it('hands out copies: mutating inputs or results does not change stored data', () => {
      fresh();
      const value = bytesOf('value');
      store.commitBlock({ ...commit(1), stateWrites: [[bytesOf('k'), value]] });
      value[0] = 0;
      const read = store.getState(bytesOf('k'))!;
      assert.deepEqual(read, bytesOf('value'));
      read[0] = 0;
      assert.deepEqual(store.getState(bytesOf('k')), bytesOf('value'));
      const [entry] = store.scanState(bytesOf('k'));
      entry!.value[0] = 0;
      assert.deepEqual(store.getState(bytesOf('k')), bytesOf('value'));
      assert.ok(Object.getPrototypeOf(store.getState(bytesOf('k'))) === Uint8Array.prototype);
    });

    it('matches a model map under random state writes and prefix scans (property)', () => {
      fresh();
      const model = new Map<string, Uint8Array>();
      const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
      const keyArbitrary = fc
        .uint8Array({ minLength: 1, maxLength: 4 })
        .map((bytes) => bytes.map((byte) => [0x00, 0x01, 0x7f, 0xff][byte % 4]!));
      const writeArbitrary = fc.tuple(
        keyArbitrary,
        fc.option(fc.uint8Array({ maxLength: 6 }), { nil: null }),
      );
      const propertyChain = buildFixtureChain({ seed: seed + 1, length: 40 });
      let next = 0;
      fc.assert(
        fc.property(
          fc.array(writeArbitrary, { maxLength: 12 }),
          keyArbitrary,
          fc.nat(5),
          (writes, prefixSource, prefixLength) => {
            const blockCommit = propertyChain[next++]!;
            store.commitBlock({ ...blockCommit, stateWrites: writes });
            for (const [key, value] of writes) {
              if (value === null) model.delete(hex(key));
              else model.set(hex(key), value);
            }
            const prefix = prefixSource.subarray(0, prefixLength);
            const expected = [...model.entries()]
              .filter(([key]) => key.startsWith(hex(prefix)))
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, value]) => ({ key: Uint8Array.from(Buffer.from(key, 'hex')), value }));
            assert.deepEqual(store.scanState(prefix), expected);
            for (const [key] of writes) assert.deepEqual(store.getState(key), model.get(hex(key)));
          },
        ),
        { seed, numRuns: 40 },
      );
    });

    it('keeps WAL records in order per height, continues sequence numbers and prunes below a height', async () => {
      fresh();
      const records = [bytesOf('a'), bytesOf('bb'), new Uint8Array(0), randomBytes(createPrng(3), 5000)];
      assert.deepEqual(
        records.map((record) => store.appendWal(5n, record)),
        [0, 1, 2, 3],
      );
      assert.equal(store.appendWal(6n, bytesOf('six')), 0);
      assert.equal(store.appendWal(7n, bytesOf('seven')), 0);
      assert.equal(store.appendWal(4n, bytesOf('four')), 0);
      assert.deepEqual(store.readWal(5n), records);
      assert.deepEqual(store.readWal(8n), []);
      await reopen();
      assert.equal(store.appendWal(6n, bytesOf('six again')), 1);
      assert.deepEqual(store.readWal(6n), [bytesOf('six'), bytesOf('six again')]);
      assert.equal(store.pruneWal(6n), 5);
      assert.deepEqual(store.readWal(4n), []);
      assert.deepEqual(store.readWal(5n), []);
      assert.equal(store.readWal(6n).length, 2);
      assert.equal(store.pruneWal(6n), 0);
      assert.equal(store.pruneWal(0n), 0);
      assert.equal(store.pruneWal(100n), 3);
      assert.deepEqual(store.readWal(7n), []);
    });

    it('stores meta values on their own and atomically with a block', () => {
      fresh();
      store.setMeta('relay.cursor', bytesOf('7'));
      assert.deepEqual(store.getMeta('relay.cursor'), bytesOf('7'));
      store.commitBlock({
        ...commit(1),
        metaWrites: [
          ['relay.cursor', bytesOf('8')],
          ['other', bytesOf('x')],
        ],
      });
      assert.deepEqual(store.getMeta('relay.cursor'), bytesOf('8'));
      store.setMeta('other', null);
      assert.equal(store.getMeta('other'), undefined);
      assertThrowsCode(() => store.setMeta('', bytesOf('x')), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getMeta('x'.repeat(129)), 'STORE_INVALID_ARGUMENT');
    });

    it('guards the last signed (height, round, step) against regression and double signing', async () => {
      fresh();
      const signed = { height: 5n, round: 1, step: 'prevote' as const, signBytes: bytesOf('vote-5-1') };
      store.setLastSigned(signed);
      assert.deepEqual(store.getLastSigned(), signed);
      store.setLastSigned({ ...signed, signBytes: bytesOf('vote-5-1') });
      assertThrowsCode(
        () => store.setLastSigned({ ...signed, signBytes: bytesOf('other') }),
        'STORE_DOUBLE_SIGN',
      );
      assertThrowsCode(() => store.setLastSigned({ ...signed, step: 'propose' }), 'STORE_SIGN_REGRESSION');
      assertThrowsCode(
        () => store.setLastSigned({ ...signed, round: 0, step: 'precommit' }),
        'STORE_SIGN_REGRESSION',
      );
      assertThrowsCode(
        () => store.setLastSigned({ ...signed, height: 4n, round: 9 }),
        'STORE_SIGN_REGRESSION',
      );
      const precommit = { ...signed, step: 'precommit' as const, signBytes: bytesOf('precommit-5-1') };
      store.setLastSigned(precommit);
      await reopen();
      assert.deepEqual(store.getLastSigned(), precommit);
      assertThrowsCode(() => store.setLastSigned(signed), 'STORE_SIGN_REGRESSION');
      store.setLastSigned({ height: 6n, round: 0, step: 'propose', signBytes: bytesOf('proposal-6-0') });
      assert.equal(store.getLastSigned()!.height, 6n);
      assertThrowsCode(
        () => store.setLastSigned({ ...precommit, step: 'commit' as never }),
        'STORE_INVALID_ARGUMENT',
      );
    });

    it('records genesis once', () => {
      fresh();
      assert.equal(
        store.commitGenesis({
          genesisHash,
          stateWrites: [[bytesOf('g'), bytesOf('1')]],
          metaWrites: [['m', bytesOf('1')]],
        }),
        'committed',
      );
      assert.equal(
        store.commitGenesis({ genesisHash, stateWrites: [[bytesOf('g'), bytesOf('2')]] }),
        'unchanged',
      );
      assert.deepEqual(store.getState(bytesOf('g')), bytesOf('1'));
      assert.deepEqual(store.getMeta('m'), bytesOf('1'));
      assertThrowsCode(() => store.commitGenesis({ genesisHash: new Uint8Array(32) }), 'STORE_CONFLICT');
      assertThrowsCode(
        () => store.commitGenesis({ genesisHash: new Uint8Array(31) }),
        'STORE_INVALID_ARGUMENT',
      );
    });

    it('refuses genesis after blocks', () => {
      fresh();
      store.commitBlock(commit(1));
      assert.equal(
        assertThrowsCode(() => store.commitGenesis({ genesisHash }), 'STORE_CONFLICT').meta.reason,
        'blocks_exist',
      );
    });

    it('refuses malformed arguments with STORE_INVALID_ARGUMENT', () => {
      fresh();
      assertThrowsCode(() => store.getBlock(-1n), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getBlock(1 as never), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getHeader(1n << 64n), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getReceipt(new Uint8Array(31)), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getTxLocation('ab' as never), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.getState(new Uint8Array(0)), 'STORE_INVALID_ARGUMENT');
      assertThrowsCode(() => store.appendWal(1n, 'text' as never), 'STORE_INVALID_ARGUMENT');
      const genesisHeight = {
        ...commit(1),
        block: { ...commit(1).block, header: { ...commit(1).block.header, height: 0n } },
      };
      assertThrowsCode(() => store.commitBlock(genesisHeight), 'STORE_INVALID_ARGUMENT');
    });

    it('throws STORE_CLOSED after close, and close is idempotent', async () => {
      fresh();
      store.commitBlock(commit(1));
      await store.close();
      await store.close();
      assertThrowsCode(() => store.latestHeight(), 'STORE_CLOSED');
      assertThrowsCode(() => store.getBlock(1n), 'STORE_CLOSED');
      assertThrowsCode(() => store.commitBlock(commit(2)), 'STORE_CLOSED');
      assertThrowsCode(() => store.appendWal(1n, bytesOf('x')), 'STORE_CLOSED');
      store = harness.open();
      assert.equal(store.latestHeight(), 1n);
    });

    it('resumes where it stopped after close and reopen', async () => {
      fresh();
      store.commitGenesis({ genesisHash });
      for (let height = 1; height <= 5; height++) store.commitBlock(commit(height));
      store.appendWal(6n, bytesOf('proposal'));
      store.setMeta('relay.cursor', bytesOf('5'));
      await reopen();
      assert.equal(store.latestHeight(), 5n);
      assert.deepEqual(store.latestHash(), headerId(commit(5).block.header));
      assert.deepEqual(store.genesisHash(), genesisHash);
      for (let height = 1; height <= 5; height++) assertCommitStored(store, commit(height));
      assert.deepEqual(store.readWal(6n), [bytesOf('proposal')]);
      assert.deepEqual(store.getMeta('relay.cursor'), bytesOf('5'));
      assert.equal(store.commitBlock(commit(5)), 'unchanged');
      assertThrowsCode(() => store.commitBlock(commit(7)), 'STORE_HEIGHT_GAP');
      assert.equal(store.commitBlock(commit(6)), 'committed');
      assertCommitStored(store, commit(6));
    });

    it('refuses to open data of another chain or shard', async () => {
      fresh();
      store.commitBlock(commit(1));
      await store.close();
      assertThrowsCode(
        () => harness.open({ chainId: CHAIN_ID, shard: SHARD + 1 }),
        'STORE_IDENTITY_MISMATCH',
      );
      assertThrowsCode(
        () => harness.open({ chainId: 'another-chain', shard: SHARD }),
        'STORE_IDENTITY_MISMATCH',
      );
      store = harness.open();
      assert.equal(store.latestHeight(), 1n);
    });

    before(() => {
      // The fixture must exercise what the suite claims: receipts, statuses and incoming batches.
      assert.ok(chain.some((entry) => (entry.receipts ?? []).length > 0));
      assert.ok(chain.some((entry) => (entry.statusUpdates ?? []).length > 0));
      assert.ok(chain.some((entry) => entry.block.incoming.length > 0));
    });
  });
}
