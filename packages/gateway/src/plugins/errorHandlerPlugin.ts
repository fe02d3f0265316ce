import { isShardpayError } from '@shardpay/crypto';
import { markAsAppPlugin, translateFastifyError } from '@shardpay/service';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, errorToApiResponse } from '../http/apiErrors.ts';

/**
 * The single error handler and not-found handler: every failure answers
 * `{error:{type, code, message, param, request_id}}`; 5xx details are logged, never sent.
 */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const translated = isShardpayError(error) ? error : translateFastifyError(error, apiError);
    const { status, body } = errorToApiResponse(translated, request.id);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorToApiResponse(
      apiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request.id,
    );
    return reply.code(status).send(body);
  });
}

export const errorHandler = markAsAppPlugin(errorHandlerPlugin, 'shardpay-error-handler');
