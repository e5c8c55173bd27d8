import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig, RuntimeConfigError } from '../../../lib/runtime/config.js';

describe('parseRuntimeConfig', () => {
  it('fills in the documented defaults', () => {
    expect(parseRuntimeConfig({})).toEqual({
      region: 'us-east-1',
      wickrEndpoint: undefined,
      dynamodbEndpoint: undefined,
      eventBridgeEndpoint: undefined,
      sqsEndpoint: undefined,
      eventBusName: 'default',
      idempotencyTable: 'wickr-autopilot-idempotency',
      stateTable: 'wickr-autopilot-state',
      failureQueueUrl: undefined,
      policyFile: 'infra/policy.yml',
      outcomeSource: 'wickr.autopilot',
      wickrMaxConcurrency: 8,
      wickrRequestsPerSecond: 20,
    });
  });

  it('reads the policy file relative to the Lambda task root', () => {
    expect(parseRuntimeConfig({ LAMBDA_TASK_ROOT: '/var/task' }).policyFile).toBe('/var/task/infra/policy.yml');
    expect(parseRuntimeConfig({ LAMBDA_TASK_ROOT: '/var/task', POLICY_FILE: '/opt/p.yml' }).policyFile).toBe(
      '/opt/p.yml',
    );
  });

  it('refuses malformed values, naming the variable', () => {
    expect(() => parseRuntimeConfig({ WICKR_ENDPOINT: 'not a url', WICKR_MAX_CONCURRENCY: '0' })).toThrow(
      RuntimeConfigError,
    );
    expect(() => parseRuntimeConfig({ WICKR_ENDPOINT: 'not a url' })).toThrow(/WICKR_ENDPOINT/);
    expect(() => parseRuntimeConfig({ WICKR_MAX_CONCURRENCY: '0' })).toThrow(/WICKR_MAX_CONCURRENCY/);
  });
});
