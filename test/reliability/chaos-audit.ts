/**
 * The chaos run's oracle for the outcome chain: at the end, the anchor is fired (its Scheduler schedule, as every
 * hour) and the whole trail the bus took is verified against it. Every link must compute, sit in its place, leave no
 * hole — crashes and retries included: an environment's head moves only once its outcome is published — and reach
 * the anchored heads.
 */
import type { LocalStack } from '../../infra/local/local-stack.js';
import type { Anchor } from '../../lib/audit/verify-trail.js';
import { verifyTrail } from '../../lib/audit/verify-trail.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';

/** What is wrong with the run's chain, one line each (empty: nothing). */
export async function chainMismatches(stack: LocalStack): Promise<string[]> {
  const fired = await fetch(
    new URL(`/_local/schedules/${stack.service.busName}-audit-anchor/fire`, stack.eventBridgeEndpoint),
    { method: 'POST' },
  );
  if (!fired.ok) return [`the audit anchor schedule could not be fired: ${fired.status}`];
  await stack.bus.drain();
  const bucket = stack.service.buckets.find((b) => b.logicalId === 'AuditAnchorBucket')?.name ?? '';
  const s3 = new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
  const anchors: Anchor[] = [];
  for (const version of await s3.listVersions(bucket, 'anchors/')) {
    let text = '';
    for await (const chunk of s3.read({ bucket, key: version.key, versionId: version.versionId })) {
      text += Buffer.from(chunk).toString();
    }
    anchors.push(JSON.parse(text) as Anchor);
  }
  const trail = stack.bus.events
    .map((e) => e.event)
    .filter((e) => e.source === 'wickr.autopilot')
    .map((e) => ({
      id: e.id,
      time: e.time,
      detailType: e['detail-type'],
      detail: e.detail as Record<string, unknown>,
    }));
  const { problems, verified } = verifyTrail(trail, anchors, { fromStart: true });
  return [
    ...(anchors.length === 0 ? ['no anchor was written'] : []),
    ...(verified === 0 ? ['no outcome carried a chain link'] : []),
    ...problems.map((p) => `chain: ${p.kind} ${p.stream} seq ${p.seq}: ${p.why}`),
  ];
}
