/**
 * `npm run bench:gateway -- [--duration 10] [--connections 32] [--replicas 1,2] [--senders 400]
 *                           [--users 4] [--payments-per-sender 64] [--dir DIR] [--database-url URL] [--json]`
 *
 * The gateway load benchmark (docs/benchmarks.md, "Gateway load"). Progress goes to stderr; the table
 * to stdout, or with --json one JSON object. PostgreSQL comes from --database-url, else
 * SHARDPAY_BENCH_DATABASE_URL, SHARDPAY_TEST_DATABASE_URL or DATABASE_URL.
 */
import { parseArgs } from 'node:util';
import { formatGatewayBench } from './formatGatewayBench.ts';
import { runGatewayBench } from './runGatewayBench.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    replicas: { type: 'string', default: '1,2' },
    senders: { type: 'string', default: '400' },
    users: { type: 'string', default: '4' },
    'payments-per-sender': { type: 'string', default: '64' },
    dir: { type: 'string' },
    'database-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:gateway: --${name} must be a positive integer, not '${text}'\n`);
    process.exit(2);
  }
  return value;
}

const databaseUrl =
  values['database-url'] ??
  process.env.SHARDPAY_BENCH_DATABASE_URL ??
  process.env.SHARDPAY_TEST_DATABASE_URL ??
  process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  process.stderr.write(
    'bench:gateway: needs PostgreSQL (the replicas share it): pass --database-url or set SHARDPAY_BENCH_DATABASE_URL\n',
  );
  process.exit(2);
}

const report = await runGatewayBench({
  replicas: values.replicas.split(',').map((part) => positive('replicas', part.trim())),
  durationSec: positive('duration', values.duration),
  connections: positive('connections', values.connections),
  senders: positive('senders', values.senders),
  users: positive('users', values.users),
  paymentsPerSender: positive('payments-per-sender', values['payments-per-sender']),
  ...(values.dir === undefined ? {} : { dir: values.dir }),
  databaseUrl,
  log: (line) => process.stderr.write(`[bench:gateway] ${line}\n`),
});
process.stdout.write(`${values.json ? JSON.stringify(report) : formatGatewayBench(report)}\n`);
