import { bytesToHex, equalBytes, ShardpayError, ZERO_HASH } from '@shardpay/crypto';
import {
  type BlockExecution,
  checkTransaction,
  commitStateDiff,
  createGenesisDiff,
  createStateEntryReader,
  type ExecutionChecks,
  executeBlock,
  type LedgerState,
  openLedgerState,
  readAccount,
  stateDiffToWrites,
} from '@shardpay/ledger';
import {
  type Block,
  type BlockHeader,
  type CommitCertificate,
  encodeBlock,
  genesisHash,
  type Hash,
  headerId,
  type IncomingReceiptBatch,
  type NetworkConfig,
  type Transaction,
} from '@shardpay/protocol';
import type { ChainStore, TxStatusUpdate } from '@shardpay/storage';

/** What the proposer needs to build a block, and what it gets back. */
export interface BuildParameters {
  transactions: readonly Transaction[];
  incoming: readonly IncomingReceiptBatch[];
  proposerIndex: number;
  timestampMs: bigint;
  maxTransactions: number;
}

export interface BuiltBlock {
  block: Block;
  hash: Hash;
  /** Transactions the ledger refused while building: `[txIdHex, code]`. */
  refusedTransactions: Array<{ tx: Transaction; code: string }>;
}

/** A committed block as reported to listeners. */
export interface CommittedBlock {
  block: Block;
  hash: Hash;
  certificate: CommitCertificate;
  execution: BlockExecution;
}

/**
 * One shard's chain on one validator: the store, the ledger state over it, and the executions of
 * candidate blocks (cached by hash so that a commit never re-executes a block it validated).
 */
export interface ShardChain {
  readonly config: NetworkConfig;
  readonly shard: number;
  readonly store: ChainStore;
  readonly state: LedgerState;
  height(): bigint;
  latestHash(): Hash;
  /** Executes candidates on committed state and returns a block ready to propose. */
  build(parameters: BuildParameters): BuiltBlock;
  /** Checks a proposed block (header fields and full execution); throws BLOCK_INVALID. */
  validate(block: Block, options?: { nowMs?: bigint }): BlockExecution;
  /** Commits a block that consensus decided (validating it first if it was not validated yet). */
  commit(block: Block, certificate: CommitCertificate): CommittedBlock;
  account(address: Uint8Array): { balance: bigint; nonce: bigint };
  /**
   * Throws the ledger's refusal of `tx` as the next block's transaction on committed state (see the
   * ledger's `checkTransaction`: the signature is not checked here).
   */
  checkTransaction(tx: Transaction, txId: Hash, timestampMs: bigint): void;
}

/** Blocks may carry a timestamp at most this far ahead of a validator's clock. */
const MAX_CLOCK_DRIFT_MS = 10_000n;

function headerInvalid(reason: string, message: string): ShardpayError {
  return new ShardpayError('BLOCK_INVALID', message, { meta: { reason } });
}

