import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type MetricName, type MetricsPort, metricUnits } from '../metric-names.js';
import { logger } from './logger.js';

// An invocation that counts nothing is normal (a duplicate, a fact that changes nothing): Powertools' warning about
// it would be noise in every log and in the local stack's stream, so it alone is dropped.
const quietWhenNothingToCount = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  error: (message: string) => logger.error(message),
  warn: (message: string) => {
    if (!message.startsWith('No application metrics to publish')) logger.warn(message);
  },
};

/**
 * The functions' metrics: EMF in the logs, flushed by the `logMetrics` middleware after each invocation. Its own
 * warnings (a coalesced fact, a bad dimension) go through the structured logger; "nothing to publish" does not.
 */
export const metrics = new Metrics({ namespace: 'WickrAutopilot', logger: quietWhenNothingToCount });

const units = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

/**
 * The port the use cases count through. A zero is not sent: CloudWatch bills a custom metric for every hour it is
 * sent in, and a zero tells no alarm anything (they all treat missing data as not breaching) — an idle deployment's
 * hourly checks would otherwise pay for a handful of metrics that only ever say 0 (docs/capacity.md).
 */
export const metricsPort: MetricsPort = {
  add: (name: MetricName, value: number) => {
    if (value !== 0) metrics.addMetric(name, units[metricUnits[name]], value);
  },
};
