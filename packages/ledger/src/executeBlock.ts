import { equalBytes, merkleRoot, ShardpayError } from '@shardpay/crypto';
import type {
  Block,
  Hash,
  IncomingReceiptBatch,
  NetworkConfig,
  Receipt,
  Transaction,
} from '@shardpay/protocol';
import { receiptId, transactionId } from '@shardpay/protocol';
import { applyIncomingReceipt, type IncomingReceiptOutcome } from './applyIncomingReceipt.ts';
import { applyTransaction } from './applyTransaction.ts';
import { type BlockContext, createBlockContext, type ExecutionChecks } from './BlockContext.ts';
import { isRefusal } from './isRefusal.ts';
import type { LedgerState } from './LedgerState.ts';
import type { StateDiff } from './StateDiff.ts';
import { createStateOverlay } from './StateOverlay.ts';
import {
  assertValidIncomingBatchHeader,
  assertValidIncomingReceiptProof,
  incomingReceiptId,
} from './verifyIncomingBatch.ts';

interface ExecuteBlockCommon {
  config: NetworkConfig;
  shard: number;
  /** Committed state; never modified (the changes come back as `diff`). */
  state: LedgerState;
  /** Replaces any of the default checks (e.g. signature verdicts from the node's worker threads). */
  checks?: Partial<ExecutionChecks>;
}

/** The proposer's call: candidates in, the block body, its roots and the refusals out. */
export interface BuildBlockParameters extends ExecuteBlockCommon {
  mode: 'build';
  /** Candidate transactions in the order to try them (e.g. from the mempool). */
  transactions: readonly Transaction[];
  /** Candidate incoming receipt batches (from the relayer), in the order to try them. */
  incoming: readonly IncomingReceiptBatch[];
  /** Stop after this many accepted transactions (default: no limit). */
  maxTransactions?: number;
  /**
   * The timestampMs the block's header will carry (escrow deadlines are judged against it; a validator
   * uses the header's). Default: the height, for tests and tools that never look at time.
   */
  timestampMs?: bigint;
}

/** A validator's call: the proposed block in, its execution out — or BLOCK_INVALID. */
export interface ValidateBlockParameters extends ExecuteBlockCommon {
  mode: 'validate';
  block: Block;
}

export type ExecuteBlockParameters = BuildBlockParameters | ValidateBlockParameters;

/** One skipped candidate of a build, with why. */
export type BlockRefusal =
  | { kind: 'transaction'; index: number; txId: Hash | null; code: string; error: ShardpayError }
  | {
      kind: 'receipt';
      batchIndex: number;
      receiptIndex: number;
      receiptId: Hash | null;
      code: string;
      error: ShardpayError;
    };

/** What executing a block yields, in both modes. */
export interface BlockExecution {
  height: bigint;
  /** The block time the execution used (the header's timestampMs). */
  timestampMs: bigint;
  txRoot: Hash;
  incomingRoot: Hash;
  stateRoot: Hash;
  receiptsRoot: Hash;
  /** Ids of the block's transactions, in order. */
  transactionIds: Hash[];
  /** The receipts the block emits, in order (receipt.index is the position). */
  outgoingReceipts: Receipt[];
  /** Ids of `outgoingReceipts`, in order. */
  outgoingReceiptIds: Hash[];
  /** What became of each consumed incoming receipt, in block order. */
  incomingOutcomes: IncomingReceiptOutcome[];
  /** Every state change, for the store to write once the block is committed. */
  diff: StateDiff;
}

/** A build's result: the block body to propose (header roots included above) and what was skipped. */
export interface BlockBuild extends BlockExecution {
  transactions: Transaction[];
  incoming: IncomingReceiptBatch[];
  refusals: BlockRefusal[];
}

function blockInvalid(reason: string, message: string, meta: Record<string, unknown> = {}, cause?: unknown) {
  return new ShardpayError('BLOCK_INVALID', message, {
    meta: { reason, ...meta },
    ...(cause === undefined ? {} : { cause }),
  });
}

