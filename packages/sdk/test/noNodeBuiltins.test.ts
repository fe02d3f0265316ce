import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const sourceDir = join(import.meta.dirname, '..', 'src');
const builtins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));
const ledgerSourceDir = join(import.meta.dirname, '..', '..', 'ledger', 'src');
/** The ledger is allowed for its proof checks (packages/sdk/src/verify); it must then be browser-safe too. */
const allowedPackages = new Set(['@shardpay/crypto', '@shardpay/protocol', '@shardpay/ledger']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.[cm]?[jt]sx?$/.test(entry) ? [full] : [];
  });
}

/** Lines of `text` that use Node-only APIs, each with a reason. Comments are not skipped: keep them clean too. */
export function findNodeOnlyUses(text: string): string[] {
  const problems: string[] = [];
  const specifiers = text.matchAll(
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm,
  );
  for (const match of specifiers) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier === undefined) continue;
    if (specifier.startsWith('node:') || builtins.has(specifier))
      problems.push(`imports Node built-in '${specifier}'`);
    else if (!specifier.startsWith('.') && !allowedPackages.has(specifier)) {
      problems.push(
        `imports '${specifier}' (only @shardpay/crypto, @shardpay/protocol and @shardpay/ledger are allowed)`,
      );
    }
  }
  for (const [pattern, what] of [
    [/\bBuffer\b/, 'Buffer'],
    [/\bprocess\s*\./, 'process'],
    [/\brequire\s*\(/, 'require()'],
    [/\b__dirname\b|\b__filename\b/, '__dirname/__filename'],
    [/\bimport\.meta\.(dirname|filename)\b/, 'import.meta.dirname'],
    [/\bsetImmediate\b/, 'setImmediate'],
    [/\bNodeJS\./, 'NodeJS types'],
  ] as const) {
    if (pattern.test(text)) problems.push(`uses ${what}`);
  }
  return problems;
}

describe('browser safety', () => {
  it('the scanner catches Node-only code (self-check)', () => {
    assert.equal(findNodeOnlyUses("import { readFileSync } from 'node:fs';").length, 1);
    assert.equal(findNodeOnlyUses("import { createHash } from 'crypto';").length, 1);
    assert.equal(findNodeOnlyUses("const fs = await import('fs/promises');").length, 1);
    assert.equal(findNodeOnlyUses('const b = Buffer.from(x);').length, 1);
    assert.equal(findNodeOnlyUses('if (process.env.X) {}').length, 1);
    assert.equal(findNodeOnlyUses("import WebSocket from 'ws';").length, 1);
    assert.equal(findNodeOnlyUses("import {\n  a,\n  b,\n} from 'node:path';").length, 1);
    assert.equal(findNodeOnlyUses("import 'node:fs';").length, 1);
    assert.deepEqual(findNodeOnlyUses("throw new Error('from is an account');"), []);
    assert.deepEqual(
      findNodeOnlyUses("import { sha256 } from '@shardpay/crypto';\nimport { x } from './x.ts';"),
      [],
    );
  });

  it('no source file under packages/sdk/src uses a Node built-in', () => {
    const files = sourceFiles(sourceDir);
    assert.ok(files.length >= 5, `found only ${files.length} source files: the scan is broken`);
    const problems = files.flatMap((file) =>
      findNodeOnlyUses(readFileSync(file, 'utf8')).map((problem) => `${file}: ${problem}`),
    );
    assert.deepEqual(problems, []);
  });

  it('no source file under packages/ledger/src (which the SDK verifies proofs with) uses a Node built-in', () => {
    const files = sourceFiles(ledgerSourceDir);
    assert.ok(files.length >= 5, `found only ${files.length} source files: the scan is broken`);
    const problems = files.flatMap((file) =>
      findNodeOnlyUses(readFileSync(file, 'utf8')).map((problem) => `${file}: ${problem}`),
    );
    assert.deepEqual(problems, []);
  });

  it('runs under the browser condition (noble secp256k1, WebCrypto keystore) with the same results', () => {
    const script = `
      import { secp256k1Backend } from '@shardpay/crypto';
      import { isTransactionSignatureValid } from '@shardpay/protocol';
      import { buildTransfer, restoreWallet, restoreWalletFromKeystore } from '@shardpay/sdk';
      import { createTestNetworkConfig } from ${JSON.stringify(join(import.meta.dirname, 'helpers', 'testNetwork.ts'))};
      const network = createTestNetworkConfig();
      const wallet = restoreWallet('${'abandon '.repeat(11)}about', { network });
      const tx = buildTransfer({ from: wallet.account(0), to: wallet.account(1).address, amount: '1.5', nonce: 0n, expiryHeight: 9n });
      const keystore = await wallet.exportKeystore('pw', { scryptN: 1024 });
      const back = await restoreWalletFromKeystore(keystore, 'pw', { network });
      console.log(JSON.stringify({
        backend: secp256k1Backend(),
        address: wallet.account(0).address,
        valid: isTransactionSignatureValid(tx),
        signature: Array.from(tx.signature, (b) => b.toString(16).padStart(2, '0')).join(''),
        restored: back.account(0).address,
      }));
    `;
    const child = spawnSync(process.execPath, ['--conditions=browser', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim()) as Record<string, unknown>;
    assert.equal(result.backend, 'noble');
    assert.equal(result.address, 'spd1l70vjmcfav256qu225hv4evu2qsya2dfcx6fe4');
    assert.equal(result.restored, result.address);
    assert.equal(result.valid, true);
  });
});
