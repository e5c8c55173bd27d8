import * as z from 'zod/mini';
import { SecurityGroupSettingsInput } from '../wickr/request-schemas.js';

import { employmentTypes } from './vocabulary.js';

export { type EmploymentType, employmentTypes } from './vocabulary.js';

// Settings the API would refuse are refused here, with the same rules the client enforces.
const Settings = SecurityGroupSettingsInput;

/** The `hr` section: how groups are named and what they are created with, and what happens to leavers. */
export const HrSection = z.strictObject({
  /** Where people land when an event names no network; the first network of the file when absent. */
  defaultNetworkId: z.optional(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))),
  /**
   * `department`: one group per department; `department-team`: one per department and team. Any employment type
   * other than EMPLOYEE gets its own group, e.g. `finance (contractor)`, so its overrides can differ.
   */
  naming: z._default(z.enum(['department', 'department-team'], 'must be department or department-team'), 'department'),
  /** When set, the only departments HR events may name (compared normalized); others are refused. */
  allowedDepartments: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(500))),
  /**
   * Which departments may have their group created when none exists: `allowed-departments` (default) — only those
   * in `allowedDepartments`; others may join a group that exists (mapped or made by an admin) and are refused
   * otherwise — or `any`. Either way a name that looks like an existing group's without being it is refused.
   */
  createGroups: z._default(
    z.enum(['allowed-departments', 'any'], 'must be allowed-departments or any'),
    'allowed-departments',
  ),
  /** Groups the automation may create per network; past it, joiners of a new group wait in a hold for a person. */
  maxCreatedGroupsPerNetwork: z._default(z.number().check(z.int(), z.gte(0), z.lte(10_000)), 50),
  /**
   * Whether a joiner whose username already exists in Wickr (a user this deployment did not provision) is taken
   * over. Off by default: only for a first import, then off again.
   */
  adoptExistingUsers: z._default(z.boolean(), false),
  /** What an Employee Offboarded event does. */
  leaver: z._default(z.enum(['suspend', 'delete'], 'must be suspend or delete'), 'suspend'),
  /**
   * An admin's change to a user this deployment manages, seen when a fact next touches the employee (a managed
   * user found suspended or deleted by someone else): `keep` leaves it and reports it, `correct` restores the
   * desired record and reports it. A leaver is suspended (or deleted) either way.
   */
  manualChanges: z._default(z.enum(['keep', 'correct'], 'must be keep or correct'), 'keep'),
  /** How long a leaver's record is kept, so that late or replayed facts about them change nothing. */
  leaverRecordDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(3650)), 400),
  /**
   * How long after a transfer or offboarding of someone never onboarded the employee is reported as unmatched
   * (`Wickr Employee Unmatched`); at most 15, SQS's longest delay.
   */
  unmatchedGraceMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(15)), 15),
  template: z._default(
    z.strictObject({
      defaults: z._default(Settings, () => ({})),
      /** By normalized department name. */
      byDepartment: z._default(z.record(z.string(), Settings), () => ({})),
      byEmploymentType: z._default(z.partialRecord(z.enum(employmentTypes), Settings), () => ({})),
    }),
    () => ({ defaults: {}, byDepartment: {}, byEmploymentType: {} }),
  ),
});
export type HrSection = z.output<typeof HrSection>;
