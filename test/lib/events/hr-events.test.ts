import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EmployeeOffboardedEvent,
  EmployeeOnboardedEvent,
  EmployeeTransferredEvent,
} from '../../../lib/events/hr-events.js';
import { fieldIssues } from '../../../lib/schema-issues.js';

const samples = readdirSync('events')
  .filter((f) => f.startsWith('employee-'))
  .map((file) => ({ file, event: JSON.parse(readFileSync(`events/${file}`, 'utf8')) as { 'detail-type': string } }));
const schemaOf = (event: { 'detail-type': string }) =>
  ({
    'Employee Onboarded': EmployeeOnboardedEvent,
    'Employee Transferred': EmployeeTransferredEvent,
    'Employee Offboarded': EmployeeOffboardedEvent,
  })[event['detail-type']] ?? EmployeeOffboardedEvent;

describe('HR contract v1 and the sample envelopes in events/', () => {
  it.each(samples.filter((s) => !s.file.includes('.invalid-')))('accepts $file', ({ event }) => {
    expect(schemaOf(event).safeParse(event).success).toBe(true);
  });

  const expected: Record<string, { field: string; reason: string }[]> = {
    'employee-onboarded.invalid-missing-department.json': [
      { field: 'detail.department', reason: 'department is required' },
    ],
    'employee-onboarded.invalid-username.json': [{ field: 'detail.username', reason: 'must be an e-mail address' }],
    'employee-transferred.invalid-department.json': [
      { field: 'detail.department', reason: 'must not contain control or invisible characters, "/" or parentheses' },
    ],
  };
  it.each(samples.filter((s) => s.file.includes('.invalid-')))(
    'refuses $file, naming the field and the rule',
    ({ file, event }) => {
      const result = schemaOf(event).safeParse(event);
      expect(result.success ? [] : fieldIssues(result.error.issues)).toEqual(expected[file]);
    },
  );

  it('defaults the employment type to EMPLOYEE', () => {
    const event = samples.find((s) => s.file === 'employee-transferred.json')?.event;
    expect(EmployeeTransferredEvent.parse(event).detail.employmentType).toBe('EMPLOYEE');
  });
});
