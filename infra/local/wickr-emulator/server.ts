import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsCredentialIdentity } from '@smithy/types';
import { fieldIssues } from '../../../lib/schema-issues.js';
import { requestSchemas } from '../../../lib/wickr/request-schemas.js';
import { readBody } from '../read-body.js';
import { emulatorControl } from './control-plane.js';
import { EmulatorError, EmulatorState } from './emulator-state.js';
import { type FaultConfigInput, FaultInjector } from './faults.js';
import type { JournalEntry } from './journal-entry.js';
import { operationHandlers } from './operation-handlers.js';
import { matchRoute } from './route-match.js';
import { demoSeed, type EmulatorSeed, type ParsedSeed } from './seed.js';
import { sendJson } from './send-json.js';
import { verifySigV4 } from './sigv4-verifier.js';

export type { JournalEntry } from './journal-entry.js';

/** How to start the emulator. */
export interface WickrEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Initial state; the demo network when absent. */
  readonly seed?: EmulatorSeed;
  /** When set, signatures are verified against these credentials, not only their form. */
  readonly credentials?: AwsCredentialIdentity;
  readonly faults?: FaultConfigInput;
  readonly nowMs?: () => number;
}

/** A running emulator. */
export interface WickrEmulator {
  readonly endpoint: string;
  readonly state: EmulatorState;
  journal(sinceSeq?: number): JournalEntry[];
  clearJournal(): void;
  setFaults(config: FaultConfigInput): void;
  /** Back to the starting state, with no journal, tokens or faults; a given seed also becomes the new start. */
  reset(seed?: EmulatorSeed): void;
  snapshot(): ParsedSeed;
  close(): Promise<void>;
}

// Query strings carry text; the model's types decide how each parameter reads.
function queryMember(member: string, value: string): unknown {
  if (member === 'maxResults' || member === 'status') return /^-?\d+$/.test(value) ? Number(value) : value;
  if (member === 'suspend') return value === 'true' ? true : value === 'false' ? false : value;
  if (member === 'startTime' || member === 'endTime')
    return /^\d+$/.test(value) ? new Date(Number(value) * 1000) : value;
  return value;
}

function errorBody(error: EmulatorError): Record<string, unknown> {
  return error.reasons ? { message: error.message, reasons: error.reasons } : { message: error.message };
}

// The modelled error of each status, for injected faults.
const errorTypeByStatus: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'ResourceNotFoundError',
  422: 'ValidationError',
  429: 'RateLimitError',
  500: 'InternalServerError',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the Wickr Admin API emulator on 127.0.0.1; port 0 picks a free port. */
