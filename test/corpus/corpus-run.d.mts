import type { Review } from '../../src/model/review.js';
import type { CorpusFile, CorpusRole, StartEmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

export interface CorpusCase {
  id: string;
  class: string;
  source: string;
  reason: string;
  role: CorpusRole;
  extraRoles?: CorpusRole[];
  expect: {
    findings?: string[];
    notFindings?: string[];
    severity?: Record<string, string>;
    evidence?: Record<string, string>;
    escalation?: string[];
    notEscalation?: string[];
    trustRemoved?: boolean;
  };
}
export interface Corpus {
  description: string;
  cases: CorpusCase[];
}
export interface VerdictRow {
  id: string;
  class: string;
  reason: string;
  expected: string;
  actual: string;
  findings?: string;
  ok: boolean;
}
export const CORPUS_FILE: string;
export function loadCorpusCases(file?: string): Promise<Corpus>;
export function emulatorCorpus(corpus: Corpus): CorpusFile;
export function runCli(bin: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number; signal: string | null; stdout: string; stderr: string }>;
export function runCorpus(options: {
  startEmulator: (options: StartEmulatorOptions) => Promise<RunningEmulator>;
  bin: string;
  work: string;
  corpus: Corpus;
  timeoutMs?: number;
}): Promise<{ review: Review; reanalyzed: Review; managementAccountId: string; runMs: number; analyzeMs: number }>;
export function judgeCorpus(corpus: Corpus, review: Review, accountId: string): VerdictRow[];
export function verdictTable(rows: VerdictRow[]): string;
export function verdictCounts(rows: VerdictRow[]): { cases: number; correct: number; wrong: string[]; byClass: Record<string, { cases: number; correct: number }> };
