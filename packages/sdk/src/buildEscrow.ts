import { ShardpayError } from '@shardpay/crypto';
import {
  type Authorization,
  type EscrowAction,
  escrowActionSigningHash,
  signAuthorization,
  type Transaction,
} from '@shardpay/protocol';
import { assertAccount, type BuildCommonParameters, buildTransaction } from './buildTransaction.ts';
import { type HashInput, readHashInput, readPrivateKeyInput } from './commerceInputs.ts';
import {
  type AmountInput,
  type CounterInput,
  readAddressInput,
  readAmountInput,
  readCounterInput,
  readMemoInput,
  readReferenceInput,
} from './inputs.ts';

export interface BuildEscrowLockParameters extends BuildCommonParameters {
  merchant: string;
  amount: AmountInput;
  /** The merchant's order (an invoice id): 1 to 64 bytes of UTF-8. */
  orderId: string;
  /** Block time (ms since the epoch, of the buyer's shard) from which the buyer may take it back. */
  deadlineMs: CounterInput;
  /** Who settles a dispute; without one the escrow cannot be disputed. */
  arbiter?: string | null;
  /** The delivery oracle whose 'release' signature (its attestation) releases the coins. */
  oracle?: string | null;
  memo?: string;
}

/** An action on an open escrow; `authorization` when the acting party is not `from` (it pays the fee). */
export interface BuildEscrowActionParameters extends BuildCommonParameters {
  escrowId: HashInput;
  authorization?: Authorization | null;
}

export interface BuildEscrowSettleParameters extends BuildEscrowActionParameters {
  /** What the buyer gets back (0 allowed); the merchant gets the rest. */
  buyerAmount: AmountInput;
}

export interface SignEscrowActionParameters {
  chainId: string;
  escrowId: HashInput;
  action: EscrowAction;
  /** A settlement's buyer share; left out (0) for the other actions. */
  buyerAmount?: AmountInput;
}

const escrowActions: readonly EscrowAction[] = ['release', 'refund', 'dispute', 'settle'];

/**
 * A signed `escrow_lock`: `from` (the buyer) locks `amount` on its own shard for `merchant`. The
 * escrow's id is this transaction's id (`transactionId(tx)`).
 *
 * @example buildEscrowLock({ from: buyer, merchant: 'spd1…', amount: '40', orderId: 'inv_1', deadlineMs: Date.now() + 86_400_000, oracle: 'spd1…', nonce, expiryHeight })
 */
export function buildEscrowLock(parameters: BuildEscrowLockParameters): Transaction {
  assertAccount(parameters.from);
  const network = parameters.from.network;
  const optionalAddress = (value: string | null | undefined, field: string) =>
    value === undefined || value === null ? null : readAddressInput(value, field, network);
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'escrow_lock',
      merchant: readAddressInput(parameters.merchant, 'merchant', network),
      amount: readAmountInput(parameters.amount, 'amount'),
      orderId: readReferenceInput(parameters.orderId, 'orderId'),
      deadlineMs: readCounterInput(parameters.deadlineMs, 'deadlineMs', 'ENCODE_ERROR'),
      arbiter: optionalAddress(parameters.arbiter, 'arbiter'),
      oracle: optionalAddress(parameters.oracle, 'oracle'),
      memo: readMemoInput(parameters.memo),
    },
  });
}

/** A signed `escrow_release` (by the buyer itself, or carrying the buyer's or the oracle's authorization). */
export function buildEscrowRelease(parameters: BuildEscrowActionParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'escrow_release',
      escrowId: readHashInput(parameters.escrowId, 'escrowId'),
      authorization: parameters.authorization ?? null,
    },
  });
}

/** A signed `escrow_refund` (the merchant at any time, the buyer after the deadline). */
export function buildEscrowRefund(parameters: BuildEscrowActionParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'escrow_refund',
      escrowId: readHashInput(parameters.escrowId, 'escrowId'),
      authorization: parameters.authorization ?? null,
    },
  });
}

/** A signed `escrow_dispute` (buyer or merchant, when the escrow names an arbiter). */
export function buildEscrowDispute(parameters: BuildEscrowActionParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'escrow_dispute',
      escrowId: readHashInput(parameters.escrowId, 'escrowId'),
      authorization: parameters.authorization ?? null,
    },
  });
}

/** A signed `escrow_settle` (the arbiter, after a dispute): `buyerAmount` back to the buyer, the rest to the merchant. */
export function buildEscrowSettle(parameters: BuildEscrowSettleParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'escrow_settle',
      escrowId: readHashInput(parameters.escrowId, 'escrowId'),
      buyerAmount: readAmountInput(parameters.buyerAmount, 'buyerAmount', { allowZero: true }),
      authorization: parameters.authorization ?? null,
    },
  });
}

/**
 * A party's signature over an escrow action, to be carried by another account's transaction. The
 * delivery oracle's attestation is its `'release'` authorization.
 *
 * @example const attestation = signEscrowAction({ chainId, escrowId, action: 'release' }, oracleKey)
 */
export function signEscrowAction(
  parameters: SignEscrowActionParameters,
  privateKey: Uint8Array,
): Authorization {
  const { chainId, action } = parameters;
  if (!escrowActions.includes(action)) {
    throw new ShardpayError('ENCODE_ERROR', `action is one of ${escrowActions.join(', ')}`, {
      meta: { field: 'action', reason: 'invalid_value' },
    });
  }
  const buyerAmount =
    parameters.buyerAmount === undefined
      ? 0n
      : readAmountInput(parameters.buyerAmount, 'buyerAmount', { allowZero: true });
  const hash = escrowActionSigningHash(
    chainId,
    readHashInput(parameters.escrowId, 'escrowId'),
    action,
    buyerAmount,
  );
  return signAuthorization(hash, readPrivateKeyInput(privateKey, 'privateKey'));
}
