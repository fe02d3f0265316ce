import { ShardpayError } from '@shardpay/crypto';
import type { Address, PublicKey } from '@shardpay/protocol';
import { MAX_MULTISIG_OWNERS } from '@shardpay/protocol';
import type { StateOverlay } from '../StateOverlay.ts';
import { multisigKey } from './recordKeys.ts';

/**
 * A multisig account: `threshold` of `owners` (compressed keys, strictly ascending) sign each of its
 * transactions; `nonce` is the nonce the next `multisig_execute` must carry, so a set of signatures is
 * used once. Its coins are an ordinary account balance at the same address.
 */
export interface MultisigRecord {
  owners: PublicKey[];
  threshold: number;
  nonce: bigint;
}

const KEY_BYTES = 33;

function corrupt(message: string): ShardpayError {
  return new ShardpayError('LEDGER_STATE_INVALID', `a multisig record is malformed: ${message}`, {
    meta: { reason: 'corrupt' },
  });
}

/** Encodes u8 ownerCount ‖ ownerCount × 33-byte key ‖ u8 threshold ‖ u64 nonce. */
export function encodeMultisigRecord(record: MultisigRecord): Uint8Array {
  const count = record.owners.length;
  const bytes = new Uint8Array(1 + count * KEY_BYTES + 1 + 8);
  bytes[0] = count;
  record.owners.forEach((owner, index) => {
    bytes.set(owner, 1 + index * KEY_BYTES);
  });
  const view = new DataView(bytes.buffer);
  bytes[1 + count * KEY_BYTES] = record.threshold;
  view.setBigUint64(2 + count * KEY_BYTES, record.nonce);
  return bytes;
}

/** Decodes `encodeMultisigRecord`'s bytes; throws LEDGER_STATE_INVALID (reason 'corrupt') on anything else. */
export function decodeMultisigRecord(bytes: Uint8Array): MultisigRecord {
  const count = bytes[0] ?? 0;
  if (count < 1 || count > MAX_MULTISIG_OWNERS) throw corrupt(`${count} owners`);
  if (bytes.length !== 1 + count * KEY_BYTES + 1 + 8) throw corrupt(`${bytes.length} bytes`);
  const owners: PublicKey[] = [];
  for (let index = 0; index < count; index++) {
    owners.push(bytes.slice(1 + index * KEY_BYTES, 1 + (index + 1) * KEY_BYTES));
  }
  const threshold = bytes[1 + count * KEY_BYTES]!;
  if (threshold < 1 || threshold > count) throw corrupt(`threshold ${threshold} of ${count}`);
  const nonce = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getBigUint64(
    2 + count * KEY_BYTES,
  );
  return { owners, threshold, nonce };
}

/**
 * The multisig account at `account`, or undefined when none was created there. `state` is anything that
 * reads records: a block's StateOverlay, or committed state (the node's RPC).
 */
export function readMultisig(
  state: { getRecord(key: Uint8Array): Uint8Array | undefined },
  account: Address,
): MultisigRecord | undefined {
  const bytes = state.getRecord(multisigKey(account));
  return bytes === undefined ? undefined : decodeMultisigRecord(bytes);
}

/** Writes the multisig account at `account`. */
export function writeMultisig(state: StateOverlay, account: Address, record: MultisigRecord): void {
  state.putRecord(multisigKey(account), encodeMultisigRecord(record));
}
