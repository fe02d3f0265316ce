import {
  type BlockHeader,
  decodeBlock,
  decodeBlockHeader,
  decodeCommitCertificate,
  decodeReceipt,
  encodeBlock,
  encodeBlockHeader,
  encodeCommitCertificate,
  encodeReceipt,
  type Hash,
  headerId,
  isShardpayError,
  MAX_CHAIN_ID_BYTES,
  type Receipt,
  receiptId,
  ShardpayError,
  transactionId,
} from '@shardpay/protocol';
import type {
  BlockCommit,
  ChainStore,
  CommitOutcome,
  GenesisCommit,
  LastSignedRecord,
  MetaWrite,
  ReceiptLocation,
  ScanStateOptions,
  StateEntry,
  StateWrite,
  TxLocation,
  TxStatusRecord,
} from './ChainStore.ts';
import type { KvBackend, KvWriter, TableName } from './KvBackend.ts';
import { StorageErrorCode } from './storageErrorCodes.ts';
import {
  assertHash,
  assertHeight,
  assertIndex,
  assertSigningStep,
  assertTxStage,
  bytesEqual,
  corrupt,
  decodeIdentity,
  decodeLastSigned,
  decodeTip,
  decodeTxStatus,
  encodeIdentity,
  encodeLastSigned,
  encodeTip,
  encodeTxStatus,
  heightToKey,
  invalidArgument,
  keySuccessor,
  keyToHeight,
  keyToLocation,
  locationToKey,
  prefixUpperBound,
  type StoreIdentity,
  signingStepOrder,
  type Tip,
  utf8,
} from './storeEncoding.ts';

/** The on-disk layout version this code reads and writes. */
export const STORE_FORMAT_VERSION = 1;
/** State keys are 1 to this many bytes (LMDB's own key limit is 1978). */
export const MAX_STATE_KEY_BYTES = 512;
/** Meta names are 1 to this many bytes of UTF-8. */
export const MAX_META_NAME_BYTES = 128;

const SYSTEM_KEY = {
  format: utf8('format'),
  identity: utf8('identity'),
  tip: utf8('tip'),
  genesis: utf8('genesis'),
  lastSigned: utf8('lastSigned'),
};

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    if (a[index] !== b[index]) return a[index]! - b[index]!;
  }
  return a.length - b.length;
}

function decodeStored<T>(table: TableName, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw corrupt(table, 'decode', error);
  }
}

/** Runs a write; anything but a ShardpayError (an LMDB failure, a throwing iterable) becomes STORE_WRITE_FAILED. */
function runWrite<T>(operation: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isShardpayError(error)) throw error;
    throw new ShardpayError(StorageErrorCode.STORE_WRITE_FAILED, `${operation} failed and was rolled back`, {
      meta: { operation },
      cause: error,
    });
  }
}

function conflict(reason: string, meta: Record<string, unknown>, message: string): ShardpayError {
  return new ShardpayError(StorageErrorCode.STORE_CONFLICT, message, { meta: { reason, ...meta } });
}

function assertIdentity(identity: StoreIdentity): void {
  if (typeof identity.chainId !== 'string' || identity.chainId.length === 0) {
    throw invalidArgument('chainId', 'empty', 'must be a non-empty string');
  }
  if (utf8(identity.chainId).length > MAX_CHAIN_ID_BYTES) {
    throw invalidArgument('chainId', 'too_long', `must be at most ${MAX_CHAIN_ID_BYTES} bytes`);
  }
  assertIndex(identity.shard, 'shard');
}

function assertStateKey(key: unknown, field: string): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length === 0 || key.length > MAX_STATE_KEY_BYTES) {
    throw invalidArgument(field, 'bad_state_key', `must be 1 to ${MAX_STATE_KEY_BYTES} bytes`);
  }
}

function metaNameToKey(name: unknown, field: string): Uint8Array {
  const key = typeof name === 'string' ? utf8(name) : undefined;
  if (key === undefined || key.length === 0 || key.length > MAX_META_NAME_BYTES) {
    throw invalidArgument(
      field,
      'bad_meta_name',
      `must be a string of 1 to ${MAX_META_NAME_BYTES} UTF-8 bytes`,
    );
  }
  return key;
}

