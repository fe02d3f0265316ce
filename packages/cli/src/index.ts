/** @shardpay/cli: the `shardpay` command, and the devnet supervisor that tests and tools can drive. */

export { callNodeRpc } from './devnet/callNodeRpc.ts';
export {
  assertValidDevnetShape,
  BANK_PORT_OFFSET,
  type DevnetValidatorPorts,
  devnetPorts,
  MAX_DEVNET_VALIDATORS,
  ORACLE_PORT_OFFSET,
} from './devnet/devnetPorts.ts';
export { findFreeDevnetPort } from './devnet/findFreeDevnetPort.ts';
export { findTakenPort, isPortFree, type PortUse } from './devnet/findTakenPort.ts';
export {
  DEVNET_CHAIN_ID,
  DEVNET_DEFAULTS,
  type DevnetManifest,
  type DevnetValidatorRecord,
  type OpenDevnetOptions,
  type OpenedDevnet,
  openDevnet,
  readDevnetManifest,
} from './devnet/openDevnet.ts';
export {
  type DevnetStatus,
  queryDevnetStatus,
  type ShardStatus,
  type ValidatorStatus,
} from './devnet/queryDevnetStatus.ts';
export {
  type DevnetEvent,
  type DevnetServiceKind,
  defaultNodeBin,
  type RunningDevnet,
  type StartDevnetOptions,
  startDevnet,
} from './devnet/startDevnet.ts';
export { type StartDevnetBankOptions, startDevnetBank } from './devnet/startDevnetBank.ts';
export { type StartDevnetGatewayOptions, startDevnetGateway } from './devnet/startDevnetGateway.ts';
export {
  devnetOracleKeyFile,
  type StartDevnetOracleOptions,
  startDevnetOracle,
} from './devnet/startDevnetOracle.ts';
export { type DevnetService, devnetSecret } from './devnet/startDevnetService.ts';
export { main } from './main.ts';
