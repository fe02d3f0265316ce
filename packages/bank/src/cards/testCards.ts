/**
 * Stripe's public test card numbers (PAYMENTS.md) and what the sandbox issuer answers for each.
 * Any other number that passes the Luhn check is a "live" card, which a sandbox declines.
 */
export type TestCardOutcome =
  | { kind: 'authorize' }
  | { kind: 'three_d_secure' }
  | { kind: 'decline'; code: string; declineCode: string };

const decline = (code: string, declineCode = code): TestCardOutcome => ({
  kind: 'decline',
  code,
  declineCode,
});

const testCards: ReadonlyMap<string, TestCardOutcome> = new Map([
  ['4242424242424242', { kind: 'authorize' }],
  ['4000056655665556', { kind: 'authorize' }],
  ['5555555555554444', { kind: 'authorize' }],
  ['5200828282828210', { kind: 'authorize' }],
  ['4000002760003184', { kind: 'three_d_secure' }],
  ['4000000000000002', decline('card_declined', 'generic_decline')],
  ['4000000000009995', decline('card_declined', 'insufficient_funds')],
  ['4000000000009987', decline('card_declined', 'lost_card')],
  ['4000000000009979', decline('card_declined', 'stolen_card')],
  ['4000000000000069', decline('expired_card')],
  ['4000000000000127', decline('incorrect_cvc')],
  ['4000000000000119', decline('processing_error')],
]);

/** What the sandbox issuer does with a card number that passed the Luhn check. */
export function testCardOutcome(number: string): TestCardOutcome {
  return testCards.get(number) ?? decline('card_declined', 'test_mode_live_card');
}

/** The Luhn (mod 10) check every card number passes; catches a mistyped digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card brand from the number's prefix (IIN ranges), as Stripe names it. */
export function cardBrand(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (digits.startsWith('6011') || digits.startsWith('65')) return 'discover';
  return 'unknown';
}

/** Messages a shopper understands (Stripe's wording), by card error code or decline code. */
export const cardErrorMessages: Readonly<Record<string, string>> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  // Lost or stolen cards are not named to the person holding them (Stripe does the same).
  lost_card: 'Your card was declined.',
  stolen_card: 'Your card was declined.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
  incorrect_number: 'Your card number is incorrect.',
  invalid_number: 'Your card number is not a valid card number.',
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  authentication_required:
    'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
  test_mode_live_card: 'Your card was declined. This sandbox accepts only test cards.',
};
