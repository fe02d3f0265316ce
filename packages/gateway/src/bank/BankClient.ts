/**
 * What the gateway needs of the bank and card sandbox (docs/bank.md): card authorizations, captures,
 * voids, payouts and the reserve balance. Every call that moves money carries an idempotency key the
 * caller derives from its own durable ids, so a retry after a crash can never move money twice.
 */
export interface BankClient {
  /** Authorizes `amount` on `card` (manual capture). A decline throws CARD_ERROR. */
  authorize(parameters: AuthorizeParameters, idempotencyKey: string): Promise<BankPaymentIntent>;
  /** The cardholder passed (or, with `fail`, failed) 3-D Secure. */
  confirm(paymentIntentId: string, fail: boolean, idempotencyKey: string): Promise<BankPaymentIntent>;
  capture(paymentIntentId: string, idempotencyKey: string): Promise<BankPaymentIntent>;
  /** Voids an uncaptured authorization. */
  cancel(paymentIntentId: string, idempotencyKey: string): Promise<BankPaymentIntent>;
  createPayout(parameters: PayoutParameters, idempotencyKey: string): Promise<BankPayout>;
  getPayout(payoutId: string): Promise<BankPayout>;
  getReserve(): Promise<BankReserve>;
}

export interface CardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

export interface AuthorizeParameters {
  /** Minor units (6 decimals), whole cents. */
  amount: bigint;
  card: CardInput;
  description: string;
  metadata: Record<string, string>;
}

export interface PayoutParameters {
  amount: bigint;
  routingNumber: string;
  accountNumber: string;
  description: string;
  metadata: Record<string, string>;
}

export interface BankPaymentIntent {
  id: string;
  /** requires_action, requires_capture, succeeded, canceled, requires_payment_method. */
  status: string;
  amount: bigint;
  card: { brand: string; last4: string };
}

export interface BankPayout {
  id: string;
  /** pending, paid or failed. */
  status: string;
  amount: bigint;
  failureCode: string | null;
  failureMessage: string | null;
}

export interface BankReserve {
  available: bigint;
  pendingPayouts: bigint;
  /** Unix seconds. */
  asOf: number;
}
