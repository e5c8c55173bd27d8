/**
 * An operator's redrive of the failure and dead-letter queues on the local bus: each message's event put back where
 * its queue's function would accept it, never an override; what cannot go back stays, with the reason.
 */
import type { LocalService } from '../serverless-config.js';
import type { QueueMessageView } from '../sqs/local-sqs.js';
import type { EntryResult } from './bus-event.js';
import { redriveVerdict } from './redrive-check.js';

type Put = (entries: readonly Record<string, unknown>[]) => { FailedEntryCount: number; Entries: EntryResult[] };

/** What a redrive needs: which messages, the service's rules, where a kept message goes back, how to put. */
export interface RedriveParts {
  readonly messageIds?: readonly string[] | undefined;
  readonly service: LocalService;
  readonly keep: (message: QueueMessageView) => void;
  /** As the operator (the bus policy applies to them). */
  readonly putEvents: Put;
  /** As the service whose event it is (an `aws.*` source no caller may put). */
  readonly putServiceEvents: Put;
}

/**
 * Puts the events waiting in the failure queues back on their bus, as an operator redrives them: the event of a
 * Lambda destination record, of a refusal, or a dead-letter queue's event itself — only where the queue's own
 * function would accept it (`redrive-check.ts`), never an override. A refused event fails the same way again (and
 * says so in its failure queue). Messages without a redrivable event, and those the bus refuses, stay.
 */
export function redriveFailures(
  messages: readonly QueueMessageView[],
  how: RedriveParts,
): { redriven: number; kept: number; refused: { messageId: string; reason: string }[] } {
  let redriven = 0;
  let kept = 0;
  const refused: { messageId: string; reason: string }[] = [];
  for (const message of messages) {
    const keep = () => {
      how.keep(message);
      kept++;
    };
    if (how.messageIds && !how.messageIds.includes(message.messageId)) {
      keep();
      continue;
    }
    const verdict = redriveVerdict(how.service, message.queue, message.body);
    if (!verdict.redrive) {
      refused.push({ messageId: message.messageId, reason: verdict.reason });
      keep();
      continue;
    }
    const { event } = verdict;
    try {
      const entry = {
        EventBusName: verdict.bus,
        Source: event.source,
        DetailType: event['detail-type'],
        Detail: JSON.stringify(event.detail ?? {}),
        ...(event.time ? { Time: Date.parse(event.time) / 1000 } : {}),
      };
      // A service's event (GuardDuty's, Security Hub's) cannot be put by a caller: an operator asks the service
      // to send it again (a finding's update); locally the control plane does that.
      const answer = event.source.startsWith('aws.') ? how.putServiceEvents([entry]) : how.putEvents([entry]);
      if (answer.FailedEntryCount > 0) throw new Error(answer.Entries[0]?.ErrorMessage ?? 'refused');
      redriven++;
    } catch (error) {
      refused.push({ messageId: message.messageId, reason: (error as Error).message });
      keep();
    }
  }
  return { redriven, kept, refused };
}
