import { isShardpayError } from '@shardpay/crypto';
import { saveSession } from '../home/sessionStore.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { gatewayOption, openGateway } from './gatewayContext.ts';

const usage = 'shardpay logout [--gateway URL] [--json]';

/** `shardpay logout`: ends the session on the gateway and forgets its tokens. */
export async function runLogoutCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  const gateway = openGateway(values);
  const wasLoggedIn = gateway.session !== undefined;
  if (wasLoggedIn) {
    try {
      await gateway.client.logOut();
    } catch (error) {
      // An expired or revoked session is as good as ended; anything else (unreachable…) is said.
      if (!isShardpayError(error) || error.meta.type !== 'authentication_error') {
        output.progress(`warning: the gateway did not confirm the log-out (${(error as Error).message})`);
      }
    }
    saveSession(gateway.url, undefined);
  }
  output.result({ gateway: gateway.url, loggedOut: true, wasLoggedIn }, () =>
    wasLoggedIn ? `logged out of ${gateway.url}` : `not logged in to ${gateway.url}`,
  );
  return 0;
}

export const logoutCommand: Command = {
  summary: 'log out of the gateway',
  usage,
  options: { ...gatewayOption },
  run: ({ values }, output) => runLogoutCommand(values, output),
};
