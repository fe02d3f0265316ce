import { equalBytes, ShardpayError } from '@shardpay/crypto';
import type { Address, Hash, MintOperation, Transaction } from '@shardpay/protocol';
import { MAX_AMOUNT, MAX_U64 } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender, creditRecipient } from './BlockContext.ts';
import { assertValidAddress, assertValidAmount, assertValidReference } from './fieldChecks.ts';
import { isRefusal } from './isRefusal.ts';
import { assertNotFrozen, assertNotPaused } from './movementGuards.ts';

/**
 * The most a shard may have outstanding (minted − burned): MAX_AMOUNT / shardCount. Summed over all
 * shards this bounds the total supply — and so every balance — by MAX_AMOUNT, without shards having to
 * agree on a global counter.
 */
export function shardSupplyCap(shardCount: number): bigint {
  return MAX_AMOUNT / BigInt(Math.max(1, shardCount));
}

/** Throws ADDRESS_INVALID, AMOUNT_INVALID, AMOUNT_TOO_LARGE or REFERENCE_INVALID for a malformed mint. */
export function assertValidMintFields(operation: MintOperation): void {
  assertValidAddress(operation.to, 'to');
  assertValidAmount(operation.amount);
  assertValidReference(operation.reference, 'reference');
}

/**
 * Throws unless the mint can be applied: the sender is an issuer of the network (NOT_ISSUER), it has not
 * minted this reference before (DUPLICATE_MINT_REFERENCE), the shard's outstanding supply stays within
 * its cap (SUPPLY_OVERFLOW), the issuer's controls allow it (TOKEN_PAUSED; ACCOUNT_FROZEN for a frozen
 * recipient of this shard — one elsewhere refunds the credit to the issuer), and the issuer holds the
 * fee (INSUFFICIENT_FUNDS).
 */
export function assertValidMint(
  context: BlockContext,
  tx: Transaction,
  operation: MintOperation,
  sender: Address,
): void {
  assertValidMintFields(operation);
  if (!context.config.issuers.some((issuer) => equalBytes(issuer, sender))) {
    throw new ShardpayError('NOT_ISSUER', 'only an issuer named in the network config may mint');
  }
  if (context.state.isMintReferenceUsed(sender, operation.reference)) {
    throw new ShardpayError('DUPLICATE_MINT_REFERENCE', 'this issuer already minted this reference', {
      meta: { reference: operation.reference },
    });
  }
  const { minted, burned } = context.state;
  const cap = shardSupplyCap(context.config.shardCount);
  if (minted - burned + operation.amount > cap || minted + operation.amount > MAX_U64) {
    throw new ShardpayError('SUPPLY_OVERFLOW', "the mint would exceed the shard's supply cap", {
      meta: { outstanding: (minted - burned).toString(), cap: cap.toString() },
    });
  }
  assertNotPaused(context);
  assertNotFrozen(context, operation.to, 'receiving');
  assertSufficientFunds(context, sender, tx.fee);
}

/** Whether `assertValidMint` accepts the mint. */
export function isValidMint(
  context: BlockContext,
  tx: Transaction,
  operation: MintOperation,
  sender: Address,
): boolean {
  try {
    assertValidMint(context, tx, operation, sender);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

/** Applies a mint: the issuer pays the fee, the reference is recorded, and new money is credited here or by receipt. */
export function applyMint(
  context: BlockContext,
  tx: Transaction,
  operation: MintOperation,
  sender: Address,
  txId: Hash,
): void {
  assertValidMint(context, tx, operation, sender);
  chargeSender(context, sender, 0n, tx.fee);
  context.state.recordMintReference(sender, operation.reference);
  context.state.addMinted(operation.amount);
  creditRecipient(context, {
    txId,
    operation: 'mint',
    from: sender,
    to: operation.to,
    amount: operation.amount,
    paymentId: '',
    memo: '',
  });
}
