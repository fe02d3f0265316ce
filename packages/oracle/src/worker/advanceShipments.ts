import { bytesToHex, hexToBytes, isShardpayError } from '@shardpay/crypto';
import type { Database } from '@shardpay/database';
import { decodeTransaction, encodeTransaction, type Transaction, transactionId } from '@shardpay/protocol';
import { buildEscrowRelease, signEscrowAction } from '@shardpay/sdk';
import type { OracleChain } from '../OracleChain.ts';
import type { OracleIdentity } from '../OracleIdentity.ts';
import type { ShipmentRow } from '../shipments/shipmentObject.ts';
import {
  deliverDueShipments,
  discardRelease,
  highestPendingNonce,
  recordAttestation,
  recordRefusal,
  recordReleased,
  recordTemporaryError,
  shipmentsInStatus,
} from '../shipments/shipmentStore.ts';

export interface AdvanceShipmentsDeps {
  database: Database;
  chain: OracleChain;
  identity: OracleIdentity;
  now: () => Date;
  /** Heights a release stays valid for. */
  expiryBlocks: number;
  /** A failure that is not the chain's answer (a bug, the database): logged, retried next round. */
  onError?: (error: unknown, shipmentId: string) => void;
}

/** Chain refusals that end a shipment's attestation: the escrow cannot be released by this oracle. */
const finalRefusals: ReadonlySet<string> = new Set([
  'ESCROW_NOT_FOUND',
  'ESCROW_STATE_INVALID',
  'ESCROW_NOT_AUTHORIZED',
  'AUTHORIZATION_INVALID',
]);

/** Refusals of this very transaction (not of the release): sign a new one next round. */
const staleTransaction: ReadonlySet<string> = new Set(['BAD_NONCE', 'NONCE_TOO_FAR_AHEAD', 'EXPIRED']);

/** Answers to a resubmission that mean the chain already has it. */
const alreadyKnown: ReadonlySet<string> = new Set(['TX_ALREADY_KNOWN', 'TX_ALREADY_FINAL']);

function describe(error: unknown): string {
  if (isShardpayError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One round of the durable worker: every state lives in the database, so a restart picks up where
 * the last round stopped.
 *   in_transit → delivered   when `deliver_at` has passed (or on command, by the route);
 *   delivered  → attested    after checking the escrow is still open: the oracle signs its delivery
 *                            attestation (the escrow's 'release' authorization), builds an
 *                            escrow_release from its fee payer on the escrow's shard, STORES the
 *                            bytes, then submits them;
 *   attested   → released    when that transaction is final; until then the same bytes are
 *                            resubmitted (same id: never a second release);
 *   → attestation_refused    when the chain refuses the release (escrow refunded, disputed…),
 *                            with the chain's code.
 */
export async function advanceShipments(deps: AdvanceShipmentsDeps): Promise<void> {
  const { database } = deps;
  await deliverDueShipments(database, deps.now());
  for (const row of await shipmentsInStatus(database, 'delivered')) {
    await guarded(deps, row, () => attest(deps, row));
  }
  for (const row of await shipmentsInStatus(database, 'attested')) {
    await guarded(deps, row, () => followRelease(deps, row));
  }
}

/** Runs one shipment's step; a failure is noted on the shipment and retried next round. */
async function guarded(
  deps: AdvanceShipmentsDeps,
  row: ShipmentRow,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!isShardpayError(error)) deps.onError?.(error, row.id);
    await recordTemporaryError(deps.database, row.id, describe(error), deps.now()).catch(() => {});
  }
}

async function attest(deps: AdvanceShipmentsDeps, row: ShipmentRow): Promise<void> {
  const { chain, database, identity } = deps;
  const shard = Number(row.escrow_shard);
  let escrow: Awaited<ReturnType<OracleChain['getEscrow']>>;
  try {
    escrow = await chain.getEscrow(row.escrow_id, { shard });
  } catch (error) {
    if (isShardpayError(error) && finalRefusals.has(error.code)) {
      return recordRefusal(database, row.id, { code: error.code, message: error.message }, deps.now());
    }
    throw error;
  }
  if (escrow.status !== 'open') {
    return recordRefusal(
      database,
      row.id,
      { code: 'ESCROW_STATE_INVALID', message: `the escrow is ${escrow.status}, not open` },
      deps.now(),
    );
  }
  const network = await chain.network();
  const feePayer = identity.feePayers(network)[shard]!;
  const account = await chain.getAccount(feePayer.address);
  const waiting = await highestPendingNonce(database, shard);
  // The node counts its mempool; our own stored-but-unadmitted releases count too.
  const nonce = waiting !== null && waiting + 1n > account.pendingNonce ? waiting + 1n : account.pendingNonce;
  const { height } = await chain.networkInfo(shard);
  const expiryHeight = height + BigInt(deps.expiryBlocks);
  const authorization = identity.withKey((key) =>
    signEscrowAction({ chainId: network.chainId, escrowId: row.escrow_id, action: 'release' }, key),
  );
  const tx = buildEscrowRelease({
    from: feePayer,
    escrowId: row.escrow_id,
    authorization,
    nonce,
    expiryHeight,
  });
  const recorded = await recordAttestation(
    database,
    row.id,
    {
      txHex: bytesToHex(encodeTransaction(tx)),
      txId: bytesToHex(transactionId(tx)),
      nonce,
      expiryHeight,
    },
    deps.now(),
  );
  if (recorded) await submit(deps, row.id, tx);
}

async function followRelease(deps: AdvanceShipmentsDeps, row: ShipmentRow): Promise<void> {
  const { chain, database } = deps;
  const shard = Number(row.escrow_shard);
  const txId = row.release_tx_id!;
  // The height first: a transaction unknown AFTER the chain passed its expiry can never be included.
  const { height } = await chain.networkInfo(shard);
  const status = await chain.getTransactionStatus(txId, { shard });
  if (status.status !== 'unknown' && status.status !== 'pending') {
    const final = status.stages.find((stage) => stage.stage === 'final');
    const finalHeight = final !== undefined && final.stage === 'final' ? final.height : height;
    return recordReleased(database, row.id, finalHeight, deps.now());
  }
  if (status.status === 'pending') return;
  if (height >= BigInt(row.release_tx_expiry!)) {
    return discardRelease(
      database,
      row.id,
      `release ${txId} expired at height ${row.release_tx_expiry} before inclusion; signing a new one`,
      deps.now(),
    );
  }
  await submit(deps, row.id, decodeTransaction(hexToBytes(row.release_tx!)));
}

/** Submits the stored release; the chain's answer decides what happens to the shipment. */
async function submit(deps: AdvanceShipmentsDeps, shipmentId: string, tx: Transaction): Promise<void> {
  try {
    await deps.chain.submitTransaction(tx);
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    if (alreadyKnown.has(error.code)) return;
    if (finalRefusals.has(error.code)) {
      return recordRefusal(
        deps.database,
        shipmentId,
        { code: error.code, message: error.message },
        deps.now(),
      );
    }
    if (staleTransaction.has(error.code)) {
      return discardRelease(deps.database, shipmentId, `${error.code}: ${error.message}`, deps.now());
    }
    // NODE_UNREACHABLE, TOKEN_PAUSED, an unfunded fee payer…: the same bytes are tried again next round.
    throw error;
  }
}
