import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig, RuntimeConfigError } from '../../../lib/runtime/config.js';

describe('parseRuntimeConfig', () => {
  it('fills in the documented defaults', () => {
    expect(parseRuntimeConfig({})).toEqual({
      region: 'us-east-1',
      wickrEndpoint: undefined,
      localEndpoints: false,
      localAccessKeyId: 'local',
      incidentPublishersNamed: false,
      incidentPublishers: [],
      hrPublishers: [],
      operatorsRoleArn: undefined,
      functionName: undefined,
      dynamodbEndpoint: undefined,
      eventBridgeEndpoint: undefined,
      sqsEndpoint: undefined,
      ssmEndpoint: undefined,
      s3Endpoint: undefined,
      rosterBucket: '',
      reportsBucket: '',
      anchorBucket: '',
      evidenceRetentionDays: 0,
      chainOwners: [],
      pagerDutyApiKeyParameter: '',
      pagerDutyFrom: '',
      pagerDutyApiEndpoint: 'https://api.pagerduty.com',
      pagerDutyWebhookSecretParameter: '',
      webhookSecretParameter: '',
      eventBusName: 'default',
      idempotencyTable: 'wickr-autopilot-idempotency',
      stateTable: 'wickr-autopilot-state',
      failureQueueUrl: undefined,
      policyFile: 'infra/policy.yml',
      outcomeSource: 'wickr.autopilot',
      incidentSource: 'security.incidents',
      hrSource: 'hr.system',
      oktaEventSource: '',
      pagerDutyEventSource: '',
      maxFutureSkewMs: 300_000,
      securityHubProducts: ['guardduty', 'inspector', 'macie', 'securityhub'],
      securityHubAccounts: [],
      reconcileQueueUrl: undefined,
      reconcileSafetyMarginMs: 10_000,
      loosenSettle: { quietMs: 1_000, maxDelayMs: 15_000 },
      lockdownSweepMs: 300_000,
      wickrRequestsInFlight: 8,
      wickrRequestsPerSecond: 20,
      wickrBudgetPool: undefined,
    });
  });

  it('paces each environment at its share of the deployment budget, divided among the function’s environments', () => {
    const pace = (env: Record<string, string>) => parseRuntimeConfig(env).wickrRequestsPerSecond;
    expect(pace({ WICKR_REQUESTS_PER_SECOND: '40', WICKR_BUDGET_SHARE: '0.25', WICKR_ENVIRONMENTS: '2' })).toBe(5);
    expect(pace({ WICKR_REQUESTS_PER_SECOND: '40' })).toBe(40);
    expect(() => pace({ WICKR_BUDGET_SHARE: '1.5' })).toThrow(/WICKR_BUDGET_SHARE/);
    expect(() => pace({ WICKR_ENVIRONMENTS: '0' })).toThrow(/WICKR_ENVIRONMENTS/);
    // A pool's environments share its whole rate through the meter instead of dividing it.
    const pooled = { WICKR_REQUESTS_PER_SECOND: '40', WICKR_BUDGET_SHARE: '0.5', WICKR_ENVIRONMENTS: '4' };
    expect(pace({ ...pooled, WICKR_BUDGET_POOL: 'incident' })).toBe(20);
    expect(() => pace({ WICKR_BUDGET_POOL: 'Incident#1' })).toThrow(/WICKR_BUDGET_POOL: must be a lowercase name/);
  });

  it('takes a Wickr endpoint only over https on an AWS host, unless local endpoints are allowed', () => {
    expect(parseRuntimeConfig({ WICKR_ENDPOINT: 'https://admin.wickr.eu-west-1.amazonaws.com' }).wickrEndpoint).toBe(
      'https://admin.wickr.eu-west-1.amazonaws.com',
    );
    for (const bad of [
      'http://admin.wickr.us-east-1.amazonaws.com',
      'https://evil.example.com',
      'https://amazonaws.com.evil.io',
    ]) {
      expect(() => parseRuntimeConfig({ WICKR_ENDPOINT: bad })).toThrow(/WICKR_ENDPOINT: must be https/);
    }
    const local = parseRuntimeConfig({ WICKR_ENDPOINT: 'http://127.0.0.1:4010', ALLOW_LOCAL_ENDPOINTS: 'true' });
    expect(local).toMatchObject({ wickrEndpoint: 'http://127.0.0.1:4010', localEndpoints: true });
  });

  it('sends PagerDuty’s API key only to PagerDuty (its US or EU API), unless local endpoints are allowed', () => {
    expect(parseRuntimeConfig({ PAGERDUTY_API_ENDPOINT: 'https://api.eu.pagerduty.com' }).pagerDutyApiEndpoint).toBe(
      'https://api.eu.pagerduty.com',
    );
    for (const bad of ['http://api.pagerduty.com', 'https://api.pagerduty.com.evil.io', 'https://evil.example.com']) {
      expect(() => parseRuntimeConfig({ PAGERDUTY_API_ENDPOINT: bad })).toThrow(/PAGERDUTY_API_ENDPOINT: must be/);
    }
    expect(
      parseRuntimeConfig({ PAGERDUTY_API_ENDPOINT: 'http://127.0.0.1:9/pagerduty', ALLOW_LOCAL_ENDPOINTS: 'true' })
        .pagerDutyApiEndpoint,
    ).toBe('http://127.0.0.1:9/pagerduty');
    expect(parseRuntimeConfig({ CHAIN_OWNERS: 'incidentDeclared,hrEvents' }).chainOwners).toEqual([
      'incidentDeclared',
      'hrEvents',
    ]);
    expect(() => parseRuntimeConfig({ CHAIN_OWNERS: 'a b' })).toThrow(/CHAIN_OWNERS/);
  });

  it('reads the policy file relative to the Lambda task root', () => {
    expect(parseRuntimeConfig({ LAMBDA_TASK_ROOT: '/var/task' }).policyFile).toBe('/var/task/infra/policy.yml');
    expect(parseRuntimeConfig({ LAMBDA_TASK_ROOT: '/var/task', POLICY_FILE: '/opt/p.yml' }).policyFile).toBe(
      '/opt/p.yml',
    );
  });

  it('refuses malformed values, naming the variable', () => {
    expect(() => parseRuntimeConfig({ WICKR_ENDPOINT: 'not a url', WICKR_REQUESTS_IN_FLIGHT: '0' })).toThrow(
      RuntimeConfigError,
    );
    expect(() => parseRuntimeConfig({ WICKR_ENDPOINT: 'not a url' })).toThrow(/WICKR_ENDPOINT/);
    expect(() => parseRuntimeConfig({ WICKR_REQUESTS_IN_FLIGHT: '0' })).toThrow(/WICKR_REQUESTS_IN_FLIGHT/);
  });
});
