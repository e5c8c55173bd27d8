/**
 * What a text audit line says besides its time and type: what the outcome did, in ids — who was created, moved or
 * suspended; which groups and fields a lockdown changed; a failure's reason; a hold's decision; an override's asker.
 */

const maxIds = 8;

/** `created 2 (E-1, E-2); suspended 1 (E-3)` from a reconcile's users, ids only, a few per action. */
function usersText(users: readonly { employeeId?: string; action?: string }[]): string {
  const byAction = new Map<string, string[]>();
  for (const u of users) byAction.set(u.action ?? '?', [...(byAction.get(u.action ?? '?') ?? []), u.employeeId ?? '?']);
  return [...byAction]
    .map(([action, ids]) => {
      const shown = ids.slice(0, maxIds).join(', ');
      return `${action} ${ids.length} (${shown}${ids.length > maxIds ? `, +${ids.length - maxIds} more` : ''})`;
    })
    .join('; ');
}

/** `engineering (sg-engineering) maxNonSsoSessionMinutes 1440 → 60; …` from a lockdown's groups. */
function groupsText(
  groups: readonly {
    groupId?: string;
    groupName?: string;
    changes?: { field: string; before: unknown; after: unknown }[];
  }[],
) {
  const shown = groups.slice(0, maxIds).map((g) => {
    const name = g.groupName ? `${g.groupName} (${g.groupId})` : String(g.groupId);
    const changes = (g.changes ?? []).map((c) => `${c.field} ${String(c.before)} → ${String(c.after)}`).join(', ');
    return `${name}${changes ? ` ${changes}` : ''}`;
  });
  return `${groups.length} group(s): ${shown.join('; ')}${groups.length > maxIds ? `; +${groups.length - maxIds} more` : ''}`;
}

/** The part of an audit line after its time, type, network, incident and actor. */
export function auditExtra(d: Readonly<Record<string, unknown>>): string {
  if (typeof d.errorType === 'string')
    return ` — ${String(d.functionName ?? '')} ${d.errorType}: ${String(d.reason ?? '')}`;
  if (typeof d.holdId === 'string') {
    return ` — hold ${d.holdId}${d.decision ? ` ${String(d.decision)}` : ''}${d.decidedBy ? ` by ${String(d.decidedBy)}` : ''}`;
  }
  if (d.override === true)
    return ` — override by ${String(d.requestedBy ?? 'an incident publisher')}: ${String(d.reason ?? '')}`;
  if (Array.isArray(d.users) && d.users.length > 0) return ` — ${usersText(d.users)}`;
  if (Array.isArray(d.groups) && d.groups.length > 0) return ` — ${groupsText(d.groups)}`;
  if (typeof d.reason === 'string') return ` — ${d.reason}`;
  if (typeof d.key === 'string' && typeof d.recorded === 'number') {
    const actions = Object.entries((d.actions ?? {}) as Record<string, number>).map(([a, n]) => `${a} ${n}`);
    return ` — ${d.key}: ${d.recorded} row(s) recorded${actions.length > 0 ? `, ${actions.join(', ')}` : ''}`;
  }
  return '';
}
