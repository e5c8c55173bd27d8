/** An Okta System Log event, taken in: merged into its person, and the person's HR fact recorded. */
import type { OktaSystemLogEvent } from '../events/okta-events.js';
import type { OktaSection } from '../policy-file/sources-section.js';
import { changeOfOktaEvent, type OktaIgnored } from '../sources/okta-lifecycle.js';
import { HrError, HrInputError, HrMessageRejectedError } from './errors.js';
import { factOfPerson, mergeOktaEvent, type OktaPeople } from './okta-person.js';
import type { HrDeps } from './ports.js';

/** What the HR queue needs to take Okta's events. */
export interface OktaIntake {
  /** The partner event source configured (`oktaEventSource`); its events alone are Okta's. */
  readonly source: string;
  readonly section: OktaSection;
  readonly people: OktaPeople;
  /** Origin problems of an Okta event (the partner source, the deployment's account, time in the future). */
  readonly originIssues: (event: OktaSystemLogEvent) => readonly { field: string; reason: string }[];
}

/** What one Okta event did: an employee to reconcile, or nothing (and why). */
export type OktaTaken =
  | {
      readonly employee: { readonly networkId: string; readonly employeeId: string };
      /** The group the person's fact places them in (none for a leaver). */
      readonly groupName?: string | undefined;
      readonly duplicate: boolean;
    }
  | { readonly ignored: OktaIgnored | 'in-no-mapped-group' };

const attempts = 8;

/**
 * Merges the event into its person (over the revision read: a concurrent merge makes this one read again), then
 * records the fact the person now states in their employee record, exactly like one of our own HR events. A
 * duplicate, an older fact, a failed action and a person in no mapped group cost no Wickr request.
 */
export async function takeOktaEvent(deps: HrDeps, okta: OktaIntake, event: OktaSystemLogEvent): Promise<OktaTaken> {
  const networkId = okta.section.networkId ?? deps.hr.defaultNetworkId ?? deps.networkIds[0];
  if (!networkId || !deps.networkIds.includes(networkId)) {
    throw new HrInputError('sources.okta.networkId', `network ${networkId} is not in the policy file`);
  }
  const userId = event.detail.target.find((t) => t.type === 'User')?.id;
  const named = changeOfOktaEvent(event.detail, okta.section.groups);
  if ('membership' in named && named.membership?.byName) {
    const pin = await okta.people.pinGroupName(networkId, named.membership.group, named.membership.byName.groupId);
    if (pin === 'ambiguous') {
      deps.logger.warn('Okta group name is ambiguous: two group ids bear it; it maps nothing', {
        eventId: event.id,
        groupId: named.membership.byName.groupId,
      });
      return { ignored: 'ambiguous-group' };
    }
  }
  for (let attempt = 0; attempt < attempts; attempt++) {
    const stored = userId ? await okta.people.get(networkId, userId) : undefined;
    const merged = mergeOktaEvent(stored?.person, event.detail, okta.section.groups);
    if ('ignored' in merged) return { ignored: merged.ignored };
    if (merged.changed && !(await okta.people.put(networkId, merged.person, stored?.revision))) continue;
    const fact = factOfPerson(merged.person, okta.section, deps.hr.naming, networkId, event.id);
    if (!fact) return { ignored: 'in-no-mapped-group' };
    // Recorded and reconciled even for a duplicate: an earlier delivery may have died between the writes. Both are
    // no-ops then — the record keeps its version, the reconcile finds it applied and makes no Wickr request.
    await deps.records.recordFact(fact);
    const groupName = fact.placement.state === 'active' ? fact.placement.groupName : undefined;
    return { employee: { networkId, employeeId: fact.employeeId }, groupName, duplicate: !merged.changed };
  }
  throw new HrError('an Okta person kept changing under concurrent events', {
    retryable: true,
    code: 'OKTA_CONTENDED',
  });
}

/** What each reason an Okta event changes nobody means, for the event's answer. */
const ignoredReasons: Record<OktaIgnored | 'in-no-mapped-group', string> = {
  'not-success': 'Okta reports the action failed',
  'no-user': 'the event names no user',
  'nothing-mapped': 'neither a lifecycle change nor a group sources.okta.groups maps',
  'ambiguous-group': 'the group name matches more than one mapping (pin it by id in sources.okta.groups)',
  'in-no-mapped-group': 'the person is in no group sources.okta.groups maps, so nothing in Wickr is theirs',
};

/**
 * One HR queue message that is an Okta event (parsed at the edge): checked for its origin (refused naming the field
 * otherwise), then taken; the employee it touched, or why nobody (logged, ids only, and answered).
 */
export async function takeOktaMessage(
  event: OktaSystemLogEvent,
  deps: HrDeps,
  okta: OktaIntake,
): Promise<{
  employees?: readonly { networkId: string; employeeId: string }[];
  groupName?: string | undefined;
  ignored?: string;
}> {
  const origin = okta.originIssues(event);
  if (origin.length > 0) throw new HrMessageRejectedError(origin);
  const taken = await takeOktaEvent(deps, okta, event);
  if ('ignored' in taken) {
    deps.logger.info('Okta event changes nobody', { eventId: event.id, reason: taken.ignored });
    return { ignored: `${taken.ignored}: ${ignoredReasons[taken.ignored]}` };
  }
  return { employees: [taken.employee], groupName: taken.groupName };
}
