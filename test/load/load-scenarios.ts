/**
 * The load suite: bursts through the real rules and functions on the Lambda-faithful local runtime, against the
 * Wickr emulator at 20 ms latency behind a token bucket at the deployment's budget. Each scenario states the
 * minimum number of Wickr requests its work needs and an oracle of the final state, computed from the events
 * alone; a run reports requests against that minimum, 429s, environments, failures, wall time against the
 * rate-limit bound, and the oracle's mismatches.
 */
import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { putAsDelivered } from '../../infra/local/events/service-events-client.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import type { EmulatorSeed } from '../../infra/local/wickr-emulator/index.js';
import { renderPopup } from '../../lib/incident/render-popup.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { reportObjects } from '../../lib/runtime/report-objects.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';

const policyFile = 'test/fixtures/load/policy.yml';
type Snapshot = ReturnType<LocalStack['emulator']['snapshot']>;

/** A file put in the roster bucket (S3 then tells EventBridge), as an HR system's export job does. */
interface RosterUpload {
  readonly roster: { readonly key: string; readonly body: string };
}

/**
 * One scenario: its networks, its events (or roster uploads) in phases, each delivered at once, its minimum and
 * its oracle.
 */
interface Scenario {
  readonly name: string;
  readonly seed: EmulatorSeed;
  readonly phases: readonly (readonly (PutEventsRequestEntry | RosterUpload)[])[];
  /** The fewest Wickr requests that can do the work, and how that number is made. */
  readonly minimum: number;
  readonly minimumIs: string;
  /** The functions doing the work: their budget shares (or their pool's) make the rate-limit bound. */
  readonly functions: readonly string[];
  readonly oracle: (state: Snapshot) => string[];
  /** Per unit of work, ms from its event's delivery to the Wickr request that made it true (where measured). */
  readonly latencyIs?: string;
  readonly latencies?: (journal: Journal, state: Snapshot, phaseStarts: readonly number[]) => number[];
  /** Mismatches in what the stack reported (its outcome events and reports), where the state is not the result. */
  readonly reportOracle?: (stack: LocalStack) => Promise<string[]>;
}
type Journal = ReturnType<LocalStack['emulator']['journal']>;

/** What one scenario showed. */
export interface LoadFigures {
  readonly scenario: string;
  readonly events: number;
  readonly wickrRequests: number;
  readonly minimum: number;
  readonly minimumIs: string;
  readonly requestsToMinimum: number;
  /** Wickr requests by operation, to see where requests beyond the minimum go. */
  readonly requestsByOperation: Readonly<Record<string, number>>;
  readonly throttled429: number;
  readonly peakEnvironments: Readonly<Record<string, number>>;
  readonly invocations: number;
  readonly failedInvocations: number;
  readonly retriedInvocations: number;
  /** Invocations that ran out of time (Lambda's timeout, or Middy's early stop just before it). */
  readonly timeouts: number;
  /** Failed invocations by error name. */
  readonly failures: Readonly<Record<string, number>>;
  readonly failureQueueMessages: number;
  readonly wallMs: number;
  /** The minimum at the working functions' share of the budget. */
  readonly boundMs: number;
  readonly wallToBound: number;
  readonly mismatches: number;
  readonly lost: number;
  /** What the latency measures: event to a user's state, or to a network's last change (time to contain). */
  readonly latencyIs?: string | undefined;
  /** Event to Wickr state, where the scenario measures it: median and 95th percentile, ms. */
  readonly latencyMs?: { readonly p50: number; readonly p95: number } | undefined;
  /** The first few mismatches and losses, to read. */
  readonly samples: readonly string[];
}

