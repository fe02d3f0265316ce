/**
 * Runs a command (the `shardpay devnet` supervisor) and stops it with SIGTERM when the process that
 * started this one goes away, even by SIGKILL: the IPC channel to the parent closes then. The
 * supervisor does not watch its parent, and its validators stop only when it does, so without this a
 * killed bench would leave a devnet running on a shared machine.
 *
 *   node devnetWatchdog.ts <program> [args…]   (spawned with an IPC channel)
 */
import { spawn } from 'node:child_process';

const [program, ...args] = process.argv.slice(2);
if (program === undefined) {
  process.stderr.write('usage: devnetWatchdog.ts <program> [args…]\n');
  process.exit(2);
}
const child = spawn(process.execPath, [program, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
const stopChild = () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
};
process.on('disconnect', stopChild);
process.on('SIGTERM', stopChild);
process.on('SIGINT', stopChild);
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
