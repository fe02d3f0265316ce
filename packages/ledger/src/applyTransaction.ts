import { ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, Operation, Transaction } from '@shardpay/protocol';
import { MAX_U64, shardOfAddress, transactionId } from '@shardpay/protocol';
import { applyBurn, assertValidBurnFields } from './applyBurn.ts';
import { applyEscrowDispute, assertValidEscrowDisputeFields } from './applyEscrowDispute.ts';
import { applyEscrowLock, assertValidEscrowLockFields } from './applyEscrowLock.ts';
import { applyEscrowRefund, assertValidEscrowRefundFields } from './applyEscrowRefund.ts';
import { applyEscrowRelease, assertValidEscrowReleaseFields } from './applyEscrowRelease.ts';
import { applyEscrowSettle, assertValidEscrowSettleFields } from './applyEscrowSettle.ts';
import { applyIssuerControl, assertValidIssuerControlFields } from './applyIssuerControl.ts';
import { applyMint, assertValidMintFields } from './applyMint.ts';
import { applyMultisigCreate, assertValidMultisigCreateFields } from './applyMultisigCreate.ts';
import { applyMultisigExecute, assertValidMultisigExecuteFields } from './applyMultisigExecute.ts';
import { applyPay, assertValidPayFields } from './applyPay.ts';
import { applyTimelockCancel, assertValidTimelockCancelFields } from './applyTimelockCancel.ts';
import { applyTimelockClaim, assertValidTimelockClaimFields } from './applyTimelockClaim.ts';
import { applyTimelockCreate, assertValidTimelockCreateFields } from './applyTimelockCreate.ts';
import { applyTransfer, assertValidTransferFields } from './applyTransfer.ts';
import type { BlockContext } from './BlockContext.ts';

/** Throws the refusal code of a malformed operation (see each operation's `assertValid…Fields`). */
export function assertValidOperationFields(operation: Operation): void {
  switch (operation?.type) {
    case 'transfer':
      assertValidTransferFields(operation);
      return;
    case 'pay':
      assertValidPayFields(operation);
      return;
    case 'mint':
      assertValidMintFields(operation);
      return;
    case 'burn':
      assertValidBurnFields(operation);
      return;
    case 'escrow_lock':
      assertValidEscrowLockFields(operation);
      return;
    case 'escrow_release':
      assertValidEscrowReleaseFields(operation);
      return;
    case 'escrow_refund':
      assertValidEscrowRefundFields(operation);
      return;
    case 'escrow_dispute':
      assertValidEscrowDisputeFields(operation);
      return;
    case 'escrow_settle':
      assertValidEscrowSettleFields(operation);
      return;
    case 'timelock_create':
      assertValidTimelockCreateFields(operation);
      return;
    case 'timelock_claim':
      assertValidTimelockClaimFields(operation);
      return;
    case 'timelock_cancel':
      assertValidTimelockCancelFields(operation);
      return;
    case 'multisig_create':
      assertValidMultisigCreateFields(operation);
      return;
    case 'multisig_execute':
      assertValidMultisigExecuteFields(operation);
      return;
    case 'multisig_update':
      throw new ShardpayError('OPERATION_NOT_ALLOWED', 'multisig_update only runs inside multisig_execute', {
        meta: { operation: 'multisig_update' },
      });
    case 'issuer_control':
      assertValidIssuerControlFields(operation);
      return;
    default:
      throw new ShardpayError('ENCODE_ERROR', 'unknown operation type', {
        meta: { field: 'operation.type', reason: 'unknown_operation' },
      });
  }
}

/**
 * Checks everything about a transaction that needs no state, cheapest first: chain (WRONG_CHAIN), shard
 * (WRONG_SHARD), fee (FEE_INVALID), expiry (EXPIRED: included at height h only if h ≤ expiryHeight),
 * key and signature shape (BAD_SIGNATURE), nonce range (BAD_NONCE), that the sender lives on this shard
 * (WRONG_SHARD) and the operation's fields. Returns the sender.
 */