function tryTransactionId(tx: Transaction): Hash | null {
  try {
    return transactionId(tx);
  } catch {
    return null;
  }
}

function startBlock(parameters: ExecuteBlockCommon, timestampMs: bigint | undefined): BlockContext {
  const overlay = createStateOverlay(parameters.state);
  if (parameters.state.reader.getMeta() === undefined) {
    throw new ShardpayError('LEDGER_STATE_INVALID', 'the shard has no genesis state', {
      meta: { reason: 'no_genesis' },
    });
  }
  return createBlockContext(parameters.config, parameters.shard, overlay, parameters.checks, timestampMs);
}

function finishBlock(
  context: BlockContext,
  transactionIds: Hash[],
  incomingIds: Hash[],
  incomingOutcomes: IncomingReceiptOutcome[],
): BlockExecution {
  const outgoingReceipts = context.state.outgoing;
  const outgoingReceiptIds = outgoingReceipts.map(receiptId);
  const diff = context.state.toStateDiff();
  return {
    height: context.height,
    timestampMs: context.timestampMs,
    txRoot: merkleRoot(transactionIds),
    incomingRoot: merkleRoot(incomingIds),
    stateRoot: diff.meta.stateRoot,
    receiptsRoot: merkleRoot(outgoingReceiptIds),
    transactionIds,
    outgoingReceipts,
    outgoingReceiptIds,
    incomingOutcomes,
    diff,
  };
}

function buildBlock(parameters: BuildBlockParameters): BlockBuild {
  const context = startBlock(parameters, parameters.timestampMs);
  const refusals: BlockRefusal[] = [];
  const incoming: IncomingReceiptBatch[] = [];
  const incomingIds: Hash[] = [];
  const incomingOutcomes: IncomingReceiptOutcome[] = [];
  parameters.incoming.forEach((batch, batchIndex) => {
    const refuseReceipt = (receiptIndex: number, id: Hash | null, error: ShardpayError): void => {
      refusals.push({ kind: 'receipt', batchIndex, receiptIndex, receiptId: id, code: error.code, error });
    };
    try {
      assertValidIncomingBatchHeader(parameters.config, parameters.shard, batch, context.checks);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      for (let receiptIndex = 0; receiptIndex < batch.receipts.length; receiptIndex++) {
        refuseReceipt(receiptIndex, null, error);
      }
      return;
    }
    const accepted: IncomingReceiptBatch['receipts'] = [];
    batch.receipts.forEach((entry, receiptIndex) => {
      let id: Hash | null = null;
      try {
        id = incomingReceiptId(entry.receipt);
        assertValidIncomingReceiptProof(parameters.shard, batch.header, entry, id);
        incomingOutcomes.push(applyIncomingReceipt(context, entry.receipt, id));
        incomingIds.push(id);
        accepted.push(entry);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refuseReceipt(receiptIndex, id, error);
      }
    });
    if (accepted.length > 0)
      incoming.push({ header: batch.header, certificate: batch.certificate, receipts: accepted });
  });

  const transactions: Transaction[] = [];
  const transactionIds: Hash[] = [];
  const limit = parameters.maxTransactions ?? Number.POSITIVE_INFINITY;
  parameters.transactions.forEach((tx, index) => {
    if (transactions.length >= limit) return;
    try {
      transactionIds.push(applyTransaction(context, tx));
      transactions.push(tx);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refusals.push({ kind: 'transaction', index, txId: tryTransactionId(tx), code: error.code, error });
    }
  });
  return {
    ...finishBlock(context, transactionIds, incomingIds, incomingOutcomes),
    transactions,
    incoming,
    refusals,
  };
}

