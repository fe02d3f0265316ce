import { isShardpayError } from '@shardpay/crypto';
import { type AjvErrorLike, markAsAppPlugin, translateFastifyError } from '@shardpay/service';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseFiatAmount } from '../fiatAmount.ts';
import { bankError, errorToBankResponse } from '../http/bankErrors.ts';

/** The bank's reading of a validation error: what is wrong with a fiat amount, naming the field. */
function refineBankValidation(error: AjvErrorLike, param: string | undefined): unknown {
  if (error.keyword !== 'format' || error.params.format !== 'fiat-amount' || typeof error.data !== 'string') {
    return undefined;
  }
  try {
    parseFiatAmount(error.data, param);
    return undefined;
  } catch (refusal) {
    return refusal;
  }
}

/**
 * The single error handler and not-found handler: every failure answers
 * `{error:{type, code, message, param, request_id}}`; 5xx details are logged, never sent. A refusal
 * by a handler that holds an idempotency claim is stored for its replays (see idempotencyPlugin).
 */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const translated = isShardpayError(error)
      ? error
      : translateFastifyError(error, bankError, { refineValidation: refineBankValidation });
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
