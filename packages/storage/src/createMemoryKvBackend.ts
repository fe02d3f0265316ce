import type { KeyRange, KvBackend, KvEntry, KvWriter, TableName } from './KvBackend.ts';

/** Keys as lowercase hex: string order equals unsigned byte order (shorter first on a common prefix). */
interface SortedTable {
  values: Map<string, Uint8Array>;
  /** Every key of `values`, ascending. */
  sortedKeys: string[];
}

/** An in-memory `KvBackend`. Its data outlives `close()`, so a new store on it models a restart. */
export type MemoryKvBackend = KvBackend;

function keyToHex(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}

function hexToKey(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Index of the first key >= `hex`. */
function lowerBound(sortedKeys: readonly string[], hex: string): number {
  let low = 0;
  let high = sortedKeys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedKeys[middle]! < hex) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertKey(table: SortedTable, hex: string): void {
  const keys = table.sortedKeys;
  // Heights and WAL sequence numbers arrive in ascending order: append without searching.
  if (keys.length === 0 || keys[keys.length - 1]! < hex) keys.push(hex);
  else keys.splice(lowerBound(keys, hex), 0, hex);
}

function removeKey(table: SortedTable, hex: string): void {
  const index = lowerBound(table.sortedKeys, hex);
  if (table.sortedKeys[index] === hex) table.sortedKeys.splice(index, 1);
}

/** Creates an empty in-memory backend (for tests and simulations). */
export function createMemoryKvBackend(): MemoryKvBackend {
  const tables = new Map<TableName, SortedTable>();

  function tableOf(name: TableName): SortedTable {
    let table = tables.get(name);
    if (table === undefined) {
      table = { values: new Map(), sortedKeys: [] };
      tables.set(name, table);
    }
    return table;
  }

  function get(name: TableName, key: Uint8Array): Uint8Array | undefined {
    const value = tables.get(name)?.values.get(keyToHex(key));
    return value === undefined ? undefined : value.slice();
  }

  function range(name: TableName, keyRange: KeyRange): KvEntry[] {
    const table = tables.get(name);
    if (table === undefined) return [];
    const keys = table.sortedKeys;
    const start = lowerBound(keys, keyToHex(keyRange.from));
    const end = keyRange.to === undefined ? keys.length : lowerBound(keys, keyToHex(keyRange.to));
    const limit = keyRange.limit ?? Number.POSITIVE_INFINITY;
    const entries: KvEntry[] = [];
    const step = keyRange.reverse === true ? -1 : 1;
    for (let index = step === 1 ? start : end - 1; index >= start && index < end; index += step) {
      if (entries.length >= limit) break;
      const hex = keys[index]!;
      entries.push({ key: hexToKey(hex), value: table.values.get(hex)!.slice() });
    }
    return entries;
  }

  function transact<T>(body: (writer: KvWriter) => T): T {
    // Writes are staged and applied only once `body` returns, so a throw leaves nothing behind.
    const staged = new Map<TableName, Map<string, Uint8Array | null>>();
    const stagedTable = (name: TableName) => {
      let changes = staged.get(name);
      if (changes === undefined) {
        changes = new Map();
        staged.set(name, changes);
      }
      return changes;
    };
    const writer: KvWriter = {
      get(name, key) {
        const change = staged.get(name)?.get(keyToHex(key));
        if (change === undefined) return get(name, key);
        return change === null ? undefined : change.slice();
      },
      put(name, key, value) {
        stagedTable(name).set(keyToHex(key), value.slice());
      },
      remove(name, key) {
        stagedTable(name).set(keyToHex(key), null);
      },
    };
    const result = body(writer);
    for (const [name, changes] of staged) {
      const table = tableOf(name);
      for (const [hex, value] of changes) {
        if (value === null) {
          if (table.values.delete(hex)) removeKey(table, hex);
        } else {
          if (!table.values.has(hex)) insertKey(table, hex);
          table.values.set(hex, value);
        }
      }
    }
    return result;
  }

  return {
    get,
    range,
    transact,
    async close() {
      // Nothing to release: the data stays for the next store opened on this backend.
    },
  };
}
