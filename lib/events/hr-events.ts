/** The HR contract, version 1: `Employee Onboarded`, `Employee Transferred` and `Employee Offboarded`. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { employmentTypes } from '../policy-file/vocabulary.js';
import { mixesScripts } from '../safe-text.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

const employeeId = lazySchema(() =>
  z
    .string('is required')
    .check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 characters of letters, digits, . _ : -')),
);
const name = lazySchema(() =>
  z
    .string()
    .check(
      z.maxLength(100, 'must be at most 100 characters'),
      z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    ),
);
// Becomes part of a security group name: no invisible characters, no look-alike script mixes.
const unit = (label: string) =>
  z.string(`${label} is required`).check(
    z.refine((v) => v.trim().length > 0, `${label} must not be blank`),
    z.maxLength(64, 'must be at most 64 characters'),
    z.regex(
      /^[^\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}/()]*$/u,
      'must not contain control or invisible characters, "/" or parentheses',
    ),
    z.refine(
      (v) => !mixesScripts(v),
      'must not mix Latin letters with another script’s, nor Cyrillic, Greek or Armenian',
    ),
  );
const base = {
  schemaVersion: z._default(z.literal('1', 'must be "1"'), '1'),
  employeeId,
  username: z.optional(
    z.string().check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'), z.maxLength(254)),
  ),
  firstName: z.optional(name),
  lastName: z.optional(name),
  employmentType: z._default(z.enum(employmentTypes, `must be one of ${employmentTypes.join(', ')}`), 'EMPLOYEE'),
  networkId: z.optional(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))),
  /** The HR system's own order of its facts; when present it wins over `time` (see lib/hr/employee-fact.ts). */
  sequence: z.optional(
    z.number('must be a number').check(z.int('must be an integer'), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
  ),
};

export const EmployeeOnboardedDetail = lazySchema(() =>
  z.object({
    ...base,
    username: z
      .string('is required')
      .check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'), z.maxLength(254)),
    department: unit('department'),
    team: z.optional(unit('team')),
  }),
);
export type EmployeeOnboardedDetail = z.output<typeof EmployeeOnboardedDetail>;

export const EmployeeTransferredDetail = lazySchema(() =>
  z.object({
    ...base,
    department: unit('department'),
    team: z.optional(unit('team')),
  }),
);
export type EmployeeTransferredDetail = z.output<typeof EmployeeTransferredDetail>;

export const EmployeeOffboardedDetail = lazySchema(() => z.object(base));
export type EmployeeOffboardedDetail = z.output<typeof EmployeeOffboardedDetail>;

export const EmployeeOnboardedEvent = lazySchema(() =>
  eventBridgeEnvelope('Employee Onboarded', EmployeeOnboardedDetail),
);
export type EmployeeOnboardedEvent = z.output<typeof EmployeeOnboardedEvent>;
export const EmployeeTransferredEvent = lazySchema(() =>
  eventBridgeEnvelope('Employee Transferred', EmployeeTransferredDetail),
);
export type EmployeeTransferredEvent = z.output<typeof EmployeeTransferredEvent>;
export const EmployeeOffboardedEvent = lazySchema(() =>
  eventBridgeEnvelope('Employee Offboarded', EmployeeOffboardedDetail),
);
export type EmployeeOffboardedEvent = z.output<typeof EmployeeOffboardedEvent>;

/** Any HR fact, told apart by its detail type: what the HR queue carries. */
export const HrFactEvent = lazySchema(() =>
  z.discriminatedUnion('detail-type', [EmployeeOnboardedEvent, EmployeeTransferredEvent, EmployeeOffboardedEvent]),
);
export type HrFactEvent = z.output<typeof HrFactEvent>;
