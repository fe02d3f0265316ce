import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CommitCertificate,
  isCommitCertificateValid,
  signVote,
  verifyCommitCertificate,
} from '../src/index.ts';
import { assertThrowsCode } from './assertions.ts';
import { testCommittee, testPrivateKey, validatorKeys } from './fixtures.ts';

const chainId = 'shardpay-test-1';
const shard = 1;
const height = 42n;
const round = 2;
const blockHash = new Uint8Array(32).fill(0xab);
const committee = testCommittee(shard);
const expected = { chainId, shard, height, blockHash };

function precommitSignature(validatorIndex: number, key = validatorKeys[validatorIndex]) {
  assert.ok(key !== undefined);
  const vote = signVote({ chainId, shard, height, round, type: 'precommit', blockHash, validatorIndex }, key);
  return { validatorIndex, signature: vote.signature };
}

function certificate(signers: number[]): CommitCertificate {
  return { chainId, shard, height, round, blockHash, signatures: signers.map((i) => precommitSignature(i)) };
}

function assertRefused(cert: CommitCertificate, reason: string, expectation = expected): void {
  assertThrowsCode(
    () => verifyCommitCertificate(cert, committee, expectation),
    'CERTIFICATE_INVALID',
    reason,
  );
  assert.equal(isCommitCertificateValid(cert, committee, expectation), false);
}

describe('verifyCommitCertificate', () => {
  it('accepts a quorum (3 of 4) and all four; height and hash are optional expectations', () => {
    verifyCommitCertificate(certificate([0, 1, 3]), committee, expected);
    verifyCommitCertificate(certificate([0, 1, 2, 3]), committee, expected);
    assert.ok(isCommitCertificateValid(certificate([1, 2, 3]), committee, { chainId, shard }));
  });

  it('refuses too few signatures', () => {
    assertRefused(certificate([0, 2]), 'insufficient_signatures');
    assertRefused(certificate([]), 'insufficient_signatures');
  });

  it('refuses an unknown validator index', () => {
    const cert = certificate([0, 1, 2]);
    cert.signatures.push({ validatorIndex: 4, signature: precommitSignature(3).signature });
    assertRefused(cert, 'unknown_validator');
  });

  it('refuses a signer counted twice', () => {
    const cert = certificate([0, 1]);
    cert.signatures.push(precommitSignature(1));
    assertRefused(cert, 'duplicate_signer');
  });

  it('refuses signatures not sorted by validator index', () => {
    assertRefused(certificate([0, 2, 1]), 'unsorted_signatures');
  });

  it('refuses the wrong height, block hash, chain or shard', () => {
    const cert = certificate([0, 1, 2]);
    assertRefused(cert, 'wrong_height', { ...expected, height: 43n });
    assertRefused(cert, 'wrong_block_hash', { ...expected, blockHash: new Uint8Array(32) });
    assertRefused(cert, 'wrong_chain', { ...expected, chainId: 'other-chain' });
    assertRefused({ ...cert, shard: 0 }, 'wrong_shard');
  });

  it('refuses a committee of another shard', () => {
    assertThrowsCode(
      () => verifyCommitCertificate(certificate([0, 1, 2]), testCommittee(0), expected),
      'CERTIFICATE_INVALID',
      'wrong_committee',
    );
  });

  it('refuses a bad signature: by another key, over another round, or corrupted', () => {
    const byOutsider = certificate([0, 1]);
    byOutsider.signatures.push(precommitSignature(2, testPrivateKey('outsider')));
    assertRefused(byOutsider, 'bad_signature');

    // Signed for round 2 but the certificate claims round 3: every signature fails.
    assertRefused({ ...certificate([0, 1, 2]), round: 3 }, 'bad_signature');

    const corrupted = certificate([0, 1, 2, 3]);
    const last = corrupted.signatures[3];
    assert.ok(last !== undefined);
    const signature = last.signature.slice();
    signature[10] = (signature[10] ?? 0) ^ 1;
    corrupted.signatures[3] = { validatorIndex: 3, signature };
    assertRefused(corrupted, 'bad_signature');
  });

  it('refuses prevote signatures presented as precommits', () => {
    const signatures = [0, 1, 2].map((validatorIndex) => {
      const key = validatorKeys[validatorIndex];
      assert.ok(key !== undefined);
      const vote = signVote(
        { chainId, shard, height, round, type: 'prevote', blockHash, validatorIndex },
        key,
      );
      return { validatorIndex, signature: vote.signature };
    });
    assertRefused({ chainId, shard, height, round, blockHash, signatures }, 'bad_signature');
  });

  it('refuses a malformed certificate', () => {
    assertRefused({ ...certificate([0, 1, 2]), blockHash: new Uint8Array(31) }, 'malformed');
  });
});
