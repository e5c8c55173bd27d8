/**
 * What a schedule delivers when it fires: a Scheduler schedule its input with the context attributes filled in
 * (`<aws.scheduler.scheduled-time>` …), a schedule rule the `Scheduled Event` envelope (or the rule's input).
 */
import { randomUUID } from 'node:crypto';
import { accountPlaceholder, regionPlaceholder, schedulerInput } from '../../rotation-scheduler.js';
import { type DeliveredEvent, envelope, isoSeconds } from '../events/bus-event.js';
import type { LocalSchedule } from '../serverless-config.js';

/** The event recorded for a firing at `time`, what the function receives, and the bus it is recorded on. */
export function scheduledEvent(
  schedule: LocalSchedule,
  time: Date,
  account: string,
  region: string,
): { event: DeliveredEvent; delivered: DeliveredEvent; busName: string } {
  if (schedule.kind === 'scheduler') {
    const input = JSON.parse(
      schedulerInput
        .replace(accountPlaceholder, account)
        .replace(regionPlaceholder, region)
        .replace('<aws.scheduler.execution-id>', randomUUID())
        .replace('<aws.scheduler.scheduled-time>', isoSeconds(time))
        .replace(
          '<aws.scheduler.schedule-arn>',
          `arn:aws:scheduler:${region}:${account}:schedule/default/${schedule.name}`,
        ),
    ) as DeliveredEvent;
    return { event: input, delivered: input, busName: 'scheduler' };
  }
  const resources = [`arn:aws:events:${region}:${account}:rule/${schedule.name}`];
  const event = envelope(
    { source: 'aws.events', detailType: 'Scheduled Event', detail: {}, resources, time },
    account,
    region,
  );
  return { event, delivered: (schedule.input as DeliveredEvent) ?? event, busName: 'default' };
}
