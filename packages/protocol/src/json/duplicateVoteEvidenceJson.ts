import type { DuplicateVoteEvidence } from '../types.ts';
import { childPath, readObject } from './jsonFields.ts';
import { type VoteJson, voteFromJson, voteToJson } from './voteJson.ts';

/** JSON form of equivocation evidence: the two conflicting signed votes. */
export interface DuplicateVoteEvidenceJson {
  voteA: VoteJson;
  voteB: VoteJson;
}

/** The JSON form of duplicate-vote evidence. */
export function duplicateVoteEvidenceToJson(evidence: DuplicateVoteEvidence): DuplicateVoteEvidenceJson {
  return { voteA: voteToJson(evidence.voteA), voteB: voteToJson(evidence.voteB) };
}

/** Reads duplicate-vote evidence's JSON form strictly; throws JSON_INVALID with `meta.path`. */
export function duplicateVoteEvidenceFromJson(json: unknown, path = ''): DuplicateVoteEvidence {
  const o = readObject(json, path, ['voteA', 'voteB']);
  return {
    voteA: voteFromJson(o.voteA, childPath(path, 'voteA')),
    voteB: voteFromJson(o.voteB, childPath(path, 'voteB')),
  };
}
