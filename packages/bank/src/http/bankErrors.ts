import { isShardpayError, ShardpayError } from '@shardpay/crypto';

/** The error types of the API (PAYMENTS.md "API shape"). */
export type BankErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'card_error'
  | 'idempotency_error'
  | 'api_error';

/** The error object every refusal answers with; card errors add `decline_code` and `payment_intent`. */
export interface BankErrorBody {
  error: {
    type: BankErrorType;
    code: string;
    message: string;
    param: string | null;
    request_id: string;
    decline_code?: string;
    payment_intent?: unknown;
  };
}

interface ErrorMapping {
  status: number;
  type: BankErrorType;
}

const invalid = (status: number): ErrorMapping => ({ status, type: 'invalid_request_error' });
const authentication: ErrorMapping = { status: 401, type: 'authentication_error' };
const idempotency: ErrorMapping = { status: 409, type: 'idempotency_error' };

// The ShardpayError codes the bank shows; anything else is a 500 api_error.
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
  PAYMENT_INTENT_UNEXPECTED_STATE: invalid(400),
  CHARGE_ALREADY_REFUNDED: invalid(400),
  REFUND_AMOUNT_TOO_LARGE: invalid(400),
  BALANCE_INSUFFICIENT: invalid(400),
  ROUTING_NUMBER_INVALID: invalid(400),
  BANK_ACCOUNT_INVALID: invalid(400),
  IDEMPOTENCY_KEY_REQUIRED: invalid(400),
  IDEMPOTENCY_KEY_INVALID: invalid(400),
  IDEMPOTENCY_KEY_REUSED: idempotency,
  IDEMPOTENCY_KEY_IN_USE: idempotency,
  AUTHENTICATION_REQUIRED: authentication,
  API_KEY_INVALID: authentication,
  BANK_UNAVAILABLE: { status: 503, type: 'api_error' },
  SERVICE_UNAVAILABLE: { status: 503, type: 'api_error' },
};

/**
 * A refusal shown to the caller: a ShardpayError whose `meta.param` names the offending field.
 *
 * @example throw bankError('PARAMETER_INVALID', 'amount has more than 2 decimals', 'amount')
 */
export function bankError(code: string, message: string, param?: string): ShardpayError {
  return new ShardpayError(code, message, { meta: param === undefined ? {} : { param } });
}

/** The HTTP status and error object for any thrown value; unknown errors become a bare 500. */
export function errorToBankResponse(
  error: unknown,
  requestId: string,
): { status: number; body: BankErrorBody } {
  if (isShardpayError(error)) {
    const mapping = errorMappings[error.code];
    if (mapping !== undefined) {
      const param = error.meta.param;
      return {
        status: mapping.status,
        body: {
          error: {
            type: mapping.type,
            code: error.code.toLowerCase(),
            message: error.message,
            param: typeof param === 'string' ? param : null,
            request_id: requestId,
          },
        },
      };
    }
  }
  const status = statusOf(error);
  if (status >= 400 && status < 500 && error instanceof Error) {
    // A 4xx from Fastify that has no code of ours: its message describes the request.
    return errorToBankResponse(bankError('REQUEST_INVALID', error.message), requestId);
  }
  if (status === 503) {
    return errorToBankResponse(
      bankError('SERVICE_UNAVAILABLE', 'the bank is shutting down; retry'),
      requestId,
    );
  }
  // Details (messages, stacks, SQL) stay in the log under the same request id.
  return {
    status: 500,
    body: {
      error: {
        type: 'api_error',
        code: 'internal_error',
        message: 'an internal error occurred; quote the request_id when reporting it',
        param: null,
        request_id: requestId,
      },
    },
  };
}

function statusOf(error: unknown): number {
  if (!(error instanceof Error)) return 500;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : 500;
}
