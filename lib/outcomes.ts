/**
 * Every outcome event the functions publish (source `wickr.autopilot`), in one table the functions, `npm run send` and
 * `ops` share: what each says of the fact that caused it. A fact's answer names its event id (`eventId`) and is one of
 * applied, unchanged, ignored (and why), held (and the hold) or refused (the field and rule); a report says what a
 * run, a sweep or a safeguard found and answers no one fact. `Publisher.publish` takes only these types: a function
 * cannot publish one the table lacks (the typecheck fails, and test/lib/outcomes.test.ts reads the sources too).
 */

/** What an outcome says of its fact: `send` exits 0 for all but `refused` (1); a `report` answers no one fact. */
export type OutcomeVerdict = 'applied' | 'unchanged' | 'ignored' | 'held' | 'refused' | 'report';

/** The outcome types, each with its verdict. */
export const outcomeTable = {
  'Wickr Lockdown Applied': 'applied',
  'Wickr Lockdown Updated': 'applied',
  'Wickr Lockdown Lifted': 'applied',
  'Wickr Lockdown Matched Nothing': 'ignored',
  'Wickr Lockdown Planned': 'unchanged',
  'Wickr Lockdown Drift': 'report',
  'Wickr Incident Fact Recorded': 'applied',
  'Wickr Incident Fact Ignored': 'ignored',
  'Wickr Automation Failed': 'refused',
  'Wickr Hold Created': 'report',
  'Wickr Hold Decided': 'applied',
  'Wickr Users Reconciled': 'applied',
  'Wickr Security Group Provisioned': 'report',
  'Wickr User Drift': 'report',
  'Wickr Employee Unmatched': 'report',
  'Wickr Employee Fact Applied': 'applied',
  'Wickr Employee Fact Unchanged': 'unchanged',
  'Wickr Employee Fact Held': 'held',
  'Wickr Employee Fact Refused': 'refused',
  'Wickr Employee Fact Ignored': 'ignored',
  'Wickr Roster Accepted': 'applied',
  'Wickr Roster Chunk Applied': 'report',
  'Wickr Roster Missing': 'held',
  'Wickr Roster Refused': 'refused',
  'Wickr Policy Rotated': 'report',
  'Wickr Account Contained': 'applied',
  'Wickr Account Released': 'applied',
  'Wickr Account Unchanged': 'unchanged',
  'Wickr Account Unresolved': 'ignored',
  'Wickr Account Fact Ignored': 'ignored',
  'Wickr Account Containment Held': 'held',
  'Wickr Account Containment Refused': 'refused',
  'Wickr Account Containment Restored': 'report',
  'Wickr Access Review Completed': 'report',
  'Wickr Posture Baseline Recorded': 'report',
  'Wickr Posture Drift': 'report',
  'Wickr Posture Accepted': 'applied',
  'Wickr Audit Anchored': 'report',
} as const satisfies Readonly<Record<string, OutcomeVerdict>>;

/** An outcome event's detail type. */
export type OutcomeType = keyof typeof outcomeTable;

/** The verdict of an outcome type, or undefined for a detail type that is not an outcome. */
export const verdictOfOutcome = (detailType: string): OutcomeVerdict | undefined =>
  Object.hasOwn(outcomeTable, detailType) ? outcomeTable[detailType as OutcomeType] : undefined;
