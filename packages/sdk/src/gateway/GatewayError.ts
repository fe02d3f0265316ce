import { ShardpayError } from '@shardpay/crypto';

/** What the gateway said about a refused request, besides its code and message. */
export interface GatewayErrorMeta {
  /** HTTP status (0 when no answer came). */
  status: number;
  /** The API's error type: invalid_request_error, authentication_error, idempotency_error, … */
  type: string;
  /** The request field at fault, if the gateway named one. */
  param: string | null;
  /** The gateway's `req_…` id, to find the request in its logs. */
  requestId: string | null;
}

/**
 * A request the gateway refused: `code` is the API's code upper-cased (`insufficient_funds` →
 * `INSUFFICIENT_FUNDS`), so callers match gateway and local errors the same way.
 */
export class GatewayError extends ShardpayError {
  declare readonly meta: Readonly<GatewayErrorMeta & Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    meta: GatewayErrorMeta & Record<string, unknown>,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, {
      meta: { ...meta },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** True when `value` is a GatewayError (with `code`, when given). */
export function isGatewayError(value: unknown, code?: string): value is GatewayError {
  return value instanceof GatewayError && (code === undefined || value.code === code);
}

/** The error a JSON error body `{error: {type, code, message, param, request_id}}` stands for. */
export function gatewayErrorFromBody(status: number, body: unknown, requestId: string | null): GatewayError {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (error === null || typeof error !== 'object' || typeof error.code !== 'string') {
    return new GatewayError(
      'GATEWAY_RESPONSE_INVALID',
      `the gateway answered HTTP ${status} without an error object`,
      {
        status,
        type: 'api_error',
        param: null,
        requestId,
      },
    );
  }
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  return new GatewayError(
    error.code.toUpperCase(),
    typeof error.message === 'string' ? error.message : error.code,
    {
      status,
      type,
      param: typeof error.param === 'string' ? error.param : null,
      requestId: typeof error.request_id === 'string' ? error.request_id : requestId,
      // A decline's code is the bank's decline code; kept as the API spelled it for showing.
      ...(type === 'card_error' ? { declineCode: error.code } : {}),
    },
  );
}

/**
 * True when `value` is a card decline (HTTP 402, type `card_error`): its code is the bank's decline
 * code upper-cased (`GENERIC_DECLINE`, `INSUFFICIENT_FUNDS`, `AUTHENTICATION_REQUIRED`, …), its
 * `meta.declineCode` the same as the API wrote it, and its message is meant for the shopper.
 */
export function isCardError(value: unknown): value is GatewayError {
  return value instanceof GatewayError && value.meta.type === 'card_error';
}