/** How big and how fast. */
export interface LoadOptions {
  /** 1 = the full scenarios of the issue; the CI-sized run uses a few hundredths. */
  readonly scale: number;
  /** The deployment's Wickr budget (requests/s), also the emulator's token bucket. */
  readonly budget: number;
  readonly only?: readonly string[] | undefined;
  readonly latencyMs?: number;
}

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 28, 8, minutes));
const entry = (source: string, detailType: string, detail: object, time: Date): PutEventsRequestEntry => ({
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  Time: time,
});
const n = (full: number, scale: number, least = 1) => Math.max(least, Math.round(full * scale));
/** Federation, guests and location open, as a SEV1 of the load policy closes them. */
// Every setting a SEV1 tightens, explicit and loose, so the restore writes back exactly what was there.
const openChannels = {
  globalFederation: true,
  enableGuestFederation: true,
  locationEnabled: true,
  calling: { canStart11Call: true, canVideoCall: true, forceTcpCall: false },
  passwordRequirements: { minLength: 8 },
  maxAutoDownloadSize: 7340032,
  permittedNetworks: ['44444444', '55555555', '66666666'],
  maxTtl: 604800,
};
/** What a SEV1 makes of them. */
const closedChannels = {
  globalFederation: false,
  enableGuestFederation: false,
  locationEnabled: false,
  calling: { canStart11Call: true, canVideoCall: false, forceTcpCall: true },
  passwordRequirements: { minLength: 14 },
  maxAutoDownloadSize: 512000,
  permittedNetworks: ['44444444', '55555555'],
  maxTtl: 86400,
};
// A network that keeps its messages: a SEV1 may shorten their lifetimes there.
const retained = { settings: { dataRetention: true }, dataRetentionBot: {} };
const differs = (what: string, actual: unknown, wanted: unknown) =>
  JSON.stringify(actual) === JSON.stringify(wanted)
    ? []
    : [`${what}: expected ${JSON.stringify(wanted)}, found ${JSON.stringify(actual)}`];

/** 1,000 joiners into 10 departments (5 without a group yet), then 300 leavers and 200 movers, each phase at once. */
function hrBurst(scale: number): Scenario {
  const networkId = '30000001';
  const departments = Array.from({ length: 10 }, (_, i) => `Dept-${i}`);
  const joiners = Array.from({ length: n(1000, scale, 10) }, (_, i) => ({
    employeeId: `L-${i}`,
    department: departments[i % 10] as string,
  }));
  const leavers = joiners.slice(0, n(300, scale, 3));
  const movers = joiners.slice(leavers.length, leavers.length + n(200, scale, 2));
  const movedTo = (i: number) => departments[(i + 3) % 10] as string;
  const newGroups = 5;
  return {
    name: 'HR burst',
    seed: {
      networks: [
        {
          networkId,
          networkName: 'load-hr',
          securityGroups: [
            { id: 'hr-default', name: 'everyone', isDefault: true, securityGroupSettings: {} },
            ...departments.slice(0, 5).map((d, i) => ({
              id: `hr-g${i}`,
              name: d.toLowerCase(),
              securityGroupSettings: { maxNonSsoSessionMinutes: 600, lockoutThreshold: 7 },
            })),
          ],
        },
      ],
    },
    phases: [
      joiners.map((j) =>
        entry(
          'hr.system',
          'Employee Onboarded',
          {
            employeeId: j.employeeId,
            username: `${j.employeeId.toLowerCase()}@example.com`,
            department: j.department,
            networkId,
          },
          at(0),
        ),
      ),
      [
        ...leavers.map((j) =>
          entry('hr.system', 'Employee Offboarded', { employeeId: j.employeeId, networkId }, at(60)),
        ),
        ...movers.map((j, i) =>
          entry(
            'hr.system',
            'Employee Transferred',
            { employeeId: j.employeeId, networkId, department: movedTo(i) },
            at(60),
          ),
        ),
      ],
    ],
    minimum: Math.ceil(joiners.length / 50) + Math.ceil(leavers.length / 50) + movers.length + 2 * newGroups + 1,
    minimumIs: 'ceil(joiners/50) + ceil(leavers/50) + movers + 2 × new groups + 1 list page',
    functions: ['hrEvents'],
    latencyIs: 'event → user state',
    latencies: (journal, state, [joinedAt = 0, changedAt = 0]) => {
      const network = state.networks.find((x) => x.networkId === networkId);
      const usernameOf = new Map(network?.users.map((u) => [u.userId, u.username]));
      const done = new Map<string, number>();
      for (const e of journal.filter((x) => x.status === 200)) {
        const body = e.body as { users?: { username: string }[]; userIds?: string[]; userId?: string } | undefined;
        if (e.operation === 'BatchCreateUser')
          for (const u of body?.users ?? []) done.set(`join ${u.username}`, e.at - joinedAt);
        const changed =
          e.operation === 'UpdateUser'
            ? [body?.userId]
            : e.operation === 'BatchToggleUserSuspendStatus'
              ? body?.userIds
              : [];
        for (const id of changed ?? []) done.set(`change ${usernameOf.get(id ?? '')}`, e.at - changedAt);
      }
      return [...done.values()];
    },
    oracle: (state) => {
      const network = state.networks.find((x) => x.networkId === networkId);
      const groupId = (department: string) =>
        network?.securityGroups.find((g) => g.name === department.toLowerCase())?.id;
      const wrong: string[] = [];
      joiners.forEach((j, i) => {
        const user = network?.users.find((u) => u.username === `${j.employeeId.toLowerCase()}@example.com`);
        const moverIndex = i - leavers.length;
        const department = moverIndex >= 0 && moverIndex < movers.length ? movedTo(moverIndex) : j.department;
        wrong.push(
          ...differs(j.employeeId, user && { groups: user.securityGroupIds, suspended: user.suspended }, {
            groups: [groupId(department)],
            suspended: i < leavers.length,
          }),
        );
      });
      for (const d of departments.slice(5)) {
        const group = network?.securityGroups.filter((g) => g.name === d.toLowerCase()) ?? [];
        wrong.push(...differs(`${d} groups made`, group.length, 1));
      }
      return wrong;
    },
  };
}

