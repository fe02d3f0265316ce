import type { Database } from '@shardpay/database';
import { type EventObject, type EventRow, eventColumns, eventToJson } from './writeEvent.ts';

export interface EventHubOptions {
  /** Wait between polls of the events table while sockets are open (default 200 ms). */
  pollIntervalMs?: number;
  /** Most rows read per query (default 500). */
  batchSize?: number;
}

export interface EventHubDeps {
  database: Database;
  /** Told about a failed poll (the next one retries from the same place). */
  onError?: (error: unknown) => void;
}

/** One listener's registration. */
export interface EventSubscription {
  /**
   * Resolves once the subscription is live: every event committed from then on will be delivered.
   * With `afterSeq`, the replay of older events starts right after it (deliveries stay in order).
   */
  live: Promise<void>;
  unsubscribe(): void;
}

/**
 * Fans the events table out to this replica's listeners. One poller per replica reads every new
 * event by `seq` (so events written by any replica reach every replica's sockets), and runs only
 * while someone listens.
 */
export interface EventHub {
  /**
   * Delivers `userId`'s events to `deliver`, in order, each once: those after `afterSeq` (replayed
   * from the database) when given, then every new one.
   */
  subscribe(
    userId: string,
    afterSeq: bigint | null,
    deliver: (event: EventObject) => void,
  ): EventSubscription;
  /** How many listeners are registered. */
  size(): number;
  /** Stops polling and drops every listener. */
  stop(): Promise<void>;
}

interface Subscriber {
  userId: string;
  /** Seq of the last event delivered (or the replay's start); null until the poller places it. */
  lastSeq: bigint | null;
  live: boolean;
  markLive: () => void;
  deliver: (event: EventObject) => void;
}

/**
 * The hub. Correctness rests on events being committed in seq order (writeEvent's lock): once the
 * poller has read seq N, no event at or below N can still appear, so a listener placed at N (or
 * replayed up to N) misses nothing when live delivery takes over above N.
 */
export function createEventHub(options: EventHubOptions, deps: EventHubDeps): EventHub {
  const { database } = deps;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  const subscribers = new Set<Subscriber>();
  let position = 0n;
  let loop: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function readEvents(sql: string, params: unknown[]): Promise<EventRow[]> {
    return (await database.query<EventRow>(sql, params)).rows;
  }

  /** Live fan-out: everything above `position`, to every live listener of its user. */
  async function pollNew(): Promise<void> {
    for (;;) {
      const rows = await readEvents(
        `SELECT ${eventColumns} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [position.toString(), batchSize],
      );
      for (const row of rows) {
        const seq = BigInt(row.seq);
        const event = eventToJson(row);
        for (const subscriber of subscribers) {
          if (subscriber.live && subscriber.userId === row.user_id && seq > subscriber.lastSeq!) {
            subscriber.lastSeq = seq;
            subscriber.deliver(event);
          }
        }
        position = seq;
      }
      if (rows.length < batchSize) return;
    }
  }

  /** Brings a new listener up to `position` (replaying its older events), then makes it live. */
  async function place(subscriber: Subscriber): Promise<void> {
    if (subscriber.lastSeq === null) subscriber.lastSeq = position;
    for (;;) {
      const rows = await readEvents(
        `SELECT ${eventColumns} FROM events WHERE user_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
        [subscriber.userId, subscriber.lastSeq.toString(), position.toString(), batchSize],
      );
      for (const row of rows) {
        if (!subscribers.has(subscriber)) return;
        subscriber.lastSeq = BigInt(row.seq);
        subscriber.deliver(eventToJson(row));
      }
      if (rows.length < batchSize) break;
    }
    subscriber.live = true;
    subscriber.markLive();
  }

  async function tick(): Promise<void> {
    await pollNew();
    for (const subscriber of subscribers) {
      if (!subscriber.live) await place(subscriber);
    }
  }

  function ensureLoop(): void {
    if (loop !== undefined || stopped) return;
    loop = (async () => {
      try {
        const max = await database.query<{ seq: bigint | null }>('SELECT max(seq) AS seq FROM events');
        position = BigInt(max.rows[0]?.seq ?? 0);
        while (!stopped && subscribers.size > 0) {
          let failed = false;
          try {
            await tick();
          } catch (error) {
            failed = true;
            deps.onError?.(error);
          }
          if (stopped || subscribers.size === 0) break;
          // A listener that is not live yet is placed at once, not after a full interval.
          if (failed || ![...subscribers].some((subscriber) => !subscriber.live)) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, pollIntervalMs).unref();
            });
            wake = undefined;
          }
        }
      } catch (error) {
        deps.onError?.(error);
      } finally {
        loop = undefined;
        // Someone subscribed while the loop was ending: start again.
        if (!stopped && subscribers.size > 0) ensureLoop();
      }
    })();
  }

  return {
    subscribe(userId, afterSeq, deliver) {
      const live = Promise.withResolvers<void>();
      const subscriber: Subscriber = {
        userId,
        lastSeq: afterSeq,
        live: false,
        markLive: live.resolve,
        deliver,
      };
      subscribers.add(subscriber);
      ensureLoop();
      wake?.();
      return {
        live: live.promise,
        unsubscribe: () => {
          subscribers.delete(subscriber);
        },
      };
    },
    size: () => subscribers.size,
    async stop() {
      stopped = true;
      subscribers.clear();
      wake?.();
      await loop;
    },
  };
}
