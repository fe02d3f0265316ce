import { domainHash } from '@shardpay/crypto';
import type { Hash } from '@shardpay/protocol';

export const STATE_ROOT_TAG = 'shardpay/state-root/v1';

/** What the state root commits to, besides the account tree's root. */
export interface StateSummary {
  accountsRoot: Hash;
  accountCount: number;
  journalHash: Hash;
  minted: bigint;
  burned: bigint;
}

/**
 * The state root a header carries:
 * domainHash('shardpay/state-root/v1', accountsRoot ‖ u64 accountCount ‖ journalHash ‖ u64 minted ‖ u64 burned).
 */
export function computeStateRoot(summary: StateSummary): Hash {
  const data = new Uint8Array(32 + 8 + 32 + 8 + 8);
  const view = new DataView(data.buffer);
  data.set(summary.accountsRoot, 0);
  view.setBigUint64(32, BigInt(summary.accountCount));
  data.set(summary.journalHash, 40);
  view.setBigUint64(72, summary.minted);
  view.setBigUint64(80, summary.burned);
  return domainHash(STATE_ROOT_TAG, data);
}
