/** `ops incidents`: the break-glass: a declaration or resolution put on the bus, and what it did; release-all, the kill switch. */
import { IncidentStateStore } from '../../../lib/store/incident-state-store.js';
import { numberOption, refuse } from '../../command-line.js';
import { putIncidentEvent } from '../incident-events.js';
import { exitCodeOf, waitForOutcomes } from '../incident-outcomes.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';

/** `ops incidents`. */
export const incidentsCommand: OpsCommand = {
  help: `npm run --silent ops -- incidents declare --id ID --severity SEV1-4 [--title T] [--network ID]… [--groups P,P]
npm run --silent ops -- incidents resolve --id ID [--network ID]… [--override --reason "…"]
npm run --silent ops -- incidents release-all --network ID --override --reason "…"

Waits for what the fact did and prints it (per network: applied, updated or lifted with the groups and fields,
matched no group, ignored and why, or refused with the field and rule); --no-wait only sends. Exit 0 when it was
acted on, 1 when it was refused or ignored or did nothing, 2 for bad options.

  --override --reason  resolve what another channel declared (a Security Hub incident): incident publishers only,
                       audited with your identity and the reason
  release-all          the kill switch: every incident active on the network resolved by override, restored exactly
  --no-wait            send, and print the event id only
  --wait-seconds N     how long to wait for the outcome                                      [60]

Builds the contract's event, checks it with the functions' own schema (a bad value: exit 2 naming it, nothing
sent), and puts it on the deployment's bus with the incident source — the break-glass when the incident tool is
down. Where the deployment names its incidentPublishers, the caller must be one of them.
${targetOptionsHelp}

Example: npm run --silent ops -- incidents declare --id INC-7 --severity SEV1 --title "Breach" --local`,
  async run({ values, positionals, target, print, network }) {
    const action = positionals[0];
    if (action !== 'declare' && action !== 'resolve' && action !== 'release-all') {
      refuse('incidents: declare, resolve or release-all', 'ops');
    }
    if ((values.override || action === 'release-all') && (!values.override || !values.reason)) {
      refuse(`incidents ${action}: an override needs --override and --reason "why" (both)`, 'ops');
    }
    if (values.override && action === 'declare') refuse('incidents declare: --override is for resolve', 'ops');
    const waitMs = numberOption('ops', 'wait-seconds', values['wait-seconds'], { min: 1, max: 900 }) * 1000;
    const facts: { eventId: string; incidentId: string; networks: string[] }[] = [];
    if (action === 'release-all') {
      if (!network) refuse('incidents release-all: --network ID is required', 'ops');
      const store = new IncidentStateStore(target.db, target.stateTable);
      const { active } = await store.readDesired(network);
      for (const incident of active) {
        const options = { ...values, id: incident.incidentId, network: [network] };
        facts.push({
          eventId: await putIncidentEvent(target, 'resolve', options),
          incidentId: incident.incidentId,
          networks: [network],
        });
      }
      if (active.length === 0) {
        print({ released: [] }, () => `nothing to release: no incident is active on ${network}`);
        return;
      }
    } else {
      const networks = values.network?.length ? values.network : target.policy.networks.map((n) => n.networkId);
      const eventId = await putIncidentEvent(target, action, { ...values, network: values.network });
      facts.push({ eventId, incidentId: values.id ?? '', networks });
    }
    if (values['no-wait']) {
      print({ events: facts }, () => facts.map((f) => `sent ${f.incidentId} as event ${f.eventId}`).join('\n'));
      return;
    }
    let exit: 0 | 1 = 0;
    const results: {
      eventId: string;
      incidentId: string;
      outcomes: { kind: string; networkId?: string | undefined; text: string }[];
      silent: string[];
    }[] = [];
    for (const fact of facts) {
      const outcomes = await waitForOutcomes(target, fact.eventId, fact.networks, { timeoutMs: waitMs });
      if (exitCodeOf(outcomes, fact.networks) === 1) exit = 1;
      const answered = new Set(outcomes.map((o) => o.networkId));
      const silent = fact.networks.filter((n) => !answered.has(n) && !outcomes.some((o) => o.kind === 'refused'));
      results.push({
        ...fact,
        outcomes: outcomes.map(({ kind, networkId, text }) => ({ kind, networkId, text })),
        silent,
      });
    }
    print({ results }, () =>
      results
        .flatMap((r) => [
          `${r.incidentId} (event ${r.eventId}):`,
          ...r.outcomes.map((o) => o.text),
          ...r.silent.map(
            (n) =>
              `no outcome on ${n} within ${waitMs / 1000} s (ops audit --incident ${r.incidentId} shows it when it comes)`,
          ),
        ])
        .join('\n'),
    );
    process.exitCode = exit;
  },
};
