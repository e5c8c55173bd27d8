/**
 * The Scheduler schedules this project's plugin derives from the policy file at packaging (infra/rotation-scheduler.ts),
 * as the local stack runs them: rotation's windows, the containment sweep, the posture check, the access review.
 */
import { reviewSchedule } from '../../lib/access-review/review-schedule.js';
import type { PolicyFile } from '../../lib/policy-file/policy-file.js';
import { rotationSchedules } from '../../lib/rotation/rotation-schedules.js';
import {
  anchorExpression,
  anchorScheduleName,
  postureExpression,
  postureScheduleName,
  reviewScheduleName,
  scheduleName,
  sweepExpression,
  sweepScheduleName,
} from '../rotation-scheduler.js';
import type { LocalSchedule } from './local-service.js';

/** The schedules a deploy of this policy creates. */
export function policySchedules(policy: PolicyFile, service: string, stage: string): LocalSchedule[] {
  const schedules: LocalSchedule[] = rotationSchedules(policy.rotation).map((schedule) => ({
    name: scheduleName(service, stage, schedule),
    functionName: 'policyRotation',
    expression: schedule.expression,
    kind: 'scheduler',
    timeZone: schedule.timeZone,
  }));
  // The containment sweep, the posture check and the audit anchor: fixed rates, in UTC.
  for (const [name, functionName, expression] of [
    [sweepScheduleName(service, stage), 'accountContainment', sweepExpression],
    [postureScheduleName(service, stage), 'postureCheck', postureExpression],
    [anchorScheduleName(service, stage), 'auditAnchor', anchorExpression],
  ] as const) {
    schedules.push({ name, functionName, expression, kind: 'scheduler', timeZone: 'UTC' });
  }
  const review = reviewSchedule(policy.accessReview);
  if (review) {
    schedules.push({
      name: reviewScheduleName(service, stage),
      functionName: 'accessReview',
      expression: review.expression,
      kind: 'scheduler',
      timeZone: review.timeZone,
    });
  }
  return schedules;
}
