import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { httpStatusOf, internalErrorResponse } from '@shardpay/service';

/** The error types of the API (PAYMENTS.md "API shape"). */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'card_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'api_error';

/** The one error body every failed request answers with. */
export interface ApiErrorBody {
  error: {
    type: ApiErrorType;
    code: string;
    message: string;
    param: string | null;
    request_id: string;
  };
}

interface ErrorMapping {
  status: number;
  type: ApiErrorType;
}

const invalid = (status: number): ErrorMapping => ({ status, type: 'invalid_request_error' });
const authentication: ErrorMapping = { status: 401, type: 'authentication_error' };

// ShardpayError codes the gateway knows how to show; anything else is a 500 api_error.
const errorMappings: Readonly<Record<string, ErrorMapping>> = {
  REQUEST_INVALID: invalid(400),
  PARAMETER_MISSING: invalid(400),
  PARAMETER_INVALID: invalid(400),
  PARAMETER_UNKNOWN: invalid(400),
  BODY_INVALID: invalid(400),
  BODY_TOO_LARGE: invalid(413),
  UNSUPPORTED_MEDIA_TYPE: invalid(415),
  ROUTE_NOT_FOUND: invalid(404),
  RESOURCE_MISSING: invalid(404),
  EMAIL_TAKEN: invalid(409),
  WALLET_EXISTS: invalid(409),
  CHALLENGE_INVALID: invalid(400),
  SIGNATURE_INVALID: invalid(400),
  KEYSTORE_INVALID: invalid(400),
  ADDRESS_INVALID: invalid(400),
  ADDRESS_WRONG_NETWORK: invalid(400),
  ADDRESS_KEY_MISMATCH: invalid(400),
  KEY_INVALID: invalid(400),
  IDEMPOTENCY_KEY_INVALID: invalid(400),
  TRANSACTION_INVALID: invalid(400),
  WRONG_SHARD: invalid(400),
  OPERATION_NOT_ALLOWED: invalid(400),
  WALLET_NOT_REGISTERED: invalid(400),
  IDEMPOTENCY_KEY_REQUIRED: invalid(400),
  AUTHENTICATION_REQUIRED: authentication,
  TOKEN_INVALID: authentication,
  TOKEN_EXPIRED: authentication,
  SESSION_REVOKED: authentication,
  CREDENTIALS_INVALID: authentication,
  REFRESH_TOKEN_INVALID: authentication,
  IDEMPOTENCY_KEY_REUSED: { status: 409, type: 'idempotency_error' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, type: 'idempotency_error' },
  RATE_LIMITED: { status: 429, type: 'rate_limit_error' },
  SERVICE_UNAVAILABLE: { status: 503, type: 'api_error' },
  CHAIN_UNAVAILABLE: { status: 503, type: 'api_error' },
  FAUCET_DISABLED: invalid(403),
  // A decline: the code shown is the bank's decline code (meta.cardCode), the message the bank's.
  CARD_ERROR: { status: 402, type: 'card_error' },
  BANK_UNAVAILABLE: { status: 503, type: 'api_error' },
  ORACLE_UNAVAILABLE: { status: 503, type: 'api_error' },
  PURCHASE_LIMIT_EXCEEDED: invalid(403),
  PURCHASE_STATE_INVALID: invalid(400),
  CASHOUT_STATE_INVALID: invalid(400),
  WEBHOOK_URL_INVALID: invalid(400),
  WEBHOOK_ENDPOINT_DISABLED: invalid(400),
  PERMISSION_DENIED: invalid(403),
  INVOICE_STATE_INVALID: invalid(400),
  REFUND_AMOUNT_TOO_LARGE: invalid(400),
  // Chain refusals of the commerce operations (escrow, time locks, multisig, issuer controls).
  ESCROW_NOT_FOUND: invalid(400),
  ESCROW_STATE_INVALID: invalid(400),
  ESCROW_NOT_AUTHORIZED: invalid(400),
  ESCROW_DEADLINE_NOT_REACHED: invalid(400),
  ESCROW_NO_ARBITER: invalid(400),
  ESCROW_SPLIT_INVALID: invalid(400),
  DEADLINE_INVALID: invalid(400),
  AUTHORIZATION_INVALID: invalid(400),
  TIMELOCK_NOT_FOUND: invalid(400),
  TIMELOCK_LOCKED: invalid(400),
  TIMELOCK_UNLOCKED: invalid(400),
  TIMELOCK_NOT_AUTHORIZED: invalid(400),
  TIMELOCK_STATE_INVALID: invalid(400),
  UNLOCK_HEIGHT_INVALID: invalid(400),
  MULTISIG_NOT_FOUND: invalid(400),
  MULTISIG_EXISTS: invalid(400),
  MULTISIG_WRONG_SHARD: invalid(400),
  MULTISIG_OWNERS_INVALID: invalid(400),
  MULTISIG_THRESHOLD_INVALID: invalid(400),
  MULTISIG_SIGNATURES_INSUFFICIENT: invalid(400),
  MULTISIG_NONCE_INVALID: invalid(400),
  ISSUER_CONTROL_DISABLED: invalid(400),
  ISSUER_CONTROL_NONCE_INVALID: invalid(400),
  TOKEN_PAUSED: invalid(400),
  ACCOUNT_FROZEN: invalid(400),
};

/**
 * A refusal the API shows to the caller: a ShardpayError whose `meta.param` names the offending
 * request field.
 *
 * @example throw apiError('PARAMETER_INVALID', 'label is too long', 'label')
 */
export function apiError(code: string, message: string, param?: string): ShardpayError {
  return new ShardpayError(code, message, { meta: param === undefined ? {} : { param } });
}

// JSON-RPC "server error" with which a node refuses a request (docs/devnet.md): its code is the user's.
const nodeRefusalRpcCode = -32000;

/** The HTTP status and the error object for any thrown value; unknown errors become a bare 500. */
export function errorToApiResponse(
  error: unknown,
  requestId: string,
  fallback?: ErrorMapping,
): { status: number; body: ApiErrorBody } {
  if (isShardpayError(error)) {
    const mapping = errorMappings[error.code] ?? fallback;
    if (mapping !== undefined) {
      const param = error.meta.param;
      return {
        status: mapping.status,
        body: {
          error: {
            type: mapping.type,
            code: typeof error.meta.cardCode === 'string' ? error.meta.cardCode : error.code.toLowerCase(),
            message: error.message,
            param: typeof param === 'string' ? param : null,
            request_id: requestId,
          },
        },
      };
    }
    if (error.meta.rpcCode === nodeRefusalRpcCode) {
      // The chain refused the request (BAD_NONCE, INSUFFICIENT_FUNDS…): the caller can act on it.
      return errorToApiResponse(
        new ShardpayError(error.code, error.message, { meta: { param: 'transaction' } }),
        requestId,
        invalid(400),
      );
    }
  }
  const status = httpStatusOf(error);
  if (status === 503)
    return errorToApiResponse(apiError('SERVICE_UNAVAILABLE', 'try again shortly'), requestId);
  if (status >= 400 && status < 500 && error instanceof Error) {
    // A 4xx from Fastify or a plugin that has no code of ours: its message describes the request.
    return errorToApiResponse(apiError('REQUEST_INVALID', error.message), requestId);
  }
  // 5xx details (messages, stacks, SQL) stay in the logs; the caller gets the request id to quote.
  return internalErrorResponse(requestId);
}
