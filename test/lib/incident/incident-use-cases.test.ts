/**
 * The incident use cases against a real local DynamoDB and the Wickr emulator over HTTP: exact final state of
 * every group and the popup, and the exact Wickr requests in the emulator's journal.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import type { IncidentDeclaredEvent, IncidentResolvedEvent } from '../../../lib/events/incident-events.js';
import { operatorActionsSource } from '../../../lib/events/operator-actions.js';
import { declareIncident, type IncidentDeps, resolveIncident } from '../../../lib/incident/handle-incident.js';
import { continueReconciles } from '../../../lib/incident/handle-reconcile-queue.js';
import { handleSecurityHubFindings } from '../../../lib/incident/handle-security-hub.js';
import type { ReconcileUnit } from '../../../lib/incident/ports.js';
import { reconcileNetwork } from '../../../lib/incident/reconcile-network.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { findingIncidentId } from '../../../lib/sources/security-hub-finding.js';
import { AccountCaseStore } from '../../../lib/store/account-case-store.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { guestBlockHandover } from '../../../lib/store/guest-block-handover.js';
import { IncidentStateStore } from '../../../lib/store/incident-state-store.js';
import { readConsentPopup } from '../../../lib/wickr/consent-popup.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db, idempotency, incidentState, forgetNetwork } = await startIntegration();

const published: { detailType: string; detail: Record<string, unknown> }[] = [];
let tablePrefix = '';

function deps(overrides: Partial<IncidentDeps> = {}): IncidentDeps {
  return {
    wickr: fixture.client(),
    store: incidentState,
    playbooks: policy.incident.playbooks,
    concurrency: 4,
    nowMs: Date.now,
    networkIds: [networkId],
    tombstoneDays: 30,
    idempotency: idempotency(),
    publisher: {
      publish: async (detailType, detail) => {
        published.push({ detailType, detail: { ...detail } });
      },
    },
    logger: { info: () => undefined, warn: () => undefined },
    ...overrides,
  };
}

const invocation = () => ({ requestId: randomUUID(), remainingMs: () => 60_000 });

// Each test uses its own incident ids, so records of other tests never interfere.
function declared(incidentId: string, severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4', extra = {}): IncidentDeclaredEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Incident Declared',
    source: 'security.incidents',
    account: '123456789012',
    time: '2026-11-28T03:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '1',
      incidentId: `${tablePrefix}${incidentId}`,
      severity,
      title: 'Phishing wave',
      ...extra,
    },
  };
}
function resolved(incidentId: string): IncidentResolvedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Incident Resolved',
    source: 'security.incidents',
    account: '123456789012',
    time: '2026-11-28T05:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { schemaVersion: '1', incidentId: `${tablePrefix}${incidentId}` },
  };
}

const groups = () =>
  Object.fromEntries(
    (fixture.emulator.snapshot().networks[0]?.securityGroups ?? []).map((g) => [g.id, g.securityGroupSettings]),
  );
const popup = () => fixture.emulator.snapshot().networks[0]?.consentPopup;
const writes = () => fixture.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);

const before = {
  'sg-default': { lockoutThreshold: 10, federationMode: 1, maxNonSsoSessionMinutes: 0, alwaysReauthenticate: false },
  'sg-engineering': {
    lockoutThreshold: 15,
    federationMode: 1,
    maxNonSsoSessionMinutes: 1440,
    alwaysReauthenticate: false,
  },
  'sg-finance': { lockoutThreshold: 5, federationMode: 0, maxNonSsoSessionMinutes: 480, alwaysReauthenticate: true },
  'sg-contractors': {
    lockoutThreshold: 5,
    federationMode: 0,
    maxNonSsoSessionMinutes: 120,
    alwaysReauthenticate: false,
  },
};
const popupBefore = { enabled: false, header: '', content: '', closeButtonLabel: 'Acknowledge' };

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  tablePrefix = `${randomUUID().slice(0, 8)}-`;
  // A fresh network record per test: the state table is shared by the file.
  await forgetNetwork(networkId);
});

describe('declare and resolve', () => {
  it('locks down every group to the SEV2 playbook, shortening only, then restores exactly', async () => {
    await declareIncident(declared('INC-1', 'SEV2'), invocation(), deps());
    expect(groups()).toEqual({
      'sg-default': { ...before['sg-default'], maxNonSsoSessionMinutes: 240, alwaysReauthenticate: true },
      'sg-engineering': { ...before['sg-engineering'], maxNonSsoSessionMinutes: 240, alwaysReauthenticate: true },
      // Already at 480 → 240; already reauthenticating: untouched.
      'sg-finance': { ...before['sg-finance'], maxNonSsoSessionMinutes: 240 },
      // 120 is stricter than 240: left alone, only reauthentication is added.
      'sg-contractors': { ...before['sg-contractors'], alwaysReauthenticate: true },
    });
    expect(popup()).toMatchObject({ enabled: true, header: 'SEV2 security incident in progress' });
    expect(popup()?.content).toContain('**SEV2 security incident.** Phishing wave');
    // One PATCH per group that needs a change, one popup update.
    expect(
      writes()
        .map((e) => e.operation)
        .sort(),
    ).toEqual([
      'UpdateNetworkSettings',
      'UpdateSecurityGroup',
      'UpdateSecurityGroup',
      'UpdateSecurityGroup',
      'UpdateSecurityGroup',
    ]);
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Lockdown Applied']);

    fixture.emulator.clearJournal();
    await resolveIncident(resolved('INC-1'), invocation(), deps());
    expect(groups()).toEqual(before);
    expect(popup()).toEqual(popupBefore);
    expect(writes()).toHaveLength(5);
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Lockdown Applied', 'Wickr Lockdown Lifted']);
  });

  it('plans a dry run without writing anything, exactly the changes the real declaration then makes', async () => {
    const store = incidentState;
    const dry = await declareIncident(declared('INC-dry', 'SEV2', { dryRun: true }), invocation(), deps());
    expect(dry.networks).toEqual([{ networkId, result: 'planned', changes: 6 }]);
    expect(writes()).toEqual([]);
    expect(groups()).toEqual(before);
    expect((await store.readDesired(networkId)).active).toEqual([]);
    const [plan] = published;
    expect(plan?.detailType).toBe('Wickr Lockdown Planned');
    expect(plan?.detail).toMatchObject({ networkId, dryRun: true, reachable: true, popup: true, unmatched: [] });
    const planned = ((plan?.detail.changes ?? []) as { groupId: string; field: string; to: unknown }[])
      .map((c) => `${c.groupId}.${c.field}=${String(c.to)}`)
      .sort();

    // The same incident, declared for real: applied in full (the dry run left no idempotency record behind).
    await declareIncident(declared('INC-dry', 'SEV2'), invocation(), deps());
    const applied = Object.entries(groups()).flatMap(([id, settings]) =>
      Object.entries(settings as Record<string, unknown>)
        .filter(([field, value]) => (before as Record<string, Record<string, unknown>>)[id]?.[field] !== value)
        .map(([field, value]) => `${id}.${field}=${String(value)}`),
    );
    expect(planned).toEqual(applied.sort());
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Lockdown Planned', 'Wickr Lockdown Applied']);
  });

  it('answers a dry run on a network Wickr refuses with why, and changes nothing', async () => {
    fixture.emulator.setFaults({ next: [{ operation: 'ListSecurityGroups', status: 403 }] });
    const dry = await declareIncident(declared('INC-dry-403', 'SEV1', { dryRun: true }), invocation(), deps());
    expect(dry.networks).toEqual([{ networkId, result: 'planned', changes: 0, error: expect.stringContaining('403') }]);
    expect(published[0]?.detail).toMatchObject({ reachable: false, error: expect.stringContaining('403') });
    expect(writes()).toEqual([]);
  });

  it('does the work once for sequential and concurrent duplicates', async () => {
    const event = declared('INC-dup', 'SEV1');
    const concurrent = await Promise.allSettled([1, 2, 3].map(() => declareIncident(event, invocation(), deps())));
    // A copy that finds the first still running fails retryably; Lambda's retry then gets the stored result.
    for (const outcome of concurrent) {
      if (outcome.status === 'rejected') {
        expect(['IdempotencyAlreadyInProgressError', 'NetworkBusyError']).toContain((outcome.reason as Error).name);
      }
    }
    expect(concurrent.some((o) => o.status === 'fulfilled')).toBe(true);
    await declareIncident(event, invocation(), deps()).catch(() => undefined);
    const patches = writes().filter((e) => e.operation === 'UpdateSecurityGroup');
    expect(patches).toHaveLength(4);
    expect(new Set(patches.map((e) => e.path)).size).toBe(4);
    expect(writes().filter((e) => e.operation === 'UpdateNetworkSettings')).toHaveLength(1);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60, lockoutThreshold: 3 });
  });

  it('keeps the strictest of overlapping incidents and restores only when the last resolves', async () => {
    await declareIncident(declared('INC-a', 'SEV3'), invocation(), deps());
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(720);
    await declareIncident(declared('INC-b', 'SEV1'), invocation(), deps());
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60, lockoutThreshold: 3 });
    expect(popup()?.header).toBe('SEV1 security incident in progress');

    await resolveIncident(resolved('INC-b'), invocation(), deps());
    // Back to the SEV3 lockdown, not to the original.
    expect(groups()['sg-engineering']).toEqual({ ...before['sg-engineering'], maxNonSsoSessionMinutes: 720 });
    expect(popup()?.header).toBe('Security notice (SEV3)');
    // One of two resolved: the lockdown is updated, not applied.
    expect(published.at(-1)?.detailType).toBe('Wickr Lockdown Updated');

    await resolveIncident(resolved('INC-a'), invocation(), deps());
    expect(groups()['sg-engineering']).toEqual(before['sg-engineering']);
    expect(popup()).toEqual(popupBefore);
  });

  it('remembers a resolution that arrives first, so the late declaration does nothing', async () => {
    await resolveIncident(resolved('INC-late'), invocation(), deps());
    fixture.emulator.clearJournal();
    const outcome = await declareIncident(declared('INC-late', 'SEV1'), invocation(), deps());
    expect(outcome.networks).toEqual([{ networkId, result: 'already-resolved', resolvedAt: '2026-11-28T05:00:00Z' }]);
    expect(writes()).toEqual([]);
    expect(groups()['sg-engineering']).toEqual(before['sg-engineering']);
  });

  it('reopens an incident declared again after its resolution, and a stale resolution does not lift it', async () => {
    await declareIncident(declared('INC-re', 'SEV1'), invocation(), deps());
    await resolveIncident(resolved('INC-re'), invocation(), deps());
    expect(groups()['sg-engineering']).toEqual(before['sg-engineering']);
    // Declared again, later than the resolution: a real re-declaration locks again (it used to be ignored).
    const again = { ...declared('INC-re', 'SEV1'), time: '2026-11-28T07:00:00Z' };
    expect((await declareIncident(again, invocation(), deps())).networks[0]).toMatchObject({ result: 'reconciled' });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    // A resolution older than the re-declaration (delivered late) changes nothing, and says so.
    const late = { ...resolved('INC-re'), time: '2026-11-28T06:00:00Z' };
    expect((await resolveIncident(late, invocation(), deps())).networks).toEqual([{ networkId, result: 'stale' }]);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    // A resolution of any date used to pre-cancel a declaration for 30 days: one dated before a declaration does not.
    const early = { ...resolved('INC-early'), time: '2026-11-28T01:00:00Z' };
    await resolveIncident(early, invocation(), deps());
    expect((await declareIncident(declared('INC-early', 'SEV2'), invocation(), deps())).networks[0]).toMatchObject({
      result: 'reconciled',
    });
    await resolveIncident({ ...resolved('INC-re'), time: '2026-11-28T08:00:00Z' }, invocation(), deps());
    await resolveIncident(resolved('INC-early'), invocation(), deps());
    expect(groups()['sg-engineering']).toEqual(before['sg-engineering']);
  });

  it('keeps a value an admin changed during the incident and reports the conflict', async () => {
    const client = fixture.client();
    await declareIncident(declared('INC-admin', 'SEV2'), invocation(), deps());
    await client.updateSecurityGroup({
      networkId,
      groupId: 'sg-engineering',
      securityGroupSettings: { maxNonSsoSessionMinutes: 90 },
    });
    await resolveIncident(resolved('INC-admin'), invocation(), deps());
    expect(groups()['sg-engineering']).toEqual({ ...before['sg-engineering'], maxNonSsoSessionMinutes: 90 });
    const lifted = published.at(-1)?.detail as { conflicts: unknown[] };
    expect(lifted.conflicts).toEqual([
      {
        groupId: 'sg-engineering',
        groupName: 'engineering',
        field: 'maxNonSsoSessionMinutes',
        original: 1440,
        ours: 240,
        found: 90,
      },
    ]);
  });

  it('locks only the selected groups', async () => {
    await declareIncident(
      declared('INC-sel', 'SEV1', { groups: { namePatterns: ['fin*'], ids: ['sg-contractors'] } }),
      invocation(),
      deps(),
    );
    expect(groups()['sg-engineering']).toEqual(before['sg-engineering']);
    expect(groups()['sg-finance']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    expect(groups()['sg-contractors']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
  });

  it('reports a group id or pattern that selects nothing, in the outcome event and the metrics', async () => {
    const counted: [string, number][] = [];
    await declareIncident(
      declared('INC-typo', 'SEV2', { groups: { namePatterns: ['fin*', 'legl*'], ids: ['sg-1', 'sg-engineering'] } }),
      invocation(),
      deps({ metrics: { add: (name, value) => void counted.push([name, value]) } }),
    );
    expect(Object.fromEntries(counted)).toMatchObject({ GroupsLocked: 2, UnmatchedSelectors: 1, PopupChanges: 1 });
    expect(counted.find(([name]) => name === 'TimeToContain')?.[1]).toBeGreaterThan(0);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240 });
    expect(published.at(-1)?.detail.unmatchedSelectors).toEqual([
      { incidentId: `${tablePrefix}INC-typo`, ids: ['sg-1'], namePatterns: ['legl*'], matchesNothing: false },
    ]);
    expect(published.at(-1)?.detailType).toBe('Wickr Lockdown Applied');
  });

  it('says a declaration whose selectors select no group matched nothing — not that a lockdown was applied', async () => {
    const counted: [string, number][] = [];
    const outcome = await declareIncident(
      declared('INC-none', 'SEV1', { groups: { namePatterns: ['nope*'], ids: ['sg-missing'] } }),
      invocation(),
      deps({ metrics: { add: (name, value) => void counted.push([name, value]) } }),
    );
    expect(published.at(-1)?.detailType).toBe('Wickr Lockdown Matched Nothing');
    expect(outcome.networks[0]).toMatchObject({ outcome: 'Wickr Lockdown Matched Nothing' });
    expect(Object.fromEntries(counted)).toMatchObject({ LockdownsMatchedNothing: 1 });
    expect(groups()).toEqual(before);
    await resolveIncident(resolved('INC-none'), invocation(), deps());
  });

  it('survives "apply then fail": the retry finds the change made and makes no second one', async () => {
    fixture.emulator.setFaults({ next: [{ operation: 'UpdateSecurityGroup', applyThenFail: true }] });
    await declareIncident(declared('INC-atf', 'SEV2'), invocation(), deps());
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240 });
    await resolveIncident(resolved('INC-atf'), invocation(), deps());
    expect(groups()).toEqual(before);
  });

  it('resumes after a partial failure, doing only the rest', async () => {
    fixture.emulator.setFaults({ errorRates: { '500': 1 }, operations: ['UpdateSecurityGroup'] });
    const first = await declareIncident(
      declared('INC-part', 'SEV1'),
      invocation(),
      deps({ wickr: fixture.client({ retry: { maxAttempts: 1 } }) }),
    ).catch((e: Error) => e);
    expect((first as Error).name).toBe('ReconcileIncompleteError');
    fixture.emulator.setFaults({});
    fixture.emulator.clearJournal();
    await declareIncident(declared('INC-part', 'SEV1'), invocation(), deps());
    expect(writes().filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(4);
    // The popup went out in the first run: not sent twice.
    expect(writes().filter((e) => e.operation === 'UpdateNetworkSettings')).toHaveLength(0);
    expect(
      readConsentPopup([{ optionName: 'consentPopup', type: 'json', value: JSON.stringify(popup()) }]).status,
    ).toBe('read');
  });

  it('writes a setting that was absent back as its explicit loose value, since PATCH cannot remove it', async () => {
    fixture.emulator.reset({
      networks: [
        { networkId, networkName: 'sparse', securityGroups: [{ id: 'g1', name: 'sparse', securityGroupSettings: {} }] },
      ],
    });
    await declareIncident(declared('INC-sparse', 'SEV1'), invocation(), deps());
    expect(groups().g1).toEqual({ maxNonSsoSessionMinutes: 60, alwaysReauthenticate: true, lockoutThreshold: 3 });
    await resolveIncident(resolved('INC-sparse'), invocation(), deps());
    expect(groups().g1).toEqual({ maxNonSsoSessionMinutes: 0, alwaysReauthenticate: false, lockoutThreshold: 0 });
  });

  it('closes the channels outside the network a playbook names, in one PATCH per group, and restores each exactly', async () => {
    const calls = { canStart11Call: true, canVideoCall: true, forceTcpCall: false };
    const open = { maxNonSsoSessionMinutes: 1440, globalFederation: true, enableGuestFederation: true, calling: calls };
    fixture.emulator.reset({
      networks: [
        {
          networkId,
          networkName: 'federated',
          securityGroups: [
            { id: 'g1', name: 'eng', securityGroupSettings: { ...open, locationEnabled: true } },
            // Already closed to guests: left alone, and not "restored" open.
            { id: 'g2', name: 'ops', securityGroupSettings: { ...open, enableGuestFederation: false } },
          ],
        },
      ],
    });
    const channels = {
      globalFederation: false,
      enableGuestFederation: false,
      locationEnabled: false,
      calling: { canVideoCall: false },
    };
    const playbooks = {
      ...policy.incident.playbooks,
      SEV1: { ...policy.incident.playbooks.SEV1, tighten: { ...policy.incident.playbooks.SEV1.tighten, ...channels } },
    };
    await declareIncident(declared('INC-channels', 'SEV1'), invocation(), deps({ playbooks }));
    expect(groups().g1).toMatchObject({
      globalFederation: false,
      enableGuestFederation: false,
      locationEnabled: false,
    });
    expect(groups().g2).toMatchObject({ globalFederation: false, enableGuestFederation: false });
    // Video calls off, the other calling fields as they were (the object is sent whole).
    expect(groups().g1?.calling).toEqual({ ...calls, canVideoCall: false });
    expect(writes().filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(2);
    // An admin opens location again on g1 during the incident: kept and reported, never overwritten.
    fixture.emulator.reset({
      networks: [
        {
          networkId,
          networkName: 'federated',
          securityGroups: [
            { id: 'g1', name: 'eng', securityGroupSettings: { ...groups().g1, locationEnabled: true } },
            { id: 'g2', name: 'ops', securityGroupSettings: { ...groups().g2 } },
          ],
        },
      ],
    });
    published.length = 0;
    await resolveIncident(resolved('INC-channels'), invocation(), deps({ playbooks }));
    expect(groups().g1).toMatchObject({ ...open, locationEnabled: true });
    expect(groups().g2).toMatchObject({ ...open, enableGuestFederation: false });
    const lifted = published.find((p) => p.detailType === 'Wickr Lockdown Lifted');
    expect(JSON.stringify(lifted?.detail)).toContain('locationEnabled');
  });

  it('shrinks allow-lists and shortens message lifetimes only where data retention is active, restoring each exactly', async () => {
    const federated = {
      maxNonSsoSessionMinutes: 1440,
      permittedNetworks: ['55555555', '22222222', '11111111'],
      permittedWickrAwsNetworks: [
        { region: 'us-east-1', networkId: '33333333' },
        { region: 'eu-west-1', networkId: '44444444' },
      ],
      maxTtl: 2_592_000,
    };
    const network = (dataRetention: boolean, groupSettings: Record<string, unknown> = federated) => ({
      networkId,
      networkName: 'federated',
      settings: { dataRetention },
      ...(dataRetention ? { dataRetentionBot: { botName: 'compliance-bot' } } : {}),
      securityGroups: [{ id: 'g1', name: 'eng', securityGroupSettings: groupSettings }],
    });
    const channels = {
      permittedNetworks: ['11111111', '22222222'],
      permittedWickrAwsNetworks: [{ networkId: '33333333', region: 'us-east-1' }],
      maxTtl: 86_400,
    };
    const playbooks = {
      ...policy.incident.playbooks,
      SEV1: {
        ...policy.incident.playbooks.SEV1,
        requireDataRetention: true,
        tighten: { ...policy.incident.playbooks.SEV1.tighten, ...channels },
      },
    };
    // Retention off: the lists shrink, message lifetimes are left alone and the outcome says why.
    fixture.emulator.reset({ networks: [network(false)] });
    await declareIncident(declared('INC-lists', 'SEV1'), invocation(), deps({ playbooks }));
    expect(groups().g1).toMatchObject({
      permittedNetworks: ['22222222', '11111111'],
      permittedWickrAwsNetworks: [{ region: 'us-east-1', networkId: '33333333' }],
      maxTtl: 2_592_000,
    });
    const applied = published.find((p) => p.detailType === 'Wickr Lockdown Applied')?.detail;
    expect(applied?.skippedSettings).toEqual({ settings: ['maxTtl'], reason: expect.stringMatching(/data retention/) });
    await resolveIncident(resolved('INC-lists'), invocation(), deps({ playbooks }));
    expect(groups().g1).toMatchObject(federated);

    // Retention on: message lifetimes shortened too, and put back exactly.
    await forgetNetwork(networkId);
    fixture.emulator.reset({ networks: [network(true)] });
    published.length = 0;
    await declareIncident(declared('INC-lists-2', 'SEV1'), invocation(), deps({ playbooks }));
    expect(groups().g1).toMatchObject({ maxTtl: 86_400, permittedNetworks: ['22222222', '11111111'] });
    expect(published.find((p) => p.detailType === 'Wickr Lockdown Applied')?.detail.skippedSettings).toBeUndefined();
    expect(writes().filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(1);
    await resolveIncident(resolved('INC-lists-2'), invocation(), deps({ playbooks }));
    // Settings that were absent come back as their explicit loose value (a PATCH cannot remove one).
    expect(groups().g1).toEqual({ ...federated, alwaysReauthenticate: false, lockoutThreshold: 0 });
  });

  it('blocks every guest for the incident with guests: block-all, and unblocks exactly those, handing a contained one over', async () => {
    fixture.emulator.reset({
      networks: [
        {
          networkId,
          networkName: 'guests',
          securityGroups: [{ id: 'g1', name: 'eng', securityGroupSettings: { maxNonSsoSessionMinutes: 60 } }],
          guests: [
            { usernameHash: 'hA', username: 'a@partner.example', billingPeriod: '2026-11' },
            { usernameHash: 'hB', username: 'b@partner.example', billingPeriod: '2026-11', blocked: true },
            { usernameHash: 'hC', username: 'c@partner.example', billingPeriod: '2026-12' },
          ],
        },
      ],
    });
    const blocked = () =>
      (fixture.emulator.snapshot().networks[0]?.guests ?? [])
        .filter((g) => g.blocked)
        .map((g) => g.usernameHash)
        .sort();
    const playbooks = {
      ...policy.incident.playbooks,
      SEV1: { ...policy.incident.playbooks.SEV1, guests: 'block-all' as const },
    };
    const accounts = new AccountCaseStore(documentClient(db.client), tableNames.state);
    const withGuests = deps({ playbooks, guestHandover: guestBlockHandover(accounts) });
    await declareIncident(declared('INC-guests', 'SEV1'), invocation(), withGuests);
    expect(blocked()).toEqual(['hA', 'hB', 'hC']);
    const applied = published.find((p) => p.detailType === 'Wickr Lockdown Applied')?.detail;
    expect(applied?.guests).toEqual({ blocked: 2, unblocked: 0, handedToContainment: 0, foundUnblocked: 0 });
    expect(writes().filter((e) => e.operation === 'UpdateGuestUser')).toHaveLength(2);

    // During the incident: an admin unblocks hC; a containment case opens on hA (it finds the guest blocked).
    await fixture.client().updateGuestUser({ networkId, usernameHash: 'hC', block: false });
    const userId = 'guest:hA';
    const open = { open: true, time: '2026-11-28T03:30:00Z', source: 'guardduty' as const, eventId: 'e1' };
    await accounts.putCases({ networkId, userId, cases: { 'case-1': open } }, undefined);
    await accounts.putApplied(networkId, userId, { containedSince: open.time, suspendedByUs: false }, 1);

    published.length = 0;
    await resolveIncident(resolved('INC-guests'), invocation(), withGuests);
    // hA stays blocked for its containment, which now owns the block; hB stays the admin's; hC as the admin left it.
    expect(blocked()).toEqual(['hA', 'hB']);
    expect((await accounts.get(networkId, userId))?.applied.suspendedByUs).toBe(true);
    const lifted = published.find((p) => p.detailType === 'Wickr Lockdown Lifted')?.detail;
    expect(lifted?.guests).toEqual({ blocked: 0, unblocked: 0, handedToContainment: 1, foundUnblocked: 0 });
    expect((await incidentState.readLocks(networkId)).guests).toEqual([]);
  });

  it('ends restored when the resolution arrives while the lockdown is still being applied', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      id: `g${i}`,
      name: `team-${i}`,
      securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, lockoutThreshold: 10 },
    }));
    fixture.emulator.reset({ networks: [{ networkId, networkName: 'busy', securityGroups: many }] });
    fixture.emulator.setFaults({ latencyMs: 15 });
    const declaring = declareIncident(declared('INC-race', 'SEV1'), invocation(), deps());
    // Wait until the lockdown is being applied: its first PATCH has gone out.
    while (!fixture.emulator.journal().some((e) => e.operation === 'UpdateSecurityGroup')) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // The resolution is recorded at once; its reconcile waits for the lockdown's lease, then finds little to do.
    const resolving = resolveIncident(resolved('INC-race'), invocation(), deps());
    await Promise.all([declaring, resolving]);
    for (const group of Object.values(groups())) {
      expect(group).toEqual({ maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, lockoutThreshold: 10 });
    }
    // This network never had a popup configured: it comes back disabled.
    expect(popup()).toEqual({ enabled: false, header: '', content: '', closeButtonLabel: '' });
    // A redelivered resolution changes nothing more.
    fixture.emulator.clearJournal();
    await resolveIncident(resolved('INC-race'), invocation(), deps());
    expect(writes()).toEqual([]);
  });

  it('keeps working past 1,500 resolutions with long ids and a hostile stored pattern (no item grows with them)', async () => {
    // The DynamoDB store itself, whatever the suite runs on: this is about its items' sizes.
    const store = new IncidentStateStore(documentClient(db.client), tableNames.state);
    const ids = Array.from({ length: 1500 }, (_, i) => `${tablePrefix}${'x'.repeat(100)}-${i}`);
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(
        ids.slice(i, i + 100).map((id) =>
          store.resolve(networkId, id, {
            resolvedAt: '2099-01-01T00:00:00Z',
            channel: 'incidents',
            expiresAtMs: Date.now() + 86_400_000,
          }),
        ),
      );
    }
    // A pattern the contract now refuses, as if stored before: matched in linear time, the lockdown goes through.
    const hostile = { groups: { namePatterns: [`${'*a'.repeat(22)}*`, 'eng*'] } };
    await declareIncident(declared('INC-after-storm', 'SEV1', hostile), invocation(), deps({ store }));
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    expect(groups()['sg-finance']).toEqual(before['sg-finance']);
    await resolveIncident(resolved('INC-after-storm'), invocation(), deps({ store }));
    expect(groups()).toEqual(before);
  });

  it('resolves an incident only through the channel that declared it, unless the incident publishers override', async () => {
    // The write-back is on, and Security Hub refuses it: the lockdown is applied all the same, the failure counted.
    const counted: string[] = [];
    const shDeps = {
      ...deps({ metrics: { add: (name: string) => void counted.push(name) } }),
      securityHub: { ...policy.incident.securityHub, writeBack: true },
      origins: { products: ['guardduty'], accounts: ['123456789012'] },
      findingUpdates: { batchUpdateFindings: () => Promise.reject(new Error('AccessDeniedException')) },
    };
    const finding = (Status: 'NEW' | 'RESOLVED') => ({
      ...declared('unused', 'SEV1'),
      'detail-type': 'Security Hub Findings - Imported' as const,
      source: 'aws.securityhub',
      detail: {
        findings: [
          {
            Id: `finding-${tablePrefix}`,
            ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
            AwsAccountId: '123456789012',
            Severity: { Label: 'CRITICAL' as const },
            Workflow: { Status },
          },
        ],
      },
    });
    const declaredBySh = await handleSecurityHubFindings(finding('NEW'), invocation(), shDeps);
    const incidentId = declaredBySh.findings[0]?.incidentId as string;
    // The id is visible (outcome events, logs): a forged resolution through the incident channel does nothing…
    const forgedResolve = { ...resolved('x'), detail: { schemaVersion: '1' as const, incidentId } };
    const forged = await resolveIncident(forgedResolve, invocation(), deps());
    expect(forged.networks).toEqual([{ networkId, result: 'other-channel' }]);
    // …nor does a forged re-declaration that would take the incident over.
    const takeover = {
      ...declared('x', 'SEV4'),
      detail: { schemaVersion: '1' as const, incidentId, severity: 'SEV4' as const },
    };
    expect((await declareIncident(takeover, invocation(), deps())).networks).toEqual([
      { networkId, result: 'other-channel' },
    ]);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    // An override on the incident channel is a field anyone who may publish there writes: refused, whoever sent it.
    const claimed = { ...forgedResolve, id: randomUUID(), detail: { ...forgedResolve.detail, override: true } };
    for (const publishers of [false, true]) {
      await expect(
        resolveIncident(
          { ...claimed, time: '2026-11-28T06:00:00Z' },
          invocation(),
          deps({ incidentPublishersNamed: publishers }),
        ),
      ).rejects.toMatchObject({
        name: 'IncidentInputError',
        message: expect.stringMatching(/^detail\.override: .*entry point/),
      });
    }
    // From the operators' entry point (its source only its role may put), it is the break-glass — with publishers named.
    const override = { ...claimed, source: operatorActionsSource };
    await expect(
      resolveIncident({ ...override, time: '2026-11-28T06:00:00Z' }, invocation(), deps()),
    ).rejects.toMatchObject({ name: 'IncidentInputError', message: expect.stringMatching(/^detail\.override: /) });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    // With named publishers, the break-glass override resolves it, and says so in the outcome event.
    const overridden = await resolveIncident(
      { ...override, time: '2026-11-28T06:00:00Z' },
      { ...invocation() },
      deps({ incidentPublishersNamed: true }),
    );
    expect(overridden.networks[0]).toMatchObject({ result: 'reconciled' });
    expect(groups()).toEqual(before);
    expect(published.at(-1)).toMatchObject({ detailType: 'Wickr Lockdown Lifted', detail: { override: true } });
  });

  it('records its fact and returns at once when another reconcile holds the network; the holder takes it in', async () => {
    const store = incidentState;
    expect(await store.acquireLease(networkId, 'holder', Date.now(), 60_000)).toBeDefined();
    const { version } = await store.readDesired(networkId);
    const outcome = await declareIncident(declared('INC-held', 'SEV2'), invocation(), deps());
    expect(outcome.networks).toEqual([{ networkId, result: 'coalesced' }]);
    expect(writes()).toEqual([]);
    // The holder may not release at the version it read: the storm's fact moved it, so it goes again.
    expect(await store.releaseLease(networkId, 'holder', version)).toBe(false);
    const report = await reconcileNetwork(networkId, 'holder', 60_000, deps());
    expect(report).toMatchObject({ locked: true, activeIncidents: [expect.stringMatching(/INC-held$/)] });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240 });
    // A duplicate of the coalesced declaration does nothing more.
    fixture.emulator.clearJournal();
    await declareIncident(declared('INC-held', 'SEV2'), invocation(), deps());
    expect(writes()).toEqual([]);
  });

  it('a holder that died after coalescing a resolution: the retry of its declaration, now stale, restores', async () => {
    const before = groups();
    const holder = { requestId: `dies-${randomUUID()}`, remainingMs: () => 60_000 };
    const store = incidentState;
    const declaration = declared('INC-dies', 'SEV2');
    // The holder's reconcile locked the network down, then its environment died before it gave the lease back
    // (and before its idempotency record completed).
    await declareIncident(declaration, holder, deps({ idempotency: { once: (_key, work) => work() } }));
    expect(await store.acquireLease(networkId, holder.requestId, Date.now(), 60_000)).toBeDefined();
    // Meanwhile the resolution was recorded and coalesced: the (dead) holder was to take it in.
    expect((await resolveIncident(resolved('INC-dies'), invocation(), deps())).networks).toEqual([
      { networkId, result: 'coalesced' },
    ]);
    expect(await store.isBehind(networkId)).toBe(true);
    // Lambda retries the holder's event with the same request id; the declaration itself is stale now, but the
    // network is behind, so the retry reconciles it.
    const retried = await declareIncident(declaration, holder, deps());
    expect(retried.networks[0]).toMatchObject({ result: 'reconciled' });
    expect(groups()).toEqual(before);
    expect(await store.isBehind(networkId)).toBe(false);
  });

  it('converges exactly through a 429 storm, one successful PATCH per group', async () => {
    fixture.emulator.setFaults({ errorRates: { '429': 0.4 }, seed: 7 });
    await declareIncident(
      declared('INC-429', 'SEV2'),
      invocation(),
      deps({ wickr: fixture.client({ retry: { maxAttempts: 10, baseDelayMs: 1 } }) }),
    );
    const journal = fixture.emulator.journal();
    expect(journal.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(journal.filter((e) => e.operation === 'UpdateSecurityGroup' && e.status === 200)).toHaveLength(4);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240, alwaysReauthenticate: true });
  });

  it('declares from a CRITICAL Security Hub finding and resolves when the finding is resolved', async () => {
    const guardDuty = 'arn:aws:securityhub:us-east-1::product/aws/guardduty';
    const finding = (status: string, label = 'CRITICAL', ProductArn = guardDuty, AwsAccountId = '123456789012') => ({
      ...declared('unused', 'SEV1'),
      'detail-type': 'Security Hub Findings - Imported' as const,
      source: 'aws.securityhub',
      detail: {
        findings: [
          {
            Id: `arn:aws:guardduty:us-east-1:123456789012:detector/d/finding/${tablePrefix}`,
            ProductArn,
            AwsAccountId,
            Title: 'Root login',
            Severity: { Label: label as 'CRITICAL' },
            Workflow: { Status: status as 'NEW' },
          },
        ],
      },
    });
    // The write-back is on, and Security Hub refuses it: the lockdown is applied all the same, the failure counted.
    const counted: string[] = [];
    const shDeps = {
      ...deps({ metrics: { add: (name: string) => void counted.push(name) } }),
      securityHub: { ...policy.incident.securityHub, writeBack: true },
      origins: { products: ['guardduty'], accounts: ['123456789012'] },
      findingUpdates: { batchUpdateFindings: () => Promise.reject(new Error('AccessDeniedException')) },
    };
    const ignored = await handleSecurityHubFindings(finding('NEW', 'HIGH'), invocation(), shDeps);
    expect(ignored.findings[0]).toMatchObject({ action: 'ignored', reason: 'severity HIGH is not mapped' });
    expect(writes()).toEqual([]);

    const declaredOutcome = await handleSecurityHubFindings(finding('NEW'), invocation(), shDeps);
    const incidentId = findingIncidentId(finding('NEW').detail.findings[0] as never);
    expect(declaredOutcome.findings[0]).toMatchObject({ incidentId, action: 'declared' });
    expect(incidentId).toMatch(/^SH-[0-9a-f]{32}$/);
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    expect(popup()?.content).toContain('Root login');
    expect(counted).toContain('WriteBackFailures');

    // A custom product importing a finding with the same Id names another incident, and is not accepted anyway;
    // nor is a finding of another account.
    const custom = 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default';
    const forged = await handleSecurityHubFindings(finding('RESOLVED', 'CRITICAL', custom), invocation(), shDeps);
    expect(forged.findings[0]).toMatchObject({ action: 'ignored', reason: 'product is not an accepted AWS product' });
    expect(forged.findings[0]?.incidentId).not.toBe(incidentId);
    const foreign = await handleSecurityHubFindings(
      finding('RESOLVED', 'CRITICAL', guardDuty, '999999999999'),
      invocation(),
      shDeps,
    );
    expect(foreign.findings[0]).toMatchObject({ action: 'ignored', reason: 'account is not one of this deployment' });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });

    await handleSecurityHubFindings(finding('RESOLVED'), invocation(), shDeps);
    expect(groups()).toEqual(before);
    expect(popup()).toEqual(popupBefore);
  });

  it('locks a large network: the step records counts, not a per-group diff too big for its DynamoDB record', async () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      id: `big-${i}`,
      name: `a long security group name for team number ${i}`,
      securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, lockoutThreshold: 10 },
    }));
    fixture.emulator.reset({ networks: [{ networkId, networkName: 'large', securityGroups: many }] });
    const outcome = await declareIncident(declared('INC-large', 'SEV1'), invocation(), deps({ concurrency: 16 }));
    expect(outcome.networks[0]).toMatchObject({
      result: 'reconciled',
      summary: { groupsChecked: 600, groupsChanged: 600 },
    });
    expect((published.at(-1)?.detail.groups as unknown[] | undefined)?.length).toBe(600);
    await resolveIncident(resolved('INC-large'), invocation(), deps({ concurrency: 16 }));
    expect(Object.values(groups()).every((g) => g.maxNonSsoSessionMinutes === 1440)).toBe(true);
  });

  it('refuses a network that is not in the policy file, before any Wickr call', async () => {
    const error = await declareIncident(
      declared('INC-net', 'SEV1', { networkIds: ['99999999'] }),
      invocation(),
      deps(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IncidentInputError', field: 'detail.networkIds.0', retryable: false });
    expect(fixture.emulator.journal()).toEqual([]);
  });
});

/** The demo network and a second one of one group `sg-x`, with a fresh incident state; its id. */
async function withSecondNetwork(settings: Record<string, number>): Promise<string> {
  const second = '87654321';
  fixture.emulator.reset({
    networks: [
      ...demoSeed.networks,
      {
        networkId: second,
        networkName: 'second',
        securityGroups: [{ id: 'sg-x', name: 'x', securityGroupSettings: settings }],
      },
    ],
  });
  await forgetNetwork(second);
  return second;
}

