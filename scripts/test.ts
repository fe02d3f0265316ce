/**
 * `npm test`: the layer check, the type check, the linter, then every test file under node's
 * test runner. Extra arguments are passed to `node --test` (e.g. `npm test -- --test-name-pattern=codec`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const testFiles = [
  'scripts/test/**/*.test.ts',
  'scripts/chaos/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'packages/*/src/**/*.test.ts',
  'test/**/*.test.ts',
];

const steps: Array<[string, string, string[]]> = [
  ['layer check', process.execPath, [join(root, 'scripts', 'checkLayers.ts')]],
  ['type check', bin('tsc'), ['-p', join(root, 'tsconfig.json'), '--noEmit']],
  // The web app's browser code: its own tsconfig (DOM, JSX, bundler resolution).
  ['type check (apps/web)', bin('tsc'), ['-p', join(root, 'apps', 'web', 'tsconfig.json'), '--noEmit']],
  [
    'type check (apps/web, Node side)',
    bin('tsc'),
    ['-p', join(root, 'apps', 'web', 'tsconfig.node.json'), '--noEmit'],
  ],
  ['lint', bin('biome'), ['check', '--diagnostic-level=error', root]],
  // Built once here, so the browser test files running side by side find it fresh and never build
  // it at the same time; it prints the bundle report (and fails at 300 KB of initial JavaScript).
  ['web app build', 'npm', ['run', 'build', '-w', '@shardpay/web']],
  // Two test files at a time (node's default is one per core beyond the first: 1 here). Most files
  // wait on I/O — a database, a devnet's blocks, a browser — so two overlap well on 2 cores; every
  // test waits for conditions with bounds, never for fixed times, and devnets reserve their port
  // ranges (findFreeDevnetPort). `npm test -- --test-concurrency=1` runs them one by one.
  [
    'tests',
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-concurrency=2', ...process.argv.slice(2), ...testFiles],
  ],
];

for (const [label, command, args] of steps) {
  console.log(`\n== ${label}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`== ${label}: ok in ${seconds}s`);
}
