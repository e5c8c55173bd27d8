/**
 * The commands the README and docs/ show a reader: every line of a `sh` block (continuations joined, comments
 * split off), and every `$ ` line of a transcript, with the output the transcript shows under it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocumentedCommand {
  /** `README.md:12`: where a reader finds it. */
  readonly where: string;
  /** The command as written, continuations joined, its trailing comment removed. */
  readonly command: string;
  /** Its trailing comment (`# …`), which may announce an exit status. */
  readonly comment: string;
  /** The lines a transcript shows under a `$ ` command (empty for an `sh` block). */
  readonly output: readonly string[];
  /** Which code block it sits in (`README.md#3`): commands of one block run on one stack, in order. */
  readonly block: string;
}

const fence = /^```(\w*)\s*$/;

/** Splits `cmd   # comment` at the first ` #` outside quotes. */
function splitComment(line: string): [string, string] {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? '')))
      return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
  }
  return [line.trim(), ''];
}

function commandsOf(file: string, text: string): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  const lines = text.split('\n');
  let blockIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i] ?? '');
    if (!open) continue;
    blockIndex++;
    const labelled = ['sh', 'bash', 'shell'].includes(open[1] ?? '');
    const body: { line: number; text: string }[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++)
      body.push({ line: i + 1, text: lines[i] ?? '' });
    const transcript = body.some((l) => l.text.startsWith('$ '));
    if (!labelled && !transcript) continue;
    for (let j = 0; j < body.length; j++) {
      const first = body[j] as { line: number; text: string };
      if (transcript && !first.text.startsWith('$ ')) continue;
      let text = transcript ? first.text.slice(2) : first.text;
      if (!text.trim() || text.trim().startsWith('#')) continue;
      while (text.trimEnd().endsWith('\\') && j + 1 < body.length) {
        text = `${text.trimEnd().slice(0, -1).trimEnd()} ${(body[++j] as { text: string }).text.trim()}`;
      }
      const output: string[] = [];
      while (transcript && j + 1 < body.length && !(body[j + 1] as { text: string }).text.startsWith('$ ')) {
        output.push((body[++j] as { text: string }).text);
      }
      const [command, comment] = splitComment(text);
      found.push({ where: `${file}:${first.line}`, command, comment, output, block: `${file}#${blockIndex}` });
    }
  }
  return found;
}

/** Every documented command of the README and docs/*.md under `root`, in reading order. */
export function documentedCommands(root: string): DocumentedCommand[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) => commandsOf(file, readFileSync(join(root, file), 'utf8')));
}
