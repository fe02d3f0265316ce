import { createGatewayClient, type GatewayClient, type GatewayTokens } from '@shardpay/sdk';

/** Where the session's tokens live between page loads of one tab (never localStorage: a tab's session ends with it). */
const TOKENS_KEY = 'shardpay.session';

/** The tokens this tab kept, if any. */
export function readStoredTokens(): GatewayTokens | null {
  try {
    const text = sessionStorage.getItem(TOKENS_KEY);
    if (text === null) return null;
    const parsed = JSON.parse(text) as Partial<GatewayTokens>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
    return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
  } catch {
    return null;
  }
}

/**
 * The gateway client of this page: the API is at the page's own origin (the gateway serves the app;
 * `npm run dev` proxies /v1). Tokens are kept in memory by the client and copied to sessionStorage
 * on every change (log-in, refresh, log-out), so a reload keeps the session.
 */
export function createAppGateway(onSession: (loggedIn: boolean) => void): GatewayClient {
  const stored = readStoredTokens();
  return createGatewayClient({
    url: window.location.origin,
    ...(stored === null ? {} : { accessToken: stored.accessToken, refreshToken: stored.refreshToken }),
    onTokens: (tokens) => {
      if (tokens === null) sessionStorage.removeItem(TOKENS_KEY);
      else sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
      onSession(tokens !== null);
    },
  });
}
