import type { Address, Hash } from '@shardpay/protocol';
import { bytesKey } from './bytesKey.ts';
import type { AccountRecord, ShardMeta, ShardStateReader } from './ShardState.ts';
import type { StateDiff } from './StateDiff.ts';

/** An in-memory shard state: the reader execution needs, plus `applyDiff` to commit a block's changes. */
export interface MemoryShardStore extends ShardStateReader {
  /** Writes every change of `diff` (call it through `commitStateDiff`, which checks the diff is current). */
  applyDiff(diff: StateDiff): void;
  /** Visits every record (for tests and invariant checks: escrows, time locks… counted in the supply). */
  forEachRecord(visit: (key: Uint8Array, value: Uint8Array) => void): void;
}

function copyMeta(meta: ShardMeta): ShardMeta {
  return {
    ...meta,
    journalHash: meta.journalHash.slice(),
    accountsRoot: meta.accountsRoot.slice(),
    stateRoot: meta.stateRoot.slice(),
  };
}

/**
 * Accounts in column arrays (one slot per account) behind one Map from address to slot: a million
 * accounts cost a million short strings rather than four million heap objects, which keeps garbage
 * collection cheap in simulations and benchmarks.
 */
function createAccountColumns() {
  const slots = new Map<string, number>();
  let capacity = 1024;
  let addresses = new Uint8Array(capacity * 20);
  let balances = new BigUint64Array(capacity);
  let nonces = new BigUint64Array(capacity);
  let leafIndices = new Uint32Array(capacity);

  function grow(): void {
    capacity *= 2;
    const grownAddresses = new Uint8Array(capacity * 20);
    grownAddresses.set(addresses);
    addresses = grownAddresses;
    const grownBalances = new BigUint64Array(capacity);
    grownBalances.set(balances);
    balances = grownBalances;
    const grownNonces = new BigUint64Array(capacity);
    grownNonces.set(nonces);
    nonces = grownNonces;
    const grownLeafIndices = new Uint32Array(capacity);
    grownLeafIndices.set(leafIndices);
    leafIndices = grownLeafIndices;
  }

  return {
    get(address: Address): AccountRecord | undefined {
      const slot = slots.get(bytesKey(address));
      if (slot === undefined) return undefined;
      return { balance: balances[slot]!, nonce: nonces[slot]!, leafIndex: leafIndices[slot]! };
    },
    set(address: Address, account: AccountRecord): void {
      const key = bytesKey(address);
      let slot = slots.get(key);
      if (slot === undefined) {
        slot = slots.size;
        if (slot >= capacity) grow();
        slots.set(key, slot);
        addresses.set(address, slot * 20);
      }
      balances[slot] = account.balance;
      nonces[slot] = account.nonce;
      leafIndices[slot] = account.leafIndex;
    },
    forEach(visit: (address: Address, account: AccountRecord) => void): void {
      for (let slot = 0; slot < slots.size; slot++) {
        visit(addresses.slice(slot * 20, slot * 20 + 20), {
          balance: balances[slot]!,
          nonce: nonces[slot]!,
          leafIndex: leafIndices[slot]!,
        });
      }
    },
  };
}

/** An empty in-memory store (for tests, simulations and benchmarks); reads return copies. */
export function createMemoryShardStore(): MemoryShardStore {
  let meta: ShardMeta | undefined;
  const accounts = createAccountColumns();
  const consumedReceipts = new Set<string>();
  const payments = new Set<string>();
  const mintReferences = new Set<string>();
  const records = new Map<string, { key: Uint8Array; value: Uint8Array }>();
  return {
    getMeta: () => (meta === undefined ? undefined : copyMeta(meta)),
    getAccount: (address: Address) => accounts.get(address),
    isReceiptConsumed: (receiptId: Hash) => consumedReceipts.has(bytesKey(receiptId)),
    isPaymentIdUsed: (merchant: Address, paymentId: string) =>
      payments.has(`${bytesKey(merchant)}:${paymentId}`),
    isMintReferenceUsed: (issuer: Address, reference: string) =>
      mintReferences.has(`${bytesKey(issuer)}:${reference}`),
    forEachAccount: (visit) => accounts.forEach(visit),
    getRecord: (key: Uint8Array) => records.get(bytesKey(key))?.value.slice(),
    forEachRecord: (visit) => {
      for (const { key, value } of records.values()) visit(key.slice(), value.slice());
    },
    applyDiff: (diff: StateDiff) => {
      for (const { address, account } of diff.accounts) accounts.set(address, account);
      for (const receiptId of diff.consumedReceipts) consumedReceipts.add(bytesKey(receiptId));
      for (const { merchant, paymentId } of diff.payments) payments.add(`${bytesKey(merchant)}:${paymentId}`);
      for (const { issuer, reference } of diff.mintReferences) {
        mintReferences.add(`${bytesKey(issuer)}:${reference}`);
      }
      for (const { key, value } of diff.records) {
        records.set(bytesKey(key), { key: key.slice(), value: value.slice() });
      }
      meta = copyMeta(diff.meta);
    },
  };
}
