import { ShardpayError } from '@shardpay/crypto';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorMapping as ServiceErrorMapping,
} from '@shardpay/service';

/** The error types of the API (the bank sandbox's and the gateway's shape). */
export type OracleErrorType = 'invalid_request_error' | 'authentication_error' | 'api_error';

/** The error object every refusal answers with. */
export interface OracleErrorBody {
  error: {
    type: OracleErrorType;
    code: string;
    message: string;
    param: string | null;
    request_id: string;
  };
}

type ErrorMapping = ServiceErrorMapping<OracleErrorType>;

const invalid = (status: number): ErrorMapping => ({ status, type: 'invalid_request_error' });
const authentication: ErrorMapping = { status: 401, type: 'authentication_error' };
const unavailable: ErrorMapping = { status: 503, type: 'api_error' };

// The ShardpayError codes the oracle shows; anything else is a 500 api_error.
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
  ESCROW_NOT_FOUND: invalid(404),
  ESCROW_NOT_AUTHORIZED: invalid(400),
  ESCROW_STATE_INVALID: invalid(409),
  AUTHENTICATION_REQUIRED: authentication,
  API_KEY_INVALID: authentication,
  CHAIN_UNAVAILABLE: unavailable,
  NODE_UNREACHABLE: unavailable,
  SERVICE_UNAVAILABLE: unavailable,
};

/**
 * A refusal shown to the caller: a ShardpayError whose `meta.param` names the offending field.
 *
 * @example throw oracleError('RESOURCE_MISSING', 'no such shipment', 'id')
 */
export function oracleError(code: string, message: string, param?: string): ShardpayError {
  return new ShardpayError(code, message, { meta: param === undefined ? {} : { param } });
}

/** The HTTP status and error object for any thrown value; unknown errors become a bare 500. */
export const errorToOracleResponse: ErrorResponder<OracleErrorType> = createErrorResponder(
  errorMappings,
  'the oracle is shutting down; retry',
);
