import { ShardpayError } from '@shardpay/crypto';
import { saveSession } from '../home/sessionStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';
import { readSecret } from './readSecret.ts';

const usage = 'shardpay signup --email E [--gateway URL] [--json]  (password: SHARDPAY_PASSWORD or a prompt)';

/** The gateway's rule: 10 to 256 characters. */
const MIN_PASSWORD_LENGTH = 10;

/** `shardpay signup`: creates a gateway account, then logs in (the session is kept in SHARDPAY_HOME). */
export async function runSignupCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  if (typeof values.email !== 'string') throw new ShardpayError('USAGE', `usage: ${usage}`);
  const email = values.email;
  const gateway = openGateway(values);
  const password = await readSecret({
    variable: 'SHARDPAY_PASSWORD',
    what: 'new account password',
    confirm: true,
    minLength: MIN_PASSWORD_LENGTH,
  });
  const user = await gateway.client.signUp({ email, password });
  const session = await gateway.client.logIn({ email, password });
  saveSession(gateway.url, {
    accessToken: session.access_token,
    refreshToken: session.refresh_token,
    expiresAt: session.expires_at,
    refreshTokenExpiresAt: session.refresh_token_expires_at,
    email: user.email,
    userId: user.id,
  });
  output.result(
    { id: user.id, email: user.email, gateway: gateway.url, loggedIn: true },
    () => `signed up and logged in to ${gateway.url} as ${user.email} (${user.id})`,
  );
  return 0;
}

export const signupCommand: Command = {
  summary: 'create an account on the gateway (and log in)',
  usage,
  options: { ...gatewayOption, email: { type: 'string' } },
  run: ({ values }, output) => runSignupCommand(values, output),
};