describe('an incident over its life', () => {
  const at = (minute: number) => `2026-11-28T03:${String(minute).padStart(2, '0')}:00Z`;
  const fact = (severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4', minute: number, extra = {}) => ({
    ...declared('INC-life', severity, extra),
    time: at(minute),
  });

  it('escalates at once, ignores a stale copy, de-escalates never looser than before, and narrows its groups', async () => {
    await declareIncident(fact('SEV3', 0), invocation(), deps());
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(720);
    // Twenty minutes later the same incident is a confirmed breach.
    await declareIncident(fact('SEV1', 20, { title: 'Confirmed breach' }), invocation(), deps());
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60, lockoutThreshold: 3 });
    expect(popup()).toMatchObject({ header: 'SEV1 security incident in progress' });
    expect(popup()?.content).toContain('Confirmed breach');
    // A late copy of an older fact changes nothing.
    fixture.emulator.clearJournal();
    const stale = await declareIncident(fact('SEV4', 10), invocation(), deps());
    expect(stale.networks).toEqual([{ networkId, result: 'stale' }]);
    expect(writes()).toEqual([]);
    // De-escalation follows the new playbook, but nothing goes looser than it was before the incident.
    await declareIncident(fact('SEV2', 30), invocation(), deps());
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240, lockoutThreshold: 15 });
    expect(groups()['sg-contractors']?.maxNonSsoSessionMinutes).toBe(120);
    // Narrowed to engineering: every other group is restored.
    await declareIncident(fact('SEV2', 40, { groups: { namePatterns: ['eng*'] } }), invocation(), deps());
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(240);
    for (const id of ['sg-default', 'sg-finance', 'sg-contractors'] as const) expect(groups()[id]).toEqual(before[id]);
    await resolveIncident({ ...resolved('INC-life'), time: at(50) }, invocation(), deps());
    expect(groups()).toEqual(before);
  });

  it('restores a network its update no longer names, and locks it again when widened', async () => {
    const second = await withSecondNetwork({ maxNonSsoSessionMinutes: 1440 });
    const both = deps({ networkIds: [networkId, second] });
    const otherNetwork = () =>
      fixture.emulator.snapshot().networks.find((n) => n.networkId === second)?.securityGroups[0]
        ?.securityGroupSettings;
    await declareIncident(fact('SEV1', 0), invocation(), both);
    expect(otherNetwork()?.maxNonSsoSessionMinutes).toBe(60);
    const narrowed = await declareIncident(fact('SEV1', 5, { networkIds: [networkId] }), invocation(), both);
    expect(narrowed.networks.map((n) => [n.networkId, n.result])).toEqual([
      [networkId, 'reconciled'],
      [second, 'withdrawn'],
    ]);
    expect(otherNetwork()?.maxNonSsoSessionMinutes).toBe(1440);
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(60);
    await declareIncident(fact('SEV1', 6), invocation(), both);
    expect(otherNetwork()?.maxNonSsoSessionMinutes).toBe(60);
    await resolveIncident({ ...resolved('INC-life'), time: at(9) }, invocation(), both);
    expect(otherNetwork()?.maxNonSsoSessionMinutes).toBe(1440);
    expect(groups()).toEqual(before);
  });

  it('ends in the latest fact’s lockdown whatever order and duplication the facts arrive in', async () => {
    const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
    const session = { SEV1: 60, SEV2: 240, SEV3: 720, SEV4: 1440 } as const;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...severities), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (history, noise) => {
          tablePrefix = `p${run++}-${randomUUID().slice(0, 6)}-`;
          fixture.emulator.reset(demoSeed);
          const facts = history.map((severity, i) => fact(severity, i));
          // Any order, some facts twice.
          const deliveries = [...facts, ...noise.map((n) => facts[n % facts.length] as (typeof facts)[number])];
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = (noise[i % Math.max(1, noise.length)] ?? i) % (i + 1);
            [deliveries[i], deliveries[j]] = [
              deliveries[j] as (typeof facts)[number],
              deliveries[i] as (typeof facts)[number],
            ];
          }
          for (const event of deliveries) await declareIncident(event, invocation(), deps());
          const latest = history.at(-1) as (typeof severities)[number];
          expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(session[latest]);
          await resolveIncident({ ...resolved('INC-life'), time: at(59) }, invocation(), deps());
          expect(groups()).toEqual(before);
        },
      ),
      { numRuns: 12, seed: 20261128 },
    );
  });
});

