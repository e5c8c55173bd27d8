/**
 * The only reader of `process.env`. Read once, validated, with documented defaults. Long on purpose: one table of every
 * variable (its default and meaning), its schema and its field, side by side — split, they drift apart.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `AWS_REGION` | `us-east-1` | region of the Wickr network and the tables |
 * | `WICKR_ENDPOINT` | regional endpoint | overrides the Wickr Admin API endpoint: `https://` on a host under `amazonaws.com` |
 * | `ALLOW_LOCAL_ENDPOINTS` | `false` | `true` lets `WICKR_ENDPOINT` be any URL (the local emulator), signed with dummy credentials |
 * | `AWS_ACCESS_KEY_ID` | `local` | with `ALLOW_LOCAL_ENDPOINTS` only: the key the local bus and SQS know this function's role by |
 * | `INCIDENT_PUBLISHERS` | empty | the principals the bus lets put incident events; `override` on a resolution needs them named |
 * | `HR_PUBLISHERS` | empty | the principals the bus lets put HR facts (and the roster bucket rosters): they may not decide HR holds |
 * | `OPERATORS_ROLE_ARN` | empty | the operators' role: the only caller of the operators' entry point that decides holds |
 * | `DYNAMODB_ENDPOINT` | regional endpoint | overrides DynamoDB (the local stack) |
 * | `EVENTBRIDGE_ENDPOINT` | regional endpoint | overrides EventBridge (the local bus) |
 * | `SQS_ENDPOINT` | regional endpoint | overrides SQS (the local bus's failure queues) |
 * | `SSM_ENDPOINT` | regional endpoint | overrides SSM Parameter Store (the local stack's stand-in) |
 * | `S3_ENDPOINT` | regional endpoint | overrides S3, path-style (the local stack's stand-in) |
 * | `SECURITYHUB_ENDPOINT` | regional endpoint | overrides Security Hub (the local stack's stand-in) |
 * | `ROSTER_BUCKET` | empty | the stack's roster bucket; empty: roster snapshots are not taken |
 * | `REPORTS_BUCKET` | empty | the stack's reports bucket, where access reviews write; empty: no access review |
 * | `EVIDENCE_RETENTION_DAYS` | `0` | days an access review's report is locked (S3 Object Lock, compliance mode); 0: not locked |
 * | `ANCHOR_BUCKET` | empty | the stack's Object Lock bucket, where the outcome chain's heads are anchored hourly |
 * | `CHAIN_OWNERS` | empty | the functions whose outcome chains the anchor reads, comma-separated (deployed names) |
 * | `PAGERDUTY_API_KEY_PARAMETER` | empty | the SecureString holding a PagerDuty REST API key; empty: no notes on incidents |
 * | `PAGERDUTY_FROM` | empty | the e-mail of the PagerDuty user the notes are written as (PagerDuty's `From` header) |
 * | `PAGERDUTY_API_ENDPOINT` | `https://api.pagerduty.com` | overrides PagerDuty's REST API (the local stack's stand-in) |
 * | `PAGERDUTY_WEBHOOK_SECRET_PARAMETER` | empty | the SecureString holding PagerDuty's webhook secret(s), one per line; empty: `/pagerduty` closed |
 * | `WEBHOOK_SECRET_PARAMETER` | empty | the same for the generic signed webhook (`/events`) |
 * | `EVENT_BUS_NAME` | `default` | where outcome events go |
 * | `IDEMPOTENCY_TABLE` | `wickr-autopilot-idempotency` | Powertools idempotency records |
 * | `STATE_TABLE` | `wickr-autopilot-state` | incident state, lock entries, HR mappings |
 * | `FAILURE_QUEUE_URL` | none | where refused input goes with its reason (the function's own failure queue) |
 * | `POLICY_FILE` | `infra/policy.yml` | the policy file, relative to the task root |
 * | `OUTCOME_SOURCE` | `wickr.autopilot` | `source` of outcome events |
 * | `INCIDENT_SOURCE` | `security.incidents` | the only `source` the incident functions accept |
 * | `HR_SOURCE` | `hr.system` | the only `source` the HR functions accept |
 * | `PAGERDUTY_EVENT_SOURCE` | empty | PagerDuty's partner event source (`aws.partner/pagerduty.com/…`); empty: not connected |
 * | `OKTA_EVENT_SOURCE` | empty | Okta's partner event source (`aws.partner/okta.com/…`); empty: Okta is not connected |
 * | `SECURITY_HUB_PRODUCTS` | `guardduty,inspector,macie,securityhub` | AWS products (under `product/aws/`) whose findings may declare |
 * | `SECURITY_HUB_ACCOUNTS` | this function's account | accounts whose findings may declare, comma-separated |
 * | `RECONCILE_QUEUE_URL` | none | where a network's reconcile goes on in a fresh invocation (the reconcile function's queue) |
 * | `HR_QUEUE_URL` | none | the HR queue, where the HR consumer sends itself delayed follow-ups (the unmatched check) |
 * | `RECONCILE_SAFETY_MARGIN_SECONDS` | `10` | time left in an invocation at which a reconcile stops and hands over |
 * | `LOCKDOWN_SWEEP_SECONDS` | `300` | while a network is locked, how often it is swept for groups made or loosened by hand (0: never) |
 * | `LOOSEN_QUIET_SECONDS` | `1` | in a storm of incident facts, how long they must stop before a lockdown is loosened (tightening never waits) |
 * | `LOOSEN_MAX_DELAY_SECONDS` | `15` | the longest a loosening waits for that quiet |
 * | `MAX_EVENT_CLOCK_SKEW_SECONDS` | `300` | how far in the future an event's `time` may lie before it is refused |
 * | `WICKR_REQUESTS_IN_FLIGHT` | `8` | Wickr requests in flight per function |
 * | `WICKR_REQUESTS_PER_SECOND` | `20` | the whole deployment's Wickr request budget (requests per second) |
 * | `WICKR_BUDGET_SHARE` | `1` | this function's share of that budget, 0–1 |
 * | `WICKR_ENVIRONMENTS` | `1` | this function's maximum concurrent environments, among which its share is divided |
 * | `WICKR_BUDGET_POOL` | none | a pool this function shares with others: its environments draw the share (the pool's) from one meter in the state table instead of dividing it |
 * | `AWS_LAMBDA_FUNCTION_NAME` | none (Lambda sets it) | the actor every outcome event names |
 * | `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL` | Powertools' own | read by the Logger itself |
 */

