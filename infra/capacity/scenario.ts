/** An organisation the capacity model prices (`examples/org-*.yml`): its size and what happens in a month. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod/mini';

const count = () => z._default(z.number().check(z.gte(0)), 0);

export const Scenario = z.strictObject({
  name: z.string(),
  people: z.number().check(z.gte(0)),
  networks: z.number().check(z.gte(1)),
  groupsPerNetwork: z.number().check(z.gte(1)),
  hr: z._default(z.strictObject({ joinersPerMonth: count(), moversPerMonth: count(), leaversPerMonth: count() }), {
    joinersPerMonth: 0,
    moversPerMonth: 0,
    leaversPerMonth: 0,
  }),
  oktaEventsPerPersonPerMonth: count(),
  /** Incidents declared per week, by severity; each is declared, raised `updatesPerIncident` times, and resolved. */
  incidentsPerWeek: z._default(z.record(z.string(), z.number().check(z.gte(0))), {}),
  updatesPerIncident: count(),
  pagerDutyEventsPerIncident: count(),
  findingsPerDay: count(),
  containmentsPerMonth: count(),
  rotationTicksPerMonth: count(),
  accessReviewsPerMonth: count(),
  rostersPerMonth: count(),
});
export type Scenario = z.output<typeof Scenario>;

/** Reads a scenario file; a bad one throws naming the field. */
export function loadScenario(file: string): Scenario {
  const parsed = Scenario.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  return parsed.data;
}