/** One GuardDuty finding's import at 04:MM, as Security Hub puts it on the default bus. */
const findingImported = (
  Id: string,
  Label: 'CRITICAL' | 'HIGH' | 'MEDIUM',
  Status: 'NEW' | 'RESOLVED' | 'SUPPRESSED',
  minute: number,
) => ({
  ...declared('unused', 'SEV1'),
  'detail-type': 'Security Hub Findings - Imported' as const,
  source: 'aws.securityhub',
  time: `2026-11-28T04:${String(minute).padStart(2, '0')}:00Z`,
  detail: {
    findings: [
      {
        Id,
        ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
        AwsAccountId: '123456789012',
        Severity: { Label },
        Workflow: { Status },
      },
    ],
  },
});

describe('a Security Hub finding over its life', () => {
  it('follows later imports: a new mapped label updates the incident, a label no longer mapped lifts it', async () => {
    const shDeps = {
      ...deps(),
      securityHub: {
        severityMapping: { CRITICAL: 'SEV1' as const, HIGH: 'SEV3' as const },
        resolveOn: ['RESOLVED' as const, 'SUPPRESSED' as const, 'ARCHIVED' as const],
      },
      origins: { products: ['guardduty'], accounts: ['123456789012'] },
    };
    const imported = (Label: 'CRITICAL' | 'HIGH' | 'MEDIUM', minute: number) =>
      findingImported(`finding-life-${tablePrefix}`, Label, 'NEW', minute);
    await handleSecurityHubFindings(imported('HIGH', 0), invocation(), shDeps);
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(720);
    await handleSecurityHubFindings(imported('CRITICAL', 5), invocation(), shDeps);
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(60);
    const lifted = await handleSecurityHubFindings(imported('MEDIUM', 10), invocation(), shDeps);
    expect(lifted.findings[0]).toMatchObject({ action: 'withdrawn' });
    expect(groups()).toEqual(before);
    // Withdrawn, not tombstoned: the finding rated critical again locks again.
    await handleSecurityHubFindings(imported('CRITICAL', 15), invocation(), shDeps);
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(60);
    await handleSecurityHubFindings(imported('MEDIUM', 20), invocation(), shDeps);
    expect(groups()).toEqual(before);
  });

  it('resolves only on what securityHub.resolveOn names, and a finding NEW again after its resolution declares again', async () => {
    const shDeps = {
      ...deps(),
      securityHub: { severityMapping: { CRITICAL: 'SEV1' as const }, resolveOn: ['RESOLVED' as const] },
      origins: { products: ['guardduty'], accounts: ['123456789012'] },
    };
    const imported = (Status: 'NEW' | 'RESOLVED' | 'SUPPRESSED', minute: number) =>
      findingImported(`finding-reopen-${tablePrefix}`, 'CRITICAL', Status, minute);
    await handleSecurityHubFindings(imported('NEW', 0), invocation(), shDeps);
    // Suppressed through BatchUpdateFindings by anyone allowed to: not a resolution this policy accepts.
    const suppressed = await handleSecurityHubFindings(imported('SUPPRESSED', 5), invocation(), shDeps);
    expect(suppressed.findings[0]).toMatchObject({ action: 'ignored', reason: expect.stringMatching(/resolveOn/) });
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(60);
    await handleSecurityHubFindings(imported('RESOLVED', 10), invocation(), shDeps);
    expect(groups()).toEqual(before);
    // Active again later: declared again (it used to be silenced by the resolution for 30 days).
    await handleSecurityHubFindings(imported('NEW', 15), invocation(), shDeps);
    expect(groups()['sg-engineering']?.maxNonSsoSessionMinutes).toBe(60);
    await handleSecurityHubFindings(imported('RESOLVED', 20), invocation(), shDeps);
    expect(groups()).toEqual(before);
  });
});