const oktaSource = 'aws.partner/okta.com/load/wickr';

/**
 * 1,000 Okta System Log events on the partner bus, shuffled, 30 % of them twice: 350 people activated and added to
 * one of three mapped groups (none exists yet), then 70 of them deactivated.
 */
function oktaBurst(scale: number): Scenario {
  const networkId = '30000001';
  const groups = ['Okta-Sales', 'Okta-Legal', 'Okta-Support'];
  const people = Array.from({ length: n(350, scale, 6) }, (_, i) => ({
    id: `00uLOAD${i}`,
    login: `okta-load-${i}@example.com`,
    group: groups[i % 3] as string,
  }));
  const leavers = people.slice(0, n(70, scale, 2));
  let uuid = 0;
  const okta = (eventType: string, person: (typeof people)[number], minute: number, group?: string) => {
    const published = at(minute);
    const target: object[] = [{ id: person.id, type: 'User', alternateId: person.login, displayName: 'Load Person' }];
    if (group) target.push({ id: `00g${group}`, type: 'UserGroup', displayName: group });
    return {
      ...entry(
        oktaSource,
        'SystemLog',
        {
          uuid: `load-${uuid++}`,
          published: published.toISOString(),
          eventType,
          outcome: { result: 'SUCCESS' },
          target,
        },
        published,
      ),
      EventBusName: oktaSource,
    };
  };
  // Deterministic shuffle and duplication: the same run every time.
  const noisy = (events: PutEventsRequestEntry[]) => {
    const out = events.flatMap((e, i) => (i % 10 < 3 ? [e, e] : [e]));
    for (let i = out.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [out[i], out[j]] = [out[j] as PutEventsRequestEntry, out[i] as PutEventsRequestEntry];
    }
    return out;
  };
  return {
    name: 'Okta burst',
    seed: {
      networks: [
        {
          networkId,
          networkName: 'load-okta',
          securityGroups: [{ id: 'ok-default', name: 'everyone', isDefault: true, securityGroupSettings: {} }],
        },
      ],
    },
    phases: [
      noisy(
        people.flatMap((p) => [
          okta('user.lifecycle.activate', p, 0),
          okta('group.user_membership.add', p, 1, p.group),
        ]),
      ),
      noisy(leavers.map((p) => okta('user.lifecycle.deactivate', p, 60))),
    ],
    minimum: Math.ceil(people.length / 50) + Math.ceil(leavers.length / 50) + 2 * groups.length + 1,
    minimumIs: 'ceil(people/50) + ceil(leavers/50) + 2 × new groups + 1 list page',
    functions: ['hrEvents'],
    oracle: (state) => {
      const network = state.networks.find((x) => x.networkId === networkId);
      const departmentOf: Record<string, string> = {
        'Okta-Sales': 'sales',
        'Okta-Legal': 'legal',
        'Okta-Support': 'support',
      };
      return people.flatMap((p, i) => {
        const user = network?.users.find((u) => u.username === p.login);
        const group = network?.securityGroups.find((g) => g.name === departmentOf[p.group]);
        return differs(p.id, user && { groups: user.securityGroupIds, suspended: user.suspended }, {
          groups: [group?.id],
          suspended: i < leavers.length,
        });
      });
    },
  };
}

