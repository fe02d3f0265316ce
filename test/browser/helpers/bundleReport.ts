/**
 * The app's own bundle report (apps/web/scripts/reportBundle.ts, run after every build): the initial
 * JavaScript a browser downloads before the first page shows, gzipped, as the build prints it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { webRoot } from './buildWebApp.ts';

export interface BundleReport {
  /** The report as printed. */
  output: string;
  /** The initial JavaScript, gzipped, in KB (1024 bytes). */
  initialKb: number;
}

export function readBundleReport(): BundleReport {
  const result = spawnSync(process.execPath, [join(webRoot, 'scripts', 'reportBundle.ts')], {
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`;
  const match = /initial JavaScript: ([0-9.]+) KB gzipped/.exec(output);
  if (match === null) throw new Error(`the bundle report printed no "initial JavaScript" line:\n${output}`);
  return { output, initialKb: Number(match[1]) };
}
