import { fieldIssues } from '../schema-issues.js';
import { resolveEndpoint } from './endpoint.js';
import { WickrRequestValidationError, WickrResponseParseError } from './errors.js';
import { type Pacer, RequestPacer } from './request-pacer.js';
import { type OperationInput, type OperationName, requestSchemas } from './request-schemas.js';
import { type OperationOutput, responseSchemas } from './response-schemas.js';
import { type RetryOptions, retryPolicy } from './retry-policy.js';
import { routes } from './routes.js';
import { createSigV4Signer, type RequestSigner, type WickrCredentials } from './signer.js';
import { abortableSleep, send, type TransportDeps, type WickrClientLogger } from './transport.js';
import { toWireRequest } from './wire-request.js';

/** How to reach and call the Wickr Admin API. Every side effect can be injected. */
export interface WickrAdminClientConfig {
  readonly region: string;
  /** Overrides the regional endpoint, e.g. the local emulator (`WICKR_ENDPOINT`). */
  readonly endpoint?: string | undefined;
  readonly useFipsEndpoint?: boolean | undefined;
  /** Defaults to the AWS SDK's Node provider chain. */
  readonly credentials?: WickrCredentials | undefined;
  /** Replaces the SigV4 signer built from `region` and `credentials`. */
  readonly signer?: RequestSigner | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly retry?: RetryOptions | undefined;
  /** Paces requests to at most this many per second (every attempt counts); unpaced when absent. */
  readonly requestsPerSecond?: number | undefined;
  /** Replaces the pacer built from `requestsPerSecond`, e.g. one whose rate environments share. */
  readonly pacer?: Pacer | undefined;
  readonly logger?: WickrClientLogger | undefined;
  /** Told of every attempt's HTTP status (0: no response), e.g. to count requests and 429s. */
  readonly onAttempt?: ((operation: string, status: number) => void) | undefined;
  readonly random?: (() => number) | undefined;
  readonly now?: (() => number) | undefined;
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** Per-call options. */
export interface CallOptions {
  /** Stops the call, including any wait between retries, when it fires. */
  readonly signal?: AbortSignal | undefined;
}

type Page<O extends OperationName> = OperationOutput<O>;

/**
 * A typed client of the AWS Wickr Admin API (restJson1, SigV4 signing name `wickr`). Method names are the
 * operations in camelCase and members keep the API's names, so the official SDK can replace it behind one adapter.
 */
export class WickrAdminClient {
  readonly #deps: TransportDeps;

  constructor(config: WickrAdminClientConfig) {
    const now = config.now ?? Date.now;
    const sleep = config.sleep ?? abortableSleep;
    this.#deps = {
      endpoint: resolveEndpoint(config),
      signer: config.signer ?? createSigV4Signer(config.region, config.credentials),
      fetch: config.fetch ?? globalThis.fetch,
      policy: retryPolicy(config.retry),
      logger: config.logger,
      onAttempt: config.onAttempt,
      random: config.random ?? Math.random,
      now,
      sleep,
      pacer:
        config.pacer ?? (config.requestsPerSecond ? new RequestPacer(config.requestsPerSecond, now, sleep) : undefined),
    };
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.#deps.endpoint.href;
  }

