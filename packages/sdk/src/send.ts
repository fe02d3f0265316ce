import { ShardpayError } from '@shardpay/crypto';
import type { Operation, Transaction } from '@shardpay/protocol';
import { buildBurn, buildMint, buildPay, buildTransaction, buildTransfer } from './buildTransaction.ts';
import type { WalletAccount } from './createAccountFromPrivateKey.ts';
import type { NodeClient, WantedStatus } from './createNodeClient.ts';
import type { AmountInput } from './inputs.ts';
import type { TransactionStatus } from './nodeResults.ts';

/**
 * An escrow, time-lock, multisig or issuer-control operation, already in its protocol form (bytes,
 * bigints: build it with the SDK's signing helpers, e.g. signEscrowAction for an authorization).
 */
export type CommerceSendOperation = Exclude<Operation, { type: 'transfer' | 'pay' | 'mint' | 'burn' }>;

/**
 * The operation to send: a transfer, pay, mint or burn with its fields as the builders take them
 * (decimal strings, bech32m), or a commerce operation in its protocol form, signed as it is.
 */
export type SendOperation =
  | { type: 'transfer'; to: string; amount: AmountInput; memo?: string }
  | { type: 'pay'; merchant: string; amount: AmountInput; paymentId: string; memo?: string }
  | { type: 'mint'; to: string; amount: AmountInput; reference: string }
  | { type: 'burn'; amount: AmountInput; payoutReference: string }
  | CommerceSendOperation;

export interface SendParameters {
  from: WalletAccount;
  operation: SendOperation;
  /** Blocks after the shard's current height during which it may be included (default 600). */
  expiryBlocks?: number;
  /** Wait for this stage before resolving; without it, resolve once the node accepted it. */
  wait?: WantedStatus;
  /** Bound on the wait (default 60 s). */
  timeoutMs?: number;
  /** Stops the wait early (STOPPED); the transaction may still execute. */
  signal?: AbortSignal;
}

export interface SendResult {
  txId: string;
  transaction: Transaction;
  /** The status reached, when `wait` was given. */
  status?: TransactionStatus;
}

/** Default validity window: at ~1 block per second, about ten minutes. */
export const DEFAULT_EXPIRY_BLOCKS = 600;

/**
 * Sends one operation: reads the sender's pending nonce and the shard height from a node of its
 * shard, builds and signs the transaction, submits it and, with `wait`, waits for `final` or
 * `credited`.
 *
 * @example await send(client, { from: account, operation: { type: 'transfer', to, amount: '5' }, wait: 'final' })
 */
export async function send(client: NodeClient, parameters: SendParameters): Promise<SendResult> {
  const { from, operation } = parameters;
  const expiryBlocks = parameters.expiryBlocks ?? DEFAULT_EXPIRY_BLOCKS;
  if (!Number.isSafeInteger(expiryBlocks) || expiryBlocks < 1) {
    throw new ShardpayError('ENCODE_ERROR', 'expiryBlocks is a positive integer', {
      meta: { field: 'expiryBlocks' },
    });
  }
  const account = await client.getAccount(from.address);
  const common = { from, nonce: account.pendingNonce, expiryHeight: account.height + BigInt(expiryBlocks) };
  let transaction: Transaction;
  switch (operation.type) {
    case 'transfer':
      transaction = buildTransfer({ ...common, ...operation });
      break;
    case 'pay':
      transaction = buildPay({ ...common, ...operation });
      break;
    case 'mint':
      transaction = buildMint({ ...common, ...operation });
      break;
    case 'burn':
      transaction = buildBurn({ ...common, ...operation });
      break;
    default:
      // A commerce operation: its encoding checks its form (ENCODE_ERROR for an unknown type).
      if (typeof operation !== 'object' || operation === null) {
        throw new ShardpayError('ENCODE_ERROR', 'operation is an object with a type', {
          meta: { field: 'operation.type' },
        });
      }
      transaction = buildTransaction({ ...common, operation });
  }
  const { txId } = await client.submitTransaction(transaction);
  if (parameters.wait === undefined) return { txId, transaction };
  const status = await client.waitForStatus(txId, parameters.wait, {
    shard: transaction.shard,
    ...(parameters.timeoutMs === undefined ? {} : { timeoutMs: parameters.timeoutMs }),
    ...(parameters.signal === undefined ? {} : { signal: parameters.signal }),
  });
  return { txId, transaction, status };
}
