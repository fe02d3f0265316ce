import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bech32m } from '@scure/base';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bytesToHex, decodeAddress } from '@shardpay/crypto';
import { shardOfAddress } from '@shardpay/protocol';
import {
  createAccountFromPrivateKey,
  createWallet,
  restoreAccountFromKeystore,
  restoreWallet,
  restoreWalletFromKeystore,
} from '@shardpay/sdk';
import { createTestNetworkConfig, testPrivateKey } from './helpers/testNetwork.ts';

const network = createTestNetworkConfig();
const fastScrypt = { scryptN: 2 ** 10 };

// BIP39 test vectors (trezor/python-mnemonic vectors.json, entropy 00…00).
const mnemonic12 =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const mnemonic24 = `${'abandon '.repeat(23)}art`;

/** Address of account `index` computed independently of @shardpay/crypto: scure BIP32 + noble sha256 + bech32m. */
function referenceAddress(
  mnemonic: string,
  index: number,
  passphrase = '',
): { address: string; publicKey: string } {
  const key = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic, passphrase)).derive(
    `m/44'/8888'/0'/0/${index}`,
  );
  const publicKey = key.publicKey!;
  const address = bech32m.encode('spd', bech32m.toWords(nobleSha256(publicKey).slice(0, 20)));
  return { address, publicKey: bytesToHex(publicKey) };
}