describe('networks at any size and number', () => {
  it('hands a network over before the deadline at a safe point, and the outcome is published once, when done', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      id: `h${i}`,
      name: `team-${i}`,
      securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false },
    }));
    fixture.emulator.reset({ networks: [{ networkId, networkName: 'large', securityGroups: many }] });
    fixture.emulator.setFaults({ latencyMs: 25 });
    const queue: ReconcileUnit[] = [];
    const handing = deps({
      concurrency: 2,
      handover: { send: async (unit) => void queue.push(unit) },
      safetyMarginMs: 10_000,
    });
    // 400 ms left: half of it is budget, and this invocation stops well before the 40 PATCHes are done.
    const short = { requestId: randomUUID(), remainingMs: () => 400 };
    const first = await declareIncident(declared('INC-hand', 'SEV1'), short, handing);
    expect(first.networks).toEqual([{ networkId, result: 'handed-over' }]);
    const locked = () => Object.values(groups()).filter((g) => g.maxNonSsoSessionMinutes === 60).length;
    expect(locked()).toBeGreaterThan(0);
    expect(locked()).toBeLessThan(40);
    expect(published).toEqual([]);
    // Fresh invocations of the reconcile function take it from there, handing on again as long as they must.
    let invocations = 0;
    while (queue.length > 0 && invocations < 50) {
      const unit = queue.shift() as ReconcileUnit;
      invocations++;
      const event = { Records: [{ messageId: randomUUID(), body: JSON.stringify(unit) }] };
      expect(
        await continueReconciles(event, { requestId: randomUUID(), remainingMs: () => 400 }, handing),
      ).toMatchObject({
        batchItemFailures: [],
      });
    }
    expect(queue).toEqual([]);
    expect(locked()).toBe(40);
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Lockdown Applied']);
    expect(published[0]?.detail).toMatchObject({
      incidentId: `${tablePrefix}INC-hand`,
      severity: 'SEV1',
      locked: true,
    });
    // Every PATCH was made once: stopping at safe points lost nothing and repeated nothing.
    expect(writes().filter((e) => e.operation === 'UpdateSecurityGroup')).toHaveLength(40);
    fixture.emulator.setFaults({});
  });

  it('hands every network but the first on at once, so they run in parallel elsewhere', async () => {
    const second = await withSecondNetwork({});
    const queue: ReconcileUnit[] = [];
    const both = deps({ networkIds: [networkId, second], handover: { send: async (unit) => void queue.push(unit) } });
    const outcome = await declareIncident(declared('INC-par', 'SEV2'), invocation(), both);
    expect(outcome.networks.map((n) => [n.networkId, n.result])).toEqual([
      [networkId, 'reconciled'],
      [second, 'handed-over'],
    ]);
    expect(queue).toMatchObject([
      { networkId: second, incidentId: `${tablePrefix}INC-par`, trigger: 'Incident Declared' },
    ]);
    await continueReconciles({ Records: [{ messageId: 'm1', body: JSON.stringify(queue[0]) }] }, invocation(), both);
    const other = fixture.emulator.snapshot().networks.find((n) => n.networkId === second);
    expect(other?.securityGroups[0]?.securityGroupSettings.maxNonSsoSessionMinutes).toBe(240);
    // A message that is not a unit fails alone.
    expect(await continueReconciles({ Records: [{ messageId: 'bad', body: '{}' }] }, invocation(), both)).toMatchObject(
      {
        batchItemFailures: [{ itemIdentifier: 'bad' }],
      },
    );
    await resolveIncident(resolved('INC-par'), invocation(), deps({ networkIds: [networkId, second] }));
  });
});

