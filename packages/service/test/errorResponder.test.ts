import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShardpayError } from '@shardpay/crypto';
import { createErrorResponder } from '../src/errorResponder.ts';

const respond = createErrorResponder<'invalid_request_error' | 'api_error'>(
  {
    REQUEST_INVALID: { status: 400, type: 'invalid_request_error' },
    RESOURCE_MISSING: { status: 404, type: 'invalid_request_error' },
    SERVICE_UNAVAILABLE: { status: 503, type: 'api_error' },
  },
  'shutting down; retry',
);

describe('createErrorResponder', () => {
  it('shows a mapped code lower-cased with its message and param', () => {
    const answer = respond(
      new ShardpayError('RESOURCE_MISSING', 'no such shipment', { meta: { param: 'id' } }),
      'req_1',
    );
    assert.deepEqual(answer, {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: 'no such shipment',
          param: 'id',
          request_id: 'req_1',
        },
      },
    });
  });

  it('turns a 4xx without a code of ours into request_invalid, and a 503 into service_unavailable', () => {
    const badJson = Object.assign(new Error('Unexpected token } in JSON'), { statusCode: 400 });
    assert.equal(respond(badJson, 'req_2').body.error.code, 'request_invalid');
    assert.equal(respond(badJson, 'req_2').body.error.message, 'Unexpected token } in JSON');
    const closing = Object.assign(new Error('closing'), { statusCode: 503 });
    assert.deepEqual(
      [respond(closing, 'req_3').status, respond(closing, 'req_3').body.error.message],
      [503, 'shutting down; retry'],
    );
  });

  it('answers anything else with a bare 500 that leaks nothing', () => {
    for (const thrown of [
      new Error('duplicate key value violates unique constraint "secret_idx"'),
      new ShardpayError('SOME_INTERNAL_CODE', 'internal detail'),
      'a string',
      undefined,
    ]) {
      const answer = respond(thrown, 'req_4');
      assert.equal(answer.status, 500);
      assert.equal(answer.body.error.code, 'internal_error');
      assert.doesNotMatch(answer.body.error.message, /secret_idx|internal detail/);
      assert.equal(answer.body.error.request_id, 'req_4');
    }
  });
});