function validateBlock(parameters: ValidateBlockParameters): BlockExecution {
  const { block, config, shard } = parameters;
  const { header } = block;
  const context = startBlock(parameters, header.timestampMs);
  if (header.chainId !== config.chainId) throw blockInvalid('WRONG_CHAIN', 'the block is for another chain');
  if (header.shard !== shard) throw blockInvalid('WRONG_SHARD', `the block is for shard ${header.shard}`);
  if (header.height !== context.height) {
    throw blockInvalid(
      'WRONG_HEIGHT',
      `the block has height ${header.height}, the next is ${context.height}`,
    );
  }
  const incomingIds: Hash[] = [];
  const incomingOutcomes: IncomingReceiptOutcome[] = [];
  block.incoming.forEach((batch, batchIndex) => {
    try {
      assertValidIncomingBatchHeader(config, shard, batch, context.checks);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      throw blockInvalid(error.code, `incoming batch ${batchIndex} is invalid`, { batchIndex }, error);
    }
    batch.receipts.forEach((entry, receiptIndex) => {
      try {
        const id = incomingReceiptId(entry.receipt);
        assertValidIncomingReceiptProof(shard, batch.header, entry, id);
        incomingOutcomes.push(applyIncomingReceipt(context, entry.receipt, id));
        incomingIds.push(id);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        throw blockInvalid(
          error.code,
          `receipt ${receiptIndex} of incoming batch ${batchIndex} is refused`,
          { batchIndex, receiptIndex },
          error,
        );
      }
    });
  });
  const transactionIds: Hash[] = [];
  block.transactions.forEach((tx, index) => {
    try {
      transactionIds.push(applyTransaction(context, tx));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      throw blockInvalid(error.code, `transaction ${index} is refused`, { index }, error);
    }
  });
  const execution = finishBlock(context, transactionIds, incomingIds, incomingOutcomes);
  const roots = [
    ['TX_ROOT_MISMATCH', execution.txRoot, header.txRoot],
    ['INCOMING_ROOT_MISMATCH', execution.incomingRoot, header.incomingRoot],
    ['STATE_ROOT_MISMATCH', execution.stateRoot, header.stateRoot],
    ['RECEIPTS_ROOT_MISMATCH', execution.receiptsRoot, header.receiptsRoot],
  ] as const;
  for (const [reason, computed, claimed] of roots) {
    if (!(claimed instanceof Uint8Array) || !equalBytes(computed, claimed)) {
      throw blockInvalid(
        reason,
        `the header's ${reason.split('_')[0]!.toLowerCase()} root does not match execution`,
      );
    }
  }
  return execution;
}

/**
 * Executes one block of a shard on top of committed state, without modifying it.
 *
 * - 'build' (the proposer): tries the candidate incoming receipts, then the candidate transactions, in
 *   order; skips every refused one and reports its code; returns the accepted body, the header roots
 *   (txRoot, incomingRoot, stateRoot, receiptsRoot), the outgoing receipts and the diff.
 * - 'validate' (every validator): runs the proposed block; any refused receipt or transaction, a wrong
 *   chain, shard or height, or any root that differs from the header throws BLOCK_INVALID with
 *   `meta.reason` (the cause's code, or e.g. STATE_ROOT_MISMATCH) and the refusal as `cause`.
 *
 * Incoming receipts run before transactions, so a credit can be spent in the same block; refunds they
 * cause come first among the outgoing receipts. Header fields the ledger does not own (parentHash,
 * proposer, lastCommitHash, and whether the timestamp is plausible) are the node's to check; the
 * ledger only reads the timestamp as the block's time.
 *
 * @example
 *   const built = executeBlock({ mode: 'build', config, shard, state, transactions, incoming: [] });
 *   // …consensus commits the block…
 *   commitStateDiff(state, built.diff, (diff) => store.applyDiff(diff));
 */
export function executeBlock(parameters: BuildBlockParameters): BlockBuild;
export function executeBlock(parameters: ValidateBlockParameters): BlockExecution;
export function executeBlock(parameters: ExecuteBlockParameters): BlockExecution | BlockBuild;
export function executeBlock(parameters: ExecuteBlockParameters): BlockExecution | BlockBuild {
  return parameters.mode === 'build' ? buildBlock(parameters) : validateBlock(parameters);
}