export function assertValidTransactionShape(context: BlockContext, tx: Transaction): Address {
  const { config } = context;
  if (tx.chainId !== config.chainId) {
    throw new ShardpayError('WRONG_CHAIN', `transaction for chain ${String(tx.chainId)}`, {
      meta: { chainId: tx.chainId, expected: config.chainId },
    });
  }
  if (tx.shard !== context.shard) {
    throw new ShardpayError(
      'WRONG_SHARD',
      `transaction for shard ${tx.shard}, this is shard ${context.shard}`,
      {
        meta: { shard: tx.shard, expected: context.shard },
      },
    );
  }
  if (tx.fee !== config.flatFee) {
    throw new ShardpayError('FEE_INVALID', `the fee must be ${config.flatFee}`, {
      meta: { fee: String(tx.fee), expected: config.flatFee.toString() },
    });
  }
  if (typeof tx.expiryHeight !== 'bigint' || tx.expiryHeight < context.height) {
    throw new ShardpayError('EXPIRED', `the transaction expired before height ${context.height}`, {
      meta: { expiryHeight: String(tx.expiryHeight), height: context.height.toString() },
    });
  }
  if (
    !(tx.publicKey instanceof Uint8Array) ||
    tx.publicKey.length !== 33 ||
    !(tx.signature instanceof Uint8Array) ||
    tx.signature.length !== 64
  ) {
    throw new ShardpayError('BAD_SIGNATURE', 'the public key or signature is malformed');
  }
  if (typeof tx.nonce !== 'bigint' || tx.nonce < 0n || tx.nonce >= MAX_U64) {
    throw new ShardpayError('BAD_NONCE', 'the nonce is out of range', { meta: { nonce: String(tx.nonce) } });
  }
  const sender = context.state.senderAddress(tx.publicKey);
  const senderShard = shardOfAddress(config, sender);
  if (senderShard !== context.shard) {
    throw new ShardpayError('WRONG_SHARD', `the sender lives on shard ${senderShard}`, {
      meta: { shard: senderShard, expected: context.shard, reason: 'sender_elsewhere' },
    });
  }
  assertValidOperationFields(tx.operation);
  return sender;
}

/**
 * Applies one transaction to the block's working state, or throws its refusal (a coded ShardpayError)
 * having changed nothing. After the shape: the signature (BAD_SIGNATURE, through the injectable check),
 * the nonce (BAD_NONCE: it must equal the account's), then the operation's own rules. Returns the tx id.
 */
export function applyTransaction(context: BlockContext, tx: Transaction, knownTxId?: Hash): Hash {
  const sender = assertValidTransactionShape(context, tx);
  const txId = knownTxId ?? transactionId(tx);
  if (!context.checks.isTransactionSignatureValid(tx, txId)) {
    throw new ShardpayError('BAD_SIGNATURE', 'the signature does not verify');
  }
  const nonce = context.state.nonceOf(sender);
  if (tx.nonce !== nonce) {
    throw new ShardpayError('BAD_NONCE', `nonce ${tx.nonce}, the account expects ${nonce}`, {
      meta: { nonce: tx.nonce.toString(), expected: nonce.toString() },
    });
  }
  const { operation } = tx;
  switch (operation.type) {
    case 'transfer':
      applyTransfer(context, tx, operation, sender, txId);
      break;
    case 'pay':
      applyPay(context, tx, operation, sender, txId);
      break;
    case 'mint':
      applyMint(context, tx, operation, sender, txId);
      break;
    case 'burn':
      applyBurn(context, tx, operation, sender);
      break;
    case 'escrow_lock':
      applyEscrowLock(context, tx, operation, sender, txId);
      break;
    case 'escrow_release':
      applyEscrowRelease(context, tx, operation, sender, txId);
      break;
    case 'escrow_refund':
      applyEscrowRefund(context, tx, operation, sender);
      break;
    case 'escrow_dispute':
      applyEscrowDispute(context, tx, operation, sender);
      break;
    case 'escrow_settle':
      applyEscrowSettle(context, tx, operation, sender, txId);
      break;
    case 'timelock_create':
      applyTimelockCreate(context, tx, operation, sender, txId);
      break;
    case 'timelock_claim':
      applyTimelockClaim(context, tx, operation, sender, txId);
      break;
    case 'timelock_cancel':
      applyTimelockCancel(context, tx, operation, sender);
      break;
    case 'multisig_create':
      applyMultisigCreate(context, tx, operation, sender);
      break;
    case 'multisig_execute':
      applyMultisigExecute(context, tx, operation, sender, txId);
      break;
    case 'issuer_control':
      applyIssuerControl(context, tx, operation, sender);
      break;
  }
  return txId;
}
