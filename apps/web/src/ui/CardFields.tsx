import type { GatewayCard } from '@shardpay/sdk';

export interface CardInput {
  number: string;
  expiry: string;
  cvc: string;
}

/** The card as the API takes it, or a sentence saying what is wrong with what was typed. */
export function cardFromInput(input: CardInput, now = new Date()): GatewayCard | string {
  const number = input.number.replace(/[\s-]/g, '');
  if (!/^[0-9]{12,19}$/.test(number)) return 'Enter the card number: 12 to 19 digits.';
  const expiry = /^\s*(0[1-9]|1[0-2])\s*\/\s*([0-9]{2}|[0-9]{4})\s*$/.exec(input.expiry);
  if (expiry === null) return 'Enter the expiry date as MM/YY, for example 12/30.';
  const month = Number(expiry[1]);
  const year = expiry[2]!.length === 2 ? 2000 + Number(expiry[2]) : Number(expiry[2]);
  if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
    return 'This card has expired: check the expiry date.';
  }
  if (!/^[0-9]{3,4}$/.test(input.cvc.trim()))
    return 'Enter the 3-digit security code (CVC) from the back of the card.';
  return { number, exp_month: month, exp_year: year, cvc: input.cvc.trim() };
}

/** Card number, expiry and CVC, each with its visible label. */
export function CardFields({ value, onChange }: { value: CardInput; onChange: (next: CardInput) => void }) {
  return (
    <fieldset className="form">
      <legend>Debit card</legend>
      <label htmlFor="card-number">Card number</label>
      <input
        id="card-number"
        inputMode="numeric"
        autoComplete="cc-number"
        value={value.number}
        onChange={(event) => onChange({ ...value, number: event.target.value })}
      />
      <div className="row">
        <div className="field">
          <label htmlFor="card-expiry">Expiry (MM/YY)</label>
          <input
            id="card-expiry"
            autoComplete="cc-exp"
            placeholder="MM/YY"
            value={value.expiry}
            onChange={(event) => onChange({ ...value, expiry: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="card-cvc">CVC</label>
          <input
            id="card-cvc"
            inputMode="numeric"
            autoComplete="cc-csc"
            value={value.cvc}
            onChange={(event) => onChange({ ...value, cvc: event.target.value })}
          />
        </div>
      </div>
    </fieldset>
  );
}
