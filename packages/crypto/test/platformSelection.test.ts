import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as crypto from '@shardpay/crypto';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The same computations, run in this process (native) and, through its source text, in a child
 * process started with the `browser` condition. Node strips the type annotations, so
 * `toString()` gives plain JavaScript.
 */
async function fingerprint(c: typeof crypto): Promise<Record<string, unknown>> {
  const key = c.hexToBytes('00000000000000000000000000000000000000000000000000000000000000aa');
  const hash = c.sha256(c.utf8ToBytes('shardpay'));
  const signature = c.signHash(hash, key);
  const publicKey = c.publicKeyFromPrivateKey(key);
  const leaves = Array.from({ length: 11 }, (_, i) => c.utf8ToBytes(`leaf ${i}`));
  const keystore = await c.encryptKeystore(key, 'pw', { kind: 'privateKey', scryptN: 1024 });
  return {
    backend: c.secp256k1Backend(),
    hash: c.bytesToHex(hash),
    domainHash: c.bytesToHex(c.domainHash('shardpay/test', hash)),
    publicKey: c.bytesToHex(publicKey),
    signature: c.bytesToHex(signature),
    verifies: c.verifyHash(signature, hash, publicKey),
    address: c.encodeAddress(c.addressFromPublicKey(publicKey), 'spd'),
    merkleRoot: c.bytesToHex(c.merkleRoot(leaves)),
    proofVerifies: c.verifyMerkleProof(c.merkleRoot(leaves), leaves[7]!, c.merkleProof(leaves, 7)),
    keystoreOpens: c.bytesToHex(await c.decryptKeystore(keystore, 'pw')) === c.bytesToHex(key),
    keystore,
  };
}

function fingerprintUnderBrowserCondition(): Record<string, unknown> {
  const program = `const c = await import('@shardpay/crypto'); console.log(JSON.stringify(await (${fingerprint.toString()})(c)));`;
  const output = execFileSync(
    process.execPath,
    ['--conditions=browser', '--input-type=module', '-e', program],
    {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return JSON.parse(output) as Record<string, unknown>;
}

describe('platform selection (package.json imports)', () => {
  it('the browser condition gets the noble path, with the same bytes as the native path', async () => {
    const native = await fingerprint(crypto);
    const browser = fingerprintUnderBrowserCondition();
    assert.equal(native.backend, 'native');
    assert.equal(browser.backend, 'noble');
    for (const field of ['hash', 'domainHash', 'publicKey', 'signature', 'address', 'merkleRoot']) {
      assert.equal(browser[field], native[field], field);
    }
    for (const result of [native, browser]) {
      assert.equal(result.verifies, true);
      assert.equal(result.proofVerifies, true);
      assert.equal(result.keystoreOpens, true);
    }
    // A keystore written by the browser path opens on the native one.
    const key = await crypto.decryptKeystore(browser.keystore, 'pw');
    assert.equal(crypto.bytesToHex(key), '00000000000000000000000000000000000000000000000000000000000000aa');
  });

  it('nothing the browser build loads imports node:* modules or the native addon', () => {
    const packageJson = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    const browserPlatform: string = packageJson.imports['#platform'].browser;
    assert.equal(packageJson.imports['#platform'].default, browserPlatform);
    const seen = new Set<string>();
    const pending = [join(packageRoot, 'src', 'index.ts')];
    const importPattern = /(?:import|export)\s[^'"]*?from\s*'([^']+)'/g;
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(importPattern)) {
        assert.ok(!specifier!.startsWith('node:'), `${file} imports ${specifier}`);
        assert.ok(!/^secp256k1(\/|$)/.test(specifier!), `${file} imports ${specifier}`);
        if (specifier === '#platform') pending.push(join(packageRoot, browserPlatform));
        else if (specifier!.startsWith('.')) pending.push(join(dirname(file), specifier!));
      }
    }
    assert.ok(seen.has(join(packageRoot, 'src', 'platform.browser.ts')));
    assert.ok(!seen.has(join(packageRoot, 'src', 'platform.node.ts')));
    assert.ok(seen.size >= 8, `walked ${seen.size} files`);
  });
});
