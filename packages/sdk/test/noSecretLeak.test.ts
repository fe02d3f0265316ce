import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { bytesToHex } from '@shardpay/crypto';
import {
  buildTransfer,
  createAccountFromPrivateKey,
  createWallet,
  restoreAccountFromKeystore,
  restoreWallet,
  restoreWalletFromKeystore,
} from '@shardpay/sdk';
import { createTestNetworkConfig, testPrivateKey } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig();

/** Every way a value commonly ends up in a log. */
function renderings(value: unknown): string[] {
  return [
    String(value),
    `${value}`,
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: true, getters: true }),
  ];
}

function errorRenderings(error: unknown): string[] {
  const e = error as Error & { meta?: unknown; cause?: unknown };
  return [
    ...renderings(e),
    e.message,
    String(e.stack),
    JSON.stringify(e.meta ?? {}),
    inspect(e.cause, { depth: 10 }),
  ];
}

function assertNoSecret(texts: string[], secrets: string[]): void {
  for (const text of texts) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `a rendering contains a secret: ${text.slice(0, 200)}`);
    }
  }
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

async function caughtAsync(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('no secret leaks', () => {
  it('wallets and accounts never render their mnemonic or private keys', () => {
    const wallet = createWallet({ network });
    const mnemonic = wallet.exportMnemonic();
    const words = mnemonic.split(' ');
    const accounts = wallet.accounts(3);
    const secrets = [
      mnemonic,
      words.slice(0, 4).join(' '),
      ...accounts.map((a) => bytesToHex(a.exportPrivateKey())),
    ];
    assertNoSecret(
      [...renderings(wallet), ...accounts.flatMap(renderings), ...renderings({ wallet, accounts })],
      secrets,
    );
    // What they do show is the public side.
    assert.ok(JSON.stringify(wallet).includes(accounts[0]!.address));
    assert.ok(String(accounts[1]).includes(accounts[1]!.address));
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(accounts[0]))).sort(), [
      'address',
      'index',
      'publicKey',
      'shard',
    ]);
  });

  it('raw-key accounts never render the key', () => {
    const privateKey = testPrivateKey('leak check');
    const account = createAccountFromPrivateKey(privateKey, network);
    assertNoSecret(renderings(account), [bytesToHex(privateKey)]);
  });

  it('errors about secrets do not quote them', async () => {
    const wallet = createWallet({ network });
    const mnemonic = wallet.exportMnemonic();
    const broken = mnemonic.replace(/\S+$/, 'zzzz');
    const badMnemonic = caught(() => restoreWallet(broken, { network }));
    assertNoSecret(errorRenderings(badMnemonic), [broken, mnemonic.split(' ').slice(0, 3).join(' ')]);

    const badKey = new Uint8Array(32).fill(0xff); // above the curve order
    assertNoSecret(errorRenderings(caught(() => createAccountFromPrivateKey(badKey, network))), [
      bytesToHex(badKey),
    ]);

    // A mnemonic pasted into the recipient field is not echoed back.
    const pasted = caught(() =>
      buildTransfer({ from: wallet.account(0), to: mnemonic, amount: '1', nonce: 0n, expiryHeight: 10n }),
    );
    assert.equal((pasted as { code: string }).code, 'ADDRESS_INVALID');
    assertNoSecret(errorRenderings(pasted), [mnemonic, mnemonic.split(' ').slice(0, 3).join(' ')]);

    const keystore = await wallet.exportKeystore('the right passphrase', { scryptN: 2 ** 10 });
    const wrong = await caughtAsync(() =>
      restoreWalletFromKeystore(keystore, 'a wrong passphrase', { network }),
    );
    assertNoSecret(errorRenderings(wrong), ['a wrong passphrase', 'the right passphrase', mnemonic]);
    const wrongKind = await caughtAsync(() =>
      restoreAccountFromKeystore(keystore, 'the right passphrase', network),
    );
    assertNoSecret(errorRenderings(wrongKind), ['the right passphrase', mnemonic]);
  });
});
