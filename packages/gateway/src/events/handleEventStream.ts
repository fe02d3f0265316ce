import type { WebSocket } from '@fastify/websocket';
import type { Database } from '@shardpay/database';
import type { FastifyBaseLogger } from 'fastify';
import { type AccessTokenSettings, verifyAccessToken } from '../auth/accessTokens.ts';
import { apiError, errorToApiResponse } from '../http/apiErrors.ts';
import type { EventHub } from './createEventHub.ts';

export interface EventStreamSettings {
  database: Database;
  hub: EventHub;
  tokens: AccessTokenSettings;
  now: () => Date;
  log: FastifyBaseLogger;
  requestId: string;
  /** Ping period; a socket that did not answer the previous ping is dropped (default 30 s). */
  heartbeatMs?: number;
  /** How long a socket may stay without its auth message (default 10 s). */
  authTimeoutMs?: number;
  /** Unsent bytes above which a slow reader is dropped (it reconnects with `after`), default 1 MiB. */
  maxBufferedBytes?: number;
}

/** Close codes: 4401 authentication failed, 4400 a bad first message, 1013 too slow (retry later). */
const closeCodes = { unauthenticated: 4401, badRequest: 4400, tooSlow: 1013 } as const;

interface AuthMessage {
  accessToken: string;
  after: string | undefined;
}

function parseAuthMessage(raw: unknown): AuthMessage {
  let message: unknown;
  try {
    message = JSON.parse(String(raw));
  } catch {
    throw apiError('BODY_INVALID', 'the first message must be JSON: {"type":"auth","access_token":"…"}');
  }
  if (message === null || typeof message !== 'object' || (message as { type?: unknown }).type !== 'auth') {
    throw apiError('BODY_INVALID', 'the first message must be {"type":"auth","access_token":"…"}', 'type');
  }
  const { access_token: accessToken, after } = message as { access_token?: unknown; after?: unknown };
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw apiError('AUTHENTICATION_REQUIRED', 'send access_token in the auth message', 'access_token');
  }
  if (after !== undefined && (typeof after !== 'string' || !/^evt_[A-Za-z0-9_-]{22}$/.test(after))) {
    throw apiError('PARAMETER_INVALID', 'after is an event id (evt_…)', 'after');
  }
  return { accessToken, after };
}

/**
 * Serves one WebSocket of GET /v1/events/stream: the first message authenticates
 * (`{"type":"auth","access_token","after"?}`), the server answers `{"type":"ready"}` and then pushes
 * `{"type":"event","event"}` for each of the user's events in order (those after `after` first).
 * A refusal is `{"type":"error","error"}` and a close (4401 for credentials, 4400 otherwise).
 */
export function handleEventStream(socket: WebSocket, settings: EventStreamSettings): void {
  const { database, hub, tokens, now, log } = settings;
  let unsubscribe: (() => void) | undefined;
  let answeredPing = true;

  const send = (message: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(message));
  };
  const refuse = (error: unknown) => {
    const { status, body } = errorToApiResponse(error, settings.requestId);
    if (status >= 500) log.error({ err: error }, 'event stream failed');
    send({ type: 'error', error: body.error });
    socket.close(status === 401 ? closeCodes.unauthenticated : closeCodes.badRequest);
  };

  const authTimer = setTimeout(
    () => refuse(apiError('AUTHENTICATION_REQUIRED', 'send {"type":"auth","access_token":"…"} first')),
    settings.authTimeoutMs ?? 10_000,
  );
  const heartbeat = setInterval(() => {
    if (!answeredPing) {
      socket.terminate();
      return;
    }
    answeredPing = false;
    socket.ping();
  }, settings.heartbeatMs ?? 30_000);
  authTimer.unref();
  heartbeat.unref();
  socket.on('pong', () => {
    answeredPing = true;
  });
  socket.on('close', () => {
    clearTimeout(authTimer);
    clearInterval(heartbeat);
    unsubscribe?.();
  });

  socket.once('message', async (raw) => {
    clearTimeout(authTimer);
    try {
      const { accessToken, after } = parseAuthMessage(raw);
      const claims = await verifyAccessToken(accessToken, tokens, now());
      const session = await database.query<{ revoked_at: Date | null }>(
        'SELECT revoked_at FROM sessions WHERE id = $1 AND user_id = $2',
        [claims.sessionId, claims.userId],
      );
      if (session.rows[0] === undefined || session.rows[0].revoked_at !== null) {
        throw apiError('SESSION_REVOKED', 'this session has ended; log in again');
      }
      let afterSeq: bigint | null = null;
      if (after !== undefined) {
        const found = await database.query<{ seq: bigint }>(
          'SELECT seq FROM events WHERE id = $1 AND user_id = $2',
          [after, claims.userId],
        );
        if (found.rows[0] === undefined) throw apiError('RESOURCE_MISSING', `no event ${after}`, 'after');
        afterSeq = BigInt(found.rows[0].seq);
      }
      if (socket.readyState !== socket.OPEN) return;
      const maxBuffered = settings.maxBufferedBytes ?? 1024 * 1024;
      const subscription = hub.subscribe(claims.userId, afterSeq, (event) => {
        if (socket.bufferedAmount > maxBuffered) {
          socket.close(closeCodes.tooSlow, 'too slow: reconnect with after');
          return;
        }
        send({ type: 'event', event });
      });
      unsubscribe = subscription.unsubscribe;
      // With `after`, the replay comes from the hub's next poll: ready is sent before it. Without, ready
      // waits until the hub has placed the listener, so every event committed after it arrives.
      if (afterSeq === null) await subscription.live;
      send({ type: 'ready' });
    } catch (error) {
      refuse(error);
    }
  });
}
