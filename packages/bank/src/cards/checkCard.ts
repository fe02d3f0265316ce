import type { TestCardOutcome } from './testCards.ts';
import { cardBrand, passesLuhn, testCardOutcome } from './testCards.ts';

/** A card as the request gives it (schema-checked shapes, not yet meaningful values). */
export interface CardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

/** What may be kept of a card: never the full number, never the CVC. */
export interface StoredCard {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/** Refused by the network before any issuer sees it: no payment intent is made. */
export interface CardRejection {
  code: string;
  param: string;
}

export type CardCheck =
  | { rejected: CardRejection }
  | { rejected: null; card: StoredCard; outcome: TestCardOutcome };

/**
 * The checks a card network makes before asking the issuer (number shape and Luhn, expiry, CVC
 * shape), then the issuer's answer for a test number. `now` is the caller's clock.
 */
export function checkCard(input: CardInput, now: Date): CardCheck {
  const digits = input.number.replace(/[ -]/g, '');
  if (!/^[0-9]{12,19}$/.test(digits)) return { rejected: { code: 'invalid_number', param: 'card.number' } };
  if (!passesLuhn(digits)) return { rejected: { code: 'incorrect_number', param: 'card.number' } };
  if (!Number.isInteger(input.exp_month) || input.exp_month < 1 || input.exp_month > 12) {
    return { rejected: { code: 'invalid_expiry_month', param: 'card.exp_month' } };
  }
  const thisYear = now.getUTCFullYear();
  if (!Number.isInteger(input.exp_year) || input.exp_year > thisYear + 50) {
    return { rejected: { code: 'invalid_expiry_year', param: 'card.exp_year' } };
  }
  // A card is valid through the last day of its expiry month.
  const thisMonth = thisYear * 12 + now.getUTCMonth();
  if (input.exp_year * 12 + (input.exp_month - 1) < thisMonth) {
    return { rejected: { code: 'expired_card', param: 'card.exp_year' } };
  }
  if (!/^[0-9]{3}$/.test(input.cvc)) return { rejected: { code: 'incorrect_cvc', param: 'card.cvc' } };
  return {
    rejected: null,
    card: {
      brand: cardBrand(digits),
      last4: digits.slice(-4),
      exp_month: input.exp_month,
      exp_year: input.exp_year,
    },
    outcome: testCardOutcome(digits),
  };
}
