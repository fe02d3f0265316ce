import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bytesToHex, encodeAddress, isShardpayError, ShardpayError } from '@shardpay/crypto';
import type { DevnetKey } from '@shardpay/node';
import { networkConfigToJson } from '@shardpay/protocol';
import { assertValidDevnetShape, devnetPorts } from './devnetPorts.ts';

export const DEVNET_CHAIN_ID = 'shardpay-devnet';
export const DEVNET_DEFAULTS = { shards: 2, validators: 4, port: 8080, dir: '.shardpay-devnet' } as const;
/** Dollars each shard's faucet account holds at genesis. */
export const DEVNET_FAUCET_BALANCE = '1000000';
const MANIFEST_FILE = 'devnet.json';
const MANIFEST_VERSION = 1;
/** What a first start writes; a folder holding only these is an interrupted first start, safe to redo. */
const DEVNET_ENTRIES = new Set(['genesis.json', 'keys', 'validators', 'logs', `${MANIFEST_FILE}.tmp`]);

/** One validator as `devnet.json` records it; paths are relative to the devnet folder. */
export interface DevnetValidatorRecord {
  shard: number;
  index: number;
  rpcPort: number;
  p2pPort: number;
  /** Its folder: `config.json`, `key.json` (0600) and `data/` (LMDB). */
  dir: string;
  log: string;
}

/** `DIR/devnet.json`: written last on first start, so its presence means the devnet is complete. */
export interface DevnetManifest {
  version: 1;
  chainId: string;
  shards: number;
  validatorsPerShard: number;
  basePort: number;
  createdAt: string;
  validators: DevnetValidatorRecord[];
}

export interface OpenDevnetOptions {
  dir: string;
  /** Left out: the recorded value on resume, the default on first start. Given: must match on resume. */
  shards?: number;
  validators?: number;
  port?: number;
  now?: () => Date;
}

export interface OpenedDevnet {
  /** Absolute path of the devnet folder. */
  dir: string;
  manifest: DevnetManifest;
  /** True when this call generated genesis and keys; false when it resumed. */
  created: boolean;
}

function stateInvalid(message: string, meta: Record<string, unknown> = {}): ShardpayError {
  return new ShardpayError('DEVNET_STATE_INVALID', message, { meta });
}

