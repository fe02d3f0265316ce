import { encodeAddress, ShardpayError } from '@shardpay/crypto';
import type { Address } from '@shardpay/protocol';
import { type BlockContext, isLocalAddress } from './BlockContext.ts';
import { isFrozen, readShardControl } from './records/shardControlRecord.ts';

/**
 * The issuer's compliance controls as every coin movement checks them, before its first write:
 * TOKEN_PAUSED while the shard is paused, ACCOUNT_FROZEN for a frozen sender or local recipient. (A
 * frozen recipient on another shard is checked there: its shard refunds the credit.)
 */
export function assertNotPaused(context: BlockContext): void {
  if (readShardControl(context.state).paused) {
    throw new ShardpayError('TOKEN_PAUSED', `the issuer paused coin movements on shard ${context.shard}`, {
      meta: { shard: context.shard },
    });
  }
}

/** Throws ACCOUNT_FROZEN when `address` lives on this shard and is frozen; `role` names it in the error. */
export function assertNotFrozen(context: BlockContext, address: Address, role: string): void {
  if (isLocalAddress(context, address) && isFrozen(context.state, address)) {
    throw new ShardpayError('ACCOUNT_FROZEN', `the ${role} account is frozen by the issuer`, {
      meta: { role, address: encodeAddress(address, context.config.addressPrefix) },
    });
  }
}

/** A movement from `from` to `to` (null: no recipient, e.g. a burn): not paused, neither side frozen. */
export function assertMovementAllowed(context: BlockContext, from: Address, to: Address | null): void {
  assertNotPaused(context);
  assertNotFrozen(context, from, 'sending');
  if (to !== null) assertNotFrozen(context, to, 'receiving');
}
