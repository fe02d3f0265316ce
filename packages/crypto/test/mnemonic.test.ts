import assert from 'node:assert/strict';
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, it } from 'node:test';
import { HDKey } from '@scure/bip32';
import {
  bytesToHex,
  derivationPath,
  derivePrivateKey,
  generateMnemonic,
  hexToBytes,
  isShardpayError,
  isValidMnemonic,
  isValidPrivateKey,
  mnemonicToSeed,
  publicKeyFromPrivateKey,
  SHARDPAY_COIN_TYPE,
} from '@shardpay/crypto';

const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

// Test vectors from BIP 39 (trezor/python-mnemonic vectors.json, passphrase "TREZOR").
const bip39Vectors: Array<[string, string]> = [
  [
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
  ],
  [
    'legal winner thank year wave sausage worth useful legal winner thank yellow',
    '2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607',
  ],
  [
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
    'bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8',
  ],
];

/** BIP32 CKDpriv written from the BIP (node:crypto HMAC, bigint arithmetic): an independent check. */
function referenceDerive(seed: Uint8Array, path: string): Uint8Array {
  const toHex = (value: bigint) => value.toString(16).padStart(64, '0');
  const master = createHmac('sha512', 'Bitcoin seed').update(seed).digest();
  let key = BigInt(`0x${master.subarray(0, 32).toString('hex')}`);
  let chainCode: Uint8Array = master.subarray(32);
  for (const segment of path.split('/').slice(1)) {
    const hardened = segment.endsWith("'");
    const index = Number.parseInt(segment, 10) + (hardened ? 2 ** 31 : 0);
    const indexBytes = Buffer.alloc(4);
    indexBytes.writeUInt32BE(index);
    const data = hardened
      ? Buffer.concat([Buffer.of(0), Buffer.from(toHex(key), 'hex'), indexBytes])
      : Buffer.concat([publicKeyFromPrivateKey(hexToBytes(toHex(key))), indexBytes]);
    const digest = createHmac('sha512', chainCode).update(data).digest();
    key = (BigInt(`0x${digest.subarray(0, 32).toString('hex')}`) + key) % curveOrder;
    chainCode = digest.subarray(32);
  }
  return hexToBytes(toHex(key));
}

describe('BIP39 mnemonics', () => {
  it('turns the BIP 39 test vectors into their seeds (and agrees with node:crypto PBKDF2)', () => {
    for (const [mnemonic, seed] of bip39Vectors) {
      assert.equal(isValidMnemonic(mnemonic), true);
      assert.equal(bytesToHex(mnemonicToSeed(mnemonic, 'TREZOR')), seed);
      const reference = pbkdf2Sync(mnemonic, 'mnemonicTREZOR', 2048, 64, 'sha512');
      assert.equal(bytesToHex(mnemonicToSeed(mnemonic, 'TREZOR')), reference.toString('hex'));
    }
    const withoutPassphrase = pbkdf2Sync(bip39Vectors[0]![0], 'mnemonic', 2048, 64, 'sha512');
    assert.equal(bytesToHex(mnemonicToSeed(bip39Vectors[0]![0])), withoutPassphrase.toString('hex'));
  });

  it('generates valid 24-word mnemonics by default, and 12 on request', () => {
    const long = generateMnemonic();
    const short = generateMnemonic(12);
    assert.equal(long.split(' ').length, 24);
    assert.equal(short.split(' ').length, 12);
    assert.equal(isValidMnemonic(long), true);
    assert.equal(isValidMnemonic(short), true);
    assert.notEqual(generateMnemonic(), long);
    assert.throws(
      () => generateMnemonic(18 as 12),
      (error) => isShardpayError(error, 'MNEMONIC_LENGTH_INVALID'),
    );
  });

  it('refuses bad checksums, unknown words and wrong lengths with MNEMONIC_INVALID', () => {
    const bad = [
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon', // checksum
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon bitcoinz', // not a word
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about', // 11 words
      '',
    ];
    for (const mnemonic of bad) {
      assert.equal(isValidMnemonic(mnemonic), false, mnemonic);
      assert.throws(
        () => mnemonicToSeed(mnemonic),
        (error) => isShardpayError(error, 'MNEMONIC_INVALID'),
      );
    }
    assert.equal(isValidMnemonic(42 as unknown as string), false);
  });

  it('never puts the mnemonic into the error', () => {
    const mnemonic = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo';
    try {
      mnemonicToSeed(mnemonic);
      assert.fail('expected MNEMONIC_INVALID');
    } catch (error) {
      assert.ok(isShardpayError(error, 'MNEMONIC_INVALID'));
      assert.ok(!error.message.includes('zoo'));
      assert.deepEqual(error.meta, {});
    }
  });
});

describe('BIP32 derivation', () => {
  it('the reference derivation reproduces BIP 32 test vector 1', () => {
    const seed = hexToBytes('000102030405060708090a0b0c0d0e0f');
    const vector: Array<[string, string]> = [
      ["m/0'", 'edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea'],
      ["m/0'/1", '3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368'],
      ["m/0'/1/2'", 'cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca'],
      ["m/0'/1/2'/2", '0f479245fb19a38a1954c5c7c0ebab2f9bdfd96a17563ef28a6a4b1a2a764ef4'],
      ["m/0'/1/2'/2/1000000000", '471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8'],
    ];
    for (const [path, privateKey] of vector) {
      assert.equal(bytesToHex(referenceDerive(seed, path)), privateKey, path);
      assert.equal(
        bytesToHex(HDKey.fromMasterSeed(seed).derive(path).privateKey!),
        privateKey,
        `scure ${path}`,
      );
    }
  });

  it("derives m/44'/8888'/0'/0/i exactly as the reference does", () => {
    assert.equal(SHARDPAY_COIN_TYPE, 8888);
    assert.equal(derivationPath(7), "m/44'/8888'/0'/0/7");
    const seed = mnemonicToSeed(bip39Vectors[0]![0]);
    for (const accountIndex of [0, 1, 2, 19, 2 ** 31 - 1]) {
      const privateKey = derivePrivateKey(seed, accountIndex);
      assert.equal(isValidPrivateKey(privateKey), true);
      assert.deepEqual(
        privateKey,
        referenceDerive(seed, derivationPath(accountIndex)),
        `account ${accountIndex}`,
      );
    }
    // Pinned so that a change of path or library shows up here (value cross-checked above).
    assert.equal(
      bytesToHex(derivePrivateKey(seed, 0)),
      '0aac91ea7cd859b80e87e8f9214e4be880d863159b703ddd3f2ff2708c2ee5bc',
    );
    assert.notDeepEqual(derivePrivateKey(seed, 0), derivePrivateKey(seed, 1));
  });

  it('refuses bad account indices and seeds', () => {
    const seed = new Uint8Array(64).fill(3);
    for (const accountIndex of [-1, 2 ** 31, 1.5, Number.NaN]) {
      assert.throws(
        () => derivePrivateKey(seed, accountIndex),
        (error) => isShardpayError(error, 'ACCOUNT_INDEX_INVALID'),
      );
    }
    for (const badSeed of [new Uint8Array(15), new Uint8Array(65)]) {
      assert.throws(
        () => derivePrivateKey(badSeed, 0),
        (error) => isShardpayError(error, 'SEED_INVALID'),
      );
    }
    assert.equal(derivePrivateKey(new Uint8Array(16).fill(1), 0).length, 32);
  });
});
