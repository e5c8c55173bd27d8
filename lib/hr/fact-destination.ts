import type { HrFactEvent } from '../events/hr-events.js';
import { HrInputError } from './errors.js';
import { groupNameFor, normalizeName } from './group-template.js';
import type { HrDeps } from './ports.js';

/** Which network an HR fact is about, and the group its joiner or mover belongs in; refused naming the field. */
export function destinationOf(
  event: HrFactEvent,
  deps: Pick<HrDeps, 'hr' | 'networkIds'>,
  defaultNetworkId = deps.hr.defaultNetworkId ?? deps.networkIds[0],
) {
  const { detail } = event;
  const networkId = detail.networkId ?? defaultNetworkId;
  if (!networkId || !deps.networkIds.includes(networkId)) {
    const field = detail.networkId ? 'detail.networkId' : 'hr.defaultNetworkId';
    throw new HrInputError(field, `network ${networkId} is not in the policy file`);
  }
  if (event['detail-type'] === 'Employee Offboarded') return { networkId, groupName: undefined };
  const { department, team } = event.detail;
  const allowed = deps.hr.allowedDepartments;
  if (allowed && !allowed.some((d) => normalizeName(d) === normalizeName(department))) {
    throw new HrInputError('detail.department', 'is not one of hr.allowedDepartments');
  }
  const audience = { department, team, employmentType: detail.employmentType };
  return { networkId, groupName: groupNameFor(deps.hr.naming, audience) };
}
