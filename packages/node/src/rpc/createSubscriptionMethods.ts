import { bytesToHex, randomBytes, ShardpayError } from '@shardpay/crypto';
import type { ValidatorNode } from '../ValidatorNode.ts';
import type { RpcCallContext, RpcMethod } from './createRpcServer.ts';
import {
  isTerminalStatus,
  newHeadToJson,
  transactionStageToJson,
  transactionStatusToJson,
} from './rpcJson.ts';
import {
  invalidParams,
  MAX_SUBSCRIPTION_ID_CHARS,
  readHashParam,
  readLiteralParam,
  readParamsObject,
  readShortString,
} from './rpcParams.ts';

/** The notification method every subscription pushes with `{subscription, result}`. */
export const SUBSCRIPTION_NOTIFICATION = 'shardpay_subscription';

export interface SubscriptionOptions {
  /** Subscriptions one WebSocket connection may hold at once. */
  maxPerConnection: number;
  /** Errors while following a subscription (a status query that failed); it retries at the next block. */
  onError?: (error: unknown, where: string) => void;
}

export const defaultSubscriptionOptions: SubscriptionOptions = { maxPerConnection: 64 };

interface ConnectionSubscriptions {
  /** Subscription id → what ends it. */
  active: Map<string, () => void>;
}

/**
 * `shardpay_subscribe` and `shardpay_unsubscribe` (WebSocket only). Topics: `newHeads` (each committed
 * block's header) and `txStatus` (each new stage of one transaction, ending after a terminal one).
 * Following starts once the subscription id was sent, so no notification precedes it.
 */
export function createSubscriptionMethods(
  node: ValidatorNode,
  options: SubscriptionOptions = defaultSubscriptionOptions,
): Record<string, RpcMethod> {
  const connections = new WeakMap<object, ConnectionSubscriptions>();

  function connectionOf(context: RpcCallContext): ConnectionSubscriptions {
    const key = context.connection;
    if (!key || !context.notify || !context.onClose) {
      throw new ShardpayError('WEBSOCKET_REQUIRED', 'subscriptions need a WebSocket connection to push on');
    }
    let state = connections.get(key);
    if (!state) {
      const created: ConnectionSubscriptions = { active: new Map() };
      connections.set(key, created);
      context.onClose(() => {
        for (const end of created.active.values()) end();
        created.active.clear();
      });
      state = created;
    }
    return state;
  }

  function followNewHeads(notify: (result: unknown) => void): () => void {
    return node.onCommittedBlock((event) => notify(newHeadToJson(event)));
  }

  function followTransaction(
    txId: Uint8Array,
    notify: (result: unknown) => void,
    finish: () => void,
  ): () => void {
    let ended = false;
    let checking = false;
    let checkAgain = false;
    const pushed = new Set<string>();

    /** Pushes the stages not pushed yet; true once a terminal stage was reached. */
    async function checkOnce(): Promise<boolean> {
      const status = await node.getTransactionStatus(txId);
      if (ended) return true;
      const json = transactionStatusToJson(status);
      // One notification per stage not pushed yet; each carries the stages up to it.
      status.stages.forEach((stage, position) => {
        const key = JSON.stringify(transactionStageToJson(stage));
        if (pushed.has(key)) return;
        pushed.add(key);
        const last = position === status.stages.length - 1;
        notify({
          ...json,
          status: last ? json.status : stage.stage,
          stages: json.stages.slice(0, position + 1),
        });
      });
      return isTerminalStatus(status);
    }

    async function check(): Promise<void> {
      if (checking) {
        // A block committed while a query was out: query once more when it is back.
        checkAgain = true;
        return;
      }
      checking = true;
      try {
        do {
          checkAgain = false;
          try {
            if (await checkOnce()) {
              finish();
              return;
            }
          } catch (error) {
            // A failed query (a peer shard did not answer) is retried at the next committed block.
            options.onError?.(error, 'txStatus');
          }
        } while (checkAgain && !ended);
      } finally {
        checking = false;
      }
    }

    const unsubscribe = node.onCommittedBlock(() => {
      void check();
    });
    void check();
    return () => {
      ended = true;
      unsubscribe();
    };
  }

  return {
    shardpay_subscribe(params, context) {
      const o = readParamsObject(params, ['topic'], ['txId']);
      const topic = readLiteralParam(o.topic, 'topic', ['newHeads', 'txStatus'] as const);
      let txId: Uint8Array | undefined;
      if (topic === 'txStatus') {
        if (o.txId === undefined)
          throw invalidParams('txId', 'missing_field', 'topic txStatus follows one txId');
        txId = readHashParam(o.txId, 'txId');
      } else if (o.txId !== undefined) {
        throw invalidParams('txId', 'unknown_field', 'only topic txStatus takes a txId');
      }
      const state = connectionOf(context);
      if (state.active.size >= options.maxPerConnection) {
        throw new ShardpayError(
          'TOO_MANY_SUBSCRIPTIONS',
          `a connection holds at most ${options.maxPerConnection} subscriptions; unsubscribe first`,
          { meta: { max: options.maxPerConnection } },
        );
      }
      const id = bytesToHex(randomBytes(16));
      const notify = context.notify!;
      const push = (result: unknown) => notify(SUBSCRIPTION_NOTIFICATION, { subscription: id, result });
      let stop: (() => void) | undefined;
      let cancelled = false;
      const end = () => {
        cancelled = true;
        stop?.();
        state.active.delete(id);
      };
      state.active.set(id, end);
      const start = () => {
        if (cancelled) return;
        stop = txId === undefined ? followNewHeads(push) : followTransaction(txId, push, end);
        // A transaction already at a terminal stage may end its subscription before `stop` is set.
        if (cancelled) stop();
      };
      if (context.afterResponse) context.afterResponse(start);
      else start();
      return id;
    },

    shardpay_unsubscribe(params, context) {
      const o = readParamsObject(params, ['subscription']);
      const id = readShortString(o.subscription, 'subscription', MAX_SUBSCRIPTION_ID_CHARS);
      const state = connectionOf(context);
      const end = state.active.get(id);
      if (!end) return false;
      end();
      return true;
    },
  };
}
