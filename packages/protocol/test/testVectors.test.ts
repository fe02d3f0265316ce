/**
 * The committed vectors in test-vectors/ pin the wire format: for every kind, JSON → value →
 * encode must give the committed hex, decode(hex) → JSON must give the committed JSON, and the id
 * must match. They are read from disk, never regenerated here (see test-vectors/generate.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, sha256 } from '@shardpay/crypto';
import {
  type DuplicateVoteEvidence,
  isCommitCertificateValid,
  isTransactionSignatureValid,
  isVoteSignatureValid,
  type Transaction,
  type Vote,
  voteFromJson,
} from '../src/index.ts';
import { testCommittee } from './fixtures.ts';
import { kindCases } from './kinds.ts';

interface VectorFile {
  kind: string;
  objectKind: number;
  addressPrefix: string;
  vectors: Array<{ name: string; json: unknown; hex: string; id: string; signingHash?: string }>;
}

const vectorDir = join(import.meta.dirname, '..', 'test-vectors');

function readVectors(name: string): VectorFile {
  return JSON.parse(readFileSync(join(vectorDir, `${name}.json`), 'utf8')) as VectorFile;
}

for (const c of kindCases) {
  describe(`test vectors: ${c.name}`, () => {
    const file = readVectors(c.name);

    it('has at least two vectors of this kind', () => {
      assert.equal(file.kind, c.name);
      assert.equal(file.objectKind, c.kind);
      assert.ok(file.vectors.length >= 2);
    });

    for (const vector of file.vectors) {
      it(`${vector.name}: JSON → encode = hex, decode(hex) → JSON, id`, () => {
        const value = c.fromJson(vector.json, file.addressPrefix);
        const bytes = c.encode(value);
        assert.equal(bytesToHex(bytes), vector.hex);

        const decoded = c.decode(hexToBytes(vector.hex));
        assert.deepStrictEqual(c.toJson(decoded, file.addressPrefix), vector.json);
        assert.deepStrictEqual(decoded, value);

        assert.equal(bytesToHex(c.id ? c.id(decoded) : sha256(bytes)), vector.id);
        if (c.id) assert.equal(bytesToHex(sha256(bytes)), vector.id, 'ids are sha256 of the canonical bytes');
        assert.equal(vector.signingHash !== undefined, c.signingHash !== undefined);
        if (c.signingHash && vector.signingHash !== undefined) {
          assert.equal(bytesToHex(c.signingHash(decoded)), vector.signingHash);
        }
      });
    }
  });
}

describe('test vectors carry valid signatures', () => {
  const committee = testCommittee(0);
  const publicKeyOf = (index: number) => {
    const validator = committee.validators[index];
    assert.ok(validator !== undefined);
    return validator.publicKey;
  };

  it('transactions', () => {
    const c = kindCases.find((k) => k.name === 'transaction');
    assert.ok(c !== undefined);
    for (const vector of readVectors('transaction').vectors) {
      assert.ok(isTransactionSignatureValid(c.decode(hexToBytes(vector.hex)) as Transaction), vector.name);
    }
  });

  it('votes and evidence (signed by the test validators)', () => {
    for (const vector of readVectors('vote').vectors) {
      const vote = voteFromJson(vector.json);
      assert.ok(isVoteSignatureValid(vote, publicKeyOf(vote.validatorIndex)), vector.name);
    }
    const c = kindCases.find((k) => k.name === 'duplicateVoteEvidence');
    assert.ok(c !== undefined);
    for (const vector of readVectors('duplicateVoteEvidence').vectors) {
      const { voteA, voteB } = c.decode(hexToBytes(vector.hex)) as DuplicateVoteEvidence;
      for (const vote of [voteA, voteB] as Vote[]) {
        assert.ok(isVoteSignatureValid(vote, publicKeyOf(vote.validatorIndex)), vector.name);
      }
    }
  });

  it('commit certificates', () => {
    const c = kindCases.find((k) => k.name === 'commitCertificate');
    assert.ok(c !== undefined);
    for (const vector of readVectors('commitCertificate').vectors) {
      const cert = c.decode(hexToBytes(vector.hex)) as Parameters<typeof isCommitCertificateValid>[0];
      assert.ok(isCommitCertificateValid(cert, testCommittee(cert.shard), cert), vector.name);
    }
  });
});
