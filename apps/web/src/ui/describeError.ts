import { isCardError, isShardpayError } from '@shardpay/sdk';

/**
 * Sentences a shopper understands for the codes the gateway, the SDK and the wallet code raise.
 * Card declines are left out: the bank's own message (`error.message`) is shown for those.
 */
const SENTENCES: Record<string, string> = {
  EMAIL_TAKEN: 'An account with this email already exists. Log in instead.',
  CREDENTIALS_INVALID: 'That email and password do not match an account.',
  AUTHENTICATION_REQUIRED: 'Please log in to continue.',
  TOKEN_INVALID: 'Your session has ended. Please log in again.',
  TOKEN_EXPIRED: 'Your session has ended. Please log in again.',
  SESSION_REVOKED: 'Your session has ended. Please log in again.',
  REFRESH_TOKEN_INVALID: 'Your session has ended. Please log in again.',
  PARAMETER_INVALID: 'Some of the details you entered are not valid. Check them and try again.',
  PARAMETER_MISSING: 'Some required details are missing.',
  WALLET_EXISTS: 'This wallet belongs to another Shardpay account. Log in as that account to use it.',
  WALLET_NOT_REGISTERED: 'This wallet is not linked to your account yet. Unlock it on the Wallet page.',
  ADDRESS_INVALID: 'That address is not valid: check it for typing mistakes.',
  ADDRESS_WRONG_NETWORK: 'That address belongs to another Shardpay network.',
  AMOUNT_INVALID: 'Enter an amount above zero, with at most 6 decimals (for example 12.50).',
  AMOUNT_TOO_LARGE: 'That amount is too large.',
  MEMO_TOO_LONG: 'The note is too long (at most 256 characters).',
  INSUFFICIENT_FUNDS: 'Your wallet does not hold enough money for this amount plus the network fee.',
  BAD_NONCE: 'Another payment from this wallet was sent at the same time. Please try again.',
  TRANSACTION_INVALID: 'The payment could not be accepted. Please try again.',
  MNEMONIC_INVALID: 'That recovery phrase is not valid: check every word and their order.',
  KEYSTORE_WRONG_PASSPHRASE: 'Wrong passphrase. Try again.',
  KEYSTORE_INVALID: 'The wallet saved in this browser is damaged. Restore it from its recovery phrase.',
  PURCHASE_LIMIT_EXCEEDED:
    'This purchase is over your buying limit for now. Try a smaller amount or wait a day.',
  BANK_UNAVAILABLE: 'The bank is not answering right now. Please try again in a minute.',
  CHAIN_UNAVAILABLE: 'The payment network is not answering right now. Please try again in a minute.',
  SERVICE_UNAVAILABLE: 'Shardpay is busy right now. Please try again in a minute.',
  GATEWAY_UNREACHABLE: 'Shardpay cannot be reached. Check your connection and try again.',
  RATE_LIMITED: 'Too many attempts. Please wait a minute and try again.',
  WAIT_TIMEOUT: 'This is taking longer than usual. It may still complete: check your history later.',
  TOKEN_PAUSED: 'Payments are paused by the issuer right now. Please try again later.',
  ACCOUNT_FROZEN: 'This wallet has been frozen by the issuer. Contact support.',
  PURCHASE_STATE_INVALID: 'This purchase can no longer be changed.',
  ROUTING_NUMBER_INVALID: 'That routing number is not one of a bank we can pay.',
  BANK_ACCOUNT_INVALID: 'That bank account number is not valid.',
  CASHOUT_STATE_INVALID: 'This cash-out can no longer be changed.',
  // The shop, checkout and merchant dashboard.
  RESOURCE_MISSING: 'We could not find that. Check the link, or it may have been removed.',
  ROUTE_NOT_FOUND: 'This part of Shardpay is not available on this server yet.',
  PERMISSION_DENIED: 'You are not allowed to do that for this shop.',
  INVOICE_STATE_INVALID:
    'This order can no longer be changed this way: it may be paid, expired or already shipped.',
  DUPLICATE_PAYMENT_ID: 'This order has already been paid.',
  WRONG_SHARD: 'This wallet cannot pay from here. Open your own wallet and try again.',
  SIGNATURE_INVALID: 'The payment’s signature was not accepted. Please try again.',
  BAD_SIGNATURE: 'The payment’s signature was not accepted. Please try again.',
  DEADLINE_INVALID: 'The buyer protection period of this order is not valid any more. Start a new order.',
  ESCROW_STATE_INVALID: 'The money held for this order cannot be moved that way now.',
  ORACLE_UNAVAILABLE: 'The delivery service is not answering right now. Please try again in a minute.',
  REFUND_AMOUNT_TOO_LARGE: 'That is more than is left to refund on this invoice.',
  WEBHOOK_URL_INVALID: 'That endpoint URL is not valid: use a full http(s) address without a password in it.',
  WEBHOOK_ENDPOINT_DISABLED: 'This endpoint is disabled, so nothing can be sent to it.',
  IDEMPOTENCY_KEY_IN_USE: 'That request is still being handled. Please wait a moment.',
};

/** What to tell the user about a failure: the bank's words for a card decline, a sentence otherwise. */
export function describeError(error: unknown): string {
  if (isCardError(error)) return error.message;
  if (isShardpayError(error)) {
    const sentence = SENTENCES[error.code];
    if (sentence !== undefined) return sentence;
    return 'Something went wrong. Please try again.';
  }
  return 'Something went wrong. Please try again.';
}