/**
 * A 10,000-row roster (CSV) uploaded, then the next day's (2 % left), then that one again: the HR consumer reads
 * each whole, then in chunks through the HR queue. The identical upload adds nothing to the minimum.
 */
function rosterSnapshots(scale: number): Scenario {
  const networkId = '30000001';
  const departments = ['Sales', 'Legal', 'Support', 'Research', 'Finance'];
  const people = Array.from({ length: n(10_000, scale, 20) }, (_, i) => ({
    id: `RL-${i}`,
    department: departments[i % departments.length] as string,
  }));
  const leavers = people.filter((_, i) => i % 50 === 7);
  const csv = (left: ReadonlySet<string>) =>
    [
      'employeeId,username,firstName,lastName,department,status',
      ...people.map(
        (p) =>
          `${p.id},${p.id.toLowerCase()}@example.com,Load,Person,${p.department},${left.has(p.id) ? 'left' : 'active'}`,
      ),
    ].join('\n');
  const gone = new Set(leavers.map((p) => p.id));
  return {
    name: 'Roster snapshots',
    seed: {
      networks: [
        {
          networkId,
          networkName: 'load-roster',
          securityGroups: [{ id: 'rs-default', name: 'everyone', isDefault: true, securityGroupSettings: {} }],
        },
      ],
    },
    phases: [
      [{ roster: { key: 'roster/day-1.csv', body: csv(new Set()) } }],
      [{ roster: { key: 'roster/day-2.csv', body: csv(gone) } }],
      [{ roster: { key: 'roster/day-2-again.csv', body: csv(gone) } }],
    ],
    minimum: Math.ceil(people.length / 50) + Math.ceil(leavers.length / 50) + 2 * departments.length + 1,
    minimumIs: 'ceil(rows/50) + ceil(leavers/50) + 2 × new groups + 1 list page; the identical upload 0',
    functions: ['hrEvents'],
    oracle: (state) => {
      const network = state.networks.find((x) => x.networkId === networkId);
      return people.flatMap((p) => {
        const user = network?.users.find((u) => u.username === `${p.id.toLowerCase()}@example.com`);
        const group = network?.securityGroups.find((g) => g.name === p.department.toLowerCase());
        return differs(p.id, user && { groups: user.securityGroupIds, suspended: user.suspended }, {
          groups: [group?.id],
          suspended: gone.has(p.id),
        });
      });
    },
  };
}

const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
const pagerDutySource = 'aws.partner/pagerduty.com/load/sec';
// PagerDuty deliveries are refused past sources.pagerduty.maxAgeMinutes (a replay's only limit): the storm is dated
// within the last hour, not on the other scenarios' fixed day.
const pdAt = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + (minutes - 45) * 60_000);

