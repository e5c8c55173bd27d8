/** How the local bus is made: the service it stands for, its functions and queues, who its callers are. */
import type { InvocationLog } from '../lambda/invocation-log.js';
import type { LambdaFunction } from '../lambda/lambda-function.js';
import type { SqsEventSource } from '../lambda/sqs-event-source.js';
import type { LocalService } from '../serverless-config.js';
import type { LocalSqs } from '../sqs/local-sqs.js';

/** How the local bus behaves. */
export interface LocalEventBusOptions {
  readonly service: LocalService;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  /** The queues its rules and functions send to; the service's own queues when absent. */
  readonly sqs?: LocalSqs;
  readonly log?: InvocationLog;
  /** The event source mappings, for drain and stats. */
  readonly queueSources?: () => readonly SqsEventSource[];
  readonly region?: string;
  readonly accountId?: string;
  /** Waits before each retry of a failed invocation; Lambda waits about 1 and 2 minutes. */
  readonly retryDelaysMs?: readonly number[];
  readonly port?: number;
  /**
   * Who a SigV4 access key id is (principal ARN), for the bus policy. An access key not listed is a principal
   * of the account named after it, and so is refused wherever the policy names its publishers.
   */
  readonly identities?: ReadonlyMap<string, string>;
  /**
   * Secret access keys of mapped identities: a request signed with one of these keys must carry a valid signature
   * (`--identity KEY:SECRET=ARN`). A key without a secret is trusted as it is named, as before.
   */
  readonly secrets?: ReadonlyMap<string, string>;
  /**
   * The SSM stand-in's parameters (name → value): `GetParameter` as the webhook reads its secrets, `PutParameter` as an
   * operator rotates one (SecureStrings; versions counted, no history kept).
   */
  readonly ssmParameters?: Map<string, string> | undefined;
}
