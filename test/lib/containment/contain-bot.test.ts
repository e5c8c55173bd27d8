/**
 * A bot contained against a real local DynamoDB and the Wickr emulator over HTTP: the demo network's bots —
 * alerts-bot (in engineering) and old-import-bot (in finance).
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { type AccountFact, takeAccountFact } from '../../../lib/containment/contain-account.js';
import type { ContainmentDeps } from '../../../lib/containment/ports.js';
import { sweepContainments } from '../../../lib/containment/sweep-containments.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { containmentDeps } from '../../support/containment-deps.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const networkId = '12345678';
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
  time: new Date(Date.UTC(2026, 11, 7, 4, ++minute)).toISOString(),
  source: 'on-call',
  eventId: randomUUID(),
});
const bot = (botId: string) => fixture.emulator.snapshot().networks[0]?.bots.find((b) => b.botId === botId);
const writes = () => fixture.emulator.journal().filter((e) => e.method !== 'GET' && e.status === 200);

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  for (const botId of ['7001', '7002']) {
    await doc.send(
      new DeleteCommand({
        TableName: tableNames.state,
        Key: { pk: `ACCOUNT#NETWORK#${networkId}`, sk: `USER#bot:${botId}` },
      }),
    );
  }
  await doc.send(
    new DeleteCommand({ TableName: tableNames.state, Key: { pk: `ACCOUNT#QUARANTINE#${networkId}`, sk: 'GROUP' } }),
  );
  fixture.emulator.clearJournal();
});

describe('a bot as a containment subject', () => {
  it('suspends a bot by its username, once; releases exactly; the sweep suspends again one an admin unsuspended', async () => {
    expect(await takeAccountFact(deps(), fact('IR-B1', 'bot:alerts-bot'))).toMatchObject({ result: 'contained' });
    expect(bot('7001')).toMatchObject({ suspended: true, groupId: 'sg-engineering' });
    expect(published.at(-1)).toMatchObject({
      detailType: 'Wickr Account Contained',
      detail: { bot: '7001', caseIds: ['IR-B1'], steps: ['suspended'] },
    });
    fixture.emulator.clearJournal();
    expect((await takeAccountFact(deps(), fact('IR-B1', 'bot:alerts-bot'))).result).toBe('unchanged');
    expect(writes()).toEqual([]);
    await fixture.client().updateBot({ networkId, botId: '7001', suspend: false });
    const swept = await sweepContainments(deps(), '2026-12-07T05:00:00Z');
    expect(swept.restored).toEqual([{ networkId, userId: 'bot:7001', drift: ['unsuspended'] }]);
    expect(bot('7001')?.suspended).toBe(true);
    expect((await takeAccountFact(deps(), fact('IR-B1', 'bot:alerts-bot', false))).result).toBe('released');
    expect(bot('7001')?.suspended).toBe(false);
  });

  it('quarantines where the policy says, and returns the bot to its group at release', async () => {
    const quarantine: ContainmentDeps['quarantine'] = {
      groupName: 'quarantine',
      sources: ['on-call'],
      settings: { lockoutThreshold: 1 },
    };
    expect((await takeAccountFact(deps({ quarantine }), fact('IR-B2', 'bot:old-import-bot'))).result).toBe('contained');
    const group = fixture.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.name === 'quarantine');
    expect(bot('7002')).toMatchObject({ suspended: true, groupId: group?.id });
    expect((await takeAccountFact(deps({ quarantine }), fact('IR-B2', 'bot:old-import-bot', false))).result).toBe(
      'released',
    );
    expect(bot('7002')).toMatchObject({ suspended: false, groupId: 'sg-finance' });
  });

  it('names no bot it cannot find, and writes nothing', async () => {
    expect(await takeAccountFact(deps(), fact('IR-B3', 'bot:nobody-bot'))).toMatchObject({
      result: 'unresolved',
      reason: 'no managed network has a bot of that username',
    });
    expect(writes()).toEqual([]);
  });
});
