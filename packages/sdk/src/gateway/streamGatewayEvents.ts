import type { GatewayTransport } from './createGatewayTransport.ts';
import { GatewayError, gatewayErrorFromBody } from './GatewayError.ts';
import type { GatewayEvent } from './gatewayTypes.ts';

export interface StreamEventsParameters {
  /** Replay the events after this `evt_…` id first. */
  after?: string;
  onEvent: (event: GatewayEvent) => void;
  /** A refusal (bad token: the stream stops) or a dropped connection (it reconnects). */
  onError?: (error: GatewayError) => void;
  /** The server accepted the token and will push from now on (after each (re)connection). */
  onReady?: () => void;
  /** Reconnect after a dropped connection, resuming after the last event seen (default true). */
  reconnect?: boolean;
}

/** Stops the stream; no callback runs after it. */
export interface EventStream {
  close(): void;
}

// The server closes with 4401 when the token is bad or expired.
const closeUnauthorized = 4401;
const maxReconnectDelayMs = 5000;

function websocketUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/v1/events/stream`;
}

function streamError(code: string, message: string): GatewayError {
  return new GatewayError(code, message, { status: 0, type: 'api_error', param: null, requestId: null });
}

/**
 * Follows the caller's events over the gateway's WebSocket (`/v1/events/stream`): authenticates with
 * the access token, then calls `onEvent` for each event in order. Reconnects after a drop, asking
 * only for events after the last one seen, and refreshes an expired token once per connection.
 */
export function streamGatewayEvents(
  transport: GatewayTransport,
  parameters: StreamEventsParameters,
): EventStream {
  let lastId = parameters.after;
  let closed = false;
  let socket: WebSocket | undefined;
  let reconnectDelayMs = 250;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshedForThisConnection = false;

  const reportError = (error: GatewayError) => {
    if (!closed) parameters.onError?.(error);
  };

  function scheduleReconnect(): void {
    if (closed || parameters.reconnect === false) return;
    reconnectTimer = setTimeout(connect, reconnectDelayMs);
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, maxReconnectDelayMs);
  }

  function connect(): void {
    if (closed) return;
    const token = transport.tokens()?.accessToken;
    if (!token) {
      reportError(
        new GatewayError('AUTHENTICATION_REQUIRED', 'the event stream needs a logged-in client', {
          status: 0,
          type: 'authentication_error',
          param: null,
          requestId: null,
        }),
      );
      return;
    }
    let refused: GatewayError | undefined;
    const current = new WebSocket(websocketUrl(transport.url));
    socket = current;
    current.addEventListener('open', () => {
      current.send(
        JSON.stringify({ type: 'auth', access_token: token, ...(lastId ? { after: lastId } : {}) }),
      );
    });
    current.addEventListener('message', (message) => {
      if (closed) return;
      let frame: { type?: unknown; event?: GatewayEvent; error?: unknown };
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        reportError(
          streamError('GATEWAY_RESPONSE_INVALID', 'the event stream sent a frame that is not JSON'),
        );
        return;
      }
      if (frame.type === 'ready') {
        reconnectDelayMs = 250;
        refreshedForThisConnection = false;
        parameters.onReady?.();
      } else if (frame.type === 'event' && frame.event && typeof frame.event.id === 'string') {
        lastId = frame.event.id;
        parameters.onEvent(frame.event);
      } else if (frame.type === 'error') {
        refused = gatewayErrorFromBody(401, frame, null);
      }
    });
    current.addEventListener('close', (event) => {
      if (closed || socket !== current) return;
      if (event.code === closeUnauthorized) {
        const error = refused ?? streamError('TOKEN_INVALID', 'the gateway refused the access token');
        if (
          error.code === 'TOKEN_EXPIRED' &&
          !refreshedForThisConnection &&
          transport.tokens()?.refreshToken
        ) {
          refreshedForThisConnection = true;
          transport
            .refresh()
            .then(connect, (refreshError: unknown) =>
              reportError(
                refreshError instanceof GatewayError
                  ? refreshError
                  : streamError('GATEWAY_UNREACHABLE', 'refreshing the access token failed'),
              ),
            );
          return;
        }
        reportError(error);
        return;
      }
      reportError(
        streamError(
          'GATEWAY_UNREACHABLE',
          `the event stream closed (code ${event.code})${parameters.reconnect === false ? '' : '; reconnecting'}`,
        ),
      );
      scheduleReconnect();
    });
  }

  connect();
  return {
    close() {
      closed = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      socket?.close(1000);
    },
  };
}
