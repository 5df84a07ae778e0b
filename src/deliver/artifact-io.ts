/**
 * Reading an artifact wherever it is (in memory or on disk), and copying it as a stream while hashing the
 * bytes that pass: the manifest's SHA-256 is of exactly what a target received.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Artifact, FileArtifact } from '../model/artifact.js';

export function artifactSize(a: Artifact): number {
  return a.body !== undefined ? a.body.byteLength : a.bytes;
}

/** The whole artifact in memory: only for what is small by design (the PDF an email attaches). */
export async function readArtifact(a: Artifact): Promise<Uint8Array> {
  return a.body !== undefined ? a.body : await readFile(a.file);
}

/** What a target received of an artifact: its size and SHA-256. */
export interface Measured {
  bytes: number;
  sha256: string;
}

/** A stream of the file that hashes what is read from it; `measured()` is final once the stream has ended. */
export function hashedFileStream(a: FileArtifact): { stream: Readable; measured: () => Measured } {
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      done(null, chunk);
    },
  });
  const source = createReadStream(a.file);
  // A read error destroys the counter too, so whoever consumes it sees the failure.
  source.on('error', (e) => counter.destroy(e));
  source.pipe(counter);
  let digest: string | undefined;
  return {
    stream: counter,
    measured: () => {
      digest ??= hash.digest('hex');
      if (bytes !== a.bytes) throw new Error(`${a.name}: ${bytes} bytes were read of the ${a.bytes} the file should hold`);
      return { bytes, sha256: digest };
    },
  };
}

/** Copies a file artifact to `target` (created exclusively), hashing the bytes written. */
export async function copyFileArtifact(a: FileArtifact, target: string): Promise<Measured> {
  const { stream, measured } = hashedFileStream(a);
  await pipeline(stream, createWriteStream(target, { flags: 'wx' }));
  return measured();
}
