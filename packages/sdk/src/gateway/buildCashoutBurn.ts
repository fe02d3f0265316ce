import type { Transaction } from '@shardpay/protocol';
import { type BuildCommonParameters, buildBurn } from '../buildTransaction.ts';
import type { GatewayCashout } from './gatewayTypes.ts';

export interface BuildCashoutBurnParameters extends BuildCommonParameters {
  /** The cash-out from `createCashout`: the burn is of its amount and names its id. */
  cashout: Pick<GatewayCashout, 'amount' | 'payout_reference'>;
}

/**
 * The signed burn that pays for a cash-out: exactly its amount, `payoutReference` = its id (the
 * gateway refuses any other), from the cash-out's wallet account.
 *
 * @example
 *   const cashout = await gateway.createCashout({ wallet, amount: '40', bank_account });
 *   const { pending_nonce, nonce, height } = await gateway.account(account.address);
 *   const burn = buildCashoutBurn({ from: account, cashout, nonce: BigInt(pending_nonce ?? nonce), expiryHeight: BigInt(height) + 600n });
 *   await gateway.submitCashoutBurn(cashout.id, burn);
 */
export function buildCashoutBurn(parameters: BuildCashoutBurnParameters): Transaction {
  const { cashout, ...common } = parameters;
  return buildBurn({
    ...common,
    amount: cashout.amount,
    payoutReference: cashout.payout_reference,
  });
}
