/**
 * Signing hashes of the commerce operations and the multisig address: every field changes the
 * hash, a signature made under one domain never verifies under another, authorizations verify
 * only for their hash and never throw on malformed input, and the values are pinned.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, publicKeyFromPrivateKey, sha256, signHash, utf8ToBytes } from '@shardpay/crypto';
import {
  type Authorization,
  escrowActionSigningHash,
  isAuthorizationValid,
  issuerControlSigningHash,
  multisigAddress,
  multisigSigningHash,
  signAuthorization,
  timelockClaimSigningHash,
  transactionSigningHash,
} from '../src/index.ts';
import { assertThrowsCode } from './assertions.ts';
import { vectorOwners } from './commerceVectors.ts';
import { testPrivateKey } from './fixtures.ts';

const chainId = 'shardpay-devnet-1';
const escrowId = sha256(utf8ToBytes('escrow'));
const timelockId = sha256(utf8ToBytes('timelock'));
const account = new Uint8Array(20).fill(0x33);
const target = new Uint8Array(20).fill(0xf0);
const transfer = {
  type: 'transfer' as const,
  to: new Uint8Array(20).fill(0xb0),
  amount: 1_000_000n,
  memo: '',
};
const oracleKey = testPrivateKey('oracle');

/** Every hash of the commerce domains for a base value and one change of each field. */
function allHashes(): Array<[string, Uint8Array]> {
  return [
    ['escrow release', escrowActionSigningHash(chainId, escrowId, 'release', 0n)],
    ['escrow release, other chain', escrowActionSigningHash('other-1', escrowId, 'release', 0n)],
    ['escrow release, other id', escrowActionSigningHash(chainId, timelockId, 'release', 0n)],
    ['escrow refund', escrowActionSigningHash(chainId, escrowId, 'refund', 0n)],
    ['escrow dispute', escrowActionSigningHash(chainId, escrowId, 'dispute', 0n)],
    ['escrow settle 0', escrowActionSigningHash(chainId, escrowId, 'settle', 0n)],
    ['escrow settle 1', escrowActionSigningHash(chainId, escrowId, 'settle', 1n)],
    ['timelock claim', timelockClaimSigningHash(chainId, timelockId)],
    ['timelock claim, other chain', timelockClaimSigningHash('other-1', timelockId)],
    ['timelock claim, escrow id', timelockClaimSigningHash(chainId, escrowId)],
    ['multisig', multisigSigningHash(chainId, account, 0n, transfer)],
    ['multisig, other chain', multisigSigningHash('other-1', account, 0n, transfer)],
    ['multisig, other account', multisigSigningHash(chainId, target, 0n, transfer)],
    ['multisig, other nonce', multisigSigningHash(chainId, account, 1n, transfer)],
    ['multisig, other amount', multisigSigningHash(chainId, account, 0n, { ...transfer, amount: 2n })],
    [
      'multisig, update',
      multisigSigningHash(chainId, account, 0n, {
        type: 'multisig_update',
        owners: vectorOwners,
        threshold: 2,
      }),
    ],
    ['issuer pause', issuerControlSigningHash(chainId, 0, 0n, 'pause', null)],
    ['issuer pause, other chain', issuerControlSigningHash('other-1', 0, 0n, 'pause', null)],
    ['issuer pause, shard 1', issuerControlSigningHash(chainId, 1, 0n, 'pause', null)],
    ['issuer pause, nonce 1', issuerControlSigningHash(chainId, 0, 1n, 'pause', null)],
    ['issuer unpause', issuerControlSigningHash(chainId, 0, 0n, 'unpause', null)],
    ['issuer freeze', issuerControlSigningHash(chainId, 0, 0n, 'freeze', target)],
    ['issuer freeze, other target', issuerControlSigningHash(chainId, 0, 0n, 'freeze', account)],
    ['issuer unfreeze', issuerControlSigningHash(chainId, 0, 0n, 'unfreeze', target)],
  ];
}

describe('commerce signing hashes', () => {
  it('every field and every domain gives a different hash', () => {
    const hashes = allHashes();
    const seen = new Map<string, string>();
    for (const [name, hash] of hashes) {
      assert.equal(hash.length, 32);
      const hex = bytesToHex(hash);
      assert.ok(!seen.has(hex), `${name} equals ${seen.get(hex)}`);
      seen.set(hex, name);
    }
  });

  it('are deterministic and pinned', () => {
    assert.deepStrictEqual(
      escrowActionSigningHash(chainId, escrowId, 'release', 0n),
      escrowActionSigningHash(chainId, escrowId, 'release', 0n),
    );
    const pinned = Object.fromEntries(
      allHashes()
        .filter(([name]) => !name.includes(','))
        .map(([name, hash]) => [name, bytesToHex(hash)]),
    );
    assert.deepStrictEqual(pinned, PINNED_HASHES);
  });

  it('a signature under one domain never verifies under another', () => {
    const hashes = allHashes();
    for (const [signedName, signed] of hashes) {
      const auth = signAuthorization(signed, oracleKey);
      for (const [checkedName, checked] of hashes) {
        assert.equal(
          isAuthorizationValid(auth, checked),
          signedName === checkedName,
          `${signedName} vs ${checkedName}`,
        );
      }
    }
  });

  it('commerce signatures are never valid transaction signatures, and the other way round', () => {
    const publicKey = publicKeyFromPrivateKey(oracleKey);
    const body = {
      chainId,
      shard: 0,
      nonce: 0n,
      fee: 0n,
      expiryHeight: 10n,
      publicKey,
      operation: { type: 'escrow_release' as const, escrowId, authorization: null },
    };
    const txHash = transactionSigningHash(body);
    const release = escrowActionSigningHash(chainId, escrowId, 'release', 0n);
    assert.equal(isAuthorizationValid(signAuthorization(txHash, oracleKey), release), false);
    assert.equal(isAuthorizationValid({ publicKey, signature: signHash(release, oracleKey) }, txHash), false);
  });

  it('only a settlement names a buyer amount', () => {
    assertThrowsCode(
      () => escrowActionSigningHash(chainId, escrowId, 'release', 1n),
      'ENCODE_ERROR',
      'out_of_range',
    );
    assertThrowsCode(
      () => escrowActionSigningHash(chainId, escrowId, 'steal' as 'release', 0n),
      'ENCODE_ERROR',
      'unknown_variant',
    );
  });

  it('a multisig signs only operations it may execute', () => {
    assertThrowsCode(
      () =>
        multisigSigningHash(chainId, account, 0n, {
          type: 'mint',
          to: account,
          amount: 1n,
          reference: 'r',
        } as unknown as typeof transfer),
      'ENCODE_ERROR',
      'not_allowed',
    );
  });
});

