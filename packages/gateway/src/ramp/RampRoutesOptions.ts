import type { GatewayContext } from '../GatewayContext.ts';
import type { RampServices } from './RampServices.ts';

/** What the purchase, cash-out and reserve routes are given. */
export interface RampRoutesOptions extends GatewayContext {
  ramp: RampServices;
  /** Tells the worker there is new work (it also finds it on its own, within a poll interval). */
  wake: () => void;
}
