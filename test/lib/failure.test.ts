/**
 * One failure model: a table of the failures the automation meets, each classified once — retried, or refused to
 * the failure destination with its code — and every consumer asking the same classifier.
 */
import { describe, expect, it } from 'vitest';
import { AggregateFailure, isPermanent, isRetryable } from '../../lib/failure.js';
import { HrUserRefusedError } from '../../lib/hr/errors.js';
import { type HrQueueDeps, handleHrQueue } from '../../lib/hr/handle-hr-queue.js';
import { IncidentInputError, ReconcileIncompleteError } from '../../lib/incident/errors.js';
import { continueReconciles } from '../../lib/incident/handle-reconcile-queue.js';
import type { IncidentDeps } from '../../lib/incident/ports.js';
import { RotationIncompleteError } from '../../lib/rotation/errors.js';
import { isPermanent as refusalClassifier } from '../../lib/runtime/middlewares.js';
import { errorFromResponse } from '../../lib/wickr/error-from-response.js';
import { WickrTimeoutError } from '../../lib/wickr/errors.js';

const wickr = (status: number, body = '{}') => errorFromResponse('UpdateSecurityGroup', status, new Headers(), body);
const aws = (name: string, fault: 'client' | 'server') => Object.assign(new Error(name), { name, $fault: fault });

const table: [string, unknown, boolean][] = [
  ['Wickr 422 inside a batch item (a leaver refused)', new HrUserRefusedError('refused', 'DEPROVISION_INVALID'), false],
  ['Wickr 422 on a request', wickr(422, '{"message":"x","reasons":[{"field":"name","reason":"bad"}]}'), false],
  ['a 404 group', wickr(404), false],
  ['a 429 after the client ran out of attempts', wickr(429), true],
  ['a 503', wickr(503), true],
  ['a timeout', new WickrTimeoutError('UpdateSecurityGroup', 10_000), true],
  ['DynamoDB ValidationException', aws('ValidationException', 'client'), false],
  [
    'DynamoDB ValidationException wrapped by Powertools',
    new Error('persistence', { cause: aws('ValidationException', 'client') }),
    false,
  ],
  [
    'a condition failure that escaped a store (a race: the retry re-reads)',
    aws('ConditionalCheckFailedException', 'client'),
    true,
  ],
  ['DynamoDB throttled', aws('ProvisionedThroughputExceededException', 'client'), true],
  ['refused input', new IncidentInputError('detail.severity', 'is required'), false],
  [
    'a reconcile where one group may succeed later',
    new ReconcileIncompleteError('1', [
      { groupId: 'a', error: 'x', retryable: false },
      { groupId: 'b', error: 'y', retryable: true },
    ]),
    true,
  ],
  [
    'a reconcile where every change was refused',
    new ReconcileIncompleteError('1', [{ groupId: 'a', error: 'x', retryable: false }]),
    false,
  ],
  [
    'a rotation whose patches were all refused (was always retried)',
    new RotationIncompleteError('1', [{ groupId: 'a', error: 'x', retryable: false }]),
    false,
  ],
  [
    'an aggregate of one refusal and one timeout',
    new AggregateFailure('two', [new IncidentInputError('a', 'b'), new WickrTimeoutError('UpdateUser', 10_000)]),
    true,
  ],
  ['a native AggregateError of refusals', new AggregateError([new IncidentInputError('a', 'b')], 'all refused'), false],
  ['an unknown error (presumed transient)', new TypeError('fetch failed'), true],
];

describe('one failure model', () => {
  it.each(table)('%s → retried: %s', (_what, error, retried) => {
    expect(isRetryable(error)).toBe(retried);
    expect(isPermanent(error)).toBe(!retried);
  });

  it('is the one classifier of every consumer: the EventBridge functions and the schedule target (their refusal middleware)', () => {
    expect(refusalClassifier).toBe(isPermanent);
  });

  it.each(table)(
    'the reconcile queue: %s → retried: %s, else refused to its failure destination',
    async (_what, error, retried) => {
      const refused: unknown[] = [];
      const deps = {
        store: { readDesired: async () => ({ version: 1, active: [] }), isBehind: async () => true },
        logger: { info: () => undefined, warn: () => undefined },
        nowMs: Date.now,
        refuse: async (e: Error) => {
          refused.push(e);
          return true;
        },
      } as unknown as IncidentDeps;
      // A unit whose reconcile fails with this error: the lease read throws it.
      (deps.store as { acquireLease?: unknown }).acquireLease = async () => {
        throw error;
      };
      const body = JSON.stringify({
        networkId: '12345678',
        incidentId: 'INC-1',
        trigger: 'Incident Declared',
        factTime: new Date().toISOString(),
      });
      const answer = await continueReconciles(
        { Records: [{ messageId: 'm', body }] },
        { requestId: 'r', remainingMs: () => 30_000 },
        deps,
      );
      expect(answer.batchItemFailures.length === 1).toBe(retried);
      expect(refused.length === 1).toBe(!retried);
    },
  );

  it.each(table)(
    'the HR queue: %s → retried: %s, else refused to its failure queue with the message as it arrived',
    async (_what, error, retried) => {
      const refused: unknown[] = [];
      // An unmatched-employee check whose record read fails with this error.
      const deps = {
        records: {
          get: async () => {
            throw error;
          },
        },
        logger: { info: () => undefined, warn: () => undefined },
        refuse: async (_e: Error, received: unknown) => {
          refused.push(received);
          return true;
        },
      } as unknown as HrQueueDeps;
      const body = { kind: 'unmatched-check', networkId: '12345678', employeeId: 'E-1' };
      const answer = await handleHrQueue({ Records: [{ messageId: 'm', body: JSON.stringify(body) }] }, deps);
      expect(answer.batchItemFailures.length === 1).toBe(retried);
      expect(refused).toEqual(retried ? [] : [body]);
    },
  );
});