function assertBytesOrNull(value: unknown, field: string): asserts value is Uint8Array | null {
  if (value !== null && !(value instanceof Uint8Array))
    throw invalidArgument(field, 'not_bytes', 'must be bytes or null');
}

function writeState(writer: KvWriter, writes: Iterable<StateWrite> | undefined): void {
  if (writes === undefined) return;
  let position = 0;
  for (const [key, value] of writes) {
    assertStateKey(key, `stateWrites[${position}].key`);
    assertBytesOrNull(value, `stateWrites[${position}].value`);
    if (value === null) writer.remove('state', key);
    else writer.put('state', key, value);
    position++;
  }
}

function writeMeta(writer: KvWriter, writes: Iterable<MetaWrite> | undefined): void {
  if (writes === undefined) return;
  let position = 0;
  for (const [name, value] of writes) {
    const key = metaNameToKey(name, `metaWrites[${position}].name`);
    assertBytesOrNull(value, `metaWrites[${position}].value`);
    if (value === null) writer.remove('meta', key);
    else writer.put('meta', key, value);
    position++;
  }
}

/** The encoded form of one block commit, computed (and checked) before the write transaction starts. */
interface PreparedCommit {
  height: bigint;
  hash: Hash;
  blockBytes: Uint8Array;
  headerBytes: Uint8Array;
  certificateBytes: Uint8Array;
  receipts: Array<{ id: Hash; bytes: Uint8Array }>;
}

/**
 * Builds the chain store on any `KvBackend`: the LMDB and in-memory stores are this function over
 * different backends. Opening checks the store's format and identity (initialising an empty one)
 * and that the recorded tip is intact.
 */
