import { type AdvanceShipmentsDeps, advanceShipments } from './advanceShipments.ts';

export interface DeliveryWorker {
  /** Runs one round now (tests call this instead of waiting for the clock). */
  runOnce(): Promise<void>;
  /** Runs a round at once, then every `pollIntervalMs`. */
  start(): void;
  /** Something changed (a shipment created or delivered): run a round soon. */
  wake(): void;
  /** Stops and waits for a running round to finish. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerDeps extends AdvanceShipmentsDeps {
  pollIntervalMs: number;
}

/**
 * The durable delivery worker: it holds no state of its own (all of it is in the shipments table),
 * so stopping it at any point and starting again loses nothing. Rounds never overlap.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let again = false;

  const arm = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  };

  function tick(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = runOnce().finally(() => {
      running = undefined;
      const delay = again ? 0 : deps.pollIntervalMs;
      again = false;
      arm(delay);
    });
  }

  async function runOnce(): Promise<void> {
    try {
      await advanceShipments(deps);
    } catch (error) {
      // The database itself failed: the whole round runs again at the next tick.
      deps.onError?.(error, '');
    }
  }

  return {
    runOnce,
    start() {
      stopped = false;
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
