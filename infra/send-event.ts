/**
 * `npm run send -- FILE [--time ISO] [--bus NAME] [--region R]`: puts a sample envelope (`events/*.json`) on the
 * running local stack — or, with `--bus`, on a deployed bus with your AWS credentials. The samples are envelopes as
 * EventBridge delivers them; this turns one into a PutEvents entry.
 */
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { commandLine, existingFile, refuse } from './command-line.js';
import { accessDeniedHint, localCredentials, readLocalEndpoints } from './local/local-endpoints.js';

const help = `npm run send -- FILE [options]

Puts a sample event (an envelope as EventBridge delivers it, e.g. events/incident-declared.json) on the running
local stack (npm start -- --serve), waits until everything it caused is done, and prints each invocation it caused.
With --bus, puts it on a deployed bus instead, with your AWS credentials.

  FILE          the envelope: source, detail-type and detail are sent                    (required)
  --time ISO    the event's time                                                          [now]
  --bus NAME    a deployed bus (e.g. wickr-autopilot-prod) instead of the local stack
  --region R    the deployed bus's region                                                 [the SDK's: AWS_REGION, profile]
  --as KEY      locally, sign as this access key (one npm start -- --identity KEY=ARN mapped; where
                hrPublishers / incidentPublishers are set, the bus admits only their keys)  [local]
  --help        this text

Example: npm run send -- events/incident-declared.json`;

const command = 'send';
const { values, positionals } = commandLine(
  command,
  help,
  { time: { type: 'string' }, bus: { type: 'string' }, region: { type: 'string' }, as: { type: 'string' } },
  { positionals: true },
);
if (positionals.length !== 1) refuse('one envelope file is required', command);
const file = existingFile(command, 'FILE', positionals[0] as string);
let envelope: { source?: unknown; 'detail-type'?: unknown; detail?: unknown };
try {
  envelope = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  refuse(`${file}: not JSON (${(error as Error).message})`, command);
}
for (const field of ['source', 'detail-type'] as const) {
  if (typeof envelope[field] !== 'string') refuse(`${file}: ${field} must be a string`, command);
}
if (typeof envelope.detail !== 'object' || envelope.detail === null)
  refuse(`${file}: detail must be an object`, command);
const time = values.time ? new Date(values.time) : new Date();
if (Number.isNaN(time.getTime())) refuse(`--time: ${values.time} is not an ISO time`, command);

if (values.bus && values.as)
  refuse('--as: only for the local stack (a deployed bus uses your AWS credentials)', command);
const local = values.bus ? undefined : readLocalEndpoints();
if (!values.bus && !local)
  refuse('no local stack is running (start one with npm start -- --serve), or pass --bus', command);
const client = new EventBridgeClient({
  // Without --region the SDK finds it as usual (AWS_REGION, the profile).
  ...((local?.region ?? values.region) ? { region: local?.region ?? values.region } : {}),
  ...(local ? { endpoint: local.eventBridgeEndpoint, credentials: localCredentials(values.as) } : {}),
});
const sentAt = new Date().toISOString();
const answer = await client
  .send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: local?.busName ?? values.bus,
          Source: envelope.source as string,
          DetailType: envelope['detail-type'] as string,
          Detail: JSON.stringify(envelope.detail),
          Time: time,
        },
      ],
    }),
  )
  .catch((error: Error) => {
    console.error(`refused: ${error.name}: ${error.message}${accessDeniedHint(error, local !== undefined)}`);
    process.exit(1);
  });
const entry = answer.Entries?.[0];
if (!entry?.EventId) {
  console.error(`refused by EventBridge: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  process.exit(1);
}
console.log(`sent ${envelope['detail-type']} as event ${entry.EventId}`);
if (local) {
  await fetch(new URL('/_local/drain', local.eventBridgeEndpoint), { method: 'POST' });
  const { invocations } = (await (await fetch(new URL('/_local/invocations', local.eventBridgeEndpoint))).json()) as {
    invocations: {
      eventId: string;
      messageIds?: string[];
      startedAt: string;
      functionName: string;
      attempt: number;
      outcome: string;
      error?: { name: string; message: string };
    }[];
  };
  // Its own invocations, and the batches of queue consumers (HR) that ran since: they carry message ids.
  const caused = invocations.filter((x) => x.eventId === entry.EventId || (x.messageIds && x.startedAt >= sentAt));
  for (const i of caused) {
    const why = i.error ? ` — ${i.error.name}: ${i.error.message}` : '';
    console.log(`  ${i.functionName} attempt ${i.attempt}: ${i.outcome}${why}`);
  }
}
