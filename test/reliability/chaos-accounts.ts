/**
 * Compromised accounts in the chaos history: some employees the HR facts leave active get cases — opened, cleared,
 * some opened again — as `Account Compromised` / `Account Cleared` from the incident publishers, shuffled and
 * duplicated among the later facts, under the same faults and crashes. The oracle: an employee with a case whose
 * latest fact is a compromise ends suspended; one whose cases all end cleared ends as HR says (active, in their group).
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** One case's facts, in time order. */
interface CaseFacts {
  readonly caseId: string;
  readonly facts: readonly { readonly compromised: boolean; readonly time: string }[];
}

/** An employee's cases. */
export interface AccountLife {
  readonly employeeId: string;
  readonly networkId: string;
  readonly cases: readonly CaseFacts[];
}

/** Cases for some of the employees, at random: one or two each, most cleared, some compromised again. */
export function accountLives(
  seed: number,
  employees: readonly { employeeId: string; networkId: string }[],
  random: () => number,
): AccountLife[] {
  const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 29, hour, minute)).toISOString();
  return employees
    .filter((_, i) => i === 0 || random() < 0.4)
    .map(({ employeeId, networkId }, i) => ({
      employeeId,
      networkId,
      cases: Array.from({ length: random() < 0.3 ? 2 : 1 }, (_, c) => {
        const facts = [{ compromised: true, time: at(1 + c, i % 60) }];
        if (random() < 0.6) {
          facts.push({ compromised: false, time: at(3 + c, i % 60) });
          if (random() < 0.25) facts.push({ compromised: true, time: at(5 + c, i % 60) });
        }
        return { caseId: `ACC-${seed}-${i}-${c}`, facts };
      }),
    }));
}

/** Whether any case's latest fact is a compromise: the account ends contained. */
export const accountContained = (life: AccountLife) => life.cases.some((c) => c.facts.at(-1)?.compromised === true);

/** The facts of a life as the incident publishers put them on the bus. */
export function accountEntries(life: AccountLife): (PutEventsRequestEntry & { key: string })[] {
  return life.cases.flatMap((c) =>
    c.facts.map((f, n) => ({
      key: `${f.compromised ? 'compromise' : 'clear'} ${c.caseId} ${n}`,
      Source: 'security.incidents',
      DetailType: f.compromised ? 'Account Compromised' : 'Account Cleared',
      Detail: JSON.stringify({
        caseId: c.caseId,
        subject: life.employeeId,
        networkId: life.networkId,
        reason: 'chaos',
      }),
      Time: new Date(f.time),
    })),
  );
}
