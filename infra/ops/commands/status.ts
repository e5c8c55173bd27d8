/** `ops status`: is each network locked down, by which incidents, which fields are held. */
import { auditTrail } from '../audit.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import { networkStatus, statusText } from '../status.js';

/** `ops status`. */
export const statusCommand: OpsCommand = {
  help: `npm run --silent ops -- status [--network ID] (--local | --stage S)

Per network: locked, the active incidents (id, severity, title, declared at), the fields held (group, field,
original value → value set), whether the popup is held, a reconcile pending or running, when it was last
reconciled, the resolutions remembered, and the rotation's last tick (from the audit trail).

  --network ID         one network only
${targetOptionsHelp}

Example: npm run --silent ops -- status --local --json`,
  async run({ target, print, network }) {
    // The rotation's last tick comes from the audit trail; without access to it, status goes on without.
    const trail = await auditTrail(target, { sinceMs: 2 * 86_400_000 }).catch(() => []);
    const networks = await networkStatus(target, network, trail);
    print({ networks }, () => statusText(networks));
  },
};
