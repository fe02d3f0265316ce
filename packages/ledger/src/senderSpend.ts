import type { Operation } from '@shardpay/protocol';

/**
 * What an operation takes from its sender's balance besides the fee: the amount moved, locked or burned.
 * A mint creates its amount, and operations acting on existing locks or on another account (a multisig's
 * execution is paid by the account) take nothing. The node's mempool uses it for its early funds check.
 */
export function senderSpend(operation: Operation): bigint {
  switch (operation.type) {
    case 'transfer':
    case 'pay':
    case 'burn':
    case 'escrow_lock':
    case 'timelock_create':
      return operation.amount;
    default:
      return 0n;
  }
}
