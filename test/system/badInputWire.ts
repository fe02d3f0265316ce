/** The node's p2p frame format, as the bad-input test forges it (the node's own encoder, renamed). */
export {
  decodeFrame as decodeWireFrame,
  encodeFrame as encodeWireFrame,
  FrameKind as WireKind,
  u32Bytes,
  u64Bytes,
} from '@shardpay/node';
