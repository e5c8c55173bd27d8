/**
 * Roster snapshots in the chaos history: on a network of their own, a first roster of everyone, then the next
 * one — some people left, some moved, some no longer listed — uploaded among the other facts, under the same faults
 * and crashes. The oracle states each person's end from the two files and the operator's decisions on the holds:
 * the latest file's row, a leave as the deprovisioning safeguard's hold decided, and a missing person suspended
 * only where the roster's hold was approved.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rosterMissingSafeguard } from '../../lib/hr/roster-missing.js';
import { HoldStore } from '../../lib/store/hold-store.js';

/** The chaos policy's roster network (test/fixtures/chaos/policy.yml, `sources.roster.networkId`). */
export const rosterNetwork = '33333333';
const departments = ['Atlas', 'Borealis', 'Cygnus'];

/** One person of the rosters: the first file's row, and what the second says. */
export interface RosterPerson {
  readonly employeeId: string;
  readonly department: string;
  readonly next: { readonly state: 'active'; readonly department: string } | { readonly state: 'left' | 'missing' };
}

/** The people, at random: most stay, some move, some leave, some are not in the next file. */
export function rosterPeople(seed: number, size: number, random: () => number): RosterPerson[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  return Array.from({ length: 2 * size }, (_, i) => {
    const department = pick(departments);
    const r = random();
    const next: RosterPerson['next'] =
      r < 0.15
        ? { state: 'left' }
        : r < 0.3
          ? { state: 'missing' }
          : r < 0.5
            ? { state: 'active', department: pick(departments) }
            : { state: 'active', department };
    return { employeeId: `RS-${seed}-${i}`, department, next };
  });
}

const usernameOf = (p: RosterPerson) => `${p.employeeId.toLowerCase()}@example.com`;
const header = 'employeeId,username,firstName,lastName,department,status';

/** The first file (everyone active) and the second (as `next` says; the missing left out). */
export function rosterFiles(people: readonly RosterPerson[]): { first: string; second: string } {
  const first = people.map((p) => `${p.employeeId},${usernameOf(p)},Chaos,Person,${p.department},active`);
  const second = people.flatMap((p) => {
    if (p.next.state === 'missing') return [];
    const department = p.next.state === 'active' ? p.next.department : p.department;
    return [`${p.employeeId},${usernameOf(p)},Chaos,Person,${department},${p.next.state}`];
  });
  return { first: [header, ...first].join('\n'), second: [header, ...second].join('\n') };
}

/** Whether a roster hold holding this missing person was approved (their leaving then applies). */
export async function missingApproved(db: DynamoDBDocumentClient, stateTable: string): Promise<ReadonlySet<string>> {
  const holds = (await new HoldStore(db, stateTable).list()).filter(
    (h) => h.safeguard === rosterMissingSafeguard && h.status === 'approved',
  );
  return new Set(holds.flatMap((h) => h.subjects.map((s) => s.subject)));
}

/** What the user should be at the end, given the leave verdict of the safeguard and the roster holds approved. */
export function rosterEnd(
  p: RosterPerson,
  leave: 'applies' | 'held-dropped' | 'still-open' | undefined,
  approvedMissing: ReadonlySet<string>,
): { department: string; suspended: boolean } {
  if (p.next.state === 'active') return { department: p.next.department, suspended: false };
  if (p.next.state === 'left') return { department: p.department, suspended: leave === 'applies' };
  return { department: p.department, suspended: approvedMissing.has(p.employeeId) };
}

export { departments as rosterDepartments, usernameOf as rosterUsername };