describe('storms', () => {
  const store = () => incidentState;
  const reads = () => fixture.emulator.journal().filter((e) => e.operation === 'ListSecurityGroups').length;
  const at = (iso: string) => ({ declaredAt: iso });

  it('a fact that leaves the target alone costs no Wickr request, even in a fresh invocation', async () => {
    await declareIncident(declared('INC-a', 'SEV2'), invocation(), deps());
    fixture.emulator.clearJournal();
    // Same playbook, same scope, declared later (so INC-a keeps the popup): nothing to do, nothing to read.
    const later = { ...declared('INC-b', 'SEV2'), time: '2026-11-28T03:05:00Z' };
    const outcome = await declareIncident(later, invocation(), deps());
    expect(outcome.networks[0]).toMatchObject({ result: 'reconciled', summary: { groupsChanged: 0 } });
    expect(fixture.emulator.journal()).toEqual([]);
    expect(published.at(-1)?.detail).toMatchObject({ passes: 0, groupsChecked: 4 });
    expect(published.at(-1)?.detail).toMatchObject({ activeIncidents: [`${tablePrefix}INC-a`, `${tablePrefix}INC-b`] });
  });

  it('reads Wickr afresh once the reached target is old, or after a holder died holding it', async () => {
    await declareIncident(declared('INC-a', 'SEV2'), invocation(), deps());
    const later = (id: string, minutes: number) => ({
      ...declared(id, 'SEV2'),
      time: `2026-11-28T03:${String(minutes).padStart(2, '0')}:00Z`,
    });
    fixture.emulator.clearJournal();
    // Two minutes later by the clock: groups made since must be seen.
    const clock = () => Date.now() + 120_000;
    await declareIncident(later('INC-b', 5), invocation(), deps({ nowMs: clock }));
    expect(reads()).toBe(1);
    // A holder takes the lease (and with it the reached target), then dies; its lease runs out.
    expect(await store().acquireLease(networkId, 'dies', clock(), 1)).toBeDefined();
    fixture.emulator.clearJournal();
    await declareIncident(later('INC-c', 6), invocation(), deps({ nowMs: () => clock() + 10 }));
    expect(reads()).toBe(1);
  });

  it('in a storm, a loosening waits until the facts stop, then restores in one pass; a lone one does not wait', async () => {
    await declareIncident(declared('INC-1', 'SEV1'), invocation(), deps());
    await declareIncident({ ...declared('INC-2', 'SEV2'), time: '2026-11-28T03:01:00Z' }, invocation(), deps());
    // Both resolutions recorded while another reconcile ran (coalesced): two facts since the target was reached.
    const s = store();
    const resolution = { resolvedAt: '2026-11-28T05:00:00Z', channel: 'incidents' as const, expiresAtMs: 9e12 };
    await s.resolve(networkId, `${tablePrefix}INC-1`, resolution);
    await s.resolve(networkId, `${tablePrefix}INC-2`, resolution);
    fixture.emulator.clearJournal();
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      // One more resolution lands during the first wait: the quiet period starts over.
      if (sleeps.length === 1) await s.resolve(networkId, `${tablePrefix}INC-late`, resolution);
    };
    const settle = { quietMs: 700, maxDelayMs: 10_000 };
    const report = await reconcileNetwork(networkId, 'holder', 60_000, deps({ sleep, settle }));
    expect(sleeps).toEqual([700, 700]);
    expect(report).toMatchObject({ locked: false, passes: 1 });
    expect(reads()).toBe(1);
    expect(groups()).toEqual(before);

    // A lone resolution restores at once.
    await declareIncident(declared('INC-3', 'SEV2'), invocation(), deps());
    sleeps.length = 0;
    await resolveIncident(resolved('INC-3'), invocation(), deps({ sleep, settle }));
    expect(sleeps).toEqual([]);
    expect(groups()).toEqual(before);
  });

  it('in a storm, a tightening never waits', async () => {
    await declareIncident(declared('INC-1', 'SEV3'), invocation(), deps());
    const s = store();
    for (const [id, severity] of [
      ['INC-2', 'SEV1'],
      ['INC-3', 'SEV4'],
    ] as const) {
      const incident = { incidentId: `${tablePrefix}${id}`, severity, title: 'storm', ...at('2026-11-28T03:02:00Z') };
      await s.declare(networkId, incident, 'incidents', Date.now());
    }
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    const report = await reconcileNetwork(networkId, 'holder', 60_000, deps({ sleep }));
    expect(sleeps).toEqual([]);
    expect(report).toMatchObject({ locked: true, popupIncidentId: `${tablePrefix}INC-2` });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 60 });
  });
});

