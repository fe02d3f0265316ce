import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { DEVNET_DEFAULTS } from '../devnet/openDevnet.ts';
import { type DemoShop, seedDemoShop } from '../devnet/seedDemoShop.ts';
import { type DevnetEvent, type RunningDevnet, startDevnet } from '../devnet/startDevnet.ts';
import { devnetWebDir } from '../devnet/startDevnetGateway.ts';
import type { Command } from '../main.ts';
import type { Output } from '../output.ts';
import { parseCountFlag } from './parseCountFlag.ts';

const serviceName = { gateway: 'gateway', bank: 'bank sandbox', oracle: 'delivery oracle sandbox' } as const;

function describeEvent(event: DevnetEvent): string | undefined {
  switch (event.type) {
    case 'generated':
      return `generated a new devnet in ${event.dir}: ${event.shards} shards × ${event.validatorsPerShard} validators, ports from ${event.basePort}`;
    case 'resumed':
      return `resuming the devnet in ${event.dir}: ${event.shards} shards × ${event.validatorsPerShard} validators, ports from ${event.basePort}`;
    case 'validator-started':
      return `started shard ${event.shard} validator ${event.index} (pid ${event.pid}, log ${event.log})`;
    case 'progress':
      return event.shards
        .map((s) => {
          const waiting = s.down.length > 0 ? ` (waiting for ${s.down.map((i) => `v${i}`).join(' ')})` : '';
          return `shard ${s.id}: ${s.up}/${s.validators} up${waiting}, height ${s.height ?? '-'}`;
        })
        .join(' | ');
    case 'service-started':
      return `started the ${serviceName[event.service]} at ${event.url} (pid ${event.pid}, log ${event.log})`;
    case 'stopping':
      return 'stopping the gateway, the sandboxes and the validators…';
    case 'stopped':
      return 'stopped';
    default:
      return undefined;
  }
}

function readyText(devnet: RunningDevnet, shop: DemoShop | null): string {
  const lines = [`devnet ${devnet.chainId} is up (${devnet.dir})`];
  if (devnet.gateway !== null) {
    lines.push(`  gateway: ${devnet.gateway}  (API docs: ${devnet.gateway}/docs)`);
    // The gateway serves apps/web/dist when it was built (npm start builds it first).
    lines.push(
      devnetWebDir() === undefined
        ? '  web app: not built (run `npm run build -w @shardpay/web`, or start with `npm start`)'
        : `  web app: ${devnet.gateway}/  (docs/web.md)`,
    );
    if (shop !== null) {
      lines.push(`  demo shop: ${shop.url}  (its owner's login and wallet phrase: ${shop.file})`);
    }
  }
  if (devnet.bank !== null) lines.push(`  bank and card sandbox: ${devnet.bank}  (docs/bank.md)`);
  if (devnet.oracle !== null) {
    lines.push(
      `  delivery oracle sandbox: ${devnet.oracle}  (docs/oracle.md; key in ${devnet.dir}/keys/oracle.json)`,
    );
  }
  for (const shard of devnet.shards) lines.push(`  shard ${shard.id} RPC: ${shard.rpc.join('  ')}`);
  lines.push(`  genesis and keys: ${devnet.dir}/genesis.json, ${devnet.dir}/keys/`);
  lines.push('Ctrl-C stops everything; the same command (and --dir) resumes the devnet.');
  return lines.join('\n');
}

/** Resolves with the name of the first SIGINT/SIGTERM; `dispose` removes the handlers. */
function waitForStopSignal(): { signalled: Promise<string>; dispose(): void } {
  let dispose = () => {};
  const signalled = new Promise<string>((resolve) => {
    const onInt = () => resolve('SIGINT');
    const onTerm = () => resolve('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  });
  return { signalled, dispose };
}

/** `shardpay devnet`: runs S×N validators in the foreground until SIGINT/SIGTERM. */
export async function runDevnetCommand(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): Promise<number> {
  const port = parseCountFlag(values.port, 'port');
  const shards = parseCountFlag(values.shards, 'shards');
  const validators = parseCountFlag(values.validators, 'validators');
  const dir = typeof values.dir === 'string' ? values.dir : DEVNET_DEFAULTS.dir;

  const stopSignal = waitForStopSignal();
  const abort = new AbortController();
  void stopSignal.signalled.then((name) => abort.abort(new ShardpayError('STOPPED', `stopped by ${name}`)));
  try {
    let devnet: RunningDevnet;
    try {
      devnet = await startDevnet({
        dir,
        ...(shards === undefined ? {} : { shards }),
        ...(validators === undefined ? {} : { validators }),
        ...(port === undefined ? {} : { port }),
        gateway: values['no-gateway'] !== true,
        signal: abort.signal,
        // For tests and node development: run another validator program (same flags and config).
        ...(process.env.SHARDPAY_NODE_BIN ? { nodeBin: process.env.SHARDPAY_NODE_BIN } : {}),
        onEvent(event) {
          if (event.type === 'service-exited') {
            const how = event.signal ? `signal ${event.signal}` : `code ${event.code}`;
            process.stderr.write(
              `the ${serviceName[event.service]} exited (${how}); it is not restarted — see ${event.log}\n`,
            );
            return;
          }
          if (event.type === 'validator-exited') {
            // Said even with --json (on stderr): a dead validator is never restarted silently.
            const how = event.signal ? `signal ${event.signal}` : `code ${event.code}`;
            process.stderr.write(
              `shard ${event.shard} validator ${event.index} exited (${how}); it is not restarted — see ${event.log}\n`,
            );
            return;
          }
          const text = describeEvent(event);
          if (text) output.progress(text);
        },
      });
    } catch (error) {
      if (abort.signal.aborted) return 0;
      throw error;
    }
    let shop: DemoShop | null = null;
    if (devnet.gateway !== null) {
      try {
        shop = await seedDemoShop(devnet.dir, devnet.gateway);
      } catch (error) {
        // The devnet works without it: said, not fatal.
        process.stderr.write(`the demo shop could not be opened: ${(error as Error).message}\n`);
      }
    }
    output.result(
      {
        chainId: devnet.chainId,
        dir: devnet.dir,
        gateway: devnet.gateway,
        bank: devnet.bank,
        oracle: devnet.oracle,
        demoShop: shop?.url ?? null,
        shards: devnet.shards,
      },
      () => readyText(devnet, shop),
    );
    const outcome = await Promise.race([
      stopSignal.signalled.then(() => 'signal' as const),
      devnet.exited.then(() => 'all-exited' as const),
    ]);
    await devnet.stop();
    if (outcome === 'all-exited') {
      process.stderr.write('every validator has exited; the devnet is down\n');
      return 1;
    }
    return 0;
  } catch (error) {
    if (isShardpayError(error)) throw error;
    throw new ShardpayError('DEVNET_START_FAILED', `the devnet failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    stopSignal.dispose();
  }
}

export const devnetCommand: Command = {
  summary: 'run a local devnet (S shards × N validators) in the foreground',
  usage: `shardpay devnet [--shards S] [--validators N] [--dir DIR] [--port P] [--no-gateway] [--json]  (defaults: ${DEVNET_DEFAULTS.shards} shards, ${DEVNET_DEFAULTS.validators} validators, ${DEVNET_DEFAULTS.dir}, port ${DEVNET_DEFAULTS.port})`,
  options: {
    shards: { type: 'string' },
    validators: { type: 'string' },
    dir: { type: 'string' },
    port: { type: 'string' },
    'no-gateway': { type: 'boolean' },
  },
  run: ({ values }, output) => runDevnetCommand(values, output),
};
