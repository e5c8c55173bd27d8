/**
 * Roster snapshots through the HR queue's consumer, against a real local DynamoDB, the Wickr emulator and the S3
 * stand-in over HTTP: a file uploaded, S3's `Object Created` event taken, its chunks taken in one batch.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalS3, type ObjectCreated } from '../../../infra/local/s3/local-s3.js';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { type HrQueueDeps, handleHrQueue } from '../../../lib/hr/handle-hr-queue.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import type { QueueEvent } from '../../../lib/queue-batch.js';
import { originIssues } from '../../../lib/runtime/middlewares.js';
import { S3Objects } from '../../../lib/runtime/s3-objects.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { queryPages } from '../../../lib/store/query-pages.js';
import { SafeguardWindowStore } from '../../../lib/store/safeguard-window-store.js';
import { decideAsOperator } from '../../support/decide-hold.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const bucket = 'wickr-autopilot-test-rosters';
const account = '123456789012';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const notifications: ObjectCreated[] = [];
const s3 = new LocalS3([{ name: bucket, eventBridge: true }], (o) => notifications.push(o));
await s3.listen();
afterAll(() => s3.close());

const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const chunks: unknown[] = [];
let run = '';

const deps = (): HrQueueDeps => ({
  wickr: fixture.client(),
  mappings: new HrMappingStore(doc, tableNames.state),
  records: new EmployeeRecordStore(doc, tableNames.state, 400 * 86_400),
  hr: { ...policy.hr, allowedDepartments: undefined, createGroups: 'any', maxCreatedGroupsPerNetwork: 1000 },
  safeguards: {
    rules: { ...policy.safeguards, hr: { maxDeprovisionsPerHour: 100_000, maxDeprovisionPercent: 100 } },
    windows: new SafeguardWindowStore(doc, tableNames.state, 'HR#'),
    holds: new HoldStore(doc, tableNames.state),
  },
  networkIds: [networkId],
  holder: randomUUID(),
  clock: { now: Date.now, sleep: async () => undefined, remainingMs: () => 120_000, pollMs: 10 },
  followUp: { send: async (body) => void chunks.push(body) },
  publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
  logger: { info: () => undefined, warn: () => undefined },
  originIssues: (event) => originIssues(event, { sources: ['hr.system'], maxFutureSkewMs: 300_000 }, account),
  refuse: async () => true,
  roster: {
    bucket,
    objects: new S3Objects('us-east-1', s3.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
    account,
    region: 'us-east-1',
    source: 'hr.system',
  },
});

const deliver = (bodies: readonly unknown[]) =>
  handleHrQueue(
    {
      Records: bodies.map((body) => ({ messageId: randomUUID(), body: JSON.stringify(body) })),
    } as QueueEvent,
    deps(),
  );

/** S3's event for a new object, as S3 sends it to EventBridge and the roster rule to the HR queue. */
const objectCreated = (o: ObjectCreated, extra: { bucket?: string; account?: string } = {}) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: extra.account ?? account,
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${o.bucket}`],
  detail: {
    version: '0',
    bucket: { name: extra.bucket ?? o.bucket },
    object: { key: o.key, size: o.size, etag: o.etag, 'version-id': o.versionId, sequencer: o.sequencer },
    'request-id': 'R1',
    requester: account,
    'source-ip-address': '127.0.0.1',
    reason: 'PutObject',
  },
});

/** Uploads a roster, takes S3's event, then every chunk it sent in one batch; answers the snapshot's outcome. */
async function upload(name: string, text: string) {
  // A snapshot is as of S3's Last-Modified, whole seconds: each upload in its own second, so each is the later one.
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
  s3.put(bucket, `roster/${name}`, Buffer.from(text));
  const created = notifications.at(-1) as ObjectCreated;
  await deliver([objectCreated(created)]);
  const sent = chunks.splice(0);
  if (sent.length > 0) await deliver(sent);
  return published
    .filter((p) => p.detailType === 'Wickr Roster Accepted' || p.detailType === 'Wickr Roster Refused')
    .at(-1);
}

const header = 'employeeId,username,firstName,lastName,department,status';
const row = (i: number, department: string, status = 'active') =>
  `${run}E${i},${run}e${i}@acme.example,First${i},Last ${i},${run}${department},${status}`;
const csv = (rows: readonly string[]) => `${[header, ...rows].join('\n')}\n`;
const departments = ['Sales', 'Legal', 'Support', 'Research'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const users = () => fixture.emulator.snapshot().networks[0]?.users ?? [];
const userOf = (i: number) => users().find((u) => u.username === `${run}e${i}@acme.example`);
const calls = () => fixture.emulator.journal().filter((e) => e.status === 200);
const count = (operation: string) => calls().filter((e) => e.operation === operation).length;

beforeEach(async () => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  chunks.length = 0;
  run = randomUUID().slice(0, 6);
  // A roster speaks for the whole network: earlier tests' people would be missing from this one's.
  for await (const page of queryPages(doc, {
    TableName: tableNames.state,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `HR#NETWORK#${networkId}` },
  })) {
    for (const { pk, sk } of page.Items ?? [])
      await doc.send(new DeleteCommand({ TableName: tableNames.state, Key: { pk, sk } }));
  }
});