export function createChainStore(backend: KvBackend, identity: StoreIdentity): ChainStore {
  assertIdentity(identity);
  const { chainId, shard } = identity;
  let closed = false;

  initialiseOrCheckIdentity(backend, identity);
  let genesis: Hash | undefined = backend.get('system', SYSTEM_KEY.genesis);
  if (genesis !== undefined && genesis.length !== 32) throw corrupt('system', 'genesis_layout');
  const storedTip = backend.get('system', SYSTEM_KEY.tip);
  let tip: Tip | undefined = storedTip === undefined ? undefined : decodeTip(storedTip);
  checkTip(backend, tip);
  const storedLastSigned = backend.get('system', SYSTEM_KEY.lastSigned);
  let lastSigned = storedLastSigned === undefined ? undefined : decodeLastSigned(storedLastSigned);

  function assertOpen(): void {
    if (closed) throw new ShardpayError(StorageErrorCode.STORE_CLOSED, 'the store is closed');
  }

  const latestHeight = (): bigint => tip?.height ?? 0n;

  function readBlockBytes(height: bigint): Uint8Array | undefined {
    assertHeight(height, 'height');
    return backend.get('blocks', heightToKey(height));
  }

  function readReceiptsOf(height: bigint): Uint8Array[] {
    const prefix = heightToKey(height);
    const to = prefixUpperBound(prefix);
    return backend
      .range('receipts', { from: prefix, ...(to === undefined ? {} : { to }) })
      .map((entry) => entry.value);
  }

  function prepareCommit(commit: BlockCommit): PreparedCommit {
    const { block, certificate } = commit;
    const header = block.header;
    if (header.chainId !== chainId || header.shard !== shard) {
      throw new ShardpayError(
        StorageErrorCode.STORE_IDENTITY_MISMATCH,
        'the block belongs to another chain or shard',
        {
          meta: { expected: { chainId, shard }, found: { chainId: header.chainId, shard: header.shard } },
        },
      );
    }
    assertHeight(header.height, 'block.header.height');
    const height = header.height;
    if (height < 1n)
      throw invalidArgument('block.header.height', 'genesis_height', 'blocks start at height 1');
    const headerBytes = encodeBlockHeader(header);
    const hash = headerId(header);
    const certificateMismatch = (reason: string) =>
      new ShardpayError(
        StorageErrorCode.STORE_CERTIFICATE_MISMATCH,
        `the certificate does not name this block: ${reason}`,
        {
          meta: { reason, height },
        },
      );
    if (certificate.chainId !== chainId || certificate.shard !== shard)
      throw certificateMismatch('chain_or_shard');
    if (certificate.height !== height) throw certificateMismatch('height');
    if (!(certificate.blockHash instanceof Uint8Array) || !bytesEqual(certificate.blockHash, hash)) {
      throw certificateMismatch('block_hash');
    }
    const receipts = (commit.receipts ?? []).map((receipt, index) => {
      const field = `receipts[${index}]`;
      if (receipt.chainId !== chainId || receipt.sourceShard !== shard) {
        throw invalidArgument(
          `${field}.sourceShard`,
          'not_this_shard',
          'must be emitted by this chain and shard',
        );
      }
      if (receipt.sourceHeight !== height)
        throw invalidArgument(`${field}.sourceHeight`, 'not_block_height', 'must be the block height');
      if (receipt.index !== index)
        throw invalidArgument(`${field}.index`, 'not_position', 'must be its position in the list');
      return { id: receiptId(receipt), bytes: encodeReceipt(receipt) };
    });
    return {
      height,
      hash,
      headerBytes,
      blockBytes: encodeBlock(block),
      certificateBytes: encodeCommitCertificate(certificate),
      receipts,
    };
  }

  /** A commit of a stored height: a no-op if it is the same block, certificate and receipts. */
  function compareWithStored(prepared: PreparedCommit): CommitOutcome {
    const { height } = prepared;
    const key = heightToKey(height);
    const storedBlock = backend.get('blocks', key);
    const storedCertificate = backend.get('certificates', key);
    if (storedBlock === undefined) throw corrupt('blocks', 'missing_below_tip');
    if (storedCertificate === undefined) throw corrupt('certificates', 'missing_below_tip');
    if (!bytesEqual(storedBlock, prepared.blockBytes)) {
      throw conflict('block_differs', { height }, `a different block is stored at height ${height}`);
    }
    if (!bytesEqual(storedCertificate, prepared.certificateBytes)) {
      throw conflict(
        'certificate_differs',
        { height },
        `a different certificate is stored at height ${height}`,
      );
    }
    const storedReceipts = readReceiptsOf(height);
    const sameReceipts =
      storedReceipts.length === prepared.receipts.length &&
      storedReceipts.every((bytes, index) => bytesEqual(bytes, prepared.receipts[index]!.bytes));
    if (!sameReceipts)
      throw conflict('receipts_differ', { height }, `different receipts are stored at height ${height}`);
    return 'unchanged';
  }

  function assertParent(header: BlockHeader): void {
    const expected = header.height === 1n ? genesis : tip?.hash;
    // Before commitGenesis, block 1's parent cannot be checked: the store does not know genesis.
    if (expected === undefined) return;
    if (!(header.parentHash instanceof Uint8Array) || !bytesEqual(header.parentHash, expected)) {
      throw new ShardpayError(
        StorageErrorCode.STORE_PARENT_MISMATCH,
        `block ${header.height} does not extend the stored chain`,
        { meta: { height: header.height } },
      );
    }
  }

  function txIdsOf(commit: BlockCommit): readonly Hash[] {
    const transactions = commit.block.transactions;
    if (commit.txIds === undefined) return transactions.map((tx) => transactionId(tx));
    if (commit.txIds.length !== transactions.length) {
      throw invalidArgument('txIds', 'length', 'must have one id per transaction of the block');
    }
    commit.txIds.forEach((id, index) => {
      assertHash(id, `txIds[${index}]`);
    });
    return commit.txIds;
  }

  const store: ChainStore = {
    chainId,
    shard,

    latestHeight() {
      assertOpen();
      return latestHeight();
    },

    latestHash() {
      assertOpen();
      return (tip?.hash ?? genesis)?.slice();
    },

    genesisHash() {
      assertOpen();
      return genesis?.slice();
    },

    getBlock(height) {
      assertOpen();
      const bytes = readBlockBytes(height);
      return bytes === undefined ? undefined : decodeStored('blocks', bytes, decodeBlock);
    },

    getHeader(height) {
      assertOpen();
      assertHeight(height, 'height');
      const bytes = backend.get('headers', heightToKey(height));
      return bytes === undefined ? undefined : decodeStored('headers', bytes, decodeBlockHeader);
    },

    getBlockHash(height) {
      assertOpen();
      assertHeight(height, 'height');
      return backend.get('blockHashes', heightToKey(height));
    },

    getHeightByHash(hash) {
      assertOpen();
      assertHash(hash, 'hash');
      const bytes = backend.get('heightsByHash', hash);
      return bytes === undefined ? undefined : keyToHeight(bytes, 'heightsByHash');
    },

    getBlockByHash(hash) {
      const height = store.getHeightByHash(hash);
      if (height === undefined) return undefined;
      const block = store.getBlock(height);
      if (block === undefined) throw corrupt('blocks', 'missing_for_hash');
      return block;
    },

    getCertificate(height) {
      assertOpen();
      assertHeight(height, 'height');
      const bytes = backend.get('certificates', heightToKey(height));
      return bytes === undefined ? undefined : decodeStored('certificates', bytes, decodeCommitCertificate);
    },

    getReceipt(id): ReceiptLocation | undefined {
      assertOpen();
      assertHash(id, 'receiptId');
      const locationBytes = backend.get('receiptIndex', id);
      if (locationBytes === undefined) return undefined;
      const bytes = backend.get('receipts', locationBytes);
      if (bytes === undefined) throw corrupt('receipts', 'missing_for_index');
      const { height, index } = keyToLocation(locationBytes, 'receiptIndex');
      return { receipt: decodeStored('receipts', bytes, decodeReceipt), height, index };
    },

    getBlockReceipts(height): Receipt[] | undefined {
      assertOpen();
      assertHeight(height, 'height');
      if (height < 1n || height > latestHeight()) return undefined;
      return readReceiptsOf(height).map((bytes) => decodeStored('receipts', bytes, decodeReceipt));
    },

    getTxLocation(txId): TxLocation | undefined {
      assertOpen();
      assertHash(txId, 'txId');
      const bytes = backend.get('txIndex', txId);
      return bytes === undefined ? undefined : keyToLocation(bytes, 'txIndex');
    },

    getTxStatus(txId): TxStatusRecord | undefined {
      assertOpen();
      assertHash(txId, 'txId');
      const bytes = backend.get('txStatus', txId);
      return bytes === undefined ? undefined : decodeTxStatus(bytes);
    },

    getState(key) {
      assertOpen();
      assertStateKey(key, 'key');
      return backend.get('state', key);
    },

    scanState(prefix, options: ScanStateOptions = {}): StateEntry[] {
      assertOpen();
      if (!(prefix instanceof Uint8Array) || prefix.length > MAX_STATE_KEY_BYTES) {
        throw invalidArgument('prefix', 'bad_prefix', `must be 0 to ${MAX_STATE_KEY_BYTES} bytes`);
      }
      const { startAfter, limit } = options;
      if (startAfter !== undefined && !(startAfter instanceof Uint8Array)) {
        throw invalidArgument('startAfter', 'not_bytes', 'must be bytes');
      }
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
        throw invalidArgument('limit', 'not_count', 'must be a non-negative integer');
      }
      let from = prefix;
      if (startAfter !== undefined) {
        const after = keySuccessor(startAfter);
        if (compareBytes(after, from) > 0) from = after;
      }
      const to = prefixUpperBound(prefix);
      if (limit === 0 || (to !== undefined && compareBytes(from, to) >= 0)) return [];
      return backend.range('state', {
        from,
        ...(to === undefined ? {} : { to }),
        ...(limit === undefined ? {} : { limit }),
      });
    },

    getMeta(name) {
      assertOpen();
      return backend.get('meta', metaNameToKey(name, 'name'));
    },

    setMeta(name, value) {
      assertOpen();
      const key = metaNameToKey(name, 'name');
      assertBytesOrNull(value, 'value');
      runWrite('setMeta', () =>
        backend.transact((writer) => {
          if (value === null) writer.remove('meta', key);
          else writer.put('meta', key, value);
        }),
      );
    },

    commitGenesis(commit: GenesisCommit): CommitOutcome {
      assertOpen();
      assertHash(commit.genesisHash, 'genesisHash');
      if (genesis !== undefined) {
        if (bytesEqual(genesis, commit.genesisHash)) return 'unchanged';
        throw conflict('genesis_differs', {}, 'a different genesis is stored');
      }
      if (latestHeight() > 0n) throw conflict('blocks_exist', {}, 'genesis must be committed before block 1');
      const genesisHash = commit.genesisHash.slice();
      runWrite('commitGenesis', () =>
        backend.transact((writer) => {
          writeState(writer, commit.stateWrites);
          writeMeta(writer, commit.metaWrites);
          writer.put('system', SYSTEM_KEY.genesis, genesisHash);
        }),
      );
      genesis = genesisHash;
      return 'committed';
    },

    commitBlock(commit: BlockCommit): CommitOutcome {
      assertOpen();
      const prepared = prepareCommit(commit);
      const { height, hash } = prepared;
      const latest = latestHeight();
      if (height <= latest) return compareWithStored(prepared);
      if (height !== latest + 1n) {
        throw new ShardpayError(
          StorageErrorCode.STORE_HEIGHT_GAP,
          `cannot commit height ${height}: the latest stored height is ${latest}`,
          { meta: { height, latestHeight: latest } },
        );
      }
      assertParent(commit.block.header);
      const txIds = txIdsOf(commit);
      const statusUpdates = (commit.statusUpdates ?? []).map((update, index) => {
        assertHash(update.txId, `statusUpdates[${index}].txId`);
        assertTxStage(update.stage, `statusUpdates[${index}].stage`);
        assertHash(update.receiptId, `statusUpdates[${index}].receiptId`);
        return {
          txId: update.txId,
          record: encodeTxStatus({ stage: update.stage, height, receiptId: update.receiptId }),
        };
      });
      const newTip: Tip = { height, hash };
      runWrite('commitBlock', () =>
        backend.transact((writer) => {
          const key = heightToKey(height);
          writer.put('blocks', key, prepared.blockBytes);
          writer.put('headers', key, prepared.headerBytes);
          writer.put('blockHashes', key, hash);
          writer.put('heightsByHash', hash, key);
          writer.put('certificates', key, prepared.certificateBytes);
          prepared.receipts.forEach((receipt, index) => {
            const location = locationToKey(height, index);
            writer.put('receipts', location, receipt.bytes);
            writer.put('receiptIndex', receipt.id, location);
          });
          txIds.forEach((id, index) => {
            writer.put('txIndex', id, locationToKey(height, index));
          });
          for (const update of statusUpdates) writer.put('txStatus', update.txId, update.record);
          writeState(writer, commit.stateWrites);
          writeMeta(writer, commit.metaWrites);
          // The tip goes last: a store whose tip names height h holds all of h.
          writer.put('system', SYSTEM_KEY.tip, encodeTip(newTip));
        }),
      );
      tip = newTip;
      return 'committed';
    },

    appendWal(height, record) {
      assertOpen();
      assertHeight(height, 'height');
      if (!(record instanceof Uint8Array)) throw invalidArgument('record', 'not_bytes', 'must be bytes');
      const prefix = heightToKey(height);
      const to = prefixUpperBound(prefix);
      const [last] = backend.range('wal', {
        from: prefix,
        ...(to === undefined ? {} : { to }),
        reverse: true,
        limit: 1,
      });
      const sequence = last === undefined ? 0 : keyToLocation(last.key, 'wal').index + 1;
      assertIndex(sequence, 'sequence');
      runWrite('appendWal', () =>
        backend.transact((writer) => {
          writer.put('wal', locationToKey(height, sequence), record);
        }),
      );
      return sequence;
    },

    readWal(height) {
      assertOpen();
      assertHeight(height, 'height');
      const prefix = heightToKey(height);
      const to = prefixUpperBound(prefix);
      return backend
        .range('wal', { from: prefix, ...(to === undefined ? {} : { to }) })
        .map((entry) => entry.value);
    },

    pruneWal(belowHeight) {
      assertOpen();
      assertHeight(belowHeight, 'belowHeight');
      const doomed = backend.range('wal', { from: heightToKey(0n), to: heightToKey(belowHeight) });
      if (doomed.length === 0) return 0;
      runWrite('pruneWal', () =>
        backend.transact((writer) => {
          for (const entry of doomed) writer.remove('wal', entry.key);
        }),
      );
      return doomed.length;
    },

    getLastSigned() {
      assertOpen();
      return lastSigned === undefined
        ? undefined
        : { ...lastSigned, signBytes: lastSigned.signBytes.slice() };
    },

    setLastSigned(record: LastSignedRecord) {
      assertOpen();
      assertHeight(record.height, 'height');
      assertIndex(record.round, 'round');
      assertSigningStep(record.step, 'step');
      if (!(record.signBytes instanceof Uint8Array))
        throw invalidArgument('signBytes', 'not_bytes', 'must be bytes');
      if (lastSigned !== undefined) {
        const order =
          record.height !== lastSigned.height
            ? record.height < lastSigned.height
              ? -1
              : 1
            : record.round !== lastSigned.round
              ? record.round - lastSigned.round
              : signingStepOrder(record.step) - signingStepOrder(lastSigned.step);
        const stored = { height: lastSigned.height, round: lastSigned.round, step: lastSigned.step };
        const requested = { height: record.height, round: record.round, step: record.step };
        if (order < 0) {
          throw new ShardpayError(
            StorageErrorCode.STORE_SIGN_REGRESSION,
            'refusing to sign below the last signed step',
            {
              meta: { stored, requested },
            },
          );
        }
        if (order === 0) {
          if (bytesEqual(record.signBytes, lastSigned.signBytes)) return;
          throw new ShardpayError(
            StorageErrorCode.STORE_DOUBLE_SIGN,
            'a different message was signed for this step',
            {
              meta: { stored, requested },
            },
          );
        }
      }
      const next: LastSignedRecord = {
        height: record.height,
        round: record.round,
        step: record.step,
        signBytes: record.signBytes.slice(),
      };
      runWrite('setLastSigned', () =>
        backend.transact((writer) => {
          writer.put('system', SYSTEM_KEY.lastSigned, encodeLastSigned(next));
        }),
      );
      lastSigned = next;
    },

    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
  return store;
}

