/** What the posture check needs; every side effect is a port (lib/store implements the baselines). */
import type { MetricsPort } from '../metric-names.js';
import type { PostureSection } from '../policy-file/posture-section.js';
import type { DecisionLog, Publisher } from '../ports.js';
import type { PostureReading, PostureWickr } from './posture-reading.js';

/** A network's recorded baseline. */
export interface PostureBaseline {
  readonly reading: PostureReading;
  readonly recordedAt: string;
  /** Who recorded it: `first check`, or the operator who accepted the posture as AWS authenticated them. */
  readonly recordedBy: string;
  /** The drift last published, as a digest: the same drift is counted every check but announced once. */
  readonly lastDrift?: string | undefined;
  readonly revision: number;
}

/** Where baselines are kept: each write only over the revision read (undefined: none yet). */
export interface PostureBaselines {
  get(networkId: string): Promise<PostureBaseline | undefined>;
  put(networkId: string, baseline: Omit<PostureBaseline, 'revision'>, revision: number | undefined): Promise<boolean>;
}

/** The posture check's dependencies. */
export interface PostureDeps {
  readonly wickr: PostureWickr;
  readonly baselines: PostureBaselines;
  readonly section: PostureSection;
  readonly networkIds: readonly string[];
  readonly nowMs: () => number;
  readonly publisher: Publisher;
  readonly metrics?: MetricsPort | undefined;
  readonly logger: DecisionLog;
}
