import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, Hash } from '@shardpay/protocol';
import { MAX_U64 } from '@shardpay/protocol';
import {
  ACCOUNT_PROOF_SIBLINGS_BYTES,
  accountLeafHash,
  accountRootFromSiblings,
  accountTreeSiblings,
  MAX_ACCOUNT_COUNT,
} from './AccountTree.ts';
import type { LedgerState } from './LedgerState.ts';
import type { Account } from './ShardState.ts';
import { computeStateRoot } from './stateRoot.ts';

/**
 * Proof that an account holds a balance and nonce under a state root: its leaf's path in the account
 * tree plus the other values the state root commits to.
 */
export interface AccountProof {
  leafIndex: number;
  /** 15 sibling hashes per level, bottom-up (ACCOUNT_PROOF_SIBLINGS_BYTES bytes). */
  siblings: Uint8Array;
  accountCount: number;
  journalHash: Hash;
  minted: bigint;
  burned: bigint;
}

/** The committed account of `address` with its proof against the current state root; undefined if it does not exist. */
export function accountProof(
  state: LedgerState,
  address: Address,
): { account: Account; proof: AccountProof } | undefined {
  const meta = state.reader.getMeta();
  const record = state.reader.getAccount(address);
  if (meta === undefined || record === undefined) return undefined;
  return {
    account: { balance: record.balance, nonce: record.nonce },
    proof: {
      leafIndex: record.leafIndex,
      siblings: accountTreeSiblings(state.accountTree, record.leafIndex),
      accountCount: meta.accountCount,
      journalHash: meta.journalHash.slice(),
      minted: meta.minted,
      burned: meta.burned,
    },
  };
}

function isU64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= MAX_U64;
}

/**
 * Whether `proof` shows that `address` holds `account` in the state with root `stateRoot` (a header's,
 * itself proven by its commit certificate). Never throws: anything malformed answers false.
 */
export function verifyAccountProof(
  stateRoot: Hash,
  address: Address,
  account: Account,
  proof: AccountProof,
): boolean {
  try {
    if (
      !(stateRoot instanceof Uint8Array) ||
      stateRoot.length !== 32 ||
      !(address instanceof Uint8Array) ||
      address.length !== 20 ||
      !isU64(account.balance) ||
      !isU64(account.nonce) ||
      !isU64(proof.minted) ||
      !isU64(proof.burned) ||
      !Number.isInteger(proof.accountCount) ||
      proof.accountCount < 1 ||
      proof.accountCount > MAX_ACCOUNT_COUNT ||
      !Number.isInteger(proof.leafIndex) ||
      proof.leafIndex < 0 ||
      proof.leafIndex >= proof.accountCount ||
      !(proof.journalHash instanceof Uint8Array) ||
      proof.journalHash.length !== 32 ||
      !(proof.siblings instanceof Uint8Array)
    ) {
      return false;
    }
    const accountsRoot = accountRootFromSiblings(
      accountLeafHash(address, account),
      proof.leafIndex,
      proof.siblings,
    );
    if (accountsRoot === undefined) return false;
    const computed = computeStateRoot({
      accountsRoot,
      accountCount: proof.accountCount,
      journalHash: proof.journalHash,
      minted: proof.minted,
      burned: proof.burned,
    });
    return equalBytes(computed, stateRoot);
  } catch {
    return false;
  }
}

const PROOF_VERSION = 1;
const ENCODED_PROOF_BYTES = 1 + 8 + 8 + 32 + 8 + 8 + ACCOUNT_PROOF_SIBLINGS_BYTES;

/**
 * Bytes of an account proof (for RPC): u8 version 1 ‖ u64 leafIndex ‖ u64 accountCount ‖ journalHash ‖
 * u64 minted ‖ u64 burned ‖ siblings. Every byte counts: changing any one makes verification fail.
 */
export function encodeAccountProof(proof: AccountProof): Uint8Array {
  if (proof.siblings.length !== ACCOUNT_PROOF_SIBLINGS_BYTES || proof.journalHash.length !== 32) {
    throw new ShardpayError('ENCODE_ERROR', 'the account proof is malformed', { meta: { field: 'proof' } });
  }
  const bytes = new Uint8Array(ENCODED_PROOF_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = PROOF_VERSION;
  view.setBigUint64(1, BigInt(proof.leafIndex));
  view.setBigUint64(9, BigInt(proof.accountCount));
  bytes.set(proof.journalHash, 17);
  view.setBigUint64(49, proof.minted);
  view.setBigUint64(57, proof.burned);
  bytes.set(proof.siblings, 65);
  return bytes;
}

/** An account proof from `encodeAccountProof` bytes; DECODE_ERROR if they are not one. */
export function decodeAccountProof(bytes: Uint8Array): AccountProof {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ENCODED_PROOF_BYTES || bytes[0] !== PROOF_VERSION) {
    throw new ShardpayError('DECODE_ERROR', 'not an account proof', {
      meta: { reason: 'malformed', offset: 0 },
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const leafIndex = view.getBigUint64(1);
  const accountCount = view.getBigUint64(9);
  if (accountCount > BigInt(MAX_ACCOUNT_COUNT) || leafIndex >= accountCount) {
    throw new ShardpayError('DECODE_ERROR', 'the account proof has an impossible leaf index', {
      meta: { reason: 'out_of_range', offset: 1 },
    });
  }
  return {
    leafIndex: Number(leafIndex),
    accountCount: Number(accountCount),
    journalHash: bytes.slice(17, 49),
    minted: view.getBigUint64(49),
    burned: view.getBigUint64(57),
    siblings: bytes.slice(65),
  };
}
