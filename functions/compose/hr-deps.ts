import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { compileGlob } from '../../lib/glob.js';
import type { HrQueueDeps } from '../../lib/hr/handle-hr-queue.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { originIssues, reportRefusal } from '../../lib/runtime/middlewares.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import { HoldStore } from '../../lib/store/hold-store.js';
import { HrMappingStore } from '../../lib/store/hr-mapping-store.js';
import { OktaPersonStore } from '../../lib/store/okta-person-store.js';
import { SafeguardWindowStore } from '../../lib/store/safeguard-window-store.js';
import { refusalPorts } from './refusal-ports.js';

/** The accounts a first import never adopts: those `accessReview.exempt` names (compiled once per pattern list). */
function neverAdopt(patterns: readonly string[]) {
  const matchers = patterns.map(compileGlob);
  return (username: string) => matchers.some((matches) => matches(username));
}

/** The HR queue consumer's dependencies for one invocation, from the execution environment's clients. */
export async function hrDeps(context: Context): Promise<HrQueueDeps> {
  const policy = await d.policy();
  const config = d.config();
  const account = context.invokedFunctionArn?.split(':')[4];
  const followUp = d.hrFollowUp();
  const accounts = new AccountCaseStore(d.documentDb(), config.stateTable);
  return {
    wickr: d.wickr(),
    mappings: new HrMappingStore(d.documentDb(), config.stateTable),
    records: new EmployeeRecordStore(d.documentDb(), config.stateTable, policy.hr.leaverRecordDays * 86_400),
    hr: policy.hr,
    safeguards: {
      rules: policy.safeguards,
      windows: new SafeguardWindowStore(d.documentDb(), config.stateTable, 'HR#'),
      holds: new HoldStore(d.documentDb(), config.stateTable),
      causedBy: config.hrPublishers,
    },
    networkIds: policy.networks.map((n) => n.networkId),
    neverAdopt: neverAdopt(policy.accessReview.exempt),
    requestsInFlight: config.wickrRequestsInFlight,
    // Begun counts: a containment writes that before it suspends, so a reactivation read back after it sees it.
    contained: async (networkId, userId) => {
      const account = await accounts.get(networkId, userId);
      return Boolean(account?.applied.containedSince || account?.applied.begun);
    },
    quarantined: async (networkId, userId) => {
      const account = await accounts.get(networkId, userId);
      return Boolean(account?.applied.containedSince && account.applied.quarantine);
    },
    holder: `${context.awsRequestId}/${randomUUID()}`,
    clock: {
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      remainingMs: () => context.getRemainingTimeInMillis() - config.reconcileSafetyMarginMs,
      pollMs: 500,
    },
    followUp: {
      send: async (body, delaySeconds) => {
        if (!followUp) throw new Error('HR_QUEUE_URL is not set: the unmatched check cannot be scheduled');
        await followUp.send(body, delaySeconds);
      },
    },
    publisher: d.publisher(),
    logger: d.logger(),
    metrics: metricsPort,
    originIssues: (event) =>
      originIssues(event, { sources: [config.hrSource], maxFutureSkewMs: config.maxFutureSkewMs }, account),
    okta:
      config.oktaEventSource && policy.sources.okta
        ? {
            source: config.oktaEventSource,
            section: policy.sources.okta,
            people: new OktaPersonStore(d.documentDb(), config.stateTable, policy.hr.leaverRecordDays * 86_400),
            originIssues: (event) =>
              originIssues(
                event,
                { sources: [config.oktaEventSource], maxFutureSkewMs: config.maxFutureSkewMs },
                account,
              ),
          }
        : undefined,
    roster: config.rosterBucket
      ? {
          bucket: config.rosterBucket,
          objects: new S3Objects(
            config.region,
            config.s3Endpoint,
            config.localEndpoints ? { accessKeyId: config.localAccessKeyId, secretAccessKey: 'local' } : undefined,
          ),
          account,
          region: config.region,
          source: config.hrSource,
          networkId: policy.sources.roster?.networkId,
        }
      : undefined,
    refuse: async (error, event) => Boolean(await reportRefusal(refusalPorts(), context.functionName, error, event)),
  };
}
