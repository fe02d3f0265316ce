/**
 * Random JSON params for every method, over real HTTP: every answer is a result or a coded refusal,
 * never an internal error (-32603). One fixed seed by default; SHARDPAY_TEST_SEED=<int> explores
 * others, and fast-check's failure message carries the seed and path that replay it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, encodeAddress } from '@shardpay/crypto';
import { encodeTransaction, signTransaction, transactionToJson } from '@shardpay/protocol';
import fc from 'fast-check';
import { createNodeRpcServer } from '../src/rpc/createNodeRpcServer.ts';
import { RPC_METHOD_NAMES } from '../src/rpc/createRpcMethods.ts';
import { RpcErrorCode } from '../src/rpc/createRpcServer.ts';
import { postRaw, type RpcReply } from './rpcClient.ts';
import { createTestNetwork, createTestNode } from './rpcTestNode.ts';

const seedText = process.env.SHARDPAY_TEST_SEED;
const seed = seedText ? Number.parseInt(seedText, 10) : 0x5eed_0c;

const genesis = createTestNetwork();
const network = genesis.config;
const faucet = genesis.faucets[0]!;
const validTx = signTransaction(
  {
    chainId: network.chainId,
    shard: 0,
    nonce: 0n,
    fee: 0n,
    expiryHeight: 100n,
    publicKey: faucet.publicKey,
    operation: { type: 'transfer', to: genesis.faucets[1]!.address, amount: 1n, memo: '' },
  },
  faucet.privateKey,
);
const validTxJson = transactionToJson(validTx, { addressPrefix: network.addressPrefix });

/** Values close to valid ones, so that the fuzz reaches past the first type check. */
const nearValid = fc.oneof(
  fc.constantFrom(
    'latest',
    '0',
    '1',
    '18446744073709551615',
    '18446744073709551616',
    encodeAddress(faucet.address, 'spd'),
    encodeAddress(faucet.address, 'sp'),
    encodeAddress(genesis.faucets[1]!.address, 'spd'),
    bytesToHex(encodeTransaction(validTx)),
    'ab'.repeat(32),
    'AB'.repeat(32),
    'newHeads',
    'txStatus',
    '',
    '0x',
  ),
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^[0-9a-fA-F]{0,140}$/),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(validTxJson).chain((json) =>
    fc
      .record({ key: fc.constantFrom(...Object.keys(json)), value: fc.jsonValue() })
      .map(({ key, value }) => ({
        ...json,
        [key]: value,
      })),
  ),
);

const fieldNames = [
  'tx',
  'transaction',
  'address',
  'proof',
  'txId',
  'height',
  'receiptId',
  'topic',
  'subscription',
];
const params = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom(...fieldNames), fc.oneof(nearValid, fc.jsonValue()), { maxKeys: 3 }),
);
const call = fc.record({
  method: fc.constantFrom(...RPC_METHOD_NAMES),
  params: fc.option(params, { nil: undefined }),
});

describe('RPC fuzz: random params never cause an internal error', () => {
  const node = createTestNode(network, 0);
  node.commitBlock();
  const internalErrors: unknown[] = [];
  const server = createNodeRpcServer(
    node,
    { host: '127.0.0.1', port: 0 },
    { onInternalError: (error) => internalErrors.push(error) },
  );
  let url = '';
  before(async () => {
    await server.start();
    url = `http://127.0.0.1:${server.port()}`;
  });
  after(() => server.stop());

  it(`answers every call with a result or a coded refusal (seed ${seed})`, async () => {
    let answered = 0;
    let results = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 20 }), async (calls) => {
        const batch = calls.map((c, id) => ({ jsonrpc: '2.0', id, method: c.method, params: c.params }));
        const { status, body } = await postRaw(url, JSON.stringify(batch));
        assert.equal(status, 200);
        const replies = body as RpcReply[];
        assert.equal(replies.length, calls.length);
        for (const reply of replies) {
          answered++;
          if (reply.error) {
            refusals++;
            assert.notEqual(reply.error.code, RpcErrorCode.INTERNAL_ERROR, JSON.stringify(reply));
            assert.ok(
              [RpcErrorCode.INVALID_PARAMS, RpcErrorCode.APPLICATION_ERROR].includes(
                reply.error.code as typeof RpcErrorCode.INVALID_PARAMS,
              ),
              JSON.stringify(reply),
            );
            assert.match(reply.error.data?.code ?? '', /^[A-Z][A-Z0-9_]+$/);
          } else {
            results++;
            assert.ok('result' in reply);
          }
        }
        assert.deepEqual(internalErrors, []);
      }),
      { seed, numRuns: 300 },
    );
    assert.ok(answered > 1000, `only ${answered} calls answered`);
    // The fuzz reaches both sides: calls that succeed and calls refused with a code.
    assert.ok(results > 20 && refusals > 500, `${results} results, ${refusals} refusals`);
  });
});
