/** Words the policy file and the event contracts share, kept apart from the schemas so importing them builds none. */

/** Severities, strictest first. */
export const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof severities)[number];

/** Employment types the HR contract knows. */
export const employmentTypes = ['EMPLOYEE', 'CONTRACTOR', 'INTERN'] as const;
export type EmploymentType = (typeof employmentTypes)[number];
