import type { BankErrorBody } from '../http/bankErrors.ts';
import type { BankResult } from '../http/respondInTransaction.ts';
import type { PaymentIntentObject } from './paymentIntentObject.ts';
import { cardErrorMessages } from './testCards.ts';

export interface CardErrorDetails {
  code: string;
  /** The issuer's reason; absent when the network refused the card before asking the issuer. */
  declineCode?: string | undefined;
  param?: string | undefined;
  paymentIntent?: PaymentIntentObject | undefined;
}

/** The message a shopper sees for a card error: by decline code first, then by code. */
export function cardErrorMessage(code: string, declineCode?: string): string {
  return (
    (declineCode === undefined ? undefined : cardErrorMessages[declineCode]) ??
    cardErrorMessages[code] ??
    'Your card was declined.'
  );
}

/** `last_payment_error` as stored on a declined intent. */
export function lastPaymentError(code: string, declineCode: string) {
  return {
    type: 'card_error',
    code,
    decline_code: declineCode,
    message: cardErrorMessage(code, declineCode),
  };
}

/** A 402 card_error response (Stripe's shape), carrying the failed intent when one was made. */
export function cardErrorResult(requestId: string, details: CardErrorDetails): BankResult {
  const body: BankErrorBody = {
    error: {
      type: 'card_error',
      code: details.code,
      message: cardErrorMessage(details.code, details.declineCode),
      param: details.param ?? null,
      request_id: requestId,
      ...(details.declineCode === undefined ? {} : { decline_code: details.declineCode }),
      ...(details.paymentIntent === undefined ? {} : { payment_intent: details.paymentIntent }),
    },
  };
  return { status: 402, body };
}
