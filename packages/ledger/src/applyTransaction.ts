import { ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, Operation, Transaction } from '@shardpay/protocol';
import { MAX_U64, shardOfAddress, transactionId } from '@shardpay/protocol';
import { applyBurn, assertValidBurnFields } from './applyBurn.ts';
import { applyMint, assertValidMintFields } from './applyMint.ts';
import { applyPay, assertValidPayFields } from './applyPay.ts';
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
  }
  return txId;
}
