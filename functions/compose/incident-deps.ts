import type { Context } from 'aws-lambda';
import type { IncidentDeps } from '../../lib/incident/handle-incident.js';
import type { IncidentSourceDeps } from '../../lib/incident/handle-incident-source.js';
import type { Invocation } from '../../lib/incident/ports.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { idempotencyStore } from '../../lib/runtime/idempotency-store.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { reportRefusal } from '../../lib/runtime/middlewares.js';
import { PagerDutyNotes } from '../../lib/runtime/pagerduty-notes.js';
import { SecurityHubUpdates } from '../../lib/runtime/security-hub-updates.js';
import { ssmParameter } from '../../lib/runtime/ssm-parameter.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import { DeliveryMemoryStore } from '../../lib/store/delivery-memory-store.js';
import { guestBlockHandover } from '../../lib/store/guest-block-handover.js';
import { idempotentSteps } from '../../lib/store/idempotency.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { refusalPorts } from './refusal-ports.js';

/** The incident use cases' dependencies for one invocation, from the execution environment's clients. */
export async function incidentDeps(context: Context): Promise<IncidentDeps> {
  const policy = await d.policy();
  return {
    wickr: d.wickr(),
    store: new IncidentStateStore(d.documentDb(), d.config().stateTable),
    guestHandover: guestBlockHandover(new AccountCaseStore(d.documentDb(), d.config().stateTable)),
    playbooks: policy.incident.playbooks,
    concurrency: d.config().wickrRequestsInFlight,
    nowMs: Date.now,
    networkIds: policy.networks.map((n) => n.networkId),
    tombstoneDays: policy.incident.tombstoneDays,
    idempotency: idempotentSteps(idempotencyStore(), context, undefined, 'incident'),
    publisher: d.publisher(),
    logger: d.logger(),
    metrics: metricsPort,
    handover: d.handover(),
    safetyMarginMs: d.config().reconcileSafetyMarginMs,
    settle: d.config().loosenSettle,
    incidentPublishersNamed: d.config().incidentPublishersNamed,
    sweepEveryMs: d.config().lockdownSweepMs,
    refuse: async (error, input) => Boolean(await reportRefusal(refusalPorts(), context.functionName, error, input)),
  };
}

/** The same, with the policy's Security Hub mapping, the origins findings must come from, and PagerDuty's. */
export async function securityHubDeps(context: Context): Promise<IncidentSourceDeps> {
  const config = d.config();
  const policy = await d.policy();
  const ownAccount = context.invokedFunctionArn.split(':')[4] ?? '';
  const pagerDuty = policy.sources.pagerduty;
  return {
    ...(await incidentDeps(context)),
    securityHub: policy.incident.securityHub,
    // Its partner source (when connected) and its signed webhook's both need the section; the source check is the
    // use case's.
    pagerDuty: pagerDuty ? { source: config.pagerDutyEventSource, section: pagerDuty } : undefined,
    pagerDutyDeliveries: new DeliveryMemoryStore(d.documentDb(), config.stateTable, 'pagerduty'),
    pagerDutyNotes: pagerDutyNotes(),
    findingUpdates: policy.incident.securityHub.writeBack
      ? new SecurityHubUpdates(config.region, config.securityHubEndpoint)
      : undefined,
    origins: {
      products: config.securityHubProducts,
      accounts: config.securityHubAccounts.length > 0 ? config.securityHubAccounts : [ownAccount],
    },
  };
}

/** Notes on PagerDuty's incidents, where the deployment names an API key (one adapter per environment: its pace). */
const pagerDutyNotes = (() => {
  let notes: PagerDutyNotes | undefined;
  return () => {
    const c = d.config();
    if (!c.pagerDutyApiKeyParameter) return undefined;
    notes ??= new PagerDutyNotes({
      endpoint: c.pagerDutyApiEndpoint,
      from: c.pagerDutyFrom,
      apiKey: ssmParameter(
        c.pagerDutyApiKeyParameter,
        { region: c.region, endpoint: c.ssmEndpoint },
        ...(c.ssmEndpoint ? [{ accessKeyId: c.localAccessKeyId, secretAccessKey: 'local' }] : []),
      ),
    });
    return notes;
  };
})();

/** The invocation as the use cases see it. */
export function invocationOf(context: Context): Invocation {
  return { requestId: context.awsRequestId, remainingMs: () => context.getRemainingTimeInMillis() };
}
