/**
 * The chaos suite: a seeded random history — overlapping incidents of mixed severities across two networks
 * (some resolved before they are declared, a storm of findings declared and resolved together), HR joiners (some concurrent into a new department), movers, leavers and
 * rehires (each employee's facts timed, and often delivered latest first),
 * rotation ticks across window boundaries, and admin changes in between — delivered through the local bus as
 * AWS would: every event 1–3 times, some copies at once, the order shuffled within a window, with the Wickr
 * emulator injecting 5xx, 429s, connection resets and "apply then fail", and function environments crashing
 * mid-handler (ending as on a Lambda timeout, then retried). After the bus drains, an oracle computed
 * from the history alone states every group's settings, every popup and every user; the run counts mismatches.
 * What exhausted its retries under the faults is redriven once they stop, as an operator would from the queue;
 * anything still in a failure queue after that is lost.
 */
import { EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { putAsDelivered } from '../../infra/local/events/service-events-client.js';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { seededRandom } from '../../infra/local/seeded-random.js';
import type { EmulatorSeed } from '../../infra/local/wickr-emulator/index.js';
import { renderPopup } from '../../lib/incident/render-popup.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { createDynamoDBClient, documentClient } from '../../lib/store/dynamodb-client.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { accountContained, accountEntries, accountLives } from './chaos-accounts.js';
import { chainMismatches } from './chaos-audit.js';
import { type GuestsAndBots, guestBotExpectations, guestsAndBots, seedOf, subjectsOf } from './chaos-guests-bots.js';
import { chaosOperators, decideOpenHolds, leaveVerdicts } from './chaos-holds.js';
import { oktaEnd, oktaEntries, oktaGroups, oktaLife, oktaSource } from './chaos-okta.js';
import { pagerDutyEnd, pagerDutyEntries, pagerDutyLife, pagerDutySource } from './chaos-pagerduty.js';
import {
  missingApproved,
  rosterDepartments,
  rosterEnd,
  rosterFiles,
  rosterNetwork,
  rosterPeople,
  rosterUsername,
} from './chaos-roster.js';

const policyFile = 'test/fixtures/chaos/policy.yml';
const networks = ['11111111', '22222222'] as const;
// Every network of the chaos policy: the two of the incidents and HR, and the rosters' own.
const allNetworks = [...networks, rosterNetwork] as const;
const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
type Severity = (typeof severities)[number];
const sessionOf: Record<Severity, number> = { SEV1: 60, SEV2: 240, SEV3: 720, SEV4: 1440 };

/** Options of one run. */
export interface ChaosOptions {
  readonly seed: number;
  /** Scales the history: incidents ≈ 2×size plus a storm of 3×size, joiners ≈ 3×size. */
  readonly size: number;
  readonly faultRate?: number;
  /** Share of invocations that crash mid-handler and end as on a timeout. */
  readonly crashRate?: number;
}

/** What a run saw. */
export interface ChaosFigures {
  readonly seed: number;
  readonly events: number;
  readonly deliveries: number;
  readonly duplicates: number;
  readonly faultsInjected: number;
  readonly crashesInjected: number;
  readonly retries: number;
  /** Events that exhausted their retries under the faults and were redriven once the faults stopped. */
  readonly redriven: number;
  /** Holds the deprovisioning safeguard opened, and how the operator decided them. */
  readonly holds: Readonly<Record<'approve' | 'reject' | 'expire', number>>;
  /** Okta people in the history, and how many of them end active (each checked in Wickr by the oracle). */
  readonly okta: { readonly people: number; readonly active: number };
  /** PagerDuty incidents in the history, and how many end active (their lockdowns checked by the oracle). */
  readonly pagerDuty: { readonly incidents: number; readonly active: number };
  /** Roster people (two files uploaded) and how many end suspended. */
  readonly roster: { readonly people: number; readonly suspended: number };
  /** Employees with compromise cases, and how many end contained. */
  readonly accounts: { readonly people: number; readonly contained: number };
  readonly mismatches: readonly string[];
  readonly lost: readonly string[];
}

interface Incident {
  id: string;
  severity: Severity;
  networks: string[];
  groups: string[];
  declaredAt: string;
  resolved: boolean;
  title: string;
  /** A later fact of the same incident (escalation, de-escalation, other groups), delivered in any order. */
  update?: { severity: Severity; groups: string[]; at: string } | undefined;
  /** Declared again after its resolution (a genuine re-declaration, or PagerDuty's `reopened`): active again. */
  reopened?: { severity: Severity; at: string } | undefined;
}

export async function runChaos({
  seed,
  size,
  faultRate = 0.03,
  crashRate = 0.05,
}: ChaosOptions): Promise<ChaosFigures> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const policy = loadPolicyFile(policyFile);

  // The networks as they start: 8 team groups each, with varied settings.
  const initial = new Map<
    string,
    {
      maxNonSsoSessionMinutes: number;
      alwaysReauthenticate: boolean;
      checkForUpdates: boolean;
      globalFederation?: boolean;
      enableGuestFederation?: boolean;
      permittedNetworks?: string[];
      maxTtl?: number;
    }
  >();
  // Guests and bots on the incident networks (the rosters' network has none).
  const people = new Map(networks.map((networkId) => [networkId, guestsAndBots(networkId, random)]));
  const seedState: EmulatorSeed = {
    networks: allNetworks.map((networkId) => ({
      networkId,
      networkName: `chaos-${networkId}`,
      consentPopup: { enabled: false, header: '', content: '', closeButtonLabel: '' },
      ...seedOf(people.get(networkId as (typeof networks)[number]) ?? { guests: [], bots: [] }),
      // The first network keeps its messages (a retention bot, active): only there may a SEV1 shorten lifetimes.
      ...(networkId === networks[0] ? { settings: { dataRetention: true }, dataRetentionBot: {} } : {}),
      securityGroups: Array.from({ length: 8 }, (_, i) => {
        const settings = {
          maxNonSsoSessionMinutes: pick([0, 120, 600, 1440]),
          alwaysReauthenticate: random() < 0.3,
          checkForUpdates: random() < 0.5,
          lockoutThreshold: pick([3, 5, 10]),
          // Federated or not, open to guests or not, or unset (read as open): the lockdown closes and restores each.
          ...(random() < 0.8 ? { globalFederation: random() < 0.7 } : {}),
          ...(random() < 0.8 ? { enableGuestFederation: random() < 0.7 } : {}),
          // An allow-list a SEV1 shrinks to its own entries, and a message lifetime it shortens where retention is on.
          ...(random() < 0.7
            ? { permittedNetworks: ['44444444', '55555555', '66666666'].filter(() => random() < 0.6) }
            : {}),
          ...(random() < 0.7 ? { maxTtl: pick([0, 3600, 604800]) } : {}),
        };
        initial.set(`${networkId}/team-${i}`, settings);
        return { id: `${networkId}-g${i}`, name: `team-${i}`, isDefault: i === 0, securityGroupSettings: settings };
      }),
    })),
  };

  // The history.
  const incidents: Incident[] = Array.from({ length: 2 * size }, (_, i) => ({
    id: `CH-${seed}-${i}`,
    severity: pick(severities),
    networks: random() < 0.5 ? [...networks] : [pick(networks)],
    groups: random() < 0.5 ? ['team-*'] : [`team-${Math.floor(random() * 8)}`, `team-${Math.floor(random() * 8)}`],
    declaredAt: new Date(Date.UTC(2026, 10, 28, 3, i)).toISOString().replace('.000', ''),
    resolved: random() < 0.6,
    title: `chaos CH-${seed}-${i}`,
    update:
      random() < 0.4
        ? {
            severity: pick(severities),
            groups: random() < 0.5 ? ['team-*'] : [`team-${Math.floor(random() * 8)}`],
            at: new Date(Date.UTC(2026, 10, 28, 4, i)).toISOString().replace('.000', ''),
          }
        : undefined,
  }));
  // Some resolved incidents are declared again after their resolution (05:00): later than every other fact.
  incidents.forEach((incident, i) => {
    if (incident.resolved && random() < 0.35) {
      incident.reopened = {
        severity: pick(severities),
        at: new Date(Date.UTC(2026, 10, 28, 6, i)).toISOString().replace('.000', ''),
      };
    }
  });
  // What the oracle sees of an incident: its latest fact (every update is later than its declaration, a
  // re-declaration later than everything).
  const latest = (incident: Incident): Incident =>
    incident.reopened
      ? {
          ...incident,
          severity: incident.reopened.severity,
          groups: incident.update?.groups ?? incident.groups,
          declaredAt: incident.reopened.at,
          title: `${incident.title} reopened`,
        }
      : incident.update
        ? {
            ...incident,
            severity: incident.update.severity,
            groups: incident.update.groups,
            declaredAt: incident.update.at,
            title: `${incident.title} updated`,
          }
        : incident;
  const departments = ['Legal', 'Audit', 'Research'];
  const joiners = Array.from({ length: 3 * size }, (_, i) => {
    const leaves = random() < 0.3;
    return {
      employeeId: `CH-E${seed}-${i}`,
      networkId: pick(networks),
      department: i < 2 ? 'Newdept' : pick(departments),
      // Some move to another department (a new one, Treasury, included), some of them leave, some leavers return.
      movesTo: random() < 0.4 ? pick([...departments, 'Treasury']) : undefined,
      leaves,
      rehiredInto: leaves && random() < 0.4 ? pick(departments) : undefined,
      // Leaves once provisioned, in a later wave: the deprovisions the safeguard holds for the operator.
      leavesLate: !leaves && random() < 0.4,
    };
  });
  // Every HR fact has its time: join, an hour later the move, then the leave, then the rehire.
  const hrTime = (i: number, hours: number) => new Date(Date.UTC(2026, 10, 28, 6 + hours, i % 60));
  // The oracle orders each employee's facts by time: the latest says where they are.
  const finalDepartment = (j: (typeof joiners)[number]) => j.rehiredInto ?? j.movesTo ?? j.department;
  const finallySuspended = (j: (typeof joiners)[number]) => (j.leaves && !j.rehiredInto) || j.leavesLate;
  // Two joiners of one new department on one network, delivered at the same moment.
  const second = joiners[1];
  if (second && joiners[0]) second.networkId = joiners[0].networkId;
  const ticks = ['2026-11-30T06:59:00Z', '2026-11-30T07:00:00Z', '2026-11-30T16:59:00Z', '2026-11-30T17:00:00Z'];

  type Entry = PutEventsRequestEntry & { key: string };
  const incidentEntry = (detailType: string, detail: object, time: string, key: string): Entry => ({
    key,
    Source: 'security.incidents',
    DetailType: detailType,
    Detail: JSON.stringify(detail),
    Time: new Date(time),
  });
  type Item =
    | Entry
    | { admin: true; run: () => Promise<void> }
    | { tick: string }
    | { decide: true }
    | { roster: string; body: string };
  const phase1: Item[] = [];
  const phase2: Item[] = [];
  for (const incident of incidents) {
    const declare = incidentEntry(
      'Incident Declared',
      {
        incidentId: incident.id,
        severity: incident.severity,
        title: `chaos ${incident.id}`,
        networkIds: incident.networks,
        groups: { namePatterns: incident.groups },
      },
      incident.declaredAt,
      `declare ${incident.id}`,
    );
    const resolve = incidentEntry(
      'Incident Resolved',
      { incidentId: incident.id, networkIds: incident.networks },
      '2026-11-28T05:00:00Z',
      `resolve ${incident.id}`,
    );
    if (!incident.resolved) phase1.push(declare);
    else if (random() < 0.3) phase1.push(resolve, declare);
    else phase1.push(declare, resolve);
    if (incident.update) {
      const update = incidentEntry(
        random() < 0.5 ? 'Incident Updated' : 'Incident Declared',
        {
          incidentId: incident.id,
          severity: incident.update.severity,
          title: `${incident.title} updated`,
          networkIds: incident.networks,
          groups: { namePatterns: incident.update.groups },
        },
        incident.update.at,
        `update ${incident.id}`,
      );
      // Sometimes before its declaration: the declaration then arrives stale and changes nothing.
      phase1.splice(random() < 0.3 ? Math.max(0, phase1.length - 2) : phase1.length, 0, update);
    }
    if (incident.reopened) {
      const again = latest(incident);
      const reopen = incidentEntry(
        'Incident Declared',
        {
          incidentId: incident.id,
          severity: again.severity,
          title: again.title,
          networkIds: incident.networks,
          groups: { namePatterns: again.groups },
        },
        incident.reopened.at,
        `reopen ${incident.id}`,
      );
      // Anywhere among the incident's facts: whatever arrives after it is older and changes nothing.
      phase1.splice(Math.max(0, phase1.length - Math.floor(random() * 3)), 0, reopen);
    }
  }
  joiners.forEach((j, i) => {
    const hr = (key: string, detailType: string, detail: object, hours: number): Entry => ({
      key: `${key} ${j.employeeId}`,
      Source: 'hr.system',
      DetailType: detailType,
      Detail: JSON.stringify({ employeeId: j.employeeId, networkId: j.networkId, ...detail }),
      Time: hrTime(i, hours),
    });
    const username = `${j.employeeId.toLowerCase()}@example.com`;
    const facts = [hr('join', 'Employee Onboarded', { username, department: j.department }, 0)];
    if (j.movesTo) facts.push(hr('move', 'Employee Transferred', { department: j.movesTo }, 1));
    if (j.leaves) facts.push(hr('leave', 'Employee Offboarded', {}, 2));
    if (j.rehiredInto) facts.push(hr('rehire', 'Employee Onboarded', { username, department: j.rehiredInto }, 3));
    // Out of order on purpose: sometimes the later facts come first (a leave or a move before the joining).
    if (random() < 0.4) facts.reverse();
    phase1.push(...facts);
    if (j.leavesLate) phase2.push(hr('late leave', 'Employee Offboarded', {}, 4));
  });
  // The operator looks at the holds now and then, and decides each: approve, reject, or let it run out.
  for (let i = 0; i < 2; i++) phase2.splice(Math.floor(random() * (phase2.length + 1)), 0, { decide: true });
  // Okta people, on the first network through the partner bus: their lives shuffled in with everything else.
  const lives = Array.from({ length: size }, (_, i) => oktaLife(seed, i, random));
  for (const life of lives) {
    const entries = oktaEntries(life, new Date(Date.UTC(2026, 10, 28, 7, 0)));
    phase1.push(...(random() < 0.4 ? entries.reverse() : entries));
  }
  // PagerDuty incidents on the partner bus: triggered, re-prioritised, acknowledged, resolved, V2 and V3 mixed.
  // PagerDuty deliveries older than sources.pagerduty.maxAgeMinutes are refused (a replay's only limit): its
  // incidents are dated in the last hour, not on the history's fixed days (their facts order among themselves only).
  const pdStart = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 15 * 60_000);
  const pdLives = Array.from({ length: Math.max(2, Math.ceil(size / 2)) }, (_, i) => pagerDutyLife(seed, i, random));
  for (const life of pdLives) {
    const entries = pagerDutyEntries(life, pdStart, random);
    phase1.push(...(random() < 0.4 ? entries.reverse() : entries));
  }
  // A storm: findings on one network at once, each declared and resolved — the reached target, kept between lease
  // holders, and a loosening's wait for quiet run under the same faults and crashes. They must leave no trace.
  const stormNetwork = networks[0] as string;
  for (let i = 0; i < 3 * size; i++) {
    const id = `CH-${seed}-storm-${i}`;
    const declare = incidentEntry(
      'Incident Declared',
      { incidentId: id, severity: pick(severities), title: `storm ${i}`, networkIds: [stormNetwork] },
      '2026-11-28T03:30:00Z',
      `declare ${id}`,
    );
    const resolve = incidentEntry(
      'Incident Resolved',
      { incidentId: id, networkIds: [stormNetwork] },
      '2026-11-28T05:00:00Z',
      `resolve ${id}`,
    );
    phase1.push(...(random() < 0.2 ? [resolve, declare] : [declare, resolve]));
  }
  for (const tick of ticks) phase1.push({ tick });
  // Compromised accounts among the employees HR leaves active: their cases after HR's facts have settled (a fact for
  // someone not provisioned yet names nobody), opened, cleared, some opened again, in any order, faults back on.
  const phase3: Item[] = [];
  const accounts = accountLives(
    seed,
    [
      ...joiners.filter((j) => !finallySuspended(j)),
      ...networks.flatMap((networkId) => subjectsOf(networkId, people.get(networkId) as GuestsAndBots)),
    ],
    random,
  );
  for (const life of accounts) {
    const entries = accountEntries(life);
    phase3.push(...(random() < 0.4 ? entries.reverse() : entries));
  }
  const containedAtEnd = new Set(accounts.filter(accountContained).map((l) => l.employeeId));
  // Two roster files on their own network: the first among the first facts, the next among the later ones.
  const rosterFolks = rosterPeople(seed, size, random);
  const files = rosterFiles(rosterFolks);
  const rosterBodies = new Map([
    ['roster/first.csv', files.first],
    ['roster/second.csv', files.second],
  ]);
  phase1.splice(Math.floor(random() * (phase1.length + 1)), 0, { roster: 'roster/first.csv', body: files.first });
  phase2.splice(Math.floor(random() * (phase2.length + 1)), 0, { roster: 'roster/second.csv', body: files.second });

  const stack = await startLocalStack({
    seed: seedState,
    params: {
      policyFile,
      oktaEventSource: oktaSource,
      pagerDutyEventSource: pagerDutySource,
      operatorsRoleArn: chaosOperators.arn,
    },
    identities: new Map([[chaosOperators.key, chaosOperators.arn]]),
    retryDelaysMs: [200, 400],
    logLevel: 'CRITICAL',
    // Short timeouts, so an injected crash (which ends at the deadline, as on Lambda) is retried soon.
    timeoutSeconds: 6,
    // The history's dates are fixed (2026-11-28 to 30, so the window edges and the quarter are known): a day of
    // clock skew keeps its last ticks acceptable on the day itself, as they are on any day after.
    environment: { WICKR_REQUESTS_PER_SECOND: '500', MAX_EVENT_CLOCK_SKEW_SECONDS: '86400' },
  });
  const admin = new Map<string, boolean>();
  try {
    const client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: stack.eventBridgeEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const { WickrAdminClient } = await import('../../lib/wickr/index.js');
    const wickr = new WickrAdminClient({
      region: 'us-east-1',
      endpoint: stack.wickrEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      retry: { maxAttempts: 8, baseDelayMs: 5 },
    });
    // Admin changes, in between: a field neither capability touches, and one rotation owns.
    for (let i = 0; i < size * 2; i++) {
      const networkId = pick(networks);
      const group = Math.floor(random() * 8);
      const value = random() < 0.5;
      phase1.splice(Math.floor(random() * phase1.length), 0, {
        admin: true,
        run: async () => {
          await wickr.updateSecurityGroup({
            networkId,
            groupId: `${networkId}-g${group}`,
            securityGroupSettings: { checkForUpdates: value, lockoutThreshold: 9 },
          });
          admin.set(`${networkId}/team-${group}`, value);
        },
      });
    }
    // Hands during lockdowns: on each network a group made by hand (its name falls under `team-*`) and a locked
    // field loosened by hand. The sweep brings both under a lockdown still active; the oracle knows the hand-made
    // settings as the group's own, and the loosened value as the admin's latest word on that field.
    for (const networkId of networks) {
      const made = {
        maxNonSsoSessionMinutes: 1440,
        alwaysReauthenticate: false,
        lockoutThreshold: 10,
        checkForUpdates: false,
      };
      initial.set(`${networkId}/team-hand`, made);
      phase1.splice(Math.floor(random() * phase1.length), 0, {
        admin: true,
        run: async () => {
          const { securityGroup } = await wickr.createSecurityGroup({
            networkId,
            name: 'team-hand',
            securityGroupSettings: { lockoutThreshold: 10 },
            // Under "apply then fail" the client's retry must replay the create, not make a second group.
            clientToken: `chaos-${seed}-${networkId}-team-hand`,
          });
          await wickr.updateSecurityGroup({
            networkId,
            groupId: securityGroup.id,
            securityGroupSettings: {
              maxNonSsoSessionMinutes: 1440,
              alwaysReauthenticate: false,
              checkForUpdates: false,
            },
          });
        },
      });
      const group = Math.floor(random() * 8);
      const start = initial.get(`${networkId}/team-${group}`);
      if (start) initial.set(`${networkId}/team-${group}`, { ...start, maxNonSsoSessionMinutes: 1440 });
      phase1.splice(Math.floor(random() * phase1.length), 0, {
        admin: true,
        run: async () => {
          await wickr.updateSecurityGroup({
            networkId,
            groupId: `${networkId}-g${group}`,
            securityGroupSettings: { maxNonSsoSessionMinutes: 1440 },
          });
        },
      });
    }

    const stateTable = String(stack.service.tables.find((t) => t.logicalId === 'StateTable')?.properties.TableName);
    const desk = {
      db: documentClient(createDynamoDBClient('us-east-1', stack.dynamodbEndpoint)),
      stateTable,
      bus: client,
      busName: stack.busName,
      random,
      operatorUrl: async () => stack.functionUrls.get('operatorActions') ?? '',
      operatorKey: chaosOperators.key,
    };
    const decisions = { approve: 0, reject: 0, expire: 0 };
    const rosterBucket = stack.service.buckets.find((b) => b.logicalId === 'RosterBucket')?.name ?? '';
    // A snapshot is as of S3's Last-Modified (whole seconds): each upload in a second of its own, in order.
    let latestRoster: string | undefined;
    const uploadRoster = async (key: string, body: string) => {
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
      stack.s3.put(rosterBucket, key, Buffer.from(body));
      latestRoster = key;
    };
    let deliveries = 0;
    let duplicates = 0;
    const sent = new Set<string>();
    const deliver = async (items: typeof phase1) => {
      // Shuffle within windows of 6, then deliver each event 1–3 times; copies of one batch go in one PutEvents.
      const shuffled = [...items];
      for (let start = 0; start < shuffled.length; start += 6) {
        const window = shuffled.slice(start, start + 6);
        for (let i = window.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [window[i], window[j]] = [window[j] as (typeof window)[number], window[i] as (typeof window)[number]];
        }
        const batch: PutEventsRequestEntry[] = [];
        const later: PutEventsRequestEntry[] = [];
        for (const item of window) {
          if ('admin' in item) {
            await item.run();
            continue;
          }
          if ('decide' in item) {
            for (const d of await decideOpenHolds(desk)) decisions[d]++;
            continue;
          }
          if ('tick' in item) {
            stack.bus.fireSchedule(stack.service.schedules[0]?.name ?? '', new Date(item.tick));
            continue;
          }
          if ('roster' in item) {
            await uploadRoster(item.roster, item.body);
            continue;
          }
          const { key, ...entry } = item;
          sent.add(key);
          const copies = 1 + Math.floor(random() * 3);
          duplicates += copies - 1;
          const withBus = { ...entry, EventBusName: entry.EventBusName ?? stack.busName };
          batch.push(withBus);
          for (let c = 1; c < copies; c++) (random() < 0.5 ? batch : later).push(withBus);
        }
        for (const entries of [batch, later]) {
          for (let i = 0; i < entries.length; i += 10) {
            const part = entries.slice(i, i + 10);
            deliveries += part.length;
            const failed = await putAsDelivered(client, stack.eventBridgeEndpoint, part);
            if (failed) throw new Error(`PutEvents refused ${failed} entries`);
          }
        }
      }
      await stack.bus.drain();
    };

    const faults = {
      errorRates: { '500': faultRate, '429': faultRate },
      resetRate: faultRate / 2,
      applyThenFailRate: faultRate,
      seed,
    };
    const crashes = { rate: crashRate, random: seededRandom(seed + 1) };
    const setChaos = (on: boolean) => {
      stack.emulator.setFaults(on ? faults : {});
      for (const fn of stack.functions.values()) fn.setCrashes(on ? crashes : undefined);
    };
    // The faults subside; the operator redrives what exhausted its retries, as from a dead-letter queue.
    const redriven: unknown[] = [];
    const redrive = async () => {
      setChaos(false);
      const kept = [];
      for (const message of stack.bus.takeFailures()) {
        type Redriven = { source: string; 'detail-type': string; detail: unknown; time: string };
        const body = message.body as { requestPayload?: Redriven; kind?: string; key?: string } & Partial<Redriven>;
        // A roster's notification or chunk: the operator uploads the latest roster again (what was done stays
        // done; an older file uploaded now would be the newest snapshot).
        if ((body.kind === 'roster-chunk' || body.source === 'aws.s3') && latestRoster) {
          redriven.push(body);
          await uploadRoster(latestRoster, rosterBodies.get(latestRoster) as string);
          continue;
        }
        // A Lambda destination record carries the event; the HR queue's dead-letter queue holds the event itself.
        const event = body.requestPayload ?? (body['detail-type'] && body.source ? (body as Redriven) : undefined);
        // A refusal is not redriven: it stays, with its reason, and counts as lost.
        if (!event) {
          kept.push(message);
          continue;
        }
        redriven.push(event);
        if (event['detail-type'] === 'Scheduled Event') {
          stack.bus.fireSchedule(stack.service.schedules[0]?.name ?? '', new Date(event.time));
        } else {
          const entry = {
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.time),
          };
          // A partner's event goes back on its partner bus.
          const eventBus = event.source.startsWith('aws.partner/') ? event.source : stack.busName;
          await putAsDelivered(client, stack.eventBridgeEndpoint, [{ ...entry, EventBusName: eventBus }]);
        }
      }
      for (const message of kept) stack.sqs.send(message.queue, JSON.stringify(message.body));
      await stack.bus.drain();
    };

    setChaos(true);
    await deliver(phase1);
    await deliver(phase2);
    await redrive();
    setChaos(true);
    await deliver(phase3);
    await redrive();
    // Whatever still waits is decided now, and what the decisions started is carried out.
    for (const d of await decideOpenHolds(desk)) decisions[d]++;
    await stack.bus.drain();
    // A last tick at a known time settles what rotation owns (and sweeps the holds).
    const settle = '2026-11-30T09:00:00Z'; // Monday 10:00 in Berlin: inside the window
    await deliver([{ tick: settle }]);
    // A fact that coalesced into a reconcile which then died is taken in by a lease watch: a delayed message, which
    // a drain does not wait for. Give those a dead holder left the time to fire.
    const incidentState = new IncidentStateStore(
      documentClient(createDynamoDBClient('us-east-1', stack.dynamodbEndpoint)),
      String(stack.service.tables.find((t) => t.logicalId === 'StateTable')?.properties.TableName),
    );
    for (let waited = 0; waited < 60_000; waited += 500) {
      const behind = await Promise.all(networks.map((n) => incidentState.isBehind(n)));
      if (!behind.some(Boolean)) break;
      await new Promise((r) => setTimeout(r, 500));
      await stack.bus.drain();
    }
    // The sweeps of the locked networks come due (every LOCKDOWN_SWEEP_SECONDS on AWS): what hands made or
    // loosened is brought back under the lockdowns still active.
    stack.sqs.expediteDelays('NetworkReconcileQueue');
    await stack.bus.drain();

    // The oracle, from the history alone.
    const mismatches: string[] = [];
    const expect = (what: string, actual: unknown, wanted: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(wanted))
        mismatches.push(`${what}: expected ${JSON.stringify(wanted)}, found ${JSON.stringify(actual)}`);
    };
    const state = stack.emulator.snapshot();
    const leaves = await leaveVerdicts(desk, joiners.filter(finallySuspended));
    const rosterLeaves = await leaveVerdicts(
      desk,
      rosterFolks
        .filter((p) => p.next.state === 'left')
        .map((p) => ({ employeeId: p.employeeId, networkId: rosterNetwork })),
    );
    const approvedMissing = await missingApproved(desk.db, desk.stateTable);
    const rosterEnds = new Map(
      rosterFolks.map((p) => [p.employeeId, rosterEnd(p, rosterLeaves.get(p.employeeId), approvedMissing)]),
    );
    // Level-triggered means no network is left behind its facts, nor held by a reconcile that is gone.
    for (const networkId of allNetworks) {
      const { version, reconciledVersion, lease } = await incidentState.readReconcileState(networkId, Date.now());
      expect(`${networkId} reconciled version`, reconciledVersion ?? 0, version);
      expect(`${networkId} lease`, lease, undefined);
    }
    for (const network of state.networks) {
      const active = [
        ...incidents.filter((i) => (!i.resolved || i.reopened) && i.networks.includes(network.networkId)).map(latest),
        ...pdLives.flatMap((life) => {
          const end = pagerDutyEnd(life, pdStart);
          return end ? [{ ...end, networks: [...allNetworks], groups: ['team-*'], resolved: false }] : [];
        }),
      ];
      for (const group of network.securityGroups) {
        const s = group.securityGroupSettings;
        const start = initial.get(`${network.networkId}/${group.name}`);
        // Containment's own group: made from its own settings, selected by no incident or rotation rule.
        if (group.name === 'quarantine') continue;
        if (!start) {
          // A department group: the template, untouched since.
          expect(
            `${network.networkId}/${group.name}`,
            { m: s.maxNonSsoSessionMinutes, l: s.lockoutThreshold },
            { m: 600, l: 7 },
          );
          continue;
        }
        const selecting = active.filter((i) => i.groups.some((p) => p === 'team-*' || p === group.name));
        const limit = (v: number) => (v === 0 ? Number.POSITIVE_INFINITY : v);
        const session = selecting.reduce(
          (m, i) => (limit(sessionOf[i.severity]) < limit(m) ? sessionOf[i.severity] : m),
          start.maxNonSsoSessionMinutes,
        );
        const reauth =
          start.alwaysReauthenticate || selecting.some((i) => i.severity === 'SEV1' || i.severity === 'SEV2');
        expect(`${network.networkId}/${group.name} maxNonSsoSessionMinutes`, s.maxNonSsoSessionMinutes, session);
        expect(`${network.networkId}/${group.name} alwaysReauthenticate`, s.alwaysReauthenticate ?? false, reauth);
        expect(`${network.networkId}/${group.name} lockoutThreshold`, s.lockoutThreshold, 5);
        // The channels: closed while a SEV1 (federation) or a SEV1/SEV2 (guests) selects the group, else as they
        // started (unset reads as open, and a restore writes it back explicitly).
        const closes = (severities: readonly string[]) => selecting.some((i) => severities.includes(i.severity));
        expect(
          `${network.networkId}/${group.name} globalFederation`,
          s.globalFederation ?? true,
          closes(['SEV1']) ? false : (start.globalFederation ?? true),
        );
        expect(
          `${network.networkId}/${group.name} enableGuestFederation`,
          s.enableGuestFederation ?? true,
          closes(['SEV1', 'SEV2']) ? false : (start.enableGuestFederation ?? true),
        );
        // The allow-list shrinks to the SEV1's entries the group had (its own order); lifetimes only where retention is.
        const allowed = ['44444444', '55555555'];
        expect(
          `${network.networkId}/${group.name} permittedNetworks`,
          s.permittedNetworks ?? [],
          (start.permittedNetworks ?? []).filter((n) => !closes(['SEV1']) || allowed.includes(n)),
        );
        const ttl = start.maxTtl ?? 0;
        expect(
          `${network.networkId}/${group.name} maxTtl`,
          s.maxTtl ?? 0,
          closes(['SEV1']) && network.networkId === networks[0] && (ttl === 0 || ttl > 86400) ? 86400 : ttl,
        );
        expect(
          `${network.networkId}/${group.name} checkForUpdates`,
          s.checkForUpdates,
          admin.get(`${network.networkId}/${group.name}`) ?? start.checkForUpdates,
        );
      }
      const strictest = [...active].sort(
        (a, b) =>
          severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
          a.declaredAt.localeCompare(b.declaredAt) ||
          a.id.localeCompare(b.id),
      )[0];
      const popup = strictest
        ? renderPopup(policy.incident.playbooks[strictest.severity], {
            incidentId: strictest.id,
            severity: strictest.severity,
            title: strictest.title,
            declaredAt: strictest.declaredAt,
          })
        : {
            enabled: true,
            header: 'AUP 2026-Q4',
            content: 'Acceptable use, version 2026-Q4',
            closeButtonLabel: 'Acknowledge',
          };
      expect(`${network.networkId} popup`, network.consentPopup, popup);
      const start = people.get(network.networkId as (typeof networks)[number]);
      if (start) {
        const end = {
          contained: containedAtEnd,
          // Guests are the network's: any active SEV1 (whatever its groups) blocks them all.
          blockAll: active.some((i) => policy.incident.playbooks[i.severity].guests === 'block-all'),
          quarantineGroupId: network.securityGroups.find((g) => g.name === 'quarantine')?.id,
        };
        for (const e of guestBotExpectations(network.networkId, start, end)) {
          if ('usernameHash' in e) {
            expect(e.what, network.guests.find((g) => g.usernameHash === e.usernameHash)?.blocked, e.blocked);
          } else {
            const bot = network.bots.find((b) => b.botId === e.botId);
            expect(e.what, bot && { suspended: bot.suspended, groupId: bot.groupId }, e.state);
          }
        }
      }
      for (const j of joiners.filter((x) => x.networkId === network.networkId)) {
        const user = network.users.find((u) => u.username === `${j.employeeId.toLowerCase()}@example.com`);
        const group = network.securityGroups.find((g) => g.name === finalDepartment(j).toLowerCase());
        const verdict = leaves.get(j.employeeId);
        if (finallySuspended(j) && verdict !== 'applies') {
          // A leave the safeguard held, then rejected or let expire: the user stays as they were, not suspended.
          expect(`${j.employeeId} hold ${verdict}`, user ? user.suspended : false, false);
          continue;
        }
        if (finallySuspended(j)) {
          // A leaver is suspended, or never had an account when the leave came before the joining.
          expect(`${j.employeeId} suspended`, user ? user.suspended : true, true);
          continue;
        }
        // A case still open keeps the account suspended, in the quarantine group; released, it is where HR says.
        const contained = containedAtEnd.has(j.employeeId);
        const quarantine = network.securityGroups.find((g) => g.name === 'quarantine');
        expect(`${j.employeeId}`, user && { groups: user.securityGroupIds, suspended: user.suspended }, {
          groups: [contained ? quarantine?.id : group?.id],
          suspended: contained,
        });
      }
      if (network.networkId === networks[0]) {
        for (const life of lives) {
          const end = oktaEnd(life);
          const user = network.users.find((u) => u.username === life.login);
          const verdict = (
            await leaveVerdicts(desk, [{ employeeId: `okta:${life.userId}`, networkId: networks[0] }])
          ).get(`okta:${life.userId}`);
          if (end?.state === 'left') {
            expect(
              `${life.userId} (okta) suspended`,
              user ? user.suspended : verdict === 'applies',
              verdict === 'applies',
            );
          } else if (end) {
            const group = network.securityGroups.find((g) => g.name === end.department.toLowerCase());
            expect(`${life.userId} (okta)`, user && { groups: user.securityGroupIds, suspended: user.suspended }, {
              groups: [group?.id],
              suspended: false,
            });
          }
        }
      }
      if (network.networkId === rosterNetwork) {
        for (const p of rosterFolks) {
          const end = rosterEnds.get(p.employeeId) as { department: string; suspended: boolean };
          const user = network.users.find((u) => u.username === rosterUsername(p));
          const group = network.securityGroups.find((g) => g.name === end.department.toLowerCase());
          expect(
            `${p.employeeId} (roster, ${p.next.state})`,
            user && { groups: user.securityGroupIds, suspended: user.suspended },
            {
              groups: [group?.id],
              suspended: end.suspended,
            },
          );
        }
      }
      // Facts out of order may skip a department someone only passed through; each group is made at most once,
      // every final department exists, and no group is made for a department nobody was ever placed in.
      const departmentsMade = network.securityGroups
        .filter((g) => !initial.has(`${network.networkId}/${g.name}`) && g.name !== 'quarantine')
        .map((g) => g.name)
        .sort();
      const ofNetwork = joiners.filter((j) => j.networkId === network.networkId);
      const named = new Set(
        ofNetwork.flatMap((j) =>
          [j.department, j.movesTo, j.rehiredInto].filter(Boolean).map((d) => String(d).toLowerCase()),
        ),
      );
      // Okta's people may pass through any mapped department on the first network.
      if (network.networkId === networks[0]) for (const d of Object.values(oktaGroups)) named.add(d.toLowerCase());
      if (network.networkId === rosterNetwork) for (const d of rosterDepartments) named.add(d.toLowerCase());
      // Only those who end active need their group: a leaver's later move may never have been applied.
      const finals = new Set(
        ofNetwork.filter((j) => !finallySuspended(j)).map((j) => finalDepartment(j).toLowerCase()),
      );
      if (network.networkId === networks[0]) {
        for (const life of lives) {
          const end = oktaEnd(life);
          if (end?.state === 'active') finals.add(end.department.toLowerCase());
        }
      }
      if (network.networkId === rosterNetwork) {
        for (const end of rosterEnds.values()) finals.add(end.department.toLowerCase());
      }
      const wanted = departmentsMade.filter((d) => named.has(d));
      for (const d of finals) if (!departmentsMade.includes(d)) wanted.push(`${d} (missing)`);
      wanted.sort();
      expect(`${network.networkId} department groups made once`, departmentsMade.length, new Set(departmentsMade).size);
      expect(`${network.networkId} department groups`, departmentsMade, wanted);
    }

    // Every HR fact (the HR system's, Okta's) a rule delivered ends in an answer naming its event id — unless its
    // delivery exhausted its retries and was redriven, when the redriven copy (a new id) is answered instead.
    const answered = new Set(
      stack.bus.events
        .map((e) => e.event)
        .filter(
          (e) => e.source === 'wickr.autopilot' && /^Wickr (Employee Fact|Automation Failed)/.test(e['detail-type']),
        )
        .map((e) => String((e.detail as { eventId?: unknown }).eventId)),
    );
    const redrivenIds = new Set(redriven.map((r) => String((r as { id?: unknown }).id)));
    const unanswered = stack.bus.events
      .filter(
        (e) =>
          (e.event.source === 'hr.system' || e.event.source.startsWith('aws.partner/okta')) &&
          e.matchedRules.length > 0,
      )
      .map((e) => e.event.id)
      .filter((id) => !answered.has(id) && !redrivenIds.has(id));
    expect('HR facts without an answer naming their event', unanswered, []);

    const crashesInjected = [...stack.functions.values()].reduce((n, f) => n + f.crashes, 0);
    // Crashes off first: the anchor's own tick is the oracle's, not part of the history.
    for (const fn of stack.functions.values()) fn.setCrashes(undefined);
    mismatches.push(...(await chainMismatches(stack)));

    const invocations = stack.bus.invocations;
    const lost = stack.bus.failures().map((f) => {
      const body = f.body as {
        responsePayload?: { errorType?: string; errorMessage?: string };
        requestPayload?: { 'detail-type'?: string };
        reason?: string;
        event?: { 'detail-type'?: string };
      };
      const what = body.requestPayload?.['detail-type'] ?? body.event?.['detail-type'];
      const why = body.responsePayload
        ? `${body.responsePayload.errorType}: ${body.responsePayload.errorMessage}`
        : body.reason;
      return `${f.queue} ← ${what}: ${why}`;
    });
    return {
      seed,
      events: sent.size + ticks.length + 1,
      deliveries,
      duplicates,
      faultsInjected: stack.emulator.journal().filter((e) => e.fault).length,
      crashesInjected,
      retries: invocations.filter((i) => i.attempt > 1).length,
      redriven: redriven.length,
      holds: decisions,
      okta: { people: lives.length, active: lives.filter((l) => oktaEnd(l)?.state === 'active').length },
      pagerDuty: { incidents: pdLives.length, active: pdLives.filter((l) => pagerDutyEnd(l, pdStart)).length },
      roster: { people: rosterFolks.length, suspended: [...rosterEnds.values()].filter((e) => e.suspended).length },
      accounts: { people: accounts.length, contained: containedAtEnd.size },
      mismatches,
      lost,
    };
  } finally {
    await stack.close();
  }
}
