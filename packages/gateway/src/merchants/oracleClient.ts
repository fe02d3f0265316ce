import { ShardpayError } from '@shardpay/crypto';
import type { GatewayConfig } from '../config.ts';

/** The statuses of a shipment at the delivery oracle sandbox (docs/oracle.md "The worker and its states"). */
export type ShipmentStatus = 'in_transit' | 'delivered' | 'attested' | 'released' | 'attestation_refused';

/** What an invoice keeps of the oracle's shipment (its `escrow.shipment`). */
export interface InvoiceShipment {
  id: string;
  tracking_id: string;
  carrier: string;
  status: ShipmentStatus;
  deliver_at: string;
  delivered_at: string | null;
  attested_at: string | null;
  released_at: string | null;
  release_tx_id: string | null;
}

/** Shipments that will not move any more: the watcher stops asking about them. */
export const endedShipmentStatuses: ReadonlySet<string> = new Set(['released', 'attestation_refused']);

const shipmentStatuses = new Set(['in_transit', 'delivered', 'attested', 'released', 'attestation_refused']);

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The fields an invoice keeps, from the oracle's shipment object; another shape is an outage. */
export function invoiceShipmentOf(value: unknown): InvoiceShipment {
  const o = (value ?? {}) as Record<string, unknown>;
  if (
    typeof o.id !== 'string' ||
    typeof o.tracking_id !== 'string' ||
    typeof o.status !== 'string' ||
    !shipmentStatuses.has(o.status) ||
    typeof o.deliver_at !== 'string'
  ) {
    throw new ShardpayError('ORACLE_UNAVAILABLE', 'the delivery oracle answered an unexpected shipment');
  }
  return {
    id: o.id,
    tracking_id: o.tracking_id,
    carrier: typeof o.carrier === 'string' ? o.carrier : '',
    status: o.status as ShipmentStatus,
    deliver_at: o.deliver_at,
    delivered_at: stringOrNull(o.delivered_at),
    attested_at: stringOrNull(o.attested_at),
    released_at: stringOrNull(o.released_at),
    release_tx_id: stringOrNull(o.release_tx_id),
  };
}

/** The two routes of the delivery oracle sandbox the gateway uses (docs/oracle.md "API"). */
export interface OracleClient {
  /** Registers (or, for an escrow that has one, returns) the escrow's shipment. */
  createShipment(request: {
    escrowId: string;
    orderId: string;
    deliverAfterSeconds: number;
  }): Promise<InvoiceShipment>;
  getShipment(id: string): Promise<InvoiceShipment>;
}

/** How long one oracle request may take before it counts as unreachable. */
const requestTimeoutMs = 5000;

/**
 * A client of the oracle at `url`, authenticated by `apiKey` (sent only in the Authorization header,
 * never logged). No answer, a 5xx or a refused API key → `ORACLE_UNAVAILABLE`; a 4xx with an error
 * object → a ShardpayError of the oracle's code (upper case) with `meta.oracleStatus`.
 */
export function createOracleClient(settings: { url: string; apiKey: string }): OracleClient {
  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<InvoiceShipment> {
    let response: Response;
    try {
      response = await fetch(`${settings.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${settings.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch {
      throw new ShardpayError('ORACLE_UNAVAILABLE', 'the delivery oracle did not answer; try again shortly');
    }
    const json = (await response.json().catch(() => null)) as {
      error?: { code?: unknown; message?: unknown };
    } | null;
    if (response.ok) return invoiceShipmentOf(json);
    const code = typeof json?.error?.code === 'string' ? json.error.code.toUpperCase() : undefined;
    if (response.status >= 500 || response.status === 401 || code === undefined) {
      throw new ShardpayError(
        'ORACLE_UNAVAILABLE',
        `the delivery oracle could not take the request (HTTP ${response.status}); try again shortly`,
      );
    }
    const message = typeof json?.error?.message === 'string' ? json.error.message : code.toLowerCase();
    throw new ShardpayError(code, message, { meta: { oracleStatus: response.status } });
  }
  return {
    createShipment: ({ escrowId, orderId, deliverAfterSeconds }) =>
      request('POST', '/v1/shipments', {
        escrow_id: escrowId,
        order_id: orderId,
        deliver_after_seconds: deliverAfterSeconds,
      }),
    getShipment: (id) => request('GET', `/v1/shipments/${encodeURIComponent(id)}`),
  };
}

/** The gateway's oracle client, when SHARDPAY_ORACLE_URL and SHARDPAY_ORACLE_API_KEY are both set. */
export function oracleClientOf(config: GatewayConfig): OracleClient | undefined {
  if (config.oracleUrl === undefined || config.oracleApiKey === undefined) return undefined;
  return createOracleClient({ url: config.oracleUrl, apiKey: config.oracleApiKey });
}

/** True when escrow-backed store orders can be offered: an oracle to name and one to ship through. */
export function escrowAvailable(config: GatewayConfig): boolean {
  return config.oracleAddress !== undefined && oracleClientOf(config) !== undefined;
}
