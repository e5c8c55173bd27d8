/**
 * Peak RSS of the deployed hrEvents bundle reading a 100,000-row roster whole (format, header, every row checked,
 * chunk offsets, the missing people), in a process of its own as a Lambda execution environment, against the S3
 * stand-in, local DynamoDB, SQS and the bus. Its chunks go to a queue nobody polls: only the whole read is measured
 * (a chunk is 250 rows, whatever the file).
 */
import { randomUUID } from 'node:crypto';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { LocalS3, type ObjectCreated } from '../../infra/local/s3/local-s3.js';
import { invokeInProcess, stackEnvironment } from './bundle-process.js';

export async function rosterMemory(bundleFile: string, rows = 100_000) {
  const stack = await startLocalStack({ logLevel: 'CRITICAL' });
  const bucket = stack.service.buckets.find((b) => b.logicalId === 'RosterBucket')?.name ?? '';
  let created: ObjectCreated | undefined;
  const s3 = new LocalS3([{ name: bucket, eventBridge: true }], (o) => {
    created = o;
  });
  await s3.listen();
  try {
    const departments = ['Engineering', 'Finance', 'Legal', 'Sales', 'Support'];
    const lines = ['employeeId,username,firstName,lastName,department,team,employmentType,status,updatedAt'];
    for (let i = 0; i < rows; i++) {
      lines.push(
        `B-${i},bench.person.${i}@example.com,Bench,Person ${i},${departments[i % 5]},,EMPLOYEE,active,2026-11-29T08:00:00Z`,
      );
    }
    const body = Buffer.from(`${lines.join('\n')}\n`);
    s3.put(bucket, 'roster/bench.csv', body);
    const o = created as ObjectCreated;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: { key: o.key, size: o.size, etag: o.etag, 'version-id': o.versionId, sequencer: o.sequencer },
      },
    };
    const sqsEvent = { Records: [{ messageId: randomUUID(), body: JSON.stringify(event), attributes: {} }] };
    const { peakRssKb, wallMs } = await invokeInProcess(bundleFile, 'hrEvents', sqsEvent, {
      ...stackEnvironment(stack, 'hrEvents'),
      S3_ENDPOINT: s3.endpoint,
      ROSTER_BUCKET: bucket,
      // The chunks go where nobody takes them: the whole read is what is measured.
      HR_QUEUE_URL: stack.sqs.queueUrl('HrEventsFailureQueue'),
    });
    const accepted = stack.bus.events.find((e) => e.event['detail-type'] === 'Wickr Roster Accepted')?.event.detail as
      | { rows: number; chunks: number }
      | undefined;
    return {
      rows,
      megabytes: Math.round((body.length / 1024 / 1024) * 10) / 10,
      rowsAccepted: accepted?.rows ?? 0,
      chunks: accepted?.chunks ?? 0,
      wallMs,
      peakRssMb: Math.round(peakRssKb / 1024),
    };
  } finally {
    await s3.close();
    await stack.close();
  }
}