import * as z from 'zod/mini';
import { AutomationError } from '../failure.js';
import { lazySchema } from '../lazy-schema.js';

const optionalUrl = lazySchema(() => z.optional(z.url('must be a URL')));

const bucketName = () =>
  z._default(
    z.string().check(z.regex(/^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/, 'must be an S3 bucket name or empty')),
    '',
  );

const awsHost = /(^|\.)amazonaws\.com(\.cn)?$/;

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a table, not logic: one line per environment variable, documented above.
const RuntimeConfig = lazySchema(() =>
  z.object({
    ALLOW_LOCAL_ENDPOINTS: z._default(z.enum(['true', 'false'], 'must be true or false'), 'false'),
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
    AWS_ACCESS_KEY_ID: z._default(z.string().check(z.minLength(1)), 'local'),
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string().check(z.maxLength(140))),
    INCIDENT_PUBLISHERS: z._default(z.string().check(z.maxLength(4096)), ''),
    HR_PUBLISHERS: z._default(z.string().check(z.maxLength(4096)), ''),
    OPERATORS_ROLE_ARN: z._default(z.string().check(z.maxLength(2048)), ''),
    WICKR_ENDPOINT: optionalUrl,
    DYNAMODB_ENDPOINT: optionalUrl,
    EVENTBRIDGE_ENDPOINT: optionalUrl,
    SQS_ENDPOINT: optionalUrl,
    SSM_ENDPOINT: optionalUrl,
    S3_ENDPOINT: optionalUrl,
    SECURITYHUB_ENDPOINT: optionalUrl,
    ROSTER_BUCKET: bucketName(),
    REPORTS_BUCKET: bucketName(),
    ANCHOR_BUCKET: bucketName(),
    EVIDENCE_RETENTION_DAYS: z._default(z.string().check(z.regex(/^\d{1,5}$/, 'must be a whole number of days')), '0'),
    CHAIN_OWNERS: z._default(
      z
        .string()
        .check(z.regex(/^([\w-]{1,140}(,[\w-]{1,140}){0,49})?$/, 'must be up to 50 function names, comma-separated')),
      '',
    ),
    PAGERDUTY_API_KEY_PARAMETER: z._default(
      z.string().check(z.regex(/^([\w./-]{1,1011})?$/, 'must be an SSM parameter name or empty')),
      '',
    ),
    PAGERDUTY_FROM: z._default(
      z.string().check(z.regex(/^([^\s@,]{1,64}@[^\s@,]{1,190})?$/, 'must be an e-mail address or empty')),
      '',
    ),
    PAGERDUTY_API_ENDPOINT: z._default(z.url(), 'https://api.pagerduty.com'),
    PAGERDUTY_WEBHOOK_SECRET_PARAMETER: z._default(
      z.string().check(z.regex(/^([\w./-]{1,1011})?$/, 'must be an SSM parameter name or empty')),
      '',
    ),
    WEBHOOK_SECRET_PARAMETER: z._default(
      z.string().check(z.regex(/^([\w./-]{1,1011})?$/, 'must be an SSM parameter name or empty')),
      '',
    ),
    EVENT_BUS_NAME: z._default(z.string().check(z.minLength(1)), 'default'),
    IDEMPOTENCY_TABLE: z._default(z.string().check(z.minLength(3)), 'wickr-autopilot-idempotency'),
    STATE_TABLE: z._default(z.string().check(z.minLength(3)), 'wickr-autopilot-state'),
    FAILURE_QUEUE_URL: optionalUrl,
    POLICY_FILE: z._default(z.string().check(z.minLength(1)), 'infra/policy.yml'),
    LAMBDA_TASK_ROOT: z.optional(z.string()),
    OUTCOME_SOURCE: z._default(z.string().check(z.minLength(1)), 'wickr.autopilot'),
    INCIDENT_SOURCE: z._default(z.string().check(z.minLength(1)), 'security.incidents'),
    HR_SOURCE: z._default(z.string().check(z.minLength(1)), 'hr.system'),
    PAGERDUTY_EVENT_SOURCE: z._default(
      z
        .string()
        .check(
          z.regex(
            /^(aws\.partner\/pagerduty\.com\/[\w.-]+\/[\w.-]+)?$/,
            'must be aws.partner/pagerduty.com/ORG/NAME or empty',
          ),
        ),
      '',
    ),
    OKTA_EVENT_SOURCE: z._default(
      z
        .string()
        .check(
          z.regex(/^(aws\.partner\/okta\.com\/[\w.-]+\/[\w.-]+)?$/, 'must be aws.partner/okta.com/ORG/NAME or empty'),
        ),
      '',
    ),
    SECURITY_HUB_PRODUCTS: z._default(
      z.string().check(z.regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/, 'must be comma-separated product names')),
      'guardduty,inspector,macie,securityhub',
    ),
    SECURITY_HUB_ACCOUNTS: z._default(
      z.string().check(z.regex(/^(\d{12}(,\d{12})*)?$/, 'must be comma-separated 12-digit account ids')),
      '',
    ),
    RECONCILE_QUEUE_URL: optionalUrl,
    HR_QUEUE_URL: optionalUrl,
    RECONCILE_SAFETY_MARGIN_SECONDS: z._default(z.coerce.number().check(z.gte(1), z.lte(600)), 10),
    LOCKDOWN_SWEEP_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(900)), 300),
    LOOSEN_QUIET_SECONDS: z._default(z.coerce.number().check(z.gt(0), z.lte(60)), 1),
    LOOSEN_MAX_DELAY_SECONDS: z._default(z.coerce.number().check(z.gte(0), z.lte(300)), 15),
    MAX_EVENT_CLOCK_SKEW_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(86_400)), 300),
    WICKR_REQUESTS_IN_FLIGHT: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(64)), 8),
    WICKR_REQUESTS_PER_SECOND: z._default(z.coerce.number().check(z.gt(0), z.lte(1000)), 20),
    WICKR_BUDGET_SHARE: z._default(z.coerce.number().check(z.gt(0), z.lte(1)), 1),
    WICKR_ENVIRONMENTS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 1),
    WICKR_BUDGET_POOL: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lowercase name'))),
  }),
);

