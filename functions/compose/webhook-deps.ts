import { runtimeConfig } from '../../lib/runtime/config.js';
import { webhookDeps as make } from '../../lib/runtime/webhook-ports.js';
import type { WebhookDeps } from '../../lib/webhooks/handle-webhook.js';

let deps: WebhookDeps | undefined;

/**
 * The webhook's dependencies, made once per execution environment (its secrets are read once and kept). Apart from
 * the other functions' `dependencies`: only this function bundles the SSM client.
 */
export function webhookDeps(): WebhookDeps {
  deps ??= make(runtimeConfig());
  return deps;
}
