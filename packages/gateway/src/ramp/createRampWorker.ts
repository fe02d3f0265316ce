import { randomBytes } from 'node:crypto';
import { advanceCashout, retryCashoutLater } from './advanceCashout.ts';
import { advancePurchase, retryPurchaseLater } from './advancePurchase.ts';
import { type CashoutRow, cashoutColumns } from './cashoutObject.ts';
import { type PurchaseRow, purchaseColumns } from './purchaseObject.ts';
import type { RampServices } from './RampServices.ts';

/** The durable driver of purchases and cash-outs: any replica runs one, all share the database. */
export interface RampWorker {
  start(): void;
  /** Stops the loop and waits for the round in progress. */
  stop(): Promise<void>;
  /** Runs a round soon (a route just made work). */
  wake(): void;
  /** One round now: every due row is advanced as far as it goes. */
  runOnce(): Promise<void>;
  /**
   * TEST ONLY: stops at once without finishing or recording anything more, as a crashed process would
   * (a crash hook calls it before throwing).
   */
  halt(): void;
}

const batchSize = 20;
const purchaseWork = ['authorized', 'minting', 'minted', 'voiding'];
const cashoutWork = ['burning', 'burned', 'paying_out', 'refunding'];

/**
 * A loop that resumes every unfinished purchase and cash-out: at start, every `pollIntervalMs`, and on
 * `wake()`. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED`, then `lease_until`), so replicas
 * share the work and a crashed replica's rows are taken over when its lease ends.
 */
export function createRampWorker(services: RampServices): RampWorker {
  const owner = `rw_${randomBytes(8).toString('hex')}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let halted = false;
  let again = false;

  async function claim<Row>(
    table: 'purchases' | 'cashouts',
    columns: string,
    statuses: string[],
  ): Promise<Row[]> {
    const at = services.now();
    const result = await services.database.query<Row>(
      `UPDATE ${table} SET lease_owner = $1, lease_until = $2
        WHERE id IN (SELECT id FROM ${table}
                      WHERE status = ANY($3::text[]) AND next_attempt_at <= $4
                        AND (lease_until IS NULL OR lease_until < $4)
                      ORDER BY seq LIMIT $5 FOR UPDATE SKIP LOCKED)
        RETURNING ${columns}`,
      [
        owner,
        new Date(at.getTime() + services.settings.leaseMs).toISOString(),
        statuses,
        at.toISOString(),
        batchSize,
      ],
    );
    return result.rows;
  }

  /** Authorizations that never got an answer (the request crashed and was not retried): fail them. */
  async function abandonStaleAuthorizations(): Promise<void> {
    const at = services.now();
    const cutoff = new Date(at.getTime() - services.settings.authorizationTimeoutMs);
    const abandoned = await services.database.query<{ id: string }>(
      `UPDATE purchases SET status = 'failed', failure_code = 'authorization_unknown',
              failure_message = 'The card authorization did not complete; the card was not charged.', updated_at = $2
        WHERE status = 'created' AND created_at < $1 RETURNING id`,
      [cutoff.toISOString(), at.toISOString()],
    );
    for (const { id } of abandoned.rows) {
      services.log.warn({ purchase: id }, 'abandoned a purchase whose authorization never completed');
    }
  }

  async function round(): Promise<void> {
    await abandonStaleAuthorizations();
    for (;;) {
      const purchases = await claim<PurchaseRow>('purchases', purchaseColumns, purchaseWork);
      const cashouts = await claim<CashoutRow>('cashouts', cashoutColumns, cashoutWork);
      for (const row of purchases) {
        if (halted) return;
        try {
          await advancePurchase(services, row);
        } catch (error) {
          if (halted) return;
          await retryPurchaseLater(services, row, error);
        }
      }
      for (const row of cashouts) {
        if (halted) return;
        try {
          await advanceCashout(services, row);
        } catch (error) {
          if (halted) return;
          await retryCashoutLater(services, row, error);
        }
      }
      if (purchases.length < batchSize && cashouts.length < batchSize) return;
    }
  }

  function runOnce(): Promise<void> {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await round();
        } while (again && !halted);
      } catch (error) {
        if (!halted) services.log.error({ err: error }, 'ramp worker round failed');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped || halted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce().then(() => schedule(services.settings.pollIntervalMs));
    }, delayMs);
    timer.unref?.();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    wake() {
      if (stopped || halted) return;
      if (running !== undefined) again = true;
      else schedule(0);
    },
    runOnce,
    halt() {
      halted = true;
      stopped = true;
      clearTimeout(timer);
    },
  };
}