/** Settings of a function, from its environment. */
export interface RuntimeConfig {
  readonly region: string;
  readonly wickrEndpoint: string | undefined;
  /** The endpoints are local stand-ins: requests are signed with dummy credentials. */
  readonly localEndpoints: boolean;
  /** The access key local requests are signed with: the local stack maps it to this function's role. */
  readonly localAccessKeyId: string;
  /**
   * Whether the bus admits only named incident publishers: without them anyone in the account could put an
   * `override`, so a resolution's override is refused.
   */
  readonly incidentPublishersNamed: boolean;
  /** The incident publishers' ARNs (empty: none named). */
  readonly incidentPublishers: readonly string[];
  /** The HR publishers' ARNs (empty: none named). */
  readonly hrPublishers: readonly string[];
  /** The operators' role; undefined: none (no caller decides holds). */
  readonly operatorsRoleArn: string | undefined;
  /** This function's name, as the actor of its outcome events. */
  readonly functionName: string | undefined;
  readonly dynamodbEndpoint: string | undefined;
  readonly eventBridgeEndpoint: string | undefined;
  readonly sqsEndpoint: string | undefined;
  readonly ssmEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
  readonly securityHubEndpoint: string | undefined;
  /** Empty: roster snapshots are not taken. */
  readonly rosterBucket: string;
  readonly reportsBucket: string;
  readonly anchorBucket: string;
  readonly evidenceRetentionDays: number;
  readonly chainOwners: readonly string[];
  readonly pagerDutyApiKeyParameter: string;
  readonly pagerDutyFrom: string;
  readonly pagerDutyApiEndpoint: string;
  readonly pagerDutyWebhookSecretParameter: string;
  readonly webhookSecretParameter: string;
  readonly eventBusName: string;
  readonly idempotencyTable: string;
  readonly stateTable: string;
  readonly failureQueueUrl: string | undefined;
  readonly policyFile: string;
  readonly outcomeSource: string;
  readonly incidentSource: string;
  readonly hrSource: string;
  readonly oktaEventSource: string;
  readonly pagerDutyEventSource: string;
  readonly maxFutureSkewMs: number;
  readonly reconcileQueueUrl: string | undefined;
  readonly hrQueueUrl: string | undefined;
  readonly reconcileSafetyMarginMs: number;
  /** How often a locked network is swept (ms); 0: never. */
  readonly lockdownSweepMs: number;
  /** How a loosening waits out a storm of incident facts. */
  readonly loosenSettle: { readonly quietMs: number; readonly maxDelayMs: number };
  readonly securityHubProducts: readonly string[];
  /** Empty: only the function's own account. */
  readonly securityHubAccounts: readonly string[];
  readonly wickrRequestsInFlight: number;
  /**
   * This environment's pace: the deployment's budget × the function's share ÷ its maximum concurrency, so that
   * all environments of all functions together stay within the budget. In a pool: the pool's whole rate, which
   * its environments draw from one meter.
   */
  readonly wickrRequestsPerSecond: number;
  readonly wickrBudgetPool: string | undefined;
}

