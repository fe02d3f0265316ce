/** The routing number of the sandbox's test bank (Stripe's US test routing number). */
export const TEST_ROUTING_NUMBER = '110000000';

/** How the receiving bank treats payouts to a test account (Stripe's US test account numbers). */
export type TestBankAccount =
  | { kind: 'pays' }
  | { kind: 'fails'; failureCode: PayoutFailureCode }
  /** Answers 503 to the first `unavailableAttempts` requests of each payout, then pays. */
  | { kind: 'flaky'; unavailableAttempts: number };

/** Why a receiving bank returned a payout (Stripe's payout failure codes). */
export type PayoutFailureCode = 'no_account' | 'account_closed' | 'insufficient_funds';

/** The payout's `failure_message`, by failure code. */
export const payoutFailureMessages: Readonly<Record<PayoutFailureCode, string>> = {
  no_account: 'The bank account details are probably incorrect: the receiving bank has no such account.',
  account_closed: 'The bank account has been closed.',
  insufficient_funds: 'The receiving bank returned the transfer for insufficient funds.',
};

const testBankAccounts: ReadonlyMap<string, TestBankAccount> = new Map<string, TestBankAccount>([
  ['000123456789', { kind: 'pays' }],
  ['000111111116', { kind: 'fails', failureCode: 'no_account' }],
  ['000111111113', { kind: 'fails', failureCode: 'account_closed' }],
  ['000222222227', { kind: 'fails', failureCode: 'insufficient_funds' }],
  ['000555555559', { kind: 'flaky', unavailableAttempts: 2 }],
]);

/** The test account of that number, or undefined for a number the sandbox bank does not hold. */
export function testBankAccount(accountNumber: string): TestBankAccount | undefined {
  return testBankAccounts.get(accountNumber);
}
