import { bytesToHex, encodeAddress, ShardpayError } from '@shardpay/crypto';
import { type RecordSource, readEscrow, readMultisig, readTimelock } from '@shardpay/ledger';
import {
  blockHeaderToJson,
  blockToJson,
  commitCertificateToJson,
  decodeTransaction,
  networkConfigToJson,
  receiptId,
  receiptToJson,
  shardOfAddress,
  transactionFromJson,
} from '@shardpay/protocol';
import type { ValidatorNode } from '../ValidatorNode.ts';
import type { RpcMethod } from './createRpcServer.ts';
import {
  createSubscriptionMethods,
  defaultSubscriptionOptions,
  type SubscriptionOptions,
} from './createSubscriptionMethods.ts';
import {
  accountViewToJson,
  escrowRecordToJson,
  multisigRecordToJson,
  networkInfoToJson,
  receiptWithProofToJson,
  supplyViewToJson,
  timelockRecordToJson,
  transactionStatusToJson,
} from './rpcJson.ts';
import {
  invalidParams,
  MAX_TRANSACTION_HEX_CHARS,
  readAddressParam,
  readBooleanParam,
  readHashParam,
  readHeightParam,
  readHexBytes,
  readParamsObject,
  translateReadError,
} from './rpcParams.ts';

/** The JSON-RPC method names the node serves. */
export const RPC_METHOD_NAMES = [
  'shardpay_submitTransaction',
  'shardpay_getAccount',
  'shardpay_getTransactionStatus',
  'shardpay_getBlock',
  'shardpay_getHeader',
  'shardpay_getCertificate',
  'shardpay_getReceipt',
  'shardpay_getBlockReceipts',
  'shardpay_networkInfo',
  'shardpay_getNetworkConfig',
  'shardpay_getSupply',
  'shardpay_getEscrow',
  'shardpay_getTimelock',
  'shardpay_getMultisig',
  'shardpay_getShardControl',
  'shardpay_isFrozen',
  'shardpay_subscribe',
  'shardpay_unsubscribe',
] as const;

export type RpcMethodName = (typeof RPC_METHOD_NAMES)[number];

export interface RpcMethodsOptions {
  subscriptions?: SubscriptionOptions;
}

/**
 * The node's JSON-RPC 2.0 methods, for `createRpcServer`. Params are read strictly (INVALID_PARAMS
 * naming the field); results are JSON forms (heights and nonces as decimal strings, money as
 * `formatAmount`, bytes as hex); a block, header, certificate or receipt that does not exist is `null`.
 *
 * @example createRpcServer(options, { methods: createRpcMethods(node) })
 */