/** A missing or malformed environment variable. */
export class RuntimeConfigError extends AutomationError {
  override name = 'RuntimeConfigError';
  constructor(message: string) {
    super(message, { retryable: false, code: 'CONFIGURATION' });
  }
}

const arnList = (text: string) =>
  text
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);

// Credentials go wherever these point (the Wickr session, PagerDuty's API key): only their real hosts, unless local.
function checkRemoteEndpoints(wickr: string | undefined, pagerDuty: string): void {
  if (wickr) {
    const url = new URL(wickr);
    if (url.protocol !== 'https:' || !awsHost.test(url.hostname)) {
      throw new RuntimeConfigError(
        'Invalid environment: WICKR_ENDPOINT: must be https:// on a host under amazonaws.com (set ALLOW_LOCAL_ENDPOINTS=true for a local emulator)',
      );
    }
  }
  if (!['https://api.pagerduty.com', 'https://api.eu.pagerduty.com'].includes(new URL(pagerDuty).origin)) {
    throw new RuntimeConfigError(
      'Invalid environment: PAGERDUTY_API_ENDPOINT: must be https://api.pagerduty.com or https://api.eu.pagerduty.com (set ALLOW_LOCAL_ENDPOINTS=true for a local stand-in)',
    );
  }
}

/** Parses an environment; pure, so tests pass their own. */
export function parseRuntimeConfig(env: Readonly<Record<string, string | undefined>>): RuntimeConfig {
  const parsed = RuntimeConfig.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RuntimeConfigError(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  const local = e.ALLOW_LOCAL_ENDPOINTS === 'true';
  if (!local) checkRemoteEndpoints(e.WICKR_ENDPOINT, e.PAGERDUTY_API_ENDPOINT);
  const root = e.LAMBDA_TASK_ROOT;
  return {
    region: e.AWS_REGION,
    wickrEndpoint: e.WICKR_ENDPOINT,
    localEndpoints: local,
    localAccessKeyId: local ? e.AWS_ACCESS_KEY_ID : 'local',
    incidentPublishersNamed: e.INCIDENT_PUBLISHERS.trim() !== '',
    incidentPublishers: arnList(e.INCIDENT_PUBLISHERS),
    hrPublishers: arnList(e.HR_PUBLISHERS),
    operatorsRoleArn: e.OPERATORS_ROLE_ARN.trim() || undefined,
    functionName: e.AWS_LAMBDA_FUNCTION_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    eventBridgeEndpoint: e.EVENTBRIDGE_ENDPOINT,
    sqsEndpoint: e.SQS_ENDPOINT,
    ssmEndpoint: e.SSM_ENDPOINT,
    s3Endpoint: e.S3_ENDPOINT,
    securityHubEndpoint: e.SECURITYHUB_ENDPOINT,
    rosterBucket: e.ROSTER_BUCKET,
    reportsBucket: e.REPORTS_BUCKET,
    anchorBucket: e.ANCHOR_BUCKET,
    evidenceRetentionDays: Number(e.EVIDENCE_RETENTION_DAYS),
    chainOwners: e.CHAIN_OWNERS.split(',').filter(Boolean),
    pagerDutyApiKeyParameter: e.PAGERDUTY_API_KEY_PARAMETER,
    pagerDutyFrom: e.PAGERDUTY_FROM,
    pagerDutyApiEndpoint: e.PAGERDUTY_API_ENDPOINT,
    pagerDutyWebhookSecretParameter: e.PAGERDUTY_WEBHOOK_SECRET_PARAMETER,
    webhookSecretParameter: e.WEBHOOK_SECRET_PARAMETER,
    eventBusName: e.EVENT_BUS_NAME,
    idempotencyTable: e.IDEMPOTENCY_TABLE,
    stateTable: e.STATE_TABLE,
    failureQueueUrl: e.FAILURE_QUEUE_URL,
    policyFile: root && !e.POLICY_FILE.startsWith('/') ? `${root}/${e.POLICY_FILE}` : e.POLICY_FILE,
    outcomeSource: e.OUTCOME_SOURCE,
    incidentSource: e.INCIDENT_SOURCE,
    hrSource: e.HR_SOURCE,
    oktaEventSource: e.OKTA_EVENT_SOURCE,
    pagerDutyEventSource: e.PAGERDUTY_EVENT_SOURCE,
    maxFutureSkewMs: e.MAX_EVENT_CLOCK_SKEW_SECONDS * 1000,
    reconcileQueueUrl: e.RECONCILE_QUEUE_URL,
    hrQueueUrl: e.HR_QUEUE_URL,
    reconcileSafetyMarginMs: e.RECONCILE_SAFETY_MARGIN_SECONDS * 1000,
    lockdownSweepMs: e.LOCKDOWN_SWEEP_SECONDS * 1000,
    loosenSettle: { quietMs: e.LOOSEN_QUIET_SECONDS * 1000, maxDelayMs: e.LOOSEN_MAX_DELAY_SECONDS * 1000 },
    securityHubProducts: e.SECURITY_HUB_PRODUCTS.split(','),
    securityHubAccounts: e.SECURITY_HUB_ACCOUNTS ? e.SECURITY_HUB_ACCOUNTS.split(',') : [],
    wickrRequestsInFlight: e.WICKR_REQUESTS_IN_FLIGHT,
    wickrRequestsPerSecond:
      (e.WICKR_REQUESTS_PER_SECOND * e.WICKR_BUDGET_SHARE) / (e.WICKR_BUDGET_POOL ? 1 : e.WICKR_ENVIRONMENTS),
    wickrBudgetPool: e.WICKR_BUDGET_POOL,
  };
}

let cached: RuntimeConfig | undefined;

/** The function's configuration, read from `process.env` the first time it is asked for. */
export function runtimeConfig(): RuntimeConfig {
  cached ??= parseRuntimeConfig(process.env);
  return cached;
}
