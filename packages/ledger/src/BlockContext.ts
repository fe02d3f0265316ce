import { ShardpayError } from '@shardpay/crypto';
import type {
  Address,
  BlockHeader,
  CommitCertificate,
  Hash,
  NetworkConfig,
  Receipt,
  Transaction,
} from '@shardpay/protocol';
import {
  committeeOf,
  isTransactionSignatureValid,
  shardOfAddress,
  verifyCommitCertificate,
} from '@shardpay/protocol';
import type { StateOverlay } from './StateOverlay.ts';

/**
 * The expensive checks execution delegates, so the node can reuse verdicts reached elsewhere (signatures
 * checked by worker threads as transactions arrived, certificates checked once per source block).
 */
export interface ExecutionChecks {
  /** Whether `tx`'s signature is valid; `txId` is its id, to look up a cached verdict. */
  isTransactionSignatureValid(tx: Transaction, txId: Hash): boolean;
  /** Throws CERTIFICATE_INVALID unless `certificate` commits `header` (whose id is `headerHash`) on its shard. */
  assertCommitCertificateValid(
    config: NetworkConfig,
    header: BlockHeader,
    headerHash: Hash,
    certificate: CommitCertificate,
  ): void;
}

/** The checks done in full: native signature verification and the source committee's certificate. */
export const defaultExecutionChecks: ExecutionChecks = {
  isTransactionSignatureValid: (tx) => isTransactionSignatureValid(tx),
  assertCommitCertificateValid: (config, header, headerHash, certificate) => {
    let committee: ReturnType<typeof committeeOf>;
    try {
      committee = committeeOf(config, header.shard);
    } catch (error) {
      throw new ShardpayError('CERTIFICATE_INVALID', `no committee for shard ${header.shard}`, {
        meta: { reason: 'wrong_committee' },
        cause: error,
      });
    }
    verifyCommitCertificate(certificate, committee, {
      chainId: config.chainId,
      shard: header.shard,
      height: header.height,
      blockHash: headerHash,
    });
  },
};

/** What every operation of one block sees: the network, this shard, the block's height and time, its working state. */
export interface BlockContext {
  readonly config: NetworkConfig;
  readonly shard: number;
  /** Height of the block being executed. */
  readonly height: bigint;
  /** The block's header timestampMs: the time escrow deadlines are measured against. */
  readonly timestampMs: bigint;
  readonly state: StateOverlay;
  readonly checks: ExecutionChecks;
}

/**
 * Creates a context; `checks` replaces any of the default checks. `timestampMs` is the block header's
 * time; tools and tests that never look at time may leave it out (it then equals the height, as the
 * ledger tests' headers do) — the node always passes the header's.
 */
export function createBlockContext(
  config: NetworkConfig,
  shard: number,
  state: StateOverlay,
  checks: Partial<ExecutionChecks> = {},
  timestampMs: bigint = state.height,
): BlockContext {
  return {
    config,
    shard,
    height: state.height,
    timestampMs,
    state,
    checks: { ...defaultExecutionChecks, ...checks },
  };
}

/** Throws INSUFFICIENT_FUNDS unless `address` holds at least `needed`. */
export function assertSufficientFunds(context: BlockContext, address: Address, needed: bigint): void {
  const balance = context.state.balanceOf(address);
  if (balance < needed) {
    throw new ShardpayError('INSUFFICIENT_FUNDS', `balance ${balance} is below ${needed}`, {
      meta: { balance: balance.toString(), needed: needed.toString() },
    });
  }
}

/**
 * The sender's side of every transaction: debits `amount` + fee, advances the nonce and credits the fee
 * to this shard's fee collector (nothing when the fee is zero, so no empty collector account appears).
 */
export function chargeSender(context: BlockContext, sender: Address, amount: bigint, fee: bigint): void {
  context.state.debit(sender, amount + fee);
  context.state.incrementNonce(sender);
  if (fee > 0n) {
    const collector = context.config.feeCollectors[context.shard];
    if (collector === undefined) {
      throw new ShardpayError('NETWORK_CONFIG_INVALID', `no fee collector for shard ${context.shard}`, {
        meta: { reason: 'invalid_fee_collector' },
      });
    }
    context.state.credit(collector, fee);
  }
}

/** Emits the next outgoing receipt of the block (its chain, source, height and index filled in). */
export function emitReceipt(
  context: BlockContext,
  fields: Omit<Receipt, 'chainId' | 'sourceShard' | 'sourceHeight' | 'index'>,
): Receipt {
  const receipt: Receipt = {
    chainId: context.config.chainId,
    sourceShard: context.shard,
    sourceHeight: context.height,
    index: context.state.outgoing.length,
    ...fields,
  };
  context.state.emitReceipt(receipt);
  return receipt;
}

/** Whether `address` lives on this block's shard. */
export function isLocalAddress(context: BlockContext, address: Address): boolean {
  return shardOfAddress(context.config, address) === context.shard;
}

/**
 * Credits a transaction's recipient: directly when it lives on this shard, otherwise through a credit
 * receipt to its home shard. Returns the receipt, if one was emitted.
 */
export function creditRecipient(
  context: BlockContext,
  credit: {
    txId: Hash;
    operation: Receipt['operation'];
    from: Address;
    to: Address;
    amount: bigint;
    paymentId: string;
    memo: string;
  },
): Receipt | undefined {
  const targetShard = shardOfAddress(context.config, credit.to);
  if (targetShard === context.shard) {
    context.state.credit(credit.to, credit.amount);
    return undefined;
  }
  return emitReceipt(context, {
    targetShard,
    kind: 'credit',
    txId: credit.txId,
    operation: credit.operation,
    from: credit.from.slice(),
    to: credit.to.slice(),
    amount: credit.amount,
    paymentId: credit.paymentId,
    memo: credit.memo,
    refundOf: null,
  });
}
