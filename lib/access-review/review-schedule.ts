import type { AccessReviewSection } from '../policy-file/access-review-section.js';

/** The access review's EventBridge Scheduler schedule, from the policy; none without `accessReview.schedule`. */
export function reviewSchedule(section: Pick<AccessReviewSection, 'schedule' | 'timeZone'>) {
  if (!section.schedule) return undefined;
  return { expression: `cron(${section.schedule.trim().split(/\s+/).join(' ')})`, timeZone: section.timeZone };
}
