/** The CloudFormation template `npm run package` builds offline from serverless.yml, checked as deployed. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { transformInput } from '../../infra/local/events/input-transformer.js';
import { oktaLifecycleTypes } from '../../lib/events/okta-events.js';
import { metricUnits } from '../../lib/metric-names.js';
import { headlineOf } from '../../lib/runtime/outcome-headline.js';
import { checkTemplate } from '../support/cloudformation-spec.js';
import { zipEntry } from '../support/zip-entry.js';

// biome-ignore lint/suspicious/noExplicitAny: the template is JSON read only for assertions.
type Resource = { Type: string; Condition?: string; Properties: Record<string, any> };
// biome-ignore lint/suspicious/noExplicitAny: a policy statement of the template, read only for assertions.
type Statement = Record<string, any>;
let resources: Record<string, Resource>;
// biome-ignore lint/suspicious/noExplicitAny: the template is JSON read only for assertions.
let conditions: Record<string, any>;
let packagingOutput = '';

beforeAll(() => {
  // osls hangs instead of exiting when esbuild fails: the script runs it under a timeout.
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { timeout: 300_000, encoding: 'utf8' });
  if (packaged.status !== 0) throw new Error(`npm run package failed: ${packaged.stderr}`);
  packagingOutput = `${packaged.stdout}${packaged.stderr}`;
  const template = JSON.parse(readFileSync('.serverless/cloudformation-template-update-stack.json', 'utf8'));
  resources = template.Resources;
  conditions = template.Conditions;
}, 320_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
// The functions' execution roles (the scheduler's role is checked on its own).
// The roles of the functions that act on Wickr; the webhook's (no Wickr, no table, no queue) is tested on its own.
// The roles of the functions that act on Wickr (the scheduler's, the webhook's and the operators' entry point's apart).
const functionRoles = () =>
  ofType('AWS::IAM::Role').filter(
    ([id]) => id !== 'RotationSchedulerRole' && id !== 'WebhooksRole' && id !== 'OperatorActionsRole',
  );
const functionNamed = (name: string) =>
  ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName.endsWith(`-${name}`))?.[1];
type Granted = { Action: string | string[]; Resource: unknown };
// A statement granted where a parameter is set (`Fn::If [condition, statement, AWS::NoValue]`) counts as granted.
const policyActions = (roleId: string) =>
  (
    (resources[roleId] as Resource).Properties.Policies as {
      PolicyDocument: { Statement: (Granted | { 'Fn::If': [string, Granted, unknown] })[] };
    }[]
  )
    .flatMap((p) => p.PolicyDocument.Statement)
    .map((s) => ('Fn::If' in s ? s['Fn::If'][1] : s))
    .flatMap((s) => [s.Action].flat());

describe('packaged template', () => {
  it('matches AWS’s own resource specification: known types, no unknown property, nothing required missing', async () => {
    expect(await checkTemplate({ Resources: resources })).toEqual([]);
  });

  it('would catch a misspelt property, a missing required one and a nested mistake (the check itself)', async () => {
    const broken = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeOut: 30 } },
        Schedule: {
          Type: 'AWS::Scheduler::Schedule',
          Properties: {
            ScheduleExpression: 'rate(1 hour)',
            Target: { Arn: { Ref: 'Fn' }, RoleArn: { Ref: 'Role' }, RetryPolicy: { MaxAttempts: 3 } },
          },
        },
        Mystery: { Type: 'AWS::Nothing::Here', Properties: {} },
      },
    };
    expect(await checkTemplate(broken)).toEqual([
      'Queue.Properties.VisibilityTimeOut: is not a property of this type',
      'Schedule.Properties.FlexibleTimeWindow: is required',
      'Schedule.Properties.Target.RetryPolicy.MaxAttempts: is not a property of this type',
      "Mystery: resource type AWS::Nothing::Here is not in AWS's specification",
    ]);
  });

  it('lets only the named publishers put HR and incident events on the bus, and warns when none are named', () => {
    for (const [id, source, param] of [
      ['HrPublishersOnly', 'hr.system', 'hrPublishers'],
      ['IncidentPublishersOnly', 'security.incidents', 'incidentPublishers'],
    ] as const) {
      const policy = resources[id] as Resource & { Condition: string };
      expect(policy.Type).toBe('AWS::Events::EventBusPolicy');
      expect(policy.Properties.Statement).toEqual({
        Effect: 'Deny',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] },
        Condition: {
          StringEquals: { 'events:source': source },
          // The signed webhook joins the publishers once its secret is set.
          ArnNotEquals: {
            'aws:PrincipalArn': {
              'Fn::Split': [
                ',',
                {
                  'Fn::If': [
                    'HasWebhookSecret',
                    {
                      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
                      'Fn::Sub': ',arn:${AWS::Partition}:iam::${AWS::AccountId}:role/wickr-autopilot-dev-webhooks',
                    },
                    '',
                  ],
                },
              ],
            },
          },
        },
      });
      // Deployed only when the parameter names someone (empty by default here).
      expect(conditions[policy.Condition]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
      expect(packagingOutput).toContain(`parameter ${param} is empty`);
    }
  });

  it('grants the Wickr actions on the policy file’s networks only, one ARN each', () => {
    for (const [id, role] of functionRoles()) {
      const wickr = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => [st.Action].flat().some((a) => String(a).startsWith('wickr:')));
      for (const st of wickr) {
        expect(st.Resource, id).toEqual([
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
          { 'Fn::Sub': 'arn:${AWS::Partition}:wickr:${AWS::Region}:${AWS::AccountId}:network/12345678' },
        ]);
      }
    }
  });

  it('chains each function’s outcomes under its own name only; the anchor reads every chain and writes anchors only', () => {
    const chainOwners = String(
      (resources.AuditAnchorLambdaFunction as Resource).Properties.Environment.Variables.CHAIN_OWNERS,
    ).split(',');
    const writers: string[] = [];
    for (const [id, role] of functionRoles()) {
      const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => JSON.stringify(st.Condition ?? {}).includes('CHAIN#'));
      const own = `CHAIN#${String(role.Properties.RoleName).split('-').at(-1)}`;
      for (const st of statements) {
        if (st.Action === 'dynamodb:Query') {
          expect(id).toBe('AuditAnchorRole');
          continue;
        }
        // A PutItem that could name another function's chain would let a compromised function relink it.
        expect(st, id).toMatchObject({
          Action: 'dynamodb:PutItem',
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [own] } },
        });
        writers.push(String(role.Properties.RoleName).split('-').at(-1) as string);
      }
      // Every role that may publish outcomes chains them (its outcomes carry links the verifier expects).
      const publishes =
        JSON.stringify(role.Properties.Policies).includes('"events:source":"wickr.autopilot"') ||
        JSON.stringify(role.Properties.Policies).includes('"events:source":["wickr.autopilot"');
      expect(statements.length > 0, id).toBe(publishes);
    }
    expect(writers.sort()).toEqual([...chainOwners].sort());
    const anchorRole = JSON.stringify(resources.AuditAnchorRole);
    expect(anchorRole).not.toMatch(/s3:Delete|PutObjectRetention|BypassGovernance|s3:\*/);
    const bucket = resources.AuditAnchorBucket?.Properties as Record<string, unknown>;
    expect(bucket).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: '400' } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(resources.RosterBucket?.Properties).toMatchObject({
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: '400' } } },
    });
    expect(resources.ReportsBucket?.Properties).toMatchObject({ ObjectLockEnabled: true });
  });

  it('lets the incident sources read PagerDuty’s API key only where one is named, that parameter only', () => {
    const statements = JSON.stringify((resources.IncidentSourcesRole as Resource).Properties.Policies);
    const reads = (
      (resources.IncidentSourcesRole as Resource).Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[]
    )
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((st) => JSON.stringify(st).includes('ssm:GetParameter')) as {
      'Fn::If': [string, { Resource: unknown }];
    }[];
    expect(reads.map((st) => st['Fn::If'][0])).toEqual(['HasPagerDutyApiKey']);
    // The one parameter the deployment names (packaged here without one: the ARN ends at `parameter`).
    expect(JSON.stringify(reads[0]?.['Fn::If'][1].Resource)).toMatch(/:parameter"/);
    expect(statements).not.toContain('ssm:GetParameters');
  });

  it('keeps each capability to its own DynamoDB items: HR cannot touch lock records or incident idempotency', () => {
    const capability: Record<string, string> = {
      PostureCheckRole: 'posture',
      IncidentDeclaredRole: 'incident',
      IncidentResolvedRole: 'incident',
      IncidentSourcesRole: 'incident',
      NetworkReconcileRole: 'incident',
      HrEventsRole: 'hr',
      PolicyRotationRole: 'rotation',
      AccountContainmentRole: 'containment',
      AccessReviewRole: 'review',
      AuditAnchorRole: 'audit',
    };
    for (const [id, role] of functionRoles()) {
      const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => [st.Action].flat().some((a) => String(a).startsWith('dynamodb:')))
        // The incident pool's meter item, the holds and the outcome chains have their own statements, checked below.
        .filter((st) => !/BUDGET#|HOLDS|HOLD-DECISIONS|CHAIN#/.test(JSON.stringify(st.Condition ?? {})));
      expect(capability[id], id).toBeDefined();
      if (capability[id] === 'audit') {
        expect(statements, id).toEqual([]);
        continue;
      }
      expect(statements.length, id).toBeGreaterThan(0);
      for (const st of statements) {
        const table = (st.Resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
        // HR reads (only) whether an account is under containment.
        if (capability[id] === 'hr' && JSON.stringify(st.Condition).includes('ACCOUNT#')) {
          expect(st.Action, id).toBe('dynamodb:GetItem');
          continue;
        }
        if (capability[id] === 'containment' && JSON.stringify(st.Condition).includes('["NETWORK#*"]')) {
          // A released guest's block handed to the lockdown: the active incidents read, a guest entry written alone.
          const put = [st.Action].flat().includes('dynamodb:PutItem');
          expect(st, id).toMatchObject(
            put
              ? {
                  Action: 'dynamodb:PutItem',
                  Condition: {
                    'ForAllValues:StringLike': {
                      'dynamodb:LeadingKeys': ['NETWORK#*'],
                      'dynamodb:Attributes': ['pk', 'sk', 'usernameHash'],
                    },
                  },
                }
              : { Action: ['dynamodb:GetItem', 'dynamodb:Query'] },
          );
          continue;
        }
        if (capability[id] === 'containment') {
          // Its accounts and its safety rail's window; HR's records only read (who was provisioned).
          const keys = (st.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']?.[
            'dynamodb:LeadingKeys'
          ];
          expect(keys, id).toEqual(
            [st.Action].flat().includes('dynamodb:PutItem') ? ['ACCOUNT#*', 'CONTAIN#*'] : ['HR#NETWORK#*'],
          );
          if (keys?.[0] === 'HR#NETWORK#*') expect(st.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
          continue;
        }
        // A lockdown's guest block handed to the containment that holds the guest: its `applied` alone.
        if (capability[id] === 'incident' && JSON.stringify(st.Condition).includes('ACCOUNT#')) {
          expect(st, id).toMatchObject({
            Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
            Condition: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': ['ACCOUNT#NETWORK#*'],
                'dynamodb:Attributes': ['pk', 'sk', 'applied', 'revision'],
              },
            },
          });
          continue;
        }
        if (capability[id] === 'review' && table === 'StateTable') {
          // HR's records, read only: who was provisioned, and where HR places them.
          expect(st, id).toMatchObject({
            Action: ['dynamodb:Query'],
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HR#NETWORK#*'] } },
          });
          continue;
        }
        const prefix =
          table === 'IdempotencyTable'
            ? `wickr-autopilot-${capability[id]}#*`
            : capability[id] === 'hr'
              ? 'HR#*'
              : capability[id] === 'posture'
                ? 'POSTURE#*'
                : 'NETWORK#*';
        expect(st.Condition, `${id} on ${table}`).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [prefix] },
        });
      }
    }
  });

  it('encrypts the failure queues with our own key, which each function may use to send; operators alone read', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBe(14);
    for (const [id, queue] of queues) {
      expect(queue.Properties.KmsMasterKeyId, id).toEqual({ Ref: 'DataKey' });
    }
    const key = resources.DataKey as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    for (const [id, role] of functionRoles()) {
      const statements = (
        role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      expect(statements, id).toContainEqual({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
      });
    }
    // The key: administered by the account, used only by the named roles and by EventBridge for our rules.
    const keyStatements = key.Properties.KeyPolicy.Statement as Statement[];
    expect(keyStatements.filter((st) => [st.Action].flat().some((a: string) => a === 'kms:*'))).toEqual([]);
    const admin = keyStatements.find((st) => st.Sid === 'AccountAdministersTheKey');
    expect(admin?.Action).not.toContain('kms:Decrypt');
    const users = keyStatements.find((st) => st.Sid === 'OurRolesUseTheKey') as Statement;
    // One key for every store (a key costs the same whatever it guards): each use only through its own service.
    expect(ofType('AWS::KMS::Key').map(([id]) => id)).toEqual(['DataKey']);
    const through = (sid: string) =>
      (keyStatements.find((st) => st.Sid === sid) as Statement).Condition.StringEquals['kms:ViaService'];
    const viaService = (service: string) => ({ 'Fn::Sub': `${service}.$\{AWS::Region}.amazonaws.com` });
    expect(through('OurRolesUseTheKey')).toEqual(viaService('sqs'));
    expect(through('ReadersDecrypt')).toEqual(viaService('s3'));
    expect(through('WritersEncrypt')).toEqual(viaService('s3'));
    const named = (users.Condition.ArnEquals['aws:PrincipalArn'] as { 'Fn::Sub'?: string }[]).map((v) => v['Fn::Sub']);
    for (const [id, role] of [
      ...functionRoles(),
      ['RotationSchedulerRole', resources.RotationSchedulerRole] as const,
    ]) {
      const name = (role as Resource).Properties.RoleName;
      expect(named, id).toContain(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`);
    }
    const events = keyStatements.find((st) => st.Principal?.Service === 'events.amazonaws.com');
    expect(Object.keys(events?.Condition ?? {}).sort()).toEqual(['ArnLike', 'StringEquals']);
  });

  it('closes the queues beside the bus: explicit denies on who sends, receives and purges', () => {
    const statements = (id: string) => (resources[id] as Resource).Properties.PolicyDocument.Statement as Statement[];
    const deny = (id: string, action: string, resource: string) =>
      statements(id).find(
        (st) =>
          st.Effect === 'Deny' &&
          [st.Action].flat().includes(action) &&
          [st.Resource].flat().some((r) => r['Fn::GetAtt']?.[0] === resource),
      );
    // Every queue has a policy (the failure queues and DLQs share one).
    const covered = ofType('AWS::SQS::QueuePolicy').flatMap(([, p]) =>
      p.Properties.Queues.map((q: { Ref: string }) => q.Ref),
    );
    expect(new Set(covered)).toEqual(new Set(ofType('AWS::SQS::Queue').map(([id]) => id)));
    // The HR queue: only the HR rule (or the consumer's own follow-ups) sends; only the consumer receives.
    expect(deny('HrEventQueuePolicy', 'sqs:SendMessage', 'HrEventQueue')?.Condition).toEqual({
      ArnNotEquals: {
        'aws:SourceArn': [
          { 'Fn::GetAtt': ['HrEventsRule', 'Arn'] },
          { 'Fn::GetAtt': ['HoldDecisionHrRule', 'Arn'] },
          { 'Fn::GetAtt': ['RosterHrRule', 'Arn'] },
          { 'Fn::If': ['HasOktaSource', { 'Fn::GetAtt': ['OktaHrRule', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
        ],
        'aws:PrincipalArn': { 'Fn::GetAtt': ['HrEventsRole', 'Arn'] },
      },
    });
    expect(deny('HrEventQueuePolicy', 'sqs:ReceiveMessage', 'HrEventQueue')?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['HrEventsRole', 'Arn'] } },
    });
    expect(deny('HrEventQueuePolicy', 'sqs:PurgeQueue', 'HrEventQueue')).toBeDefined();
    // The reconcile queue: the incident functions send, networkReconcile receives.
    const senders = deny('NetworkReconcileQueuePolicy', 'sqs:SendMessage', 'NetworkReconcileQueue')?.Condition
      .ArnNotEquals['aws:PrincipalArn'] as { 'Fn::GetAtt': string[] }[];
    expect(senders.map((s) => s['Fn::GetAtt'][0]).sort()).toEqual([
      'IncidentDeclaredRole',
      'IncidentResolvedRole',
      'IncidentSourcesRole',
      'NetworkReconcileRole',
    ]);
    // Each failure queue: its own function's role sends (Lambda's destination sends as it); operators read.
    for (const [fn, queue] of [
      ['IncidentDeclaredRole', 'IncidentDeclaredFailureQueue'],
      ['IncidentResolvedRole', 'IncidentResolvedFailureQueue'],
      ['IncidentSourcesRole', 'IncidentSourcesFailureQueue'],
      ['HrEventsRole', 'HrEventsFailureQueue'],
      ['PolicyRotationRole', 'PolicyRotationFailureQueue'],
      ['AccountContainmentRole', 'AccountContainmentFailureQueue'],
      ['AccessReviewRole', 'AccessReviewFailureQueue'],
    ]) {
      expect(deny('FailureQueuesPolicy', 'sqs:SendMessage', queue as string)?.Condition, queue).toEqual({
        ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [fn, 'Arn'] } },
      });
      expect(deny('FailureQueuesPolicy', 'sqs:ReceiveMessage', queue as string), queue).toBeDefined();
    }
    expect(resources.FailureQueuesPolicy).not.toHaveProperty('Condition');
  });

  it('denies writes to the state table to everyone but the functions and the operators; keeps it on removal', () => {
    const table = resources.StateTable as Resource & { DeletionPolicy: string };
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect((resources.IdempotencyTable as Resource & { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    expect((resources.AuditLogGroup as Resource & { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    const [statement] = table.Properties.ResourcePolicy.PolicyDocument.Statement;
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*' });
    expect(statement.Action).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    const allowed = (statement.Condition.ArnNotEquals['aws:PrincipalArn'] as { 'Fn::Sub'?: string }[]).map(
      (v) => v['Fn::Sub'] ?? v,
    );
    for (const [id, role] of functionRoles()) {
      expect(allowed, id).toContain(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${role.Properties.RoleName}`);
    }
  });

  it('admits outcome events (wickr.autopilot) only from the functions’ roles', () => {
    const policy = resources.OutcomePublishersOnly as Resource;
    expect(policy.Properties.Statement.Condition.StringEquals).toEqual({ 'events:source': 'wickr.autopilot' });
    const roles = (
      policy.Properties.Statement.Condition.ArnNotEquals['aws:PrincipalArn'] as { 'Fn::GetAtt': string[] }[]
    )
      .map((r) => r['Fn::GetAtt'][0])
      .sort();
    expect(roles).toEqual(
      functionRoles()
        .map(([id]) => id)
        .sort(),
    );
  });

  it('lets each function put only its own outcome events', () => {
    for (const [id, role] of functionRoles()) {
      const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => [st.Action].flat().includes('events:PutEvents'));
      expect(statements.length, id).toBeGreaterThan(0);
      for (const st of statements) {
        // The access review also hands its runs over to itself, on a source only its role may put.
        const sources = id === 'AccessReviewRole' ? ['wickr.autopilot', 'wickr.autopilot.review'] : 'wickr.autopilot';
        expect(st.Condition, id).toEqual({ StringEquals: { 'events:source': sources } });
      }
    }
  });

  it('splits the Wickr request budget so that every environment of every function together stays within it', () => {
    const budget = 20; // the wickrRequestsPerSecond default packaged here
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    let aggregate = 0;
    const pools = new Map<string, number>();
    // The webhook, the operators' entry point and the audit anchor make no Wickr request: no share.
    const wickrFunctions = ofType('AWS::Lambda::Function').filter(
      ([id]) => !['WebhooksLambdaFunction', 'OperatorActionsLambdaFunction', 'AuditAnchorLambdaFunction'].includes(id),
    );
    for (const [id, fn] of wickrFunctions) {
      const env = fn.Properties.Environment.Variables;
      expect(Number(env.WICKR_REQUESTS_PER_SECOND), id).toBe(budget);
      const share = Number(env.WICKR_BUDGET_SHARE);
      const concurrency = Number(env.WICKR_ENVIRONMENTS);
      expect(share, id).toBeGreaterThan(0);
      // The divisor must be a limit Lambda enforces: reserved concurrency, or its queue source's maximum.
      const polled = mappings.find(([, m]) => m.Properties.FunctionName?.['Fn::GetAtt']?.[0] === id);
      const enforced =
        fn.Properties.ReservedConcurrentExecutions ?? polled?.[1].Properties.ScalingConfig?.MaximumConcurrency;
      expect(enforced, `${id} has no enforced concurrency limit`).toBe(concurrency);
      const pool = env.WICKR_BUDGET_POOL;
      // Incident response draws on its pool, metered as one: the pool's share counts once, whatever its members.
      expect(pool, id).toBe(
        /Incident|SecurityHub|NetworkReconcile|AccountContainment/.test(id) ? 'incident' : undefined,
      );
      if (pool) {
        expect(pools.get(pool) ?? share, `${id}: every member of a pool states the pool's share`).toBe(share);
        pools.set(pool, share);
      } else {
        aggregate += ((budget * share) / concurrency) * concurrency;
      }
    }
    for (const share of pools.values()) aggregate += budget * share;
    expect(aggregate).toBeLessThanOrEqual(budget + 1e-9);
    // Incident response holds its own part that HR and rotation cannot take.
    expect(budget * (pools.get('incident') ?? 0)).toBeGreaterThanOrEqual(budget / 2);
  });

  it('lets the incident pool meter only its own item of the state table', () => {
    for (const [id, role] of functionRoles()) {
      const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement)
        .filter((st) => JSON.stringify(st.Condition ?? {}).includes('BUDGET#'));
      const pooled = /Incident|SecurityHub|NetworkReconcile|AccountContainment/.test(id);
      expect(statements, id).toEqual(
        pooled
          ? [
              {
                Effect: 'Allow',
                Action: 'dynamodb:UpdateItem',
                Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
                Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['BUDGET#incident'] } },
              },
            ]
          : [],
      );
    }
  });

  it('runs every function on nodejs24.x, arm64, 256 MB, with its own role', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns.length).toBe(12);
    for (const [, fn] of fns) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 256 });
    }
    expect(functionNamed('incidentDeclared')?.Properties.Role).toEqual({
      'Fn::GetAtt': ['IncidentDeclaredRole', 'Arn'],
    });
    expect(functionNamed('incidentResolved')?.Properties.Role).toEqual({
      'Fn::GetAtt': ['IncidentResolvedRole', 'Arn'],
    });
  });

  it('lets the incident sources function tell Security Hub only NOTIFIED, on this account and region’s hub', () => {
    const role = resources.IncidentSourcesRole as Resource;
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((st) => String(st.Action).startsWith('securityhub:'));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'securityhub:BatchUpdateFindings',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' },
        Condition: { StringEquals: { 'securityhub:ASFFSyntaxPath/Workflow.Status': 'NOTIFIED' } },
      },
    ]);
    const others = functionRoles().filter(([id]) => id !== 'IncidentSourcesRole');
    expect(others.filter(([, r]) => JSON.stringify(r).includes('securityhub:'))).toEqual([]);
  });

  it('grants each role only the Wickr operations it calls, its tables, its queue and the bus; no wildcard actions', () => {
    const incident = [
      'wickr:GetNetworkSettings',
      'wickr:ListSecurityGroups',
      'wickr:UpdateNetworkSettings',
      'wickr:UpdateSecurityGroup',
    ];
    // A lockdown also asks whether retention keeps messages (maxTtl/maxBor), and blocks and unblocks guests.
    const lockdown = [
      'wickr:GetDataRetentionBot',
      'wickr:GetNetworkSettings',
      'wickr:ListBlockedGuestUsers',
      'wickr:ListGuestUsers',
      'wickr:ListSecurityGroups',
      'wickr:UpdateGuestUser',
      'wickr:UpdateNetworkSettings',
      'wickr:UpdateSecurityGroup',
    ];
    const expected: Record<string, string[]> = {
      IncidentDeclaredRole: lockdown,
      IncidentResolvedRole: lockdown,
      IncidentSourcesRole: lockdown,
      NetworkReconcileRole: lockdown,
      // One consumer of the HR queue: no GetSecurityGroup or GetUser any more (the writes' answers say enough);
      // no BatchDeleteUser, since the shipped policy suspends leavers (hr.leaver: suspend).
      HrEventsRole: [
        'wickr:BatchCreateUser',
        'wickr:BatchToggleUserSuspendStatus',
        'wickr:CreateSecurityGroup',
        'wickr:ListSecurityGroups',
        'wickr:ListUsers',
        'wickr:UpdateSecurityGroup',
        'wickr:UpdateUser',
      ],
      PolicyRotationRole: incident,
      // A compromised account: found (by username), read, suspended, its devices listed and signed out, and moved to
      // the quarantine group (made once) and back; a guest found among those a network saw, blocked and unblocked.
      // Every account read (pages, then each one's last sign-in), the guests and the bots; suspended only as an operator
      // approved.
      AccessReviewRole: [
        'wickr:BatchToggleUserSuspendStatus',
        'wickr:GetBot',
        'wickr:GetUser',
        'wickr:ListBlockedGuestUsers',
        'wickr:ListBots',
        'wickr:ListGuestUsers',
        'wickr:ListUsers',
        'wickr:UpdateBot',
      ],
      // The posture: read, never changed.
      PostureCheckRole: [
        'wickr:GetBotsCount',
        'wickr:GetDataRetentionBot',
        'wickr:GetNetwork',
        'wickr:GetNetworkSettings',
        'wickr:GetOidcInfo',
        'wickr:GetUsersCount',
      ],
      AccountContainmentRole: [
        'wickr:BatchResetDevicesForUser',
        'wickr:BatchToggleUserSuspendStatus',
        'wickr:CreateSecurityGroup',
        'wickr:GetBot',
        'wickr:GetUser',
        'wickr:ListBlockedGuestUsers',
        'wickr:ListBots',
        'wickr:ListDevicesForUser',
        'wickr:ListGuestUsers',
        'wickr:ListSecurityGroups',
        'wickr:ListUsers',
        'wickr:UpdateBot',
        'wickr:UpdateGuestUser',
        'wickr:UpdateUser',
      ],
      // The audit anchor reads chain heads and writes anchors: no Wickr at all.
      AuditAnchorRole: [],
    };
    expect(
      functionRoles()
        .map(([id]) => id)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
    for (const [role, wickr] of Object.entries(expected)) {
      const actions = policyActions(role);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions.filter((a) => a.startsWith('wickr:')).sort()).toEqual(wickr);
      expect(actions).toContain('events:PutEvents');
      expect(actions).toContain('sqs:SendMessage');
      expect(actions).not.toContain('dynamodb:Scan');
    }
  });

  it('gives the deployer policy (infra/deployer-policy.json) a service for every resource type, no wildcard action', () => {
    const policy = JSON.parse(readFileSync('infra/deployer-policy.json', 'utf8')) as {
      Statement: { Action: string[] }[];
    };
    const actions = policy.Statement.flatMap((st) => st.Action);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    const services = new Set(actions.map((a) => a.split(':')[0]));
    const types = new Set(Object.values(resources as Record<string, Resource>).map((r) => r.Type as string));
    for (const type of types) expect(services, type).toContain((type.split('::')[1] as string).toLowerCase());
    expect(services).toContain('cloudformation');
  });

  it('gives the signed webhook a URL with no auth of its own, its secrets by name only, and no Wickr or table', () => {
    const url = ofType('AWS::Lambda::Url').find(([id]) => id.startsWith('Webhooks'))?.[1];
    expect(url?.Properties).toMatchObject({
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': ['WebhooksLambdaFunction', 'Arn'] },
    });
    const actions = policyActions('WebhooksRole');
    expect(actions.filter((a) => /^(wickr|dynamodb|sqs):/.test(a))).toEqual([]);
    const statements = (
      (resources.WebhooksRole as Resource).Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[]
    )[0]?.PolicyDocument.Statement as Record<string, unknown>[];
    // Only the contracts' sources and the webhook's own PagerDuty source.
    expect(statements.find((st) => st.Action === 'events:PutEvents')?.Condition).toEqual({
      StringEquals: { 'events:source': ['security.incidents', 'hr.system', 'wickr.autopilot.webhook.pagerduty'] },
    });
    // ssm:GetParameter on the named parameters only, each where it is set; decryption only through SSM.
    const ssm = statements.filter((st) => JSON.stringify(st).includes('ssm:GetParameter'));
    expect(ssm.map((st) => (st['Fn::If'] as unknown[])[0])).toEqual(['HasPagerDutyWebhookSecret', 'HasWebhookSecret']);
    expect(statements.find((st) => st.Action === 'kms:Decrypt')?.Condition).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
      StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' } },
    });
    // Only the webhook's role may put PagerDuty's webhook source on the bus.
    expect((resources.WebhookSourceOnly as Resource).Properties.Statement.Condition).toEqual({
      StringEquals: { 'events:source': 'wickr.autopilot.webhook.pagerduty' },
      ArnNotEquals: {
        'aws:PrincipalArn': {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
          'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/wickr-autopilot-dev-webhooks',
        },
      },
    });
  });

  it('serves the operators’ entry point on an AWS_IAM URL; only its role writes decisions and puts its facts’ source', () => {
    const url = ofType('AWS::Lambda::Url').find(([id]) => id.startsWith('OperatorActions'))?.[1];
    expect(url?.Properties.AuthType).toBe('AWS_IAM');
    const entryPoint = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
      'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/wickr-autopilot-dev-operatorActions',
    };
    expect((resources.OperatorSourcesOnly as Resource).Properties.Statement.Condition).toEqual({
      StringEquals: { 'events:source': 'wickr.autopilot.operator-actions' },
      ArnNotEquals: { 'aws:PrincipalArn': entryPoint },
    });
    const table = (resources.StateTable as Resource).Properties.ResourcePolicy.PolicyDocument.Statement as Record<
      string,
      Record<string, unknown>
    >[];
    const decisions = table.find((st) => st.Sid === ('OnlyTheEntryPointDecidesHolds' as never));
    expect(decisions?.Condition).toMatchObject({
      'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['HOLD-DECISIONS'] },
      ArnNotEquals: { 'aws:PrincipalArn': entryPoint },
    });
    // Its role: holds read and sealed, decisions written, the nudge and its facts put — nothing else, no Wickr.
    expect([...new Set(policyActions('OperatorActionsRole'))].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('routes the incident rules on the project bus, Security Hub on the default bus (off unless enabled)', () => {
    const rules = ofType('AWS::Events::Rule')
      .map(([, r]) => r.Properties)
      .filter((r) => r.EventPattern)
      .sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
    expect(rules.map((r) => [r.EventBusName ?? 'default', r.State, r.EventPattern])).toEqual([
      // The access review: an operator's request, a decision on a review hold, and its own hand-overs.
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        { source: ['wickr.autopilot.operators'], 'detail-type': ['Wickr Access Review Requested'] },
      ],
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        {
          source: ['wickr.autopilot.operators'],
          'detail-type': ['Wickr Hold Decision'],
          detail: { capability: ['review'] },
        },
      ],
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        { source: ['wickr.autopilot.review'], 'detail-type': ['Wickr Access Review Continued'] },
      ],
      // Account facts from the incident publishers (and the on-call's cockpit), to the containment function.
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        {
          source: ['security.incidents', 'wickr.autopilot.operator-actions'],
          'detail-type': ['Account Compromised', 'Account Cleared'],
        },
      ],
      // An operator's decision on a containment hold, to the containment function.
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        {
          source: ['wickr.autopilot.operators'],
          'detail-type': ['Wickr Hold Decision'],
          detail: { capability: ['containment'] },
        },
      ],
      // GuardDuty's IAM findings on the default bus (off unless guardDutyEnabled).
      [
        'default',
        'DISABLED',
        {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Finding'],
          detail: { resource: { resourceType: ['AccessKey'] } },
        },
      ],
      // The audit trail: every outcome event into the audit log group.
      [{ Ref: 'EventBus' }, 'ENABLED', { source: ['wickr.autopilot'] }],
      // A group the automation made goes to the reconcile queue: locked at once if its network is.
      [
        { Ref: 'EventBus' },
        'ENABLED',
        {
          source: ['wickr.autopilot'],
          'detail-type': ['Wickr Security Group Provisioned'],
          detail: { action: ['created'] },
        },
      ],
      // A new hold's summary to the alarm topic (only where one is set), and an operator's HR decision to HR.
      [{ Ref: 'EventBus' }, 'ENABLED', { source: ['wickr.autopilot'], 'detail-type': ['Wickr Hold Created'] }],
      [
        { Ref: 'EventBus' },
        'ENABLED',
        {
          source: ['wickr.autopilot.operators'],
          'detail-type': ['Wickr Hold Decision'],
          detail: { capability: ['hr'] },
        },
      ],
      [
        { Ref: 'EventBus' },
        'ENABLED',
        {
          source: ['hr.system'],
          'detail-type': ['Employee Onboarded', 'Employee Transferred', 'Employee Offboarded'],
        },
      ],
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        {
          source: ['security.incidents', 'wickr.autopilot.operator-actions'],
          'detail-type': ['Incident Declared', 'Incident Updated'],
        },
      ],
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        { source: ['security.incidents', 'wickr.autopilot.operator-actions'], 'detail-type': ['Incident Resolved'] },
      ],
      // The incident sources function: Security Hub on the default bus (off unless enabled), then PagerDuty's V3
      // webhooks as the signed webhook verified them.
      [
        'default',
        'DISABLED',
        {
          source: ['aws.securityhub'],
          'detail-type': ['Security Hub Findings - Imported'],
          detail: {
            findings: {
              ProductArn: [{ wildcard: 'arn:aws:securityhub:*::product/aws/*' }],
              Workflow: { Status: ['NEW', 'RESOLVED', 'SUPPRESSED'] },
            },
          },
        },
      ],
      // PagerDuty's V3 webhooks, as the signed webhook verified them.
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        { source: ['wickr.autopilot.webhook.pagerduty'], 'detail-type': ['PagerDuty Webhook'] },
      ],
      // Okta's compromise signals, on its partner bus, to the containment function (where oktaEventSource is set).
      [
        '',
        'ENABLED',
        {
          source: [''],
          'detail-type': ['SystemLog'],
          detail: {
            eventType: ['user.account.report_suspicious_activity_by_enduser', 'user.session.impersonation.grant'],
            outcome: { result: ['SUCCESS'] },
          },
        },
      ],
      // Okta's lifecycle and membership events, on its partner bus (only where oktaEventSource is set).
      [
        '',
        'ENABLED',
        {
          source: [''],
          'detail-type': ['SystemLog'],
          detail: {
            // The types the Okta intake reads, and only those.
            eventType: [...oktaLifecycleTypes],
            outcome: { result: ['SUCCESS'] },
          },
        },
      ],
      // Outcomes to the notification topic, whole (AWS Chatbot reads EventBridge events), where one is set.
      [
        { Ref: 'EventBus' },
        'ENABLED',
        {
          source: ['wickr.autopilot'],
          'detail-type': [
            'Wickr Lockdown Applied',
            'Wickr Lockdown Lifted',
            'Wickr Lockdown Matched Nothing',
            'Wickr Automation Failed',
            'Wickr Hold Created',
            'Wickr Hold Decided',
            'Wickr User Drift',
            'Wickr Account Contained',
            'Wickr Account Released',
            'Wickr Account Containment Restored',
            'Wickr Access Review Completed',
            'Wickr Posture Drift',
          ],
        },
      ],
      // PagerDuty's incidents, on its partner bus, to the incident sources function (where pagerDutyEventSource is set).
      ['', 'ENABLED', { source: [''], 'detail-type': ['PagerDuty Webhook'] }],
      // An operator's decision on a rotation hold, to the rotation function.
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        {
          source: ['wickr.autopilot.operators'],
          'detail-type': ['Wickr Hold Decision'],
          detail: { capability: ['rotation'] },
        },
      ],
      // The posture, re-recorded as an operator accepts it (the entry point's).
      [
        { 'Fn::GetAtt': ['EventBus', 'Name'] },
        'ENABLED',
        { source: ['wickr.autopilot.operator-actions'], 'detail-type': ['Posture Accept Requested'] },
      ],
      // S3's uploads of roster files to the stack's bucket, on the default bus, to the HR queue.
      [
        'default',
        'ENABLED',
        {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: [{ Ref: 'RosterBucket' }] }, object: { key: [{ prefix: 'roster/' }] } },
        },
      ],
    ]);
    for (const rule of rules) {
      expect(rule.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] } },
      });
    }
  });

  it('sends outcomes to the notification topic as a chat custom notification, with no name in it', () => {
    const rule = resources.OutcomeNotificationRule as Resource & { Condition: string };
    expect(conditions[rule.Condition]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    const [target] = rule.Properties.Targets as {
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
    const { InputPathsMap: inputPathsMap, InputTemplate: inputTemplate } = target?.InputTransformer ?? ({} as never);
    // The card a lockdown would make, through the documented transformer (the local one, tested on AWS's examples).
    const detail = {
      networkId: '12345678',
      incidentId: 'INC-7',
      title: 'Breach of jane.doe@example.com',
      groups: [{ groupId: 'g1', groupName: 'Jane Doe', changes: [] }],
    };
    const event = {
      'detail-type': 'Wickr Lockdown Applied',
      account: '123456789012',
      time: '2026-11-30T03:00:00Z',
      detail: { ...detail, headline: headlineOf('Wickr Lockdown Applied', detail) },
    };
    const rule0 = { ruleName: 'r', ruleArn: 'arn', ingestionTime: event.time };
    const card = JSON.parse(transformInput(event, { inputPathsMap, inputTemplate }, rule0));
    expect(card).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'Wickr Lockdown Applied',
        description:
          'Lockdown Applied: networkId 12345678, incidentId INC-7, 1 group(s)\n\n2026-11-30T03:00:00Z · account 123456789012 · wickr-autopilot-dev',
      },
    });
    expect(JSON.stringify(card)).not.toMatch(/jane|doe/i);
  });

  it('keeps rosters and reviews under our own key and readable by their readers, operators and auditors alone', () => {
    const key = resources.DataKey as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const keyStatements = key.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    // The account administers the key but cannot decrypt with it: only the statements below, for named principals.
    const admin = keyStatements.find((st) => st.Sid === 'AccountAdministersTheKey');
    expect([admin?.Action].flat().filter((a) => /Decrypt|GenerateDataKey|kms:\*/.test(String(a)))).toEqual([]);
    const decrypt = keyStatements.find((st) => st.Sid === 'ReadersDecrypt') as {
      Condition: Record<string, Record<string, unknown>>;
    };
    expect(JSON.stringify(decrypt.Condition.ArnEquals)).toMatch(
      /-hrEvents.*-accessReview.*HasOperatorsRole.*HasAuditorsRole/,
    );
    for (const name of ['RosterBucket', 'ReportsBucket']) {
      const bucket = resources[name] as Resource;
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
      });
      const policy = (resources[`${name}Policy`] as Resource).Properties.PolicyDocument.Statement as Record<
        string,
        unknown
      >[];
      const read = policy.find((st) => st.Sid === 'OnlyReadersRead');
      expect(read, name).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
      });
      const readers = JSON.stringify(read?.Condition);
      expect(readers).toContain(name === 'RosterBucket' ? '-hrEvents' : '-accessReview');
      expect(readers).toMatch(/HasOperatorsRole.*HasAuditorsRole/);
      const evidence = policy.find((st) => st.Sid === 'EvidenceStays');
      expect(evidence, name).toMatchObject({
        Effect: 'Deny',
        Action: ['s3:DeleteObjectVersion', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration'],
        Condition: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub template
          ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
        },
      });
    }
  });

  it('keeps rosters in a bucket with KMS, versions, no public access and TLS only; only HR publishers upload', () => {
    const bucket = resources.RosterBucket as Resource & { DeletionPolicy: string };
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    const statements = (resources.RosterBucketPolicy as Resource).Properties.PolicyDocument.Statement as Record<
      string,
      unknown
    >[];
    expect(statements[0]).toMatchObject({
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(JSON.stringify(statements[1])).toContain('OnlyHrPublishersUpload');
    // The HR consumer reads roster/ only; no other role touches the bucket.
    const readers = functionRoles().filter(([id]) => JSON.stringify(resources[id]).includes('RosterBucket'));
    expect(readers.map(([id]) => id)).toEqual(['HrEventsRole']);
    expect(policyActions('HrEventsRole').filter((a) => a.startsWith('s3:'))).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
    ]);
  });

  it('schedules the rotation, the access review, the containment sweep and the posture check on EventBridge Scheduler', () => {
    const schedules = ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
    expect(schedules.map((r) => [r.Name, r.ScheduleExpression, r.ScheduleExpressionTimezone]).sort()).toEqual([
      ['wickr-autopilot-dev-access-review', 'cron(0 6 ? * MON *)', 'Europe/Berlin'],
      ['wickr-autopilot-dev-audit-anchor', 'rate(1 hour)', 'UTC'],
      ['wickr-autopilot-dev-containment-sweep', 'rate(15 minutes)', 'UTC'],
      ['wickr-autopilot-dev-posture-check', 'rate(1 hour)', 'UTC'],
      ['wickr-autopilot-dev-rotation-edge-0800', 'cron(0 8 ? * MON,TUE,WED,THU,FRI *)', 'Europe/Berlin'],
      ['wickr-autopilot-dev-rotation-edge-1800', 'cron(0 18 ? * MON,TUE,WED,THU,FRI *)', 'Europe/Berlin'],
      ['wickr-autopilot-dev-rotation-hourly', 'rate(1 hour)', 'Europe/Berlin'],
    ]);
    for (const schedule of schedules) {
      const target = schedule.Name.endsWith('access-review')
        ? 'AccessReview'
        : schedule.Name.endsWith('containment-sweep')
          ? 'AccountContainment'
          : schedule.Name.endsWith('posture-check')
            ? 'PostureCheck'
            : schedule.Name.endsWith('audit-anchor')
              ? 'AuditAnchor'
              : 'PolicyRotation';
      expect(schedule.Target).toMatchObject({
        Arn: { 'Fn::GetAtt': [`${target}LambdaFunction`, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': ['RotationSchedulerRole', 'Arn'] },
        // A sweep's tick is stale once the next one is due.
        RetryPolicy: {
          MaximumRetryAttempts: 10,
          MaximumEventAgeInSeconds: target === 'AccountContainment' ? 900 : 3600,
        },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] } },
      });
      // The scheduled time is the tick the rotation evaluates and keys its idempotency on.
      const input = JSON.parse(schedule.Target.Input['Fn::Sub']);
      expect(input).toMatchObject({ time: '<aws.scheduler.scheduled-time>', source: 'aws.scheduler' });
    }
    // No schedule rules any more: they knew only UTC.
    expect(ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression)).toEqual([]);
    // The scheduler's role may invoke the rotation, the sweep and the review, nothing else (and reach its dead letters).
    const role = resources.RotationSchedulerRole as Resource;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'scheduler.amazonaws.com',
    });
    const statements = role.Properties.Policies[0].PolicyDocument.Statement as { Action: string; Resource: unknown }[];
    expect(statements.filter((st) => String(st.Action).startsWith('lambda:'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [
          { 'Fn::GetAtt': ['PolicyRotationLambdaFunction', 'Arn'] },
          { 'Fn::GetAtt': ['AccountContainmentLambdaFunction', 'Arn'] },
          { 'Fn::GetAtt': ['PostureCheckLambdaFunction', 'Arn'] },
          { 'Fn::GetAtt': ['AuditAnchorLambdaFunction', 'Arn'] },
          { 'Fn::GetAtt': ['AccessReviewLambdaFunction', 'Arn'] },
        ],
      },
    ]);
  });

  it('sends HR facts through a queue that only the HR rule may fill, consumed in batches with partial failures', () => {
    const rule = resources.HrEventsRule as Resource;
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['HrEventQueue', 'Arn'] });
    const queue = (resources.HrEventQueue as Resource).Properties;
    expect(queue).toMatchObject({
      VisibilityTimeout: 720,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['HrEventDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 },
    });
    // Lambda's advice: a visibility timeout of at least six times the consumer's timeout.
    const consumer = (resources.HrEventsLambdaFunction as Resource).Properties;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer.Timeout);
    const statement = (resources.HrEventQueuePolicy as Resource).Properties.PolicyDocument.Statement[0];
    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [
            { 'Fn::GetAtt': ['HrEventsRule', 'Arn'] },
            { 'Fn::GetAtt': ['HoldDecisionHrRule', 'Arn'] },
            { 'Fn::GetAtt': ['RosterHrRule', 'Arn'] },
            { 'Fn::If': ['HasOktaSource', { 'Fn::GetAtt': ['OktaHrRule', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
          ],
        },
      },
    });
    const mapping = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties)
      .find((m) => JSON.stringify(m.EventSourceArn).includes('HrEventQueue'));
    expect(mapping).toMatchObject({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(consumer.ReservedConcurrentExecutions).toBe(2);
  });

  it('sets each function’s async retries, event age and failure destination', () => {
    // Resource order varies between builds: compare by function.
    const configs = ofType('AWS::Lambda::EventInvokeConfig')
      .map(([, r]) => r.Properties)
      .map((c) => [
        c.FunctionName.Ref,
        c.MaximumRetryAttempts,
        c.MaximumEventAgeInSeconds,
        c.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0],
      ])
      .sort();
    expect(configs).toEqual([
      ['AccessReviewLambdaFunction', 2, 3600, 'AccessReviewFailureQueue'],
      ['AccountContainmentLambdaFunction', 2, 3600, 'AccountContainmentFailureQueue'],
      ['AuditAnchorLambdaFunction', 2, 3600, 'AuditAnchorFailureQueue'],
      ['IncidentDeclaredLambdaFunction', 2, 3600, 'IncidentDeclaredFailureQueue'],
      ['IncidentResolvedLambdaFunction', 2, 3600, 'IncidentResolvedFailureQueue'],
      ['IncidentSourcesLambdaFunction', 2, 3600, 'IncidentSourcesFailureQueue'],
      ['PolicyRotationLambdaFunction', 2, 3600, 'PolicyRotationFailureQueue'],
      ['PostureCheckLambdaFunction', 2, 3600, 'PostureCheckFailureQueue'],
    ]);
  });

  it('keys the tables as the code expects, with TTL on the idempotency records', () => {
    expect(resources.IdempotencyTable?.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(resources.StateTable?.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('limits who may put events on the bus, and alarms on queue depth, not on what the queues say again', () => {
    expect(resources.EventBusPolicy?.Properties.Statement).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
    });
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties.MetricName);
    // A failure for good lands in a queue, whose alarm fires: an Errors alarm per function would page twice, at $0.10.
    expect(alarms.filter((m) => m === 'Errors')).toEqual([]);
    expect(alarms.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(12);
    // Every function's failure queue, and every queue nobody polls (failure and dead-letter queues).
    const dimensions = ofType('AWS::CloudWatch::Alarm').flatMap(([, r]) =>
      (r.Properties.Dimensions ?? []).map((d: { Value: unknown }) => JSON.stringify(d.Value)),
    );
    for (const fn of [
      'incidentDeclared',
      'incidentResolved',
      'incidentSources',
      'accountContainment',
      'accessReview',
      'postureCheck',
      'auditAnchor',
      'policyRotation',
      'hrEvents',
    ]) {
      const queue = `${fn[0]?.toUpperCase()}${fn.slice(1)}FailureQueue`;
      expect(dimensions, fn).toContain(JSON.stringify({ 'Fn::GetAtt': [queue, 'QueueName'] }));
    }
    expect(dimensions).toContain(JSON.stringify({ 'Fn::GetAtt': ['NetworkReconcileDeadLetterQueue', 'QueueName'] }));
    const behind = resources.NetworkBehindItsFactsAlarm as Resource;
    expect(JSON.stringify(behind.Properties.Metrics)).toContain('NetworksBehind');
  });

  it('shows on its dashboard only metrics the code emits, every headline one among them, and alarms on three', () => {
    // The dashboard is the one resource the parameter `dashboard` adds ($3 a month): off unless asked for.
    expect(resources.OperationsDashboard?.Condition).toBe('HasDashboard');
    expect(conditions.HasDashboard).toEqual({ 'Fn::Equals': ['false', 'true'] });
    const body = JSON.parse(resources.OperationsDashboard?.Properties.DashboardBody as string) as {
      widgets: { properties: { metrics: (string | object)[][] } }[];
    };
    const shown = new Set(
      body.widgets.flatMap((w) =>
        w.properties.metrics.filter((m) => m[0] === 'WickrAutopilot').map((m) => String(m[1])),
      ),
    );
    // What the code emits: every `metrics…add('Name', …)` in lib/.
    const sources = execFileSync('git', ['grep', '--untracked', '-h', '-o', "add('[A-Za-z]*'", '--', 'lib/'], {
      encoding: 'utf8',
    });
    const emitted = new Set([...sources.matchAll(/add\('([A-Za-z]+)'/g)].map((m) => m[1] as string));
    expect([...shown].filter((name) => !emitted.has(name))).toEqual([]);
    expect([...emitted].filter((name) => !(name in metricUnits))).toEqual([]);
    for (const headline of [
      'TimeToContain',
      'GroupsLocked',
      'UsersCreated',
      'GuardStops',
      'WickrThrottled',
      'RefusedEvents',
    ]) {
      expect(shown.has(headline), headline).toBe(true);
      expect(emitted.has(headline), headline).toBe(true);
    }
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    expect(
      alarms
        .filter((a) => a.Namespace === 'WickrAutopilot')
        .map((a) => a.MetricName)
        .sort(),
    ).toEqual(['GuardStops', 'PostureDrift', 'TimeToContain']);
  });

  it('embeds the validated policy in each function, and leaves the YAML parser out', () => {
    const bundle = zipEntry(readFileSync('.serverless/incidentDeclared.zip'), 'functions/incident-declared.mjs');
    expect(bundle).toContain('"networkId":"12345678"');
    expect(bundle).toContain('"playbooks"');
    expect(bundle).not.toContain('LineCounter');
  });

  // Last: a failed packaging leaves no template behind for the tests above.
  it('refuses to package an invalid policy file, naming the field, the rule and the line', () => {
    let output = '';
    try {
      execFileSync('npm', ['run', '--silent', 'package', '--', '--param=policyFile=test/fixtures/policy.invalid.yml'], {
        stdio: 'pipe',
        encoding: 'utf8',
        timeout: 300_000,
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout) + String((error as { stderr?: string }).stderr);
    }
    expect(output).toContain(
      'incident.playbooks.SEV1.maxNonSsoSessionMinutes (line 23): must be 0 (disabled) or 60–525600',
    );
  });
});
