/**
 * Evidence an auditor can verify, on the local stack as deployed: incidents declared and resolved chain their
 * outcomes; the hourly anchor (its Scheduler schedule fired) writes every head to the Object Lock bucket, where
 * neither the anchor nor anyone else can delete it; `ops audit verify` passes the untouched trail and names a deleted,
 * an altered and a moved entry in an exported copy of it — as the CLI prints it, with its exit code.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointsOf, startLocalStack } from '../../infra/local/local-stack.js';
import { auditTrail } from '../../infra/ops/audit.js';
import { verifyAudit } from '../../infra/ops/audit-verify.js';
import { targetOf } from '../../infra/ops/ops-target.js';
import { fireSchedule } from '../support/fire-schedule.js';
import { incidentPublisher } from '../support/incident-publisher.js';
import { dynamoKind } from '../support/local-dynamodb.js';
import { shadowCheckout } from '../support/shadow-checkout.js';

const stack = await startLocalStack({ dynamodb: dynamoKind, retryDelaysMs: [50, 100] });
afterAll(() => stack.close());
const put = incidentPublisher(stack);
const target = targetOf(endpointsOf(stack), { service: stack.service });
const anchorBucket = stack.service.buckets.find((b) => b.logicalId === 'AuditAnchorBucket')?.name as string;
const fireAnchor = () => fireSchedule(stack, 'audit-anchor');
// A checkout of its own, whose endpoints file names this stack (as `npm start -- --serve` writes it).
const { dir } = shadowCheckout('audit-verify-', ['trail.json']);
mkdirSync(join(dir, '.wickr-autopilot'));
writeFileSync(join(dir, '.wickr-autopilot/local.json'), JSON.stringify(endpointsOf(stack)));
/**
 * `ops audit verify --trail FILE --local`, as an auditor runs it on their copy of the trail (not blocking this
 * process: the stack it asks is served from here).
 */
function verifyCli(entries: readonly unknown[]): Promise<{ status: number | null; out: string }> {
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ entries }));
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', 'npm run --silent ops -- audit verify --trail trail.json --local'],
      { cwd: dir, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('the outcome chain and its anchors', () => {
  it('chains every outcome, anchors the heads once an hour, and verifies the untouched trail', async () => {
    await put('Incident Declared', { incidentId: 'INC-A1', severity: 'SEV2', title: 'one' });
    // More than the publishing window apart: a move between them is a move.
    await new Promise((r) => setTimeout(r, 1_200));
    await put('Incident Declared', { incidentId: 'INC-A2', severity: 'SEV1', title: 'two' });
    await put('Incident Resolved', { incidentId: 'INC-A1' });
    await put('Incident Resolved', { incidentId: 'INC-A2' });
    const trail = await auditTrail(target, { sinceMs: 3_600_000 });
    expect(trail.length).toBeGreaterThanOrEqual(4);
    expect(trail.every((e) => typeof (e.detail.chain as { value?: unknown })?.value === 'string')).toBe(true);
    await fireAnchor();
    // A second tick in the same hour writes nothing (the key is written once).
    await fireAnchor();
    const anchored = stack.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Audit Anchored');
    expect(anchored).toHaveLength(1);
    const verified = await verifyAudit(target, 'local', {});
    expect(verified).toMatchObject({ problems: [], anchors: 1, rewrittenAnchors: [] });
    expect(verified.verified).toBe(trail.length + 1); // and the anchor's own outcome
    // Nobody deletes an anchor in retention (the version); a delete marker leaves it readable to verify.
    const key = String((anchored[0]?.event.detail as { key?: string } | undefined)?.key);
    const list = await fetch(`${stack.s3Endpoint}/${anchorBucket}?versions&prefix=anchors/`);
    const versionId = /<VersionId>([^<]+)<\/VersionId>/.exec(await list.text())?.[1];
    const denied = await fetch(`${stack.s3Endpoint}/${anchorBucket}/${key}?versionId=${versionId}`, {
      method: 'DELETE',
    });
    expect(denied.status).toBe(403);
    await fetch(`${stack.s3Endpoint}/${anchorBucket}/${key}`, { method: 'DELETE' });
    expect((await verifyAudit(target, 'local', {})).problems).toEqual([]);
  });

  it('names a deleted, an altered and a moved entry in an exported trail (exit 1), and passes it untouched (exit 0)', async () => {
    const trail = await auditTrail(target, { sinceMs: 3_600_000 });
    const untouched = await verifyCli(trail);
    expect(untouched.status, untouched.out).toBe(0);
    expect(untouched.out).toMatch(/^verified \d+ outcomes in \d+ stream\(s\)/m);

    // The first lockdown applied (the first link of its environment's stream): the log then starts at seq 2.
    const applied = trail.findIndex((e) => e.detailType === 'Wickr Lockdown Applied');
    const deleted = await verifyCli(trail.filter((_, i) => i !== applied));
    expect(deleted.status).toBe(1);
    expect(deleted.out).toContain(`NOT VERIFIED — first: missing`);

    const lifted = trail.findIndex((e) => e.detailType === 'Wickr Lockdown Lifted');
    const altered = trail.map((e, i) => (i === lifted ? { ...e, detail: { ...e.detail, groups: [] } } : e));
    const alteredRun = await verifyCli(altered);
    expect(alteredRun.status).toBe(1);
    expect(alteredRun.out).toContain(`first: altered`);
    expect(alteredRun.out).toContain(`(event ${trail[lifted]?.id})`);

    // The first declaration's outcome moved to the end, past entries of its stream that came after it.
    const firstApplied = trail.findIndex((e) => e.detailType === 'Wickr Lockdown Applied');
    const moved = [...trail.filter((_, i) => i !== firstApplied), trail[firstApplied]];
    const movedRun = await verifyCli(moved);
    expect(movedRun.status).toBe(1);
    expect(movedRun.out).toContain(`first: reordered`);
    expect(movedRun.out).toContain(`(event ${trail[firstApplied]?.id})`);
  });
});
