/**
 * DynamoDB requests Powertools idempotency makes per fresh step and per duplicate, counted at the client, on
 * each local DynamoDB. The minimum: 2 writes for a fresh step (claim, then complete), 1 for a duplicate (the
 * conditional claim fails and returns the record).
 */
import type { Context } from 'aws-lambda';
import { createTables, type LocalDynamoDBKind, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';
import { idempotencyPersistence, idempotentSteps } from '../../lib/store/idempotency.js';

export async function idempotencyOverhead(kind: LocalDynamoDBKind) {
  const service = loadLocalService('serverless.yml');
  const db = await startLocalDynamoDB(kind);
  try {
    await createTables(db.client, service.tables);
    const table = String(service.tables.find((t) => t.logicalId === 'IdempotencyTable')?.properties.TableName);
    const commands: string[] = [];
    db.client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const steps = idempotentSteps(idempotencyPersistence(db.client, table), {
      getRemainingTimeInMillis: () => 60_000,
    } as Context);
    const key = { step: 'bench', id: String(Date.now()) };
    await steps.once(key, async () => ({ done: true }));
    const fresh = [...commands];
    commands.length = 0;
    await steps.once(key, async () => ({ done: true }));
    return { kind, fresh, duplicate: [...commands] };
  } finally {
    await db.close();
  }
}
