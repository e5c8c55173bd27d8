import type { PolicyFile } from '../policy-file/policy-schema.js';

// Set by packaging (esbuild `define`): the policy file as its validated parse (defaults applied), embedded as
// JSON, so a deployed function neither reads YAML nor builds the policy schema to check it again.
declare const __WICKR_POLICY__: string | undefined;

/** The policy in force: the embedded one in a deployed bundle, else the file (YAML) at `file`, validated. */
export async function loadRuntimePolicy(file: string): Promise<PolicyFile> {
  if (typeof __WICKR_POLICY__ === 'string') return JSON.parse(__WICKR_POLICY__) as PolicyFile;
  // A specifier the bundler cannot follow: the YAML reader (and its parser) stays out of deployed bundles,
  // which always take the branch above.
  const reader = '../policy-file/policy-file.js';
  const { loadPolicyFile } = (await import(reader)) as typeof import('../policy-file/policy-file.js');
  return loadPolicyFile(file);
}
