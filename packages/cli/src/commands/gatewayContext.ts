import { ShardpayError } from '@shardpay/crypto';
import { type NetworkConfig, networkConfigFromJson } from '@shardpay/protocol';
import { createGatewayClient, type GatewayClient, type GatewayNetwork } from '@shardpay/sdk';
import { loadSession, type StoredSession, saveSession } from '../home/sessionStore.ts';

/** The flag every gateway command takes. */
export const gatewayOption = { gateway: { type: 'string' } } as const;

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

/** `--gateway URL`, else SHARDPAY_GATEWAY, else http://127.0.0.1:8080; without a trailing slash. */
export function gatewayUrlOf(values: Record<string, string | boolean | undefined>): string {
  const given = typeof values.gateway === 'string' ? values.gateway : process.env.SHARDPAY_GATEWAY;
  const url = (given || DEFAULT_GATEWAY_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw new ShardpayError('USAGE', `--gateway takes an http(s) URL such as ${DEFAULT_GATEWAY_URL}`, {
      meta: { flag: 'gateway' },
    });
  }
  return url;
}

export interface OpenedGateway {
  client: GatewayClient;
  url: string;
  /** The login kept for this gateway, if any. */
  session: StoredSession | undefined;
}

/**
 * A gateway client for the URL of the flags, holding the session kept for that URL (if any); refreshed
 * tokens are written back at once.
 */
export function openGateway(values: Record<string, string | boolean | undefined>): OpenedGateway {
  const url = gatewayUrlOf(values);
  let session = loadSession(url);
  const client = createGatewayClient({
    url,
    ...(session ? { accessToken: session.accessToken, refreshToken: session.refreshToken } : {}),
    onTokens(tokens) {
      if (tokens === null) {
        session = undefined;
        saveSession(url, undefined);
      } else if (session) {
        session = { ...session, ...tokens };
        saveSession(url, session);
      }
    },
  });
  return { client, url, session };
}

/** AUTHENTICATION_REQUIRED (saying how to log in) unless a session is kept for this gateway. */
export function assertLoggedIn(gateway: OpenedGateway): StoredSession {
  if (!gateway.session) {
    throw new ShardpayError(
      'AUTHENTICATION_REQUIRED',
      `not logged in to ${gateway.url}: run shardpay login --email EMAIL (or shardpay signup --email EMAIL)`,
      { meta: { type: 'authentication_error' } },
    );
  }
  return gateway.session;
}

/** The gateway's network: its public summary and its genesis (to compute shards and sign locally). */
export async function fetchNetwork(
  client: GatewayClient,
): Promise<{ info: GatewayNetwork; network: NetworkConfig }> {
  const info = await client.network();
  if (info.network_config === undefined) {
    throw new ShardpayError(
      'GATEWAY_RESPONSE_INVALID',
      `the gateway at ${client.url} does not publish its genesis (network_config in GET /v1/network)`,
      { meta: { type: 'api_error' } },
    );
  }
  return { info, network: networkConfigFromJson(info.network_config) };
}
