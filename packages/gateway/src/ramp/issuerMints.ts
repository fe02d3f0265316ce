import { bytesToHex, isShardpayError } from '@shardpay/crypto';
import type { Queryable } from '@shardpay/database';
import { encodeTransaction, transactionId } from '@shardpay/protocol';
import { buildMint } from '@shardpay/sdk';
import type { RampServices } from './RampServices.ts';

/**
 * Mints by the issuer key. Its nonces are strictly sequential, and a signed mint that never lands
 * would leave a gap no later mint could cross, so the gateway keeps ONE signed, unresolved mint at a
 * time, on every replica together: the `issuer_lane` row names its holder (a purchase or a cash-out
 * refund). A holder signs with the issuer's committed nonce, stores the bytes, then submits them (and
 * resubmits the same bytes after a crash); the lane is released in the transaction that records the
 * mint as final or as expired. One mint per block is the price; batching is future work.
 */

/** A mint as stored before it is first submitted. */
export interface SignedMint {
  /** Hex of the canonical encoding. */
  tx: string;
  txId: string;
  nonce: bigint;
  expiryHeight: bigint;
}

/** Takes the lane for `holder` (or confirms it already holds it). False while another holds it. */
export async function acquireIssuerLane(database: Queryable, holder: string): Promise<boolean> {
  const taken = await database.query(
    'UPDATE issuer_lane SET holder = $1 WHERE id = 1 AND (holder IS NULL OR holder = $1) RETURNING holder',
    [holder],
  );
  return taken.rowCount === 1;
}

/** Releases the lane inside `tx`, the transaction that records how `holder`'s mint ended. */
export async function releaseIssuerLane(tx: Queryable, holder: string): Promise<void> {
  await tx.query('UPDATE issuer_lane SET holder = NULL WHERE id = 1 AND holder = $1', [holder]);
}

interface AccountAnswer {
  nonce?: unknown;
  height?: unknown;
}

async function readIssuer(services: RampServices): Promise<{ nonce: bigint; height: bigint }> {
  const { issuer, chain } = services;
  const account = await chain.call<AccountAnswer>(issuer.shard, 'shardpay_getAccount', {
    address: issuer.address,
  });
  if (typeof account.nonce !== 'string' || typeof account.height !== 'string') {
    throw new Error('shardpay_getAccount answered an unexpected shape');
  }
  return { nonce: BigInt(account.nonce), height: BigInt(account.height) };
}

/**
 * Signs a mint of `amount` to `to` with `reference`, at the issuer's committed nonce (the lane
 * guarantees no other issuer transaction is pending). Call only while holding the lane.
 */
export async function signIssuerMint(
  services: RampServices,
  mint: { to: string; amount: bigint; reference: string },
): Promise<SignedMint> {
  const { nonce, height } = await readIssuer(services);
  const expiryHeight = height + BigInt(services.settings.mintExpiryBlocks);
  const tx = buildMint({
    from: services.issuer,
    to: mint.to,
    amount: mint.amount,
    reference: mint.reference,
    nonce,
    expiryHeight,
  });
  return { tx: bytesToHex(encodeTransaction(tx)), txId: bytesToHex(transactionId(tx)), nonce, expiryHeight };
}

/** What submitting stored mint bytes (again) told. */
export type SubmitOutcome = 'submitted' | 'duplicate_reference';

/**
 * Submits the stored bytes. A node's refusal is not an error here: already known, already included
 * (BAD_NONCE), expired, or refused for good (NOT_ISSUER, SUPPLY_OVERFLOW…) — `mintOutcome` reads what
 * really happened, and a mint that will never land expires and is voided. Only "no node answered"
 * throws (the step is retried). DUPLICATE_MINT_REFERENCE is the chain's last line against a second mint
 * of one reference; the caller must confirm its own mint is the one before treating it as minted.
 */
export async function submitIssuerMint(services: RampServices, txHex: string): Promise<SubmitOutcome> {
  try {
    await services.chain.call(services.issuer.shard, 'shardpay_submitTransaction', { tx: txHex });
    return 'submitted';
  } catch (error) {
    if (isShardpayError(error, 'DUPLICATE_MINT_REFERENCE')) return 'duplicate_reference';
    if (!isShardpayError(error) || error.meta.rpcCode === undefined) throw error;
    if (!quietRefusals.has(error.code)) {
      services.log.warn(
        { code: error.code, message: error.message },
        'a node refused a mint; it will expire and be voided',
      );
    }
    return 'submitted';
  }
}

// Refusals that only mean "a node already has it, or had it": the normal answers to a resubmission.
const quietRefusals = new Set(['TX_ALREADY_KNOWN', 'TX_ALREADY_FINAL', 'BAD_NONCE', 'EXPIRED']);

/** Where a submitted mint stands: final (on its shard), pending, or expired (it can never be final). */
export type MintOutcome = 'final' | 'pending' | 'expired';

const includedStatuses = new Set(['final', 'credited', 'refused', 'refunded']);

/**
 * Reads a mint's fate. Final: the issuer shard's node has it in a block (`final`, or a later
 * cross-shard stage). Expired: a node whose committed height is past the expiry still has the issuer's
 * nonce at or below the mint's, so no block can ever include it. Anything else is pending.
 */
export async function mintOutcome(services: RampServices, mint: SignedMint): Promise<MintOutcome> {
  const status = await services.chain.call<{ status?: unknown }>(
    services.issuer.shard,
    'shardpay_getTransactionStatus',
    {
      txId: mint.txId,
    },
  );
  if (typeof status.status === 'string' && includedStatuses.has(status.status)) {
    if (status.status === 'refused' || status.status === 'refunded') {
      services.log.error(
        { txId: mint.txId },
        'a mint credit was refused by its target shard; the coins are back with the issuer',
      );
    }
    return 'final';
  }
  const issuer = await readIssuer(services);
  // The nonce moved past ours: our mint is in a block the status read had not seen yet.
  if (issuer.nonce > mint.nonce) return 'pending';
  return issuer.height > mint.expiryHeight ? 'expired' : 'pending';
}
