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

/** An employee as the on-call reads it: ids and states, never a name or an e-mail. */
export const employeeText = (v: Awaited<ReturnType<typeof employeeView>>) => {
  const r = v.record as {
    latestFact: { time: string; placement: { state: string; groupName?: string } };
    onboarded: boolean;
    applied: { status?: string; userId?: string; groupId?: string; groupName?: string } | null;
  };
  const p = r.latestFact.placement;
  return [
    `employee ${v.employeeId} on ${v.networkId}: ${p.state === 'active' ? `active in ${p.groupName}` : 'left'} (latest fact ${r.latestFact.time})${r.onboarded ? '' : ', never onboarded'}`,
    `  applied: ${r.applied?.status ?? 'nothing yet'}${r.applied?.userId ? `, user ${r.applied.userId}` : ''}${r.applied?.groupId ? ` in ${r.applied.groupName ? `${r.applied.groupName} (${r.applied.groupId})` : r.applied.groupId}` : ''}`,
    `  Wickr: ${v.wickrUser ? `user ${v.wickrUser.userId}, ${v.wickrUser.suspended ? 'suspended' : 'active'}, groups ${v.wickrUser.securityGroups.map((g) => (g.name ? `${g.name} (${g.id})` : g.id)).join(', ') || 'none'}` : 'no user'}`,
  ].join('\n');
};
