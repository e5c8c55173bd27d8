import { dependencies as d } from '../../lib/runtime/dependencies.js';

/** What the refusal path of every function needs: its failure queue, the bus, the logger. */
export const refusalPorts = () => ({ failureSink: d.failureSink(), publisher: d.publisher(), logger: d.logger() });
