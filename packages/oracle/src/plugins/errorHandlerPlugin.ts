import { isShardpayError } from '@shardpay/crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorToOracleResponse, oracleError } from '../http/oracleErrors.ts';
import { markAsAppPlugin } from './markAsAppPlugin.ts';

interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function joinParam(instancePath: string, child?: unknown): string | undefined {
  const parts = instancePath.split('/').filter((part) => part !== '');
  if (typeof child === 'string') parts.push(child);
  return parts.length === 0 ? undefined : parts.join('.');
}

/** Turns Ajv's first validation error into a coded refusal that names the field. */
function validationError(error: FastifyError) {
  const first = (error.validation as AjvErrorLike[] | undefined)?.[0];
  const where = error.validationContext ?? 'body';
  if (first === undefined) return oracleError('PARAMETER_INVALID', `invalid ${where}`);
  if (first.keyword === 'required') {
    const param = joinParam(first.instancePath, first.params.missingProperty);
    return oracleError('PARAMETER_MISSING', `missing required parameter: ${param}`, param);
  }
  if (first.keyword === 'additionalProperties') {
    const param = joinParam(first.instancePath, first.params.additionalProperty);
    return oracleError('PARAMETER_UNKNOWN', `unknown parameter: ${param}`, param);
  }
  const param = joinParam(first.instancePath);
  return oracleError(
    'PARAMETER_INVALID',
    `invalid ${param ?? where}: ${first.message ?? 'does not match its schema'}`,
    param,
  );
}

/** Maps Fastify's own request errors (body parsing, size, media type) onto coded refusals. */
function fastifyErrorToOracleError(error: FastifyError): unknown {
  if (error.validation !== undefined) return validationError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return oracleError('BODY_TOO_LARGE', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return oracleError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return oracleError('BODY_INVALID', 'the request body is not valid JSON');
    default:
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return oracleError('BODY_INVALID', 'the request body is not valid JSON');
      }
      return error;
  }
}

/**
 * The single error handler and not-found handler: every failure answers
 * `{error:{type, code, message, param, request_id}}`; 5xx details are logged, never sent.
 */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const translated = isShardpayError(error) ? error : fastifyErrorToOracleError(error);
    const { status, body } = errorToOracleResponse(translated, request.id);
    if (status >= 500 && !isShardpayError(translated)) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorToOracleResponse(
      oracleError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request.id,
    );
    return reply.code(status).send(body);
  });
}

export const errorHandler = markAsAppPlugin(errorHandlerPlugin, 'oracle-error-handler');
