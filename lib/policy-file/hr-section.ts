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
  /** What an Employee Offboarded event does. */
  leaver: z._default(z.enum(['suspend', 'delete'], 'must be suspend or delete'), 'suspend'),
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
