import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';

/** The local stack running the Lambda fixture service (test/fixtures/local-lambda). */
export function startLambdaFixture(options: { maxEnvironmentsPerFunction?: number } = {}): Promise<LocalStack> {
  return startLocalStack({
    serverlessFile: 'test/fixtures/local-lambda/serverless.yml',
    retryDelaysMs: [10],
    logLevel: 'CRITICAL',
    maxEnvironmentsPerFunction: options.maxEnvironmentsPerFunction ?? 4,
  });
}
