export {
  ADDRESS_LENGTH,
  addressFromPublicKey,
  decodeAddress,
  encodeAddress,
  isAddress,
} from './address.ts';
export {
  bytesToHex,
  bytesToUtf8,
  compareBytes,
  concatBytes,
  constantTimeEqual,
  equalBytes,
  hexToBytes,
  randomBytes,
  utf8ToBytes,
} from './bytes.ts';
export { domainHash, hmacSha256, sha256, ZERO_HASH } from './hash.ts';
export type { EncryptKeystoreOptions, Keystore } from './keystore.ts';
export { decryptKeystore, encryptKeystore, KEYSTORE_DEFAULT_SCRYPT_N } from './keystore.ts';
export type { MerkleProof } from './merkle.ts';
export { merkleProof, merkleRoot, verifyMerkleProof } from './merkle.ts';
export {
  derivationPath,
  derivePrivateKey,
  generateMnemonic,
  isValidMnemonic,
  mnemonicToSeed,
  SHARDPAY_COIN_TYPE,
} from './mnemonic.ts';
export { isShardpayError, ShardpayError } from './ShardpayError.ts';
export {
  generatePrivateKey,
  HASH_LENGTH,
  isValidPrivateKey,
  isValidPublicKey,
  PRIVATE_KEY_LENGTH,
  PUBLIC_KEY_LENGTH,
  publicKeyFromPrivateKey,
  SIGNATURE_LENGTH,
  secp256k1Backend,
  signHash,
  verifyHash,
} from './secp256k1.ts';
