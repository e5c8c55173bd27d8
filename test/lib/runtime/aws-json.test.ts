import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../../lib/failure.js';
import { AwsServiceError, awsJson } from '../../../lib/runtime/aws-json.js';

/** A service stand-in answering each request with the next of `script`, recording what it was sent. */
let script: { status: number; body?: unknown }[] = [];
const seen: { target: string; type: string; auth: string; body: unknown }[] = [];
const server = createServer(async (req: IncomingMessage, res) => {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  seen.push({
    target: String(req.headers['x-amz-target']),
    type: String(req.headers['content-type']),
    auth: String(req.headers.authorization),
    body: JSON.parse(raw),
  });
  const next = script.shift() ?? { status: 200, body: {} };
  res.writeHead(next.status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(next.body === undefined ? '' : JSON.stringify(next.body));
});
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const sleeps: number[] = [];
const sqs = (maxAttempts = 3) =>
  awsJson('sqs', {
    region: 'eu-west-1',
    endpoint,
    credentials,
    maxAttempts,
    sleep: async (ms) => void sleeps.push(ms),
  });

describe('AWS JSON protocol calls', () => {
  it('sends the operation signed, on its protocol version, and answers its output', async () => {
    seen.length = 0;
    script = [{ status: 200, body: { MessageId: 'm-1' } }];
    const out = await sqs()<{ MessageId: string }>('SendMessage', { QueueUrl: 'q', MessageBody: '{}' });
    expect(out.MessageId).toBe('m-1');
    expect(seen[0]).toMatchObject({
      target: 'AmazonSQS.SendMessage',
      type: 'application/x-amz-json-1.0',
      body: { QueueUrl: 'q', MessageBody: '{}' },
    });
    expect(seen[0]?.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/sqs\/aws4_request/);
    const events = awsJson('events', { region: 'eu-west-1', endpoint, credentials });
    await events('PutEvents', { Entries: [] });
    expect(seen[1]).toMatchObject({ target: 'AWSEvents.PutEvents', type: 'application/x-amz-json-1.1' });
  });

  it('retries a throttle and a 5xx, within three attempts, then succeeds', async () => {
    seen.length = 0;
    sleeps.length = 0;
    script = [
      { status: 400, body: { __type: 'com.amazonaws.sqs#ThrottlingException', message: 'slow down' } },
      { status: 503, body: {} },
      { status: 200, body: { MessageId: 'm-2' } },
    ];
    expect((await sqs()('SendMessage', {})).MessageId).toBe('m-2');
    expect(seen).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up after three attempts with an error that names the operation and is retryable', async () => {
    seen.length = 0;
    script = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200, body: {} }];
    const error = await sqs()('SendMessage', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as Error).message).toMatch(/^SendMessage failed: 500/);
    expect(isRetryable(error)).toBe(true);
    expect(seen).toHaveLength(3);
    script = [];
  });

  it('does not retry what fails the same way every time, and says it is permanent', async () => {
    seen.length = 0;
    script = [{ status: 400, body: { __type: 'ValidationException', message: 'Detail is malformed' } }];
    const error = await sqs()('SendMessage', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AwsServiceError', status: 400, type: 'ValidationException' });
    expect(isRetryable(error)).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('retries a connection that fails, and names it when it keeps failing', async () => {
    const closed = awsJson('sqs', {
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials,
      sleep: async () => {},
    });
    const error = await closed('SendMessage', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AwsServiceError', status: 0, type: 'NetworkError' });
    expect(isRetryable(error)).toBe(true);
  });
});