/** 500 PagerDuty incidents triggered on the security service within a minute (V3), then all resolved. */
function pagerDutyStorm(scale: number): Scenario {
  const networkId = '30000001';
  const groups = Array.from({ length: 4 }, (_, i) => ({
    id: `pd-g${i}`,
    name: `team-${i}`,
    securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false },
  }));
  const popup = { enabled: true, header: 'Welcome', content: 'Be kind', closeButtonLabel: 'OK' };
  const priorities = ['P1', 'P2', 'P3'];
  const incidents = Array.from({ length: n(500, scale, 5) }, (_, i) => ({
    id: `QLOAD${i}`,
    priority: priorities[i % 3] as string,
  }));
  const event = (type: string, incident: (typeof incidents)[number], at: Date) => ({
    ...entry(
      pagerDutySource,
      'PagerDuty Webhook',
      {
        event: {
          id: `${incident.id}-${type}`,
          event_type: type,
          occurred_at: at.toISOString(),
          data: {
            id: incident.id,
            title: `storm ${incident.id}`,
            urgency: 'high',
            priority: { summary: incident.priority },
            service: { id: 'PLOAD' },
          },
        },
      },
      at,
    ),
    EventBusName: pagerDutySource,
  });
  return {
    name: 'PagerDuty storm',
    seed: { networks: [{ networkId, networkName: 'load-pagerduty', consentPopup: popup, securityGroups: groups }] },
    phases: [
      incidents.map((incident, i) =>
        event('incident.triggered', incident, new Date(pdAt(0).getTime() + (i % 60) * 1000)),
      ),
      incidents.map((incident) => event('incident.resolved', incident, pdAt(30))),
    ],
    minimum: 2 * (1 + 1 + groups.length + 1) + 1,
    minimumIs:
      '2 × (1 list page + 1 settings read + groups + 1 popup write) + 1 retention read: lock once to the strictest, restore once',
    functions: ['incidentSources'],
    oracle: (state) =>
      state.networks.flatMap((network) => [
        ...network.securityGroups.flatMap((g) =>
          differs(
            `${network.networkId}/${g.name}`,
            { m: g.securityGroupSettings.maxNonSsoSessionMinutes, r: g.securityGroupSettings.alwaysReauthenticate },
            { m: 1440, r: false },
          ),
        ),
        ...differs(`${network.networkId} popup`, network.consentPopup, popup),
      ]),
  };
}

/** 500 distinct `Incident Declared` of mixed severities on one network, at once; then all resolved, at once. */
function findingStorm(scale: number): Scenario {
  const networkId = '30000001';
  const groups = Array.from({ length: 4 }, (_, i) => ({
    id: `st-g${i}`,
    name: `team-${i}`,
    securityGroupSettings: {
      maxNonSsoSessionMinutes: [0, 1440, 600, 120][i] as number,
      alwaysReauthenticate: false,
      ...openChannels,
    },
  }));
  const popup = { enabled: true, header: 'Welcome', content: 'Be kind', closeButtonLabel: 'OK' };
  const incidents = Array.from({ length: n(500, scale, 5) }, (_, i) => ({
    incidentId: `STORM-${i}`,
    severity: severities[i % 4] as string,
  }));
  return {
    name: 'Finding storm',
    seed: {
      networks: [{ networkId, networkName: 'load-storm', consentPopup: popup, securityGroups: groups, ...retained }],
    },
    phases: [
      incidents.map((i, k) =>
        entry(
          'security.incidents',
          'Incident Declared',
          { ...i, title: `finding ${k}`, networkIds: [networkId] },
          at(0),
        ),
      ),
      incidents.map((i) =>
        entry('security.incidents', 'Incident Resolved', { incidentId: i.incidentId, networkIds: [networkId] }, at(30)),
      ),
    ],
    minimum: 2 * (1 + 1 + groups.length + 1) + 1,
    minimumIs:
      '2 × (1 list page + 1 settings read + groups + 1 popup write) + 1 retention read: lock once to the strictest, restore once',
    functions: ['incidentDeclared', 'incidentResolved'],
    oracle: (state) => {
      const network = state.networks.find((x) => x.networkId === networkId);
      return [
        ...groups.flatMap((g) =>
          differs(
            g.name,
            network?.securityGroups.find((x) => x.id === g.id)?.securityGroupSettings,
            g.securityGroupSettings,
          ),
        ),
        ...differs('popup', network?.consentPopup, popup),
      ];
    },
  };
}

