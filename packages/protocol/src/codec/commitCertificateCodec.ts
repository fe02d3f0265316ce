import type { CommitCertificate } from '../types.ts';
import type { ByteReader } from './ByteReader.ts';
import type { ByteWriter } from './ByteWriter.ts';
import { readChainId, readHash, readSignature, writeChainId, writeHash, writeSignature } from './fields.ts';
import { MAX_CERTIFICATE_SIGNATURES, SIGNATURE_BYTES } from './limits.ts';
import { ObjectKind } from './objectKind.ts';
import { decodeTopLevel, encodeTopLevel } from './topLevel.ts';

export function writeCommitCertificate(writer: ByteWriter, cert: CommitCertificate): void {
  writeChainId(writer, cert.chainId);
  writer.u16(cert.shard, 'shard');
  writer.u64(cert.height, 'height');
  writer.u32(cert.round, 'round');
  writeHash(writer, cert.blockHash, 'blockHash');
  writer.count(cert.signatures, MAX_CERTIFICATE_SIGNATURES, 'signatures');
  cert.signatures.forEach((entry, i) => {
    writer.u16(entry.validatorIndex, `signatures[${i}].validatorIndex`);
    writeSignature(writer, entry.signature, `signatures[${i}].signature`);
  });
}

export function readCommitCertificate(reader: ByteReader): CommitCertificate {
  const chainId = readChainId(reader);
  const shard = reader.u16();
  const height = reader.u64();
  const round = reader.u32();
  const blockHash = readHash(reader);
  const count = reader.count(MAX_CERTIFICATE_SIGNATURES, 2 + SIGNATURE_BYTES);
  const signatures: CommitCertificate['signatures'] = [];
  for (let i = 0; i < count; i++) {
    const validatorIndex = reader.u16();
    const signature = readSignature(reader);
    signatures.push({ validatorIndex, signature });
  }
  return { chainId, shard, height, round, blockHash, signatures };
}

/** Canonical bytes of a commit certificate (kind 0x0a); its id is their sha256. */
export function encodeCommitCertificate(cert: CommitCertificate): Uint8Array {
  return encodeTopLevel(ObjectKind.commitCertificate, cert, writeCommitCertificate);
}

/** Decodes `encodeCommitCertificate` bytes; throws DECODE_ERROR on anything non-canonical. */
export function decodeCommitCertificate(bytes: Uint8Array): CommitCertificate {
  return decodeTopLevel(bytes, ObjectKind.commitCertificate, 'commit certificate', readCommitCertificate);
}
