/**
 * The rotation's EventBridge Scheduler schedules, as CloudFormation resources derived from the policy file at
 * packaging (the local osls plugin calls this), and the payload each schedule delivers — which the local stack
 * fills in the same way when it fires a schedule.
 *
 * `tsx infra/rotation-scheduler.ts <policy file> <service> <stage>` prints the resources as JSON.
 */
import { pathToFileURL } from 'node:url';
import { reviewSchedule } from '../lib/access-review/review-schedule.js';
import { loadPolicyFile } from '../lib/policy-file/policy-file.js';
import { type RotationSchedule, rotationSchedules } from '../lib/rotation/rotation-schedules.js';

// CloudFormation's own placeholders, filled in at deploy by Fn::Sub — not JavaScript template slots.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
export const accountPlaceholder = '${AWS::AccountId}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::Sub placeholder
export const regionPlaceholder = '${AWS::Region}';

/**
 * What a schedule delivers to the rotation: an EventBridge-style envelope whose `time` is the scheduled time (the
 * tick the rotation evaluates and keys its idempotency on) and whose resource is the schedule. CloudFormation's
 * `${AWS::…}` and Scheduler's `<aws.scheduler.…>` placeholders are filled in at deploy and at each run.
 */
export const schedulerInput = JSON.stringify({
  version: '0',
  id: '<aws.scheduler.execution-id>',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: accountPlaceholder,
  time: '<aws.scheduler.scheduled-time>',
  region: regionPlaceholder,
  resources: ['<aws.scheduler.schedule-arn>'],
  detail: {},
});

/** The schedule's name: the stack's prefix and the schedule's suffix, within Scheduler's 64 characters. */
export const scheduleName = (service: string, stage: string, schedule: Pick<RotationSchedule, 'suffix'>) =>
  `${service}-${stage}-rotation-${schedule.suffix}`.slice(0, 64);

/** The containment sweep's schedule name, and how often it runs. */
export const sweepScheduleName = (service: string, stage: string) =>
  `${service}-${stage}-containment-sweep`.slice(0, 64);
export const sweepExpression = 'rate(15 minutes)';

/** The posture check's schedule name, and how often it runs. */
export const postureScheduleName = (service: string, stage: string) => `${service}-${stage}-posture-check`.slice(0, 64);
export const postureExpression = 'rate(1 hour)';
export const anchorScheduleName = (service: string, stage: string) => `${service}-${stage}-audit-anchor`.slice(0, 64);
export const anchorExpression = 'rate(1 hour)';

/** The access review's schedule name. */
export const reviewScheduleName = (service: string, stage: string) => `${service}-${stage}-access-review`.slice(0, 64);

const logicalId = (suffix: string) =>
  `RotationSchedule${suffix
    .split(/[^A-Za-z0-9]/)
    .map((p) => (p ? `${p[0]?.toUpperCase()}${p.slice(1)}` : ''))
    .join('')}`;

/** One Scheduler schedule invoking a function with the scheduler's role, retried, its dead letters kept. */
function scheduleResource(schedule: {
  readonly name: string;
  readonly description: string;
  readonly expression: string;
  readonly timeZone: string;
  readonly target: unknown;
  readonly maxAgeSeconds?: number;
}) {
  return {
    Type: 'AWS::Scheduler::Schedule',
    Properties: {
      Name: schedule.name,
      Description: schedule.description,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: schedule.target,
        RoleArn: { 'Fn::GetAtt': ['RotationSchedulerRole', 'Arn'] },
        Input: { 'Fn::Sub': schedulerInput },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: schedule.maxAgeSeconds ?? 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] } },
      },
    },
  };
}

/**
 * The Scheduler resources and their execution role, which may invoke only the rotation function, the containment
 * sweep and, when the policy schedules one, the access review.
 */
export function schedulerResources(
  schedules: readonly RotationSchedule[],
  names: { readonly service: string; readonly stage: string },
  review?: { readonly expression: string; readonly timeZone: string } | undefined,
): Record<string, unknown> {
  const functionArn = { 'Fn::GetAtt': ['PolicyRotationLambdaFunction', 'Arn'] };
  const reviewArn = { 'Fn::GetAtt': ['AccessReviewLambdaFunction', 'Arn'] };
  const containmentArn = { 'Fn::GetAtt': ['AccountContainmentLambdaFunction', 'Arn'] };
  const postureArn = { 'Fn::GetAtt': ['PostureCheckLambdaFunction', 'Arn'] };
  const anchorArn = { 'Fn::GetAtt': ['AuditAnchorLambdaFunction', 'Arn'] };
  const deadLetters = { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'Arn'] };
  const resources: Record<string, unknown> = {
    RotationSchedulerRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        // Named, so the key policy can let it write dead letters without a reference back to it.
        RoleName: `${names.service}-${names.stage}-rotation-scheduler`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'invoke-rotation',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'lambda:InvokeFunction',
                  Resource: [functionArn, containmentArn, postureArn, anchorArn, ...(review ? [reviewArn] : [])],
                },
                // What the retries could not deliver goes to the rules' (encrypted) dead-letter queue.
                { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetters },
                {
                  Effect: 'Allow',
                  Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
                  Resource: { 'Fn::GetAtt': ['DataKey', 'Arn'] },
                },
              ],
            },
          },
        ],
      },
    },
  };
  for (const schedule of schedules) {
    resources[logicalId(schedule.suffix)] = scheduleResource({
      name: scheduleName(names.service, names.stage, schedule),
      description: `Policy rotation: ${schedule.suffix} (derived from the policy file)`,
      expression: schedule.expression,
      timeZone: schedule.timeZone,
      target: functionArn,
    });
  }
  // Every contained account read back from Wickr: what someone undid by hand is restored. A sweep's tick is stale
  // once the next one is due.
  resources.ContainmentSweepSchedule = scheduleResource({
    name: sweepScheduleName(names.service, names.stage),
    description: 'Containment sweep: contained accounts undone by hand are restored',
    expression: sweepExpression,
    timeZone: 'UTC',
    target: containmentArn,
    maxAgeSeconds: 900,
  });
  // Every network's posture against its baseline: retention, SSO, key, counts.
  resources.PostureCheckSchedule = scheduleResource({
    name: postureScheduleName(names.service, names.stage),
    description: 'Posture check: data retention, SSO, encryption key and account counts against their baseline',
    expression: postureExpression,
    timeZone: 'UTC',
    target: postureArn,
  });
  // The outcome chain's heads, anchored where nobody can change them.
  resources.AuditAnchorSchedule = scheduleResource({
    name: anchorScheduleName(names.service, names.stage),
    description: 'Audit anchor: every outcome stream chain head, to the Object Lock bucket',
    expression: anchorExpression,
    timeZone: 'UTC',
    target: anchorArn,
  });
  if (review) {
    resources.AccessReviewSchedule = scheduleResource({
      name: reviewScheduleName(names.service, names.stage),
      description: 'Access review (accessReview.schedule in the policy file)',
      expression: review.expression,
      timeZone: review.timeZone,
      target: reviewArn,
    });
  }
  return resources;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file = 'infra/policy.yml', service = 'wickr-autopilot', stage = 'dev'] = process.argv.slice(2);
  const policy = loadPolicyFile(file);
  const resources = schedulerResources(
    rotationSchedules(policy.rotation),
    { service, stage },
    reviewSchedule(policy.accessReview),
  );
  process.stdout.write(JSON.stringify(resources));
}
