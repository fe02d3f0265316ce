import type { Database } from '@shardpay/database';
import { nextPayoutDue, settleDuePayouts } from './settleDuePayouts.ts';

export interface PayoutScheduler {
  /** Settles what is already due (payouts whose time passed while the bank was down), then keeps going. */
  start(): Promise<void>;
  /** A payout was created: look again at when the next one is due. */
  wake(): void;
  /** Stops and waits for a running settlement to finish. */
  stop(): Promise<void>;
}

export interface PayoutSchedulerDeps {
  database: Database;
  now: () => Date;
  onError: (error: unknown) => void;
}

// A failed round is retried after this; a far-off due time is re-read at least this often.
const retryMs = 1000;
const maxSleepMs = 60_000;

/**
 * The durable payout clock: the due times live in the database (`payouts.settle_at`), so the
 * scheduler holds no state a crash could lose. It sleeps until the earliest pending payout is due,
 * settles everything due, and repeats.
 */
export function createPayoutScheduler(deps: PayoutSchedulerDeps): PayoutScheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let again = false;

  const arm = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, Math.max(0, Math.min(delayMs, maxSleepMs)));
  };

  const round = async () => {
    let delay = maxSleepMs;
    try {
      await settleDuePayouts(deps.database, deps.now());
      const next = await nextPayoutDue(deps.database);
      if (next !== null) delay = next.getTime() - deps.now().getTime();
    } catch (error) {
      if (!stopped) deps.onError(error);
      delay = retryMs;
    }
    if (again) {
      again = false;
      delay = 0;
    }
    arm(delay);
  };

  function tick(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = round().finally(() => {
      running = undefined;
    });
  }

  return {
    async start() {
      stopped = false;
      await settleDuePayouts(deps.database, deps.now());
      arm(0);
    },
    wake() {
      if (stopped) return;
      if (running !== undefined) again = true;
      else arm(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