/** One SEV1 declaration over one network of 3,000 groups and ten of 500. */
function bigLockdown(scale: number): Scenario {
  const networks = [
    { networkId: '40000000', groups: n(3000, scale, 5) },
    ...Array.from({ length: 10 }, (_, i) => ({ networkId: String(40000001 + i), groups: n(500, scale, 5) })),
  ];
  const declared = at(0);
  const incident = { incidentId: 'BIG-1', severity: 'SEV1' as const, title: 'Confirmed breach' };
  const policy = loadPolicyFile(policyFile);
  const popup = renderPopup(policy.incident.playbooks.SEV1, { ...incident, declaredAt: declared.toISOString() });
  return {
    name: 'Big lockdown',
    seed: {
      networks: networks.map(({ networkId, groups }) => ({
        networkId,
        networkName: `load-${networkId}`,
        ...retained,
        securityGroups: Array.from({ length: groups }, (_, i) => ({
          id: `${networkId}-g${i}`,
          name: `team-${i}`,
          securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, ...openChannels },
        })),
      })),
    },
    phases: [
      [
        entry(
          'security.incidents',
          'Incident Declared',
          { ...incident, networkIds: networks.map((x) => x.networkId) },
          declared,
        ),
      ],
    ],
    minimum: networks.reduce((sum, x) => sum + Math.ceil(x.groups / 100) + 2 + x.groups + 1, 0),
    minimumIs: 'Σ networks (list pages + 1 settings read + 1 retention read + groups + 1 popup write)',
    // The first network in the declaring function, the ten others handed on to the reconcile function.
    functions: ['incidentDeclared', 'networkReconcile'],
    // Time to contain per network: from the declaration's delivery to the network's last change.
    latencyIs: 'time to contain',
    latencies: (journal, _state, [declaredAt = 0]) => {
      const last = new Map<string, number>();
      for (const e of journal) {
        const network = /networks\/(\d+)/.exec(e.path)?.[1];
        if (network && e.method !== 'GET' && e.status === 200)
          last.set(network, Math.max(last.get(network) ?? 0, e.at));
      }
      return [...last.values()].map((at) => at - declaredAt);
    },
    oracle: (state) =>
      state.networks.flatMap((network) => [
        ...network.securityGroups.flatMap((g) =>
          differs(`${network.networkId}/${g.name}`, g.securityGroupSettings, {
            maxNonSsoSessionMinutes: 60,
            alwaysReauthenticate: true,
            ...closedChannels,
          }),
        ),
        ...differs(`${network.networkId} popup`, network.consentPopup, popup),
      ]),
  };
}

/**
 * An access review of one network of 10,000 users with `inactiveDays` set: a ListUsers page per 100, a GetUser per
 * user, at the review's share of the budget; every account reported once, in the class its seed implies.
 */
