import type { FastifyInstance } from 'fastify';
import type { RampServices } from '../ramp/RampServices.ts';
import { readReserves, reservesToJson } from '../ramp/readReserves.ts';
import { errorResponseSchema } from '../schemas/commonSchemas.ts';
import { reservesObjectSchema } from '../schemas/rampSchemas.ts';

/** GET /v1/reserves (public): the supply per shard and in total against the bank's reserve. */
export async function reserveRoutes(app: FastifyInstance, options: { ramp: RampServices }): Promise<void> {
  app.get(
    '/v1/reserves',
    {
      schema: {
        tags: ['reserves'],
        summary: 'Stablecoin supply (from every shard) against the bank reserve, and whether they match',
        response: { 200: reservesObjectSchema, default: errorResponseSchema },
      },
    },
    async () => reservesToJson(await readReserves(options.ramp)),
  );
}
