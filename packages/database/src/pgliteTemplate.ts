import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite cluster costs an `initdb` run (~4.5 s of CPU); restoring one from a tarball of an
 * empty, just-initialized cluster (PGlite's `loadDataDir`, what its `pglite-prepopulatedfs` package
 * ships for one pinned version) takes ~0.6 s. The tarball is made once by the PGlite version
 * installed here and kept in the temp folder, named by that version, so every test, devnet and
 * sandbox that opens a new database after the first skips `initdb`. It holds no data: only the
 * catalogs `initdb` writes.
 */
const pgliteVersion: string = (
  JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))), '..', 'package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;

const templatePath = join(tmpdir(), `shardpay-pglite-${pgliteVersion}-empty-cluster.tar`);

let pending: Promise<Blob | undefined> | undefined;

/** The empty cluster's tarball: read from the temp folder, or made (and stored) on first use. */
export function emptyClusterTemplate(): Promise<Blob | undefined> {
  pending ??= loadOrMake().catch(() => undefined);
  return pending;
}

async function loadOrMake(): Promise<Blob> {
  try {
    return new Blob([await readFile(templatePath)]);
  } catch {
    const fresh = await PGlite.create();
    const dump = await fresh.dumpDataDir('none');
    await fresh.close();
    // Written aside and renamed, so a process reading it never sees half a file.
    const partial = `${templatePath}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, templatePath);
    return dump;
  }
}

/** True when `dataDir` holds no cluster yet (PGlite would run initdb there). */
export function isNewDataDir(dataDir: string | undefined): boolean {
  return dataDir === undefined || !existsSync(join(dataDir, 'PG_VERSION'));
}

/** Forgets a template that PGlite could not load, so the next process makes it again. */
export async function discardTemplate(): Promise<void> {
  pending = undefined;
  await rm(templatePath, { force: true });
}
