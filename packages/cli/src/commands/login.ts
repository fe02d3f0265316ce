import { ShardpayError } from '@shardpay/crypto';
import { saveSession } from '../home/sessionStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';
import { readSecret } from './readSecret.ts';

const usage = 'shardpay login --email E [--gateway URL] [--json]  (password: SHARDPAY_PASSWORD or a prompt)';

/** `shardpay login`: a session for this gateway, kept (tokens only, never the password) in SHARDPAY_HOME. */
export async function runLoginCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  if (typeof values.email !== 'string') throw new ShardpayError('USAGE', `usage: ${usage}`);
  const email = values.email;
  const gateway = openGateway(values);
  const password = await readSecret({ variable: 'SHARDPAY_PASSWORD', what: 'account password' });
  const session = await gateway.client.logIn({ email, password });
  saveSession(gateway.url, {
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    expiresAt: session.expires_at,
    refreshTokenExpiresAt: session.refresh_token_expires_at,
    email,
    userId: session.user_id,
  });
  output.result(
    { userId: session.user_id, email, gateway: gateway.url, loggedIn: true },
    () => `logged in to ${gateway.url} as ${email}`,
  );
  return 0;
}

export const loginCommand: Command = {
  summary: 'log in to the gateway',
  usage,
  options: { ...gatewayOption, email: { type: 'string' } },
  run: ({ values }, output) => runLoginCommand(values, output),
};