describe('a reconcile that dies holding the network', () => {
  it('takes in the facts that coalesced into it once its lease runs out: one watch per lease', async () => {
    const sent: { unit: ReconcileUnit; delaySeconds?: number | undefined }[] = [];
    const handover = {
      send: async (unit: ReconcileUnit, delaySeconds?: number) => void sent.push({ unit, delaySeconds }),
    };
    const store = incidentState;
    // A holder took the lease for 3 s, then died without a retry to come.
    expect(await store.acquireLease(networkId, 'dies', Date.now(), 3_000)).toBeDefined();
    const outcome = await declareIncident(declared('INC-w1', 'SEV2'), invocation(), deps({ handover }));
    expect(outcome.networks).toEqual([{ networkId, result: 'coalesced' }]);
    await declareIncident(declared('INC-w2', 'SEV3'), invocation(), deps({ handover }));
    expect(writes()).toEqual([]);
    // One look when the lease ends, however many facts coalesced.
    expect(sent).toHaveLength(1);
    expect(sent[0]?.unit).toMatchObject({ networkId, watch: true, trigger: 'Incident Declared' });
    expect(sent[0]?.delaySeconds).toBeGreaterThanOrEqual(3);
    expect(sent[0]?.delaySeconds).toBeLessThanOrEqual(5);
    // It comes through the reconcile queue after the lease ended, and brings the network up to date.
    const watch = { Records: [{ messageId: 'watch', body: JSON.stringify(sent[0]?.unit) }] };
    const later = () => Date.now() + 5_000;
    expect(await continueReconciles(watch, invocation(), deps({ nowMs: later }))).toMatchObject({
      batchItemFailures: [],
    });
    expect(groups()['sg-engineering']).toMatchObject({ maxNonSsoSessionMinutes: 240 });
    expect(await store.isBehind(networkId)).toBe(false);
    // The same look on a network already up to date does nothing: no Wickr request, no outcome event.
    fixture.emulator.clearJournal();
    published.length = 0;
    expect(await continueReconciles(watch, invocation(), deps({ nowMs: later }))).toMatchObject({
      batchItemFailures: [],
    });
    expect(fixture.emulator.journal()).toEqual([]);
    expect(published).toEqual([]);
  });
});
