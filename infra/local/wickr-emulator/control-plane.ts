/**
 * The emulator's control plane under `/_emulator/` (loopback callers only): its state, a reset, the journal, the
 * faults, and a network's posture changed as an administrator (or an attacker) would change it in the console.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import { fieldIssues } from '../../../lib/schema-issues.js';
import { isLoopbackHost, readBody } from '../read-body.js';
import type { EmulatorState, NetworkState } from './emulator-state.js';
import { FaultConfig, type FaultConfigInput, type FaultInjector } from './faults.js';
import type { JournalEntry } from './journal-entry.js';
import { EmulatorSeed, SeedDataRetentionBot, SeedOidc } from './seed.js';
import { sendJson } from './send-json.js';

/** A change to a network's posture: each member replaces the item, null removes it. */
const PosturePatch = z.strictObject({
  oidc: z.optional(z.nullable(SeedOidc)),
  encryptionKeyArn: z.optional(z.nullable(z.string())),
  dataRetention: z.optional(z.boolean()),
  dataRetentionBot: z.optional(z.nullable(SeedDataRetentionBot)),
});

function applyPosture(network: NetworkState, patch: z.output<typeof PosturePatch>): void {
  if (patch.oidc !== undefined) network.oidc = patch.oidc ?? undefined;
  if (patch.encryptionKeyArn !== undefined) network.encryptionKeyArn = patch.encryptionKeyArn ?? undefined;
  if (patch.dataRetention !== undefined) network.settings.dataRetention = patch.dataRetention;
  if (patch.dataRetentionBot !== undefined) network.dataRetentionBot = patch.dataRetentionBot ?? undefined;
}

/** What the control plane reaches of a running emulator. */
export interface ControlContext {
  readonly state: () => EmulatorState;
  readonly reset: (seed?: EmulatorSeed) => void;
  readonly journal: () => readonly JournalEntry[];
  readonly clearJournal: () => void;
  readonly faults: FaultInjector;
}

/** The control plane's request handler. */
export function emulatorControl(ctx: ControlContext) {
  const controlRoutes = [
    'GET /_emulator/ — this list',
    'GET /_emulator/state — every network, in the seed format',
    'POST /_emulator/reset — back to the seed, or to the seed in the body',
    'GET /_emulator/journal[?since=SEQ] — every API request and its answer',
    'DELETE /_emulator/journal',
    'GET /_emulator/faults',
    'PUT /_emulator/faults — latencyMs, rateLimit, errorRates, resetRate, applyThenFailRate, operations, seed, next',
    'DELETE /_emulator/faults',
    'PATCH /_emulator/posture?networkId=N — oidc, encryptionKeyArn, dataRetention, dataRetentionBot (null removes)',
  ];

  /** A control-plane refusal: 400, naming each field and its rule. */
  const badRequest = (res: ServerResponse, message: string, reasons: readonly { field: string; reason: string }[]) =>
    sendJson(res, 400, { message, reasons });

  return async function control(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    if (!isLoopbackHost(req.headers.host)) {
      return sendJson(res, 403, {
        message: 'The emulator control plane answers requests to 127.0.0.1 or localhost only',
      });
    }
    let raw: string;
    try {
      // Seeds of large networks (the load suite's) come through here.
      raw = await readBody(req, 64 * 1024 * 1024);
    } catch (error) {
      return sendJson(res, 413, { message: (error as Error).message });
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return badRequest(res, 'The body is not JSON', [{ field: 'body', reason: 'must be JSON' }]);
    }
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /_emulator/':
        return sendJson(res, 200, { routes: controlRoutes });
      case 'GET /_emulator/state':
        return sendJson(res, 200, ctx.state().toSeed());
      case 'POST /_emulator/reset': {
        if (body === undefined) {
          ctx.reset();
          return sendJson(res, 200, { reset: true });
        }
        const seed = EmulatorSeed.safeParse(body);
        if (!seed.success) return badRequest(res, 'Invalid seed', fieldIssues(seed.error.issues));
        ctx.reset(seed.data);
        return sendJson(res, 200, { reset: true });
      }
      case 'GET /_emulator/journal': {
        const since = Number(url.searchParams.get('since') ?? 0);
        if (!Number.isInteger(since) || since < 0) {
          return badRequest(res, 'Invalid query', [{ field: 'since', reason: 'must be a non-negative integer' }]);
        }
        return sendJson(res, 200, { entries: ctx.journal().filter((e) => e.seq > since) });
      }
      case 'DELETE /_emulator/journal':
        ctx.clearJournal();
        return sendJson(res, 200, { cleared: true });
      case 'GET /_emulator/faults':
        return sendJson(res, 200, ctx.faults.config);
      case 'PUT /_emulator/faults': {
        const config = FaultConfig.safeParse(body ?? {});
        if (!config.success) return badRequest(res, 'Invalid faults', fieldIssues(config.error.issues));
        ctx.faults.set(body as FaultConfigInput);
        return sendJson(res, 200, ctx.faults.config);
      }
      case 'DELETE /_emulator/faults':
        ctx.faults.set({});
        return sendJson(res, 200, ctx.faults.config);
      case 'PATCH /_emulator/posture': {
        const patch = PosturePatch.safeParse(body ?? {});
        if (!patch.success) return badRequest(res, 'Invalid posture', fieldIssues(patch.error.issues));
        const network = ctx.state().networks.get(url.searchParams.get('networkId') ?? '');
        if (!network)
          return badRequest(res, 'Unknown network', [{ field: 'networkId', reason: 'must name a network' }]);
        applyPosture(network, patch.data);
        return sendJson(res, 200, { patched: network.networkId });
      }
      default:
        return sendJson(res, 404, { message: `No emulator control route ${route}`, routes: controlRoutes });
    }
  };
}
