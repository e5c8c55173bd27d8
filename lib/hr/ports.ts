import type { HrSection } from '../policy-file/hr-section.js';
import type { HrMappingStore } from '../store/hr-mapping-store.js';
import type { WickrAdminClient } from '../wickr/index.js';

/** What the HR use cases need; every side effect is a port. */
export interface HrDeps {
  readonly wickr: Pick<
    WickrAdminClient,
    | 'paginateSecurityGroups'
    | 'getSecurityGroup'
    | 'createSecurityGroup'
    | 'updateSecurityGroup'
    | 'batchCreateUser'
    | 'paginateUsers'
    | 'getUser'
    | 'updateUser'
    | 'batchToggleUserSuspendStatus'
    | 'batchDeleteUser'
  >;
  readonly mappings: HrMappingStore;
  readonly hr: HrSection;
  /** The networks in the policy file: the only ones accepted. */
  readonly networkIds: readonly string[];
  readonly idempotency: {
    once<T extends Record<string, unknown>>(key: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>;
  };
  readonly publisher: { publish(detailType: string, detail: Readonly<Record<string, unknown>>): Promise<void> };
  /** Ids and decisions only: never names or e-mails. */
  readonly logger: { info(message: string, extra: Record<string, unknown>): void };
}