describe('wallets', () => {
  it('restores BIP39 vector mnemonics to the reference BIP44 addresses, deterministically', () => {
    // Pinned values guard the derivation path and encoding against silent change.
    const pinned = {
      [mnemonic12]: [
        'spd1l70vjmcfav256qu225hv4evu2qsya2dfcx6fe4',
        'spd1gldz0azsuu8pr0ncvhhm5jwdj35z4jyrq4tncn',
        'spd1waz0nnmmek26wk9yrt638tkygpzyw3e7c9wt9t',
      ],
      [mnemonic24]: [
        'spd1jvudvgpwrgm66ghhjktxaj6fwmppwxx4uxpj6p',
        'spd1ulxtyt3ucth62hcfls0v0c3wn5tlqfz6g9r0rd',
        'spd1u9vtr7wmyqg9ygkfgejqxjgql6vk4ryjfxvehf',
      ],
    };
    for (const [mnemonic, addresses] of Object.entries(pinned)) {
      const first = restoreWallet(mnemonic, { network }).accounts(3);
      const second = restoreWallet(mnemonic, { network }).accounts(3);
      assert.deepEqual(
        first.map((account) => account.address),
        addresses,
      );
      assert.deepEqual(
        second.map((account) => account.address),
        addresses,
      );
      first.forEach((account, index) => {
        const reference = referenceAddress(mnemonic, index);
        assert.equal(account.address, reference.address);
        assert.equal(bytesToHex(account.publicKey), reference.publicKey);
        assert.equal(account.index, index);
        assert.equal(account.shard, shardOfAddress(network, decodeAddress(account.address, 'spd')));
      });
    }
  });

  it('uses the BIP39 passphrase (the vectors use TREZOR)', () => {
    const plain = restoreWallet(mnemonic12, { network }).account(0).address;
    const withPassphrase = restoreWallet(mnemonic12, { network, bip39Passphrase: 'TREZOR' }).account(
      0,
    ).address;
    assert.notEqual(plain, withPassphrase);
    assert.equal(withPassphrase, referenceAddress(mnemonic12, 0, 'TREZOR').address);
  });

  it('normalizes spacing and case of a typed mnemonic', () => {
    const typed = `  ${mnemonic12.toUpperCase().replaceAll(' ', '   ')}\n`;
    assert.equal(
      restoreWallet(typed, { network }).account(0).address,
      restoreWallet(mnemonic12, { network }).account(0).address,
    );
  });

  it('creates 24-word wallets by default and 12-word ones on request, each different', () => {
    const a = createWallet({ network });
    const b = createWallet({ network });
    assert.equal(a.exportMnemonic().split(' ').length, 24);
    assert.equal(createWallet({ network, words: 12 }).exportMnemonic().split(' ').length, 12);
    assert.notEqual(a.account(0).address, b.account(0).address);
    assert.equal(restoreWallet(a.exportMnemonic(), { network }).account(5).address, a.account(5).address);
    assert.equal(a.account(2), a.account(2), 'accounts are cached');
  });

  it('refuses bad mnemonics, account indexes and network configs with codes', () => {
    assert.throws(() => restoreWallet(mnemonic12.replace('about', 'abandon'), { network }), {
      code: 'MNEMONIC_INVALID',
    });
    assert.throws(() => restoreWallet('abandon abandon', { network }), { code: 'MNEMONIC_INVALID' });
    assert.throws(() => restoreWallet(mnemonic12.replace('about', 'xyzzy'), { network }), {
      code: 'MNEMONIC_INVALID',
    });
    const wallet = restoreWallet(mnemonic12, { network });
    assert.throws(() => wallet.account(-1), { code: 'ACCOUNT_INDEX_INVALID' });
    assert.throws(() => wallet.account(2 ** 31), { code: 'ACCOUNT_INDEX_INVALID' });
    assert.throws(() => wallet.account(1.5), { code: 'ACCOUNT_INDEX_INVALID' });
    assert.throws(() => createWallet({ network: { ...network, shardCount: 0 } }), {
      code: 'NETWORK_CONFIG_INVALID',
    });
  });

  it('round-trips a wallet through an encrypted mnemonic keystore', async () => {
    const wallet = createWallet({ network });
    const keystore = await wallet.exportKeystore('correct horse battery staple', fastScrypt);
    assert.equal(keystore.kind, 'mnemonic');
    assert.equal(keystore.address, wallet.account(0).address);
    const json = JSON.parse(JSON.stringify(keystore));
    const restored = await restoreWalletFromKeystore(json, 'correct horse battery staple', { network });
    assert.equal(restored.exportMnemonic(), wallet.exportMnemonic());
    assert.equal(restored.account(3).address, wallet.account(3).address);
  });

  it('refuses a wrong passphrase, a tampered keystore and a keystore of the other kind with codes', async () => {
    const wallet = restoreWallet(mnemonic24, { network });
    const keystore = await wallet.exportKeystore('right passphrase', fastScrypt);
    await assert.rejects(restoreWalletFromKeystore(keystore, 'wrong passphrase', { network }), {
      code: 'KEYSTORE_WRONG_PASSPHRASE',
    });
    await assert.rejects(
      restoreWalletFromKeystore({ ...keystore, address: wallet.account(1).address }, 'right passphrase', {
        network,
      }),
      { code: 'KEYSTORE_WRONG_PASSPHRASE' },
    );
    await assert.rejects(
      restoreWalletFromKeystore({ ...keystore, kdf: 'x' }, 'right passphrase', { network }),
      {
        code: 'KEYSTORE_INVALID',
      },
    );
    await assert.rejects(restoreAccountFromKeystore(keystore, 'right passphrase', network), {
      code: 'KEYSTORE_INVALID',
    });
    const accountKeystore = await wallet.account(0).exportKeystore('pw', fastScrypt);
    await assert.rejects(restoreWalletFromKeystore(accountKeystore, 'pw', { network }), {
      code: 'KEYSTORE_INVALID',
    });
  });

  it('builds an account from a raw private key and round-trips it through a privateKey keystore', async () => {
    const privateKey = testPrivateKey('raw account');
    const account = createAccountFromPrivateKey(privateKey, network);
    assert.equal(account.index, undefined);
    assert.equal(account.shard, shardOfAddress(network, account.addressBytes));
    assert.deepEqual(account.exportPrivateKey(), privateKey);
    // The account keeps its own copy: wiping the caller's buffer changes nothing.
    const copy = Uint8Array.from(privateKey);
    createAccountFromPrivateKey(copy, network);
    copy.fill(0);
    assert.deepEqual(account.exportPrivateKey(), privateKey);
    const keystore = await account.exportKeystore('pw', fastScrypt);
    assert.equal(keystore.kind, 'privateKey');
    const restored = await restoreAccountFromKeystore(keystore, 'pw', network);
    assert.equal(restored.address, account.address);
    await assert.rejects(restoreAccountFromKeystore(keystore, 'not pw', network), {
      code: 'KEYSTORE_WRONG_PASSPHRASE',
    });
    assert.throws(() => createAccountFromPrivateKey(new Uint8Array(32), network), { code: 'KEY_INVALID' });
    assert.throws(() => createAccountFromPrivateKey(new Uint8Array(31).fill(1), network), {
      code: 'KEY_INVALID',
    });
  });
});
