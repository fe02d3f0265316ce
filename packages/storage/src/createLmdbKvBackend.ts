import { mkdirSync } from 'node:fs';
import { type Database, open } from 'lmdb';
import type { KeyRange, KvBackend, KvEntry, KvWriter, TableName } from './KvBackend.ts';
import { TABLE_NAMES } from './KvBackend.ts';

type Table = Database<Uint8Array, Uint8Array>;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** lmdb-js hands out Buffers (some views into shared memory): return plain, owned Uint8Arrays. */
function copyOut(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/**
 * Opens (creating if needed) an LMDB environment in directory `path` with one named database per
 * table. Every transaction is a synchronous LMDB commit that fsyncs before returning: no
 * `overlappingSync`, no `noSync`, no async batching. Throws what lmdb throws.
 */
export function createLmdbKvBackend(path: string): KvBackend {
  mkdirSync(path, { recursive: true });
  // noSubdir is explicit: lmdb-js otherwise treats a directory name containing a dot as a file.
  const root = open({ path, noSubdir: false, maxDbs: TABLE_NAMES.length + 4, overlappingSync: false });
  const tables = new Map<TableName, Table>();
  try {
    for (const name of TABLE_NAMES) {
      tables.set(
        name,
        root.openDB<Uint8Array, Uint8Array>({ name, keyEncoding: 'binary', encoding: 'binary' }),
      );
    }
  } catch (error) {
    void root.close();
    throw error;
  }
  const tableOf = (name: TableName): Table => tables.get(name)!;

  function get(name: TableName, key: Uint8Array): Uint8Array | undefined {
    const value = tableOf(name).get(toBuffer(key));
    return value === undefined ? undefined : copyOut(value);
  }

  function range(name: TableName, keyRange: KeyRange): KvEntry[] {
    const from = toBuffer(keyRange.from);
    const to = keyRange.to === undefined ? undefined : toBuffer(keyRange.to);
    // lmdb-js walks from `start` to `end`; in reverse, start is the high end and end the low one.
    const options =
      keyRange.reverse === true
        ? {
            reverse: true,
            end: from,
            inclusiveEnd: true,
            ...(to === undefined ? {} : { start: to, exclusiveStart: true }),
          }
        : { start: from, ...(to === undefined ? {} : { end: to }) };
    const entries: KvEntry[] = [];
    for (const entry of tableOf(name).getRange({
      ...options,
      ...(keyRange.limit === undefined ? {} : { limit: keyRange.limit }),
    })) {
      entries.push({ key: copyOut(entry.key), value: copyOut(entry.value) });
    }
    return entries;
  }

  const writer: KvWriter = {
    get,
    put(name, key, value) {
      tableOf(name).putSync(toBuffer(key), toBuffer(value));
    },
    remove(name, key) {
      tableOf(name).removeSync(toBuffer(key));
    },
  };

  return {
    get,
    range,
    transact<T>(body: (writer: KvWriter) => T): T {
      // Default flags: abortable, committed and flushed to disk before transactionSync returns.
      return root.transactionSync(() => body(writer));
    },
    async close() {
      await root.close();
    },
  };
}
