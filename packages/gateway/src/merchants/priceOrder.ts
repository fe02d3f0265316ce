import { apiError } from '../http/apiErrors.ts';

/** One line of a store order as the buyer sent it. */
export interface OrderItem {
  product: string;
  quantity: number;
}

/** The active products of the store being ordered from, by id. */
export type PriceList = ReadonlyMap<string, { name: string; price: bigint }>;

/** Longest invoice description (the invoice API's limit). */
const maxDescriptionLength = 500;

/**
 * The order's amount (Σ price × quantity, bigint, from stored prices only) and its description
 * ("2 × Mug, 1 × T-shirt"). A product that is not an active product of this store, or one named twice,
 * is `400 parameter_invalid` naming `items` (the same answer for archived and foreign products, so the
 * store reveals nothing of other merchants' catalogues).
 */
export function priceOrder(
  items: readonly OrderItem[],
  prices: PriceList,
): { amount: bigint; description: string } {
  const seen = new Set<string>();
  let amount = 0n;
  const lines: string[] = [];
  for (const item of items) {
    if (seen.has(item.product)) {
      throw apiError(
        'PARAMETER_INVALID',
        `product ${item.product} is named twice: give one line per product`,
        'items',
      );
    }
    seen.add(item.product);
    const product = prices.get(item.product);
    if (product === undefined) {
      throw apiError('PARAMETER_INVALID', `product ${item.product} is not for sale in this store`, 'items');
    }
    amount += product.price * BigInt(item.quantity);
    lines.push(`${item.quantity} × ${product.name}`);
  }
  const description = lines.join(', ');
  return {
    amount,
    description:
      description.length <= maxDescriptionLength
        ? description
        : `${description.slice(0, maxDescriptionLength - 1)}…`,
  };
}
