import { isShardpayError } from '@shardpay/crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseFiatAmount } from '../fiatAmount.ts';
import { bankError, errorToBankResponse } from '../http/bankErrors.ts';
import { markAsAppPlugin } from './markAsAppPlugin.ts';

interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** The refused value (Ajv runs with `verbose`). */
  data?: unknown;
}

function joinParam(instancePath: string, child?: unknown): string | undefined {
  const parts = instancePath.split('/').filter((part) => part !== '');
  if (typeof child === 'string') parts.push(child);
  return parts.length === 0 ? undefined : parts.join('.');
}

/** Turns Ajv's first validation error into a coded refusal that names the field. */
function validationErrorToBankError(error: FastifyError) {
  const first = (error.validation as AjvErrorLike[] | undefined)?.[0];
  const where = error.validationContext ?? 'body';
  if (first === undefined) return bankError('PARAMETER_INVALID', `invalid ${where}`);
  if (first.keyword === 'required') {
    const param = joinParam(first.instancePath, first.params.missingProperty);
    return bankError('PARAMETER_MISSING', `missing required parameter: ${param}`, param);
  }
  if (first.keyword === 'additionalProperties') {
    const param = joinParam(first.instancePath, first.params.additionalProperty);
    return bankError('PARAMETER_UNKNOWN', `unknown parameter: ${param}`, param);
  }
  const param = joinParam(first.instancePath);
  if (first.keyword === 'format' && first.params.format === 'fiat-amount' && typeof first.data === 'string') {
    // Says what is wrong with the amount (decimals, zero, negative, too large), naming the field.
    try {
      parseFiatAmount(first.data, param);
    } catch (error) {
      return error;
    }
  }
  return bankError(
    'PARAMETER_INVALID',
    `invalid ${param ?? where}: ${first.message ?? 'does not match its schema'}`,
    param,
  );
}

/** Maps Fastify's own request errors (body parsing, size, media type) onto coded refusals. */
export function fastifyErrorToBankError(error: FastifyError): unknown {
  if (error.validation !== undefined) return validationErrorToBankError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bankError('BODY_TOO_LARGE', 'the request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return bankError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return bankError('BODY_INVALID', 'the request body is not valid JSON');
    default:
      if (error instanceof SyntaxError && error.statusCode === 400) {
        return bankError('BODY_INVALID', 'the request body is not valid JSON');
      }
      return error;
  }
}

/**
 * The single error handler and not-found handler: every failure answers
 * `{error:{type, code, message, param, request_id}}`; 5xx details are logged, never sent. A refusal
 * by a handler that holds an idempotency claim is stored for its replays (see idempotencyPlugin).
 */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const translated = isShardpayError(error) ? error : fastifyErrorToBankError(error);
    const { status, body } = errorToBankResponse(translated, request.id);
    const text = JSON.stringify(body);
    // A coded 5xx (the flaky test bank) is expected behaviour, not a fault: no stack in the log.
    if (status >= 500 && !isShardpayError(translated)) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    await request.bankIdempotency.recordRefusal(status, text);
    return reply.code(status).type('application/json; charset=utf-8').send(text);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorToBankResponse(
      bankError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request.id,
    );
    return reply.code(status).send(body);
  });
}

export const errorHandler = markAsAppPlugin(errorHandlerPlugin, 'bank-error-handler');
