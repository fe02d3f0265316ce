import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bytesToHex,
  decryptKeystore,
  encryptKeystore,
  hexToBytes,
  isShardpayError,
  KEYSTORE_DEFAULT_SCRYPT_N,
  type Keystore,
  utf8ToBytes,
} from '@shardpay/crypto';
import { decryptKeystoreWith, encryptKeystoreWith } from '../src/keystore.ts';
import { platform as browserPlatform } from '../src/platform.browser.ts';
import { platform as nodePlatform } from '../src/platform.node.ts';

const scryptN = 2 ** 10; // fast; the default (2^17) is exercised once below
const privateKey = hexToBytes('4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const address = 'spd1pac4ht6afshdx2tctnhjnetz7u6g3j9zqllg53';
const passphrase = 'correct horse battery staple';

function isCode(code: string) {
  return (error: unknown) => isShardpayError(error, code);
}

const removed = Symbol('removed');

/**
 * A JSON copy with fields replaced (dotted paths; `removed` deletes), as an attacker or a bad disk
 * would hand it over. A function value receives the field's current value.
 */
function altered(keystore: Keystore, changes: Record<string, unknown>): unknown {
  const copy = JSON.parse(JSON.stringify(keystore)) as Record<string, unknown>;
  for (const [path, change] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let parent = copy;
    for (const key of keys) parent = parent[key] as Record<string, unknown>;
    const value =
      typeof change === 'function' ? (change as (current: unknown) => unknown)(parent[last]) : change;
    if (value === removed) delete parent[last];
    else parent[last] = value;
  }
  return copy;
}

/** For `altered`: flips the low bit of byte `at` of a hex field. */
function flipHexByte(at = 0): (hex: unknown) => string {
  return (hex) => {
    const bytes = hexToBytes(hex as string);
    bytes[at]! ^= 0x01;
    return bytesToHex(bytes);
  };
}

/** For `altered`: drops the last byte of a hex field. */
function truncateHex(hex: unknown): string {
  return (hex as string).slice(0, -2);
}

describe('keystore', () => {
  it('round-trips a private key through JSON, with the documented shape', async () => {
    const keystore = await encryptKeystore(privateKey, passphrase, { kind: 'privateKey', address, scryptN });
    assert.equal(keystore.version, 1);
    assert.equal(keystore.kind, 'privateKey');
    assert.equal(keystore.address, address);
    assert.deepEqual(Object.keys(keystore.kdf).sort(), ['n', 'name', 'p', 'r', 'salt']);
    assert.deepEqual({ ...keystore.kdf, salt: '' }, { name: 'scrypt', n: scryptN, r: 8, p: 1, salt: '' });
    assert.match(keystore.kdf.salt, /^[0-9a-f]{64}$/);
    assert.equal(keystore.cipher.name, 'aes-256-gcm');
    assert.match(keystore.cipher.iv, /^[0-9a-f]{24}$/);
    assert.match(keystore.cipher.tag, /^[0-9a-f]{32}$/);
    assert.match(keystore.ciphertext, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(keystore).includes(bytesToHex(privateKey)));
    const decrypted = await decryptKeystore(JSON.parse(JSON.stringify(keystore)), passphrase);
    assert.deepEqual(decrypted, privateKey);
  });

  it('round-trips a mnemonic without an address, with fresh salt and iv each time', async () => {
    const mnemonic = utf8ToBytes(
      'legal winner thank year wave sausage worth useful legal winner thank yellow',
    );
    const first = await encryptKeystore(mnemonic, passphrase, { kind: 'mnemonic', scryptN });
    const second = await encryptKeystore(mnemonic, passphrase, { kind: 'mnemonic', scryptN });
    assert.equal('address' in first, false);
    assert.notEqual(first.kdf.salt, second.kdf.salt);
    assert.notEqual(first.cipher.iv, second.cipher.iv);
    assert.notEqual(first.ciphertext, second.ciphertext);
    assert.deepEqual(await decryptKeystore(first, passphrase), mnemonic);
    assert.deepEqual(await decryptKeystore(second, passphrase), mnemonic);
  });

  it('uses N = 2^17, r = 8, p = 1 by default', async () => {
    assert.equal(KEYSTORE_DEFAULT_SCRYPT_N, 2 ** 17);
    const keystore = await encryptKeystore(privateKey, passphrase, { kind: 'privateKey' });
    assert.deepEqual([keystore.kdf.n, keystore.kdf.r, keystore.kdf.p], [2 ** 17, 8, 1]);
    assert.deepEqual(await decryptKeystore(keystore, passphrase), privateKey);
  });

  it('refuses a wrong passphrase with KEYSTORE_WRONG_PASSPHRASE', async () => {
    const keystore = await encryptKeystore(privateKey, passphrase, { kind: 'privateKey', address, scryptN });
    for (const wrong of ['', 'correct horse battery stapl', 'Correct horse battery staple']) {
      await assert.rejects(decryptKeystore(keystore, wrong), isCode('KEYSTORE_WRONG_PASSPHRASE'));
    }
  });

  it('normalizes the passphrase (NFKC): composed and decomposed accents open the same keystore', async () => {
    const keystore = await encryptKeystore(privateKey, 'caf\u00e9', { kind: 'privateKey', scryptN });
    assert.deepEqual(await decryptKeystore(keystore, 'cafe\u0301'), privateKey);
  });

  it('detects tampering with the ciphertext, tag, iv, salt, kdf cost, kind or address', async () => {
    const keystore = await encryptKeystore(privateKey, passphrase, { kind: 'privateKey', address, scryptN });
    const tampered: Array<[string, Record<string, unknown>]> = [
      ['ciphertext first byte', { ciphertext: flipHexByte() }],
      ['ciphertext last byte', { ciphertext: flipHexByte(31) }],
      ['tag', { 'cipher.tag': flipHexByte() }],
      ['iv', { 'cipher.iv': flipHexByte() }],
      ['salt', { 'kdf.salt': flipHexByte() }],
      ['n', { 'kdf.n': scryptN * 2 }],
      ['r', { 'kdf.r': 4 }],
      ['kind', { kind: 'mnemonic' }],
      ['address swapped', { address: 'spd1someoneelse' }],
      ['address removed', { address: removed }],
      ['truncated ciphertext', { ciphertext: truncateHex }],
    ];
    for (const [label, change] of tampered) {
      await assert.rejects(
        decryptKeystore(altered(keystore, change), passphrase),
        isCode('KEYSTORE_WRONG_PASSPHRASE'),
        label,
      );
    }
    assert.deepEqual(await decryptKeystore(keystore, passphrase), privateKey);
  });

  it('refuses what is not a keystore with KEYSTORE_INVALID, naming the field', async () => {
    const keystore = await encryptKeystore(privateKey, passphrase, { kind: 'privateKey', scryptN });
    const cases: Array<[string, unknown]> = [
      ['(root)', null],
      ['(root)', 'keystore'],
      ['(root)', [keystore]],
      ['version', altered(keystore, { version: 2 })],
      ['kind', altered(keystore, { kind: 'seed' })],
      ['address', altered(keystore, { address: 7 })],
      ['kdf.name', altered(keystore, { 'kdf.name': 'pbkdf2' })],
      ['kdf.name', altered(keystore, { kdf: removed })],
      ['kdf', altered(keystore, { 'kdf.n': 1000 })],
      ['kdf', altered(keystore, { 'kdf.n': 2 ** 30 })],
      ['kdf', altered(keystore, { 'kdf.r': 0 })],
      ['kdf', altered(keystore, { 'kdf.p': '1' })],
      ['kdf', altered(keystore, { 'kdf.n': 2 ** 20, 'kdf.r': 8 })], // 1 GiB of memory
      ['kdf.salt', altered(keystore, { 'kdf.salt': 'zz' })],
      ['kdf.salt', altered(keystore, { 'kdf.salt': 'abcd' })],
      ['cipher.name', altered(keystore, { 'cipher.name': 'aes-128-cbc' })],
      ['cipher.iv', altered(keystore, { 'cipher.iv': truncateHex })],
      ['cipher.tag', altered(keystore, { 'cipher.tag': truncateHex })],
      ['cipher.tag', altered(keystore, { 'cipher.tag': removed })],
      ['ciphertext', altered(keystore, { ciphertext: '' })],
      ['ciphertext', altered(keystore, { ciphertext: 'abc' })],
    ];
    for (const [field, candidate] of cases) {
      await assert.rejects(
        decryptKeystore(candidate, passphrase),
        (error: unknown) => isShardpayError(error, 'KEYSTORE_INVALID') && error.meta.field === field,
        field,
      );
    }
  });

  it('refuses bad secrets and options when encrypting', async () => {
    await assert.rejects(
      encryptKeystore(new Uint8Array(31), passphrase, { kind: 'privateKey', scryptN }),
      isCode('KEYSTORE_SECRET_INVALID'),
    );
    await assert.rejects(
      encryptKeystore(new Uint8Array(0), passphrase, { kind: 'mnemonic', scryptN }),
      isCode('KEYSTORE_SECRET_INVALID'),
    );
    for (const options of [
      { kind: 'privateKey' as const, scryptN: 1000 },
      { kind: 'privateKey' as const, scryptN: 2 ** 21 },
      { kind: 'wallet' as 'mnemonic', scryptN },
      { kind: 'privateKey' as const, scryptN, address: '' },
    ]) {
      await assert.rejects(
        encryptKeystore(privateKey, passphrase, options),
        isCode('KEYSTORE_OPTIONS_INVALID'),
      );
    }
    await assert.rejects(
      encryptKeystore(privateKey, 42 as unknown as string, { kind: 'privateKey', scryptN }),
      isCode('PASSPHRASE_INVALID'),
    );
  });

  it('browser (noble scrypt + WebCrypto) and node keystores open each other', async () => {
    const fromBrowser = await encryptKeystoreWith(browserPlatform, privateKey, passphrase, {
      kind: 'privateKey',
      address,
      scryptN,
    });
    const fromNode = await encryptKeystoreWith(nodePlatform, privateKey, passphrase, {
      kind: 'privateKey',
      address,
      scryptN,
    });
    assert.deepEqual(await decryptKeystoreWith(nodePlatform, fromBrowser, passphrase), privateKey);
    assert.deepEqual(await decryptKeystoreWith(browserPlatform, fromNode, passphrase), privateKey);
    await assert.rejects(
      decryptKeystoreWith(browserPlatform, fromNode, 'wrong'),
      isCode('KEYSTORE_WRONG_PASSPHRASE'),
    );
    const tampered = altered(fromNode, { ciphertext: flipHexByte() });
    await assert.rejects(
      decryptKeystoreWith(browserPlatform, tampered, passphrase),
      isCode('KEYSTORE_WRONG_PASSPHRASE'),
    );
  });

  it('node and browser primitives give identical bytes (scrypt, AES-256-GCM)', async () => {
    const password = utf8ToBytes('pw');
    const salt = hexToBytes('11'.repeat(32));
    const params = { n: 2 ** 10, r: 8, p: 1, keyLength: 32 };
    const key = await nodePlatform.scrypt(password, salt, params);
    assert.deepEqual(await browserPlatform.scrypt(password, salt, params), key);
    // RFC 7914 §12 vector: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64)
    const rfcVector =
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
    const rfcParams = { n: 1024, r: 8, p: 16, keyLength: 64 };
    for (const backend of [nodePlatform, browserPlatform]) {
      assert.equal(
        bytesToHex(await backend.scrypt(utf8ToBytes('password'), utf8ToBytes('NaCl'), rfcParams)),
        rfcVector,
      );
    }
    const iv = hexToBytes('22'.repeat(12));
    const aad = utf8ToBytes('header');
    const plaintext = utf8ToBytes('the secret');
    const sealed = await nodePlatform.aesGcmEncrypt(key, iv, plaintext, aad);
    assert.deepEqual(await browserPlatform.aesGcmEncrypt(key, iv, plaintext, aad), sealed);
    assert.equal(sealed.tag.length, 16);
    assert.equal(await nodePlatform.aesGcmDecrypt(key, iv, sealed, utf8ToBytes('other')), undefined);
    assert.equal(await browserPlatform.aesGcmDecrypt(key, iv, sealed, utf8ToBytes('other')), undefined);
  });
});
