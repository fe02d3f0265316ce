import { formatAmount } from '@shardpay/protocol';
import { Gauge, type Registry } from 'prom-client';
import type { RampServices } from './RampServices.ts';
import { type ReservesReading, readReserves } from './readReserves.ts';

/** The periodic supply-vs-reserve check. */
export interface ReserveReconciler {
  start(): void;
  stop(): Promise<void>;
  /** One check now; the reading, or undefined if the chain or the bank did not answer. */
  check(): Promise<ReservesReading | undefined>;
}

/**
 * Every `reconcileIntervalMs` reads the reserves, sets `shardpay_gateway_reserve_difference` (dollars,
 * reserve − backed supply) and logs an alert (level error) when a difference is seen on two checks in a
 * row: one check can catch a movement half done (a capture landing between two reads).
 */
export function createReserveReconciler(
  services: RampServices,
  registry: Registry | undefined,
): ReserveReconciler {
  const gauge = new Gauge({
    name: 'shardpay_gateway_reserve_difference',
    help: 'Bank reserve minus the supply it must back (in-flight movements accounted for), in USD; 0 when they match',
    registers: registry === undefined ? [] : [registry],
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> | undefined;
  let previousDifference = 0n;

  async function check(): Promise<ReservesReading | undefined> {
    let reading: ReservesReading;
    try {
      reading = await readReserves(services);
    } catch (error) {
      services.log.warn({ err: error }, 'reserve reconciliation could not read the chain or the bank');
      return undefined;
    }
    gauge.set(Number(formatAmount(reading.difference)));
    if (reading.difference !== 0n && previousDifference !== 0n) {
      services.log.error(
        {
          alert: 'reserve_mismatch',
          supply: formatAmount(reading.supply),
          reserve: formatAmount(reading.reserve),
          difference: formatAmount(reading.difference),
        },
        'ALERT: the reserve does not match the supply',
      );
    }
    previousDifference = reading.difference;
    return reading;
  }

  return {
    start() {
      if (timer !== undefined || services.settings.reconcileIntervalMs <= 0) return;
      timer = setInterval(() => {
        running ??= check().finally(() => {
          running = undefined;
        });
      }, services.settings.reconcileIntervalMs);
      timer.unref?.();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
    check,
  };
}
