import {
  type Authorization,
  signAuthorization,
  type Transaction,
  timelockClaimSigningHash,
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
} from './inputs.ts';

export interface BuildTimelockCreateParameters extends BuildCommonParameters {
  to: string;
  amount: AmountInput;
  /** A height of the sender's shard: `to` may claim from it on, the sender may cancel before it. */
  unlockHeight: CounterInput;
  memo?: string;
}

export interface BuildTimelockClaimParameters extends BuildCommonParameters {
  timelockId: HashInput;
  /** The receiver's `signTimelockClaim` when `from` is not the receiver (it only pays the fee). */
  authorization?: Authorization | null;
}

export interface BuildTimelockCancelParameters extends BuildCommonParameters {
  timelockId: HashInput;
}

/** A signed `timelock_create`; the time lock's id is this transaction's id. */
export function buildTimelockCreate(parameters: BuildTimelockCreateParameters): Transaction {
  assertAccount(parameters.from);
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'timelock_create',
      to: readAddressInput(parameters.to, 'to', parameters.from.network),
      amount: readAmountInput(parameters.amount, 'amount'),
      unlockHeight: readCounterInput(parameters.unlockHeight, 'unlockHeight', 'ENCODE_ERROR'),
      memo: readMemoInput(parameters.memo),
    },
  });
}

/** A signed `timelock_claim` (on the time lock's shard, from its unlock height on). */
export function buildTimelockClaim(parameters: BuildTimelockClaimParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'timelock_claim',
      timelockId: readHashInput(parameters.timelockId, 'timelockId'),
      authorization: parameters.authorization ?? null,
    },
  });
}

/** A signed `timelock_cancel` by the time lock's creator, before its unlock height. */
export function buildTimelockCancel(parameters: BuildTimelockCancelParameters): Transaction {
  return buildTransaction({
    ...parameters,
    operation: { type: 'timelock_cancel', timelockId: readHashInput(parameters.timelockId, 'timelockId') },
  });
}

/** The receiver's authorization to claim a time lock from another account's transaction. */
export function signTimelockClaim(
  parameters: { chainId: string; timelockId: HashInput },
  privateKey: Uint8Array,
): Authorization {
  const hash = timelockClaimSigningHash(
    parameters.chainId,
    readHashInput(parameters.timelockId, 'timelockId'),
  );
  return signAuthorization(hash, readPrivateKeyInput(privateKey, 'privateKey'));
}