function accessReview(scale: number): Scenario {
  const networkId = '50000000';
  const users = n(10_000, scale, 10);
  const requested = at(0);
  const lastLogin = Math.floor(requested.getTime() / 1000) - 86_400;
  // Some accounts are invitations nobody here sent: an orphan with an open invitation is an orphan all the same.
  const invited = (i: number) => i % 100 === 2;
  const kind = (i: number) => (i % 50 === 1 ? 'admin' : i % 10 === 0 ? 'exempt' : 'orphan');
  const expected: Record<string, number> = {};
  for (let i = 0; i < users; i++) expected[kind(i)] = (expected[kind(i)] ?? 0) + 1;
  return {
    name: 'Access review',
    seed: {
      networks: [
        {
          networkId,
          networkName: 'load-review',
          securityGroups: [{ id: 'rv-all', name: 'everyone', isDefault: true }],
          users: Array.from({ length: users }, (_, i) => ({
            userId: String(500_000 + i),
            username: `${kind(i) === 'exempt' ? 'svc' : 'person'}-${i}@example.com`,
            securityGroupIds: ['rv-all'],
            isAdmin: kind(i) === 'admin',
            status: invited(i) ? 1 : 2,
            lastLogin,
          })),
        },
      ],
    },
    phases: [
      [
        entry(
          'wickr.autopilot.operators',
          'Wickr Access Review Requested',
          { kind: 'access-review', networkId },
          requested,
        ),
      ],
    ],
    minimum: Math.ceil(users / 100) + users + 3,
    minimumIs:
      'list pages (100 users each) + one GetUser per user (its last sign-in) + one page each of guests, blocked guests and bots',
    functions: ['accessReview'],
    oracle: () => [],
    reportOracle: async (stack) => {
      const completed = stack.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Access Review Completed');
      if (completed.length !== 1) return [`${completed.length} completed reviews, expected 1`];
      const detail = completed[0]?.event.detail as { objects: { json: string }; counts: Record<string, number> };
      const bucket = stack.service.buckets.find((b) => b.logicalId === 'ReportsBucket')?.name ?? '';
      const objects = reportObjects(
        new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
        bucket,
      );
      const report = JSON.parse(await objects.getText(detail.objects.json)) as { rows: { userId: string }[] };
      const unique = new Set(report.rows.map((r) => r.userId)).size;
      const sorted = (counts: Record<string, number>) =>
        Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
      const found = sorted(Object.fromEntries(Object.entries(detail.counts).filter(([, v]) => v > 0)));
      return [
        ...(unique === users && report.rows.length === users
          ? []
          : [`report: ${report.rows.length} rows, ${unique} accounts, expected ${users}`]),
        ...differs('counts', found, sorted(expected)),
      ];
    },
  };
}

const scenarios = {
  hr: hrBurst,
  okta: oktaBurst,
  roster: rosterSnapshots,
  storm: findingStorm,
  pagerduty: pagerDutyStorm,
  lockdown: bigLockdown,
  review: accessReview,
};
/** The scenario keys, for `--only`. */
export const scenarioKeys = Object.keys(scenarios) as (keyof typeof scenarios)[];

