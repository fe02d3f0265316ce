/**
 * The first byte of every top-level encoding. Distinct kinds mean the bytes of one object can
 * never be decoded (or hashed, or signed) as another. Values are part of the wire format: never
 * renumber; a new version of a layout takes a new kind.
 */
export const ObjectKind = {
  transaction: 0x01,
  transactionBody: 0x02,
  receipt: 0x03,
  blockHeader: 0x04,
  block: 0x05,
  voteBody: 0x06,
  vote: 0x07,
  proposalBody: 0x08,
  proposal: 0x09,
  commitCertificate: 0x0a,
  duplicateVoteEvidence: 0x0b,
  networkConfig: 0x0c,
  operation: 0x0d,
  merkleProof: 0x0e,
} as const;

/** One of the object kind bytes. */
export type ObjectKind = (typeof ObjectKind)[keyof typeof ObjectKind];
