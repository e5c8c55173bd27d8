/**
 * What changed in a network's posture since its baseline, purely: each item with its value then and now (digests for
 * the SSO fields). Data retention switched off or its bot no longer active loses evidence; a changed SSO issuer or
 * client is a network-wide takeover; a changed key, the data's custody; counts past `maxGrowthPercent`, a foothold.
 */
import type { PostureReading } from './posture-reading.js';
import { ssoFields } from './posture-reading.js';

/** One item of drift. */
export interface PostureDrift {
  readonly item: string;
  readonly before: unknown;
  readonly after: unknown;
}

const retentionFields = [
  'setting',
  'botExists',
  'isBotActive',
  'isDataRetentionServiceEnabled',
  'isPubkeyMsgAcked',
] as const;

/** Whether `after` grew past `before` by more than the allowed percentage (at least one more). */
const grewPast = (before: number, after: number, percent: number) =>
  after - before > Math.max(1, Math.floor((before * percent) / 100));

/** The drift of `now` from `baseline`, item by item, in a fixed order. */
export function postureDrift(
  baseline: PostureReading,
  now: PostureReading,
  options: { readonly maxGrowthPercent: number },
): PostureDrift[] {
  const drift: PostureDrift[] = [];
  for (const field of retentionFields) {
    const before = baseline.dataRetention[field];
    const after = now.dataRetention[field];
    if (before !== after) drift.push({ item: `dataRetention.${field}`, before, after });
  }
  for (const field of ssoFields) {
    const before = baseline.sso[field] ?? null;
    const after = now.sso[field] ?? null;
    if (before !== after) drift.push({ item: `sso.${field}`, before, after });
  }
  if (baseline.encryptionKeyArn !== now.encryptionKeyArn) {
    drift.push({ item: 'encryptionKeyArn', before: baseline.encryptionKeyArn, after: now.encryptionKeyArn });
  }
  for (const count of ['users', 'bots'] as const) {
    if (grewPast(baseline[count], now[count], options.maxGrowthPercent)) {
      drift.push({ item: count, before: baseline[count], after: now[count] });
    }
  }
  return drift;
}