export function createRpcMethods(
  node: ValidatorNode,
  options: RpcMethodsOptions = {},
): Record<RpcMethodName, RpcMethod> {
  const prefix = node.network.addressPrefix;
  const jsonOptions = { addressPrefix: prefix };

  /** An address param of this network that lives on this node's shard (WRONG_SHARD otherwise). */
  function readLocalAddress(value: unknown, path: string): Uint8Array {
    const address = readAddressParam(value, path, prefix);
    const home = shardOfAddress(node.network, address);
    if (home !== node.shard) {
      // Reading it here would show "nothing" that is not the truth: send the client to its shard.
      throw new ShardpayError('WRONG_SHARD', `the account lives on shard ${home}; ask a node of that shard`, {
        meta: { shard: home, nodeShard: node.shard },
      });
    }
    return address;
  }

  /** The node's committed ledger records, for the ledger's typed readers. */
  const records: RecordSource = { getRecord: (key) => node.getRecord(key) };

  /** Where a record was read: this shard, its latest committed height, the address prefix. */
  function here() {
    return { shard: node.shard, height: node.latestHeight(), addressPrefix: prefix };
  }

  /** `{height}` with "latest" (the default) resolved to this node's latest committed height. */
  function readHeight(params: unknown): bigint {
    const o = readParamsObject(params, [], ['height']);
    const height = o.height === undefined ? 'latest' : readHeightParam(o.height, 'height');
    return height === 'latest' ? node.latestHeight() : height;
  }

  return {
    async shardpay_submitTransaction(params) {
      const o = readParamsObject(params, [], ['tx', 'transaction']);
      if ((o.tx === undefined) === (o.transaction === undefined)) {
        throw invalidParams(
          '',
          'missing_field',
          'give exactly one of tx (hex of the canonical encoding) or transaction (JSON form)',
        );
      }
      if (o.tx !== undefined) {
        const encoded = translateReadError('tx', () => readHexBytes(o.tx, 'tx', MAX_TRANSACTION_HEX_CHARS));
        const tx = translateReadError('tx', () => decodeTransaction(encoded));
        const { txId } = await node.submitTransaction(tx, encoded);
        return { txId: bytesToHex(txId) };
      }
      const tx = translateReadError('transaction', () =>
        transactionFromJson(o.transaction, jsonOptions, 'transaction'),
      );
      const { txId } = await node.submitTransaction(tx);
      return { txId: bytesToHex(txId) };
    },

    shardpay_getAccount(params) {
      const o = readParamsObject(params, ['address'], ['proof']);
      const address = readAddressParam(o.address, 'address', prefix);
      const proof = o.proof === undefined ? false : readBooleanParam(o.proof, 'proof');
      const home = shardOfAddress(node.network, address);
      if (home !== node.shard) {
        // Reading it here would show a zero balance that is not the truth: send the client to its shard.
        throw new ShardpayError(
          'WRONG_SHARD',
          `the account lives on shard ${home}; ask a node of that shard`,
          {
            meta: { shard: home, nodeShard: node.shard },
          },
        );
      }
      return accountViewToJson(node.getAccount(address, { proof }), prefix);
    },

    async shardpay_getTransactionStatus(params) {
      const o = readParamsObject(params, ['txId']);
      return transactionStatusToJson(await node.getTransactionStatus(readHashParam(o.txId, 'txId')));
    },

    shardpay_getBlock(params) {
      const block = node.getBlock(readHeight(params));
      return block === undefined ? null : blockToJson(block, jsonOptions);
    },

    shardpay_getHeader(params) {
      const header = node.getHeader(readHeight(params));
      return header === undefined ? null : blockHeaderToJson(header);
    },

    shardpay_getCertificate(params) {
      const certificate = node.getCertificate(readHeight(params));
      return certificate === undefined ? null : commitCertificateToJson(certificate);
    },

    shardpay_getReceipt(params) {
      const o = readParamsObject(params, ['receiptId']);
      const receiptId = readHashParam(o.receiptId, 'receiptId');
      const found = node.getReceipt(receiptId);
      return found === undefined ? null : receiptWithProofToJson(receiptId, found, prefix);
    },

    shardpay_getBlockReceipts(params) {
      const height = readHeight(params);
      const receipts = node.getBlockReceipts(height);
      if (receipts === undefined) return null;
      return {
        height: height.toString(),
        receipts: receipts.map((receipt) => ({
          receiptId: bytesToHex(receiptId(receipt)),
          receipt: receiptToJson(receipt, { addressPrefix: prefix }),
        })),
      };
    },

    shardpay_networkInfo(params) {
      readParamsObject(params, []);
      return networkInfoToJson(node.networkInfo(), prefix);
    },

    shardpay_getNetworkConfig(params) {
      readParamsObject(params, []);
      return networkConfigToJson(node.network);
    },

    shardpay_getSupply(params) {
      readParamsObject(params, []);
      return supplyViewToJson(node.getSupply());
    },

    shardpay_getEscrow(params) {
      const o = readParamsObject(params, ['escrowId']);
      const escrowId = readHashParam(o.escrowId, 'escrowId');
      const where = here();
      const record = readEscrow(records, escrowId);
      if (record === undefined) {
        throw new ShardpayError(
          'ESCROW_NOT_FOUND',
          `no escrow ${bytesToHex(escrowId)} on shard ${node.shard}`,
          {
            meta: { escrowId: bytesToHex(escrowId), shard: node.shard },
          },
        );
      }
      return escrowRecordToJson(escrowId, record, where);
    },

    shardpay_getTimelock(params) {
      const o = readParamsObject(params, ['timelockId']);
      const timelockId = readHashParam(o.timelockId, 'timelockId');
      const where = here();
      const record = readTimelock(records, timelockId);
      if (record === undefined) {
        throw new ShardpayError(
          'TIMELOCK_NOT_FOUND',
          `no time lock ${bytesToHex(timelockId)} on shard ${node.shard}`,
          { meta: { timelockId: bytesToHex(timelockId), shard: node.shard } },
        );
      }
      return timelockRecordToJson(timelockId, record, where);
    },

    shardpay_getMultisig(params) {
      const o = readParamsObject(params, ['address']);
      const address = readLocalAddress(o.address, 'address');
      const where = here();
      const record = readMultisig(records, address);
      if (record === undefined) {
        const text = encodeAddress(address, prefix);
        throw new ShardpayError('MULTISIG_NOT_FOUND', `${text} is not a multisig account`, {
          meta: { address: text },
        });
      }
      return multisigRecordToJson(address, record, where);
    },

    shardpay_getShardControl(params) {
      readParamsObject(params, []);
      const { height } = here();
      const control = node.getShardControl();
      return {
        shard: node.shard,
        paused: control.paused,
        controlNonce: control.controlNonce.toString(),
        height: height.toString(),
      };
    },

    shardpay_isFrozen(params) {
      const o = readParamsObject(params, ['address']);
      const address = readLocalAddress(o.address, 'address');
      const { height } = here();
      return {
        address: encodeAddress(address, prefix),
        shard: node.shard,
        frozen: node.isFrozen(address),
        height: height.toString(),
      };
    },

    ...(createSubscriptionMethods(node, options.subscriptions ?? defaultSubscriptionOptions) as Record<
      'shardpay_subscribe' | 'shardpay_unsubscribe',
      RpcMethod
    >),
  };
}