/** Reads `DIR/devnet.json`, or undefined when there is none; DEVNET_STATE_INVALID when it is damaged. */
export async function readDevnetManifest(dir: string): Promise<DevnetManifest | undefined> {
  const path = join(resolve(dir), MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateInvalid(`cannot read ${path}: ${(error as Error).message}`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw stateInvalid(`${path} is not valid JSON; remove the folder to start a new devnet`, { path });
  }
  const m = json as Partial<DevnetManifest>;
  const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
  if (
    typeof m !== 'object' ||
    m === null ||
    m.version !== MANIFEST_VERSION ||
    typeof m.chainId !== 'string' ||
    !isCount(m.shards) ||
    !isCount(m.validatorsPerShard) ||
    !isCount(m.basePort) ||
    !Array.isArray(m.validators) ||
    m.validators.length !== m.shards! * m.validatorsPerShard!
  ) {
    throw stateInvalid(
      `${path} is not a devnet manifest of this version; remove the folder to start a new devnet`,
      {
        path,
      },
    );
  }
  const expected = devnetPorts(m.basePort!, m.shards!, m.validatorsPerShard!);
  m.validators.forEach((record, k) => {
    const want = expected[k]!;
    if (
      typeof record !== 'object' ||
      record === null ||
      record.shard !== want.shard ||
      record.index !== want.index ||
      record.rpcPort !== want.rpcPort ||
      record.p2pPort !== want.p2pPort ||
      typeof record.dir !== 'string' ||
      typeof record.log !== 'string'
    ) {
      throw stateInvalid(`${path}: validators[${k}] does not match the devnet's shape`, {
        path,
        validator: k,
      });
    }
  });
  return m as DevnetManifest;
}

/**
 * Opens the devnet in `options.dir`: resumes it when `devnet.json` is there (flags given must match
 * what it records), otherwise generates genesis, keys and per-validator configs and records them.
 */
export async function openDevnet(options: OpenDevnetOptions): Promise<OpenedDevnet> {
  const dir = resolve(options.dir);
  const existing = await readDevnetManifest(dir);
  if (existing) {
    const recorded = {
      shards: existing.shards,
      validators: existing.validatorsPerShard,
      port: existing.basePort,
    };
    for (const flag of ['shards', 'validators', 'port'] as const) {
      const given = options[flag];
      if (given !== undefined && given !== recorded[flag]) {
        throw stateInvalid(
          `${dir} holds a devnet with --${flag} ${recorded[flag]}, not ${given}: leave the flag out to resume it, or pass another --dir`,
          { flag, recorded: recorded[flag], given },
        );
      }
    }
    return { dir, manifest: existing, created: false };
  }

  const shards = options.shards ?? DEVNET_DEFAULTS.shards;
  const validatorsPerShard = options.validators ?? DEVNET_DEFAULTS.validators;
  const basePort = options.port ?? DEVNET_DEFAULTS.port;
  assertValidDevnetShape(shards, validatorsPerShard, basePort);
  await assertUsableFolder(dir);
  const ports = devnetPorts(basePort, shards, validatorsPerShard);
  const now = (options.now ?? (() => new Date()))();
  // Loaded on first start only: @shardpay/node brings the whole validator (libp2p, LMDB), which
  // `shardpay status` and `--help` do not need.
  const { createDevnetGenesis } = await import('@shardpay/node');
  const genesis = createDevnetGenesis({
    chainId: DEVNET_CHAIN_ID,
    shards,
    validatorsPerShard,
    p2pPort: (shard, index) => ports[shard * validatorsPerShard + index]!.p2pPort,
    faucetBalance: DEVNET_FAUCET_BALANCE,
    genesisTimeMs: BigInt(now.getTime()),
  });
  const prefix = genesis.config.addressPrefix;

  await mkdir(join(dir, 'keys'), { recursive: true });
  await mkdir(join(dir, 'logs'), { recursive: true });
  await writeJson(join(dir, 'genesis.json'), networkConfigToJson(genesis.config));
  await writeSecret(join(dir, 'keys', 'issuer.json'), operatorKeyJson(genesis.issuer, prefix));
  for (const [shard, key] of genesis.faucets.entries()) {
    await writeSecret(join(dir, 'keys', `faucet-${shard}.json`), operatorKeyJson(key, prefix));
  }
  for (const [shard, key] of genesis.feeCollectors.entries()) {
    await writeSecret(join(dir, 'keys', `fee-collector-${shard}.json`), operatorKeyJson(key, prefix));
  }
  // The issuer's 2-of-3 control group (pause, freeze); file i holds owner index i.
  for (const [index, key] of genesis.issuerControl.entries()) {
    await writeSecret(join(dir, 'keys', `issuer-control-${index}.json`), operatorKeyJson(key, prefix));
  }
  const validators: DevnetValidatorRecord[] = [];
  for (const port of ports) {
    const name = `s${port.shard}-v${port.index}`;
    const folder = join('validators', name);
    await mkdir(join(dir, folder), { recursive: true });
    await writeSecret(join(dir, folder, 'key.json'), {
      privateKey: bytesToHex(genesis.validators[port.shard]![port.index]!.privateKey),
    });
    await writeJson(join(dir, folder, 'config.json'), {
      genesisPath: '../../genesis.json',
      keyPath: 'key.json',
      dataDir: 'data',
      shard: port.shard,
      validatorIndex: port.index,
      p2p: { listen: [`/ip4/127.0.0.1/tcp/${port.p2pPort}`] },
      rpc: { host: '127.0.0.1', port: port.rpcPort },
    });
    validators.push({
      shard: port.shard,
      index: port.index,
      rpcPort: port.rpcPort,
      p2pPort: port.p2pPort,
      dir: folder,
      log: join('logs', `${name}.log`),
    });
  }
  const manifest: DevnetManifest = {
    version: MANIFEST_VERSION,
    chainId: genesis.config.chainId,
    shards,
    validatorsPerShard,
    basePort,
    createdAt: now.toISOString(),
    validators,
  };
  // Written last and atomically: a devnet.json always describes a complete folder.
  await writeJson(join(dir, `${MANIFEST_FILE}.tmp`), manifest);
  await rename(join(dir, `${MANIFEST_FILE}.tmp`), join(dir, MANIFEST_FILE));
  return { dir, manifest, created: true };
}

/** A new devnet goes into a missing or empty folder, or over an interrupted first start. */
async function assertUsableFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw stateInvalid(`${dir} is a file, not a folder`, { dir });
    throw error;
  }
  const foreign = entries.filter((entry) => !DEVNET_ENTRIES.has(entry));
  if (foreign.length > 0) {
    throw stateInvalid(
      `${dir} is not empty and holds no devnet.json (found ${foreign.slice(0, 3).join(', ')}); pick another --dir`,
      {
        dir,
      },
    );
  }
}

function operatorKeyJson(key: DevnetKey, prefix: string) {
  return {
    privateKey: bytesToHex(key.privateKey),
    publicKey: bytesToHex(key.publicKey),
    address: encodeAddress(key.address, prefix),
    shard: key.shard,
  };
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Key files are readable by their owner only (0600), whatever the umask or an older file's mode. */
async function writeSecret(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** True when `error` is one of this module's refusals. */
export function isDevnetStateError(error: unknown): boolean {
  return isShardpayError(error, 'DEVNET_STATE_INVALID');
}
