import { IncidentInputError } from './errors.js';

/** The networks a fact names (each must be in the policy file), or every network of the policy. */
export function targetNetworks(requested: readonly string[] | undefined, known: readonly string[]): readonly string[] {
  if (!requested) return known;
  requested.forEach((id, i) => {
    if (!known.includes(id)) {
      throw new IncidentInputError(`detail.networkIds.${i}`, `network ${id} is not in the policy file`);
    }
  });
  return [...new Set(requested)];
}
