import type { PolicyFile } from '../policy-file/policy-schema.js';
import { validatePolicy } from '../policy-file/policy-schema.js';

// Set by packaging (esbuild `define`): the policy file, validated and embedded as JSON, so a deployed function
// never reads or parses YAML. Absent when running from source.
declare const __WICKR_POLICY__: string | undefined;

/** The policy in force: the embedded one in a deployed bundle, else the file (YAML) at `file`. */
export async function loadRuntimePolicy(file: string): Promise<PolicyFile> {
  if (typeof __WICKR_POLICY__ === 'string') return validatePolicy(JSON.parse(__WICKR_POLICY__), 'embedded policy');
  // A specifier the bundler cannot follow: the YAML reader (and its parser) stays out of deployed bundles,
  // which always take the branch above.
  const reader = '../policy-file/policy-file.js';
  const { loadPolicyFile } = (await import(reader)) as typeof import('../policy-file/policy-file.js');
  return loadPolicyFile(file);
}
