import { isShardpayError } from '@shardpay/crypto';
import { loadOracleConfig } from './config.ts';
import { createOracleServer, type OracleServer } from './createOracleServer.ts';

/**
 * `shardpay-oracle`: reads its configuration from the environment (docs/oracle.md), opens and
 * migrates its database, resumes its delivery worker, listens, and stops gracefully on
 * SIGTERM/SIGINT — or when the devnet supervisor that started it (over an IPC channel) goes away.
 * Resolves with the exit code: 0 after a clean stop, 1 when it cannot start (bad configuration,
 * port taken).
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let server: OracleServer;
  try {
    server = await createOracleServer(await loadOracleConfig(env));
  } catch (error) {
    const reason = isShardpayError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`shardpay-oracle: cannot start: ${reason}\n`);
    return 1;
  }
  server.app.log.info({ url: server.url, sandbox: true }, 'delivery oracle sandbox listening');

  const reason = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    if (process.channel) {
      process.once('disconnect', () => resolve('supervisor_gone'));
      process.channel.unref();
    }
  });
  server.app.log.info({ reason }, 'shutting down');
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