export async function startWickrEmulator(options: WickrEmulatorOptions = {}): Promise<WickrEmulator> {
  const nowMs = options.nowMs ?? Date.now;
  const nowSeconds = () => Math.floor(nowMs() / 1000);
  let initialSeed: EmulatorSeed = options.seed ?? demoSeed;
  let state = new EmulatorState(initialSeed, nowSeconds);
  const faults = new FaultInjector(options.faults ?? {}, nowMs);
  let journal: JournalEntry[] = [];
  let seq = 0;
  // clientToken → the request it first came with and the response it got.
  let tokens = new Map<string, { fingerprint: string; body: unknown }>();

  const record = (entry: Omit<JournalEntry, 'seq' | 'at'>) => {
    journal.push({ seq: ++seq, at: nowMs(), ...entry });
  };

  const reset = (seed?: EmulatorSeed) => {
    if (seed) initialSeed = seed;
    state = new EmulatorState(initialSeed, nowSeconds);
    journal = [];
    tokens = new Map();
    faults.set({});
  };

  const control = emulatorControl({
    state: () => state,
    reset,
    journal: () => journal,
    clearJournal: () => {
      journal = [];
    },
    faults,
  });

  async function api(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    let raw: string;
    try {
      raw = await readBody(req, 8 * 1024 * 1024);
    } catch (error) {
      return sendJson(res, 413, { message: (error as Error).message });
    }
    const match = matchRoute(method, path);
    const query = Object.fromEntries(url.searchParams);
    const clientToken = req.headers['x-client-token'] as string | undefined;
    let parsedBody: unknown;
    try {
      parsedBody = raw ? JSON.parse(raw) : undefined;
    } catch {
      parsedBody = raw;
    }
    const base = { operation: match?.operation ?? 'Unknown', method, path, query, clientToken, body: parsedBody };
    const fail = (error: EmulatorError, extra: Partial<JournalEntry> = {}) => {
      record({ ...base, status: error.status, applied: false, ...extra });
      sendJson(res, error.status, errorBody(error), { 'x-amzn-errortype': error.errorType });
    };

    const authProblem = await verifySigV4(
      { method, path, rawQuery: url.search.slice(1), headers: req.headers, body: raw },
      options.credentials,
    );
    if (authProblem) return fail(new EmulatorError(401, 'UnauthorizedError', authProblem));
    if (!match) {
      return fail(
        new EmulatorError(
          501,
          'NotImplemented',
          `The emulator does not serve ${method} ${path}; see the README for the operations it emulates`,
        ),
      );
    }

    if (faults.config.latencyMs > 0) await sleep(faults.config.latencyMs);
    const decision = faults.decide(match.operation);
    if (decision.kind === 'reset') {
      record({ ...base, status: 0, applied: false, fault: 'reset' });
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'status') {
      const type =
        errorTypeByStatus[decision.status] ?? (decision.status >= 500 ? 'InternalServerError' : 'BadRequestError');
      const message = decision.status === 429 ? 'Too many requests sent' : `Injected fault: HTTP ${decision.status}`;
      record({ ...base, status: decision.status, applied: false, fault: decision.cause });
      return sendJson(
        res,
        decision.status,
        { message },
        {
          'x-amzn-errortype': type,
          ...(decision.retryAfterSeconds !== undefined ? { 'retry-after': String(decision.retryAfterSeconds) } : {}),
        },
      );
    }

    if (raw && typeof parsedBody !== 'object') {
      return fail(new EmulatorError(400, 'BadRequestError', 'The request body is not a JSON object'));
    }
    // The token is a header member: in the body the API would not read it, and a retry would create a duplicate.
    if (
      match.route.headers.clientToken &&
      (parsedBody as Record<string, unknown> | undefined)?.clientToken !== undefined
    ) {
      return fail(
        new EmulatorError(422, 'ValidationError', 'Request validation failed', [
          { field: 'clientToken', reason: 'belongs in the X-Client-Token header, not the body' },
        ]),
      );
    }
    const input: Record<string, unknown> = { ...match.labels };
    for (const [member, name] of Object.entries(match.route.query)) {
      const value = url.searchParams.get(name);
      if (value !== null) input[member] = queryMember(member, value);
    }
    if (clientToken !== undefined && match.route.headers.clientToken) input.clientToken = clientToken;
    for (const member of match.route.body) {
      const value = (parsedBody as Record<string, unknown> | undefined)?.[member];
      if (value !== undefined) input[member] = value;
    }
    const checked = requestSchemas[match.operation].safeParse(input);
    if (!checked.success) {
      const reasons = fieldIssues(checked.error.issues);
      return fail(new EmulatorError(422, 'ValidationError', 'Request validation failed', reasons));
    }

    const tokenKey = clientToken && match.route.headers.clientToken ? `${match.operation}:${clientToken}` : undefined;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([match.operation, match.labels, query, parsedBody ?? null]))
      .digest('hex');
    const prior = tokenKey ? tokens.get(tokenKey) : undefined;
    let responseBody: unknown;
    let replayed = false;
    if (prior) {
      if (prior.fingerprint !== fingerprint) {
        return fail(
          new EmulatorError(400, 'BadRequestError', 'The clientToken was already used with a different request'),
        );
      }
      responseBody = prior.body;
      replayed = true;
    } else {
      try {
        responseBody = operationHandlers[match.operation](state, checked.data);
      } catch (error) {
        if (error instanceof EmulatorError) return fail(error);
        throw error;
      }
      if (tokenKey) tokens.set(tokenKey, { fingerprint, body: responseBody });
    }
    const applied = !replayed && match.route.method !== 'GET';
    if (decision.kind === 'applyThenFail') {
      record({ ...base, status: 0, applied, replayed, fault: 'applyThenFail' });
      req.socket.destroy();
      return;
    }
    record({ ...base, status: 200, applied, replayed });
    sendJson(res, 200, responseBody);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const handler = path.startsWith('/_emulator/') ? control : api;
    handler(req, res, path, url).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          { message: `Emulator failure: ${(error as Error).message}` },
          {
            'x-amzn-errortype': 'InternalServerError',
          },
        );
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    get state() {
      return state;
    },
    journal: (sinceSeq = 0) => journal.filter((e) => e.seq > sinceSeq),
    clearJournal: () => {
      journal = [];
    },
    setFaults: (config) => faults.set(config),
    reset,
    snapshot: () => state.toSeed(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
