/**
 * A guest contained against a real local DynamoDB and the Wickr emulator over HTTP: the demo network's guests —
 * lee (seen, not blocked) and a vendor an admin blocked.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { type AccountFact, takeAccountFact } from '../../../lib/containment/contain-account.js';
import type { ContainmentDeps } from '../../../lib/containment/ports.js';
import { sweepContainments } from '../../../lib/containment/sweep-containments.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { guestBlockToLockdown } from '../../../lib/store/guest-block-handover.js';
import { containmentDeps } from '../../support/containment-deps.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';
import { MemoryIncidentState } from '../../support/memory-incident-state.js';

const networkId = '12345678';
const policy = loadPolicyFile('infra/policy.yml');
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const published: { detailType: string; detail: Record<string, unknown> }[] = [];

const deps = (overrides: Partial<ContainmentDeps> = {}) =>
  containmentDeps({ client: () => fixture.client(), doc, networkId, published }, overrides);

let minute = 0;
const fact = (caseId: string, subject: string, compromised = true): AccountFact => ({
  caseId,
  subject,
  compromised,
  time: new Date(Date.UTC(2026, 11, 7, 3, ++minute)).toISOString(),
  source: 'on-call',
  eventId: randomUUID(),
});
const guest = (hash: string) => fixture.emulator.snapshot().networks[0]?.guests.find((g) => g.usernameHash === hash);
const writes = () => fixture.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  for (const hash of ['g7f3a9c1', 'g91c2b07']) {
    await doc.send(
      new DeleteCommand({
        TableName: tableNames.state,
        Key: { pk: `ACCOUNT#NETWORK#${networkId}`, sk: `USER#guest:${hash}` },
      }),
    );
  }
  fixture.emulator.clearJournal();
});

describe('a guest as a containment subject', () => {
  it('blocks a guest the network has seen, once; releases exactly; the sweep blocks again one an admin unblocked', async () => {
    expect(await takeAccountFact(deps(), fact('IR-G1', 'guest:g7f3a9c1'))).toMatchObject({ result: 'contained' });
    expect(guest('g7f3a9c1')?.blocked).toBe(true);
    expect(published.at(-1)).toMatchObject({
      detailType: 'Wickr Account Contained',
      detail: { guest: 'g7f3a9c1', caseIds: ['IR-G1'], steps: ['blocked'] },
    });
    // The same fact again: nothing written.
    fixture.emulator.clearJournal();
    expect((await takeAccountFact(deps(), fact('IR-G1', 'guest:g7f3a9c1'))).result).toBe('unchanged');
    expect(writes()).toEqual([]);
    // An admin unblocks the guest by hand: the sweep blocks again, and says so.
    await fixture.client().updateGuestUser({ networkId, usernameHash: 'g7f3a9c1', block: false });
    const swept = await sweepContainments(deps(), '2026-12-07T04:00:00Z');
    expect(swept.restored).toEqual([{ networkId, userId: 'guest:g7f3a9c1', drift: ['unblocked'] }]);
    expect(guest('g7f3a9c1')?.blocked).toBe(true);
    // Cleared: unblocked, since this containment blocked.
    expect((await takeAccountFact(deps(), fact('IR-G1', 'guest:g7f3a9c1', false))).result).toBe('released');
    expect(guest('g7f3a9c1')?.blocked).toBe(false);
  });

  it('leaves blocked at release a guest an admin had blocked before', async () => {
    expect((await takeAccountFact(deps(), fact('IR-G2', 'guest:g91c2b07'))).result).toBe('contained');
    expect(published.at(-1)?.detail).toMatchObject({ steps: ['already-blocked'] });
    expect((await takeAccountFact(deps(), fact('IR-G2', 'guest:g91c2b07', false))).result).toBe('released');
    expect(guest('g91c2b07')?.blocked).toBe(true);
  });

  it('hands the block to a lockdown that blocks every guest, whose lift then unblocks the guest', async () => {
    const state = new MemoryIncidentState();
    const playbooks = {
      ...policy.incident.playbooks,
      SEV1: { ...policy.incident.playbooks.SEV1, guests: 'block-all' as const },
    };
    const toLockdown = guestBlockToLockdown(state, playbooks);
    expect((await takeAccountFact(deps({ guestToLockdown: toLockdown }), fact('IR-G4', 'guest:g7f3a9c1'))).result).toBe(
      'contained',
    );
    // No incident: the release unblocks as before.
    expect(await toLockdown(networkId, 'g7f3a9c1')).toBe(false);
    // A SEV1 whose playbook blocks every guest is active on the network: the release leaves the guest blocked and
    // records them as the lockdown's.
    const incident = { incidentId: 'INC-1', severity: 'SEV1' as const, declaredAt: '2026-12-07T03:00:00Z' };
    await state.declare(networkId, incident, 'incidents', Date.now());
    const released = await takeAccountFact(
      deps({ guestToLockdown: toLockdown }),
      fact('IR-G4', 'guest:g7f3a9c1', false),
    );
    expect(released.result).toBe('released');
    expect(guest('g7f3a9c1')?.blocked).toBe(true);
    expect(published.at(-1)?.detail).toMatchObject({ unsuspended: false, note: expect.stringMatching(/lockdown/) });
    expect((await state.readLocks(networkId)).guests).toEqual(['g7f3a9c1']);
  });

  it('names no guest it has not seen, and writes nothing: unresolved, with the reason', async () => {
    for (const subject of ['guest:gnobody1', 'guest:not a hash']) {
      expect(await takeAccountFact(deps(), fact('IR-G3', subject))).toMatchObject({ result: 'unresolved' });
    }
    expect(writes()).toEqual([]);
    expect(published.map((p) => p.detail.reason)).toEqual([
      'no managed network has seen that guest in the last 90 days',
      'the guest is named by its username hash',
    ]);
  });
});
