import { equalBytes } from '@shardpay/crypto';
import type { Address } from '@shardpay/protocol';
import { assertSufficientFunds, type BlockContext, chargeSender } from './BlockContext.ts';

/**
 * Where a coin movement's money comes from when it may differ from the sender: a multisig account's
 * transfer, payment or burn is paid (the amount) by the account and submitted (the fee, the nonce) by
 * whoever sends the `multisig_execute`. For every other operation `from` is the sender.
 */

/** Throws INSUFFICIENT_FUNDS unless `from` holds `amount` and `sender` the fee (both, when they are one account). */
export function assertCanPay(
  context: BlockContext,
  sender: Address,
  from: Address,
  amount: bigint,
  fee: bigint,
): void {
  if (equalBytes(sender, from)) {
    assertSufficientFunds(context, sender, amount + fee);
    return;
  }
  assertSufficientFunds(context, from, amount);
  assertSufficientFunds(context, sender, fee);
}

/** Debits `amount` from `from`, and the fee (advancing the nonce) from `sender` — see `chargeSender`. */
export function chargeAccount(
  context: BlockContext,
  sender: Address,
  from: Address,
  amount: bigint,
  fee: bigint,
): void {
  if (equalBytes(sender, from)) {
    chargeSender(context, sender, amount, fee);
    return;
  }
  context.state.debit(from, amount);
  chargeSender(context, sender, 0n, fee);
}
