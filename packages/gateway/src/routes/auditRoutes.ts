import type { Database } from '@shardpay/database';
import type { FastifyInstance } from 'fastify';
import { verifyAuditLog } from '../audit/verifyAuditLog.ts';
import { errorResponseSchema } from '../schemas/commonSchemas.ts';
import { auditVerificationSchema } from '../schemas/rampSchemas.ts';

/**
 * GET /v1/audit/verify: recomputes the audit log's hash chain. Served only in devnet and test modes
 * (there is no admin role yet); in production run `verifyAuditLog` from an operator's script.
 */
export async function auditRoutes(app: FastifyInstance, options: { database: Database }): Promise<void> {
  app.get(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the hash chain of the audit log (devnet/test only)',
        response: { 200: auditVerificationSchema, default: errorResponseSchema },
      },
    },
    async () => {
      const result = await verifyAuditLog(options.database);
      return {
        object: 'audit_verification',
        valid: result.valid,
        rows: result.rows,
        head: result.head,
        first_bad: result.firstBad,
      };
    },
  );
}
