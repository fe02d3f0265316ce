import { ShardpayError } from '@shardpay/crypto';
import type { Address, IssuerControlOperation, Transaction } from '@shardpay/protocol';
import { issuerControlSigningHash, MAX_U64 } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender, isLocalAddress } from './BlockContext.ts';
import { assertValidAddress } from './fieldChecks.ts';
import { readShardControl, writeFrozen, writeShardControl } from './records/shardControlRecord.ts';
import { assertThresholdSignatures, assertValidSignatureList } from './thresholdSignatures.ts';

const ACTIONS = new Set(['pause', 'unpause', 'freeze', 'unfreeze']);

/**
 * Throws for a malformed issuer control: an unknown action (ENCODE_ERROR), a freeze/unfreeze without a
 * 20-byte target or a pause/unpause with one (ADDRESS_INVALID), a controlNonce that is not a u64
 * (ISSUER_CONTROL_NONCE_INVALID), a malformed signature list (AUTHORIZATION_INVALID).
 */
export function assertValidIssuerControlFields(operation: IssuerControlOperation): void {
  if (!ACTIONS.has(operation.action)) {
    throw new ShardpayError('ENCODE_ERROR', 'unknown issuer control action', {
      meta: { field: 'operation.action', reason: 'unknown_action' },
    });
  }
  if (operation.action === 'freeze' || operation.action === 'unfreeze') {
    assertValidAddress(operation.target, 'target');
  } else if (operation.target !== null) {
    throw new ShardpayError('ADDRESS_INVALID', `${operation.action} takes no target`, {
      meta: { field: 'target', reason: 'unexpected' },
    });
  }
  if (
    typeof operation.controlNonce !== 'bigint' ||
    operation.controlNonce < 0n ||
    operation.controlNonce > MAX_U64
  ) {
    throw new ShardpayError('ISSUER_CONTROL_NONCE_INVALID', 'controlNonce must be a u64', {
      meta: { controlNonce: String(operation.controlNonce) },
    });
  }
  assertValidSignatureList(operation.signatures);
}

/**
 * Throws unless the issuer control can be applied on this shard: the network has an issuer control
 * group (ISSUER_CONTROL_DISABLED), controlNonce is the shard's next one (ISSUER_CONTROL_NONCE_INVALID:
 * each signed action works once, on one shard), a freeze/unfreeze target lives here (WRONG_SHARD), at
 * least `threshold` of the group signed issuerControlSigningHash(chainId, shard, controlNonce, action,
 * target) (MULTISIG_SIGNATURES_INSUFFICIENT, AUTHORIZATION_INVALID), and the sender — anyone — holds
 * the fee (INSUFFICIENT_FUNDS). Pausing a paused shard (and the like) is allowed and still uses the
 * nonce; issuer controls work while the shard is paused.
 */
export function assertValidIssuerControl(
  context: BlockContext,
  tx: Transaction,
  operation: IssuerControlOperation,
  sender: Address,
): void {
  assertValidIssuerControlFields(operation);
  const group = context.config.issuerControl;
  if (group === undefined) {
    throw new ShardpayError('ISSUER_CONTROL_DISABLED', 'this network has no issuer control group');
  }
  const { controlNonce } = readShardControl(context.state);
  if (operation.controlNonce !== controlNonce || controlNonce >= MAX_U64) {
    throw new ShardpayError(
      'ISSUER_CONTROL_NONCE_INVALID',
      `controlNonce ${operation.controlNonce}, shard ${context.shard} expects ${controlNonce}`,
      { meta: { controlNonce: operation.controlNonce.toString(), expected: controlNonce.toString() } },
    );
  }
  if (operation.target !== null && !isLocalAddress(context, operation.target)) {
    throw new ShardpayError('WRONG_SHARD', `the target does not live on shard ${context.shard}`, {
      meta: { reason: 'target_elsewhere', expected: context.shard },
    });
  }
  const hash = issuerControlSigningHash(
    context.config.chainId,
    context.shard,
    operation.controlNonce,
    operation.action,
    operation.target,
  );
  assertThresholdSignatures(group.owners, group.threshold, operation.signatures, hash);
  assertSufficientFunds(context, sender, tx.fee);
}

/** Applies the control on this shard (pause flag or the target's frozen flag) and advances the control nonce. */
export function applyIssuerControl(
  context: BlockContext,
  tx: Transaction,
  operation: IssuerControlOperation,
  sender: Address,
): void {
  assertValidIssuerControl(context, tx, operation, sender);
  const control = readShardControl(context.state);
  chargeSender(context, sender, 0n, tx.fee);
  const { action, target } = operation;
  const paused = action === 'pause' ? true : action === 'unpause' ? false : control.paused;
  writeShardControl(context.state, { paused, controlNonce: control.controlNonce + 1n });
  if (target !== null) writeFrozen(context.state, target, action === 'freeze');
}
