import type { Address, Hash } from '@shardpay/protocol';

/**
 * Keys of the ledger's records: the state of operations that hold more than balances. A key is one
 * kind byte followed by the record's id; values are each record's own fixed encoding (see the
 * `*Record.ts` files next to this one). Records are stored under state-entry prefix 0x05 and every
 * write enters the state journal, so the state root commits to them.
 *
 *   0x01 ‖ escrowId (32)     → an escrow (on the buyer's shard)
 *   0x02 ‖ timelockId (32)   → a time lock (on the sender's shard)
 *   0x03 ‖ account (20)      → a multisig account (owners, threshold, nonce)
 *   0x04                     → this shard's issuer controls: paused flag and control nonce
 *   0x05 ‖ address (20)      → whether an account of this shard is frozen
 */
export const RecordKind = {
  escrow: 0x01,
  timelock: 0x02,
  multisig: 0x03,
  shardControl: 0x04,
  frozen: 0x05,
} as const;

function keyOf(kind: number, id: Uint8Array): Uint8Array {
  const key = new Uint8Array(1 + id.length);
  key[0] = kind;
  key.set(id, 1);
  return key;
}

export function escrowKey(escrowId: Hash): Uint8Array {
  return keyOf(RecordKind.escrow, escrowId);
}

export function timelockKey(timelockId: Hash): Uint8Array {
  return keyOf(RecordKind.timelock, timelockId);
}

export function multisigKey(account: Address): Uint8Array {
  return keyOf(RecordKind.multisig, account);
}

export const SHARD_CONTROL_KEY = Uint8Array.of(RecordKind.shardControl);

export function frozenKey(address: Address): Uint8Array {
  return keyOf(RecordKind.frozen, address);
}
