import { ShardpayError, signHash } from '@shardpay/crypto';
import { type IssuerControlAction, issuerControlSigningHash, type Transaction } from '@shardpay/protocol';
import type { MultisigSignature } from './buildMultisig.ts';
import { assertAccount, type BuildCommonParameters, buildTransaction } from './buildTransaction.ts';
import { readAddressOrBytes, readPrivateKeyInput, readSmallCount } from './commerceInputs.ts';
import { type CounterInput, readAddressInput, readCounterInput } from './inputs.ts';

const issuerControlActions: readonly IssuerControlAction[] = ['pause', 'unpause', 'freeze', 'unfreeze'];

export interface SignIssuerControlParameters {
  chainId: string;
  /** The shard where the control runs (pause and freeze act per shard). */
  shard: number;
  /** That shard's next control nonce (`getShardControl(shard).controlNonce`). */
  controlNonce: CounterInput;
  action: IssuerControlAction;
  /** The account to freeze or unfreeze (bech32m or bytes, on `shard`); null or left out for pause and unpause. */
  target?: string | Uint8Array | null;
}

export interface BuildIssuerControlParameters extends BuildCommonParameters {
  action: IssuerControlAction;
  target?: string | null;
  controlNonce: CounterInput;
  /** At least the control group's threshold of signatures (`signIssuerControl`), any order. */
  signatures: MultisigSignature[];
}

function readAction(action: IssuerControlAction): IssuerControlAction {
  if (!issuerControlActions.includes(action)) {
    throw new ShardpayError('ENCODE_ERROR', `action is one of ${issuerControlActions.join(', ')}`, {
      meta: { field: 'action', reason: 'invalid_value' },
    });
  }
  return action;
}

function readTarget(action: IssuerControlAction, target: string | Uint8Array | null | undefined) {
  const needsTarget = action === 'freeze' || action === 'unfreeze';
  if (needsTarget !== (target !== undefined && target !== null)) {
    throw new ShardpayError(
      'ENCODE_ERROR',
      needsTarget ? `${action} names a target account` : `${action} takes no target`,
      { meta: { field: 'target', reason: needsTarget ? 'missing' : 'unexpected' } },
    );
  }
  return target === undefined || target === null ? null : readAddressOrBytes(target, 'target');
}

/**
 * One member's signature (by `ownerIndex` in the genesis `issuerControl.owners`) over an issuer
 * control action on one shard.
 */
export function signIssuerControl(
  parameters: SignIssuerControlParameters,
  privateKey: Uint8Array,
  ownerIndex: number,
): MultisigSignature {
  const action = readAction(parameters.action);
  const target = readTarget(action, parameters.target);
  const hash = issuerControlSigningHash(
    parameters.chainId,
    parameters.shard,
    readCounterInput(parameters.controlNonce, 'controlNonce', 'ENCODE_ERROR'),
    action,
    target,
  );
  return {
    ownerIndex: readSmallCount(ownerIndex, 'ownerIndex', 0, 255),
    signature: signHash(hash, readPrivateKeyInput(privateKey, 'privateKey')),
  };
}

/**
 * A signed `issuer_control`, executed on `from`'s shard (so `from` must live on the shard the
 * signatures name); `from` only pays the fee.
 */
export function buildIssuerControl(parameters: BuildIssuerControlParameters): Transaction {
  assertAccount(parameters.from);
  const action = readAction(parameters.action);
  if (!Array.isArray(parameters.signatures) || parameters.signatures.length === 0) {
    throw new ShardpayError('ENCODE_ERROR', 'signatures holds at least one member signature', {
      meta: { field: 'signatures', reason: 'missing' },
    });
  }
  let target = readTarget(action, parameters.target);
  // Text must also be of this network.
  if (typeof parameters.target === 'string') {
    target = readAddressInput(parameters.target, 'target', parameters.from.network);
  }
  return buildTransaction({
    ...parameters,
    operation: {
      type: 'issuer_control',
      action,
      target,
      controlNonce: readCounterInput(parameters.controlNonce, 'controlNonce', 'ENCODE_ERROR'),
      signatures: [...parameters.signatures]
        .map((entry, index) => ({
          ownerIndex: readSmallCount(entry.ownerIndex, `signatures[${index}].ownerIndex`, 0, 255),
          signature: entry.signature,
        }))
        .sort((a, b) => a.ownerIndex - b.ownerIndex),
    },
  });
}
