import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tooLarge } from '../errors.js';

/**
 * Streams an upload to `dest` without holding it in memory, refusing it (413) as soon as it
 * passes `limit` bytes. A failed or refused upload leaves no file behind.
 */
export async function receiveUpload(body: Readable, dest: string, limit: number): Promise<number> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? tooLarge(limit) : null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(dest, { mode: 0o600 }));
    return size;
  } catch (error) {
    await rm(dest, { force: true });
    // Drain what the client is still sending, so the 413 reaches it instead of a reset.
    body.resume();
    throw error;
  }
}
