/**
 * The shape of the code, as a test: dependencies point inward (`functions → lib/<capability> → lib/wickr`, with
 * lib/store implementing the capabilities' ports), no file and no folder of lib/ imports itself back through
 * others, capabilities never import each other or the store, and no lib/ file grows past ~300 lines unsaid; infra/
 * (the commands and the local stack) has no cycle either and the same bound, but for files not split yet, which may
 * only shrink.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each file's local imports under `root` (type imports too: a port is a dependency), as paths. */
const graphOf = (root: string) =>
  new Map(
    files(root).map((file) => {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map((m) =>
        normalize(join(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'))),
      );
      return [file, targets.filter((t) => t.startsWith(root))] as const;
    }),
  );
const graph = graphOf('lib');
const infra = graphOf('infra');

/** Files longer than the bound, as long as each may be until it is split: the list and the figures only shrink. */
const notYetSplit: Readonly<Record<string, number>> = {
  'infra/local/sqs/local-sqs.ts': 479,
  'infra/local/start.ts': 433,
  'infra/local/events/event-bus.ts': 332,
  'infra/local/local-stack.ts': 327,
};
const folderOf = (file: string) => (relative('lib', dirname(file)) || '(lib)').split('/')[0] as string;

/** A cycle through `edges`, as the path that closes it, or undefined. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the import graph', () => {
  it('has no cycle between files of lib/', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('has no cycle between folders of lib/ (files directly in lib/ are shared by all)', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to !== from && to !== '(lib)' && from !== '(lib)')
          folders.set(from, (folders.get(from) ?? new Set()).add(to));
      }
    }
    expect(findCycle(new Map([...folders].map(([k, v]) => [k, [...v]])))).toBeUndefined();
  });

  it('keeps capabilities apart: none imports another, nor the store that implements its ports', () => {
    const capabilities = ['access-review', 'containment', 'hr', 'incident', 'rotation'];
    const crossings = [...graph].flatMap(([file, targets]) =>
      capabilities.includes(folderOf(file))
        ? targets
            .filter(
              (t) => folderOf(t) !== folderOf(file) && [...capabilities, 'store', 'runtime'].includes(folderOf(t)),
            )
            .map((t) => `${file} → ${t}`)
        : [],
    );
    expect(crossings).toEqual([]);
  });

  it('keeps the sources adapters pure: a vendor event in, a canonical fact out, no capability, store or runtime', () => {
    const crossings = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'sources'
        ? targets
            .filter((t) =>
              ['access-review', 'containment', 'hr', 'incident', 'rotation', 'store', 'runtime', 'wickr'].includes(
                folderOf(t),
              ),
            )
            .map((t) => `${file} → ${t}`)
        : [],
    );
    expect([...graph.keys()].filter((f) => folderOf(f) === 'sources').length).toBeGreaterThan(0);
    expect(crossings).toEqual([]);
  });

  it('has no cycle between files of infra/', () => {
    expect(findCycle(infra)).toBeUndefined();
  });

  it('keeps infra/ files under ~300 lines, but those not split yet, which only shrink', () => {
    const long = [...infra.keys()].flatMap((file) => {
      const lines = readFileSync(file, 'utf8').split('\n').length;
      return lines > (notYetSplit[file] ?? 320) ? [`${file}: ${lines} lines`] : [];
    });
    expect(long).toEqual([]);
    // A file split below the bound leaves the list.
    const shrunk = Object.keys(notYetSplit).filter((f) => readFileSync(f, 'utf8').split('\n').length <= 320);
    expect(shrunk).toEqual([]);
  });

  it('keeps lib/ files under ~300 lines, unless the file says why at its top', () => {
    const long = [...graph.keys()].filter((file) => {
      const text = readFileSync(file, 'utf8');
      return text.split('\n').length > 320 && !/^\/\*\*[\s\S]{0,800}?Long on purpose:/.test(text);
    });
    expect(long).toEqual([]);
  });
});
