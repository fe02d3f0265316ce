import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesToHex, domainHash, isShardpayError, sha256, utf8ToBytes, ZERO_HASH } from '@shardpay/crypto';
import fc from 'fast-check';
import { platform as browserPlatform } from '../src/platform.browser.ts';
import { platform as nodePlatform } from '../src/platform.node.ts';
import { propertyParameters } from './propertyParameters.ts';

// FIPS 180-2 / NIST examples.
const sha256Vectors: Array<[string, Uint8Array, string]> = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', utf8ToBytes('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    '448-bit message',
    utf8ToBytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [
    'one million a',
    new Uint8Array(1_000_000).fill(0x61),
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  ],
];

describe('sha256', () => {
  for (const [name, backend] of [
    ['node', nodePlatform],
    ['browser (noble)', browserPlatform],
  ] as const) {
    it(`matches the NIST vectors on the ${name} backend`, () => {
      for (const [label, input, expected] of sha256Vectors) {
        assert.equal(bytesToHex(backend.sha256(input)), expected, label);
      }
    });
  }

  it('the public sha256 is the node backend here and returns plain 32-byte Uint8Arrays', () => {
    const digest = sha256(utf8ToBytes('abc'));
    assert.equal(Object.getPrototypeOf(digest), Uint8Array.prototype);
    assert.equal(digest.length, 32);
    assert.equal(bytesToHex(digest), sha256Vectors[1]![2]);
  });

  it('node and noble backends agree on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        assert.deepEqual(nodePlatform.sha256(data), browserPlatform.sha256(data));
      }),
      propertyParameters(300),
    );
  });

  it('ZERO_HASH is 32 zero bytes', () => {
    assert.equal(ZERO_HASH.length, 32);
    assert.ok(ZERO_HASH.every((byte) => byte === 0));
  });
});

describe('domainHash', () => {
  /** The definition, computed independently with node:crypto. */
  function expectedDomainHash(tag: string, data: Uint8Array): string {
    const tagBytes = Buffer.from(tag, 'utf8');
    return createHash('sha256')
      .update(Uint8Array.of(tagBytes.length))
      .update(tagBytes)
      .update(data)
      .digest('hex');
  }

  it('is sha256(u8(len(tag)) ‖ tag ‖ data), counting UTF-8 bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ maxLength: 100 }),
        (tag, data) => {
          assert.equal(bytesToHex(domainHash(tag, data)), expectedDomainHash(tag, data));
        },
      ),
      propertyParameters(200),
    );
    assert.equal(
      bytesToHex(domainHash('shardpay/tx', utf8ToBytes('x'))),
      expectedDomainHash('shardpay/tx', utf8ToBytes('x')),
    );
    // 'é' is 2 bytes: the length byte is 2, not 1.
    assert.equal(bytesToHex(domainHash('é', new Uint8Array(0))), expectedDomainHash('é', new Uint8Array(0)));
  });

  it('separates domains: same data, different tags, different hashes; the tag cannot bleed into data', () => {
    const data = utf8ToBytes('payload');
    assert.notDeepEqual(domainHash('shardpay/tx', data), domainHash('shardpay/vote', data));
    assert.notDeepEqual(domainHash('ab', utf8ToBytes('c')), domainHash('a', utf8ToBytes('bc')));
    assert.notDeepEqual(domainHash('tag', data), sha256(data));
  });

  it('takes tags of 1..255 bytes and refuses others with DOMAIN_TAG_INVALID', () => {
    assert.equal(domainHash('x'.repeat(255), new Uint8Array(0)).length, 32);
    for (const tag of ['', 'x'.repeat(256), 'é'.repeat(128)]) {
      assert.throws(
        () => domainHash(tag, new Uint8Array(0)),
        (error) => isShardpayError(error, 'DOMAIN_TAG_INVALID'),
      );
    }
  });
});