async function runScenario(scenario: Scenario, options: LoadOptions): Promise<LoadFigures> {
  const stack = await startLocalStack({
    seed: scenario.seed,
    params: {
      policyFile,
      wickrRequestsPerSecond: String(options.budget),
      oktaEventSource: oktaSource,
      pagerDutyEventSource: pagerDutySource,
    },
    // Lambda retries after about 1 and 2 minutes; scaled down, as everywhere locally.
    retryDelaysMs: [1_000, 2_000],
    logLevel: 'CRITICAL',
  });
  try {
    stack.emulator.setFaults({
      latencyMs: options.latencyMs ?? 20,
      rateLimit: { requestsPerSecond: options.budget, burst: options.budget },
    });
    const eventBridge = new EventBridgeClient({
      region: stack.region,
      endpoint: stack.eventBridgeEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 5,
    });
    const started = Date.now();
    const phaseStarts: number[] = [];
    const rosters = new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
    for (const phase of scenario.phases) {
      // A snapshot is as of S3's Last-Modified (whole seconds): each phase's upload in a second of its own.
      if (phase.some((e) => 'roster' in e)) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      phaseStarts.push(Date.now());
      for (const upload of phase.filter((e): e is RosterUpload => 'roster' in e)) {
        const bucket = stack.service.buckets.find((b) => b.logicalId === 'RosterBucket')?.name ?? '';
        await rosters.put({ bucket, key: upload.roster.key }, Buffer.from(upload.roster.body));
      }
      const events = phase.filter((e): e is PutEventsRequestEntry => !('roster' in e));
      const chunks: PutEventsRequestEntry[][] = [];
      for (let i = 0; i < events.length; i += 10) {
        chunks.push(events.slice(i, i + 10).map((e) => ({ ...e, EventBusName: e.EventBusName ?? stack.busName })));
      }
      // All at once, as a bulk publisher sends them.
      await Promise.all(
        chunks.map(async (Entries) => {
          const failed = await putAsDelivered(eventBridge, stack.eventBridgeEndpoint, Entries);
          if (failed) throw new Error(`PutEvents refused ${failed} entries`);
        }),
      );
      await stack.bus.drain();
    }
    const wallMs = Date.now() - started;
    const journal = stack.emulator.journal();
    const invocations = stack.bus.invocations;
    const stats = stack.bus.stats().functions;
    // A pool's share counts once, however many of its functions work: they draw on it together.
    const shares = new Map<string, number>();
    for (const name of scenario.functions) {
      const env = stack.service.functions.find((f) => f.name === name)?.environment;
      shares.set(String(env?.WICKR_BUDGET_POOL ?? name), Number(env?.WICKR_BUDGET_SHARE ?? 1));
    }
    const share = [...shares.values()].reduce((sum, x) => sum + x, 0);
    const boundMs = (scenario.minimum / (options.budget * share)) * 1000;
    const mismatches = [
      ...scenario.oracle(stack.emulator.snapshot()),
      ...((await scenario.reportOracle?.(stack)) ?? []),
    ];
    const latencies = scenario.latencies?.(journal, stack.emulator.snapshot(), phaseStarts).sort((a, b) => a - b);
    const percentile = (p: number) =>
      latencies?.[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    const lost = stack.bus.failures().map((f) => {
      const body = f.body as { responsePayload?: { errorType?: string }; errorType?: string };
      return `${f.queue}: ${body.responsePayload?.errorType ?? body.errorType ?? 'unknown'}`;
    });
    return {
      scenario: scenario.name,
      events: scenario.phases.reduce((sum, p) => sum + p.length, 0),
      wickrRequests: journal.length,
      minimum: scenario.minimum,
      minimumIs: scenario.minimumIs,
      requestsToMinimum: round(journal.length / scenario.minimum),
      requestsByOperation: journal.reduce<Record<string, number>>((byName, e) => {
        byName[e.operation] = (byName[e.operation] ?? 0) + 1;
        return byName;
      }, {}),
      throttled429: journal.filter((e) => e.status === 429).length,
      peakEnvironments: Object.fromEntries(
        Object.entries(stats)
          .filter(([, s]) => s.invocations > 0)
          .map(([name, s]) => [name, s.peakConcurrentEnvironments]),
      ),
      invocations: invocations.length,
      failedInvocations: invocations.filter((i) => i.outcome === 'failed').length,
      retriedInvocations: invocations.filter((i) => i.attempt > 1).length,
      timeouts: invocations.filter((i) => ['Sandbox.Timedout', 'TimeoutError'].includes(i.error?.name ?? '')).length,
      failures: invocations
        .filter((i) => i.outcome === 'failed')
        .reduce<Record<string, number>>((byName, i) => {
          const name = i.error?.name ?? 'unknown';
          byName[name] = (byName[name] ?? 0) + 1;
          return byName;
        }, {}),
      failureQueueMessages: lost.length,
      wallMs,
      boundMs: Math.round(boundMs),
      wallToBound: round(wallMs / boundMs),
      mismatches: mismatches.length,
      lost: lost.length,
      latencyIs: scenario.latencyIs,
      latencyMs: latencies?.length ? { p50: percentile(0.5), p95: percentile(0.95) } : undefined,
      samples: [...mismatches.slice(0, 3), ...lost.slice(0, 3)],
    };
  } finally {
    await stack.close();
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Runs the scenarios one after another, each on a fresh local stack. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures[]> {
  const figures: LoadFigures[] = [];
  for (const key of scenarioKeys) {
    if (options.only && !options.only.includes(key)) continue;
    figures.push(await runScenario(scenarios[key](options.scale), options));
  }
  return figures;
}
