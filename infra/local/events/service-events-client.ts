/**
 * Delivers events as an AWS service or a partner would (`aws.*` sources, which EventBridge refuses from any PutEvents
 * caller): through the local stack's control plane, `POST /_local/service-events`. Answers as PutEvents does.
 */
import { PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';

/** Whether a source is a service's or a partner's, which only the control plane may put locally. */
export const isServiceSource = (source: string | undefined) => source?.startsWith('aws.') === true;

/** Puts entries on the default or a partner bus as their service would; the answer is PutEvents'. */
export async function putServiceEvents(
  busEndpoint: string,
  entries: readonly PutEventsRequestEntry[],
): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }> {
  const body = JSON.stringify({
    Entries: entries.map((e) => ({
      ...e,
      ...(e.Time instanceof Date ? { Time: e.Time.getTime() / 1000 } : {}),
    })),
  });
  const answer = await fetch(new URL('/_local/service-events', busEndpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await answer.json()) as { FailedEntryCount: number; Entries: PutEventsResultEntry[]; message?: string };
  if (!answer.ok) throw new Error(`the local stack refused the service events: ${json.message ?? answer.status}`);
  return json;
}

/**
 * Puts a mixed batch as AWS would have received it: `aws.*` entries as their service delivers them, the rest by
 * PutEvents with `client`'s credentials. Answers with the refused count of both.
 */
export async function putAsDelivered(
  client: { send(command: PutEventsCommand): Promise<{ FailedEntryCount?: number | undefined }> },
  busEndpoint: string,
  entries: readonly PutEventsRequestEntry[],
): Promise<number> {
  const services = entries.filter((e) => isServiceSource(e.Source));
  const callers = entries.filter((e) => !isServiceSource(e.Source));
  let failed = 0;
  if (callers.length > 0)
    failed += (await client.send(new PutEventsCommand({ Entries: callers }))).FailedEntryCount ?? 0;
  if (services.length > 0) failed += (await putServiceEvents(busEndpoint, services)).FailedEntryCount;
  return failed;
}
