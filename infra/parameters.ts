/**
 * The deployment's parameters (`params.default` in serverless.yml), each with the rule its value must follow — so a
 * typo (`incidentPublisher=`, which would leave the bus open) or a bad value is refused in one line at `npm start`
 * and at packaging, naming the parameter, the rule, and the name that was probably meant.
 */
import { existsSync } from 'node:fs';
import { didYouMean } from '../lib/did-you-mean.js';

const list = (item: RegExp) => (v: string) => v === '' || v.split(',').every((x) => item.test(x.trim()));
const int = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const iamArn = /^arn:aws[\w-]*:iam::\d{12}:(role|user|root)(\/[\w+=,.@/-]+)?$/;

/** Each parameter's rule, in words and as a check. */
export const parameterRules: Readonly<
  Record<string, { readonly rule: string; readonly ok: (value: string) => boolean }>
> = {
  incidentSource: { rule: 'an event source (letters, digits, . _ -)', ok: (v) => /^[\w.-]{1,256}$/.test(v) },
  hrSource: { rule: 'an event source (letters, digits, . _ -)', ok: (v) => /^[\w.-]{1,256}$/.test(v) },
  pagerDutyWebhookSecretParameter: {
    rule: 'empty, or an SSM parameter name starting with / (a SecureString)',
    ok: (v) => v === '' || /^\/[\w./-]{1,1010}$/.test(v),
  },
  webhookSecretParameter: {
    rule: 'empty, or an SSM parameter name starting with / (a SecureString)',
    ok: (v) => v === '' || /^\/[\w./-]{1,1010}$/.test(v),
  },
  pagerDutyEventSource: {
    rule: 'empty, or a PagerDuty partner event source (aws.partner/pagerduty.com/ORG/NAME)',
    ok: (v) => v === '' || /^aws\.partner\/pagerduty\.com\/[\w.-]{1,100}\/[\w.-]{1,100}$/.test(v),
  },
  oktaEventSource: {
    rule: 'empty, or an Okta partner event source (aws.partner/okta.com/ORG/NAME)',
    ok: (v) => v === '' || /^aws\.partner\/okta\.com\/[\w.-]{1,100}\/[\w.-]{1,100}$/.test(v),
  },
  policyFile: { rule: 'an existing policy file', ok: (v) => v !== '' && existsSync(v) },
  wickrRequestsPerSecond: {
    rule: 'a number of requests per second above 0, at most 1000',
    ok: (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 1000,
  },
  securityHubEnabled: { rule: 'true or false', ok: (v) => v === 'true' || v === 'false' },
  securityHubProducts: { rule: 'comma-separated AWS product names (e.g. guardduty,macie)', ok: list(/^[a-z0-9.-]+$/) },
  securityHubAccounts: { rule: 'empty, or comma-separated 12-digit account ids', ok: list(/^\d{12}$/) },
  hrBatchSize: { rule: 'a whole number from 1 to 10000', ok: int(1, 10_000) },
  hrBatchingWindowSeconds: { rule: 'a whole number of seconds from 0 to 300', ok: int(0, 300) },
  notificationTopicArn: {
    rule: 'empty, or an SNS topic ARN',
    ok: (v) => v === '' || /^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(v),
  },
  alarmTopicArn: {
    rule: 'empty, or an SNS topic ARN',
    ok: (v) => v === '' || /^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(v),
  },
  dashboard: { rule: 'true or false', ok: (v) => v === 'true' || v === 'false' },
  hrPublishers: { rule: 'empty, or comma-separated IAM principal ARNs', ok: list(iamArn) },
  incidentPublishers: { rule: 'empty, or comma-separated IAM principal ARNs', ok: list(iamArn) },
  operatorsRoleArn: { rule: 'empty, or an IAM role ARN', ok: (v) => v === '' || iamArn.test(v) },
  auditorsRoleArn: { rule: 'empty, or an IAM role ARN', ok: (v) => v === '' || iamArn.test(v) },
  guardDutyEnabled: { rule: 'true or false', ok: (v) => v === 'true' || v === 'false' },
  evidenceRetentionDays: { rule: 'a whole number of days from 1 to 36500', ok: int(1, 36_500) },
  pagerDutyApiKeyParameter: {
    rule: 'empty, or an SSM parameter name starting with / (a SecureString)',
    ok: (v) => v === '' || /^\/[\w./-]{1,1010}$/.test(v),
  },
  pagerDutyFrom: {
    rule: 'empty, or the e-mail address of a PagerDuty user',
    ok: (v) => v === '' || /^[^\s@,]{1,64}@[^\s@,]{1,190}$/.test(v),
  },
};

/**
 * Every problem with the given parameters, one line each: an unknown name (with the likely one), a value breaking
 * its rule, and the combinations serverless.yml cannot express (a batch over 10 needs a batching window).
 */
export function parameterProblems(given: Readonly<Record<string, string>>, known: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (!known.includes(name)) {
      const near = didYouMean(name, known);
      problems.push(
        `--param ${name}: no such parameter${near ? `; did you mean ${near}?` : ` (parameters: ${known.join(', ')})`}`,
      );
      continue;
    }
    const rule = parameterRules[name];
    if (rule && !rule.ok(value)) problems.push(`--param ${name}=${value}: must be ${rule.rule}`);
  }
  if (given.pagerDutyApiKeyParameter && !given.pagerDutyFrom) {
    problems.push(
      '--param pagerDutyFrom: required with pagerDutyApiKeyParameter (PagerDuty writes a note only as one of its users)',
    );
  }
  const size = Number(given.hrBatchSize ?? 0);
  if (size > 10 && given.hrBatchingWindowSeconds === '0') {
    problems.push(
      '--param hrBatchingWindowSeconds=0: must be at least 1 with hrBatchSize over 10 (Lambda requires it)',
    );
  }
  return problems;
}
