/** "Did you mean": the known name a misspelt one was probably meant to be, for refusals that name the fix. */

/** Edit distance (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * The one known name closest to `name` (case aside), when it is close enough to be what was meant — or a prefix of it
 * (`incidentPublisher` → `incidentPublishers`); none when two are as close (SEV5 is one edit from every severity).
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const [best, second] = known
    .map((k) => ({ k, d: distance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 4)) || k.toLowerCase().startsWith(lower))
    .sort((a, b) => a.d - b.d);
  return best && second?.d !== best.d ? best.k : undefined;
}
