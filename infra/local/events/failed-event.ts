/** An event as a failure or dead-letter message holds it, whichever of the three shapes the message has. */
export interface FailedEvent {
  readonly id?: string | undefined;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
  readonly time?: string | undefined;
}

/**
 * The event in a failure message: a Lambda destination record's `requestPayload`, a refusal's `event`, or a
 * dead-lettered event itself; undefined when the message holds none (nothing to redrive).
 */
export function failedEventOf(body: unknown): FailedEvent | undefined {
  const b = (body ?? {}) as { requestPayload?: unknown; event?: unknown };
  const event = (b.requestPayload ?? b.event ?? body) as Partial<FailedEvent> | undefined;
  return typeof event?.source === 'string' && typeof event['detail-type'] === 'string'
    ? (event as FailedEvent)
    : undefined;
}
