import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkLayers } from '../checkLayers.ts';

function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('checkLayers', () => {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string>) => {
    const root = makeTree(files);
    roots.push(root);
    return root;
  };

  it('passes downward imports', () => {
    const root = tree({
      'packages/crypto/src/index.ts': 'export const x = 1;\n',
      'packages/ledger/src/index.ts': "import { x } from '@shardpay/crypto';\nexport const y = x;\n",
    });
    assert.deepEqual(checkLayers(root), []);
  });

  it('fails on an upward import', () => {
    const root = tree({
      'packages/crypto/src/index.ts': "import { y } from '@shardpay/ledger';\nexport const x = y;\n",
      'packages/ledger/src/index.ts': 'export const y = 1;\n',
    });
    const violations = checkLayers(root);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!.message, /"crypto" \(layer 0\) imports "ledger" \(layer 1\)/);
    assert.equal(violations[0]!.line, 1);
  });

  it("fails on an import of another package's src/", () => {
    const root = tree({
      'packages/crypto/src/index.ts': 'export const x = 1;\n',
      'packages/ledger/src/a.ts': "import { x } from '@shardpay/crypto/src/index.ts';\nexport const y = x;\n",
      'packages/ledger/src/b.ts': "export { x } from '../../crypto/src/index.ts';\n",
    });
    const messages = checkLayers(root).map((v) => v.message);
    assert.equal(messages.length, 2);
    assert.ok(messages.some((m) => m.includes("another package's src/")));
    assert.ok(messages.some((m) => m.includes('reaches into package "crypto"')));
  });

  it('judges a subpath export (`@shardpay/node/testing`) by its package', () => {
    const root = tree({
      'packages/node/test/helpers/testing.ts': 'export const waitFor = 1;\n',
      'packages/bank/test/a.test.ts': "import { waitFor } from '@shardpay/node/testing';\n",
      'packages/gateway/test/b.test.ts': "const { waitFor } = await import('@shardpay/node/testing');\n",
      'packages/storage/test/c.test.ts': "import { waitFor } from '@shardpay/node/testing';\n",
    });
    const violations = checkLayers(root);
    assert.deepEqual(
      violations.map((v) => [v.file, v.message]),
      [['packages/storage/test/c.test.ts', '"storage" (layer 2) imports "node" (layer 3), a higher layer']],
    );
  });

  it('fails on a forbidden import within the allowed layers and on cycles', () => {
    const root = tree({
      'packages/consensus/src/index.ts': "import '@shardpay/ledger';\n",
      'packages/ledger/src/index.ts': "import '@shardpay/consensus';\n",
      'packages/storage/src/index.ts': "import { z } from '@shardpay/consensus';\n",
    });
    const messages = checkLayers(root).map((v) => v.message);
    assert.ok(messages.includes('"storage" must not import "consensus"'));
    assert.ok(messages.includes('"consensus" and "ledger" import each other'));
  });

  it('the repository itself passes', () => {
    assert.deepEqual(checkLayers(join(import.meta.dirname, '..', '..')), []);
  });
});
