import { ShardpayError } from '@shardpay/crypto';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorMapping as ServiceErrorMapping,
} from '@shardpay/service';

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

type ErrorMapping = ServiceErrorMapping<BankErrorType>;

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
export const errorToBankResponse: ErrorResponder<BankErrorType> = createErrorResponder(
  errorMappings,
  'the bank is shutting down; retry',
);
