import type { Queryable } from '@shardpay/database';
import { formatAmount } from '@shardpay/protocol';
import { apiError } from '../http/apiErrors.ts';

/** How much a user may buy per rolling day and week, in minor units. */
export interface PurchaseLimits {
  daily: bigint;
  weekly: bigint;
}

const dayMs = 24 * 3600 * 1000;

/**
 * Refuses (403 PURCHASE_LIMIT_EXCEEDED) a purchase of `amount` that would take the user's purchases
 * over the last 24 hours or 7 days past the limits. Failed purchases do not count. Call it inside the
 * transaction that inserts the purchase, after locking the user's row, so two purchases at once cannot
 * both fit under the limit.
 */
export async function assertWithinPurchaseLimits(
  tx: Queryable,
  userId: string,
  amount: bigint,
  limits: PurchaseLimits,
  now: Date,
): Promise<void> {
  const sums = await tx.query<{ day: bigint | null; week: bigint | null }>(
    `SELECT sum(amount) FILTER (WHERE created_at > $2) AS day, sum(amount) FILTER (WHERE created_at > $3) AS week
       FROM purchases WHERE user_id = $1 AND status <> 'failed'`,
    [
      userId,
      new Date(now.getTime() - dayMs).toISOString(),
      new Date(now.getTime() - 7 * dayMs).toISOString(),
    ],
  );
  const day = BigInt(sums.rows[0]?.day ?? 0n);
  const week = BigInt(sums.rows[0]?.week ?? 0n);
  if (day + amount > limits.daily) {
    throw apiError(
      'PURCHASE_LIMIT_EXCEEDED',
      `purchases are limited to ${formatAmount(limits.daily)} USD per day for unverified users; ${formatAmount(limits.daily - day < 0n ? 0n : limits.daily - day)} left today`,
      'amount',
    );
  }
  if (week + amount > limits.weekly) {
    throw apiError(
      'PURCHASE_LIMIT_EXCEEDED',
      `purchases are limited to ${formatAmount(limits.weekly)} USD per week for unverified users; ${formatAmount(limits.weekly - week < 0n ? 0n : limits.weekly - week)} left this week`,
      'amount',
    );
  }
}
