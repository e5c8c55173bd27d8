import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';

describe('npm start -- --serve', () => {
  it('prints one JSON ready line and serves PutEvents until SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--serve'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const ready = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(ready).sort()).toEqual([
        'busName',
        'dynamodbEndpoint',
        'eventBridgeEndpoint',
        'wickrEndpoint',
      ]);
      const client = new EventBridgeClient({
        region: 'us-east-1',
        endpoint: ready.eventBridgeEndpoint,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const answer = await client.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: ready.busName, Source: 'x', DetailType: 'y', Detail: '{}' }],
        }),
      );
      expect(answer.FailedEntryCount).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
