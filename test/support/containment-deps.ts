/** The containment capability's ports on a real local DynamoDB and the Wickr emulator, as its suites use them. */
import type { ContainmentDeps } from '../../lib/containment/ports.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import type { documentClient } from '../../lib/store/dynamodb-client.js';
import { ProvisionedUsersStore } from '../../lib/store/provisioned-users-store.js';
import type { WickrAdminClient } from '../../lib/wickr/index.js';
import { tableNames } from './local-dynamodb.js';

/** Deps on one network, publishing into `published`; `overrides` replace any port. */
export function containmentDeps(
  parts: {
    readonly client: () => WickrAdminClient;
    readonly doc: ReturnType<typeof documentClient>;
    readonly networkId: string;
    readonly published: { detailType: string; detail: Record<string, unknown> }[];
  },
  overrides: Partial<ContainmentDeps> = {},
): ContainmentDeps {
  return {
    wickr: parts.client(),
    accounts: new AccountCaseStore(parts.doc, tableNames.state),
    provisioned: new ProvisionedUsersStore(parts.doc, tableNames.state),
    anyUser: false,
    networkIds: [parts.networkId],
    nowMs: Date.now,
    publisher: {
      publish: async (detailType, detail) => void parts.published.push({ detailType, detail: { ...detail } }),
    },
    logger: { info: () => undefined, warn: () => undefined },
    ...overrides,
  };
}
