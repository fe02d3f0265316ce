import { randomBytes } from 'node:crypto';
import {
  addressFromPublicKey,
  bytesToHex,
  decodeAddress,
  encodeAddress,
  equalBytes,
  hexToBytes,
  verifyHash,
} from '@shardpay/crypto';
import { walletChallengeSigningHash } from '@shardpay/protocol';
import type { FastifyInstance } from 'fastify';
import { type GatewayContext, toUnixSeconds } from '../GatewayContext.ts';
import { apiError } from '../http/apiErrors.ts';
import { type ListQuery, listPage } from '../http/listPage.ts';
import { createId } from '../ids.ts';
import {
  bearerSecurity,
  errorResponseSchema,
  idempotencyHeaderSchema,
  listQuerySchema,
} from '../schemas/commonSchemas.ts';
import {
  type CreateWalletBody,
  createWalletBodySchema,
  walletChallengeObjectSchema,
  walletListSchema,
  walletObjectSchema,
} from '../schemas/walletSchemas.ts';
import { walletChallengeMessage } from '../walletChallenge.ts';

const challengeTtlMs = 5 * 60 * 1000;
const walletIdPattern = '^wal_[A-Za-z0-9_-]{22}$';
const walletColumns = 'id, seq, address, public_key, label, keystore, created_at';

interface WalletRow {
  id: string;
  seq: bigint;
  address: string;
  public_key: string;
  label: string | null;
  keystore: Record<string, unknown> | null;
  created_at: Date;
}

function walletToJson(row: WalletRow, withKeystore: boolean) {
  return {
    id: row.id,
    object: 'wallet',
    address: row.address,
    public_key: row.public_key,
    label: row.label,
    has_keystore: row.keystore !== null,
    ...(withKeystore ? { keystore: row.keystore } : {}),
    created: toUnixSeconds(new Date(row.created_at)),
  };
}

/** Checks that `address` is this network's bech32m form of sha256(publicKey)[0..20]. */
function assertAddressMatchesKey(address: string, publicKeyHex: string, prefix: string): Uint8Array {
  let addressBytes: Uint8Array;
  try {
    addressBytes = decodeAddress(address, prefix);
  } catch (error) {
    throw apiError(
      'ADDRESS_INVALID',
      `address is not a valid ${prefix}1… address: ${error instanceof Error ? error.message : ''}`,
      'address',
    );
  }
  const publicKey = hexToBytes(publicKeyHex);
  let derived: Uint8Array;
  try {
    derived = addressFromPublicKey(publicKey);
  } catch {
    throw apiError('KEY_INVALID', 'public_key is not a compressed secp256k1 public key', 'public_key');
  }
  if (!equalBytes(derived, addressBytes)) {
    throw apiError(
      'ADDRESS_KEY_MISMATCH',
      `address does not belong to public_key (expected ${encodeAddress(derived, prefix)})`,
      'address',
    );
  }
  return publicKey;
}

/** POST /v1/wallet_challenges, POST /v1/wallets, GET /v1/wallets, GET /v1/wallets/:id. */
export async function walletRoutes(app: FastifyInstance, context: GatewayContext): Promise<void> {
  const { database, now, config } = context;

  app.post(
    '/v1/wallet_challenges',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: 'A one-time message to sign with a wallet key before registering it (valid 5 minutes)',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        response: { 201: walletChallengeObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'optional' },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const id = createId('wch');
      const nonce = randomBytes(16).toString('hex');
      const at = now();
      const expiresAt = new Date(at.getTime() + challengeTtlMs);
      await database.query(
        'INSERT INTO wallet_challenges (id, user_id, nonce, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [id, userId, nonce, at.toISOString(), expiresAt.toISOString()],
      );
      return reply.code(201).send({
        id,
        object: 'wallet_challenge',
        message: walletChallengeMessage(id, userId, nonce),
        expires_at: toUnixSeconds(expiresAt),
      });
    },
  );

  app.post<{ Body: CreateWalletBody }>(
    '/v1/wallets',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: 'Register a wallet by address and public key (never a private key)',
        security: bearerSecurity,
        headers: idempotencyHeaderSchema,
        body: createWalletBodySchema,
        response: { 201: walletObjectSchema, default: errorResponseSchema },
      },
      config: { idempotency: 'optional' },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      const body = request.body;
      const publicKey = assertAddressMatchesKey(body.address, body.public_key, config.addressPrefix);
      if (body.keystore?.address !== undefined && body.keystore.address !== body.address) {
        throw apiError('KEYSTORE_INVALID', 'keystore.address differs from address', 'keystore.address');
      }
      const at = now();
      const row = await database.transaction(async (tx) => {
        const challenge = await tx.query<{ nonce: string; expires_at: Date; used_at: Date | null }>(
          'SELECT nonce, expires_at, used_at FROM wallet_challenges WHERE id = $1 AND user_id = $2 FOR UPDATE',
          [body.challenge_id, userId],
        );
        const found = challenge.rows[0];
        if (found === undefined || found.used_at !== null || new Date(found.expires_at) <= at) {
          throw apiError(
            'CHALLENGE_INVALID',
            'challenge_id is unknown, used or expired; ask POST /v1/wallet_challenges for a new one',
            'challenge_id',
          );
        }
        const hash = walletChallengeSigningHash(
          walletChallengeMessage(body.challenge_id, userId, found.nonce),
        );
        if (!verifyHash(hexToBytes(body.signature), hash, publicKey)) {
          throw apiError(
            'SIGNATURE_INVALID',
            'signature does not sign the challenge with public_key',
            'signature',
          );
        }
        await tx.query('UPDATE wallet_challenges SET used_at = $2 WHERE id = $1', [
          body.challenge_id,
          at.toISOString(),
        ]);
        const inserted = await tx.query<WalletRow>(
          `INSERT INTO wallets (id, user_id, address, public_key, label, keystore, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (address) DO NOTHING
           RETURNING id, seq, address, public_key, label, keystore, created_at`,
          [
            createId('wal'),
            userId,
            body.address,
            bytesToHex(publicKey),
            body.label ?? null,
            body.keystore === undefined ? null : JSON.stringify(body.keystore),
            at.toISOString(),
          ],
        );
        const wallet = inserted.rows[0];
        if (wallet === undefined) {
          throw apiError('WALLET_EXISTS', 'this address is already registered', 'address');
        }
        return wallet;
      });
      return reply.code(201).send(walletToJson(row, false));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/wallets',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: "The caller's wallets, newest first",
        security: bearerSecurity,
        querystring: listQuerySchema(walletIdPattern),
        response: { 200: walletListSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const page = await listPage<WalletRow>(
        database,
        'wallets',
        walletColumns,
        request.user!.id,
        request.query,
      );
      return {
        object: 'list',
        data: page.rows.map((row) => walletToJson(row, false)),
        has_more: page.hasMore,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/wallets/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['wallets'],
        summary: 'One wallet, with its encrypted keystore backup if one was stored',
        security: bearerSecurity,
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: walletIdPattern } },
        },
        response: { 200: walletObjectSchema, default: errorResponseSchema },
      },
    },
    async (request) => {
      const result = await database.query<WalletRow>(
        `SELECT id, seq, address, public_key, label, keystore, created_at FROM wallets
          WHERE id = $1 AND user_id = $2`,
        [request.params.id, request.user!.id],
      );
      const row = result.rows[0];
      if (row === undefined) throw apiError('RESOURCE_MISSING', `no wallet ${request.params.id}`, 'id');
      return walletToJson(row, true);
    },
  );
}
