import type { ReactNode } from 'react';
import { formatUsd } from '../ui/money.ts';
import type { Checkout } from './shopApi.ts';

/** What the checkout and the order page both show first: the shop, the order, its amount; then `children`. */
export function OrderFacts({ checkout, children }: { checkout: Checkout; children?: ReactNode }) {
  return (
    <dl className="facts card">
      <dt>Shop</dt>
      <dd>{checkout.merchant_name}</dd>
      {checkout.description ? (
        <>
          <dt>Order</dt>
          <dd>{checkout.description}</dd>
        </>
      ) : null}
      <dt>Amount</dt>
      <dd>{formatUsd(checkout.amount)}</dd>
      {children}
    </dl>
  );
}
