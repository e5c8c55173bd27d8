export { type CallOptions, WickrAdminClient, type WickrAdminClientConfig } from './client.js';
export { resolveEndpoint } from './endpoint.js';
export * from './errors.js';
export { PooledRequestPacer, type SlotReserver } from './pooled-request-pacer.js';
export { type Pacer, RequestPacer } from './request-pacer.js';
export {
  type ConsentPopupConfig,
  createSecurityGroupSettingNames,
  type NetworkSettings,
  type OperationInput,
  type OperationName,
  requestSchemas,
  type SecurityGroupSettingsUpdate,
} from './request-schemas.js';
export {
  type Network,
  type OperationOutput,
  responseSchemas,
  type SecurityGroup,
  type SecurityGroupSettings,
  type Setting,
  type User,
} from './response-schemas.js';
export type { RetryOptions } from './retry-policy.js';
export { type OperationRoute, routes } from './routes.js';
export { createSigV4Signer, type RequestSigner, signingName, type WickrCredentials } from './signer.js';
export { abortableSleep, type WickrClientLogger } from './transport.js';
