import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isShardpayError, ShardpayError } from '@shardpay/crypto';
import { MAX_MULTIADDR_BYTES, MAX_VALIDATOR_ADDRESSES, networkConfigFromJson } from '@shardpay/protocol';
import { defaultNodeSettings, type NodeConfig } from './NodeConfig.ts';

/** Largest config or genesis file read: a 4096-bucket genesis is well under this. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

type Reader<T> = (value: unknown, field: string) => T;

function configInvalid(
  file: string,
  field: string,
  reason: string,
  message: string,
  cause?: unknown,
): ShardpayError {
  return new ShardpayError(
    'NODE_CONFIG_INVALID',
    `${file}: ${field === '' ? 'the file' : field}: ${message}`,
    {
      meta: { file, field, reason },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/**
 * Reads a validator's config file (JSON, see `NodeConfig`) strictly: unknown or missing fields and
 * wrong types are NODE_CONFIG_INVALID errors naming the field. Leaves out `consensus`, `block`,
 * `mempool` (or any of their fields) and `signatureThreads` to get `defaultNodeSettings`; leaves out
 * `p2p.listen` to listen on the validator's own addresses in genesis. Relative paths are relative to
 * the file's folder.
 *
 * @example const config = await loadNodeConfig('.shardpay-devnet/validators/s0-v0/config.json');
 */
export async function loadNodeConfig(path: string): Promise<NodeConfig> {
  const file = resolve(path);
  const folder = dirname(file);
  const json = await readJsonFile(file, file, '');

  const fail = (field: string, reason: string, message: string) =>
    configInvalid(file, field, reason, message);
  const object = (
    value: unknown,
    field: string,
    required: readonly string[],
    optional: readonly string[],
  ) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw fail(field, 'wrong_type', 'expected an object');
    }
    const allowed = new Set([...required, ...optional]);
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) {
        throw fail(join(field, key), 'unknown_field', `unknown field (expected ${[...allowed].join(', ')})`);
      }
    }
    for (const key of required) {
      if (!Object.hasOwn(value, key)) throw fail(join(field, key), 'missing_field', 'missing field');
    }
    return value as Record<string, unknown>;
  };
  const text: Reader<string> = (value, field) => {
    if (typeof value !== 'string' || value.length === 0)
      throw fail(field, 'wrong_type', 'expected a non-empty string');
    return value;
  };
  const integer =
    (min: number, max: number): Reader<number> =>
    (value, field) => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw fail(field, 'out_of_range', `expected an integer in ${min}..${max}`);
      }
      return value;
    };
  const filePath: Reader<string> = (value, field) => resolve(folder, text(value, field));
  /** A section of defaults: each field optional, a positive integer (or zero where `allowZero`). */
  const section = <T extends Record<string, number>>(
    value: unknown,
    field: string,
    defaults: T,
    allowZero: readonly string[] = [],
  ): T => {
    if (value === undefined) return { ...defaults };
    const o = object(value, field, [], Object.keys(defaults));
    const result: Record<string, number> = { ...defaults };
    for (const key of Object.keys(defaults)) {
      if (o[key] !== undefined)
        result[key] = integer(allowZero.includes(key) ? 0 : 1, 2 ** 31 - 1)(o[key], join(field, key));
    }
    return result as T;
  };

  const root = object(
    json,
    '',
    ['genesisPath', 'keyPath', 'dataDir', 'shard', 'validatorIndex', 'rpc'],
    ['p2p', 'consensus', 'block', 'mempool', 'signatureThreads'],
  );
  const genesisPath = filePath(root.genesisPath, 'genesisPath');
  const keyPath = filePath(root.keyPath, 'keyPath');
  const dataDir = filePath(root.dataDir, 'dataDir');
  const shard = integer(0, 0xffff)(root.shard, 'shard');
  const validatorIndex = integer(0, 0xffff)(root.validatorIndex, 'validatorIndex');
  const rpcObject = object(root.rpc, 'rpc', ['host', 'port'], []);
  const rpc = { host: text(rpcObject.host, 'rpc.host'), port: integer(0, 65535)(rpcObject.port, 'rpc.port') };

  let listen: string[] | undefined;
  if (root.p2p !== undefined) {
    const p2p = object(root.p2p, 'p2p', [], ['listen']);
    if (p2p.listen !== undefined) {
      if (
        !Array.isArray(p2p.listen) ||
        p2p.listen.length === 0 ||
        p2p.listen.length > MAX_VALIDATOR_ADDRESSES
      ) {
        throw fail('p2p.listen', 'wrong_type', `expected 1 to ${MAX_VALIDATOR_ADDRESSES} multiaddrs`);
      }
      listen = p2p.listen.map((address, i) => {
        const value = text(address, `p2p.listen[${i}]`);
        if (!value.startsWith('/') || Buffer.byteLength(value) > MAX_MULTIADDR_BYTES) {
          throw fail(
            `p2p.listen[${i}]`,
            'invalid_value',
            'expected a multiaddr such as /ip4/127.0.0.1/tcp/9000',
          );
        }
        return value;
      });
    }
  }

  // The genesis names the committees: check that this validator is in one, and find its addresses.
  const network = await readGenesis(file, genesisPath);
  const committee = network.committees.find((c) => c.shard === shard);
  if (!committee) {
    throw fail('shard', 'out_of_range', `genesis has shards 0..${network.shardCount - 1}, not ${shard}`);
  }
  const member = committee.validators[validatorIndex];
  if (!member) {
    throw fail(
      'validatorIndex',
      'out_of_range',
      `shard ${shard} has validators 0..${committee.validators.length - 1} in genesis, not ${validatorIndex}`,
    );
  }
  if (listen === undefined) {
    if (member.addresses.length === 0) {
      throw fail(
        'p2p.listen',
        'missing_field',
        'genesis lists no address for this validator: give p2p.listen',
      );
    }
    listen = [...member.addresses];
  }

  const signatureThreads =
    root.signatureThreads === undefined
      ? defaultNodeSettings.signatureThreads
      : integer(1, 64)(root.signatureThreads, 'signatureThreads');
  return {
    genesisPath,
    keyPath,
    dataDir,
    shard,
    validatorIndex,
    p2p: { listen },
    rpc,
    consensus: section(root.consensus, 'consensus', { ...defaultNodeSettings.consensus }),
    block: section(root.block, 'block', { ...defaultNodeSettings.block }, [
      'idleIntervalMs',
      'minIntervalMs',
    ]),
    mempool: section(root.mempool, 'mempool', { ...defaultNodeSettings.mempool }, ['maxNonceGap']),
    signatureThreads,
  };
}

function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`;
}

async function readJsonFile(file: string, path: string, field: string): Promise<unknown> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) {
      throw configInvalid(file, field, 'too_large', `${path} is larger than ${MAX_FILE_BYTES} bytes`);
    }
    text = bytes.toString('utf8');
  } catch (error) {
    if (isShardpayError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw configInvalid(file, field, 'unreadable', `cannot read ${path} (${code ?? String(error)})`, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw configInvalid(
      file,
      field,
      'not_json',
      `${path} is not valid JSON: ${(error as Error).message}`,
      error,
    );
  }
}

async function readGenesis(file: string, genesisPath: string) {
  const json = await readJsonFile(file, genesisPath, 'genesisPath');
  try {
    return networkConfigFromJson(json);
  } catch (error) {
    if (!isShardpayError(error)) throw error;
    throw configInvalid(
      file,
      'genesisPath',
      'invalid_genesis',
      `${genesisPath} is not a valid genesis: ${error.message}`,
      error,
    );
  }
}
