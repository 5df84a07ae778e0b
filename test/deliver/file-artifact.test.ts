/**
 * The joined PDF travels as a file (FileArtifact), never as one Buffer: the join writes it part by part,
 * the archive streams it to S3 and the local folder copies it as a stream, each hashing exactly the bytes
 * it sent for the manifest, and the email reads it only to attach it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PDFDocument } from 'pdf-lib';
import type { FileArtifact } from '../../src/model/artifact.js';
import { buildManifest } from '../../src/deliver/manifest.js';
import { copyFileArtifact } from '../../src/deliver/artifact-io.js';
import { writeLocalRun } from '../../src/deliver/local-folder.js';
import { archiveRun } from '../../src/deliver/s3-archive.js';
import { composeReportEmail } from '../../src/cli/email-step.js';
import { EMAIL_DEFAULTS } from '../../src/config/config.js';
import { joinPdfParts, joinPdfPartsToFile } from '../../src/render/pdf-join.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { clients, FIXED_NOW } from '../emulator/helpers.js';
import { fixtureReview } from '../render/fixture-review.js';

const TOOL = { name: 'access-review', version: 'test' };
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ar-file-artifact-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A file artifact of `size` random bytes: several read-stream chunks (64 KiB each). */
async function fileArtifact(name: string, size: number): Promise<{ artifact: FileArtifact; bytes: Buffer }> {
  const bytes = randomBytes(size);
  const file = path.join(dir, `${name.replaceAll('/', '_')}-${size}`);
  await writeFile(file, bytes);
  return { artifact: { name, contentType: 'application/pdf', file, bytes: size }, bytes };
}

async function pdfOfPages(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i += 1) doc.addPage([595, 842]).drawText(`part page ${i + 1}`, { x: 50, y: 700, size: 12 });
  return doc.save({ useObjectStreams: false });
}

describe('joining to a file', () => {
  it('writes the same document joinPdfParts returns, and reports its size and pages', async () => {
    const parts = [await pdfOfPages(2), await pdfOfPages(3), await pdfOfPages(1)];
    const inMemory = await joinPdfParts(parts, { pageNumbers: true });
    const file = path.join(dir, 'joined.pdf');
    const written = await joinPdfPartsToFile(parts, file, { pageNumbers: true });
    const onDisk = await readFile(file);
    expect(written).toEqual({ bytes: inMemory.byteLength, pages: 6 });
    expect(sha(onDisk)).toBe(sha(inMemory));
    expect((await PDFDocument.load(onDisk)).getPageCount()).toBe(6);
    // Never over an existing file: a report is not replaced.
    await expect(joinPdfPartsToFile(parts, file)).rejects.toThrow(/EEXIST/);
  });
});

describe('the local folder', () => {
  it('copies a file artifact as a stream and lists the hash of the bytes it wrote', async () => {
    const out = path.join(dir, 'local');
    const { artifact, bytes } = await fileArtifact('report.pdf', 1_000_003);
    const run = await writeLocalRun(out, {
      runId: 'run-1',
      scopeId: 's',
      at: FIXED_NOW,
      tool: TOOL,
      artifacts: [artifact, { name: 'review.json', contentType: 'application/json', body: new TextEncoder().encode('{}\n') }],
    });
    expect(sha(await readFile(path.join(run.runDir, 'report.pdf')))).toBe(sha(bytes));
    expect(sha(await readFile(path.join(out, 'report.pdf')))).toBe(sha(bytes));
    const manifest = JSON.parse(await readFile(path.join(run.runDir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts).toContainEqual({ name: 'report.pdf', contentType: 'application/pdf', bytes: 1_000_003, sha256: sha(bytes) });
  });

  it('fails, rather than list a wrong hash, when the file is not the size it was declared', async () => {
    const { artifact } = await fileArtifact('short.pdf', 70_000);
    await expect(copyFileArtifact({ ...artifact, bytes: 80_000 }, path.join(dir, 'short-copy.pdf'))).rejects.toThrow('short.pdf: 70000 bytes were read of the 80000 the file should hold');
  });

  it('refuses a manifest entry for a file artifact without the hash taken while delivering it', () => {
    const artifact: FileArtifact = { name: 'report.pdf', contentType: 'application/pdf', file: '/nonexistent', bytes: 1 };
    expect(() => buildManifest({ runId: 'r', scopeId: 's', createdAt: FIXED_NOW.toISOString(), tool: TOOL, artifacts: [artifact] })).toThrow(/hash taken while it was delivered/);
  });
});

describe('the S3 archive', () => {
  let emu: RunningEmulator;
  let s3: S3Client;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 42, now: FIXED_NOW });
    s3 = clients.s3(emu);
  }, 120_000);
  afterAll(async () => emu?.close());

  it('streams a file artifact to PutObject and its manifest entry is the hash of the object S3 holds', async () => {
    const { artifact, bytes } = await fileArtifact('report.pdf', 3 * 1024 * 1024 + 17);
    const run = await archiveRun(s3, { bucket: emu.org.archiveBucket, prefix: 'access-review' }, {
      runId: '20261125T060000Z-ffffff',
      scopeId: 'account-111111111111',
      at: FIXED_NOW,
      tool: TOOL,
      artifacts: [artifact],
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: emu.org.archiveBucket, Key: `${run.prefix}/report.pdf` }));
    const stored = await got.Body!.transformToByteArray();
    expect(stored.byteLength).toBe(bytes.byteLength);
    expect(sha(stored)).toBe(sha(bytes));
    expect(run.manifest.artifacts).toEqual([{ name: 'report.pdf', contentType: 'application/pdf', bytes: bytes.byteLength, sha256: sha(bytes) }]);
  });
});

describe('the email', () => {
  it('attaches a file artifact by reading it, and says how large it is', async () => {
    const pdf = await pdfOfPages(1);
    const file = path.join(dir, 'attach.pdf');
    await writeFile(file, pdf);
    const composed = await composeReportEmail({
      review: fixtureReview(),
      artifacts: [{ name: 'report.pdf', contentType: 'application/pdf', file, bytes: pdf.byteLength }],
      email: { ...EMAIL_DEFAULTS, from: 'review@example.com', to: ['sec@example.com'] },
      runId: 'run-1',
      now: FIXED_NOW,
    });
    expect(composed.plan.mode).toBe('attach');
    const raw = Buffer.from(composed.raw).toString('latin1');
    const base64 = /filename="?report\.pdf"?[^]*?\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(raw)?.[1] ?? '';
    expect(sha(Buffer.from(base64.replace(/\r\n/g, ''), 'base64'))).toBe(sha(pdf));
  });
});
