/**
 * A metering proxy in front of the local DynamoDB: every request passes through unchanged but for
 * `ReturnConsumedCapacity: TOTAL`, and the capacity units DynamoDB answers with are summed — read request units
 * (4 KB per strongly consistent read, half for an eventually consistent one) and write request units (1 KB per
 * write, double in a transaction), as on-demand tables are billed. dynalite and DynamoDB Local both compute them.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const reads = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Request units consumed so far, and requests by operation. */
export interface DynamoUsage {
  readRequestUnits: number;
  writeRequestUnits: number;
  requests: number;
}

export class DynamoMeter {
  readonly usage: DynamoUsage = { readRequestUnits: 0, writeRequestUnits: 0, requests: 0 };
  /** Where requests go: the local DynamoDB's endpoint (set once it runs). */
  target = '';
  endpoint = '';
  #server: Server | undefined;

  async listen(): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let body = Buffer.concat(chunks);
        if (reads.has(operation) || writes.has(operation)) {
          const parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
          body = Buffer.from(JSON.stringify({ ...parsed, ReturnConsumedCapacity: 'TOTAL' }));
        }
        const url = new URL(this.target);
        // The body changed: the caller's signature no longer covers it; the local servers do not check it.
        const headers = { ...req.headers, host: url.host, 'content-length': String(body.length) };
        const upstream = request(
          { hostname: url.hostname, port: url.port, path: req.url, method: req.method, headers },
          (answer) => {
            const out: Buffer[] = [];
            answer.on('data', (c: Buffer) => out.push(c));
            answer.on('end', () => {
              const text = Buffer.concat(out);
              this.#count(operation, text);
              res.writeHead(answer.statusCode ?? 500, { ...answer.headers, 'content-length': String(text.length) });
              res.end(text);
            });
          },
        );
        upstream.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  #count(operation: string, text: Buffer): void {
    this.usage.requests++;
    if (!reads.has(operation) && !writes.has(operation)) return;
    const answer = JSON.parse(text.toString('utf8') || '{}') as { ConsumedCapacity?: unknown };
    const consumed = [answer.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
    const units = consumed.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
    if (reads.has(operation)) this.usage.readRequestUnits += units;
    else this.usage.writeRequestUnits += units;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
