import type { IncomingMessage } from 'node:http';

/** A request body over the bound a local endpoint accepts. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** The whole body of a request, as bytes; refused past `maxBytes` (nothing one request sends may grow without limit). */
export function readBodyBytes(req: IncomingMessage, maxBytes = 8 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.pause();
        reject(new BodyTooLargeError(`The request body is over ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The whole body of a request, as text; refused past `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes = 8 * 1024 * 1024): Promise<string> {
  return (await readBodyBytes(req, maxBytes)).toString('utf8');
}

/**
 * Whether a request names this machine in its `Host` header (`127.0.0.1`, `localhost`, `[::1]`, any port). The
 * control planes (`/_local/`, `/_emulator/`) answer only such requests: a web page that rebinds its own name to
 * 127.0.0.1 sends its own host name, and is refused.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d{1,5}$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}
