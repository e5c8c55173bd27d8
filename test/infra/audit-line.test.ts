import { describe, expect, it } from 'vitest';
import { auditExtra } from '../../infra/ops/audit-line.js';

describe('a text audit line', () => {
  it('says who a reconcile created, moved or suspended, by id, and what a lockdown changed, group by group', () => {
    const users = [
      { employeeId: 'E-1', action: 'created' },
      { employeeId: 'E-2', action: 'created' },
      { employeeId: 'E-3', action: 'suspended' },
    ];
    expect(auditExtra({ users })).toBe(' — created 2 (E-1, E-2); suspended 1 (E-3)');
    const groups = [
      {
        groupId: 'sg-eng',
        groupName: 'engineering',
        changes: [{ field: 'maxNonSsoSessionMinutes', before: 1440, after: 60 }],
      },
    ];
    expect(auditExtra({ groups })).toBe(' — 1 group(s): engineering (sg-eng) maxNonSsoSessionMinutes 1440 → 60');
    const many = Array.from({ length: 10 }, (_, i) => ({ employeeId: `E-${i}`, action: 'moved' }));
    expect(auditExtra({ users: many })).toBe(' — moved 10 (E-0, E-1, E-2, E-3, E-4, E-5, E-6, E-7, +2 more)');
    expect(auditExtra({ reason: 'severity 4 is below containment.guardDuty.minimumSeverity' })).toBe(
      ' — severity 4 is below containment.guardDuty.minimumSeverity',
    );
    // A roster chunk that took effect: its file, its rows, what it did by action.
    expect(auditExtra({ key: 'roster/r.csv', recorded: 5, actions: { created: 4, unchanged: 1 } })).toBe(
      ' — roster/r.csv: 5 row(s) recorded, created 4, unchanged 1',
    );
  });
});
