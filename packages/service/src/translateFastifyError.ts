import type { FastifyError } from 'fastify';

/** The codes a request error of Fastify's own (validation, body parsing) is translated to. */
export type RequestErrorCode =
  | 'PARAMETER_INVALID'
  | 'PARAMETER_MISSING'
  | 'PARAMETER_UNKNOWN'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_INVALID';

/** Builds a service's own coded refusal (the gateway's apiError, the bank's bankError…). */
export type RequestErrorFactory = (code: RequestErrorCode, message: string, param?: string) => unknown;

/** One Ajv validation error as Fastify hands it over (with `data` when Ajv runs with `verbose`). */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
}

export interface TranslateFastifyErrorOptions {
  /**
   * A service's own reading of a validation error (e.g. the bank explaining what is wrong with an
   * amount); its answer replaces the generic PARAMETER_INVALID when it returns one.
   */
  refineValidation?: (error: AjvErrorLike, param: string | undefined) => unknown;
}

/** The dotted path of a field (`card.number`), or undefined for the body itself. */
function joinParam(instancePath: string, child?: unknown): string | undefined {
  const parts = instancePath.split('/').filter((part) => part !== '');
  if (typeof child === 'string') parts.push(child);
  return parts.length === 0 ? undefined : parts.join('.');
}

/** Ajv's first validation error as a coded refusal that names the field. */
function translateValidationError(
  error: FastifyError,
  makeError: RequestErrorFactory,
  options: TranslateFastifyErrorOptions,
): unknown {
  const first = (error.validation as AjvErrorLike[] | undefined)?.[0];
  const where = error.validationContext ?? 'body';
  if (first === undefined) return makeError('PARAMETER_INVALID', `invalid ${where}`);
  if (first.keyword === 'required') {
    const param = joinParam(first.instancePath, first.params.missingProperty);
    return makeError('PARAMETER_MISSING', `missing required parameter: ${param}`, param);
  }
  if (first.keyword === 'additionalProperties') {
    const param = joinParam(first.instancePath, first.params.additionalProperty);
    return makeError('PARAMETER_UNKNOWN', `unknown parameter: ${param}`, param);
  }
  const param = joinParam(first.instancePath);
  const refined = options.refineValidation?.(first, param);
  if (refined !== undefined) return refined;
  return makeError(
    'PARAMETER_INVALID',
    `invalid ${param ?? where}: ${first.message ?? 'does not match its schema'}`,
    param,
  );
}

/**
 * Maps Fastify's own request errors (schema validation, body size, media type, JSON parsing) onto a
 * service's coded refusals, so every service answers them alike; anything else comes back unchanged
 * (the error handler then treats it as a fault).
 */
export function translateFastifyError(
  error: FastifyError,
  makeError: RequestErrorFactory,
  options: TranslateFastifyErrorOptions = {},
): unknown {
  if (error.validation !== undefined) return translateValidationError(error, makeError, options);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return makeError('BODY_TOO_LARGE', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return makeError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return makeError('BODY_INVALID', 'the request body is not valid JSON');
    default:
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return makeError('BODY_INVALID', 'the request body is not valid JSON');
      }
      return error;
  }
}
