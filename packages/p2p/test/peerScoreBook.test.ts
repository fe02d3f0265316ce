import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPeerScoreBook, DEFAULT_PENALTIES } from '@shardpay/p2p';

function clockAt(startMs: number) {
  const clock = { nowMs: startMs, now: () => clock.nowMs };
  return clock;
}

test('penalties lower the score by their weight', () => {
  const clock = clockAt(1_000);
  const book = createPeerScoreBook({}, clock);
  assert.equal(book.score('p'), 0);
  assert.deepEqual(book.penalize('p', 'invalid-message'), {
    score: -DEFAULT_PENALTIES['invalid-message'],
    bannedNow: false,
  });
  book.penalize('p', 'oversized-frame');
  assert.equal(
    book.score('p'),
    -(DEFAULT_PENALTIES['invalid-message'] + DEFAULT_PENALTIES['oversized-frame']),
  );
  assert.equal(book.score('q'), 0, 'other peers are untouched');
  book.penalize('q', 'misbehaviour', 3);
  assert.equal(book.score('q'), -3, 'explicit points override the weight');
});

test('scores decay by half every half-life', () => {
  const clock = clockAt(0);
  const book = createPeerScoreBook({ halfLifeMs: 1_000 }, clock);
  book.penalize('p', 'misbehaviour', 80);
  clock.nowMs = 1_000;
  assert.equal(book.score('p'), -40);
  clock.nowMs = 3_000;
  assert.equal(book.score('p'), -10);
});

test('crossing the threshold bans until expiry, then the peer starts over', () => {
  const clock = clockAt(0);
  const book = createPeerScoreBook({ banThreshold: -30, banDurationMs: 60_000 }, clock);
  assert.equal(book.penalize('p', 'misbehaviour', 20).bannedNow, false);
  const result = book.penalize('p', 'misbehaviour', 20);
  assert.equal(result.bannedNow, true);
  assert.equal(book.isBanned('p'), true);
  assert.deepEqual(book.bans(), [{ peer: 'p', untilMs: 60_000, reason: 'misbehaviour' }]);
  assert.equal(book.penalize('p', 'misbehaviour').bannedNow, false, 'a ban is started once');
  clock.nowMs = 59_999;
  assert.equal(book.isBanned('p'), true);
  clock.nowMs = 60_000;
  assert.equal(book.isBanned('p'), false);
  assert.equal(book.score('p'), 0);
  assert.deepEqual(book.bans(), []);
});

test('memory stays bounded: the mildest scores are forgotten first', () => {
  const clock = clockAt(0);
  const book = createPeerScoreBook({ maxTrackedPeers: 3 }, clock);
  book.penalize('worst', 'misbehaviour', 90);
  book.penalize('bad', 'misbehaviour', 50);
  book.penalize('mild', 'misbehaviour', 1);
  book.penalize('medium', 'misbehaviour', 20);
  assert.equal(book.score('mild'), 0);
  assert.equal(book.score('worst'), -90);
  assert.equal(book.score('medium'), -20);
});

test('invalid scoring options are refused', () => {
  assert.throws(() => createPeerScoreBook({ banThreshold: 5 }), { code: 'P2P_INVALID_OPTIONS' });
  assert.throws(() => createPeerScoreBook({ halfLifeMs: 0 }), { code: 'P2P_INVALID_OPTIONS' });
});
