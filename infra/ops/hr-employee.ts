import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import type { OpsTarget } from './ops-target.js';

/** An employee's desired record and their Wickr user as they stand — ids and states; the username stays out. */
export async function employeeView(target: OpsTarget, employeeId: string, networkId: string) {
  const records = new EmployeeRecordStore(target.db, target.stateTable, 0);
  const record = await records.get(networkId, employeeId);
  if (!record) return { networkId, employeeId, record: null, wickrUser: null };
  const userId = record.applied?.userId;
  const user = userId ? await target.wickr.getUser({ networkId, userId }).catch(() => undefined) : undefined;
  // A person reads groups by name: each of the user's groups named (a user is in a handful at most).
  const securityGroups = await Promise.all(
    (user?.securityGroupIds ?? []).slice(0, 20).map(async (groupId) => {
      const found = await target.wickr.getSecurityGroup({ networkId, groupId }).catch(() => undefined);
      return { id: groupId, name: found?.securityGroup?.name };
    }),
  );
  return {
    networkId,
    employeeId,
    record: {
      latestFact: { version: record.version, time: record.factTime, placement: record.placement },
      onboarded: record.identity !== undefined,
      applied: record.applied ?? null,
    },
    wickrUser: user
      ? {
          userId: user.userId,
          suspended: user.suspended ?? false,
          securityGroupIds: user.securityGroupIds ?? [],
          securityGroups,
        }
      : null,
  };
}