  /** Validates, sends and parses one operation; the methods below are typed shorthands of it. */
  async send<O extends OperationName>(
    operation: O,
    input: OperationInput<O>,
    options: CallOptions = {},
  ): Promise<OperationOutput<O>> {
    const checked = requestSchemas[operation].safeParse(input);
    if (!checked.success) throw new WickrRequestValidationError(operation, fieldIssues(checked.error.issues));
    const wire = toWireRequest(routes[operation], checked.data as Record<string, unknown>);
    const body = await send(this.#deps, operation, wire, options.signal);
    const parsed = responseSchemas[operation].safeParse(body);
    if (!parsed.success) throw new WickrResponseParseError(operation, fieldIssues(parsed.error.issues));
    return parsed.data as OperationOutput<O>;
  }

  listNetworks(input: OperationInput<'ListNetworks'> = {}, options?: CallOptions) {
    return this.send('ListNetworks', input, options);
  }
  getNetwork(input: OperationInput<'GetNetwork'>, options?: CallOptions) {
    return this.send('GetNetwork', input, options);
  }
  getNetworkSettings(input: OperationInput<'GetNetworkSettings'>, options?: CallOptions) {
    return this.send('GetNetworkSettings', input, options);
  }
  updateNetworkSettings(input: OperationInput<'UpdateNetworkSettings'>, options?: CallOptions) {
    return this.send('UpdateNetworkSettings', input, options);
  }
  createSecurityGroup(input: OperationInput<'CreateSecurityGroup'>, options?: CallOptions) {
    return this.send('CreateSecurityGroup', input, options);
  }
  getSecurityGroup(input: OperationInput<'GetSecurityGroup'>, options?: CallOptions) {
    return this.send('GetSecurityGroup', input, options);
  }
  listSecurityGroups(input: OperationInput<'ListSecurityGroups'>, options?: CallOptions) {
    return this.send('ListSecurityGroups', input, options);
  }
  updateSecurityGroup(input: OperationInput<'UpdateSecurityGroup'>, options?: CallOptions) {
    return this.send('UpdateSecurityGroup', input, options);
  }
  deleteSecurityGroup(input: OperationInput<'DeleteSecurityGroup'>, options?: CallOptions) {
    return this.send('DeleteSecurityGroup', input, options);
  }
  listSecurityGroupUsers(input: OperationInput<'ListSecurityGroupUsers'>, options?: CallOptions) {
    return this.send('ListSecurityGroupUsers', input, options);
  }
  batchCreateUser(input: OperationInput<'BatchCreateUser'>, options?: CallOptions) {
    return this.send('BatchCreateUser', input, options);
  }
  listUsers(input: OperationInput<'ListUsers'>, options?: CallOptions) {
    return this.send('ListUsers', input, options);
  }
  getUser(input: OperationInput<'GetUser'>, options?: CallOptions) {
    return this.send('GetUser', input, options);
  }
  updateUser(input: OperationInput<'UpdateUser'>, options?: CallOptions) {
    return this.send('UpdateUser', input, options);
  }
  batchDeleteUser(input: OperationInput<'BatchDeleteUser'>, options?: CallOptions) {
    return this.send('BatchDeleteUser', input, options);
  }
  batchToggleUserSuspendStatus(input: OperationInput<'BatchToggleUserSuspendStatus'>, options?: CallOptions) {
    return this.send('BatchToggleUserSuspendStatus', input, options);
  }

  listDevicesForUser(input: OperationInput<'ListDevicesForUser'>, options?: CallOptions) {
    return this.send('ListDevicesForUser', input, options);
  }

  batchResetDevicesForUser(input: OperationInput<'BatchResetDevicesForUser'>, options?: CallOptions) {
    return this.send('BatchResetDevicesForUser', input, options);
  }

  /** Every page of ListNetworks, following `nextToken`. */
  paginateNetworks(input: OperationInput<'ListNetworks'> = {}, options?: CallOptions) {
    return this.#paginate('ListNetworks', input, options);
  }
  listGuestUsers(input: OperationInput<'ListGuestUsers'>, options?: CallOptions) {
    return this.send('ListGuestUsers', input, options);
  }
  listBlockedGuestUsers(input: OperationInput<'ListBlockedGuestUsers'>, options?: CallOptions) {
    return this.send('ListBlockedGuestUsers', input, options);
  }
  updateGuestUser(input: OperationInput<'UpdateGuestUser'>, options?: CallOptions) {
    return this.send('UpdateGuestUser', input, options);
  }
  getGuestUserHistoryCount(input: OperationInput<'GetGuestUserHistoryCount'>, options?: CallOptions) {
    return this.send('GetGuestUserHistoryCount', input, options);
  }
  listBots(input: OperationInput<'ListBots'>, options?: CallOptions) {
    return this.send('ListBots', input, options);
  }
  getBot(input: OperationInput<'GetBot'>, options?: CallOptions) {
    return this.send('GetBot', input, options);
  }
  updateBot(input: OperationInput<'UpdateBot'>, options?: CallOptions) {
    return this.send('UpdateBot', input, options);
  }
  getBotsCount(input: OperationInput<'GetBotsCount'>, options?: CallOptions) {
    return this.send('GetBotsCount', input, options);
  }
  getOidcInfo(input: OperationInput<'GetOidcInfo'>, options?: CallOptions) {
    return this.send('GetOidcInfo', input, options);
  }
  getUsersCount(input: OperationInput<'GetUsersCount'>, options?: CallOptions) {
    return this.send('GetUsersCount', input, options);
  }
  getDataRetentionBot(input: OperationInput<'GetDataRetentionBot'>, options?: CallOptions) {
    return this.send('GetDataRetentionBot', input, options);
  }
  /** Every page of ListBots, following `nextToken`. */
  paginateBots(input: OperationInput<'ListBots'>, options?: CallOptions) {
    return this.#paginate('ListBots', input, options);
  }
  /** Every page of ListGuestUsers (the guests seen in the last 90 days), following `nextToken`. */
  paginateGuestUsers(input: OperationInput<'ListGuestUsers'>, options?: CallOptions) {
    return this.#paginate('ListGuestUsers', input, options);
  }
  /** Every page of ListBlockedGuestUsers, following `nextToken`. */
  paginateBlockedGuestUsers(input: OperationInput<'ListBlockedGuestUsers'>, options?: CallOptions) {
    return this.#paginate('ListBlockedGuestUsers', input, options);
  }
  /** Every page of ListSecurityGroups, following `nextToken`. */
  paginateSecurityGroups(input: OperationInput<'ListSecurityGroups'>, options?: CallOptions) {
    return this.#paginate('ListSecurityGroups', input, options);
  }
  /** Every page of ListSecurityGroupUsers, following `nextToken`. */
  paginateSecurityGroupUsers(input: OperationInput<'ListSecurityGroupUsers'>, options?: CallOptions) {
    return this.#paginate('ListSecurityGroupUsers', input, options);
  }
  /** Every page of ListUsers, following `nextToken`. */
  paginateUsers(input: OperationInput<'ListUsers'>, options?: CallOptions) {
    return this.#paginate('ListUsers', input, options);
  }
  /** Every page of ListDevicesForUser, following `nextToken`. */
  paginateDevicesForUser(input: OperationInput<'ListDevicesForUser'>, options?: CallOptions) {
    return this.#paginate('ListDevicesForUser', input, options);
  }

  async *#paginate<
    O extends
      | 'ListNetworks'
      | 'ListSecurityGroups'
      | 'ListSecurityGroupUsers'
      | 'ListUsers'
      | 'ListDevicesForUser'
      | 'ListGuestUsers'
      | 'ListBlockedGuestUsers'
      | 'ListBots',
  >(operation: O, input: OperationInput<O>, options?: CallOptions): AsyncGenerator<Page<O>, void, undefined> {
    const seen = new Set<string>();
    let nextToken = input.nextToken;
    do {
      const page: Page<O> = await this.send(operation, { ...input, nextToken }, options);
      yield page;
      nextToken = page.nextToken;
      // A service that hands back a token it already gave would otherwise loop forever.
      if (nextToken !== undefined && seen.has(nextToken)) {
        throw new WickrResponseParseError(operation, [{ field: 'nextToken', reason: 'repeats an earlier token' }]);
      }
      if (nextToken !== undefined) seen.add(nextToken);
    } while (nextToken !== undefined);
  }
}
