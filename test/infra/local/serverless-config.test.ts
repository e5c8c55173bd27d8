import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLocalService, loadServerlessConfig, type RuleTarget } from '../../../infra/local/serverless-config.js';

describe('loadLocalService', () => {
  it('reads functions, rules, tables and queues from the real serverless.yml, variables resolved', () => {
    const service = loadLocalService('serverless.yml', { stage: 'test' });
    expect(service.busName).toBe('wickr-autopilot-test');
    expect(service.functions.map((f) => [f.name, f.module, f.maximumRetryAttempts, f.failureQueue])).toEqual([
      ['incidentDeclared', 'functions/incident-declared', 2, 'IncidentDeclaredFailureQueue'],
      ['incidentResolved', 'functions/incident-resolved', 2, 'IncidentResolvedFailureQueue'],
      ['incidentSources', 'functions/incident-sources', 2, 'IncidentSourcesFailureQueue'],
      ['accountContainment', 'functions/account-containment', 2, 'AccountContainmentFailureQueue'],
      // Invoked synchronously through its URL: no retries, no failure destination (the sender retries).
      ['webhooks', 'functions/webhooks', 2, undefined],
      // The operators' entry point: its URL authenticates the caller (AWS_IAM); no retries, the caller sees the answer.
      ['operatorActions', 'functions/operator-actions', 2, undefined],
      ['networkReconcile', 'functions/network-reconcile', 2, undefined],
      ['hrEvents', 'functions/hr-events', 2, undefined],
      ['policyRotation', 'functions/policy-rotation', 2, 'PolicyRotationFailureQueue'],
      ['accessReview', 'functions/access-review', 2, 'AccessReviewFailureQueue'],
      ['postureCheck', 'functions/posture-check', 2, 'PostureCheckFailureQueue'],
      ['auditAnchor', 'functions/audit-anchor', 2, 'AuditAnchorFailureQueue'],
    ]);
    expect(service.schedules.map((s) => [s.name, s.functionName, s.expression, s.timeZone])).toEqual([
      ['wickr-autopilot-test-rotation-hourly', 'policyRotation', 'rate(1 hour)', 'Europe/Berlin'],
      [
        'wickr-autopilot-test-rotation-edge-0800',
        'policyRotation',
        'cron(0 8 ? * MON,TUE,WED,THU,FRI *)',
        'Europe/Berlin',
      ],
      [
        'wickr-autopilot-test-rotation-edge-1800',
        'policyRotation',
        'cron(0 18 ? * MON,TUE,WED,THU,FRI *)',
        'Europe/Berlin',
      ],
      // The containment sweep, every quarter hour: what someone undid by hand is restored.
      ['wickr-autopilot-test-containment-sweep', 'accountContainment', 'rate(15 minutes)', 'UTC'],
      // The posture check, hourly: retention, SSO, key and counts against their baseline.
      ['wickr-autopilot-test-posture-check', 'postureCheck', 'rate(1 hour)', 'UTC'],
      // The audit anchor, hourly: every outcome stream's chain head to the Object Lock bucket.
      ['wickr-autopilot-test-audit-anchor', 'auditAnchor', 'rate(1 hour)', 'UTC'],
      // The access review, weekly, in its own time zone (accessReview.schedule).
      ['wickr-autopilot-test-access-review', 'accessReview', 'cron(0 6 ? * MON *)', 'Europe/Berlin'],
    ]);
    expect(service.tables.map((t) => t.properties.TableName)).toEqual([
      'wickr-autopilot-test-idempotency',
      'wickr-autopilot-test-state',
    ]);
    expect(service.providerEnvironment.STATE_TABLE).toBe('wickr-autopilot-test-state');
    expect(
      service.rules.map((r) => [
        r.target.kind === 'function'
          ? r.target.functionName
          : r.target.kind === 'queue'
            ? r.target.queue
            : r.target.topicArn,
        r.eventBus,
        r.enabled,
        r.deadLetterQueue,
      ]),
    ).toEqual([
      ['incidentDeclared', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['incidentResolved', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['incidentSources', 'default', false, 'RuleDeadLetterQueue'],
      // PagerDuty's webhooks, verified by the webhook function, on the project bus.
      ['incidentSources', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // Account facts, the operators' decisions on its holds, and GuardDuty's findings on the default bus (off here).
      ['accountContainment', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['accountContainment', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['accountContainment', 'default', false, 'RuleDeadLetterQueue'],
      // An operator's decision on a rotation hold.
      ['policyRotation', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // The access review: an operator's request, a decision on a review hold, its own hand-overs.
      ['accessReview', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['accessReview', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      ['accessReview', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // The posture check: an operator's accept.
      ['postureCheck', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // HR facts go to the HR queue (a rule resource), which the HR consumer polls in batches.
      ['HrEventQueue', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // A group the automation made goes to the reconcile function, which locks it if its network is locked.
      ['NetworkReconcileQueue', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // The operators' hold decisions (the notification rule needs alarmTopicArn: not deployed here).
      ['HrEventQueue', 'wickr-autopilot-test', true, 'RuleDeadLetterQueue'],
      // S3's uploads to the roster bucket, on the default bus, to the HR queue.
      ['HrEventQueue', 'default', true, 'RuleDeadLetterQueue'],
    ]);
    // The roster rule names the bucket by its name, as `!Ref` gives it.
    const roster = service.rules.find((r) => r.name === 'wickr-autopilot-test-roster-hr');
    expect(roster?.pattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: ['wickr-autopilot-test-rosters-000000000000-us-east-1'] },
        object: { key: [{ prefix: 'roster/' }] },
      },
    });
    // Each with its Object Lock as deployed: the anchors and rosters locked by default, the reports per object.
    expect(service.buckets).toEqual([
      {
        logicalId: 'AuditAnchorBucket',
        name: 'wickr-autopilot-test-anchors-000000000000-us-east-1',
        eventBridge: false,
        objectLock: { defaultRetentionDays: 400 },
      },
      {
        logicalId: 'RosterBucket',
        name: 'wickr-autopilot-test-rosters-000000000000-us-east-1',
        eventBridge: true,
        objectLock: { defaultRetentionDays: 400 },
      },
      {
        logicalId: 'ReportsBucket',
        name: 'wickr-autopilot-test-reports-000000000000-us-east-1',
        eventBridge: false,
        objectLock: {},
      },
    ]);
    // The queue policies are resolved to ARNs as the local stack enforces them.
    expect(service.queuePolicies.get('HrEventQueue')?.find((st) => st.Sid === 'OnlyTheConsumerReceives')).toMatchObject(
      {
        Effect: 'Deny',
        Condition: {
          ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/wickr-autopilot-test-hrEvents' },
        },
      },
    );
    expect(service.queueSources.find((q) => q.functionName === 'hrEvents')).toMatchObject({
      queue: 'HrEventQueue',
      batchSize: 100,
      maximumBatchingWindowSeconds: 10,
      maximumConcurrency: 2,
      reportBatchItemFailures: true,
    });
  });

  it('applies parameter overrides, as --param does', () => {
    const service = loadLocalService('serverless.yml', {
      params: { incidentSource: 'soc.tool', securityHubEnabled: 'true' },
    });
    expect(service.rules[0]?.pattern).toEqual({
      source: ['soc.tool', 'wickr.autopilot.operator-actions'],
      'detail-type': ['Incident Declared', 'Incident Updated'],
    });
    expect(service.rules[2]?.enabled).toBe(true);
  });

  it('deploys the notification rule only with a topic, its target the topic with the card transformer', () => {
    const plain = loadLocalService('serverless.yml', { stage: 'test' });
    const withTopic = loadLocalService('serverless.yml', {
      stage: 'test',
      params: { notificationTopicArn: 'arn:aws:sns:us-east-1:000000000000:ops' },
    });
    const added = withTopic.rules.filter((r) => !plain.rules.some((p) => p.name === r.name));
    expect(added.map((r) => [r.name, r.target.kind])).toEqual([
      ['wickr-autopilot-test-outcome-notifications', 'topic'],
    ]);
    const target = added[0]?.target as Extract<RuleTarget, { kind: 'topic' }>;
    expect(target.topicArn).toBe('arn:aws:sns:us-east-1:000000000000:ops');
    expect(target.inputTransformer?.inputPathsMap).toEqual({
      type: '$.detail-type',
      headline: '$.detail.headline',
      time: '$.time',
      account: '$.account',
    });
    expect(target.inputTransformer?.inputTemplate).toContain('"source":"custom"');
  });

  it('documents every deployment parameter in the README and in docs/deployment.md', () => {
    const params = Object.keys((loadServerlessConfig('serverless.yml').params as { default: object }).default);
    for (const doc of ['README.md', 'docs/deployment.md']) {
      const text = readFileSync(doc, 'utf8');
      expect(
        params.filter((p) => !text.includes(`| \`${p}\``)),
        doc,
      ).toEqual([]);
    }
  });
});
