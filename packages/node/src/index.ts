/**
 * @shardpay/node: the validator process. Its composition root is `createValidatorNode`; this entry
 * also exports what tools build on (the devnet genesis, the config loader, the RPC server).
 */
export { createValidatorNode, STATUS_PROTOCOL, type ValidatorNodeOptions } from './createValidatorNode.ts';
export {
  contiguousBucketMap,
  createDevnetGenesis,
  type DevnetGenesis,
  type DevnetGenesisOptions,
  type DevnetKey,
} from './genesis/createDevnetGenesis.ts';
export { loadNodeConfig } from './loadNodeConfig.ts';
export { createNodeMetrics, type NodeMetrics, type NodeMetricsOptions } from './metrics/createNodeMetrics.ts';
export {
  type BlockLimits,
  type ConsensusTimeouts,
  defaultNodeSettings,
  type MempoolLimits,
  type NodeConfig,
} from './NodeConfig.ts';
export {
  createNodeRpcServer,
  defaultNodeRpcLimits,
  type NodeRpcServerDependencies,
  type NodeRpcServerOptions,
} from './rpc/createNodeRpcServer.ts';
export {
  createRpcMethods,
  RPC_METHOD_NAMES,
  type RpcMethodName,
  type RpcMethodsOptions,
} from './rpc/createRpcMethods.ts';
export {
  createRpcServer,
  type RpcCallContext,
  type RpcError,
  RpcErrorCode,
  type RpcMethod,
  type RpcServer,
  type RpcServerDependencies,
  type RpcServerOptions,
} from './rpc/createRpcServer.ts';
export { SUBSCRIPTION_NOTIFICATION } from './rpc/createSubscriptionMethods.ts';
export type {
  AccountViewJson,
  NetworkInfoJson,
  NewHeadJson,
  ReceiptWithProofJson,
  SupplyViewJson,
  TransactionStageJson,
  TransactionStatusJson,
} from './rpc/rpcJson.ts';
export type {
  AccountView,
  CommittedBlockEvent,
  NetworkInfo,
  NodeStats,
  ReceiptWithProof,
  SupplyView,
  TransactionStage,
  TransactionStatus,
  ValidatorNode,
} from './ValidatorNode.ts';
export { decodeFrame, encodeFrame, type Frame, FrameKind, u32Bytes, u64Bytes } from './wire/frames.ts';
