import { isShardpayError, ShardpayError } from '@shardpay/crypto';

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

interface ErrorMapping {
  status: number;
  type: OracleErrorType;
}

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

function statusOf(error: unknown): number {
  if (!(error instanceof Error)) return 500;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : 500;
}

/** The HTTP status and error object for any thrown value; unknown errors become a bare 500. */
export function errorToOracleResponse(
  error: unknown,
  requestId: string,
): { status: number; body: OracleErrorBody } {
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
    return errorToOracleResponse(oracleError('REQUEST_INVALID', error.message), requestId);
  }
  if (status === 503) {
    return errorToOracleResponse(
      oracleError('SERVICE_UNAVAILABLE', 'the oracle is shutting down; retry'),
      requestId,
    );
  }
  // Details stay in the log under the same request id.
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
