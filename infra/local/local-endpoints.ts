/**
 * `.wickr-autopilot/local.json`: the running local stack's endpoints, written by `npm start -- --serve` and removed
 * when it stops, so other commands (`npm run send`, `npm run policy:plan -- --local`) find it without flags.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';

const file = '.wickr-autopilot/local.json';

/**
 * Where the local stack's SSM stand-in keeps the webhook's secrets (`npm start -- --param webhookSecret=…`) and
 * PagerDuty's API key (`--param pagerDutyApiKey=…`).
 */
export const localWebhookSecretNames = {
  pagerduty: '/wickr-autopilot/local/pagerduty-webhook-secret',
  events: '/wickr-autopilot/local/webhook-secret',
  pagerDutyApiKey: '/wickr-autopilot/local/pagerduty-api-key',
} as const;

/**
 * The two principals `npm start` gives the stack unless `--param` names others: an operator (the operators' role; what
 * `ops` signs decisions, overrides and the kill switch with) and a publisher (an incident and HR publisher; what
 * `send`, `ops` and SDK clients with an unmapped key sign as). Two, so that "whoever caused a hold may not decide it"
 * holds locally too.
 */
export const localPrincipals = {
  operator: { accessKeyId: 'operator', arn: 'arn:aws:iam::000000000000:role/local-operators' },
  publisher: { accessKeyId: 'local', arn: 'arn:aws:iam::000000000000:user/local' },
} as const;

const LocalEndpoints = z.object({
  eventBridgeEndpoint: z.url(),
  wickrEndpoint: z.url(),
  dynamodbEndpoint: z.url(),
  busName: z.string(),
  region: z.string(),
  stateTable: z.string(),
  /** Function URLs by function name (the signed webhook's). */
  functionUrls: z._default(z.record(z.string(), z.url()), () => ({})),
  /** The S3 stand-in (path-style): the roster bucket. */
  s3Endpoint: z.optional(z.url()),
  /** The SSM stand-in (the webhook's secrets). */
  ssmEndpoint: z.optional(z.url()),
  /** Who signs what on this stack (`npm start`'s two principals, or those its command line named). */
  principals: z.optional(
    z.object({
      operator: z.object({ accessKeyId: z.optional(z.string()), arn: z.string() }),
      publisher: z.object({ accessKeyId: z.string(), arn: z.string() }),
    }),
  ),
});
export type LocalEndpoints = z.output<typeof LocalEndpoints>;

export function writeLocalEndpoints(endpoints: LocalEndpoints): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
}

export function removeLocalEndpoints(): void {
  rmSync(file, { force: true });
}

/** The running local stack's endpoints, or undefined when none is running (no file). */
export function readLocalEndpoints(): LocalEndpoints | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = LocalEndpoints.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Why the stack the endpoints file names does not answer, or undefined when it does: a stack that crashed leaves its
 * file behind, and a command would otherwise meet `connect ECONNREFUSED` instead of the one true thing.
 */
export async function staleStackReason(local: LocalEndpoints): Promise<string | undefined> {
  const alive = await fetch(new URL('/_local/', local.eventBridgeEndpoint), { signal: AbortSignal.timeout(3_000) })
    .then((r) => r.ok)
    .catch(() => false);
  return alive
    ? undefined
    : `no local stack is running at ${local.eventBridgeEndpoint} (${file} is left from one that stopped without cleaning up; start one: npm start -- --serve)`;
}

/**
 * What a command signs local requests with: the access key `--as` names (one `npm start -- --identity KEY=ARN`
 * mapped to a principal, so the bus policy of `hrPublishers` / `incidentPublishers` lets it through), else `local`.
 */
export function localCredentials(accessKeyId = 'local') {
  return { accessKeyId, secretAccessKey: 'local' };
}

/** The hint a refusal by the local bus's policy deserves. */
export function accessDeniedHint(error: unknown, local: boolean): string {
  return local && (error as Error)?.name === 'AccessDeniedException'
    ? ' — the local bus enforces the publishers you named: sign as a key you mapped (npm start -- --identity KEY=ARN) with --as KEY'
    : '';
}
