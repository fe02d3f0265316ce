import type { GatewayTransactionStage } from '@shardpay/sdk';
import { Link } from 'react-router';
import { stageWords } from './format.ts';

/** A transaction's stages in order, each with its shard and a link to the block it happened in. */
export function StageList({ stages }: { stages: readonly GatewayTransactionStage[] }) {
  return (
    <ol className="stages">
      {stages.map((stage) => (
        <li key={`${stage.stage}-${stage.shard}`}>
          <strong>{stageWords(stage.stage)}</strong> on shard {stage.shard}
          {stage.height === null ? null : (
            <>
              {' '}
              in{' '}
              <Link to={`/explorer/shards/${stage.shard}/blocks/${stage.height}`}>block {stage.height}</Link>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
