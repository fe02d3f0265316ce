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
  ['tests', process.execPath, ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...testFiles]],
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