describe('a roster snapshot', () => {
  it('provisions 1,000 people with the batched minimum, moves and suspends as the next one says, and an identical one costs nothing', async () => {
    const people = range(1000).map((i) => row(i, departments[i % 4] as string));
    const accepted = await upload('day-1.csv', csv(people));
    expect(accepted).toMatchObject({
      detailType: 'Wickr Roster Accepted',
      detail: { networkId, rows: 1000, invalid: 0, chunks: 4, missing: 0 },
    });
    expect(range(1000).filter((i) => userOf(i) && !userOf(i)?.suspended)).toHaveLength(1000);
    // Each chunk says when its rows took effect, and what they did, by action.
    const applied = published.filter(
      (p) => p.detailType === 'Wickr Roster Chunk Applied' && p.detail.key === 'roster/day-1.csv',
    );
    expect(new Set(applied.map((p) => p.detail.start)).size).toBe(4);
    expect(applied.reduce((n, p) => n + Number(p.detail.recorded), 0)).toBe(1000);
    expect(applied.reduce((n, p) => n + Number((p.detail.actions as { created?: number }).created ?? 0), 0)).toBe(1000);
    // ceil(1000/50) creates + 2 × 4 new groups (create, then list to find it) + 1 list page.
    const minimum = 20 + 2 * 4 + 1;
    expect(calls().length).toBeLessThanOrEqual(1.5 * minimum);
    expect(count('BatchCreateUser')).toBe(20);

    // The next day: 50 moved to Legal, 30 left.
    fixture.emulator.clearJournal();
    const day2 = range(1000).map((i) =>
      i < 50
        ? row(i, 'Legal', 'active')
        : i >= 970
          ? row(i, departments[i % 4] as string, 'left')
          : (people[i] as string),
    );
    await upload('day-2.csv', csv(day2));
    const legal = fixture.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.name === `${run}legal`);
    expect(range(50).filter((i) => i % 4 !== 1 && userOf(i)?.securityGroupIds.includes(legal?.id ?? ''))).toHaveLength(
      range(50).filter((i) => i % 4 !== 1).length,
    );
    expect(range(30).filter((i) => userOf(970 + i)?.suspended)).toHaveLength(30);
    // Movers one UpdateUser each (those already in Legal need none), leavers in one batch, one list page.
    const movers = range(50).filter((i) => i % 4 !== 1).length;
    expect(calls().length).toBeLessThanOrEqual(1.5 * (movers + 1 + 1));

    fixture.emulator.clearJournal();
    const again = await upload('day-2-again.csv', csv(day2));
    expect(again?.detail).toMatchObject({ rows: 1000, invalid: 0, missing: 0 });
    expect(calls()).toEqual([]);
    // A hang guard, not a timing check: on dynalite 37–51 s; on Amazon's DynamoDB Local (Java), beside three other
    // suites, 108 s in one CI rehearsal and past the old 120 s guard in the next.
  }, 300_000);

  it('holds the provisioned people a snapshot misses: nobody is suspended until a person approves', async () => {
    await upload('full.csv', csv(range(40).map((i) => row(i, 'Sales'))));
    expect(range(40).filter((i) => userOf(i))).toHaveLength(40);
    fixture.emulator.clearJournal();
    const partial = await upload('partial.csv', csv(range(30).map((i) => row(i, 'Sales'))));
    expect(partial?.detail).toMatchObject({ rows: 30, missing: 10, holdId: expect.stringMatching(/-roster-/) });
    expect(count('BatchToggleUserSuspendStatus')).toBe(0);
    expect(range(40).filter((i) => userOf(i)?.suspended)).toEqual([]);
    const missing = published.find((p) => p.detailType === 'Wickr Roster Missing');
    expect(missing?.detail).toMatchObject({ missing: 10 });
    expect([...((missing?.detail.employeeIds ?? []) as string[])].sort()).toEqual(
      range(10)
        .map((i) => `${run}E${30 + i}`)
        .sort(),
    );
    expect(JSON.stringify(published)).not.toMatch(/acme\.example|First|Last/);

    // One of them is back in the next export before anyone decides: approval leaves that one alone.
    const holdId = String(partial?.detail.holdId);
    await upload('partial-plus-one.csv', csv([...range(30), 39].map((i) => row(i, 'Sales'))));
    await decideAsOperator(new HoldStore(doc, tableNames.state), holdId, 'approve');
    await deliver([{ kind: 'hold-decision', holdId }]);
    expect(range(10).filter((i) => userOf(30 + i)?.suspended)).toHaveLength(9);
    expect(userOf(39)?.suspended).toBe(false);
  }, 60_000);

  it('reports bad rows by line and field, skips them, and applies the rest', async () => {
    const rows = [
      ...range(18).map((i) => row(i, 'Sales')),
      `${run}E18,not-an-email,A,B,${run}Sales,active`,
      `${run}E19,${run}e19@acme.example,A,B,${run}Sales,retired`,
    ];
    const accepted = await upload('bad-rows.csv', csv(rows));
    expect(accepted?.detail).toMatchObject({ rows: 20, invalid: 2 });
    expect(accepted?.detail.issues).toEqual([
      { line: 20, field: 'username', reason: 'must be an e-mail address' },
      { line: 21, field: 'status', reason: 'must be active or left' },
    ]);
    expect(range(18).filter((i) => userOf(i))).toHaveLength(18);
    expect(userOf(19)).toBeUndefined();
    expect(JSON.stringify(accepted)).not.toContain('not-an-email');
  });

  it('refuses what is not a roster, and changes nothing: a wrong header, no rows, too many bad rows, another format', async () => {
    const cases: [string, string, RegExp][] = [
      ['header.csv', 'id,email\n1,a@b.c\n', /the header has unknown column "id"/],
      ['empty.csv', `${header}\n`, /it has no rows/],
      [
        'bad.csv',
        csv([row(1, 'Sales'), `${run}E2,x,A,B,${run}Sales,active`, `${run}E3,y,A,B,${run}Sales,active`]),
        /2 of 3 rows are invalid/,
      ],
      ['notes.txt', 'hello', /must end in \.csv, \.jsonl or \.ndjson/],
    ];
    for (const [name, text, reason] of cases) {
      const refused = await upload(name, text);
      expect(refused?.detailType, name).toBe('Wickr Roster Refused');
      expect(String(refused?.detail.reason), name).toMatch(reason);
    }
    expect(chunks).toEqual([]);
    expect(calls()).toEqual([]);
  });

  it('reads JSON Lines, and quoted CSV fields with commas, quotes and line breaks', async () => {
    const jsonl = range(3)
      .map((i) =>
        JSON.stringify({
          employeeId: `${run}E${i}`,
          username: `${run}e${i}@acme.example`,
          department: `${run}Sales`,
          status: 'active',
        }),
      )
      .join('\n');
    expect((await upload('people.jsonl', jsonl))?.detail).toMatchObject({ rows: 3, invalid: 0 });
    const quoted = csv([
      `${run}E3,${run}e3@acme.example,"Anne, ""Annie""",O'Neil,${run}Sales,active`,
      // A line break inside quotes belongs to the field (refused there: names carry no control characters).
      `${run}E4,${run}e4@acme.example,Bo,"Line\r\nBreak",${run}Sales,active`,
      ...range(5).map((i) => row(5 + i, 'Sales')),
    ]);
    const accepted = await upload('quoted.csv', quoted);
    expect(accepted?.detail).toMatchObject({ rows: 7, invalid: 1 });
    expect(accepted?.detail.issues).toEqual([
      { line: 3, field: 'lastName', reason: 'must not contain control characters' },
    ]);
    expect([0, 1, 2, 3, 5, 6, 7, 8, 9].filter((i) => userOf(i))).toHaveLength(9);
    expect(userOf(4)).toBeUndefined();
  });

  it('takes a snapshot as of when S3 stored it: an old version’s event replayed later changes nothing', async () => {
    await upload('day-1.csv', csv([row(1, 'Sales')]));
    const first = notifications.at(-1) as ObjectCreated;
    await upload('day-1.csv', csv([row(1, 'Sales', 'left')]));
    expect(userOf(1)?.suspended).toBe(true);
    fixture.emulator.clearJournal();
    // The first version's event again, dated now: its rows are still as of the first upload, older than the leaver.
    await deliver([objectCreated(first)]);
    await deliver(chunks.splice(0));
    expect(userOf(1)?.suspended).toBe(true);
    expect(calls()).toEqual([]);
  });

  it('refuses S3 events of another bucket or account, naming the field', async () => {
    s3.put(bucket, 'roster/x.csv', Buffer.from(csv([row(1, 'Sales')])));
    const created = notifications.at(-1) as ObjectCreated;
    const answer = await deliver([
      objectCreated(created, { bucket: 'someone-elses' }),
      objectCreated(created, { account: '999999999999' }),
    ]);
    expect(answer.refused.map((r) => r.reason)).toEqual([
      'detail.bucket.name: is not the roster bucket',
      'account: must be this deployment’s account',
    ]);
    expect(calls()).toEqual([]);
  });
});
