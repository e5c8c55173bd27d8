/** What the access review needs; every side effect is a port (lib/store and lib/runtime implement them). */
import type { ReviewRun } from '../events/review-events.js';
import type { Holds } from '../holds/hold.js';
import type { MetricsPort } from '../metric-names.js';
import type { AccessReviewSection } from '../policy-file/access-review-section.js';
import type { DecisionLog, Once, Publisher } from '../ports.js';
import type { WickrAdminClient } from '../wickr/index.js';
import type { ProvisionedAccount } from './review-class.js';

/** The reports bucket: text objects by key. */
export interface ReportObjects {
  putText(key: string, body: string, contentType: string): Promise<void>;
  getText(key: string): Promise<string>;
}

/** Who this deployment provisioned in a network, by Wickr user id (the HR records, read only). */
export interface ProvisionedAccounts {
  ofNetwork(networkId: string): Promise<ReadonlyMap<string, ProvisionedAccount>>;
}

/** The access review's ports. */
export interface ReviewDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    | 'listUsers'
    | 'getUser'
    | 'batchToggleUserSuspendStatus'
    | 'paginateGuestUsers'
    | 'paginateBlockedGuestUsers'
    | 'paginateBots'
    | 'getBot'
    | 'updateBot'
  >;
  readonly reports: ReportObjects;
  readonly accounts: ProvisionedAccounts;
  readonly rules: Pick<AccessReviewSection, 'inactiveDays' | 'exempt' | 'actions'>;
  readonly networkIds: readonly string[];
  /** Where proposed actions wait for a person; absent: the review only reports. */
  readonly holds?: Holds | undefined;
  /** `safeguards.holdHours`. */
  readonly holdMs: number;
  /** A run goes on in a fresh invocation (the review's own event on the bus). */
  readonly handover: { continueRun(run: ReviewRun): Promise<void> };
  readonly once: Once;
  /** When a run must stop reading and hand over; absent: it reads to the end. */
  readonly stopAtMs?: number | undefined;
  /** GetUser requests in flight (the client paces them within the review's share of the budget). */
  readonly requestsInFlight: number;
  readonly nowMs: () => number;
  readonly publisher: Publisher;
  readonly metrics?: MetricsPort | undefined;
  readonly logger: DecisionLog;
}