describe('authorizations', () => {
  const hash = escrowActionSigningHash(chainId, escrowId, 'release', 0n);
  const auth = signAuthorization(hash, oracleKey);

  it('carry the signer key and verify for their hash only', () => {
    assert.deepStrictEqual(auth.publicKey, publicKeyFromPrivateKey(oracleKey));
    assert.ok(isAuthorizationValid(auth, hash));
    const otherKey = { ...auth, publicKey: publicKeyFromPrivateKey(testPrivateKey('someone else')) };
    assert.equal(isAuthorizationValid(otherKey, hash), false);
  });

  it('malformed authorizations are invalid, never thrown', () => {
    const flipped = auth.signature.slice();
    flipped[5] = (flipped[5] ?? 0) ^ 1;
    const malformed: unknown[] = [
      null,
      undefined,
      42,
      {},
      { publicKey: auth.publicKey },
      { ...auth, signature: flipped },
      { ...auth, signature: auth.signature.subarray(0, 63) },
      { ...auth, publicKey: auth.publicKey.subarray(0, 32) },
      { ...auth, publicKey: Uint8Array.of(2, ...new Uint8Array(32).fill(0xff)) },
      { ...auth, publicKey: 'not bytes' },
    ];
    for (const value of malformed) assert.equal(isAuthorizationValid(value as Authorization, hash), false);
    assert.equal(isAuthorizationValid(auth, new Uint8Array(31)), false);
  });
});

describe('multisigAddress', () => {
  const creator = new Uint8Array(20).fill(0x22);

  it('is 20 bytes, deterministic, and depends on chain, creator and salt', () => {
    const base = multisigAddress(chainId, creator, 0n);
    assert.equal(base.length, 20);
    assert.deepStrictEqual(multisigAddress(chainId, creator, 0n), base);
    const others = [
      multisigAddress('other-1', creator, 0n),
      multisigAddress(chainId, account, 0n),
      multisigAddress(chainId, creator, 1n),
    ];
    for (const other of others) assert.notDeepStrictEqual(other, base);
    assert.equal(bytesToHex(base), PINNED_MULTISIG_ADDRESS);
  });

  it('refuses malformed input with ENCODE_ERROR', () => {
    assertThrowsCode(() => multisigAddress(chainId, new Uint8Array(19), 0n), 'ENCODE_ERROR', 'wrong_length');
    assertThrowsCode(() => multisigAddress(chainId, creator, -1n), 'ENCODE_ERROR', 'out_of_range');
  });
});

/** Never edit: a change here invalidates every signature made before it. */
const PINNED_MULTISIG_ADDRESS = 'e6eac9947dd38e46c03f2d4f64309aab37b2edcc';
const PINNED_HASHES: Record<string, string> = {
  'escrow release': '1cc2e959fa26ca9d1159e4980db67cb279cb999dfc50ad656022d5843984bb4b',
  'escrow refund': 'e35cae642c28c36fe4d9f990fd0b08d32f67403cf020ecfcc23dcbd1b4acf55b',
  'escrow dispute': 'e416bede3db8cf395458fb82a77ab34beca147fcf36685a1d63bd0c9efaf35f0',
  'escrow settle 0': 'a3da9c1c445a37f33331a5a315eac28e23449d5306303064ebc5be739c78faee',
  'escrow settle 1': '87ddd1993e025f10042addf09601d5110e08e3697299d83113683b5d035255c6',
  'timelock claim': '8e40fdd13b4ac3af29b2b6bb2b66e7d03f5fdb9efc563896d420a26093bb2f7a',
  multisig: '9774bb50b9ea97fa4d8ad68bab45063245de509f329177257f745a0c1608f605',
  'issuer pause': '1431c5ad02ed01087ddb2dfc0267e8890f77d5ab68406364b75fe340a4c15ba5',
  'issuer unpause': '6fb95344964fd359c93117757777a93efae7d44f7ef1d011b4dce54667a1db23',
  'issuer freeze': 'f8ff8feab9714c8952409695efe03f3a555db24fb55d0983363631412d9b195c',
  'issuer unfreeze': 'd7ed77a704d7ba7d5be0ca78d57c50018eabcf6be97344b4de95713bd1fd3cfb',
};
