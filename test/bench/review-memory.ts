/**
 * Peak RSS and requests of the deployed accessReview bundle reviewing a network of 10,000 users with
 * `inactiveDays` set (a ListUsers page per 100, a GetUser per user), in a process of its own as a Lambda execution
 * environment, against the emulator, local DynamoDB, the S3 stand-in and the bus. The budget is raised so the run
 * measures memory, not the rate limit (the load suite measures that).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { functionAccessKey, startLocalStack } from '../../infra/local/local-stack.js';
import { newRun } from '../../lib/access-review/review-network.js';
import { reviewSource } from '../../lib/events/review-events.js';

const run = promisify(execFile);

export async function reviewMemory(bundleFile: string, users = 10_000) {
  const networkId = '12345678';
  const now = Math.floor(Date.now() / 1000);
  const stack = await startLocalStack({
    logLevel: 'CRITICAL',
    seed: {
      networks: [
        {
          networkId,
          networkName: 'bench-review',
          securityGroups: [{ id: 'sg-all', name: 'everyone', isDefault: true }],
          users: Array.from({ length: users }, (_, i) => ({
            userId: String(100_000 + i),
            username: `bench.person.${i}@example.com`,
            securityGroupIds: ['sg-all'],
            lastLogin: now - (i % 200) * 86_400,
          })),
        },
      ],
    },
  });
  try {
    const time = new Date().toISOString();
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Wickr Access Review Continued',
      source: reviewSource,
      account: '000000000000',
      time,
      region: 'us-east-1',
      resources: [],
      detail: newRun(networkId, time, randomUUID()),
    };
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
      const deadline = Date.now() + 900000;
      const result = await handler(${JSON.stringify(event)}, {
        functionName: 'accessReview', awsRequestId: crypto.randomUUID(), memoryLimitInMB: '256',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:accessReview',
        getRemainingTimeInMillis: () => deadline - Date.now(),
      });
      process.stdout.write(String.fromCharCode(10) + JSON.stringify({ peakRssKb: process.resourceUsage().maxRSS, result }));`;
    const env = (name: string) => String(stack.service.providerEnvironment[name]);
    const started = Date.now();
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: functionAccessKey('accessReview'),
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_LAMBDA_FUNCTION_NAME: 'accessReview',
        ALLOW_LOCAL_ENDPOINTS: 'true',
        WICKR_ENDPOINT: stack.wickrEndpoint,
        WICKR_REQUESTS_PER_SECOND: '1000',
        WICKR_BUDGET_SHARE: '1',
        DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
        EVENTBRIDGE_ENDPOINT: stack.eventBridgeEndpoint,
        SQS_ENDPOINT: stack.eventBridgeEndpoint,
        S3_ENDPOINT: stack.s3Endpoint,
        REPORTS_BUCKET: stack.service.buckets.find((b) => b.logicalId === 'ReportsBucket')?.name ?? '',
        EVENT_BUS_NAME: stack.busName,
        STATE_TABLE: env('STATE_TABLE'),
        IDEMPOTENCY_TABLE: env('IDEMPOTENCY_TABLE'),
        NODE_OPTIONS: env('NODE_OPTIONS'),
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    const wallMs = Date.now() - started;
    const { peakRssKb, result } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      peakRssKb: number;
      result: { status: string; report?: { counts: Record<string, number> } };
    };
    const journal = stack.emulator.journal();
    const pages = Math.ceil(users / 100);
    return {
      users,
      status: result.status,
      accounts: Object.values(result.report?.counts ?? {}).reduce((sum, x) => sum + x, 0),
      wickrRequests: journal.length,
      minimum: pages + users,
      wallMs,
      peakRssMb: Math.round(peakRssKb / 1024),
    };
  } finally {
    await stack.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bundle = process.argv[2] ?? '';
  console.log(JSON.stringify(await reviewMemory(bundle, Number(process.argv[3] ?? 10_000))));
}
