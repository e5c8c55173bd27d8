import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { refuse } from '../command-line.js';
import { loadLocalService } from '../local/serverless-config.js';
import type { OpsTarget } from './ops-target.js';

/** A bucket of the target by logical id: the local stack's, or the stage's (named for its account and region). */
export async function stackBucket(target: OpsTarget, stage: string, logicalId: string): Promise<string> {
  const service =
    target.kind === 'local'
      ? target.service
      : loadLocalService('serverless.yml', {
          stage,
          region: target.region,
          accountId: (await new STSClient({ region: target.region }).send(new GetCallerIdentityCommand({}))).Account,
        });
  return service.buckets.find((b) => b.logicalId === logicalId)?.name ?? refuse(`the stack has no ${logicalId}`, 'ops');
}
