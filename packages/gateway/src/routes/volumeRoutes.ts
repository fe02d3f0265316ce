import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { merchantVolume, type VolumeInterval } from '../merchants/merchantVolume.ts';
import { bearerSecurity, errorResponseSchema } from '../schemas/commonSchemas.ts';
import { merchantIdPattern } from '../schemas/merchantSchemas.ts';
import { volumeObjectSchema, volumeQuerySchema } from '../schemas/shopSchemas.ts';

const merchantParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: merchantIdPattern } },
} as const;

/**
 * The merchant dashboard's volume chart (docs/gateway.md "Merchants and invoices"), with the owner's
 * access token: settled invoices and refunds per hour or day, every period present.
 */
export async function volumeRoutes(app: FastifyInstance, options: GatewayContext): Promise<void> {
  const { database, now } = options;

  app.get<{ Params: { id: string }; Querystring: { interval?: VolumeInterval; periods?: string } }>(
    '/v1/merchants/:id/volume',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['merchants'],
        summary: 'Settled and refunded volume per hour or day, oldest first (owner)',
        security: bearerSecurity,
        params: merchantParams,
        querystring: volumeQuerySchema,
        response: { 200: volumeObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const owned = await database.query('SELECT 1 FROM merchants WHERE id = $1 AND user_id = $2', [
        request.params.id,
        request.user!.id,
      ]);
      if (owned.rows.length === 0)
        throw apiError('RESOURCE_MISSING', `no merchant ${request.params.id}`, 'id');
      const interval = request.query.interval ?? 'hour';
      const periods = Number(request.query.periods ?? '24');
      return {
        object: 'volume',
        interval,
        currency: 'usd',
        data: await merchantVolume(database, request.params.id, interval, periods, now()),
      };
    },
  );
}
