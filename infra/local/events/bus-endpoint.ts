/**
 * The local bus's one endpoint, as AWS's are served: awsJson requests by `X-Amz-Target` — EventBridge's
 * `PutEvents`, SQS (`AmazonSQS.*`), SSM (`AmazonSSM.*`) — and Security Hub's `PATCH /findings/batchupdate`, each
 * SigV4-checked when the key's secret is known, PagerDuty's REST API under `/pagerduty/`, and the control plane
 * under `/_local/` (loopback only); errors answered as each service answers them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PagerDutyRestStandIn } from '../pagerduty/pagerduty-rest-stand-in.js';
import { isLoopbackHost, readBody } from '../read-body.js';
import { SecurityHubStandIn } from '../securityhub/security-hub-stand-in.js';
import { type LocalSqs, SqsError } from '../sqs/local-sqs.js';
import type { SsmStandIn } from '../ssm/ssm-stand-in.js';
import { verifySigV4 } from '../wickr-emulator/sigv4-verifier.js';
import { AwsJsonError, type BusEventRecord, type EntryResult, maxRequestBytes } from './bus-event.js';
import { answerControl, type ControlledBus } from './control-plane.js';

/** What the endpoint serves: the bus (its PutEvents and control plane), the SQS and SSM stand-ins. */
export interface BusEndpointParts {
  readonly bus: ControlledBus & {
    putEvents(
      entries: readonly Record<string, unknown>[],
      principalArn: string,
    ): { FailedEntryCount: number; Entries: EntryResult[] };
    readonly events: readonly BusEventRecord[];
  };
  readonly sqs: Pick<LocalSqs, 'handle'>;
  readonly ssm: Pick<SsmStandIn, 'handle'>;
  /** Secret access keys: a request signed with one of these keys must carry a valid signature. */
  readonly secrets?: ReadonlyMap<string, string> | undefined;
}

/** The latest import of a finding among the events the bus took, as Security Hub keeps a finding's last state. */
function latestFinding(events: readonly BusEventRecord[], id: string, productArn: string) {
  for (let i = events.length - 1; i >= 0; i--) {
    const { event } = events[i] as BusEventRecord;
    if (event.source !== 'aws.securityhub') continue;
    const findings = ((event.detail as { findings?: unknown }).findings ?? []) as Record<string, unknown>[];
    const found = findings.find((f) => f.Id === id && f.ProductArn === productArn);
    if (found) return found;
  }
  return undefined;
}

export class BusEndpoint {
  #server: Server | undefined;
  readonly #securityHub: SecurityHubStandIn;
  readonly pagerDuty = new PagerDutyRestStandIn();

  constructor(private readonly parts: BusEndpointParts) {
    this.#securityHub = new SecurityHubStandIn({
      latestFinding: (id, productArn) => latestFinding(parts.bus.events, id, productArn),
      importFindings: (findings) => {
        parts.bus.putServiceEvents([
          {
            Source: 'aws.securityhub',
            DetailType: 'Security Hub Findings - Imported',
            Detail: JSON.stringify({ findings }),
            EventBusName: 'default',
          },
        ]);
      },
    });
  }

  /** Why a request signed with a key whose secret is known fails its signature check, or undefined. */
  async #checkSignature(req: IncomingMessage, url: URL, raw: string, service: string): Promise<string | undefined> {
    const accessKeyId = req.headers.authorization?.match(/Credential=([^/,\s]+)\//)?.[1];
    const secretAccessKey = accessKeyId ? this.parts.secrets?.get(accessKeyId) : undefined;
    if (!accessKeyId || !secretAccessKey) return undefined;
    return verifySigV4(
      {
        method: req.method ?? 'POST',
        path: url.pathname,
        rawQuery: url.search.slice(1),
        headers: req.headers,
        body: raw,
      },
      { accessKeyId, secretAccessKey },
      service,
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { bus } = this.parts;
    const url = new URL(req.url ?? '/', 'http://bus');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(text);
    };
    let raw: string;
    try {
      raw = await readBody(req, maxRequestBytes * 4);
    } catch (error) {
      return json(413, { __type: 'RequestEntityTooLarge', message: (error as Error).message });
    }
    try {
      if (url.pathname.startsWith('/_local/')) {
        if (!isLoopbackHost(req.headers.host)) {
          return json(403, { message: 'The local control plane answers requests to 127.0.0.1 or localhost only' });
        }
        if (url.pathname === '/_local/pagerduty/notes') return json(200, { notes: this.pagerDuty.notes });
        if (url.pathname === '/_local/pagerduty/faults' && req.method === 'POST') {
          const { status = 429, count = 1 } = JSON.parse(raw || '{}') as { status?: number; count?: number };
          this.pagerDuty.fail(Number(status), Number(count));
          return json(200, {});
        }
        const answer = await answerControl(bus, req.method ?? 'GET', url, raw);
        return json(answer.status, answer.body);
      }
      if (PagerDutyRestStandIn.serves(url.pathname)) {
        const answer = this.pagerDuty.handle(req.method ?? 'GET', url.pathname, req.headers, raw);
        return json(answer.status, answer.body, answer.headers);
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const securityHub = url.pathname === '/findings/batchupdate' && req.method === 'PATCH';
      const service = securityHub
        ? 'securityhub'
        : target.startsWith('AmazonSQS.')
          ? 'sqs'
          : target.startsWith('AmazonSSM.')
            ? 'ssm'
            : 'events';
      const refusedSignature = await this.#checkSignature(req, url, raw, service);
      if (refusedSignature) throw new AwsJsonError('InvalidSignatureException', refusedSignature, 403);
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (securityHub) return json(200, this.#securityHub.batchUpdateFindings(body));
      if (target === 'AWSEvents.PutEvents') {
        const principal = bus.principalOf(req.headers.authorization);
        return json(200, bus.putEvents(body.Entries as Record<string, unknown>[], principal), {
          'content-type': 'application/x-amz-json-1.1',
        });
      }
      if (target.startsWith('AmazonSSM.')) {
        const answer = this.parts.ssm.handle(target.slice('AmazonSSM.'.length), body);
        return json(200, answer, { 'content-type': 'application/x-amz-json-1.1' });
      }
      if (target.startsWith('AmazonSQS.')) {
        const caller = { principalArn: bus.principalOf(req.headers.authorization) };
        const answer = await this.parts.sqs.handle(target.slice('AmazonSQS.'.length), body, caller);
        return json(200, answer, { 'content-type': 'application/x-amz-json-1.0' });
      }
      throw new AwsJsonError('UnknownOperationException', `The local bus does not serve ${target || 'this request'}`);
    } catch (error) {
      if (error instanceof SqsError) {
        return json(
          error.status,
          { __type: `com.amazonaws.sqs#${error.type}`, message: error.message },
          { 'x-amzn-query-error': `${error.queryError};Sender` },
        );
      }
      if (error instanceof AwsJsonError) {
        return json(error.status, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
      }
      if (error instanceof SyntaxError) {
        return json(400, { __type: 'SerializationException', message: 'The request body is not JSON' });
      }
      return json(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  }

  /** Starts serving on 127.0.0.1 (port 0: a free one); its URL. */
  async listen(port: number): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    // Clients keep sockets alive between calls (the SDK, fetch): a longer idle timeout than Node's 5 s, as AWS
    // endpoints allow, so a reused socket is not closed under a request that is on its way.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