/** An empty backend gets the format and identity; a used one must match both. */
function initialiseOrCheckIdentity(backend: KvBackend, identity: StoreIdentity): void {
  const format = backend.get('system', SYSTEM_KEY.format);
  if (format === undefined) {
    backend.transact((writer) => {
      writer.put('system', SYSTEM_KEY.format, Uint8Array.of(STORE_FORMAT_VERSION));
      writer.put('system', SYSTEM_KEY.identity, encodeIdentity(identity));
    });
    return;
  }
  if (format.length !== 1 || format[0] !== STORE_FORMAT_VERSION) {
    throw new ShardpayError(
      StorageErrorCode.STORE_FORMAT_UNSUPPORTED,
      'the store was written in an unknown format',
      {
        meta: { format: Array.from(format) },
      },
    );
  }
  const storedIdentity = backend.get('system', SYSTEM_KEY.identity);
  if (storedIdentity === undefined) throw corrupt('system', 'identity_missing');
  const found = decodeIdentity(storedIdentity);
  if (found.chainId !== identity.chainId || found.shard !== identity.shard) {
    throw new ShardpayError(
      StorageErrorCode.STORE_IDENTITY_MISMATCH,
      'the store belongs to another chain or shard',
      {
        meta: { expected: { chainId: identity.chainId, shard: identity.shard }, found },
      },
    );
  }
}

/** The tip names a block that is fully there, and nothing is stored above it. */
function checkTip(backend: KvBackend, tip: Tip | undefined): void {
  const height = tip?.height ?? 0n;
  if (tip !== undefined) {
    const key = heightToKey(tip.height);
    if (backend.get('blocks', key) === undefined) throw corrupt('blocks', 'tip_block_missing');
    if (backend.get('certificates', key) === undefined)
      throw corrupt('certificates', 'tip_certificate_missing');
    const hash = backend.get('blockHashes', key);
    if (hash === undefined || !bytesEqual(hash, tip.hash)) throw corrupt('blockHashes', 'tip_hash_mismatch');
  }
  const above = prefixUpperBound(heightToKey(height));
  if (above !== undefined && backend.range('blocks', { from: above, limit: 1 }).length > 0) {
    throw corrupt('blocks', 'block_above_tip');
  }
}
