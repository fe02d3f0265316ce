import { isShardpayError } from '@shardpay/crypto';
import { loadGatewayConfig } from './config.ts';
import { createGatewayServer } from './createGatewayServer.ts';

/**
 * `shardpay-gateway`: reads its configuration from the environment (docs/gateway.md), opens and
 * migrates the database, listens, and stops gracefully on SIGTERM/SIGINT — or when the devnet
 * supervisor that started it (over an IPC channel) goes away. Resolves with the exit code: 0 after a
 * clean stop, 1 when it cannot start (bad configuration, no node answering, port taken).
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let server: Awaited<ReturnType<typeof createGatewayServer>>;
  try {
    server = await createGatewayServer(loadGatewayConfig(env));
  } catch (error) {
    const reason = isShardpayError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`shardpay-gateway: cannot start: ${reason}\n`);
    return 1;
  }
  server.app.log.info({ url: server.url }, 'gateway listening');

  const reason = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    if (process.channel) {
      process.once('disconnect', () => resolve('supervisor_gone'));
      process.channel.unref();
    }
  });
  server.app.log.info({ reason }, 'shutting down');
  // A second signal while closing means "now".
  const forceExit = () => process.exit(1);
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);
  try {
    await server.close();
    return 0;
  } catch (error) {
    server.app.log.error({ err: error }, 'shutdown failed');
    return 1;
  }
}
