import { isShardpayError, ShardpayError } from '@shardpay/crypto';

/** How a ShardpayError code shows over HTTP: its status and the error object's `type`. */
export interface ErrorMapping<Type extends string> {
  status: number;
  type: Type;
}

/** The error object every refusal of a Shardpay service answers with (PAYMENTS.md "API shape"). */
export interface ServiceErrorBody<Type extends string> {
  error: {
    type: Type | 'api_error';
    code: string;
    message: string;
    param: string | null;
    request_id: string;
  };
}

export type ErrorResponder<Type extends string> = (
  error: unknown,
  requestId: string,
) => { status: number; body: ServiceErrorBody<Type> };

/** The status a thrown value carries (Fastify's and its plugins' errors set `statusCode`), else 500. */
export function httpStatusOf(error: unknown): number {
  if (!(error instanceof Error)) return 500;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : 500;
}

/** The bare 500: details (messages, stacks, SQL) stay in the log under the same request id. */
export function internalErrorResponse(requestId: string): {
  status: 500;
  body: ServiceErrorBody<never>;
} {
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

/**
 * A service's mapping from any thrown value to its HTTP answer: a ShardpayError whose code is in
 * `mappings` shows with its lower-cased code, message and `meta.param`; a 4xx without a code of ours
 * (Fastify's, a plugin's) is `REQUEST_INVALID` with its message; a 503 is `SERVICE_UNAVAILABLE` with
 * `unavailableMessage`; anything else is the bare 500. `mappings` must hold REQUEST_INVALID and
 * SERVICE_UNAVAILABLE.
 *
 * @example const errorToBankResponse = createErrorResponder(bankMappings, 'the bank is shutting down; retry');
 */
export function createErrorResponder<Type extends string>(
  mappings: Readonly<Record<string, ErrorMapping<Type>>>,
  unavailableMessage: string,
): ErrorResponder<Type> {
  const respond: ErrorResponder<Type> = (error, requestId) => {
    if (isShardpayError(error)) {
      const mapping = mappings[error.code];
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
    const status = httpStatusOf(error);
    if (status >= 400 && status < 500 && error instanceof Error) {
      // A 4xx without a code of ours: its message describes the request.
      return respond(new ShardpayError('REQUEST_INVALID', error.message), requestId);
    }
    if (status === 503)
      return respond(new ShardpayError('SERVICE_UNAVAILABLE', unavailableMessage), requestId);
    return internalErrorResponse(requestId);
  };
  return respond;
}
