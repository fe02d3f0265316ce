import { equalBytes, ShardpayError, ZERO_HASH } from '@shardpay/crypto';
import type { Address } from '@shardpay/protocol';
import {
  type AccountTree,
  accountLeafHash,
  applyAccountTreeUpdate,
  buildAccountTree,
  createAccountTree,
} from './AccountTree.ts';
import type { Account, ShardStateReader } from './ShardState.ts';
import type { StateDiff } from './StateDiff.ts';
import { computeStateRoot } from './stateRoot.ts';

/** One shard's committed state as the ledger uses it: the store's reads plus the in-memory account tree. */
export interface LedgerState {
  readonly reader: ShardStateReader;
  readonly accountTree: AccountTree;
}

function stateInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('LEDGER_STATE_INVALID', message, { meta: { reason } });
}

/**
 * Opens committed state: rebuilds the account tree from the stored accounts and checks it against the
 * stored roots (LEDGER_STATE_INVALID, reason 'corrupt', if they differ). Costs one leaf hash per account
 * plus 1/15 as many node hashes: about 2 s for 1,000,000 accounts (see the README).
 */
export function openLedgerState(reader: ShardStateReader): LedgerState {
  const meta = reader.getMeta();
  if (meta === undefined) {
    let stray = false;
    reader.forEachAccount(() => {
      stray = true;
    });
    if (stray) throw stateInvalid('corrupt', 'accounts exist without shard meta');
    return { reader, accountTree: createAccountTree() };
  }
  const count = meta.accountCount;
  const leafHashes = new Uint8Array(count * 32);
  const seen = new Uint8Array(count);
  let visited = 0;
  reader.forEachAccount((address, account) => {
    const index = account.leafIndex;
    if (!Number.isInteger(index) || index < 0 || index >= count || seen[index] === 1) {
      throw stateInvalid('corrupt', `account leaf ${index} is out of range or taken twice`);
    }
    seen[index] = 1;
    leafHashes.set(accountLeafHash(address, account), index * 32);
    visited++;
  });
  if (visited !== count) throw stateInvalid('corrupt', `${visited} accounts stored, meta says ${count}`);
  const accountTree = buildAccountTree(leafHashes, count);
  const stateRoot = computeStateRoot({ ...meta, accountsRoot: accountTree.root });
  if (!equalBytes(accountTree.root, meta.accountsRoot) || !equalBytes(stateRoot, meta.stateRoot)) {
    throw stateInvalid('corrupt', 'the stored accounts do not match the stored state root');
  }
  return { reader, accountTree };
}

/**
 * Commits a block's (or genesis') diff: checks that it was computed on the current state
 * (LEDGER_STATE_INVALID, reason 'stale_diff'), calls `persist` — which must write the diff atomically,
 * e.g. `store.applyDiff` or the node's block commit with `stateDiffToWrites(diff)` — and then advances the
 * in-memory account tree. Call it only for a committed block.
 */
export function commitStateDiff(
  state: LedgerState,
  diff: StateDiff,
  persist: (diff: StateDiff) => void,
): void {
  const currentRoot = state.reader.getMeta()?.stateRoot ?? ZERO_HASH;
  if (
    !equalBytes(diff.previousStateRoot, currentRoot) ||
    !equalBytes(diff.accountTree.previousRoot, state.accountTree.root)
  ) {
    throw stateInvalid('stale_diff', 'the diff was computed on another state');
  }
  persist(diff);
  applyAccountTreeUpdate(state.accountTree, diff.accountTree);
}

/** The committed balance and nonce of an address (zero for an account that does not exist). */
export function readAccount(state: LedgerState, address: Address): Account {
  const account = state.reader.getAccount(address);
  return account === undefined
    ? { balance: 0n, nonce: 0n }
    : { balance: account.balance, nonce: account.nonce };
}
