/**
 * Peak RSS and requests of the deployed accessReview bundle reviewing a network of 10,000 users with
 * `inactiveDays` set (a ListUsers page per 100, a GetUser per user), in a process of its own as a Lambda execution
 * environment, against the emulator, local DynamoDB, the S3 stand-in and the bus. The budget is raised so the run
 * measures memory, not the rate limit (the load suite measures that).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { newRun } from '../../lib/access-review/review-network.js';
import { reviewSource } from '../../lib/events/review-events.js';
import { invokeInProcess, stackEnvironment } from './bundle-process.js';

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
    const { peakRssKb, result, wallMs } = await invokeInProcess<{
      status: string;
      report?: { counts: Record<string, number> };
    }>(bundleFile, 'accessReview', event, {
      ...stackEnvironment(stack, 'accessReview'),
      // Memory is what is measured here, not the rate limit (the load suite measures that).
      WICKR_REQUESTS_PER_SECOND: '1000',
      WICKR_BUDGET_SHARE: '1',
      REPORTS_BUCKET: stack.service.buckets.find((b) => b.logicalId === 'ReportsBucket')?.name ?? '',
    });
    const journal = stack.emulator.journal();
    const pages = Math.ceil(users / 100);
    return {
      users,
      status: result.status,
      accounts: Object.values(result.report?.counts ?? {}).reduce((sum, x) => sum + x, 0),
      wickrRequests: journal.length,
      // And one page each of the guests seen, the guests blocked and the bots: the report's other two sections.
      minimum: pages + users + 3,
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