/** Opens (and on first start, initializes from genesis) the chain of `shard` in `store`. */
export function openShardChain(
  config: NetworkConfig,
  shard: number,
  store: ChainStore,
  checks: Partial<ExecutionChecks>,
): ShardChain {
  const genesis = genesisHash(config);
  const stored = store.genesisHash();
  if (stored === undefined) {
    const diff = createGenesisDiff(config, shard);
    store.commitGenesis({ genesisHash: genesis, stateWrites: stateDiffToWrites(diff) });
  } else if (!equalBytes(stored, genesis)) {
    throw new ShardpayError(
      'GENESIS_MISMATCH',
      'the data directory belongs to another network (genesis differs)',
      {
        meta: { stored: bytesToHex(stored), expected: bytesToHex(genesis) },
      },
    );
  }
  const state = openLedgerState(createStateEntryReader(store));
  /**
   * Executions by header id, with the exact body executed: the header id does not cover incoming
   * receipts' proofs and certificates, so a cached verdict holds only for byte-identical bodies.
   */
  /**
   * Executions by block hash. A hit needs the same body: the same object (the driver validates and
   * commits the very block it holds, and nothing modifies a block once built or decoded), or else
   * equal canonical bytes, encoded only then (a block of thousands of transactions costs
   * milliseconds to encode).
   */
  const executions = new Map<string, { execution: BlockExecution; block: Block; body?: Uint8Array }>();

  function parentHeader(): BlockHeader | undefined {
    const height = store.latestHeight();
    return height === 0n ? undefined : store.getHeader(height);
  }

  function checkHeaderLinks(header: BlockHeader, nowMs: bigint | undefined): void {
    const parentHash = store.latestHash() ?? genesis;
    if (!equalBytes(header.parentHash, parentHash)) {
      throw headerInvalid('PARENT_MISMATCH', 'the block does not extend the latest committed block');
    }
    const parent = parentHeader();
    const floor = parent?.timestampMs ?? config.genesisTimeMs;
    if (header.timestampMs <= floor) {
      throw headerInvalid('TIMESTAMP_NOT_INCREASING', 'the block timestamp is not after its parent');
    }
    if (nowMs !== undefined && header.timestampMs > nowMs + MAX_CLOCK_DRIFT_MS) {
      throw headerInvalid('TIMESTAMP_IN_FUTURE', 'the block timestamp is too far in the future');
    }
  }

  function remember(hash: Hash, block: Block, execution: BlockExecution): void {
    if (executions.size > 64) executions.clear();
    executions.set(bytesToHex(hash), { execution, block });
  }

  return {
    config,
    shard,
    store,
    state,
    height: () => store.latestHeight(),
    latestHash: () => store.latestHash() ?? genesis,

    build(parameters) {
      const parent = parentHeader();
      const floor = (parent?.timestampMs ?? config.genesisTimeMs) + 1n;
      // Known before execution: escrow deadlines are judged against the header's time.
      const timestampMs = parameters.timestampMs > floor ? parameters.timestampMs : floor;
      const built = executeBlock({
        mode: 'build',
        config,
        shard,
        state,
        checks,
        transactions: parameters.transactions,
        incoming: parameters.incoming,
        maxTransactions: parameters.maxTransactions,
        timestampMs,
      });
      const header: BlockHeader = {
        chainId: config.chainId,
        shard,
        height: built.height,
        timestampMs,
        parentHash: store.latestHash() ?? genesis,
        proposerIndex: parameters.proposerIndex,
        txRoot: built.txRoot,
        incomingRoot: built.incomingRoot,
        stateRoot: built.stateRoot,
        receiptsRoot: built.receiptsRoot,
        // The previous block's certificate is the one this proposer stored; blocks do not carry it.
        lastCommitHash: ZERO_HASH,
      };
      const block: Block = { header, transactions: built.transactions, incoming: built.incoming };
      const hash = headerId(header);
      remember(hash, block, built);
      const refusedTransactions = built.refusals.flatMap((refusal) =>
        refusal.kind === 'transaction'
          ? [{ tx: parameters.transactions[refusal.index]!, code: refusal.code }]
          : [],
      );
      return { block, hash, refusedTransactions };
    },

    validate(block, options = {}) {
      const hash = headerId(block.header);
      const cached = executions.get(bytesToHex(hash));
      if (cached && cached.execution.height === store.latestHeight() + 1n) {
        if (cached.block === block) return cached.execution;
        cached.body ??= encodeBlock(cached.block);
        if (equalBytes(cached.body, encodeBlock(block))) return cached.execution;
      }
      checkHeaderLinks(block.header, options.nowMs);
      const execution = executeBlock({ mode: 'validate', config, shard, state, checks, block });
      remember(hash, block, execution);
      return execution;
    },

    commit(block, certificate) {
      const hash = headerId(block.header);
      const execution = this.validate(block);
      // Outcomes follow the block's incoming receipts in order (validation consumes every one).
      const incomingReceipts = block.incoming.flatMap((batch) =>
        batch.receipts.map((entry) => entry.receipt),
      );
      const statusUpdates: TxStatusUpdate[] = execution.incomingOutcomes.map((outcome, i) => {
        const receipt = incomingReceipts[i]!;
        const stage =
          outcome.outcome === 'refunded' ? 'refused' : receipt.kind === 'refund' ? 'refunded' : 'credited';
        return { txId: receipt.txId, stage, receiptId: outcome.receiptId };
      });
      commitStateDiff(state, execution.diff, (diff) => {
        store.commitBlock({
          block,
          certificate,
          stateWrites: stateDiffToWrites(diff),
          receipts: execution.outgoingReceipts,
          txIds: execution.transactionIds,
          statusUpdates,
        });
      });
      executions.clear();
      return { block, hash, certificate, execution };
    },

    account: (address) => readAccount(state, address),
    checkTransaction: (tx, txId, timestampMs) =>
      checkTransaction(state, config, shard, tx, { txId, timestampMs }),
  };
}
